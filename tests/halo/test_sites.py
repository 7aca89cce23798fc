"""GET/POST /Site and GET/DELETE /Site/{id}: sites are the shared model's locations."""

from __future__ import annotations

from typing import Any

from tests.halo.conftest import Halo, halo_error

SITE_LIST_FIELDS = {
    "id",
    "name",
    "client_id",
    "client_name",
    "clientsite_name",
    "phonenumber",
    "notes",
    "datecreated",
    *(f"delivery_address_line{n}" for n in range(1, 6)),
    *(f"invoice_address_line{n}" for n in range(1, 6)),
}


def test_create_and_read_a_site(halo: Halo) -> None:
    client = halo.create_client(name="Sited")
    response = halo.post(
        "/Site",
        json=[
            {
                "client_id": client["id"],
                "name": "Warehouse",
                "phonenumber": "+1 541 555 0100",
                "notes": "Dock 4",
                "delivery_address_line1": "1 Industrial Way",
                "delivery_address_line2": "Unit 9",
                "delivery_address_line3": "Springfield",
                "delivery_address_line4": "OR",
                "delivery_address_line5": "97475",
                "invoice_address_line1": "PO Box 12",
                "invoice_address_line3": "Shelbyville",
                "timezone": "America/Los_Angeles",
                "colour": "#00ff00",
                "isinvoicesite": True,
                "geocoord1": 44.05,
            }
        ],
    )
    assert response.status_code == 201, response.text
    site = response.json()
    assert set(site) >= SITE_LIST_FIELDS
    assert site["client_id"] == client["id"]
    assert site["client_name"] == "Sited"
    assert site["clientsite_name"] == "Sited / Warehouse"
    assert site["phonenumber"] == "+1 541 555 0100"
    assert site["notes"] == "Dock 4"
    assert [site[f"delivery_address_line{n}"] for n in range(1, 6)] == [
        "1 Industrial Way",
        "Unit 9",
        "Springfield",
        "OR",
        "97475",
    ]
    assert [site[f"invoice_address_line{n}"] for n in range(1, 6)] == [
        "PO Box 12",
        None,
        "Shelbyville",
        None,
        None,
    ]
    assert site["timezone"] == "America/Los_Angeles"
    assert site["isinvoicesite"] is True
    assert site["geocoord1"] == 44.05
    assert halo.get(f"/Site/{site['id']}").json() == site


def test_address_objects_map_to_the_same_lines(halo: Halo) -> None:
    client = halo.create_client(name="Objects")
    delivery = {
        "id": 0,
        "line1": "5 Main St",
        "line2": "",
        "line3": "Ogdenville",
        "line4": "OR",
        "postcode": "97001",
        "lat": 1.5,
        "primary": True,
    }
    site = halo.create_site(
        client["id"], name="Shop", delivery_address=delivery, invoice_address={"line1": "Box 9"}
    )
    assert site["delivery_address"] == delivery
    assert site["invoice_address"] == {"line1": "Box 9"}
    assert site["delivery_address_line1"] == "5 Main St"
    assert site["delivery_address_line3"] == "Ogdenville"
    assert site["delivery_address_line5"] == "97001"
    assert site["invoice_address_line1"] == "Box 9"
    location = halo.native.get(f"/v1/clients/{client['id']}/locations/{site['id']}").json()
    assert (location["line1"], location["line2"], location["city"], location["region"]) == (
        "5 Main St",
        None,
        "Ogdenville",
        "OR",
    )
    assert location["postal_code"] == "97001"


def test_upsert_updates_only_what_it_carries(halo: Halo) -> None:
    client = halo.create_client(name="Owner")
    site = halo.create_site(client["id"], name="Old", phonenumber="555-0100", colour="#123456")
    response = halo.post("/Site", json=[{"id": site["id"], "name": "New", "timezone": "UTC"}])
    assert response.status_code == 201, response.text
    updated = response.json()
    assert updated["name"] == "New"
    assert updated["clientsite_name"] == "Owner / New"
    assert updated["phonenumber"] == "555-0100"
    assert updated["colour"] == "#123456"
    assert updated["timezone"] == "UTC"
    assert len(halo.get("/Site").json()["sites"]) == 1


def test_invoice_address_updates_in_place(halo: Halo) -> None:
    client = halo.create_client(name="Billing")
    site = halo.create_site(client["id"], invoice_address_line1="Box 1")
    halo.post("/Site", json=[{"id": site["id"], "invoice_address_line1": "Box 2"}])
    addresses = halo.native.get(f"/v1/clients/{client['id']}/addresses").json()["data"]
    assert [(a["label"], a["line1"], a["location_id"]) for a in addresses] == [
        ("invoice", "Box 2", site["id"])
    ]


def test_client_id_is_required_and_must_exist(halo: Halo) -> None:
    missing = halo.post("/Site", json=[{"name": "Orphan"}])
    assert missing.status_code == 400
    assert halo_error(missing)["field"] == "[0].client_id"
    unknown = halo.post("/Site", json=[{"name": "Orphan", "client_id": 987654}])
    assert unknown.status_code == 400
    assert halo_error(unknown)["field"] == "[0].client_id"
    no_name = halo.post("/Site", json=[{"client_id": halo.create_client()["id"]}])
    assert no_name.status_code == 400
    assert halo_error(no_name)["field"] == "[0].name"
    assert halo.get("/Site").json()["record_count"] == 0


def test_client_id_as_a_whole_float_is_accepted(halo: Halo) -> None:
    client = halo.create_client(name="Floaty")
    response = halo.post("/Site", json=[{"client_id": float(client["id"]), "name": "F"}])
    assert response.status_code == 201, response.text
    assert response.json()["client_id"] == client["id"]


def test_a_site_cannot_move_to_another_client(halo: Halo) -> None:
    first = halo.create_client(name="First")
    second = halo.create_client(name="Second")
    site = halo.create_site(first["id"])
    response = halo.post("/Site", json=[{"id": site["id"], "client_id": second["id"]}])
    assert response.status_code == 400
    assert halo_error(response)["field"] == "[0].client_id"
    assert halo.get(f"/Site/{site['id']}").json()["client_id"] == first["id"]


def test_list_filters_order_and_pages(halo: Halo) -> None:
    group = halo.native.post("/v1/companies", json={"name": "G"}).json()
    a = halo.create_client(name="Alpha", toplevel_id=group["id"])
    b = halo.create_client(name="Beta")
    halo.create_site(a["id"], name="North")
    halo.create_site(a["id"], name="south")
    halo.create_site(b["id"], name="East")

    def site_names(query: str) -> list[str]:
        view = halo.get(f"/Site{query}").json()
        return [s["name"] for s in view["sites"]]

    view = halo.get("/Site").json()
    assert set(view) == {"page_no", "page_size", "record_count", "sites"}
    assert view["record_count"] == 3
    assert site_names("") == ["East", "North", "south"]
    assert site_names(f"?client_id={a['id']}") == ["North", "south"]
    assert site_names(f"?toplevel_id={group['id']}") == ["North", "south"]
    assert site_names("?search=OUT") == ["south"]
    assert site_names("?order=client_name&order2=name&orderdesc2=true") == [
        "south",
        "North",
        "East",
    ]
    assert site_names("?count=1") == ["East"]
    paged = halo.get("/Site?pageinate=true&page_size=2&page_no=2").json()
    assert (paged["page_no"], paged["page_size"], paged["record_count"]) == (2, 2, 3)
    assert [s["name"] for s in paged["sites"]] == ["south"]
    ids = halo.get("/Site?idonly=true").json()["sites"]
    assert all(set(s) == {"id"} for s in ids) and len(ids) == 3


def test_delete_a_site(halo: Halo) -> None:
    client = halo.create_client(name="Shrinking")
    site = halo.create_site(client["id"], invoice_address_line1="Box 3", colour="#abcdef")
    response = halo.delete(f"/Site/{site['id']}")
    assert response.status_code == 200
    assert response.content == b""
    assert halo.get(f"/Site/{site['id']}").status_code == 404
    assert halo_error(halo.delete(f"/Site/{site['id']}"))["error"] == "not_found"
    assert halo.native.get(f"/v1/clients/{client['id']}/addresses").json()["data"] == []
    assert halo.get(f"/Site/{site['id'] + 1000}").status_code == 404


def test_a_new_site_does_not_inherit_a_deleted_sites_fields(halo: Halo) -> None:
    client = halo.create_client(name="Reuse")
    doomed = halo.create_site(client["id"], name="Doomed", colour="#ff00ff")
    halo.delete(f"/Site/{doomed['id']}")
    fresh = halo.native.post(f"/v1/clients/{client['id']}/locations", json={"name": "Fresh"}).json()
    site = halo.get(f"/Site/{fresh['id']}").json()
    assert "colour" not in site
    assert site["name"] == "Fresh"


def test_main_site_follows_the_primary_location(halo: Halo) -> None:
    client = halo.create_client(name="Primary")
    first = halo.create_site(client["id"], name="One")
    second = halo.create_site(client["id"], name="Two")
    assert halo.get(f"/Client/{client['id']}").json()["main_site_id"] is None
    response = halo.post("/Client", json=[{"id": client["id"], "main_site_id": second["id"]}])
    assert response.status_code == 201, response.text
    assert response.json()["main_site_id"] == second["id"]
    assert response.json()["main_site_name"] == "Two"
    locations = halo.native.get(f"/v1/clients/{client['id']}/locations").json()["data"]
    assert {loc["id"]: loc["is_primary"] for loc in locations} == {
        first["id"]: False,
        second["id"]: True,
    }
    other = halo.create_client(name="Other")
    foreign = halo.create_site(other["id"])
    refused = halo.post("/Client", json=[{"id": client["id"], "main_site_id": foreign["id"]}])
    assert refused.status_code == 400
    assert halo_error(refused)["field"] == "[0].main_site_id"


def test_main_site_name_gives_a_client_its_first_site(halo: Halo) -> None:
    client: dict[str, Any] = halo.create_client(name="Named", main_site_name="Head Office")
    assert client["main_site_name"] == "Head Office"
    site = halo.get(f"/Site/{client['main_site_id']}").json()
    assert site["name"] == "Head Office" and site["client_id"] == client["id"]
