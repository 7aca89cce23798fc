"""Load the native API with wrk, on SQLite or PostgreSQL, and append the figures to
bench/RESULTS.md.

    .venv/bin/python -m bench.serve_bench --db sqlite --clients 10000
    .venv/bin/python -m bench.serve_bench --db postgres --clients 10000

Everything listens on 127.0.0.1 only; every wrk run is bounded by --duration.
"""

from __future__ import annotations

import argparse
import base64
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
from sqlalchemy import insert, text

from rolodex.db.engine import create_db_engine, make_session_factory, transaction
from rolodex.db.migrate import upgrade
from rolodex.domain import accounts
from rolodex.domain.clients import search_text_for
from rolodex.models import Client, EmailAddress, PhoneNumber

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
FIRST = [
    "Ned",
    "Moe",
    "Homer",
    "Marge",
    "Lisa",
    "Bart",
    "Maggie",
    "Seymour",
    "Edna",
    "Apu",
    "Barney",
    "Lenny",
    "Carl",
    "Waylon",
    "Monty",
    "Kent",
    "Selma",
    "Patty",
    "Otto",
    "Troy",
]
LAST = [
    "Flanders",
    "Szyslak",
    "Simpson",
    "Skinner",
    "Krabappel",
    "Nahasapeemapetilon",
    "Gumble",
    "Leonard",
    "Carlson",
    "Smithers",
    "Burns",
    "Brockman",
    "Bouvier",
    "Mann",
    "McClure",
    "Wiggum",
    "Hibbert",
    "Lovejoy",
    "Van Houten",
    "Muntz",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed(url: str, count: int) -> tuple[str, int, int]:
    """A fresh account with `count` clients, each with a phone number and an email address."""
    engine = create_db_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    with transaction(factory, write=True) as session:
        created = accounts.create_account(session, f"Bench {time.time_ns()}")
        account_id, office_id = created.account.id, created.office.id
        key = created.credentials["native"]["api_key"]
    rng = random.Random(42)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    batch = 5000
    for offset in range(0, count, batch):
        rows, emails, phones = [], [], []
        for n in range(offset, min(count, offset + batch)):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}"
            email = f"client{n}@example.com"
            phone = f"555-{n // 10000:03d}-{n % 10000:04d}"
            when = start + timedelta(minutes=n)
            rows.append(
                {
                    "account_id": account_id,
                    "number": n + 1,
                    "kind": "person",
                    "name": name,
                    "office_id": office_id,
                    "balance": 0,
                    "custom_fields": {},
                    "invoice_reminders": False,
                    "show_location_on_invoice": False,
                    "inactive": False,
                    "search_text": search_text_for([name], [email], [phone]),
                    "created_at": when,
                    "updated_at": when,
                    "version": 1,
                }
            )
            emails.append((email, when))
            phones.append((phone, when))
        with transaction(factory, write=True) as session:
            ids = session.scalars(
                insert(Client).returning(Client.id, sort_by_parameter_order=True), rows
            ).all()
            session.execute(
                insert(EmailAddress),
                [
                    {
                        "account_id": account_id,
                        "client_id": cid,
                        "address": e,
                        "is_primary": True,
                        "created_at": w,
                        "updated_at": w,
                        "version": 1,
                    }
                    for cid, (e, w) in zip(ids, emails, strict=True)
                ],
            )
            session.execute(
                insert(PhoneNumber),
                [
                    {
                        "account_id": account_id,
                        "client_id": cid,
                        "number": p,
                        "is_primary": True,
                        "created_at": w,
                        "updated_at": w,
                        "version": 1,
                    }
                    for cid, (p, w) in zip(ids, phones, strict=True)
                ],
            )
    with engine.begin() as conn:
        # The rows above bypassed the service, so advance the client counter past them.
        conn.execute(
            text(
                "update account_counters set value = :n where account_id = :a and name = 'client'"
            ),
            {"n": count, "a": account_id},
        )
    with engine.connect() as conn:
        first_id, last_id = conn.execute(
            text("select min(id), max(id) from clients where account_id = :a"), {"a": account_id}
        ).one()
        conn.execute(text("analyze"))
    engine.dispose()
    return key, int(first_id), int(last_id)


def deep_cursor(last_id: int) -> str:
    payload = orjson.dumps(["id", last_id - 100, last_id - 100])
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


LUA_RANDOM_GET = """
math.randomseed(1)
request = function()
  return wrk.format("GET", "/v1/clients/" .. math.random({lo}, {hi}))
end
"""
LUA_POST = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, nil, nil,
    '{"name": "Bench Client ' .. counter .. '", "phone_numbers": [{"number": "555-0100"}]}')
end
"""


def fresh_postgres(admin_url: str, name: str) -> str:
    """An empty PostgreSQL database `name` (dropped first if there), on the server of
    `admin_url`; its URL."""
    admin = create_db_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"drop database if exists {name}"))
        conn.execute(text(f"create database {name}"))
    admin.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def run_wrk(url: str, key: str, seconds: int, connections: int, script: str | None) -> dict:
    cmd = [
        "wrk",
        "-t",
        "2",
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--latency",
        "-H",
        f"Authorization: Bearer {key}",
    ]
    script_path = None
    if script:
        fd, script_path = tempfile.mkstemp(suffix=".lua")
        os.write(fd, script.encode())
        os.close(fd)
        cmd += ["-s", script_path]
    out = subprocess.run(
        [*cmd, url], capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    if script_path:
        os.unlink(script_path)
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if found is None:
        raise RuntimeError(f"wrk printed no rate:\n{out}")
    rps = float(found.group(1))
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": lat.get("50"),
        "p99": lat.get("99"),
        "non2xx": int(errors.group(1)) if errors else 0,
    }


def rss_mb(pid: int) -> float:
    """Resident memory of the server and its workers, in MB."""
    total = 0
    pids = [pid] + [
        int(p)
        for p in subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True
        ).stdout.split()
    ]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "ROLODEX_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    workdir = Path(tempfile.mkdtemp(prefix="rolodex-bench-"))
    if args.db == "sqlite":
        url = f"sqlite:///{workdir / 'bench.db'}"
    else:
        url = fresh_postgres(args.postgres_url, "rolodex_bench")

    started = time.monotonic()
    key, first_id, last_id = seed(url, args.clients)
    seed_seconds = time.monotonic() - started

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "rolodex"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--database-url",
            url,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        scenarios = [
            (
                "get one client (random id)",
                "/v1/clients/1",
                LUA_RANDOM_GET.format(lo=first_id, hi=last_id),
            ),
            ("25-client page, first", "/v1/clients?limit=25", None),
            (
                "25-client page, deep (cursor)",
                f"/v1/clients?limit=25&cursor={deep_cursor(last_id)}",
                None,
            ),
            ("q substring search", "/v1/clients?limit=25&q=krabappel", None),
            ("create one client", "/v1/clients", LUA_POST),
        ]
        results = []
        for label, path, script in scenarios:
            results.append(
                (label, run_wrk(base + path, key, args.duration, args.connections, script))
            )
        peak = rss_mb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    lines = [
        f"### native API, {args.db}, {args.clients:,} clients, {args.workers} worker(s)",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()}, {os.cpu_count()} cores;"
        f" wrk -t2 -c{args.connections} -d{args.duration}s; seeding took {seed_seconds:.1f}s; "
        f"peak RSS of the server {peak:.0f} MB.",
        f"Command: `.venv/bin/python -m bench.serve_bench --db {args.db} --clients "
        f"{args.clients} --workers {args.workers}`",
        "",
        "| scenario | req/s | p50 | p99 | non-2xx |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for label, r in results:
        lines.append(f"| {label} | {r['rps']:.0f} | {r['p50']} | {r['p99']} | {r['non2xx']} |")
    section = "\n".join(lines) + "\n\n"
    print(section)
    if not RESULTS.exists():
        RESULTS.write_text(
            "# Benchmark results\n\nNewest first within each section. Each "
            "table says how it was made.\n\n"
        )
    RESULTS.write_text(RESULTS.read_text() + section)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
