"""The lossless home for vendor-only attributes: what a door's wire format carries that the
shared model has no column for, stored per record and vendor, merged back when that door
renders the record. They die with their record: a trigger on each record's table deletes them
in the same statement (migration 0005), whichever door or cascade deletes it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from rolodex.db.prepared import Prepared, Reader
from rolodex.domain import documents
from rolodex.models import VendorAttributes


def load(
    session: Session, entity: str, entity_ids: Iterable[int], vendor: str
) -> dict[int, dict[str, Any]]:
    ids = list(entity_ids)
    if not ids:
        return {}
    rows = Reader.within(session).rows(_LOAD, entity=entity, vendor=vendor, ids=ids)
    return {entity_id: dict(data) for entity_id, data in rows}


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
    update), or replacing it whole; prepared Core statements, and the client's documents
    marked to be rendered before the commit."""
    reader = Reader.within(session)
    row = reader.one_or_none(_ONE, entity=entity, entity_id=entity_id, vendor=vendor)
    data = {} if replace or row is None else dict(row[1])
    data.update(attributes)
    if row is None:
        add(
            session,
            account_id=account_id,
            entity=entity,
            entity_id=entity_id,
            vendor=vendor,
            attributes=data,
            client_id=client_id,
        )
        return data
    if data != row[1]:
        reader.rows(_UPDATE, id=row[0], v_data=data)
    else:
        return data
    if client_id is not None:
        documents.touch(session, (client_id,))
    return data


def add(
    session: Session,
    *,
    account_id: int,
    entity: str,
    entity_id: int,
    vendor: str,
    attributes: Mapping[str, Any],
    client_id: int | None = None,
) -> None:
    """Store the attributes of a record that has none yet (one just created: a deleted
    record's went with it), with one INSERT."""
    Reader.within(session).rows(
        _INSERT,
        account_id=account_id,
        entity=entity,
        entity_id=entity_id,
        vendor=vendor,
        client_id=client_id,
        data=dict(attributes),
    )
    if client_id is not None:
        documents.touch(session, (client_id,))


_T = VendorAttributes
_LOAD = Prepared(
    select(_T.entity_id, _T.data).where(
        _T.entity == bindparam("entity"),
        _T.vendor == bindparam("vendor"),
        _T.entity_id.in_(bindparam("ids", expanding=True)),
    )
)
_ONE = Prepared(
    select(_T.id, _T.data).where(
        _T.entity == bindparam("entity"),
        _T.entity_id == bindparam("entity_id"),
        _T.vendor == bindparam("vendor"),
    )
)
_INSERT = Prepared(
    insert(_T)
    .values(
        {
            name: bindparam(name, type_=_T.__table__.c[name].type)
            for name in ("account_id", "entity", "entity_id", "vendor", "client_id", "data")
        }
    )
    .returning(_T.id)
)
_UPDATE = Prepared(
    update(_T)
    .where(_T.id == bindparam("id"))
    .values(data=bindparam("v_data", type_=_T.__table__.c.data.type))
    .returning(_T.id)
)
