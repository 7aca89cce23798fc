"""Vendor attributes of a page of records, read in one prepared query, and stored for one.

rolodex.domain.vendor_data keeps what a vendor's wire format carries that the shared model has no
column for; they die with their record (migration 0005), so what is stored under an id is that
record's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from rolodex.db.prepared import Prepared, Reader
from rolodex.domain import vendor_data
from rolodex.domain.queries import Record
from rolodex.models import VendorAttributes

# The key records carry their attributes under once attached.
KEY = "vendor"
VENDOR_FOR = Prepared(
    select(VendorAttributes.entity_id, VendorAttributes.data).where(
        VendorAttributes.entity == bindparam("entity"),
        VendorAttributes.vendor == bindparam("vendor"),
        VendorAttributes.entity_id.in_(bindparam("ids", expanding=True)),
    )
)
# A vendor's attributes of several kinds of record at once, found by the client they belong to.
BY_CLIENT = Prepared(
    select(VendorAttributes.entity, VendorAttributes.entity_id, VendorAttributes.data).where(
        VendorAttributes.client_id.in_(bindparam("client_ids", expanding=True)),
        VendorAttributes.vendor == bindparam("vendor"),
        VendorAttributes.entity.in_(bindparam("entities", expanding=True)),
    )
)


def query(entity: str, vendor: str, records: Sequence[Record]) -> tuple[Prepared, dict[str, Any]]:
    """The query, for a Reader batch, of `vendor`'s attributes of `records`; `give` takes its
    rows."""
    return VENDOR_FOR, {"entity": entity, "vendor": vendor, "ids": [r["id"] for r in records]}


def give(records: Sequence[Record], rows: Iterable[Sequence[Any]]) -> None:
    """Give each record, under KEY, its attributes among `rows` (those of `query`)."""
    found = {entity_id: data for entity_id, data in rows}
    for r in records:
        r[KEY] = found.get(r["id"]) or {}


def attach(reader: Reader, entity: str, vendor: str, records: Sequence[Record]) -> None:
    """Give each record its `vendor` attributes under KEY ({} when none)."""
    if records:
        statement, params = query(entity, vendor, records)
        give(records, reader.rows(statement, **params))


def store(
    session: Session,
    *,
    account_id: int,
    entity: str,
    record: Any,
    client_id: int,
    vendor: str,
    attributes: Mapping[str, Any],
) -> None:
    """Merge `attributes` into what `vendor` stored for `record` (an ORM row)."""
    if not attributes:
        return
    vendor_data.merge(
        session,
        account_id=account_id,
        entity=entity,
        entity_id=record.id,
        vendor=vendor,
        attributes=attributes,
        client_id=client_id,
    )


def by_client_query(
    client_ids: Iterable[int], vendor: str, entities: Sequence[str]
) -> tuple[Prepared, dict[str, Any]]:
    """The query (for a Reader batch) of `vendor`'s attributes on these clients' records of the
    given entities; `group` sorts its rows by (entity, id)."""
    return BY_CLIENT, {"client_ids": list(client_ids), "vendor": vendor, "entities": list(entities)}


def group(rows: Iterable[Sequence[Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    return {(entity, entity_id): data for entity, entity_id, data in rows}


def store_new(
    session: Session,
    *,
    account_id: int,
    entity: str,
    entity_id: int,
    client_id: int | None,
    vendor: str,
    attributes: Mapping[str, Any],
) -> None:
    """Store a newly created record's attributes (none are stored under a new record's id: a
    deleted record's went with it)."""
    if attributes:
        vendor_data.add(
            session,
            account_id=account_id,
            entity=entity,
            entity_id=entity_id,
            vendor=vendor,
            attributes=attributes,
            client_id=client_id,
        )
