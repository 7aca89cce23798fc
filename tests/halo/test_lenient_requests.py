"""Requests as client code in the wild makes them, beyond Halo's documents (issue 16): GETs
that say `Content-Type: application/json` with no body, the token endpoint's tenant and
scopes, discovery through /api/authinfo, and lists paged until `record_count`."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from rolodex.doors.halo.routes import TABLE
from tests.halo.conftest import Halo, halo_error, token_for

JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


# --- GET with a JSON content type and no body -------------------------------------------------


def test_every_get_takes_a_json_content_type_and_no_body(halo: Halo) -> None:
    client = halo.create_client(name="Seen", newclient_sitename="Main", popup_notes=[{"id": 1}])
    site = halo.create_site(client["id"], name="Branch")
    note = halo.post("/CRMNote", json=[{"client_id": client["id"], "note": "n"}]).json()
    ids = {"client": client["id"], "site": site["id"], "crmnote": note["id"]}
    ids["arearequesttype"] = client["id"]
    gets = [path for path, methods in TABLE if "GET" in methods]
    assert len(gets) >= 12
    for path in gets:
        resource = path.split("/")[2]
        shown = path.replace("{id:int}", str(ids.get(resource, 0)))[len("/api") :]
        for headers in (JSON_HEADERS, {"Content-Type": "application/json; charset=utf-8"}):
            response = halo.get(shown, headers=headers)
            expected = 404 if shown == "/client/me" else 200
            assert response.status_code == expected, (shown, response.text)
            assert response.headers["content-type"] == "application/json"
        # Some clients send an empty body with a length of 0, or "{}", along with the GET.
        plain = halo.get(shown)
        sent = halo.http.request(
            "GET",
            f"/halo/api{shown}",
            content=b"",
            headers={"Authorization": f"Bearer {halo.token}", **JSON_HEADERS},
        )
        assert (sent.status_code, sent.json()) == (plain.status_code, plain.json()), shown
        braces = halo.http.request(
            "GET",
            f"/halo/api{shown}",
            content=b"{}",
            headers={"Authorization": f"Bearer {halo.token}", **JSON_HEADERS},
        )
        assert braces.status_code == plain.status_code, shown
    info = halo.http.get("/halo/api/authinfo", headers=JSON_HEADERS)
    assert info.status_code == 200
    assert info.json()["auth_url"] == "http://testserver/halo/auth"


def test_a_json_content_type_on_a_get_still_needs_a_token(http: TestClient) -> None:
    response = http.get("/halo/api/Client", headers=JSON_HEADERS)
    assert response.status_code == 401
    assert halo_error(response)["error"] == "unauthorized"


# --- the token endpoint -----------------------------------------------------------------------


def _token(http: TestClient, halo: Halo, query: str = "", **fields: str) -> Any:
    creds = halo.credentials["halo"]
    form = {
        "grant_type": "client_credentials",
        "client_id": creds["client_id"],
        "client_secret": creds["client_secret"],
        **fields,
    }
    return http.post(f"/halo/auth/token{query}", data=form)


def test_the_tenant_may_come_in_the_query_or_the_form(http: TestClient, halo: Halo) -> None:
    tenant = halo.credentials["halo"]["tenant"]
    for query, fields in (
        (f"?tenant={tenant}", {}),
        ("", {"tenant": tenant}),
        ("", {"tenant": tenant.upper()}),
        (f"?tenant={tenant}", {"tenant": tenant}),
        ("", {}),
    ):
        response = _token(http, halo, query, **fields)
        assert response.status_code == 200, (query, fields, response.text)
    for query, fields in (("?tenant=someone-else", {}), ("", {"tenant": "someone-else"})):
        refused = _token(http, halo, query, **fields)
        assert refused.status_code == 401
        assert refused.json()["error"] == "invalid_client"
        assert "someone-else" in refused.json()["error_description"]


@pytest.mark.parametrize(
    "scope", ["all", "admin edit:tickets edit:customers", "read:crm  edit:customers"]
)
def test_any_scope_string_is_granted_as_asked(http: TestClient, halo: Halo, scope: str) -> None:
    response = _token(http, halo, scope=scope)
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == " ".join(scope.split())
    granted = Halo(http, halo.credentials, response.json()["access_token"])
    # Each reaches clients: its scopes name them, or everything.
    assert granted.get("/Client").status_code == 200
    assert granted.post("/Client", json={"name": scope}).status_code == 201


def test_a_scope_without_clients_gets_a_token_that_cannot_reach_them(
    http: TestClient, halo: Halo
) -> None:
    for scope in ("admin edit:tickets", "some:scope-nobody-knows"):
        response = _token(http, halo, scope=scope)
        assert response.status_code == 200
        granted = Halo(http, halo.credentials, response.json()["access_token"])
        refused = granted.get("/Client")
        assert refused.status_code == 403
        assert halo_error(refused)["error"] == "insufficient_scope"
        assert scope in halo_error(refused)["error_description"]
    too_long = _token(http, halo, scope="x" * 501)
    assert too_long.status_code == 400
    assert too_long.json()["error"] == "invalid_request"


def test_discovery_through_authinfo_leads_to_a_token(http: TestClient, halo: Halo) -> None:
    """As Halo's PowerShell module connects: GET /api/authinfo, then POST `auth_url` +
    `/token` with the tenant in the query and the form as its body."""
    tenant = halo.credentials["halo"]["tenant"]
    info = http.get("/halo/api/authinfo", headers={"Accept": "application/json"})
    assert info.status_code == 200
    body = info.json()
    assert body["auth_url"] == "http://testserver/halo/auth"
    assert body["token_url"] == body["auth_url"] + "/token"
    creds = halo.credentials["halo"]
    token = http.post(
        f"{body['auth_url']}/token?tenant={tenant}",
        data={
            "grant_type": "client_credentials",
            "client_id": creds["client_id"],
            "client_secret": creds["client_secret"],
            "scope": "all",
        },
    )
    assert token.status_code == 200, token.text
    assert token.json()["token_type"] == "Bearer"
    assert http.get("/halo/api/authinfo?tenant=acme").json()["tenant_id"] == "acme"


# --- paging until record_count ----------------------------------------------------------------


def _page_all(halo: Halo, path: str, key: str, page_size: int, extra: str = "") -> list[Any]:
    """What a client paging by number does: ask for pages until it holds `record_count`."""
    got: list[Any] = []
    page_no = 0
    while True:
        page_no += 1
        assert page_no < 50, "never reached record_count"
        response = halo.get(
            f"{path}?pageinate=True&page_size={page_size}&page_no={page_no}{extra}",
            headers=JSON_HEADERS,
        )
        assert response.status_code == 200, response.text
        view = response.json()
        assert (view["page_no"], view["page_size"]) == (page_no, page_size)
        got += view[key]
        if len(got) >= view["record_count"]:
            assert len(got) == view["record_count"]
            return got


def _seed(halo: Halo) -> tuple[list[int], list[int], list[int]]:
    """Seven clients (in name order), a site each, and seven notes: (their ids)."""
    clients = halo.post(
        "/Client", json=[{"name": f"Client {n:02d}", "newclient_sitename": "HQ"} for n in range(7)]
    ).json()
    client_ids = [c["id"] for c in clients]
    site_ids = [s["id"] for s in halo.get("/Site?order=id").json()["sites"]]
    notes = halo.post(
        "/CRMNote", json=[{"client_id": client_ids[0], "note": f"n{n}"} for n in range(7)]
    ).json()
    return client_ids, site_ids, [n["id"] for n in notes]


@pytest.mark.parametrize("page_size", [1, 3, 7, 50])
def test_paging_until_record_count_gets_every_record_once(halo: Halo, page_size: int) -> None:
    client_ids, site_ids, note_ids = _seed(halo)
    clients = _page_all(halo, "/Client", "clients", page_size)
    assert [c["id"] for c in clients] == client_ids  # by name, as the unpaged list
    sites = _page_all(halo, "/Site", "sites", page_size, "&order=id")
    assert [s["id"] for s in sites] == site_ids
    notes = _page_all(halo, "/CRMNote", "notes", page_size)
    assert sorted(n["id"] for n in notes) == sorted(note_ids)
    assert notes == halo.get("/CRMNote").json()  # newest first, as the unpaged list


def test_a_page_past_the_end_is_empty_and_still_counts_every_record(halo: Halo) -> None:
    _seed(halo)
    for path, key in (("/Client", "clients"), ("/Site", "sites"), ("/CRMNote", "notes")):
        view = halo.get(f"{path}?pageinate=1&page_size=5&page_no=3").json()
        assert (view["page_no"], view["page_size"], view["record_count"], view[key]) == (
            3,
            5,
            7,
            [],
        ), path
        second = halo.get(f"{path}?PAGEINATE=TRUE&page_size=5&page_no=2").json()
        assert (len(second[key]), second["record_count"]) == (2, 7), path


def test_count_limits_an_unpaged_list(halo: Halo) -> None:
    client_ids, _site_ids, _note_ids = _seed(halo)
    view = halo.get("/Client?count=3").json()
    assert [c["id"] for c in view["clients"]] == client_ids[:3]
    assert (view["page_no"], view["page_size"], view["record_count"]) == (None, None, 7)
    sites = halo.get("/Site?count=2").json()
    assert (len(sites["sites"]), sites["record_count"]) == (2, 7)
    notes = halo.get("/CRMNote?count=4").json()
    assert notes == halo.get("/CRMNote").json()[:4]
    # Without pageinate, page_size and page_no are not asked for: every record comes.
    assert len(halo.get("/Client?page_size=2&page_no=2").json()["clients"]) == 7
    assert len(halo.get("/CRMNote?page_size=2").json()) == 7
    # pageinate=false is not paging; count still limits.
    assert len(halo.get("/Site?pageinate=false&count=5&page_size=1").json()["sites"]) == 5


@pytest.mark.parametrize(
    "query",
    ["pageinate=yes", "pageinate=true&page_size=0", "pageinate=true&page_no=abc", "count=-1"],
)
def test_paging_parameters_that_mean_nothing_are_refused(halo: Halo, query: str) -> None:
    for path in ("/Client", "/Site", "/CRMNote"):
        response = halo.get(f"{path}?{query}")
        assert response.status_code == 400, (path, query)
        assert halo_error(response)["error"] == "invalid_parameter"


def test_a_client_library_written_for_halo_works_unchanged(http: TestClient, halo: Halo) -> None:
    """The calls a Python client for Halo makes (requests' way of writing booleans, a bare
    object to create, POST /Client/{id} to update), end to end."""
    token = token_for(http, halo.credentials, "all")
    session = Halo(http, halo.credentials, token)
    created = session.post("/Client", json={"name": "Library Co", "pritech": "3"}).json()
    assert created["pritech"] == 3
    updated = session.post(
        f"/Client/{created['id']}", json={"id": created["id"], "notes": "Updated"}
    ).json()
    assert updated["notes"] == "Updated" and updated["name"] == "Library Co"
    listed = session.get(
        "/Client?search=Library&includeinactive=False&clienttype=1"
        "&pageinate=True&page_size=100&page_no=1&orderdesc=False",
        headers=JSON_HEADERS,
    ).json()
    assert [c["id"] for c in listed["clients"]] == [created["id"]]
    assert listed["record_count"] == 1
    assert session.get(f"/Client/{created['id']}", headers=JSON_HEADERS).json() == updated
