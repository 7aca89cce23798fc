"""Clients by id, and one loading step for what a page of them embeds: given client records,
`load` attaches the children a caller names, all in one batch (one PostgreSQL pipeline), never
a query per row.

Parts, and the key each record gets:
- tags, addresses, phone_numbers, email_addresses: lists, in id order (tags by name);
- primary_location: a location record, or None;
- company, office: the record the client's company_id / office_id names, or None;
- account: the account record (id, name, slug, created_at) the clients belong to;
- vendor: the named vendor's attributes of the client (record_attributes.KEY, {} when none).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, select

from rolodex.db.prepared import Prepared, Reader
from rolodex.domain import record_attributes
from rolodex.domain.queries import (
    ACCOUNT_BY_ID,
    ADDRESS,
    ADDRESSES_FOR,
    CLIENT,
    COMPANY,
    EMAIL,
    EMAILS_FOR,
    LOCATION,
    OFFICE,
    PHONE,
    PHONES_FOR,
    TAGS_FOR,
    Record,
    View,
)
from rolodex.models import Client, Location

CONTACT_POINTS = ("addresses", "phone_numbers", "email_addresses")
NATIVE = ("tags", *CONTACT_POINTS)

CLIENTS_BY_IDS = Prepared(
    select(*CLIENT.cols())
    .where(
        Client.account_id == bindparam("account_id"),
        Client.id.in_(bindparam("ids", expanding=True)),
    )
    .order_by(Client.id)
)
PRIMARY_LOCATIONS_FOR = Prepared(
    select(*LOCATION.cols()).where(
        Location.account_id == bindparam("account_id"),
        Location.client_id.in_(bindparam("client_ids", expanding=True)),
        Location.is_primary,
    )
)


def _by_ids(view: View) -> Prepared:
    return Prepared(
        select(*view.cols()).where(
            view.model.account_id == bindparam("account_id"),
            view.model.id.in_(bindparam("ids", expanding=True)),
        )
    )


COMPANIES_BY_IDS = _by_ids(COMPANY)
OFFICES_BY_IDS = _by_ids(OFFICE)
_LISTS = {"addresses": (ADDRESSES_FOR, ADDRESS), "phone_numbers": (PHONES_FOR, PHONE)}
_LISTS["email_addresses"] = (EMAILS_FOR, EMAIL)
_REFERENCES = {"company": ("company_id", COMPANIES_BY_IDS, COMPANY)}
_REFERENCES["office"] = ("office_id", OFFICES_BY_IDS, OFFICE)


def clients_by_ids(reader: Reader, account_id: int, ids: Sequence[int]) -> list[Record]:
    """The account's clients with these ids, in id order (unknown ids are skipped), without
    children: give them those with `load`."""
    if not ids:
        return []
    return [CLIENT.record(r) for r in reader.rows(CLIENTS_BY_IDS, account_id=account_id, ids=ids)]


def load(
    reader: Reader,
    account_id: int,
    records: Sequence[Record],
    parts: Collection[str],
    *,
    vendor: str | None = None,
) -> None:
    """Give each of `records` (clients of `account_id`) the `parts` named (see above)."""
    if not records:
        return
    ids = [r["id"] for r in records]
    batch: list[tuple[Prepared, Mapping[str, Any]]] = []
    # What to do with each query's rows, in batch order.
    apply: list[Callable[[list[Any]], None]] = []

    def add(statement: Prepared, params: Mapping[str, Any], then: Callable[[list[Any]], None]):
        batch.append((statement, params))
        apply.append(then)

    fixed = dict(_by_ids_only(account_id, ids, parts))
    if "tags" in parts:
        add(*fixed["tags"], lambda rows: _tags(records, rows))
    for key in CONTACT_POINTS:
        if key in parts:
            add(*fixed[key], _grouper(records, key, _LISTS[key][1]))
    if "primary_location" in parts:
        add(*fixed["primary_location"], lambda rows: _primary(records, rows))
    for key, (column, statement, view) in _REFERENCES.items():
        if key in parts:
            for r in records:
                r[key] = None
            wanted = sorted({r[column] for r in records if r[column] is not None})
            if wanted:
                params = {"account_id": account_id, "ids": wanted}
                add(statement, params, _referrer(records, key, column, view))
    if "account" in parts:
        add(*fixed["account"], lambda rows: _account(records, rows))
    if "vendor" in parts:
        assert vendor is not None
        statement, params = record_attributes.query("client", vendor, records)
        add(statement, params, lambda rows: record_attributes.give(records, rows))
    for then, rows in zip(apply, reader.rows_many(batch), strict=True):
        then(rows)


Statement = tuple[Prepared, Mapping[str, Any]]


def _by_ids_only(
    account_id: int, ids: list[int], parts: Collection[str]
) -> list[tuple[str, Statement]]:
    """The statements of `load` whose parameters are the clients' ids alone (not their rows,
    as a company's or office's are), by part."""
    out: list[tuple[str, Statement]] = []
    if "tags" in parts:
        out.append(("tags", (TAGS_FOR, {"client_ids": ids})))
    for key in CONTACT_POINTS:
        if key in parts:
            out.append((key, (_LISTS[key][0], {"client_ids": ids})))
    if "primary_location" in parts:
        params = {"account_id": account_id, "client_ids": ids}
        out.append(("primary_location", (PRIMARY_LOCATIONS_FOR, params)))
    if "account" in parts:
        out.append(("account", (ACCOUNT_BY_ID, {"account_id": account_id})))
    return out


def prefetch(
    account_id: int, ids: Sequence[int], parts: Collection[str], vendors: Collection[str] = ()
) -> list[Statement]:
    """What `clients_by_ids(account_id, ids)` and then `load` of those clients (for `parts`,
    and the `vendor` part for each of `vendors`) will run that needs nothing but the ids (in
    id order), so that a Reader which remembers answers can run it all in one batch first."""
    ids = list(ids)
    out: list[Statement] = [(CLIENTS_BY_IDS, {"account_id": account_id, "ids": ids})]
    out += [statement for _part, statement in _by_ids_only(account_id, ids, parts)]
    out += [record_attributes.query("client", v, [{"id": i} for i in ids]) for v in vendors]
    return out


def _tags(records: Sequence[Record], rows: list[Any]) -> None:
    tags: dict[int, list[str]] = {}
    for client_id, tag in rows:
        tags.setdefault(client_id, []).append(tag)
    for r in records:
        r["tags"] = tags.get(r["id"], [])


def _grouper(records: Sequence[Record], key: str, view: View) -> Callable[[list[Any]], None]:
    def group(rows: list[Any]) -> None:
        grouped: dict[int, list[Record]] = {}
        for row in rows:
            child = view.record(row)
            grouped.setdefault(child["client_id"], []).append(child)
        for r in records:
            r[key] = grouped.get(r["id"], [])

    return group


def _primary(records: Sequence[Record], rows: list[Any]) -> None:
    found = {rec["client_id"]: rec for rec in map(LOCATION.record, rows)}
    for r in records:
        r["primary_location"] = found.get(r["id"])


def _referrer(
    records: Sequence[Record], key: str, column: str, view: View
) -> Callable[[list[Any]], None]:
    def refer(rows: list[Any]) -> None:
        found = {rec["id"]: rec for rec in map(view.record, rows)}
        for r in records:
            r[key] = found.get(r[column])

    return refer


def _account(records: Sequence[Record], rows: list[Any]) -> None:
    account = dict(zip(("id", "name", "slug", "created_at"), rows[0], strict=True))
    for r in records:
        r["account"] = account
