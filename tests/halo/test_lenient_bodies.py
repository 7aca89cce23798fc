"""Bodies as Halo's server binds them, beyond its documents (issue 16): one bare object for an
array, `POST /Client/{id}`, numbers and booleans sent as text, and the refusals of what is
truly malformed, in Halo's error shape, writing nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rolodex.doors.halo.schema_types import SCHEMAS
from tests.halo.conftest import Halo, halo_error

DATA = Path(__file__).parent / "data"


def native_client(halo: Halo, client_id: int) -> dict[str, Any]:
    response = halo.native.get(f"/v1/clients/{client_id}")
    assert response.status_code == 200, response.text
    return dict(response.json())


# --- one bare object ------------------------------------------------------------------------


def test_a_bare_object_creates_a_client_and_answers_a_bare_object(halo: Halo) -> None:
    response = halo.post("/Client", json={"name": "Bare Corp", "colour": "#123456"})
    assert response.status_code == 201, response.text
    area = response.json()
    assert isinstance(area, dict)
    assert area["name"] == "Bare Corp" and area["colour"] == "#123456"
    assert halo.get(f"/Client/{area['id']}").json() == area
    assert halo.clients()["record_count"] == 1


def test_a_bare_object_with_an_id_updates_that_client(halo: Halo) -> None:
    created = halo.create_client(name="Before", notes="keep me", pritech=2)
    response = halo.post("/Client", json={"id": created["id"], "name": "After"})
    assert response.status_code == 201, response.text
    area = response.json()
    assert area["id"] == created["id"]
    assert area["name"] == "After"
    assert area["notes"] == "keep me" and area["pritech"] == 2
    assert halo.clients()["record_count"] == 1
    assert halo.get(f"/Client/{created['id']}").json() == area


def test_an_array_still_answers_as_an_array_does(halo: Halo) -> None:
    several = halo.post("/Client", json=[{"name": "One"}, {"name": "Two"}])
    assert several.status_code == 201, several.text
    assert [area["name"] for area in several.json()] == ["One", "Two"]
    # One element answers that object, as Halo documents ("Response: Area (201 Created)").
    one = halo.post("/Client", json=[{"name": "Three"}])
    assert one.status_code == 201
    assert one.json()["name"] == "Three"


def test_a_bare_site_and_a_bare_crm_note_are_created_and_updated(halo: Halo) -> None:
    client = halo.create_client(name="Host")
    site = halo.post("/Site", json={"client_id": client["id"], "name": "Depot"})
    assert site.status_code == 201, site.text
    assert site.json()["name"] == "Depot" and site.json()["client_id"] == client["id"]
    moved = halo.post("/Site", json={"id": site.json()["id"], "phonenumber": "555-0100"})
    assert moved.status_code == 201, moved.text
    assert moved.json()["name"] == "Depot" and moved.json()["phonenumber"] == "555-0100"
    assert halo.get("/Site").json()["record_count"] == 1

    note = halo.post("/CRMNote", json={"client_id": client["id"], "note": "Called"})
    assert note.status_code == 201, note.text
    assert note.json()["note"] == "Called"
    edited = halo.post("/CRMNote", json={"id": note.json()["id"], "note": "Called back"})
    assert edited.status_code == 201, edited.text
    assert edited.json() == {**note.json(), "note": "Called back"}
    assert len(halo.get("/CRMNote").json()) == 1


def test_the_narrow_updates_and_popup_reads_take_a_bare_object(halo: Halo) -> None:
    client = halo.create_client(name="Narrow", popup_notes=[{"id": 5, "note": "Hi"}])
    accounts = halo.post("/Client/NewAccountsId", json={"id": client["id"], "accountsid": "X-1"})
    assert accounts.status_code == 200, accounts.text
    assert accounts.json()["accountsid"] == "X-1"
    read = halo.post("/PopupNote/read", json={"id": 5})
    assert read.status_code == 200, read.text
    assert read.json()["read_status"] == 1


def test_a_bare_objects_fields_are_named_without_a_position(halo: Halo) -> None:
    response = halo.post("/Client", json={"colour": "#fff"})
    assert response.status_code == 400
    assert halo_error(response)["field"] == "name"
    site = halo.post("/Site", json={"name": "Nowhere"})
    assert site.status_code == 400
    assert halo_error(site)["field"] == "client_id"
    wrong = halo.post("/Client", json={"name": "Typed", "pritech": "four"})
    assert halo_error(wrong)["field"] == "pritech"
    assert halo.clients()["record_count"] == 0


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b'"Acme"', "or one Area object"),
        (b"12", "or one Area object"),
        (b"null", "or one Area object"),
        (b"true", "or one Area object"),
        (b"[]", "empty"),
        (b'[{"name": "A"}, 7]', "Element 1"),
        (b'[[{"name": "A"}]]', "Element 0"),
        (b'{"name": "A"', "not valid JSON"),
    ],
)
def test_what_is_neither_an_array_of_objects_nor_one_object_is_refused(
    halo: Halo, body: bytes, fragment: str
) -> None:
    response = halo.post("/Client", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    error = halo_error(response)
    assert error["error"] == "bad_request"
    assert fragment in error["error_description"]
    assert halo.clients()["record_count"] == 0


# --- POST /Client/{id} ----------------------------------------------------------------------


def test_post_to_a_client_updates_it(halo: Halo) -> None:
    created = halo.create_client(name="Old Name", notes="keep", colour="#000000")
    response = halo.post(f"/Client/{created['id']}", json={"name": "New Name", "pritech": 9})
    assert response.status_code == 201, response.text
    area = response.json()
    assert area["id"] == created["id"]
    assert area["name"] == "New Name" and area["pritech"] == 9
    assert area["notes"] == "keep" and area["colour"] == "#000000"
    assert area["datecreated"] == created["datecreated"]
    assert halo.get(f"/Client/{created['id']}").json() == area
    assert native_client(halo, created["id"])["name"] == "New Name"
    assert halo.clients()["record_count"] == 1


def test_post_to_a_client_takes_its_own_id_or_an_array_of_one(halo: Halo) -> None:
    created = halo.create_client(name="Twice")
    path = f"/Client/{created['id']}"
    # As client code sends it: the id in the object too, as a number or as text.
    same = halo.post(path, json={"id": created["id"], "name": "Thrice"})
    assert same.status_code == 201, same.text
    as_text = halo.post(path, json={"id": str(created["id"]), "website": "https://t.example"})
    assert as_text.status_code == 201, as_text.text
    one = halo.post(path.lower(), json=[{"notes": "in an array"}])
    assert one.status_code == 201, one.text
    area = one.json()
    assert (area["name"], area["website"], area["notes"]) == (
        "Thrice",
        "https://t.example",
        "in an array",
    )
    # id 0 or null in the object means "no id": the path names the client.
    assert halo.post(path, json={"id": 0, "colour": "#1"}).json()["colour"] == "#1"
    assert halo.clients()["record_count"] == 1


def test_post_to_a_client_refuses_what_it_cannot_mean(halo: Halo, other_halo: Halo) -> None:
    mine = halo.create_client(name="Mine")
    other = halo.create_client(name="Other")
    path = f"/Client/{mine['id']}"

    elsewhere = halo.post(path, json={"id": other["id"], "name": "Which?"})
    assert elsewhere.status_code == 400
    assert halo_error(elsewhere)["field"] == "id"
    assert str(mine["id"]) in halo_error(elsewhere)["error_description"]

    two = halo.post(path, json=[{"name": "A"}, {"name": "B"}])
    assert two.status_code == 400
    assert halo_error(two)["error"] == "bad_request"

    for unknown in ("999999999", "0", "00", str(2**63)):
        missing = halo.post(f"/Client/{unknown}", json={"name": "Ghost"})
        assert missing.status_code == 404, unknown
        assert halo_error(missing)["error"] == "not_found"
    stolen = other_halo.post(path, json={"name": "Stolen"})
    assert stolen.status_code == 404
    invalid = halo.post(path, json={"accountsemailaddress": "not an email"})
    assert invalid.status_code == 400
    assert halo_error(invalid)["field"] == "accountsemailaddress"
    blank = halo.post(path, json={"name": ""})
    assert blank.status_code == 400
    assert halo_error(blank)["field"] == "name"

    assert halo.get(f"/Client/{mine['id']}").json()["name"] == "Mine"
    assert halo.get(f"/Client/{other['id']}").json()["name"] == "Other"
    assert halo.clients()["record_count"] == 2


def test_post_to_a_site_or_note_by_id_is_not_a_halo_form(halo: Halo) -> None:
    client = halo.create_client(name="Host")
    site = halo.create_site(client["id"])
    response = halo.post(f"/Site/{site['id']}", json={"name": "Renamed"})
    assert response.status_code == 405
    assert response.headers["allow"] == "DELETE, GET"
    assert halo.get(f"/Site/{site['id']}").json()["name"] == site["name"]


# --- numbers and booleans sent as text --------------------------------------------------------


def test_ids_sent_as_text_name_the_records(halo: Halo) -> None:
    company = halo.native.post("/v1/companies", json={"name": "Group"}).json()
    created = halo.create_client(name="Texted", newclient_sitename="Main")
    second = halo.create_site(created["id"], name="Second")
    response = halo.post(
        "/Client",
        json=[
            {
                "id": str(created["id"]),
                "toplevel_id": f" {company['id']} ",
                "main_site_id": str(second["id"]),
                "name": "Texted Again",
            }
        ],
    )
    assert response.status_code == 201, response.text
    area = response.json()
    assert area["id"] == created["id"]
    assert area["toplevel_id"] == company["id"] and area["toplevel_name"] == "Group"
    assert area["main_site_id"] == second["id"] and area["main_site_name"] == "Second"
    assert halo.clients()["record_count"] == 1
    assert native_client(halo, created["id"])["company_id"] == company["id"]

    site = halo.post("/Site", json=[{"client_id": str(created["id"]), "name": "Third"}])
    assert site.status_code == 201, site.text
    assert site.json()["client_id"] == created["id"]
    note = halo.post(
        "/CRMNote", json=[{"client_id": str(created["id"]), "note": "x", "who_agentid": "7"}]
    )
    assert note.status_code == 201, note.text
    assert note.json()["client_id"] == created["id"]
    assert note.json()["who_agentid"] == 7 and note.json()["who"] == "7"


def test_numbers_sent_as_text_are_stored_as_the_numbers_they_stand_for(halo: Halo) -> None:
    created = halo.create_client(
        name="Numbers",
        pritech="4",
        hourlyrate="12.50",
        chargehours="+3",
        discountperc="1e1",
        passportal_id="9007199254740993",
        allowed_tickettypes=[{"id": "3", "fieldidlist": ["1", 2]}],
        prepaytotal="",
    )
    assert created["pritech"] == 4
    assert created["hourlyrate"] == 12.5
    assert created["chargehours"] == 3
    assert created["discountperc"] == 10.0
    assert created["passportal_id"] == 9007199254740993
    assert created["allowed_tickettypes"] == [{"id": 3, "fieldidlist": [1, 2]}]
    assert created["prepaytotal"] is None
    assert halo.get(f"/Client/{created['id']}").json() == created
    # Text fields and fields Halo does not know stay text.
    kept = halo.create_client(name="Kept", colour="12", my_own_field="34")
    assert kept["colour"] == "12" and kept["my_own_field"] == "34"


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        (True, True),
        ("true", True),
        ("True", True),
        (" TRUE ", True),
        ("1", True),
        (1, True),
        (False, False),
        ("false", False),
        ("False", False),
        ("0", False),
        (0, False),
    ],
)
def test_booleans_are_read_as_halo_reads_them(halo: Halo, sent: Any, stored: bool) -> None:
    area = halo.create_client(name="Flags", inactive=sent, invoiceyes=sent)
    assert area["inactive"] is stored and area["invoiceyes"] is stored
    assert native_client(halo, area["id"])["inactive"] is stored
    listed = halo.clients("?includeinactive=true&includeactive=false")
    assert [c["id"] for c in listed["clients"]] == ([area["id"]] if stored else [])


def test_nested_objects_are_bound_by_their_own_types(halo: Halo) -> None:
    created = halo.create_client(
        name="Nested",
        newclient_sitename="Main",
        newclient_delivery_address={"line1": "1 Main St", "primary": "true", "site_id": "0"},
        popup_notes=[{"id": "5", "site_id": "3", "note": "Call", "read_status": "0"}],
        areaitems=[{"id": "1", "dontinvoice": "false", "nextinvoicedate": "2020-01-01T00:00:00Z"}],
        azure_tenants=[{"azure_tenant_id": "t-1", "details_id": "4"}],
        site_update=[{"name": "Annex", "client_id": "0", "inactive": "False"}],
        customfields=[{"id": "41", "name": "Tier", "value": "12"}],
    )
    assert created["newclient_delivery_address"]["primary"] is True
    assert created["popup_notes"][0] == {"id": 5, "site_id": 3, "note": "Call", "read_status": 0}
    assert created["areaitems"][0]["dontinvoice"] is False
    assert created["site_update"][0]["inactive"] is False
    # A custom field's value is untyped: it stays as sent.
    assert created["customfields"][0] == {"id": 41, "name": "Tier", "value": "12"}
    # What the door filters on matches the numbers.
    popups = halo.get(f"/PopupNote?client_id={created['id']}&site_id=3").json()
    assert [p["id"] for p in popups] == [5]
    assert [i["id"] for i in halo.get("/RecurringItem?pending_recurring_invoice=true").json()] == [
        1
    ]
    assert [t["details_id"] for t in halo.get("/AreaAzureTenant?details_id=4").json()] == [4]
    sites = halo.get(f"/Site?client_id={created['id']}").json()["sites"]
    assert sorted(s["name"] for s in sites) == ["Annex", "Main"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id", "abc", "whole number"),
        ("id", "12.0", "whole number"),
        ("toplevel_id", "12abc", "whole number"),
        ("toplevel_id", "١٢", "whole number"),  # digits, but not ASCII ones
        ("pritech", "1_000", "whole number"),
        ("pritech", "99999999999999999999", "out of range"),
        ("pritech", {"id": 4}, "whole number"),
        ("pritech", [4], "whole number"),
        ("hourlyrate", "NaN", "number"),
        ("hourlyrate", "Infinity", "number"),
        ("hourlyrate", "1e999", "out of range"),
        ("hourlyrate", "12,50", "number"),
        ("hourlyrate", "1" * 65, "number"),
        ("inactive", "yes", "true or false"),
        ("inactive", 2, "true or false"),
        ("inactive", 1.0, "true or false"),
        ("invoiceyes", "on", "true or false"),
        ("invoiceyes", {}, "true or false"),
    ],
)
def test_text_that_is_no_number_or_boolean_is_refused(
    halo: Halo, field: str, value: Any, message: str
) -> None:
    response = halo.post("/Client", json=[{"name": "Refused", field: value}])
    assert response.status_code == 400, response.text
    error = halo_error(response)
    assert error["error"] == "invalid_field"
    assert error["field"] == f"[0].{field}"
    assert message in error["error_description"]
    assert halo.clients("?includeinactive=true")["record_count"] == 0


def test_every_refused_value_is_named_and_nothing_is_written(halo: Halo) -> None:
    existing = halo.create_client(name="Untouched", pritech=1)
    response = halo.post(
        "/Client",
        json=[
            {"id": existing["id"], "name": "Changed", "pritech": "2"},
            {"name": "New", "sectech": "two", "site_update": [{"name": "S", "client_id": "x"}]},
        ],
    )
    assert response.status_code == 400
    error = halo_error(response)
    assert error["field"] == "[1].sectech"
    assert [d["field"] for d in error["details"]] == [
        "[1].sectech",
        "[1].site_update[0].client_id",
    ]
    assert halo.get(f"/Client/{existing['id']}").json() == existing
    assert halo.clients()["record_count"] == 1
    site = halo.post("/Site", json=[{"client_id": "twelve", "name": "S"}])
    assert halo_error(site)["field"] == "[0].client_id"
    note = halo.post(
        "/CRMNote", json=[{"client_id": existing["id"], "note": "n", "timetaken": "x"}]
    )
    assert halo_error(note)["field"] == "[0].timetaken"
    assert halo.get("/CRMNote").json() == []


def test_the_binding_types_are_halos_own() -> None:
    """The Area types binding reads are those of Halo's schema, as the test data keeps it."""
    properties = json.loads((DATA / "area-properties.json").read_text())["properties"]
    scalar = {"integer": "int", "number": "num", "boolean": "bool"}
    expected = {
        name: scalar[spec["type"]] for name, spec in properties.items() if spec["type"] in scalar
    }
    area = SCHEMAS["Area"]
    assert {name: kind for name, kind in area.items() if kind in scalar.values()} == expected
    assert {name for name, spec in properties.items() if spec["type"] in ("array", "object")} >= {
        name for name, kind in area.items() if kind not in scalar.values()
    }
