"""/v9/clients/{id}/addresses, /phone_numbers and /email_addresses: list, show, create (with
the plural wrapper), update, delete, each answered in the wrapper the vendor documents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import Api
from tests.tevo.conftest import Tevo
from tests.tevo.helpers import not_found, string_id, timestamp


@dataclass(frozen=True)
class Resource:
    key: str
    entity: str  # as a 404 names it
    create: dict[str, Any]  # one record of a create body
    created: dict[str, Any]  # how it reads back (without id, url, updated_at)
    update: dict[str, Any]
    updated: dict[str, Any]  # the fields the update changed, as they read back
    created_as: str  # "plain" {"key": [...]} or "paged" (the list envelope)
    updated_as: str  # "bare" or "plain"
    bad_create: tuple[dict[str, Any], dict[str, list[str]]]
    bad_update: tuple[dict[str, Any], dict[str, list[str]]]

    def __str__(self) -> str:
        return self.key


ADDRESSES = Resource(
    "addresses",
    "Address",
    {
        "label": "home",
        "name": "Ned Flanders",
        "company": "The Leftorium",
        "street_address": "742 Evergreen Terrace",
        "extended_address": "Apt 1",
        "locality": "Springfield",
        "region": "OR",
        "postal_code": "97475",
        "country_code": "us",
        "latitude": "44.05",
        "longitude": -123.02,
        "po_box": False,
        "primary": True,
        "is_primary_shipping": True,
        "is_primary_billing": False,
    },
    {
        "label": "home",
        "name": "Ned Flanders",
        "company": "The Leftorium",
        "street_address": "742 Evergreen Terrace",
        "extended_address": "Apt 1",
        "locality": "Springfield",
        "region": "OR",
        "postal_code": "97475",
        "country_code": "US",
        "latitude": 44.05,
        "longitude": -123.02,
        "po_box": False,
        "primary": True,
        "primary_shipping_address": True,
        "primary_billing_address": False,
    },
    {"locality": "Shelbyville", "is_primary_billing": True, "extended_address": None},
    {"locality": "Shelbyville", "primary_billing_address": True, "extended_address": None},
    "plain",
    "bare",
    ({"label": "l" * 21}, {"label": ["is too long (maximum is 20 characters)"]}),
    (
        {"country_code": "USA"},
        {"country_code": ["must be a 2-letter ISO 3166-1 country code"]},
    ),
)
PHONE_NUMBERS = Resource(
    "phone_numbers",
    "PhoneNumber",
    {
        "label": "cell",
        "country_code": "+1",
        "area_code": "541",
        "number": "555-0573",
        "extension": 12,
        "is_primary": True,
    },
    {
        "label": "cell",
        "country_code": "1",
        "area_code": "541",
        "number": "555-0573",
        "extension": "12",
        "raw_number": "555-0573",
        "primary": True,
    },
    {"label": "work", "extension": None},
    {"label": "work", "extension": None},
    "paged",
    "plain",
    ({"label": "cell"}, {"number": ["can't be blank"]}),
    ({"number": ""}, {"number": ["can't be blank"]}),
)
EMAIL_ADDRESSES = Resource(
    "email_addresses",
    "EmailAddress",
    {"label": "Work", "address": "moe@moestavern.com"},
    {"label": "Work", "address": "moe@moestavern.com", "primary": False},
    {"address": "moe.szyslak@moestavern.com", "is_primary": True},
    {"address": "moe.szyslak@moestavern.com", "primary": True},
    "plain",
    "plain",
    ({"label": "home"}, {"address": ["can't be blank"]}),
    ({"address": "not an email"}, {"address": ["must be an email address"]}),
)
RESOURCES = [ADDRESSES, PHONE_NUMBERS, EMAIL_ADDRESSES]


def created_records(resource: Resource, body: Any) -> list[dict[str, Any]]:
    """The records of a create answer, after checking its wrapper."""
    if resource.created_as == "paged":
        records = body[resource.key]
        assert body == {
            "current_page": 1,
            "per_page": 100,
            "total_entries": len(records),
            resource.key: records,
        }
    else:
        assert list(body) == [resource.key]
        records = body[resource.key]
    return list(records)


def updated_record(resource: Resource, body: Any) -> dict[str, Any]:
    if resource.updated_as == "bare":
        assert "id" in body
        return dict(body)
    assert list(body) == [resource.key]
    [record] = body[resource.key]
    return dict(record)


def whole(
    resource: Resource, client_id: str, record: dict[str, Any], fields: dict[str, Any]
) -> dict[str, Any]:
    """What the record must read as: its id, url and time, and the expected fields."""
    ident = string_id(record["id"])
    return {
        "id": str(ident),
        "url": f"/v9/clients/{client_id}/{resource.key}/{ident}",
        **{k: None for k in record if k not in ("id", "url", "updated_at", *fields)},
        **fields,
        "updated_at": timestamp(record["updated_at"]),
    }


def create(
    tevo: Tevo, resource: Resource, client_id: str, *items: dict[str, Any]
) -> list[dict[str, Any]]:
    response = tevo.post(f"/clients/{client_id}/{resource.key}", {resource.key: list(items)})
    assert response.status_code == 201, response.text
    return created_records(resource, response.json())


@pytest.fixture(params=RESOURCES, ids=str)
def resource(request: pytest.FixtureRequest) -> Resource:
    return request.param  # type: ignore[no-any-return]


def test_create_show_list(tevo: Tevo, resource: Resource) -> None:
    client = tevo.create_client()
    [record] = create(tevo, resource, client["id"], resource.create)
    assert record == whole(resource, client["id"], record, resource.created)
    # No field is unaccounted for: the expected ones plus id, url, updated_at (and, for
    # addresses, nothing left at null by surprise).
    assert set(record) == {"id", "url", "updated_at", *resource.created}

    path = f"/clients/{client['id']}/{resource.key}"
    response = tevo.get(f"{path}/{record['id']}")
    assert response.status_code == 200
    assert response.json() == record
    assert tevo.get(path).json() == {
        "current_page": 1,
        "per_page": 100,
        "total_entries": 1,
        resource.key: [record],
    }
    # The client embeds it.
    assert tevo.get(f"/clients/{client['id']}").json()[resource.key] == [record]


def test_create_several_and_page_through(tevo: Tevo, resource: Resource) -> None:
    client = tevo.create_client()
    second = {**resource.create, "label": "second"}
    for flag in ("primary", "is_primary", "is_primary_shipping"):
        second.pop(flag, None)
    first_made, second_made = create(tevo, resource, client["id"], resource.create, second)
    assert string_id(second_made["id"]) > string_id(first_made["id"])
    assert second_made["label"] == "second"
    path = f"/clients/{client['id']}/{resource.key}"
    body = tevo.get(path, params={"page": 2, "per_page": 1}).json()
    assert body == {
        "current_page": 2,
        "per_page": 1,
        "total_entries": 2,
        resource.key: [second_made],
    }
    assert tevo.get(path, params={"page": 3, "per_page": 1}).json()[resource.key] == []


def test_update(tevo: Tevo, resource: Resource) -> None:
    client = tevo.create_client()
    [record] = create(tevo, resource, client["id"], resource.create)
    path = f"/clients/{client['id']}/{resource.key}/{record['id']}"
    response = tevo.put(path, resource.update)
    assert response.status_code == 200, response.text
    updated = updated_record(resource, response.json())
    assert updated == {
        **record,
        **resource.updated,
        "updated_at": timestamp(updated["updated_at"]),
    }
    assert tevo.get(path).json() == updated


def test_delete(tevo: Tevo, native: Api, resource: Resource) -> None:
    client = tevo.create_client()
    [record] = create(tevo, resource, client["id"], resource.create)
    path = f"/clients/{client['id']}/{resource.key}/{record['id']}"
    response = tevo.delete(path)
    assert response.status_code == 200, response.text
    assert response.json() == {resource.key: [{"id": record["id"]}]}
    assert tevo.get(path).status_code == 404
    assert tevo.get(f"/clients/{client['id']}").json()[resource.key] == []
    assert native.get(f"/v1/clients/{client['id']}/{resource.key}").json()["data"] == []
    response = tevo.delete(path)
    assert response.status_code == 404
    assert response.json() == not_found(resource.entity, record["id"])


def test_unknown_client_or_record_is_404(tevo: Tevo, other_tevo: Tevo, resource: Resource) -> None:
    client = tevo.create_client()
    other_client = tevo.create_client(name="Other Client")
    [record] = create(tevo, resource, other_client["id"], resource.create)
    base = f"/clients/{client['id']}/{resource.key}"

    for method, path in (
        ("GET", "/clients/987654321/" + resource.key),
        ("POST", "/clients/987654321/" + resource.key),
        ("GET", f"/clients/987654321/{resource.key}/{record['id']}"),
        ("PUT", f"/clients/987654321/{resource.key}/{record['id']}"),
        ("DELETE", f"/clients/987654321/{resource.key}/{record['id']}"),
    ):
        response = tevo.request(method, path, json_body={resource.key: [resource.create]})
        assert response.status_code == 404, (method, path)
        assert response.json() == not_found("Client", 987654321)

    # A record of another client is not this client's.
    for method in ("GET", "PUT", "DELETE"):
        response = tevo.request(method, f"{base}/{record['id']}", json_body=resource.update)
        assert response.status_code == 404, method
        assert response.json() == not_found(resource.entity, record["id"])
    response = tevo.get(f"{base}/abc")
    assert response.json() == not_found(resource.entity, "abc")
    # Another account sees nothing.
    response = other_tevo.get(f"/clients/{other_client['id']}/{resource.key}/{record['id']}")
    assert response.status_code == 404
    assert response.json() == not_found("Client", other_client["id"])


def test_a_refused_create_writes_nothing(tevo: Tevo, native: Api, resource: Resource) -> None:
    client = tevo.create_client()
    bad, errors = resource.bad_create
    response = tevo.post(
        f"/clients/{client['id']}/{resource.key}", {resource.key: [resource.create, bad]}
    )
    assert response.status_code == 422, response.text
    assert response.json() == {
        resource.key: [
            {"id": None, **resource.create, "updated_at": None, "errors": {}},
            {"id": None, **bad, "updated_at": None, "errors": errors},
        ]
    }
    assert native.get(f"/v1/clients/{client['id']}/{resource.key}").json()["data"] == []
    assert tevo.get(f"/clients/{client['id']}").json() == client


def test_a_refused_update_answers_the_record_as_it_stands(tevo: Tevo, resource: Resource) -> None:
    client = tevo.create_client()
    [record] = create(tevo, resource, client["id"], resource.create)
    path = f"/clients/{client['id']}/{resource.key}/{record['id']}"
    bad, errors = resource.bad_update
    response = tevo.put(path, {**resource.update, **bad})
    assert response.status_code == 422, response.text
    shown = {**record, "errors": errors}
    expected = shown if resource.updated_as == "bare" else {resource.key: [shown]}
    assert response.json() == expected
    assert tevo.get(path).json() == record


def test_a_create_without_its_wrapper_is_400(tevo: Tevo, resource: Resource) -> None:
    client = tevo.create_client()
    response = tevo.post(f"/clients/{client['id']}/{resource.key}", resource.create)
    assert response.status_code == 400
    assert response.json() == {"error": f"param is missing or the value is empty: {resource.key}"}


def test_a_new_primary_moves_the_flag(tevo: Tevo, native: Api) -> None:
    client = tevo.create_client(
        addresses=[{"street_address": "742 Evergreen Terrace", "is_primary_billing": True}],
        email_addresses=[{"address": "ned@example.com", "is_primary": True}],
    )
    old_address = client["primary_billing_address"]
    [new_address] = create(
        tevo, ADDRESSES, client["id"], {"street_address": "1 New St", "is_primary_billing": True}
    )
    [new_email] = create(
        tevo, EMAIL_ADDRESSES, client["id"], {"address": "ned2@example.com", "primary": True}
    )
    after = tevo.get(f"/clients/{client['id']}").json()
    assert after["primary_billing_address"] == new_address
    assert after["primary_email_address"] == new_email
    assert [a["primary_billing_address"] for a in after["addresses"]] == [True, False]
    assert after["addresses"][1]["id"] == old_address["id"]
    emails = native.get(f"/v1/clients/{client['id']}/email_addresses").json()["data"]
    assert [(str(e["id"]), e["is_primary"]) for e in emails] == [
        (client["email_addresses"][0]["id"], False),
        (new_email["id"], True),
    ]
