"""Ticket Evolution's error table: each DomainError becomes the status and body the vendor
answers with.

- 401 `{"error": "Your signature is incorrect. ..."}` (recorded by the vendor's SDK fixtures)
- 404 `{"message": "Couldn't find Client with ID=7", "error": "Not Found"}` (recorded)
- 422: the request's own wrapper (or the bare object on an update) with Rails-style
  per-record `"errors": {"field": ["message", ...]}`; built by the handler that knows the
  wrapper, and carried here by `Unprocessable`.
- 400 `{"error": "..."}` for a request that cannot be read at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from starlette.responses import Response

from rolodex.doors.statuses import headers_for, http_status
from rolodex.doors.tevo.wire import CLASS_NAMES
from rolodex.errors import AuthenticationFailed, DomainError, NotFound, ValidationFailed

SIGNATURE_INCORRECT = "Your signature is incorrect. Please ensure you are generating it correctly"
UNAUTHORIZED = "Unauthorized"
JSON = "application/json"


class SignatureIncorrect(AuthenticationFailed):
    def __init__(self) -> None:
        super().__init__(SIGNATURE_INCORRECT)


class NoRoute(DomainError):
    code = "no_route"

    def __init__(self, method: str, path: str) -> None:
        super().__init__(f'No route matches [{method}] "{path}"')


class Unprocessable(DomainError):
    """A refused write, with the vendor's body for it already built (the records as sent or
    as they stand, each carrying its `errors`)."""

    code = "unprocessable"

    def __init__(self, body: Any) -> None:
        super().__init__("Unprocessable Entity")
        self.body = body


def respond(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type=JSON, headers=headers)


def not_found_body(entity: str, ident: object) -> dict[str, str]:
    name = CLASS_NAMES.get(entity) or entity.title().replace(" ", "")
    return {"message": f"Couldn't find {name} with ID={ident}", "error": "Not Found"}


def render(exc: DomainError) -> Response:
    if isinstance(exc, Unprocessable):
        return respond(422, exc.body)
    if isinstance(exc, NotFound):
        return respond(404, not_found_body(exc.entity, exc.ident))
    if isinstance(exc, NoRoute):
        return respond(404, {"message": exc.message, "error": "Not Found"})
    if isinstance(exc, ValidationFailed):
        # Handlers wrap validation errors in their record's shape; this is the fallback.
        return respond(422, {"errors": rails_errors(exc.errors)})
    return respond(http_status(exc), {"error": exc.message}, headers_for(exc))


_TOO_LONG = re.compile(r"^must be at most (\d+) characters$")
_BLANK = frozenset({"is required", "must not be blank", "must not be null"})


def rails_message(message: str) -> str:
    """The shared rules' wording, in the Rails phrasing the vendor's errors use where one
    exists ("can't be blank", "is too long (maximum is 20 characters)")."""
    if message in _BLANK:
        return "can't be blank"
    long = _TOO_LONG.match(message)
    if long:
        return f"is too long (maximum is {long.group(1)} characters)"
    return message


def wire_field(
    field: str, renames: Mapping[str, str], nested: Mapping[str, Mapping[str, str]]
) -> str:
    """A domain field name (possibly `association.field`) as the wire names it."""
    head, dot, tail = field.partition(".")
    if dot and head in nested:
        return f"{head}.{nested[head].get(tail, tail)}"
    return renames.get(field, field)


def rails_errors(
    errors: Iterable[tuple[str, str]],
    renames: Mapping[str, str] | None = None,
    nested: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, list[str]]:
    """(field, message) pairs -> `{"field": ["message", ...]}` in wire names."""
    out: dict[str, list[str]] = {}
    for field, message in errors:
        name = wire_field(field or "base", renames or {}, nested or {})
        text = rails_message(message)
        messages = out.setdefault(name, [])
        if text not in messages:
            messages.append(text)
    return out
