"""One registry behind every door: what Trackops creates reads back through the native API, and
what the native API creates (or changes, or deletes) shows through Trackops."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson

from rolodex.domain import documents
from rolodex.models import Client
from rolodex.runtime import Runtime
from tests.documents_helpers import Doors, differences
from tests.trackops.conftest import LOCATION, Trackops, set_times
from tests.trackops.test_clients import post_seed_example


def test_created_here_reads_back_through_the_native_api_and_back(trackops: Trackops) -> None:
    created = post_seed_example(trackops).json()
    native = trackops.native
    client = native.get(f"/v1/clients/{created['id']}").json()
    assert {
        key: client[key]
        for key in (
            "id",
            "name",
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
            "account_code",
        )
    } == {
        "id": created["id"],
        "name": "ACME Client",
        "website": "https://example.com",
        "invoice_email": None,
        "case_policy": "No subject contact on cases for this client.",
        "invoice_policy": "Cannot bill more than 20 miles per day.",
        "update_policy": "Do not include PII in case updates.",
        "description": "VIP client",
        "invoice_reminders": True,
        "show_location_on_invoice": True,
        "salesperson_id": None,
        "case_manager_id": None,
        "account_code": None,
    }
    # The same instants, to the second, in both doors' formats.
    assert client["created_at"][:19] == created["created"].replace(" ", "T")
    assert client["updated_at"][:19] == created["updated"].replace(" ", "T")

    locations = native.get(f"/v1/clients/{created['id']}/locations").json()["data"]
    assert len(locations) == 1
    location = locations[0]
    assert {k: v for k, v in location.items() if k not in ("created_at", "updated_at")} == {
        "id": created["primary_location"]["id"],
        "object": "location",
        "client_id": created["id"],
        "name": "Main Location",
        "is_primary": True,
        "line1": "123 Main Street",
        "line2": "STE 123",
        "line3": None,
        "city": "Denver",
        "region": "CO",
        "postal_code": "80202",
        "country": "US",
        "phone": "555-555-5555",
        "phone_secondary": "555-555-5555",
        "fax": "555-555-5555",
        "invoice_email": "billing@example.com",
        "case_policy": None,
        "invoice_policy": None,
        "update_policy": None,
        "description": None,
    }

    # Changed through the native API, it reads back changed here.
    response = native.patch(
        f"/v1/clients/{created['id']}",
        json={"name": "ACME Renamed", "description": "Still VIP", "salesperson_id": 5},
    )
    assert response.status_code == 200, response.text
    again = trackops.ok(f"/clients/{created['id']}")
    assert (again["name"], again["notes"], again["salesperson_id"]) == (
        "ACME Renamed",
        "Still VIP",
        5,
    )
    assert trackops.ids("/clients?salesperson=5") == [created["id"]]
    assert trackops.ids("/clients?name=ACME%20Client") == []

    # A new primary location made there is the primary location here.
    response = native.post(
        f"/v1/clients/{created['id']}/locations",
        json={"name": "New HQ", "is_primary": True, "region": "NY", "country": "US"},
    )
    assert response.status_code == 201, response.text
    primary = trackops.ok(f"/clients/{created['id']}")["primary_location"]
    assert (primary["id"], primary["name"], primary["state"], primary["is_primary"]) == (
        response.json()["id"],
        "New HQ",
        "NY",
        True,
    )
    old = trackops.ok(f"/client/locations/{created['primary_location']['id']}")
    assert old["is_primary"] is False


def test_created_natively_shows_here_with_its_primary_location(trackops: Trackops) -> None:
    native = trackops.native
    client = native.create_client(
        name="Native Co",
        account_code="N-1",
        website="https://native.example",
        invoice_email="ap@native.example",
        case_policy="cp",
        description="made in /v1",
        invoice_reminders=True,
        salesperson_id=3,
        case_manager_id=4,
        kind="person",
        tags=["vip"],
    )
    for body in (
        {"name": "Side Office", "region": "WA", "country": "US"},
        {
            "name": "Head Office",
            "is_primary": True,
            "line1": "1 Pike St",
            "city": "Seattle",
            "region": "WA",
            "postal_code": "98101",
            "country": "US",
            "phone": "206-555-0100",
            "fax": "206-555-0101",
            "invoice_email": "hq@native.example",
            "description": "hq notes",
        },
    ):
        response = native.post(f"/v1/clients/{client['id']}/locations", json=body)
        assert response.status_code == 201, response.text
    head = response.json()

    shown = trackops.ok(f"/clients/{client['id']}")
    assert shown == {
        "id": client["id"],
        "name": "Native Co",
        "account_code": "N-1",
        "website": "https://native.example",
        "email_invoice": "ap@native.example",
        "policies_case": "cp",
        "policies_invoice": None,
        "policies_update": None,
        "notes": "made in /v1",
        "has_invoice_reminders": True,
        "show_location_on_invoice": False,
        "salesperson_id": 3,
        "case_manager_id": 4,
        "created": shown["created"],
        "updated": shown["updated"],
        "primary_location": {
            "id": head["id"],
            "root_id": client["id"],
            "is_primary": True,
            "name": "Head Office",
            "email_invoice": "hq@native.example",
            "address_1": "1 Pike St",
            "address_2": None,
            "address_3": None,
            "city": "Seattle",
            "state": "WA",
            "zip": "98101",
            "country": "US",
            "phone_primary": "206-555-0100",
            "phone_secondary": None,
            "phone_fax": "206-555-0101",
            "policies_case": None,
            "policies_invoice": None,
            "policies_update": None,
            "notes": "hq notes",
            "created": shown["primary_location"]["created"],
            "updated": shown["primary_location"]["updated"],
        },
    }
    assert shown["created"] == client["created_at"][:19].replace("T", " ")
    assert trackops.ok("/clients") == [shown]
    assert [loc["name"] for loc in trackops.ok(f"/client/locations?parent={client['id']}")] == [
        "Side Office",
        "Head Office",
    ]


def test_a_client_without_a_location_shows_a_null_primary_location(trackops: Trackops) -> None:
    client = trackops.native.create_client(name="Lonely")
    shown = trackops.ok(f"/clients/{client['id']}")
    assert shown["primary_location"] is None
    assert trackops.ok("/clients") == [shown]
    assert trackops.ok("/client/locations") == []


def test_a_location_added_here_to_a_native_client_shows_there(trackops: Trackops) -> None:
    client = trackops.native.create_client(name="Native Co")
    location = trackops.create_location(client["id"], name="Trackops Branch", zip=12345)
    listed = trackops.native.get(f"/v1/clients/{client['id']}/locations").json()["data"]
    assert [(loc["id"], loc["name"], loc["postal_code"], loc["is_primary"]) for loc in listed] == [
        (location["id"], "Trackops Branch", "12345", True)
    ]


def test_deleted_natively_is_gone_here(trackops: Trackops) -> None:
    client = trackops.create_client()
    location = client["primary_location"]
    contact = trackops.create_contact(location["id"])
    assert trackops.native.delete(f"/v1/clients/{client['id']}").status_code == 204
    for path in (
        f"/clients/{client['id']}",
        f"/client/locations/{location['id']}",
        f"/client/contacts/{contact['id']}",
    ):
        assert trackops.get(path).status_code == 404
    assert trackops.ok("/clients") == []
    assert trackops.ok("/client/contacts?mode=count")["record_count"] == 0


def test_time_filters_see_native_changes(trackops: Trackops, runtime: Runtime) -> None:
    old = trackops.create_client("Old")
    set_times(runtime, Client, old["id"], datetime(2020, 1, 1, tzinfo=UTC))
    assert trackops.ids("/clients?updated_from=2021-01-01") == []
    trackops.native.patch(f"/v1/clients/{old['id']}", json={"account_code": "X"})
    assert trackops.ids("/clients?updated_from=2021-01-01") == [old["id"]]
    assert trackops.ids("/clients?created_to=2020-01-01") == [old["id"]]


def test_the_native_api_refuses_what_this_door_would(trackops: Trackops) -> None:
    """Both doors apply the same field rules: an address this door calls invalid is invalid
    there too, and nothing either refused was written."""
    response = trackops.post(
        "/clients",
        {"client": {"name": "X", "email_invoice": "no", "primary_location": LOCATION}},
    )
    assert response.status_code == 422
    response = trackops.native.post("/v1/clients", json={"name": "X", "invoice_email": "no"})
    assert response.status_code == 422
    assert trackops.native.all_clients() == []


def test_a_client_created_here_reads_alike_through_every_door(
    trackops: Trackops, runtime: Runtime
) -> None:
    """A create writes the client and its primary location at once (version 1 each, as
    ever), the fields only Trackops has kept on each: every door shows the client and its
    location, only this door those fields, and every door reads the same once the other
    doors' documents are rendered."""
    doors = Doors(runtime, trackops.http, trackops.credentials)
    response = trackops.post(
        "/clients",
        {
            "client": {
                "name": "Every Door",
                "industry": "plumbing",
                "primary_location": {
                    **LOCATION,
                    "name": "HQ",
                    "address_1": "1 Main St",
                    "gate_code": "1234",
                },
            }
        },
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["Location"] == f"/trackops/api/v1/clients/{created['id']}"
    assert created["industry"] == "plumbing"
    assert created["primary_location"]["gate_code"] == "1234"
    assert trackops.native.get(f"/v1/clients/{created['id']}").headers["ETag"] == '"1"'
    subject = doors.subject(created["id"])
    served = doors.read([subject])
    assert orjson.loads(served[f"trackops GET client {subject.id}"].body) == created
    halo = orjson.loads(served[f"halo GET client {subject.id}"].body)
    assert (halo["main_site_id"], halo["main_site_name"]) == (
        created["primary_location"]["id"],
        "HQ",
    )
    kickserv = orjson.loads(served[f"kickserv GET client {subject.id}"].body)
    assert kickserv["service_address"] == "1 Main St"
    for door in ("native", "tevo", "halo", "kickserv"):
        body = served[f"{door} GET client {subject.id}"].body
        assert b"plumbing" not in body and b"gate_code" not in body

    documents.drain(runtime.engine)
    assert differences(served, doors.read([subject])) == {}
    doors.rebuild()
    assert differences(served, doors.read([subject])) == {}
