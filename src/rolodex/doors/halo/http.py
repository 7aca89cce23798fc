"""What the HaloPSA door plugs into the door spine (rolodex.doors.spine): bearer tokens
scoped per endpoint, query strings read the way Halo reads them (params.Query), JSON bodies
bound the way Halo binds them (an array of objects, or one bare object; values read by
binding.py), and a 405 with Allow for a method a path does not serve."""

from __future__ import annotations

from collections.abc import Awaitable, Collection
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from rolodex.doors import edge, hosts, spine
from rolodex.doors.halo import auth
from rolodex.doors.halo.binding import bind_elements
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
    the Halo schema its body's objects are (None: no body)."""

    handler: Handler
    scopes: tuple[str, ...] = CLIENTS
    write: bool = False
    body: str | None = None


@dataclass
class Call(spine.Call[Query]):
    # The body was one bare object rather than an array: its fields are named without an
    # element's position, and the answer is that one object.
    bare: bool = False

    def path_id(self, entity: str, name: str = "id") -> int:
        return self.ident(name, entity)

    def at(self, index: int) -> str:
        """How errors name the fields of the body's element `index`: `[2].`, or nothing for a
        bare object."""
        return element_prefix(self.bare, index)


def element_prefix(bare: bool, index: int) -> str:
    return "" if bare else f"[{index}]."


@dataclass(frozen=True)
class Body:
    """A write's body as read: its objects, and whether it was one bare object."""

    elements: list[dict[str, Any]]
    bare: bool


class Halo(spine.Door[Spec]):
    name = "halo"

    def authenticate(self, request: Request, spec: Spec, raw: bytes) -> Awaitable[int]:
        return auth.authenticate(self.runtime, request, spec.scopes, write=spec.write)

    def read_body(self, raw: bytes, request: Request, spec: Spec) -> Body:
        """A JSON array of `spec.body` objects, as Halo documents every write, or one bare
        object, which Halo's server takes as an array of that one; each bound as Halo binds
        it (binding.py)."""
        what = spec.body or "JSON"
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
        if isinstance(body, dict):
            read = Body([body], bare=True)
        elif not isinstance(body, list):
            raise MalformedRequest(
                f"The body must be a JSON array of {what} objects, like [{{...}}], "
                f"or one {what} object."
            )
        elif not body:
            raise MalformedRequest(f"The body is an empty array; send at least one {what} object.")
        else:
            for index, item in enumerate(body):
                if not isinstance(item, dict):
                    raise MalformedRequest(
                        f"Element {index} of the body is not a JSON object.", field=f"[{index}]"
                    )
            read = Body(body, bare=False)
        edge.check_json(raw, body)
        bind_elements(what, read.elements, lambda index: element_prefix(read.bare, index))
        return read

    def call(self, request: Request, account_id: int, body: Body | None) -> Call:
        query = Query(request.query_params)
        if body is None:
            return Call(account_id, request.path_params, query, None)
        return Call(account_id, request.path_params, query, body.elements, bare=body.bare)

    def render_error(self, exc: DomainError, spec: Spec) -> Response:
        return render(exc)

    def no_route(self, request: Request) -> Response:
        return render(
            NoRoute(f"No route for {hosts.as_addressed(request.scope, request.url.path)}.")
        )

    def not_allowed(self, request: Request, methods: Collection[str]) -> Response:
        allowed = ", ".join(sorted(methods))
        response = render(
            MethodNotAllowed(
                f"{request.method} is not allowed on "
                f"{hosts.as_addressed(request.scope, request.url.path)}; use {allowed}."
            )
        )
        response.headers["Allow"] = allowed
        return response
