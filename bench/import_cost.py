"""What rendering documents costs an import: `rolodex import` of the same generated book, with
documents as shipped and with their rendering switched off (so every read would render from
the tables), side by side in one run. Figures go to bench/RESULTS.md.

    .venv/bin/python -m bench.import_cost [--clients 100000] [--db sqlite|postgres]

With --rows-only, only the rows (the import until they commit, documents switched off), and
with --before REF the same import by the code at git REF beside this tree's, in one run. Each
line gives the CPU time and peak RSS of the import process and of its worker (CPU time moves
less than seconds on a shared machine).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.doors_bench import RESULTS, ROOT
from bench.serve_bench import fresh_postgres

RUN = """
import resource, sys, time
if {off}:
    from rolodex import transfer
    transfer.render_documents = lambda *args: None
from rolodex.cli import main
sys.argv = ["rolodex", "import", {path!r}, "--account", "bench", "--database-url", {url!r}]
started = time.perf_counter()
try:
    main()
except SystemExit as exit:
    if exit.code:
        raise
print(f"seconds={{time.perf_counter() - started:.2f}}", file=sys.stderr)
me = resource.getrusage(resource.RUSAGE_SELF)
workers = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"rss={{me.ru_maxrss // 1024}},{{workers.ru_maxrss // 1024}}", file=sys.stderr)
cpu = me.ru_utime + me.ru_stime, workers.ru_utime + workers.ru_stime
print(f"cpu={{cpu[0]:.1f}},{{cpu[1]:.1f}}", file=sys.stderr)
"""


def fresh(db: str, base_url: str, name: str, work: Path) -> str:
    if db == "sqlite":
        return f"sqlite:///{work / name}.db"
    return fresh_postgres(base_url, name)


@dataclass
class Timed:
    seconds: float
    rss_mb: int  # peak RSS of the import process
    worker_rss_mb: int  # of its largest worker process
    cpu: float = 0.0  # CPU seconds of the import process (it writes: the slower half)
    worker_cpu: float = 0.0  # of its workers


def timed_import(url: str, path: Path, off: bool, source: Path | None = None) -> Timed:
    env = dict(os.environ)
    if source is not None:  # another version's code, ahead of this tree's on the path
        env["PYTHONPATH"] = str(source / "src")
    # The account is made by the same code as the import (its migrations build the database).
    subprocess.run(
        [
            sys.executable,
            "-m",
            "rolodex.cli",
            "accounts",
            "create",
            "Bench",
            "--slug",
            "bench",
            "--database-url",
            url,
        ],
        check=True,
        capture_output=True,
        cwd=ROOT,
        env=env,
    )
    code = RUN.format(off=off, path=str(path), url=url)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True, env=env
    )
    lines = done.stderr.splitlines()
    seconds = float([x for x in lines if x.startswith("seconds=")][-1].split("=", 1)[1])
    rss, worker = [x for x in lines if x.startswith("rss=")][-1].split("=", 1)[1].split(",")
    cpu, worker_cpu = [x for x in lines if x.startswith("cpu=")][-1].split("=", 1)[1].split(",")
    return Timed(seconds, int(rss), int(worker), float(cpu), float(worker_cpu))


def checkout(ref: str, work: Path) -> Path:
    """The code at git `ref`, unpacked under `work`."""
    target = work / "before"
    target.mkdir()
    archive = subprocess.run(
        ["git", "archive", ref, "src"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def rows_only(args: argparse.Namespace, book: Path, work: Path) -> None:
    """The rows of an import (documents off), this tree's beside `--before`'s, in one run."""
    runs: list[tuple[str, Timed]] = []
    if args.before:
        before = checkout(args.before, work)
        url = fresh(args.db, args.postgres_url, "rolodex_imp_before", work)
        runs.append((f"before ({args.before})", timed_import(url, book, True, before)))
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    url = fresh(args.db, args.postgres_url, "rolodex_imp_after", work)
    runs.append((f"this tree ({head})", timed_import(url, book, True)))
    lines = [
        f"### the rows of an import of {args.clients:,} clients ({args.db})",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()}, {os.cpu_count()} cores; "
        "`rolodex import` of one generated book (bench.generate) into a new database, "
        "documents not rendered (the import until its rows commit).",
        f"Command: `{' '.join(['.venv/bin/python -m bench.import_cost', *sys.argv[1:]])}`",
        "",
        "| code | seconds | clients/s | CPU s, import | CPU s, worker | peak RSS, import "
        "| peak RSS, worker |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {name} | {t.seconds:.1f} | {args.clients / t.seconds:,.0f} | {t.cpu:.1f} | "
            f"{t.worker_cpu:.1f} | {t.rss_mb} MB | {t.worker_rss_mb} MB |"
            for name, t in runs
        ),
        "",
    ]
    with RESULTS.open("a") as out:
        out.write("\n".join(lines) + "\n")
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=100_000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "ROLODEX_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument("--rows-only", action="store_true", help="documents off, rows only")
    parser.add_argument("--before", help="with --rows-only: also the code at this git ref")
    parser.add_argument("--book", help="a book bench.generate made for --clients already")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rolodex-import-cost-"))
    book = Path(args.book) if args.book else work / "book.jsonl"
    if not args.book:
        generate = ["-m", "bench.generate", "--clients", str(args.clients), "--out", str(book)]
        subprocess.run([sys.executable, *generate], check=True, cwd=ROOT)
    if args.rows_only:
        rows_only(args, book, work)
        return
    with_docs = timed_import(
        fresh(args.db, args.postgres_url, "rolodex_imp_on", work), book, False
    ).seconds
    without = timed_import(
        fresh(args.db, args.postgres_url, "rolodex_imp_off", work), book, True
    ).seconds
    lines = [
        f"### an import of {args.clients:,} clients, with and without documents ({args.db})",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()}, {os.cpu_count()} cores; "
        "`rolodex import` of one generated book (bench.generate) into a new database.",
        f"Command: `{' '.join(['.venv/bin/python -m bench.import_cost', *sys.argv[1:]])}`",
        "",
        "| import | seconds | clients/s |",
        "| --- | ---: | ---: |",
        f"| documents not rendered | {without:.1f} | {args.clients / without:,.0f} |",
        f"| documents rendered after the rows, by one process a core (6 kinds) | {with_docs:.1f} | "
        f"{args.clients / with_docs:,.0f} |",
        "",
        f"Rendering the documents takes {with_docs / without:.1f}x the import's time.",
        "",
    ]
    with RESULTS.open("a") as out:
        out.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
