"""Kickserv's error table: every DomainError becomes a status and a Rails-style body,
`{"errors": {"<field>": ["<message>", ...]}}`, keyed by the wire field to blame or by `base`
when no one field is; in XML (a `.xml` path), Rails' `errors.to_xml`, the same errors as full
messages: `<errors><error>Name can't be blank</error></errors>`, with the same status. A bad
credential is Kickserv's own plain-text 401 (labelled XML on a `.xml` path, as Kickserv labels
it there).
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from rolodex.doors.kickserv import xml_render
from rolodex.doors.statuses import headers_for, http_status
from rolodex.errors import AuthenticationFailed, DomainError, NotFound, ValidationFailed

JSON = "application/json; charset=utf-8"
ACCESS_DENIED = "HTTP Basic: Access denied.\n"
CHALLENGE = 'Basic realm="Application"'
BASE = "base"


# Rolodex's words for "missing" become Rails' words, which a Kickserv client may match on.
_RAILS_MESSAGES = {
    "is required": "can't be blank",
    "must not be blank": "can't be blank",
    "must not be null": "can't be blank",
}
# NotFound names a shared-model entity; the body names the Kickserv one.
_ENTITIES = {"client": "customer", "customer": "customer", "job": "job", "note": "note"}


Errors = list[tuple[str | None, str]]


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type=JSON, headers=headers)


def xml_response(errors: Errors, status: int, headers: dict[str, str] | None = None) -> Response:
    body = xml_render.errors([full_message(f, m) for f, m in errors])
    return Response(body, status_code=status, media_type=xml_render.XML, headers=headers)


def full_message(field: str | None, message: str) -> str:
    """Rails' full message: the humanized attribute, then the message (`Service zip code must
    be ...`); an error of no one field is its message alone."""
    message = _RAILS_MESSAGES.get(message, message)
    if not field or field == BASE:
        return message
    words = (field.removesuffix("_id") or field).replace("_", " ").strip() or field
    return f"{words[0].upper()}{words[1:]} {message}"


def errors_body(errors: Errors) -> dict[str, Any]:
    grouped: dict[str, list[str]] = {}
    for field, message in errors:
        grouped.setdefault(field or BASE, []).append(_RAILS_MESSAGES.get(message, message))
    return {"errors": grouped}


def access_denied(*, xml: bool = False) -> Response:
    return Response(
        ACCESS_DENIED,
        status_code=401,
        media_type=xml_render.XML if xml else "text/plain; charset=utf-8",
        headers={"WWW-Authenticate": CHALLENGE},
    )


def not_found_message(entity: str) -> str:
    return f"Invalid {_ENTITIES.get(entity, entity)}."


def render(exc: DomainError, *, xml: bool = False) -> Response:
    if isinstance(exc, AuthenticationFailed):
        return access_denied(xml=xml)
    errors: Errors
    headers = None
    if isinstance(exc, NotFound):
        status, errors = 404, [(None, not_found_message(exc.entity))]
    elif isinstance(exc, ValidationFailed):
        status, errors = 422, list(exc.errors)
    else:
        # Anything else is 422, Rails' answer to a record it would not save.
        status, errors = http_status(exc, otherwise=422), [(exc.field, exc.message)]
        headers = headers_for(exc)
    if xml:
        return xml_response(errors, status, headers)
    return json_response(errors_body(errors), status, headers)
