"""GET/POST /trackops/api/v1/client/contacts and GET /client/contacts/{id}: contacts belong to
a client location (`client_id` on a contact is a location id), need a role, and are listed by
the documented filters."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from rolodex.models import Contact
from rolodex.runtime import Runtime
from tests.trackops.conftest import BASE, TIMESTAMP, Trackops, assert_errors, set_times


def test_create_a_contact_at_a_location(trackops: Trackops) -> None:
    client = trackops.create_client()
    location = client["primary_location"]
    body = {
        "client_id": location["id"],
        "role_id": 4,
        "salesperson_id": 9,
        "first_name": "Jane",
        "last_name": "Roe",
        "title": "Claims Adjuster",
        "email": "jane.roe@example.com",
        "phone_primary": "555-555-0100",
        "phone_mobile": "555-555-0199",
        "notes": "Prefers email.",
    }
    response = trackops.post("/client/contacts", {"contact": body})
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["location"] == f"{BASE}/client/contacts/{created['id']}"
    assert created == {
        "id": created["id"],
        "client_id": location["id"],
        "root_id": client["id"],
        **{k: v for k, v in body.items() if k != "client_id"},
        "created": created["created"],
        "updated": created["updated"],
    }
    assert TIMESTAMP.match(created["created"]) and TIMESTAMP.match(created["updated"])
    assert trackops.ok(f"/client/contacts/{created['id']}") == created
    assert trackops.ok("/client/contacts") == [created]


@pytest.mark.parametrize("wrapper", ["contact", "client_contact", None])
def test_the_body_may_be_wrapped_or_bare(trackops: Trackops, wrapper: str | None) -> None:
    location = trackops.create_client()["primary_location"]
    fields = {"client_id": str(location["id"]), "role_id": "2", "first_name": "Only"}
    response = trackops.post("/client/contacts", {wrapper: fields} if wrapper else fields)
    assert response.status_code == 201, response.text
    created = response.json()
    assert (
        created["client_id"],
        created["role_id"],
        created["first_name"],
        created["last_name"],
    ) == (
        location["id"],
        2,
        "Only",
        None,
    )


def test_a_contact_belongs_to_the_locations_client(trackops: Trackops) -> None:
    client = trackops.create_client()
    branch = trackops.create_location(client["id"], name="Branch")
    contact = trackops.create_contact(branch["id"])
    assert (contact["client_id"], contact["root_id"]) == (branch["id"], client["id"])


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"role_id": 1, "last_name": "Doe"}, ["client_id"]),
        ({"client_id": 999999999, "role_id": 1, "last_name": "Doe"}, ["client_id"]),
        ({"client_id": "loc", "role_id": 1, "last_name": "Doe"}, ["client_id"]),
        ({"client_id": "LOCATION", "last_name": "Doe"}, ["role_id"]),
        ({"client_id": "LOCATION", "role_id": "admin", "last_name": "Doe"}, ["role_id"]),
        ({"client_id": "LOCATION", "role_id": 1}, ["last_name"]),
        (
            {"client_id": "LOCATION", "role_id": 1, "first_name": " ", "last_name": ""},
            ["last_name"],
        ),
        ({"client_id": "LOCATION", "role_id": 1, "last_name": "Doe", "email": "jane"}, ["email"]),
        ({"client_id": "LOCATION", "role_id": 1, "last_name": "D" * 101}, ["last_name"]),
        ({"email": "x"}, ["client_id", "role_id", "email", "last_name"]),
    ],
)
def test_validation_failures_are_422_naming_each_field_and_write_nothing(
    trackops: Trackops, fields: dict[str, Any], errors: list[str]
) -> None:
    location = trackops.create_client()["primary_location"]
    if fields.get("client_id") == "LOCATION":
        fields = {**fields, "client_id": location["id"]}
    response = trackops.post("/client/contacts", {"contact": fields})
    assert_errors(response, 422, *errors)
    assert trackops.ok("/client/contacts?mode=count")["record_count"] == 0


def test_a_root_client_id_is_not_a_location(trackops: Trackops) -> None:
    """Contacts are assigned to locations, never to top-level clients: a client id is refused
    when the account has no location with that id."""
    response = trackops.native.post("/v1/clients", json={"name": "No Locations Inc"})
    assert response.status_code == 201
    ident = response.json()["id"]
    assert trackops.ok("/client/locations?per_page=100") == []
    response = trackops.post(
        "/client/contacts", {"contact": {"client_id": ident, "role_id": 1, "last_name": "Doe"}}
    )
    assert assert_errors(response, 422, "client_id") == {
        "client_id": [f"no location with id {ident}"]
    }


def test_unknown_contact_is_a_json_404(trackops: Trackops) -> None:
    response = trackops.get("/client/contacts/999999999")
    assert response.status_code == 404
    assert response.json() == {"message": "No contact with id 999999999."}


def test_fields_trackops_has_and_rolodex_does_not_come_back_unchanged(trackops: Trackops) -> None:
    location = trackops.create_client()["primary_location"]
    created = trackops.create_contact(location["id"], phone_home="555-0000", is_billing=True)
    assert (created["phone_home"], created["is_billing"]) == ("555-0000", True)
    assert trackops.ok(f"/client/contacts/{created['id']}") == created


# --- lists ---------------------------------------------------------------------------------------


@pytest.fixture
def book(trackops: Trackops, runtime: Runtime) -> dict[str, Any]:
    acme = trackops.create_client("ACME")
    bolt = trackops.create_client("Bolt")
    east = trackops.create_location(acme["id"], name="East")
    acme_hq, bolt_hq = acme["primary_location"]["id"], bolt["primary_location"]["id"]
    made = {
        "ann": trackops.create_contact(
            acme_hq,
            first_name="Ann",
            last_name="Lee",
            email="Ann@Acme.example",
            role_id=1,
            salesperson_id=5,
        ),
        "bob": trackops.create_contact(
            east["id"], first_name="Bob", last_name="Lee", email="bob@acme.example", role_id=2
        ),
        "cy": trackops.create_contact(
            bolt_hq, first_name="Cy", last_name="Ng", role_id=1, salesperson_id=5
        ),
    }
    for i, key in enumerate(("ann", "bob", "cy")):
        when = datetime(2024, 1 + i, 15, 12, 0, tzinfo=UTC)
        set_times(runtime, Contact, made[key]["id"], when, when.replace(year=2025))
    out: dict[str, Any] = {
        key: trackops.ok(f"/client/contacts/{c['id']}") for key, c in made.items()
    }
    out.update(acme=acme["id"], bolt=bolt["id"], east=east["id"], acme_hq=acme_hq)
    return out


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["ann", "bob", "cy"]),
        ("last_name=Lee", ["ann", "bob"]),
        ("first_name=Bob", ["bob"]),
        ("last_name=Lee&first_name=Cy", []),
        ("email=ann@acme.example", ["ann"]),
        ("email=BOB@Acme.Example", ["bob"]),
        ("client=ACME", ["ann", "bob"]),
        ("client=BOLT", ["cy"]),
        ("client_location=EAST", ["bob"]),
        ("client_location=ACME_HQ", ["ann"]),
        ("role=1", ["ann", "cy"]),
        ("salesperson=5", ["ann", "cy"]),
        ("salesperson=5&client=BOLT", ["cy"]),
        ("created_from=2024-02-15T12:00:00Z", ["bob", "cy"]),
        ("created_to=2024-02-15", ["ann", "bob"]),
        ("updated_from=2025-03-01 00:00:00", ["cy"]),
        ("updated_to=2025-01-15 12:00:00", ["ann"]),
        ("dir=desc", ["cy", "bob", "ann"]),
        ("per_page=2&page=2", ["cy"]),
    ],
)
def test_filters_and_pages(
    trackops: Trackops, book: dict[str, Any], query: str, expected: list[str]
) -> None:
    for name in ("ACME_HQ", "ACME", "BOLT", "EAST"):
        query = query.replace(name, str(book[name.lower()]))
    assert trackops.ok(f"/client/contacts?{query}") == [book[k] for k in expected]


def test_id_filter_and_count(trackops: Trackops, book: dict[str, Any]) -> None:
    assert trackops.ids(f"/client/contacts?id={book['bob']['id']}") == [book["bob"]["id"]]
    assert trackops.ok("/client/contacts?mode=count&per_page=2") == {
        "record_count": 3,
        "page_count": 2,
    }
    assert trackops.ok("/client/contacts?mode=count&last_name=Lee&role=2") == {
        "record_count": 1,
        "page_count": 1,
    }


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("client=x", "client"),
        ("client_location=1e3", "client_location"),
        ("role=r", "role"),
        ("salesperson=s", "salesperson"),
        ("updated_to=soon", "updated_to"),
        ("page=-1", "page"),
    ],
)
def test_bad_list_parameters_are_400(trackops: Trackops, query: str, field: str) -> None:
    assert_errors(trackops.get(f"/client/contacts?{query}"), 400, field)
