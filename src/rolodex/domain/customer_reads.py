"""Customers: clients read by their per-account number, with everything a flat customer
object (Kickserv's) is drawn from fetched in one batch per page: contact points, the primary
location, the company's name and a vendor's attributes. Lists are numbered pages, filtered by
name, address, contact points and vendor attributes.

Every statement is a prepared Core SELECT (rolodex.db.prepared); a dynamic list is compiled once per
shape of its filters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, exists, func, or_, select

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
    PreparedCache,
    Record,
)
from rolodex.errors import NotFound
from rolodex.models import (
    Address,
    Client,
    Company,
    EmailAddress,
    Location,
    PhoneNumber,
    VendorAttributes,
)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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


@dataclass(frozen=True)
class CustomerFilters:
    number: int | None = None
    name: str | None = None  # whole name, ignoring case
    name_contains: str | None = None  # ignoring case
    name_starts_with: str | None = None  # ignoring case
    # (address column, value): the service address / primary billing address has this value,
    # ignoring case.
    service: tuple[tuple[str, str], ...] = ()
    billing: tuple[tuple[str, str], ...] = ()
    email: str | None = None  # one of the email addresses, ignoring case
    phone: str | None = None  # one of the phone numbers, or the primary location's phone
    # (vendor, attribute, text): the vendor attribute, as text, is this (12345 is "12345").
    # Compared as text, so no stored value of another type can make the query fail.
    vendor_equals: tuple[tuple[str, str, str], ...] = ()


def _lower_eq(column: Any, param: Any) -> ColumnElement[bool]:
    return func.lower(column) == func.lower(param)


def _service_matches(column: str, param: Any) -> ColumnElement[bool]:
    loc = getattr(Location, column)
    addr = getattr(Address, column)
    has_location = exists().where(Location.client_id == Client.id, Location.is_primary.is_(True))
    has_shipping = exists().where(
        Address.client_id == Client.id, Address.is_primary_shipping.is_(True)
    )
    in_location = exists().where(
        Location.client_id == Client.id, Location.is_primary.is_(True), _lower_eq(loc, param)
    )
    in_shipping = exists().where(
        Address.client_id == Client.id,
        Address.is_primary_shipping.is_(True),
        _lower_eq(addr, param),
    )
    in_primary = exists().where(
        Address.client_id == Client.id, Address.is_primary.is_(True), _lower_eq(addr, param)
    )
    return or_(
        in_location,
        and_(~has_location, or_(in_shipping, and_(~has_shipping, in_primary))),
    )


def _billing_matches(column: str, param: Any) -> ColumnElement[bool]:
    return exists().where(
        Address.client_id == Client.id,
        Address.is_primary_billing.is_(True),
        _lower_eq(getattr(Address, column), param),
    )


def _build_customer_page(shape: tuple[Any, ...]) -> Select[Any]:
    present, service, billing, vendor_keys = shape
    stmt = select(*CLIENT.cols()).where(Client.account_id == bindparam("account_id"))
    for name in present:
        param: Any = bindparam(name)
        if name == "number":
            stmt = stmt.where(Client.number == param)
        elif name == "name":
            stmt = stmt.where(_lower_eq(Client.name, param))
        elif name in ("name_contains", "name_starts_with"):
            stmt = stmt.where(Client.name.ilike(param, escape="\\"))
        elif name == "email":
            stmt = stmt.where(
                exists().where(
                    EmailAddress.client_id == Client.id, _lower_eq(EmailAddress.address, param)
                )
            )
        elif name == "phone":
            stmt = stmt.where(
                or_(
                    exists().where(PhoneNumber.client_id == Client.id, PhoneNumber.number == param),
                    exists().where(
                        Location.client_id == Client.id,
                        Location.is_primary.is_(True),
                        Location.phone == param,
                    ),
                )
            )
    for column in service:
        stmt = stmt.where(_service_matches(column, bindparam(f"service_{column}")))
    for column in billing:
        stmt = stmt.where(_billing_matches(column, bindparam(f"billing_{column}")))
    for i, (vendor, key) in enumerate(vendor_keys):
        stmt = stmt.where(
            exists().where(
                VendorAttributes.entity == "client",
                VendorAttributes.entity_id == Client.id,
                VendorAttributes.vendor == vendor,
                VendorAttributes.data[key].as_string() == bindparam(f"attribute_{i}"),
            )
        )
    return stmt.order_by(Client.number).limit(bindparam("limit")).offset(bindparam("offset"))


_CUSTOMER_PAGES = PreparedCache(_build_customer_page)


def customer_page(
    reader: Reader,
    account_id: int,
    filters: CustomerFilters,
    *,
    page: int,
    per_page: int,
    vendor: str,
    details: bool = True,
) -> list[Record]:
    """Page `page` (1-based) of the account's customers matching `filters`, by customer number:
    a customer added while a client pages through the list lands on the last page, and no page
    shifts under it. Without `details`, only the clients' own fields (the caller shows them
    from their documents)."""
    f = filters
    params: dict[str, Any] = {
        "account_id": account_id,
        "limit": per_page,
        "offset": (page - 1) * per_page,
    }
    present: list[str] = []
    for name, value in (
        ("number", f.number),
        ("name", f.name),
        (
            "name_contains",
            None if f.name_contains is None else f"%{_escape_like(f.name_contains)}%",
        ),
        (
            "name_starts_with",
            None if f.name_starts_with is None else f"{_escape_like(f.name_starts_with)}%",
        ),
        ("email", f.email),
        ("phone", f.phone),
    ):
        if value is not None:
            present.append(name)
            params[name] = value
    for column, value in f.service:
        params[f"service_{column}"] = value
    for column, value in f.billing:
        params[f"billing_{column}"] = value
    for i, (_vendor, _key, value) in enumerate(f.vendor_equals):
        params[f"attribute_{i}"] = value
    shape = (
        tuple(present),
        tuple(c for c, _ in f.service),
        tuple(c for c, _ in f.billing),
        tuple((v, k) for v, k, _ in f.vendor_equals),
    )
    rows = reader.rows(_CUSTOMER_PAGES.get(shape), **params)
    records = [CLIENT.record(r) for r in rows]
    if details:
        attach_customer_details(reader, records, vendor)
    return records


FIRST_NAMED = Prepared(
    select(*CLIENT.cols())
    .where(Client.account_id == bindparam("account_id"), _lower_eq(Client.name, bindparam("name")))
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
