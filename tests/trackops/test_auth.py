"""Authentication: HTTP Basic with `{username}/token` and the account's Trackops API token, as
the SDK sends it; anything else is a 401 with a Basic challenge. Each account sees only its
own records."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.trackops.conftest import BASE, LOCATION, Trackops

PATHS = (
    "/clients",
    "/clients/1",
    "/client/locations",
    "/client/locations/1",
    "/client/contacts",
    "/client/contacts/1",
)


def assert_challenge(response: Any) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Basic ")
    assert 'realm="Trackops API"' in response.headers["www-authenticate"]
    body = response.json()
    assert set(body) == {"message"} and body["message"]


def basic(value: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(value.encode()).decode()}


@pytest.mark.parametrize("path", PATHS)
def test_no_credentials_is_401_with_a_basic_challenge(http: TestClient, path: str) -> None:
    assert_challenge(http.get(BASE + path))


@pytest.mark.parametrize("path", ("/clients", "/client/locations", "/client/contacts"))
def test_a_post_without_credentials_is_401_and_writes_nothing(
    trackops: Trackops, path: str
) -> None:
    response = trackops.http.post(BASE + path, json={"client": {"name": "X"}})
    assert_challenge(response)
    assert trackops.ok("/clients?mode=count")["record_count"] == 0


def test_the_username_needs_the_token_suffix(trackops: Trackops) -> None:
    username, token = trackops.auth
    assert trackops.http.get(BASE + "/clients", auth=(username, token)).status_code == 200
    bare = username.removesuffix("/token")
    assert_challenge(trackops.http.get(BASE + "/clients", auth=(bare, token)))
    assert_challenge(trackops.http.get(BASE + "/clients", auth=(bare + "/api", token)))


def test_the_username_is_not_case_sensitive(trackops: Trackops) -> None:
    username, token = trackops.auth
    response = trackops.http.get(BASE + "/clients", auth=(username.upper(), token))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer something"},
        {"Authorization": "Basic"},
        {"Authorization": "Basic not-base64!!"},
        basic("no-colon-at-all"),
        basic("/token:abc"),
    ],
)
def test_malformed_credentials_are_401(trackops: Trackops, headers: dict[str, str]) -> None:
    assert_challenge(trackops.http.get(BASE + "/clients", headers=headers))


def test_wrong_token_or_unknown_user_is_401(trackops: Trackops, other_trackops: Trackops) -> None:
    username, token = trackops.auth
    assert_challenge(trackops.http.get(BASE + "/clients", auth=(username, token + "0")))
    assert_challenge(trackops.http.get(BASE + "/clients", auth=(username, "")))
    assert_challenge(trackops.http.get(BASE + "/clients", auth=("nobody-here/token", token)))
    # Another account's token does not open this account.
    assert_challenge(trackops.http.get(BASE + "/clients", auth=(username, other_trackops.auth[1])))


def test_other_credentials_of_the_account_do_not_open_this_door(trackops: Trackops) -> None:
    key = trackops.credentials["native"]["api_key"]
    assert_challenge(
        trackops.http.get(BASE + "/clients", headers={"Authorization": f"Bearer {key}"})
    )
    username = trackops.credentials["trackops"]["username"]
    assert_challenge(trackops.http.get(BASE + "/clients", auth=(f"{username}/token", key)))


def test_accounts_see_only_their_own_records(trackops: Trackops, other_trackops: Trackops) -> None:
    client = trackops.create_client()
    location = trackops.create_location(client["id"], name="Branch")
    contact = trackops.create_contact(location["id"])
    other_trackops.create_client(name="Theirs")

    assert trackops.ids("/clients") == [client["id"]]
    for path, ident in (
        ("/clients", client["id"]),
        ("/client/locations", location["id"]),
        ("/client/contacts", contact["id"]),
    ):
        response = other_trackops.get(f"{path}/{ident}")
        assert response.status_code == 404, response.text
        assert other_trackops.ok(f"{path}?id={ident}") == []
        assert other_trackops.ok(f"{path}?id={ident}&mode=count") == {
            "record_count": 0,
            "page_count": 0,
        }
    # Nor can another account write under this account's client or location.
    response = other_trackops.post(
        "/client/locations", {"location": {"root_id": client["id"], **LOCATION}}
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"root_id"}
    response = other_trackops.post(
        "/client/contacts",
        {"contact": {"client_id": location["id"], "role_id": 1, "last_name": "X"}},
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"client_id"}
    assert trackops.ok(f"/client/contacts?client={client['id']}") == [contact]
