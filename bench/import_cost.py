"""What rendering documents costs an import: `rolodex import` of the same generated book, with
documents as shipped and with their rendering switched off (so every read would render from
the tables), side by side in one run. Figures go to bench/RESULTS.md.

    .venv/bin/python -m bench.import_cost [--clients 100000] [--db sqlite|postgres]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench.doors_bench import BIN, RESULTS, ROOT
from bench.serve_bench import fresh_postgres

RUN = """
import sys, time
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
"""


def fresh(db: str, base_url: str, name: str, work: Path) -> str:
    if db == "sqlite":
        return f"sqlite:///{work / name}.db"
    return fresh_postgres(base_url, name)


def timed_import(url: str, path: Path, off: bool) -> float:
    subprocess.run(
        [
            str(BIN / "rolodex"),
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
    )
    code = RUN.format(off=off, path=str(path), url=url)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    line = [x for x in done.stderr.splitlines() if x.startswith("seconds=")][-1]
    return float(line.split("=", 1)[1])


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
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rolodex-import-cost-"))
    book = work / "book.jsonl"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.generate",
            "--clients",
            str(args.clients),
            "--out",
            str(book),
        ],
        check=True,
        cwd=ROOT,
    )
    with_docs = timed_import(fresh(args.db, args.postgres_url, "rolodex_imp_on", work), book, False)
    without = timed_import(fresh(args.db, args.postgres_url, "rolodex_imp_off", work), book, True)
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
