"""Pure functions between Halo's objects and the shared model's fields.

Writing, an object splits into the shared columns it maps onto (native names, values as the
domain will check them) and its attributes: every field it carried, kept as sent in the vendor
attributes. Reading, the shared columns are the truth, but where the caller's own value still
means what the column holds (the same after the domain's normalizing: `""` for no website, `0`
for no top level) the value is shown exactly as it was sent, so a body round-trips unchanged.
Once another door changes the column, the column's value shows instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rolodex.domain.fields import ADDRESS_FIELDS, CLIENT_FIELDS, LOCATION_FIELDS, NOTE_FIELDS, Field
from rolodex.domain.fields import clean as clean_fields
from rolodex.doors.halo.wire import (
    ADDRESS_LINES,
    ADDRESS_STORE,
    AREA_COLUMNS,
    DELIVERY_LINES,
    INVOICE_LINES,
    NOTE_COLUMNS,
    SITE_COLUMNS,
    timestamp,
)
from rolodex.errors import ValidationFailed

MISSING: Any = object()
Normalize = Callable[[Any], Any]


# --- values ---------------------------------------------------------------------------------------


def reference(field_name: str, value: Any) -> int | None:
    """An id that refers to another record (toplevel_id, client_id, main_site_id). Halo's
    libraries send 0 (or nothing) for "none"; a whole float such as 12.0 is an integer."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValidationFailed.one(field_name, "must be an integer id")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int):
        raise ValidationFailed.one(field_name, "must be an integer id")
    if value <= 0:
        return None
    if value >= 2**63:
        raise ValidationFailed.one(field_name, "is out of range")
    return value


def own_id(value: Any) -> int | None:
    """The `id` of an element in a POST body: a positive integer updates that record;
    nothing, null or 0 creates one."""
    return reference("id", value)


def _column(spec: Mapping[str, Field], column: str) -> Normalize:
    """What the domain stores for a value written to `column` (trimmed, "" to None, ...)."""
    one = {column: spec[column]}

    def normalize(value: Any) -> Any:
        return clean_fields(one, {column: value}, partial=True)[column]

    return normalize


def _area_value(wire: str, value: Any) -> Any:
    # Halo's fields are all nullable; the shared `inactive` is not, and null means "active".
    if wire == "inactive" and value is None:
        return False
    return value


def _area_column(wire: str, column: str) -> Normalize:
    normalize = _column(CLIENT_FIELDS, column)
    return lambda value: normalize(_area_value(wire, value))


_CLIENT_NORMALIZERS = {wire: _area_column(wire, col) for wire, col in AREA_COLUMNS.items()}
_LOCATION_NORMALIZERS = {col: _column(LOCATION_FIELDS, col) for col in LOCATION_FIELDS}
_ADDRESS_NORMALIZERS = {col: _column(ADDRESS_FIELDS, col) for col in ADDRESS_FIELDS}
_NOTE_NORMALIZERS = {col: _column(NOTE_FIELDS, col) for col in NOTE_FIELDS}


def _name(value: Any) -> Any:
    """A name as a write stores it: trimmed, blank meaning none."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("not text")
    return value.strip() or None


def _ref_normalizer(name: str) -> Normalize:
    return lambda v: reference(name, v)


def shadowed(attrs: Mapping[str, Any], key: str, current: Any, normalize: Normalize) -> Any:
    """The caller's own value for `key` while it still means what the shared column holds,
    else the column's value."""
    if key not in attrs:
        return current
    sent = attrs[key]
    if sent is current or (type(sent) is type(current) and sent == current):
        return sent
    try:
        value = normalize(sent)
    except (ValidationFailed, ValueError, TypeError):
        return current
    if value == current and isinstance(value, bool) == isinstance(current, bool):
        return sent
    return current


# --- custom fields --------------------------------------------------------------------------------


def _cf_name(cf: Mapping[str, Any]) -> str | None:
    name = cf.get("name")
    if isinstance(name, str) and name:
        return name
    ident = cf.get("id")
    return None if ident is None else str(ident)


def custom_fields_of(customfields: list[Any]) -> dict[str, Any]:
    """Halo's custom fields (a list of CustomField objects) as the shared `custom_fields`
    object: each field's name (or id) to its value."""
    out: dict[str, Any] = {}
    for cf in customfields:
        if isinstance(cf, dict) and (key := _cf_name(cf)) is not None:
            out[key] = cf.get("value")
    return out


def customfields_view(sent: Any, column: Mapping[str, Any]) -> list[Any]:
    if isinstance(sent, list) and custom_fields_of(sent) == column:
        return sent
    return [{"name": key, "value": value} for key, value in column.items()]


def _same_cf(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    if a.get("id") is not None and b.get("id") is not None:
        return bool(a.get("id") == b.get("id"))
    return bool(a.get("name")) and a.get("name") == b.get("name")


def merge_customfields(current: list[Any], sent: list[Any]) -> list[Any]:
    """Halo updates the custom fields a body names and leaves the others: each sent field
    replaces the current one with its id (or name), or is added."""
    out = list(current)
    for cf in sent:
        for index, existing in enumerate(out):
            if isinstance(existing, dict) and _same_cf(existing, cf):
                out[index] = cf
                break
        else:
            out.append(cf)
    return out


def check_customfields(value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(cf, dict) for cf in value):
        raise ValidationFailed.one("customfields", "must be a list of custom field objects")
    return value


# --- Area (client) --------------------------------------------------------------------------------


@dataclass
class AreaWrite:
    """One element of a POST /Client body."""

    ident: int | None
    fields: dict[str, Any]  # shared client columns, native names
    attributes: dict[str, Any]  # everything the element carried but its id, as sent
    toplevel_id: Any = MISSING
    toplevel_name: Any = MISSING
    main_site_id: Any = MISSING
    main_site_name: Any = MISSING
    customfields: Any = MISSING

    def carries(self, name: str) -> bool:
        return name in self.attributes


def parse_area(element: Mapping[str, Any]) -> AreaWrite:
    out = AreaWrite(
        ident=own_id(element.get("id")),
        fields={},
        attributes={k: v for k, v in element.items() if k != "id"},
    )
    for wire, column in AREA_COLUMNS.items():
        if wire in element:
            out.fields[column] = _area_value(wire, element[wire])
    if "toplevel_id" in element:
        out.toplevel_id = reference("toplevel_id", element["toplevel_id"])
    if "toplevel_name" in element:
        name = element["toplevel_name"]
        if name is not None and not isinstance(name, str):
            raise ValidationFailed.one("toplevel_name", "must be a string")
        out.toplevel_name = name.strip() if name else None
    if "main_site_id" in element:
        out.main_site_id = reference("main_site_id", element["main_site_id"])
    if "main_site_name" in element:
        name = element["main_site_name"]
        if name is not None and not isinstance(name, str):
            raise ValidationFailed.one("main_site_name", "must be a string")
        out.main_site_name = name.strip() if name else None
    if "customfields" in element:
        out.customfields = check_customfields(element["customfields"])
    return out


def render_area(
    rec: Mapping[str, Any],
    attrs: Mapping[str, Any],
    *,
    with_notes: bool = True,
    custom_field_ids: frozenset[str] | None = None,
) -> dict[str, Any]:
    """An Area from a client summary (rolodex.doors.halo.reads) and its attributes."""
    out: dict[str, Any] = {"id": rec["id"]}
    for wire, column in AREA_COLUMNS.items():
        out[wire] = shadowed(attrs, wire, rec[column], _CLIENT_NORMALIZERS[wire])
    out["toplevel_id"] = shadowed(
        attrs, "toplevel_id", rec["company_id"], _ref_normalizer("toplevel_id")
    )
    out["toplevel_name"] = shadowed(attrs, "toplevel_name", rec["company_name"], _name)
    out["main_site_id"] = shadowed(
        attrs, "main_site_id", rec["primary_location_id"], _ref_normalizer("main_site_id")
    )
    out["main_site_name"] = shadowed(attrs, "main_site_name", rec["primary_location_name"], _name)
    out["datecreated"] = (
        attrs["datecreated"] if "datecreated" in attrs else timestamp(rec["created_at"])
    )
    customfields = customfields_view(attrs.get("customfields", MISSING), rec["custom_fields"])
    if custom_field_ids is not None:
        customfields = [
            cf
            for cf in customfields
            if isinstance(cf, dict)
            and (str(cf.get("id")) in custom_field_ids or cf.get("name") in custom_field_ids)
        ]
    out["customfields"] = customfields
    for key, value in attrs.items():
        if key not in out:
            out[key] = value
    if not with_notes:
        out.pop("notes", None)
    return out


# --- Site (location) ------------------------------------------------------------------------------


@dataclass
class SiteWrite:
    """One element of a POST /Site body (or of an Area's site_update)."""

    ident: int | None
    fields: dict[str, Any]  # location columns
    attributes: dict[str, Any]
    client_id: Any = MISSING
    invoice: dict[str, Any] = field(default_factory=dict)  # address columns of the invoice address


def _address_store(name: str, value: Any, into: dict[str, Any]) -> None:
    if value is None:
        return
    if not isinstance(value, dict):
        raise ValidationFailed.one(name, "must be an address object (line1..line4, postcode)")
    for key, column in ADDRESS_STORE.items():
        if key in value:
            into[column] = value[key]


def parse_site(element: Mapping[str, Any]) -> SiteWrite:
    out = SiteWrite(
        ident=own_id(element.get("id")),
        fields={},
        attributes={k: v for k, v in element.items() if k != "id"},
    )
    if "client_id" in element:
        out.client_id = reference("client_id", element["client_id"])
    for wire, column in SITE_COLUMNS.items():
        if wire in element:
            out.fields[column] = element[wire]
    _address_store("delivery_address", element.get("delivery_address"), out.fields)
    for wire, column in DELIVERY_LINES.items():
        if wire in element:
            out.fields[column] = element[wire]
    _address_store("invoice_address", element.get("invoice_address"), out.invoice)
    for wire, column in INVOICE_LINES.items():
        if wire in element:
            out.invoice[column] = element[wire]
    return out


def clientsite_name(client_name: str | None, site_name: str | None) -> str:
    return f"{client_name} / {site_name}"


def _address_store_view(
    sent: Any, current: Mapping[str, Any] | None, normalizers: Mapping[str, Normalize]
) -> Any:
    values = {column: (current or {}).get(column) for column in ADDRESS_STORE.values()}
    if isinstance(sent, dict) and all(
        shadowed(sent, key, values[column], normalizers[column]) is sent[key]
        for key, column in ADDRESS_STORE.items()
        if key in sent
    ):
        return sent
    base = dict(sent) if isinstance(sent, dict) else {}
    base.update({key: values[column] for key, column in ADDRESS_STORE.items()})
    return base


def render_site(
    rec: Mapping[str, Any], attrs: Mapping[str, Any], invoice: Mapping[str, Any] | None
) -> dict[str, Any]:
    """A Site from a location summary (with `client_name`), its attributes and its invoice
    address, if it has one."""
    out: dict[str, Any] = {"id": rec["id"]}
    for wire, column in SITE_COLUMNS.items():
        out[wire] = shadowed(attrs, wire, rec[column], _LOCATION_NORMALIZERS[column])
    out["client_id"] = shadowed(attrs, "client_id", rec["client_id"], _ref_normalizer("client_id"))
    out["client_name"] = shadowed(attrs, "client_name", rec["client_name"], _name)
    out["clientsite_name"] = shadowed(
        attrs, "clientsite_name", clientsite_name(rec["client_name"], rec["name"]), _name
    )
    for n, column in ADDRESS_LINES.items():
        key = f"delivery_address_line{n}"
        out[key] = shadowed(attrs, key, rec[column], _LOCATION_NORMALIZERS[column])
    for n, column in ADDRESS_LINES.items():
        key = f"invoice_address_line{n}"
        current = invoice[column] if invoice else None
        out[key] = shadowed(attrs, key, current, _ADDRESS_NORMALIZERS[column])
    if "delivery_address" in attrs:
        out["delivery_address"] = _address_store_view(
            attrs["delivery_address"], rec, _LOCATION_NORMALIZERS
        )
    if "invoice_address" in attrs:
        out["invoice_address"] = _address_store_view(
            attrs["invoice_address"], invoice, _ADDRESS_NORMALIZERS
        )
    out["datecreated"] = (
        attrs["datecreated"] if "datecreated" in attrs else timestamp(rec["created_at"])
    )
    for key, value in attrs.items():
        if key not in out:
            out[key] = value
    return out


# --- AreaNote (CRM note) --------------------------------------------------------------------------


@dataclass
class NoteWrite:
    ident: int | None
    fields: dict[str, Any]
    attributes: dict[str, Any]
    client_id: Any = MISSING


def parse_note(element: Mapping[str, Any]) -> NoteWrite:
    out = NoteWrite(
        ident=own_id(element.get("id")),
        fields={},
        attributes={k: v for k, v in element.items() if k != "id"},
    )
    if "client_id" in element:
        out.client_id = reference("client_id", element["client_id"])
    for wire, column in NOTE_COLUMNS.items():
        if wire in element:
            out.fields[column] = element[wire]
    # Without a `who`, the author is the agent id, as text (there is no agents table).
    if "author" not in out.fields and "who_agentid" in element:
        agent = element["who_agentid"]
        if agent is not None and (isinstance(agent, bool) or not isinstance(agent, int)):
            raise ValidationFailed.one("who_agentid", "must be an integer")
        out.fields["author"] = None if agent is None else str(agent)
    return out


def render_note(rec: Mapping[str, Any], attrs: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": rec["id"]}
    out["client_id"] = shadowed(attrs, "client_id", rec["client_id"], _ref_normalizer("client_id"))
    for wire, column in NOTE_COLUMNS.items():
        out[wire] = shadowed(attrs, wire, rec[column], _NOTE_NORMALIZERS[column])
    out["datetime"] = attrs["datetime"] if "datetime" in attrs else timestamp(rec["created_at"])
    for key, value in attrs.items():
        if key not in out:
            out[key] = value
    return out
