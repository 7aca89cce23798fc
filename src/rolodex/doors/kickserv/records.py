"""A customer's notes, jobs and payments, and the account-wide /jobs routes.

A record is reached only through its owner: a note through its customer (its own notes, not its
jobs') or its job, a job through its customer or its number, a payment through its customer or
a job it is applied to. A record of another owner is a 404 and is left alone (Kickserv's own
DELETE /customers/{n}/notes/{id} deletes any note; this one does not).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from rolodex.db.prepared import Reader
from rolodex.domain import owned, record_attributes
from rolodex.doors.kickserv import mapping, params, render, wire
from rolodex.doors.kickserv import reads as customer_reads
from rolodex.doors.kickserv import record_pages as pages
from rolodex.doors.kickserv.http import Call, Reply
from rolodex.doors.kickserv.mapping import renamed
from rolodex.doors.kickserv.record_pages import JobFilters
from rolodex.errors import NotFound, ValidationFailed

# Records per page of every list but the customers' (see docs/kickserv.md); `per_page` changes it.
PER_PAGE = 25
V = wire.VENDOR


def _paging(call: Call) -> dict[str, int]:
    return {
        "page": params.page_number(call.query, "page"),
        "per_page": params.per_page(call.query, PER_PAGE),
    }


def _customer_id(reader: Reader, call: Call) -> int:
    return customer_reads.client_id_for_number(
        reader, call.account_id, call.number("number", "customer")
    )


def _job(reader: Reader, call: Call, *, of_customer: bool) -> dict[str, Any]:
    """The job numbered in the path; under /customers/{n}, only if it is that customer's."""
    number = call.number("job_number", "job")
    if of_customer:
        client_id = _customer_id(reader, call)
        job = pages.job_by_number(reader, call.account_id, number, V)
        if job["client_id"] != client_id:
            raise NotFound("job", number)
        return job
    return pages.job_by_number(reader, call.account_id, number, V)


def _store(session: Session, call: Call, entity: str, obj: Any, attributes: dict[str, Any]) -> None:
    record_attributes.store(
        session,
        account_id=call.account_id,
        entity=entity,
        record=obj,
        client_id=obj.client_id,
        vendor=V,
        attributes=attributes,
    )


# --- notes ---------------------------------------------------------------------------------------


class Notes:
    """Notes of a customer (/customers/{n}/notes) or of a job (/jobs/{job_number}/notes)."""

    def __init__(self, *, on_job: bool) -> None:
        self.on_job = on_job

    def _owner(self, reader: Reader, call: Call) -> tuple[int, dict[str, int]]:
        """The notes' client, and their owner as pages.note and pages.note_page take it: the job
        (`job_id`) or the customer itself (`client_id`)."""
        if self.on_job:
            job = _job(reader, call, of_customer=False)
            return job["client_id"], {"job_id": job["id"]}
        client_id = _customer_id(reader, call)
        return client_id, {"client_id": client_id}

    def _note(self, reader: Reader, call: Call) -> dict[str, Any]:
        _client_id, owner = self._owner(reader, call)
        return pages.note(reader, call.account_id, call.ident("id", "note"), vendor=V, **owner)

    def list(self, reader: Reader, call: Call) -> Reply:
        _client_id, owner = self._owner(reader, call)
        notes = pages.note_page(reader, call.account_id, vendor=V, **owner, **_paging(call))
        return Reply([render.note(n) for n in notes])

    def create(self, session: Session, call: Call) -> Reply:
        reader = Reader.within(session)
        client_id, owner = self._owner(reader, call)
        fields, vendor = mapping.note_changes(mapping.wrapped(call.body, "note"), create=True)
        fields = {**fields, "author": wire.NOTE_AUTHOR}
        if "job_id" in owner:
            fields["job_id"] = owner["job_id"]
        with renamed(mapping.NOTE_NAMES):
            note = owned.create_owned(session, owned.NOTES, call.account_id, client_id, fields)
        _store(session, call, "note", note, vendor)
        fresh = pages.note(reader, call.account_id, note.id, vendor=V, **owner)
        return Reply(render.note(fresh, with_creator=True))

    def show(self, reader: Reader, call: Call) -> Reply:
        return Reply(render.note(self._note(reader, call)))

    def update(self, session: Session, call: Call) -> Reply:
        reader = Reader.within(session)
        current = self._note(reader, call)
        fields, vendor = mapping.note_changes(mapping.wrapped(call.body, "note"), create=False)
        with renamed(mapping.NOTE_NAMES):
            note = owned.update_owned(
                session,
                owned.NOTES,
                call.account_id,
                current["client_id"],
                current["id"],
                fields,
            )
        _store(session, call, "note", note, vendor)
        return Reply(render.note(self._note(reader, call), with_creator=True))

    def delete(self, session: Session, call: Call) -> Reply:
        current = self._note(Reader.within(session), call)
        owned.delete_owned(
            session, owned.NOTES, call.account_id, current["client_id"], current["id"]
        )
        return Reply(render.note(current))


CUSTOMER_NOTES = Notes(on_job=False)
JOB_NOTES = Notes(on_job=True)


# --- jobs ----------------------------------------------------------------------------------------


class Jobs:
    """One job, under its customer (/customers/{n}/jobs/{job_number}) or alone
    (/jobs/{job_number})."""

    def __init__(self, *, of_customer: bool) -> None:
        self.of_customer = of_customer

    def show(self, reader: Reader, call: Call) -> Reply:
        return Reply(render.job(_job(reader, call, of_customer=self.of_customer), call.account_id))

    def update(self, session: Session, call: Call) -> Reply:
        reader = Reader.within(session)
        current = _job(reader, call, of_customer=self.of_customer)
        fields, vendor = mapping.job_changes(mapping.wrapped(call.body, "job"), create=False)
        with renamed(mapping.JOB_NAMES):
            job = owned.update_owned(
                session, owned.JOBS, call.account_id, current["client_id"], current["id"], fields
            )
        _store(session, call, "job", job, vendor)
        fresh = pages.job_by_number(reader, call.account_id, current["number"], V)
        return Reply(render.job(fresh, call.account_id))

    def delete(self, session: Session, call: Call) -> Reply:
        """Deletes the job (its notes and payment applications go with it) and answers it."""
        current = _job(Reader.within(session), call, of_customer=self.of_customer)
        owned.delete_owned(
            session, owned.JOBS, call.account_id, current["client_id"], current["id"]
        )
        return Reply(render.job(current, call.account_id))


CUSTOMER_JOB = Jobs(of_customer=True)
JOB = Jobs(of_customer=False)


def _create_job(session: Session, call: Call, client_id: int, data: dict[str, Any]) -> Reply:
    fields, vendor = mapping.job_changes(data, create=True)
    with renamed(mapping.JOB_NAMES):
        job = owned.create_owned(session, owned.JOBS, call.account_id, client_id, fields)
    _store(session, call, "job", job, vendor)
    fresh = pages.job_by_number(Reader.within(session), call.account_id, job.number, V)
    return Reply(render.job(fresh, call.account_id))


def list_customer_jobs(reader: Reader, call: Call) -> Reply:
    filters = JobFilters(
        client_id=_customer_id(reader, call), statuses=params.statuses(call.query_lists)
    )
    jobs = pages.job_page(reader, call.account_id, filters, vendor=V, **_paging(call))
    return Reply([render.job(j, call.account_id) for j in jobs])


def create_customer_job(session: Session, call: Call) -> Reply:
    client_id = _customer_id(Reader.within(session), call)
    return _create_job(session, call, client_id, mapping.wrapped(call.body, "job"))


def list_jobs(reader: Reader, call: Call) -> Reply:
    """Every job of the account, newest first."""
    scheduled = params.scheduled_range(call.query.get("scheduled"), datetime.now(UTC))
    filters = JobFilters(
        statuses=params.statuses(call.query_lists),
        job_type_id=params.query_integer(call.query, "job_type_id"),
        scheduled_from=scheduled[0] if scheduled else None,
        scheduled_before=scheduled[1] if scheduled else None,
    )
    jobs = pages.job_page(reader, call.account_id, filters, vendor=V, **_paging(call))
    return Reply([render.job(j, call.account_id) for j in jobs])


def create_job(session: Session, call: Call) -> Reply:
    """POST /jobs.json: `{job: {...}, customer_number: 8}`; the number names the customer."""
    data = mapping.wrapped(call.body, "job")
    errors: list[tuple[str, str]] = []
    client_id = None
    try:
        number = mapping.customer_number(call.body.get("customer_number"))
    except ValueError as exc:
        errors.append(("customer_number", str(exc)))
    else:
        if number is None:
            errors.append(("customer_number", "can't be blank"))
        else:
            try:
                client_id = customer_reads.client_id_for_number(
                    Reader.within(session), call.account_id, number
                )
            except NotFound:
                errors.append(("customer_number", "is invalid"))
    try:
        mapping.job_changes(data, create=True)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    if errors or client_id is None:
        raise ValidationFailed(errors)
    return _create_job(session, call, client_id, data)


# --- payments ------------------------------------------------------------------------------------


def list_customer_payments(reader: Reader, call: Call) -> Reply:
    client_id = _customer_id(reader, call)
    payments = pages.payment_page(
        reader, call.account_id, client_id=client_id, vendor=V, **_paging(call)
    )
    return Reply([render.payment(p) for p in payments])


def delete_customer_payment(session: Session, call: Call) -> Reply:
    reader = Reader.within(session)
    client_id = _customer_id(reader, call)
    current = pages.payment(
        reader, call.account_id, call.ident("id", "payment"), client_id=client_id, vendor=V
    )
    return _delete_payment(session, call, current)


def _delete_payment(session: Session, call: Call, current: dict[str, Any]) -> Reply:
    owned.delete_owned(
        session, owned.PAYMENTS, call.account_id, current["client_id"], current["id"]
    )
    return Reply(render.payment(current))


def list_job_payments(reader: Reader, call: Call) -> Reply:
    job = _job(reader, call, of_customer=False)
    payments = pages.payment_page(
        reader, call.account_id, job_id=job["id"], vendor=V, **_paging(call)
    )
    return Reply([render.payment(p) for p in payments])


def create_job_payment(session: Session, call: Call) -> Reply:
    """A payment of the job's customer, applied in full to the job."""
    reader = Reader.within(session)
    job = _job(reader, call, of_customer=False)
    fields, vendor = mapping.payment_changes(mapping.wrapped(call.body, "payment"), create=True)
    with renamed(mapping.PAYMENT_NAMES):
        payment = owned.create_owned(
            session,
            owned.PAYMENTS,
            call.account_id,
            job["client_id"],
            fields,
            applications=[{"job_id": job["id"]}],
        )
    _store(session, call, "payment", payment, vendor)
    fresh = pages.payment(reader, call.account_id, payment.id, job_id=job["id"], vendor=V)
    return Reply(render.payment(fresh))


def _job_payment(reader: Reader, call: Call) -> dict[str, Any]:
    job = _job(reader, call, of_customer=False)
    return pages.payment(
        reader, call.account_id, call.ident("id", "payment"), job_id=job["id"], vendor=V
    )


def show_job_payment(reader: Reader, call: Call) -> Reply:
    return Reply(render.payment(_job_payment(reader, call)))


def update_job_payment(session: Session, call: Call) -> Reply:
    reader = Reader.within(session)
    current = _job_payment(reader, call)
    fields, vendor = mapping.payment_changes(mapping.wrapped(call.body, "payment"), create=False)
    with renamed(mapping.PAYMENT_NAMES):
        payment = owned.update_owned(
            session, owned.PAYMENTS, call.account_id, current["client_id"], current["id"], fields
        )
    _store(session, call, "payment", payment, vendor)
    return Reply(render.payment(_job_payment(reader, call)))


def delete_job_payment(session: Session, call: Call) -> Reply:
    return _delete_payment(session, call, _job_payment(Reader.within(session), call))
