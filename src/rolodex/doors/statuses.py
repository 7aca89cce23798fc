"""The HTTP status each shared DomainError answers with, where a door follows HTTP's own
conventions (Trackops, Ticket Evolution and Kickserv do). Domain errors name no status
(rolodex.errors); each door's error module picks one, from here or from a table of its own where
the vendor differs (HaloPSA answers a failed validation with 400) or where the door also names a
code per status (native, HaloPSA)."""

from __future__ import annotations

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

HTTP_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (MalformedRequest, 400),
    (InvalidQuery, 400),
    (AuthenticationFailed, 401),
    (NotFound, 404),
    (Conflict, 409),
    (PreconditionFailed, 412),
    (ValidationFailed, 422),
    (Busy, 503),
)


def http_status(exc: DomainError, otherwise: int = 400) -> int:
    """The status `exc` answers with; `otherwise` for an error the table does not name (a door's
    own error class)."""
    return next((status for cls, status in HTTP_STATUS if isinstance(exc, cls)), otherwise)


def headers_for(exc: DomainError) -> dict[str, str]:
    """Headers an error answers with whatever the door: when to retry a busy database."""
    if isinstance(exc, Busy):
        return {"Retry-After": str(Busy.retry_after)}
    return {}
