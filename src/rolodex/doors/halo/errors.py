"""The HaloPSA door's error table.

Halo does not document its error bodies, so this door answers every error in the shape its
own token endpoint must use (RFC 6749 section 5.2), extended with the field to blame:

    {"error": "<code>", "error_description": "<what went wrong>", "field": "<name>" | null}

and, when several fields failed, `"details": [{"field", "message"}, ...]`. Field names are
Halo's (`accountsemailaddress`, not `invoice_email`), prefixed with the element's index in an
array body (`[1].name`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import orjson
from starlette.responses import Response

from rolodex.doors.statuses import headers_for
from rolodex.errors import (
    AuthenticationFailed,
    Busy,
    Conflict,
    DomainError,
    InvalidQuery,
    MalformedRequest,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)


class InsufficientScope(DomainError):
    code = "insufficient_scope"


class MethodNotAllowed(DomainError):
    code = "method_not_allowed"


class NoRoute(DomainError):
    code = "not_found"


class OAuthError(DomainError):
    """An error of the token endpoint, with its RFC 6749 code and status."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


STATUS: list[tuple[type[DomainError], int, str]] = [
    (MalformedRequest, 400, "bad_request"),
    (InvalidQuery, 400, "invalid_parameter"),
    (ValidationFailed, 400, "invalid_field"),
    (AuthenticationFailed, 401, "unauthorized"),
    (InsufficientScope, 403, "insufficient_scope"),
    (NotFound, 404, "not_found"),
    (NoRoute, 404, "not_found"),
    (MethodNotAllowed, 405, "method_not_allowed"),
    (Conflict, 409, "conflict"),
    (PreconditionFailed, 412, "precondition_failed"),
    (Busy, 503, "busy"),
]

JSON = "application/json"


def error_response(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    details: list[dict[str, str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {"error": code, "error_description": message, "field": field}
    if details:
        body["details"] = details
    return Response(orjson.dumps(body), status_code=status, media_type=JSON, headers=headers)


def render(exc: DomainError) -> Response:
    if isinstance(exc, OAuthError):
        oauth_headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
        if exc.status == 401:
            oauth_headers["WWW-Authenticate"] = 'Basic realm="halo"'
        return Response(
            orjson.dumps({"error": exc.code, "error_description": exc.message}),
            status_code=exc.status,
            media_type=JSON,
            headers=oauth_headers,
        )
    for cls, status, code in STATUS:
        if isinstance(exc, cls):
            headers: dict[str, str] | None = None
            if status == 401:
                headers = {"WWW-Authenticate": 'Bearer realm="halo", error="invalid_token"'}
            elif status == 403:
                headers = {"WWW-Authenticate": 'Bearer realm="halo", error="insufficient_scope"'}
            headers = {**(headers or {}), **headers_for(exc)} or None
            details = None
            if isinstance(exc, ValidationFailed) and len(exc.errors) > 1:
                details = [{"field": f, "message": m} for f, m in exc.errors]
            return error_response(status, code, exc.message, exc.field, details, headers)
    return error_response(400, exc.code, exc.message, exc.field)


@contextmanager
def halo_names(names: Mapping[str, str], prefix: str = "") -> Iterator[None]:
    """Re-raise a ValidationFailed (or a Conflict naming a field) with Halo's field names,
    prefixed with where in the body the failing object is (e.g. `[2].`)."""
    try:
        yield
    except ValidationFailed as exc:
        raise ValidationFailed(
            [
                (prefix + names.get(field, field) if field else prefix.rstrip("."), message)
                for field, message in exc.errors
            ]
        ) from None
    except Conflict as exc:
        if exc.field:
            raise Conflict(exc.message, field=prefix + names.get(exc.field, exc.field)) from None
        raise
