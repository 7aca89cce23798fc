"""The lossless home for vendor-only attributes: what a door's wire format carries that the
shared model has no column for, stored per record and vendor, merged back when that door
renders the record. They die with their record: a trigger on each record's table deletes them
in the same statement (migration 0005), whichever door or cascade deletes it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rolodex.models import VendorAttributes


def load(
    session: Session, entity: str, entity_ids: Iterable[int], vendor: str
) -> dict[int, dict[str, Any]]:
    ids = list(entity_ids)
    if not ids:
        return {}
    rows = session.scalars(
        select(VendorAttributes).where(
            VendorAttributes.entity == entity,
            VendorAttributes.vendor == vendor,
            VendorAttributes.entity_id.in_(ids),
        )
    )
    return {row.entity_id: dict(row.data) for row in rows}


def merge(
    session: Session,
    *,
    account_id: int,
    entity: str,
    entity_id: int,
    vendor: str,
    attributes: Mapping[str, Any],
    client_id: int | None = None,
    replace: bool = False,
) -> dict[str, Any]:
    """Store `attributes` for the record: merged key by key into what is there (a partial
    update), or replacing it whole."""
    row = session.scalar(
        select(VendorAttributes).where(
            VendorAttributes.entity == entity,
            VendorAttributes.entity_id == entity_id,
            VendorAttributes.vendor == vendor,
        )
    )
    if row is None:
        row = VendorAttributes(
            account_id=account_id,
            entity=entity,
            entity_id=entity_id,
            vendor=vendor,
            client_id=client_id,
            data={},
        )
        session.add(row)
    data = {} if replace else dict(row.data)
    data.update(attributes)
    row.data = data
    session.flush()
    return data
