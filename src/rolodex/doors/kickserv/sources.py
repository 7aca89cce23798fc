"""Where each of a customer's flat fields lives in the shared model, whichever door wrote it.

A Kickserv customer is one flat object; the shared model keeps a client's service address,
billing address, phone numbers and email addresses as records of their own. These pure functions
pick, from a customer record as read (rolodex.doors.kickserv.reads.customer), the record a
field is read from; a write goes to that same record, so a change made here shows through every
door that shows that record, and the other doors' data shows here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rolodex.doors.kickserv.wire import PHONE_SLOTS

Record = dict[str, Any]


@dataclass(frozen=True)
class Source:
    kind: str  # "location", "address" or "phone"
    record: Record
    column: str = ""  # for a phone slot: the column holding the number


def _first(items: list[Record], flag: str) -> Record | None:
    return next((item for item in items if item[flag]), None)


def service_source(rec: Record) -> Source | None:
    """The primary location; else the primary shipping address; else the primary address."""
    location = rec["primary_location"]
    if location is not None:
        return Source("location", location)
    addresses = rec["addresses"]
    found = _first(addresses, "is_primary_shipping") or _first(addresses, "is_primary")
    return None if found is None else Source("address", found)


def billing_source(rec: Record) -> Record | None:
    """The primary billing address."""
    return _first(rec["addresses"], "is_primary_billing")


_CLAIMED = frozenset().union(*(labels for _label, labels, _column in PHONE_SLOTS.values()))


def phone_source(rec: Record, slot: str) -> Source | None:
    """`phone_number`: the primary phone number, else the first whose label no other slot
    claims. The others: the first non-primary phone number with one of the slot's labels. Then,
    for every slot with one, the primary location's phone column."""
    _label, labels, location_column = PHONE_SLOTS[slot]
    phones = rec["phone_numbers"]
    if slot == "phone_number":
        found = _first(phones, "is_primary") or next(
            (p for p in phones if (p["label"] or "").lower() not in _CLAIMED), None
        )
    else:
        found = next(
            (p for p in phones if not p["is_primary"] and (p["label"] or "").lower() in labels),
            None,
        )
    if found is not None:
        return Source("phone", found, "number")
    location = rec["primary_location"]
    if location_column and location is not None and location[location_column]:
        return Source("location", location, location_column)
    return None


def email_source(rec: Record) -> Record | None:
    """The primary email address, else the first."""
    emails = rec["email_addresses"]
    return _first(emails, "is_primary") or (emails[0] if emails else None)
