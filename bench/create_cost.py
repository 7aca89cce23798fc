"""What rendering documents at write time adds to a single create (issue 13's target: at most
20% over the create before documents).

    .venv/bin/python -m bench.create_cost [--db sqlite|postgres] [--rounds 7] [--creates 300]

In one process, on one database, `POST /v1/clients` (a client with an address, a phone number,
an email address and two tags) is sent straight to the ASGI app, in alternating rounds: with
documents as shipped, and with them switched off (the session hooks removed, so no document is
rendered and native's create answers by reading the client back from the tables, exactly as
it did before documents). The median round of each is compared. Figures go to
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import event
from sqlalchemy.orm import Session

from bench.doors_bench import RESULTS
from bench.serve_bench import fresh_postgres
from rolodex.app import create_app
from rolodex.config import Settings
from rolodex.db.engine import transaction
from rolodex.db.migrate import upgrade
from rolodex.domain import accounts, documents
from rolodex.runtime import Runtime

BODY = orjson.dumps(
    {
        "name": "Ada Lovelace",
        "tags": ["vip", "north"],
        "addresses": [{"line1": "1 Main St", "city": "Denver", "region": "CO", "country": "US"}],
        "phone_numbers": [{"number": "+1 303 555 0100"}],
        "email_addresses": [{"address": "ada@example.com"}],
    }
)


_RENDER, _DEFER = documents.render, documents.defer


def documents_on(on: bool) -> None:
    """Documents as shipped, or none at all: the session hooks removed and the bulk path's
    rendering and backlog (a create is a batch of one) made to do nothing."""
    for name, hook in (("after_flush", documents._collect), ("before_commit", documents._settle)):
        present = event.contains(Session, name, hook)
        if on and not present:
            event.listen(Session, name, hook)
        elif not on and present:
            event.remove(Session, name, hook)
    documents.render = _RENDER if on else (lambda *_args, **_kwargs: None)  # type: ignore[assignment]
    documents.defer = _DEFER if on else (lambda *_args, **_kwargs: None)  # type: ignore[assignment]


async def creates(app: Any, key: str, n: int) -> float:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/clients",
        "raw_path": b"/v1/clients",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-type", b"application/json"),
            (b"authorization", f"Bearer {key}".encode()),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "state": {},
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": BODY, "more_body": False}

    statuses: list[int] = []

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    started = time.perf_counter()
    for _ in range(n):
        await app(dict(scope), receive, send)
    elapsed = time.perf_counter() - started
    assert statuses == [201] * n, statuses[:3]
    return elapsed / n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--creates", type=int, default=300)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "ROLODEX_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args = parser.parse_args()
    if args.db == "sqlite":
        url = f"sqlite:///{tempfile.mkdtemp(prefix='rolodex-create-')}/bench.db"
    else:
        url = fresh_postgres(args.postgres_url, "rolodex_create")
    runtime = Runtime(Settings(database_url=url))
    upgrade(runtime.engine)
    with transaction(runtime.sessions, write=True) as session:
        key = accounts.create_account(session, "Create", "create").as_json()["native"]["api_key"]
    app = create_app(runtime=runtime)
    timings: dict[bool, list[float]] = {True: [], False: []}

    async def run() -> None:
        await creates(app, key, 50)  # warm
        for _ in range(args.rounds):
            for on in (True, False):
                documents_on(on)
                timings[on].append(await creates(app, key, args.creates))
        documents_on(True)

    asyncio.run(run())
    with_docs = statistics.median(timings[True])
    without = statistics.median(timings[False])
    lines = [
        f"### a single create, with and without documents ({args.db})",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()}, {os.cpu_count()} cores; "
        f"in process (no HTTP), {args.rounds} alternating rounds of {args.creates} creates, "
        "median round.",
        f"Command: `{' '.join(['.venv/bin/python -m bench.create_cost', *sys.argv[1:]])}`",
        "",
        "| POST /v1/clients (client, address, phone, email, 2 tags) | per create |",
        "| --- | ---: |",
        f"| documents switched off (the create before documents) | {without * 1e6:.0f} µs |",
        f"| documents rendered in the transaction (6 kinds) | {with_docs * 1e6:.0f} µs |",
        "",
        f"Documents add {(with_docs / without - 1) * 100:+.0f}% to a create.",
        "",
    ]
    with RESULTS.open("a") as out:
        out.write("\n".join(lines) + "\n")
    print("\n".join(lines))
    runtime.dispose()


if __name__ == "__main__":
    main()
