"""What bench.batch_cost and bench.single_cost share: requests sent straight to the ASGI app
(no HTTP), and a measurement run twice in processes of its own for two source trees (a git
revision's `src`, taken with `git archive`, and this one), alternating, each on a fresh
database, the better of each side's two median rounds kept."""

from __future__ import annotations

import argparse
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
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"


def scope(method: str, path: str, headers: dict[str, str]) -> dict[str, Any]:
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


async def call(app: Any, request_scope: dict[str, Any], body: bytes) -> tuple[int, bytes]:
    """Send one request to the app; its status and body."""

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    status, chunks = [0], []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            status[0] = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(dict(request_scope), receive, send)
    return status[0], b"".join(chunks)


def account_app(url: str, name: str, slug: str) -> tuple[Any, Any, dict[str, Any]]:
    """A runtime on `url` migrated to this source tree's head, an app over it, and a new
    account's credentials (imports are this side's own, so each tree measures itself)."""
    from rolodex.app import create_app
    from rolodex.config import Settings
    from rolodex.db.engine import transaction
    from rolodex.db.migrate import upgrade
    from rolodex.domain import accounts
    from rolodex.runtime import Runtime

    runtime = Runtime(Settings(database_url=url))
    upgrade(runtime.engine)
    with transaction(runtime.sessions, write=True) as session:
        creds = accounts.create_account(session, name, slug).as_json()
    return runtime, create_app(runtime=runtime), creds


JSON_TYPE = {"content-type": "application/json"}


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def tevo_headers(creds: dict[str, Any], method: str, path: str, body: bytes) -> dict[str, str]:
    """TEvo's X-Token and the X-Signature of this request, as its SDKs sign it."""
    signed = f"{method} 127.0.0.1{path}?".encode() + body
    secret = creds["tevo"]["secret"].encode()
    signature = base64.b64encode(hmac.new(secret, signed, hashlib.sha256).digest()).decode()
    return {**JSON_TYPE, "x-token": creds["tevo"]["token"], "x-signature": signature}


async def halo_headers(app: Any, creds: dict[str, Any]) -> dict[str, str]:
    """A Halo bearer token from the door's token endpoint (client credentials)."""
    halo = creds["halo"]
    form = (
        f"grant_type=client_credentials&client_id={halo['client_id']}"
        f"&client_secret={halo['client_secret']}&scope=all"
    ).encode()
    token_scope = scope(
        "POST", "/halo/auth/token", {"content-type": "application/x-www-form-urlencoded"}
    )
    status, body = await call(app, token_scope, form)
    assert status == 200, body
    return {**JSON_TYPE, "authorization": f"Bearer {json.loads(body)['access_token']}"}


def per_request_table(
    title: str,
    what: str,
    args: Any,
    count: int,
    label: str,
    head: str,
    module: str,
    noun: str,
    rate_noun: str | None = None,
    plural: str | None = None,
) -> list[str]:
    """The head of a before/after table: what was measured, when, the command; a row per
    door follows (`per_request_row`), its rate in `rate_noun`s a second (default: nouns)."""
    nouns = plural or f"{noun}s"
    rate = rate_noun or nouns
    return [
        title,
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()}, {os.cpu_count()} cores; "
        "in process (ASGI app called directly, no HTTP), each side in its own process on a fresh "
        f"database, {args.rounds} rounds of {count} {nouns} per door, median round, better of "
        f"two runs per side. {what}",
        f"Before: {label}; after: {head}. "
        f"Command: `{' '.join([f'.venv/bin/python -m {module}', *sys.argv[1:]])}`",
        "",
        f"| one {noun} | before: per {noun} | before: {rate}/s | after: per {noun} "
        f"| after: {rate}/s | after / before |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]


def per_request_row(per: int = 1, digits: int = 2) -> Callable[[str, float, float], str]:
    def row(door: str, old: float, new: float) -> str:
        return (
            f"| {door} | {old * 1e3:.{digits}f} ms | {per / old:,.0f} | {new * 1e3:.{digits}f} ms "
            f"| {per / new:,.0f} | {old / new:.1f}x |"
        )

    return row


def fresh_url(db: str, postgres_url: str, name: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp(prefix='rolodex-side-')}/bench.db"
    from bench.serve_bench import fresh_postgres

    return fresh_postgres(postgres_url, name)


def source(rev: str) -> Path:
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


def git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def parser(count: str, default: int) -> argparse.ArgumentParser:
    """The options both benches take; `count` names how many requests make a round."""
    found = argparse.ArgumentParser()
    found.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    found.add_argument("--before", default=None, help="git revision (default: merge base)")
    found.add_argument("--rounds", type=int, default=5)
    found.add_argument(f"--{count}", type=int, default=default)
    found.add_argument("--no-write", action="store_true", help="print only")
    found.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "ROLODEX_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    return found


def _side(module: str, tree: Path, args: Any, count: int, name: str) -> dict[str, list[float]]:
    """One side's `module.measure`, in a process of its own with its source first on the path."""
    url = fresh_url(args.db, args.postgres_url, name)
    env = {**os.environ, "PYTHONPATH": f"{tree / 'src'}{os.pathsep}{ROOT}"}
    code = (
        f"import json, sys; from {module} import measure; "
        f"print(json.dumps(measure({args.db!r}, {url!r}, {args.rounds}, {count})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(done.stderr)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def compare(
    module: str, args: Any, count: int, prefix: str
) -> tuple[dict[str, dict[str, float]], str, str]:
    """Each side's best median seconds per request, by door, and the two revisions' labels
    (before, this tree's HEAD)."""
    before = args.before or git("merge-base", "HEAD", "main")
    label, head = git("rev-parse", "--short", before), git("rev-parse", "--short", "HEAD")
    old_tree = source(before)
    medians: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
    for attempt in range(2):
        for side, tree in (("before", old_tree), ("after", ROOT)):
            found = _side(module, tree, args, count, f"{prefix}_{side}_{attempt}")
            for door, times in found.items():
                medians[side].setdefault(door, []).append(statistics.median(times))
    best = {side: {door: min(v) for door, v in found.items()} for side, found in medians.items()}
    return best, label, head


def report(
    lines: list[str],
    doors: tuple[str, ...],
    best: dict[str, dict[str, float]],
    row: Callable[[str, float, float], str],
    args: Any,
) -> None:
    """Print the table (`lines` head it, `row(door, before, after)` makes each row) and append
    it to bench/RESULTS.md unless --no-write."""
    lines = [*lines, *(row(door, best["before"][door], best["after"][door]) for door in doors)]
    text = "\n".join([*lines, ""]) + "\n"
    print(text)
    if not args.no_write:
        RESULTS.write_text(RESULTS.read_text() + "\n" + text)


async def rounds_of(
    app: Any,
    requests: dict[str, Any],
    statuses: dict[str, int],
    rounds: int,
    count: int,
    warm: int = 1,
) -> dict[str, list[float]]:
    """Seconds per request, each round, by door: `warm` requests a door first, then `rounds`
    rounds of `count` requests to each door in turn; every answer must have its door's
    status. A door's request is a (scope, body) pair, or a list of them sent in turn (an
    update that changes something every time)."""
    out: dict[str, list[float]] = {door: [] for door in requests}
    cycles = {door: r if isinstance(r, list) else [r] for door, r in requests.items()}
    sent = dict.fromkeys(requests, 0)
    for door, variants in cycles.items():
        for _ in range(warm):
            request_scope, body = variants[sent[door] % len(variants)]
            sent[door] += 1
            status, answer = await call(app, request_scope, body)
            assert status == statuses[door], (door, status, answer[:300])
    for _ in range(rounds):
        for door, variants in cycles.items():
            started = time.perf_counter()
            for _ in range(count):
                request_scope, body = variants[sent[door] % len(variants)]
                sent[door] += 1
                status, answer = await call(app, request_scope, body)
                assert status == statuses[door], (door, status, answer[:300])
            out[door].append((time.perf_counter() - started) / count)
    return out
