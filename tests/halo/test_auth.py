"""The OAuth2 client credentials flow: POST /halo/auth/token, bearer tokens that expire,
scopes, and /api/authinfo discovery."""

from __future__ import annotations

import base64
import hashlib
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from starlette.testclient import TestClient

from rolodex.domain import tokens
from rolodex.models import AccessToken
from rolodex.runtime import Runtime
from tests.conftest import new_account
from tests.halo.conftest import Halo, halo_error, token_for


def _form(credentials: dict[str, Any], **overrides: str) -> dict[str, str]:
    halo = credentials["halo"]
    form = {
        "grant_type": "client_credentials",
        "client_id": halo["client_id"],
        "client_secret": halo["client_secret"],
        "scope": "all",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def test_token_response_has_the_fields_halo_clients_read(http: TestClient, halo: Halo) -> None:
    response = http.post("/halo/auth/token", data=_form(halo.credentials))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "all"
    assert isinstance(body["access_token"], str) and len(body["access_token"]) >= 32
    listed = http.get(
        "/halo/api/Client", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert listed.status_code == 200
    assert listed.json()["record_count"] == 0


def test_tenant_query_is_the_account_slug(http: TestClient, halo: Halo) -> None:
    tenant = halo.credentials["halo"]["tenant"]
    assert tenant == halo.credentials["slug"]
    ok = http.post(f"/halo/auth/token?tenant={tenant}", data=_form(halo.credentials))
    assert ok.status_code == 200
    wrong = http.post("/halo/auth/token?tenant=someone-else", data=_form(halo.credentials))
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    assert "someone-else" in wrong.json()["error_description"]


def test_each_token_is_new_and_stored_only_as_a_hash(
    http: TestClient, halo: Halo, runtime: Runtime
) -> None:
    first = token_for(http, halo.credentials)
    second = token_for(http, halo.credentials)
    assert first != second
    stored = runtime.run_sync(
        lambda s: list(
            s.execute(
                select(AccessToken.token_hash, AccessToken.scheme, AccessToken.scope).where(
                    AccessToken.account_id == halo.account_id
                )
            )
        ),
        write=False,
    )
    hashes = {row.token_hash for row in stored}
    assert hashlib.sha256(first.encode()).hexdigest() in hashes
    assert hashlib.sha256(second.encode()).hexdigest() in hashes
    assert first not in hashes and second not in hashes
    assert {row.scheme for row in stored} == {"halo"}


def test_client_secret_basic_is_accepted(http: TestClient, halo: Halo) -> None:
    creds = halo.credentials["halo"]
    basic = base64.b64encode(f"{creds['client_id']}:{creds['client_secret']}".encode()).decode()
    response = http.post(
        "/halo/auth/token",
        data={"grant_type": "client_credentials", "scope": "all"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["token_type"] == "Bearer"


def test_wrong_credentials_are_refused(http: TestClient, halo: Halo, other_halo: Halo) -> None:
    for form in (
        _form(halo.credentials, client_secret="not-the-secret"),
        _form(halo.credentials, client_id="unknown-client"),
        _form(halo.credentials, client_secret=other_halo.credentials["halo"]["client_secret"]),
        {"grant_type": "client_credentials"},
    ):
        response = http.post("/halo/auth/token", data=form)
        assert response.status_code == 401, form
        assert response.json()["error"] == "invalid_client"
        assert response.json()["error_description"]
        assert "access_token" not in response.json()


def test_grant_type_must_be_client_credentials(http: TestClient, halo: Halo) -> None:
    response = http.post("/halo/auth/token", data=_form(halo.credentials, grant_type="password"))
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"
    missing = _form(halo.credentials)
    del missing["grant_type"]
    response = http.post("/halo/auth/token", data=missing)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert http.get("/halo/auth/token").status_code == 405


def test_api_needs_a_valid_bearer_token(http: TestClient, halo: Halo) -> None:
    secret = halo.credentials["halo"]["client_secret"]
    for headers in (
        {},
        {"Authorization": "Bearer not-a-token"},
        {"Authorization": f"Bearer {secret}"},
        {"Authorization": f"Basic {halo.token}"},
        {"Authorization": "Bearer "},
    ):
        for method, path in (
            ("GET", "/halo/api/Client"),
            ("POST", "/halo/api/Client"),
            ("GET", "/halo/api/Site/1"),
            ("GET", "/halo/api/CRMNote"),
            ("GET", "/halo/api/AreaAzureTenant"),
        ):
            response = http.request(method, path, headers=headers, json=[{"name": "Sneaky"}])
            assert response.status_code == 401, (headers, path)
            assert response.headers["www-authenticate"].startswith("Bearer")
            assert halo_error(response)["error"] == "unauthorized"
    assert halo.clients()["record_count"] == 0


def test_an_expired_token_is_refused(http: TestClient, halo: Halo, runtime: Runtime) -> None:
    expired = runtime.run_sync(
        lambda s: tokens.issue(
            s, halo.account_id, "halo", scope="all", lifetime=timedelta(seconds=-1)
        ),
        write=True,
    )
    response = http.get("/halo/api/Client", headers={"Authorization": f"Bearer {expired.token}"})
    assert response.status_code == 401
    assert "expired" in halo_error(response)["error_description"]


def test_a_token_that_expires_soon_is_not_served_from_the_cache(
    http: TestClient, halo: Halo, runtime: Runtime
) -> None:
    assert runtime.credentials.ttl > 2  # a cached token would outlive this one
    short = runtime.run_sync(
        lambda s: tokens.issue(
            s, halo.account_id, "halo", scope="all", lifetime=timedelta(seconds=1.5)
        ),
        write=True,
    )
    headers = {"Authorization": f"Bearer {short.token}"}
    assert http.get("/halo/api/Client", headers=headers).status_code == 200
    time.sleep(1.6)
    assert http.get("/halo/api/Client", headers=headers).status_code == 401


def test_expired_tokens_are_purged_when_a_token_is_issued(
    http: TestClient, halo: Halo, runtime: Runtime
) -> None:
    expired = runtime.run_sync(
        lambda s: tokens.issue(
            s, halo.account_id, "halo", scope="all", lifetime=timedelta(seconds=-5)
        ),
        write=True,
    )
    digest = hashlib.sha256(expired.token.encode()).hexdigest()

    def stored() -> int:
        return len(
            runtime.run_sync(
                lambda s: list(
                    s.scalars(select(AccessToken.id).where(AccessToken.token_hash == digest))
                ),
                write=False,
            )
        )

    assert stored() == 1
    token_for(http, halo.credentials)
    assert stored() == 0


def test_scopes_limit_what_a_token_reaches(http: TestClient, halo: Halo) -> None:
    client = halo.create_client(name="Scoped")
    read_only = Halo(http, halo.credentials, token_for(http, halo.credentials, "read:customers"))
    assert read_only.get(f"/Client/{client['id']}").status_code == 200
    refused = read_only.post("/Client", json=[{"name": "Not allowed"}])
    assert refused.status_code == 403
    assert halo_error(refused)["error"] == "insufficient_scope"
    assert read_only.delete(f"/Client/{client['id']}").status_code == 403

    editor = Halo(
        http, halo.credentials, token_for(http, halo.credentials, "read:customers edit:customers")
    )
    assert editor.post("/Client", json=[{"name": "Allowed"}]).status_code == 201

    crm_only = Halo(http, halo.credentials, token_for(http, halo.credentials, "edit:crm"))
    assert crm_only.get("/Client").status_code == 403
    note = crm_only.post("/CRMNote", json=[{"client_id": client["id"], "note": "Hello"}])
    assert note.status_code == 201, note.text
    assert halo.clients()["record_count"] == 2


def test_a_cached_token_keeps_its_scopes(http: TestClient, halo: Halo) -> None:
    crm_reader = Halo(http, halo.credentials, token_for(http, halo.credentials, "read:crm"))
    for _ in range(2):  # the second round is answered from the credential cache
        assert crm_reader.get("/CRMNote").status_code == 200
        assert crm_reader.get("/Client").status_code == 403
        assert crm_reader.post("/CRMNote", json=[{"client_id": 1, "note": "x"}]).status_code == 403


def test_token_response_echoes_the_requested_scope(http: TestClient, halo: Halo) -> None:
    response = http.post(
        "/halo/auth/token", data=_form(halo.credentials, scope="read:customers  edit:customers")
    )
    assert response.json()["scope"] == "read:customers edit:customers"
    default = _form(halo.credentials)
    del default["scope"]
    assert http.post("/halo/auth/token", data=default).json()["scope"] == "all"


def test_authinfo_points_at_the_token_endpoint(http: TestClient) -> None:
    for path in ("/halo/api/authinfo", "/halo/api/AuthInfo"):
        response = http.get(path)
        assert response.status_code == 200
        body = response.json()
        assert body["auth_url"] == "http://testserver/halo/auth"
        assert body["auth_url"] + "/token" == body["token_url"]
        assert body["tenant_id"] is None
    assert http.get("/halo/api/authinfo?tenant=acme").json()["tenant_id"] == "acme"


def test_paths_under_api_ignore_case(halo: Halo) -> None:
    created = halo.create_client(name="Casey")
    for path in ("/Client", "/client", "/CLIENT", "/cLiEnT/", f"/client/{created['id']}"):
        response = halo.get(path)
        assert response.status_code == 200, path
    assert halo.get(f"/CLIENT/{created['id']}").json()["name"] == "Casey"
    assert (
        halo.post("/crmNOTE", json=[{"client_id": created["id"], "note": "x"}]).status_code == 201
    )


def test_unknown_paths_and_methods_answer_in_halo_shape(halo: Halo) -> None:
    missing = halo.get("/NoSuchThing")
    assert missing.status_code == 404
    assert halo_error(missing)["error"] == "not_found"
    assert "/halo/api/nosuchthing" in missing.json()["error_description"]
    wrong = halo.http.put("/halo/api/Client", headers={"Authorization": f"Bearer {halo.token}"})
    assert wrong.status_code == 405
    assert halo_error(wrong)["error"] == "method_not_allowed"
    assert wrong.headers["allow"] == "GET, POST"
    head = halo.http.head("/halo/api/Client", headers={"Authorization": f"Bearer {halo.token}"})
    assert head.status_code == 200
    outside = halo.http.get("/halo/whatever")
    assert outside.status_code == 404
    assert halo_error(outside)["error"] == "not_found"


def test_accounts_cannot_reach_each_other(halo: Halo, other_halo: Halo) -> None:
    mine = halo.create_client(name="Mine")
    site = halo.create_site(mine["id"])
    note = halo.post("/CRMNote", json=[{"client_id": mine["id"], "note": "private"}]).json()
    assert other_halo.clients()["clients"] == []
    assert other_halo.get(f"/Client/{mine['id']}").status_code == 404
    assert other_halo.get(f"/Site/{site['id']}").status_code == 404
    assert other_halo.get(f"/CRMNote/{note['id']}").status_code == 404
    assert other_halo.get("/Site").json()["sites"] == []
    assert other_halo.get("/CRMNote").json() == []
    assert other_halo.delete(f"/Client/{mine['id']}").status_code == 404
    update = other_halo.post("/Client", json=[{"id": mine["id"], "name": "Stolen"}])
    assert update.status_code == 404
    assert halo.get(f"/Client/{mine['id']}").json()["name"] == "Mine"


def test_a_new_account_can_get_a_token(http: TestClient, runtime: Runtime) -> None:
    credentials = new_account(runtime, "Fresh")
    assert token_for(http, credentials)
