"""Kickserv's reads of customers, which only this door makes: clients read by their
per-account number, with everything a flat customer
object (Kickserv's) is drawn from fetched in one batch per page: contact points, the primary
location, the company's name and a vendor's attributes. (Kickserv's customer lists and their
filters live in its door: rolodex.doors.kickserv.filters.)

Every statement is a prepared Core SELECT (rolodex.db.prepared); a dynamic list is compiled once per
shape of its filters.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, func, select

from rolodex.db.prepared import Prepared, Reader
from rolodex.domain import client_children
from rolodex.domain.queries import CLIENT, CLIENT_BY_ID, CLIENT_BY_NUMBER, Record
from rolodex.errors import NotFound
from rolodex.models import (
    Client,
)

CLIENT_ID_BY_NUMBER = Prepared(
    select(Client.id).where(
        Client.account_id == bindparam("account_id"), Client.number == bindparam("number")
    )
)


def client_id_for_number(reader: Reader, account_id: int, number: int) -> int:
    row = reader.one_or_none(CLIENT_ID_BY_NUMBER, account_id=account_id, number=number)
    if row is None:
        raise NotFound("customer", number)
    return int(row[0])


# What a flat customer object (Kickserv's) is drawn from.
DETAILS = (*client_children.CONTACT_POINTS, "primary_location", "company", "vendor")


def customer(reader: Reader, account_id: int, number: int, vendor: str) -> Record:
    row = reader.one_or_none(CLIENT_BY_NUMBER, account_id=account_id, number=number)
    return _customer(reader, account_id, row, number, vendor)


def customer_by_id(reader: Reader, account_id: int, client_id: int, vendor: str) -> Record:
    row = reader.one_or_none(CLIENT_BY_ID, account_id=account_id, client_id=client_id)
    return _customer(reader, account_id, row, client_id, vendor)


def _customer(
    reader: Reader, account_id: int, row: tuple[Any, ...] | None, named: int, vendor: str
) -> Record:
    """The customer of a client row, with everything its object is drawn from."""
    if row is None:
        raise NotFound("customer", named)
    record = CLIENT.record(row)
    client_children.load(reader, account_id, [record], DETAILS, vendor=vendor)
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
    client_children.load(reader, account_id, [record], DETAILS, vendor=vendor)
    return record
