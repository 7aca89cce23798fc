"""Ticket Evolution's list query parameters: numbered pages and `created_at` / `updated_at`
conditions, and the lists they filter (times are half-open windows, [from, before), which is
what a date or a whole second means as a filter)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from rolodex.domain.pagination import NumberedList, at_least, before, equals
from rolodex.domain.queries import ADDRESS, CLIENT, COMPANY, EMAIL, PHONE
from rolodex.doors.tevo.mapping import coerce
from rolodex.doors.tevo.wire import ID, PER_PAGE_DEFAULT, PER_PAGE_MAX
from rolodex.errors import MalformedRequest
from rolodex.models import Client, Company

CLIENTS = NumberedList(
    CLIENT,
    (
        equals("name", Client.name),
        equals("office_id", Client.office_id),
        equals("company_id", Client.company_id),
        at_least("created_from", Client.created_at),
        before("created_before", Client.created_at),
        at_least("updated_from", Client.updated_at),
        before("updated_before", Client.updated_at),
    ),
)
# A client's contact points, filtered by their client (whose existence the caller checks).
OWNED: dict[Any, NumberedList] = {
    view.model: NumberedList(view, (equals("client_id", view.model.client_id),))
    for view in (ADDRESS, PHONE, EMAIL)
}
COMPANIES = NumberedList(COMPANY, (equals("name", Company.name),))


def _positive(query: Mapping[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None or raw.strip() == "":
        return default
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or int(text) < 1 or len(text) > 9:
        raise MalformedRequest(f"{name} must be a positive integer")
    return int(text)


def paging(query: Mapping[str, str]) -> tuple[int, int]:
    """(page, per_page): page from 1, per_page 100 by default and at most 100 (a larger
    value gets 100, as the vendor's lists max out at 100)."""
    return _positive(query, "page", 1), min(
        _positive(query, "per_page", PER_PAGE_DEFAULT), PER_PAGE_MAX
    )


def query_id(query: Mapping[str, str], name: str) -> int | None:
    raw = query.get(name)
    if raw is None or raw.strip() == "":
        return None
    try:
        return int(coerce(ID, raw))
    except ValueError:
        raise MalformedRequest(f"{name} must be an integer") from None


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MINUTE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?:Z|[+-]\d{2}:?\d{2})?$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:Z|[+-]\d{2}:?\d{2})?$")
OPERATORS = ("eq", "gte", "gt", "lte", "lt")


def time_span(raw: str) -> tuple[datetime, datetime]:
    """The half-open span [start, end) a date or time names, at the precision written: a date
    is its whole (UTC) day, a time to the second is that second, a time with a fraction is
    that instant. No offset means UTC."""
    text = raw.strip()
    if _DATE.match(text):
        start = datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
        return start, start + timedelta(days=1)
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    value = datetime.fromisoformat(iso)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    if _MINUTE.match(text):
        return value, value + timedelta(minutes=1)
    if _SECOND.match(text):
        return value, value + timedelta(seconds=1)
    return value, value + timedelta(microseconds=1)


def time_filters(query: Mapping[str, str]) -> dict[str, datetime]:
    """`created_at` / `updated_at` conditions: `created_at=X` (within X), and
    `created_at.gte=`, `.gt=`, `.lte=`, `.lt=` (also written `created_at[gte]=`), combined with
    AND. They become half-open windows: {created,updated}_from / _before."""
    out: dict[str, datetime] = {}
    for key, raw in query.items():
        column, op = _condition(key)
        if column is None:
            continue
        try:
            start, end = time_span(raw)
        except ValueError:
            raise MalformedRequest(
                f"{key} must be an ISO 8601 date or time, e.g. 2026-11-23 or 2026-11-23T16:07:32Z"
            ) from None
        lower = {"eq": start, "gte": start, "gt": end}.get(op)
        upper = {"eq": end, "lte": end, "lt": start}.get(op)
        prefix = column.removesuffix("_at")
        if lower is not None:
            name = f"{prefix}_from"
            out[name] = max(out.get(name, lower), lower)
        if upper is not None:
            name = f"{prefix}_before"
            out[name] = min(out.get(name, upper), upper)
    return out


def _condition(key: str) -> tuple[str | None, str]:
    for column in ("created_at", "updated_at"):
        if key == column:
            return column, "eq"
        for op in OPERATORS:
            if key in (f"{column}.{op}", f"{column}[{op}]"):
                return column, op
    return None, ""
