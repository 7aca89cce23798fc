"""The webhook delivery queue: what is due, claimed by one worker at a time, settled after
the attempt, and each endpoint's delivery log and re-sends.

A delivery is open (pending, or out with a worker) while it has a `next_attempt_at`. It is
due once that time has come, its endpoint is enabled, and no earlier event of the same
endpoint and client is still open: so each endpoint receives one client's events in order,
a later one never before an earlier one is delivered (or has failed for good).

Claiming takes the due heads of such (endpoint, client) runs, and the due deliveries that
follow each head in its run, in one write transaction (on PostgreSQL the heads with `FOR
UPDATE SKIP LOCKED`, so workers side by side take different ones; the rest of a run can only
be taken by whoever holds its head; on SQLite under the write lock) and marks them out with
a lease: `next_attempt_at` moves to when the lease ends. The HTTP calls happen after the
commit, with no transaction open; a second transaction records the outcomes. A worker that
dies meanwhile loses nothing: when its lease ends, the deliveries are due again (delivered at
least once).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, bindparam, exists, func, null, select, update
from sqlalchemy.orm import Session, aliased

from rolodex.db.engine import make_session_factory, transaction
from rolodex.db.prepared import BulkInsert, Prepared, Reader
from rolodex.db.types import format_utc_ms, utcnow
from rolodex.domain import events
from rolodex.domain.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page
from rolodex.errors import InvalidQuery, NotFound, ValidationFailed
from rolodex.models import Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint

PENDING, DELIVERING, SUCCEEDED, FAILED = "pending", "delivering", "succeeded", "failed"
STATUSES = (PENDING, DELIVERING, SUCCEEDED, FAILED)
# Deliveries of one run (endpoint and client) claimed at once, sent one after another.
RUN = 20
# Events one re-send of a time range may queue.
RESEND_MAX = 50_000

D = WebhookDelivery
_earlier = aliased(WebhookDelivery)

_HEADS = (
    select(D.id, D.endpoint_id, D.client_id, D.event_id)
    .join(WebhookEndpoint, WebhookEndpoint.id == D.endpoint_id)
    .where(
        D.next_attempt_at <= bindparam("now", type_=D.next_attempt_at.type),
        WebhookEndpoint.enabled,
        ~exists().where(
            _earlier.endpoint_id == D.endpoint_id,
            _earlier.client_id == D.client_id,
            _earlier.next_attempt_at.is_not(None),
            _earlier.event_id < D.event_id,
        ),
    )
    .order_by(D.next_attempt_at)
    .limit(bindparam("count"))
)
_CLAIM_HEADS = Prepared(_HEADS.with_for_update(of=D, skip_locked=True))
_HEADS_SERIAL = Prepared(_HEADS)
# The open deliveries of one run from its head on, in event order.
_RUN = Prepared(
    select(D.id, D.event_id, D.next_attempt_at)
    .where(
        D.endpoint_id == bindparam("endpoint_id"),
        D.client_id == bindparam("client_id"),
        D.next_attempt_at.is_not(None),
        D.event_id >= bindparam("from_event"),
    )
    .order_by(D.event_id)
    .limit(bindparam("count"))
)
_TAKE = Prepared(
    update(D)
    .where(D.id.in_(bindparam("ids", expanding=True)))
    .values(status=DELIVERING, next_attempt_at=bindparam("lease", type_=D.next_attempt_at.type))
)
_DETAILS = Prepared(
    select(
        D.id,
        D.endpoint_id,
        D.client_id,
        D.attempts,
        WebhookEndpoint.url,
        WebhookEndpoint.secret,
        WebhookEndpoint.account_id,
        *events._SELECTED,
    )
    .join(WebhookEndpoint, WebhookEndpoint.id == D.endpoint_id)
    .join(Event, Event.id == D.event_id)
    .where(D.id.in_(bindparam("ids", expanding=True)))
)


@dataclass
class Claimed:
    """A delivery a worker holds: where it goes, the sealed secret, its event."""

    delivery_id: int
    endpoint_id: int
    client_id: int
    attempts: int
    url: str
    sealed_secret: str
    account_id: int
    event: dict[str, Any]


def claim(engine: Engine, count: int, lease: timedelta) -> list[list[Claimed]]:
    """Claim up to `count` due deliveries for a lease: runs, each the deliveries of one
    endpoint and client in event order, to be sent one after the other."""
    now = utcnow()
    postgres = engine.dialect.name == "postgresql"
    with transaction(make_session_factory(engine), write=True) as session:
        reader = Reader.within(session)
        heads = reader.rows(_CLAIM_HEADS if postgres else _HEADS_SERIAL, now=now, count=count)
        if not heads:
            return []
        room = max(count - len(heads), 0)
        per_run = min(RUN, 1 + room // len(heads))
        runs: list[list[int]] = []
        if per_run > 1:
            found = reader.rows_many(
                [
                    (
                        _RUN,
                        {
                            "endpoint_id": endpoint_id,
                            "client_id": client_id,
                            "from_event": event_id,
                            "count": per_run,
                        },
                    )
                    for _id, endpoint_id, client_id, event_id in heads
                ]
            )
            for (head_id, *_rest), rows in zip(heads, found, strict=True):
                run = [head_id]
                for delivery_id, _event_id, due_at in rows[1:]:
                    if due_at > now:
                        break  # retried later than now: it and what follows wait
                    run.append(delivery_id)
                runs.append(run)
        else:
            runs = [[head_id] for head_id, *_rest in heads]
        ids = [i for run in runs for i in run]
        reader.execute(_TAKE, ids=ids, lease=now + lease)
        details = {row[0]: row for row in reader.rows(_DETAILS, ids=ids)}
    out = []
    for run in runs:
        claimed = []
        for delivery_id in run:
            row = details.get(delivery_id)
            if row is None:
                continue
            claimed.append(
                Claimed(
                    delivery_id=row[0],
                    endpoint_id=row[1],
                    client_id=row[2],
                    attempts=row[3],
                    url=row[4],
                    sealed_secret=row[5],
                    account_id=row[6],
                    event=events.record(row[7:]),
                )
            )
        if claimed:
            out.append(claimed)
    return out


@dataclass(frozen=True)
class Result:
    """How one claimed delivery's attempt went; `attempted` False: it was not tried (an
    earlier one of its run failed), and goes back to waiting."""

    claimed: Claimed
    attempted: bool
    ok: bool = False
    status_code: int | None = None
    error: str | None = None
    duration_ms: int = 0
    at: datetime | None = None


_ATTEMPTS = BulkInsert(
    WebhookAttempt.__table__,
    ("delivery_id", "attempt", "attempted_at", "status_code", "error", "duration_ms"),
)
_SETTLE = Prepared(
    update(D)
    .where(D.id == bindparam("delivery_id"))
    .values(
        status=bindparam("status"),
        attempts=bindparam("attempts"),
        next_attempt_at=bindparam("next_at", type_=D.next_attempt_at.type),
        last_status_code=bindparam("code"),
        last_error=bindparam("error"),
        last_attempt_at=bindparam("at", type_=D.last_attempt_at.type),
    )
)
_RELEASE = Prepared(
    update(D)
    .where(D.id.in_(bindparam("ids", expanding=True)), D.status == DELIVERING)
    .values(status=PENDING, next_attempt_at=bindparam("now", type_=D.next_attempt_at.type))
)
_HEALTHY = Prepared(
    update(WebhookEndpoint)
    .where(
        WebhookEndpoint.id.in_(bindparam("ids", expanding=True)),
        WebhookEndpoint.failing_since.is_not(None),
    )
    # Health is the server's own bookkeeping: it moves neither updated_at nor the version.
    .values(failing_since=null(), updated_at=WebhookEndpoint.updated_at)
)
_FAILING = Prepared(
    update(WebhookEndpoint)
    .where(
        WebhookEndpoint.id.in_(bindparam("ids", expanding=True)),
        WebhookEndpoint.failing_since.is_(None),
    )
    .values(
        failing_since=bindparam("since", type_=WebhookEndpoint.failing_since.type),
        updated_at=WebhookEndpoint.updated_at,
    )
)
_FAILING_TOO_LONG = Prepared(
    select(WebhookEndpoint.id).where(
        WebhookEndpoint.id.in_(bindparam("ids", expanding=True)),
        WebhookEndpoint.enabled,
        WebhookEndpoint.failing_since
        < bindparam("cutoff", type_=WebhookEndpoint.failing_since.type),
    )
)


_EXISTING = Prepared(select(D.id).where(D.id.in_(bindparam("ids", expanding=True))))


def retry_delay(schedule: Sequence[float], attempts: int) -> float | None:
    """Seconds until the next attempt after `attempts` have failed (jittered by up to 20%
    either way, so that deliveries failed together do not all come back together); None
    when the schedule is spent."""
    if attempts > len(schedule):
        return None
    return schedule[attempts - 1] * random.uniform(0.8, 1.2)


def settle(
    engine: Engine,
    results: Sequence[Result],
    schedule: Sequence[float],
    disable_after: timedelta,
) -> list[int]:
    """Record the outcomes in one transaction: each delivery succeeded, failed for good, or
    pending again after its backoff; each attempt in the log; the endpoints' health, and any
    endpoint failing for longer than `disable_after` disabled (with its event). Returns the
    ids of the endpoints disabled."""
    from rolodex.domain import webhooks

    now = utcnow()
    settled, attempts, released = [], [], []
    healthy: set[int] = set()
    failing: dict[int, datetime] = {}
    for result in results:
        claimed = result.claimed
        if not result.attempted:
            released.append(claimed.delivery_id)
            continue
        count = claimed.attempts + 1
        at = result.at or now
        if result.ok:
            status, next_at = SUCCEEDED, None
            healthy.add(claimed.endpoint_id)
        else:
            delay = retry_delay(schedule, count)
            status = FAILED if delay is None else PENDING
            next_at = None if delay is None else now + timedelta(seconds=delay)
            failing.setdefault(claimed.endpoint_id, at)
        settled.append(
            {
                "delivery_id": claimed.delivery_id,
                "status": status,
                "attempts": count,
                "next_at": next_at,
                "code": result.status_code,
                "error": result.error,
                "at": at,
            }
        )
        attempts.append(
            {
                "delivery_id": claimed.delivery_id,
                "attempt": count,
                "attempted_at": at,
                "status_code": result.status_code,
                "error": result.error,
                "duration_ms": result.duration_ms,
            }
        )
    for endpoint_id in healthy:
        failing.pop(endpoint_id, None)
    disabled: list[int] = []
    with transaction(make_session_factory(engine), write=True) as session:
        reader = Reader.within(session)
        if settled:
            # A delivery may have gone meanwhile (its endpoint deleted, its event past
            # retention): nothing is recorded for it.
            there = {
                row[0] for row in reader.rows(_EXISTING, ids=[r["delivery_id"] for r in settled])
            }
            settled = [r for r in settled if r["delivery_id"] in there]
            attempts = [a for a in attempts if a["delivery_id"] in there]
        if settled:
            sql, _ = _SETTLE.bind(reader.dialect, settled[0])
            cursor = reader.dbapi.cursor()
            try:
                cursor.executemany(sql, [_SETTLE.bind(reader.dialect, row)[1] for row in settled])
            finally:
                cursor.close()
            _ATTEMPTS.execute(reader.dbapi, reader.dialect, attempts)
        if released:
            reader.execute(_RELEASE, ids=released, now=now)
        if healthy:
            reader.execute(_HEALTHY, ids=sorted(healthy))
        if failing:
            ids = sorted(failing)
            reader.execute(_FAILING, ids=ids, since=min(failing.values()))
            too_long = [
                row[0]
                for row in reader.rows(_FAILING_TOO_LONG, ids=ids, cutoff=now - disable_after)
            ]
            if too_long:
                days = disable_after.total_seconds() / 86400
                reason = (
                    f"Every delivery failed for more than {days:g} days; switched off at "
                    f"{format_utc_ms(now)}. Set enabled to true to resume."
                )
                disabled = [e.id for e in webhooks.disable_failing(session, too_long, reason)]
    return disabled


# --- the delivery log and re-sends -----------------------------------------------------------

_LOG = Prepared(
    select(
        D.id,
        D.event_id,
        Event.type,
        D.status,
        D.attempts,
        D.next_attempt_at,
        D.last_status_code,
        D.last_error,
        D.last_attempt_at,
        D.created_at,
    )
    .join(Event, Event.id == D.event_id)
    .where(D.endpoint_id == bindparam("endpoint_id"), D.id < bindparam("before_id"))
    .order_by(D.id.desc())
    .limit(bindparam("limit_plus_one"))
)
_LOG_BY_STATUS = Prepared(_LOG.stmt.where(D.status == bindparam("status")))
_LOG_ATTEMPTS = Prepared(
    select(
        WebhookAttempt.delivery_id,
        WebhookAttempt.attempt,
        WebhookAttempt.attempted_at,
        WebhookAttempt.status_code,
        WebhookAttempt.error,
        WebhookAttempt.duration_ms,
    )
    .where(WebhookAttempt.delivery_id.in_(bindparam("ids", expanding=True)))
    .order_by(WebhookAttempt.delivery_id, WebhookAttempt.id)
)
_OWNED = Prepared(
    select(WebhookEndpoint.id).where(
        WebhookEndpoint.account_id == bindparam("account_id"),
        WebhookEndpoint.id == bindparam("endpoint_id"),
    )
)
_LOG_ONE = Prepared(_LOG.stmt.where(D.id == bindparam("delivery_id")))


def _ts(value: datetime | None) -> str | None:
    return None if value is None else format_utc_ms(value)


def _shown(row: Sequence[Any], tries: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": row[0],
        "object": "webhook_delivery",
        "event_id": row[1],
        "event_type": row[2],
        "status": row[3],
        "attempts": row[4],
        "next_attempt_at": _ts(row[5]),
        "last_status_code": row[6],
        "last_error": row[7],
        "last_attempt_at": _ts(row[8]),
        "created_at": _ts(row[9]),
        "attempt_log": tries,
    }


def _with_attempts(reader: Reader, rows: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    tries: dict[int, list[dict[str, Any]]] = {row[0]: [] for row in rows}
    if rows:
        for delivery_id, attempt, at, code, error, ms in reader.rows(
            _LOG_ATTEMPTS, ids=list(tries)
        ):
            tries[delivery_id].append(
                {
                    "attempt": attempt,
                    "attempted_at": _ts(at),
                    "status_code": code,
                    "error": error,
                    "duration_ms": ms,
                }
            )
    return [_shown(row, tries[row[0]]) for row in rows]


def require_endpoint(reader: Reader, account_id: int, endpoint_id: int) -> None:
    if reader.one_or_none(_OWNED, account_id=account_id, endpoint_id=endpoint_id) is None:
        raise NotFound("webhook endpoint", endpoint_id)


def log_page(
    reader: Reader,
    account_id: int,
    endpoint_id: int,
    *,
    status: str | None,
    cursor: str | None,
    limit: int | None,
) -> Page[dict[str, Any]]:
    """The endpoint's deliveries, newest first, each with its attempts."""
    require_endpoint(reader, account_id, endpoint_id)
    size = DEFAULT_LIMIT if limit is None else limit
    if not 1 <= size <= MAX_LIMIT:
        raise InvalidQuery(f"limit must be between 1 and {MAX_LIMIT}.", field="limit")
    if status is not None and status not in STATUSES:
        raise InvalidQuery(f"status must be one of {', '.join(STATUSES)}.", field="status")
    before = events.decode_cursor(cursor, True) if cursor else 2**63 - 1
    params: dict[str, Any] = {
        "endpoint_id": endpoint_id,
        "before_id": before,
        "limit_plus_one": size + 1,
    }
    if status is not None:
        params["status"] = status
    rows = reader.rows(_LOG if status is None else _LOG_BY_STATUS, **params)
    items = _with_attempts(reader, rows[:size])
    more = len(rows) > size
    return Page(items, more, events.encode_cursor(items[-1]["id"], True) if more else None)


def one(reader: Reader, account_id: int, endpoint_id: int, delivery_id: int) -> dict[str, Any]:
    require_endpoint(reader, account_id, endpoint_id)
    row = reader.one_or_none(
        _LOG_ONE,
        endpoint_id=endpoint_id,
        before_id=2**63 - 1,
        limit_plus_one=1,
        delivery_id=delivery_id,
    )
    if row is None:
        raise NotFound("webhook delivery", delivery_id)
    return _with_attempts(reader, [row])[0]


def _reopen(session: Session, ids: Sequence[int]) -> None:
    now = utcnow()
    for start in range(0, len(ids), 500):
        session.execute(
            update(D)
            .where(D.id.in_(ids[start : start + 500]))
            .values(status=PENDING, attempts=0, next_attempt_at=now)
            .execution_options(synchronize_session=False)
        )


def _owned_for_update(session: Session, account_id: int, endpoint_id: int) -> WebhookEndpoint:
    from rolodex.domain import webhooks

    return webhooks.get_endpoint(session, account_id, endpoint_id)


def resend(session: Session, account_id: int, endpoint_id: int, delivery_id: int) -> None:
    """Send a delivery again from the start of the retry schedule (its event keeps its id,
    so a receiver that already has it can tell). An open one is simply made due now."""
    _owned_for_update(session, account_id, endpoint_id)
    found = session.scalar(
        select(D.id).where(D.id == delivery_id, D.endpoint_id == endpoint_id).with_for_update()
    )
    if found is None:
        raise NotFound("webhook delivery", delivery_id)
    _reopen(session, [delivery_id])


def resend_range(
    session: Session,
    account_id: int,
    endpoint_id: int,
    start: datetime,
    end: datetime,
) -> int:
    """Queue again, for this endpoint, every event of the account that occurred in
    [start, end) and that the endpoint wants, whether it was sent before (re-opened) or not
    (a new delivery: events from before the endpoint existed, or types it took up since).
    Returns how many were queued."""
    if end <= start:
        raise ValidationFailed.one("to", "must be later than from")
    endpoint = _owned_for_update(session, account_id, endpoint_id)
    wants = events.matcher(endpoint.event_types)
    rows = session.execute(
        select(Event.id, Event.type, Event.client_id)
        .where(Event.account_id == account_id, Event.occurred_at >= start, Event.occurred_at < end)
        .order_by(Event.id)
        .limit(RESEND_MAX + 1)
    ).all()
    if len(rows) > RESEND_MAX:
        raise ValidationFailed.one(
            "to", f"the range holds more than {RESEND_MAX:,} events: re-send it in parts"
        )
    chosen = [(ident, client) for ident, kind, client in rows if wants(kind)]
    if not chosen:
        return 0
    existing: dict[int, int] = {}
    event_ids = [ident for ident, _ in chosen]
    for first in range(0, len(event_ids), 500):
        part = event_ids[first : first + 500]
        for delivery_id, event_id in session.execute(
            select(D.id, D.event_id).where(D.endpoint_id == endpoint_id, D.event_id.in_(part))
        ):
            existing[event_id] = delivery_id
    _reopen(session, sorted(existing.values()))
    now = utcnow()
    new = [
        {"endpoint_id": endpoint_id, "event_id": ident, "client_id": client or 0}
        for ident, client in chosen
        if ident not in existing
    ]
    if new:
        reader = Reader.within(session)
        events._DELIVERIES.execute(
            reader.dbapi,
            reader.dialect,
            new,
            {"status": PENDING, "attempts": 0, "next_attempt_at": now, "created_at": now},
        )
    return len(chosen)


def pending_count(engine: Engine) -> int:
    """Open deliveries, of every account (for tests and the command's report)."""
    with transaction(make_session_factory(engine), write=False) as session:
        return int(
            session.scalar(
                select(func.count()).select_from(D).where(D.next_attempt_at.is_not(None))
            )
            or 0
        )
