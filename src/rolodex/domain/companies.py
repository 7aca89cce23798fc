"""Companies: groups of clients within an account."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rolodex.db.prepared import Reader
from rolodex.db.types import utcnow
from rolodex.domain import changes, documents, queries, rows
from rolodex.domain.clients import check_version
from rolodex.domain.fields import COMPANY_FIELDS, clean
from rolodex.errors import NotFound
from rolodex.models import Client, Company

SORTS = {
    "id": (Company.id, "int"),
    "name": (Company.name, "str"),
    "created_at": (Company.created_at, "datetime"),
}


def get_company(session: Session, account_id: int, company_id: int) -> rows.Row:
    """The company's row, locked until the transaction ends (PostgreSQL)."""
    company = rows.lock(session, Company, account_id, company_id)
    if company is None:
        raise NotFound("company", company_id)
    return company


def create_company(session: Session, account_id: int, fields: Mapping[str, Any]) -> rows.Row:
    data = clean(COMPANY_FIELDS, fields, partial=False)
    company = rows.insert_row(session, Company, {**data, "account_id": account_id})
    _note(session, account_id, "created", company.id)
    return company


def update_company(
    session: Session,
    account_id: int,
    company_id: int,
    fields: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> rows.Row:
    """Its clients embed its name: their documents are rendered again before the commit."""
    company = get_company(session, account_id, company_id)
    check_version(company.version, expected_version)
    changes = rows.changed(company, clean(COMPANY_FIELDS, fields, partial=True))
    if not changes:
        return company
    documents.touch_companies(session, (company_id,))
    previous = {k: getattr(company, k) for k in changes}
    company = rows.update_row(session, Company, company_id, changes)
    _note(session, account_id, "updated", company_id, previous=previous)
    return company


def delete_company(
    session: Session, account_id: int, company_id: int, *, expected_version: int | None = None
) -> rows.Row:
    company = get_company(session, account_id, company_id)
    check_version(company.version, expected_version)
    state = _state(Reader.within(session), account_id, company_id)
    # Its clients stay, without a company; their representation changed, so their ETags move.
    mine = (Client.account_id == account_id, Client.company_id == company_id)
    documents.touch(session, session.scalars(select(Client.id).where(*mine)))
    session.execute(
        update(Client)
        .where(*mine)
        .values(company_id=None, version=Client.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    rows.delete_row(session, Company, company_id)
    _note(session, account_id, "deleted", company_id, data=state)
    return company


def _state(reader: Reader, account_id: int, company_id: int) -> dict[str, Any]:
    return changes.shaped(queries.company(reader, account_id, company_id), "company")


def _note(
    session: Session,
    account_id: int,
    action: str,
    company_id: int,
    *,
    previous: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    changes.note(
        session,
        account_id,
        "company",
        action,
        company_id,
        None,
        previous=previous,
        data=data,
        read=None if data is not None else (lambda r: _state(r, account_id, company_id)),
    )
