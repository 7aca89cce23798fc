"""Pure functions between Trackops' wire format and the shared model: request bodies in,
records out, and the wire names of the fields a validation error blames."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rolodex.domain.fields import Field
from rolodex.domain.locations import LOCATION_PREFIX
from rolodex.domain.record_attributes import KEY as EXTRAS_KEY
from rolodex.doors.trackops import wire
from rolodex.errors import ValidationFailed

TRUE = frozenset({"true", "1", "yes", "on"})
FALSE = frozenset({"false", "0", "no", "off", ""})
INTEGER_RE = re.compile(r"^\s*-?\d{1,18}\s*$")
STRING_KINDS = frozenset({"str", "text", "email", "url", "country"})


# --- in ----------------------------------------------------------------------------------------


@dataclass
class Parsed:
    """One record's part of a body: its fields under the shared model's names, its parent's id
    (when the body names one) and the fields Trackops has that the shared model does not,
    kept as sent."""

    fields: dict[str, Any] = field(default_factory=dict)
    parent: Any = None
    extras: dict[str, Any] = field(default_factory=dict)


def coerce(spec: Field, value: Any) -> Any:
    """A value as the field needs it, when the sender wrote it the way PHP programs often do:
    `1`/`"0"`/`"true"` for a boolean, `"42"` for an integer, a number for a string (the
    documented example sends `"zip": 80202`). Anything else is left for the shared rules to
    refuse by name."""
    if value is None:
        return None
    if spec.kind == "bool":
        if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in TRUE | FALSE:
            return value.strip().lower() in TRUE
        return value
    if spec.kind == "int":
        if isinstance(value, str) and INTEGER_RE.match(value):
            return int(value.strip())
        return value
    if spec.kind in STRING_KINDS and isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            return value
        return str(int(value)) if isinstance(value, float) else str(value)
    return value


def _parse(
    body: Mapping[str, Any],
    table: tuple[tuple[str, str], ...],
    spec: Mapping[str, Field],
    *,
    parent: str | None = None,
    ignored: frozenset[str] = wire.READ_ONLY,
) -> Parsed:
    names = dict(table)
    out = Parsed()
    for key, value in body.items():
        if key == parent:
            out.parent = coerce(wire.PARENT_ID, value)
        elif key in names:
            out.fields[names[key]] = coerce(spec[key], value)
        elif key not in ignored:
            out.extras[key] = value
    return out


def _unwrap(body: Mapping[str, Any], wrappers: tuple[str, ...]) -> Mapping[str, Any]:
    """The record inside `{"<wrapper>": {...}}`, or the body itself when it is not wrapped."""
    for key in wrappers:
        inner = body.get(key)
        if isinstance(inner, dict):
            return inner
    return body


def client_body(body: Mapping[str, Any]) -> tuple[Parsed, Parsed | None]:
    """`{"client": {..., "primary_location": {...}}}`: the client and its primary location
    (None when the body has none)."""
    inner = body.get(wire.CLIENT_WRAPPER)
    if inner is None:
        raise ValidationFailed.one(
            wire.CLIENT_WRAPPER, 'is required: send the client as {"client": {...}}'
        )
    if not isinstance(inner, dict):
        raise ValidationFailed.one(wire.CLIENT_WRAPPER, "must be an object")
    client = _parse(
        {k: v for k, v in inner.items() if k != "primary_location"}, wire.CLIENT, wire.CLIENT_SPEC
    )
    raw_location = inner.get("primary_location")
    if raw_location is None:
        return client, None
    if not isinstance(raw_location, dict):
        raise ValidationFailed.one("primary_location", "must be an object")
    location = _parse(
        raw_location,
        wire.LOCATION,
        wire.LOCATION_SPEC,
        # The primary location is primary whatever the body says.
        ignored=wire.READ_ONLY | {"is_primary"},
    )
    return client, location


def location_body(body: Mapping[str, Any]) -> Parsed:
    return _parse(
        _unwrap(body, wire.LOCATION_WRAPPERS),
        wire.LOCATION,
        wire.LOCATION_SPEC,
        parent=wire.LOCATION_PARENT[0],
    )


def contact_body(body: Mapping[str, Any]) -> Parsed:
    inner = _unwrap(body, wire.CONTACT_WRAPPERS)
    parsed = _parse(inner, wire.CONTACT, wire.CONTACT_SPEC, parent=wire.CONTACT_PARENT[0])
    if wire.CONTACT_PARENT[0] in inner:
        parsed.fields[wire.CONTACT_PARENT[1]] = parsed.parent
    return parsed


# --- the wire names of fields that failed ----------------------------------------------------

_CLIENT_NAMES = {name: w for w, name in wire.CLIENT}
_LOCATION_NAMES = {name: w for w, name in wire.LOCATION}
_CONTACT_NAMES = {name: w for w, name in wire.CONTACT}
Rename = Callable[[str], str]


def client_field(name: str) -> str:
    if name == LOCATION_PREFIX:
        return "primary_location"
    if name.startswith(LOCATION_PREFIX + "."):
        inner = name[len(LOCATION_PREFIX) + 1 :]
        return "primary_location." + _LOCATION_NAMES.get(inner, inner)
    return _CLIENT_NAMES.get(name, name)


def location_field(name: str) -> str:
    if name == wire.LOCATION_PARENT[1]:
        return wire.LOCATION_PARENT[0]
    return _LOCATION_NAMES.get(name, name)


def contact_field(name: str) -> str:
    if name == wire.CONTACT_PARENT[1]:
        return wire.CONTACT_PARENT[0]
    return _CONTACT_NAMES.get(name, name)


# --- out ---------------------------------------------------------------------------------------


def ts(value: datetime | None) -> str | None:
    """UTC, "YYYY-MM-DD HH:MM:SS" (the read model's times are already UTC)."""
    return value.strftime("%Y-%m-%d %H:%M:%S") if value is not None else None


def _fields(
    out: dict[str, Any], rec: Mapping[str, Any], table: tuple[tuple[str, str], ...]
) -> None:
    for wire_name, name in table:
        out[wire_name] = rec[name]


def _times(out: dict[str, Any], rec: Mapping[str, Any]) -> None:
    out["created"] = ts(rec["created_at"])
    out["updated"] = ts(rec["updated_at"])


def _extras(out: dict[str, Any], rec: Mapping[str, Any]) -> dict[str, Any]:
    # Fields only Trackops knows come back as they were sent; they never hide a real field.
    for key, value in (rec.get(EXTRAS_KEY) or {}).items():
        out.setdefault(key, value)
    return out


def _finish(out: dict[str, Any], rec: Mapping[str, Any]) -> dict[str, Any]:
    _times(out, rec)
    return _extras(out, rec)


def location(rec: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": rec["id"], "root_id": rec["client_id"]}
    _fields(out, rec, wire.LOCATION)
    return _finish(out, rec)


def client(rec: Mapping[str, Any]) -> dict[str, Any]:
    """A client with its primary location embedded (null when it has none: a client created
    through another door may have no location)."""
    out: dict[str, Any] = {"id": rec["id"]}
    _fields(out, rec, wire.CLIENT)
    _times(out, rec)
    primary = rec.get("primary_location")
    out["primary_location"] = location(primary) if primary is not None else None
    return _extras(out, rec)


def contact(rec: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": rec["id"],
        "client_id": rec["location_id"],
        "root_id": rec["client_id"],
    }
    _fields(out, rec, wire.CONTACT)
    return _finish(out, rec)
