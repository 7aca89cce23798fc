"""/customers: list, create, show, update, delete, customer_validation and filter.

A customer is a client; its flat address, phone and email fields are written to the shared
records they are read from (rolodex.doors.kickserv.sources), in the request's one transaction:
a new customer's through the batched Core writes (rolodex.domain.batches), a change's through
the domain services.
"""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy.orm import Session

from rolodex.db.prepared import Reader
from rolodex.db.search import contains
from rolodex.domain import batches, clients, documents, owned, record_attributes
from rolodex.domain.batches import ImportRow, NewLocation
from rolodex.domain.clients import NewClient
from rolodex.domain.fields import (
    ADDRESS_FIELDS,
    EMAIL_FIELDS,
    LOCATION_FIELDS,
    PHONE_FIELDS,
    clean,
)
from rolodex.doors.documents import KICKSERV_KIND, kickserv
from rolodex.doors.kickserv import mapping, params, render, sources, wire
from rolodex.doors.kickserv import reads as customer_reads
from rolodex.doors.kickserv.filters import CUSTOMERS
from rolodex.doors.kickserv.http import Call, Reply
from rolodex.doors.kickserv.mapping import CustomerChanges, renamed

# Customers per page of GET /customers.json and /customers/filter.json (see docs/kickserv.md).
PER_PAGE = 30
# The name of the primary location a service address creates when the client has none.
SERVICE_LOCATION = "Service Address"
BILLING_LABEL = "billing"
DELETED = {"message": "Customer successfully deleted"}


def _customer(reader: Reader, account_id: int, client_id: int) -> dict[str, Any]:
    return customer_reads.customer_by_id(reader, account_id, client_id, wire.VENDOR)


# --- reads ---------------------------------------------------------------------------------------


def _shown(reader: Reader, call: Call, records: list[dict[str, Any]]) -> list[Any]:
    """A page of customers, from their documents."""
    return documents.fragments(
        reader,
        KICKSERV_KIND,
        [r["id"] for r in records],
        lambda missing: kickserv(reader, call.account_id, missing),
    )


def list_customers(reader: Reader, call: Call) -> Reply:
    records = CUSTOMERS.page(
        reader,
        call.account_id,
        params.customer_filters(call.query),
        page=params.page_number(call.query, "customers_page"),
        per_page=PER_PAGE,
    )
    return Reply(_shown(reader, call, records))


def show_customer(reader: Reader, call: Call) -> Reply:
    number = call.number("number", "customer")
    found = documents.by_number(reader, KICKSERV_KIND, call.account_id, number)
    if found is not None:
        return Reply(orjson.Fragment(found[0]))
    return Reply(
        render.customer(customer_reads.customer(reader, call.account_id, number, wire.VENDOR))
    )


def customer_validation(reader: Reader, call: Call) -> Reply:
    """Does a customer of exactly this name (ignoring case) exist?"""
    name = mapping.validation_name(call.body)
    found = customer_reads.first_customer_named(reader, call.account_id, name, wire.VENDOR)
    if found is None:
        return Reply({"status": "not found"})
    return Reply(
        {
            "status": "exist",
            "customer_url": f"/{call.slug}/customers/{found['number']}",
            "customer_name": found["name"],
            "customer": render.customer(found),
        }
    )


def filter_customers(reader: Reader, call: Call) -> Reply:
    """Customers whose name contains `name`; when none does, Kickserv's documented answer: a
    list holding one customer whose every key is null."""
    name = call.query.get("name", "").strip()
    records = CUSTOMERS.page(
        reader,
        call.account_id,
        {"name_contains": contains(name) if name else None},
        page=params.page_number(call.query, "customers_page"),
        per_page=PER_PAGE,
    )
    customers = _shown(reader, call, records) or [render.empty_customer()]
    return Reply({"customers": customers})


# --- writes --------------------------------------------------------------------------------------


def create_customer(session: Session, call: Call) -> Reply:
    """A new customer, written as one row of the batched Core writes (rolodex.domain.batches,
    no unit of work) and answered from its kickserv document, rendered in the transaction
    (the other doors' documents are left to the backlog)."""
    changes = mapping.customer_changes(mapping.wrapped(call.body, "customer"), create=True)
    row = _new_customer(changes)
    client_id = batches.create_row(session, call.account_id, row, answer_kinds=(KICKSERV_KIND,))
    reader = Reader.within(session)
    found = documents.one(reader, KICKSERV_KIND, call.account_id, client_id)
    if found is not None:
        return Reply(orjson.Fragment(found[0]))
    return Reply(render.customer(_customer(reader, call.account_id, client_id)))


def _new_customer(changes: CustomerChanges) -> ImportRow:
    """The rows a new customer is made of: what `_write_parts` writes to a customer that has
    no service address, billing address, phone number or email address yet (a primary
    "Service Address" location, a primary billing address, a phone number per slot, the
    primary email address, in the body's order), checked by the same rules under the same
    wire names. `customer_changes` has checked every value already, so none of these checks
    refuses anything in practice; they are kept so that nothing reaches the tables unchecked."""
    new_locations: list[NewLocation] = []
    if _has_value(changes.service):
        with renamed(mapping.SERVICE_NAMES):
            service = {"name": SERVICE_LOCATION, "is_primary": True, **changes.service}
            new_locations.append(NewLocation(clean(LOCATION_FIELDS, service, partial=False)))
    addresses: list[dict[str, Any]] = []
    if _has_value(changes.billing):
        with renamed(mapping.BILLING_NAMES):
            billing = {"label": BILLING_LABEL, "is_primary_billing": True, **changes.billing}
            addresses.append(clean(ADDRESS_FIELDS, billing, partial=False))
    phones: list[dict[str, Any]] = []
    emails: list[dict[str, Any]] = []
    for key, value in changes.contacts.items():
        if value is None:
            continue
        if key == wire.EMAIL_ADDRESS:
            with renamed({"address": key}):
                email = {"address": value, "is_primary": True}
                emails.append(clean(EMAIL_FIELDS, email, partial=False))
        else:
            label = wire.PHONE_SLOTS[key][0]
            with renamed({"number": key}):
                phone = {"label": label, "number": value, "is_primary": key == "phone_number"}
                phones.append(clean(PHONE_FIELDS, phone, partial=False))
    with renamed(mapping.CLIENT_NAMES):
        row = batches.prepare_new(
            NewClient(
                fields=changes.client,
                addresses=addresses,
                phone_numbers=phones,
                email_addresses=emails,
            ),
            0,
        )
    row.locations = new_locations
    if changes.vendor:
        row.attributes[wire.VENDOR] = dict(changes.vendor)
    # The client's version as the ORM's create left it: each address, phone number and email
    # address it wrote after the client bumped it (the location did not).
    row.client["version"] = 1 + len(addresses) + len(phones) + len(emails)
    return row


def update_customer(session: Session, call: Call) -> Reply:
    number = call.number("number", "customer")
    client_id = customer_reads.client_id_for_number(Reader.within(session), call.account_id, number)
    changes = mapping.customer_changes(mapping.wrapped(call.body, "customer"), create=False)
    client = clients.lock_client(session, call.account_id, client_id)
    if changes.client:
        with renamed(mapping.CLIENT_NAMES):
            clients.update_client(
                session, call.account_id, client_id, changes.client, locked=client
            )
    _write_parts(session, call.account_id, client, changes)
    if changes.service or changes.contacts or changes.vendor:
        # A customer's service address and phones may live on a location, and its vendor
        # attributes on a row of their own: its updated_at moves whatever part of it changed.
        clients.refresh(session, client_id, search=False, bump=True)
    return Reply(render.customer(_customer(Reader.within(session), call.account_id, client_id)))


def delete_customer(session: Session, call: Call) -> Reply:
    number = call.number("number", "customer")
    client_id = customer_reads.client_id_for_number(Reader.within(session), call.account_id, number)
    clients.delete_client(session, call.account_id, client_id)
    return Reply(DELETED)


def _write_parts(session: Session, account_id: int, client: Any, changes: CustomerChanges) -> None:
    """Everything of a customer body that is not a client column: the service and billing
    addresses, phone numbers, email address and vendor attributes."""
    if changes.service:
        rec = _customer(Reader.within(session), account_id, client.id)
        _write_service(session, account_id, rec, changes.service)
    if changes.billing:
        rec = _customer(Reader.within(session), account_id, client.id)
        _write_billing(session, account_id, rec, changes.billing)
    if changes.contacts:
        rec = _customer(Reader.within(session), account_id, client.id)
        for key, value in changes.contacts.items():
            if key == wire.EMAIL_ADDRESS:
                _write_email(session, account_id, rec, value)
            else:
                _write_phone(session, account_id, rec, key, value)
    record_attributes.store(
        session,
        account_id=account_id,
        entity="client",
        record=client,
        client_id=client.id,
        vendor=wire.VENDOR,
        attributes=changes.vendor,
    )


def _has_value(values: dict[str, Any]) -> bool:
    return any(v not in (None, "") for v in values.values())


def _write_service(
    session: Session, account_id: int, rec: dict[str, Any], values: dict[str, Any]
) -> None:
    """To the record the service address is read from. When that is an address which is also
    the billing address, the service address moves to a new primary location instead, so the
    billing address keeps its lines. With no service address yet, a primary location is made."""
    client_id = rec["id"]
    source = sources.service_source(rec)
    billing = sources.billing_source(rec)
    with renamed(mapping.SERVICE_NAMES):
        if source is not None and source.kind == "location":
            owned.update_owned(
                session, owned.LOCATIONS, account_id, client_id, source.record["id"], values
            )
        elif source is not None and (billing is None or billing["id"] != source.record["id"]):
            owned.update_owned(
                session, owned.ADDRESSES, account_id, client_id, source.record["id"], values
            )
        elif source is not None or _has_value(values):
            lines = mapping.address_lines(source.record) if source is not None else {}
            owned.create_owned(
                session,
                owned.LOCATIONS,
                account_id,
                client_id,
                {"name": SERVICE_LOCATION, "is_primary": True, **lines, **values},
            )


def _write_billing(
    session: Session, account_id: int, rec: dict[str, Any], values: dict[str, Any]
) -> None:
    """To the primary billing address. When that is also the address the service address is
    read from, a new primary billing address is made from it instead, so the service address
    keeps its lines. With no billing address yet, one is made."""
    client_id = rec["id"]
    source = sources.billing_source(rec)
    service = sources.service_source(rec)
    shared = (
        source is not None
        and service is not None
        and service.kind == "address"
        and service.record["id"] == source["id"]
    )
    with renamed(mapping.BILLING_NAMES):
        if source is not None and not shared:
            owned.update_owned(
                session, owned.ADDRESSES, account_id, client_id, source["id"], values
            )
        elif source is not None or _has_value(values):
            lines = mapping.address_lines(source) if source is not None else {}
            owned.create_owned(
                session,
                owned.ADDRESSES,
                account_id,
                client_id,
                {"label": BILLING_LABEL, "is_primary_billing": True, **lines, **values},
            )


def _write_phone(
    session: Session, account_id: int, rec: dict[str, Any], slot: str, value: str | None
) -> None:
    client_id = rec["id"]
    found = sources.phone_source(rec, slot)
    label, _labels, location_column = wire.PHONE_SLOTS[slot]
    names = {"number": slot, **({location_column: slot} if location_column else {})}
    with renamed(names):
        if found is None:
            if value is not None:
                owned.create_owned(
                    session,
                    owned.PHONE_NUMBERS,
                    account_id,
                    client_id,
                    {"label": label, "number": value, "is_primary": slot == "phone_number"},
                )
        elif found.kind == "location":
            owned.update_owned(
                session,
                owned.LOCATIONS,
                account_id,
                client_id,
                found.record["id"],
                {found.column: value},
            )
        elif value is None:
            owned.delete_owned(
                session, owned.PHONE_NUMBERS, account_id, client_id, found.record["id"]
            )
        else:
            owned.update_owned(
                session,
                owned.PHONE_NUMBERS,
                account_id,
                client_id,
                found.record["id"],
                {"number": value},
            )


def _write_email(session: Session, account_id: int, rec: dict[str, Any], value: str | None) -> None:
    client_id = rec["id"]
    found = sources.email_source(rec)
    with renamed({"address": wire.EMAIL_ADDRESS}):
        if found is None:
            if value is not None:
                owned.create_owned(
                    session,
                    owned.EMAIL_ADDRESSES,
                    account_id,
                    client_id,
                    {"address": value, "is_primary": True},
                )
        elif value is None:
            owned.delete_owned(session, owned.EMAIL_ADDRESSES, account_id, client_id, found["id"])
        else:
            owned.update_owned(
                session,
                owned.EMAIL_ADDRESSES,
                account_id,
                client_id,
                found["id"],
                {"address": value},
            )
