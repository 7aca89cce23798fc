"""What the Trackops door plugs into the door spine (rolodex.doors.spine): HTTP Basic with
`{username}/token`, a JSON object body whatever Content-Type says (the SDK sends JSON), field
names in a validation error as the endpoint's body names them, a 405 with Allow for a method a
path does not serve, and an unexpected error answered in Trackops' shape."""

from __future__ import annotations

from collections.abc import Awaitable, Collection
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from rolodex.doors import hosts, spine
from rolodex.doors.spine import Reply
from rolodex.doors.trackops import auth, errors
from rolodex.doors.trackops.mapping import Rename
from rolodex.doors.trackops.wire import PREFIX
from rolodex.errors import DomainError

__all__ = ["Call", "Reply", "Spec", "Trackops"]


@dataclass(frozen=True)
class Spec(spine.Spec):
    # A write's body may name a field otherwise than the shared model, whose name a
    # validation error carries: this turns it into the body's name.
    rename: Rename = str


@dataclass
class Call(spine.Call[QueryParams]):
    # The API's base path as the client addresses it, for the Location of what it creates:
    # /trackops/api/v1, or /api/v1 on a Trackops host (rolodex.doors.hosts).
    base: str = PREFIX

    def path_id(self, entity: str) -> int:
        return self.ident("id", entity)


class Trackops(spine.Door[Spec]):
    name = "trackops"
    body_rules = spine.JsonBody(wrapped=True)

    def authenticate(self, request: Request, spec: Spec, raw: bytes) -> Awaitable[int]:
        return auth.authenticate(self.runtime, request)

    def call(self, request: Request, account_id: int, body: Any) -> Call:
        base = hosts.as_addressed(request.scope, PREFIX)
        return Call(account_id, request.path_params, request.query_params, body, base)

    def render_error(self, exc: DomainError, spec: Spec) -> Response:
        return errors.render(exc, spec.rename)

    def unhandled(self, request: Request) -> Response:
        return errors.response(500, {"message": "Something went wrong on our side."})

    def no_route(self, request: Request) -> Response:
        return errors.response(404, {"message": f"No route for {_sent(request)}."})

    def not_allowed(self, request: Request, methods: Collection[str]) -> Response:
        allowed = ", ".join(sorted({*methods, "HEAD"} if "GET" in methods else methods))
        return errors.response(
            405,
            {"message": f"{request.method} is not allowed on {_sent(request)}."},
            {"Allow": allowed},
        )

    def paths(self, path: str) -> tuple[str, ...]:
        return (path, path + "/")  # a trailing slash is accepted


def _sent(request: Request) -> str:
    """The path as the client sent it (without the prefix a Trackops host puts before it)."""
    return hosts.as_addressed(request.scope, request.url.path)
