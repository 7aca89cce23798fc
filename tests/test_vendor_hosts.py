"""Vendor hosts (rolodex.doors.hosts): a request whose Host names a vendor's API host is served by
that vendor's door at the vendor's own paths, as client code that hard-codes the host sends it:
TEvo's `/v9/...` at api.ticketevolution.com (signed over the path it sent), Halo's `/api/...`
and `/auth/token` at a tenant's {name}.halopsa.com, Trackops' `/api/v1/...` at
{name}.viewcases.com, Kickserv's `/{slug}/customers.json` at app.kickserv.com. A port in Host
changes nothing; any other host (127.0.0.1, localhost, the server's own name) is served as
before; the setting replaces the defaults."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import orjson
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from rolodex.app import create_app
from rolodex.cli import main
from rolodex.config import DEFAULT_VENDOR_HOSTS, Settings, parse_vendor_hosts
from rolodex.doors import hosts
from rolodex.runtime import Runtime
from tests.conftest import new_account
from tests.halo.conftest import token_for

TEVO_HOST = "api.ticketevolution.com"


def at(http: TestClient, host: str, scheme: str = "https") -> TestClient:
    """A client of the same app whose requests carry `Host: host`, as one whose name for the
    vendor's host points at Rolodex sends them."""
    return TestClient(http.app, base_url=f"{scheme}://{host}", raise_server_exceptions=False)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


@pytest.fixture
def account(runtime: Runtime) -> dict[str, Any]:
    return new_account(runtime, "Vendor Hosts")


# --- Ticket Evolution --------------------------------------------------------------------------


def tevo_headers(
    account: dict[str, Any], method: str, signed_host: str, path: str, rest: bytes = b""
) -> dict[str, str]:
    """X-Token and X-Signature over "{METHOD} {host}{path}?{rest}", as TEvo's SDKs sign (the
    body for POST and PUT, the sorted query otherwise)."""
    message = f"{method} {signed_host}{path}?".encode() + rest
    secret = account["tevo"]["secret"].encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return {
        "X-Token": account["tevo"]["token"],
        "X-Signature": base64.b64encode(digest).decode(),
        "Content-Type": "application/json",
    }


def tevo_send(
    client: TestClient,
    account: dict[str, Any],
    method: str,
    path: str,
    body: Any = None,
    *,
    signed_host: str = TEVO_HOST,
    signed_path: str | None = None,
) -> Any:
    raw = orjson.dumps(body) if body is not None else b""
    headers = tevo_headers(account, method, signed_host, signed_path or path, raw)
    return client.request(method, path, content=raw or None, headers=headers)


def test_tevo_at_its_api_host_creates_and_reads_at_v9_signed_over_the_path_sent(
    http: TestClient, account: dict[str, Any]
) -> None:
    vendor = at(http, TEVO_HOST)
    created = ok(
        tevo_send(vendor, account, "POST", "/v9/clients", {"clients": [{"name": "Moe Szyslak"}]}),
        201,
    )["clients"][0]
    one = f"/v9/clients/{created['id']}"
    shown = tevo_send(vendor, account, "GET", one)
    assert ok(shown)["name"] == "Moe Szyslak"
    assert shown.json()["url"] == one  # no /tevo in what it renders, either way
    listed = ok(tevo_send(vendor, account, "GET", "/v9/clients"))
    assert [c["id"] for c in listed["clients"]] == [created["id"]]
    renamed = tevo_send(vendor, account, "PUT", one, {"name": "Barney Gumble"})
    assert ok(renamed)["name"] == "Barney Gumble"
    added = tevo_send(
        vendor,
        account,
        "POST",
        f"{one}/email_addresses",
        {"email_addresses": [{"label": "Work", "address": "barney@moes.example"}]},
    )
    assert ok(added, 201)["email_addresses"][0]["address"] == "barney@moes.example"

    # The same client at the prefixed path, signed as a client of Rolodex's own name signs it:
    # the same bytes.
    prefixed = tevo_send(http, account, "GET", f"/tevo{one}", signed_host="testserver")
    again = tevo_send(vendor, account, "GET", one)
    assert prefixed.status_code == again.status_code == 200
    assert prefixed.content == again.content

    # TEvo's door sees the path the client sent: a signature over the path Rolodex routes, or
    # over any other path, is refused.
    for signed_path in (f"/tevo{one}", "/v9/clients", f"{one}/addresses"):
        refused = tevo_send(vendor, account, "GET", one, signed_path=signed_path)
        assert refused.status_code == 401, (signed_path, refused.text)
        assert refused.json() == {
            "error": "Your signature is incorrect. Please ensure you are generating it correctly"
        }


def test_tevo_sandbox_host_and_a_port_in_host(http: TestClient, account: dict[str, Any]) -> None:
    sandbox = "api.sandbox.ticketevolution.com"
    created = ok(
        tevo_send(
            at(http, sandbox),
            account,
            "POST",
            "/v9/clients",
            {"clients": [{"name": "Homer Simpson"}]},
            signed_host=sandbox,
        ),
        201,
    )["clients"][0]
    path = f"/v9/clients/{created['id']}"
    on_port = at(http, f"{TEVO_HOST}:8443")
    # Signed with the port, as the Host header says, and without it, as the Ruby SDK signs.
    for signed_host in (f"{TEVO_HOST}:8443", TEVO_HOST):
        shown = tevo_send(on_port, account, "GET", path, signed_host=signed_host)
        assert ok(shown)["name"] == "Homer Simpson", signed_host
    # Host names are case-insensitive; a client signs its host as it wrote it.
    shouted = "API.TicketEvolution.COM"
    headers = {**tevo_headers(account, "GET", shouted, path), "Host": shouted}
    assert ok(http.get(path, headers=headers))["id"] == created["id"]


def test_a_vendor_host_serves_only_its_door(http: TestClient, account: dict[str, Any]) -> None:
    vendor = at(http, TEVO_HOST)
    key = {"Authorization": f"Bearer {account['native']['api_key']}"}
    native_path = vendor.get("/v1/clients", headers=key)
    assert native_path.status_code == 404
    assert "message" in native_path.json() and "error" in native_path.json()  # TEvo's 404
    assert vendor.get("/healthz").status_code == 404
    # The docs pages are at Rolodex's own name: at the vendor's host /docs is the door's path.
    for path in ("/docs", "/openapi.json"):
        door_404 = vendor.get(path)
        assert door_404.status_code == 404, door_404.text
        assert door_404.json()["error"] == "Not Found"  # TEvo's shape, not a page
        assert http.get(f"/tevo{path}").status_code == 200
    for host in ("app.kickserv.com", "acme.viewcases.com", "acme.halopsa.com"):
        missing = at(http, host).get("/docs")
        assert missing.status_code == 404, (host, missing.text)
        assert missing.headers["content-type"].startswith("application/json"), host
    # The prefixed path does not go through twice.
    doubled = tevo_send(vendor, account, "GET", "/tevo/v9/clients")
    assert doubled.status_code == 404, doubled.text


# --- HaloPSA -----------------------------------------------------------------------------------


def halo_token(client: TestClient, account: dict[str, Any], token_path: str = "/auth/token") -> str:
    return token_for(client, account, path=token_path)


def test_halo_at_a_tenant_host_serves_its_api_and_token_endpoint(
    http: TestClient, account: dict[str, Any]
) -> None:
    tenant = account["halo"]["tenant"]
    vendor = at(http, f"{tenant}.halopsa.com")
    info = ok(vendor.get(f"/api/authinfo?tenant={tenant}"))
    # Where the token endpoint is, as this client addresses it (no /halo prefix).
    assert info["token_url"] == f"https://{tenant}.halopsa.com/auth/token"
    assert info["auth_url"] == f"https://{tenant}.halopsa.com/auth"
    token = halo_token(
        vendor, account, info["token_url"].removeprefix(f"https://{tenant}.halopsa.com")
    )
    bearer = {"Authorization": f"Bearer {token}"}
    created = ok(vendor.post("/api/Client", json=[{"name": "Kwik-E-Mart"}], headers=bearer), 201)
    one = f"/api/Client/{created['id']}"
    shown = vendor.get(one, headers=bearer)
    assert ok(shown)["name"] == "Kwik-E-Mart"
    # Halo's paths are case-insensitive, a trailing slash is fine, as at /halo/api.
    assert vendor.get(f"/API/client/{created['id']}/", headers=bearer).content == shown.content
    listed = ok(vendor.get("/api/client", headers=bearer))
    assert [c["id"] for c in listed["clients"]] == [created["id"]]
    prefixed = http.get(f"/halo{one}", headers=bearer)
    assert prefixed.status_code == 200 and prefixed.content == shown.content
    # Rolodex's own name still has the token endpoint under /halo.
    assert ok(http.get("/halo/api/authinfo"))["token_url"] == "http://testserver/halo/auth/token"


def test_every_tenant_under_the_wildcard_is_served(runtime: Runtime, http: TestClient) -> None:
    """Two tenants on hosts of their own under *.halopsa.com (and HaloITSM's *.haloitsm.com),
    each seeing its own clients; a port in Host changes nothing."""
    first, second = new_account(runtime, "Tenant One"), new_account(runtime, "Tenant Two")
    made = {}
    for account, host in (
        (first, f"{first['halo']['tenant']}.halopsa.com"),
        (second, f"{second['halo']['tenant']}.haloitsm.com:8443"),
    ):
        vendor = at(http, host)
        bearer = {"Authorization": f"Bearer {halo_token(vendor, account)}"}
        made[host] = ok(vendor.post("/api/Client", json=[{"name": host}], headers=bearer), 201)
        listed = ok(vendor.get("/api/Client", headers=bearer))
        assert [c["name"] for c in listed["clients"]] == [host]
    # A tenant's subdomain of its own (eu.acme.halopsa.com) is under the wildcard too.
    deeper = at(http, f"eu.{first['halo']['tenant']}.halopsa.com")
    bearer = {"Authorization": f"Bearer {halo_token(deeper, first)}"}
    assert len(ok(deeper.get("/api/Client", headers=bearer))["clients"]) == 1


# --- Trackops ----------------------------------------------------------------------------------


def test_trackops_at_a_viewcases_host_serves_api_v1(
    http: TestClient, account: dict[str, Any]
) -> None:
    auth = (f"{account['trackops']['username']}/token", account["trackops"]["token"])
    vendor = at(http, "acme.viewcases.com")
    body = {
        "client": {
            "name": "Springfield Nuclear",
            "primary_location": {"name": "Plant", "state": "OR", "country": "US"},
        }
    }
    created = vendor.post("/api/v1/clients", json=body, auth=auth)
    client = ok(created, 201)
    # Where the new client is, as this client addresses the API.
    assert created.headers["location"] == f"/api/v1/clients/{client['id']}"
    shown = vendor.get(created.headers["location"], auth=auth)
    assert ok(shown)["name"] == "Springfield Nuclear"
    assert [c["id"] for c in ok(vendor.get("/api/v1/clients", auth=auth))] == [client["id"]]
    location = vendor.post(
        "/api/v1/client/locations",
        json={
            "location": {"root_id": client["id"], "name": "Annex", "state": "OR", "country": "US"}
        },
        auth=auth,
    )
    assert location.headers["location"] == f"/api/v1/client/locations/{ok(location, 201)['id']}"
    prefixed = http.get(f"/trackops/api/v1/clients/{client['id']}", auth=auth)
    assert prefixed.status_code == 200 and prefixed.content == shown.content
    missing = vendor.get("/api/v1/nope", auth=auth)
    assert missing.status_code == 404
    assert missing.json() == {"message": "No route for /api/v1/nope."}
    # At Rolodex's own name, paths keep the prefix.
    again = http.post("/trackops/api/v1/clients", json=body, auth=auth)
    assert again.headers["location"] == f"/trackops/api/v1/clients/{ok(again, 201)['id']}"


# --- Kickserv ----------------------------------------------------------------------------------


def test_kickserv_at_app_kickserv_com_serves_the_account_slug_paths(
    http: TestClient, account: dict[str, Any]
) -> None:
    token = account["kickserv"]["token"]
    slug = account["slug"]
    for host in ("app.kickserv.com", "app.kickserv.com:443", "app.kickserv.com."):
        vendor = at(http, host)
        created = ok(
            vendor.post(
                f"/{slug}/customers.json", json={"customer": {"name": host}}, auth=(token, token)
            )
        )
        shown = vendor.get(
            f"/{slug}/customers/{created['customer_number']}.json", auth=(token, token)
        )
        assert ok(shown)["name"] == host
        prefixed = http.get(
            f"/kickserv/{slug}/customers/{created['customer_number']}.json", auth=(token, token)
        )
        assert prefixed.status_code == 200 and prefixed.content == shown.content
    names = [
        c["name"]
        for c in ok(
            at(http, "app.kickserv.com").get(f"/{slug}/customers.json", auth=(token, token))
        )
    ]
    assert sorted(names) == sorted(
        ["app.kickserv.com", "app.kickserv.com:443", "app.kickserv.com."]
    )


# --- other hosts, the setting ------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.0.0.1:8000",
        "localhost:8000",
        "rolodex.example.com",
        "halopsa.com",  # the wildcard is for hosts under it, not the name itself
        "viewcases.com:8443",
        "evilhalopsa.com",
        "api.ticketevolution.com.example.org",
        "kickserv.com",
        "[::1]:8000",
    ],
)
def test_other_hosts_are_served_as_before(
    http: TestClient, account: dict[str, Any], host: str
) -> None:
    client = at(http, host, scheme="http")
    key = {"Authorization": f"Bearer {account['native']['api_key']}"}
    assert ok(client.get("/v1/clients", headers=key))["data"] == []
    assert ok(client.get("/healthz")) == {"status": "ok"}
    missing = client.get("/v9/clients")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"  # native's 404: no door took it
    prefixed = tevo_send(client, account, "GET", "/tevo/v9/clients", signed_host=host)
    assert ok(prefixed)["clients"] == []


def test_the_setting_replaces_the_defaults(runtime: Runtime, account: dict[str, Any]) -> None:
    settings = Settings(
        database_url=runtime.settings.database_url,
        vendor_hosts=parse_vendor_hosts("tevo.internal=tevo, *.CRM.internal=halo"),
    )
    app = TestClient(create_app(settings, runtime), raise_server_exceptions=False)
    tevo = at(app, "tevo.internal")
    assert ok(tevo_send(tevo, account, "GET", "/v9/clients", signed_host="tevo.internal"))
    halo = at(app, "acme.crm.internal")
    assert halo.get("/api/Client").status_code == 401  # Halo's door, wanting a token
    # The defaults are gone.
    default = at(app, TEVO_HOST).get("/v9/clients")
    assert default.status_code == 404 and default.json()["error"]["code"] == "not_found"
    bare = TestClient(
        create_app(Settings(database_url=runtime.settings.database_url, vendor_hosts=()), runtime)
    )
    assert at(bare, "x.halopsa.com").get("/api/Client").json()["error"]["code"] == "not_found"


def test_the_setting_is_read_from_the_environment_and_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings.from_env().vendor_hosts == DEFAULT_VENDOR_HOSTS
    monkeypatch.setenv("ROLODEX_VENDOR_HOSTS", "API.Example.com.=tevo,*.tenants.test=halo")
    assert Settings.from_env().vendor_hosts == (
        ("api.example.com", "tevo"),
        ("*.tenants.test", "halo"),
    )
    monkeypatch.setenv("ROLODEX_VENDOR_HOSTS", "none")
    assert Settings.from_env().vendor_hosts == ()
    for bad in (
        "api.example.com=native",
        "api.example.com",
        "https://api.example.com=tevo",
        "api.example.com:443=tevo",
        "api.example.com/v9=tevo",
        "*=halo",
        "a.*.test=halo",
        "x.test=tevo,X.test=halo",
    ):
        with pytest.raises(ValueError, match="ROLODEX_VENDOR_HOSTS"):
            parse_vendor_hosts(bad)


def test_serve_refuses_a_bad_vendor_hosts_setting_before_starting(fresh_url: str) -> None:
    runner = CliRunner()
    bad = runner.invoke(
        main, ["serve", "--vendor-hosts", "api.example.com=nope", "--database-url", fresh_url]
    )
    assert bad.exit_code == 2, bad.output
    assert "is not HOST=DOOR" in bad.output
    keyless = runner.invoke(main, ["serve", "--ssl-keyfile", __file__, "--database-url", fresh_url])
    assert keyless.exit_code == 2 and "--ssl-keyfile needs --ssl-certfile" in keyless.output


# --- the rewrite itself ------------------------------------------------------------------------


def test_the_rewrite_keeps_root_path_raw_path_and_what_was_sent_consistent() -> None:
    scope: dict[str, Any] = {
        "type": "http",
        "root_path": "/r",
        "path": "/r/v9/clients/7",
        "raw_path": b"/r/v9/clients/%37",
        "headers": [(b"host", b"api.ticketevolution.com:443")],
    }
    routing = hosts.VendorHosts(DEFAULT_VENDOR_HOSTS, {d: f"/{d}" for _, d in DEFAULT_VENDOR_HOSTS})
    routing.route(scope)
    assert scope["root_path"] == "/r"
    assert scope["path"] == "/r/tevo/v9/clients/7"
    assert scope["raw_path"] == b"/r/tevo/v9/clients/%37"
    assert hosts.sent_raw_path(scope) == b"/r/v9/clients/%37"
    assert hosts.as_addressed(scope, "/tevo/v9/clients/7") == "/v9/clients/7"
    ordinary: dict[str, Any] = {
        "type": "http",
        "path": "/v1/clients",
        "raw_path": b"/v1/clients",
        "headers": [(b"host", b"localhost:8000")],
    }
    routing.route(ordinary)
    assert ordinary["path"] == "/v1/clients" and hosts.SENT_RAW_PATH not in ordinary
    assert hosts.sent_raw_path(ordinary) == b"/v1/clients"
    assert hosts.as_addressed(ordinary, "/trackops/api/v1") == "/trackops/api/v1"
    # The most specific wildcard wins; exact names before wildcards.
    nested = hosts.VendorHosts(
        [("*.test", "halo"), ("*.eu.test", "tevo"), ("a.eu.test", "kickserv")],
        {"halo": "/halo", "tevo": "/tevo", "kickserv": "/kickserv"},
    )
    assert nested.lookup(b"x.test") == "/halo"
    assert nested.lookup(b"x.eu.test:80") == "/tevo"
    assert nested.lookup(b"A.EU.TEST") == "/kickserv"
    assert nested.lookup(b"test") is None


def test_an_unknown_path_at_a_vendor_host_is_named_as_the_client_sent_it(
    http: TestClient, account: dict[str, Any]
) -> None:
    """A door's 404 (and Halo's 405) at its vendor's host names the path without the prefix
    the host adds, as the client wrote it."""
    token = account["kickserv"]["token"]
    kickserv = at(http, "app.kickserv.com").get(
        f"/{account['slug']}/nope.json", auth=(token, token)
    )
    assert kickserv.status_code == 404
    assert kickserv.json() == {
        "errors": {"base": [f'No route matches [GET] "/{account["slug"]}/nope.json"']}
    }
    halo_host = at(http, "acme.halopsa.com")
    bearer = {"Authorization": f"Bearer {halo_token(halo_host, account)}"}
    missing = halo_host.get("/api/nope", headers=bearer)
    assert missing.status_code == 404
    assert missing.json()["error_description"] == "No route for /api/nope."
    wrong = halo_host.delete("/api/Client", headers=bearer)
    assert wrong.status_code == 405
    assert "DELETE is not allowed on /api/client;" in wrong.json()["error_description"]
    tevo = tevo_send(at(http, TEVO_HOST), account, "GET", "/v9/nope")
    assert tevo.status_code == 404
    assert "/v9/nope" in tevo.text and "/tevo" not in tevo.text
