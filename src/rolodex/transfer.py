"""`rolodex import` and `rolodex export`: files in, files out, with progress a person can
watch. CSV (one row a client, documented columns) and JSON Lines (the native client shape with
nested addresses, phone numbers, email addresses and notes)."""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from sqlalchemy import Engine, bindparam, func, select

from rolodex.db.engine import create_db_engine, make_session_factory, transaction
from rolodex.db.prepared import Prepared, Reader, read_transaction
from rolodex.domain import accounts, changes, documents
from rolodex.domain.batches import (
    BatchResult,
    Importer,
    ImportRow,
    count_clients,
    export_pages,
    prepare,
)
from rolodex.domain.events import Actor
from rolodex.doors.native.mapping import record as native_record
from rolodex.errors import DomainError, NotFound, ValidationFailed
from rolodex.models import Client

# The CSV columns, in order. One row is one client with at most one address, phone and email.
CSV_COLUMNS = (
    "external_id",
    "account_code",
    "name",
    "kind",
    "first_name",
    "last_name",
    "website",
    "invoice_email",
    "description",
    "tags",
    "inactive",
    "balance",
    "company",
    "address_label",
    "address_line1",
    "address_line2",
    "address_city",
    "address_region",
    "address_postal_code",
    "address_country",
    "phone_label",
    "phone",
    "email_label",
    "email",
)
# The columns that are one client field each, as they are.
PLAIN_COLUMNS = (
    "external_id",
    "account_code",
    "name",
    "kind",
    "first_name",
    "last_name",
    "website",
    "invoice_email",
    "description",
    "balance",
    "company",
)
TAG_SEPARATOR = "|"
BATCH_ROWS = 1000


class ImportAborted(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass
class Summary:
    read: int = 0
    created: int = 0
    existing: int = 0
    invalid: list[tuple[int, str]] = field(default_factory=list)
    seconds: float = 0.0
    # Why the new clients' documents were not all rendered, if they were not.
    documents_pending: str | None = None

    def line(self) -> str:
        rate = self.read / self.seconds if self.seconds else 0.0
        out = (
            f"{self.read:,} rows read, {self.created:,} clients created, "
            f"{self.existing:,} already there, {len(self.invalid):,} invalid; "
            f"{self.seconds:.1f} s ({rate:,.0f} rows/s)"
        )
        if self.documents_pending:
            out += (
                f"\nThe clients are in, but rendering their documents stopped "
                f"({self.documents_pending}); they read right meanwhile, and what is left "
                "of them is rendered by a running `rolodex serve`, or by `rolodex documents "
                "render` or `rolodex db upgrade`."
            )
        return out


class CountingReader(io.RawIOBase):
    """A binary stream that counts the bytes read through it, for the progress bar."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n


def _reason(exc: DomainError) -> str:
    if isinstance(exc, ValidationFailed):
        return "; ".join(f"{f}: {m}" if f else m for f, m in exc.errors)
    return exc.message


def _csv_record(row: dict[str, str]) -> dict[str, Any]:
    def value(key: str) -> str | None:
        v = row.get(key)
        return v if v not in (None, "") else None

    record: dict[str, Any] = {}
    for key in PLAIN_COLUMNS:
        v = value(key)
        if v is not None:
            record[key] = v
    if record.get("name") is None:
        record["name"] = row.get("name") or None
    tags = value("tags")
    if tags:
        record["tags"] = [t for t in tags.split(TAG_SEPARATOR) if t.strip()]
    inactive = value("inactive")
    if inactive is not None:
        lowered = inactive.strip().lower()
        if lowered not in ("true", "false", "1", "0", "yes", "no"):
            raise ValidationFailed.one("inactive", "must be true or false")
        record["inactive"] = lowered in ("true", "1", "yes")
    address = {
        k[8:]: value(k) for k in CSV_COLUMNS if k.startswith("address_") and value(k) is not None
    }
    if address:
        record["addresses"] = [{**address, "is_primary": True}]
    if value("phone"):
        record["phone_numbers"] = [
            {"number": value("phone"), "label": value("phone_label"), "is_primary": True}
        ]
    if value("email"):
        record["email_addresses"] = [
            {"address": value("email"), "label": value("email_label"), "is_primary": True}
        ]
    return record


def _json_record(raw: bytes) -> dict[str, Any]:
    try:
        record = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ValidationFailed.one("", f"not valid JSON ({exc})") from None
    if not isinstance(record, dict):
        raise ValidationFailed.one("", "not a JSON object")
    return record


def read_records(stream: IO[bytes], fmt: str) -> Iterator[tuple[int, Any]]:
    """(line number, item) for every record in the stream; the item is a JSON line's bytes, a
    CSV row's record, or the DomainError that makes the row bad."""
    if fmt == "jsonl":
        for number, raw in enumerate(stream, start=1):
            if raw.strip():
                yield number, raw  # parsed where it is checked: see `_check`
        return
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.DictReader(text)
    missing = {"name"} - set(reader.fieldnames or ())
    if missing:
        yield 1, ValidationFailed.one("name", "the header has no name column")
        return
    unknown = [c for c in reader.fieldnames or () if c not in CSV_COLUMNS]
    if unknown:
        yield 1, ValidationFailed.one(unknown[0], "is not a known column")
        return
    for row in reader:
        try:
            yield reader.line_num, _csv_record(row)
        except ValidationFailed as exc:
            yield reader.line_num, exc


def _progress(console: Console, label: str, total: float | None) -> Progress:
    return Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rows]:>12,} rows"),
        TextColumn("{task.fields[rate]:>9,.0f} rows/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
        transient=False,
        disable=not console.is_terminal,
    )


def _check(chunk: list[tuple[int, Any]]) -> list[tuple[int, ImportRow | str]]:
    """Parse and check a chunk of records: each becomes its rows, or the reason it is bad.
    Runs in a worker process on a large import, so it takes and gives plain picklable values."""
    out: list[tuple[int, ImportRow | str]] = []
    for line, item in chunk:
        try:
            if isinstance(item, str):
                out.append((line, item))
                continue
            record = _json_record(item) if isinstance(item, bytes) else item
            out.append((line, prepare(record, line)))
        except DomainError as exc:
            out.append((line, _reason(exc)))
    return out


def _chunks(records: Iterator[tuple[int, Any]]) -> Iterator[list[tuple[int, Any]]]:
    chunk: list[tuple[int, Any]] = []
    for line, item in records:
        chunk.append((line, _reason(item) if isinstance(item, DomainError) else item))
        if len(chunk) >= BATCH_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def count_lines(path: Path, size: int | None) -> int:
    """How many rows a file holds, at most (its lines), for an import to plan with; 0 for a
    pipe or a file too small to plan for. Counting costs about 0.3 s a million rows, and
    leaves the file in the page cache for the import's own read."""
    if size is None or size < COUNT_MIN_BYTES:
        return 0
    lines = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            lines += chunk.count(b"\n")
    return lines


# Below this size an import does not count its rows: too few to plan differently for.
COUNT_MIN_BYTES = 1 << 20


# Below this size a file is checked in this process: starting a worker costs about a second.
PARALLEL_MIN_BYTES = 8 << 20


def default_workers(size: int | None) -> int:
    """Worker processes for checking records: one when the file is large enough to repay it
    and there is a second core (the writer, this process, is the slower half; a second worker
    would only compete with it for two cores)."""
    if size is None or size < PARALLEL_MIN_BYTES or (os.cpu_count() or 1) < 2:
        return 0
    return 1


def _checked(
    records: Iterator[tuple[int, Any]], workers: int
) -> Generator[tuple[int, ImportRow | str], None, None]:
    """The outcome of every record, in file order: checked here, or by `workers` processes
    while this one writes. At most a few chunks are in flight, so memory stays flat."""
    if workers <= 0:
        for chunk in _chunks(records):
            yield from _check(chunk)
        return
    context = multiprocessing.get_context("spawn")  # no copy of this process's connections
    with context.Pool(workers) as pool:
        pending: deque[Any] = deque()
        for chunk in _chunks(records):
            pending.append(pool.apply_async(_check, (chunk,)))
            if len(pending) > 2 * workers:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def import_file(
    engine: Engine,
    slug: str,
    source: str,
    fmt: str | None,
    *,
    skip_invalid: bool,
    console: Console,
    report: Callable[[int, str], None],
    workers: int | None = None,
    progress_to: Callable[[Summary, int, int | None], None] | None = None,
    actor: Actor | None = None,
) -> Summary:
    """Import a file of clients into the account `slug`, in one transaction. `report` hears
    of every bad row (its line, why); `progress_to`, if given, of the progress after each
    batch (the summary so far, bytes read, the file's size), as the progress bar does;
    `actor` names who imports, for the events (by default the file)."""
    fmt = fmt or ("csv" if source.lower().endswith(".csv") else "jsonl")
    if fmt not in ("csv", "jsonl"):
        raise ValueError("the format is csv or jsonl")
    raw: IO[bytes] = sys.stdin.buffer if source == "-" else Path(source).open("rb")  # noqa: SIM115
    total = None if source == "-" else Path(source).stat().st_size
    if workers is None:
        workers = default_workers(total)
    counted = CountingReader(raw)
    stream = io.BufferedReader(counted, buffer_size=1 << 16)
    summary = Summary()
    started = time.monotonic()
    lines = 0 if source == "-" else count_lines(Path(source), total)
    factory = make_session_factory(engine)
    # Its events (a `client.imported` a batch, domain/changes) name the import as their door.
    said = changes.ACTOR.set(actor or Actor("import", credential=f"file:{Path(source).name}"[:64]))
    try:
        with _progress(console, "Importing", total) as progress:
            task = progress.add_task("import", total=total, rows=0, rate=0.0)
            with transaction(factory, write=True) as session:
                account = accounts.find_account_by_slug(session, slug)
                if account is None:
                    raise NotFound("account", slug)
                importer = Importer(session, account.id, expected_rows=lines)
                batch: list[ImportRow] = []

                def flush() -> None:
                    result: BatchResult = importer.write(batch)
                    summary.created += result.created
                    summary.existing += result.existing
                    batch.clear()
                    elapsed = time.monotonic() - started
                    progress.update(
                        task,
                        completed=counted.count,
                        rows=summary.read,
                        rate=summary.read / elapsed if elapsed else 0.0,
                    )
                    summary.seconds = elapsed
                    if progress_to is not None:
                        progress_to(summary, counted.count, total)

                outcomes = _checked(read_records(stream, fmt), workers)
                try:
                    for line, outcome in outcomes:
                        summary.read += 1
                        if isinstance(outcome, str):
                            summary.invalid.append((line, outcome))
                            report(line, outcome)
                            if not skip_invalid:
                                raise ImportAborted(line, outcome)
                            continue
                        batch.append(outcome)
                        if len(batch) >= BATCH_ROWS:
                            flush()
                    if batch:
                        flush()
                    importer.finish()
                finally:
                    outcomes.close()  # stops the workers on an early exit
                    importer.release()
            progress.update(task, completed=counted.count)
    finally:
        changes.ACTOR.reset(said)  # the caller's own writes are not the import's
        if raw is not sys.stdin.buffer:
            raw.close()
    # The rows are in; the documents are rendered by as many processes as there are cores
    # (this one only waits), or here when the import takes no workers. The import has
    # succeeded whatever happens to that: reads render from the tables meanwhile.
    try:
        render_documents(
            engine, importer.created_ids, (os.cpu_count() or 1) if workers else 0, console
        )
    except Exception as exc:  # said in the summary; the next upgrade finishes it
        summary.documents_pending = f"{type(exc).__name__}: {exc}"
    summary.seconds = time.monotonic() - started
    return summary


def render_documents(engine: Engine, ids: list[int], workers: int, console: Console) -> None:
    """The documents an import left in the backlog (`ids`: the clients it created), once its
    rows are in: range by range, by `workers` processes side by side (their reads share
    nothing; their writes are short), or here. Each range leaves the backlog in the
    transaction that stores its documents, so an import stopped meanwhile (Ctrl-C) loses
    nothing: a server's renderer, or the next upgrade, finishes it. Until a client's are
    stored, reads render it from the tables."""
    if not ids:
        return
    with rendering_progress(console, len(ids)) as advance:
        ranges = documents.backlog(engine)
        if workers <= 0 or len(ranges) <= 1:
            documents.drain(engine, advance)
            return
        url = engine.url.render_as_string(hide_password=False)
        context = multiprocessing.get_context("spawn")  # no copy of this process's connections
        with context.Pool(workers, initializer=_document_worker, initargs=(url,)) as pool:
            for count in pool.imap_unordered(_drain_range, ranges):
                advance(count)
        documents.drain(engine, advance)  # what came in meanwhile (a server's batches, say)


_worker_engine: Engine | None = None


def _document_worker(url: str) -> None:
    global _worker_engine
    _worker_engine = create_db_engine(url)


def _drain_range(range_id: int) -> int:
    assert _worker_engine is not None
    return documents.drain_one(_worker_engine, range_id) or 0


def _csv_row(record: dict[str, Any]) -> dict[str, Any]:
    def first(items: list[dict[str, Any]]) -> dict[str, Any]:
        return next((i for i in items if i.get("is_primary")), items[0] if items else {})

    address = first(record["addresses"])
    phone = first(record["phone_numbers"])
    email = first(record["email_addresses"])
    row = {key: record.get(key) for key in PLAIN_COLUMNS}
    row["tags"] = TAG_SEPARATOR.join(record["tags"])
    row["inactive"] = "true" if record["inactive"] else "false"
    for key in ("label", "line1", "line2", "city", "region", "postal_code", "country"):
        row[f"address_{key}"] = address.get(key)
    row["phone_label"], row["phone"] = phone.get("label"), phone.get("number")
    row["email_label"], row["email"] = email.get("label"), email.get("address")
    return {k: ("" if v is None else v) for k, v in row.items()}


def export_pages_encoded(reader: Reader, account_id: int, fmt: str) -> Iterator[tuple[bytes, int]]:
    """The account's clients as a CSV (header first) or JSON Lines file, a page at a time:
    (the page's bytes, how many clients it holds)."""
    if fmt not in ("csv", "jsonl"):
        raise ValueError("the format is csv or jsonl")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS) if fmt == "csv" else None
    if writer:
        writer.writeheader()
        yield buffer.getvalue().encode(), 0
    for page in export_pages(reader, account_id):
        buffer.seek(0)
        buffer.truncate()
        for rec in page:
            shaped = native_record(rec, "client")
            if writer:
                writer.writerow(_csv_row(shaped))
            else:
                buffer.write(orjson.dumps(shaped).decode())
                buffer.write("\n")
        yield buffer.getvalue().encode(), len(page)


def export_file(engine: Engine, slug: str, fmt: str, out: IO[bytes], *, console: Console) -> int:
    if fmt not in ("csv", "jsonl"):
        raise ValueError("the format is csv or jsonl")
    written = 0
    started = time.monotonic()
    with read_transaction(engine) as reader:
        account_rows = reader.rows(accounts.ACCOUNT_BY_SLUG, slug=slug)
        if not account_rows:
            raise NotFound("account", slug)
        account_id = int(account_rows[0][0])
        total = count_clients(reader, account_id)
        with _progress(console, "Exporting", total) as progress:
            task = progress.add_task("export", total=total, rows=0, rate=0.0)
            for chunk, count in export_pages_encoded(reader, account_id, fmt):
                out.write(chunk)
                written += count
                elapsed = time.monotonic() - started
                progress.update(
                    task,
                    completed=written,
                    rows=written,
                    rate=written / elapsed if elapsed else 0.0,
                )
        out.flush()
    return written


@contextmanager
def rebuild_progress(
    console: Console, engine: Engine, account_id: int | None
) -> Iterator[Callable[[int], None]]:
    """A progress bar for `rolodex documents rebuild`: yields what advances it by n clients."""
    with read_transaction(engine) as reader:
        total = reader.rows(
            _CLIENT_COUNT if account_id is None else _ACCOUNT_CLIENT_COUNT,
            **({} if account_id is None else {"account_id": account_id}),
        )[0][0]
    with rendering_progress(console, total) as advance:
        yield advance


@contextmanager
def rendering_progress(console: Console, total: int | None) -> Iterator[Callable[[int], None]]:
    """A "Rendering" progress bar over `total` clients: yields what advances it by n."""
    started, done = time.monotonic(), 0
    with _progress(console, "Rendering", total) as progress:
        task = progress.add_task("documents", total=total, rows=0, rate=0.0)

        def advance(n: int) -> None:
            nonlocal done
            done += n
            rate = done / max(time.monotonic() - started, 1e-9)
            progress.update(task, completed=done, rows=done, rate=rate)

        yield advance


_CLIENT_COUNT = Prepared(select(func.count()).select_from(Client))
_ACCOUNT_CLIENT_COUNT = Prepared(
    select(func.count()).select_from(Client).where(Client.account_id == bindparam("account_id"))
)
