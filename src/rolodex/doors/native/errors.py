"""The native API's error table: every DomainError becomes
`{"error": {"code", "message", "field"}}` with one HTTP status."""

from __future__ import annotations

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
    NotConfigured,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)

InvalidParameter = InvalidQuery


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"

    def __init__(self) -> None:
        super().__init__(
            "This Idempotency-Key was already used with a different request.",
            field="Idempotency-Key",
        )


STATUS: list[tuple[type[DomainError], int, str]] = [
    (MalformedRequest, 400, "malformed_request"),
    (InvalidParameter, 400, "invalid_parameter"),
    (AuthenticationFailed, 401, "unauthenticated"),
    (NotFound, 404, "not_found"),
    (Conflict, 409, "conflict"),
    (PreconditionFailed, 412, "precondition_failed"),
    (ValidationFailed, 422, "validation_failed"),
    (IdempotencyKeyReused, 422, "idempotency_key_reused"),
    (Busy, 503, "busy"),
    (NotConfigured, 503, "not_configured"),
]


def error_body(
    code: str, message: str, field: str | None = None, details: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message, "field": field}
    if details:
        error["details"] = details
    return {"error": error}


def error_response(
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    details: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    return Response(
        orjson.dumps(error_body(code, message, field, details)),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def render(exc: DomainError) -> Response:
    for cls, status, code in STATUS:
        if isinstance(exc, cls):
            headers = {"WWW-Authenticate": 'Bearer realm="rolodex"'} if status == 401 else None
            headers = {**(headers or {}), **headers_for(exc)} or None
            details = None
            if isinstance(exc, ValidationFailed):
                details = [{"field": f, "message": m} for f, m in exc.errors]
            return error_response(status, code, exc.message, exc.field, details, headers)
    return error_response(400, exc.code, exc.message, exc.field)
