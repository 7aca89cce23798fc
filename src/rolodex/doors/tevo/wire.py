"""Ticket Evolution's wire vocabulary: field names and how each maps to the shared model, the
vendor's own limits, the plural keys that wrap records, and the class names its 404s use."""

from __future__ import annotations

from dataclasses import dataclass

VENDOR = "tevo"
API_PATH = "/v9"

# How a wire value is read before the shared field rules see it (mapping.coerce).
TEXT = "text"  # a string; a number becomes its string
FLAG = "flag"  # true/false (also "true"/"false", "1"/"0", 1/0); null means false
ID = "id"  # an integer id, also as a string of digits (TEvo renders ids as strings)
NUMBER = "number"  # a JSON number or a numeric string
DECIMAL = "decimal"  # passed through: the shared rule reads strings and numbers
ANY = "any"  # kept as sent (vendor-only values stored as they came)


@dataclass(frozen=True)
class WireField:
    domain: str  # the shared model's name
    kind: str
    max_length: int | None = None  # TEvo's own limit, stricter than the shared one


def _fields(*entries: tuple[str, WireField]) -> dict[str, WireField]:
    return dict(entries)


# Request names. Several wire names may set one domain field: the response name of a flag is
# accepted too, so an object read through this door can be sent back as it came.
ADDRESS_IN = _fields(
    ("label", WireField("label", TEXT, 20)),
    ("name", WireField("name", TEXT)),
    ("company", WireField("company", TEXT, 50)),
    ("street_address", WireField("line1", TEXT)),
    ("extended_address", WireField("line2", TEXT)),
    ("locality", WireField("city", TEXT)),
    ("region", WireField("region", TEXT)),
    ("postal_code", WireField("postal_code", TEXT)),
    ("country_code", WireField("country", TEXT)),
    ("latitude", WireField("latitude", NUMBER)),
    ("longitude", WireField("longitude", NUMBER)),
    ("po_box", WireField("po_box", FLAG)),
    ("primary", WireField("is_primary", FLAG)),
    ("is_primary", WireField("is_primary", FLAG)),
    ("is_primary_shipping", WireField("is_primary_shipping", FLAG)),
    ("primary_shipping_address", WireField("is_primary_shipping", FLAG)),
    ("is_primary_billing", WireField("is_primary_billing", FLAG)),
    ("primary_billing_address", WireField("is_primary_billing", FLAG)),
)
PHONE_IN = _fields(
    ("label", WireField("label", TEXT, 20)),
    ("country_code", WireField("country_code", TEXT)),
    ("area_code", WireField("area_code", TEXT, 4)),
    ("number", WireField("number", TEXT)),
    ("extension", WireField("extension", TEXT)),
    ("is_primary", WireField("is_primary", FLAG)),
    ("primary", WireField("is_primary", FLAG)),
)
EMAIL_IN = _fields(
    ("label", WireField("label", TEXT, 20)),
    ("address", WireField("address", TEXT)),
    ("is_primary", WireField("is_primary", FLAG)),
    ("primary", WireField("is_primary", FLAG)),
)
CLIENT_IN = _fields(
    ("name", WireField("name", TEXT)),
    ("notes", WireField("description", TEXT)),
    ("office_id", WireField("office_id", ID)),
    ("company_id", WireField("company_id", ID)),
    ("balance", WireField("balance", DECIMAL)),
)
COMPANY_IN = _fields(("name", WireField("name", TEXT)))
# Client fields the shared model has no column for: kept per client in vendor_data.
CLIENT_VENDOR_ONLY = ("commission_junction_sid", "pnr_id", "affiliate_store")
# The order tags were sent in (the shared model keeps a set), so they come back in that order.
TAG_ORDER = "tag_order"
# PUT /v9/clients/{id}: which flag each primary_*_id moves, on which records.
PRIMARY_PICKS = {
    "primary_shipping_address_id": ("addresses", "is_primary_shipping"),
    "primary_billing_address_id": ("addresses", "is_primary_billing"),
    "primary_phone_number_id": ("phone_numbers", "is_primary"),
    "primary_email_address_id": ("email_addresses", "is_primary"),
}
# Credit cards are not served; the docs' misspelling is accepted like the right name.
CREDIT_CARD_PICKS = ("primary_credit_card_id", "primary_credit_credit_id")

# Domain field name -> the wire name an error about it is reported under.
ADDRESS_ERRORS = {
    "line1": "street_address",
    "line2": "extended_address",
    "city": "locality",
    "country": "country_code",
    "is_primary": "primary",
}
CLIENT_ERRORS = {"description": "notes"}
NO_RENAMES: dict[str, str] = {}

# 404 bodies name the record's class, as the vendor's Rails models are named.
CLASS_NAMES = {
    "client": "Client",
    "address": "Address",
    "phone number": "PhoneNumber",
    "email address": "EmailAddress",
    "company": "Company",
    "office": "Office",
}

PER_PAGE_DEFAULT = 100
PER_PAGE_MAX = 100
