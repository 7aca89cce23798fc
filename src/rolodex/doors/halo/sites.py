"""Sites: the shared model's locations. A site's delivery address is the location's own
address; its invoice address is a shared address of the client attached to the location and
labelled "invoice"."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from rolodex.db.prepared import Reader
from rolodex.domain import owned, vendor_data
from rolodex.doors.halo import reads as account_reads
from rolodex.doors.halo import views
from rolodex.doors.halo.errors import halo_names
from rolodex.doors.halo.http import Call, Reply
from rolodex.doors.halo.mapping import MISSING, parse_site
from rolodex.doors.halo.params import order_from, paging_from
from rolodex.doors.halo.reads import LocationQuery
from rolodex.doors.halo.wire import (
    INVOICE_ERROR_NAMES,
    INVOICE_LABEL,
    SITE_ERROR_NAMES,
    VENDOR,
)
from rolodex.errors import NotFound, ValidationFailed
from rolodex.models import Location

SITE_ORDERS = {
    "id": "id",
    "name": "name",
    "client_id": "client_id",
    "client_name": "client_name",
    "datecreated": "created_at",
}


def list_sites(reader: Reader, call: Call) -> Reply:
    q = call.query
    ids_only = bool(q.boolean("idonly"))
    paging = paging_from(q, ids_only=ids_only)
    total, records = account_reads.location_summaries(
        reader,
        call.account_id,
        LocationQuery(
            client_id=q.integer("client_id"),
            company_id=q.integer("toplevel_id"),
            name_contains=q.text("search"),
        ),
        order=order_from(q, SITE_ORDERS, "name"),
        window=paging.window,
    )
    if ids_only:
        rows: list[Any] = [{"id": r["id"]} for r in records]
    else:
        rows = views.sites(reader, call.account_id, records)
    return Reply(paging.envelope("sites", total, rows))


def get_site(reader: Reader, call: Call) -> Reply:
    ident = call.path_id("site")
    records = account_reads.location_summaries_by_id(reader, call.account_id, [ident])
    return Reply(views.sites(reader, call.account_id, records)[0])


def upsert_sites(session: Session, call: Call) -> Reply:
    ids = [
        write_site(session, call.account_id, element, prefix=call.at(index))
        for index, element in enumerate(call.body)
    ]
    reader = Reader.within(session)
    records = account_reads.location_summaries_by_id(reader, call.account_id, ids)
    return Reply(views.one_or_many(views.sites(reader, call.account_id, records)), 201)


def delete_site(session: Session, call: Call) -> Reply:
    ident = call.path_id("site")
    try:
        client_id = account_reads.owner_of(
            Reader.within(session), Location, "site", call.account_id, ident
        )
    except NotFound:
        raise NotFound("site", ident) from None
    owned.delete_owned(session, owned.LOCATIONS, call.account_id, client_id, ident)
    return Reply(None)


def write_site(
    session: Session,
    account_id: int,
    element: dict[str, Any],
    *,
    prefix: str,
    for_client: int | None = None,
) -> int:
    """Create or update one site from a Site object; `for_client` creates it for that client
    whatever the object says (an Area's site_update, acted on when the client is created)."""
    with halo_names(SITE_ERROR_NAMES, prefix):
        site = parse_site(element)
        reader = Reader.within(session)
        if for_client is not None:
            ident, client_id = None, for_client
        elif site.ident is None:
            if site.client_id in (MISSING, None):
                raise ValidationFailed.one("client_id", "is required: the client the site is for")
            ident, client_id = None, site.client_id
        else:
            ident = site.ident
            try:
                client_id = account_reads.owner_of(reader, Location, "site", account_id, ident)
            except NotFound:
                raise NotFound("site", ident) from None
            if site.client_id not in (MISSING, None) and site.client_id != client_id:
                raise ValidationFailed.one(
                    "client_id", f"site {ident} belongs to client {client_id}; sites cannot move"
                )
        if ident is None:
            try:
                location = owned.create_owned(
                    session, owned.LOCATIONS, account_id, client_id, site.fields
                )
            except NotFound as exc:
                if exc.entity != "client":
                    raise
                raise ValidationFailed.one("client_id", f"no client with id {client_id}") from None
            ident = int(location.id)
        elif site.fields:
            owned.update_owned(session, owned.LOCATIONS, account_id, client_id, ident, site.fields)
    if site.invoice:
        with halo_names(INVOICE_ERROR_NAMES, prefix):
            _write_invoice_address(session, reader, account_id, client_id, ident, site.invoice)
    vendor_data.merge(
        session,
        account_id=account_id,
        entity=views.LOCATION_ENTITY,
        entity_id=ident,
        vendor=VENDOR,
        attributes=site.attributes,
        client_id=client_id,
        replace=site.ident is None or for_client is not None,
    )
    return ident


def _write_invoice_address(
    session: Session,
    reader: Reader,
    account_id: int,
    client_id: int,
    location_id: int,
    lines: dict[str, Any],
) -> None:
    existing = account_reads.labelled_address_id(reader, account_id, location_id, INVOICE_LABEL)
    if existing is not None:
        owned.update_owned(session, owned.ADDRESSES, account_id, client_id, existing, lines)
    elif any(value not in (None, "") for value in lines.values()):
        owned.create_owned(
            session,
            owned.ADDRESSES,
            account_id,
            client_id,
            {**lines, "location_id": location_id, "label": INVOICE_LABEL},
        )
