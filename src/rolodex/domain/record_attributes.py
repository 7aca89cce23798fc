"""Vendor attributes bound to the record they were stored for.

rolodex.domain.vendor_data keeps what a vendor's wire format carries that the shared model has no
column for. Stored through here, the attributes also carry the creation time of their record:
SQLite may hand a deleted row's id to the next row, and a record deleted through a door that does
not forget its attributes leaves them behind, so attributes whose stamp is not the record's are
never taken for the new record's. Reads come a page at a time, in one prepared query.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from rolodex.db.fast import Prepared, Reader
from rolodex.domain import vendor_data
from rolodex.domain.queries import Record
from rolodex.models import VendorAttributes

# The key records carry their attributes under once attached.
KEY = "vendor"
# The key, inside the stored attributes, of the record's creation time.
STAMP = "_record_created_at"


def stamp(created_at: datetime) -> str:
    return created_at.isoformat()


VENDOR_FOR = Prepared(
    select(VendorAttributes.entity_id, VendorAttributes.data).where(
        VendorAttributes.entity == bindparam("entity"),
        VendorAttributes.vendor == bindparam("vendor"),
        VendorAttributes.entity_id.in_(bindparam("ids", expanding=True)),
    )
)


def query(entity: str, vendor: str, records: Sequence[Record]) -> tuple[Prepared, dict[str, Any]]:
    """The query, for a Reader batch, of `vendor`'s attributes of `records`; `give` takes its
    rows."""
    return VENDOR_FOR, {"entity": entity, "vendor": vendor, "ids": [r["id"] for r in records]}


def _current(data: Mapping[str, Any] | None, created_at: datetime) -> dict[str, Any]:
    """The stored attributes, when they were stored for this very record; else none."""
    if not data or data.get(STAMP) != stamp(created_at):
        return {}
    return {k: v for k, v in data.items() if k != STAMP}


def give(records: Sequence[Record], rows: Iterable[Sequence[Any]]) -> None:
    """Give each record, under KEY, its attributes among `rows` (those of `query`)."""
    found = {entity_id: data for entity_id, data in rows}
    for r in records:
        r[KEY] = _current(found.get(r["id"]), r["created_at"])


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
    """Merge `attributes` into what `vendor` stored for `record` (an ORM row), replacing what
    was left behind by an earlier record with the same id."""
    if not attributes:
        return
    mark = stamp(record.created_at)
    stored = vendor_data.load(session, entity, [record.id], vendor).get(record.id)
    vendor_data.merge(
        session,
        account_id=account_id,
        entity=entity,
        entity_id=record.id,
        vendor=vendor,
        attributes={**attributes, STAMP: mark},
        client_id=client_id,
        replace=stored is None or stored.get(STAMP) != mark,
    )
