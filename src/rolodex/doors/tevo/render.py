"""From the read model's records to Ticket Evolution's JSON: ids are strings, times are UTC
ISO 8601 to the second with a Z, money is a decimal string with at least one decimal place
("0.0", "12.5"), and urls are paths under /v9."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from rolodex.domain.client_children import NATIVE
from rolodex.domain.queries import Record
from rolodex.domain.record_attributes import KEY
from rolodex.doors.tevo.wire import API_PATH, CLIENT_VENDOR_ONLY, TAG_ORDER

Wire = dict[str, Any]
# What a client embeds here (rolodex.domain.client_children).
PARTS = (*NATIVE, "company", "office", "account", "vendor")


def ts(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def money(value: Decimal | None) -> str | None:
    """As the vendor's Rails app prints a decimal: "0.0", "12.5", "1234.5678"."""
    if value is None:
        return None
    text = f"{Decimal(value).normalize():f}"
    return text if "." in text else text + ".0"


def client_url(client_id: int) -> str:
    return f"{API_PATH}/clients/{client_id}"


def address(rec: Record) -> Wire:
    return {
        "id": str(rec["id"]),
        "url": f"{client_url(rec['client_id'])}/addresses/{rec['id']}",
        "label": rec["label"],
        "name": rec["name"],
        "company": rec["company"],
        "street_address": rec["line1"],
        "extended_address": rec["line2"],
        "locality": rec["city"],
        "region": rec["region"],
        "postal_code": rec["postal_code"],
        "country_code": rec["country"],
        "latitude": rec["latitude"],
        "longitude": rec["longitude"],
        "po_box": rec["po_box"],
        "primary": rec["is_primary"],
        "primary_shipping_address": rec["is_primary_shipping"],
        "primary_billing_address": rec["is_primary_billing"],
        "updated_at": ts(rec["updated_at"]),
    }


def phone_number(rec: Record) -> Wire:
    return {
        "id": str(rec["id"]),
        "url": f"{client_url(rec['client_id'])}/phone_numbers/{rec['id']}",
        "label": rec["label"],
        "country_code": rec["country_code"],
        "area_code": rec["area_code"],
        "number": rec["number"],
        "extension": rec["extension"],
        # The number as it was given; Rolodex keeps numbers unparsed.
        "raw_number": rec["number"],
        "primary": rec["is_primary"],
        "updated_at": ts(rec["updated_at"]),
    }


def email_address(rec: Record) -> Wire:
    return {
        "id": str(rec["id"]),
        "url": f"{client_url(rec['client_id'])}/email_addresses/{rec['id']}",
        "address": rec["address"],
        "label": rec["label"],
        "primary": rec["is_primary"],
        "updated_at": ts(rec["updated_at"]),
    }


def company(rec: Record) -> Wire:
    return {
        "id": str(rec["id"]),
        "url": f"{API_PATH}/companies/{rec['id']}",
        "name": rec["name"],
        "updated_at": ts(rec["updated_at"]),
    }


def office(found: Record | None, account: Record) -> Wire | None:
    if found is None:
        return None
    office_id = found["id"]
    return {
        # The brokerage is the account.
        "brokerage": {
            "url": f"{API_PATH}/brokerages/{account['id']}",
            "name": account["name"],
            "id": str(account["id"]),
            "abbreviation": account["slug"].upper(),
        },
        "url": f"{API_PATH}/offices/{office_id}",
        "name": found["name"],
        "id": str(office_id),
        "pcc_code": None,
    }


def _ordered(tags: list[str], order: Any) -> list[str]:
    """Tags in the order they were last sent through this door; any added elsewhere after."""
    if not order:
        return tags
    present = set(tags)
    first = [t for t in order if t in present]
    return first + [t for t in tags if t not in set(first)]


def _first(items: list[Wire], flag: str) -> Wire | None:
    return next((item for item in items if item[flag]), None)


def client(rec: Record) -> Wire:
    # Embedded records newest first, as the vendor's own examples list them.
    addresses = [address(a) for a in reversed(rec["addresses"])]
    phones = [phone_number(p) for p in reversed(rec["phone_numbers"])]
    emails = [email_address(e) for e in reversed(rec["email_addresses"])]
    linked = rec["company"]
    extras = rec[KEY]
    out: Wire = {
        "id": str(rec["id"]),
        "url": client_url(rec["id"]),
        "name": rec["name"],
        "notes": rec["description"],
        "balance": money(rec["balance"]),
        "tags": _ordered(rec["tags"], extras.get(TAG_ORDER)),
        "company": company(linked) if linked is not None else None,
        "office": office(rec["office"], rec["account"]),
        "addresses": addresses,
        "phone_numbers": phones,
        "email_addresses": emails,
        "primary_shipping_address": _first(addresses, "primary_shipping_address"),
        "primary_billing_address": _first(addresses, "primary_billing_address"),
        "primary_phone_number": _first(phones, "primary"),
        "primary_email_address": _first(emails, "primary"),
        "primary_credit_card": None,
        "updated_at": ts(rec["updated_at"]),
    }
    for key in CLIENT_VENDOR_ONLY:
        out[key] = extras.get(key)
    return out


CHILD_RENDERERS: dict[str, Callable[[Record], Wire]] = {
    "addresses": address,
    "phone_numbers": phone_number,
    "email_addresses": email_address,
}


def page(key: str, items: list[Wire], current: int, per_page: int, total: int) -> Wire:
    return {
        "current_page": current,
        "per_page": per_page,
        "total_entries": total,
        key: items,
    }
