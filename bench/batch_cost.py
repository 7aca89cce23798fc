"""A batch of 100 clients through TEvo, Halo and native, in process (no HTTP), before and
after a change, side by side in one run (issue 14's batch target: at least 10,000 clients/s
on SQLite).

    .venv/bin/python -m bench.batch_cost [--db sqlite|postgres] [--before REV] [--rounds 5]

`--before` names a git revision (default: the merge base with main); its `src` is taken with
`git archive` into a temporary directory. Each side runs in its own process, on its own fresh
database, with PYTHONPATH at its own source: the same requests (bench.doors_bench's bodies)
sent straight to the ASGI app, the three doors in turn, `--rounds` rounds of `--batches`
batches each, the median round kept. The processes run one after the other, twice each,
alternating, and the better of each side's two medians is reported. Figures go to
bench/RESULTS.md.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from bench import side_by_side

ROOT = Path(__file__).resolve().parent.parent
DOORS = ("tevo", "halo", "native")
PATHS = {"tevo": "/tevo/v9/clients", "halo": "/halo/api/Client", "native": "/v1/clients/batch"}


def measure(db: str, url: str, rounds: int, batches: int) -> dict[str, list[float]]:
    """Seconds per batch of 100, per round, per door, in this process's source tree."""
    from bench.doors_bench import BATCH_BODY, HALO_BATCH_BODY

    runtime, app, creds = side_by_side.account_app(url, "Batch", "batch")
    native = {**side_by_side.JSON_TYPE, "authorization": f"Bearer {creds['native']['api_key']}"}
    tevo = side_by_side.tevo_headers(creds, "POST", PATHS["tevo"], BATCH_BODY)

    async def run() -> dict[str, list[float]]:
        halo = await side_by_side.halo_headers(app, creds)
        requests = {
            "tevo": (side_by_side.scope("POST", PATHS["tevo"], tevo), BATCH_BODY),
            "halo": (side_by_side.scope("POST", PATHS["halo"], halo), HALO_BATCH_BODY),
            "native": (side_by_side.scope("POST", PATHS["native"], native), BATCH_BODY),
        }
        return await side_by_side.rounds_of(
            app, requests, dict.fromkeys(DOORS, 201), rounds, batches
        )

    try:
        return asyncio.run(run())
    finally:
        runtime.dispose()


def main() -> None:
    args = side_by_side.parser("batches", 10).parse_args()
    best, label, head = side_by_side.compare(
        "bench.batch_cost", args, args.batches, "rolodex_batch"
    )
    lines = side_by_side.per_request_table(
        f"### issue 14's batch target: a batch of 100 through TEvo, Halo and native, "
        f"in process ({args.db})",
        "Bodies: bench.doors_bench's BATCH_BODY (native, TEvo: a client with an email and a "
        "phone) and HALO_BATCH_BODY (an Area with its first site and phone).",
        args,
        args.batches,
        label,
        head,
        "bench.batch_cost",
        "batch",
        "client",
        "batches",
    )
    side_by_side.report(lines, DOORS, best, side_by_side.per_request_row(100, 1), args)


if __name__ == "__main__":
    main()
