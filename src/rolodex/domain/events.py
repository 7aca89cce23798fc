"""Events: every change to a record, through any door, appended in the transaction that made
it (so a write that rolls back leaves none, and none is missing for one that committed), read
back as the account's feed and a client's history, and fanned out, in the same transaction,
into one webhook delivery per endpoint that wants it.

`append` is on the hot path of every write, so it is Core statements on the driver
connection, no ORM: on SQLite the endpoints lookup (one indexed query, which an account
without endpoints pays and nothing else) and one INSERT; on PostgreSQL the account's
advisory lock, the endpoints lookup and the INSERT in one pipeline, one round trip. A cache
of "has no endpoints" would save the lookup but could not be kept true across processes
without asking the database, which is the lookup.

Order: a feed reader pages by id, so the events of one account must become visible in id
order. On PostgreSQL ids come from a sequence and transactions commit in any order, so a
later id could be seen before an earlier one, which the reader would then skip for ever:
`append` takes a transaction-scoped advisory lock per account before it draws ids, held
through the commit, so an account's ids commit in order. Call it last in the transaction
(after the documents are settled), so the lock is held only through the commit. SQLite's
writers already take turns.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import Engine, Select, bindparam, delete, or_, select
from sqlalchemy.orm import Session

from rolodex.db.engine import make_session_factory, transaction
from rolodex.db.prepared import BulkInsert, Prepared, Reader
from rolodex.db.types import format_utc_ms, utcnow
from rolodex.domain.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page, PreparedCache
from rolodex.errors import InvalidQuery
from rolodex.models import Event, WebhookDelivery, WebhookEndpoint

DOORS = (
    "native",
    "trackops",
    "tevo",
    "halo",
    "kickserv",
    "console",
    "import",
    "cli",
    "system",
)
RECORD_TYPES = (
    "client",
    "address",
    "phone_number",
    "email_address",
    "location",
    "company",
    "note",
    "job",
    "payment",
    "contact",
    "webhook_endpoint",
)
# The advisory lock's first key, so that it names no other lock (the second is the account).
LOCK_NAMESPACE = 0x526F6C6F  # "Rolo"
# PostgreSQL: a few events go in by one INSERT ... RETURNING, inside the pipeline; more (an
# import's) by COPY after their ids are drawn.
_RETURNING_ROWS = 8


@dataclass(frozen=True, slots=True)
class Actor:
    """Who made a change: the door it came through, which credential (a name, never a
    secret) and the request's id."""

    door: str
    credential: str | None = None
    request_id: str | None = None


SYSTEM = Actor("system")


@dataclass(frozen=True, slots=True)
class NewEvent:
    """One change to record. `data` is the record as the native API shows it after the change
    (before it, for a delete): a mapping, or its JSON already encoded (a client's stored
    native document); `previous` the former values of the fields an update changed."""

    type: str
    record_type: str
    record_id: int
    client_id: int | None
    data: Mapping[str, Any] | bytes | str
    previous: Mapping[str, Any] | None = None


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


_JSON_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC


def to_json(value: Mapping[str, Any] | bytes | str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode()
    return orjson.dumps(value, default=_default, option=_JSON_OPTIONS).decode()


# --- appending -----------------------------------------------------------------------------

_VARYING = ("type", "record_type", "record_id", "client_id", "data", "previous")
_CONSTANT = ("account_id", "door", "credential", "request_id", "occurred_at")
_INSERT = BulkInsert(Event.__table__, _VARYING, _CONSTANT)
_INSERT_WITH_IDS = BulkInsert(Event.__table__, ("id", *_VARYING), _CONSTANT)
_ENDPOINTS = Prepared(
    select(WebhookEndpoint.id, WebhookEndpoint.event_types).where(
        WebhookEndpoint.account_id == bindparam("account_id"), WebhookEndpoint.enabled
    )
)
_DELIVERIES = BulkInsert(
    WebhookDelivery.__table__,
    ("endpoint_id", "event_id", "client_id"),
    ("status", "attempts", "next_attempt_at", "created_at"),
)
_LOCK = "SELECT pg_advisory_xact_lock(%s, %s)"
_DRAW_IDS = (
    "SELECT nextval(pg_get_serial_sequence('events', 'id')) FROM generate_series(1, %s) ORDER BY 1"
)


def lock_key(account_id: int) -> tuple[int, int]:
    """The advisory lock that orders an account's events (two int4 keys)."""
    return LOCK_NAMESPACE, account_id % 2**31


class Matcher:
    """Which event types an endpoint wants: `*` (all), exact types, and `record_type.*`
    patterns."""

    __slots__ = ("every", "exact", "prefixes")

    def __init__(self, event_types: str) -> None:
        names = [t for t in event_types.split(",") if t]
        self.every = not names or "*" in names
        self.exact = frozenset(t for t in names if not t.endswith(".*"))
        self.prefixes = tuple(t[:-1] for t in names if t.endswith(".*"))  # "client."

    def __call__(self, event_type: str) -> bool:
        return self.every or event_type in self.exact or event_type.startswith(self.prefixes)


_MATCHERS: dict[str, Matcher] = {}


def matcher(event_types: str) -> Matcher:
    found = _MATCHERS.get(event_types)
    if found is None:
        if len(_MATCHERS) > 1024:
            _MATCHERS.clear()
        found = _MATCHERS[event_types] = Matcher(event_types)
    return found


def append(
    session: Session, account_id: int, actor: Actor, events: Sequence[NewEvent]
) -> list[int]:
    """Record `events` (in this order, with ascending ids) in the session's transaction, and
    queue a delivery of each to every enabled endpoint of the account that wants it. Returns
    the events' ids."""
    if not events:
        return []
    reader = Reader.within(session)
    dialect = reader.dialect
    now = utcnow()
    rows = [
        {
            "type": e.type,
            "record_type": e.record_type,
            "record_id": e.record_id,
            "client_id": e.client_id,
            "data": to_json(e.data),
            "previous": None if e.previous is None else to_json(e.previous),
        }
        for e in events
    ]
    constant = {
        "account_id": account_id,
        "door": actor.door,
        "credential": actor.credential,
        "request_id": actor.request_id,
        "occurred_at": now,
    }
    if dialect.name == "postgresql":
        endpoints, ids = _append_postgres(reader, account_id, rows, constant)
    else:
        endpoints = reader.rows(_ENDPOINTS, account_id=account_id)
        _INSERT.execute(reader.dbapi, dialect, rows, constant)
        # One statement a chunk, ids ascending in row order (AUTOINCREMENT, one writer).
        last = reader.dbapi.execute("SELECT last_insert_rowid()").fetchone()[0]
        ids = list(range(last - len(rows) + 1, last + 1))
    if endpoints:
        _fan_out(reader, endpoints, events, ids, now)
    return ids


def _append_postgres(
    reader: Reader, account_id: int, rows: list[dict[str, Any]], constant: dict[str, Any]
) -> tuple[list[Any], list[int]]:
    dbapi, dialect = reader.dbapi, reader.dialect
    endpoints_sql, endpoints_params = _ENDPOINTS.bind(dialect, {"account_id": account_id})
    few = len(rows) <= _RETURNING_ROWS
    lock = dbapi.cursor()
    with dbapi.pipeline():
        lock.execute(_LOCK, lock_key(account_id))
        found = dbapi.cursor()
        found.execute(endpoints_sql, endpoints_params)
        drawn = dbapi.cursor()
        if few:
            params = _INSERT.params(dialect, rows, constant)
            drawn.execute(
                _INSERT.insert_sql(dialect, len(params)) + " RETURNING id",
                [value for row in params for value in row],
            )
        else:
            drawn.execute(_DRAW_IDS, (len(rows),))
    ids = [row[0] for row in drawn.fetchall()]
    endpoints = found.fetchall()
    for cursor in (lock, found, drawn):
        cursor.close()
    if not few:
        for row, ident in zip(rows, ids, strict=True):
            row["id"] = ident
        _INSERT_WITH_IDS.execute(dbapi, dialect, rows, constant)
    return endpoints, ids


def _fan_out(
    reader: Reader,
    endpoints: Sequence[Sequence[Any]],
    events: Sequence[NewEvent],
    ids: Sequence[int],
    now: datetime,
) -> None:
    deliveries = []
    for endpoint_id, event_types in endpoints:
        wants = matcher(event_types)
        for event, event_id in zip(events, ids, strict=True):
            if wants(event.type):
                deliveries.append(
                    {
                        "endpoint_id": endpoint_id,
                        "event_id": event_id,
                        "client_id": event.client_id or 0,
                    }
                )
    if not deliveries:
        return
    _DELIVERIES.execute(
        reader.dbapi,
        reader.dialect,
        deliveries,
        {"status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now},
    )


# --- reading: the feed and a client's history ----------------------------------------------

_COLUMNS = (
    "id",
    "type",
    "record_type",
    "record_id",
    "client_id",
    "door",
    "credential",
    "request_id",
    "occurred_at",
    "data",
    "previous",
)
_SELECTED = [getattr(Event, c) for c in _COLUMNS]


def record(row: Sequence[Any]) -> dict[str, Any]:
    return dict(zip(_COLUMNS, row, strict=True))


def shown(event: Mapping[str, Any]) -> dict[str, Any]:
    """An event as the native API shows it (the feed, a client's history, a webhook's
    `data`): its stored JSON embedded as it is, not parsed and written again."""
    previous = event["previous"]
    return {
        "id": event["id"],
        "object": "event",
        "type": event["type"],
        "record_type": event["record_type"],
        "record_id": event["record_id"],
        "client_id": event["client_id"],
        "door": event["door"],
        "credential": event["credential"],
        "request_id": event["request_id"],
        "occurred_at": format_utc_ms(event["occurred_at"]),
        "data": orjson.Fragment(event["data"]),
        "previous": None if previous is None else orjson.Fragment(previous),
    }


def message_id(event_id: int) -> str:
    """The Standard Webhooks message id of an event: the same on every attempt and re-send,
    so a receiver can tell one it already has."""
    return f"evt_{event_id}"


def webhook_body(event: Mapping[str, Any]) -> bytes:
    """What a webhook POSTs: `{"type", "timestamp", "data"}`, `data` the event as the feed
    shows it."""
    return orjson.dumps(
        {
            "type": event["type"],
            "timestamp": format_utc_ms(event["occurred_at"]),
            "data": shown(event),
        }
    )


@dataclass(frozen=True)
class EventFilters:
    """What the feed may be narrowed to: exact types or `record_type.*` patterns (any of
    them), one record, one client, one door, a time window (both ends exclusive)."""

    types: tuple[str, ...] = ()
    record_type: str | None = None
    record_id: int | None = None
    client_id: int | None = None
    door: str | None = None
    occurred_after: datetime | None = None
    occurred_before: datetime | None = None

    def split_types(self) -> tuple[list[str], list[str]]:
        """(exact types, record types of `x.*` patterns); both empty when `*` is named."""
        if "*" in self.types:
            return [], []
        exact = [t for t in self.types if not t.endswith(".*")]
        prefixes = [t[:-2] for t in self.types if t.endswith(".*")]
        return exact, prefixes


def _build_page(shape: tuple[Any, ...]) -> Select[Any]:
    (exact, prefixes, record_type, record_id, client, door, after, before, cursor, desc) = shape
    stmt = select(*_SELECTED).where(Event.account_id == bindparam("account_id"))
    kinds = []
    if exact:
        kinds.append(Event.type.in_(bindparam("types", expanding=True)))
    if prefixes:
        kinds.append(Event.record_type.in_(bindparam("prefixes", expanding=True)))
    if kinds:
        stmt = stmt.where(or_(*kinds))
    if record_type:
        stmt = stmt.where(Event.record_type == bindparam("record_type"))
    if record_id:
        stmt = stmt.where(Event.record_id == bindparam("record_id"))
    if client:
        stmt = stmt.where(Event.client_id == bindparam("client_id"))
    if door:
        stmt = stmt.where(Event.door == bindparam("door"))
    if after:
        stmt = stmt.where(
            Event.occurred_at > bindparam("occurred_after", type_=Event.occurred_at.type)
        )
    if before:
        stmt = stmt.where(
            Event.occurred_at < bindparam("occurred_before", type_=Event.occurred_at.type)
        )
    if cursor:
        position = bindparam("position", type_=Event.id.type)
        stmt = stmt.where(Event.id < position if desc else Event.id > position)
    order = Event.id.desc() if desc else Event.id.asc()
    return stmt.order_by(order).limit(bindparam("limit_plus_one"))


_PAGES = PreparedCache(_build_page)


def encode_cursor(position: int, descending: bool) -> str:
    payload = orjson.dumps(["events", "desc" if descending else "asc", position])
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode_cursor(cursor: str, descending: bool) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, order, position = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
        if name != "events" or order != ("desc" if descending else "asc"):
            raise ValueError
        if not isinstance(position, int) or isinstance(position, bool) or position < 0:
            raise ValueError
    except (ValueError, TypeError, orjson.JSONDecodeError):
        raise InvalidQuery(
            "cursor is not one this list gave out in this order.", field="cursor"
        ) from None
    return position


def _limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidQuery(f"limit must be between 1 and {MAX_LIMIT}.", field="limit")
    return limit


def feed(
    reader: Reader,
    account_id: int,
    filters: EventFilters,
    cursor: str | None,
    limit: int | None,
    *,
    descending: bool = False,
) -> Page[dict[str, Any]]:
    """A page of the account's events, oldest first (or newest first). Oldest first, the
    next cursor is given even on the last page: it is where to ask again for what happens
    next (a reader polls the feed with it). Newest first it is given only when more follow."""
    size = _limit(limit)
    exact, prefixes = filters.split_types()
    params: dict[str, Any] = {"account_id": account_id, "limit_plus_one": size + 1}
    if exact:
        params["types"] = exact
    if prefixes:
        params["prefixes"] = prefixes
    for name in ("record_type", "record_id", "client_id", "door"):
        value = getattr(filters, name)
        if value is not None:
            params[name] = value
    if filters.occurred_after is not None:
        params["occurred_after"] = filters.occurred_after
    if filters.occurred_before is not None:
        params["occurred_before"] = filters.occurred_before
    position = decode_cursor(cursor, descending) if cursor else None
    if position is not None:
        params["position"] = position
    shape = (
        bool(exact),
        bool(prefixes),
        filters.record_type is not None,
        filters.record_id is not None,
        filters.client_id is not None,
        filters.door is not None,
        filters.occurred_after is not None,
        filters.occurred_before is not None,
        position is not None,
        descending,
    )
    rows = reader.rows(_PAGES.get(shape), **params)
    items = [record(r) for r in rows[:size]]
    has_more = len(rows) > size
    if descending:
        next_cursor = encode_cursor(items[-1]["id"], True) if has_more else None
    elif items:
        next_cursor = encode_cursor(items[-1]["id"], False)
    else:
        next_cursor = encode_cursor(position or 0, False)
    return Page(items, has_more, next_cursor)


def history(
    reader: Reader, account_id: int, client_id: int, cursor: str | None, limit: int | None
) -> Page[dict[str, Any]]:
    """The events of one client and of the records it owns (every event naming it), newest
    first; the client may have been deleted since."""
    return feed(
        reader, account_id, EventFilters(client_id=client_id), cursor, limit, descending=True
    )


_BY_ID = Prepared(
    select(*_SELECTED).where(
        Event.account_id == bindparam("account_id"), Event.id == bindparam("event_id")
    )
)


def one(reader: Reader, account_id: int, event_id: int) -> dict[str, Any] | None:
    row = reader.one_or_none(_BY_ID, account_id=account_id, event_id=event_id)
    return None if row is None else record(row)


# --- retention -------------------------------------------------------------------------------

CLEANUP_BATCH = 5_000


def cleanup(engine: Engine, older_than: timedelta, *, batch: int = CLEANUP_BATCH) -> int:
    """Delete the events that occurred more than `older_than` ago, with their deliveries and
    attempts (the foreign keys cascade), a batch per transaction so that no writer waits
    long; returns how many went."""
    cutoff = utcnow() - older_than
    oldest = (
        select(Event.id).where(Event.occurred_at < cutoff).order_by(Event.occurred_at).limit(batch)
    )
    sessions = make_session_factory(engine)
    gone = 0
    while True:
        with transaction(sessions, write=True) as session:
            ids = list(session.scalars(oldest))
            if ids:
                session.execute(delete(Event).where(Event.id.in_(ids)))
        gone += len(ids)
        if len(ids) < batch:
            return gone
