"""create_app(): one Starlette application serving every door over one runtime."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from rolodex.apidocs import pages as apidocs
from rolodex.config import Settings
from rolodex.console import routes as console
from rolodex.domain import usage
from rolodex.doors.halo import routes as halo
from rolodex.doors.hosts import VendorHosts
from rolodex.doors.kickserv import routes as kickserv
from rolodex.doors.lane import Lane, LaneApp
from rolodex.doors.native import routes as native
from rolodex.doors.native.errors import error_response
from rolodex.doors.tevo import routes as tevo
from rolodex.doors.trackops import routes as trackops
from rolodex.runtime import Runtime

log = logging.getLogger("rolodex")

# Where each vendor door is mounted: what a request to one of its vendor's hosts gets put before
# its path (rolodex.doors.hosts), the vendor's paths being what the door serves beneath.
VENDOR_MOUNTS = {
    "trackops": trackops.MOUNT,
    "tevo": tevo.PREFIX,
    "halo": halo.PREFIX,
    "kickserv": kickserv.PREFIX.split("/{", 1)[0],  # /kickserv/{slug}: the slug is a path's
}


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> Starlette:
    """Every door over `runtime` (made from `settings` when not given); `settings`, when given,
    rule what is not the runtime's (the vendor hosts), else the runtime's own do."""
    runtime = runtime or Runtime(settings or Settings.from_env())
    settings = settings or runtime.settings

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def flush_requests() -> None:
        taken = runtime.requests.take()
        if not taken:
            return
        try:
            await runtime.run(lambda s: usage.store(s, taken), write=True)
        except Exception:
            runtime.requests.give_back(taken)
            log.exception("could not store the request counts (kept for the next try)")

    async def keep_flushing() -> None:
        while True:
            await asyncio.sleep(usage.FLUSH_SECONDS)
            await flush_requests()

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        flusher = asyncio.create_task(keep_flushing(), name="rolodex-request-counts")
        try:
            yield
        finally:
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flusher
            await flush_requests()
            runtime.dispose()

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = {
            404: f"No route for {request.url.path}.",
            405: f"{request.method} is not allowed on {request.url.path}.",
        }.get(exc.status_code, str(exc.detail))
        return error_response(exc.status_code, code, message, headers=dict(exc.headers or {}))

    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(500, "internal_error", "Something went wrong on our side.")

    lane = Lane()
    routes = [
        Route("/healthz", healthz, methods=["GET"]),
        *apidocs.routes(),
        Mount(native.PREFIX, routes=native.routes(runtime, lane)),
        trackops.mount(runtime, lane),
        tevo.mount(runtime, lane),
        halo.mount(runtime, lane),
        kickserv.mount(runtime, lane),
        # The web console: its pages sit at paths no door uses (/, /clients, /sign-in, ...).
        *console.routes(runtime),
    ]
    # The GETs served from stored documents skip the middleware and the route scan.
    app = LaneApp(
        lane,
        VendorHosts(settings.vendor_hosts, VENDOR_MOUNTS),
        routes=routes,
        lifespan=lifespan,
        exception_handlers={HTTPException: http_error, Exception: server_error},
    )
    app.state.runtime = runtime
    return app


def app_from_env() -> Starlette:
    """Factory for `uvicorn --factory` (used by `rolodex serve --workers N`)."""
    app = create_app(Settings.from_env())
    # What the server built to start lives as long as it does: out of the collector's sight
    # (a full collection no longer walks it), and the youngest generation collected every
    # 10,000 allocations rather than 700, so a batch of a thousand clients, which allocates
    # hundreds of thousands of short-lived objects, is not interrupted by hundreds of scans.
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
    return app
