"""Checks shared by the Ticket Evolution tests."""

from __future__ import annotations

import re
from typing import Any

TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
SIGNATURE_INCORRECT = {
    "error": "Your signature is incorrect. Please ensure you are generating it correctly"
}


def not_found(entity: str, ident: object) -> dict[str, str]:
    return {"message": f"Couldn't find {entity} with ID={ident}", "error": "Not Found"}


def string_id(value: Any) -> int:
    """Ids are strings of digits in this vendor's JSON."""
    assert isinstance(value, str) and value.isdigit(), value
    return int(value)


def timestamp(value: Any) -> str:
    assert isinstance(value, str) and TIMESTAMP.match(value), value
    return value


def without_times(obj: Any) -> Any:
    """`obj` with every updated_at checked for its format and then dropped, so two reads taken
    a second apart compare equal."""
    if isinstance(obj, dict):
        out = {}
        for key, value in obj.items():
            if key == "updated_at" and value is not None:
                timestamp(value)
                continue
            out[key] = without_times(value)
        return out
    if isinstance(obj, list):
        return [without_times(v) for v in obj]
    return obj
