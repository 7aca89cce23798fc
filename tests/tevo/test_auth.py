"""X-Token + X-Signature: base64(HMAC-SHA256(secret, "{METHOD} {host}{path}?{rest}"))."""

from __future__ import annotations

import json

from rolodex.doors.tevo import auth
from tests.conftest import Api
from tests.tevo.conftest import BASE, HOST, Tevo
from tests.tevo.helpers import SIGNATURE_INCORRECT, not_found
from tests.tevo.signing import signature

DOCS_STRING = "GET api.ticketevolution.com/v9/brokerages?page=1&per_page=1"
# The correct value for the /v9 string; the docs print the HMAC of the old path without /v9.
V9_SIGNATURE = "n+kyuaIJKFuUTkEYCdMhR3l3o9WNBbTIJE3qcniboWE="
DOCS_PRINTED = "ohGcFIHF3vg75A8Kpg42LNxuQpQZJsTBKv8xnZASzu0="


def test_documented_vector() -> None:
    assert signature("xyz", DOCS_STRING) == V9_SIGNATURE
    # Why the docs' printed value differs: it signs the pre-v9 path.
    assert signature("xyz", DOCS_STRING.replace("/v9", "")) == DOCS_PRINTED


def test_server_builds_the_documented_string_and_signature() -> None:
    # The query arrives unsorted and with the :443 a client may send; the string to sign
    # sorts it by key and drops the default port.
    for host in ("api.ticketevolution.com", "api.ticketevolution.com:443"):
        built = auth.canonical_string(
            "GET", host, b"/v9/brokerages", b"per_page=1&page=1", b"ignored for GET"
        )
        assert built == DOCS_STRING.encode()
        assert auth.sign("xyz", built) == V9_SIGNATURE
    post = auth.canonical_string(
        "POST",
        "api.ticketevolution.com",
        b"/v9/clients",
        b"",
        b'{"clients":[{"name":"Michael Starr"}]}',
    )
    assert post == b'POST api.ticketevolution.com/v9/clients?{"clients":[{"name":"Michael Starr"}]}'
    assert auth.canonical_string("GET", "h", b"/v9/categories", b"", b"") == b"GET h/v9/categories?"


def test_a_signed_request_is_served(tevo: Tevo) -> None:
    response = tevo.get("/clients", params={"page": 1, "per_page": 1})
    assert response.status_code == 200, response.text
    assert response.json()["clients"] == []


def raw_get(tevo: Tevo, target: str, signed: str, headers: dict[str, str] | None = None) -> object:
    return tevo.http.get(
        target,
        headers={
            "X-Token": tevo.token,
            "X-Signature": signature(tevo.secret, signed),
            **(headers or {}),
        },
    )


def test_wrong_signature_is_401_with_the_vendor_message(tevo: Tevo, native: Api) -> None:
    response = tevo.get("/clients", secret="x" * 40)
    assert response.status_code == 401
    assert response.json() == SIGNATURE_INCORRECT

    response = tevo.http.get(f"{BASE}/clients", headers={"X-Token": tevo.token})
    assert response.status_code == 401
    assert response.json() == SIGNATURE_INCORRECT

    # A refused POST writes nothing.
    response = tevo.post("/clients", {"clients": [{"name": "Ned Flanders"}]}, secret="x" * 40)
    assert response.status_code == 401
    assert response.json() == SIGNATURE_INCORRECT
    assert native.all_clients() == []


def test_unknown_or_missing_token_is_401(tevo: Tevo) -> None:
    for headers in ({}, {"X-Token": "n" * 32, "X-Signature": "abc="}, {"X-Signature": "abc="}):
        response = tevo.http.get(f"{BASE}/clients", headers=headers)
        assert response.status_code == 401
        assert response.json() == {"error": "Unauthorized"}


def test_the_query_is_signed_sorted_by_key(tevo: Tevo) -> None:
    path = f"{BASE}/clients"
    # Sent unsorted, signed sorted: served.
    response = raw_get(tevo, f"{path}?per_page=1&page=1", f"GET {HOST}{path}?page=1&per_page=1")
    assert response.status_code == 200, response.text
    assert response.json()["per_page"] == 1
    # Signed in the order sent: served too (a signer that does not sort; see
    # test_signature_forms). Signed in an order that is neither: "if you do not sort your query
    # string alphabetically by key you will get a 401 error".
    sent = f"{path}?per_page=1&page=1&name=Ned"
    assert raw_get(tevo, sent, f"GET {HOST}{sent}").status_code == 200
    response = raw_get(tevo, sent, f"GET {HOST}{path}?per_page=1&name=Ned&page=1")
    assert response.status_code == 401
    assert response.json() == SIGNATURE_INCORRECT
    # The ? is always there.
    assert raw_get(tevo, path, f"GET {HOST}{path}?").status_code == 200
    assert raw_get(tevo, path, f"GET {HOST}{path}").status_code == 401


def test_the_path_is_signed_as_received_prefix_included(tevo: Tevo) -> None:
    assert raw_get(tevo, f"{BASE}/clients", f"GET {HOST}{BASE}/clients?").status_code == 200
    response = raw_get(tevo, f"{BASE}/clients", f"GET {HOST}/v9/clients?")
    assert response.status_code == 401


def test_host_ports(tevo: Tevo) -> None:
    path = f"{BASE}/clients"
    # :80 and :443 are dropped before signing.
    for port in ("80", "443"):
        response = raw_get(tevo, path, f"GET {HOST}{path}?", {"Host": f"{HOST}:{port}"})
        assert response.status_code == 200, response.text
    # Any other port is part of the host.
    host = f"{HOST}:8000"
    assert raw_get(tevo, path, f"GET {host}{path}?", {"Host": host}).status_code == 200
    assert raw_get(tevo, path, f"GET otherhost{path}?", {"Host": host}).status_code == 401
    # What the SDKs sign: the Ruby SDK drops any port, the PHP SDK keeps "http://".
    assert raw_get(tevo, path, f"GET {HOST}{path}?", {"Host": host}).status_code == 200
    assert raw_get(tevo, path, f"GET http://{host}{path}?", {"Host": host}).status_code == 200
    assert raw_get(tevo, path, f"GET https://{host}{path}?", {"Host": host}).status_code == 401


def test_a_body_is_signed_exactly_as_sent(tevo: Tevo, native: Api) -> None:
    path = f"{BASE}/clients"
    sent = b'{"clients": [{"name": "Ned Flanders"}]}'
    compact = json.dumps({"clients": [{"name": "Ned Flanders"}]}, separators=(",", ":"))
    response = tevo.http.post(
        path,
        content=sent,
        headers={
            "X-Token": tevo.token,
            "X-Signature": signature(tevo.secret, f"POST {HOST}{path}?{compact}"),
        },
    )
    assert response.status_code == 401
    assert native.all_clients() == []
    response = tevo.http.post(
        path,
        content=sent,
        headers={
            "X-Token": tevo.token,
            "X-Signature": signature(tevo.secret, f"POST {HOST}{path}?".encode() + sent),
        },
    )
    assert response.status_code == 201, response.text
    assert [c["name"] for c in native.all_clients()] == ["Ned Flanders"]


def test_a_delete_without_a_body_signs_the_sorted_query(tevo: Tevo) -> None:
    company = tevo.post("/companies", {"companies": [{"name": "Doomed"}]}).json()["companies"][0]
    path = f"{BASE}/companies/{company['id']}"
    signed = signature(tevo.secret, f"DELETE {HOST}{path}?a=1&b=2")
    headers = {"X-Token": tevo.token, "X-Signature": signed}
    response = tevo.http.delete(f"{path}?b=2&a=1", headers=headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"companies": [{"id": company["id"]}]}


def test_a_delete_with_a_body_signs_the_body(tevo: Tevo) -> None:
    """The Ruby SDK sends a DELETE's params as a JSON body and signs that body."""
    client = tevo.create_client(email_addresses=[{"address": "ned@example.com"}])
    email_id = client["email_addresses"][0]["id"]
    path = f"{BASE}/clients/{client['id']}/email_addresses/{email_id}"
    body = b'{"id":"%s"}' % email_id.encode()

    def delete(signed: bytes) -> object:
        return tevo.http.request(
            "DELETE",
            path,
            content=body,
            headers={"X-Token": tevo.token, "X-Signature": signature(tevo.secret, signed)},
        )

    assert delete(f"DELETE {HOST}{path}?".encode()).status_code == 401
    response = delete(f"DELETE {HOST}{path}?".encode() + body)
    assert response.status_code == 200, response.text
    assert response.json() == {"email_addresses": [{"id": email_id}]}


def test_credentials_of_another_account_see_nothing_of_this_one(
    tevo: Tevo, other_tevo: Tevo
) -> None:
    client = tevo.create_client()
    response = other_tevo.get(f"/clients/{client['id']}")
    assert response.status_code == 404
    assert response.json() == not_found("Client", client["id"])
    assert other_tevo.get("/clients").json()["total_entries"] == 0
    # One account's token with the other's secret is a bad signature.
    response = tevo.get("/clients", secret=other_tevo.secret)
    assert response.status_code == 401
    assert response.json() == SIGNATURE_INCORRECT


def test_unknown_paths_answer_in_the_vendor_shape(tevo: Tevo) -> None:
    for method, path in (
        ("GET", "/nothing_here"),
        ("DELETE", "/clients/1"),
        ("PATCH", "/clients/1"),
        ("GET", "/clients/1/credit_cards"),
    ):
        response = tevo.request(method, path)
        assert response.status_code == 404, (method, path)
        assert response.json() == {
            "message": f'No route matches [{method}] "{BASE}{path}"',
            "error": "Not Found",
        }
    response = tevo.http.get("/tevo/v10/clients")
    assert response.status_code == 404
    assert response.json()["error"] == "Not Found"
