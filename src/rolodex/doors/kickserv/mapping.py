"""Kickserv request bodies -> the shared model's fields. Pure functions: no database, no rules
of their own. Values are cast as Rails casts them (rolodex.doors.kickserv.casts), then
checked by the shared field rules (rolodex.domain.fields), and every problem is reported under
the wire field's name.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from rolodex.domain.fields import (
    ADDRESS_FIELDS,
    CLIENT_FIELDS,
    EMAIL_FIELDS,
    JOB_FIELDS,
    LOCATION_FIELDS,
    NOTE_FIELDS,
    PAYMENT_FIELDS,
    PHONE_FIELDS,
    clean,
)
from rolodex.doors.kickserv import casts, wire
from rolodex.errors import MalformedRequest, ValidationFailed

Errors = list[tuple[str, str]]

# --- values --------------------------------------------------------------------------------------


def _put(errors: Errors, key: str, cast: Any, value: Any, into: dict[str, Any], name: str) -> None:
    """into[name] = cast(value); or, when the cast fails, an error under the wire key `key` (and
    nothing in `into`, so no second error is reported for the same field)."""
    try:
        into[name] = cast(value)
    except ValueError as exc:
        errors.append((key, str(exc)))


def _vendor_cast(key: str, integers: frozenset[str], flags: frozenset[str]) -> Any:
    """How a vendor-only key's value is cast: to an integer, a boolean, or kept as given (any
    single JSON value)."""
    if key in integers:
        return casts.integer
    if key in flags:
        return lambda v: None if v is None else casts.boolean(v)
    return casts.scalar


# --- envelopes -----------------------------------------------------------------------------------


def wrapped(body: Any, key: str) -> dict[str, Any]:
    """The object under `key` (`{customer: {...}}`); Rails' ParameterMissing when there is none."""
    value = body.get(key) if isinstance(body, dict) else None
    if not isinstance(value, dict) or not value:
        raise MalformedRequest("param is missing or the value is empty", field=key)
    return value


@contextmanager
def renamed(names: Mapping[str, str]) -> Iterator[None]:
    """Report a domain ValidationFailed under the wire's field names."""
    try:
        yield
    except ValidationFailed as exc:
        raise ValidationFailed([(names.get(f, f), m) for f, m in exc.errors]) from None


def _checked(
    errors: Errors, spec: Any, data: dict[str, Any], names: Mapping[str, str], *, partial: bool
) -> None:
    """Check `data` against the shared field rules; add what fails under its wire name, unless
    that field has already failed its cast."""
    try:
        clean(spec, data, partial=partial)
    except ValidationFailed as exc:
        failed = {key for key, _message in errors}
        for name, message in exc.errors:
            key = names.get(name, name)
            if key not in failed:
                errors.append((key, message))


def _inverse(names: Mapping[str, str]) -> dict[str, str]:
    return {domain: key for key, domain in names.items()}


# --- customers -----------------------------------------------------------------------------------

CLIENT_NAMES = {
    **_inverse(wire.CUSTOMER_CLIENT_FIELDS),
    "inactive": wire.IS_ACTIVE,
    "kind": wire.COMPANY,
}
SERVICE_NAMES = _inverse(wire.SERVICE)
BILLING_NAMES = _inverse(wire.BILLING)
_ADDRESS_LINES = tuple(wire.SERVICE.values())


def _kind(value: Any) -> str:
    return "organization" if casts.boolean(value) else "person"


def _contact(value: Any) -> str | None:
    text = casts.text(value)
    return (text.strip() or None) if text is not None else None


@dataclass
class CustomerChanges:
    """A customer body, split by where each field lives in the shared model."""

    client: dict[str, Any] = field(default_factory=dict)  # client fields
    service: dict[str, Any] = field(default_factory=dict)  # address columns
    billing: dict[str, Any] = field(default_factory=dict)  # address columns
    # phone slot or email_address -> the value; None (or "") removes it
    contacts: dict[str, str | None] = field(default_factory=dict)
    vendor: dict[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return any((self.client, self.service, self.billing, self.contacts, self.vendor))


def customer_changes(data: Mapping[str, Any], *, create: bool) -> CustomerChanges:
    """Split and cast a customer body; raise ValidationFailed naming every wire field that
    fails a cast or a shared field rule. Keys Rolodex assigns (customer_number, id, times) are
    ignored, as are keys Kickserv does not have."""
    errors: Errors = []
    out = CustomerChanges()
    for key, value in data.items():
        if key == "balance":
            out.client["balance"] = value  # the shared rules read any decimal
        elif key in wire.CUSTOMER_CLIENT_FIELDS:
            _put(errors, key, casts.text, value, out.client, wire.CUSTOMER_CLIENT_FIELDS[key])
        elif key == wire.IS_ACTIVE:
            _put(errors, key, lambda v: not casts.boolean(v), value, out.client, "inactive")
        elif key == wire.COMPANY:
            _put(errors, key, _kind, value, out.client, "kind")
        elif key in wire.SERVICE:
            _put(errors, key, casts.text, value, out.service, wire.SERVICE[key])
        elif key in wire.BILLING:
            _put(errors, key, casts.text, value, out.billing, wire.BILLING[key])
        elif key in wire.PHONE_SLOTS or key == wire.EMAIL_ADDRESS:
            _put(errors, key, _contact, value, out.contacts, key)
        elif key in wire.CUSTOMER_VENDOR_KEYS:
            cast = _vendor_cast(key, wire.CUSTOMER_INTEGER_KEYS, wire.CUSTOMER_BOOLEAN_KEYS)
            _put(errors, key, cast, value, out.vendor, key)
    _checked(errors, CLIENT_FIELDS, out.client, CLIENT_NAMES, partial=not create)
    _checked(errors, LOCATION_FIELDS, out.service, SERVICE_NAMES, partial=True)
    _checked(errors, ADDRESS_FIELDS, out.billing, BILLING_NAMES, partial=True)
    for key, value in out.contacts.items():
        if value is None:
            continue
        if key == wire.EMAIL_ADDRESS:
            _checked(errors, EMAIL_FIELDS, {"address": value}, {"address": key}, partial=True)
        else:
            _checked(errors, PHONE_FIELDS, {"number": value}, {"number": key}, partial=True)
    if errors:
        raise ValidationFailed(errors)
    return out


def address_lines(record: Mapping[str, Any]) -> dict[str, Any]:
    """The address columns a service or billing address is drawn from (line3 too, so a copy
    loses nothing)."""
    return {column: record[column] for column in (*_ADDRESS_LINES, "line3")}


def customer_number(value: Any) -> int | None:
    """A customer number given in a body (POST /jobs.json); None when blank."""
    try:
        number = casts.integer(value)
    except ValueError:
        raise ValueError("is invalid") from None
    if number is not None and not 0 < number < 2**31:
        raise ValueError("is invalid")
    return number


def validation_name(data: Any) -> str:
    """customer_validation.json takes `{name}`, or `{customer: {name}}`."""
    if isinstance(data, dict) and isinstance(data.get("customer"), dict):
        data = data["customer"]
    name = data.get("name") if isinstance(data, dict) else None
    if not isinstance(name, str) or not name.strip():
        raise ValidationFailed.one("name", "can't be blank")
    return name.strip()


# --- notes, jobs, payments -----------------------------------------------------------------------

NOTE_NAMES = _inverse(wire.NOTE_FIELDS)
JOB_NAMES = _inverse(wire.JOB_FIELDS)
PAYMENT_NAMES = {**_inverse(wire.PAYMENT_FIELDS), "applications.0.job_id": "job_number"}


def note_changes(data: Mapping[str, Any], *, create: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """(note fields, vendor attributes) of a `{note: {note, public}}` body."""
    errors: Errors = []
    fields: dict[str, Any] = {}
    vendor: dict[str, Any] = {}
    for key, value in data.items():
        if key in wire.NOTE_FIELDS:
            fields[wire.NOTE_FIELDS[key]] = value
        elif key == "public":
            _put(errors, key, casts.boolean, value, vendor, key)
    _checked(errors, NOTE_FIELDS, fields, NOTE_NAMES, partial=not create)
    if errors:
        raise ValidationFailed(errors)
    return fields, vendor


def job_changes(data: Mapping[str, Any], *, create: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """(job fields, vendor attributes) of a `{job: {...}}` body. Kickserv needs a job type
    (a "service") on every new job."""
    errors: Errors = []
    fields: dict[str, Any] = {}
    vendor: dict[str, Any] = {}
    for key, value in data.items():
        if key in wire.JOB_FIELDS:
            target = wire.JOB_FIELDS[key]
            if target == "job_type_id":
                cast: Any = casts.integer
            elif target in ("scheduled_on", "completed_on"):
                cast = casts.parse_datetime
            else:
                cast = casts.text
            _put(errors, key, cast, value, fields, target)
        elif key in wire.JOB_VENDOR_KEYS:
            flags = wire.JOB_BOOLEAN_KEYS
            _put(errors, key, _vendor_cast(key, frozenset(), flags), value, vendor, key)
    if create and fields.get("job_type_id") is None and "job_type_id" not in dict(errors):
        errors.append(("job_type_id", "can't be blank"))
    _checked(errors, JOB_FIELDS, fields, JOB_NAMES, partial=True)
    if errors:
        raise ValidationFailed(errors)
    return fields, vendor


def payment_changes(
    data: Mapping[str, Any], *, create: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(payment fields, vendor attributes) of a `{payment: {...}}` body."""
    errors: Errors = []
    fields: dict[str, Any] = {}
    vendor: dict[str, Any] = {}
    for key, value in data.items():
        if key in wire.PAYMENT_FIELDS:
            target = wire.PAYMENT_FIELDS[key]
            if target == "amount":
                fields[target] = value  # the shared rules read any decimal
            else:
                cast = casts.parse_date if target == "date" else casts.text
                _put(errors, key, cast, value, fields, target)
        elif key in wire.PAYMENT_VENDOR_KEYS:
            integers = frozenset({"updated_by"})
            _put(errors, key, _vendor_cast(key, integers, frozenset()), value, vendor, key)
    _checked(errors, PAYMENT_FIELDS, fields, PAYMENT_NAMES, partial=not create)
    if errors:
        raise ValidationFailed(errors)
    return fields, vendor
