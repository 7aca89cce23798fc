"""Query-string and body-value parsing for the native API. A value of the wrong shape in the
query is a 400 naming the parameter."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from rolodex.domain.fields import Field
from rolodex.doors.native.errors import InvalidParameter
from rolodex.errors import ValidationFailed

TRUE = {"true", "1", "yes"}
FALSE = {"false", "0", "no"}


def q_int(query: Mapping[str, str], name: str, *, bits: int = 32) -> int | None:
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        raise InvalidParameter(f"{name} must be an integer.", field=name) from None
    if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
        raise InvalidParameter(f"{name} is out of range.", field=name)
    return value


def q_bool(query: Mapping[str, str], name: str) -> bool | None:
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    lowered = raw.lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise InvalidParameter(f"{name} must be true or false.", field=name)


def parse_datetime(raw: str) -> datetime:
    text = raw.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def q_datetime(query: Mapping[str, str], name: str) -> datetime | None:
    raw = query.get(name)
    if raw is None or raw == "":
        return None
    try:
        return parse_datetime(raw)
    except ValueError:
        raise InvalidParameter(
            f"{name} must be an ISO 8601 date or date-time, e.g. 2026-01-31T12:00:00Z.", field=name
        ) from None


def q_str(query: Mapping[str, str], name: str, max_length: int = 200) -> str | None:
    raw = query.get(name)
    if raw is None:
        return None
    if len(raw) > max_length:
        raise InvalidParameter(f"{name} must be at most {max_length} characters.", field=name)
    return raw


def body_fields(
    body: Mapping[str, Any], spec: Mapping[str, Field], skip: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The body's plain fields, with JSON strings turned into dates and date-times where the
    field wants one. Unknown keys are left in for the domain to refuse by name."""
    out: dict[str, Any] = {}
    for key, value in body.items():
        if key in skip:
            continue
        field = spec.get(key)
        if field is not None and isinstance(value, str) and field.kind in ("date", "datetime"):
            try:
                value = date.fromisoformat(value) if field.kind == "date" else parse_datetime(value)
            except ValueError:
                kind = "date, YYYY-MM-DD" if field.kind == "date" else "ISO 8601 date-time"
                raise ValidationFailed.one(key, f"must be a {kind}") from None
        out[key] = value
    return out
