"""The Trackops door's error table. Trackops does not document its errors, so they follow the
shape its own JSON has: snake_case keys, a `message` for people and, when fields are to blame,
`errors` mapping each wire field name to its messages.

    401 {"message": ...} with WWW-Authenticate: Basic
    404 {"message": "No client with id 7."}
    422 {"message": ..., "errors": {"primary_location.state": ["must be a 2-character ..."]}}
    400 {"message": ..., "errors": {"per_page": [...]}} for a query parameter; no `errors`
        when the body cannot be read at all
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from starlette.responses import Response

from rolodex.doors.statuses import headers_for, http_status
from rolodex.errors import DomainError, InvalidQuery, ValidationFailed

JSON = "application/json"
CHALLENGE = 'Basic realm="Trackops API", charset="UTF-8"'


def response(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type=JSON, headers=headers)


def _errors(pairs: list[tuple[str, str]], rename: Callable[[str], str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, message in pairs:
        out.setdefault(rename(name) if name else "base", []).append(message)
    return out


def render(exc: DomainError, rename: Callable[[str], str] = str) -> Response:
    status = http_status(exc)
    headers = {"WWW-Authenticate": CHALLENGE} if status == 401 else None
    if isinstance(exc, ValidationFailed):
        errors = _errors(exc.errors, rename)
        first, messages = next(iter(errors.items()))
        return response(
            status,
            {"message": f"Validation failed: {first} {messages[0]}.", "errors": errors},
        )
    body: dict[str, Any] = {"message": exc.message}
    if isinstance(exc, InvalidQuery) and exc.field:
        body["errors"] = {exc.field: [exc.message.removeprefix(exc.field + " ").rstrip(".")]}
    return response(status, body, {**(headers or {}), **headers_for(exc)} or None)
