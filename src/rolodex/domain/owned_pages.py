"""A client's jobs, notes and payments as numbered pages and by their owner: jobs by their
per-account number, a customer's own notes or a job's, a customer's payments or those applied
to a job, each with a vendor's attributes (rolodex.domain.record_attributes). A record asked for
through an owner it does not belong to is NotFound.

Every statement is a prepared Core SELECT (rolodex.db.prepared).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, select

from rolodex.db.prepared import Prepared, Reader
from rolodex.domain import record_attributes
from rolodex.domain.queries import JOB, NOTE, PAYMENT, PreparedCache, Record
from rolodex.errors import NotFound
from rolodex.models import Job, Note, Payment, PaymentApplication

# --- jobs ----------------------------------------------------------------------------------------

JOB_BY_NUMBER = Prepared(
    select(*JOB.cols()).where(
        Job.account_id == bindparam("account_id"), Job.number == bindparam("number")
    )
)


def job_by_number(reader: Reader, account_id: int, number: int, vendor: str) -> Record:
    row = reader.one_or_none(JOB_BY_NUMBER, account_id=account_id, number=number)
    if row is None:
        raise NotFound("job", number)
    record = JOB.record(row)
    record_attributes.attach(reader, "job", vendor, [record])
    return record


@dataclass(frozen=True)
class JobFilters:
    client_id: int | None = None
    statuses: tuple[str, ...] = ()  # any of these
    job_type_id: int | None = None
    scheduled_from: datetime | None = None  # inclusive
    scheduled_before: datetime | None = None  # exclusive


def _build_job_page(present: tuple[str, ...]) -> Select[Any]:
    stmt = select(*JOB.cols()).where(Job.account_id == bindparam("account_id"))
    for name in present:
        if name == "statuses":
            stmt = stmt.where(Job.status.in_(bindparam("statuses", expanding=True)))
        elif name == "scheduled_from":
            stmt = stmt.where(Job.scheduled_on >= bindparam(name, type_=Job.scheduled_on.type))
        elif name == "scheduled_before":
            stmt = stmt.where(Job.scheduled_on < bindparam(name, type_=Job.scheduled_on.type))
        else:
            stmt = stmt.where(getattr(Job, name) == bindparam(name))
    return stmt.order_by(Job.id.desc()).limit(bindparam("limit")).offset(bindparam("offset"))


_JOB_PAGES = PreparedCache(_build_job_page)


def job_page(
    reader: Reader,
    account_id: int,
    filters: JobFilters,
    *,
    page: int,
    per_page: int,
    vendor: str,
) -> list[Record]:
    """Page `page` (1-based) of the account's jobs matching `filters`, newest first."""
    params: dict[str, Any] = {
        "account_id": account_id,
        "limit": per_page,
        "offset": (page - 1) * per_page,
    }
    present: list[str] = []
    for name in ("client_id", "statuses", "job_type_id", "scheduled_from", "scheduled_before"):
        value = getattr(filters, name)
        if value is None or value == ():
            continue
        present.append(name)
        params[name] = list(value) if name == "statuses" else value
    rows = reader.rows(_JOB_PAGES.get(tuple(present)), **params)
    records = [JOB.record(r) for r in rows]
    record_attributes.attach(reader, "job", vendor, records)
    return records


# --- notes ---------------------------------------------------------------------------------------


def _owner(client_id: int | None, job_id: int | None) -> tuple[bool, dict[str, int | None]]:
    """Notes and payments are read through a job when one is named, else through a customer."""
    if job_id is not None:
        return True, {"job_id": job_id}
    return False, {"client_id": client_id}


def _owned_rows(
    reader: Reader,
    pages: dict[bool, Prepared],
    account_id: int,
    client_id: int | None,
    job_id: int | None,
    page: int,
    per_page: int,
) -> list[Any]:
    on_job, owner = _owner(client_id, job_id)
    return reader.rows(
        pages[on_job], account_id=account_id, limit=per_page, offset=(page - 1) * per_page, **owner
    )


def _owned_row(
    reader: Reader,
    ones: dict[bool, Prepared],
    entity: str,
    account_id: int,
    ident: int,
    client_id: int | None,
    job_id: int | None,
) -> Any:
    on_job, owner = _owner(client_id, job_id)
    row = reader.one_or_none(ones[on_job], account_id=account_id, id=ident, **owner)
    if row is None:
        raise NotFound(entity, ident)
    return row


def _notes_where(on_job: bool) -> list[ColumnElement[bool]]:
    """A customer's own notes (on no job), or a job's."""
    if on_job:
        return [Note.account_id == bindparam("account_id"), Note.job_id == bindparam("job_id")]
    return [
        Note.account_id == bindparam("account_id"),
        Note.client_id == bindparam("client_id"),
        Note.job_id.is_(None),
    ]


NOTE_PAGES = {
    on_job: Prepared(
        select(*NOTE.cols())
        .where(*_notes_where(on_job))
        .order_by(Note.id.desc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    for on_job in (False, True)
}
NOTE_ONE = {
    on_job: Prepared(select(*NOTE.cols()).where(*_notes_where(on_job), Note.id == bindparam("id")))
    for on_job in (False, True)
}


def note_page(
    reader: Reader,
    account_id: int,
    *,
    client_id: int | None = None,
    job_id: int | None = None,
    page: int,
    per_page: int,
    vendor: str,
) -> list[Record]:
    """A customer's own notes (client_id) or a job's (job_id), newest first."""
    rows = _owned_rows(reader, NOTE_PAGES, account_id, client_id, job_id, page, per_page)
    records = [NOTE.record(r) for r in rows]
    record_attributes.attach(reader, "note", vendor, records)
    return records


def note(
    reader: Reader,
    account_id: int,
    ident: int,
    *,
    client_id: int | None = None,
    job_id: int | None = None,
    vendor: str,
) -> Record:
    """One of a customer's own notes (client_id) or of a job's (job_id); a note of anyone else
    is NotFound."""
    record = NOTE.record(_owned_row(reader, NOTE_ONE, "note", account_id, ident, client_id, job_id))
    record_attributes.attach(reader, "note", vendor, [record])
    return record


# --- payments ------------------------------------------------------------------------------------


def _payments_where(on_job: bool) -> list[ColumnElement[bool]]:
    """A customer's payments, or those applied to a job."""
    if on_job:
        return [
            Payment.account_id == bindparam("account_id"),
            Payment.id.in_(
                select(PaymentApplication.payment_id).where(
                    PaymentApplication.job_id == bindparam("job_id")
                )
            ),
        ]
    return [
        Payment.account_id == bindparam("account_id"),
        Payment.client_id == bindparam("client_id"),
    ]


PAYMENT_PAGES = {
    on_job: Prepared(
        select(*PAYMENT.cols())
        .where(*_payments_where(on_job))
        .order_by(Payment.id.desc())
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    for on_job in (False, True)
}
PAYMENT_ONE = {
    on_job: Prepared(
        select(*PAYMENT.cols()).where(*_payments_where(on_job), Payment.id == bindparam("id"))
    )
    for on_job in (False, True)
}
APPLICATIONS_FOR = Prepared(
    select(PaymentApplication.id, PaymentApplication.payment_id, PaymentApplication.job_id)
    .where(PaymentApplication.payment_id.in_(bindparam("payment_ids", expanding=True)))
    .order_by(PaymentApplication.payment_id, PaymentApplication.id)
)


def _attach_payment_details(reader: Reader, records: list[Record], vendor: str) -> None:
    """Each payment's application ids (and the jobs they apply to) and vendor attributes."""
    if not records:
        return
    applications, vendor_rows = reader.rows_many(
        [
            (APPLICATIONS_FOR, {"payment_ids": [r["id"] for r in records]}),
            record_attributes.query("payment", vendor, records),
        ]
    )
    grouped: dict[int, list[tuple[int, int]]] = {}
    for app_id, payment_id, job_id in applications:
        grouped.setdefault(payment_id, []).append((app_id, job_id))
    for r in records:
        apps = grouped.get(r["id"], [])
        r["application_ids"] = [a for a, _ in apps]
        r["job_ids"] = [j for _, j in apps]
    record_attributes.give(records, vendor_rows)


def payment_page(
    reader: Reader,
    account_id: int,
    *,
    client_id: int | None = None,
    job_id: int | None = None,
    page: int,
    per_page: int,
    vendor: str,
) -> list[Record]:
    """A customer's payments (client_id) or those applied to a job (job_id), newest first."""
    rows = _owned_rows(reader, PAYMENT_PAGES, account_id, client_id, job_id, page, per_page)
    records = [PAYMENT.record(r) for r in rows]
    _attach_payment_details(reader, records, vendor)
    return records


def payment(
    reader: Reader,
    account_id: int,
    ident: int,
    *,
    client_id: int | None = None,
    job_id: int | None = None,
    vendor: str,
) -> Record:
    """One payment of a customer (client_id) or applied to a job (job_id); else NotFound."""
    record = PAYMENT.record(
        _owned_row(reader, PAYMENT_ONE, "payment", account_id, ident, client_id, job_id)
    )
    _attach_payment_details(reader, [record], vendor)
    return record
