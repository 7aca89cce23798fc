"""Work a server does beside answering requests: rendering the document backlog that bulk
writes leave (rolodex.domain.documents.drain), in processes of its own so that it takes no
time from the request loop's core."""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from rolodex.db.engine import create_db_engine
from rolodex.domain import documents


def _render(url: str, server: Any) -> None:
    # Ctrl-C reaches the whole process group: the server stops this process (by closing its
    # end of the pipe) after the range in hand is stored, rather than have it interrupted.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stop = threading.Event()

    def watch() -> None:
        # Nothing is ever sent: this returns when the server's end of the pipe closes, whether
        # it closed it or it ended in any other way (a SIGTERM's default action, a SIGKILL).
        with suppress(EOFError, OSError):
            server.recv()
        stop.set()

    threading.Thread(target=watch, daemon=True).start()
    engine = create_db_engine(url)
    try:
        documents.keep_draining(engine, stop)
    finally:
        engine.dispose()


@contextmanager
def renderers(url: str, count: int) -> Iterator[None]:
    """`count` processes rendering the document backlog while the block runs (a server's
    lifetime), stopped at its end once the range each holds is stored. Each watches a pipe
    from this process, so it ends with it however it ends (what it had not stored stays in
    the backlog); no semaphore is shared that could be left behind."""
    if count <= 0:
        yield
        return
    context = multiprocessing.get_context("spawn")  # no copy of this process's connections
    ends, processes = [], []
    for n in range(count):
        theirs, mine = context.Pipe(duplex=False)
        process = context.Process(
            target=_render, args=(url, theirs), name=f"rolodex-renderer-{n}", daemon=True
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
