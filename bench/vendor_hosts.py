"""What vendor hosts (rolodex.doors.hosts) cost: a hot GET of one client through the lane, at each
door's prefixed path from an ordinary host, before the change and after it, and after it at the
vendor's own path from the vendor's host; and the host check alone, timed by itself.

    .venv/bin/python -m bench.vendor_hosts [--db sqlite|postgres] [--before REV] [--rounds 15]
                                           [--gets 300] [--no-write]

As bench.single_cost: `--before` names a git revision (default: the merge base with main), whose
`src` is taken with `git archive`; each side runs in its own process on its own fresh database,
sending the same requests straight to the ASGI app (no HTTP), `--rounds` rounds of `--gets` GETs
of each kind, one of each kind in turn (a new random order each turn), the quickest round kept
(the machine's other work falls on the rest); the processes run twice each, alternating, and
the better of each side's two is reported. The side before the change has no vendor hosts, so
it times only the prefixed paths. Figures go to bench/RESULTS.md.
"""

from __future__ import annotations

import asyncio
import base64
import gc
import hashlib
import hmac
import importlib.util
import os
import platform
import random
import sys
import time
import timeit
from datetime import UTC, datetime
from typing import Any

import orjson

from bench import side_by_side

# (kind of request, the door's GET of one client): at its prefix from 127.0.0.1:8000, and at
# the vendor's path from the vendor's host.
KINDS = (
    "native",
    "trackops",
    "trackops host",
    "tevo",
    "tevo host",
    "halo",
    "halo host",
    "kickserv",
    "kickserv host",
)
ORDINARY_HOST = "127.0.0.1:8000"
DOORS = ("native", "trackops", "tevo", "halo", "kickserv")


def _scope(method: str, host: str, path: str, headers: dict[str, str]) -> dict[str, Any]:
    scope = side_by_side.scope(method, path, headers)
    scope["headers"][0] = (b"host", host.encode())
    return scope


def measure(db: str, url: str, rounds: int, gets: int) -> dict[str, list[float]]:
    """Seconds per GET, per round, per kind of request, in this process's source tree; and,
    where the tree has vendor hosts, the host check alone (`check: ...`, one round)."""
    from rolodex.app import create_app
    from rolodex.config import Settings
    from rolodex.db.engine import transaction
    from rolodex.db.migrate import upgrade
    from rolodex.domain import accounts
    from rolodex.runtime import Runtime

    hosts_here = importlib.util.find_spec("rolodex.doors.hosts") is not None
    runtime = Runtime(Settings(database_url=url))
    upgrade(runtime.engine)
    with transaction(runtime.sessions, write=True) as session:
        creds = accounts.create_account(session, "Hosts", "hosts").as_json()
    app = create_app(runtime=runtime)
    # The same app without vendor hosts: the prefixed GETs without the host check, interleaved
    # with the same GETs with it, in this process (runs a machine's load spoils less than the
    # comparison with the tree before the change, made in other processes at other moments).
    plain = create_app(Settings(database_url=url, vendor_hosts=()), runtime) if hosts_here else app

    # As `rolodex serve` sets the collector (rolodex.app.app_from_env): what was built to start
    # out of its sight, the youngest generation collected less often.
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)

    async def pick(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await (plain if scope.get("bench.no_hosts") else app)(scope, receive, send)

    def basic(user: str, password: str) -> str:
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def tevo(host: str, path: str) -> dict[str, str]:
        message = f"GET {host}{path}?".encode()
        digest = hmac.new(creds["tevo"]["secret"].encode(), message, hashlib.sha256).digest()
        return {"x-token": creds["tevo"]["token"], "x-signature": base64.b64encode(digest).decode()}

    async def setup() -> tuple[int, int, str]:
        body = orjson.dumps({"name": "Ada Lovelace", "email_addresses": [{"address": "a@x.io"}]})
        native = {"authorization": f"Bearer {creds['native']['api_key']}"}
        json_type = {"content-type": "application/json"}
        status, answer = await side_by_side.call(
            app, _scope("POST", ORDINARY_HOST, "/v1/clients", {**native, **json_type}), body
        )
        assert status == 201, answer
        client = orjson.loads(answer)
        halo = creds["halo"]
        form = (
            f"grant_type=client_credentials&client_id={halo['client_id']}"
            f"&client_secret={halo['client_secret']}&scope=all"
        ).encode()
        form_type = {"content-type": "application/x-www-form-urlencoded"}
        status, answer = await side_by_side.call(
            app, _scope("POST", ORDINARY_HOST, "/halo/auth/token", form_type), form
        )
        assert status == 200, answer
        return int(client["id"]), int(client["number"]), str(orjson.loads(answer)["access_token"])

    async def run() -> dict[str, list[float]]:
        client_id, number, token = await setup()
        trackops = {
            "authorization": basic(
                f"{creds['trackops']['username']}/token", creds["trackops"]["token"]
            )
        }
        bearer = {"authorization": f"Bearer {token}"}
        kick = {"authorization": basic(creds["kickserv"]["token"], creds["kickserv"]["token"])}
        t_path, v_path = f"/tevo/v9/clients/{client_id}", f"/v9/clients/{client_id}"
        tevo_host = "api.ticketevolution.com"
        requests = {
            "native": (
                f"/v1/clients/{client_id}",
                ORDINARY_HOST,
                {"authorization": f"Bearer {creds['native']['api_key']}"},
            ),
            "trackops": (f"/trackops/api/v1/clients/{client_id}", ORDINARY_HOST, trackops),
            "trackops host": (f"/api/v1/clients/{client_id}", "acme.viewcases.com", trackops),
            "tevo": (t_path, ORDINARY_HOST, tevo(ORDINARY_HOST, t_path)),
            "tevo host": (v_path, tevo_host, tevo(tevo_host, v_path)),
            "halo": (f"/halo/api/Client/{client_id}", ORDINARY_HOST, bearer),
            "halo host": (f"/api/Client/{client_id}", "hosts.halopsa.com", bearer),
            "kickserv": (f"/kickserv/hosts/customers/{number}.json", ORDINARY_HOST, kick),
            "kickserv host": (f"/hosts/customers/{number}.json", "app.kickserv.com", kick),
        }
        made = {
            k: (_scope("GET", requests[k][1], requests[k][0], requests[k][2]), b"")
            for k in KINDS
            if hosts_here or not k.endswith(" host")
        }
        # The five prefixed GETs, what both trees serve alike: before against after.
        found = await interleaved(pick, {d: made[d] for d in DOORS}, rounds, gets, warm=50)
        if hosts_here:
            # Each prefixed GET with the check and without it, and the vendor host's GET,
            # interleaved: compared with each other only (more kinds in turn cost each a bit).
            three: dict[str, tuple[dict[str, Any], bytes]] = {}
            for door in DOORS:
                three[f"{door} checked"] = made[door]
                three[f"{door} unchecked"] = (dict(made[door][0], **{"bench.no_hosts": True}), b"")
                if f"{door} host" in made:
                    three[f"{door} host"] = made[f"{door} host"]
            found.update(await interleaved(pick, three, rounds, gets, warm=50))
        return found

    try:
        found = asyncio.run(run())
    finally:
        runtime.dispose()
    if hosts_here:
        found.update(check_alone())
    return found


async def interleaved(
    app: Any, requests: dict[str, tuple[dict[str, Any], bytes]], rounds: int, gets: int, warm: int
) -> dict[str, list[float]]:
    """Seconds per GET, each round, by kind: a round sends `gets` GETs of every kind, one of
    each kind in turn (in a new random order each turn), each timed by itself, so that what else
    the machine does falls on every kind alike (bench.side_by_side.rounds_of sends one kind's
    GETs in a block)."""
    kinds = list(requests)
    shuffle = random.Random(16).shuffle
    for _ in range(warm):
        for kind in kinds:
            status, answer = await side_by_side.call(app, *requests[kind])
            assert status == 200, (kind, status, answer[:300])
    out: dict[str, list[float]] = {kind: [] for kind in kinds}
    clock = time.perf_counter
    for _ in range(rounds):
        spent = dict.fromkeys(kinds, 0.0)
        for _ in range(gets):
            shuffle(kinds)  # no kind always first after another door's (its code colder)
            for kind in kinds:
                scope, body = requests[kind]
                started = clock()
                status, _answer = await side_by_side.call(app, scope, body)
                spent[kind] += clock() - started
                assert status == 200, kind
        for kind in kinds:
            out[kind].append(spent[kind] / gets)
    # The quickest round: on a machine others share, the others' work is what makes the rest.
    return {kind: [min(times)] for kind, times in out.items()}


def check_alone() -> dict[str, list[float]]:
    """The host check by itself, seconds per request: on an ordinary request (nothing to do but
    find Host and look its value up), on a vendor host's (the rewrite too), and what finding the
    door would cost without remembering each Host value's answer."""
    from rolodex.app import VENDOR_MOUNTS
    from rolodex.config import DEFAULT_VENDOR_HOSTS
    from rolodex.doors.hosts import VendorHosts, host_name

    hosts = VendorHosts(DEFAULT_VENDOR_HOSTS, VENDOR_MOUNTS)
    headers = side_by_side.scope("GET", "/", {"authorization": "Bearer x", "accept": "*/*"})
    rest = headers["headers"][1:]
    plain = {"path": "/v1/clients/1", "raw_path": b"/v1/clients/1"}
    plain["headers"] = [(b"host", ORDINARY_HOST.encode()), *rest]
    halo = {"path": "/api/Client/1", "raw_path": b"/api/Client/1"}
    halo["headers"] = [(b"host", b"acme.halopsa.com"), *rest]

    def ordinary() -> None:  # the scope is left as it was: the same one serves every call
        hosts.route(plain)

    def vendor() -> None:  # the rewrite, and putting back the two keys it changed
        halo["path"], halo["raw_path"] = "/api/Client/1", b"/api/Client/1"
        hosts.route(halo)

    def uncached() -> None:
        hosts.prefix_for(host_name(ORDINARY_HOST.encode()))

    def best(fn: Any, n: int = 200_000) -> list[float]:
        return [min(timeit.repeat(fn, number=n, repeat=5)) / n]

    return {
        "check: ordinary host": best(ordinary),
        "check: vendor host, with the rewrite": best(vendor),
        "check: ordinary host, without remembering its answer": best(uncached),
    }


def main() -> None:
    parser = side_by_side.parser("gets", 300)
    parser.set_defaults(rounds=15)  # many short rounds: the quickest is kept
    args = parser.parse_args()
    best, label, head = side_by_side.compare("bench.vendor_hosts", args, args.gets, "rolodex_hosts")
    before, after = best["before"], best["after"]
    lines = [
        "### vendor hosts: a hot GET of one client at each door's prefix and at its vendor's "
        f"host, in process ({args.db})",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()}, {os.cpu_count()} cores; "
        "in process (ASGI app called directly, no HTTP), each side in its own process on a fresh "
        f"database, {args.rounds} rounds of {args.gets} GETs per kind (one of each kind in "
        "turn, in a new random order each turn), the quickest round, better of two runs per "
        "side. Each GET goes through the hot lane (a stored document); the prefixed "
        f"paths come from Host {ORDINARY_HOST}, the vendor's paths from its host "
        "(acme.viewcases.com, api.ticketevolution.com, hosts.halopsa.com, app.kickserv.com). "
        'The last five columns come from a second run in the "after" process, interleaving '
        "each prefixed GET with the host check, the same GET through the same app built with no "
        'vendor hosts ("without"), and the vendor host\'s GET (more kinds in turn: compare them '
        "with each other, not with the first three).",
        f"Before: {label}; after: {head}. "
        f"Command: `{' '.join(['.venv/bin/python -m bench.vendor_hosts', *sys.argv[1:]])}`",
        "",
        "| door | before: prefixed path | after: prefixed path | after / before "
        "| with the check | without | with / without | vendor host and path "
        "| vendor host / prefixed |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def us(seconds: float | None) -> str:
        return f"{seconds * 1e6:.1f} µs" if seconds else "-"

    def ratio(a: float | None, b: float | None) -> str:
        return f"{a / b:.3f}" if a and b else "-"

    for door in DOORS:
        old, new = before[door], after[door]
        checked, unchecked = after.get(f"{door} checked"), after.get(f"{door} unchecked")
        host = after.get(f"{door} host")
        lines.append(
            f"| {door} | {us(old)} | {us(new)} | {ratio(new, old)} | {us(checked)} "
            f"| {us(unchecked)} | {ratio(checked, unchecked)} | {us(host)} "
            f"| {ratio(host, checked)} |"
        )
    lines += [
        "",
        "The host check alone (`timeit`, best of 5 runs of 200,000 calls):",
        "",
    ]
    lines += ["| request | per request |", "| --- | ---: |"]
    for kind in (k for k in after if k.startswith("check: ")):
        lines.append(f"| {kind.removeprefix('check: ')} | {after[kind] * 1e9:.0f} ns |")
    text = "\n".join([*lines, ""]) + "\n"
    print(text)
    if not args.no_write:
        side_by_side.RESULTS.write_text(side_by_side.RESULTS.read_text() + "\n" + text)


if __name__ == "__main__":
    main()
