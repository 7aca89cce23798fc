"""A single create through Kickserv and Trackops (native's beside them, for scale), in
process (no HTTP), before and after a change, side by side in one run (issue 14's single-write
target: creates through every door without the ORM's unit of work).

    .venv/bin/python -m bench.single_cost [--db sqlite|postgres] [--before REV] [--rounds 5]

As bench.batch_cost: `--before` names a git revision (default: the merge base with main),
whose `src` is taken with `git archive`; each side runs in its own process on its own fresh
database with PYTHONPATH at its own source, sending the same requests straight to the ASGI
app, the doors in turn, `--rounds` rounds of `--creates` creates each, the median round kept;
the processes run one after the other, twice each, alternating, and the better of each side's
two medians is reported. Figures go to bench/RESULTS.md.
"""

from __future__ import annotations

import asyncio
import base64
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from bench import side_by_side

ROOT = Path(__file__).resolve().parent.parent
DOORS = ("kickserv", "trackops", "native")
STATUS = {"kickserv": 200, "trackops": 201, "native": 201}
# A customer as a Kickserv program sends one: service and billing addresses, a phone, an email.
KICKSERV_BODY = orjson.dumps(
    {
        "customer": {
            "name": "Clarence Carter",
            "first_name": "Clarence",
            "last_name": "Carter",
            "service_address": "1 Main St",
            "service_city": "Lansing",
            "service_state": "MI",
            "service_zip_code": "48933",
            "billing_address": "PO Box 5",
            "billing_city": "Detroit",
            "phone_number": "517-555-0100",
            "email_address": "clarence@carter.example",
            "custom_text1": "Gate code 1234",
        }
    }
)
# Trackops' documented example: a client and its primary location.
TRACKOPS_BODY = orjson.dumps(
    {
        "client": {
            "name": "ACME Client",
            "website": "https://example.com",
            "notes": "VIP client",
            "primary_location": {
                "name": "Main Location",
                "address_1": "123 Main Street",
                "city": "Denver",
                "state": "CO",
                "zip": 80202,
                "country": "US",
                "phone_primary": "555-555-5555",
            },
        }
    }
)
# Native's create, as bench.create_cost sends it (a client, an address, a phone, an email).
NATIVE_BODY = orjson.dumps(
    {
        "name": "Ada Lovelace",
        "addresses": [{"line1": "1 Main St", "city": "Denver", "region": "CO", "country": "US"}],
        "phone_numbers": [{"number": "+1 303 555 0100"}],
        "email_addresses": [{"address": "ada@example.com"}],
    }
)


def measure(db: str, url: str, rounds: int, creates: int) -> dict[str, list[float]]:
    """Seconds per create, per round, per door, in this process's source tree."""
    from rolodex.app import create_app
    from rolodex.config import Settings
    from rolodex.db.engine import transaction
    from rolodex.db.migrate import upgrade
    from rolodex.domain import accounts
    from rolodex.runtime import Runtime

    runtime = Runtime(Settings(database_url=url))
    upgrade(runtime.engine)
    with transaction(runtime.sessions, write=True) as session:
        creds = accounts.create_account(session, "Single", "single").as_json()
    app = create_app(runtime=runtime)
    json_type = {"content-type": "application/json"}

    def basic(user: str, password: str) -> str:
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    token = creds["kickserv"]["token"]
    requests: dict[str, tuple[dict[str, Any], bytes]] = {
        "kickserv": (
            side_by_side.scope(
                "POST",
                "/kickserv/single/customers.json",
                {**json_type, "authorization": basic(token, token)},
            ),
            KICKSERV_BODY,
        ),
        "trackops": (
            side_by_side.scope(
                "POST",
                "/trackops/api/v1/clients",
                {
                    **json_type,
                    "authorization": basic(
                        f"{creds['trackops']['username']}/token", creds["trackops"]["token"]
                    ),
                },
            ),
            TRACKOPS_BODY,
        ),
        "native": (
            side_by_side.scope(
                "POST",
                "/v1/clients",
                {**json_type, "authorization": f"Bearer {creds['native']['api_key']}"},
            ),
            NATIVE_BODY,
        ),
    }

    async def run() -> dict[str, list[float]]:
        ordered = {door: requests[door] for door in DOORS}
        return await side_by_side.rounds_of(app, ordered, STATUS, rounds, creates, warm=20)

    try:
        return asyncio.run(run())
    finally:
        runtime.dispose()


def main() -> None:
    args = side_by_side.parser("creates", 200).parse_args()
    best, label, head = side_by_side.compare(
        "bench.single_cost", args, args.creates, "rolodex_single"
    )
    lines = [
        f"### issue 14's single-write target: one create through Kickserv and Trackops "
        f"(native's beside them), in process ({args.db})",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()}, {os.cpu_count()} cores; "
        "in process (ASGI app called directly, no HTTP), each side in its own process on a fresh "
        f"database, {args.rounds} rounds of {args.creates} creates per door, median round, "
        "better of two runs per side. Bodies: bench.single_cost's KICKSERV_BODY (a customer "
        "with service and billing addresses, a phone, an email and a vendor key), TRACKOPS_BODY "
        "(a client and its primary location), NATIVE_BODY (a client, an address, a phone, an "
        "email).",
        f"Before: {label}; after: {head}. "
        f"Command: `{' '.join(['.venv/bin/python -m bench.single_cost', *sys.argv[1:]])}`",
        "",
        "| one create | before: per create | before: creates/s | after: per create "
        "| after: creates/s | after / before |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    side_by_side.report(
        lines,
        DOORS,
        best,
        lambda door, old, new: (
            f"| {door} | {old * 1e3:.2f} ms | {1 / old:,.0f} | {new * 1e3:.2f} ms "
            f"| {1 / new:,.0f} | {old / new:.1f}x |"
        ),
        args,
    )


if __name__ == "__main__":
    main()
