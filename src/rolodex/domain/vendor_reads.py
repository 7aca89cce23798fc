"""Vendor-only attributes on the read path: a page's worth in one prepared query (see
rolodex.domain.vendor_data for what they are), and those of a record just created."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from rolodex.db.prepared import Prepared, Reader
from rolodex.domain.queries import Record
from rolodex.models import VendorAttributes

# The key a record carries its vendor's attributes under once attached.
KEY = "vendor_attributes"

BY_ENTITY = Prepared(
    select(VendorAttributes.entity_id, VendorAttributes.data).where(
        VendorAttributes.entity == bindparam("entity"),
        VendorAttributes.vendor == bindparam("vendor"),
        VendorAttributes.entity_id.in_(bindparam("ids", expanding=True)),
    )
)
BY_CLIENT = Prepared(
    select(VendorAttributes.entity, VendorAttributes.entity_id, VendorAttributes.data).where(
        VendorAttributes.client_id.in_(bindparam("client_ids", expanding=True)),
        VendorAttributes.vendor == bindparam("vendor"),
        VendorAttributes.entity.in_(bindparam("entities", expanding=True)),
    )
)


def attach(reader: Reader, entity: str, records: Sequence[Record], vendor: str) -> None:
    """Give each record its `vendor`'s stored attributes under KEY ({} when none)."""
    if not records:
        return
    found = {
        entity_id: data
        for entity_id, data in reader.rows(
            BY_ENTITY, entity=entity, vendor=vendor, ids=[r["id"] for r in records]
        )
    }
    for r in records:
        r[KEY] = found.get(r["id"]) or {}


def by_client_query(
    client_ids: Iterable[int], vendor: str, entities: Sequence[str]
) -> tuple[Prepared, dict[str, Any]]:
    """The query (for a Reader batch) of `vendor`'s attributes on these clients' records of the
    given entities; `group` sorts its rows by (entity, id)."""
    return BY_CLIENT, {"client_ids": list(client_ids), "vendor": vendor, "entities": list(entities)}


def group(rows: Iterable[Sequence[Any]]) -> dict[tuple[str, int], dict[str, Any]]:
    return {(entity, entity_id): data for entity, entity_id, data in rows}


def store_for_new(
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
        session.add(
            VendorAttributes(
                account_id=account_id,
                entity=entity,
                entity_id=entity_id,
                client_id=client_id,
                vendor=vendor,
                data=dict(attributes),
            )
        )
        session.flush()
