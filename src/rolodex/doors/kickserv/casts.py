"""Values cast the way Rails casts request parameters: `"61"` is 61 for an integer, `"true"`
and `"1"` are true, a number sent for a text field is its text. Each cast returns the value or
raises ValueError with the message a 422 shows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

_TRUE = {"true", "t", "1", "yes", "on"}
_FALSE = {"false", "f", "0", "no", "off"}


def text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ValueError("must be a string")


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError("must be true or false")


def digits(value: str) -> bool:
    """ASCII digits only: str.isdigit() also takes "²", which int() refuses."""
    return value.isascii() and value.isdigit()


def integer(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and digits(value.strip().removeprefix("-")):
        number = int(value.strip())
    else:
        raise ValueError("must be an integer")
    if not -(2**31) <= number < 2**31:
        raise ValueError("is out of range")
    return number


def scalar(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise ValueError("must be a single value, not a list or an object")


def parse_datetime(value: Any) -> datetime | None:
    """ISO 8601, with or without an offset (UTC when none), or a bare date (its midnight UTC)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date-time")
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError("must be an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_date(value: Any) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("must be a date, YYYY-MM-DD")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError("must be a date, YYYY-MM-DD") from None
