"""Native representations, from the read model's records: ids are integers, money is a decimal
string, dates are YYYY-MM-DD and times UTC ISO 8601 with milliseconds and a Z. Every record gets
an "object" name; the internal version becomes the ETag instead of a field.

Conversions go by field name (every time column is `*_at` or `*_on`, money is `balance` or
`amount`), so a record is converted with a few dict look-ups rather than a type test per value.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rolodex.db.types import format_money, format_utc_ms

TIME_KEYS = ("created_at", "updated_at", "scheduled_on", "completed_on")
MONEY_KEYS = ("balance", "amount")
NESTED = {
    "addresses": "address",
    "phone_numbers": "phone_number",
    "email_addresses": "email_address",
    "applications": None,
}


def ts(value: datetime | None) -> str | None:
    return None if value is None else format_utc_ms(value)


def record(rec: dict[str, Any], object_name: str | None) -> dict[str, Any]:
    out: dict[str, Any] = (
        {"id": rec["id"], "object": object_name, **rec} if "id" in rec else dict(rec)
    )
    out.pop("version", None)
    for key in TIME_KEYS:
        value = out.get(key)
        if value is not None:
            out[key] = ts(value)
    for key in MONEY_KEYS:
        value = out.get(key)
        if value is not None:
            out[key] = format_money(value)
    date = out.get("date")
    if date is not None:
        out["date"] = date.isoformat()
    for key, child in NESTED.items():
        items = out.get(key)
        if items:
            out[key] = [record(item, child) for item in items]
    return out


def client(rec: dict[str, Any]) -> dict[str, Any]:
    return record(rec, "client")
