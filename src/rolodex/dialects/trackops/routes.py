"""Mount point of this dialect. Everything it serves lives under /trackops/api/v1."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount

from rolodex.runtime import Runtime

PREFIX = "/trackops/api/v1"


def mount(runtime: Runtime) -> BaseRoute:
    return Mount(PREFIX, routes=[])
