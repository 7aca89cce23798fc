"""A single update of a client through every door, in process (no HTTP), before and after a
change, side by side in one run (issue 14: updates through prepared Core statements, not the
ORM's unit of work).

    .venv/bin/python -m bench.update_cost [--db sqlite|postgres] [--before REV] [--rounds 5]

As bench.single_cost: `--before` names a git revision (default: the merge base with main);
each side runs in its own process on its own fresh database with PYTHONPATH at its own source,
sending the same requests straight to the ASGI app. One client per door, created through
native with an address, a phone and an email, is renamed `--updates` times a round (two names
in turn, so every update changes the row and renders its documents), the doors in turn,
`--rounds` rounds, the median round kept; better of two runs per side. Figures go to
bench/RESULTS.md.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import orjson

from bench import side_by_side
from bench.single_cost import NATIVE_BODY

# Trackops documents no update of a client.
DOORS = ("native", "tevo", "halo", "kickserv")
NAMES = ("Ada Lovelace", "Ada King")


def measure(db: str, url: str, rounds: int, updates: int) -> dict[str, list[float]]:
    """Seconds per update, per round, per door, in this process's source tree."""
    runtime, app, creds = side_by_side.account_app(url, "Update", "update")
    native_auth = {
        **side_by_side.JSON_TYPE,
        "authorization": f"Bearer {creds['native']['api_key']}",
    }
    kickserv_token = creds["kickserv"]["token"]
    kickserv_auth = {
        **side_by_side.JSON_TYPE,
        "authorization": side_by_side.basic(kickserv_token, kickserv_token),
    }

    def update(door: str, ident: int, number: int, name: str) -> tuple[dict[str, Any], bytes]:
        if door == "native":
            body = orjson.dumps({"name": name})
            return side_by_side.scope("PATCH", f"/v1/clients/{ident}", native_auth), body
        if door == "tevo":
            path, body = f"/tevo/v9/clients/{ident}", orjson.dumps({"name": name})
            headers = side_by_side.tevo_headers(creds, "PUT", path, body)
            return side_by_side.scope("PUT", path, headers), body
        if door == "halo":
            body = orjson.dumps([{"id": ident, "name": name}])
            return side_by_side.scope("POST", "/halo/api/Client", halo_auth), body
        path = f"/kickserv/update/customers/{number}.json"
        body = orjson.dumps({"customer": {"name": name}})
        return side_by_side.scope("PUT", path, kickserv_auth), body

    halo_auth: dict[str, str] = {}

    async def run() -> dict[str, list[float]]:
        halo_auth.update(await side_by_side.halo_headers(app, creds))
        requests: dict[str, Any] = {}
        for door in DOORS:
            status, body = await side_by_side.call(
                app, side_by_side.scope("POST", "/v1/clients", native_auth), NATIVE_BODY
            )
            assert status == 201, body
            made = json.loads(body)
            requests[door] = [update(door, made["id"], made["number"], name) for name in NAMES]
        statuses = {}
        for door, variants in requests.items():
            status, body = await side_by_side.call(app, *variants[1])
            assert 200 <= status < 300, (door, status, body[:300])
            statuses[door] = status
        return await side_by_side.rounds_of(app, requests, statuses, rounds, updates, warm=20)

    try:
        return asyncio.run(run())
    finally:
        runtime.dispose()


def main() -> None:
    args = side_by_side.parser("updates", 200).parse_args()
    best, label, head = side_by_side.compare(
        "bench.update_cost", args, args.updates, "rolodex_update"
    )
    lines = side_by_side.per_request_table(
        f"### issue 14: one update of a client through every door, in process ({args.db})",
        "Each renames a client (created through native with an address, a phone and an "
        "email), two names in turn: native PATCH, TEvo PUT, Halo POST [{id, name}], Kickserv "
        "PUT (Trackops documents no update).",
        args,
        args.updates,
        label,
        head,
        "bench.update_cost",
        "update",
    )
    side_by_side.report(lines, DOORS, best, side_by_side.per_request_row(), args)


if __name__ == "__main__":
    main()
