"""Bad input: a clear 4xx naming the field, and nothing written."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api, error_of


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": 123}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({}, "name"),
        ({"name": None}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "A", "inactive": "yes"}, "inactive"),
        ({"name": "A", "salesperson_id": "7"}, "salesperson_id"),
        ({"name": "A", "salesperson_id": 1.5}, "salesperson_id"),
        ({"name": "A", "invoice_email": "not-an-email"}, "invoice_email"),
        ({"name": "A", "website": "example.com"}, "website"),
        ({"name": "A", "balance": "12.345678"}, "balance"),
        ({"name": "A", "balance": "lots"}, "balance"),
        ({"name": "A", "balance": True}, "balance"),
        ({"name": "A", "custom_fields": ["x"]}, "custom_fields"),
        ({"name": "A", "kind": "robot"}, "kind"),
        ({"name": "A", "favourite_colour": "blue"}, "favourite_colour"),
        ({"name": "A", "tags": ["x" * 101]}, "tags"),
        ({"name": "A", "addresses": [{"country": "USA"}]}, "country"),
        ({"name": "A", "addresses": [{"country": "U1"}]}, "country"),
        ({"name": "A", "addresses": [{"postal_code": "1" * 21}]}, "postal_code"),
        ({"name": "A", "phone_numbers": [{"label": "cell"}]}, "number"),
        ({"name": "A", "email_addresses": [{"address": "nope"}]}, "address"),
        (
            {
                "name": "A",
                "email_addresses": [
                    {"address": "a@b.co", "is_primary": True},
                    {"address": "c@d.co", "is_primary": True},
                ],
            },
            "email_addresses.is_primary",
        ),
    ],
)
def test_invalid_client_is_422_naming_the_field_and_nothing_is_written(
    api: Api, body: dict[str, Any], field: str
) -> None:
    response = api.post("/v1/clients", json=body)
    assert response.status_code == 422, response.text
    error = error_of(response)
    assert error["code"] == "validation_failed"
    assert error["field"] == field
    assert field in error["message"]
    assert api.all_clients() == []


@pytest.mark.parametrize(
    ("raw", "content_type"),
    [
        (b'{"name": "A"', "application/json"),
        (b"[1, 2]", "application/json"),
        (b'"just a string"', "application/json"),
        (b"", "application/json"),
        (b"name=A", "application/x-www-form-urlencoded"),
        (b"\xff\xfe", "application/json"),
    ],
)
def test_unreadable_bodies_are_400(api: Api, raw: bytes, content_type: str) -> None:
    response = api.post("/v1/clients", content=raw, headers={"Content-Type": content_type})
    assert response.status_code == 400, response.text
    assert error_of(response)["code"] == "malformed_request"
    assert api.all_clients() == []


def test_wrong_shapes_for_nested_lists_are_400(api: Api) -> None:
    response = api.post("/v1/clients", json={"name": "A", "addresses": {"city": "X"}})
    assert response.status_code == 400
    assert error_of(response)["field"] == "addresses"
    response = api.post("/v1/clients", json={"name": "A", "tags": "vip"})
    assert response.status_code == 400
    assert error_of(response)["field"] == "tags"
    assert api.all_clients() == []


def test_every_problem_is_listed(api: Api) -> None:
    response = api.post("/v1/clients", json={"name": "", "inactive": 1, "website": "nope"})
    assert response.status_code == 422
    details = response.json()["error"]["details"]
    assert {d["field"] for d in details} == {"name", "inactive", "website"}


def test_refused_patch_changes_nothing(api: Api) -> None:
    created = api.create_client(name="Stable", tags=["keep"])
    cid = created["id"]
    response = api.patch(
        f"/v1/clients/{cid}", json={"name": "Changed", "tags": ["new"], "invoice_email": "bad"}
    )
    assert response.status_code == 422
    assert error_of(response)["field"] == "invoice_email"
    assert api.get(f"/v1/clients/{cid}").json() == created


def test_duplicate_external_id_is_409(api: Api) -> None:
    api.create_client(name="First", external_id="ext-1")
    response = api.post("/v1/clients", json={"name": "Second", "external_id": "ext-1"})
    assert response.status_code == 409
    assert error_of(response)["field"] == "external_id"
    assert [c["name"] for c in api.all_clients()] == ["First"]


def test_oversize_body_is_refused(api: Api) -> None:
    response = api.post(
        "/v1/clients",
        content=b'{"name": "' + b"x" * (1024 * 1024) + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert api.all_clients() == []


def test_unknown_route_and_method_answer_in_the_error_shape(api: Api) -> None:
    response = api.get("/v1/clientz")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
    response = api.http.put("/v1/clients", headers={"Authorization": f"Bearer {api.key}"})
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("updated_lte=", "updated_lte"),
        ("company_id=", "company_id"),
        ("inactive=", "inactive"),
        ("limit=", "limit"),
        ("limit=5&limit=", "limit"),
        ("limit=5&limit=6", "limit"),
        ("name=A&name=B", "name"),
        ("cursor=x&cursor=y", "cursor"),
    ],
)
def test_an_empty_typed_or_repeated_parameter_is_400_naming_it(
    api: Api, query: str, field: str
) -> None:
    api.create_client(name="A")
    response = api.get(f"/v1/clients?{query}")
    assert response.status_code == 400, response.text
    error = error_of(response)
    assert error["code"] == "invalid_parameter"
    assert error["field"] == field


def test_a_list_parameter_may_repeat_and_a_string_may_be_empty(api: Api) -> None:
    api.create_client(name="Tagged", tags=["a", "b"])
    api.create_client(name="Half", tags=["a"])
    response = api.get("/v1/clients?tag=a&tag=b&q=")
    assert response.status_code == 200, response.text
    assert [c["name"] for c in response.json()["data"]] == ["Tagged"]


@pytest.mark.parametrize(
    "query", ["name=a%00b", "q=%00", "tag=x%00", "cursor=%00", "name%00=x", "limit=1%00"]
)
def test_a_nul_in_the_query_is_400_naming_the_parameter(api: Api, query: str) -> None:
    api.create_client(name="A")
    response = api.get(f"/v1/clients?{query}")
    assert response.status_code == 400, response.text
    error = error_of(response)
    assert error["code"] == "invalid_parameter"
    name = query.split("=")[0].replace("%00", "\\u0000")
    assert error["field"] == name
    assert "NUL" in error["message"]


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b'{"name": "a\\u0000b"}', "name"),
        (b'{"name": "A", "tags": ["ok", "\\u0000"]}', "tags[1]"),
        (b'{"name": "A", "addresses": [{"city": "X\\u0000"}]}', "addresses[0].city"),
        (
            b'{"name": "A", "custom_fields": {"k": {"deep": ["\\u0000"]}}}',
            "custom_fields.k.deep[0]",
        ),
        (b'{"name": "A", "custom_fields": {"k\\u0000": 1}}', "custom_fields.k\\u0000"),
    ],
)
def test_a_nul_in_the_body_is_422_naming_the_field_and_nothing_is_written(
    api: Api, raw: bytes, field: str
) -> None:
    response = api.post("/v1/clients", content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    error = error_of(response)
    assert error["code"] == "validation_failed"
    assert error["field"] == field
    assert api.all_clients() == []


def test_a_nul_in_a_patch_changes_nothing(api: Api) -> None:
    created = api.create_client(name="Stable")
    response = api.patch(
        f"/v1/clients/{created['id']}",
        content=b'{"description": "x\\u0000"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert error_of(response)["field"] == "description"
    assert api.get(f"/v1/clients/{created['id']}").json() == created


@pytest.mark.parametrize("amount", [10**30, 1e308, -1e308, "1e400", "-99999999999999999999.5"])
def test_a_money_amount_far_out_of_range_is_422_naming_it(api: Api, amount: Any) -> None:
    response = api.post("/v1/clients", json={"name": "A", "balance": amount})
    assert response.status_code == 422, response.text
    assert error_of(response)["field"] == "balance"
    assert api.all_clients() == []


def test_a_body_nested_too_deep_is_422_naming_the_field(api: Api) -> None:
    deep: Any = "bottom"
    for _ in range(40):
        deep = [deep]
    response = api.post("/v1/clients", json={"name": "A", "custom_fields": {"k": deep}})
    assert response.status_code == 422, response.text
    error = error_of(response)
    assert error["field"] == "custom_fields.k"
    assert "deeper than 32" in error["message"]
    assert api.all_clients() == []


def test_a_batch_is_checked_for_depth_by_its_deepest_client_not_its_bracket_count(
    api: Api,
) -> None:
    """A batch has far more brackets than the depth limit, spread over its clients, and
    brackets inside strings count for nothing: it goes in. One client nesting too deep among
    many is refused by its path, and nothing is written."""
    clients: list[dict[str, Any]] = [
        {"name": f"C{n} [[[[{{{{", "tags": ["t"], "custom_fields": {"k": [[[n]]]}}
        for n in range(60)
    ]
    answer = api.post("/v1/clients/batch", json={"clients": clients})
    assert answer.status_code == 201, answer.text
    assert len(api.all_clients()) == 60
    deep: Any = "bottom"
    for _ in range(40):
        deep = [deep]
    clients[41]["custom_fields"] = {"k": deep}
    refused = api.post("/v1/clients/batch", json={"clients": clients})
    assert refused.status_code == 422, refused.text
    assert error_of(refused)["field"] == "clients[41].custom_fields"
    assert len(api.all_clients()) == 60


def test_custom_fields_keep_numbers_of_any_size_and_nesting_within_the_limit(api: Api) -> None:
    deep: Any = "bottom"
    for _ in range(30):
        deep = {"d": deep}
    fields = {"u64": 2**64 - 1, "big": 1e308, "tiny": -1e-308, "beyond": 1e30, "deep": deep}
    created = api.create_client(name="Numbers", custom_fields=fields)
    assert created["custom_fields"] == fields
    assert api.get(f"/v1/clients/{created['id']}").json()["custom_fields"] == fields
