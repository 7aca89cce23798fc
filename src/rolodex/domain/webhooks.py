"""Webhook endpoints: where an account's events are sent, which types each wants, and its
signing secret (shown once, when made or rotated; stored sealed, rolodex.webhooks.sealing).
Each change to an endpoint is itself an event (`webhook_endpoint.created`, `.updated`,
`.deleted`, `.secret_rotated`, and `.disabled` when it is switched off for failing)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from rolodex.config import Settings
from rolodex.db.prepared import Prepared, Reader
from rolodex.db.types import format_utc_ms, utcnow
from rolodex.domain import events
from rolodex.domain.clients import check_version
from rolodex.domain.events import RECORD_TYPES, Actor, NewEvent
from rolodex.domain.fields import Field, clean, s
from rolodex.domain.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page
from rolodex.errors import InvalidQuery, NotFound, ValidationFailed
from rolodex.models import WebhookEndpoint
from rolodex.webhooks import addresses, sealing, sending

ENDPOINT_FIELDS: dict[str, Field] = {
    "url": Field(
        "url",
        2048,
        required=True,
        nullable=False,
        description="Where events are POSTed: http or https, resolving to a public address "
        "(unless the server allows private ones).",
    ),
    "description": s(500, "Your own note about this endpoint."),
    "enabled": Field(
        "bool",
        nullable=False,
        description="false stops deliveries (they wait); true again clears why it was "
        "disabled and resumes them.",
    ),
}
EVENT_TYPES_MAX = 100
_TYPE_RE = re.compile(r"^([a-z_]{1,30})\.([a-z_]{1,28}|\*)$")


def secret_context(account_id: int) -> str:
    """What a sealed secret is bound to: it opens only for its own account's endpoints."""
    return f"webhook_endpoint:{account_id}"


def clean_event_types(value: Any, field: str = "event_types") -> str:
    """A list of event types (`client.created`), patterns (`client.*`) or `*`, as stored:
    `*` for every event (also for an empty list), else the names joined by commas."""
    if value is None:
        return "*"
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationFailed.one(field, "must be a list of event types")
    if len(value) > EVENT_TYPES_MAX:
        raise ValidationFailed.one(field, f"must name at most {EVENT_TYPES_MAX} types")
    names: list[str] = []
    for raw in value:
        name = raw.strip()
        if name == "*":
            return "*"
        match = _TYPE_RE.match(name)
        if match is None or match.group(1) not in RECORD_TYPES:
            known = ", ".join(RECORD_TYPES)
            raise ValidationFailed.one(
                field,
                f"{name!r} is not an event type: use <record>.<action> (client.created), "
                f"<record>.* or *, where <record> is one of {known}",
            )
        if name not in names:
            names.append(name)
    return ",".join(names) if names else "*"


def event_types_list(stored: str) -> list[str]:
    return [t for t in stored.split(",") if t] or ["*"]


def _ts(value: datetime | None) -> str | None:
    return None if value is None else format_utc_ms(value)


def shown(endpoint: Any) -> dict[str, Any]:
    """An endpoint as the native API shows it (never with its secret)."""
    return {
        "id": endpoint.id,
        "object": "webhook_endpoint",
        "url": endpoint.url,
        "event_types": event_types_list(endpoint.event_types),
        "enabled": endpoint.enabled,
        "description": endpoint.description,
        "disabled_reason": endpoint.disabled_reason,
        "failing_since": _ts(endpoint.failing_since),
        "created_at": _ts(endpoint.created_at),
        "updated_at": _ts(endpoint.updated_at),
    }


def _event(
    kind: str, endpoint: WebhookEndpoint, previous: Mapping[str, Any] | None = None
) -> NewEvent:
    return NewEvent(
        f"webhook_endpoint.{kind}", "webhook_endpoint", endpoint.id, None, shown(endpoint), previous
    )


def get_endpoint(session: Session, account_id: int, endpoint_id: int) -> WebhookEndpoint:
    endpoint = session.scalar(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.account_id == account_id, WebhookEndpoint.id == endpoint_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if endpoint is None:
        raise NotFound("webhook endpoint", endpoint_id)
    return endpoint


def _sealed_secret(settings: Settings, account_id: int) -> tuple[str, str]:
    secret = sending.new_secret()
    return secret, sealing.sealer(settings).seal(secret, secret_context(account_id))


def create_endpoint(
    session: Session,
    account_id: int,
    fields: Mapping[str, Any],
    event_types: Any,
    *,
    settings: Settings,
    actor: Actor,
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint, and its secret in clear (to be shown this once)."""
    values = clean(ENDPOINT_FIELDS, fields, partial=False)
    stored_types = clean_event_types(event_types)
    addresses.check_url(values["url"], allow_private=settings.webhook_allow_private)
    secret, sealed = _sealed_secret(settings, account_id)
    endpoint = WebhookEndpoint(
        account_id=account_id,
        event_types=stored_types,
        secret=sealed,
        enabled=values.pop("enabled", True),
        **values,
    )
    session.add(endpoint)
    session.flush()
    events.append(session, account_id, actor, [_event("created", endpoint)])
    return endpoint, secret


_UNSET: Any = object()


def update_endpoint(
    session: Session,
    account_id: int,
    endpoint_id: int,
    fields: Mapping[str, Any],
    event_types: Any = _UNSET,
    *,
    expected_version: int | None,
    settings: Settings,
    actor: Actor,
) -> WebhookEndpoint:
    endpoint = get_endpoint(session, account_id, endpoint_id)
    check_version(endpoint.version, expected_version)
    values = clean(ENDPOINT_FIELDS, fields, partial=True)
    if event_types is not _UNSET:
        values["event_types"] = clean_event_types(event_types)
    if values.get("url") is not None and values["url"] != endpoint.url:
        addresses.check_url(values["url"], allow_private=settings.webhook_allow_private)
    before = shown(endpoint)
    for key, value in values.items():
        setattr(endpoint, key, value)
    if values.get("enabled") is True and before["enabled"] is False:
        endpoint.disabled_reason = None
        endpoint.failing_since = None
    changed = [k for k in ("url", "event_types", "enabled", "description") if k in values]
    previous: dict[str, Any] = {k: before[k] for k in changed}
    if session.is_modified(endpoint):
        session.flush()
        after = shown(endpoint)
        previous = {k: v for k, v in previous.items() if after[k] != v}
        for key in ("disabled_reason", "failing_since"):
            if after[key] != before[key]:
                previous[key] = before[key]
        events.append(session, account_id, actor, [_event("updated", endpoint, previous)])
    return endpoint


def delete_endpoint(
    session: Session,
    account_id: int,
    endpoint_id: int,
    *,
    expected_version: int | None,
    actor: Actor,
) -> None:
    endpoint = get_endpoint(session, account_id, endpoint_id)
    check_version(endpoint.version, expected_version)
    gone = _event("deleted", endpoint)
    session.delete(endpoint)
    session.flush()
    events.append(session, account_id, actor, [gone])


def rotate_secret(
    session: Session,
    account_id: int,
    endpoint_id: int,
    *,
    expected_version: int | None,
    settings: Settings,
    actor: Actor,
) -> tuple[WebhookEndpoint, str]:
    """A new secret replaces the old at once (deliveries from now on are signed with it)."""
    endpoint = get_endpoint(session, account_id, endpoint_id)
    check_version(endpoint.version, expected_version)
    secret, endpoint.secret = _sealed_secret(settings, account_id)
    endpoint.updated_at = utcnow()
    session.flush()
    events.append(session, account_id, actor, [_event("secret_rotated", endpoint)])
    return endpoint, secret


def disable_failing(
    session: Session, endpoint_ids: Sequence[int], reason: str
) -> list[WebhookEndpoint]:
    """Switch these endpoints off for failing (those still on), each with an event from
    the system; the ones switched off."""
    found = session.scalars(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.id.in_(endpoint_ids), WebhookEndpoint.enabled)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    for endpoint in found:
        endpoint.enabled = False
        endpoint.disabled_reason = reason[:500]
    session.flush()
    # One account's lock at a time, in account order: two workers disabling endpoints of the
    # same accounts at once take them in the same order.
    for endpoint in sorted(found, key=lambda e: (e.account_id, e.id)):
        events.append(
            session,
            endpoint.account_id,
            events.SYSTEM,
            [_event("disabled", endpoint, {"enabled": True, "disabled_reason": None})],
        )
    return list(found)


# --- reads ---------------------------------------------------------------------------------

_READ = (
    WebhookEndpoint.id,
    WebhookEndpoint.url,
    WebhookEndpoint.event_types,
    WebhookEndpoint.enabled,
    WebhookEndpoint.description,
    WebhookEndpoint.disabled_reason,
    WebhookEndpoint.failing_since,
    WebhookEndpoint.created_at,
    WebhookEndpoint.updated_at,
    WebhookEndpoint.version,
)
_NAMES = tuple(c.key for c in _READ)


class _Row:
    __slots__ = _NAMES

    def __init__(self, row: Sequence[Any]) -> None:
        for name, value in zip(_NAMES, row, strict=True):
            setattr(self, name, value)


_ONE = Prepared(
    select(*_READ).where(
        WebhookEndpoint.account_id == bindparam("account_id"),
        WebhookEndpoint.id == bindparam("endpoint_id"),
    )
)
_PAGE = Prepared(
    select(*_READ)
    .where(
        WebhookEndpoint.account_id == bindparam("account_id"),
        WebhookEndpoint.id > bindparam("after_id"),
    )
    .order_by(WebhookEndpoint.id)
    .limit(bindparam("limit_plus_one"))
)


def read_endpoint(reader: Reader, account_id: int, endpoint_id: int) -> tuple[dict[str, Any], int]:
    """The endpoint as shown, and its version (the ETag)."""
    row = reader.one_or_none(_ONE, account_id=account_id, endpoint_id=endpoint_id)
    if row is None:
        raise NotFound("webhook endpoint", endpoint_id)
    found = _Row(row)
    return shown(found), found.version  # type: ignore[attr-defined]


def endpoint_page(
    reader: Reader, account_id: int, cursor: str | None, limit: int | None
) -> Page[dict[str, Any]]:
    size = DEFAULT_LIMIT if limit is None else limit
    if not 1 <= size <= MAX_LIMIT:
        raise InvalidQuery(f"limit must be between 1 and {MAX_LIMIT}.", field="limit")
    after = 0
    if cursor:
        after = events.decode_cursor(cursor, False)
    rows = reader.rows(_PAGE, account_id=account_id, after_id=after, limit_plus_one=size + 1)
    items = [shown(_Row(r)) for r in rows[:size]]
    more = len(rows) > size
    return Page(items, more, events.encode_cursor(items[-1]["id"], False) if more else None)
