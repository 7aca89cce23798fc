"""Kickserv query strings -> list filters and pages. A value that cannot be read is a 400
naming the parameter; a blank one is no filter; unknown parameters are ignored, as Rails ignores
them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from rolodex.db.search import contains, escape_like
from rolodex.doors.kickserv import casts, wire
from rolodex.doors.kickserv.filters import VENDOR_INTEGER_FILTERS
from rolodex.errors import InvalidQuery

MAX_PER_PAGE = 100


def page_number(query: Mapping[str, str], name: str) -> int:
    """A 1-based page number; 1 when absent."""
    raw = query.get(name)
    if raw is None or raw == "":
        return 1
    if not casts.digits(raw) or not 1 <= int(raw) < 2**31:
        raise InvalidQuery("must be a whole number of 1 or more", field=name)
    return int(raw)


def per_page(query: Mapping[str, str], default: int) -> int:
    raw = query.get("per_page")
    if raw is None or raw == "":
        return default
    if not casts.digits(raw) or not 1 <= int(raw) <= MAX_PER_PAGE:
        raise InvalidQuery(f"must be a whole number from 1 to {MAX_PER_PAGE}", field="per_page")
    return int(raw)


def query_integer(query: Mapping[str, str], name: str) -> int | None:
    raw = query.get(name)
    if raw is None or not raw.strip():
        return None
    try:
        return casts.integer(raw)
    except ValueError as exc:
        raise InvalidQuery(str(exc), field=name) from None


def customer_filters(query: Mapping[str, str]) -> dict[str, Any]:
    """GET /customers.json's filters (see rolodex.doors.kickserv.filters). `q` is part of the
    name, `begins_with` its start (both ignoring case); every other filter matches a whole
    value, ignoring case. A blank filter is no filter."""

    def text(name: str) -> str | None:
        value = query.get(name)
        return value.strip() if value is not None and value.strip() else None

    contained, start = text("q"), text("begins_with")
    found: dict[str, Any] = {
        "number": query_integer(query, "customer_number"),
        "name": text("name"),
        "name_contains": None if contained is None else contains(contained),
        "name_starts_with": None if start is None else f"{escape_like(start)}%",
        "email": text("email_address"),
        "phone": text("phone_number"),
    }
    for key, column in wire.SERVICE.items():
        found[f"service_{column}"] = text(key)
    for key, column in wire.BILLING.items():
        found[f"billing_{column}"] = text(key)
    for key in VENDOR_INTEGER_FILTERS:
        value = query_integer(query, key)
        found[f"attribute_{key}"] = None if value is None else str(value)
    return found


def statuses(query_lists: Mapping[str, list[str]]) -> tuple[str, ...]:
    """`status=a` or `status[]=a&status[]=b`, lower-cased as statuses are stored."""
    found = [*query_lists.get("status", []), *query_lists.get("status[]", [])]
    return tuple(dict.fromkeys(s.strip().lower() for s in found if s.strip()))


def scheduled_range(keyword: str | None, now: datetime) -> tuple[datetime, datetime] | None:
    """GET /jobs.json?scheduled=: [start, end) in UTC. Weeks start on Monday, as in Rails."""
    if keyword is None or not keyword.strip():
        return None
    today = datetime(now.year, now.month, now.day, tzinfo=UTC)
    week = today - timedelta(days=today.weekday())
    month = today.replace(day=1)

    def add_months(start: datetime, n: int) -> datetime:
        index = start.month - 1 + n
        return start.replace(year=start.year + index // 12, month=index % 12 + 1)

    ranges = {
        "today": (today, today + timedelta(days=1)),
        "tomorrow": (today + timedelta(days=1), today + timedelta(days=2)),
        "this_week": (week, week + timedelta(days=7)),
        "next_week": (week + timedelta(days=7), week + timedelta(days=14)),
        "last_week": (week - timedelta(days=7), week),
        "this_month": (month, add_months(month, 1)),
        "next_month": (add_months(month, 1), add_months(month, 2)),
        "last_month": (add_months(month, -1), month),
    }
    found = ranges.get(keyword.strip().lower())
    if found is None:
        raise InvalidQuery(f"must be one of {', '.join(ranges)}", field="scheduled")
    return found
