"""Work a server does beside answering requests: rendering the document backlog that bulk
writes leave (rolodex.domain.documents.drain), and delivering webhooks (rolodex.webhooks.worker,
which also deletes events past their retention), in processes of their own so that they take
no time from the request loop's core. However many uvicorn workers serve, `rolodex serve`
starts these once; and any that run side by side (another server, `rolodex webhooks deliver`)
claim their work, so each piece is done once."""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from rolodex.db.engine import create_db_engine
from rolodex.domain import documents


def _stopped_with(server: Any) -> threading.Event:
    """An Event set when the server's end of the pipe closes. Ctrl-C reaches the whole process
    group: the server stops this process (by closing its end) once the work in hand is done,
    rather than have it interrupted."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stop = threading.Event()

    def watch() -> None:
        # Nothing is ever sent: this returns when the server's end of the pipe closes, whether
        # it closed it or it ended in any other way (a SIGTERM's default action, a SIGKILL).
        with suppress(EOFError, OSError):
            server.recv()
        stop.set()

    threading.Thread(target=watch, daemon=True).start()
    return stop


def _render(url: str, server: Any) -> None:
    stop = _stopped_with(server)
    engine = create_db_engine(url)
    try:
        documents.keep_draining(engine, stop)
    finally:
        engine.dispose()


def _deliver(url: str, server: Any) -> None:
    from rolodex.config import Settings
    from rolodex.webhooks.worker import run_until

    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(name)s: %(message)s")
    stop = _stopped_with(server)
    settings = Settings.from_env(database_url=url)
    engine = create_db_engine(url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    try:
        run_until(engine, settings, stop)
    finally:
        engine.dispose()


@contextmanager
def renderers(url: str, count: int) -> Iterator[None]:
    """`count` processes rendering the document backlog while the block runs (a server's
    lifetime), stopped at its end once the range each holds is stored. Each watches a pipe
    from this process, so it ends with it however it ends (what it had not stored stays in
    the backlog); no semaphore is shared that could be left behind."""
    with _processes(_render, "renderer", url, count):
        yield


@contextmanager
def deliverers(url: str, count: int) -> Iterator[None]:
    """`count` processes delivering webhooks while the block runs, stopped at its end once the
    round in hand is recorded. What one had claimed and not recorded (it was killed) is due
    again when its lease ends; what was pending stays pending for the next server."""
    with _processes(_deliver, "deliverer", url, count):
        yield


@contextmanager
def _processes(target: Any, name: str, url: str, count: int) -> Iterator[None]:
    if count <= 0:
        yield
        return
    context = multiprocessing.get_context("spawn")  # no copy of this process's connections
    ends, processes = [], []
    for n in range(count):
        theirs, mine = context.Pipe(duplex=False)
        process = context.Process(
            target=target, args=(url, theirs), name=f"rolodex-{name}-{n}", daemon=True
        )
        process.start()
        theirs.close()
        ends.append(mine)
        processes.append(process)
    try:
        yield
    finally:
        for end in ends:
            end.close()
        for process in processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
