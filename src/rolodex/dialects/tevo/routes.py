"""Mount point of this dialect. Everything it serves lives under /tevo/v9."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount

from rolodex.runtime import Runtime

PREFIX = "/tevo/v9"


def mount(runtime: Runtime) -> BaseRoute:
    return Mount(PREFIX, routes=[])
