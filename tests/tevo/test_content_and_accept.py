"""What client code sends beside the body: a body is read as JSON whatever its Content-Type
says (a form type, text, none), and the v8 SDKs' versioned Accept header is fine on /v9."""

from __future__ import annotations

import pytest

from tests.conftest import Api
from tests.tevo.conftest import Tevo

CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=UTF-8",
    "text/plain",
    "multipart/form-data; boundary=x",
    None,
]
ACCEPTS = [
    "application/vnd.ticketevolution.api+json; version=8",
    "application/vnd.ticketevolution.api+json; version=9",
    "application/vnd.ticketevolution.api+json;version=8",
    "application/json",
    "*/*",
]


def headers(content_type: str | None) -> dict[str, str | None]:
    """The Content-Type to send instead of the JSON one; None sends none at all."""
    return {"Content-Type": content_type}


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
def test_a_json_body_is_read_whatever_its_content_type(
    tevo: Tevo, native: Api, content_type: str | None
) -> None:
    response = tevo.post(
        "/clients", {"clients": [{"name": "Ned Flanders"}]}, headers=headers(content_type)
    )
    assert response.status_code == 201, response.text
    [made] = response.json()["clients"]
    assert made["name"] == "Ned Flanders"

    response = tevo.put(
        f"/clients/{made['id']}", {"notes": "neighbourly"}, headers=headers(content_type)
    )
    assert response.status_code == 200, response.text
    assert response.json()["notes"] == "neighbourly"

    path = f"/clients/{made['id']}/email_addresses"
    body = {"email_addresses": [{"address": "ned@example.com"}]}
    response = tevo.post(path, body, headers=headers(content_type))
    assert response.status_code == 201, response.text
    [client] = native.all_clients()
    assert client["description"] == "neighbourly"
    assert [e["address"] for e in client["email_addresses"]] == ["ned@example.com"]


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
def test_a_body_that_is_not_json_is_refused_whatever_its_content_type(
    tevo: Tevo, native: Api, content_type: str | None
) -> None:
    for body in (b"clients[][name]=Ned+Flanders", b"name=Ned%20Flanders", b"<client/>"):
        response = tevo.request("POST", "/clients", content=body, headers=headers(content_type))
        assert response.status_code == 400, response.text
        assert response.json() == {"error": "The body is not valid JSON."}
    assert native.all_clients() == []


@pytest.mark.parametrize("accept", ACCEPTS)
def test_a_versioned_accept_header_is_fine_on_v9(tevo: Tevo, accept: str) -> None:
    response = tevo.post(
        "/clients", {"clients": [{"name": "Ned Flanders"}]}, headers={"Accept": accept}
    )
    assert response.status_code == 201, response.text
    assert response.headers["content-type"] == "application/json"
    client_id = response.json()["clients"][0]["id"]

    for path in (f"/clients/{client_id}", "/clients", f"/clients/{client_id}/addresses"):
        response = tevo.get(path, headers={"Accept": accept})
        assert response.status_code == 200, (path, response.text)
        assert response.headers["content-type"] == "application/json"
    assert tevo.get("/clients", headers={"Accept": accept}).json()["total_entries"] == 1

    response = tevo.put(
        f"/clients/{client_id}", {"name": "Ned Flanders Jr"}, headers={"Accept": accept}
    )
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Ned Flanders Jr"
