"""Domain errors: a stable code, a message and, where one field is to blame, its name.

They never pick an HTTP status: each door's error table maps them to its vendor's status and
body.
"""

from __future__ import annotations


class DomainError(Exception):
    code = "error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    code = "not_found"

    def __init__(self, entity: str, ident: object) -> None:
        super().__init__(f"No {entity} with id {ident}.")
        self.entity = entity
        self.ident = ident


class ValidationFailed(DomainError):
    """One or more fields are wrong. `errors` keeps every (field, message) pair found."""

    code = "invalid"

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        field, message = errors[0]
        super().__init__(f"{field}: {message}" if field else message, field=field or None)
        self.errors = errors

    @classmethod
    def one(cls, field: str, message: str) -> ValidationFailed:
        return cls([(field, message)])


class InvalidQuery(DomainError):
    """A list's query is unusable: an unknown sort, a foreign cursor, a page size out of
    range, a filter value of the wrong type."""

    code = "invalid_parameter"


class MalformedRequest(DomainError):
    """The request cannot be read at all: a body too large, not JSON, or not the shape the
    route takes (an object, an array, a wrapper), a query parameter of the wrong type."""

    code = "malformed_request"


class Conflict(DomainError):
    code = "conflict"


class PreconditionFailed(DomainError):
    code = "precondition_failed"

    def __init__(self, message: str = "The resource has changed since it was read.") -> None:
        super().__init__(message)


class AuthenticationFailed(DomainError):
    code = "unauthenticated"


class Busy(DomainError):
    """The database could not take this write in time: SQLite's one write lock stayed with
    another writer (a large import, say) past the busy timeout. Nothing was written."""

    code = "busy"
    retry_after = 5  # seconds

    def __init__(self) -> None:
        super().__init__(
            "The database is busy with another write (a large import?); nothing was written. "
            "Retry in a few seconds."
        )


class NotConfigured(DomainError):
    """The server lacks a setting this request needs (the secret key that encrypts webhook
    secrets, on PostgreSQL). Nothing was written; the operator has to set it."""

    code = "not_configured"
