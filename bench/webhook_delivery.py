"""Webhook delivery throughput (issue 15's target: at least 500 events/s from one worker): a
fresh database, one endpoint, `--events` events over `--clients` clients queued by
`events.append` (as the doors' writes will), then one worker (rolodex.webhooks.worker) drains
the queue to a minimal asyncio HTTP/1.1 receiver on 127.0.0.1, in a process of its own, which
answers 204 to every POST (keep-alive). The time is from the first claim to the last
outcome recorded; every event is checked to have arrived once.

    .venv/bin/python -m bench.webhook_delivery [--db sqlite|postgres] [--events 5000]
        [--clients 500] [--concurrency 16] [--rounds 3]

It prints one table row (the median round's events/s, and each round's); the figures are in
bench/RESULTS.md, "Issue 15: event delivery".
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import platform
import socket
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("ROLODEX_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


# --- the receiver: raw asyncio, 204 to each POST -----------------------------------------------


class _Receiver(asyncio.Protocol):
    def __init__(self, seen: set[bytes], counter: Any) -> None:
        self.seen = seen
        self.counter = counter
        self.buffer = b""

    def connection_made(self, transport: Any) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            head_end = self.buffer.find(b"\r\n\r\n")
            if head_end < 0:
                return
            head = self.buffer[:head_end].decode("latin-1")
            length = 0
            message = b""
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                lowered = name.strip().lower()
                if lowered == "content-length":
                    length = int(value)
                elif lowered == "webhook-id":
                    message = value.strip().encode()
            end = head_end + 4 + length
            if len(self.buffer) < end:
                return
            self.buffer = self.buffer[end:]
            if message in self.seen:
                self.counter[1] += 1  # a duplicate
            self.seen.add(message)
            self.counter[0] += 1
            self.transport.write(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")


def _receive(port: int, counter: Any, ready: Any) -> None:
    async def main() -> None:
        seen: set[bytes] = set()
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: _Receiver(seen, counter), "127.0.0.1", port)
        ready.set()
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the run -------------------------------------------------------------------------------------


def database(db: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp(prefix='rolodex-hooks-')}/bench.db"
    from bench.serve_bench import fresh_postgres

    return fresh_postgres(POSTGRES, "rolodex_webhook_bench")


def run(db: str, events_count: int, clients: int, concurrency: int) -> dict[str, Any]:
    from rolodex.config import Settings
    from rolodex.db.engine import create_db_engine, make_session_factory, transaction
    from rolodex.db.migrate import upgrade
    from rolodex.domain import accounts, events, webhooks
    from rolodex.webhooks.worker import Worker

    url = database(db)
    settings = Settings(
        database_url=url,
        secret_key="the bench's key",
        webhook_allow_private=True,
        webhook_concurrency=concurrency,
    )
    engine = create_db_engine(url)
    upgrade(engine)
    context = multiprocessing.get_context("spawn")
    counter = context.Array("q", 2)
    ready = context.Event()
    port = free_port()
    receiver = context.Process(target=_receive, args=(port, counter, ready), daemon=True)
    receiver.start()
    ready.wait(10)
    sessions = make_session_factory(engine)
    try:
        with transaction(sessions, write=True) as session:
            account_id = accounts.create_account(session, "Bench").account.id
            webhooks.create_endpoint(
                session,
                account_id,
                {"url": f"http://127.0.0.1:{port}/hooks"},
                ["client.*"],
                settings=settings,
                actor=events.SYSTEM,
            )
        batch = 500
        for start in range(0, events_count, batch):
            news = [
                events.NewEvent(
                    "client.updated",
                    "client",
                    1 + i % clients,
                    1 + i % clients,
                    {"id": 1 + i % clients, "object": "client", "name": f"Client {i}"},
                    {"name": f"Client {i - 1}"},
                )
                for i in range(start, min(start + batch, events_count))
            ]
            with transaction(sessions, write=True) as session:
                events.append(session, account_id, events.Actor("import"), news)
        with Worker(engine, settings) as worker:
            started = time.perf_counter()
            claimed = worker.drain()
            seconds = time.perf_counter() - started
        received, duplicates = counter[0], counter[1]
    finally:
        receiver.terminate()
        receiver.join(5)
        engine.dispose()
    assert claimed == events_count, (claimed, events_count)
    assert received == events_count and duplicates == 0, (received, duplicates)
    assert worker.delivered == events_count and worker.failed == 0
    return {
        "db": db,
        "events": events_count,
        "clients": clients,
        "concurrency": concurrency,
        "seconds": seconds,
        "per_second": events_count / seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    results = [
        run(args.db, args.events, args.clients, args.concurrency) for _ in range(args.rounds)
    ]
    rates = sorted(r["per_second"] for r in results)
    line = (
        f"| {args.db} | {args.events:,} over {args.clients:,} clients | {args.concurrency} | "
        f"{rates[len(rates) // 2]:,.0f} (of {', '.join(f'{r:,.0f}' for r in rates)}) |"
    )
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"{line}\n({stamp}, {platform.node()}, {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
