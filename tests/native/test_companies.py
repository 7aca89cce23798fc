"""Companies through the native API: create, read, list, update, delete, and how clients refer
to them."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api, error_of

STALE = {"If-Match": '"7"'}


def make(api: Api, name: str = "The Leftorium") -> dict[str, Any]:
    response = api.post("/v1/companies", json={"name": name})
    assert response.status_code == 201, response.text
    return dict(response.json())


def not_found(ident: int) -> dict[str, Any]:
    return {"code": "not_found", "message": f"No company with id {ident}.", "field": None}


def names(api: Api, query: str = "") -> list[str]:
    response = api.get(f"/v1/companies?limit=100{query}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["has_more"] is False and body["next_cursor"] is None
    return [c["name"] for c in body["data"]]


def test_create_returns_the_company_and_get_reads_it_back(api: Api) -> None:
    response = api.post("/v1/companies", json={"name": "  The Leftorium  "})
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["location"] == f"/v1/companies/{created['id']}"
    assert response.headers["etag"] == '"1"'
    assert set(created) == {"id", "object", "name", "created_at", "updated_at"}
    assert created["object"] == "company"
    assert created["name"] == "The Leftorium"
    assert created["created_at"].endswith("Z") and created["updated_at"].endswith("Z")

    fetched = api.get(f"/v1/companies/{created['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == created
    assert fetched.headers["etag"] == '"1"'


def test_a_company_needs_a_name_of_at_most_200_characters(api: Api) -> None:
    for body, message in (
        ({}, "name: is required"),
        ({"name": ""}, "name: must not be blank"),
        ({"name": None}, "name: must not be null"),
        ({"name": "x" * 201}, "name: must be at most 200 characters"),
        ({"name": "Kwik-E-Mart", "colour": "red"}, "colour: is not a known field"),
    ):
        response = api.post("/v1/companies", json=body)
        assert response.status_code == 422, body
        error = error_of(response)
        assert error["code"] == "validation_failed"
        assert error["message"] == message
    assert names(api) == []
    assert make(api, "x" * 200)["name"] == "x" * 200


def test_list_filters_by_exact_name(api: Api, other_api: Api) -> None:
    for name in ("The Leftorium", "Leftorium", "the leftorium", "Kwik-E-Mart"):
        make(api, name)
    make(other_api, "The Leftorium")
    assert names(api, "&name=The Leftorium") == ["The Leftorium"]
    assert names(api, "&name=Leftorium") == ["Leftorium"]
    assert names(api, "&name=Left") == []
    assert names(api) == ["The Leftorium", "Leftorium", "the leftorium", "Kwik-E-Mart"]
    assert names(other_api) == ["The Leftorium"]
    response = api.get("/v1/companies?name_contains=Left")
    assert response.status_code == 400
    assert error_of(response)["field"] == "name_contains"


def test_cursor_walks_every_company_once(api: Api) -> None:
    made = [make(api, f"Company {i}") for i in range(3)]
    first = api.get("/v1/companies?limit=2")
    assert first.status_code == 200
    page = first.json()
    assert set(page) == {"data", "has_more", "next_cursor"}
    assert page["data"] == made[:2]
    assert page["has_more"] is True
    assert isinstance(page["next_cursor"], str) and page["next_cursor"]
    second = api.get(f"/v1/companies?limit=2&cursor={page['next_cursor']}").json()
    assert second == {"data": made[2:], "has_more": False, "next_cursor": None}

    by_name = api.get("/v1/companies?limit=2&sort=-name").json()
    assert [c["name"] for c in by_name["data"]] == ["Company 2", "Company 1"]
    rest = api.get(f"/v1/companies?limit=2&sort=-name&cursor={by_name['next_cursor']}").json()
    assert [c["name"] for c in rest["data"]] == ["Company 0"]


def test_patch_renames_and_moves_the_etag(api: Api) -> None:
    created = make(api)
    path = f"/v1/companies/{created['id']}"
    response = api.patch(path, json={"name": "The Leftorium II"})
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"2"'
    updated = response.json()
    assert updated["name"] == "The Leftorium II"
    assert updated["id"] == created["id"] and updated["created_at"] == created["created_at"]
    assert updated["updated_at"] >= created["updated_at"]
    assert api.get(path).json() == updated

    response = api.patch(path, json={"name": ""})
    assert response.status_code == 422
    assert error_of(response)["field"] == "name"
    assert api.get(path).json() == updated


def test_if_match_guards_patch_and_delete(api: Api) -> None:
    created = make(api)
    path = f"/v1/companies/{created['id']}"
    for response in (
        api.patch(path, json={"name": "Other"}, headers=STALE),
        api.delete(path, headers=STALE),
    ):
        assert response.status_code == 412
        assert error_of(response)["code"] == "precondition_failed"
    unchanged = api.get(path)
    assert unchanged.json() == created
    assert unchanged.headers["etag"] == '"1"'
    patched = api.patch(path, json={"name": "Other"}, headers={"If-Match": '"1"'})
    assert patched.status_code == 200
    assert api.delete(path, headers={"If-Match": '"2"'}).status_code == 204


def test_delete_is_204_then_404(api: Api) -> None:
    kept = make(api, "Kept")
    gone = make(api, "Gone")
    path = f"/v1/companies/{gone['id']}"
    response = api.delete(path)
    assert response.status_code == 204
    assert response.content == b""
    for again in (api.get(path), api.patch(path, json={"name": "Back"}), api.delete(path)):
        assert again.status_code == 404
        assert error_of(again) == not_found(gone["id"])
    assert names(api) == [kept["name"]]


def test_another_accounts_company_is_404_and_left_alone(api: Api, other_api: Api) -> None:
    theirs = make(other_api)
    path = f"/v1/companies/{theirs['id']}"
    for response in (api.get(path), api.patch(path, json={"name": "Mine"}), api.delete(path)):
        assert response.status_code == 404
        assert error_of(response) == not_found(theirs["id"])
    assert names(api) == []
    still = other_api.get(path)
    assert still.json() == theirs
    assert still.headers["etag"] == '"1"'


def test_clients_filter_by_company(api: Api) -> None:
    leftorium = make(api, "The Leftorium")["id"]
    kwik = make(api, "Kwik-E-Mart")["id"]
    ned = api.create_client(name="Ned", company_id=leftorium)
    rod = api.create_client(name="Rod", company_id=leftorium)
    apu = api.create_client(name="Apu", company_id=kwik)
    api.create_client(name="Homer")
    assert ned["company_id"] == leftorium
    assert [c["id"] for c in api.all_clients(f"&company_id={leftorium}")] == [ned["id"], rod["id"]]
    assert [c["id"] for c in api.all_clients(f"&company_id={kwik}")] == [apu["id"]]

    moved = api.patch(f"/v1/clients/{rod['id']}", json={"company_id": kwik})
    assert moved.status_code == 200, moved.text
    assert moved.json()["company_id"] == kwik
    assert [c["id"] for c in api.all_clients(f"&company_id={kwik}")] == [rod["id"], apu["id"]]


def test_a_client_cannot_join_another_accounts_company(api: Api, other_api: Api) -> None:
    theirs = make(other_api)["id"]
    mine = api.create_client(name="Ned")
    for response in (
        api.post("/v1/clients", json={"name": "Rod", "company_id": theirs}),
        api.post("/v1/clients", json={"name": "Rod", "company_id": 999_999_999}),
        api.patch(f"/v1/clients/{mine['id']}", json={"company_id": theirs}),
    ):
        assert response.status_code == 422, response.text
        error = error_of(response)
        assert error["code"] == "validation_failed"
        assert error["field"] == "company_id"
    assert api.all_clients() == [mine]
    assert api.get(f"/v1/clients/{mine['id']}").headers["etag"] == '"1"'
    assert other_api.all_clients(f"&company_id={theirs}") == []


def test_deleting_a_company_keeps_its_clients_without_one(api: Api) -> None:
    doomed = make(api, "Doomed")["id"]
    other = make(api, "Other")["id"]
    members = [api.create_client(name=n, company_id=doomed)["id"] for n in ("Ned", "Rod")]
    bystander = api.create_client(name="Apu", company_id=other)["id"]
    before = {cid: api.get(f"/v1/clients/{cid}") for cid in [*members, bystander]}

    assert api.delete(f"/v1/companies/{doomed}").status_code == 204

    for cid in members:
        after = api.get(f"/v1/clients/{cid}")
        assert after.status_code == 200
        assert after.json()["company_id"] is None
        assert after.headers["etag"] != before[cid].headers["etag"]
        assert after.json()["updated_at"] >= before[cid].json()["updated_at"]
        assert {k: v for k, v in after.json().items() if k not in ("company_id", "updated_at")} == {
            k: v for k, v in before[cid].json().items() if k not in ("company_id", "updated_at")
        }
    untouched = api.get(f"/v1/clients/{bystander}")
    assert untouched.json() == before[bystander].json()
    assert untouched.headers["etag"] == before[bystander].headers["etag"]
    assert api.all_clients(f"&company_id={doomed}") == []
    assert sorted(c["id"] for c in api.all_clients()) == sorted([*members, bystander])
