"""The Trackops door's handlers: clients, client locations and client contacts, each listed
(a bare array, or counts), read and created."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import orjson
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from rolodex.db.prepared import Reader
from rolodex.domain import batches, contacts, documents, locations, record_attributes
from rolodex.domain.clients import NewClient
from rolodex.domain.pagination import (
    Criterion,
    NumberedList,
    equals,
    page_count,
    time_ranges,
)
from rolodex.domain.queries import CLIENT, LOCATION, Record
from rolodex.doors.documents import TRACKOPS_KIND, trackops
from rolodex.doors.trackops import mapping, params
from rolodex.doors.trackops.http import Call, Reply
from rolodex.doors.trackops.wire import VENDOR
from rolodex.models import Client, Location

CLIENTS = NumberedList(
    CLIENT,
    (
        equals("id", Client.id),
        equals("name", Client.name),
        equals("account_code", Client.account_code),
        equals("salesperson_id", Client.salesperson_id),
        equals("case_manager_id", Client.case_manager_id),
        *time_ranges(Client),
    ),
)
# A location has no salesperson of its own: its client's.
LOCATIONS = NumberedList(
    LOCATION,
    (
        equals("id", Location.id),
        equals("name", Location.name),
        equals("client_id", Location.client_id),
        Criterion(
            "client_salesperson_id",
            lambda p: Location.client_id.in_(
                select(Client.id).where(
                    Client.account_id == bindparam("account_id"), Client.salesperson_id == p
                )
            ),
        ),
        *time_ranges(Location),
    ),
)


def _list(
    reader: Reader,
    call: Call,
    rows: NumberedList,
    filters: Mapping[str, params.Filter],
    attach: Callable[[list[Record]], None] | None,
    render: Callable[[list[Record]], list[Any]],
) -> Reply:
    q = params.parse(call.query, filters)
    if q.count_only:
        found = rows.count(reader, call.account_id, q.filters)
        return Reply({"record_count": found, "page_count": page_count(found, q.per_page)})
    records = rows.page(
        reader,
        call.account_id,
        q.filters,
        page=q.page,
        per_page=q.per_page,
        descending=q.descending,
    )
    if attach is not None:
        attach(records)
    # A bare array, as the SDK's examples iterate it.
    return Reply(render(records))


def _created(call: Call, body: dict[str, Any], path: str) -> Reply:
    return Reply(body, status=201, headers={"Location": f"{call.base}/{path}/{body['id']}"})


# --- clients ---------------------------------------------------------------------------------


def list_clients(reader: Reader, call: Call) -> Reply:
    return _list(
        reader,
        call,
        CLIENTS,
        params.CLIENT_FILTERS,
        None,
        lambda records: documents.fragments(
            reader,
            TRACKOPS_KIND,
            [r["id"] for r in records],
            lambda missing: trackops(reader, call.account_id, missing),
        ),
    )


def get_client(reader: Reader, call: Call) -> Reply:
    client_id = call.path_id("client")
    found = documents.one(reader, TRACKOPS_KIND, call.account_id, client_id)
    if found is not None:
        return Reply(orjson.Fragment(found[0]))
    record = locations.client_with_primary_location(
        reader, call.account_id, client_id, vendor=VENDOR
    )
    return Reply(mapping.client(record))


def create_client(session: Session, call: Call) -> Reply:
    """A client and its primary location (and the fields only Trackops has, kept as its vendor
    attributes) written as one row of the batched Core writes (rolodex.domain.batches, no unit
    of work), answered from its trackops document, rendered in the transaction (the other
    doors' documents are left to the backlog)."""
    client_in, location_in = mapping.client_body(call.body)
    row = locations.new_client_with_primary_location(
        NewClient(fields=client_in.fields),
        location_in.fields if location_in is not None else None,
    )
    if client_in.extras:
        row.attributes[VENDOR] = dict(client_in.extras)
    if location_in is not None and location_in.extras:
        row.locations[0].attributes = (VENDOR, dict(location_in.extras))
    client_id = batches.create_row(session, call.account_id, row, answer_kinds=(TRACKOPS_KIND,))
    reader = Reader.within(session)
    found = documents.one(reader, TRACKOPS_KIND, call.account_id, client_id)
    headers = {"Location": f"{call.base}/clients/{client_id}"}
    if found is not None:
        return Reply(orjson.Fragment(found[0]), status=201, headers=headers)
    record = locations.client_with_primary_location(
        reader, call.account_id, client_id, vendor=VENDOR
    )
    return Reply(mapping.client(record), status=201, headers=headers)


# --- client locations --------------------------------------------------------------------------


def list_locations(reader: Reader, call: Call) -> Reply:
    return _list(
        reader,
        call,
        LOCATIONS,
        params.LOCATION_FILTERS,
        lambda records: record_attributes.attach(reader, "location", VENDOR, records),
        lambda records: [mapping.location(r) for r in records],
    )


def _location(reader: Reader, account_id: int, ident: int) -> dict[str, Any]:
    record = locations.location(reader, account_id, ident)
    record_attributes.attach(reader, "location", VENDOR, [record])
    return mapping.location(record)


def get_location(reader: Reader, call: Call) -> Reply:
    return Reply(_location(reader, call.account_id, call.path_id("location")))


def create_location(session: Session, call: Call) -> Reply:
    parsed = mapping.location_body(call.body)
    location = locations.create_location(session, call.account_id, parsed.parent, parsed.fields)
    record_attributes.store_new(
        session,
        account_id=call.account_id,
        entity="location",
        entity_id=location.id,
        client_id=location.client_id,
        vendor=VENDOR,
        attributes=parsed.extras,
    )
    body = _location(Reader.within(session), call.account_id, location.id)
    return _created(call, body, "client/locations")


# --- client contacts ---------------------------------------------------------------------------


def list_contacts(reader: Reader, call: Call) -> Reply:
    return _list(
        reader,
        call,
        contacts.CONTACTS,
        params.CONTACT_FILTERS,
        lambda records: record_attributes.attach(reader, "contact", VENDOR, records),
        lambda records: [mapping.contact(r) for r in records],
    )


def _contact(reader: Reader, account_id: int, ident: int) -> dict[str, Any]:
    record = contacts.contact(reader, account_id, ident)
    record_attributes.attach(reader, "contact", VENDOR, [record])
    return mapping.contact(record)


def get_contact(reader: Reader, call: Call) -> Reply:
    return Reply(_contact(reader, call.account_id, call.path_id("contact")))


def create_contact(session: Session, call: Call) -> Reply:
    parsed = mapping.contact_body(call.body)
    contact = contacts.create_contact(
        session, call.account_id, parsed.fields, required=("role_id",)
    )
    record_attributes.store_new(
        session,
        account_id=call.account_id,
        entity="contact",
        entity_id=contact.id,
        client_id=contact.client_id,
        vendor=VENDOR,
        attributes=parsed.extras,
    )
    body = _contact(Reader.within(session), call.account_id, contact.id)
    return _created(call, body, "client/contacts")
