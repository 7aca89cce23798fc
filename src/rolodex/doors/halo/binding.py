"""A body's values read the way Halo's server binds JSON to its typed objects (ASP.NET with
Json.NET), so that what Halo takes this door takes too, and what Halo refuses it refuses.

Json.NET converts a JSON string into the number or boolean a field is typed as: `"12"` is 12
for an integer field (an id included), `"2.5"` is 2.5 for a decimal one, `"true"` and
`"True"` are true for a boolean; it reads `1` and `0` as booleans, and an empty string as null.
Client code leans on this: values read from forms, spreadsheets or query strings go out as
text. A string that is no number (`"abc"`, `"12abc"`, `"NaN"`) is refused for a number field,
and text that is no boolean for a boolean field, as Halo refuses them, and so is an object or
an array where Halo expects a number or a boolean.

Which field is which type comes from Halo's own schema (rolodex.doors.halo.schema_types), down
into nested objects (`site_update[0].client_id`, `newclient_delivery_address`, a popup note's
`site_id`). Fields Halo does not type this way, and fields Halo does not know, are kept as
sent. Values are changed in place, before anything else reads the body, so a number sent as
text is stored, shown and compared as the number it stands for.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from rolodex.doors.halo.schema_types import SCALARS, SCHEMAS
from rolodex.doors.halo.wire import FALSE, TRUE
from rolodex.errors import ValidationFailed

# .NET's integer and float styles: ASCII digits, an optional sign, blanks around.
_INTEGER = re.compile(r"[ \t\r\n]*[+-]?[0-9]+[ \t\r\n]*")
_DECIMAL = re.compile(
    r"[ \t\r\n]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t\r\n]*"
)
_INT64 = 2**63
# Longer text is no 64-bit integer, nor a decimal any client means (Python's int() of it
# would also cost time).
_MAX_NUMBER_TEXT = 64

WHOLE = "must be a whole number"
NUMBER = "must be a number"
BOOLEAN = "must be true or false"

Errors = list[tuple[str, str]]
# (kind, type of the JSON value) that binding leaves as they are: checked first, as nearly
# every value a client sends is already of its field's type.
_AS_SENT = frozenset(
    {
        ("int", int),
        ("int", float),
        ("int", bool),
        ("num", int),
        ("num", float),
        ("num", bool),
        ("bool", bool),
    }
)


def bind_elements(
    schema: str, elements: list[dict[str, Any]], prefix: Callable[[int], str]
) -> None:
    """Bind each element of a body as a `schema` object, in place; `prefix(index)` names an
    element's fields in errors (`[2].`, or nothing for a body of one bare object). Raises
    ValidationFailed naming every field refused."""
    errors: Errors = []
    for index, element in enumerate(elements):
        bind_object(schema, element, prefix(index), errors)
    if errors:
        raise ValidationFailed(errors)


def bind_object(schema: str, obj: dict[str, Any], path: str, errors: Errors) -> None:
    """Bind the fields of `obj` that `schema` types, in place; refusals go to `errors`, named
    `path` + the field's name."""
    kinds = SCHEMAS.get(schema)
    if not kinds:
        return
    for key, value in obj.items():
        kind = kinds.get(key)
        if kind is None or value is None or (kind, type(value)) in _AS_SENT:
            continue
        bound = _bind(kind, value, path + key, errors)
        if bound is not value:
            obj[key] = bound


def _bind(kind: str, value: Any, field: str, errors: Errors) -> Any:
    if kind in SCALARS:
        try:
            return _scalar(kind, value)
        except ValueError as exc:
            errors.append((field, str(exc)))
            return value
    if kind[0] == "[":
        inner = kind[1:-1]
        if isinstance(value, list):
            for index, item in enumerate(value):
                if item is not None and (inner, type(item)) not in _AS_SENT:
                    bound = _bind(inner, item, f"{field}[{index}]", errors)
                    if bound is not item:
                        value[index] = bound
        return value
    # An object of another schema; anything else there is the reader's to judge.
    if isinstance(value, dict):
        bind_object(kind, value, field + ".", errors)
    return value


def _scalar(kind: str, value: Any) -> Any:
    """`value` as a field of that kind holds it; ValueError says why it cannot."""
    if kind == "bool":
        return _boolean(value)
    if isinstance(value, str):
        if value.strip() == "":
            return None
        if kind == "int":
            return _integer_text(value)
        return _decimal_text(value)
    if isinstance(value, dict | list):
        raise ValueError(WHOLE if kind == "int" else NUMBER)
    # A JSON number (or boolean) is kept as sent, as this door always has.
    return value


def _boolean(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().lower()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        if text == "":
            return None
        raise ValueError(BOOLEAN)
    if isinstance(value, int) and value in (0, 1):
        return value == 1
    raise ValueError(BOOLEAN)


def _integer_text(text: str) -> int:
    if len(text) > _MAX_NUMBER_TEXT or not _INTEGER.fullmatch(text):
        raise ValueError(WHOLE)
    number = int(text)
    if not -_INT64 <= number < _INT64:
        raise ValueError("is out of range")
    return number


def _decimal_text(text: str) -> int | float:
    if len(text) > _MAX_NUMBER_TEXT or not _DECIMAL.fullmatch(text):
        raise ValueError(NUMBER)
    if _INTEGER.fullmatch(text):
        number = int(text)
        if -_INT64 <= number < _INT64:
            return number
    decimal = float(text)
    if not math.isfinite(decimal):
        raise ValueError("is out of range")
    return decimal
