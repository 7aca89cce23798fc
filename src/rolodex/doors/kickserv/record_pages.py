"""A client's jobs, notes and payments as numbered pages (rolodex.domain.pagination) and by
their owner: jobs by their per-account number, a customer's own notes or a job's, a customer's
payments or those applied to a job, each with a vendor's attributes
(rolodex.domain.record_attributes). A record asked for through an owner it does not belong to
is NotFound.

Every statement is a prepared Core SELECT (rolodex.db.prepared).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, select

from rolodex.db.prepared import Prepared, Reader
from rolodex.domain import record_attributes
from rolodex.domain.pagination import Criterion, NumberedList, at_least, before, equals, one_of
from rolodex.domain.queries import JOB, NOTE, PAYMENT, Record
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


JOBS = NumberedList(
    JOB,
    (
        equals("client_id", Job.client_id),
        one_of("statuses", Job.status),
        equals("job_type_id", Job.job_type_id),
        at_least("scheduled_from", Job.scheduled_on),
        before("scheduled_before", Job.scheduled_on),
    ),
)
# Notes and payments are read through a job when one is named, else through a customer: a
# customer's own notes are those on no job; a job's payments, those applied to it.
NOTES = NumberedList(
    NOTE,
    (
        equals("id", Note.id),
        Criterion("client_id", lambda p: and_(Note.client_id == p, Note.job_id.is_(None))),
        equals("job_id", Note.job_id),
    ),
)
PAYMENTS = NumberedList(
    PAYMENT,
    (
        equals("id", Payment.id),
        equals("client_id", Payment.client_id),
        Criterion(
            "job_id",
            lambda p: Payment.id.in_(
                select(PaymentApplication.payment_id).where(PaymentApplication.job_id == p)
            ),
        ),
    ),
)


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
    records = JOBS.page(
        reader, account_id, vars(filters), page=page, per_page=per_page, descending=True
    )
    record_attributes.attach(reader, "job", vendor, records)
    return records


def _owner(client_id: int | None, job_id: int | None) -> dict[str, int | None]:
    return {"job_id": job_id} if job_id is not None else {"client_id": client_id}


def _one(
    rows: NumberedList,
    entity: str,
    reader: Reader,
    account_id: int,
    ident: int,
    client_id: int | None,
    job_id: int | None,
) -> Record:
    found = rows.first(reader, account_id, {"id": ident, **_owner(client_id, job_id)})
    if found is None:
        raise NotFound(entity, ident)
    return found


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
    owner = _owner(client_id, job_id)
    records = NOTES.page(reader, account_id, owner, page=page, per_page=per_page, descending=True)
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
    record = _one(NOTES, "note", reader, account_id, ident, client_id, job_id)
    record_attributes.attach(reader, "note", vendor, [record])
    return record


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
    owner = _owner(client_id, job_id)
    records = PAYMENTS.page(
        reader, account_id, owner, page=page, per_page=per_page, descending=True
    )
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
    record = _one(PAYMENTS, "payment", reader, account_id, ident, client_id, job_id)
    _attach_payment_details(reader, [record], vendor)
    return record
