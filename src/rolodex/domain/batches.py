"""Bulk import and export of clients: the same field rules as every door, written and read in
batches with Core statements (no ORM unit of work per row), so memory stays flat and a million
clients move in minutes, not hours."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from rolodex.db.prepared import BulkInsert, Prepared, Reader
from rolodex.db.types import utcnow
from rolodex.domain import accounts, changes, documents
from rolodex.domain.client_children import NATIVE, load
from rolodex.domain.clients import NewClient, search_text_for, validate_new_client
from rolodex.domain.fields import NOTE_FIELDS, clean, s
from rolodex.domain.queries import CLIENT, Record
from rolodex.errors import Conflict, ValidationFailed
from rolodex.models import (
    AccountCounter,
    Address,
    Client,
    ClientTag,
    Company,
    EmailAddress,
    Location,
    Note,
    Office,
    PhoneNumber,
    VendorAttributes,
)

NESTED = ("tags", "addresses", "phone_numbers", "email_addresses", "notes", "company")
# What an exported record carries that an import must not take back: the source's own ids,
# numbers and times, and references to the source account's offices.
EXPORT_ONLY = frozenset(
    {"id", "object", "number", "office_id", "company_id", "created_at", "updated_at"}
)
COMPANY_NAME = s(200)


@dataclass
class NewLocation:
    """A location made with its new client by a door's batch (a Halo site): its checked
    columns (LOCATION_FIELDS), an address of the client attached to it (checked
    ADDRESS_FIELDS, no location_id), and its own vendor attributes."""

    fields: dict[str, Any]
    address: dict[str, Any] | None = None
    attributes: tuple[str, dict[str, Any]] | None = None  # (vendor, data)


@dataclass
class ImportRow:
    """One checked record, its rows built but for the ids the database gives them. Built where
    the record is read (in a worker process on a large import), so the writer only stamps ids."""

    line: int
    client: dict[str, Any]  # every client column but id, number, account and office
    addresses: list[dict[str, Any]]
    phones: list[dict[str, Any]]
    emails: list[dict[str, Any]]
    notes: list[dict[str, Any]]
    tags: list[str]
    company: str | None
    # What a door's batch (an API batch, not an import) writes beyond an import's record
    # (Importer._new_companies, Importer._write_extras):
    # a company made for this client alone (a TEvo `company` object; `company` finds one by
    # name), locations made with it (Halo's first sites), and its vendor attributes.
    new_company: str | None = None
    locations: list[NewLocation] = field(default_factory=list)
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)  # vendor -> data

    @property
    def key(self) -> tuple[str, str] | None:
        """What makes a re-run create nothing twice: the external id, else the account code."""
        data = self.client
        if data["external_id"]:
            return ("external_id", data["external_id"])
        if data["account_code"]:
            return ("account_code", data["account_code"])
        return None


def _strip_ids(items: Any, name: str) -> list[dict[str, Any]]:
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ValidationFailed.one(name, "must be a list of objects")
    return [
        item if _FOREIGN.isdisjoint(item) else {k: v for k, v in item.items() if k not in _FOREIGN}
        for item in items
    ]


# What a child record from another account carries that names that account's rows or times.
_FOREIGN = frozenset(
    {"id", "object", "client_id", "location_id", "created_at", "updated_at", "job_id"}
)


def prepare(record: Mapping[str, Any], line: int) -> ImportRow:
    """Check one record in the native client shape (as `export` writes it); raise
    ValidationFailed naming the field."""
    fields = {k: v for k, v in record.items() if k not in NESTED and k not in EXPORT_ONLY}
    tags = record.get("tags")
    if tags is not None and not isinstance(tags, list):
        raise ValidationFailed.one("tags", "must be a list of strings")
    new = NewClient(
        fields=fields,
        tags=tags,
        addresses=_strip_ids(record.get("addresses"), "addresses"),
        phone_numbers=_strip_ids(record.get("phone_numbers"), "phone_numbers"),
        email_addresses=_strip_ids(record.get("email_addresses"), "email_addresses"),
    )
    notes = [
        clean(NOTE_FIELDS, {k: v for k, v in n.items() if k in ("body", "author")}, partial=False)
        for n in _strip_ids(record.get("notes"), "notes")
    ]
    company = record.get("company")
    if isinstance(company, dict):
        company = company.get("name")
    if company is not None:
        company = clean({"company": COMPANY_NAME}, {"company": company}, partial=True)["company"]
    return prepare_new(new, line, notes, company)


def prepare_new(
    new: NewClient,
    line: int,
    notes: Sequence[dict[str, Any]] = (),
    company: str | None = None,
) -> ImportRow:
    """Check a new client (with notes and a company name to find or create, for an import)
    by the rules every create follows; raise ValidationFailed naming the field."""
    valid = validate_new_client(new)
    client = {**CLIENT_DEFAULTS, **valid.data}
    client["search_text"] = search_text_for(
        (client["name"], client["first_name"], client["last_name"], client["account_code"]),
        [e["address"] for e in valid.emails],
        [p["number"] for p in valid.phones],
    )
    return ImportRow(
        line,
        client,
        [{**ADDRESS_DEFAULTS, **a} for a in valid.addresses],
        [{**PHONE_DEFAULTS, **p} for p in valid.phones],
        [{**EMAIL_DEFAULTS, **e} for e in valid.emails],
        [{**NOTE_DEFAULTS, **n} for n in notes],
        valid.tags,
        company,
    )


@dataclass
class BatchResult:
    created: int = 0
    existing: int = 0
    ids: list[int] = field(default_factory=list)  # of the clients created, in row order


@dataclass
class Importer:
    """Writes prepared rows into one account, a batch at a time, in the caller's transaction.

    For an import (`import_mode`), a row whose key (external id, else account code) is in the
    account already is skipped and SQLite's search index is filled a batch at a time. A batch
    of an API request (not `import_mode`) has checked its rows as a create does and writes
    them all, the search index filled row by row as on any create, and renders the documents
    its answer shows (`answer_kinds`) in its transaction. Every other document of the new
    clients is left to the backlog (`documents.defer`), rendered once the write has committed;
    reads render those clients from the tables until then."""

    session: Session
    account_id: int
    office_id: int = 0
    companies: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    import_mode: bool = True
    # The kinds of document an API batch answers with, rendered in its transaction; the rest
    # (and all of an import's) go to the backlog, rendered after the commit.
    answer_kinds: Sequence[str] = ()
    # How many rows the import expects (its file's lines; 0 when unknown): on SQLite, one of at
    # least as many rows as the clients table holds builds the secondary indexes once, after
    # its rows are in, instead of keeping them up row by row (`_set_indexes_aside`).
    expected_rows: int = 0
    # The clients written so far.
    created_ids: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.office_id = accounts.default_office_id(self.session, self.account_id)
        self._search_trigger: str | None = None
        self._next_id: int | None = None
        self._first_id: int | None = None  # of the first client this importer wrote
        self._indexes_aside: list[str] = []
        self._cache_size: int | None = None
        self.dialect = self.session.get_bind().dialect.name
        if self.dialect == "sqlite" and self.import_mode:
            self._sqlite_import_session()

    def _sqlite_import_session(self) -> None:
        # A page cache that holds the indexes an import writes into (SQLite's default, 2 MB,
        # re-reads them from the file system page after page); `release` restores it.
        self._cache_size = int(self.session.execute(text("PRAGMA cache_size")).scalar() or 0)
        self.session.execute(text(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}"))
        # The search index's per-row insert trigger costs ~8x what indexing a whole batch
        # at once does. The import holds SQLite's write lock for its one transaction, so
        # nothing else inserts meanwhile: take the trigger out, index each batch in one
        # statement, and put the trigger back in `finish` (a rollback restores it too).
        self._search_trigger = self.session.execute(
            text(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                "AND name = 'clients_search_insert'"
            )
        ).scalar()
        if self._search_trigger:
            self.session.execute(text("DROP TRIGGER clients_search_insert"))
        if self.expected_rows >= REBUILD_MIN_ROWS:
            # The highest id: at once, and never fewer than the clients there are.
            there = int(self.session.scalar(text("SELECT max(id) FROM clients")) or 0)
            if self.expected_rows >= there:
                self._set_indexes_aside()

    def _set_indexes_aside(self) -> None:
        """Drop the secondary indexes of the tables an import fills, to build them again in
        `finish`, once, by sorting: keeping twenty indexes up row by row, a few of them with
        random keys (names), costs a large import more than that. Safe on SQLite only: the
        import's transaction holds the one write lock, and readers read the last committed
        snapshot (WAL), schema included, so none of them ever sees a table without its
        indexes; a rollback (a bad row, a killed process) restores them with the rows. The
        indexes the import itself looks rows up by stay."""
        # Building them again sorts each table: let SQLite sort with a helper thread (the
        # import's checking worker is done by then; each thread costs a sort buffer).
        if (os.cpu_count() or 1) > 1:
            self.session.execute(text("PRAGMA threads = 1"))
        tables = [model.__tablename__ for model in (Client, *CHILDREN)]
        marks = ", ".join(f":t{i}" for i in range(len(tables)))
        found = self.session.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                f"AND tbl_name IN ({marks}) ORDER BY tbl_name, name"
            ),
            {f"t{i}": t for i, t in enumerate(tables)},
        ).all()
        for name, sql in found:
            if name in IMPORT_LOOKUP_INDEXES:
                continue
            self.session.execute(text(f'DROP INDEX "{name}"'))
            self._indexes_aside.append(sql)

    def release(self) -> None:
        """Give the connection back as the import found it (its page cache size), whether the
        import committed or not."""
        if self._cache_size is not None:
            self.session.execute(text(f"PRAGMA cache_size = {self._cache_size}"))
            self.session.execute(text("PRAGMA threads = 0"))
            self._cache_size = None

    def _index_search(self, first: int, last: int) -> None:
        """Index these clients' search text (SQLite's full-text table), in one statement."""
        self.session.execute(
            text(
                "INSERT INTO clients_search(rowid, search_text) SELECT id, search_text "
                "FROM clients WHERE id BETWEEN :lo AND :hi"
            ),
            {"lo": first, "hi": last},
        )

    def finish(self) -> None:
        if self._search_trigger:
            if self._indexes_aside and self._first_id is not None and self._next_id is not None:
                # A large import's clients are indexed in one go (a quarter cheaper than a
                # batch at a time); their ids run on from the first, the write lock held.
                self._index_search(self._first_id, self._next_id - 1)
            self.session.execute(text(self._search_trigger))
            self._search_trigger = None
        for sql in self._indexes_aside:
            # A unique index that no longer holds (it cannot: every rule was checked as the
            # rows went in) would fail here and roll the whole import back.
            self.session.execute(text(sql))
        self._indexes_aside = []
        if self.batches > 1 and self.dialect == "postgresql":
            # Statistics that count the imported rows, at once rather than whenever autovacuum
            # comes by: with stale ones the planner misjudges `q` and the sorted pages.
            for table in (*(model.__tablename__ for model in (Client, *CHILDREN)), "companies"):
                self.session.execute(text(f"ANALYZE {table}"))

    def _existing(self, keys: Sequence[tuple[str, str] | None]) -> set[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        for name in ("external_id", "account_code"):
            values = [key[1] for key in keys if key and key[0] == name]
            if not values:
                continue
            column = getattr(Client, name)
            for (value,) in self.session.execute(
                select(column).where(Client.account_id == self.account_id, column.in_(values))
            ):
                found.add((name, value))
        return found

    def _company_id(self, name: str) -> int:
        if name not in self.companies:
            company_id = self.session.scalar(
                select(Company.id)
                .where(Company.account_id == self.account_id, Company.name == name)
                .order_by(Company.id)
                .limit(1)
            )
            if company_id is None:
                company_id = self.session.scalar(
                    insert(Company)
                    .values(
                        account_id=self.account_id,
                        name=name,
                        created_at=utcnow(),
                        updated_at=utcnow(),
                        version=1,
                    )
                    .returning(Company.id)
                )
            self.companies[name] = int(company_id or 0)
        return self.companies[name]

    def _refresh_statistics(self) -> None:
        """PostgreSQL plans with statistics from before the import, when the tables were
        small: a long import would then look rows up by scanning ever larger tables. Fresh
        statistics (ANALYZE sees this transaction's own rows) keep the lookups on the indexes."""
        self.batches += 1
        if self.dialect != "postgresql":
            return
        # Once they count a hundred thousand rows the plans use the indexes for good: later
        # ANALYZEs (a second each on a large table) would change nothing.
        if self.batches in (2, 10, 100):
            for table in ("clients", "companies"):
                self.session.execute(text(f"ANALYZE {table}"))

    def write(self, rows: Sequence[ImportRow]) -> BatchResult:
        self._refresh_statistics()
        result = BatchResult()
        keys = [row.key for row in rows] if self.import_mode else [None] * len(rows)
        existing = self._existing(keys) if self.import_mode else set()
        fresh: list[ImportRow] = []
        seen: set[tuple[str, str]] = set()
        for row, key in zip(rows, keys, strict=True):
            if key is not None and (key in existing or key in seen):
                result.existing += 1
                continue
            if key is not None:
                seen.add(key)
            fresh.append(row)
        if not fresh:
            return result
        reader = Reader.within(self.session)
        (last,) = reader.rows(_NUMBERS, account_id=self.account_id, count=len(fresh))[0]
        first_number = int(last) - len(fresh) + 1
        ids = self._client_ids(len(fresh))
        now = utcnow()
        stamp = {"created_at": now, "updated_at": now}
        account_id, office_id = self.account_id, self.office_id
        company_id = self._company_id
        if not self.import_mode:
            self._new_companies(fresh)
        client_rows = []
        children: dict[Any, list[dict[str, Any]]] = {model: [] for model in CHILDREN}
        addresses, phones, emails = children[Address], children[PhoneNumber], children[EmailAddress]
        notes, tags = children[Note], children[ClientTag]
        for n, (client_id, row) in enumerate(zip(ids, fresh, strict=True)):
            data = row.client
            if data.get("office_id") is None:
                data["office_id"] = office_id
            data["account_id"], data["id"], data["number"] = account_id, client_id, first_number + n
            if row.company:
                data["company_id"] = company_id(row.company)
            client_rows.append(data)
            mine = {"account_id": account_id, "version": 1, "client_id": client_id}
            for target, items in (
                (addresses, row.addresses),
                (phones, row.phones),
                (emails, row.emails),
                (notes, row.notes),
            ):
                for item in items:
                    item.update(mine)
                target.extend(items)
            for tag in row.tags:
                tags.append({"client_id": client_id, "tag": tag, "account_id": account_id})
        # Core on the raw connection (the ORM's bulk path costs a unit of work per row).
        connection = self.session.connection()
        dbapi, dialect = connection.connection.dbapi_connection, connection.dialect
        CLIENT_INSERT.execute(dbapi, dialect, client_rows, stamp)
        for model, items in children.items():
            INSERTS[model].execute(dbapi, dialect, items, stamp)
        if not self.import_mode:
            self._write_extras(fresh, ids, stamp)
        if self._first_id is None:
            self._first_id = ids[0]
        if self._search_trigger and not self._indexes_aside:
            self._index_search(ids[0], ids[-1])
        if not self.import_mode and self.answer_kinds:
            # The kinds the request's answer shows, rendered in its transaction.
            documents.render(self.session, ids, self.answer_kinds)
        # Every other kind is rendered after the commit, off the write (`documents.drain`):
        # the backlog of them is written here, in the same transaction as the clients.
        documents.defer(self.session, ids)
        if self.import_mode:
            # An import's events are summarized: one a batch, naming its clients.
            changes.note(
                self.session,
                account_id,
                "client",
                "imported",
                ids[0],
                None,
                data={"count": len(ids), "id_ranges": id_ranges(ids)},
            )
        else:
            changes.note_clients(self.session, account_id, "created", ids)
        self.created_ids += ids
        result.created = len(fresh)
        result.ids = ids
        return result

    def _new_companies(self, rows: Sequence[ImportRow]) -> None:
        """A company for each row that asks for one of its own (not found by name)."""
        wanted = [row for row in rows if row.new_company is not None]
        if not wanted:
            return
        now = utcnow()
        made = self.session.scalars(
            insert(Company).returning(Company.id, sort_by_parameter_order=True),
            [
                {
                    "account_id": self.account_id,
                    "name": row.new_company,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
                for row in wanted
            ],
        ).all()
        for row, company_id in zip(wanted, made, strict=True):
            row.client["company_id"] = company_id

    def _write_extras(
        self, rows: Sequence[ImportRow], ids: Sequence[int], stamp: Mapping[str, Any]
    ) -> None:
        """What a door's batch writes beyond an import's record: the rows' locations (with
        the addresses attached to them and their vendor attributes) and the clients' vendor
        attributes. Before the documents are rendered, which show them."""
        count = sum(len(row.locations) for row in rows)
        attributes: list[dict[str, Any]] = []
        locations: list[dict[str, Any]] = []
        addresses: list[dict[str, Any]] = []
        location_ids = iter(self._ids("locations", count) if count else ())
        account_id = self.account_id
        for client_id, row in zip(ids, rows, strict=True):
            for vendor, data in row.attributes.items():
                attributes.append(
                    {
                        "account_id": account_id,
                        "entity": "client",
                        "entity_id": client_id,
                        "client_id": client_id,
                        "vendor": vendor,
                        "data": data,
                    }
                )
            for new in row.locations:
                location_id = next(location_ids)
                mine = {"account_id": account_id, "version": 1, "client_id": client_id}
                locations.append({**LOCATION_DEFAULTS, **new.fields, **mine, "id": location_id})
                if new.address is not None:
                    addresses.append(
                        {**ADDRESS_DEFAULTS, **new.address, **mine, "location_id": location_id}
                    )
                if new.attributes is not None:
                    vendor, data = new.attributes
                    attributes.append(
                        {
                            "account_id": account_id,
                            "entity": "location",
                            "entity_id": location_id,
                            "client_id": client_id,
                            "vendor": vendor,
                            "data": data,
                        }
                    )
        if not (attributes or locations):
            return
        connection = self.session.connection()
        dbapi, dialect = connection.connection.dbapi_connection, connection.dialect
        LOCATION_INSERT.execute(dbapi, dialect, locations, stamp)
        INSERTS[Address].execute(dbapi, dialect, addresses, stamp)
        ATTRIBUTES_INSERT.execute(dbapi, dialect, attributes)

    def _ids(self, table: str, count: int) -> list[int]:
        """Ids for `count` new rows of `table` (not clients, which `_client_ids` draws), known
        before they are written: from the table's sequence on PostgreSQL, after the highest on
        SQLite (whose writer holds the write lock)."""
        if self.dialect == "postgresql":
            return list(
                self.session.scalars(
                    text(
                        f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                        "FROM generate_series(1, :n)"
                    ),
                    {"n": count},
                )
            )
        first = int(self.session.scalar(text(f"SELECT max(id) FROM {table}")) or 0) + 1
        return list(range(first, first + count))

    def _client_ids(self, count: int) -> list[int]:
        """Ids for `count` new clients, known before they are written, so that their children
        can name them without reading them back. SQLite: the import holds the database's write
        lock, so the ids after the highest are free (and stay contiguous). PostgreSQL: drawn
        from the table's sequence, which concurrent writers share safely."""
        reader = Reader.within(self.session)
        if self.dialect == "postgresql":
            return [row[0] for row in reader.rows(_NEXT_IDS, count=count)]
        if self._next_id is None:
            self._next_id = int(reader.rows(_MAX_ID)[0][0] or 0) + 1
        first, self._next_id = self._next_id, self._next_id + count
        return list(range(first, first + count))


# The account's next `count` client numbers (the last of them returned).
_NUMBERS = Prepared(
    update(AccountCounter)
    .where(AccountCounter.account_id == bindparam("account_id"), AccountCounter.name == "client")
    .values(value=AccountCounter.value + bindparam("count"))
    .returning(AccountCounter.value)
)
_NEXT_IDS = Prepared(
    select(func.nextval(func.pg_get_serial_sequence("clients", "id"))).select_from(
        func.generate_series(1, bindparam("count"))
    )
)
_MAX_ID = Prepared(select(func.max(Client.id)))

# SQLite's page cache for an import's connection (KiB, as PRAGMA cache_size takes a negative
# number): the indexes it keeps up stay in memory. Building an index again sorts in buffers of
# about this size too, one per sorting thread: with 64 MB and two threads a million-client
# import peaked at 259 MB, beside its 68 MB worker.
IMPORT_CACHE_KIB = -32768
# An import sets the secondary indexes aside (SQLite) only from this many expected rows, and
# only when it at least doubles the clients table: building an index again costs a sort of
# the whole table, which pays only when the import is a large part of it.
REBUILD_MIN_ROWS = 20_000
# What an import looks its rows up by (a re-run creates nothing twice): kept in place.
IMPORT_LOOKUP_INDEXES = frozenset(
    {"uq_clients_account_id_external_id", "ix_clients_account_id_account_code"}
)
BATCH_MAX = 1000


def create_clients(
    session: Session,
    account_id: int,
    news: Sequence[NewClient],
    answer_kinds: Sequence[str] = (documents.NATIVE,),
) -> list[int]:
    """Create these clients (1 to BATCH_MAX) in one go through the import's batched writes,
    all or nothing, by the rules a single create follows: every field rule, a company or
    office that must be the account's, an external id nobody has (nor another client of the
    batch). Every refusal names its client by position (`clients[3].name`). Returns the new
    clients' ids, in order. Their documents of `answer_kinds` are rendered in the caller's
    transaction, the others after it commits."""
    if not news:
        raise ValidationFailed.one("clients", "must hold at least one client")
    if len(news) > BATCH_MAX:
        raise ValidationFailed.one(
            "clients", f"at most {BATCH_MAX} clients in one batch ({len(news)} sent)"
        )
    rows: list[ImportRow] = []
    errors: list[tuple[str, str]] = []
    for i, new in enumerate(news):
        try:
            rows.append(prepare_new(new, i))
        except ValidationFailed as exc:
            errors += [(at(i, name), message) for name, message in exc.errors]
    if errors:
        raise ValidationFailed(errors)
    _check_references(session, account_id, rows, at)
    return create_rows(session, account_id, rows, answer_kinds=answer_kinds)


def create_rows(
    session: Session, account_id: int, rows: Sequence[ImportRow], *, answer_kinds: Sequence[str]
) -> list[int]:
    """Write rows a door has checked (by `prepare_new`, and `reference_errors`) as new
    clients, in one batch of Core writes in the caller's transaction; their ids, in order.
    Their documents of `answer_kinds` (the kinds the caller answers with) are rendered in the
    transaction, the others after it commits."""
    # Their native documents too: each one's event carries it (domain/changes).
    kinds = tuple(dict.fromkeys((*answer_kinds, documents.NATIVE)))
    importer = Importer(session, account_id, import_mode=False, answer_kinds=kinds)
    ids = importer.write(rows).ids
    importer.finish()
    return ids


def create_one(
    session: Session,
    account_id: int,
    new: NewClient,
    answer_kinds: Sequence[str] = (documents.NATIVE,),
) -> int:
    """Create one client, by the rules of `clients.validate_new_client` and with the
    refusals of `_check_references`, through the batched Core writes (no unit of work): a
    batch of one. Its documents of `answer_kinds` are rendered in the caller's transaction,
    the others after it commits. Returns the new client's id."""
    return create_row(session, account_id, prepare_new(new, 0), answer_kinds=answer_kinds)


def create_row(
    session: Session, account_id: int, row: ImportRow, *, answer_kinds: Sequence[str]
) -> int:
    """Create one client from a row a door has checked (by `prepare_new`, with whatever else
    it writes with the client: locations, vendor attributes), as `create_one` does: its
    company, office and external id checked (named as a single create names them), then a
    batch of one. Returns the new client's id."""
    _check_references(session, account_id, [row], lambda _index, name: name)
    return create_rows(session, account_id, [row], answer_kinds=answer_kinds)[0]


def reference_errors(
    session: Session, account_id: int, rows: Sequence[ImportRow]
) -> dict[int, tuple[str, str]]:
    """Each row's first reference a single create would refuse (its company, then its
    office, must be the account's), by the row's `line`: the same (field, message) as
    `create_one` refuses with, for a door that reports every record's refusal."""
    found: dict[str, set[int]] = {}
    for column, model in (("company_id", Company), ("office_id", Office)):
        wanted = {r.client[column] for r in rows if r.client.get(column) is not None}
        found[column] = (
            set(
                session.scalars(
                    select(model.id).where(model.account_id == account_id, model.id.in_(wanted))
                )
            )
            if wanted
            else set()
        )
    out: dict[int, tuple[str, str]] = {}
    for row in rows:
        for column in ("company_id", "office_id"):
            value = row.client.get(column)
            if value is not None and value not in found[column]:
                out[row.line] = (column, f"no {column.removesuffix('_id')} with id {value}")
                break
    return out


def id_ranges(ids: Sequence[int]) -> list[list[int]]:
    """Ascending ids as [first, last] runs (an import's batch is usually one run)."""
    runs: list[list[int]] = []
    for ident in ids:
        if runs and ident == runs[-1][1] + 1:
            runs[-1][1] = ident
        else:
            runs.append([ident, ident])
    return runs


def at(index: int, name: str | None) -> str:
    """A field of the `index`th client of a batch, as refusals name it."""
    return f"clients[{index}].{name}" if name else f"clients[{index}]"


def _check_references(
    session: Session,
    account_id: int,
    rows: Sequence[ImportRow],
    name_of: Callable[[int, str], str],
) -> None:
    """Refuse rows naming a company or office not of the account, or an external id another
    client has (or another row of these); `name_of(row's index, field)` names the field."""
    for column, model in (("company_id", Company), ("office_id", Office)):
        wanted = {r.client[column] for r in rows if r.client.get(column) is not None}
        if not wanted:
            continue
        found = set(
            session.scalars(
                select(model.id).where(model.account_id == account_id, model.id.in_(wanted))
            )
        )
        for row in rows:
            value = row.client.get(column)
            if value is not None and value not in found:
                noun = column.removesuffix("_id")
                raise ValidationFailed.one(name_of(row.line, column), f"no {noun} with id {value}")
    first: dict[str, int] = {}
    for row in rows:
        external_id = row.client.get("external_id")
        if external_id is None:
            continue
        if external_id in first:
            raise Conflict(
                f"clients[{first[external_id]}] and clients[{row.line}] both have external_id "
                f"{external_id!r}.",
                field=name_of(row.line, "external_id"),
            )
        first[external_id] = row.line
    if first:
        taken = session.execute(
            select(Client.id, Client.external_id).where(
                Client.account_id == account_id, Client.external_id.in_(list(first))
            )
        ).first()
        if taken is not None:
            client_id, external_id = taken
            raise Conflict(
                f"Client {client_id} already has external_id {external_id!r}.",
                field=name_of(first[str(external_id)], "external_id"),
            )


# Every row of a table names the same columns: what a record leaves out takes its default.
CLIENT_DEFAULTS: dict[str, Any] = {
    "kind": "organization",
    "balance": 0,
    "custom_fields": {},
    "invoice_reminders": False,
    "show_location_on_invoice": False,
    "inactive": False,
    "version": 1,
    **dict.fromkeys(
        (
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
            "company_id",
            "salesperson_id",
            "case_manager_id",
        )
    ),
}
ADDRESS_DEFAULTS: dict[str, Any] = {
    **dict.fromkeys(("label", "name", "company", "line1", "line2", "line3", "city", "region")),
    **dict.fromkeys(("postal_code", "country", "latitude", "longitude", "location_id")),
    **dict.fromkeys(("po_box", "is_primary", "is_primary_billing", "is_primary_shipping"), False),
}
PHONE_DEFAULTS: dict[str, Any] = {
    **dict.fromkeys(("label", "country_code", "area_code", "extension", "location_id")),
    "is_primary": False,
}
EMAIL_DEFAULTS: dict[str, Any] = {"label": None, "is_primary": False, "location_id": None}
LOCATION_DEFAULTS: dict[str, Any] = {
    **dict.fromkeys(("line1", "line2", "line3", "city", "region", "postal_code", "country")),
    **dict.fromkeys(("phone", "phone_secondary", "fax", "invoice_email", "description")),
    **dict.fromkeys(("case_policy", "invoice_policy", "update_policy")),
    "is_primary": False,
}
NOTE_DEFAULTS: dict[str, Any] = {"author": None, "job_id": None}
STAMPED = ("created_at", "updated_at")
OWNED = ("account_id", "version", "client_id")

CLIENT_INSERT = BulkInsert(
    Client.__table__,
    ("id", "account_id", "number", "office_id", "name", "search_text", *CLIENT_DEFAULTS),
    STAMPED,
)
CHILDREN = (Address, PhoneNumber, EmailAddress, Note, ClientTag)
LOCATION_INSERT = BulkInsert(
    Location.__table__, ("id", "name", *LOCATION_DEFAULTS, *OWNED), STAMPED
)
ATTRIBUTES_INSERT = BulkInsert(
    VendorAttributes.__table__,
    ("account_id", "entity", "entity_id", "client_id", "vendor", "data"),
)
INSERTS: dict[Any, BulkInsert] = {
    Address: BulkInsert(Address.__table__, (*ADDRESS_DEFAULTS, *OWNED), STAMPED),
    PhoneNumber: BulkInsert(PhoneNumber.__table__, ("number", *PHONE_DEFAULTS, *OWNED), STAMPED),
    EmailAddress: BulkInsert(EmailAddress.__table__, ("address", *EMAIL_DEFAULTS, *OWNED), STAMPED),
    Note: BulkInsert(Note.__table__, ("body", *NOTE_DEFAULTS, *OWNED), STAMPED),
    ClientTag: BulkInsert(ClientTag.__table__, ("client_id", "tag", "account_id")),
}


# --- export ------------------------------------------------------------------------------------

EXPORT_PAGE = Prepared(
    select(*CLIENT.cols())
    .where(Client.account_id == bindparam("account_id"), Client.id > bindparam("after_id"))
    .order_by(Client.id)
    .limit(bindparam("page_size"))
)
NOTES_FOR = Prepared(
    select(Note.client_id, Note.body, Note.author)
    .where(Note.client_id.in_(bindparam("client_ids", expanding=True)), Note.job_id.is_(None))
    .order_by(Note.client_id, Note.id)
)
COMPANY_NAMES = Prepared(
    select(Company.id, Company.name).where(Company.account_id == bindparam("account_id"))
)
CLIENT_COUNT = Prepared(
    select(func.count()).select_from(Client).where(Client.account_id == bindparam("account_id"))
)


def count_clients(reader: Reader, account_id: int) -> int:
    return int(reader.rows(CLIENT_COUNT, account_id=account_id)[0][0])


def export_pages(reader: Reader, account_id: int, page_size: int = 1000) -> Iterator[list[Record]]:
    """Every client of the account with tags, addresses, phones, emails, notes and its
    company's name, a page at a time in id order."""
    companies = dict(reader.rows(COMPANY_NAMES, account_id=account_id))
    after = 0
    while True:
        rows = reader.rows(EXPORT_PAGE, account_id=account_id, after_id=after, page_size=page_size)
        if not rows:
            return
        records = [CLIENT.record(r) for r in rows]
        load(reader, account_id, records, NATIVE)
        notes: dict[int, list[dict[str, Any]]] = {}
        for client_id, body, author in reader.rows(
            NOTES_FOR, client_ids=[r["id"] for r in records]
        ):
            notes.setdefault(client_id, []).append({"body": body, "author": author})
        for record in records:
            record["notes"] = notes.get(record["id"], [])
            company_id = record.get("company_id")
            record["company"] = companies.get(company_id) if company_id else None
        yield records
        after = records[-1]["id"]
