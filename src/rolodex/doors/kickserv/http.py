"""What the Kickserv door plugs into the door spine (rolodex.doors.spine): HTTP Basic on a
URL naming the account's slug, a body that may be empty (`{}`), Rails' answer (a 404) to any
path or verb it has no route for, and 32-bit customer and job numbers."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from rolodex.doors import spine
from rolodex.doors.kickserv import auth, errors
from rolodex.doors.spine import Reply, Spec
from rolodex.errors import DomainError

# Customer and job numbers are 32-bit; note and payment ids 64-bit. A larger number in a path
# names nothing.
NUMBER_MAX = 2**31

__all__ = ["Call", "Kickserv", "Reply"]


@dataclass
class Call(spine.Call[QueryParams]):
    @property
    def slug(self) -> str:
        return str(self.path["slug"])

    def number(self, name: str, entity: str) -> int:
        """A customer or job number from the path."""
        return self.ident(name, entity, NUMBER_MAX)


class Kickserv(spine.Door[Spec]):
    name = "kickserv"
    body_rules = spine.JsonBody(if_empty=dict, say_why=False, wrapped=True)
    media_type = errors.JSON

    def authenticate(self, request: Request, spec: Spec, raw: bytes) -> Awaitable[int]:
        return auth.authenticate(self.runtime, request)

    def call(self, request: Request, account_id: int, body: Any) -> Call:
        return Call(account_id, request.path_params, request.query_params, body)

    def render_error(self, exc: DomainError, spec: Spec) -> Response:
        return errors.render(exc)

    def no_route(self, request: Request) -> Response:
        """Rails' answer to a path or verb it has no route for."""
        message = f'No route matches [{request.method}] "{request.url.path}"'
        return errors.json_response(errors.errors_body([(None, message)]), 404)
