"""PopupNote, RecurringItem, AreaRequestType and AreaAzureTenant: derived from the fields a
client carries (popup_notes, areaitems, allowed_tickettypes, azure_tenants)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.halo.conftest import Halo, halo_error


@pytest.fixture
def carried(halo: Halo) -> dict[str, Any]:
    first = halo.create_client(
        name="First",
        popup_notes=[
            {"id": 1, "note": "Unread", "read_status": 0, "site_id": 10, "dismissable": True},
            {"id": 2, "note": "Already read", "read_status": 1, "user_id": 3},
        ],
        areaitems=[
            {"id": 11, "item_id": 5, "quantity": 2.0, "nextinvoicedate": "2020-01-01T00:00:00Z"},
            {"id": 12, "item_id": 6, "nextinvoicedate": "2999-01-01T00:00:00Z"},
            {"id": 13, "item_id": 7, "nextinvoicedate": "2020-01-01T00:00:00", "dontinvoice": True},
        ],
        allowed_tickettypes=[{"id": 21, "name": "Incident"}, {"id": 22, "name": "Request"}],
        azure_tenants=[
            {"id": 31, "azure_tenant_id": "AAAA-1111", "details_id": 1, "azure_tenant_name": "A"},
            {"id": 32, "azure_tenant_id": "BBBB-2222", "details_id": 2},
        ],
    )
    second = halo.create_client(
        name="Second",
        popup_notes=[{"id": 3, "note": "Other", "read_status": 0, "client_id": 0}],
        areaitems=[{"id": 14, "item_id": 8, "nextinvoicedate": "2021-06-01T00:00:00Z"}],
        allowed_tickettypes=[{"id": 21, "name": "Incident"}],
        azure_tenants=[{"id": 33, "azure_tenant_id": "CCCC-3333", "details_id": 1}],
    )
    halo.create_client(name="Plain")
    return {"first": first, "second": second}


def test_popup_notes(halo: Halo, carried: dict[str, Any]) -> None:
    first, second = carried["first"]["id"], carried["second"]["id"]
    unread = halo.get("/PopupNote").json()
    assert unread == [
        {
            "id": 1,
            "note": "Unread",
            "read_status": 0,
            "site_id": 10,
            "dismissable": True,
            "client_id": first,
        },
        {"id": 3, "note": "Other", "read_status": 0, "client_id": second},
    ]
    assert [p["id"] for p in halo.get("/PopupNote?showall=true").json()] == [1, 2, 3]
    assert [p["id"] for p in halo.get(f"/PopupNote?client_id={second}").json()] == [3]
    assert [p["id"] for p in halo.get("/PopupNote?site_id=10").json()] == [1]
    assert [p["id"] for p in halo.get("/PopupNote?user_id=3&showall=True").json()] == [2]


def test_marking_popup_notes_read(halo: Halo, carried: dict[str, Any]) -> None:
    first = carried["first"]["id"]
    response = halo.post("/PopupNote/read", json=[{"id": 1, "client_id": first}])
    assert response.status_code == 200, response.text
    assert response.json()["read_status"] == 1
    assert response.json()["id"] == 1
    assert [p["id"] for p in halo.get("/PopupNote").json()] == [3]
    area = halo.get(f"/Client/{first}").json()
    assert [p["read_status"] for p in area["popup_notes"]] == [1, 1]
    missing = halo.post("/PopupNote/read", json=[{"id": 99}])
    assert missing.status_code == 404
    assert halo_error(missing)["error"] == "not_found"
    no_id = halo.post("/PopupNote/read", json=[{"note": "which?"}])
    assert no_id.status_code == 400
    assert halo_error(no_id)["field"] == "[0].id"
    both = halo.post("/PopupNote/read", json=[{"id": 3}, {"id": 2}])
    assert [p["id"] for p in both.json()] == [3, 2]
    assert halo.get("/PopupNote").json() == []


def test_recurring_items(halo: Halo, carried: dict[str, Any]) -> None:
    first, second = carried["first"]["id"], carried["second"]["id"]
    items = halo.get("/RecurringItem").json()
    assert [(i["id"], i["client_id"]) for i in items] == [
        (11, first),
        (12, first),
        (13, first),
        (14, second),
    ]
    assert items[0] == {
        "id": 11,
        "item_id": 5,
        "quantity": 2.0,
        "nextinvoicedate": "2020-01-01T00:00:00Z",
        "client_id": first,
    }
    assert [i["id"] for i in halo.get(f"/RecurringItem?client_id={second}").json()] == [14]
    pending = halo.get("/RecurringItem?pending_recurring_invoice=true").json()
    assert [i["id"] for i in pending] == [11, 14]


def test_area_request_types(halo: Halo, carried: dict[str, Any]) -> None:
    first, second = carried["first"], carried["second"]
    assert halo.get("/AreaRequestType").json() == [
        {"client_id": first["id"], "client_name": "First", "request_type": 21},
        {"client_id": first["id"], "client_name": "First", "request_type": 22},
        {"client_id": second["id"], "client_name": "Second", "request_type": 21},
    ]
    one = halo.get(f"/AreaRequestType/{second['id']}", params={"includedetails": "true"})
    assert one.json() == [{"client_id": second["id"], "client_name": "Second", "request_type": 21}]
    assert halo.get("/AreaRequestType/987654").status_code == 404


def test_azure_tenants(halo: Halo, carried: dict[str, Any]) -> None:
    first, second = carried["first"], carried["second"]
    everything = halo.get("/AreaAzureTenant").json()
    assert [t["id"] for t in everything] == [31, 32, 33]
    assert everything[0] == {
        "id": 31,
        "azure_tenant_id": "AAAA-1111",
        "details_id": 1,
        "azure_tenant_name": "A",
        "client_id": first["id"],
        "client_name": "First",
    }
    assert [t["id"] for t in halo.get("/AreaAzureTenant?azure_tenant_id=bbbb-2222").json()] == [32]
    assert [t["id"] for t in halo.get(f"/AreaAzureTenant?client_id={second['id']}").json()] == [33]
    assert [t["id"] for t in halo.get("/AreaAzureTenant?details_id=1").json()] == [31, 33]
    site = halo.create_site(second["id"])
    assert [t["id"] for t in halo.get(f"/AreaAzureTenant?site_id={site['id']}").json()] == [33]
    assert halo.get("/AreaAzureTenant?site_id=987654").json() == []
    assert halo.get("/AreaAzureTenant?notset=true").json() == []
    assert halo.get("/AreaAzureTenant?ignore_decrypt=true&returnalliflinked=true").json() == (
        everything
    )


def test_derived_records_follow_client_updates(halo: Halo, carried: dict[str, Any]) -> None:
    second = carried["second"]["id"]
    halo.post("/Client", json=[{"id": second, "azure_tenants": [], "areaitems": None}])
    assert [t["id"] for t in halo.get("/AreaAzureTenant").json()] == [31, 32]
    assert [i["id"] for i in halo.get("/RecurringItem").json()] == [11, 12, 13]
    halo.delete(f"/Client/{second}")
    assert [p["id"] for p in halo.get("/PopupNote").json()] == [1]
