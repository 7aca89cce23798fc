"""Contacts: people at one of a client's locations. A contact always belongs to a location, and
through it to the location's client; it is never attached to a client directly."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from rolodex.db.prepared import Prepared, Reader
from rolodex.domain import changes, documents, rows
from rolodex.domain.fields import TEXT_MAX, Field, clean, s
from rolodex.domain.pagination import (
    NumberedList,
    equals,
    equals_ignoring_case,
    time_ranges,
)
from rolodex.domain.queries import Record, View
from rolodex.errors import NotFound, ValidationFailed
from rolodex.models import Contact, Location

CONTACT_FIELDS: dict[str, Field] = {
    "location_id": Field(
        "int", required=True, nullable=False, description="The location the contact works at."
    ),
    "role_id": Field("int", description="Id of the contact's role, in your own system."),
    "salesperson_id": Field("int", description="Id of the salesperson, in your own system."),
    "first_name": s(100),
    "last_name": s(100),
    "title": s(100, "Job title."),
    "email": Field("email", 254),
    "phone": s(40, "Main phone number."),
    "mobile": s(40, "Mobile phone number."),
    "notes": Field("text", TEXT_MAX),
}

CONTACT = View(
    Contact,
    (
        "id",
        "client_id",
        "location_id",
        "first_name",
        "last_name",
        "title",
        "email",
        "phone",
        "mobile",
        "role_id",
        "salesperson_id",
        "notes",
        "created_at",
        "updated_at",
        "version",
    ),
)


def create_contact(
    session: Session,
    account_id: int,
    fields: Mapping[str, Any],
    *,
    required: Sequence[str] = (),
) -> rows.Row:
    """A contact at the location `fields["location_id"]` of the account, which also names the
    contact's client. Every contact needs a location and a first or a last name; `required`
    names the fields a door requires on top of that (e.g. a role)."""
    errors: list[tuple[str, str]] = []
    data: dict[str, Any] = {}
    try:
        data = clean(CONTACT_FIELDS, fields, partial=False)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    failed = {name for name, _ in errors}
    if errors:
        # The fields that passed, so the checks below still run on them.
        data = clean(
            CONTACT_FIELDS, {k: v for k, v in fields.items() if k not in failed}, partial=True
        )
    for name in required:
        if name not in failed and data.get(name) is None:
            errors.append((name, "is required"))
    if not failed & {"first_name", "last_name"} and not (
        data.get("first_name") or data.get("last_name")
    ):
        errors.append(("last_name", "is required when first_name is not given"))
    if errors:
        raise ValidationFailed(errors)
    location_id = data["location_id"]
    client_id = session.scalar(
        select(Location.client_id).where(
            Location.account_id == account_id, Location.id == location_id
        )
    )
    if client_id is None:
        raise ValidationFailed.one("location_id", f"no location with id {location_id}")
    made = rows.insert_row(
        session, Contact, {**data, "account_id": account_id, "client_id": client_id}
    )
    documents.touch(session, (client_id,))
    changes.note(
        session,
        account_id,
        "contact",
        "created",
        made.id,
        client_id,
        read=lambda r: changes.shaped(contact(r, account_id, made.id), "contact"),
    )
    return made


# --- reads -----------------------------------------------------------------------------------

CONTACT_BY_ID = Prepared(
    select(*CONTACT.cols()).where(
        Contact.account_id == bindparam("account_id"), Contact.id == bindparam("id")
    )
)


def contact(reader: Reader, account_id: int, ident: int) -> Record:
    row = reader.one_or_none(CONTACT_BY_ID, account_id=account_id, id=ident)
    if row is None:
        raise NotFound("contact", ident)
    return CONTACT.record(row)


CONTACTS = NumberedList(
    CONTACT,
    (
        equals("id", Contact.id),
        equals("last_name", Contact.last_name),
        equals("first_name", Contact.first_name),
        equals_ignoring_case("email", Contact.email),
        equals("client_id", Contact.client_id),
        equals("location_id", Contact.location_id),
        equals("role_id", Contact.role_id),
        equals("salesperson_id", Contact.salesperson_id),
        *time_ranges(Contact),
    ),
)
