"""Requests per door: a counter in each server process, added to `request_counts` every few
seconds, and read by the console's overview.

Counting costs a request one dictionary increment (`RequestCounter.add`, called by the door
spine once a request's credential has named its account, on the hot lane too): no I/O. A
background task of the app (rolodex.app's lifespan) swaps the counts out every
FLUSH_SECONDS and adds them to the table in one write transaction (an upsert a row); a
process that dies loses at most that many seconds of counts. Requests refused before their
account is known (a bad credential) are not counted."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from rolodex.db.prepared import Prepared, Reader
from rolodex.models import RequestCount

FLUSH_SECONDS = 5.0
HOURS_SHOWN = 24

Key = tuple[int, str, int]  # account id, door, hour since the epoch


def hour_now() -> int:
    return int(time.time()) // 3600


class RequestCounter:
    """Per-process counts not yet stored. Only the event loop's thread adds (the doors'
    endpoints run on it); `take()` swaps the dict for a new one, so no lock is needed."""

    def __init__(self) -> None:
        self.counts: dict[Key, int] = {}

    def add(self, account_id: int, door: str) -> None:
        key = (account_id, door, int(time.time()) // 3600)
        counts = self.counts
        counts[key] = counts.get(key, 0) + 1

    def take(self) -> dict[Key, int]:
        taken, self.counts = self.counts, {}
        return taken

    def give_back(self, counts: dict[Key, int]) -> None:
        """Counts whose write failed, kept for the next flush."""
        for key, n in counts.items():
            self.counts[key] = self.counts.get(key, 0) + n

    def pending(self, account_id: int) -> dict[tuple[str, int], int]:
        return {(d, h): n for (a, d, h), n in list(self.counts.items()) if a == account_id}


def store(session: Session, counts: dict[Key, int]) -> None:
    """Add counts to the table: insert a row, or add to the one there."""
    if not counts:
        return
    rows = [{"account_id": a, "door": d, "hour": h, "count": n} for (a, d, h), n in counts.items()]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(RequestCount)
    stmt = stmt.on_conflict_do_update(
        index_elements=["account_id", "door", "hour"],
        set_={"count": RequestCount.count + stmt.excluded.count},
    )
    # In key order, so that two processes flushing at once take the rows' locks in one order.
    session.execute(stmt, sorted(rows, key=lambda r: (r["account_id"], r["door"], r["hour"])))


_RECENT = Prepared(
    select(RequestCount.door, RequestCount.hour, RequestCount.count).where(
        RequestCount.account_id == bindparam("account_id"),
        RequestCount.hour > bindparam("since"),
    )
)


def recent(
    reader: Reader, account_id: int, now_hour: int, hours: int = HOURS_SHOWN
) -> dict[str, dict[int, int]]:
    """The account's stored requests of the last `hours` hours (the current one included):
    for each door, its count by hour."""
    out: dict[str, dict[int, int]] = {}
    for door, hour, count in reader.rows(_RECENT, account_id=account_id, since=now_hour - hours):
        out.setdefault(door, {})[hour] = out.get(door, {}).get(hour, 0) + int(count)
    return out


def merged(
    stored: dict[str, dict[int, int]], pending: dict[tuple[str, int], int]
) -> dict[str, Any]:
    """Stored counts with this process's not yet flushed ones added."""
    out = {door: dict(hours) for door, hours in stored.items()}
    for (door, hour), n in pending.items():
        hours = out.setdefault(door, {})
        hours[hour] = hours.get(hour, 0) + n
    return out
