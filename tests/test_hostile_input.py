"""Hostile input never gets a server error, through any door, on either database.

Any database error that reaches a client as a 500 is a defect. The sweep sends hostile values
(NUL, lone surrogates, 10,000-character strings, numbers out of range, deeply nested JSON) to
every path parameter, query parameter and body field of every route of every door, and to each
door's credentials, and requires that no answer is a 5xx and that nothing is logged as an
unhandled error. Routes come from the doors' own tables and fields from their wire tables
(tests/hostile_doors.py), so a new route or field is swept without this file changing.

A NUL is refused as invalid input at the edge, the same way on both databases: a 4xx in the
door's own error shape, naming the parameter or field, and nothing is written.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import pytest
from starlette.testclient import TestClient

from rolodex.runtime import Runtime
from tests.conftest import Api, new_account
from tests.halo.conftest import Halo
from tests.hostile import (
    NUL,
    NUL_KEY,
    NUL_STRING,
    PATH_VALUES,
    QUERY_VALUES,
    Answer,
    Path,
    Sweep,
    UnhandledErrors,
    encode,
    objects,
    put,
    query_pieces,
    show,
    swept_paths,
    unhandled_errors,
    values_for,
)
from tests.hostile_doors import BUILDERS, EXTRA, Door, path_params
from tests.kickserv.conftest import Kickserv
from tests.tevo.conftest import Tevo
from tests.trackops.conftest import LOCATION, Trackops

WRITES = frozenset({"POST", "PUT", "PATCH"})
DOORS = list(BUILDERS)


# --- the sweep ----------------------------------------------------------------------------------


class Run:
    """One door's sweep: reads, then the door's own requests, then writes. When a hostile
    write stores a value the door then cannot show, that is reported once and undone (or the
    door is rebuilt on a fresh account), so one spoiled record does not fail every request
    after it."""

    def __init__(self, build: Callable[[], Door], sweep: Sweep) -> None:
        self.build = build
        self.door = build()
        self.sweep = sweep
        self.fields = itertools.count()

    async def all_routes(self) -> None:
        """Reads first, then the door's own requests (credentials), then the writes, so a
        write that stores a value the door cannot show spoils no read after it."""
        writes: list[tuple[str, str, int]] = []
        for method, template in self.door.routes:
            try:
                self.door.path(template)
            except KeyError as missing:
                self.sweep.gap(method, template, f"no seeded id for the parameter after {missing}")
                continue
            bodies = self.door.bodies.get((method, template), ())
            if method in WRITES and not bodies:
                self.sweep.gap(method, template, "no valid body for it in tests/hostile_doors.py")
                continue
            if method == "GET":
                await self.get(template, b"", "(as it is)", "valid ids", check=True)
                await self.query(template)
            await self.path_params(method, template)
            writes += [(method, template, index) for index in range(len(bodies))]
        if self.door.extra is not None:
            await self.door.extra(self.sweep)
        for method, template, index in writes:
            await self.body(method, template, index)

    async def get(
        self, template: str, query: bytes, where: str, label: str, *, check: bool = False
    ) -> None:
        door = self.door
        path = door.path(template)
        await self.sweep.send(
            "GET",
            path,
            route=template,
            where=where,
            label=label,
            query=query,
            headers=door.headers("GET", path, query, b""),
            expect_ok=check and ("GET", template) not in door.never_ok,
        )

    async def query(self, template: str) -> None:
        params = self.door.params.get(template)
        if params:
            for param in params:
                for label, piece in query_pieces(quote(param.name, safe="")):
                    query = "&".join(part for part in (piece, param.along) if part)
                    await self.get(template, query.encode(), f"query {param.name}", label)
            return
        # A route that reads no parameter of its own gets every one the door reads, at once.
        names = [quote(p.name, safe="") for p in self.door.every_param]
        where = "query (every parameter)"
        for label, value in QUERY_VALUES:
            await self.get(template, "&".join(f"{n}={value}" for n in names).encode(), where, label)
        repeated = "&".join(f"{n}=1&{n}=a%00b" for n in names)
        await self.get(template, repeated.encode(), where, "repeated")

    async def path_params(self, method: str, template: str) -> None:
        for name in path_params(template):
            for label, raw in PATH_VALUES:
                door = self.door
                bodies = door.bodies.get((method, template), ())
                data = encode(bodies[0].base) if bodies else b""
                path = door.path(template, (name, raw))
                await self.sweep.send(
                    method,
                    path,
                    route=template,
                    where=f"path {name}",
                    label=label,
                    headers=door.headers(method, path, b"", data),
                    body=data,
                )

    async def body(self, method: str, template: str, index: int) -> None:
        spec = self.door.bodies[(method, template)][index]
        where = f"body ({spec.label})" if spec.label else "body"
        await self.write(method, template, index, None, None, where, "the valid body", True)
        twin = (method, template) in self.door.twins
        for field in [(), *swept_paths(spec.fields)]:
            at = f"{where} {show(field)}"
            for raw in (NUL_STRING,) if twin else values_for(next(self.fields)):
                if await self.write(method, template, index, field, raw, at, raw.label):
                    await self.recover(method, template, index, field, f"{at} [{raw.label}]")
        for inside in objects(spec.base):
            key = (*inside, NUL_KEY)
            at = f"{where} key in {show(inside)}"
            if await self.write(method, template, index, key, "v", at, "NUL in a key"):
                await self.recover(method, template, index, key, f"{at} [NUL in a key]")
        # Undo what a hostile value that was taken changed, for the routes after this one.
        await self.write(method, template, index, None, None, where, "the valid body again")

    async def write(
        self,
        method: str,
        template: str,
        index: int,
        field: Path | None,
        value: Any,
        where: str,
        label: str,
        expect_ok: bool = False,
    ) -> bool:
        """Send the route's valid body with `value` at `field`; whether the server failed."""
        door = self.door
        base = door.bodies[(method, template)][index].base
        data = encode(base if field is None else put(base, field, value))
        path = door.path(template)
        answer = await self.sweep.send(
            method,
            path,
            route=template,
            where=where,
            label=label,
            headers=door.headers(method, path, b"", data),
            body=data,
            expect_ok=expect_ok,
        )
        return answer.status >= 500

    async def recover(
        self, method: str, template: str, index: int, field: Path, cause: str
    ) -> None:
        """After a server error: if the value was stored anyway and the door cannot show it
        (the valid body, which shows the same record, now fails too), report that, then put a
        null in its place (or, if that does not do, start again on a fresh account), so that
        it fails nothing after it."""
        answer = await self.send_valid_body(method, template, index)
        if answer.status < 500:
            return
        self.sweep.poisoned(method, template, cause, answer)
        if field:
            door = self.door
            path = door.path(template)
            repair = encode(put(door.bodies[(method, template)][index].base, field, None))
            await self.sweep.probe(method, path, door.headers(method, path, b"", repair), repair)
            if (await self.send_valid_body(method, template, index)).status < 500:
                return
        self.door = self.build()

    async def send_valid_body(self, method: str, template: str, index: int) -> Answer:
        door = self.door
        path = door.path(template)
        data = encode(door.bodies[(method, template)][index].base)
        return await self.sweep.probe(method, path, door.headers(method, path, b"", data), data)


@contextmanager
def quiet_unhandled_errors() -> Iterator[UnhandledErrors]:
    """Collect the unhandled errors the sweep causes without handing each traceback to
    pytest's log capture too (the findings list them, one line each)."""
    logger = logging.getLogger("rolodex")
    propagate, logger.propagate = logger.propagate, False
    try:
        with unhandled_errors() as log:
            yield log
    finally:
        logger.propagate = propagate


@pytest.mark.parametrize("name", DOORS)
def test_no_hostile_input_gets_a_server_error(
    name: str, http: TestClient, runtime: Runtime
) -> None:
    with quiet_unhandled_errors() as log:
        sweep = Sweep(http.app, name, log)
        run = Run(lambda: BUILDERS[name](http, runtime), sweep)
        asyncio.run(run.all_routes())
    assert sweep.sent > 100, sweep.report()
    if sweep.findings or sweep.logged:
        pytest.fail(sweep.report(), pytrace=False)


# --- a NUL is refused at the edge, in the door's shape, and nothing is written -----------------


def _tokens(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9_]+", text)


def _tevo_errors(body: Any) -> Iterator[str]:
    if isinstance(body, dict):
        for key, value in body.items():
            if key == "errors" and isinstance(value, dict):
                yield from value
            else:
                yield from _tevo_errors(value)
    elif isinstance(body, list):
        for value in body:
            yield from _tevo_errors(value)


def blamed(door: str, response: Any) -> list[str]:
    """What the error blames (field names, or the message where the shape has no field),
    after checking the body has the door's error shape."""
    body = response.json()
    if door == "native":
        assert set(body) == {"error"}, body
        error = body["error"]
        assert {"code", "message", "field"} <= set(error), body
        return [error["field"] or "", *(d["field"] for d in error.get("details", []))]
    if door == "trackops":
        assert set(body) == {"message", "errors"}, body
        assert all(isinstance(v, list) and v for v in body["errors"].values()), body
        return list(body["errors"])
    if door == "tevo":
        if response.status_code == 400:
            assert set(body) == {"error"}, body
            return [body["error"]]
        return list(_tevo_errors(body))
    if door == "halo":
        assert set(body) - {"details"} == {"error", "error_description", "field"}, body
        return [body["field"] or "", *(d["field"] for d in body.get("details", []))]
    assert set(body) == {"errors"}, body
    assert all(isinstance(v, list) and v for v in body["errors"].values()), body
    return list(body["errors"])


def assert_blames(door: str, response: Any, name: str, statuses: tuple[int, ...]) -> None:
    assert response.status_code in statuses, response.text
    names = blamed(door, response)
    assert any(name in _tokens(n) for n in names), f"{name!r} is not named: {response.text}"


class Doors:
    """One account seen through every door, for the focused tests."""

    def __init__(self, http: TestClient, runtime: Runtime) -> None:
        credentials = new_account(runtime, "Hostile NUL")
        self.native = Api(http, credentials)
        self.trackops = Trackops(http, credentials)
        self.tevo = Tevo(http, credentials)
        self.halo = Halo(http, credentials)
        self.kickserv = Kickserv(http, credentials)

    def query(self, door: str, path: str, name: str) -> Any:
        raw = f"{path}?{name}=a%00b"
        if door == "native":
            return self.native.get(f"/v1{raw}")
        if door == "trackops":
            return self.trackops.get(raw)
        if door == "tevo":
            return self.tevo.get(path, params={name: NUL})
        if door == "halo":
            return self.halo.get(raw)
        return self.kickserv.get(raw)

    def create(self, door: str, body: Any) -> Any:
        if door == "native":
            return self.native.post("/v1/clients", json=body)
        if door == "trackops":
            return self.trackops.post("/clients", body)
        if door == "tevo":
            return self.tevo.post("/clients", body)
        if door == "halo":
            return self.halo.post("/Client", json=body)
        return self.kickserv.post("/customers.json", json=body)

    def update(self, door: str, client: dict[str, Any], fields: dict[str, Any]) -> Any:
        if door == "native":
            return self.native.patch(f"/v1/clients/{client['id']}", json=fields)
        if door == "tevo":
            return self.tevo.put(f"/clients/{client['id']}", fields)
        if door == "halo":
            return self.halo.post("/Client", json=[{"id": client["id"], **fields}])
        return self.kickserv.put(f"/customers/{client['number']}.json", json={"customer": fields})

    def read(self, door: str, client: dict[str, Any]) -> Any:
        """The client as the door shows it (vendor-only fields included)."""
        if door == "native":
            response = self.native.get(f"/v1/clients/{client['id']}")
        elif door == "tevo":
            response = self.tevo.get(f"/clients/{client['id']}")
        elif door == "halo":
            response = self.halo.get(f"/Client/{client['id']}")
        else:
            response = self.kickserv.get(f"/customers/{client['number']}.json")
        assert response.status_code == 200, response.text
        return response.json()

    def clients(self) -> list[dict[str, Any]]:
        return self.native.all_clients()


QUERY_CASES = [
    ("native", "/clients", "name"),
    ("native", "/clients", "q"),
    ("native", "/companies", "name"),
    ("trackops", "/clients", "name"),
    ("trackops", "/client/contacts", "email"),
    ("tevo", "/clients", "name"),
    ("tevo", "/companies", "name"),
    ("halo", "/Client", "search"),
    ("halo", "/Site", "search"),
    ("halo", "/AreaAzureTenant", "azure_tenant_id"),
    ("kickserv", "/customers.json", "name"),
    ("kickserv", "/customers.json", "q"),
    ("kickserv", "/customers.json", "service_city"),
]


@pytest.mark.parametrize(
    ("door", "path", "name"), QUERY_CASES, ids=[f"{d}-{p}-{n}" for d, p, n in QUERY_CASES]
)
def test_a_nul_in_a_query_parameter_is_refused_naming_it(
    door: str, path: str, name: str, http: TestClient, runtime: Runtime
) -> None:
    doors = Doors(http, runtime)
    doors.native.create_client(name="Already Here")
    assert_blames(door, doors.query(door, path, name), name, (400,))


# 4xx a refused body field may have, per door.
BODY_STATUSES = {
    "native": (422,),
    "trackops": (400, 422),
    "tevo": (400, 422),
    "halo": (400,),
    "kickserv": (400, 422),
}
CREATE_CASES: list[tuple[str, str, Any]] = [
    ("native", "name", {"name": NUL}),
    ("native", "city", {"name": "Ok", "addresses": [{"city": NUL}]}),
    ("native", "custom_fields", {"name": "Ok", "custom_fields": {"k": NUL}}),
    ("native", "tags", {"name": "Ok", "tags": [NUL]}),
    ("trackops", "name", {"client": {"name": NUL, "primary_location": LOCATION}}),
    ("trackops", "city", {"client": {"name": "Ok", "primary_location": {**LOCATION, "city": NUL}}}),
    ("trackops", EXTRA, {"client": {"name": "Ok", "primary_location": LOCATION, EXTRA: NUL}}),
    ("tevo", "name", {"clients": [{"name": "Ned\x00 Flanders"}]}),
    ("tevo", "locality", {"clients": [{"name": "Ned Flanders", "addresses": [{"locality": NUL}]}]}),
    ("tevo", "pnr_id", {"clients": [{"name": "Ned Flanders", "pnr_id": NUL}]}),
    ("tevo", "tags", {"clients": [{"name": "Ned Flanders", "tags": [NUL]}]}),
    ("halo", "name", [{"name": NUL}]),
    (
        "halo",
        "line1",
        [
            {
                "name": "Ok",
                "newclient_sitename": "Main",
                "newclient_delivery_address": {"line1": NUL},
            }
        ],
    ),
    ("halo", "customertype", [{"name": "Ok", "customertype": NUL}]),
    ("kickserv", "name", {"customer": {"name": NUL}}),
    ("kickserv", "service_city", {"customer": {"name": "Ok", "service_city": NUL}}),
    ("kickserv", "account_number", {"customer": {"name": "Ok", "account_number": NUL}}),
]


@pytest.mark.parametrize(
    ("door", "name", "body"), CREATE_CASES, ids=[f"{d}-{n}" for d, n, _ in CREATE_CASES]
)
def test_a_nul_in_a_new_record_is_refused_naming_the_field_and_nothing_is_written(
    door: str, name: str, body: Any, http: TestClient, runtime: Runtime
) -> None:
    doors = Doors(http, runtime)
    doors.native.create_client(name="Already Here")
    before = doors.clients()
    assert_blames(door, doors.create(door, body), name, BODY_STATUSES[door])
    assert doors.clients() == before


UPDATE_CASES = [
    ("native", "description"),
    ("native", "account_code"),
    ("tevo", "notes"),
    ("tevo", "pnr_id"),
    ("halo", "notes"),
    ("halo", "customertype"),
    ("kickserv", "special_instructions"),
    ("kickserv", "account_number"),
]


@pytest.mark.parametrize(("door", "name"), UPDATE_CASES, ids=[f"{d}-{n}" for d, n in UPDATE_CASES])
def test_a_nul_in_an_update_is_refused_naming_the_field_and_the_record_is_unchanged(
    door: str, name: str, http: TestClient, runtime: Runtime
) -> None:
    doors = Doors(http, runtime)
    client = doors.native.create_client(name="Ned Flanders", description="Left-handed")
    before = (doors.read("native", client), doors.read(door, client))
    assert_blames(door, doors.update(door, client, {name: NUL}), name, BODY_STATUSES[door])
    assert (doors.read("native", client), doors.read(door, client)) == before
