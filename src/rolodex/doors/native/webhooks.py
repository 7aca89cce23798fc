"""The native API's webhook endpoints, their delivery logs and re-sends. Their routes are
declared in routes.py."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from rolodex.db.prepared import Reader
from rolodex.domain import changes, deliveries, webhooks
from rolodex.doors.native.errors import InvalidParameter
from rolodex.doors.native.http import Call, Reply, etag
from rolodex.doors.native.params import body_fields, parse_datetime, q_int, q_str
from rolodex.doors.native.resources import Param, _check_query
from rolodex.errors import ValidationFailed
from rolodex.runtime import settings_of

# Who a change made through this door is recorded as (the request's credential and id are
# added when the spine hands them over).

PAGE_QUERY = (
    Param("cursor", "string", "next_cursor from the previous page."),
    Param("limit", "integer", "Page size, 1 to 100. Default 25."),
)
DELIVERY_QUERY = (
    Param(
        "status",
        "string",
        "Only deliveries in this state: pending, delivering, succeeded or failed.",
    ),
    *PAGE_QUERY,
)
_NESTED = frozenset({"event_types"})


def _page(page: Any) -> dict[str, Any]:
    return {"data": page.items, "has_more": page.has_more, "next_cursor": page.next_cursor}


def _answer(endpoint: Any, secret: str | None = None, status: int = 200, **headers: str) -> Reply:
    body = webhooks.shown(endpoint)
    if secret is not None:
        body["secret"] = secret
    return Reply(body, status=status, etag=etag(endpoint.version), headers=headers or None)


def list_endpoints(reader: Reader, call: Call) -> Reply:
    _check_query(call, PAGE_QUERY)
    q = call.query
    return Reply(
        _page(
            webhooks.endpoint_page(
                reader, call.account_id, q_str(q, "cursor", 500), q_int(q, "limit")
            )
        )
    )


def create_endpoint(session: Session, call: Call) -> Reply:
    body = call.body
    endpoint, secret = webhooks.create_endpoint(
        session,
        call.account_id,
        body_fields(body, webhooks.ENDPOINT_FIELDS, _NESTED),
        body.get("event_types"),
        settings=settings_of(session),
        actor=changes.ACTOR.get(),
    )
    location = f"/v1/webhook_endpoints/{endpoint.id}"
    return _answer(endpoint, secret, 201, Location=location)


def get_endpoint(reader: Reader, call: Call) -> Reply:
    _check_query(call, ())
    shown, version = webhooks.read_endpoint(reader, call.account_id, call.path_id("endpoint_id"))
    return Reply(shown, etag=etag(version))


def update_endpoint(session: Session, call: Call) -> Reply:
    body = call.body
    extra: dict[str, Any] = {}
    if "event_types" in body:
        extra["event_types"] = body["event_types"]
    endpoint = webhooks.update_endpoint(
        session,
        call.account_id,
        call.path_id("endpoint_id"),
        body_fields(body, webhooks.ENDPOINT_FIELDS, _NESTED),
        expected_version=call.expected_version,
        settings=settings_of(session),
        actor=changes.ACTOR.get(),
        **extra,
    )
    return _answer(endpoint)


def delete_endpoint(session: Session, call: Call) -> Reply:
    webhooks.delete_endpoint(
        session,
        call.account_id,
        call.path_id("endpoint_id"),
        expected_version=call.expected_version,
        actor=changes.ACTOR.get(),
    )
    return Reply(None, status=204)


def rotate_secret(session: Session, call: Call) -> Reply:
    endpoint, secret = webhooks.rotate_secret(
        session,
        call.account_id,
        call.path_id("endpoint_id"),
        expected_version=call.expected_version,
        settings=settings_of(session),
        actor=changes.ACTOR.get(),
    )
    return _answer(endpoint, secret)


def list_deliveries(reader: Reader, call: Call) -> Reply:
    _check_query(call, DELIVERY_QUERY)
    q = call.query
    status = q_str(q, "status", 20)
    if status is not None and status not in deliveries.STATUSES:
        raise InvalidParameter(
            f"status must be one of {', '.join(deliveries.STATUSES)}.", field="status"
        )
    page = deliveries.log_page(
        reader,
        call.account_id,
        call.path_id("endpoint_id"),
        status=status,
        cursor=q_str(q, "cursor", 500),
        limit=q_int(q, "limit"),
    )
    return Reply(_page(page))


def resend_delivery(session: Session, call: Call) -> Reply:
    endpoint_id = call.path_id("endpoint_id")
    delivery_id = call.ident("delivery_id", "webhook delivery")
    deliveries.resend(session, call.account_id, endpoint_id, delivery_id)
    shown = deliveries.one(Reader.within(session), call.account_id, endpoint_id, delivery_id)
    return Reply(shown, status=202)


def _time(body: dict[str, Any], key: str) -> Any:
    value = body.get(key)
    if not isinstance(value, str):
        raise ValidationFailed.one(key, "must be an ISO 8601 date-time")
    try:
        return parse_datetime(value)
    except ValueError:
        raise ValidationFailed.one(key, "must be an ISO 8601 date-time") from None


def resend_range(session: Session, call: Call) -> Reply:
    body = call.body
    for key in body:
        if key not in ("from", "to"):
            raise ValidationFailed.one(key, "is not a field of a re-send (from, to)")
    queued = deliveries.resend_range(
        session,
        call.account_id,
        call.path_id("endpoint_id"),
        _time(body, "from"),
        _time(body, "to"),
    )
    return Reply({"queued": queued}, status=202)
