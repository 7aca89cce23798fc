"""Paging, for every list of every door: keyset (cursor) pages, where a page a million rows
deep costs what the first page costs because the query seeks to (sort value, id) through an
index instead of skipping rows; numbered pages with a count, for vendors whose contract is
page N of M; and ordered windows, for lists sorted by several keys at once."""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar

import orjson
from sqlalchemy import BindParameter, ColumnElement, Select, bindparam, func, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from rolodex.db.prepared import Prepared, Reader
from rolodex.errors import InvalidQuery

T = TypeVar("T")
MAX_LIMIT = 100
DEFAULT_LIMIT = 25


@dataclass(frozen=True)
class Sort:
    name: str
    column: InstrumentedAttribute[Any]
    id_column: InstrumentedAttribute[Any]
    descending: bool
    kind: str  # "int", "str" or "datetime"


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    has_more: bool
    next_cursor: str | None


def parse_sort(
    value: str | None,
    columns: dict[str, tuple[InstrumentedAttribute[Any], str]],
    id_column: InstrumentedAttribute[Any],
    default: str = "id",
) -> Sort:
    raw = value or default
    descending = raw.startswith("-")
    name = raw.lstrip("-")
    if name not in columns:
        allowed = ", ".join(sorted(columns))
        raise InvalidQuery(
            f"sort must be one of {allowed}, optionally prefixed by -.", field="sort"
        )
    column, kind = columns[name]
    return Sort(raw, column, id_column, descending, kind)


def encode_value(sort: Sort, value: Any, ident: int) -> str:
    if isinstance(value, datetime):
        value = value.isoformat()
    payload = orjson.dumps([sort.name, value, ident])
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode_cursor(sort: Sort, cursor: str) -> tuple[Any, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, value, ident = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
        if name != sort.name or not isinstance(ident, int):
            raise ValueError
        if sort.kind == "datetime":
            value = datetime.fromisoformat(value)
        elif (sort.kind == "int" and not isinstance(value, int)) or (
            sort.kind == "str" and not isinstance(value, str)
        ):
            raise ValueError
    except (ValueError, TypeError, orjson.JSONDecodeError):
        raise InvalidQuery(
            "cursor is not one this list gave out with this sort order.", field="cursor"
        ) from None
    return value, ident


def check_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidQuery(f"limit must be between 1 and {MAX_LIMIT}.", field="limit")
    return limit


# --- prepared statements per query shape ---------------------------------------------------------


class PreparedCache:
    """Prepared statements keyed by the shape of a query (which filters, which sort, whether
    there is a cursor), so a dynamic list is compiled once per shape, not once per request."""

    def __init__(self, build: Callable[[Any], Select[Any]], max_entries: int = 512) -> None:
        self.build = build
        self.max_entries = max_entries
        self._entries: dict[Any, Prepared] = {}

    def get(self, shape: Any) -> Prepared:
        found = self._entries.get(shape)
        if found is None:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            found = self._entries[shape] = Prepared(self.build(shape))
        return found


class Rows(Protocol):
    """The columns of one table a read returns, and the record of a row (queries.View)."""

    @property
    def model(self) -> Any: ...

    def cols(self) -> list[Any]: ...

    def record(self, row: Sequence[Any]) -> dict[str, Any]: ...


# --- keyset pages ------------------------------------------------------------------------------


def after_cursor(sort: Sort, model_id: Any) -> ColumnElement[bool]:
    """Rows after the cursor's (sort value, id): one index seek, however deep the page."""
    ident = bindparam("after_id", type_=model_id.type)
    if sort.column is sort.id_column:
        return model_id < ident if sort.descending else model_id > ident
    pair = tuple_(sort.column, model_id)
    after = tuple_(bindparam("after_value", type_=sort.column.type), ident)
    return pair < after if sort.descending else pair > after


def keyset_order(sort: Sort) -> list[Any]:
    if sort.column is sort.id_column:
        return [sort.id_column.desc() if sort.descending else sort.id_column.asc()]
    if sort.descending:
        return [sort.column.desc(), sort.id_column.desc()]
    return [sort.column.asc(), sort.id_column.asc()]


def keyset_page(
    rows: Sequence[Sequence[Any]],
    size: int,
    sort: Sort,
    record: Callable[[Sequence[Any]], dict[str, Any]],
) -> Page[dict[str, Any]]:
    """The page of `size` records among `rows` (read with a limit of size + 1), and the cursor
    after its last record when more follow."""
    records = [record(r) for r in rows[:size]]
    next_cursor = None
    if len(rows) > size and records:
        last = records[-1]
        next_cursor = encode_value(sort, last[sort.column.key], last["id"])
    return Page(records, len(rows) > size, next_cursor)


# --- numbered pages ----------------------------------------------------------------------------
#
# Some vendors page by number (`page`, `per_page`) and ask for totals, which a keyset cursor
# cannot serve. An offset is the nature of that contract, so the skip is kept as cheap as it can
# be: the page's ids are found first, on an index alone, and only those rows are then read in
# full (a deferred join). A page a thousand pages deep skips index entries, not table rows.

Condition = Callable[[BindParameter[Any]], ColumnElement[bool]]
# Bind names a numbered list itself uses; a criterion may not take one of them.
_RESERVED = frozenset({"account_id", "limit", "offset"})


@dataclass(frozen=True)
class Criterion:
    """One filter of a list: its name (also the name of its bind parameter) and the condition
    it adds, given that parameter (a list of values when `expanding`)."""

    name: str
    condition: Condition
    expanding: bool = False


def equals(name: str, column: Any) -> Criterion:
    return Criterion(name, lambda p: column == p)


def equals_ignoring_case(name: str, column: Any) -> Criterion:
    return Criterion(name, lambda p: func.lower(column) == func.lower(p))


def one_of(name: str, column: Any) -> Criterion:
    return Criterion(name, lambda p: column.in_(p), expanding=True)


def at_least(name: str, column: Any) -> Criterion:
    return Criterion(name, lambda p: column >= p)


def at_most(name: str, column: Any) -> Criterion:
    return Criterion(name, lambda p: column <= p)


def before(name: str, column: Any) -> Criterion:
    return Criterion(name, lambda p: column < p)


def time_ranges(model: Any) -> tuple[Criterion, ...]:
    """created_gte/created_lte/updated_gte/updated_lte, both ends inclusive."""
    return (
        at_least("created_gte", model.created_at),
        at_most("created_lte", model.created_at),
        at_least("updated_gte", model.updated_at),
        at_most("updated_lte", model.updated_at),
    )


def page_count(record_count: int, per_page: int) -> int:
    return -(-record_count // per_page)


class NumberedList:
    """One table's rows for an account, filtered by named criteria, as numbered pages ordered
    by `order_by` (the id unless named; a column unique within the account), either way."""

    def __init__(self, rows: Rows, criteria: Sequence[Criterion], order_by: Any = None) -> None:
        self.rows = rows
        self.model = rows.model
        self.order_by = self.model.id if order_by is None else order_by
        self.criteria = {c.name: c for c in criteria}
        assert not _RESERVED & self.criteria.keys()
        self._pages = PreparedCache(self._build_page)
        self._counts = PreparedCache(self._build_count)

    def _where(self, present: Sequence[str]) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = [self.model.account_id == bindparam("account_id")]
        for name in present:
            criterion = self.criteria[name]
            conditions.append(criterion.condition(bindparam(name, expanding=criterion.expanding)))
        return conditions

    def _build_page(self, shape: tuple[tuple[str, ...], bool]) -> Select[Any]:
        present, descending = shape
        order = self.order_by.desc() if descending else self.order_by.asc()
        ids = (
            select(self.model.id)
            .where(*self._where(present))
            .order_by(order)
            .limit(bindparam("limit"))
            .offset(bindparam("offset"))
        )
        return select(*self.rows.cols()).where(self.model.id.in_(ids)).order_by(order)

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
            if value is None or (self.criteria[name].expanding and not value):
                continue
            present.append(name)
            params[name] = list(value) if self.criteria[name].expanding else value
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
    ) -> list[dict[str, Any]]:
        """Page `page` (1-based) of `per_page` records, ascending or descending."""
        if page < 1:
            raise InvalidQuery("page must be 1 or more.", field="page")
        if per_page < 1:
            raise InvalidQuery("per_page must be 1 or more.", field="per_page")
        present, params = self._params(account_id, filters)
        params["limit"] = per_page
        params["offset"] = (page - 1) * per_page
        rows = reader.rows(self._pages.get((present, descending)), **params)
        return [self.rows.record(r) for r in rows]

    def first(
        self, reader: Reader, account_id: int, filters: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        """The first record matching `filters` (the only one, when they name an id)."""
        found = self.page(reader, account_id, filters, page=1, per_page=1)
        return found[0] if found else None

    def count(self, reader: Reader, account_id: int, filters: Mapping[str, Any]) -> int:
        present, params = self._params(account_id, filters)
        row = reader.one_or_none(self._counts.get(present), **params)
        return int(row[0]) if row else 0


# --- ordered windows -----------------------------------------------------------------------------
#
# Lists ordered by several keys at once, some on joined tables (HaloPSA's), sliced by an offset
# and an optional limit.

Order = tuple[tuple[str, bool], ...]  # (order key, descending), most significant first


@dataclass(frozen=True)
class Window:
    """A slice of an ordered list: `limit` rows after skipping `offset`; no limit is all."""

    limit: int | None = None
    offset: int = 0

    def params(self) -> tuple[dict[str, Any], bool, bool]:
        """Its bind parameters, and whether the statement needs a LIMIT and an OFFSET."""
        params: dict[str, Any] = {}
        has_limit = self.limit is not None
        if has_limit:
            params["limit"] = self.limit
        if self.offset > 0:
            params["offset"] = self.offset
            if not has_limit:
                # Every engine accepts OFFSET after a LIMIT; "no limit" is the largest one.
                params["limit"] = 2**62
                has_limit = True
        return params, has_limit, self.offset > 0


WHOLE = Window()


def ordered(stmt: Any, orders: Mapping[str, Any], order: Order, id_column: Any) -> Any:
    """`stmt` ordered by `order` (nulls last), then by id unless `order` names it."""
    terms = []
    for key, descending in order:
        expr = orders[key]
        terms.append(expr.desc().nulls_last() if descending else expr.asc().nulls_last())
    if not any(key == "id" for key, _ in order):
        terms.append(id_column.asc())
    return stmt.order_by(*terms)


def windowed(stmt: Any, has_limit: bool, has_offset: bool) -> Any:
    if has_limit:
        stmt = stmt.limit(bindparam("limit"))
    if has_offset:
        stmt = stmt.offset(bindparam("offset"))
    return stmt
