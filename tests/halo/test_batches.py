"""POST /Client with many elements: new clients go through the batched writes (issue 14),
updates one by one, all or nothing and answered in order; what they write reads back the
same through every door, and a refusal names the element it did before."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from rolodex.runtime import Runtime
from tests.batch_reads import read_back
from tests.documents_helpers import Doors
from tests.halo.conftest import Halo, halo_error


def area(n: int, company: dict[str, Any]) -> dict[str, Any]:
    """The nth new Area of a batch, each with something different to carry."""
    out: dict[str, Any] = {
        "name": f"Area {n}",
        "notes": f"note {n}",
        "website": f"https://area{n}.example",
        "colour": f"#{n:06d}",
        "customfields": [{"id": 7, "name": "Tier", "value": n}],
    }
    if n % 4 == 0:
        out["toplevel_name"] = f"Top {n % 8}"  # two new companies, each named by several
    elif n % 4 == 1:
        out["toplevel_id"] = company["id"]
    elif n % 4 == 2:
        out["toplevel_name"] = company["name"]
    if n % 3 == 0:
        out.update(
            newclient_sitename=f"HQ {n}",
            newclient_phonenumber=f"555-{n}",
            newclient_delivery_address={"line1": f"{n} Road", "line3": "Town", "postcode": "AB1"},
        )
    if n % 3 == 1:
        out["site_update"] = [
            {"name": f"Branch {n}", "invoice_address_line1": f"{n} Invoice St", "sla_id": n},
            {"name": f"Depot {n}", "delivery_address_line2": "Unit 2"},
        ]
    if n % 5 == 0:
        out["main_site_name"] = f"Main {n}"
    return out


def test_a_batch_of_100_is_created_in_one_request_and_reads_back_through_every_door(
    runtime: Runtime, http: TestClient
) -> None:
    d = Doors.new(runtime, http, "Halo batch")
    company = d.tevo.post("/companies", {"companies": [{"name": "Existing Top"}]})
    existing = {"id": int(company.json()["companies"][0]["id"]), "name": "Existing Top"}
    elements = [area(n, existing) for n in range(100)]
    response = d.halo.post("/Client", json=elements)
    assert response.status_code == 201, response.text
    made = response.json()
    assert [a["name"] for a in made] == [e["name"] for e in elements]
    ids = [a["id"] for a in made]
    assert ids == sorted(ids)

    shown = read_back(d, ids)
    for n, (client_id, answered) in enumerate(zip(ids, made, strict=True)):
        assert shown["halo"][client_id] == answered
        assert answered["colour"] == f"#{n:06d}"
        assert answered["customfields"] == [{"id": 7, "name": "Tier", "value": n}]
        if n % 4 == 0:
            assert answered["toplevel_name"] == f"Top {n % 8}"
        elif n % 4 in (1, 2):
            assert shown["native"][client_id]["company_id"] == existing["id"]
        if n % 3 == 0:
            assert answered["main_site_name"] == f"HQ {n}"
        elif n % 5 == 0:
            assert answered["main_site_name"] == f"Main {n}"
        else:
            assert answered["main_site_id"] is None
    # Each name makes one company, however many elements name it.
    companies = d.native.get("/v1/companies?limit=100").json()["data"]
    assert sorted(c["name"] for c in companies) == ["Existing Top", "Top 0", "Top 4"]
    sites = d.halo.get("/Site?pageinate=true&page_size=1000").json()
    assert sites["record_count"] == 34 + 2 * 33 + sum(
        1 for n in range(100) if n % 5 == 0 and n % 3 != 0
    )
    branch = next(s for s in sites["sites"] if s["name"] == "Branch 1")
    assert branch["invoice_address_line1"] == "1 Invoice St" and branch["sla_id"] == 1


def test_one_bad_element_among_many_is_refused_and_nothing_is_written(halo: Halo) -> None:
    elements: list[dict[str, Any]] = [
        {"name": f"Area {n}", "toplevel_name": "New Top", "newclient_sitename": "HQ"}
        for n in range(50)
    ]
    elements[23] = {
        "name": "Bad",
        "site_update": [{"name": "ok", "invoice_address_line1": "x" * 201}],
    }
    elements[40] = {"name": ""}
    response = halo.post("/Client", json=elements)
    assert response.status_code == 400
    assert halo_error(response) == {
        "error": "invalid_field",
        "error_description": "[23].site_update[0].invoice_address_line1: must be at most 200 "
        "characters",
        "field": "[23].site_update[0].invoice_address_line1",
    }
    assert halo.clients()["record_count"] == 0
    assert halo.native.get("/v1/companies").json()["data"] == []
    assert halo.get("/Site").json()["record_count"] == 0


def test_a_company_named_by_id_must_be_the_accounts(halo: Halo, other_halo: Halo) -> None:
    theirs = other_halo.create_client(name="Theirs", toplevel_name="Their Top")
    response = halo.post(
        "/Client",
        json=[{"name": "Mine"}, {"name": "Also Mine", "toplevel_id": theirs["toplevel_id"]}],
    )
    assert response.status_code == 400
    assert halo_error(response)["field"] == "[1].toplevel_id"
    assert halo.clients()["record_count"] == 0


def test_a_mixed_array_creates_and_updates_in_order(halo: Halo) -> None:
    first = halo.create_client(name="First", colour="red")
    second = halo.create_client(name="Second", toplevel_name="Old Top")
    response = halo.post(
        "/Client",
        json=[
            {"name": "New One", "toplevel_name": "Shared Top"},
            {"id": first["id"], "notes": "changed", "toplevel_name": "Shared Top"},
            {"name": "New Two", "site_update": [{"name": "Branch", "invoice_address_line1": "1"}]},
            {"id": second["id"], "main_site_name": "Second HQ", "customfields": [{"id": 1}]},
            {"id": first["id"], "colour": "blue"},
        ],
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert [a["name"] for a in body] == ["New One", "First", "New Two", "Second", "First"]
    assert body[1] == body[4] == halo.get(f"/Client/{first['id']}").json()
    assert (body[4]["notes"], body[4]["colour"], body[4]["toplevel_name"]) == (
        "changed",
        "blue",
        "Shared Top",
    )
    assert body[0]["toplevel_id"] == body[4]["toplevel_id"]  # one company of that name
    assert body[3]["main_site_name"] == "Second HQ"
    for answered in body:
        assert halo.get(f"/Client/{answered['id']}").json()["name"] == answered["name"]
    assert halo.clients()["record_count"] == 4


def test_a_mixed_array_refused_by_a_later_create_writes_nothing(halo: Halo) -> None:
    first = halo.create_client(name="First")
    response = halo.post(
        "/Client",
        json=[
            {"name": "New One"},
            {"id": first["id"], "name": "Renamed", "toplevel_name": "New Top"},
            {"name": "Bad", "accountsemailaddress": "not-an-email"},
        ],
    )
    assert response.status_code == 400
    assert halo_error(response)["field"] == "[2].accountsemailaddress"
    assert halo.get(f"/Client/{first['id']}").json() == first
    assert halo.clients()["record_count"] == 1
    assert halo.native.get("/v1/companies").json()["data"] == []


def test_the_first_refused_element_is_the_one_answered(halo: Halo) -> None:
    """An update of an unknown client before a bad new one is a 404; after it, the bad new
    one is refused (each element is acted on in order, the first refusal answered)."""
    before = halo.post("/Client", json=[{"name": "ok"}, {"id": 987654, "name": "x"}, {"name": ""}])
    assert before.status_code == 404
    after = halo.post("/Client", json=[{"name": "ok"}, {"name": ""}, {"id": 987654, "name": "x"}])
    assert after.status_code == 400
    assert halo_error(after)["field"] == "[1].name"
    assert halo.clients()["record_count"] == 0


def test_names_shared_within_a_batch_or_with_existing_records(halo: Halo) -> None:
    """Halo's clients have no unique key: elements with the name of a client already there,
    or of each other, are each created; a top level named as an existing company joins it,
    and one named by several new elements is made once."""
    existing = halo.create_client(name="Same Name", toplevel_name="Known Top")
    response = halo.post(
        "/Client",
        json=[
            {"name": "Same Name", "toplevel_name": "Known Top"},
            {"name": "Same Name", "toplevel_name": "Fresh Top"},
            {"name": "Same Name", "toplevel_name": "Fresh Top"},
        ],
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert len({a["id"] for a in [existing, *body]}) == 4
    assert body[0]["toplevel_id"] == existing["toplevel_id"]
    assert body[1]["toplevel_id"] == body[2]["toplevel_id"] != existing["toplevel_id"]
    assert len(halo.native.get("/v1/companies").json()["data"]) == 2
