"""Records the shared model has no table for, derived from what Halo callers store on their
clients: popup notes (an Area's `popup_notes`), recurring items (`areaitems`), allowed request
types (`allowed_tickettypes`) and Azure tenant links (`azure_tenants`). Each is shown with the
client that carries it; marking a popup note read changes that client's `popup_notes`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from rolodex.db.prepared import Reader
from rolodex.db.types import utcnow
from rolodex.domain import queries, vendor_data
from rolodex.doors.halo import reads as account_reads
from rolodex.doors.halo import views
from rolodex.doors.halo.errors import halo_names
from rolodex.doors.halo.http import Call, Reply
from rolodex.doors.halo.mapping import own_id, reference
from rolodex.doors.halo.wire import VENDOR
from rolodex.errors import NotFound, ValidationFailed
from rolodex.models import Location

POPUPS = "popup_notes"
ITEMS = "areaitems"
REQUEST_TYPES = "allowed_tickettypes"
TENANTS = "azure_tenants"


def _carried(
    reader: Reader, account_id: int, key: str, *, client_id: int | None = None
) -> Iterator[tuple[int, str, dict[str, Any]]]:
    """(client id, client name, element) for each object in the clients' `key` lists."""
    for cid, name, items in account_reads.clients_carrying(
        reader, account_id, VENDOR, key, client_id=client_id
    ):
        if isinstance(items, list):
            for item in items:
                if isinstance(item, dict):
                    yield cid, name, item


# --- popup notes ----------------------------------------------------------------------------------


def list_popups(reader: Reader, call: Call) -> Reply:
    q = call.query
    site_id, user_id = q.integer("site_id"), q.integer("user_id")
    show_all = bool(q.boolean("showall"))
    out = []
    for cid, _name, popup in _carried(
        reader, call.account_id, POPUPS, client_id=q.integer("client_id")
    ):
        if site_id is not None and popup.get("site_id") != site_id:
            continue
        if user_id is not None and popup.get("user_id") != user_id:
            continue
        if not show_all and popup.get("read_status"):
            continue
        out.append({**popup, "client_id": cid})
    return Reply(out)


def mark_popups_read(session: Session, call: Call) -> Reply:
    """Set `read_status` to 1 on each popup note named by `id` (within `client_id`, when the
    object names one)."""
    reader = Reader.within(session)
    changed: dict[int, list[Any]] = {}
    marked: list[dict[str, Any]] = []
    for index, element in enumerate(call.body):
        with halo_names({}, call.at(index)):
            popup_id = own_id(element.get("id"))
            if popup_id is None:
                raise ValidationFailed.one("id", "is required: the popup note to mark read")
            client_id = reference("client_id", element.get("client_id"))
        found = False
        for cid, _name, stored in account_reads.clients_carrying(
            reader, call.account_id, VENDOR, POPUPS, client_id=client_id
        ):
            popups = changed.get(cid, stored)
            if not isinstance(popups, list):
                continue
            updated = list(popups)
            hit = False
            for position, popup in enumerate(updated):
                if isinstance(popup, dict) and popup.get("id") == popup_id:
                    updated[position] = {**popup, "read_status": 1}
                    marked.append({**updated[position], "client_id": cid})
                    hit = True
            if hit:
                changed[cid] = updated
                found = True
        if not found:
            raise NotFound("popup note", popup_id)
    for cid, popups in changed.items():
        vendor_data.merge(
            session,
            account_id=call.account_id,
            entity=views.CLIENT_ENTITY,
            entity_id=cid,
            vendor=VENDOR,
            attributes={POPUPS: popups},
            client_id=cid,
        )
    return Reply(views.one_or_many(marked))


# --- recurring items ------------------------------------------------------------------------------


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _pending(item: dict[str, Any], now: datetime) -> bool:
    """Due for a recurring invoice: invoiced, and its next invoice date has come."""
    due = _instant(item.get("nextinvoicedate"))
    return not item.get("dontinvoice") and due is not None and due <= now


def list_recurring_items(reader: Reader, call: Call) -> Reply:
    q = call.query
    pending_only = bool(q.boolean("pending_recurring_invoice"))
    now = utcnow()
    out = [
        {**item, "client_id": cid}
        for cid, _name, item in _carried(
            reader, call.account_id, ITEMS, client_id=q.integer("client_id")
        )
        if not pending_only or _pending(item, now)
    ]
    return Reply(out)


# --- request types --------------------------------------------------------------------------------


def _request_types(reader: Reader, account_id: int, client_id: int | None) -> list[dict[str, Any]]:
    return [
        {"client_id": cid, "client_name": name, "request_type": request_type.get("id")}
        for cid, name, request_type in _carried(
            reader, account_id, REQUEST_TYPES, client_id=client_id
        )
        if request_type.get("id") is not None
    ]


def list_request_types(reader: Reader, call: Call) -> Reply:
    return Reply(_request_types(reader, call.account_id, None))


def client_request_types(reader: Reader, call: Call) -> Reply:
    """`/AreaRequestType/{id}`: the request types allowed to client `id`."""
    client_id = call.path_id("client")
    queries.require_client(reader, call.account_id, client_id)
    return Reply(_request_types(reader, call.account_id, client_id))


# --- Azure tenants --------------------------------------------------------------------------------


def list_azure_tenants(reader: Reader, call: Call) -> Reply:
    q = call.query
    if q.boolean("notset"):
        # Every link kept here belongs to a client: none is unlinked.
        return Reply([])
    client_id = q.integer("client_id")
    site_id = q.integer("site_id")
    if site_id is not None:
        try:
            owner = account_reads.owner_of(reader, Location, "site", call.account_id, site_id)
        except NotFound:
            return Reply([])
        if client_id is not None and client_id != owner:
            return Reply([])
        client_id = owner
    tenant_id = q.text("azure_tenant_id")
    details_id = q.integer("details_id")
    out = []
    for cid, name, tenant in _carried(reader, call.account_id, TENANTS, client_id=client_id):
        if (
            tenant_id is not None
            and str(tenant.get("azure_tenant_id", "")).lower() != tenant_id.lower()
        ):
            continue
        if details_id is not None and tenant.get("details_id") != details_id:
            continue
        out.append({**tenant, "client_id": cid, "client_name": name})
    return Reply(out)
