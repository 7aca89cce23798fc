"""Field rules shared by every door.

Each entity's writable fields are declared once here. `clean()` checks and normalizes a dict of
already-typed values against them (lengths, 2-letter codes, email shape, money precision), so a
vendor door cannot write what the native API would refuse, and no value reaches a column it
does not fit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from rolodex.errors import ValidationFailed

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_MONEY = Decimal("100000000000000")


@dataclass(frozen=True, slots=True)
class Field:
    kind: str  # str text bool int decimal country email url date datetime float json
    max_length: int | None = None
    required: bool = False
    nullable: bool = True
    description: str = ""
    minimum: float | None = None
    maximum: float | None = None


def s(max_length: int, description: str = "", *, required: bool = False) -> Field:
    return Field(
        "str", max_length, required=required, nullable=not required, description=description
    )


TEXT_MAX = 65_535

CLIENT_FIELDS: dict[str, Field] = {
    "kind": Field(
        "enum:organization,person",
        nullable=False,
        description="`organization` (default) or `person`.",
    ),
    "name": s(200, "Display name of the organization or person.", required=True),
    "first_name": s(100, "Given name, for a person."),
    "last_name": s(100, "Family name, for a person."),
    "account_code": s(100, "Your own reference for this client."),
    "external_id": s(100, "An id from another system; unique within the account."),
    "website": Field("url", 500, description="Fully qualified URL."),
    "invoice_email": Field("email", 254, description="Where invoices go."),
    "case_policy": Field("text", TEXT_MAX, description="Case handling policy."),
    "invoice_policy": Field("text", TEXT_MAX, description="Invoice handling policy."),
    "update_policy": Field("text", TEXT_MAX, description="Case update policy."),
    "description": Field("text", TEXT_MAX, description="General notes about the client."),
    "invoice_reminders": Field(
        "bool", nullable=False, description="Send overdue invoice reminders."
    ),
    "show_location_on_invoice": Field(
        "bool", nullable=False, description="Print the location name on invoices."
    ),
    "company_id": Field("int", description="The company this client belongs to."),
    "office_id": Field(
        "int", nullable=False, description="The account office; defaults to the default office."
    ),
    "salesperson_id": Field("int", description="Id of the salesperson, in your own system."),
    "case_manager_id": Field("int", description="Id of the case manager, in your own system."),
    "inactive": Field(
        "bool", nullable=False, description="Inactive clients are kept, not deleted."
    ),
    "balance": Field("decimal", nullable=False, description='Decimal string, e.g. "12.50".'),
    "custom_fields": Field(
        "json", nullable=False, description="Your own fields: a JSON object of any values."
    ),
}

ADDRESS_LINES: dict[str, Field] = {
    "line1": s(200, "Street address, line one."),
    "line2": s(200, "Street address, line two."),
    "line3": s(200, "Street address, line three."),
    "city": s(100),
    "region": s(100, "State, province or region (a 2-letter code in the US and Canada)."),
    "postal_code": s(20),
    "country": Field("country", 2, description="ISO 3166-1 alpha-2 country code."),
}

LOCATION_FIELDS: dict[str, Field] = {
    "name": s(200, 'Name of the site or branch, e.g. "Main Location".', required=True),
    "is_primary": Field(
        "bool", nullable=False, description="The client's primary location; at most one per client."
    ),
    **ADDRESS_LINES,
    "phone": s(40, "Main phone number."),
    "phone_secondary": s(40),
    "fax": s(40),
    "invoice_email": Field("email", 254),
    "case_policy": Field("text", TEXT_MAX),
    "invoice_policy": Field("text", TEXT_MAX),
    "update_policy": Field("text", TEXT_MAX),
    "description": Field("text", TEXT_MAX),
}

ADDRESS_FIELDS: dict[str, Field] = {
    "location_id": Field(
        "int", description="Set to attach the address to one of the client's locations."
    ),
    "label": s(50, "e.g. home, work, billing."),
    "name": s(200, "Addressee."),
    "company": s(200),
    **ADDRESS_LINES,
    "po_box": Field("bool", nullable=False),
    "latitude": Field("float", minimum=-90, maximum=90),
    "longitude": Field("float", minimum=-180, maximum=180),
    "is_primary": Field("bool", nullable=False),
    "is_primary_billing": Field("bool", nullable=False),
    "is_primary_shipping": Field("bool", nullable=False),
}

PHONE_FIELDS: dict[str, Field] = {
    "location_id": Field("int"),
    "label": s(50),
    "country_code": Field(
        "phone_country", 5, description='Digits only, e.g. "1"; a leading + is dropped.'
    ),
    "area_code": s(10),
    "number": s(40, required=True),
    "extension": s(20),
    "is_primary": Field("bool", nullable=False),
}

EMAIL_FIELDS: dict[str, Field] = {
    "location_id": Field("int"),
    "label": s(50),
    "address": Field("email", 254, required=True, nullable=False),
    "is_primary": Field("bool", nullable=False),
}

COMPANY_FIELDS: dict[str, Field] = {"name": s(200, required=True)}

NOTE_FIELDS: dict[str, Field] = {
    "body": Field("text", TEXT_MAX, required=True, nullable=False),
    "author": s(200, "Who wrote it."),
    "job_id": Field("int", description="Set when the note is about one of the client's jobs."),
}

JOB_FIELDS: dict[str, Field] = {
    "job_type": s(100, 'Kind of work, e.g. "Repair".'),
    "job_type_id": Field("int", description="Id of the job type, in your own system."),
    "status": Field(
        "slug",
        40,
        nullable=False,
        description="e.g. unscheduled, scheduled, in_progress, complete, cancelled.",
    ),
    "description": Field("text", TEXT_MAX),
    "scheduled_on": Field("datetime"),
    "completed_on": Field("datetime"),
}

PAYMENT_FIELDS: dict[str, Field] = {
    "amount": Field("decimal", required=True, nullable=False, minimum=0),
    "date": Field("date", nullable=False, description="Defaults to today (UTC)."),
    "payment_type": s(100, "e.g. Check, Cash, Credit Card."),
    "reference": s(100, "Check number or transaction reference."),
    "notes": Field("text", TEXT_MAX),
}

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")


def clean(spec: Mapping[str, Field], data: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    """Check `data` against `spec`; return normalized values. Raise ValidationFailed listing
    every problem found."""
    errors: list[tuple[str, str]] = []
    out: dict[str, Any] = {}
    for name, value in data.items():
        field = spec.get(name)
        if field is None:
            errors.append((name, "is not a known field"))
            continue
        kind = field.kind
        # Fast paths for the values most bodies and imports are made of.
        if value.__class__ is str and kind == "str":
            stripped = value.strip()
            if stripped and (field.max_length is None or len(stripped) <= field.max_length):
                out[name] = stripped
                continue
        elif value.__class__ is bool and kind == "bool":
            out[name] = value
            continue
        try:
            out[name] = _clean_value(field, value)
        except ValueError as exc:
            errors.append((name, str(exc)))
    if not partial:
        for name in _required(spec):
            if out.get(name) is None and all(name != failed for failed, _ in errors):
                errors.append((name, "is required"))
    if errors:
        raise ValidationFailed(errors)
    return out


_REQUIRED: dict[int, tuple[Mapping[str, Field], tuple[str, ...]]] = {}


def _required(spec: Mapping[str, Field]) -> tuple[str, ...]:
    cached = _REQUIRED.get(id(spec))
    if cached is None or cached[0] is not spec:
        if len(_REQUIRED) > 256:  # specs built on the fly come and go
            _REQUIRED.clear()
        cached = (spec, tuple(name for name, field in spec.items() if field.required))
        _REQUIRED[id(spec)] = cached
    return cached[1]


def _clean_value(field: Field, value: Any) -> Any:
    if value is None:
        if not field.nullable or field.required:
            raise ValueError("must not be null")
        return None
    kind = field.kind
    if kind in (
        "str",
        "text",
        "url",
        "email",
        "slug",
        "country",
        "phone_country",
    ) or kind.startswith("enum:"):
        if not isinstance(value, str):
            raise ValueError("must be a string")
        value = value.strip() if kind != "text" else value
        if value == "":
            if field.required:
                raise ValueError("must not be blank")
            return None if field.nullable else value
        if field.max_length is not None and len(value) > field.max_length and kind != "country":
            raise ValueError(f"must be at most {field.max_length} characters")
        if kind == "email" and not EMAIL_RE.match(value):
            raise ValueError("must be an email address")
        if kind == "url" and not re.match(r"^https?://[^\s/$.?#][^\s]*$", value, re.I):
            raise ValueError("must be a fully qualified http(s) URL")
        if kind == "country":
            value = value.upper()
            if not COUNTRY_RE.match(value):
                raise ValueError("must be a 2-letter ISO 3166-1 country code")
        if kind == "phone_country":
            value = value.lstrip("+")
            if not value.isdigit():
                raise ValueError('must be digits, e.g. "1" or "+44"')
        if kind == "slug":
            value = value.lower()
            if not SLUG_RE.match(value):
                raise ValueError("must be lower-case letters, digits, - or _")
        if kind.startswith("enum:"):
            allowed = kind[5:].split(",")
            if value not in allowed:
                raise ValueError(f"must be one of {', '.join(allowed)}")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("must be an integer")
        if not -(2**31) <= value < 2**31:
            raise ValueError("is out of range")
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("must be a number")
        value = float(value)
        if field.minimum is not None and value < field.minimum:
            raise ValueError(f"must be at least {field.minimum:g}")
        if field.maximum is not None and value > field.maximum:
            raise ValueError(f"must be at most {field.maximum:g}")
        return value
    if kind == "decimal":
        return _clean_decimal(field, value)
    if kind == "date":
        if isinstance(value, datetime) or not isinstance(value, date):
            raise ValueError("must be a date, YYYY-MM-DD")
        return value
    if kind == "datetime":
        if not isinstance(value, datetime):
            raise ValueError("must be an ISO 8601 date-time")
        return value
    if kind == "json":
        if not isinstance(value, dict):
            raise ValueError("must be a JSON object")
        return value
    raise AssertionError(f"unknown field kind {kind}")


def _clean_decimal(field: Field, value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("must be a decimal amount")
    try:
        amount = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise ValueError('must be a decimal amount, e.g. "12.50"') from None
    if not amount.is_finite():
        raise ValueError("must be a finite amount")
    # Size first: quantizing a number of more digits than the context holds fails.
    if abs(amount) >= MAX_MONEY:
        raise ValueError("is too large")
    if amount != amount.quantize(Decimal("0.0001")):
        raise ValueError("must have at most 4 decimal places")
    if field.minimum is not None and amount < Decimal(str(field.minimum)):
        raise ValueError(f"must be at least {field.minimum:g}")
    return amount
