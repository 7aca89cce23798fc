"""A batch of 100 clients through TEvo, Halo and native, in process (no HTTP), before and
after a change, side by side in one run (issue 14's batch target: at least 10,000 clients/s
on SQLite).

    .venv/bin/python -m bench.batch_cost [--db sqlite|postgres] [--before REV] [--rounds 5]

`--before` names a git revision (default: the merge base with main); its `src` is taken with
`git archive` into a temporary directory. Each side runs in its own process, on its own fresh
database, with PYTHONPATH at its own source: the same requests (bench.doors_bench's bodies)
sent straight to the ASGI app, the three doors in turn, `--rounds` rounds of `--batches`
batches each, the median round kept. The processes run one after the other, twice each,
alternating, and the better of each side's two medians is reported. Figures go to
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DOORS = ("tevo", "halo", "native")
PATHS = {"tevo": "/tevo/v9/clients", "halo": "/halo/api/Client", "native": "/v1/clients/batch"}


def _scope(method: str, path: str, headers: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            *((k.encode(), v.encode()) for k, v in headers.items()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "state": {},
    }


async def _call(app: Any, scope: dict[str, Any], body: bytes) -> tuple[int, bytes]:
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    status, chunks = [0], []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status[0] = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(dict(scope), receive, send)
    return status[0], b"".join(chunks)


def measure(db: str, url: str, rounds: int, batches: int) -> dict[str, list[float]]:
    """Seconds per batch of 100, per round, per door, in this process's source tree."""
    from bench.doors_bench import BATCH_BODY, HALO_BATCH_BODY
    from rolodex.app import create_app
    from rolodex.config import Settings
    from rolodex.db.engine import transaction
    from rolodex.db.migrate import upgrade
    from rolodex.domain import accounts
    from rolodex.runtime import Runtime

    runtime = Runtime(Settings(database_url=url))
    upgrade(runtime.engine)
    with transaction(runtime.sessions, write=True) as session:
        creds = accounts.create_account(session, "Batch", "batch").as_json()
    app = create_app(runtime=runtime)
    secret = creds["tevo"]["secret"]
    signed = f"POST 127.0.0.1{PATHS['tevo']}?".encode() + BATCH_BODY
    signature = base64.b64encode(hmac.new(secret.encode(), signed, hashlib.sha256).digest())
    json_type = {"content-type": "application/json"}
    requests: dict[str, tuple[dict[str, Any], bytes]] = {
        "native": (
            _scope(
                "POST",
                PATHS["native"],
                {**json_type, "authorization": f"Bearer {creds['native']['api_key']}"},
            ),
            BATCH_BODY,
        ),
        "tevo": (
            _scope(
                "POST",
                PATHS["tevo"],
                {**json_type, "x-token": creds["tevo"]["token"], "x-signature": signature.decode()},
            ),
            BATCH_BODY,
        ),
    }
    halo = creds["halo"]

    async def run() -> dict[str, list[float]]:
        form = (
            f"grant_type=client_credentials&client_id={halo['client_id']}"
            f"&client_secret={halo['client_secret']}&scope=all"
        ).encode()
        status, body = await _call(
            app,
            _scope(
                "POST",
                "/halo/auth/token",
                {"content-type": "application/x-www-form-urlencoded"},
            ),
            form,
        )
        assert status == 200, body
        token = json.loads(body)["access_token"]
        requests["halo"] = (
            _scope("POST", PATHS["halo"], {**json_type, "authorization": f"Bearer {token}"}),
            HALO_BATCH_BODY,
        )
        out: dict[str, list[float]] = {door: [] for door in DOORS}
        for door in DOORS:  # warm
            status, body = await _call(app, *requests[door])
            assert status == 201, (door, status, body[:300])
        for _ in range(rounds):
            for door in DOORS:
                scope, body = requests[door]
                started = time.perf_counter()
                for _ in range(batches):
                    status, answer = await _call(app, scope, body)
                    assert status == 201, (door, status, answer[:300])
                out[door].append((time.perf_counter() - started) / batches)
        return out

    try:
        return asyncio.run(run())
    finally:
        runtime.dispose()


def _fresh_url(db: str, postgres_url: str, name: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp(prefix='rolodex-batch-')}/bench.db"
    from bench.serve_bench import fresh_postgres

    return fresh_postgres(postgres_url, name)


def _source(rev: str) -> Path:
    """The `src` of a git revision, in a temporary directory (the bench is this one's)."""
    where = Path(tempfile.mkdtemp(prefix="rolodex-before-"))
    archive = subprocess.run(
        ["git", "archive", rev, "src"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tempfile.TemporaryFile() as tar:
        tar.write(archive)
        tar.seek(0)
        with tarfile.open(fileobj=tar) as t:
            t.extractall(where, filter="data")
    return where


def _side(tree: Path, args: Any, name: str) -> dict[str, list[float]]:
    """One side's measurement, in a process of its own with its source first on the path."""
    url = _fresh_url(args.db, args.postgres_url, name)
    env = {**os.environ, "PYTHONPATH": f"{tree / 'src'}{os.pathsep}{ROOT}"}
    code = (
        "import json, sys; from bench.batch_cost import measure; "
        f"print(json.dumps(measure({args.db!r}, {url!r}, {args.rounds}, {args.batches})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(done.stderr)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--before", default=None, help="git revision (default: merge base)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "ROLODEX_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args = parser.parse_args()
    before = (
        args.before
        or subprocess.run(
            ["git", "merge-base", "HEAD", "main"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    label = subprocess.run(
        ["git", "rev-parse", "--short", before], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    old_tree = _source(before)
    medians: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
    for attempt in range(2):
        for side, tree in (("before", old_tree), ("after", ROOT)):
            found = _side(tree, args, f"rolodex_batch_{side}_{attempt}")
            for door, times in found.items():
                medians[side].setdefault(door, []).append(statistics.median(times))
    lines = [
        f"### issue 14's batch target: a batch of 100 through TEvo, Halo and native, "
        f"in process ({args.db})",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()}, {os.cpu_count()} cores, "
        "shared with other work running at the same time (figures move by 10-20% between runs); "
        f"in process (ASGI app called directly, no HTTP), each side in its own process on a fresh "
        f"database, {args.rounds} rounds of {args.batches} batches per door, median round, better "
        "of two runs per side. Bodies: bench.doors_bench's BATCH_BODY (native, TEvo: a client "
        "with an email and a phone) and HALO_BATCH_BODY (an Area with its first site and phone).",
        f"Before: {label}; after: {head}. "
        f"Command: `{' '.join(['.venv/bin/python -m bench.batch_cost', *sys.argv[1:]])}`",
        "",
        "| batch of 100 | before: per batch | before: clients/s | after: per batch "
        "| after: clients/s | after / before |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for door in DOORS:
        old, new = min(medians["before"][door]), min(medians["after"][door])
        lines.append(
            f"| {door} | {old * 1e3:.1f} ms | {100 / old:,.0f} | {new * 1e3:.1f} ms "
            f"| {100 / new:,.0f} | {old / new:.1f}x |"
        )
    lines.append("")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        results = ROOT / "bench" / "RESULTS.md"
        results.write_text(results.read_text() + "\n" + text)


if __name__ == "__main__":
    main()
