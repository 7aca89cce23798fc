"""HaloPSA's reads, which only this door makes: across a whole account, paged by number with a
total (`page_no`, `page_size`, `record_count`), ordered by several fields at once, a client's
records addressed by their own id alone (`/Site/{id}`, `/CRMNote/{id}`).

Like rolodex.domain.queries, every statement here is a prepared Core SELECT (compiled once per
query shape), and what a page embeds (vendor attributes, a location's invoice address) comes in
one batch per page, never one query per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import aliased

from rolodex.db.prepared import Prepared, Reader
from rolodex.db.search import ContainsText, Needle, contains
from rolodex.domain.pagination import WHOLE, Order, PreparedCache, Window, ordered, windowed
from rolodex.domain.queries import ADDRESS, LOCATION, NOTE, Record
from rolodex.errors import NotFound
from rolodex.models import Address, Client, Company, Location, Note, VendorAttributes

PrimaryLocation = aliased(Location, name="primary_location")

CLIENT_SUMMARY_COLUMNS = (
    "id",
    "name",
    "inactive",
    "website",
    "invoice_email",
    "description",
    "company_id",
    "custom_fields",
    "created_at",
    "updated_at",
    "version",
)
CLIENT_SUMMARY_EXTRA = ("company_name", "primary_location_id", "primary_location_name")

# Order keys a caller may name, and the expression each sorts by. Text sorts ignore case.
CLIENT_ORDERS: dict[str, Any] = {
    "id": Client.id,
    "name": func.lower(Client.name),
    "company_id": Client.company_id,
    "company_name": func.lower(Company.name),
    "inactive": Client.inactive,
    "created_at": Client.created_at,
    "updated_at": Client.updated_at,
    "website": func.lower(Client.website),
    "invoice_email": func.lower(Client.invoice_email),
    "primary_location_id": PrimaryLocation.id,
    "primary_location_name": func.lower(PrimaryLocation.name),
}
LOCATION_ORDERS: dict[str, Any] = {
    "id": Location.id,
    "name": func.lower(Location.name),
    "client_id": Location.client_id,
    "client_name": func.lower(Client.name),
    "created_at": Location.created_at,
}


@dataclass(frozen=True)
class ClientQuery:
    """Which of an account's clients a list holds. `inactive` None means active and inactive
    alike; `nothing` selects no client at all (a caller excluded both)."""

    search: str | None = None  # the indexed text search: names, codes, emails, phones
    name_contains: str | None = None
    company_id: int | None = None
    inactive: bool | None = None
    nothing: bool = False


# --- clients -------------------------------------------------------------------------------------


def _client_where(stmt: Any, present: Sequence[str]) -> Any:
    stmt = stmt.where(Client.account_id == bindparam("account_id"))
    for name in present:
        if name in ("search", "search_escaped"):
            escaped = name == "search_escaped"
            stmt = stmt.where(
                ContainsText(Client.id, Client.search_text, bindparam("search"), escaped)
            )
        elif name == "name_contains":
            stmt = stmt.where(Client.name.ilike(bindparam("name_contains"), escape="\\"))
        elif name == "company_id":
            stmt = stmt.where(Client.company_id == bindparam("company_id"))
        elif name == "inactive":
            stmt = stmt.where(Client.inactive == bindparam("inactive"))
        elif name == "ids":
            stmt = stmt.where(Client.id.in_(bindparam("ids", expanding=True)))
    return stmt


def _client_summary_select() -> Any:
    return (
        select(
            *(getattr(Client, c) for c in CLIENT_SUMMARY_COLUMNS),
            Company.name,
            PrimaryLocation.id,
            PrimaryLocation.name,
        )
        .select_from(Client)
        .outerjoin(Company, Company.id == Client.company_id)
        .outerjoin(
            PrimaryLocation,
            and_(PrimaryLocation.client_id == Client.id, PrimaryLocation.is_primary),
        )
    )


def _build_client_rows(shape: tuple[Any, ...]) -> Any:
    present, order, has_limit, has_offset = shape
    stmt = _client_where(_client_summary_select(), present)
    stmt = ordered(stmt, CLIENT_ORDERS, order, Client.id)
    return windowed(stmt, has_limit, has_offset)


def _build_client_count(present: tuple[str, ...]) -> Any:
    return _client_where(select(func.count()).select_from(Client), present)


_CLIENT_ROWS = PreparedCache(_build_client_rows)
_CLIENT_COUNTS = PreparedCache(_build_client_count)


def _client_record(row: Sequence[Any]) -> Record:
    return dict(zip(CLIENT_SUMMARY_COLUMNS + CLIENT_SUMMARY_EXTRA, row, strict=True))


def _client_params(query: ClientQuery) -> tuple[list[str], dict[str, Any]]:
    present: list[str] = []
    params: dict[str, Any] = {}
    needle = Needle.of(query.search)
    if needle is not None:
        present.append("search_escaped" if needle.escaped else "search")
        params["search"] = needle.pattern
    if query.name_contains and query.name_contains.strip():
        present.append("name_contains")
        params["name_contains"] = contains(query.name_contains.strip())
    if query.company_id is not None:
        present.append("company_id")
        params["company_id"] = query.company_id
    if query.inactive is not None:
        present.append("inactive")
        params["inactive"] = query.inactive
    return present, params


def client_summaries(
    reader: Reader,
    account_id: int,
    query: ClientQuery,
    *,
    order: Order = (("name", False),),
    window: Window = WHOLE,
    count: bool = True,
) -> tuple[int, list[Record]]:
    """(how many clients match, the window of them in order). Each record has the client's
    own columns plus `company_name` and its primary location's id and name."""
    if query.nothing:
        return 0, []
    present, params = _client_params(query)
    params["account_id"] = account_id
    window_params, has_limit, has_offset = window.params()
    rows_stmt = _CLIENT_ROWS.get((tuple(present), order, has_limit, has_offset))
    batch: list[tuple[Prepared, dict[str, Any]]] = [(rows_stmt, {**params, **window_params})]
    if count:
        batch.append((_CLIENT_COUNTS.get(tuple(present)), params))
    results = reader.rows_many(batch)
    records = [_client_record(r) for r in results[0]]
    total = int(results[1][0][0]) if count else len(records)
    return total, records


def _in_given_order(found: dict[int, Record], ids: Sequence[int], entity: str) -> list[Record]:
    """The records for `ids`, in that order; NotFound names the first id that has none."""
    for ident in ids:
        if ident not in found:
            raise NotFound(entity, ident)
    return [found[ident] for ident in ids]


def client_summaries_by_id(reader: Reader, account_id: int, ids: Sequence[int]) -> list[Record]:
    """The clients with these ids, in the order given; NotFound names the first missing one."""
    if not ids:
        return []
    stmt, params = _summaries_by_id(account_id, ids)
    found = {r[0]: _client_record(r) for r in reader.rows(stmt, **params)}
    return _in_given_order(found, ids, "client")


def _summaries_by_id(account_id: int, ids: Sequence[int]) -> tuple[Prepared, dict[str, Any]]:
    stmt = _CLIENT_ROWS.get((("ids",), (("id", False),), False, False))
    return stmt, {"account_id": account_id, "ids": list(dict.fromkeys(ids))}


def prefetch_client_summaries(
    account_id: int, ids: Sequence[int], vendor: str
) -> list[tuple[Prepared, dict[str, Any]]]:
    """What `client_summaries_by_id` and `vendor_attributes` of those clients for `vendor`
    will run, for a Reader that remembers answers to run in one batch first."""
    return [_summaries_by_id(account_id, ids), _vendor_rows(account_id, "client", vendor, ids)]


# --- locations -----------------------------------------------------------------------------------

LOCATION_EXTRA = ("client_name",)


def _location_where(stmt: Any, present: Sequence[str]) -> Any:
    stmt = stmt.where(Location.account_id == bindparam("account_id"))
    for name in present:
        if name == "client_id":
            stmt = stmt.where(Location.client_id == bindparam("client_id"))
        elif name == "company_id":
            stmt = stmt.where(Client.company_id == bindparam("company_id"))
        elif name == "name_contains":
            stmt = stmt.where(Location.name.ilike(bindparam("name_contains"), escape="\\"))
        elif name == "ids":
            stmt = stmt.where(Location.id.in_(bindparam("ids", expanding=True)))
    return stmt


def _build_location_rows(shape: tuple[Any, ...]) -> Any:
    present, order, has_limit, has_offset = shape
    stmt = select(*LOCATION.cols(), Client.name).join(Client, Client.id == Location.client_id)
    stmt = ordered(_location_where(stmt, present), LOCATION_ORDERS, order, Location.id)
    return windowed(stmt, has_limit, has_offset)


def _build_location_count(present: tuple[str, ...]) -> Any:
    stmt = select(func.count()).select_from(Location).join(Client, Client.id == Location.client_id)
    return _location_where(stmt, present)


_LOCATION_ROWS = PreparedCache(_build_location_rows)
_LOCATION_COUNTS = PreparedCache(_build_location_count)


def _location_record(row: Sequence[Any]) -> Record:
    return dict(zip(LOCATION.columns + LOCATION_EXTRA, row, strict=True))


@dataclass(frozen=True)
class LocationQuery:
    client_id: int | None = None
    company_id: int | None = None
    name_contains: str | None = None


def location_summaries(
    reader: Reader,
    account_id: int,
    query: LocationQuery,
    *,
    order: Order = (("name", False),),
    window: Window = WHOLE,
) -> tuple[int, list[Record]]:
    """(how many of the account's locations match, the window of them), each with its
    client's name as `client_name`."""
    present: list[str] = []
    params: dict[str, Any] = {"account_id": account_id}
    if query.client_id is not None:
        present.append("client_id")
        params["client_id"] = query.client_id
    if query.company_id is not None:
        present.append("company_id")
        params["company_id"] = query.company_id
    if query.name_contains and query.name_contains.strip():
        present.append("name_contains")
        params["name_contains"] = contains(query.name_contains.strip())
    window_params, has_limit, has_offset = window.params()
    rows, counted = reader.rows_many(
        [
            (
                _LOCATION_ROWS.get((tuple(present), order, has_limit, has_offset)),
                {**params, **window_params},
            ),
            (_LOCATION_COUNTS.get(tuple(present)), params),
        ]
    )
    return int(counted[0][0]), [_location_record(r) for r in rows]


def location_summaries_by_id(reader: Reader, account_id: int, ids: Sequence[int]) -> list[Record]:
    if not ids:
        return []
    stmt = _LOCATION_ROWS.get((("ids",), (("id", False),), False, False))
    found = {
        r[0]: _location_record(r)
        for r in reader.rows(stmt, account_id=account_id, ids=list(dict.fromkeys(ids)))
    }
    return _in_given_order(found, ids, "location")


INVOICE_ADDRESSES_FOR = Prepared(
    select(*ADDRESS.cols())
    .where(
        Address.account_id == bindparam("account_id"),
        Address.location_id.in_(bindparam("location_ids", expanding=True)),
        Address.label == bindparam("label"),
    )
    .order_by(Address.location_id, Address.id)
)


def addresses_labelled(
    reader: Reader, account_id: int, location_ids: Iterable[int], label: str
) -> dict[int, Record]:
    """Per location, the first of its addresses carrying `label` (e.g. an invoice address)."""
    ids = list(location_ids)
    if not ids:
        return {}
    out: dict[int, Record] = {}
    for row in reader.rows(
        INVOICE_ADDRESSES_FOR, account_id=account_id, location_ids=ids, label=label
    ):
        record = ADDRESS.record(row)
        out.setdefault(record["location_id"], record)
    return out


# --- notes ---------------------------------------------------------------------------------------


def _note_where(stmt: Any, present: Sequence[str]) -> Any:
    stmt = stmt.where(Note.account_id == bindparam("account_id"))
    for name in present:
        if name == "client_id":
            stmt = stmt.where(Note.client_id == bindparam("client_id"))
        elif name == "company_id":
            stmt = stmt.where(Client.company_id == bindparam("company_id"))
        elif name == "ids":
            stmt = stmt.where(Note.id.in_(bindparam("ids", expanding=True)))
    return stmt


def _build_note_rows(shape: tuple[Any, ...]) -> Any:
    present, has_limit, has_offset = shape
    stmt = select(*NOTE.cols()).join(Client, Client.id == Note.client_id)
    stmt = _note_where(stmt, present).order_by(Note.created_at.desc(), Note.id.desc())
    return windowed(stmt, has_limit, has_offset)


def _build_note_count(present: tuple[str, ...]) -> Any:
    stmt = select(func.count()).select_from(Note).join(Client, Client.id == Note.client_id)
    return _note_where(stmt, present)


_NOTE_ROWS = PreparedCache(_build_note_rows)
_NOTE_COUNTS = PreparedCache(_build_note_count)


def note_summaries(
    reader: Reader,
    account_id: int,
    *,
    client_id: int | None = None,
    company_id: int | None = None,
    window: Window = WHOLE,
    count: bool = False,
) -> tuple[int, list[Record]]:
    """(how many of the account's notes match, the window of them), newest first, optionally
    of one client or one company's clients. Without `count` the number is only the window's
    length (no second query)."""
    present: list[str] = []
    params: dict[str, Any] = {"account_id": account_id}
    if client_id is not None:
        present.append("client_id")
        params["client_id"] = client_id
    if company_id is not None:
        present.append("company_id")
        params["company_id"] = company_id
    window_params, has_limit, has_offset = window.params()
    batch: list[tuple[Prepared, dict[str, Any]]] = [
        (_NOTE_ROWS.get((tuple(present), has_limit, has_offset)), {**params, **window_params})
    ]
    if count:
        batch.append((_NOTE_COUNTS.get(tuple(present)), params))
    results = reader.rows_many(batch)
    records = [NOTE.record(r) for r in results[0]]
    return (int(results[1][0][0]) if count else len(records)), records


def notes_by_id(reader: Reader, account_id: int, ids: Sequence[int]) -> list[Record]:
    if not ids:
        return []
    rows = reader.rows(
        _NOTE_ROWS.get((("ids",), False, False)),
        account_id=account_id,
        ids=list(dict.fromkeys(ids)),
    )
    found = {r[0]: NOTE.record(r) for r in rows}
    return _in_given_order(found, ids, "note")


# --- owners and names ----------------------------------------------------------------------------


def _build_owner(model: Any) -> Any:
    return select(model.client_id).where(
        model.account_id == bindparam("account_id"), model.id == bindparam("id")
    )


_OWNERS = PreparedCache(_build_owner)


def owner_of(reader: Reader, model: Any, entity: str, account_id: int, ident: int) -> int:
    """The client that owns a location, note, address... of this account; NotFound if none."""
    row = reader.one_or_none(_OWNERS.get(model), account_id=account_id, id=ident)
    if row is None:
        raise NotFound(entity, ident)
    return int(row[0])


COMPANY_BY_NAME = Prepared(
    select(Company.id)
    .where(Company.account_id == bindparam("account_id"), Company.name == bindparam("name"))
    .order_by(Company.id)
    .limit(1)
)


def company_named(reader: Reader, account_id: int, name: str) -> int | None:
    row = reader.one_or_none(COMPANY_BY_NAME, account_id=account_id, name=name)
    return int(row[0]) if row else None


# --- vendor attributes ---------------------------------------------------------------------------

VENDOR_ROWS = Prepared(
    select(VendorAttributes.entity_id, VendorAttributes.data).where(
        VendorAttributes.account_id == bindparam("account_id"),
        VendorAttributes.entity == bindparam("entity"),
        VendorAttributes.vendor == bindparam("vendor"),
        VendorAttributes.entity_id.in_(bindparam("ids", expanding=True)),
    )
)


def vendor_attributes(
    reader: Reader, account_id: int, entity: str, vendor: str, ids: Iterable[int]
) -> dict[int, dict[str, Any]]:
    """Per record id: its attributes."""
    statement, params = _vendor_rows(account_id, entity, vendor, ids)
    if not params["ids"]:
        return {}
    rows = reader.rows(statement, **params)
    return {int(entity_id): dict(data or {}) for entity_id, data in rows}


def _vendor_rows(
    account_id: int, entity: str, vendor: str, ids: Iterable[int]
) -> tuple[Prepared, dict[str, Any]]:
    params = {"account_id": account_id, "entity": entity, "vendor": vendor}
    return VENDOR_ROWS, {**params, "ids": list(dict.fromkeys(ids))}


def _build_clients_carrying(shape: tuple[str, tuple[str, ...]]) -> Any:
    key, present = shape
    stmt = (
        select(Client.id, Client.name, VendorAttributes.data[key])
        .join(
            VendorAttributes,
            and_(
                VendorAttributes.entity == bindparam("entity"),
                VendorAttributes.entity_id == Client.id,
                VendorAttributes.vendor == bindparam("vendor"),
            ),
        )
        .where(Client.account_id == bindparam("account_id"))
    )
    for name in present:
        stmt = stmt.where(getattr(Client, name) == bindparam(name))
    return stmt.order_by(Client.id)


_CLIENTS_CARRYING = PreparedCache(_build_clients_carrying)


def clients_carrying(
    reader: Reader,
    account_id: int,
    vendor: str,
    key: str,
    *,
    client_id: int | None = None,
    company_id: int | None = None,
) -> list[tuple[int, str, Any]]:
    """(id, name, value) of the account's clients whose `vendor` attributes hold `key`, in id
    order: what a door derives records from when the shared model has no table for them. Only
    that one attribute is read from each client's attributes."""
    present: list[str] = []
    params: dict[str, Any] = {"account_id": account_id, "entity": "client", "vendor": vendor}
    if client_id is not None:
        present.append("id")
        params["id"] = client_id
    if company_id is not None:
        present.append("company_id")
        params["company_id"] = company_id
    rows = reader.rows(_CLIENTS_CARRYING.get((key, tuple(present))), **params)
    return [(int(i), str(n), value) for i, n, value in rows if value is not None]


def labelled_address_id(
    reader: Reader, account_id: int, location_id: int, label: str
) -> int | None:
    found = addresses_labelled(reader, account_id, [location_id], label)
    record = found.get(location_id)
    return int(record["id"]) if record else None
