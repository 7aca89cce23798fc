"""The five doors as the hostile-input sweep sees them. Each is built for a fresh account seeded
through the door's own API, and holds:

- its routes, taken from the door's own route table (so a new route is swept, or reported as
  lacking a valid body, without this file changing);
- a seeded id for every path parameter;
- the query parameters its code reads;
- for every write route, a valid body and the fields the door's wire tables say it reads;
- the credentials to send, and any request only this door has (its credential scheme, the
  HaloPSA token endpoint).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from starlette.routing import Route
from starlette.testclient import TestClient

from rolodex.doors.halo import params as halo_lists
from rolodex.doors.halo import routes as halo_routes
from rolodex.doors.halo import wire as halo_wire
from rolodex.doors.kickserv import params as kickserv_params
from rolodex.doors.kickserv import routes as kickserv_routes
from rolodex.doors.kickserv import wire as kickserv_wire
from rolodex.doors.native.routes import ROUTES as NATIVE_ROUTES
from rolodex.doors.tevo import params as tevo_params
from rolodex.doors.tevo import routes as tevo_routes
from rolodex.doors.tevo import wire as tevo_wire
from rolodex.doors.tevo.contact_points import RESOURCES as TEVO_RESOURCES
from rolodex.doors.trackops import params as trackops_query
from rolodex.doors.trackops import routes as trackops_routes
from rolodex.doors.trackops import wire as trackops_wire
from rolodex.runtime import Runtime
from tests.conftest import Api, new_account
from tests.halo.conftest import Halo
from tests.hostile import (
    LONG,
    QUERY_VALUES,
    SLUG_VALUES,
    Headers,
    Path,
    Sweep,
    basic,
    encode,
    query_pieces,
    tevo_signature,
    values_for,
)
from tests.kickserv.conftest import Kickserv
from tests.tevo.conftest import Tevo
from tests.trackops.conftest import LOCATION, Trackops

JSON = (b"content-type", b"application/json")
EXTRA = "x_extra"  # a key no door names: kept as sent by the doors that keep such keys
PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


@dataclass(frozen=True)
class Param:
    name: str
    along: str = ""  # other parameters sent with it (raw), for one only read alongside them


@dataclass(frozen=True)
class Body:
    base: Any  # a valid body: sent as it is, the request succeeds
    fields: tuple[Path, ...]  # every field the door reads from it
    label: str = ""


Auth = Callable[[str, str, bytes, bytes], Headers]  # (method, raw path, query, body)


@dataclass
class Door:
    name: str
    prefix: str
    routes: list[tuple[str, str]]  # (method, path template under prefix)
    ids: dict[str, str]  # the literal segments before a path parameter -> a seeded id
    params: dict[str, tuple[Param, ...]]  # GET route -> the parameters it reads
    every_param: tuple[Param, ...]  # every parameter the door reads, for the other GET routes
    bodies: dict[tuple[str, str], tuple[Body, ...]]
    auth: Auth
    extra: Callable[[Sweep], Awaitable[None]] | None = None
    # Routes that answer 4xx even to a valid request (so they are not expected to succeed).
    never_ok: frozenset[tuple[str, str]] = frozenset()
    # A route served by the same handler as another (PATCH beside PUT) -> that other route: its
    # fields get only the NUL, the other's sweep having sent them everything.
    twins: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    def path(self, template: str, hostile: tuple[str, str] | None = None) -> str:
        """The route's path with seeded ids, one parameter replaced when `hostile` names it."""

        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if hostile is not None and name == hostile[0]:
                return hostile[1]
            return self.ids[id_key(template[: match.start()])]

        return self.prefix + PARAM.sub(one, template)

    def headers(self, method: str, path: str, query: bytes, body: bytes) -> Headers:
        return self.auth(method, path, query, body)


def id_key(before: str) -> str:
    """/customers/{number:int}/notes/ -> customers/notes: which seeded id a parameter takes."""
    return "/".join(s for s in PARAM.sub("", before).split("/") if s and s != ".json")


def path_params(template: str) -> list[str]:
    return [m.group(1) for m in PARAM.finditer(template)]


def keyed(prefix: Path, names: Any) -> tuple[Path, ...]:
    return tuple((*prefix, name) for name in names)


def cleared(names: Any) -> dict[str, None]:
    """Nulls for the vendor-only keys of an update body, so that a hostile value one request
    stored is gone by the next (a record carrying a hundred 10k-character values makes every
    request after it slow, and a failure a cascade)."""
    return dict.fromkeys(sorted(names))


def _static(headers: Headers) -> Auth:
    return lambda _method, _path, _query, _body: headers


# --- native --------------------------------------------------------------------------------------

NATIVE_BASES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "ClientCreate": lambda ids: {
        "name": "Hostile Base",
        "tags": ["base"],
        "addresses": [{"line1": "2 Side St", "city": "Denver", "country": "US"}],
        "phone_numbers": [{"number": "555-0101"}],
        "email_addresses": [{"address": "base@example.com"}],
        "custom_fields": {"k": "v"},
    },
    "ClientBatch": lambda ids: {"clients": [NATIVE_BASES["ClientCreate"](ids)]},
    "ClientUpdate": lambda ids: {"name": "Seed Client"},
    "LocationCreate": lambda ids: {"name": "Branch"},
    "LocationUpdate": lambda ids: {"name": "Main"},
    "AddressCreate": lambda ids: {"line1": "3 Side St", "location_id": ids["location"]},
    "AddressUpdate": lambda ids: {"line1": "1 Main St"},
    "PhoneNumberCreate": lambda ids: {"number": "555-0102"},
    "PhoneNumberUpdate": lambda ids: {"number": "555-0100"},
    "EmailAddressCreate": lambda ids: {"address": "more@example.com"},
    "EmailAddressUpdate": lambda ids: {"address": "seed@example.com"},
    "NoteCreate": lambda ids: {"body": "hello", "job_id": ids["job"]},
    "NoteUpdate": lambda ids: {"body": "Seed"},
    "JobCreate": lambda ids: {"job_type": "Repair"},
    "JobUpdate": lambda ids: {"job_type": "Repair"},
    "PaymentCreate": lambda ids: {
        "amount": "1.00",
        "applications": [{"job_id": ids["job"], "amount": "1.00"}],
    },
    "PaymentUpdate": lambda ids: {"reference": "R-1"},
    "CompanyCreate": lambda ids: {"name": "Hostile Co"},
    "CompanyUpdate": lambda ids: {"name": "Seed Co"},
    # A public address, never contacted: no delivery worker runs on the shared test database.
    "WebhookEndpointCreate": lambda ids: {"url": "https://93.184.215.14/hooks"},
    "WebhookEndpointUpdate": lambda ids: {"description": "Seed hook"},
    "WebhookResend": lambda ids: {"from": "2026-01-01T00:00:00Z", "to": "2026-01-02T00:00:00Z"},
}


def _schema_fields(document: dict[str, Any], ref: str) -> list[Path]:
    """Every field of a request schema of the OpenAPI document, nested arrays' and free-form
    objects' included."""
    schema = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    out: list[Path] = []
    for name, prop in schema["properties"].items():
        out.append((name,))
        kinds = prop.get("type")
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if "array" in kinds:
            items = prop.get("items", {})
            if "$ref" in items:
                out += [(name, 0, *sub) for sub in _schema_fields(document, items["$ref"])]
            elif "properties" in items:
                out += [(name, 0, key) for key in items["properties"]]
            else:
                out.append((name, 0))
        if "object" in kinds:
            out.append((name, "k"))
    return out


def native(http: TestClient, runtime: Runtime) -> Door:
    api = Api(http, new_account(runtime, "Hostile Native"))
    client = api.create_client(
        name="Seed Client",
        tags=["seed"],
        addresses=[{"line1": "1 Main St", "city": "Denver", "region": "CO", "country": "US"}],
        phone_numbers=[{"number": "555-0100"}],
        email_addresses=[{"address": "seed@example.com"}],
    )
    cid = client["id"]

    def add(segment: str, body: dict[str, Any]) -> int:
        response = api.post(f"/v1/clients/{cid}/{segment}", json=body)
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    location = add("locations", {"name": "Main"})
    job = add("jobs", {"job_type": "Repair"})
    company = api.post("/v1/companies", json={"name": "Seed Co"})
    assert company.status_code == 201, company.text
    hook = api.post("/v1/webhook_endpoints", json={"url": "https://93.184.215.14/hooks"})
    assert hook.status_code == 201, hook.text
    hook_id = hook.json()["id"]
    [delivery] = api.get(f"/v1/webhook_endpoints/{hook_id}/deliveries").json()["data"]
    ids = {
        "clients": cid,
        "webhook_endpoints": hook_id,
        "webhook_endpoints/deliveries": delivery["id"],
        "clients/locations": location,
        "clients/addresses": client["addresses"][0]["id"],
        "clients/phone_numbers": client["phone_numbers"][0]["id"],
        "clients/email_addresses": client["email_addresses"][0]["id"],
        "clients/notes": add("notes", {"body": "Seed", "job_id": job}),
        "clients/jobs": job,
        "clients/payments": add(
            "payments", {"amount": "50.00", "applications": [{"job_id": job, "amount": "10.00"}]}
        ),
        "companies": company.json()["id"],
    }
    document = http.get("/v1/openapi.json").json()
    routes = [(route.method, route.path) for route in NATIVE_ROUTES]
    params: dict[str, tuple[Param, ...]] = {}
    bodies: dict[tuple[str, str], tuple[Body, ...]] = {}
    for method, path in routes:
        op = document["paths"][f"/v1{path}"][method.lower()]
        if method == "GET":
            params[path] = tuple(
                Param(p["name"]) for p in op.get("parameters", []) if p["in"] == "query"
            )
        request = op.get("requestBody")
        if request is None and method == "POST":
            bodies[(method, path)] = (Body({}, ()),)  # it reads no body: its path is swept
        if request is not None:
            ref = request["content"]["application/json"]["schema"]["$ref"]
            base = NATIVE_BASES.get(ref.rsplit("/", 1)[-1])
            if base is not None:
                seeds = {"location": location, "job": job}
                bodies[(method, path)] = (Body(base(seeds), tuple(_schema_fields(document, ref))),)
    every = tuple({p.name: p for ps in params.values() for p in ps}.values())
    auth: Headers = [(b"authorization", f"Bearer {api.key}".encode()), JSON]

    async def extra(sweep: Sweep) -> None:
        await _native_headers(sweep, door)
        await _bearer(sweep, door, "/clients", b"authorization", b"Bearer ")

    door = Door(
        "native",
        "/v1",
        routes,
        {k: str(v) for k, v in ids.items()},
        params,
        every,
        bodies,
        _static(auth),
        extra,
    )
    return door


HEADER_VALUES: tuple[tuple[str, bytes], ...] = (
    ("10k chars", LONG.encode()),
    ("latin-1 bytes", b"\xff\xfe"),
    ("empty", b""),
    ("percent-encoded NUL", b"a%00b"),
    ("an ETag of 20 digits", b'"99999999999999999999"'),
    ("an ETag of 2**63", f'"{2**63}"'.encode()),
)


async def _native_headers(sweep: Sweep, door: Door) -> None:
    """The header parameters the OpenAPI document names: Idempotency-Key on a POST, If-Match
    on a PATCH or DELETE (none of these values is a version the records have, so nothing is
    deleted)."""
    for method, template in door.routes:
        name = {"POST": b"idempotency-key", "PATCH": b"if-match", "DELETE": b"if-match"}.get(method)
        if name is None:
            continue
        bodies = door.bodies.get((method, template), ())
        body = encode(bodies[0].base) if bodies else b""
        path = door.path(template)
        for label, value in HEADER_VALUES:
            await sweep.send(
                method,
                path,
                route=template,
                where=f"header {name.decode()}",
                label=label,
                headers=[*door.headers(method, path, b"", body), (name, value)],
                body=body,
            )


async def _bearer(sweep: Sweep, door: Door, template: str, name: bytes, scheme: bytes) -> None:
    path = door.path(template)
    for label, value in HEADER_VALUES[:4]:
        headers = [(k, v) for k, v in door.headers("GET", path, b"", b"") if k != name]
        await sweep.send(
            "GET",
            path,
            route=template,
            where=f"header {name.decode()}",
            label=label,
            headers=[*headers, (name, scheme + value)],
        )


# --- Trackops ------------------------------------------------------------------------------------


def _trackops_routes(
    http: TestClient, runtime: Runtime, auth: tuple[str, str]
) -> list[tuple[str, str]]:
    """The door's routes from its router, and each path's methods from the Allow header of
    its 405 (the door has no route table to import)."""
    out: list[tuple[str, str]] = []
    for route in trackops_routes.routes(runtime):
        assert isinstance(route, Route)
        if route.path.endswith("/") or "{rest:path}" in route.path:
            continue
        filled = PARAM.sub("1", route.path)
        response = http.request("OPTIONS", trackops_routes.PREFIX + filled, auth=auth)
        assert response.status_code == 405, response.text
        out += [
            (m.strip(), route.path)
            for m in response.headers["allow"].split(",")
            if m.strip() != "HEAD"
        ]
    return out


def _trackops_fields(
    wrapper: str, table: tuple[tuple[str, str], ...], *extra: str
) -> tuple[Path, ...]:
    names = [w for w, _ in table] + list(extra) + sorted(trackops_wire.READ_ONLY) + [EXTRA]
    return keyed((wrapper,), dict.fromkeys(names))


def trackops(http: TestClient, runtime: Runtime) -> Door:
    door_client = Trackops(http, new_account(runtime, "Hostile Trackops"))
    client = door_client.create_client("Seed Client")
    location = door_client.create_location(client["id"], name="Branch")
    contact = door_client.create_contact(location["id"], first_name="Jane")
    ids = {
        "clients": str(client["id"]),
        "client/locations": str(location["id"]),
        "client/contacts": str(contact["id"]),
    }
    paging = ("page", "per_page", "dir", "mode")
    params = {
        path: tuple(Param(name) for name in (*filters, *paging))
        for path, filters in (
            ("/clients", trackops_query.CLIENT_FILTERS),
            ("/client/locations", trackops_query.LOCATION_FILTERS),
            ("/client/contacts", trackops_query.CONTACT_FILTERS),
        )
    }
    every = tuple({p.name: p for ps in params.values() for p in ps}.values())
    location_body = {"name": "Main", "state": "CO", "country": "US"}
    client_fields = _trackops_fields("client", trackops_wire.CLIENT, "primary_location")
    bodies = {
        ("POST", "/clients"): (
            Body(
                {"client": {"name": "Hostile Base", "primary_location": location_body}},
                client_fields
                + keyed(
                    ("client", "primary_location"),
                    [w for w, _ in trackops_wire.LOCATION] + [EXTRA],
                ),
            ),
        ),
        ("POST", "/client/locations"): (
            Body(
                {"location": {"root_id": client["id"], **LOCATION, "name": "Branch 2"}},
                _trackops_fields(trackops_wire.LOCATION_WRAPPERS[0], trackops_wire.LOCATION)
                + keyed((), trackops_wire.LOCATION_WRAPPERS[1:]),
            ),
        ),
        ("POST", "/client/contacts"): (
            Body(
                {"contact": {"client_id": location["id"], "role_id": 1, "last_name": "Doe"}},
                _trackops_fields(
                    trackops_wire.CONTACT_WRAPPERS[0],
                    trackops_wire.CONTACT,
                    trackops_wire.CONTACT_PARENT[0],
                )
                + keyed((), trackops_wire.CONTACT_WRAPPERS[1:]),
            ),
        ),
    }
    username, token = door_client.auth
    auth: Headers = [(b"authorization", basic(f"{username}:{token}".encode())), JSON]

    async def extra(sweep: Sweep) -> None:
        user = username.removesuffix("/token")
        await _basic(
            sweep,
            door,
            "/clients",
            (
                ("NUL in the user name", f"{user}\x00/token:{token}".encode()),
                ("NUL as the user name", f"\x00/token:{token}".encode()),
                ("NUL in the token", f"{username}:{token}\x00".encode()),
                ("invalid UTF-8", b"\xff\xfe/token:\xff"),
                ("lone surrogate (UTF-8 bytes)", b"\xed\xa0\x80/token:x"),
                ("10k-char user name", f"{LONG}/token:{token}".encode()),
                ("10k-char token", f"{username}:{LONG}".encode()),
            ),
        )

    door = Door(
        "trackops",
        trackops_routes.PREFIX,
        _trackops_routes(http, runtime, door_client.auth),
        ids,
        params,
        every,
        bodies,
        _static(auth),
        extra,
    )
    return door


async def _basic(
    sweep: Sweep, door: Door, template: str, credentials: tuple[tuple[str, bytes], ...]
) -> None:
    path = door.path(template)
    others = [(k, v) for k, v in door.headers("GET", path, b"", b"") if k != b"authorization"]
    for label, raw in (*credentials, ("not base64", b"")):
        header = basic(raw) if raw else b"Basic %%%"
        await sweep.send(
            "GET",
            path,
            route=template,
            where="header Authorization (Basic)",
            label=label,
            headers=[*others, (b"authorization", header)],
        )


# --- Ticket Evolution ----------------------------------------------------------------------------

TEVO_ITEMS: dict[str, dict[str, Any]] = {
    "addresses": {
        "street_address": "2 Side St",
        "locality": "Denver",
        "region": "CO",
        "postal_code": "80202",
        "country_code": "US",
    },
    "phone_numbers": {"number": "555-0101"},
    "email_addresses": {"address": "base@example.com"},
}


def _tevo_client_fields(prefix: Path, *, creating: bool) -> tuple[Path, ...]:
    names: list[Any] = [
        *tevo_wire.CLIENT_IN,
        "company",
        ("company", "name"),
        ("company", "id"),
        "tags",
        ("tags", 0),
        *tevo_wire.CLIENT_VENDOR_ONLY,
        ("affiliate_store", "k"),
    ]
    if not creating:
        names += [*tevo_wire.PRIMARY_PICKS, *tevo_wire.CREDIT_CARD_PICKS]
    out = [(*prefix, *(n if isinstance(n, tuple) else (n,))) for n in names]
    if creating:
        for resource in TEVO_RESOURCES:
            out += keyed((*prefix, resource.key, 0), resource.wire.wire)
    return tuple(out)


def tevo(http: TestClient, runtime: Runtime) -> Door:
    door_client = Tevo(http, new_account(runtime, "Hostile Tevo"))
    client = door_client.create_client(
        name="Seed Client",
        addresses=[TEVO_ITEMS["addresses"]],
        phone_numbers=[{"number": "555-0100"}],
        email_addresses=[{"address": "seed@example.com"}],
    )
    company = door_client.post("/companies", {"companies": [{"name": "Seed Co"}]})
    assert company.status_code == 201, company.text
    ids = {
        "v9/clients": client["id"],
        **{f"v9/clients/{r.key}": client[r.key][0]["id"] for r in TEVO_RESOURCES},
        "v9/companies": company.json()["companies"][0]["id"],
    }
    paging = (Param("page"), Param("per_page"))
    times = [
        name
        for column in ("created_at", "updated_at")
        for name in (
            column,
            *(f"{column}.{op}" for op in tevo_params.OPERATORS),
            *(f"{column}[{op}]" for op in tevo_params.OPERATORS),
        )
    ]
    params: dict[str, tuple[Param, ...]] = {
        "/v9/clients": (
            *paging,
            *(Param(n) for n in ("name", "office_id", "company_id", *times)),
        ),
        "/v9/companies": (*paging, Param("name")),
        **{f"/v9/clients/{{client_id}}/{r.key}": paging for r in TEVO_RESOURCES},
    }
    every = tuple({p.name: p for ps in params.values() for p in ps}.values())
    bodies: dict[tuple[str, str], tuple[Body, ...]] = {
        ("POST", "/v9/clients"): (
            Body(
                {
                    "clients": [
                        {
                            "name": "Hostile Base",
                            "tags": ["base"],
                            **{key: [item] for key, item in TEVO_ITEMS.items()},
                        }
                    ]
                },
                _tevo_client_fields(("clients", 0), creating=True),
            ),
        ),
        ("PUT", "/v9/clients/{client_id}"): (
            Body({"name": "Seed Client"}, _tevo_client_fields((), creating=False)),
        ),
        ("POST", "/v9/companies"): (
            Body(
                {"companies": [{"name": "Hostile Co"}]},
                keyed(("companies", 0), tevo_wire.COMPANY_IN),
            ),
        ),
        ("PUT", "/v9/companies/{company_id}"): (
            Body({"name": "Seed Co"}, keyed((), tevo_wire.COMPANY_IN)),
        ),
    }
    for resource in TEVO_RESOURCES:
        base = f"/v9/clients/{{client_id}}/{resource.key}"
        item = TEVO_ITEMS[resource.key]
        bodies[("POST", base)] = (
            Body({resource.key: [item]}, keyed((resource.key, 0), resource.wire.wire)),
        )
        bodies[("PUT", f"{base}/{{id}}")] = (Body(item, keyed((), resource.wire.wire)),)

    def auth(method: str, path: str, query: bytes, body: bytes) -> Headers:
        signature = tevo_signature(door_client.secret, method, path.encode(), query, body)
        return [
            (b"x-token", door_client.token.encode()),
            (b"x-signature", signature),
            JSON,
        ]

    async def extra(sweep: Sweep) -> None:
        await _bearer(sweep, door, "/v9/clients", b"x-token", b"")
        await _bearer(sweep, door, "/v9/clients", b"x-signature", b"")

    door = Door(
        "tevo",
        tevo_routes.PREFIX,
        [(method, path) for method, path, _handler in tevo_routes.table()],
        {k: str(v) for k, v in ids.items()},
        params,
        every,
        bodies,
        auth,
        extra,
    )
    return door


# --- HaloPSA -------------------------------------------------------------------------------------


def _orders() -> tuple[Param, ...]:
    return tuple(
        Param(f"{name}{suffix}")
        for suffix in halo_lists.ORDER_SUFFIXES
        for name in ("order", "orderdesc")
    )


def _halo_paging() -> tuple[Param, ...]:
    pages = "pageinate=true"
    return (
        Param("pageinate"),
        Param("page_size", pages),
        Param("page_no", pages),
        Param("count"),
    )


SITE_FIELDS = (
    *halo_wire.SITE_COLUMNS,
    "client_id",
    "id",
    *halo_wire.DELIVERY_LINES,
    *halo_wire.INVOICE_LINES,
    "datecreated",
    EXTRA,
)
AREA_LISTS = ("popup_notes", "areaitems", "allowed_tickettypes", "azure_tenants")


def _area_fields(*, creating: bool) -> tuple[Path, ...]:
    top = [
        *halo_wire.AREA_COLUMNS,
        *halo_wire.AREA_DERIVED,
        *halo_wire.PAYMENT_METHOD_FIELDS,
        halo_wire.ACCOUNTS_ID_FIELD,
        "id",
        *AREA_LISTS,
        EXTRA,
    ]
    out = [*keyed((0,), top), (0, "customfields", 0, "name"), (0, "customfields", 0, "value")]
    out += [(0, name, 0, "id") for name in AREA_LISTS]
    if creating:
        out += keyed((0,), halo_wire.AREA_ON_CREATE)
        out += keyed((0, "newclient_delivery_address"), halo_wire.ADDRESS_STORE)
        out += keyed((0, "site_update", 0), SITE_FIELDS)
    return tuple(out)


def _site_fields() -> tuple[Path, ...]:
    return (
        *keyed((0,), SITE_FIELDS),
        *keyed((0, "delivery_address"), halo_wire.ADDRESS_STORE),
        *keyed((0, "invoice_address"), halo_wire.ADDRESS_STORE),
    )


def halo(http: TestClient, runtime: Runtime) -> Door:
    credentials = new_account(runtime, "Hostile Halo")
    door_client = Halo(http, credentials)
    carried = {
        "popup_notes": [{"id": 1, "note": "Seed", "read_status": 0}],
        "areaitems": [{"id": 1, "name": "Item", "nextinvoicedate": "2020-01-01T00:00:00Z"}],
        "allowed_tickettypes": [{"id": 3}],
        "azure_tenants": [{"azure_tenant_id": "t-1", "details_id": 1}],
    }
    area = door_client.create_client(name="Seed Client", newclient_sitename="Main", **carried)
    cid = area["id"]
    site = door_client.create_site(cid, name="Branch")
    note = door_client.post("/CRMNote", json=[{"client_id": cid, "note": "Seed"}])
    assert note.status_code == 201, note.text
    ids = {
        "api/client": str(cid),
        "api/site": str(site["id"]),
        "api/crmnote": str(note.json()["id"]),
        "api/arearequesttype": str(cid),
    }
    params: dict[str, tuple[Param, ...]] = {
        "/api/client": (
            *(Param(n) for n in ("includeactive", "includeinactive", "activeinactive")),
            Param("search"),
            Param("search_name_only", "search=Seed"),
            *(Param(n) for n in ("toplevel_id", "idonly", "include_custom_fields")),
            Param("includenotes"),
            *_orders(),
            *_halo_paging(),
        ),
        "/api/site": (
            *(Param(n) for n in ("idonly", "client_id", "toplevel_id", "search")),
            *_orders(),
            *_halo_paging(),
        ),
        "/api/crmnote": tuple(Param(n) for n in ("client_id", "toplevel_id", "count")),
        "/api/popupnote": tuple(Param(n) for n in ("site_id", "user_id", "showall", "client_id")),
        "/api/recurringitem": (Param("pending_recurring_invoice"), Param("client_id")),
        "/api/areaazuretenant": tuple(
            Param(n) for n in ("notset", "client_id", "site_id", "azure_tenant_id", "details_id")
        ),
    }
    every = tuple({p.name: p for ps in params.values() for p in ps}.values())
    bodies = {
        ("POST", "/api/client"): (
            Body(
                [
                    {
                        "name": "Hostile Base",
                        "newclient_sitename": "Main",
                        "newclient_delivery_address": {"line1": "1 Main St"},
                        "site_update": [{"name": "Extra Site"}],
                        "customfields": [{"name": "cf", "value": "v"}],
                    }
                ],
                _area_fields(creating=True),
                "create",
            ),
            # Carrying the derived lists, so that a hostile value that replaced one is undone.
            Body(
                [{"id": cid, "name": "Seed Client", **carried}],
                _area_fields(creating=False),
                "update",
            ),
        ),
        # POST /Client/{id}: one bare Area object, as client code sends it.
        ("POST", "/api/client/{id:int}"): (
            Body(
                {"name": "Seed Client", **carried},
                tuple(path[1:] for path in _area_fields(creating=False)),
                "update",
            ),
        ),
        ("POST", "/api/client/newaccountsid"): (
            Body([{"id": cid, "accountsid": "A-1"}], keyed((0,), ("id", "accountsid"))),
        ),
        ("POST", "/api/client/paymentmethodupdate"): (
            Body(
                [{"id": cid, "stripe_customer_id": "cus_1"}],
                keyed((0,), ("id", *halo_wire.PAYMENT_METHOD_FIELDS)),
            ),
        ),
        ("POST", "/api/site"): (
            Body(
                [
                    {
                        "client_id": cid,
                        "name": "Branch 2",
                        "delivery_address": {"line1": "1 Main St"},
                        "invoice_address": {"line1": "1 Main St"},
                    }
                ],
                _site_fields(),
                "create",
            ),
            Body([{"id": site["id"], "name": "Branch"}], _site_fields(), "update"),
        ),
        ("POST", "/api/crmnote"): tuple(
            Body(
                [base],
                keyed((0,), (*halo_wire.NOTE_COLUMNS, "client_id", "id", "who_agentid", EXTRA)),
                label,
            )
            for label, base in (
                ("create", {"client_id": cid, "note": "hello"}),
                ("update", {"id": note.json()["id"], "note": "Seed"}),
            )
        ),
        ("POST", "/api/popupnote/read"): (
            Body([{"id": 1, "client_id": cid}], keyed((0,), ("id", "client_id"))),
        ),
    }
    auth: Headers = [(b"authorization", f"Bearer {door_client.token}".encode()), JSON]

    async def extra(sweep: Sweep) -> None:
        await _halo_token(sweep, credentials["halo"], credentials["slug"])
        await _bearer(sweep, door, "/api/client", b"authorization", b"Bearer ")
        for label, value in QUERY_VALUES:
            await sweep.send(
                "GET",
                "/halo/api/authinfo",
                route="/api/authinfo",
                where="query tenant",
                label=label,
                query=f"tenant={value}".encode(),
            )

    door = Door(
        "halo",
        halo_routes.PREFIX,
        [(method, path) for path, methods in halo_routes._table(runtime) for method in methods],
        ids,
        params,
        every,
        bodies,
        _static(auth),
        extra,
        never_ok=frozenset({("GET", "/api/client/me")}),
    )
    return door


TOKEN_FIELDS = ("grant_type", "client_id", "client_secret", "scope", "tenant")


async def _halo_token(sweep: Sweep, halo_credentials: dict[str, Any], slug: str) -> None:
    """POST /halo/auth/token: each form field (and the tenant in the query), form-encoded and
    as JSON, and client_secret_basic credentials."""
    route = "/auth/token"
    path = "/halo/auth/token"
    valid = {
        "grant_type": "client_credentials",
        "client_id": halo_credentials["client_id"],
        "client_secret": halo_credentials["client_secret"],
        "scope": "all",
        "tenant": slug,
    }
    form_type = (b"content-type", b"application/x-www-form-urlencoded")

    def form(values: dict[str, str]) -> bytes:
        return "&".join(f"{k}={quote(v)}" for k, v in values.items()).encode()

    await sweep.send(
        "POST",
        path,
        route=route,
        where="form",
        label="valid",
        headers=[form_type],
        body=form(valid),
        expect_ok=True,
    )
    for position, name in enumerate(TOKEN_FIELDS):
        others = form({k: v for k, v in valid.items() if k != name})
        for label, piece in query_pieces(name):
            await sweep.send(
                "POST",
                path,
                route=route,
                where=f"form {name}",
                label=label,
                headers=[form_type],
                body=others + b"&" + piece.encode(),
            )
        for raw in values_for(position):
            await sweep.send(
                "POST",
                path,
                route=route,
                where=f"JSON {name}",
                label=raw.label,
                headers=[JSON],
                body=encode({**valid, name: raw}),
            )
    without_tenant = form({k: v for k, v in valid.items() if k != "tenant"})
    for label, piece in query_pieces("tenant"):
        await sweep.send(
            "POST",
            path,
            route=route,
            where="query tenant",
            label=label,
            headers=[form_type],
            body=without_tenant,
            query=piece.encode(),
        )
    client_id = halo_credentials["client_id"]
    for label, raw in (
        ("NUL in the client id", f"{client_id}\x00:x".encode()),
        ("NUL as the client id", b"\x00:x"),
        ("NUL in the secret", f"{client_id}:\x00".encode()),
        ("invalid UTF-8", b"\xff\xfe:\xff"),
        ("10k-char client id", f"{LONG}:x".encode()),
    ):
        await sweep.send(
            "POST",
            path,
            route=route,
            where="header Authorization (Basic)",
            label=label,
            headers=[form_type, (b"authorization", basic(raw))],
            body=b"grant_type=client_credentials",
        )


# --- Kickserv ------------------------------------------------------------------------------------


def kickserv(http: TestClient, runtime: Runtime) -> Door:
    door_client = Kickserv(http, new_account(runtime, "Hostile Kickserv"))
    customer = door_client.create_customer(
        name="Seed Customer",
        email_address="seed@example.com",
        phone_number="555-0100",
        service_city="Denver",
        billing_city="Denver",
    )
    number = customer["customer_number"]
    job = door_client.create_job(number)
    job_number = job["job_number"]

    def made(path: str, body: dict[str, Any]) -> Any:
        return door_client.ok(door_client.post(path, json=body))["id"]

    payment = made(f"/jobs/{job_number}/payments.json", {"payment": {"amount": "5.00"}})
    ids = {
        "customers": str(number),
        "customers/notes": str(made(f"/customers/{number}/notes.json", {"note": {"note": "S"}})),
        "customers/jobs": str(job_number),
        "customers/payments": str(payment),
        "jobs": str(job_number),
        "jobs/notes": str(made(f"/jobs/{job_number}/notes.json", {"note": {"note": "Seed"}})),
        "jobs/payments": str(payment),
    }
    page = (Param("page"), Param("per_page"))
    statuses = (Param("status"), Param("status[]"))
    customer_params = (
        "customer_number",
        "name",
        "q",
        "begins_with",
        *kickserv_wire.SERVICE,
        *kickserv_wire.BILLING,
        "email_address",
        "phone_number",
        *kickserv_params.VENDOR_INTEGER_FILTERS,
        "customers_page",
    )
    params = {
        "/customers.json": tuple(Param(n) for n in customer_params),
        "/customers/filter.json": (Param("name"), Param("customers_page")),
        "/customers/{number:int}/notes.json": page,
        "/customers/{number:int}/jobs.json": (*statuses, *page),
        "/customers/{number:int}/payments.json": page,
        "/jobs.json": (Param("scheduled"), *statuses, Param("job_type_id"), *page),
        "/jobs/{job_number:int}/notes.json": page,
        "/jobs/{job_number:int}/payments.json": page,
    }
    every = tuple({p.name: p for ps in params.values() for p in ps}.values())
    customer_fields = keyed(("customer",), (*kickserv_wire.CUSTOMER_KEYS, EXTRA))
    note_fields = keyed(("note",), (*kickserv_wire.NOTE_FIELDS, *kickserv_wire.NOTE_VENDOR_KEYS))
    job_fields = keyed(
        ("job",),
        (*kickserv_wire.JOB_FIELDS, *kickserv_wire.JOB_VENDOR_KEYS, *kickserv_wire.JOB_READ_ONLY),
    )
    payment_fields = keyed(
        ("payment",),
        (
            *kickserv_wire.PAYMENT_FIELDS,
            *kickserv_wire.PAYMENT_VENDOR_KEYS,
            *kickserv_wire.PAYMENT_READ_ONLY,
        ),
    )
    customer = "/customers/{number:int}"
    job_path = "/jobs/{job_number:int}"
    writes: dict[tuple[str, ...], Body] = {
        ("POST", "/customers.json"): Body({"customer": {"name": "Hostile Base"}}, customer_fields),
        ("POST", "/customers/customer_validation.json"): Body(
            {"name": "Seed Customer"}, (("name",), ("customer", "name"))
        ),
        ("PUT", "PATCH", f"{customer}.json"): Body(
            {"customer": {"name": "Seed Customer", **cleared(kickserv_wire.CUSTOMER_VENDOR_KEYS)}},
            customer_fields,
        ),
        ("POST", f"{customer}/notes.json"): Body({"note": {"note": "hello"}}, note_fields),
        ("PUT", "PATCH", f"{customer}/notes/{{id:int}}.json"): Body(
            {"note": {"note": "S"}}, note_fields
        ),
        ("POST", f"{customer}/jobs.json"): Body({"job": {"job_type_id": 61}}, job_fields),
        ("PUT", "PATCH", f"{customer}/jobs/{{job_number:int}}.json"): Body(
            {"job": {"name": "Repair", **cleared(kickserv_wire.JOB_VENDOR_KEYS)}}, job_fields
        ),
        ("POST", "/jobs.json"): Body(
            {"customer_number": number, "job": {"job_type_id": 61}},
            (("customer_number",), *job_fields),
        ),
        ("PUT", "PATCH", f"{job_path}.json"): Body(
            {"job": {"name": "Repair", **cleared(kickserv_wire.JOB_VENDOR_KEYS)}}, job_fields
        ),
        ("POST", f"{job_path}/notes.json"): Body({"note": {"note": "hello"}}, note_fields),
        ("PUT", "PATCH", f"{job_path}/notes/{{id:int}}.json"): Body(
            {"note": {"note": "Seed"}}, note_fields
        ),
        ("POST", f"{job_path}/payments.json"): Body(
            {"payment": {"amount": "5.00"}}, payment_fields
        ),
        ("PUT", "PATCH", f"{job_path}/payments/{{id:int}}.json"): Body(
            {"payment": {"notes": "paid", **cleared(kickserv_wire.PAYMENT_VENDOR_KEYS)}},
            payment_fields,
        ),
    }
    bodies = {(method, key[-1]): (body,) for key, body in writes.items() for method in key[:-1]}
    twins: dict[tuple[str, str], tuple[str, str]] = {}
    for path, specs in kickserv_routes.TABLE:
        first: dict[Any, str] = {}
        for method, spec in specs.items():
            if spec in first:
                twins[(method, path)] = (first[spec], path)
            first.setdefault(spec, method)
    token = door_client.token
    auth: Headers = [(b"authorization", basic(f"{token}:{token}".encode())), JSON]

    async def extra(sweep: Sweep) -> None:
        await _basic(
            sweep,
            door,
            "/customers.json",
            (
                ("NUL in the token", f"{token}\x00:{token}\x00".encode()),
                ("NUL as the token", b"\x00:\x00"),
                ("invalid UTF-8", b"\xff\xfe:\xff\xfe"),
                ("10k-char token", f"{LONG}:{LONG}".encode()),
            ),
        )
        for method, template in door.routes:
            if method != "GET":
                continue
            for label, slug in SLUG_VALUES:
                path = door.path(template).replace(door.prefix, f"/kickserv/{slug}", 1)
                await sweep.send(
                    method,
                    path,
                    route=template,
                    where="path slug",
                    label=label,
                    headers=door.headers(method, path, b"", b""),
                )

    door = Door(
        "kickserv",
        f"/kickserv/{door_client.slug}",
        [(method, path) for path, specs in kickserv_routes.TABLE for method in specs],
        ids,
        params,
        every,
        bodies,
        _static(auth),
        extra,
        twins=twins,
    )
    return door


BUILDERS: dict[str, Callable[[TestClient, Runtime], Door]] = {
    "native": native,
    "trackops": trackops,
    "tevo": tevo,
    "halo": halo,
    "kickserv": kickserv,
}
