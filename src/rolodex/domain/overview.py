"""What the console's overview reads: bounded counts and recent activity, each query an index
range that stops at a cap, so that the page costs the same at a million clients as at ten."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from sqlalchemy import bindparam, func, select

from rolodex.db.prepared import Prepared, Reader
from rolodex.models import Client, Company, Event, WebhookEndpoint

COUNT_CAP = 10_000  # beyond this a count says "10,000+" (counting further costs too much)
DAY_CAP = 2_000
RECENT_EVENTS = 1_000


def _capped(stmt: Any, cap_name: str) -> Prepared:
    inner = stmt.limit(bindparam(cap_name)).subquery()
    return Prepared(select(func.count()).select_from(inner))


_CLIENTS = _capped(select(Client.id).where(Client.account_id == bindparam("account_id")), "cap")
_COMPANIES = _capped(select(Company.id).where(Company.account_id == bindparam("account_id")), "cap")
_ENDPOINTS = _capped(
    select(WebhookEndpoint.id).where(WebhookEndpoint.account_id == bindparam("account_id")),
    "cap",
)
_CREATED_BETWEEN = _capped(
    select(Client.id).where(
        Client.account_id == bindparam("account_id"),
        Client.created_at >= bindparam("start"),
        Client.created_at < bindparam("end"),
    ),
    "cap",
)
_RECENT = Prepared(
    select(Event.door, Event.occurred_at)
    .where(Event.account_id == bindparam("account_id"))
    .order_by(Event.id.desc())
    .limit(bindparam("limit"))
)


def counts(reader: Reader, account_id: int) -> dict[str, int]:
    """Clients, companies and webhook endpoints, each at most COUNT_CAP."""
    out = {}
    for name, stmt in (
        ("clients", _CLIENTS),
        ("companies", _COMPANIES),
        ("webhook endpoints", _ENDPOINTS),
    ):
        out[name] = int(reader.rows(stmt, account_id=account_id, cap=COUNT_CAP)[0][0])
    return out


def created_per_day(
    reader: Reader, account_id: int, days: int, today: date | None = None
) -> list[tuple[date, int]]:
    """Clients created on each of the last `days` days (UTC), each at most DAY_CAP: one index
    range per day on (account_id, created_at)."""
    today = today or datetime.now(timezone.utc).date()  # noqa: UP017
    out = []
    for back in range(days - 1, -1, -1):
        day = today - timedelta(days=back)
        start = datetime.combine(day, time.min, tzinfo=timezone.utc)  # noqa: UP017
        found = reader.rows(
            _CREATED_BETWEEN,
            account_id=account_id,
            start=start,
            end=start + timedelta(days=1),
            cap=DAY_CAP,
        )[0][0]
        out.append((day, int(found)))
    return out


def recent_changes_per_door(
    reader: Reader, account_id: int
) -> tuple[dict[str, Counter[date]], int]:
    """Of the account's last RECENT_EVENTS events: how many each door made on each day, and
    how many events that is."""
    rows = reader.rows(_RECENT, account_id=account_id, limit=RECENT_EVENTS)
    per_door: dict[str, Counter[date]] = {}
    for door, occurred in rows:
        day = (
            occurred.date()
            if isinstance(occurred, datetime)
            else date.fromisoformat(str(occurred)[:10])
        )
        per_door.setdefault(door, Counter())[day] += 1
    return per_door, len(rows)
