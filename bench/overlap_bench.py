"""Do concurrent GETs on PostgreSQL overlap their round trips? (issue 13's concurrency target)

    .venv/bin/python -m bench.overlap_bench [--delay-ms 2] [--concurrent 64]

PostgreSQL on this machine answers in microseconds, which hides a server that waits for the
database on its event loop. So Rolodex is put behind a TCP proxy that holds every packet from
PostgreSQL for `--delay-ms` (a database across a network), with one uvicorn worker. Then, side
by side: one GET at a time (each pays the delay), and `--concurrent` GETs at once. A worker that
serialised its reads would take `concurrent` times one GET's time for the burst; a worker that
overlaps them takes about one GET's time per pool's worth of connections. Figures go to
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import orjson

from bench.doors_bench import BIN, RESULTS, ROOT, cli, wait_for
from bench.serve_bench import free_port, fresh_postgres


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay: float) -> None:
    try:
        while data := await reader.read(65536):
            if delay:
                await asyncio.sleep(delay)
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


def start_proxy(port: int, target: tuple[str, int], delay: float) -> None:
    """A TCP proxy on `port` to `target`, holding each chunk from the target for `delay`
    seconds, in a thread of its own."""

    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await asyncio.open_connection(*target)
        await asyncio.gather(_pipe(client_r, server_w, 0), _pipe(server_r, client_w, delay))

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", port)
        async with server:
            await server.serve_forever()

    threading.Thread(target=lambda: asyncio.run(main()), daemon=True).start()


class Connection:
    """One keep-alive HTTP/1.1 connection that GETs and reads whole answers."""

    def __init__(self, port: int, key: str) -> None:
        self.port, self.key = port, key

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def get(self, path: str) -> int:
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {self.key}\r\n\r\n".encode()
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        await self.reader.readexactly(length)
        return status


async def burst(port: int, key: str, ids: list[int]) -> tuple[float, float]:
    """(seconds for the GETs of `ids` one at a time, best seconds for all at once)."""
    conns = [Connection(port, key) for _ in ids]
    await asyncio.gather(*(c.open() for c in conns))
    paths = [f"/v1/clients/{i}" for i in ids]
    assert all(
        s == 200
        for s in await asyncio.gather(*(c.get(p) for c, p in zip(conns, paths, strict=True)))
    )
    started = time.perf_counter()
    for path in paths:
        assert await conns[0].get(path) == 200
    one_by_one = time.perf_counter() - started
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        answers = await asyncio.gather(*(c.get(p) for c, p in zip(conns, paths, strict=True)))
        best = min(best, time.perf_counter() - started)
        assert all(status == 200 for status in answers)
    return one_by_one, best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delay-ms", type=float, default=2.0)
    parser.add_argument("--concurrent", type=int, default=64)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "ROLODEX_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args = parser.parse_args()
    direct = fresh_postgres(args.postgres_url, "rolodex_overlap")
    creds = orjson.loads(
        cli(
            "accounts", "create", "Overlap", "--slug", "overlap", "--json", "--database-url", direct
        ).stdout
    )
    key = creds["native"]["api_key"]
    proxy_port, port = free_port(), free_port()
    start_proxy(proxy_port, ("127.0.0.1", 5432), args.delay_ms / 1000)
    slow = f"postgresql://postgres@127.0.0.1:{proxy_port}/rolodex_overlap"
    ids: list[int] = []
    figures = {}
    for label, threads in (
        ("reads on worker threads (default)", ""),
        ("reads on the event loop", "0"),
    ):
        figures[label] = serve_and_time(port, slow, key, args.concurrent, threads, ids)
        port = free_port()
    lines = [
        f"### concurrent GETs on PostgreSQL behind {args.delay_ms:g} ms of network",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()}, {os.cpu_count()} cores; "
        "one uvicorn worker; every packet from PostgreSQL held "
        f"{args.delay_ms:g} ms by a proxy.",
        f"Command: `{' '.join(['.venv/bin/python -m bench.overlap_bench', *sys.argv[1:]])}`",
        "",
        f"| rolodex | {args.concurrent} GETs one at a time | {args.concurrent} at once (best of 5) "
        "| overlap |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, (one_by_one, together) in figures.items():
        lines.append(
            f"| {label} | {one_by_one * 1000:.0f} ms | {together * 1000:.0f} ms | "
            f"{one_by_one / together:.1f}x |"
        )
    lines += [
        "",
        "Overlap: how many times less the burst took than the same GETs one after another "
        "(1.0x: the worker serialises its reads).",
        "",
    ]
    with RESULTS.open("a") as out:
        out.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def serve_and_time(
    port: int, url: str, key: str, concurrent: int, threads: str, ids: list[int]
) -> tuple[float, float]:
    work = Path(tempfile.mkdtemp(prefix="rolodex-overlap-"))
    log = (work / "serve.log").open("w")
    env = {**os.environ, "ROLODEX_POSTGRES_READ_THREADS": threads}
    server = subprocess.Popen(
        [str(BIN / "rolodex"), "serve", "--port", str(port), "--database-url", url],
        stdout=log,
        stderr=log,
        start_new_session=True,
        cwd=ROOT,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/healthz")
        for n in range(concurrent - len(ids)):
            request = urllib.request.Request(
                f"{base}/v1/clients",
                data=orjson.dumps({"name": f"Client {n}"}),
                headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
            )
            with urllib.request.urlopen(request) as answer:
                ids.append(orjson.loads(answer.read())["id"])
        return asyncio.run(burst(port, key, ids))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
