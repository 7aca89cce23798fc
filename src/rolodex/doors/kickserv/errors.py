"""Kickserv's error table: every DomainError becomes a status and a Rails-style body,
`{"errors": {"<field>": ["<message>", ...]}}`, keyed by the wire field to blame or by `base`
when no one field is. A bad credential is Kickserv's own plain-text 401.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

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


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type=JSON, headers=headers)


def errors_body(errors: list[tuple[str | None, str]]) -> dict[str, Any]:
    grouped: dict[str, list[str]] = {}
    for field, message in errors:
        grouped.setdefault(field or BASE, []).append(_RAILS_MESSAGES.get(message, message))
    return {"errors": grouped}


def access_denied() -> Response:
    return Response(
        ACCESS_DENIED,
        status_code=401,
        media_type="text/plain; charset=utf-8",
        headers={"WWW-Authenticate": CHALLENGE},
    )


def not_found_message(entity: str) -> str:
    return f"Invalid {_ENTITIES.get(entity, entity)}."


def render(exc: DomainError) -> Response:
    if isinstance(exc, AuthenticationFailed):
        return access_denied()
    if isinstance(exc, NotFound):
        return json_response(errors_body([(None, not_found_message(exc.entity))]), 404)
    if isinstance(exc, ValidationFailed):
        return json_response(errors_body(list(exc.errors)), 422)
    # Anything else is 422, Rails' answer to a record it would not save.
    status = http_status(exc, otherwise=422)
    return json_response(errors_body([(exc.field, exc.message)]), status, headers_for(exc))
