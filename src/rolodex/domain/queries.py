"""The read model: what every door reads, as plain dicts, through prepared Core statements
(see rolodex.db.prepared). Writes go through the ORM services; reads, including the read-back after
a write, come through here, so a record has one shape whichever door or verb produced it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    exists,
    func,
    literal_column,
    select,
)

from rolodex.db.prepared import Prepared, Reader
from rolodex.db.search import ContainsText, Needle, contains
from rolodex.domain.clients import CLIENT_SORTS, ClientFilters
from rolodex.domain.pagination import (
    Page,
    PreparedCache,
    Sort,
    after_cursor,
    check_limit,
    decode_cursor,
    keyset_order,
    keyset_page,
)
from rolodex.domain.pagination import parse_sort as parse_sort_spec
from rolodex.errors import InvalidQuery, NotFound
from rolodex.models import (
    Account,
    Address,
    Client,
    ClientDocument,
    ClientTag,
    Company,
    EmailAddress,
    Job,
    Location,
    Note,
    Office,
    Payment,
    PaymentApplication,
    PhoneNumber,
)

Record = dict[str, Any]


@dataclass(frozen=True)
class View:
    """The columns of one table that a read returns, in wire order."""

    model: Any
    columns: tuple[str, ...]

    def cols(self) -> list[Any]:
        return [getattr(self.model, c) for c in self.columns]

    def record(self, row: Sequence[Any]) -> Record:
        return dict(zip(self.columns, row, strict=True))


CLIENT = View(
    Client,
    (
        "id",
        "number",
        "kind",
        "name",
        "first_name",
        "last_name",
        "account_code",
        "external_id",
        "website",
        "invoice_email",
        "case_policy",
        "invoice_policy",
        "update_policy",
        "description",
        "invoice_reminders",
        "show_location_on_invoice",
        "company_id",
        "office_id",
        "salesperson_id",
        "case_manager_id",
        "inactive",
        "balance",
        "custom_fields",
        "created_at",
        "updated_at",
        "version",
    ),
)
ADDRESS = View(
    Address,
    (
        "id",
        "client_id",
        "location_id",
        "label",
        "name",
        "company",
        "line1",
        "line2",
        "line3",
        "city",
        "region",
        "postal_code",
        "country",
        "po_box",
        "latitude",
        "longitude",
        "is_primary",
        "is_primary_billing",
        "is_primary_shipping",
        "created_at",
        "updated_at",
        "version",
    ),
)
PHONE = View(
    PhoneNumber,
    (
        "id",
        "client_id",
        "location_id",
        "label",
        "country_code",
        "area_code",
        "number",
        "extension",
        "is_primary",
        "created_at",
        "updated_at",
        "version",
    ),
)
EMAIL = View(
    EmailAddress,
    (
        "id",
        "client_id",
        "location_id",
        "label",
        "address",
        "is_primary",
        "created_at",
        "updated_at",
        "version",
    ),
)
LOCATION = View(
    Location,
    (
        "id",
        "client_id",
        "name",
        "is_primary",
        "line1",
        "line2",
        "line3",
        "city",
        "region",
        "postal_code",
        "country",
        "phone",
        "phone_secondary",
        "fax",
        "invoice_email",
        "case_policy",
        "invoice_policy",
        "update_policy",
        "description",
        "created_at",
        "updated_at",
        "version",
    ),
)
NOTE = View(
    Note, ("id", "client_id", "job_id", "body", "author", "created_at", "updated_at", "version")
)
JOB = View(
    Job,
    (
        "id",
        "client_id",
        "number",
        "job_type",
        "job_type_id",
        "status",
        "description",
        "scheduled_on",
        "completed_on",
        "created_at",
        "updated_at",
        "version",
    ),
)
PAYMENT = View(
    Payment,
    (
        "id",
        "client_id",
        "amount",
        "date",
        "payment_type",
        "reference",
        "notes",
        "created_at",
        "updated_at",
        "version",
    ),
)
COMPANY = View(Company, ("id", "name", "created_at", "updated_at", "version"))
OFFICE = View(Office, ("id", "name", "is_default"))

OWNED_VIEWS: dict[Any, View] = {
    v.model: v for v in (ADDRESS, PHONE, EMAIL, LOCATION, NOTE, JOB, PAYMENT)
}


def _children(view: View) -> Prepared:
    model = view.model
    return Prepared(
        select(*view.cols())
        .where(model.client_id.in_(bindparam("client_ids", expanding=True)))
        .order_by(model.client_id, model.id)
    )


TAGS_FOR = Prepared(
    select(ClientTag.client_id, ClientTag.tag)
    .where(ClientTag.client_id.in_(bindparam("client_ids", expanding=True)))
    .order_by(ClientTag.client_id, ClientTag.tag)
)
ADDRESSES_FOR = _children(ADDRESS)
PHONES_FOR = _children(PHONE)
EMAILS_FOR = _children(EMAIL)
APPLICATIONS_FOR = Prepared(
    select(PaymentApplication.payment_id, PaymentApplication.job_id, PaymentApplication.amount)
    .where(PaymentApplication.payment_id.in_(bindparam("payment_ids", expanding=True)))
    .order_by(PaymentApplication.payment_id, PaymentApplication.id)
)


def _children_of(account_id: int) -> Callable[[Reader, list[Record]], None]:
    """What a native client embeds: tags, addresses, phone numbers and email addresses."""
    from rolodex.domain import client_children  # it reads the views defined here

    return lambda reader, records: client_children.load(
        reader, account_id, records, client_children.NATIVE
    )


CLIENT_BY_ID = Prepared(
    select(*CLIENT.cols()).where(
        Client.account_id == bindparam("account_id"), Client.id == bindparam("client_id")
    )
)
CLIENT_BY_NUMBER = Prepared(
    select(*CLIENT.cols()).where(
        Client.account_id == bindparam("account_id"), Client.number == bindparam("number")
    )
)


def client(reader: Reader, account_id: int, client_id: int) -> Record:
    row = reader.one_or_none(CLIENT_BY_ID, account_id=account_id, client_id=client_id)
    if row is None:
        raise NotFound("client", client_id)
    record = CLIENT.record(row)
    _children_of(account_id)(reader, [record])
    return record


def client_by_number(reader: Reader, account_id: int, number: int) -> Record:
    row = reader.one_or_none(CLIENT_BY_NUMBER, account_id=account_id, number=number)
    if row is None:
        raise NotFound("client", number)
    record = CLIENT.record(row)
    _children_of(account_id)(reader, [record])
    return record


# --- lists -----------------------------------------------------------------------------------

_SCALAR_FILTERS = (
    "company_id",
    "office_id",
    "inactive",
    "account_code",
    "external_id",
    "salesperson_id",
    "case_manager_id",
    "number",
)
_RANGES = (
    ("created_gte", "created_at", ">="),
    ("created_lte", "created_at", "<="),
    ("updated_gte", "updated_at", ">="),
    ("updated_lte", "updated_at", "<="),
)


def _build_client_list(shape: tuple[Any, ...]) -> Select[Any]:
    present, tag_count, sort_name, has_cursor, documents, mode = shape
    window = mode == "window"
    sort = parse_sort_spec(sort_name, CLIENT_SORTS, Client.id)
    if documents:
        # The deferred join: only the id, the sort key and the stored document of each row.
        keys = [Client.id] if sort.column is sort.id_column else [Client.id, sort.column]
        stmt = select(*keys, ClientDocument.body).outerjoin(
            ClientDocument,
            and_(
                ClientDocument.client_id == Client.id,
                ClientDocument.kind == bindparam("document_kind"),
            ),
        )
    else:
        stmt = select(*CLIENT.cols())
    stmt = stmt.where(Client.account_id == bindparam("account_id"))
    for name in present:
        if name in _SCALAR_FILTERS:
            stmt = stmt.where(getattr(Client, name) == bindparam(name))
        elif name == "name":
            stmt = stmt.where(Client.name == bindparam("name"))
        elif name == "name_contains":
            stmt = stmt.where(Client.name.ilike(bindparam("name_contains"), escape="\\"))
        elif name in ("q", "q_escaped"):
            after = None
            if mode == "index":  # the cursor goes into the search (see ContainsText.after)
                after = bindparam("after_id", type_=Client.id.type)
            stmt = stmt.where(
                ContainsText(
                    Client.id,
                    Client.search_text,
                    bindparam("q"),
                    name == "q_escaped",
                    scan=window,
                    after=after,
                    descending=sort.descending,
                )
            )
        elif name == "ids":
            stmt = stmt.where(Client.id.in_(bindparam("ids", expanding=True)))
        else:
            for param, column, op in _RANGES:
                if param == name:
                    col = getattr(Client, column)
                    stmt = stmt.where(
                        col >= bindparam(name) if op == ">=" else col <= bindparam(name)
                    )
    for i in range(tag_count):
        stmt = stmt.where(
            exists().where(
                ClientTag.client_id == Client.id,
                ClientTag.account_id == bindparam("account_id"),
                ClientTag.tag == bindparam(f"tag_{i}"),
            )
        )
    if has_cursor and mode != "index":
        stmt = stmt.where(after_cursor(sort, Client.id))
    if window:
        edge = bindparam("edge", type_=Client.id.type)
        stmt = stmt.where(Client.id >= edge if sort.descending else Client.id <= edge)
    if mode == "index":
        # The matches the search index names, sorted: `id + 0` keeps the planner from walking
        # the clients in id order and testing each against the index's answer, which for a
        # rare term means walking them all (SQLite: 116 ms instead of a few at 1M clients).
        by_id = Client.id + literal_column("0")
        return stmt.order_by(by_id.desc() if sort.descending else by_id.asc()).limit(
            bindparam("limit_plus_one")
        )
    return stmt.order_by(*keyset_order(sort)).limit(bindparam("limit_plus_one"))


# How many clients, in id order from the cursor, `q` tests row by row before it turns to the
# search index. A common term fills a page within them at once, where the index would first
# find every match in the account and then sort them; a rare term leaves the page short,
# and the index finds the rest.
SEARCH_WINDOW = 2000


def _build_window_edge(shape: tuple[Any, ...]) -> Select[Any]:
    sort_name, has_cursor = shape
    sort = parse_sort_spec(sort_name, CLIENT_SORTS, Client.id)
    inner = select(Client.id).where(Client.account_id == bindparam("account_id"))
    if has_cursor:
        inner = inner.where(after_cursor(sort, Client.id))
    window = inner.order_by(*keyset_order(sort)).limit(bindparam("window")).subquery()
    edge = func.min(window.c.id) if sort.descending else func.max(window.c.id)
    return select(func.count(), edge)


_CLIENT_LISTS = PreparedCache(_build_client_list)
_WINDOW_EDGES = PreparedCache(_build_window_edge)


def client_page(
    reader: Reader,
    account_id: int,
    filters: ClientFilters,
    *,
    sort: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
    document: str | None = None,
) -> Page[Record]:
    """A page of clients, each with its tags, addresses, phone numbers and emails; or, given a
    document kind, each as its `id` and that stored `document` (None where there is none)."""
    order = parse_sort_spec(sort, CLIENT_SORTS, Client.id)
    size = check_limit(limit)
    params: dict[str, Any] = {"account_id": account_id, "limit_plus_one": size + 1}
    present: list[str] = []
    f = filters
    for name in (*_SCALAR_FILTERS, "name"):
        value = getattr(f, name)
        if value is not None:
            present.append(name)
            params[name] = value
    if f.name_contains:
        present.append("name_contains")
        params["name_contains"] = contains(f.name_contains)
    needle = Needle.of(f.q)
    if needle is not None:
        present.append("q_escaped" if needle.escaped else "q")
        params["q"] = needle.pattern
    if f.ids:
        present.append("ids")
        params["ids"] = list(f.ids)
    for param, _column, _op in _RANGES:
        value = getattr(f, param)
        if value is not None:
            present.append(param)
            params[param] = value
    for i, tag in enumerate(f.tags):
        params[f"tag_{i}"] = tag
    if cursor:
        value, ident = decode_cursor(order, cursor)
        params["after_value"], params["after_id"] = value, ident
    if document is not None:
        params["document_kind"] = document
    joined = document is not None
    if order.column is order.id_column and ("q" in present or "q_escaped" in present):
        rows = _search_by_id(
            reader, tuple(present), len(f.tags), order, bool(cursor), joined, params
        )
    else:
        shape = (tuple(present), len(f.tags), order.name, bool(cursor), joined, None)
        rows = reader.rows(_CLIENT_LISTS.get(shape), **params)
    if joined:
        keys = ("id",) if order.column is order.id_column else ("id", order.column.key)
        view = View(Client, (*keys, "document"))
        return _finish(reader, rows, size, order, view, None)
    return _finish(reader, rows, size, order, CLIENT, _children_of(account_id))


def _search_by_id(
    reader: Reader,
    present: tuple[str, ...],
    tags: int,
    order: Sort,
    has_cursor: bool,
    documents: bool,
    params: dict[str, Any],
) -> list[Any]:
    """A `q` page in id order. The next SEARCH_WINDOW clients after the cursor are tested row by
    row (an id range, walked in order, stopping once the page is full); only if they do not
    fill the page does the search index find the rest, beyond the window."""
    edge_params = {"account_id": params["account_id"], "window": SEARCH_WINDOW}
    if has_cursor:
        edge_params["after_id"] = params["after_id"]
    scanned, edge = reader.rows(_WINDOW_EDGES.get((order.name, has_cursor)), **edge_params)[0]
    if edge is None:
        return []  # no clients after the cursor
    wanted = params["limit_plus_one"]
    shape = (present, tags, order.name, has_cursor, documents, "window")
    rows = reader.rows(_CLIENT_LISTS.get(shape), **params, edge=edge)
    if len(rows) >= wanted or scanned < SEARCH_WINDOW:
        return rows  # a full page, or the window reached the end of the account's clients
    rest = {**params, "after_id": edge, "limit_plus_one": wanted - len(rows)}
    shape = (present, tags, order.name, True, documents, "index")
    return rows + reader.rows(_CLIENT_LISTS.get(shape), **rest)


def _finish(
    reader: Reader,
    rows: list[tuple[Any, ...]],
    size: int,
    order: Sort,
    view: View,
    attach: Callable[[Reader, list[Record]], None] | None,
) -> Page[Record]:
    page = keyset_page(rows, size, order, view.record)
    if attach is not None:
        attach(reader, list(page.items))
    return page


# --- records a client owns ---------------------------------------------------------------------


def _attach_applications(reader: Reader, records: list[Record]) -> None:
    if not records:
        return
    grouped: dict[int, list[Record]] = {}
    for payment_id, job_id, amount in reader.rows(
        APPLICATIONS_FOR, payment_ids=[r["id"] for r in records]
    ):
        grouped.setdefault(payment_id, []).append({"job_id": job_id, "amount": amount})
    for r in records:
        r["applications"] = grouped.get(r["id"], [])


_ATTACH: dict[Any, Callable[[Reader, list[Record]], None]] = {Payment: _attach_applications}
CLIENT_EXISTS = Prepared(
    select(Client.id).where(
        Client.account_id == bindparam("account_id"), Client.id == bindparam("client_id")
    )
)


def require_client(reader: Reader, account_id: int, client_id: int) -> None:
    if reader.one_or_none(CLIENT_EXISTS, account_id=account_id, client_id=client_id) is None:
        raise NotFound("client", client_id)


def _build_owned_one(model: Any) -> Select[Any]:
    return select(*OWNED_VIEWS[model].cols()).where(
        model.account_id == bindparam("account_id"),
        model.client_id == bindparam("client_id"),
        model.id == bindparam("id"),
    )


_OWNED_ONE = PreparedCache(_build_owned_one)


def owned(
    reader: Reader, model: Any, entity: str, account_id: int, client_id: int, ident: int
) -> Record:
    row = reader.one_or_none(
        _OWNED_ONE.get(model), account_id=account_id, client_id=client_id, id=ident
    )
    if row is None:
        require_client(reader, account_id, client_id)
        raise NotFound(entity, ident)
    record = OWNED_VIEWS[model].record(row)
    if model in _ATTACH:
        _ATTACH[model](reader, [record])
    return record


def _owned_sorts(model: Any) -> dict[str, tuple[Any, str]]:
    return {
        "id": (model.id, "int"),
        "created_at": (model.created_at, "datetime"),
        "updated_at": (model.updated_at, "datetime"),
    }


def _build_owned_list(shape: tuple[Any, ...]) -> Select[Any]:
    model, present, sort_name, has_cursor = shape
    sort = parse_sort_spec(sort_name, _owned_sorts(model), model.id)
    stmt = select(*OWNED_VIEWS[model].cols()).where(
        model.account_id == bindparam("account_id"), model.client_id == bindparam("client_id")
    )
    for name, many in present:
        column = getattr(model, name)
        stmt = stmt.where(
            column.in_(bindparam(name, expanding=True)) if many else column == bindparam(name)
        )
    if has_cursor:
        stmt = stmt.where(after_cursor(sort, model.id))
    return stmt.order_by(*keyset_order(sort)).limit(bindparam("limit_plus_one"))


_OWNED_LISTS = PreparedCache(_build_owned_list)


def owned_page(
    reader: Reader,
    model: Any,
    account_id: int,
    client_id: int,
    *,
    filters: Mapping[str, Any] | None = None,
    allowed: Sequence[str] = (),
    sort: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[Record]:
    require_client(reader, account_id, client_id)
    order = parse_sort_spec(sort, _owned_sorts(model), model.id)
    size = check_limit(limit)
    params: dict[str, Any] = {
        "account_id": account_id,
        "client_id": client_id,
        "limit_plus_one": size + 1,
    }
    present = []
    for name, value in (filters or {}).items():
        if name not in allowed:
            raise InvalidQuery(f"{name} is not a filter of this list.", field=name)
        if value is None:
            continue
        many = isinstance(value, list | tuple)
        present.append((name, many))
        params[name] = list(value) if many else value
    if cursor:
        value, ident = decode_cursor(order, cursor)
        params["after_value"], params["after_id"] = value, ident
    shape = (model, tuple(present), order.name, bool(cursor))
    rows = reader.rows(_OWNED_LISTS.get(shape), **params)
    return _finish(reader, rows, size, order, OWNED_VIEWS[model], _ATTACH.get(model))


# --- companies and offices ----------------------------------------------------------------------

COMPANY_SORTS = {
    "id": (Company.id, "int"),
    "name": (Company.name, "str"),
    "created_at": (Company.created_at, "datetime"),
}
COMPANY_BY_ID = Prepared(
    select(*COMPANY.cols()).where(
        Company.account_id == bindparam("account_id"), Company.id == bindparam("company_id")
    )
)


def company(reader: Reader, account_id: int, company_id: int) -> Record:
    row = reader.one_or_none(COMPANY_BY_ID, account_id=account_id, company_id=company_id)
    if row is None:
        raise NotFound("company", company_id)
    return COMPANY.record(row)


def _build_company_list(shape: tuple[Any, ...]) -> Select[Any]:
    by_name, sort_name, has_cursor = shape
    sort = parse_sort_spec(sort_name, COMPANY_SORTS, Company.id)
    stmt = select(*COMPANY.cols()).where(Company.account_id == bindparam("account_id"))
    if by_name:
        stmt = stmt.where(Company.name == bindparam("name"))
    if has_cursor:
        stmt = stmt.where(after_cursor(sort, Company.id))
    return stmt.order_by(*keyset_order(sort)).limit(bindparam("limit_plus_one"))


_COMPANY_LISTS = PreparedCache(_build_company_list)


def company_page(
    reader: Reader,
    account_id: int,
    *,
    name: str | None = None,
    sort: str | None = None,
    cursor: str | None = None,
    limit: int | None = None,
) -> Page[Record]:
    order = parse_sort_spec(sort, COMPANY_SORTS, Company.id)
    size = check_limit(limit)
    params: dict[str, Any] = {"account_id": account_id, "limit_plus_one": size + 1}
    if name is not None:
        params["name"] = name
    if cursor:
        params["after_value"], params["after_id"] = decode_cursor(order, cursor)
    rows = reader.rows(_COMPANY_LISTS.get((name is not None, order.name, bool(cursor))), **params)
    return _finish(reader, rows, size, order, COMPANY, None)


OFFICES = Prepared(
    select(*OFFICE.cols()).where(Office.account_id == bindparam("account_id")).order_by(Office.id)
)


def offices(reader: Reader, account_id: int) -> list[Record]:
    return [OFFICE.record(r) for r in reader.rows(OFFICES, account_id=account_id)]


ACCOUNT_BY_ID = Prepared(
    select(Account.id, Account.name, Account.slug, Account.created_at).where(
        Account.id == bindparam("account_id")
    )
)


def account(reader: Reader, account_id: int) -> Record:
    row = reader.one_or_none(ACCOUNT_BY_ID, account_id=account_id)
    if row is None:
        raise NotFound("account", account_id)
    return dict(zip(("id", "name", "slug", "created_at"), row, strict=True))
