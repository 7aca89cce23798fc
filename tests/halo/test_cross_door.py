"""One registry, several doors: what the HaloPSA door writes reads back through the native API
(/v1) and the Trackops door, and what they write reads back here."""

from __future__ import annotations

import base64
from typing import Any

from tests.halo.conftest import Halo


def _trackops_headers(halo: Halo) -> dict[str, str]:
    creds = halo.credentials["trackops"]
    basic = base64.b64encode(f"{creds['username']}/token:{creds['token']}".encode()).decode()
    return {"Authorization": f"Basic {basic}"}


def test_halo_writes_read_back_through_the_native_api(halo: Halo) -> None:
    area = halo.create_client(
        name="Cross Co",
        toplevel_name="Cross Group",
        notes="From Halo",
        website="https://cross.example",
        accountsemailaddress="ap@cross.example",
        inactive=True,
        newclient_sitename="HQ",
        newclient_phonenumber="555-0101",
        customfields=[{"id": 3, "name": "Region", "value": "West"}],
        colour="#abcdef",
    )
    client = halo.native.get(f"/v1/clients/{area['id']}").json()
    assert client["name"] == "Cross Co"
    assert client["description"] == "From Halo"
    assert client["website"] == "https://cross.example"
    assert client["invoice_email"] == "ap@cross.example"
    assert client["inactive"] is True
    assert client["custom_fields"] == {"Region": "West"}
    assert "colour" not in client
    company = halo.native.get(f"/v1/companies/{client['company_id']}").json()
    assert company["name"] == "Cross Group"
    assert area["toplevel_id"] == company["id"]

    site = halo.create_site(
        area["id"],
        name="Depot",
        delivery_address_line1="9 Road",
        delivery_address_line4="WA",
        invoice_address_line1="Box 5",
    )
    locations = halo.native.get(f"/v1/clients/{area['id']}/locations").json()["data"]
    assert [(loc["name"], loc["is_primary"]) for loc in locations] == [
        ("HQ", True),
        ("Depot", False),
    ]
    assert locations[0]["phone"] == "555-0101"
    assert (locations[1]["line1"], locations[1]["region"]) == ("9 Road", "WA")
    [invoice] = halo.native.get(f"/v1/clients/{area['id']}").json()["addresses"]
    assert invoice["location_id"] == site["id"]
    assert (invoice["label"], invoice["line1"]) == ("invoice", "Box 5")

    note = halo.post(
        "/CRMNote", json=[{"client_id": area["id"], "note": "Spoke to AP", "who": "Sam"}]
    ).json()
    native_note = halo.native.get(f"/v1/clients/{area['id']}/notes/{note['id']}").json()
    assert (native_note["body"], native_note["author"]) == ("Spoke to AP", "Sam")
    assert native_note["created_at"] == note["datetime"]

    assert halo.delete(f"/Client/{area['id']}").status_code == 200
    assert halo.native.get(f"/v1/clients/{area['id']}").status_code == 404


def test_native_writes_read_back_through_halo(halo: Halo) -> None:
    company = halo.native.post("/v1/companies", json={"name": "Native Group"}).json()
    client = halo.native.create_client(
        name="Native Co",
        description="Made in /v1",
        website="https://native.example",
        invoice_email="inv@native.example",
        company_id=company["id"],
        custom_fields={"tier": "gold", "seats": 4},
    )
    cid = client["id"]
    location = halo.native.post(
        f"/v1/clients/{cid}/locations",
        json={
            "name": "Main",
            "is_primary": True,
            "line1": "1 First St",
            "line2": "Floor 2",
            "city": "Portland",
            "region": "OR",
            "postal_code": "97201",
            "phone": "555-0199",
            "description": "front desk",
        },
    ).json()
    note = halo.native.post(
        f"/v1/clients/{cid}/notes", json={"body": "Native note", "author": "Ann"}
    ).json()

    area = halo.get(f"/Client/{cid}").json()
    assert area == {
        "id": cid,
        "name": "Native Co",
        "inactive": False,
        "website": "https://native.example",
        "notes": "Made in /v1",
        "accountsemailaddress": "inv@native.example",
        "toplevel_id": company["id"],
        "toplevel_name": "Native Group",
        "main_site_id": location["id"],
        "main_site_name": "Main",
        "datecreated": client["created_at"],
        "customfields": [{"name": "tier", "value": "gold"}, {"name": "seats", "value": 4}],
    }
    site = halo.get(f"/Site/{location['id']}").json()
    assert site["client_id"] == cid and site["client_name"] == "Native Co"
    assert [site[f"delivery_address_line{n}"] for n in range(1, 6)] == [
        "1 First St",
        "Floor 2",
        "Portland",
        "OR",
        "97201",
    ]
    assert (site["phonenumber"], site["notes"]) == ("555-0199", "front desk")
    assert halo.get(f"/CRMNote?client_id={cid}").json() == [
        {
            "id": note["id"],
            "client_id": cid,
            "note": "Native note",
            "who": "Ann",
            "datetime": note["created_at"],
        }
    ]
    assert [c["id"] for c in halo.clients(f"?toplevel_id={company['id']}")["clients"]] == [cid]


def test_a_change_through_another_door_replaces_the_value_halo_sent(halo: Halo) -> None:
    area = halo.create_client(
        name="Shadow", website="", notes="old", customfields=[{"id": 1, "name": "a", "value": 1}]
    )
    assert area["website"] == ""
    halo.native.patch(
        f"/v1/clients/{area['id']}",
        json={"website": "https://new.example", "custom_fields": {"b": 2}, "name": "Renamed"},
    )
    seen = halo.get(f"/Client/{area['id']}").json()
    assert seen["website"] == "https://new.example"
    assert seen["name"] == "Renamed"
    assert seen["notes"] == "old"
    assert seen["customfields"] == [{"name": "b", "value": 2}]
    # Halo then updates one custom field: the others stay.
    updated = halo.post(
        "/Client", json=[{"id": area["id"], "customfields": [{"id": 9, "name": "c", "value": 3}]}]
    ).json()
    assert updated["customfields"] == [
        {"name": "b", "value": 2},
        {"id": 9, "name": "c", "value": 3},
    ]
    assert halo.native.get(f"/v1/clients/{area['id']}").json()["custom_fields"] == {"b": 2, "c": 3}


def test_trackops_writes_read_back_through_halo(halo: Halo) -> None:
    response = halo.http.post(
        "/trackops/api/v1/clients",
        headers=_trackops_headers(halo),
        json={
            "client": {
                "name": "Tracked Inc",
                "website": "https://tracked.example",
                "notes": "From Trackops",
                "primary_location": {
                    "name": "Denver Office",
                    "address_1": "123 Main Street",
                    "city": "Denver",
                    "state": "CO",
                    "zip": 80202,
                    "country": "US",
                    "phone_primary": "555-555-5555",
                },
            }
        },
    )
    assert response.status_code == 201, response.text
    tracked: dict[str, Any] = response.json()
    area = halo.get(f"/Client/{tracked['id']}").json()
    assert area["name"] == "Tracked Inc"
    assert area["notes"] == "From Trackops"
    assert area["website"] == "https://tracked.example"
    assert area["main_site_name"] == "Denver Office"
    site = halo.get(f"/Site/{area['main_site_id']}").json()
    assert site["delivery_address_line1"] == "123 Main Street"
    assert site["delivery_address_line3"] == "Denver"
    assert site["delivery_address_line4"] == "CO"
    assert site["delivery_address_line5"] == "80202"
    assert site["phonenumber"] == "555-555-5555"


def test_halo_writes_read_back_through_trackops(halo: Halo) -> None:
    area = halo.create_client(
        name="Halo Made",
        notes="Halo notes",
        newclient_sitename="Seattle",
        newclient_delivery_address={"line1": "1 Pike St", "line3": "Seattle", "line4": "WA"},
    )
    response = halo.http.get(
        f"/trackops/api/v1/clients/{area['id']}", headers=_trackops_headers(halo)
    )
    assert response.status_code == 200, response.text
    tracked = response.json()
    assert tracked["name"] == "Halo Made"
    assert tracked["notes"] == "Halo notes"
    location = tracked["primary_location"]
    assert location["id"] == area["main_site_id"]
    assert (location["name"], location["address_1"], location["city"], location["state"]) == (
        "Seattle",
        "1 Pike St",
        "Seattle",
        "WA",
    )
