"""Mount point of this dialect. Everything it serves lives under /kickserv/{slug}."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount

from rolodex.runtime import Runtime

PREFIX = "/kickserv/{slug}"


def mount(runtime: Runtime) -> BaseRoute:
    return Mount(PREFIX, routes=[])
