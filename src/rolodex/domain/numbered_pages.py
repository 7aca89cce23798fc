"""Numbered pages: lists read as page N of M, in id order either way, with a count.

Some vendors' clients page by number (`page`, `per_page`) and ask for totals, which a keyset
cursor cannot serve. An offset is the nature of that contract, so the skip is kept as cheap as
it can be: the page's ids are found first, on the account's (account_id, id) index alone, and
only those rows are then read in full (a deferred join). A page a thousand pages deep skips
index entries, not table rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, ColumnElement, Select, bindparam, func, select

from rolodex.db.prepared import Reader
from rolodex.domain.queries import CLIENT, LOCATION, PreparedCache, Record, View
from rolodex.errors import InvalidQuery
from rolodex.models import Client, Location

Condition = Callable[[BindParameter[Any]], ColumnElement[bool]]
# Bind names the list itself uses; a criterion may not take one of them.
_RESERVED = frozenset({"account_id", "limit", "offset"})


@dataclass(frozen=True)
class Criterion:
    """One filter of a list: its name (also the name of its bind parameter) and the condition
    it adds, given that parameter."""

    name: str
    condition: Condition


def equals(name: str, column: Any) -> Criterion:
    return Criterion(name, lambda p: column == p)


def equals_ignoring_case(name: str, column: Any) -> Criterion:
    return Criterion(name, lambda p: func.lower(column) == func.lower(p))


def at_least(name: str, column: Any) -> Criterion:
    return Criterion(name, lambda p: column >= p)


def at_most(name: str, column: Any) -> Criterion:
    return Criterion(name, lambda p: column <= p)


def time_ranges(model: Any) -> tuple[Criterion, ...]:
    """created_gte/created_lte/updated_gte/updated_lte, both ends inclusive."""
    return (
        at_least("created_gte", model.created_at),
        at_most("created_lte", model.created_at),
        at_least("updated_gte", model.updated_at),
        at_most("updated_lte", model.updated_at),
    )


class NumberedList:
    """One table's rows for an account, filtered by named criteria, as numbered pages."""

    def __init__(self, view: View, criteria: Sequence[Criterion]) -> None:
        self.view = view
        self.model = view.model
        self.criteria = {c.name: c for c in criteria}
        assert not _RESERVED & self.criteria.keys()
        self._pages = PreparedCache(self._build_page)
        self._counts = PreparedCache(self._build_count)

    def _where(self, present: Sequence[str]) -> list[ColumnElement[bool]]:
        model = self.model
        conditions: list[ColumnElement[bool]] = [model.account_id == bindparam("account_id")]
        for name in present:
            conditions.append(self.criteria[name].condition(bindparam(name)))
        return conditions

    def _build_page(self, shape: tuple[tuple[str, ...], bool]) -> Select[Any]:
        present, descending = shape
        model = self.model
        order = model.id.desc() if descending else model.id.asc()
        ids = (
            select(model.id)
            .where(*self._where(present))
            .order_by(order)
            .limit(bindparam("limit"))
            .offset(bindparam("offset"))
        )
        return select(*self.view.cols()).where(model.id.in_(ids)).order_by(order)

    def _build_count(self, present: tuple[str, ...]) -> Select[Any]:
        return select(func.count()).select_from(self.model).where(*self._where(present))

    def _params(
        self, account_id: int, filters: Mapping[str, Any]
    ) -> tuple[tuple[str, ...], dict[str, Any]]:
        present: list[str] = []
        params: dict[str, Any] = {"account_id": account_id}
        for name, value in filters.items():
            if name not in self.criteria:
                raise InvalidQuery(f"{name} is not a filter of this list.", field=name)
            if value is None:
                continue
            present.append(name)
            params[name] = value
        return tuple(sorted(present)), params

    def page(
        self,
        reader: Reader,
        account_id: int,
        filters: Mapping[str, Any],
        *,
        page: int,
        per_page: int,
        descending: bool = False,
    ) -> list[Record]:
        """Page `page` (1-based) of `per_page` records, by id ascending or descending."""
        if page < 1:
            raise InvalidQuery("page must be 1 or more.", field="page")
        if per_page < 1:
            raise InvalidQuery("per_page must be 1 or more.", field="per_page")
        present, params = self._params(account_id, filters)
        params["limit"] = per_page
        params["offset"] = (page - 1) * per_page
        rows = reader.rows(self._pages.get((present, descending)), **params)
        return [self.view.record(r) for r in rows]

    def count(self, reader: Reader, account_id: int, filters: Mapping[str, Any]) -> int:
        present, params = self._params(account_id, filters)
        row = reader.one_or_none(self._counts.get(present), **params)
        return int(row[0]) if row else 0


def page_count(record_count: int, per_page: int) -> int:
    return -(-record_count // per_page)


CLIENTS = NumberedList(
    CLIENT,
    (
        equals("id", Client.id),
        equals("name", Client.name),
        equals("account_code", Client.account_code),
        equals("salesperson_id", Client.salesperson_id),
        equals("case_manager_id", Client.case_manager_id),
        *time_ranges(Client),
    ),
)


def _client_salesperson(p: BindParameter[Any]) -> ColumnElement[bool]:
    """Locations whose client has this salesperson (a location has none of its own)."""
    return Location.client_id.in_(
        select(Client.id).where(
            Client.account_id == bindparam("account_id"), Client.salesperson_id == p
        )
    )


LOCATIONS = NumberedList(
    LOCATION,
    (
        equals("id", Location.id),
        equals("name", Location.name),
        equals("client_id", Location.client_id),
        Criterion("client_salesperson_id", _client_salesperson),
        *time_ranges(Location),
    ),
)
