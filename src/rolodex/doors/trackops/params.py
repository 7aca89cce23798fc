"""Trackops list queries: documented filters, `page`/`per_page`/`dir`, and `mode=count`.

Parameters a list does not document are ignored, as Trackops ignores them (the SDK's
`expand_field_values`, say). A documented one with a value of the wrong shape is a 400 naming
it. An empty value is the same as leaving the parameter out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from rolodex.errors import InvalidQuery

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100
_INT32 = 2**31
_INT64 = 2**63

# "YYYY-MM-DD", optionally with a time ("T" or a space between), fractions and an offset.
TIMESTAMP_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Filter:
    name: str  # the domain's criterion
    kind: str  # id, int, str, from, to


@dataclass(frozen=True)
class ListQuery:
    filters: dict[str, Any]
    page: int
    per_page: int
    descending: bool
    count_only: bool


def _times(prefix: str, name: str) -> dict[str, Filter]:
    return {
        f"{prefix}_from": Filter(f"{name}_gte", "from"),
        f"{prefix}_to": Filter(f"{name}_lte", "to"),
    }


TIME_FILTERS = {**_times("created", "created"), **_times("updated", "updated")}
CLIENT_FILTERS: dict[str, Filter] = {
    "id": Filter("id", "id"),
    "name": Filter("name", "str"),
    "account_code": Filter("account_code", "str"),
    "salesperson": Filter("salesperson_id", "int"),
    "case_manager": Filter("case_manager_id", "int"),
    **TIME_FILTERS,
}
LOCATION_FILTERS: dict[str, Filter] = {
    "id": Filter("id", "id"),
    "name": Filter("name", "str"),
    "parent": Filter("client_id", "id"),
    "salesperson": Filter("client_salesperson_id", "int"),
    **TIME_FILTERS,
}
CONTACT_FILTERS: dict[str, Filter] = {
    "id": Filter("id", "id"),
    "last_name": Filter("last_name", "str"),
    "first_name": Filter("first_name", "str"),
    "email": Filter("email", "str"),
    "client": Filter("client_id", "id"),
    "client_location": Filter("location_id", "id"),
    "role": Filter("role_id", "int"),
    "salesperson": Filter("salesperson_id", "int"),
    **TIME_FILTERS,
}


def _bad(name: str, message: str) -> InvalidQuery:
    return InvalidQuery(f"{name} {message}.", field=name)


def _int(name: str, raw: str, limit: int) -> int:
    text = raw.strip()
    if not re.fullmatch(r"-?\d{1,20}", text):
        raise _bad(name, "must be an integer")
    value = int(text)
    if not -limit <= value < limit:
        raise _bad(name, "is out of range")
    return value


def parse_timestamp(raw: str, *, end: bool = False) -> datetime:
    """A UTC instant from ISO 8601 or "YYYY-MM-DD HH:MM:SS" (no offset means UTC).

    With `end`, a value is taken as the end of the span it names, so that `*_to` keeps what
    happened during it: a date means its last microsecond, "…12:00:00" means up to
    12:00:00.999999. A record's own rendered time, sent back as `*_to`, thus still finds it.
    """
    match = TIMESTAMP_RE.match(raw.strip())
    if match is None:
        raise ValueError(raw)
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    tz = UTC
    if offset and offset.upper() != "Z":
        sign = -1 if offset[0] == "-" else 1
        digits = offset[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if hours > 23 or minutes > 59:
            raise ValueError(raw)
        tz = timezone(sign * timedelta(hours=hours, minutes=minutes))
    value = datetime(
        int(year),
        int(month),
        int(day),
        int(hour or 0),
        int(minute or 0),
        int(second or 0),
        micro,
        tzinfo=tz,
    ).astimezone(UTC)
    if end:
        if hour is None:
            span = timedelta(days=1)
        elif minute is None:
            span = timedelta(hours=1)
        elif second is None:
            span = timedelta(minutes=1)
        elif fraction is None:
            span = timedelta(seconds=1)
        else:
            span = timedelta(microseconds=1)
        value += span - timedelta(microseconds=1)
    return value


def _value(name: str, spec: Filter, raw: str) -> Any:
    if spec.kind == "id":
        return _int(name, raw, _INT64)
    if spec.kind == "int":
        return _int(name, raw, _INT32)
    if spec.kind in ("from", "to"):
        try:
            return parse_timestamp(raw, end=spec.kind == "to")
        except (ValueError, OverflowError):
            raise _bad(
                name,
                'must be a UTC timestamp, "YYYY-MM-DD HH:MM:SS" or ISO 8601 '
                '(e.g. 2026-01-31T12:00:00Z), or a date "YYYY-MM-DD"',
            ) from None
    return raw


def parse(query: Mapping[str, str], filters: Mapping[str, Filter]) -> ListQuery:
    values: dict[str, Any] = {}
    for name, spec in filters.items():
        raw = query.get(name)
        if raw is None or raw.strip() == "":
            continue
        values[spec.name] = _value(name, spec, raw)

    page = _int("page", query.get("page") or "1", _INT32)
    if page < 1:
        raise _bad("page", "must be 1 or more")
    per_page = _int("per_page", query.get("per_page") or str(DEFAULT_PER_PAGE), _INT32)
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise _bad("per_page", f"must be between 1 and {MAX_PER_PAGE}")
    direction = (query.get("dir") or "asc").strip().lower()
    if direction not in ("asc", "desc"):
        raise _bad("dir", "must be asc or desc")
    mode = (query.get("mode") or "").strip().lower()
    if mode not in ("", "count"):
        raise _bad("mode", "must be count, or left out")
    return ListQuery(values, page, per_page, direction == "desc", mode == "count")
