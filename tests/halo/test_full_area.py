"""A full Area body, every one of the 446 properties of Halo's `Area` schema plus the extra
fields Halo's own sample body carries, round-trips through POST /Client and GET /Client/{id}
with every value exactly as sent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.halo.conftest import Halo, halo_error

DATA = Path(__file__).parent / "data"
PROPERTIES: dict[str, dict[str, str]] = json.loads((DATA / "area-properties.json").read_text())[
    "properties"
]
TEMPLATE: dict[str, Any] = json.loads((DATA / "client-template.json").read_text())[0]


def _sample(name: str, spec: dict[str, str], index: int) -> Any:
    kind, ref = spec["type"], spec.get("ref")
    if spec.get("format") == "date-time":
        return f"2024-05-{index % 28 + 1:02d}T07:08:09.123Z"
    if kind == "string":
        return f"{name} sample ü"
    if kind == "integer":
        return 9007199254740993 if spec.get("format") == "int64" else 1000 + index
    if kind == "number":
        return index + 0.25
    if kind == "boolean":
        return index % 2 == 0
    if kind == "array":
        return [{"id": index, "name": f"{ref or name} item", "nested": {"flag": True}}]
    return {"id": index, "kind": ref or name, "values": [1, 2.5, None, "x"]}


def full_body(company: dict[str, Any]) -> dict[str, Any]:
    """Every Area property: the sample body's values where it has one, a typed sample value
    for the rest, and values the shared field rules accept for the fields they govern."""
    body: dict[str, Any] = dict(TEMPLATE)
    for index, (name, spec) in enumerate(PROPERTIES.items()):
        if name not in body:
            body[name] = _sample(name, spec, index)
    body.update(
        {
            "id": 0,
            "name": "Full Area Ltd",
            "inactive": False,
            "website": "https://full-area.example",
            "accountsemailaddress": "accounts@full-area.example",
            "notes": "Every field, as sent.",
            "toplevel_id": company["id"],
            "toplevel_name": company["name"],
            "newclient_sitename": "Head Office",
            "main_site_name": "Head Office",
            "main_site_id": 0,
            "customfields": [
                {**TEMPLATE["customfields"][0], "id": 41, "name": "Tier", "value": "Gold"},
                {**TEMPLATE["customfields"][0], "id": 42, "name": "Seats", "value": 12},
            ],
            "popup_notes": [{**TEMPLATE["popup_notes"][0], "id": 5, "note": "Call first"}],
        }
    )
    return body


def test_the_reference_lists_446_area_properties() -> None:
    assert len(PROPERTIES) == 446
    assert {"slataxcode", "nonslataxcode", "contracttemplateid"} <= set(TEMPLATE) - set(PROPERTIES)


def test_a_full_area_round_trips(halo: Halo) -> None:
    company = halo.native.post("/v1/companies", json={"name": "Full Group"}).json()
    body = full_body(company)
    assert set(PROPERTIES) <= set(body)

    created = halo.post("/Client", json=[body])
    assert created.status_code == 201, created.text
    area = created.json()
    client_id = area["id"]
    assert isinstance(client_id, int) and client_id > 0
    sites = halo.get(f"/Site?client_id={client_id}").json()["sites"]
    main = next(s for s in sites if s["name"] == "Head Office")
    # Only what the server assigns differs: the client's id and its new main site's id.
    assert area["main_site_id"] == main["id"]
    for key, value in body.items():
        if key not in ("id", "main_site_id"):
            assert area[key] == value, key
    assert set(area) == set(body)

    # Sending the whole body back, now with its ids, changes nothing and reads back exactly.
    echoed = {**body, "id": client_id, "main_site_id": main["id"]}
    updated = halo.post("/Client", json=[echoed])
    assert updated.status_code == 201, updated.text
    assert updated.json() == echoed
    fetched = halo.get(f"/Client/{client_id}")
    assert fetched.status_code == 200
    assert fetched.json() == echoed
    # site_update and newclient_* act only when the client is created: no new sites now.
    assert len(halo.get(f"/Site?client_id={client_id}").json()["sites"]) == len(sites)


def test_full_area_fields_land_in_the_shared_model(halo: Halo) -> None:
    company = halo.native.post("/v1/companies", json={"name": "Shared Group"}).json()
    area = halo.post("/Client", json=[full_body(company)]).json()
    client = halo.native.get(f"/v1/clients/{area['id']}").json()
    assert client["name"] == "Full Area Ltd"
    assert client["website"] == "https://full-area.example"
    assert client["invoice_email"] == "accounts@full-area.example"
    assert client["description"] == "Every field, as sent."
    assert client["company_id"] == company["id"]
    assert client["inactive"] is False
    assert client["custom_fields"] == {"Tier": "Gold", "Seats": 12}
    locations = halo.native.get(f"/v1/clients/{area['id']}/locations").json()["data"]
    head = next(loc for loc in locations if loc["name"] == "Head Office")
    assert head["is_primary"] is True
    # newclient_delivery_address and newclient_phonenumber went to the main site
    assert head["line1"] == TEMPLATE["newclient_delivery_address"]["line1"]
    assert head["postal_code"] == TEMPLATE["newclient_delivery_address"]["postcode"]
    assert head["phone"] == TEMPLATE["newclient_phonenumber"]
    # site_update created the template's site as well
    assert sorted(loc["name"] for loc in locations) == ["Head Office", "string"]


def test_the_sample_body_verbatim_is_refused_for_its_dummy_email(halo: Halo) -> None:
    """Halo's sample body says "string" for every text field; the shared field rules (the same
    for every door) refuse "string" as an invoice email address, and nothing is written."""
    response = halo.post("/Client", json=[TEMPLATE])
    assert response.status_code == 400
    assert halo_error(response)["field"] == "[0].accountsemailaddress"
    assert halo.clients()["record_count"] == 0
    fixed = {**TEMPLATE, "accountsemailaddress": "accounts@example.com"}
    created = halo.post("/Client", json=[fixed])
    assert created.status_code == 201, created.text
    area = created.json()
    for key, value in TEMPLATE.items():
        if key not in ("id", "accountsemailaddress", "toplevel_id", "main_site_id"):
            assert area[key] == value, key
    # toplevel_id 0 means "none", and toplevel_name named the client's top level instead
    assert area["toplevel_name"] == "string"
    assert isinstance(area["toplevel_id"], int) and area["toplevel_id"] > 0
