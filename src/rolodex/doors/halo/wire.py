"""HaloPSA's wire vocabulary: which Halo field carries which shared-model field, the scopes a
token may hold, and how Halo writes values (times, booleans in query strings)."""

from __future__ import annotations

from datetime import datetime

from rolodex.db.types import format_utc_ms

VENDOR = "halo"
SCHEME = "halo"  # access_tokens.scheme and the account's credentials

# Area (client) fields held in shared client columns: Halo name -> native name. Every other
# Area field is kept as sent in the client's vendor attributes.
AREA_COLUMNS: dict[str, str] = {
    "name": "name",
    "inactive": "inactive",
    "website": "website",
    "notes": "description",
    "accountsemailaddress": "invoice_email",
}
# Area fields read from related records or server state rather than the client's own columns.
AREA_DERIVED = (
    "toplevel_id",  # the client's company
    "toplevel_name",  # that company's name
    "main_site_id",  # the client's primary location
    "main_site_name",
    "datecreated",  # created_at, unless the caller set its own
    "customfields",  # custom_fields, as Halo's list of CustomField objects
)
# Acted on when a client is created, kept as sent afterwards.
AREA_ON_CREATE = (
    "newclient_sitename",
    "newclient_phonenumber",
    "newclient_delivery_address",
    "site_update",
)
# Area fields that may change through POST /Client/PaymentMethodUpdate.
PAYMENT_METHOD_FIELDS = (
    "stripe_customer_id",
    "stripe_payment_method_id",
    "stripe_payment_method_name",
    "stripe_paymentmethod",
)
ACCOUNTS_ID_FIELD = "accountsid"

# Site fields held in location columns.
SITE_COLUMNS: dict[str, str] = {"name": "name", "phonenumber": "phone", "notes": "description"}
# Halo addresses have five lines; a shared address has street lines, city, region, postcode.
ADDRESS_LINES: dict[int, str] = {1: "line1", 2: "line2", 3: "city", 4: "region", 5: "postal_code"}
DELIVERY_LINES = {f"delivery_address_line{n}": col for n, col in ADDRESS_LINES.items()}
INVOICE_LINES = {f"invoice_address_line{n}": col for n, col in ADDRESS_LINES.items()}
# The same five lines inside an AddressStore object (delivery_address, invoice_address).
ADDRESS_STORE: dict[str, str] = {
    "line1": "line1",
    "line2": "line2",
    "line3": "city",
    "line4": "region",
    "postcode": "postal_code",
}
# A site's invoice address is a shared address of its client, attached to the location.
INVOICE_LABEL = "invoice"

# AreaNote (CRM note) fields held in note columns.
NOTE_COLUMNS: dict[str, str] = {"note": "body", "who": "author"}

# Native field name -> the Halo field to name in an error, per record kind.
AREA_ERROR_NAMES = {
    **{native: wire for wire, native in AREA_COLUMNS.items()},
    "company_id": "toplevel_id",
    "custom_fields": "customfields",
}
SITE_ERROR_NAMES = {
    **{native: wire for wire, native in SITE_COLUMNS.items()},
    **{native: wire for wire, native in DELIVERY_LINES.items()},
    "location_id": "id",
}
INVOICE_ERROR_NAMES = {native: wire for wire, native in INVOICE_LINES.items()}
NOTE_ERROR_NAMES = {"body": "note", "author": "who", "job_id": "ticketid"}

# OAuth2 scopes. "all" grants everything; edit implies read.
ALL_SCOPE = "all"
CUSTOMERS = "customers"
CRM = "crm"

TRUE = frozenset({"true", "1"})
FALSE = frozenset({"false", "0"})


def timestamp(value: datetime | None) -> str | None:
    """UTC with milliseconds and a Z, as Halo's own samples write them."""
    return None if value is None else format_utc_ms(value)
