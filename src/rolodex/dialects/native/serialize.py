"""Native representations: plain dicts for orjson, written out field by field (no reflection on
the hot path). Ids are integers, money is a decimal string, times are UTC ISO 8601 with a Z."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rolodex.db.types import format_money
from rolodex.models import (
    Address,
    Client,
    Company,
    EmailAddress,
    Job,
    Location,
    Note,
    Office,
    Payment,
    PhoneNumber,
)


def ts(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def address(a: Address) -> dict[str, Any]:
    return {
        "id": a.id,
        "object": "address",
        "client_id": a.client_id,
        "location_id": a.location_id,
        "label": a.label,
        "name": a.name,
        "company": a.company,
        "line1": a.line1,
        "line2": a.line2,
        "line3": a.line3,
        "city": a.city,
        "region": a.region,
        "postal_code": a.postal_code,
        "country": a.country,
        "po_box": a.po_box,
        "latitude": a.latitude,
        "longitude": a.longitude,
        "is_primary": a.is_primary,
        "is_primary_billing": a.is_primary_billing,
        "is_primary_shipping": a.is_primary_shipping,
        "created_at": ts(a.created_at),
        "updated_at": ts(a.updated_at),
    }


def phone_number(p: PhoneNumber) -> dict[str, Any]:
    return {
        "id": p.id,
        "object": "phone_number",
        "client_id": p.client_id,
        "location_id": p.location_id,
        "label": p.label,
        "country_code": p.country_code,
        "area_code": p.area_code,
        "number": p.number,
        "extension": p.extension,
        "is_primary": p.is_primary,
        "created_at": ts(p.created_at),
        "updated_at": ts(p.updated_at),
    }


def email_address(e: EmailAddress) -> dict[str, Any]:
    return {
        "id": e.id,
        "object": "email_address",
        "client_id": e.client_id,
        "location_id": e.location_id,
        "label": e.label,
        "address": e.address,
        "is_primary": e.is_primary,
        "created_at": ts(e.created_at),
        "updated_at": ts(e.updated_at),
    }


def client(c: Client) -> dict[str, Any]:
    return {
        "id": c.id,
        "object": "client",
        "number": c.number,
        "kind": c.kind,
        "name": c.name,
        "first_name": c.first_name,
        "last_name": c.last_name,
        "account_code": c.account_code,
        "external_id": c.external_id,
        "website": c.website,
        "invoice_email": c.invoice_email,
        "case_policy": c.case_policy,
        "invoice_policy": c.invoice_policy,
        "update_policy": c.update_policy,
        "description": c.description,
        "invoice_reminders": c.invoice_reminders,
        "show_location_on_invoice": c.show_location_on_invoice,
        "company_id": c.company_id,
        "office_id": c.office_id,
        "salesperson_id": c.salesperson_id,
        "case_manager_id": c.case_manager_id,
        "inactive": c.inactive,
        "balance": format_money(c.balance),
        "tags": [t.tag for t in c.tags],
        "custom_fields": c.custom_fields,
        "addresses": [address(a) for a in c.addresses],
        "phone_numbers": [phone_number(p) for p in c.phone_numbers],
        "email_addresses": [email_address(e) for e in c.email_addresses],
        "created_at": ts(c.created_at),
        "updated_at": ts(c.updated_at),
    }


def location(loc: Location) -> dict[str, Any]:
    return {
        "id": loc.id,
        "object": "location",
        "client_id": loc.client_id,
        "name": loc.name,
        "is_primary": loc.is_primary,
        "line1": loc.line1,
        "line2": loc.line2,
        "line3": loc.line3,
        "city": loc.city,
        "region": loc.region,
        "postal_code": loc.postal_code,
        "country": loc.country,
        "phone": loc.phone,
        "phone_secondary": loc.phone_secondary,
        "fax": loc.fax,
        "invoice_email": loc.invoice_email,
        "case_policy": loc.case_policy,
        "invoice_policy": loc.invoice_policy,
        "update_policy": loc.update_policy,
        "description": loc.description,
        "created_at": ts(loc.created_at),
        "updated_at": ts(loc.updated_at),
    }


def company(c: Company) -> dict[str, Any]:
    return {
        "id": c.id,
        "object": "company",
        "name": c.name,
        "created_at": ts(c.created_at),
        "updated_at": ts(c.updated_at),
    }


def note(n: Note) -> dict[str, Any]:
    return {
        "id": n.id,
        "object": "note",
        "client_id": n.client_id,
        "job_id": n.job_id,
        "body": n.body,
        "author": n.author,
        "created_at": ts(n.created_at),
        "updated_at": ts(n.updated_at),
    }


def job(j: Job) -> dict[str, Any]:
    return {
        "id": j.id,
        "object": "job",
        "client_id": j.client_id,
        "number": j.number,
        "job_type": j.job_type,
        "job_type_id": j.job_type_id,
        "status": j.status,
        "description": j.description,
        "scheduled_on": ts(j.scheduled_on),
        "completed_on": ts(j.completed_on),
        "created_at": ts(j.created_at),
        "updated_at": ts(j.updated_at),
    }


def payment(p: Payment) -> dict[str, Any]:
    return {
        "id": p.id,
        "object": "payment",
        "client_id": p.client_id,
        "amount": format_money(p.amount),
        "date": p.date.isoformat(),
        "payment_type": p.payment_type,
        "reference": p.reference,
        "notes": p.notes,
        "applications": [
            {"job_id": a.job_id, "amount": format_money(a.amount)} for a in p.applications
        ],
        "created_at": ts(p.created_at),
        "updated_at": ts(p.updated_at),
    }


def office(o: Office) -> dict[str, Any]:
    return {"id": o.id, "object": "office", "name": o.name, "is_default": o.is_default}
