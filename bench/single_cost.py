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
    runtime, app, creds = side_by_side.account_app(url, "Single", "single")
    json_type = side_by_side.JSON_TYPE
    basic = side_by_side.basic

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
    lines = side_by_side.per_request_table(
        f"### issue 14's single-write target: one create through Kickserv and Trackops "
        f"(native's beside them), in process ({args.db})",
        "Bodies: bench.single_cost's KICKSERV_BODY (a customer with service and billing "
        "addresses, a phone, an email and a vendor key), TRACKOPS_BODY (a client and its "
        "primary location), NATIVE_BODY (a client, an address, a phone, an email).",
        args,
        args.creates,
        label,
        head,
        "bench.single_cost",
        "create",
    )
    side_by_side.report(lines, DOORS, best, side_by_side.per_request_row(), args)


if __name__ == "__main__":
    main()
