"""The read model's records -> Kickserv's objects.

Times are ISO 8601 with an explicit UTC offset, to the second (`2022-05-17T14:04:14+00:00`);
money is a decimal string (`"1464.27"`); dates are YYYY-MM-DD; every key of an object is always
present, null when unknown.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from rolodex.db.types import format_money
from rolodex.doors.kickserv import sources, wire

Record = dict[str, Any]


def ts(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds")


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


_EMPTY_CUSTOMER = dict.fromkeys(wire.CUSTOMER_KEYS)


def empty_customer() -> Record:
    """What filter.json answers, alone in its list, when nothing matches: every key, null."""
    return dict(_EMPTY_CUSTOMER)


def customer(rec: Record) -> Record:
    """A customer, from rolodex.doors.kickserv.reads.customer()'s record."""
    out = dict(_EMPTY_CUSTOMER)
    vendor = rec["vendor"]
    for key, value in vendor.items():
        if key in wire.CUSTOMER_VENDOR_KEYS:
            out[key] = value
    balance = format_money(rec["balance"])
    out.update(
        id=rec["id"],
        customer_number=rec["number"],
        created_at=ts(rec["created_at"]),
        updated_at=ts(rec["updated_at"]),
        name=rec["name"],
        first_name=rec["first_name"],
        last_name=rec["last_name"],
        special_instructions=rec["description"],
        is_active=not rec["inactive"],
        company=rec["kind"] == "organization",
        balance=balance,
        total_balance=balance,
        children=[],
    )
    if "company_name" not in vendor:
        out["company_name"] = rec["company"]["name"] if rec["company"] else None
    service = sources.service_source(rec)
    if service is not None:
        for key, column in wire.SERVICE.items():
            out[key] = service.record[column]
    billing = sources.billing_source(rec)
    if billing is not None:
        for key, column in wire.BILLING.items():
            out[key] = billing[column]
    if "which_billing_address" not in vendor:
        out["which_billing_address"] = "service" if billing is None else "billing"
    for slot in wire.PHONE_SLOTS:
        found = sources.phone_source(rec, slot)
        if found is not None:
            out[slot] = found.record[found.column]
    email = sources.email_source(rec)
    out[wire.EMAIL_ADDRESS] = None if email is None else email["address"]
    return out


def creator(author: str | None) -> Record | None:
    """The employee object of a note's author. Rolodex keeps an author's name, not an employee
    record, so the name is what there is to show; `id` is always null."""
    if author is None:
        return None
    first, _, last = author.partition(" ")
    return {"id": None, "name": author, "first_name": first, "last_name": last or None}


def note(rec: Record, *, with_creator: bool = False) -> Record:
    """A note; with its author under `creator`, as a POST or PUT answers it."""
    on_job = rec["job_id"] is not None
    out: Record = {
        "id": rec["id"],
        "note": rec["body"],
        "noteable_id": rec["job_id"] if on_job else rec["client_id"],
        "noteable_type": "Job" if on_job else "Customer",
        "public": bool(rec["vendor"].get("public", False)),
        "created_at": ts(rec["created_at"]),
        "updated_at": ts(rec["updated_at"]),
    }
    if with_creator:
        out["creator"] = creator(rec["author"])
    return out


def job(rec: Record, account_id: int) -> Record:
    out: Record = {
        "id": rec["id"],
        "account_id": account_id,
        "customer_id": rec["client_id"],
        "job_number": rec["number"],
        "name": rec["job_type"],
        "job_type_id": rec["job_type_id"],
        "status": rec["status"],
        "description": rec["description"],
        "scheduled_on": ts(rec["scheduled_on"]),
        "completed_on": ts(rec["completed_on"]),
        "created_at": ts(rec["created_at"]),
        "updated_at": ts(rec["updated_at"]),
    }
    vendor = rec["vendor"]
    for key in wire.JOB_VENDOR_KEYS:
        out[key] = vendor.get(key)
    return out


def payment(rec: Record) -> Record:
    out: Record = {
        "id": rec["id"],
        "amount": format_money(rec["amount"]),
        "date": day(rec["date"]),
        "payment_type": rec["payment_type"],
        "notes": rec["notes"],
        "ref_number": rec["reference"],
        "payment_application_ids": rec["application_ids"],
        "created_at": ts(rec["created_at"]),
        "updated_at": ts(rec["updated_at"]),
    }
    vendor = rec["vendor"]
    for key in wire.PAYMENT_VENDOR_KEYS:
        out[key] = vendor.get(key)
    return out
