"""Clients through the native API: create, read, update, delete, filter, sort and page."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.conftest import Api, error_of

FULL_CLIENT: dict[str, Any] = {
    "kind": "organization",
    "name": "ACME Client",
    "account_code": "AC-001",
    "external_id": "crm-42",
    "website": "https://example.com",
    "invoice_email": "billing@example.com",
    "case_policy": "No subject contact on cases for this client.",
    "invoice_policy": "Cannot bill more than 20 miles per day.",
    "update_policy": "Do not include PII in case updates.",
    "description": "VIP client",
    "invoice_reminders": True,
    "show_location_on_invoice": True,
    "salesperson_id": 7,
    "case_manager_id": 9,
    "inactive": False,
    "balance": "1464.27",
    "custom_fields": {"tier": "gold", "seats": 12},
    "tags": ["VIP", "Left Handed"],
    "addresses": [
        {
            "label": "work",
            "line1": "7721 Springfield Mall Drive",
            "line2": "Suite 202",
            "city": "Springfield",
            "region": "OR",
            "postal_code": "97475",
            "country": "us",
            "is_primary": True,
            "is_primary_billing": True,
        }
    ],
    "phone_numbers": [
        {"label": "cell", "country_code": "+1", "number": "541-555-0573", "is_primary": True}
    ],
    "email_addresses": [{"label": "work", "address": "ned@example.com", "is_primary": True}],
}


def test_create_returns_every_field_and_reads_back_the_same(api: Api) -> None:
    response = api.post("/v1/clients", json=FULL_CLIENT)
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["location"] == f"/v1/clients/{created['id']}"
    assert response.headers["etag"] == '"1"'
    for key in (
        "name",
        "account_code",
        "external_id",
        "website",
        "invoice_email",
        "case_policy",
        "invoice_policy",
        "update_policy",
        "description",
        "invoice_reminders",
        "show_location_on_invoice",
        "salesperson_id",
        "case_manager_id",
        "inactive",
        "custom_fields",
    ):
        assert created[key] == FULL_CLIENT[key], key
    assert created["balance"] == "1464.27"
    assert created["tags"] == ["Left Handed", "VIP"]
    assert created["number"] == 1
    assert created["office_id"] == api.credentials["tevo"]["office_id"]
    [address] = created["addresses"]
    assert address["country"] == "US"
    assert address["is_primary"] and address["is_primary_billing"]
    assert not address["is_primary_shipping"]
    [phone] = created["phone_numbers"]
    assert phone["country_code"] == "1" and phone["number"] == "541-555-0573"
    [email] = created["email_addresses"]
    assert email["address"] == "ned@example.com" and email["is_primary"]
    assert created["created_at"].endswith("Z") and created["updated_at"].endswith("Z")

    fetched = api.get(f"/v1/clients/{created['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == created
    assert fetched.headers["etag"] == response.headers["etag"]


def test_minimal_client_gets_defaults(api: Api) -> None:
    created = api.create_client(name="Ned Flanders")
    assert created["kind"] == "organization"
    assert created["balance"] == "0.00"
    assert created["tags"] == [] and created["addresses"] == []
    assert created["inactive"] is False
    assert created["custom_fields"] == {}


def test_client_numbers_count_per_account(api: Api, other_api: Api) -> None:
    assert [api.create_client()["number"] for _ in range(3)] == [1, 2, 3]
    assert other_api.create_client()["number"] == 1


def test_patch_changes_only_what_it_names(api: Api) -> None:
    created = api.post("/v1/clients", json=FULL_CLIENT).json()
    response = api.patch(
        f"/v1/clients/{created['id']}",
        json={"website": "https://acme.example", "description": None},
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["website"] == "https://acme.example"
    assert updated["description"] is None
    assert updated["name"] == "ACME Client"
    assert updated["tags"] == created["tags"]
    assert updated["addresses"] == created["addresses"]
    assert response.headers["etag"] == '"2"'
    assert updated["updated_at"] >= created["updated_at"]


def test_tags_replace_add_and_remove(api: Api) -> None:
    cid = api.create_client(tags=["a", "b"])["id"]
    assert api.patch(f"/v1/clients/{cid}", json={"tags": ["c"]}).json()["tags"] == ["c"]
    assert api.patch(f"/v1/clients/{cid}", json={"add_tags": ["d", "c"]}).json()["tags"] == [
        "c",
        "d",
    ]
    assert api.patch(f"/v1/clients/{cid}", json={"remove_tags": ["c"]}).json()["tags"] == ["d"]
    assert api.patch(f"/v1/clients/{cid}", json={"tags": []}).json()["tags"] == []


def test_delete_removes_client_and_what_it_owns(api: Api) -> None:
    created = api.post("/v1/clients", json=FULL_CLIENT).json()
    cid = created["id"]
    address_id = created["addresses"][0]["id"]
    assert api.post(f"/v1/clients/{cid}/notes", json={"body": "hello"}).status_code == 201
    response = api.delete(f"/v1/clients/{cid}")
    assert response.status_code == 204
    assert response.content == b""
    assert error_of(api.get(f"/v1/clients/{cid}"))["code"] == "not_found"
    assert api.get(f"/v1/clients/{cid}").status_code == 404
    assert api.get(f"/v1/clients/{cid}/addresses/{address_id}").status_code == 404
    assert api.delete(f"/v1/clients/{cid}").status_code == 404


def test_unknown_client_is_404_in_the_error_shape(api: Api) -> None:
    response = api.get("/v1/clients/999999999")
    assert response.status_code == 404
    assert error_of(response) == {
        "code": "not_found",
        "message": "No client with id 999999999.",
        "field": None,
    }
    assert api.get("/v1/clients/not-a-number").status_code == 404


class TestFilters:
    @pytest.fixture
    def book(self, api: Api) -> dict[str, dict[str, Any]]:
        company = api.post("/v1/companies", json={"name": "The Leftorium"}).json()
        return {
            "ned": api.create_client(
                name="Ned Flanders",
                tags=["vip", "church"],
                company_id=company["id"],
                email_addresses=[{"address": "ned@leftorium.example"}],
                phone_numbers=[{"number": "(541) 555-0123"}],
                account_code="NF1",
            ),
            "moe": api.create_client(
                name="Moe Szyslak",
                tags=["vip"],
                inactive=True,
                email_addresses=[{"address": "moe@tavern.example"}],
            ),
            "homer": api.create_client(name="Homer Simpson", salesperson_id=3),
            "company": company,
        }

    def names(self, api: Api, query: str) -> list[str]:
        return sorted(c["name"] for c in api.all_clients(query))

    def test_name_exact_and_contains(self, api: Api, book: dict[str, Any]) -> None:
        assert self.names(api, "&name=Ned Flanders") == ["Ned Flanders"]
        assert self.names(api, "&name=ned flanders") == []
        assert self.names(api, "&name_contains=SIMP") == ["Homer Simpson"]
        assert self.names(api, "&name_contains=%25") == []  # a literal %, not a wildcard

    def test_tags_company_inactive_salesperson(self, api: Api, book: dict[str, Any]) -> None:
        assert self.names(api, "&tag=vip") == ["Moe Szyslak", "Ned Flanders"]
        assert self.names(api, "&tag=vip&tag=church") == ["Ned Flanders"]
        assert self.names(api, f"&company_id={book['company']['id']}") == ["Ned Flanders"]
        assert self.names(api, "&inactive=true") == ["Moe Szyslak"]
        assert self.names(api, "&inactive=false") == ["Homer Simpson", "Ned Flanders"]
        assert self.names(api, "&salesperson_id=3") == ["Homer Simpson"]
        assert self.names(api, "&account_code=NF1") == ["Ned Flanders"]

    def test_q_searches_names_emails_and_phones(self, api: Api, book: dict[str, Any]) -> None:
        assert self.names(api, "&q=szys") == ["Moe Szyslak"]
        assert self.names(api, "&q=TAVERN.example") == ["Moe Szyslak"]
        assert self.names(api, "&q=5415550123") == ["Ned Flanders"]
        assert self.names(api, "&q=555-0123") == ["Ned Flanders"]
        assert self.names(api, "&q=nobody") == []

    def test_q_takes_wildcards_literally(self, api: Api, book: dict[str, Any]) -> None:
        api.create_client(name="Half_Off 50% Store")
        assert self.names(api, "&q=50%25") == ["Half_Off 50% Store"]
        assert self.names(api, "&q=f_o") == ["Half_Off 50% Store"]
        assert self.names(api, "&q=%25") == ["Half_Off 50% Store"]
        assert self.names(api, "&q=n_d") == []

    def test_q_follows_changes_to_phones_and_emails(self, api: Api, book: dict[str, Any]) -> None:
        homer = book["homer"]["id"]
        response = api.post(
            f"/v1/clients/{homer}/email_addresses", json={"address": "chunkylover53@aol.example"}
        )
        assert response.status_code == 201
        assert self.names(api, "&q=chunkylover") == ["Homer Simpson"]
        api.delete(f"/v1/clients/{homer}/email_addresses/{response.json()['id']}")
        assert self.names(api, "&q=chunkylover") == []

    def test_created_and_updated_ranges(self, api: Api, book: dict[str, Any]) -> None:
        time.sleep(0.01)
        later = api.create_client(name="Bart Simpson")
        since = later["created_at"]
        assert self.names(api, f"&created_gte={since}") == ["Bart Simpson"]
        assert "Bart Simpson" not in self.names(api, f"&created_lte={book['homer']['created_at']}")
        api.patch(f"/v1/clients/{book['ned']['id']}", json={"description": "changed"})
        ned = api.get(f"/v1/clients/{book['ned']['id']}").json()
        assert self.names(api, f"&updated_gte={ned['updated_at']}") == ["Ned Flanders"]
        response = api.get("/v1/clients?created_gte=yesterday")
        assert response.status_code == 400
        assert error_of(response)["field"] == "created_gte"

    def test_bad_query_parameters_are_400_naming_the_parameter(self, api: Api) -> None:
        for query, field in (
            ("inactive=maybe", "inactive"),
            ("company_id=x", "company_id"),
            ("limit=0", "limit"),
            ("limit=101", "limit"),
            ("sort=colour", "sort"),
            ("cursor=garbage", "cursor"),
            ("colour=red", "colour"),
        ):
            response = api.get(f"/v1/clients?{query}")
            assert response.status_code == 400, query
            assert error_of(response)["field"] == field, query


class TestPagination:
    def test_cursor_walks_every_client_once(self, api: Api) -> None:
        made = [api.create_client(name=f"Client {i:02d}")["id"] for i in range(7)]
        seen: list[int] = []
        cursor = None
        pages = 0
        while True:
            query = "/v1/clients?limit=3" + (f"&cursor={cursor}" if cursor else "")
            body = api.get(query).json()
            assert set(body) == {"data", "has_more", "next_cursor"}
            seen += [c["id"] for c in body["data"]]
            pages += 1
            if not body["has_more"]:
                assert body["next_cursor"] is None
                break
            cursor = body["next_cursor"]
        assert seen == made
        assert pages == 3

    @pytest.mark.parametrize(
        "sort", ["name", "-name", "-id", "created_at", "-updated_at", "number"]
    )
    def test_sorted_pages_match_a_full_sort(self, api: Api, sort: str) -> None:
        names = ["delta", "alpha", "Charlie", "bravo", "alpha", "echo"]
        for name in names:
            api.create_client(name=name)
        everything = api.get(f"/v1/clients?limit=100&sort={sort}").json()["data"]
        key = sort.lstrip("-")
        values = [c[key] for c in everything]
        assert values == sorted(values, reverse=sort.startswith("-"))
        walked: list[int] = []
        cursor = ""
        while True:
            body = api.get(f"/v1/clients?limit=2&sort={sort}{cursor}").json()
            walked += [c["id"] for c in body["data"]]
            if not body["has_more"]:
                break
            cursor = f"&cursor={body['next_cursor']}"
        assert walked == [c["id"] for c in everything]

    def test_a_cursor_only_works_with_its_own_sort(self, api: Api) -> None:
        for _ in range(3):
            api.create_client()
        cursor = api.get("/v1/clients?limit=1&sort=name").json()["next_cursor"]
        response = api.get(f"/v1/clients?limit=1&sort=-id&cursor={cursor}")
        assert response.status_code == 400
        assert error_of(response)["field"] == "cursor"


@pytest.mark.parametrize("window", [1, 2, 3, 2000])
@pytest.mark.parametrize("sort", ["id", "-id"])
def test_q_pages_do_not_depend_on_the_scan_window(
    api: Api, monkeypatch: pytest.MonkeyPatch, window: int, sort: str
) -> None:
    """`q` in id order tests a window of clients row by row, then asks the index for the rest;
    whatever the window, every match comes once, in order."""
    from rolodex.domain import queries

    monkeypatch.setattr(queries, "SEARCH_WINDOW", window)
    names = [
        "Match A",
        "Other",
        "Other",
        "Match B",
        "Match C",
        "Other",
        "Other",
        "Other",
        "Match D",
        "Match E",
    ]
    made = [(api.create_client(name=name)["id"], name) for name in names]
    expected = [ident for ident, name in made if name.startswith("Match")]
    if sort == "-id":
        expected.reverse()
    walked: list[int] = []
    cursor = ""
    while True:
        body = api.get(f"/v1/clients?q=match&limit=2&sort={sort}{cursor}").json()
        walked += [c["id"] for c in body["data"]]
        if not body["has_more"]:
            break
        cursor = f"&cursor={body['next_cursor']}"
    assert walked == expected


@pytest.mark.parametrize("window", [1, 2000])
def test_q_with_like_wildcards_pages_past_the_scan_window(
    api: Api, monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    """% and _ in `q` are literal characters, in the scan window and in the index alike."""
    from rolodex.domain import queries

    monkeypatch.setattr(queries, "SEARCH_WINDOW", window)
    names = ["50% Off A", "50 Off", "Other", "50% Off B", "50x Off", "50% Off C"]
    made = [(api.create_client(name=name)["id"], name) for name in names]
    walked: list[int] = []
    cursor = ""
    while True:
        body = api.get(f"/v1/clients?q=50%25%20off&limit=1{cursor}").json()
        walked += [c["id"] for c in body["data"]]
        if not body["has_more"]:
            break
        cursor = f"&cursor={body['next_cursor']}"
    assert walked == [ident for ident, name in made if name.startswith("50% Off")]
