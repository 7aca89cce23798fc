"""HTTP Basic with the token as user and password; a slug that is not the token's account is
refused; unknown paths answer in Kickserv's shape."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from tests.kickserv.conftest import Kickserv, basic, errors_of

ACCESS_DENIED = "HTTP Basic: Access denied.\n"


def assert_denied(response: object) -> None:
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert response.text == ACCESS_DENIED  # type: ignore[attr-defined]
    assert response.headers["www-authenticate"] == 'Basic realm="Application"'  # type: ignore[attr-defined]


def test_token_as_user_and_password_opens_the_account(ks: Kickserv) -> None:
    assert ks.ok(ks.get("/customers.json")) == []


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic"},
        {"Authorization": "Basic not-base64!"},
        {"Authorization": "Bearer TOKEN"},
    ],
    ids=["none", "empty", "garbled", "bearer"],
)
def test_missing_or_malformed_credentials_are_denied(
    http: TestClient, ks: Kickserv, headers: dict[str, str]
) -> None:
    assert_denied(http.get(f"{ks.base}/customers.json", headers=headers))


def test_wrong_token_or_mismatched_password_is_denied(http: TestClient, ks: Kickserv) -> None:
    path = f"{ks.base}/customers.json"
    assert_denied(http.get(path, headers=basic("wrong", "wrong")))
    assert_denied(http.get(path, headers=basic(ks.token, "X")))
    assert_denied(http.get(path, headers=basic(ks.token, "")))
    assert_denied(http.get(path, headers={"Authorization": "Bearer " + ks.token}))


def test_a_write_without_credentials_writes_nothing(http: TestClient, ks: Kickserv) -> None:
    response = http.post(f"{ks.base}/customers.json", json={"customer": {"name": "Sneaky"}})
    assert_denied(response)
    assert ks.ok(ks.get("/customers.json")) == []


def test_another_accounts_slug_is_refused_and_serves_nothing(
    http: TestClient, ks: Kickserv, other_ks: Kickserv
) -> None:
    theirs = other_ks.create_customer(name="Theirs")
    # Authenticate once on the right slug (so the token is cached), then try theirs.
    assert ks.ok(ks.get("/customers.json")) == []
    mine_on_their_slug = basic(ks.token, ks.token)
    for path in (
        "/customers.json",
        f"/customers/{theirs['customer_number']}.json",
        f"/customers/{theirs['customer_number']}/notes.json",
    ):
        assert_denied(http.get(f"{other_ks.base}{path}", headers=mine_on_their_slug))
    response = http.delete(
        f"{other_ks.base}/customers/{theirs['customer_number']}.json", headers=mine_on_their_slug
    )
    assert_denied(response)
    assert [c["name"] for c in other_ks.ok(other_ks.get("/customers.json"))] == ["Theirs"]


def test_unknown_slug_is_refused(http: TestClient, ks: Kickserv) -> None:
    assert_denied(
        http.get("/kickserv/no-such-account/customers.json", headers=basic(ks.token, ks.token))
    )


def test_accounts_do_not_see_each_others_customers(ks: Kickserv, other_ks: Kickserv) -> None:
    ks.create_customer(name="Mine")
    other_ks.create_customer(name="Theirs")
    assert [c["name"] for c in ks.ok(ks.get("/customers.json"))] == ["Mine"]
    assert [c["name"] for c in other_ks.ok(other_ks.get("/customers.json"))] == ["Theirs"]


def test_unknown_path_or_verb_is_a_kickserv_404(ks: Kickserv) -> None:
    assert errors_of(ks.get("/widgets.json"), 404) == {
        "base": [f'No route matches [GET] "{ks.base}/widgets.json"']
    }
    assert errors_of(ks.get("/customers/1"), 404) == {
        "base": [f'No route matches [GET] "{ks.base}/customers/1"']
    }
    assert errors_of(ks.post("/customers/filter.json"), 404) == {
        "base": [f'No route matches [POST] "{ks.base}/customers/filter.json"']
    }
    assert errors_of(ks.put("/customers.json", json={}), 404) == {
        "base": [f'No route matches [PUT] "{ks.base}/customers.json"']
    }
