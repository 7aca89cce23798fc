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
import base64
import hashlib
import hmac
import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import side_by_side

ROOT = Path(__file__).resolve().parent.parent
DOORS = ("tevo", "halo", "native")
PATHS = {"tevo": "/tevo/v9/clients", "halo": "/halo/api/Client", "native": "/v1/clients/batch"}


def measure(db: str, url: str, rounds: int, batches: int) -> dict[str, list[float]]:
    """Seconds per batch of 100, per round, per door, in this process's source tree."""
    from bench.doors_bench import BATCH_BODY, HALO_BATCH_BODY
    from rolodex.app import create_app
    from rolodex.config import Settings
    from rolodex.db.engine import transaction
    from rolodex.db.migrate import upgrade
    from rolodex.domain import accounts
    from rolodex.runtime import Runtime

    runtime = Runtime(Settings(database_url=url))
    upgrade(runtime.engine)
    with transaction(runtime.sessions, write=True) as session:
        creds = accounts.create_account(session, "Batch", "batch").as_json()
    app = create_app(runtime=runtime)
    secret = creds["tevo"]["secret"]
    signed = f"POST 127.0.0.1{PATHS['tevo']}?".encode() + BATCH_BODY
    signature = base64.b64encode(hmac.new(secret.encode(), signed, hashlib.sha256).digest())
    json_type = {"content-type": "application/json"}
    requests: dict[str, tuple[dict[str, Any], bytes]] = {
        "native": (
            side_by_side.scope(
                "POST",
                PATHS["native"],
                {**json_type, "authorization": f"Bearer {creds['native']['api_key']}"},
            ),
            BATCH_BODY,
        ),
        "tevo": (
            side_by_side.scope(
                "POST",
                PATHS["tevo"],
                {**json_type, "x-token": creds["tevo"]["token"], "x-signature": signature.decode()},
            ),
            BATCH_BODY,
        ),
    }
    halo = creds["halo"]

    async def run() -> dict[str, list[float]]:
        form = (
            f"grant_type=client_credentials&client_id={halo['client_id']}"
            f"&client_secret={halo['client_secret']}&scope=all"
        ).encode()
        status, body = await side_by_side.call(
            app,
            side_by_side.scope(
                "POST",
                "/halo/auth/token",
                {"content-type": "application/x-www-form-urlencoded"},
            ),
            form,
        )
        assert status == 200, body
        token = json.loads(body)["access_token"]
        requests["halo"] = (
            side_by_side.scope(
                "POST", PATHS["halo"], {**json_type, "authorization": f"Bearer {token}"}
            ),
            HALO_BATCH_BODY,
        )
        ordered = {door: requests[door] for door in DOORS}
        return await side_by_side.rounds_of(
            app, ordered, dict.fromkeys(DOORS, 201), rounds, batches
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
    lines = [
        f"### issue 14's batch target: a batch of 100 through TEvo, Halo and native, "
        f"in process ({args.db})",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()}, {os.cpu_count()} cores; "
        f"in process (ASGI app called directly, no HTTP), each side in its own process on a fresh "
        f"database, {args.rounds} rounds of {args.batches} batches per door, median round, better "
        "of two runs per side. Bodies: bench.doors_bench's BATCH_BODY (native, TEvo: a client "
        "with an email and a phone) and HALO_BATCH_BODY (an Area with its first site and phone).",
        f"Before: {label}; after: {head}. "
        f"Command: `{' '.join(['.venv/bin/python -m bench.batch_cost', *sys.argv[1:]])}`",
        "",
        "| batch of 100 | before: per batch | before: clients/s | after: per batch "
        "| after: clients/s | after / before |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    side_by_side.report(
        lines,
        DOORS,
        best,
        lambda door, old, new: (
            f"| {door} | {old * 1e3:.1f} ms | {100 / old:,.0f} | {new * 1e3:.1f} ms "
            f"| {100 / new:,.0f} | {old / new:.1f}x |"
        ),
        args,
    )


if __name__ == "__main__":
    main()
