"""What the HaloPSA door plugs into the door spine (rolodex.doors.spine): bearer tokens
scoped per endpoint, query strings read the way Halo reads them (params.Query), JSON array
bodies, and a 405 with Allow for a method a path does not serve."""

from __future__ import annotations

from collections.abc import Awaitable, Collection
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from rolodex.doors import edge, spine
from rolodex.doors.halo import auth
from rolodex.doors.halo.errors import MethodNotAllowed, NoRoute, render
from rolodex.doors.halo.params import Query
from rolodex.doors.halo.wire import CUSTOMERS
from rolodex.doors.spine import Handler, Reply
from rolodex.errors import DomainError, MalformedRequest

MAX_BODY_BYTES = 8 * 1024 * 1024
CLIENTS = (CUSTOMERS,)

__all__ = ["Call", "Halo", "Reply", "Spec"]


@dataclass(frozen=True)
class Spec:
    """One method of a path: its handler, the scopes a token needs for it, and, for a write,
    what its JSON array body holds (None: no body)."""

    handler: Handler
    scopes: tuple[str, ...] = CLIENTS
    write: bool = False
    body: str | None = None


@dataclass
class Call(spine.Call[Query]):
    def path_id(self, entity: str, name: str = "id") -> int:
        return self.ident(name, entity)


class Halo(spine.Door[Spec]):
    name = "halo"

    def authenticate(self, request: Request, spec: Spec, raw: bytes) -> Awaitable[int]:
        return auth.authenticate(self.runtime, request, spec.scopes, write=spec.write)

    def read_body(self, raw: bytes, request: Request, spec: Spec) -> list[dict[str, Any]]:
        """A JSON array of `spec.body` objects, as every Halo write takes."""
        what = spec.body
        spine.check_size(raw, MAX_BODY_BYTES)
        if not raw.strip():
            raise MalformedRequest(f"The request needs a JSON array of {what} objects.")
        content_type = request.headers.get("content-type", spine.JSON).lower()
        if "json" not in content_type:
            raise MalformedRequest(
                f"Send the body as application/json (a JSON array of {what} objects), "
                f"not {content_type}."
            )
        body = spine.parse(raw)
        if not isinstance(body, list):
            raise MalformedRequest(
                f"The body must be a JSON array of {what} objects, like [{{...}}]."
            )
        if not body:
            raise MalformedRequest(f"The body is an empty array; send at least one {what} object.")
        for index, item in enumerate(body):
            if not isinstance(item, dict):
                raise MalformedRequest(
                    f"Element {index} of the body is not a JSON object.", field=f"[{index}]"
                )
        edge.check_json(raw, body)
        return body

    def call(self, request: Request, account_id: int, body: Any) -> Call:
        return Call(account_id, request.path_params, Query(request.query_params), body)

    def render_error(self, exc: DomainError, spec: Spec) -> Response:
        return render(exc)

    def no_route(self, request: Request) -> Response:
        return render(NoRoute(f"No route for {request.url.path}."))

    def not_allowed(self, request: Request, methods: Collection[str]) -> Response:
        allowed = ", ".join(sorted(methods))
        response = render(
            MethodNotAllowed(
                f"{request.method} is not allowed on {request.url.path}; use {allowed}."
            )
        )
        response.headers["Allow"] = allowed
        return response
