"""Mount point of this dialect. Everything it serves lives under /halo."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount

from rolodex.runtime import Runtime

PREFIX = "/halo"


def mount(runtime: Runtime) -> BaseRoute:
    return Mount(PREFIX, routes=[])
