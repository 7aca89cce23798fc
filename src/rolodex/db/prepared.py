"""The read path without ORM overhead.

A `Prepared` statement is an ordinary SQLAlchemy Core SELECT, compiled once per database
dialect into the driver's own SQL and run on the pooled DB-API connection, with SQLAlchemy's
own bind and result processors applied column by column. So the SQL is still written (and
quoted, and typed) by SQLAlchemy, but a query costs what the driver costs: on SQLite a few
microseconds instead of the ~200 µs an ORM query with its session takes.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Select
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import sqltypes

from rolodex.db.types import UTCDateTime

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    positional: tuple[str, ...] | None  # parameter order for qmark drivers; None when named
    expanding: tuple[str, ...]
    binds: dict[str, Processor]
    # The non-expanding parameters that have a bind processor.
    processed: tuple[tuple[str, Callable[[Any], Any]], ...]
    # Values SQLAlchemy fixed itself while compiling (SQLite's OFFSET 0 after a LIMIT).
    defaults: dict[str, Any]
    results: tuple[Processor, ...]
    # (column index, processor) for the columns that have one.
    active: tuple[tuple[int, Callable[[Any], Any]], ...]
    qmark: bool


def _sqlite_utc(value: str) -> datetime:
    # SQLite keeps UTCDateTime as naive UTC text; one C call (with the offset in the text: a
    # separate .replace(tzinfo=UTC) costs several times the parse) instead of SQLAlchemy's
    # generic parse and the TypeDecorator's Python wrapper.
    return datetime.fromisoformat(value + "+00:00")


def _result_processor(type_: Any, dialect: Dialect) -> Processor:
    if dialect.name == "sqlite" and isinstance(type_, UTCDateTime):
        return _sqlite_utc
    try:
        return type_.dialect_impl(dialect).result_processor(dialect, None)
    except TypeError:
        # psycopg's float/numeric processors want the column's type OID, which a raw cursor
        # does not hand over; psycopg itself already returns float8 as float.
        return None


class Prepared:
    """A Core SELECT (or an INSERT, UPDATE or DELETE, and what it returns), compiled once per
    dialect."""

    def __init__(self, stmt: Select[Any] | Select[tuple[Any, ...]] | Any) -> None:
        self.stmt = stmt
        self._compiled: dict[str, _Compiled] = {}
        self._expanded: dict[tuple[str, tuple[int, ...]], str] = {}

    def compiled(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            c = self.stmt.compile(dialect=dialect)
            # A SELECT's columns, or what an INSERT/UPDATE/DELETE returns.
            columns = getattr(self.stmt, "selected_columns", None)
            if columns is None:
                columns = self.stmt.exported_columns
            results = tuple(_result_processor(col.type, dialect) for col in columns)
            qmark = dialect.paramstyle == "qmark"
            binds = {
                name: b.type.dialect_impl(dialect).bind_processor(dialect)
                for name, b in c.binds.items()
            }
            expanding = tuple(name for name, b in c.binds.items() if b.expanding)
            found = _Compiled(
                sql=c.string,
                positional=tuple(c.positiontup) if qmark and c.positiontup else None,
                expanding=expanding,
                binds=binds,
                processed=tuple(
                    (name, p)
                    for name, p in binds.items()
                    if p is not None and name not in expanding
                ),
                defaults={
                    k: v for k, v in c.construct_params(_check=False).items() if v is not None
                },
                results=results,
                active=tuple((i, p) for i, p in enumerate(results) if p is not None),
                qmark=qmark,
            )
            self._compiled[dialect.name] = found
        return found

    def bind(self, dialect: Dialect, params: Mapping[str, Any]) -> tuple[str, Any]:
        c = self.compiled(dialect)
        sql = c.sql
        values = {**c.defaults, **params} if c.defaults else dict(params)
        if c.processed:
            for name, processor in c.processed:
                if name in values:
                    values[name] = processor(values[name])
        if c.expanding:
            sizes = tuple(len(values[name]) for name in c.expanding)
            key = (dialect.name, sizes)
            expanded = self._expanded.get(key)
            if expanded is None:
                expanded = sql
                for name, size in zip(c.expanding, sizes, strict=True):
                    if c.qmark:
                        marks = ", ".join("?" * size) if size else "NULL"
                    else:
                        marks = ", ".join(f"%({name}_{i})s" for i in range(size)) or "NULL"
                    expanded = expanded.replace(f"__[POSTCOMPILE_{name}]", marks)
                self._expanded[key] = expanded
            sql = expanded
            for name in c.expanding:
                items = list(values.pop(name))
                convert = c.binds.get(name)
                if convert is not None:
                    items = [convert(v) for v in items]
                if c.qmark:
                    values[name] = items
                else:
                    values.update({f"{name}_{i}": v for i, v in enumerate(items)})
        if c.positional is not None:
            ordered: list[Any] = []
            for name in c.positional:
                value = values[name]
                if name in c.expanding:
                    ordered.extend(value)
                else:
                    ordered.append(value)
            return sql, ordered
        return sql, values


class Reader:
    """Runs Prepared statements on one DB-API connection, inside whatever transaction that
    connection is in; or, for a read snapshot, in the snapshot it opens before its first
    statement that needs one (`begin`)."""

    def __init__(self, dbapi_connection: Any, dialect: Dialect, begin: str | None = None) -> None:
        self.dbapi = dbapi_connection
        self.dialect = dialect
        # The statement that opens the snapshot, while it is not open yet.
        self.begin = begin

    @property
    def begun(self) -> bool:
        return self.begin is None

    def _open(self) -> None:
        begin, self.begin = self.begin, None
        if begin is not None:
            self.dbapi.execute(begin)

    def alone(self, query: Prepared, **params: Any) -> tuple[Any, ...] | None:
        """The first row of one statement that shares its view with no other (a lookup by
        key whose answer is the whole reply). Before the snapshot is open it runs as its own
        transaction: no BEGIN and no ROLLBACK, a round trip each on PostgreSQL. The statements
        after it open the snapshot as usual."""
        if self.begin is None:
            return self.one_or_none(query, **params)
        found = self._run(query, params)
        return found[0] if found else None

    def rows(self, query: Prepared, **params: Any) -> list[tuple[Any, ...]]:
        if self.begin is not None:
            self._open()
        return self._run(query, params)

    def _run(self, query: Prepared, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        sql, bound = query.bind(self.dialect, params)
        cursor = self.dbapi.cursor()
        try:
            cursor.execute(sql, bound)
            raw = cursor.fetchall()
        finally:
            cursor.close()
        return self._process(query, raw)

    def execute(self, query: Prepared, **params: Any) -> int:
        """Run a statement that returns no rows (an UPDATE, a DELETE); how many rows it
        changed."""
        if self.begin is not None:
            self._open()
        sql, bound = query.bind(self.dialect, params)
        cursor = self.dbapi.cursor()
        try:
            cursor.execute(sql, bound)
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def _process(self, query: Prepared, raw: Sequence[Any]) -> list[Any]:
        active = query.compiled(self.dialect).active
        if not active:
            return list(raw)
        out = []
        for r in raw:
            row = list(r)
            for i, process in active:
                value = row[i]
                if value is not None:
                    row[i] = process(value)
            out.append(row)
        return out

    def rows_many(
        self, batch: Sequence[tuple[Prepared, Mapping[str, Any]]]
    ) -> list[list[tuple[Any, ...]]]:
        """Several independent queries. On PostgreSQL they go out in one pipeline, so the
        batch costs one network round trip instead of one per query."""
        if self.dialect.name != "postgresql" or len(batch) < 2:
            return [self.rows(query, **params) for query, params in batch]
        if self.begin is not None:
            self._open()
        cursors = []
        with self.dbapi.pipeline():
            for query, params in batch:
                sql, bound = query.bind(self.dialect, params)
                cursor = self.dbapi.cursor()
                cursor.execute(sql, bound)
                cursors.append(cursor)
        out = []
        for (query, _params), cursor in zip(batch, cursors, strict=True):
            raw = cursor.fetchall()
            cursor.close()
            out.append(self._process(query, raw))
        return out

    def one_or_none(self, query: Prepared, **params: Any) -> tuple[Any, ...] | None:
        found = self.rows(query, **params)
        return found[0] if found else None

    @classmethod
    def within(cls, session: Session) -> Reader:
        """A Reader on the session's own connection, seeing the session's uncommitted writes."""
        connection = session.connection()
        return cls(connection.connection.dbapi_connection, connection.dialect)


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Reader]:
    """A read-only snapshot: every query in the block sees the same committed state (but for
    a `Reader.alone` lookup made before any other, which is a snapshot of its own). The
    snapshot opens with the first statement that needs it."""
    proxy = engine.raw_connection()
    dbapi: Any = proxy.dbapi_connection
    try:
        if engine.dialect.name == "sqlite":
            reader = Reader(dbapi, engine.dialect, begin="BEGIN")
            try:
                yield reader
            finally:
                if reader.begun:
                    dbapi.execute("ROLLBACK")
        else:
            # One statement opens the snapshot (psycopg's own implicit BEGIN would need a
            # second round trip for SET TRANSACTION).
            dbapi.autocommit = True
            reader = Reader(dbapi, engine.dialect, begin=POSTGRES_SNAPSHOT)
            try:
                yield reader
            finally:
                try:
                    if reader.begun:
                        dbapi.execute("ROLLBACK")
                finally:
                    dbapi.autocommit = False
    finally:
        proxy.close()


POSTGRES_SNAPSHOT = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"


class Snapshots:
    """Read-only snapshots on one engine, as `read_transaction` gives. On SQLite the
    connections they use are kept aside, checked out of the pool once and handed from one
    snapshot to the next: a request then skips the pool's checkout and reset-on-return, which
    cost about as much as the query for one client. PostgreSQL uses the pool as usual."""

    # Idle SQLite connections kept for reads; reads run on the event loop thread, so one is
    # the norm and a few cover threads that read at the same time.
    KEEP = 4

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect
        self._own = engine.dialect.name == "sqlite"
        self._idle: list[tuple[Any, Reader]] = []

    @contextmanager
    def snapshot(self) -> Iterator[Reader]:
        if not self._own:
            with read_transaction(self.engine) as pooled:
                yield pooled
            return
        try:
            proxy, reader = self._idle.pop()
        except IndexError:
            proxy = self.engine.raw_connection()
            reader = Reader(proxy.dbapi_connection, self.dialect)
        reusable = False
        try:
            reader.begin = "BEGIN"  # opened by the first statement that needs the snapshot
            yield reader
        finally:
            try:
                if reader.dbapi.in_transaction:
                    reader.dbapi.execute("ROLLBACK")
                reusable = len(self._idle) < self.KEEP
            finally:
                if reusable:
                    self._idle.append((proxy, reader))
                else:
                    proxy.close()

    def close(self) -> None:
        idle, self._idle = self._idle, []
        for proxy, _reader in idle:
            proxy.close()


def columns_of(rows: Sequence[tuple[Any, ...]], index: int) -> list[Any]:
    return [r[index] for r in rows]


# Rows in one SQLite INSERT: at most this many, and within SQLite's limit on a statement's
# variables (32,766 since 3.32).
_SQLITE_ROWS = 64
# Rows below which a PostgreSQL bulk insert is one INSERT rather than a COPY.
_POSTGRES_INSERT_ROWS = 8
_SQLITE_VARIABLES = 32_000


def _sqlite_chunks(rows: int, width: int) -> Iterator[int]:
    """How many rows each INSERT of `rows` rows of `width` values takes: as many as fit, then
    the rest in powers of two, so that a table is written by a handful of distinct statements
    (each is compiled and cached by the driver; one per row count would fill its cache with
    large programs, tens of megabytes over an import)."""
    per = 1
    while per * 2 <= min(_SQLITE_ROWS, max(1, _SQLITE_VARIABLES // width)):
        per *= 2
    full, rest = divmod(rows, per)
    yield from (per for _ in range(full))
    while rest:
        part = 1 << (rest.bit_length() - 1)
        yield part
        rest -= part


# Types both drivers take as Python values with no conversion (sqlite3 stores a bool as 0/1).
_DRIVER_NATIVE = (sqltypes.Boolean, sqltypes.Integer, sqltypes.String, sqltypes.Float)


def _processor(column_type: Any, dialect: Dialect) -> Processor:
    """What converts a value of `column_type` for the driver; for JSON, an empty object (most
    rows' custom fields) is converted once, not once a row."""
    process = column_type.dialect_impl(dialect).bind_processor(dialect)
    if process is None or not isinstance(column_type, sqltypes.JSON):
        return process
    empty = process({})

    def converted(value: Any) -> Any:
        return empty if type(value) is dict and not value else process(value)

    return converted


class BulkInsert:
    """INSERT of many rows on the raw DB-API connection, for bulk imports, where the ORM's
    per-row bookkeeping would cost more than the database does.

    The statement is built once per dialect. Each row is a mapping; its values are picked in
    column order by one C-level `itemgetter`, a bind processor runs only for the columns whose
    type needs one (money, JSON), and `constant` columns (a batch's timestamps) are processed
    once and appended to every row. SQLite takes the rows by statements of many rows each,
    PostgreSQL through COPY."""

    def __init__(self, table: Any, columns: Sequence[str], constant: Sequence[str] = ()) -> None:
        self.table = table
        self.columns = tuple(columns)
        self.constant = tuple(constant)
        getter = operator.itemgetter(*self.columns)
        self._pick: Callable[[Mapping[str, Any]], tuple[Any, ...]] = (
            getter if len(self.columns) > 1 else (lambda row: (getter(row),))
        )
        self._compiled: dict[str, tuple[str, str, tuple[Processor, ...]]] = {}
        self._multi: dict[tuple[int, int, str], str] = {}

    def _for(self, dialect: Dialect) -> tuple[str, str, tuple[Processor, ...]]:
        found = self._compiled.get(dialect.name)
        if found is None:
            mark = "?" if dialect.paramstyle == "qmark" else "%s"
            quote = dialect.identifier_preparer.quote
            every = (*self.columns, *self.constant)
            names = ", ".join(quote(c) for c in every)
            table = quote(self.table.name)
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(mark for _ in every)})"
            copy = f"COPY {table} ({names}) FROM STDIN"
            processors = tuple(
                None
                if isinstance(self.table.c[c].type, _DRIVER_NATIVE)
                else _processor(self.table.c[c].type, dialect)
                for c in every
            )
            found = self._compiled[dialect.name] = (sql, copy, processors)
        return found

    def _rows_sql(self, sql: str, width: int, count: int, mark: str = "?") -> str:
        """The single-row INSERT `sql` made to take `count` rows."""
        key = (width, count, mark)
        found = self._multi.get(key)
        if found is None:
            head, _, _ = sql.rpartition(" VALUES ")
            one = f"({', '.join(mark for _ in range(width))})"
            found = self._multi[key] = f"{head} VALUES {', '.join(one for _ in range(count))}"
        return found

    def insert_sql(self, dialect: Dialect, count: int) -> str:
        """The INSERT of `count` rows in the driver's parameter style, for a caller that runs
        it itself (with RETURNING, in a pipeline) on the flattened `params`."""
        sql, _, _ = self._for(dialect)
        mark = "?" if dialect.paramstyle == "qmark" else "%s"
        return self._rows_sql(sql, len(self.columns) + len(self.constant), count, mark)

    def params(
        self, dialect: Dialect, rows: Iterable[Mapping[str, Any]], constant: Mapping[str, Any]
    ) -> list[tuple[Any, ...]]:
        _, _, processors = self._for(dialect)
        width = len(self.columns)
        fixed = tuple(
            constant[c] if p is None or constant[c] is None else p(constant[c])
            for c, p in zip(self.constant, processors[width:], strict=True)
        )
        pick = self._pick
        converted = [(i, p) for i, p in enumerate(processors[:width]) if p is not None]
        if not converted:
            return [pick(row) + fixed for row in rows] if fixed else [pick(row) for row in rows]
        params = []
        for row in rows:
            values = list(pick(row))
            for i, p in converted:
                if values[i] is not None:
                    values[i] = p(values[i])
            params.append((*values, *fixed))
        return params

    def execute(
        self,
        dbapi: Any,
        dialect: Dialect,
        rows: Iterable[Mapping[str, Any]],
        constant: Mapping[str, Any] | None = None,
    ) -> int:
        """Insert `rows`; `constant` gives the value of each constant column. Returns how
        many rows went in."""
        params = self.params(dialect, rows, constant or {})
        if not params:
            return 0
        sql, copy_sql, _ = self._for(dialect)
        cursor = dbapi.cursor()
        try:
            if dialect.name == "postgresql" and len(params) <= _POSTGRES_INSERT_ROWS:
                # A few rows (a single create's): one INSERT, one round trip; COPY's exchange
                # costs more than it saves for so few.
                cursor.execute(
                    self._rows_sql(sql, len(params[0]), len(params), "%s"),
                    [value for row in params for value in row],
                )
            elif dialect.name == "postgresql":
                # COPY streams the rows in one statement; executemany would send one INSERT
                # (and wait for it) per row.
                with cursor.copy(copy_sql) as copy:
                    write_row = copy.write_row
                    for row in params:
                        write_row(row)
            else:
                # A few statements of many rows each rather than a statement a row: each
                # statement of a transaction is a savepoint, and at every savepoint SQLite's
                # full-text index (the search index, filled by a trigger on clients) flushes
                # what it holds as a new segment. A row a statement cost ~40 µs a client for
                # that alone, and left the index in as many tiny segments.
                width = len(params[0])
                start = 0
                for count in _sqlite_chunks(len(params), width):
                    chunk = params[start : start + count]
                    start += count
                    cursor.execute(
                        self._rows_sql(sql, width, count), [value for row in chunk for value in row]
                    )
        finally:
            cursor.close()
        return len(params)
