"""The hot lane: the GETs served from stored client documents, routed before Starlette's
middleware and route scan.

Starlette matches a request against every route in turn, and every door's routes sit in one
app, so a GET of one client paid for about fourteen regular expressions, two mounts and the
request/response wrappers around the endpoint: a third of its time once the body itself is a
stored document. The lane knows only the few routes each door marks hot (`Door.hot`), matches
them first (one compiled expression each, with Starlette's own path convertors), and calls
the very endpoint Starlette would have called, so the answer is the same; every other request,
and every method but GET, goes through the router as before.

Before either, a request to a vendor's API host gets its door's prefix put into its path
(rolodex.doors.hosts), so the lane and the routes see it as they would at the prefixed path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import compile_path
from starlette.types import Receive, Scope, Send

from rolodex.doors.hosts import VendorHosts
from rolodex.doors.spine import Asgi, Door


@dataclass(frozen=True)
class _Hot:
    prefix: str
    regex: re.Pattern[str]
    convertors: dict[str, Any]
    endpoint: Asgi
    fold: Callable[[str], str] | None  # how the door's router normalises the rest of the path


class Lane:
    def __init__(self) -> None:
        self.routes: list[_Hot] = []

    def add(self, prefix: str, door: Door[Any], fold: Callable[[str], str] | None = None) -> None:
        """The door's hot routes, as mounted under `prefix` (which may hold a parameter)."""
        for path, endpoint in door.hot_routes:
            regex, _format, convertors = compile_path(prefix + path)
            literal = prefix.split("{", 1)[0]
            self.routes.append(_Hot(literal, regex, convertors, endpoint, fold))

    def match(self, path: str) -> tuple[Asgi, dict[str, Any]] | None:
        for hot in self.routes:
            if not path.startswith(hot.prefix):
                continue
            candidate = path
            if hot.fold is not None:
                cut = len(hot.prefix)
                candidate = path[:cut] + hot.fold(path[cut:])
            found = hot.regex.match(candidate)
            if found is not None:
                params = {
                    key: hot.convertors[key].convert(value)
                    for key, value in found.groupdict().items()
                }
                return hot.endpoint, params
        return None


class LaneApp(Starlette):
    """A Starlette application that answers the hot lane's GETs itself, before its middleware
    and router: an endpoint of the lane already renders every error it knows in its door's
    shape, so the wrappers around Starlette's routing only cost time. An unexpected exception
    is answered as the app's handler for `Exception` answers it (logged, a 500). Everything
    else goes through Starlette as usual. A request to a vendor host (`hosts`) is first given
    its door's prefix, so that both see it as at the prefixed path."""

    def __init__(self, lane: Lane, hosts: VendorHosts | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lane = lane
        self.hosts = hosts or None  # None when it maps no host: nothing to look up

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        if self.hosts is not None:
            self.hosts.route(scope)
        if scope["method"] == "GET":
            hit = self.lane.match(scope["path"])
            if hit is not None:
                endpoint, params = hit
                scope["app"] = self
                scope["path_params"] = params
                request = Request(scope, receive, send)
                try:
                    response = await endpoint(request)
                except Exception as exc:
                    handler = self.exception_handlers.get(Exception)
                    if handler is None:
                        raise
                    response = await handler(request, exc)
                await response(scope, receive, send)
                return
        await super().__call__(scope, receive, send)
