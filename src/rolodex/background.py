"""Work a server does beside answering requests: rendering the document backlog that bulk
writes leave (rolodex.domain.documents.drain), in processes of its own so that it takes no
time from the request loop's core."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rolodex.db.engine import create_db_engine
from rolodex.domain import documents


def _render(url: str, parent: int, stop: Any) -> None:
    # Ctrl-C reaches the whole process group: the server stops this process through `stop`,
    # after the range in hand is stored, rather than have it interrupted mid-transaction.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def orphaned() -> None:
        # A server killed outright (SIGKILL) cannot say stop: this process notices it has
        # lost its parent and ends too (what it had not stored stays in the backlog).
        while not stop.wait(1.0):
            if os.getppid() != parent:
                stop.set()

    threading.Thread(target=orphaned, daemon=True).start()
    engine = create_db_engine(url)
    try:
        documents.keep_draining(engine, stop)
    finally:
        engine.dispose()


@contextmanager
def renderers(url: str, count: int) -> Iterator[None]:
    """`count` processes rendering the document backlog while the block runs (a server's
    lifetime), stopped at its end once the range each holds is stored."""
    if count <= 0:
        yield
        return
    context = multiprocessing.get_context("spawn")  # no copy of this process's connections
    stop = context.Event()
    processes = [
        context.Process(
            target=_render,
            args=(url, os.getpid(), stop),
            name=f"rolodex-renderer-{n}",
            daemon=True,
        )
        for n in range(count)
    ]
    for process in processes:
        process.start()
    try:
        yield
    finally:
        stop.set()
        for process in processes:
            process.join(timeout=10)
            if process.is_alive():
                process.terminate()
