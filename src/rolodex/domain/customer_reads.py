"""Customers: clients read by their per-account number, with everything a flat customer
object (Kickserv's) is drawn from fetched in one batch per page: contact points, the primary
location, the company's name and a vendor's attributes. (Kickserv's customer lists and their
filters live in its door: rolodex.doors.kickserv.filters.)

Every statement is a prepared Core SELECT (rolodex.db.prepared); a dynamic list is compiled once per
shape of its filters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, func, select

from rolodex.db.prepared import Prepared, Reader
from rolodex.domain import record_attributes
from rolodex.domain.queries import (
    ADDRESS,
    ADDRESSES_FOR,
    CLIENT,
    EMAIL,
    EMAILS_FOR,
    LOCATION,
    PHONE,
    PHONES_FOR,
    Record,
)
from rolodex.errors import NotFound
from rolodex.models import (
    Client,
    Company,
    Location,
)

PRIMARY_LOCATIONS_FOR = Prepared(
    select(*LOCATION.cols()).where(
        Location.client_id.in_(bindparam("client_ids", expanding=True)),
        Location.is_primary.is_(True),
    )
)
COMPANY_NAMES_FOR = Prepared(
    select(Company.id, Company.name).where(Company.id.in_(bindparam("company_ids", expanding=True)))
)
CLIENT_ID_BY_NUMBER = Prepared(
    select(Client.id).where(
        Client.account_id == bindparam("account_id"), Client.number == bindparam("number")
    )
)
CLIENT_BY_NUMBER = Prepared(
    select(*CLIENT.cols()).where(
        Client.account_id == bindparam("account_id"), Client.number == bindparam("number")
    )
)
CLIENT_BY_ID = Prepared(
    select(*CLIENT.cols()).where(
        Client.account_id == bindparam("account_id"), Client.id == bindparam("client_id")
    )
)


def client_id_for_number(reader: Reader, account_id: int, number: int) -> int:
    row = reader.one_or_none(CLIENT_ID_BY_NUMBER, account_id=account_id, number=number)
    if row is None:
        raise NotFound("customer", number)
    return int(row[0])


def attach_customer_details(reader: Reader, records: list[Record], vendor: str) -> None:
    """Give each client record, in one batch: its addresses, phone numbers and email addresses,
    its primary location (or None), its company's name (or None) and `vendor`'s attributes."""
    if not records:
        return
    ids = {"client_ids": [r["id"] for r in records]}
    company_ids = sorted({r["company_id"] for r in records if r["company_id"] is not None})
    batch: list[tuple[Prepared, Mapping[str, Any]]] = [
        (ADDRESSES_FOR, ids),
        (PHONES_FOR, ids),
        (EMAILS_FOR, ids),
        (PRIMARY_LOCATIONS_FOR, ids),
        record_attributes.query("client", vendor, records),
    ]
    if company_ids:
        batch.append((COMPANY_NAMES_FOR, {"company_ids": company_ids}))
    addresses, phones, emails, locations, vendor_rows, *companies = reader.rows_many(batch)
    grouped: dict[str, dict[int, list[Record]]] = {}
    for key, view, rows in (
        ("addresses", ADDRESS, addresses),
        ("phone_numbers", PHONE, phones),
        ("email_addresses", EMAIL, emails),
    ):
        by_client: dict[int, list[Record]] = {}
        for row in rows:
            rec = view.record(row)
            by_client.setdefault(rec["client_id"], []).append(rec)
        grouped[key] = by_client
    primary = {rec["client_id"]: rec for rec in (LOCATION.record(row) for row in locations)}
    company_names = dict(companies[0]) if companies else {}
    record_attributes.give(records, vendor_rows)
    for r in records:
        for key, by_client in grouped.items():
            r[key] = by_client.get(r["id"], [])
        r["primary_location"] = primary.get(r["id"])
        r["company_name"] = company_names.get(r["company_id"])


def customer(reader: Reader, account_id: int, number: int, vendor: str) -> Record:
    row = reader.one_or_none(CLIENT_BY_NUMBER, account_id=account_id, number=number)
    if row is None:
        raise NotFound("customer", number)
    record = CLIENT.record(row)
    attach_customer_details(reader, [record], vendor)
    return record


def customer_by_id(reader: Reader, account_id: int, client_id: int, vendor: str) -> Record:
    row = reader.one_or_none(CLIENT_BY_ID, account_id=account_id, client_id=client_id)
    if row is None:
        raise NotFound("customer", client_id)
    record = CLIENT.record(row)
    attach_customer_details(reader, [record], vendor)
    return record


FIRST_NAMED = Prepared(
    select(*CLIENT.cols())
    .where(
        Client.account_id == bindparam("account_id"),
        func.lower(Client.name) == func.lower(bindparam("name")),
    )
    .order_by(Client.number)
    .limit(1)
)


def first_customer_named(reader: Reader, account_id: int, name: str, vendor: str) -> Record | None:
    """The customer with this whole name (ignoring case); the lowest number of several."""
    row = reader.one_or_none(FIRST_NAMED, account_id=account_id, name=name)
    if row is None:
        return None
    record = CLIENT.record(row)
    attach_customer_details(reader, [record], vendor)
    return record
