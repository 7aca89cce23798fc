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
import base64
import hashlib
import hmac
import json
import os
import platform
import sys
from datetime import UTC, datetime
from typing import Any

import orjson

from bench import side_by_side
from bench.single_cost import NATIVE_BODY

# Trackops documents no update of a client.
DOORS = ("native", "tevo", "halo", "kickserv")
NAMES = ("Ada Lovelace", "Ada King")


def measure(db: str, url: str, rounds: int, updates: int) -> dict[str, list[float]]:
    """Seconds per update, per round, per door, in this process's source tree."""
    from rolodex.app import create_app
    from rolodex.config import Settings
    from rolodex.db.engine import transaction
    from rolodex.db.migrate import upgrade
    from rolodex.domain import accounts
    from rolodex.runtime import Runtime

    runtime = Runtime(Settings(database_url=url))
    upgrade(runtime.engine)
    with transaction(runtime.sessions, write=True) as session:
        creds = accounts.create_account(session, "Update", "update").as_json()
    app = create_app(runtime=runtime)
    json_type = {"content-type": "application/json"}
    native_auth = {**json_type, "authorization": f"Bearer {creds['native']['api_key']}"}

    def basic(user: str, password: str) -> str:
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def tevo(path: str, body: bytes) -> tuple[dict[str, Any], bytes]:
        signed = f"PUT 127.0.0.1{path}?".encode() + body
        secret = creds["tevo"]["secret"].encode()
        signature = base64.b64encode(hmac.new(secret, signed, hashlib.sha256).digest()).decode()
        headers = {**json_type, "x-token": creds["tevo"]["token"], "x-signature": signature}
        return side_by_side.scope("PUT", path, headers), body

    async def run() -> dict[str, list[float]]:
        made = {}
        for door in DOORS:
            status, body = await side_by_side.call(
                app, side_by_side.scope("POST", "/v1/clients", native_auth), NATIVE_BODY
            )
            assert status == 201, body
            made[door] = json.loads(body)
        form = (
            f"grant_type=client_credentials&client_id={creds['halo']['client_id']}"
            f"&client_secret={creds['halo']['client_secret']}&scope=all"
        ).encode()
        status, body = await side_by_side.call(
            app,
            side_by_side.scope(
                "POST", "/halo/auth/token", {"content-type": "application/x-www-form-urlencoded"}
            ),
            form,
        )
        assert status == 200, body
        halo_auth = {**json_type, "authorization": f"Bearer {json.loads(body)['access_token']}"}
        kickserv_token = creds["kickserv"]["token"]
        kickserv_auth = {**json_type, "authorization": basic(kickserv_token, kickserv_token)}
        requests: dict[str, list[tuple[dict[str, Any], bytes]]] = {}
        for door in DOORS:
            ident, number = made[door]["id"], made[door]["number"]
            variants = []
            for name in NAMES:
                if door == "native":
                    path = f"/v1/clients/{ident}"
                    variants.append(
                        (
                            side_by_side.scope("PATCH", path, native_auth),
                            orjson.dumps({"name": name}),
                        )
                    )
                elif door == "tevo":
                    variants.append(tevo(f"/tevo/v9/clients/{ident}", orjson.dumps({"name": name})))
                elif door == "halo":
                    variants.append(
                        (
                            side_by_side.scope("POST", "/halo/api/Client", halo_auth),
                            orjson.dumps([{"id": ident, "name": name}]),
                        )
                    )
                else:
                    path = f"/kickserv/update/customers/{number}.json"
                    variants.append(
                        (
                            side_by_side.scope("PUT", path, kickserv_auth),
                            orjson.dumps({"customer": {"name": name}}),
                        )
                    )
            requests[door] = variants
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
    lines = [
        f"### issue 14: one update of a client through every door, in process ({args.db})",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()}, {os.cpu_count()} cores; "
        "in process (ASGI app called directly, no HTTP), each side in its own process on a fresh "
        f"database, {args.rounds} rounds of {args.updates} updates per door, median round, "
        "better of two runs per side. Each renames a client (created through native with an "
        "address, a phone and an email), two names in turn: native PATCH, TEvo PUT, Halo POST "
        "[{id, name}], Kickserv PUT (Trackops documents no update).",
        f"Before: {label}; after: {head}. "
        f"Command: `{' '.join(['.venv/bin/python -m bench.update_cost', *sys.argv[1:]])}`",
        "",
        "| one update | before: per update | before: updates/s | after: per update "
        "| after: updates/s | after / before |",
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
