"""What the Kickserv door plugs into the door spine (rolodex.doors.spine): HTTP Basic on a
URL naming the account's slug, a body that may be empty (`{}`), Rails' answer (a 404) to any
path or verb it has no route for, and 32-bit customer and job numbers.

Every path is served twice, as Kickserv serves it: `.json` (its v2 API) and `.xml` (its v1
API, which public clients speak). An `.xml` route is an XmlSpec: it answers and refuses in
XML. As in Rails, a body is read by its Content-Type, whatever the path's format: XML when
the type says XML (or, on an `.xml` path, says neither XML nor JSON), JSON otherwise, into the
same params, so both meet the same casts and rules."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from rolodex.doors import hosts, spine
from rolodex.doors.kickserv import auth, errors, xml_bodies
from rolodex.doors.spine import Reply, Spec
from rolodex.errors import DomainError

# Customer and job numbers are 32-bit; note and payment ids 64-bit. A larger number in a path
# names nothing.
NUMBER_MAX = 2**31

__all__ = ["Call", "Kickserv", "Reply", "XmlSpec"]


@dataclass
class Call(spine.Call[QueryParams]):
    @property
    def slug(self) -> str:
        return str(self.path["slug"])

    def number(self, name: str, entity: str) -> int:
        """A customer or job number from the path."""
        return self.ident(name, entity, NUMBER_MAX)


@dataclass(frozen=True)
class XmlSpec(Spec):
    """An `.xml` route: its handler answers an XmlReply (rolodex.doors.kickserv.xml_render)."""


def _reads_xml(content_type: str, xml_route: bool) -> bool:
    kind = content_type.lower()
    return "xml" in kind or (xml_route and "json" not in kind)


class Kickserv(spine.Door[Spec]):
    name = "kickserv"
    body_rules = spine.JsonBody(if_empty=dict, say_why=False, wrapped=True)
    media_type = errors.JSON

    def authenticate(self, request: Request, spec: Spec, raw: bytes) -> Awaitable[int]:
        return auth.authenticate(self.runtime, request)

    def read_body(self, raw: bytes, request: Request, spec: Spec) -> Any:
        content_type = request.headers.get("content-type", "")
        if _reads_xml(content_type, isinstance(spec, XmlSpec)):
            return xml_bodies.read(raw, self.body_rules.max_bytes)
        return self.body_rules.read(raw, request)

    def call(self, request: Request, account_id: int, body: Any) -> Call:
        return Call(account_id, request.path_params, request.query_params, body)

    def render_error(self, exc: DomainError, spec: Spec) -> Response:
        return errors.render(exc, xml=isinstance(spec, XmlSpec))

    def no_route(self, request: Request) -> Response:
        """Rails' answer to a path or verb it has no route for (in XML for an `.xml` path)."""
        path = hosts.as_addressed(request.scope, request.url.path)
        message = f'No route matches [{request.method}] "{path}"'
        if path.endswith(".xml"):
            return errors.xml_response([(None, message)], 404)
        return errors.json_response(errors.errors_body([(None, message)]), 404)
