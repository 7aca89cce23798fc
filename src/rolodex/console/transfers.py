"""Import and export in the console: an uploaded CSV or JSON Lines file is imported by
rolodex.transfer's `import_file` (the `rolodex import` command's machinery) on a thread of its
own, while the page polls its progress (rows, rate, bad rows with their line numbers); an
export is streamed as it is read.

An import's progress lives in this process (`JOBS`), kept for an hour after it ends: a
server run with several workers answers a poll from the worker that took the upload only if
the browser's requests reach it, so the console's imports are for a single-worker server or a
sticky balancer (a large import is for `rolodex import` anyway)."""

from __future__ import annotations

import io
import os
import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from starlette.datastructures import UploadFile
from starlette.responses import Response, StreamingResponse

from rolodex.db.prepared import read_transaction
from rolodex.domain.events import Actor
from rolodex.runtime import Runtime
from rolodex.transfer import Summary, export_pages_encoded, import_file

from .web import Ctx

UPLOAD_MAX_BYTES = 200 << 20
BAD_ROWS_SHOWN = 100
KEPT_SECONDS = 3600


@dataclass
class ImportJob:
    id: str
    account_id: int
    filename: str
    size: int
    started: float = field(default_factory=time.monotonic)
    rows: int = 0
    created: int = 0
    existing: int = 0
    bytes_read: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)
    bad_count: int = 0
    finished: float | None = None
    error: str | None = None

    @property
    def seconds(self) -> float:
        return (self.finished or time.monotonic()) - self.started

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    @property
    def percent(self) -> int:
        if self.finished is not None:
            return 100
        return min(99, int(100 * self.bytes_read / self.size)) if self.size else 0


JOBS: dict[str, ImportJob] = {}
_lock = threading.Lock()


def _forget_old() -> None:
    now = time.monotonic()
    with _lock:
        for key in [k for k, j in JOBS.items() if j.finished and now - j.finished > KEPT_SECONDS]:
            JOBS.pop(key, None)


def _run(runtime: Runtime, job: ImportJob, path: str, fmt: str, slug: str, actor: Actor) -> None:
    def report(line: int, reason: str) -> None:
        job.bad_count += 1
        if len(job.bad) < BAD_ROWS_SHOWN:
            job.bad.append((line, reason))

    def progress(summary: Summary, read: int, _total: int | None) -> None:
        job.rows, job.created, job.existing = summary.read, summary.created, summary.existing
        job.bytes_read = read

    try:
        summary = import_file(
            runtime.engine,
            slug,
            path,
            fmt,
            skip_invalid=True,
            console=Console(file=io.StringIO()),
            report=report,
            workers=0,
            progress_to=progress,
            actor=actor,
        )
        job.rows, job.created, job.existing = summary.read, summary.created, summary.existing
        job.bytes_read = job.size
    except Exception as exc:  # shown on the page; nothing was written (one transaction)
        job.error = f"{type(exc).__name__}: {exc}"
    finally:
        job.finished = time.monotonic()
        shutil.rmtree(os.path.dirname(path), ignore_errors=True)


async def transfer_page(ctx: Ctx) -> Response:
    _forget_old()
    mine = [j for j in JOBS.values() if j.account_id == ctx.account_id]
    mine.sort(key=lambda j: j.started, reverse=True)
    return ctx.render("transfer.html", jobs=mine[:10], error="")


async def start_import(ctx: Ctx) -> Response:
    upload = ctx.form.get("file") if ctx.form is not None else None
    if not isinstance(upload, UploadFile) or not upload.filename:
        return ctx.render("transfer.html", status=422, jobs=[], error="Choose a file to import.")
    name = upload.filename
    fmt = ctx.field("format") or ("csv" if name.lower().endswith(".csv") else "jsonl")
    if fmt not in ("csv", "jsonl"):
        return ctx.render(
            "transfer.html", status=422, jobs=[], error="The format is CSV or JSON Lines."
        )
    directory = tempfile.mkdtemp(prefix="rolodex-import-")
    path = os.path.join(directory, "upload." + fmt)
    size = 0
    with open(path, "wb") as out:
        while chunk := await upload.read(1 << 20):
            size += len(chunk)
            if size > UPLOAD_MAX_BYTES:
                out.close()
                shutil.rmtree(directory, ignore_errors=True)
                return ctx.render(
                    "transfer.html",
                    status=413,
                    jobs=[],
                    error=f"The file is over {UPLOAD_MAX_BYTES >> 20} MB: use `rolodex import`.",
                )
            out.write(chunk)
    job = ImportJob(secrets.token_urlsafe(12), ctx.account_id, name[:200], size)
    with _lock:
        JOBS[job.id] = job
    actor = Actor("console", ctx.session.credential, f"import:{job.id}")
    thread = threading.Thread(
        target=_run,
        args=(ctx.runtime, job, path, fmt, ctx.account["slug"], actor),
        name=f"console-import-{job.id}",
        daemon=True,
    )
    thread.start()
    return ctx.redirect(f"/transfer/imports/{job.id}")


def _job(ctx: Ctx) -> ImportJob | None:
    job = JOBS.get(ctx.request.path_params["job_id"])
    return job if job is not None and job.account_id == ctx.account_id else None


async def import_page(ctx: Ctx) -> Response:
    job = _job(ctx)
    if job is None:
        return ctx.render(
            "error.html",
            status=404,
            title="Not found",
            message="No such import (they are kept for an hour after they end).",
        )
    if ctx.htmx:
        return ctx.render("import_progress.html", job=job)
    return ctx.render("import.html", job=job)


async def export(ctx: Ctx) -> Response:
    fmt = ctx.request.query_params.get("format", "csv")
    if fmt not in ("csv", "jsonl"):
        fmt = "csv"
    account_id = ctx.account_id
    engine = ctx.runtime.engine

    def chunks() -> Any:
        with read_transaction(engine) as reader:
            for chunk, _count in export_pages_encoded(reader, account_id, fmt):
                yield chunk

    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson"
    filename = f"{ctx.account['slug']}-clients.{fmt}"
    return ctx.finish(
        StreamingResponse(
            chunks(),
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    )
