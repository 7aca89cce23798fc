"""`q` substring search latency on a large book, in process (no HTTP), on one database.

    .venv/bin/python -m bench.search_bench --database-url sqlite:///big.db --account bench

Runs each probe 30 times through the same read path the API uses and prints p50/p99.
"""

from __future__ import annotations

import argparse
import statistics
import time

from sqlalchemy import text

from rolodex.config import Settings
from rolodex.domain import queries
from rolodex.domain.clients import ClientFilters
from rolodex.runtime import Runtime

PROBES = (
    "krabappel",
    "flanders",
    "melissa.carter",
    "555-0123",
    "example.org",
    "gumble.9999",
    "no-such-client",
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--account", default="bench")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    runtime = Runtime(Settings(database_url=args.database_url))
    account_id = runtime.run_sync(
        lambda s: s.execute(
            text("select id from accounts where slug = :s"), {"s": args.account}
        ).scalar_one(),
        write=False,
    )
    count = runtime.run_sync(
        lambda s: s.execute(
            text("select count(*) from clients where account_id = :a"), {"a": account_id}
        ).scalar_one(),
        write=False,
    )
    print(f"{count:,} clients; {args.runs} runs a probe; first page of 25")
    print("| q | matches on page | p50 ms | p99 ms |")
    print("| --- | ---: | ---: | ---: |")
    for probe in PROBES:
        timings = []
        found = 0
        for _ in range(args.runs):
            started = time.perf_counter()
            page = runtime.read_sync(
                lambda r, q=probe: queries.client_page(r, account_id, ClientFilters(q=q))
            )
            timings.append((time.perf_counter() - started) * 1000)
            found = len(page.items)
        timings.sort()
        p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
        print(f"| {probe} | {found} | {statistics.median(timings):.1f} | {p99:.1f} |")
    runtime.dispose()


if __name__ == "__main__":
    main()
