"""Mount the native API's resources (its OpenAPI document and docs page are served by
rolodex.apidocs)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from rolodex.dialects.native.http import endpoint
from rolodex.dialects.native.resources import ROUTES
from rolodex.runtime import Runtime

Asgi = Callable[[Request], Awaitable[Response]]


def _typed(path: str) -> str:
    """/clients/{client_id} -> /clients/{client_id:int}: a non-numeric id never matches."""
    parts = []
    for part in path.split("/"):
        if part.startswith("{") and part.endswith("}"):
            part = "{" + part[1:-1] + ":int}"
        parts.append(part)
    return "/".join(parts)


def routes(runtime: Runtime) -> list[BaseRoute]:
    grouped: dict[str, dict[str, Asgi]] = {}
    for spec in ROUTES:
        handler = endpoint(runtime, spec.handler, write=spec.write, body=spec.body)
        grouped.setdefault(spec.path, {})[spec.method] = handler

    out: list[BaseRoute] = []
    for path, methods in grouped.items():
        out.append(Route(_typed(path), _dispatch(methods), methods=list(methods)))

    return out


def _dispatch(methods: dict[str, Asgi]) -> Asgi:
    if len(methods) == 1:
        return next(iter(methods.values()))

    async def by_method(request: Request) -> Response:
        handler = methods.get(request.method) or methods["GET"]  # HEAD is answered as GET
        return await handler(request)

    return by_method
