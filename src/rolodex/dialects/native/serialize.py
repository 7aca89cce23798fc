"""Native representations, from the read model's records: ids are integers, money is a decimal
string, dates are YYYY-MM-DD and times UTC ISO 8601 with a Z. Every record gets an "object"
name; the internal version becomes the ETag instead of a field."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from rolodex.db.types import format_money

NESTED_OBJECTS = {
    "addresses": "address",
    "phone_numbers": "phone_number",
    "email_addresses": "email_address",
}


def ts(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _value(value: Any) -> Any:
    cls = value.__class__
    if cls is datetime:
        return ts(value)
    if cls is Decimal:
        return format_money(value)
    if cls is date:
        return value.isoformat()
    return value


def record(rec: dict[str, Any], object_name: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "id" in rec:
        out["id"] = rec["id"]
    if object_name:
        out["object"] = object_name
    for key, value in rec.items():
        if key == "version" or key == "id":
            continue
        if value.__class__ is list and value and value[0].__class__ is dict:
            out[key] = [record(item, NESTED_OBJECTS.get(key)) for item in value]
        else:
            out[key] = _value(value)
    return out


def client(rec: dict[str, Any]) -> dict[str, Any]:
    return record(rec, "client")
