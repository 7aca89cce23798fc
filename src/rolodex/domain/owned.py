"""Records a client owns: locations, addresses, phone numbers, email addresses, notes, jobs and
payments. One set of rules for all of them: a record is reached only through its own client, in
its own account (a wrong parent is NotFound, never a silent success), writes check the version a
caller last read, and flags that must be unique per client are moved, not duplicated."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from rolodex.db.prepared import Reader
from rolodex.db.types import format_money, utcnow
from rolodex.domain import accounts, changes, clients, queries, rows
from rolodex.domain.clients import check_version, set_primaries
from rolodex.domain.fields import (
    ADDRESS_FIELDS,
    EMAIL_FIELDS,
    JOB_FIELDS,
    LOCATION_FIELDS,
    NOTE_FIELDS,
    PAYMENT_FIELDS,
    PHONE_FIELDS,
    Field,
    clean,
)
from rolodex.errors import NotFound, ValidationFailed
from rolodex.models import (
    Address,
    EmailAddress,
    Job,
    Location,
    Note,
    Payment,
    PaymentApplication,
    PhoneNumber,
)

# (session, the client (its id and account_id), the cleaned fields, the record or None)
Hook = Callable[[Session, Any, dict[str, Any], Any], None]


@dataclass(frozen=True)
class OwnedKind:
    entity: str
    model: Any
    spec: Mapping[str, Field]
    primary_flags: tuple[str, ...] = ()
    # Embedded in the client's representation, so a change bumps the client's ETag.
    embedded: bool = False
    searchable: bool = False
    filters: tuple[str, ...] = ()
    check: Hook | None = None
    before_insert: Hook | None = None


def _check_location(session: Session, client: Any, data: dict[str, Any], _obj: Any) -> None:
    location_id = data.get("location_id")
    if (
        location_id is not None
        and session.scalar(
            select(Location.id).where(Location.client_id == client.id, Location.id == location_id)
        )
        is None
    ):
        raise ValidationFailed.one(
            "location_id", f"client {client.id} has no location {location_id}"
        )


def _check_job(session: Session, client: Any, data: dict[str, Any], _obj: Any) -> None:
    job_id = data.get("job_id")
    if (
        job_id is not None
        and session.scalar(select(Job.id).where(Job.client_id == client.id, Job.id == job_id))
        is None
    ):
        raise ValidationFailed.one("job_id", f"client {client.id} has no job {job_id}")


def _number_job(session: Session, client: Any, data: dict[str, Any], _obj: Any) -> None:
    data["number"] = accounts.next_number(session, client.account_id, "job")
    data.setdefault("status", "unscheduled")


def _default_date(session: Session, client: Any, data: dict[str, Any], _obj: Any) -> None:
    data.setdefault("date", datetime.now(UTC).date())


LOCATIONS = OwnedKind("location", Location, LOCATION_FIELDS, primary_flags=("is_primary",))
ADDRESSES = OwnedKind(
    "address",
    Address,
    ADDRESS_FIELDS,
    primary_flags=("is_primary", "is_primary_billing", "is_primary_shipping"),
    embedded=True,
    filters=("location_id",),
    check=_check_location,
)
PHONE_NUMBERS = OwnedKind(
    "phone number",
    PhoneNumber,
    PHONE_FIELDS,
    primary_flags=("is_primary",),
    embedded=True,
    searchable=True,
    filters=("location_id",),
    check=_check_location,
)
EMAIL_ADDRESSES = OwnedKind(
    "email address",
    EmailAddress,
    EMAIL_FIELDS,
    primary_flags=("is_primary",),
    embedded=True,
    searchable=True,
    filters=("location_id",),
    check=_check_location,
)
NOTES = OwnedKind("note", Note, NOTE_FIELDS, filters=("job_id",), check=_check_job)
JOBS = OwnedKind("job", Job, JOB_FIELDS, filters=("status",), before_insert=_number_job)
PAYMENTS = OwnedKind(
    "payment",
    Payment,
    PAYMENT_FIELDS,
    before_insert=_default_date,
    check=lambda *args: _check_payment(*args),
)


def _sorts(kind: OwnedKind) -> dict[str, tuple[Any, str]]:
    model = kind.model
    return {
        "id": (model.id, "int"),
        "created_at": (model.created_at, "datetime"),
        "updated_at": (model.updated_at, "datetime"),
    }


Written = rows.Row


def _get_for(session: Session, kind: OwnedKind, client: Any, ident: int) -> Written:
    found = rows.lock(session, kind.model, client.account_id, ident, client_id=client.id)
    if found is None:
        raise NotFound(kind.entity, ident)
    return found


def _state_reader(kind: OwnedKind, account_id: int, client_id: int, ident: int) -> Any:
    """How the record's state is read for its event (in the native API's shape)."""
    object_name = changes.OWNED_TYPES[kind.entity]

    def read(reader: Reader) -> dict[str, Any]:
        rec = queries.owned(reader, kind.model, kind.entity, account_id, client_id, ident)
        return changes.shaped(rec, object_name)

    return read


def _note(
    session: Session,
    kind: OwnedKind,
    client: Any,
    action: str,
    ident: int,
    *,
    previous: dict[str, Any] | None = None,
    data: Any = None,
) -> None:
    read = None if data is not None else _state_reader(kind, client.account_id, client.id, ident)
    changes.note(
        session,
        client.account_id,
        changes.OWNED_TYPES[kind.entity],
        action,
        ident,
        client.id,
        previous=previous,
        data=data,
        read=read,
    )


def _after_write(session: Session, kind: OwnedKind, client: Any) -> None:
    """The client's side of a change to one of its records: its search text (emails and
    phones are searched), its version and updated_at (embedded records are part of its
    representation), and its documents."""
    clients.refresh(session, client.id, search=kind.searchable, bump=kind.embedded)


def create_owned(
    session: Session,
    kind: OwnedKind,
    account_id: int,
    client_id: int,
    fields: Mapping[str, Any],
    **extra: Any,
) -> Written:
    client = clients.lock_client(session, account_id, client_id)
    return create_for(session, kind, client, fields, **extra)


def create_for(
    session: Session, kind: OwnedKind, client: Any, fields: Mapping[str, Any], **extra: Any
) -> Written:
    """Create a record of `client` (anything with its `id` and `account_id`, already locked
    by the caller) through one prepared INSERT."""
    data = clean(kind.spec, fields, partial=False)
    if kind.check:
        kind.check(session, client, data, None)
    if kind.before_insert:
        kind.before_insert(session, client, data, None)
    flags = [f for f in kind.primary_flags if data.get(f)]
    if flags:
        set_primaries(session, kind.model, client.id, None, flags)
    obj = rows.insert_row(
        session, kind.model, {**data, "account_id": client.account_id, "client_id": client.id}
    )
    if kind is PAYMENTS:
        _apply_payment(session, client, obj, extra.get("applications") or ())
    _after_write(session, kind, client)
    _note(session, kind, client, "created", obj.id)
    return obj


def update_owned(
    session: Session,
    kind: OwnedKind,
    account_id: int,
    client_id: int,
    ident: int,
    fields: Mapping[str, Any],
    *,
    expected_version: int | None = None,
) -> Written:
    """Change a record through one prepared UPDATE (none when nothing changes); its client's
    side as a create's."""
    client = clients.lock_client(session, account_id, client_id)
    obj = _get_for(session, kind, client, ident)
    check_version(obj.version, expected_version)
    data = clean(kind.spec, fields, partial=True)
    if kind.check:
        kind.check(session, client, data, obj)
    flags = [f for f in kind.primary_flags if data.get(f)]
    if flags:
        set_primaries(session, kind.model, client.id, obj.id, flags)
    changed = rows.changed(obj, data)
    if changed:
        previous = {k: getattr(obj, k) for k in changed}
        obj = rows.update_row(session, kind.model, obj.id, changed)
        _note(session, kind, client, "updated", obj.id, previous=previous)
    _after_write(session, kind, client)
    return obj


def delete_owned(
    session: Session,
    kind: OwnedKind,
    account_id: int,
    client_id: int,
    ident: int,
    *,
    expected_version: int | None = None,
) -> Written:
    """Delete a record through one prepared DELETE (the database's cascades take what hangs
    on it); its client's side as a create's."""
    client = clients.lock_client(session, account_id, client_id)
    obj = _get_for(session, kind, client, ident)
    check_version(obj.version, expected_version)
    embeds = kind is LOCATIONS and _location_has_contact_points(session, obj.id)
    if kind is JOBS:
        _touch_payments_applied_to(session, obj.id)
    state = _state_reader(kind, client.account_id, client.id, obj.id)(Reader.within(session))
    rows.delete_row(session, kind.model, obj.id)
    _note(session, kind, client, "deleted", obj.id, data=state)
    if embeds:
        # The database cascade took the location's addresses, phones and emails with it:
        # the client's embedded lists and search text changed.
        clients.refresh(session, client.id, search=True, bump=True)
    else:
        _after_write(session, kind, client)
    return obj


def _location_has_contact_points(session: Session, location_id: int) -> bool:
    return any(
        session.scalar(select(model.id).where(model.location_id == location_id).limit(1))
        is not None
        for model in (Address, PhoneNumber, EmailAddress)
    )


def _touch_payments_applied_to(session: Session, job_id: int) -> None:
    """Deleting a job takes its payment applications with it (a database cascade): the
    payments' representations change, so their versions move."""
    session.execute(
        update(Payment)
        .where(
            Payment.id.in_(
                select(PaymentApplication.payment_id).where(PaymentApplication.job_id == job_id)
            )
        )
        .values(version=Payment.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def _check_payment(session: Session, client: Any, data: dict[str, Any], obj: Any) -> None:
    if obj is None or "amount" not in data:
        return
    applied = session.scalar(
        select(func.sum(PaymentApplication.amount)).where(PaymentApplication.payment_id == obj.id)
    )
    if applied is not None and data["amount"] < applied:
        raise ValidationFailed.one(
            "amount", f"is less than what is already applied to jobs ({format_money(applied)})"
        )


def _apply_payment(
    session: Session, client: Any, payment: Any, applications: Sequence[Mapping[str, Any]]
) -> None:
    """Apply a payment to jobs of the same client. An application without an amount takes
    what is left of the payment."""
    remaining = payment.amount
    for index, app in enumerate(applications):
        job_id = app.get("job_id")
        if isinstance(job_id, bool) or not isinstance(job_id, int):
            raise ValidationFailed.one(f"applications.{index}.job_id", "must be an integer")
        if (
            session.scalar(select(Job.id).where(Job.client_id == client.id, Job.id == job_id))
            is None
        ):
            raise ValidationFailed.one(
                f"applications.{index}.job_id", f"client {client.id} has no job {job_id}"
            )
        raw = app.get("amount")
        if raw is None:
            amount = remaining
        else:
            try:
                amount = clean({"amount": PAYMENT_FIELDS["amount"]}, {"amount": raw}, partial=True)[
                    "amount"
                ]
            except ValidationFailed as exc:
                raise ValidationFailed.one(
                    f"applications.{index}.amount", exc.errors[0][1]
                ) from None
        if amount > remaining:
            raise ValidationFailed.one(
                f"applications.{index}.amount", "applications add up to more than the payment"
            )
        remaining -= Decimal(amount)
        session.execute(
            insert(PaymentApplication).values(payment_id=payment.id, job_id=job_id, amount=amount)
        )
