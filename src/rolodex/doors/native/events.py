"""The native API's event feed (`GET /v1/events`) and a client's history
(`GET /v1/clients/{id}/history`). Their routes are declared in routes.py."""

from __future__ import annotations

import re

from rolodex.db.prepared import Reader
from rolodex.domain import events, queries
from rolodex.domain.events import DOORS, RECORD_TYPES, EventFilters
from rolodex.doors.native.errors import InvalidParameter
from rolodex.doors.native.http import Call, Reply
from rolodex.doors.native.params import q_datetime, q_int, q_str
from rolodex.doors.native.resources import Param, _check_query

_TYPE = re.compile(r"^([a-z_]{1,30})\.([a-z_]{1,28}|\*)$")

CURSOR = Param("cursor", "string", "next_cursor from the previous page.")
LIMIT = Param("limit", "integer", "Page size, 1 to 100. Default 25.")
EVENT_QUERY = (
    Param(
        "type",
        "string[]",
        "An event type (client.created) or every type of a record (client.*); repeat for "
        "any of several.",
    ),
    Param("record_type", "string", f"Events of this kind of record: {', '.join(RECORD_TYPES)}."),
    Param("record_id", "integer", "Events of this record (with record_type)."),
    Param("client_id", "integer", "Events of this client and the records it owns."),
    Param("door", "string", f"Changes made through this door: {', '.join(DOORS)}."),
    Param("occurred_after", "date-time", "Occurred after this time (not at it)."),
    Param("occurred_before", "date-time", "Occurred before this time."),
    Param(
        "sort",
        "string",
        "id (oldest first, the default) or -id (newest first). Oldest first, next_cursor is "
        "given on every page, the last included: keep it and ask again for what came since.",
    ),
    CURSOR,
    LIMIT,
)
HISTORY_QUERY = (CURSOR, LIMIT)


def _types(call: Call) -> tuple[str, ...]:
    values = call.query_lists.get("type") or []
    for value in values:
        match = _TYPE.match(value)
        if value != "*" and (match is None or match.group(1) not in RECORD_TYPES):
            raise InvalidParameter(
                f"type {value!r} is not an event type: use client.created, client.* or *.",
                field="type",
            )
    return tuple(values)


def list_events(reader: Reader, call: Call) -> Reply:
    _check_query(call, EVENT_QUERY)
    q = call.query
    record_type = q_str(q, "record_type", 30)
    if record_type is not None and record_type not in RECORD_TYPES:
        raise InvalidParameter(
            f"record_type must be one of {', '.join(RECORD_TYPES)}.", field="record_type"
        )
    record_id = q_int(q, "record_id", bits=64)
    if record_id is not None and record_type is None:
        raise InvalidParameter("record_id needs record_type beside it.", field="record_id")
    door = q_str(q, "door", 16)
    if door is not None and door not in DOORS:
        raise InvalidParameter(f"door must be one of {', '.join(DOORS)}.", field="door")
    sort = q_str(q, "sort", 10) or "id"
    if sort not in ("id", "-id"):
        raise InvalidParameter("sort must be id or -id.", field="sort")
    filters = EventFilters(
        types=_types(call),
        record_type=record_type,
        record_id=record_id,
        client_id=q_int(q, "client_id", bits=64),
        door=door,
        occurred_after=q_datetime(q, "occurred_after"),
        occurred_before=q_datetime(q, "occurred_before"),
    )
    page = events.feed(
        reader,
        call.account_id,
        filters,
        q_str(q, "cursor", 500),
        q_int(q, "limit"),
        descending=sort == "-id",
    )
    return Reply(
        {
            "data": [events.shown(e) for e in page.items],
            "has_more": page.has_more,
            "next_cursor": page.next_cursor,
        }
    )


def client_history(reader: Reader, call: Call) -> Reply:
    _check_query(call, HISTORY_QUERY)
    client_id = call.path_id("client_id")
    cursor = q_str(call.query, "cursor", 500)
    page = events.history(reader, call.account_id, client_id, cursor, q_int(call.query, "limit"))
    if not page.items and not cursor:
        # No event names it: a client of this account that has none yet, or no such client.
        queries.require_client(reader, call.account_id, client_id)
    return Reply(
        {
            "data": [events.shown(e) for e in page.items],
            "has_more": page.has_more,
            "next_cursor": page.next_cursor,
        }
    )
