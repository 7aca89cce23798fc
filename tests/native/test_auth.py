"""Authentication, and accounts that cannot see each other."""

from __future__ import annotations

from starlette.testclient import TestClient

from tests.conftest import Api, error_of


def test_health_needs_no_credentials(http: TestClient) -> None:
    response = http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_missing_or_wrong_credentials_are_401(http: TestClient, api: Api) -> None:
    for headers in (
        {},
        {"Authorization": "Bearer rdx_wrong"},
        {"Authorization": f"Basic {api.key}"},
        {"Authorization": "Bearer "},
    ):
        response = http.get("/v1/clients", headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert error_of(response)["code"] == "unauthenticated"


def test_write_without_credentials_writes_nothing(http: TestClient, api: Api) -> None:
    response = http.post("/v1/clients", json={"name": "Sneaky"})
    assert response.status_code == 401
    assert api.all_clients() == []


def test_account_endpoint_names_the_key_owner(api: Api) -> None:
    body = api.get("/v1/account").json()
    assert body["id"] == api.account_id
    assert body["slug"] == api.credentials["slug"]


class TestIsolation:
    def test_lists_show_only_own_clients(self, api: Api, other_api: Api) -> None:
        mine = api.create_client(name="Mine")
        theirs = other_api.create_client(name="Theirs")
        assert [c["id"] for c in api.all_clients()] == [mine["id"]]
        assert [c["id"] for c in other_api.all_clients()] == [theirs["id"]]
        assert api.all_clients("&q=theirs") == []
        assert api.all_clients(f"&number={theirs['number']}") == [mine]

    def test_other_accounts_records_are_404_and_untouched(self, api: Api, other_api: Api) -> None:
        theirs = other_api.create_client(
            name="Theirs", addresses=[{"line1": "1 Main St", "country": "US"}]
        )
        cid = theirs["id"]
        address_id = theirs["addresses"][0]["id"]
        assert api.get(f"/v1/clients/{cid}").status_code == 404
        assert api.patch(f"/v1/clients/{cid}", json={"name": "Mine now"}).status_code == 404
        assert api.delete(f"/v1/clients/{cid}").status_code == 404
        assert api.get(f"/v1/clients/{cid}/addresses").status_code == 404
        assert api.get(f"/v1/clients/{cid}/addresses/{address_id}").status_code == 404
        assert api.post(f"/v1/clients/{cid}/notes", json={"body": "x"}).status_code == 404
        assert (
            api.patch(f"/v1/clients/{cid}/addresses/{address_id}", json={"city": "X"}).status_code
            == 404
        )
        assert other_api.get(f"/v1/clients/{cid}").json() == theirs
        assert other_api.get(f"/v1/clients/{cid}/notes").json()["data"] == []

    def test_other_accounts_company_and_office_cannot_be_linked(
        self, api: Api, other_api: Api
    ) -> None:
        company = other_api.post("/v1/companies", json={"name": "Theirs Inc"}).json()
        response = api.post("/v1/clients", json={"name": "Mine", "company_id": company["id"]})
        assert response.status_code == 422
        assert error_of(response)["field"] == "company_id"
        office_id = other_api.credentials["tevo"]["office_id"]
        response = api.post("/v1/clients", json={"name": "Mine", "office_id": office_id})
        assert response.status_code == 422
        assert error_of(response)["field"] == "office_id"
        assert api.all_clients() == []

    def test_offices_are_per_account(self, api: Api, other_api: Api) -> None:
        mine = api.get("/v1/offices").json()["data"]
        assert [o["id"] for o in mine] == [api.credentials["tevo"]["office_id"]]
        assert mine[0]["is_default"] is True
        theirs = other_api.get("/v1/offices").json()["data"]
        assert {o["id"] for o in mine}.isdisjoint({o["id"] for o in theirs})
