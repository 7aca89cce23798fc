"""Single-row writes through prepared Core statements (no unit of work): a row inserted,
locked, changed or deleted, and handed back as a `Row` (its columns by name), for the
domain's write paths. Each statement is compiled once per table and set of columns.

Every table written here is `Versioned`: an UPDATE moves its version and updated_at, as the
ORM's version counter did. A caller that loaded the same row through the ORM earlier in the
transaction calls `forget` after changing it, so the ORM reads it again."""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from rolodex.db.prepared import Prepared, Reader
from rolodex.db.types import utcnow


class Row(SimpleNamespace):
    """A row as a Core statement left it (every column, by name)."""


_LOCKS: dict[tuple[Any, bool], Prepared] = {}
_INSERTS: dict[tuple[Any, tuple[str, ...]], Prepared] = {}
_UPDATES: dict[tuple[Any, tuple[str, ...]], Prepared] = {}
_DELETES: dict[Any, Prepared] = {}
_DEFAULTS: dict[Any, dict[str, Any]] = {}


def columns(model: Any) -> list[str]:
    return [c.key for c in model.__table__.columns]


def _row(model: Any, values: Any) -> Row:
    return Row(**dict(zip(columns(model), values, strict=True)))


def defaults(model: Any) -> dict[str, Any]:
    """The table's column defaults that are plain values (stamps and version are set here)."""
    found = _DEFAULTS.get(model)
    if found is None:
        found = _DEFAULTS[model] = {
            c.key: c.default.arg
            for c in model.__table__.columns
            if c.default is not None and c.default.is_scalar and c.key != "version"
        }
    return found


def lock(
    session: Session, model: Any, account_id: int, ident: int, client_id: int | None = None
) -> Row | None:
    """The account's row `ident` (of that client, when `client_id` is given), locked until
    the transaction ends on PostgreSQL (SQLite's writers take turns); None if there is none."""
    by_client = client_id is not None
    stmt = _LOCKS.get((model, by_client))
    if stmt is None:
        query = select(*model.__table__.columns).where(
            model.account_id == bindparam("account_id"), model.id == bindparam("ident")
        )
        if by_client:
            query = query.where(model.client_id == bindparam("client_id"))
        stmt = _LOCKS[(model, by_client)] = Prepared(query.with_for_update())
    params: dict[str, Any] = {"account_id": account_id, "ident": ident}
    if by_client:
        params["client_id"] = client_id
    found = Reader.within(session).one_or_none(stmt, **params)
    return None if found is None else _row(model, found)


def insert_row(session: Session, model: Any, values: Mapping[str, Any]) -> Row:
    """One new row: the table's plain defaults, then `values`, stamped now, version 1."""
    now = utcnow()
    full = {**defaults(model), **values}
    if "created_at" in model.__table__.c:
        full.setdefault("created_at", now)
    if "updated_at" in model.__table__.c:
        full.setdefault("updated_at", now)
    if "version" in model.__table__.c:
        full.setdefault("version", 1)
    keys = tuple(sorted(full))
    stmt = _INSERTS.get((model, keys))
    if stmt is None:
        table = model.__table__
        stmt = _INSERTS[(model, keys)] = Prepared(
            insert(model)
            .values({k: bindparam(f"v_{k}", type_=table.c[k].type) for k in keys})
            .returning(*table.columns)
        )
    found = Reader.within(session).rows(stmt, **{f"v_{k}": full[k] for k in keys})
    return _row(model, found[0])


def update_row(session: Session, model: Any, ident: int, changes: Mapping[str, Any]) -> Row:
    """Write `changes` to row `ident`, with updated_at now and the version moved on."""
    values = {**changes, "updated_at": utcnow()}
    keys = tuple(sorted(values))
    stmt = _UPDATES.get((model, keys))
    if stmt is None:
        table = model.__table__
        stmt = _UPDATES[(model, keys)] = Prepared(
            update(model)
            .where(model.id == bindparam("ident"))
            .values(
                {
                    **{k: bindparam(f"v_{k}", type_=table.c[k].type) for k in keys},
                    "version": model.version + 1,
                }
            )
            .returning(*table.columns)
        )
    found = Reader.within(session).rows(stmt, ident=ident, **{f"v_{k}": values[k] for k in keys})
    forget(session, model, ident)
    return _row(model, found[0])


def changed(row: Row, data: Mapping[str, Any]) -> dict[str, Any]:
    """The values of `data` that differ from the row's."""
    return {k: v for k, v in data.items() if getattr(row, k) != v}


def delete_row(session: Session, model: Any, ident: int) -> None:
    stmt = _DELETES.get(model)
    if stmt is None:
        stmt = _DELETES[model] = Prepared(
            delete(model).where(model.id == bindparam("ident")).returning(model.id)
        )
    Reader.within(session).rows(stmt, ident=ident)
    forget(session, model, ident, gone=True)


def forget(session: Session, model: Any, ident: int, *, gone: bool = False) -> None:
    """A row this session loaded earlier through the ORM now holds what a Core statement
    changed: expire it, so that it is read again when next used (or, `gone`, take it out of
    the session: the row was deleted)."""
    loaded = session.identity_map.get(session.identity_key(model, (ident,)))
    if loaded is not None:
        if gone:
            session.expunge(loaded)
        else:
            session.expire(loaded)
