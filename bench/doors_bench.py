"""Every door against the Python floor and json-server, on the same data, in one run.

    .venv/bin/python -m bench.doors_bench --db sqlite --clients 10000
    .venv/bin/python -m bench.doors_bench --db postgres --clients 10000

Seeds the book with `bench.generate` through `rolodex import` (timed), starts `rolodex serve`
the floor app (bench/floor.py) and the stored-JSON floor (bench/document_floor.py, each client's
JSON ready-made, one indexed lookup), the create floor (bench/create_floor.py: a create's body
parsed and stored with one INSERT and one commit) on 127.0.0.1, and json-server 1.x (npm)
inside a private network namespace (`unshare -n`, loopback only: json-server listens on every
interface), then
loads each with wrk for a bounded time and appends the table to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import text

from bench.serve_bench import LUA_POST, free_port, fresh_postgres, rss_mb
from rolodex.db.engine import create_db_engine

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
BIN = Path(sys.executable).parent
JSON_SERVER_MAX_CLIENTS = 100_000
JSON_SERVER_VERSION = "1.0.0-beta.15"
WRK_RE = re.compile(r"Requests/sec:\s+([\d.]+)")
LAT_RE = re.compile(r"^\s+(50|99)%\s+([\d.]+\w+)", re.M)
LUA_PATCH = """
math.randomseed(11)
wrk.method = "PATCH"
wrk.headers["Content-Type"] = "application/json"
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, string.format("/v1/clients/%d", math.random({lo}, {hi})), nil,
    '{{"account_code": "AC' .. counter .. '"}}')
end
"""
LUA_RANDOM = """
math.randomseed(7)
request = function()
  return wrk.format("GET", string.format("{pattern}", math.random({lo}, {hi})))
end
"""


def wrk(
    url: str,
    seconds: int,
    connections: int,
    headers: dict[str, str],
    script: str | None = None,
    prefix: list[str] | None = None,
) -> dict[str, Any]:
    cmd = [
        *(prefix or []),
        "wrk",
        "-t",
        "2",
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--latency",
    ]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    path = None
    if script:
        fd, path = tempfile.mkstemp(suffix=".lua")
        os.write(fd, script.encode())
        os.close(fd)
        cmd += ["-s", path]
    try:
        out = subprocess.run(
            [*cmd, url], capture_output=True, text=True, check=True, timeout=seconds + 60
        ).stdout
    finally:
        if path:
            os.unlink(path)
    latency = dict(LAT_RE.findall(out))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    match = WRK_RE.search(out)
    return {
        "rps": float(match.group(1)) if match else 0.0,
        "p50": latency.get("50", "-"),
        "p99": latency.get("99", "-"),
        "non2xx": int(bad.group(1)) if bad else 0,
    }


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def floor_server(app: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """One of the floors (a raw ASGI app under uvicorn, as Rolodex runs), started."""
    quiet = ("--log-level", "warning", "--no-access-log")
    return subprocess.Popen(
        [str(BIN / "uvicorn"), app, "--port", str(port), *quiet],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "rolodex"), *args], capture_output=True, text=True, check=True)


def tevo_signature(secret: str, method: str, host: str, path: str, body: bytes = b"") -> str:
    string = f"{method} {host}{path}?".encode() + body
    return base64.b64encode(hmac.new(secret.encode(), string, hashlib.sha256).digest()).decode()


# A batch of 100 clients in one request, all or nothing, through the native batch endpoint and
# TEvo's POST /v9/clients. The body is the same each time, so one signature serves.
BATCH_BODY = orjson.dumps(
    {
        "clients": [
            {
                "name": f"Batch Client {n}",
                "email_addresses": [{"address": f"batch{n}@example.org"}],
                "phone_numbers": [{"number": f"555-01{n:02d}"}],
            }
            for n in range(100)
        ]
    }
)
# The same 100 through Halo's POST /Client: an array of Areas, each with its first site.
HALO_BATCH_BODY = orjson.dumps(
    [
        {
            "name": f"Batch Client {n}",
            "accountsemailaddress": f"batch{n}@example.org",
            "newclient_sitename": "Head Office",
            "newclient_phonenumber": f"555-01{n:02d}",
        }
        for n in range(100)
    ]
)
# The body in a level-2 long bracket: a JSON array ends in "]", which "]]" would turn into the
# end of a plain long string, leaving wrk with a broken script and sending GETs instead.
LUA_BATCH = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[{body}]==]
"""


def json_server_bin(workdir: Path) -> Path:
    cache = ROOT / "bench" / "node" / "node_modules" / ".bin" / "json-server"
    if not cache.exists():
        (ROOT / "bench" / "node").mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "npm",
                "install",
                "--silent",
                "--no-audit",
                "--no-fund",
                f"json-server@{JSON_SERVER_VERSION}",
            ],
            cwd=ROOT / "bench" / "node",
            check=True,
            timeout=300,
        )
    return cache


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "ROLODEX_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument(
        "--no-json-server",
        action="store_true",
        help="Skip json-server (always skipped above 100,000 clients: it would "
        "hold the whole book, one JSON file, in memory).",
    )
    args = parser.parse_args()
    if args.clients > JSON_SERVER_MAX_CLIENTS:
        args.no_json_server = True
    for tool in ("wrk", "unshare"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed (apt-get install wrk util-linux)")

    work = Path(tempfile.mkdtemp(prefix="rolodex-doors-"))
    if args.db == "sqlite":
        url = f"sqlite:///{work / 'bench.db'}"
    else:
        url = fresh_postgres(args.postgres_url, "rolodex_doors")

    creds = orjson.loads(
        cli(
            "accounts", "create", "Bench", "--slug", "bench", "--json", "--database-url", url
        ).stdout
    )
    data = work / "book.jsonl"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.generate",
            "--clients",
            str(args.clients),
            "--out",
            str(data),
        ],
        check=True,
        cwd=ROOT,
    )
    started = time.monotonic()
    cli("import", str(data), "--account", "bench", "--database-url", url)
    import_seconds = time.monotonic() - started

    engine = create_db_engine(url)
    with engine.connect() as conn:
        lo, hi = conn.execute(text("select min(id), max(id) from clients")).one()
    engine.dispose()
    key = creds["native"]["api_key"]

    port, floor_port, stored_port = free_port(), free_port(), free_port()
    create_port = free_port()
    base, floor = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{floor_port}"
    stored = f"http://127.0.0.1:{stored_port}"
    create_floor = f"http://127.0.0.1:{create_port}"
    env = {
        **os.environ,
        "ROLODEX_FLOOR_URL": url,
        "ROLODEX_FLOOR_KEY": key,
        "ROLODEX_FLOOR_ACCOUNT": str(creds["id"]),
    }
    servers = [
        subprocess.Popen(
            [str(BIN / "rolodex"), "serve", "--port", str(port), "--database-url", url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        ),
        floor_server("bench.floor:app", floor_port, env),
        floor_server("bench.document_floor:app", stored_port, env),
        floor_server("bench.create_floor:app", create_port, env),
    ]
    rows: list[tuple[str, str, dict[str, Any]]] = []
    try:
        wait_for(f"{base}/healthz")
        wait_for(f"{floor}/v1/clients/{lo}")
        wait_for(f"{stored}/v1/clients/{lo}")
        wait_for(f"{create_floor}/v1/clients")
        bearer = {"Authorization": f"Bearer {key}"}
        token = orjson.loads(
            urllib.request.urlopen(
                urllib.request.Request(
                    f"{base}/halo/auth/token",
                    data=(
                        f"grant_type=client_credentials&client_id={creds['halo']['client_id']}"
                        f"&client_secret={creds['halo']['client_secret']}&scope=all"
                    ).encode(),
                    method="POST",
                )
            ).read()
        )["access_token"]
        basic_trackops = base64.b64encode(
            f"{creds['trackops']['username']}/token:{creds['trackops']['token']}".encode()
        ).decode()
        basic_kickserv = base64.b64encode(
            f"{creds['kickserv']['token']}:{creds['kickserv']['token']}".encode()
        ).decode()
        mid = (lo + hi) // 2
        number = mid - lo + 1
        tevo_path = f"/tevo/v9/clients/{mid}"
        host = f"127.0.0.1:{port}"
        d, c = args.duration, args.connections
        random_get = LUA_RANDOM.format(pattern="/v1/clients/%d", lo=lo, hi=hi)
        deep = base64.urlsafe_b64encode(orjson.dumps(["id", hi - 100, hi - 100])).decode()
        rows += [
            (
                "get one client (random id)",
                "rolodex native",
                wrk(base + "/", d, c, bearer, random_get),
            ),
            (
                "get one client (random id)",
                "python floor",
                wrk(floor + "/", d, c, bearer, random_get),
            ),
            (
                "get one client (random id)",
                "stored-JSON floor",
                wrk(stored + "/", d, c, bearer, random_get),
            ),
            (
                "get one client (fixed id)",
                "rolodex native",
                wrk(f"{base}/v1/clients/{mid}", d, c, bearer),
            ),
            (
                "get one client (fixed id)",
                "trackops door",
                wrk(
                    f"{base}/trackops/api/v1/clients/{mid}",
                    d,
                    c,
                    {"Authorization": f"Basic {basic_trackops}"},
                ),
            ),
            (
                "get one client (fixed id)",
                "tevo door",
                wrk(
                    base + tevo_path,
                    d,
                    c,
                    {
                        "X-Token": creds["tevo"]["token"],
                        "X-Signature": tevo_signature(
                            creds["tevo"]["secret"], "GET", host, tevo_path
                        ),
                    },
                ),
            ),
            (
                "get one client (fixed id)",
                "halo door",
                wrk(f"{base}/halo/api/Client/{mid}", d, c, {"Authorization": f"Bearer {token}"}),
            ),
            (
                "get one client (fixed id)",
                "kickserv door",
                wrk(
                    f"{base}/kickserv/bench/customers/{number}.json",
                    d,
                    c,
                    {"Authorization": f"Basic {basic_kickserv}"},
                ),
            ),
            (
                "25-client page, first",
                "rolodex native",
                wrk(f"{base}/v1/clients?limit=25", d, c, bearer),
            ),
            (
                "25-client page, first",
                "python floor",
                wrk(f"{floor}/v1/clients?limit=25", d, c, bearer),
            ),
            (
                "25-client page, first",
                "stored-JSON floor",
                wrk(f"{stored}/v1/clients?limit=25", d, c, bearer),
            ),
            (
                "25-client page, deep",
                "rolodex native",
                wrk(f"{base}/v1/clients?limit=25&cursor={deep.rstrip('=')}", d, c, bearer),
            ),
            (
                "25-client page, deep",
                "python floor",
                wrk(f"{floor}/v1/clients?limit=25&cursor={hi - 100}", d, c, bearer),
            ),
            (
                "25-client page, deep",
                "stored-JSON floor",
                wrk(f"{stored}/v1/clients?limit=25&cursor={hi - 100}", d, c, bearer),
            ),
            (
                "q substring search",
                "rolodex native",
                wrk(f"{base}/v1/clients?limit=25&q=krabappel", d, c, bearer),
            ),
            (
                "create one client",
                "rolodex native",
                wrk(f"{base}/v1/clients", d, c, bearer, LUA_POST),
            ),
            (
                "create one client",
                "create floor",
                wrk(f"{create_floor}/v1/clients", d, c, bearer, LUA_POST),
            ),
            (
                "update one client (PATCH, random id)",
                "rolodex native",
                wrk(base + "/", d, c, bearer, LUA_PATCH.format(lo=lo, hi=hi)),
            ),
            (
                "create a batch of 100 clients",
                "rolodex native",
                wrk(
                    f"{base}/v1/clients/batch",
                    d,
                    c,
                    bearer,
                    LUA_BATCH.format(body=BATCH_BODY.decode()),
                ),
            ),
            (
                "create a batch of 100 clients",
                "tevo door",
                wrk(
                    f"{base}/tevo/v9/clients",
                    d,
                    c,
                    {
                        "X-Token": creds["tevo"]["token"],
                        "X-Signature": tevo_signature(
                            creds["tevo"]["secret"], "POST", host, "/tevo/v9/clients", BATCH_BODY
                        ),
                    },
                    LUA_BATCH.format(body=BATCH_BODY.decode()),
                ),
            ),
            (
                "create a batch of 100 clients",
                "halo door",
                wrk(
                    f"{base}/halo/api/Client",
                    d,
                    c,
                    {"Authorization": f"Bearer {token}"},
                    LUA_BATCH.format(body=HALO_BATCH_BODY.decode()),
                ),
            ),
        ]
        peak = rss_mb(servers[0].pid)
        if not args.no_json_server:
            rows += run_json_server(work, url, args, lo, hi)
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    report(args, rows, import_seconds, peak)
    shutil.rmtree(work, ignore_errors=True)


def run_json_server(
    work: Path, url: str, args: Any, lo: int, hi: int
) -> list[tuple[str, str, dict[str, Any]]]:
    """json-server 1.x on the same clients (the native export), with wrk beside it inside
    one private network namespace."""
    exported = cli("export", "--account", "bench", "--database-url", url).stdout
    clients = []
    for line in exported.splitlines():
        record = orjson.loads(line)
        record["id"] = str(record["id"])
        clients.append(record)
    (work / "db.json").write_bytes(orjson.dumps({"clients": clients}))
    binary = json_server_bin(work)
    d, c = args.duration, args.connections
    pages = max(1, len(clients) // 25)
    script = f"""
set -e
ip link set lo up
{binary} {work / "db.json"} --port 3999 >/dev/null 2>&1 &
for i in $(seq 1 100); do
  curl -sf http://127.0.0.1:3999/clients/{lo} >/dev/null && break; sleep 0.2
done
cat > {work / "random.lua"} <<'LUA'
{LUA_RANDOM.format(pattern="/clients/%d", lo=lo, hi=hi)}
LUA
echo '### get'; wrk -t 2 -c {c} -d {d}s --latency -s {work / "random.lua"} http://127.0.0.1:3999/
echo '### first'; wrk -t 2 -c {c} -d {d}s --latency 'http://127.0.0.1:3999/clients?_page=1&_per_page=25'
echo '### deep'; wrk -t 2 -c {c} -d {d}s --latency 'http://127.0.0.1:3999/clients?_page={pages}&_per_page=25'
kill %1
"""
    out = subprocess.run(
        ["unshare", "-n", "bash", "-c", script], capture_output=True, text=True, timeout=3 * d + 240
    ).stdout
    results = []
    for label, section in (
        ("get one client (random id)", "get"),
        ("25-client page, first", "first"),
        ("25-client page, deep", "deep"),
    ):
        part = (
            out.split(f"### {section}", 1)[1].split("###", 1)[0] if f"### {section}" in out else ""
        )
        match = WRK_RE.search(part)
        latency = dict(LAT_RE.findall(part))
        results.append(
            (
                label,
                "json-server",
                {
                    "rps": float(match.group(1)) if match else 0.0,
                    "p50": latency.get("50", "-"),
                    "p99": latency.get("99", "-"),
                    "non2xx": 0,
                },
            )
        )
    return results


def report(
    args: Any, rows: list[tuple[str, str, dict[str, Any]]], import_seconds: float, peak: float
) -> None:
    by = {(scenario, who): r for scenario, who, r in rows}
    lines = [
        f"### every door, {args.db}, {args.clients:,} clients",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()}, {os.cpu_count()} cores;"
        f" wrk -t2 -c{args.connections} -d{args.duration}s; one uvicorn worker each; "
        f"import of the book took {import_seconds:.1f} s; peak RSS of rolodex {peak:.0f} MB.",
        f"Command: `.venv/bin/python -m bench.doors_bench --db {args.db} --clients "
        f"{args.clients}{' --no-json-server' if args.no_json_server else ''}`",
        "",
        "| scenario | server | req/s | p50 | p99 | non-2xx | vs floor (Python or create) "
        "| vs stored-JSON floor "
        "| vs json-server |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for scenario, who, r in rows:
        floor = by.get((scenario, "python floor")) or by.get((scenario, "create floor"))
        ready = by.get((scenario, "stored-JSON floor"))
        js = by.get((scenario, "json-server"))
        vs_floor = (
            f"{r['rps'] / floor['rps']:.2f}x"
            if floor and floor["rps"] and who == "rolodex native"
            else ""
        )
        vs_ready = (
            f"{r['rps'] / ready['rps']:.2f}x"
            if ready and ready["rps"] and who == "rolodex native"
            else ""
        )
        vs_js = (
            f"{r['rps'] / js['rps']:.2f}x" if js and js["rps"] and who == "rolodex native" else ""
        )
        lines.append(
            f"| {scenario} | {who} | {r['rps']:.0f} | {r['p50']} | {r['p99']} | "
            f"{r['non2xx']} | {vs_floor} | {vs_ready} | {vs_js} |"
        )
    section = "\n".join(lines) + "\n\n"
    print(section)
    RESULTS.write_text(RESULTS.read_text() + section)


if __name__ == "__main__":
    main()
