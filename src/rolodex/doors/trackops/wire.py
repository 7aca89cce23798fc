"""Trackops' names for things: each record's wire fields beside the shared model's names, in the
order a record is rendered, and the keys a request body may be wrapped in."""

from __future__ import annotations

from rolodex.domain.contacts import CONTACT_FIELDS
from rolodex.domain.fields import CLIENT_FIELDS, LOCATION_FIELDS, Field

VENDOR = "trackops"
MOUNT = "/trackops"  # everything under it answers in Trackops' shape
PREFIX = MOUNT + "/api/v1"  # Trackops' own base path, /api/v1, under the mount

# (wire name, shared model name)
CLIENT: tuple[tuple[str, str], ...] = (
    ("name", "name"),
    ("account_code", "account_code"),
    ("website", "website"),
    ("email_invoice", "invoice_email"),
    ("policies_case", "case_policy"),
    ("policies_invoice", "invoice_policy"),
    ("policies_update", "update_policy"),
    ("notes", "description"),
    ("has_invoice_reminders", "invoice_reminders"),
    ("show_location_on_invoice", "show_location_on_invoice"),
    ("salesperson_id", "salesperson_id"),
    ("case_manager_id", "case_manager_id"),
)
LOCATION: tuple[tuple[str, str], ...] = (
    ("is_primary", "is_primary"),
    ("name", "name"),
    ("email_invoice", "invoice_email"),
    ("address_1", "line1"),
    ("address_2", "line2"),
    ("address_3", "line3"),
    ("city", "city"),
    ("state", "region"),
    ("zip", "postal_code"),
    ("country", "country"),
    ("phone_primary", "phone"),
    ("phone_secondary", "phone_secondary"),
    ("phone_fax", "fax"),
    ("policies_case", "case_policy"),
    ("policies_invoice", "invoice_policy"),
    ("policies_update", "update_policy"),
    ("notes", "description"),
)
CONTACT: tuple[tuple[str, str], ...] = (
    ("role_id", "role_id"),
    ("salesperson_id", "salesperson_id"),
    ("first_name", "first_name"),
    ("last_name", "last_name"),
    ("title", "title"),
    ("email", "email"),
    ("phone_primary", "phone"),
    ("phone_mobile", "mobile"),
    ("notes", "notes"),
)

# A location names its client `root_id`; a contact names its location `client_id` (Trackops
# calls locations "sub-clients") and, on the way out, its client `root_id`.
LOCATION_PARENT = ("root_id", "client_id")
CONTACT_PARENT = ("client_id", "location_id")

# Keys a body may carry that describe the record rather than set it: accepted and ignored.
READ_ONLY = frozenset({"id", "created", "updated", "root_id"})

CLIENT_WRAPPER = "client"
LOCATION_WRAPPERS = ("location", "client_location", "ClientLocation")
CONTACT_WRAPPERS = ("contact", "client_contact", "ClientContact")

# The shared rules of each wire field, to read a value of the type it needs.
CLIENT_SPEC: dict[str, Field] = {wire: CLIENT_FIELDS[name] for wire, name in CLIENT}
LOCATION_SPEC: dict[str, Field] = {wire: LOCATION_FIELDS[name] for wire, name in LOCATION}
CONTACT_SPEC: dict[str, Field] = {wire: CONTACT_FIELDS[name] for wire, name in CONTACT}
PARENT_ID = Field("int", required=True, nullable=False)
