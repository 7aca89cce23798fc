"""POST /v9/clients with many records: the batched writes (issue 14) create what one create
per record did, read back the same through every door, and refuse exactly as before."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from rolodex.runtime import Runtime
from tests.batch_reads import read_back
from tests.conftest import Api
from tests.documents_helpers import Doors
from tests.tevo.conftest import Tevo
from tests.tevo.helpers import string_id


def record(n: int, company_id: str) -> dict[str, Any]:
    """The nth client of a batch, each with something different to carry."""
    out: dict[str, Any] = {
        "name": f"Client Number{n}",
        "notes": f"note {n}",
        "tags": [f"t{n % 3}", "all"] if n % 2 else f"z{n}, a{n}",
        "balance": f"{n}.25",
        "addresses": [
            {"street_address": f"{n} Main St", "locality": "Springfield", "primary": True},
            {"label": "work", "street_address": f"{n} Plant Rd", "is_primary_billing": True},
        ],
        "phone_numbers": [{"number": f"555-{n:04d}", "primary": n % 4 == 0}],
        "email_addresses": [{"address": f"c{n}@example.com", "is_primary": True}],
    }
    if n % 5 == 0:
        out["company"] = {"name": f"Company {n}"}
    elif n % 5 == 1:
        out["company_id"] = company_id
    if n % 7 == 0:
        out.update(commission_junction_sid=f"CJ{n}", pnr_id=n, affiliate_store={"id": str(n)})
    return out


def test_a_batch_of_100_is_created_in_one_request_and_reads_back_through_every_door(
    runtime: Runtime, http: TestClient
) -> None:
    d = Doors.new(runtime, http, "TEvo batch")
    company = d.tevo.post("/companies", {"companies": [{"name": "Shared Co"}]})
    company_id = company.json()["companies"][0]["id"]
    records = [record(n, company_id) for n in range(100)]
    response = d.tevo.post("/clients", {"clients": records})
    assert response.status_code == 201, response.text
    made = response.json()["clients"]
    assert [c["name"] for c in made] == [r["name"] for r in records]
    ids = [string_id(c["id"]) for c in made]
    assert ids == sorted(ids)

    shown = read_back(d, ids)
    for n, (client_id, answered) in enumerate(zip(ids, made, strict=True)):
        assert shown["tevo"][client_id] == answered
        native = shown["native"][client_id]
        assert native["description"] == f"note {n}"
        assert native["balance"] == f"{n}.25"
        assert len(native["addresses"]) == 2 and len(native["phone_numbers"]) == 1
        assert answered["tags"] == ([f"t{n % 3}", "all"] if n % 2 else [f"z{n}", f"a{n}"])
        assert answered["primary_shipping_address"] is None or isinstance(
            answered["primary_shipping_address"], dict
        )
        if n % 5 == 0:
            assert answered["company"]["name"] == f"Company {n}"
        elif n % 5 == 1:
            assert answered["company"]["id"] == company_id
        else:
            assert answered["company"] is None
        if n % 7 == 0:
            assert (answered["commission_junction_sid"], answered["pnr_id"]) == (f"CJ{n}", n)
            assert answered["affiliate_store"] == {"id": str(n)}
    # A company object makes a company of its own for each record that sends one.
    companies = d.native.get("/v1/companies?limit=100").json()["data"]
    assert len(companies) == 1 + 20


def test_one_bad_record_among_many_is_refused_with_its_errors_and_nothing_is_written(
    tevo: Tevo, native: Api
) -> None:
    records: list[dict[str, Any]] = [
        {"name": f"Client Number{n}", "company": {"name": f"Co {n}"}} for n in range(60)
    ]
    records[17] = {"name": "Prince", "phone_numbers": [{"label": "cell"}]}
    records[31] = {"name": "Bart Simpson", "company_id": 987654321}
    records[45] = {"name": "Lisa Simpson", "office_id": 987654321}
    records[52] = {"name": "Maggie Simpson", "addresses": [{"primary": True}, {"primary": True}]}
    response = tevo.post("/clients", {"clients": records})
    assert response.status_code == 422, response.text
    items = response.json()["clients"]
    assert [i["name"] for i in items] == [r["name"] for r in records]
    assert all(i["id"] is None and i["updated_at"] is None for i in items)
    errors = {n: i["errors"] for n, i in enumerate(items) if i["errors"]}
    assert errors == {
        17: {"name": ["must include a space"], "phone_numbers.number": ["can't be blank"]},
        31: {"company_id": ["no company with id 987654321"]},
        45: {"office_id": ["no office with id 987654321"]},
        52: {"addresses.primary": ["at most one may be set"]},
    }
    assert native.all_clients() == []
    assert native.get("/v1/companies").json()["data"] == []


def test_records_alike_or_like_an_existing_client_are_each_created(tevo: Tevo, native: Api) -> None:
    """The vendor's clients have no unique key: a batch whose records share a name, a
    company object's name and the vendor's own references, with each other and with a
    client already there, creates every one of them, as one create per record did."""
    same = {
        "name": "Ned Flanders",
        "company": {"name": "The Leftorium"},
        "commission_junction_sid": "CJ1",
        "pnr_id": "PNR-1",
    }
    existing = tevo.create_client(**same)
    response = tevo.post("/clients", {"clients": [same, same, {**same, "tags": "a"}]})
    assert response.status_code == 201, response.text
    made = response.json()["clients"]
    assert len({c["id"] for c in [existing, *made]}) == 4
    assert len({c["company"]["id"] for c in [existing, *made]}) == 4
    assert all(c["pnr_id"] == "PNR-1" for c in made)
    assert [int(c["id"]) for c in native.all_clients()] == sorted(
        int(c["id"]) for c in [existing, *made]
    )
