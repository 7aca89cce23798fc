"""Client documents: each client as every door shows it, rendered when it changes.

A client is read far more often than it is written, and rebuilding its JSON from five tables on
every read cost most of a GET. So every write that changes what a door shows of a client
re-renders that client's documents (`client_documents`, one row per client and kind) in the
same transaction, and a read is one indexed lookup and a copy of bytes.

How a write gets its documents re-rendered, without any door having to remember to:

- the ORM's flushes are watched (`_collect`): a client, or any record carrying a `client_id`
  (locations, addresses, phone numbers, emails, notes, jobs, payments, contacts, tags, vendor
  attributes), marks that client; a company or an office marks the clients it has, an account
  every client of the account;
- a Core statement that changes such rows (tag rows, primary flags, a company's clients let go
  of) says so itself with `touch`;
- just before the transaction commits (`_settle`), the marked clients are locked (so that two
  transactions rendering one client take turns) and rendered, in batches, by every kind of
  `RENDERERS`, and their old documents replaced. A client that no longer exists has lost its
  documents by the foreign key's cascade. A rollback drops the marks with everything else.

New clients are the exception (`defer`): a create renders only the kind its answer shows
and writes the ids of its new clients to the backlog, in its transaction; a renderer (`drain`:
beside `rolodex serve`, an import's processes, `rolodex documents render`, `rolodex db
upgrade`) renders what they lack, each document stored only where none is yet, so a write that
changed the client meanwhile (and rendered it itself) is never undone. Until then, a read
renders the client from the tables; `ensure_current` (every upgrade) renders all again when
the renderers changed.

The tables stay the source of truth: `rebuild` renders every document again from them
(`rolodex documents rebuild`), and a read that finds no document renders from the tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, TypeVar

import orjson
from sqlalchemy import Engine, bindparam, event, select
from sqlalchemy import delete as sa_delete
from sqlalchemy.orm import Session

from rolodex.db.engine import make_session_factory, transaction
from rolodex.db.prepared import BulkInsert, Prepared, Reader, read_transaction
from rolodex.models import (
    Account,
    Client,
    ClientDocument,
    Company,
    DocumentBacklog,
    Office,
    StoredState,
)

# A kind's renderer: (reader, account id, ids of that account's existing clients) -> each
# client's wire JSON (anything orjson serialises), by id.
Renderer = Callable[[Reader, int, list[int]], dict[int, Any]]
RENDERERS: dict[str, Renderer] = {}
# What the renderers will read that needs only (account id, client ids in id order), as
# (statement, parameters) pairs, run in one batch before them (one PostgreSQL round trip
# instead of one per renderer); registered with the renderers.
PREFETCH: list[Callable[[int, list[int]], list[tuple[Prepared, Mapping[str, Any]]]]] = []
BATCH = 500
# The kind that is a client as the native API shows it: its events carry it (domain/changes).
NATIVE = "native"
T = TypeVar("T")
_KEY = "rolodex.documents"
# Set in a session's info to write without documents: a test writing to a database migrated
# only as far as a revision from before them.
OFF = "rolodex.documents.off"


def renderers() -> dict[str, Renderer]:
    """Every kind's renderer. The doors register theirs (rolodex.doors.documents), imported
    here on first use so that any writer (a server, the CLI, a test) renders every kind."""
    if not RENDERERS:
        import rolodex.doors.documents  # noqa: F401  (registers the doors' renderers)
    return RENDERERS


def render_version() -> str:
    """What the stored documents must have been rendered by: the renderers' version (raised
    whenever a door shows a client differently) and the kinds there are."""
    from rolodex.doors.documents import VERSION

    return f"{VERSION}:{','.join(sorted(renderers()))}"


@dataclass
class _Marks:
    clients: set[int] = field(default_factory=set)
    companies: set[int] = field(default_factory=set)
    offices: set[int] = field(default_factory=set)
    accounts: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.clients or self.companies or self.offices or self.accounts)


def _marks(session: Session) -> _Marks:
    marks = session.info.get(_KEY)
    if marks is None:
        marks = session.info[_KEY] = _Marks()
    return marks


def touch(session: Session, client_ids: Iterable[int]) -> None:
    """Mark clients whose documents a Core statement (which the ORM does not see) changed."""
    _marks(session).clients.update(client_ids)


def touch_companies(session: Session, company_ids: Iterable[int]) -> None:
    """Mark companies whose clients' documents a Core statement changed (they embed it)."""
    _marks(session).companies.update(company_ids)


def _collect(session: Session, _context: Any) -> None:
    """After a flush, while the session still lists what it flushed: mark what changed."""
    if session.info.get(OFF):
        return
    marks: _Marks | None = None
    dirty = [o for o in session.dirty if session.is_modified(o, include_collections=False)]
    for obj in chain(session.new, dirty, session.deleted):
        if isinstance(obj, ClientDocument):
            continue
        if marks is None:
            marks = _marks(session)
        if isinstance(obj, Client):
            marks.clients.add(obj.id)
        elif isinstance(obj, Company):
            marks.companies.add(obj.id)
        elif isinstance(obj, Office):
            marks.offices.add(obj.id)
        elif isinstance(obj, Account):
            marks.accounts.add(obj.id)
        else:
            client_id = getattr(obj, "client_id", None)
            if client_id is not None:
                marks.clients.add(client_id)


def settle(session: Session) -> None:
    """Render now the documents of every client marked so far in this transaction (as the
    commit would): a write that answers with a client's document reads it afterwards."""
    _settle(session)


def _settle(session: Session) -> None:
    """Before the commit: render the documents of every client marked in this transaction."""
    # The last changes, and their marks, first: the commit's own flush comes after this hook,
    # so a change left for it to write would otherwise be marked too late to be rendered.
    session.flush()
    marks = session.info.pop(_KEY, None)
    if not marks:
        return
    reader = Reader.within(session)
    ids = set(marks.clients)
    for column, wanted in (
        (Client.company_id, marks.companies),
        (Client.office_id, marks.offices),
        (Client.account_id, marks.accounts),
    ):
        if wanted:
            ids.update(session.scalars(select(Client.id).where(column.in_(sorted(wanted)))).all())
    for chunk in _chunks(sorted(ids), BATCH):
        _render(session, reader, chunk)


def _forget(session: Session, previous: Any) -> None:
    """A rolled back transaction takes its marks with it (a savepoint's rollback keeps them:
    rendering a client that did not change after all is only wasted work)."""
    if previous.parent is None:
        session.info.pop(_KEY, None)


event.listen(Session, "after_flush", _collect)
event.listen(Session, "before_commit", _settle)
event.listen(Session, "after_soft_rollback", _forget)


def _chunks(ids: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


# The clients about to be rendered, locked (FOR UPDATE, in id order; SQLite has one writer at a
# time already): two transactions that both render a client, say one renaming its company and
# one adding it an address, then take turns, and the second renders after the first commits,
# seeing both changes. Without the lock each would render without the other's change, and the
# one committing last would leave a document missing the other's.
_PEEK = Prepared(
    select(Client.id, Client.account_id, Client.version)
    .where(Client.id.in_(bindparam("ids", expanding=True)))
    .order_by(Client.id)
)
_CLIENTS = Prepared(_PEEK.stmt.with_for_update())


class _Shared(Reader):
    """A Reader that runs each distinct statement once: the kinds' renderers read much the same
    rows (the clients, their addresses, phones, emails, tags, primary locations), and within
    one rendering nothing changes between them. Rows are handed out as they came; readers
    build their records from them and never change them."""

    def __init__(self, inner: Reader) -> None:
        super().__init__(inner.dbapi, inner.dialect)
        self.inner = inner
        self.seen: dict[tuple[Prepared, Any], list[tuple[Any, ...]]] = {}
        self.made: dict[Any, Any] = {}

    @staticmethod
    def _key(query: Prepared, params: Mapping[str, Any]) -> tuple[Prepared, Any]:
        # The statement itself, not its id(): the key holds it, so no statement compiled
        # later (a query cache may drop and remake one) can take its place.
        frozen = tuple(
            sorted(
                (k, tuple(v) if isinstance(v, list | tuple | set) else v) for k, v in params.items()
            )
        )
        return query, frozen

    def rows(self, query: Prepared, **params: Any) -> list[tuple[Any, ...]]:
        key = self._key(query, params)
        found = self.seen.get(key)
        if found is None:
            found = self.seen[key] = self.inner.rows(query, **params)
        return found

    def rows_many(
        self, batch: Sequence[tuple[Prepared, Mapping[str, Any]]]
    ) -> list[list[tuple[Any, ...]]]:
        keys = [self._key(query, params) for query, params in batch]
        wanted = list(
            {k: item for k, item in zip(keys, batch, strict=True) if k not in self.seen}.items()
        )
        if wanted:
            for (key, _), rows in zip(
                wanted, self.inner.rows_many([item for _, item in wanted]), strict=True
            ):
                self.seen[key] = rows
        return [self.seen[k] for k in keys]


def once(reader: Reader, key: Any, make: Callable[[], T]) -> T:
    """`make()`, made once per rendering when `reader` is a rendering's (two kinds that are
    one rendering apart share it), else every time."""
    if not isinstance(reader, _Shared):
        return make()
    if key not in reader.made:
        reader.made[key] = make()
    found: T = reader.made[key]
    return found


Row = tuple[int, str, int, int, bytes]  # client id, kind, account id, version, body


def _rendered(
    reader: Reader, ids: list[int], *, lock: bool = True, kinds: Sequence[str] | None = None
) -> list[Row]:
    """Every kind's document (or these `kinds`') of these clients (any accounts; unknown ids
    are skipped)."""
    by_account: dict[int, list[int]] = {}
    versions: dict[int, int] = {}
    for client_id, account_id, version in reader.rows(_CLIENTS if lock else _PEEK, ids=ids):
        by_account.setdefault(account_id, []).append(client_id)
        versions[client_id] = version
    rows: list[Row] = []
    every = renderers()
    wanted = every if kinds is None else {kind: every[kind] for kind in kinds}
    for account_id, mine in by_account.items():
        mine.sort()
        shared = _Shared(reader)
        if kinds is None:
            # Every kind: what they share, read once, in one batch. One kind (a create's
            # answer) reads only what it needs, itself (its own reads are one batch too).
            shared.rows_many([item for prefetch in PREFETCH for item in prefetch(account_id, mine)])
        for kind, renderer in wanted.items():
            for client_id, doc in renderer(shared, account_id, mine).items():
                rows.append((client_id, kind, account_id, versions[client_id], orjson.dumps(doc)))
    return rows


def _store(reader: Reader, rows: Sequence[Row], *, replace: bool = True) -> None:
    """Write documents with one statement on the driver connection (the ORM's bulk path cost
    more than the rendering; pipelined on PostgreSQL, it is one round trip). `replace`: over
    what is there; else only where there is none, and only for a client still there."""
    if not rows:
        return
    mark = "?" if reader.dialect.paramstyle == "qmark" else "%s"
    columns = "INSERT INTO client_documents (client_id, kind, account_id, version, body) "
    if replace:
        # A deleted client's documents went with it: the foreign key cascades.
        sql = (
            f"{columns}VALUES ({mark}, {mark}, {mark}, {mark}, {mark}) "
            "ON CONFLICT (client_id, kind) DO UPDATE SET account_id = excluded.account_id, "
            "version = excluded.version, body = excluded.body"
        )
        params: Sequence[tuple[Any, ...]] = rows
    else:
        sql = (
            f"{columns}SELECT {mark}, {mark}, {mark}, {mark}, {mark} "
            f"WHERE EXISTS (SELECT 1 FROM clients WHERE id = {mark}) "
            "ON CONFLICT (client_id, kind) DO NOTHING"
        )
        params = [(*row, row[0]) for row in rows]
    cursor = reader.dbapi.cursor()
    try:
        cursor.executemany(sql, params)
    finally:
        cursor.close()


def _render(
    session: Session, reader: Reader, ids: list[int], kinds: Sequence[str] | None = None
) -> None:
    """Replace the documents of these clients (any accounts) with fresh ones, in the
    session's transaction, the clients locked while they are rendered."""
    _store(reader, _rendered(reader, ids, kinds=kinds))


def fill(engine: Engine, ids: Sequence[int], progress: Callable[[int], None] | None = None) -> None:
    """Render the documents these clients do not have yet (the ones a bulk write committed
    without), a batch at a time: each rendered in a read snapshot, then stored in a short write
    transaction only where still missing. A write that changed one of them meanwhile rendered
    it itself, so no older rendering is stored over it; reads of a client without documents
    render it from the tables until then."""
    for chunk in _chunks(list(ids), BATCH):
        with read_transaction(engine) as reader:
            rows = _rendered(reader, chunk, lock=False)
        with transaction(make_session_factory(engine), write=True) as session:
            _store(Reader.within(session), rows, replace=False)
        if progress is not None:
            progress(len(chunk))


def render(session: Session, client_ids: Sequence[int], kinds: Sequence[str] | None = None) -> None:
    """Render these clients' documents (of every kind, or of these `kinds`) now, in the
    caller's transaction: a bulk write's new clients, in the kind its answer shows."""
    reader = Reader.within(session)
    for chunk in _chunks(sorted(set(client_ids)), BATCH):
        _render(session, reader, chunk, kinds)


def rebuild(
    engine: Engine, account_id: int | None = None, progress: Callable[[int], None] | None = None
) -> int:
    """Render every document (of one account, or all) again from the tables, a batch per
    write transaction (on SQLite begun IMMEDIATE, as every write is, so a server writing
    meanwhile makes it wait rather than fail); returns how many clients were rendered."""
    writes = make_session_factory(engine)
    with transaction(writes, write=True) as session:
        # Documents of a kind no renderer makes any more (a release dropped it).
        session.execute(
            sa_delete(ClientDocument).where(ClientDocument.kind.not_in(sorted(renderers())))
        )
    done = 0
    after = 0
    while True:
        with transaction(writes, write=True) as session:
            stmt = select(Client.id).where(Client.id > after).order_by(Client.id).limit(BATCH)
            if account_id is not None:
                stmt = stmt.where(Client.account_id == account_id)
            ids = list(session.scalars(stmt))
            if not ids:
                return done
            _render(session, Reader.within(session), ids)
        done += len(ids)
        after = ids[-1]
        if progress is not None:
            progress(len(ids))


# --- the backlog ---------------------------------------------------------------------------

RANGE = 500  # clients in one backlog range: what a renderer renders and stores at once


def _ranges(ids: Sequence[int]) -> Iterator[tuple[int, int]]:
    """Runs of consecutive ids (sorted), each at most RANGE long, as (first, last)."""
    first = last = None
    for client_id in ids:
        if (
            first is not None
            and last is not None
            and client_id == last + 1
            and (client_id - first < RANGE)
        ):
            last = client_id
            continue
        if first is not None and last is not None:
            yield first, last
        first = last = client_id
    if first is not None and last is not None:
        yield first, last


def defer(session: Session, client_ids: Iterable[int]) -> None:
    """Leave these clients' documents to the renderer (`drain`): their id ranges go into the
    backlog in the caller's transaction, so they are there exactly when the clients are. Used
    by bulk writes, which render at most the kind they answer with themselves."""
    ranges = [{"first_id": a, "last_id": b} for a, b in _ranges(sorted(set(client_ids)))]
    if ranges:
        reader = Reader.within(session)
        _BACKLOG_INSERT.execute(reader.dbapi, reader.dialect, ranges)


_BACKLOG_INSERT = BulkInsert(DocumentBacklog.__table__, ("first_id", "last_id"))
_OLDEST = Prepared(
    select(DocumentBacklog.id, DocumentBacklog.first_id, DocumentBacklog.last_id)
    .order_by(DocumentBacklog.id)
    .limit(bindparam("count"))
)
_BACKLOG = Prepared(select(DocumentBacklog.id).order_by(DocumentBacklog.id))
_ONE_RANGE = Prepared(
    select(DocumentBacklog.id, DocumentBacklog.first_id, DocumentBacklog.last_id).where(
        DocumentBacklog.id == bindparam("range_id")
    )
)
# PostgreSQL: renderers side by side (several servers, an import's processes) each claim
# ranges no other holds, and hold them until the transaction storing their documents commits.
_CLAIM_OLDEST = Prepared(_OLDEST.stmt.with_for_update(skip_locked=True))
_CLAIM_ONE = Prepared(_ONE_RANGE.stmt.with_for_update(skip_locked=True))
# Ranges taken at once: single creates leave a range of one client each, rendered together.
GATHER = 200


def backlog(engine: Engine) -> list[int]:
    """The ids of the backlog's ranges, oldest first."""
    with read_transaction(engine) as reader:
        return [row[0] for row in reader.rows(_BACKLOG)]


def _taken(reader: Reader, query: Prepared, **params: Any) -> tuple[list[int], list[int]]:
    """The oldest ranges `query` finds, as many as hold at most RANGE clients together (one
    at the least): their ids, and the ids of the clients they name."""
    held: list[int] = []
    ids: list[int] = []
    for range_id, first_id, last_id in reader.rows(query, **params):
        if held and len(ids) + last_id - first_id + 1 > RANGE:
            break
        held.append(range_id)
        ids.extend(range(first_id, last_id + 1))
    return held, ids


def _let_go(session: Session, held: list[int]) -> None:
    session.execute(sa_delete(DocumentBacklog).where(DocumentBacklog.id.in_(held)))


def _take(
    reader: Reader, range_id: int | None, *, claim: bool
) -> tuple[list[int], list[Row]] | None:
    """The oldest ranges (or range `range_id`), claimed when `claim`, and their clients'
    documents rendered; None when there is no such range."""
    if range_id is None:
        held, ids = _taken(reader, _CLAIM_OLDEST if claim else _OLDEST, count=GATHER)
    else:
        held, ids = _taken(reader, _CLAIM_ONE if claim else _ONE_RANGE, range_id=range_id)
    if not held:
        return None
    return held, _rendered(reader, ids, lock=False)


def drain_one(engine: Engine, range_id: int | None = None) -> int | None:
    """Render the documents that the clients of the oldest backlog ranges (as many as make
    RANGE clients), or of range `range_id`, do not have yet, and remove those ranges, in one
    transaction; the number of clients rendered (a client deleted since is skipped), or None
    when there was no such range (or another renderer holds it).

    Each document is stored only where there is none (a write since rendered the client
    itself, and that rendering is newer). On SQLite the rendering is done in a read snapshot
    and only the storing takes the write lock, briefly; two renderers may then render one
    range, and the second stores nothing."""
    claim = engine.dialect.name == "postgresql"
    if claim:
        with transaction(make_session_factory(engine), write=True) as session:
            reader = Reader.within(session)
            taken = _take(reader, range_id, claim=True)
            if taken is None:
                return None
            held, rows = taken
            _store(reader, rows, replace=False)
            _let_go(session, held)
            return len({row[0] for row in rows})
    with read_transaction(engine) as reader:
        taken = _take(reader, range_id, claim=False)
    if taken is None:
        return None
    held, rows = taken
    with transaction(make_session_factory(engine), write=True) as session:
        _store(Reader.within(session), rows, replace=False)
        _let_go(session, held)
    return len({row[0] for row in rows})


def drain(engine: Engine, progress: Callable[[int], None] | None = None) -> int:
    """Render everything in the backlog, range by range, until it is empty; how many clients
    that took."""
    done = 0
    while (count := drain_one(engine)) is not None:
        done += count
        if progress is not None:
            progress(count)
    return done


def keep_draining(engine: Engine, stop: Any, idle: float = 0.25) -> None:
    """The renderer beside a server: drain the backlog whenever it holds anything (looking
    every `idle` seconds when it is empty) until `stop` (a threading or multiprocessing
    Event) is set. An error (the database restarting, say) is logged and tried again later:
    nothing is lost, the backlog stays until its documents are stored."""
    import logging

    log = logging.getLogger("rolodex.documents")
    while not stop.is_set():
        try:
            done = drain_one(engine)
            if done is not None and done >= RANGE // 2:
                continue  # a large backlog: on at once
            # Nothing, or a trickle of single creates: wait, and take what gathers meanwhile
            # in one transaction rather than hold the write lock for each create.
            stop.wait(idle if done is None else idle / 5)
        except Exception:  # logged; the backlog is still there
            log.exception("rendering the document backlog failed; trying again shortly")
            stop.wait(idle)


STATE = "documents"

_MISSING = Prepared(
    select(Client.id)
    .where(
        ~select(ClientDocument.client_id)
        .where(ClientDocument.client_id == Client.id, ClientDocument.kind == bindparam("kind"))
        .exists()
    )
    .order_by(Client.id)
)


def fill_missing(engine: Engine, *, backlog: bool = True) -> int:
    """Render what the backlog holds, and the documents of every client that has none (a
    database whose documents were lost, or an import from before the backlog that stopped
    rendering before it finished); how many. Without `backlog`, nothing: the clients without
    documents are the backlog's, left to the renderers (reads render them meanwhile)."""
    if not backlog:
        return 0
    done = drain(engine)
    with read_transaction(engine) as reader:
        kind = next(iter(sorted(renderers())))
        ids = [row[0] for row in reader.rows(_MISSING, kind=kind)]
    fill(engine, ids)
    return done + len(ids)


def ensure_current(engine: Engine, *, backlog: bool = True) -> int:
    """Render every document again if the stored ones were rendered by other renderers (or
    none were: a database just migrated to documents); returns how many clients that took."""
    wanted = render_version()
    with Session(engine) as session:
        stored = session.get(StoredState, STATE)
        if stored is not None and stored.value == wanted:
            return fill_missing(engine, backlog=backlog)
    done = rebuild(engine)
    with transaction(make_session_factory(engine), write=True) as session:
        state = session.get(StoredState, STATE)
        if state is None:
            session.add(StoredState(name=STATE, value=wanted))
        else:
            state.value = wanted
    return done


# --- reading -------------------------------------------------------------------------------

_ONE = Prepared(
    select(ClientDocument.body, ClientDocument.version).where(
        ClientDocument.client_id == bindparam("client_id"),
        ClientDocument.kind == bindparam("kind"),
        ClientDocument.account_id == bindparam("account_id"),
    )
)
_BY_NUMBER = Prepared(
    select(ClientDocument.body, ClientDocument.version)
    .join(Client, Client.id == ClientDocument.client_id)
    .where(
        Client.account_id == bindparam("account_id"),
        Client.number == bindparam("number"),
        ClientDocument.kind == bindparam("kind"),
    )
)
_MANY = Prepared(
    select(ClientDocument.client_id, ClientDocument.body).where(
        ClientDocument.kind == bindparam("kind"),
        ClientDocument.client_id.in_(bindparam("ids", expanding=True)),
    )
)


def one(reader: Reader, kind: str, account_id: int, client_id: int) -> tuple[bytes, int] | None:
    """A client's document of this kind and the version it shows, or None when there is none
    (no such client in the account, or not rendered)."""
    row = reader.alone(_ONE, kind=kind, account_id=account_id, client_id=client_id)
    return None if row is None else (row[0], row[1])


def by_number(reader: Reader, kind: str, account_id: int, number: int) -> tuple[bytes, int] | None:
    row = reader.alone(_BY_NUMBER, kind=kind, account_id=account_id, number=number)
    return None if row is None else (row[0], row[1])


def many(reader: Reader, kind: str, ids: Sequence[int]) -> dict[int, bytes]:
    """The documents of these clients (ids already scoped to one account), by id; a client
    without one is missing from the answer."""
    if not ids:
        return {}
    return {client_id: body for client_id, body in reader.rows(_MANY, kind=kind, ids=list(ids))}


def shown(
    records: Sequence[Mapping[str, Any]], fallback: Callable[[list[int]], dict[int, Any]]
) -> list[Any]:
    """Records that carry their stored `document` (a page query's deferred join), each as an
    orjson Fragment to embed in a reply; one without is rendered by `fallback(missing ids)`."""
    missing = [r["id"] for r in records if r["document"] is None]
    rendered = fallback(missing) if missing else {}
    out: list[Any] = []
    for r in records:
        body = r["document"]
        if body is not None:
            out.append(orjson.Fragment(body))
        elif r["id"] in rendered:
            out.append(rendered[r["id"]])
    return out


def fragments(
    reader: Reader,
    kind: str,
    ids: Sequence[int],
    fallback: Callable[[list[int]], dict[int, Any]],
) -> list[Any]:
    """The documents of `ids`, in order, each as an orjson Fragment to embed in a reply;
    a client without a document is rendered from the tables by `fallback(missing ids)`."""
    found = many(reader, kind, ids)
    missing = [i for i in ids if i not in found]
    rendered = fallback(missing) if missing else {}
    out: list[Any] = []
    for i in ids:
        body = found.get(i)
        if body is not None:
            out.append(orjson.Fragment(body))
        elif i in rendered:
            out.append(rendered[i])
    return out
