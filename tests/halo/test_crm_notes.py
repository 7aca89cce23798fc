"""GET/POST /CRMNote and GET/DELETE /CRMNote/{id}: CRM notes are the shared model's client
notes."""

from __future__ import annotations

from tests.halo.conftest import Halo, halo_error


def test_create_read_and_list_notes(halo: Halo) -> None:
    client = halo.create_client(name="Noted")
    response = halo.post(
        "/CRMNote",
        json=[
            {
                "client_id": client["id"],
                "note": "Called about renewal",
                "who": "Ned",
                "timetaken": 0.5,
                "satisfaction": "happy",
                "customfields": [{"id": 1, "value": "x"}],
            }
        ],
    )
    assert response.status_code == 201, response.text
    note = response.json()
    assert note["client_id"] == client["id"]
    assert note["note"] == "Called about renewal"
    assert note["who"] == "Ned"
    assert note["timetaken"] == 0.5
    assert note["satisfaction"] == "happy"
    assert note["customfields"] == [{"id": 1, "value": "x"}]
    assert note["datetime"].endswith("Z")
    assert halo.get(f"/CRMNote/{note['id']}", params={"includedetails": "true"}).json() == note
    assert halo.get("/CRMNote").json() == [note]


def test_datetime_and_agent_as_sent(halo: Halo) -> None:
    client = halo.create_client()
    note = halo.post(
        "/CRMNote",
        json=[
            {
                "client_id": client["id"],
                "note": "Imported",
                "who_agentid": 7,
                "datetime": "2020-01-02T03:04:05.000Z",
            }
        ],
    ).json()
    assert note["datetime"] == "2020-01-02T03:04:05.000Z"
    assert note["who_agentid"] == 7
    assert note["who"] == "7"


def test_filters_and_count(halo: Halo) -> None:
    group = halo.native.post("/v1/companies", json={"name": "Grouped"}).json()
    a = halo.create_client(name="A", toplevel_id=group["id"])
    b = halo.create_client(name="B")
    created = halo.post(
        "/CRMNote",
        json=[
            {"client_id": a["id"], "note": "first"},
            {"client_id": b["id"], "note": "second"},
            {"client_id": a["id"], "note": "third"},
        ],
    )
    assert created.status_code == 201
    assert [n["note"] for n in created.json()] == ["first", "second", "third"]
    # newest first
    assert [n["note"] for n in halo.get("/CRMNote").json()] == ["third", "second", "first"]
    assert [n["note"] for n in halo.get(f"/CRMNote?client_id={a['id']}").json()] == [
        "third",
        "first",
    ]
    assert [n["note"] for n in halo.get(f"/CRMNote?toplevel_id={group['id']}").json()] == [
        "third",
        "first",
    ]
    assert [n["note"] for n in halo.get("/CRMNote?count=1").json()] == ["third"]
    assert halo.get("/CRMNote?supplier_id=4").json() == halo.get("/CRMNote").json()


def test_update_and_delete(halo: Halo) -> None:
    client = halo.create_client()
    note = halo.post("/CRMNote", json=[{"client_id": client["id"], "note": "draft"}]).json()
    updated = halo.post("/CRMNote", json=[{"id": note["id"], "note": "final"}])
    assert updated.status_code == 201
    assert updated.json()["note"] == "final"
    assert updated.json()["datetime"] == note["datetime"]
    response = halo.delete(f"/CRMNote/{note['id']}")
    assert response.status_code == 200
    assert halo.get(f"/CRMNote/{note['id']}").status_code == 404
    assert halo_error(halo.delete(f"/CRMNote/{note['id']}"))["error"] == "not_found"
    assert halo.get("/CRMNote").json() == []


def test_errors(halo: Halo) -> None:
    client = halo.create_client()
    for element, field in (
        ({"note": "no client"}, "[0].client_id"),
        ({"client_id": 424242, "note": "unknown client"}, "[0].client_id"),
        ({"client_id": client["id"]}, "[0].note"),
        ({"client_id": client["id"], "note": ""}, "[0].note"),
        ({"client_id": client["id"], "note": "x", "who_agentid": "seven"}, "[0].who_agentid"),
    ):
        response = halo.post("/CRMNote", json=[element])
        assert response.status_code == 400, element
        assert halo_error(response)["field"] == field
    assert halo.post("/CRMNote", json=[{"id": 555555, "note": "x"}]).status_code == 404
    assert halo.get("/CRMNote/555555").status_code == 404
    assert halo.get("/CRMNote").json() == []
