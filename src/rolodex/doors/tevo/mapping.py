"""From Ticket Evolution's wire format to the shared model's fields: pure functions, no I/O.

A record is read the way the vendor's Rails app reads params: keys it does not know (and the
read-only keys of its own responses, such as `id`, `url` or `updated_at`, which an SDK's
`save` sends back) are ignored, and every problem found is collected rather than the first
one raised, so a refused record lists all of them. Values are checked against the shared
field rules (rolodex.domain.fields) here as well as in the domain, only so that each problem
can be reported under the wire name of the record it belongs to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rolodex.domain.fields import (
    ADDRESS_FIELDS,
    CLIENT_FIELDS,
    COMPANY_FIELDS,
    EMAIL_FIELDS,
    PHONE_FIELDS,
    Field,
    clean,
)
from rolodex.doors.tevo.wire import (
    ADDRESS_ERRORS,
    ADDRESS_IN,
    ANY,
    CLIENT_ERRORS,
    CLIENT_IN,
    CLIENT_VENDOR_ONLY,
    COMPANY_IN,
    CREDIT_CARD_PICKS,
    EMAIL_IN,
    FLAG,
    ID,
    NUMBER,
    PHONE_IN,
    PRIMARY_PICKS,
    TAG_ORDER,
    TEXT,
    WireField,
)
from rolodex.errors import MalformedRequest, ValidationFailed

Problems = list[tuple[str, str]]
ID_MAX = 2**63 - 1
# "Must include a space. 'Prince Fielder' is valid. 'Prince' is not."
TWO_WORDS = re.compile(r"\S\s+\S")
SID_MAX = 255


@dataclass(frozen=True)
class Kind:
    """One record type of this door: its wire fields, the shared rules, and how an error about
    a shared field is named on the wire."""

    wire: Mapping[str, WireField]
    spec: Mapping[str, Field]
    error_names: Mapping[str, str]


ADDRESS = Kind(ADDRESS_IN, ADDRESS_FIELDS, ADDRESS_ERRORS)
PHONE = Kind(PHONE_IN, PHONE_FIELDS, {})
EMAIL = Kind(EMAIL_IN, EMAIL_FIELDS, {})
COMPANY = Kind(COMPANY_IN, COMPANY_FIELDS, {})
CLIENT = Kind(CLIENT_IN, CLIENT_FIELDS, CLIENT_ERRORS)


def coerce(kind: str, value: Any) -> Any:
    """A wire value as the shared rules expect it; ValueError names what is wrong."""
    if value is None or kind == ANY:
        return value
    if kind == TEXT:
        if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
            raise ValueError("is invalid")
        return value if isinstance(value, str) else str(value)
    if kind == FLAG:
        if isinstance(value, bool):
            return value
        if value in (0, 1) and isinstance(value, int):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
            return value.strip().lower() in ("true", "1")
        raise ValueError("must be true or false")
    if kind == ID:
        if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= ID_MAX:
            raise ValueError("is not a valid id")
        return value
    if kind == NUMBER:
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                raise ValueError("is not a number") from None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("is not a number")
        return value
    return value  # DECIMAL: the shared rule reads strings and numbers


def map_fields(
    body: Mapping[str, Any], kind: Kind, problems: Problems, prefix: str = ""
) -> dict[str, Any]:
    """The wire fields of `body` this kind knows, under their shared names. Flags sent as null
    mean false (the shared model keeps them not-null)."""
    out: dict[str, Any] = {}
    for key, value in body.items():
        wf = kind.wire.get(key)
        if wf is None:
            continue
        try:
            value = coerce(wf.kind, value)
        except ValueError as exc:
            problems.append((prefix + key, str(exc)))
            continue
        if wf.kind == FLAG and value is None:
            value = False
        too_long = wf.max_length is not None and isinstance(value, str)
        if too_long and len(value.strip()) > (wf.max_length or 0):
            problems.append((prefix + key, f"is too long (maximum is {wf.max_length} characters)"))
            continue
        out[wf.domain] = value
    return out


def check(
    data: dict[str, Any], kind: Kind, problems: Problems, *, partial: bool, prefix: str = ""
) -> None:
    """Run the shared field rules on `data`, adding what they refuse under wire names."""
    already = {name for name, _ in problems}
    try:
        clean(kind.spec, data, partial=partial)
    except ValidationFailed as exc:
        for name, message in exc.errors:
            wire = prefix + kind.error_names.get(name, name)
            if wire not in already:
                problems.append((wire, message))


def parse_record(
    body: Mapping[str, Any], kind: Kind, *, creating: bool, prefix: str = ""
) -> tuple[dict[str, Any], Problems]:
    problems: Problems = []
    data = map_fields(body, kind, problems, prefix)
    check(data, kind, problems, partial=not creating, prefix=prefix)
    return data, problems


# --- clients ---------------------------------------------------------------------------------


@dataclass
class ClientWrite:
    """One client of a create batch, or the body of an update, in shared terms."""

    fields: dict[str, Any]
    tags: list[str] | None = None
    addresses: list[dict[str, Any]] = field(default_factory=list)
    phone_numbers: list[dict[str, Any]] = field(default_factory=list)
    email_addresses: list[dict[str, Any]] = field(default_factory=list)
    new_company: dict[str, Any] | None = None  # a `company` object: a new company
    vendor: dict[str, Any] = field(default_factory=dict)  # vendor-only attributes sent
    # primary_*_id of an update: (association, flag) -> the record to hold it (None: nobody)
    picks: dict[tuple[str, str], int | None] = field(default_factory=dict)
    problems: Problems = field(default_factory=list)


def _tags(value: Any, problems: Problems) -> list[str] | None:
    """An array of tags, or a comma separated list of them."""
    if value is None:
        return None
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    if isinstance(value, list) and all(isinstance(t, str) for t in value):
        return list(value)
    problems.append(("tags", "must be an array of strings or a comma separated list"))
    return None


def _company(body: Mapping[str, Any], out: ClientWrite, *, creating: bool) -> None:
    company = body.get("company")
    if "company" not in body or (company is None and "company_id" in body):
        return
    if company is None:
        if not creating:
            out.fields["company_id"] = None  # an update sending "company": null unlinks it
        return
    if not isinstance(company, dict):
        out.problems.append(("company", "is invalid"))
        return
    if out.fields.get("company_id") is not None:
        out.problems.append(("company", "can't be given together with company_id"))
        return
    if company.get("id") is not None:
        # A company object read back from this door names an existing company: link it.
        try:
            out.fields["company_id"] = coerce(ID, company["id"])
        except ValueError as exc:
            out.problems.append(("company.id", str(exc)))
        return
    data, problems = parse_record(company, COMPANY, creating=True, prefix="company.")
    out.problems.extend(problems)
    out.new_company = data


def _vendor_only(body: Mapping[str, Any], out: ClientWrite) -> None:
    for key in CLIENT_VENDOR_ONLY:
        if key not in body:
            continue
        value = body[key]
        if key == "commission_junction_sid" and value is not None:
            if not isinstance(value, str | int) or isinstance(value, bool):
                out.problems.append((key, "is invalid"))
                continue
            value = str(value)
            if len(value) > SID_MAX:
                out.problems.append((key, f"is too long (maximum is {SID_MAX} characters)"))
                continue
        if key == "pnr_id" and not (
            value is None or (isinstance(value, str | int) and not isinstance(value, bool))
        ):
            out.problems.append((key, "is invalid"))
            continue
        if key == "affiliate_store" and not (value is None or isinstance(value, dict)):
            out.problems.append((key, "is invalid"))
            continue
        out.vendor[key] = value


def _children(
    body: Mapping[str, Any], key: str, kind: Kind, problems: Problems
) -> list[dict[str, Any]]:
    items = body.get(key)
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        problems.append((key, "must be an array of objects"))
        return []
    out = []
    for item in items:
        data, found = parse_record(item, kind, creating=True, prefix=f"{key}.")
        problems.extend(p for p in found if p not in problems)
        out.append(data)
    return out


def parse_client(body: Any, *, creating: bool) -> ClientWrite:
    if not isinstance(body, dict):
        return ClientWrite({}, problems=[("base", "must be a JSON object")])
    problems: Problems = []
    fields = map_fields(body, CLIENT, problems)
    if creating:
        # Sent as null on create: the default office, a zero balance.
        for key in ("office_id", "balance"):
            if key in fields and fields[key] is None:
                del fields[key]
    out = ClientWrite(fields, problems=problems)
    check(fields, CLIENT, problems, partial=not creating)
    name = fields.get("name")
    if (
        isinstance(name, str)
        and name.strip()
        and not TWO_WORDS.search(name.strip())
        and "name" not in {n for n, _ in problems}
    ):
        problems.append(("name", "must include a space"))
    _company(body, out, creating=creating)
    out.tags = _tags(body.get("tags"), problems)
    if out.tags is not None:
        out.vendor[TAG_ORDER] = list(dict.fromkeys(t.strip() for t in out.tags if t.strip()))
    _vendor_only(body, out)
    if creating:
        out.addresses = _children(body, "addresses", ADDRESS, problems)
        out.phone_numbers = _children(body, "phone_numbers", PHONE, problems)
        out.email_addresses = _children(body, "email_addresses", EMAIL, problems)
    else:
        # Contact points change through their own endpoints; the arrays a client's
        # representation carries (and an SDK's save sends back) are not applied here.
        for key, pick in PRIMARY_PICKS.items():
            if key in body:
                try:
                    out.picks[pick] = coerce(ID, body[key])
                except ValueError as exc:
                    problems.append((key, str(exc)))
        for key in CREDIT_CARD_PICKS:
            if body.get(key) is not None:
                problems.append((key, f"no credit card with id {body[key]} belongs to this client"))
    return out


def wrapped_items(body: Any, key: str) -> list[Any]:
    """`{"<key>": [...]}`: the array a create takes, even for one record."""
    items = body.get(key) if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise MalformedRequest(f"param is missing or the value is empty: {key}")
    return items
