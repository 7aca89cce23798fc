"""Kickserv's field names: the keys of its customer, note, job and payment objects, in the
vendor's order, and how each customer key maps onto the shared model.

Customer keys come from Kickserv's v1 XML fixture, JSON-cased as Rails renders them; note, job
and payment keys from the community v2 docs (see ../shared/reference/vendors.md, section 4).
"""

from __future__ import annotations

VENDOR = "kickserv"

# Customer keys drawn from the client's own columns: wire key -> client field.
CUSTOMER_CLIENT_FIELDS = {
    "name": "name",
    "first_name": "first_name",
    "last_name": "last_name",
    "special_instructions": "description",
    "balance": "balance",
}
# Booleans that are the client's columns seen the other way round or by another name.
IS_ACTIVE = "is_active"  # not client.inactive
COMPANY = "company"  # client.kind == "organization"

# The service address: wire key -> address column (of the primary location, or an address).
SERVICE = {
    "service_address": "line1",
    "service_address_2": "line2",
    "service_city": "city",
    "service_state": "region",
    "service_zip_code": "postal_code",
    "service_country": "country",
}
# The billing address: wire key -> column of the client's primary billing address.
BILLING = {
    "billing_address": "line1",
    "billing_address_2": "line2",
    "billing_city": "city",
    "billing_state": "region",
    "billing_zip_code": "postal_code",
    "billing_country": "country",
}
# Phone slots: wire key -> (label a new phone number gets, labels (lower-cased) that fill the
# slot when read, column of the primary location that fills it when no phone number does).
# `phone_number` is the primary phone number, whatever its label.
PHONE_SLOTS: dict[str, tuple[str, frozenset[str], str | None]] = {
    "phone_number": ("phone", frozenset(), "phone"),
    "alt_phone_number": (
        "alt_phone",
        frozenset({"alt_phone", "alt", "alternate", "other"}),
        "phone_secondary",
    ),
    "mobile": ("mobile", frozenset({"mobile", "cell"}), None),
    "fax": ("fax", frozenset({"fax"}), "fax"),
}
EMAIL_ADDRESS = "email_address"  # the primary email address

# Given by Rolodex, never taken from a request.
CUSTOMER_READ_ONLY = frozenset(
    {"id", "customer_number", "created_at", "updated_at", "total_balance", "children"}
)

CUSTOMER_KEYS: tuple[str, ...] = (
    "id",
    "customer_number",
    "origin",
    "created_at",
    "updated_at",
    "name",
    "phone_number",
    "fax",
    *SERVICE,
    *BILLING,
    "which_billing_address",
    "special_instructions",
    "email_address",
    "alt_phone_number",
    "parent_id",
    "children",
    "list_id",
    "time_created",
    "time_modified",
    "edit_sequence",
    "full_name",
    "is_active",
    "parent_ref_list_id",
    "sublevel",
    "company_name",
    "first_name",
    "last_name",
    "phone",
    "mobile",
    "pager",
    "alt_phone",
    "email",
    "contact",
    "alt_contact",
    "customer_type_ref_full_name",
    "terms_ref_full_name",
    "sales_rep_ref_full_name",
    "balance",
    "total_balance",
    "sales_tax_code_ref_full_name",
    "item_sales_tax_ref_full_name",
    "resale_number",
    "account_number",
    "credit_limit",
    "preferred_payment_method_ref_full_name",
    "job_status",
    "job_start_date",
    "job_projected_end_date",
    "job_end_date",
    "job_desc",
    "job_type_ref_full_name",
    *(f"custom_text{i}" for i in range(1, 21)),
    *(f"custom_number{i}" for i in range(1, 11)),
    *(f"custom_datetime{i}" for i in range(1, 11)),
    "created_by",
    "updated_by",
    "tax_id",
    "customer_type_id",
    "customer_source_id",
    "import_id",
    "stripe_customer_id",
    "token",
    "latitude",
    "longitude",
    "company",
    "deleted_at",
    "qb_error",
    "send_reminders",
    "notification_email_address",
    "notification_phone_number",
    "notify_via_email",
    "notify_via_sms",
    "send_notifications",
    "sales_terms_ref_id",
    "sales_tax_code_id",
)
CUSTOMER_MAPPED = frozenset(
    {*CUSTOMER_CLIENT_FIELDS, IS_ACTIVE, COMPANY, *SERVICE, *BILLING, *PHONE_SLOTS, EMAIL_ADDRESS}
)
# Kept per customer in the vendor attributes: every key the shared model has no column for.
# `company_name` and `which_billing_address`, when never set, are drawn from the client's
# company and billing address.
CUSTOMER_VENDOR_KEYS = frozenset(CUSTOMER_KEYS) - CUSTOMER_MAPPED - CUSTOMER_READ_ONLY
# Vendor keys holding record ids or counts (integers) and flags (booleans); Rails casts "12"
# and "true" to those, and so does this door.
CUSTOMER_INTEGER_KEYS = frozenset(
    {
        "parent_id",
        "sublevel",
        "created_by",
        "updated_by",
        "customer_type_id",
        "customer_source_id",
        "import_id",
        "sales_terms_ref_id",
        "sales_tax_code_id",
    }
)
CUSTOMER_BOOLEAN_KEYS = frozenset(
    {"send_reminders", "notify_via_email", "notify_via_sms", "send_notifications"}
)

# Notes: wire key -> note field. `public` has no column and is kept as a vendor attribute.
NOTE_FIELDS = {"note": "body"}
NOTE_VENDOR_KEYS = ("public",)
# The author of a note written through this door (see docs/kickserv.md, "Note creator").
NOTE_AUTHOR = "Kickserv API"

# Jobs: wire key -> job field.
JOB_FIELDS = {
    "name": "job_type",
    "job_type_id": "job_type_id",
    "status": "status",
    "description": "description",
    "scheduled_on": "scheduled_on",
    "completed_on": "completed_on",
}
JOB_READ_ONLY = frozenset(
    {"id", "account_id", "customer_id", "job_number", "created_at", "updated_at"}
)
JOB_VENDOR_KEYS: tuple[str, ...] = (
    "ref_number",
    "txn_id",
    "edit_sequence",
    "ok_to_sync",
    "estimate_type",
    "self_service",
    *(f"custom_text{i}" for i in range(1, 6)),
    *(f"custom_number{i}" for i in range(1, 6)),
    *(f"custom_datetime{i}" for i in range(1, 6)),
)
JOB_BOOLEAN_KEYS = frozenset({"ok_to_sync", "self_service"})

# Payments: wire key -> payment field.
PAYMENT_FIELDS = {
    "amount": "amount",
    "date": "date",
    "payment_type": "payment_type",
    "notes": "notes",
    "ref_number": "reference",
}
PAYMENT_READ_ONLY = frozenset({"id", "payment_application_ids", "created_at", "updated_at"})
PAYMENT_VENDOR_KEYS: tuple[str, ...] = (
    "txn_id",
    "status",
    "stripe_payment_id",
    "qb_error",
    "updated_by",
)

# The type attribute each key's element carries in XML (Kickserv's v1 fixtures, as Rails'
# `to_xml` names column types), also on a null (`<parent-id type="integer" nil="true"/>`).
# A text key has none. Used by xml_render; the JSON door needs no such table.
XML_TYPES: dict[str, str] = {
    **dict.fromkeys(
        (
            "id",
            "customer_number",
            "account_id",
            "customer_id",
            "job_number",
            "job_type_id",
            "noteable_id",
            "tax_id",
            *CUSTOMER_INTEGER_KEYS,
        ),
        "integer",
    ),
    **dict.fromkeys(
        (
            "balance",
            "total_balance",
            "credit_limit",
            "amount",
            *(f"custom_number{i}" for i in range(1, 11)),
        ),
        "decimal",
    ),
    **dict.fromkeys(
        (
            "created_at",
            "updated_at",
            "time_created",
            "time_modified",
            "job_start_date",
            "job_projected_end_date",
            "job_end_date",
            "deleted_at",
            "scheduled_on",
            "completed_on",
            *(f"custom_datetime{i}" for i in range(1, 11)),
        ),
        "dateTime",
    ),
    "date": "date",
    "latitude": "float",
    "longitude": "float",
    **dict.fromkeys(
        (IS_ACTIVE, COMPANY, "public", *CUSTOMER_BOOLEAN_KEYS, *JOB_BOOLEAN_KEYS), "boolean"
    ),
    "children": "array",
    "payment_application_ids": "array",
}
