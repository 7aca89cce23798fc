"""What the browser tests share: Debian's Chromium driven by Playwright, and a real uvicorn
server on 127.0.0.1 (a browser needs a URL) in a thread of the test process."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, sync_playwright

from rolodex.app import create_app
from rolodex.config import Settings
from rolodex.runtime import Runtime

# The README's screenshots are remade by `make screenshots`; an ordinary run keeps its own, so
# `make test` leaves the work tree as it found it.
README_SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def chromium_path() -> str | None:
    return (
        os.environ.get("ROLODEX_CHROMIUM")
        or shutil.which("chromium")
        or next(
            (p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()),
            None,
        )
    )


def chromium(db_kind: str, why_sqlite_only: str) -> Iterator[Browser]:
    """Chromium for a module's browser tests, which run in the SQLite half of `make test`
    only (`why_sqlite_only` says why); missing, it fails under CI and skips loudly elsewhere."""
    if db_kind != "sqlite":
        pytest.skip(why_sqlite_only)
    path = chromium_path()
    if path is None:
        message = "Chromium is not installed (make test installs Debian's chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; under CI it must be.", pytrace=False)
        pytest.skip(f"SKIPPED LOUDLY: {message}.")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def serve(settings: Settings) -> Iterator[tuple[str, Runtime]]:
    """A uvicorn server on a free 127.0.0.1 port, with a runtime of its own: its base URL."""
    runtime = Runtime(settings)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(runtime=runtime), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", runtime
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        runtime.dispose()
