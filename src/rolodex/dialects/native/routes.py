"""Mount the native API's resources (its OpenAPI document and docs page are served by
rolodex.apidocs)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from rolodex.dialects import spine
from rolodex.dialects.native.http import Native
from rolodex.dialects.native.resources import ROUTES
from rolodex.runtime import Runtime

TABLE = spine.by_path((route.method, route.path, route) for route in ROUTES)


def routes(runtime: Runtime) -> list[BaseRoute]:
    return Native(runtime).routes(TABLE)
