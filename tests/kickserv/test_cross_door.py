"""One client, every door: what the Kickserv door writes shows through /v1 (and Halo), and what
/v1 or Halo write shows here."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.testclient import TestClient

from rolodex.domain import documents
from rolodex.runtime import Runtime
from tests.documents_helpers import Doors, differences
from tests.halo.conftest import token_for
from tests.kickserv.conftest import Kickserv, errors_of


def by_label(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["label"]: item for item in items}


def test_a_customer_written_here_shows_through_v1(ks: Kickserv) -> None:
    customer = ks.create_customer(
        name="Clarence Carter",
        first_name="Clarence",
        last_name="Carter",
        company=False,
        is_active=False,
        balance="12.5",
        special_instructions="Dog in the yard",
        email_address="clarence@carter.example",
        phone_number="517-555-0100",
        alt_phone_number="517-555-0101",
        mobile="517-555-0102",
        fax="517-555-0103",
        service_address="1 Main St",
        service_city="Lansing",
        service_state="MI",
        service_zip_code="48933",
        service_country="US",
        billing_address="PO Box 5",
        billing_city="Detroit",
        billing_state="MI",
        billing_zip_code="48201",
    )
    client = ks.native.get(f"/v1/clients/{customer['id']}").json()
    assert client["number"] == customer["customer_number"]
    assert (client["name"], client["first_name"], client["last_name"]) == (
        "Clarence Carter",
        "Clarence",
        "Carter",
    )
    assert (client["kind"], client["inactive"], client["balance"]) == ("person", True, "12.50")
    assert client["description"] == "Dog in the yard"
    [email] = client["email_addresses"]
    assert (email["address"], email["is_primary"]) == ("clarence@carter.example", True)
    phones = by_label(client["phone_numbers"])
    assert {label: p["number"] for label, p in phones.items()} == {
        "phone": "517-555-0100",
        "alt_phone": "517-555-0101",
        "mobile": "517-555-0102",
        "fax": "517-555-0103",
    }
    assert [label for label, p in phones.items() if p["is_primary"]] == ["phone"]
    [billing] = client["addresses"]
    assert billing["label"] == "billing" and billing["is_primary_billing"] is True
    assert (billing["line1"], billing["city"], billing["region"], billing["postal_code"]) == (
        "PO Box 5",
        "Detroit",
        "MI",
        "48201",
    )
    [location] = ks.native.get(f"/v1/clients/{customer['id']}/locations").json()["data"]
    assert (location["name"], location["is_primary"]) == ("Service Address", True)
    assert (location["line1"], location["city"], location["region"]) == (
        "1 Main St",
        "Lansing",
        "MI",
    )
    assert (location["postal_code"], location["country"]) == ("48933", "US")
    # A name found through /v1's search is the same client.
    assert [c["id"] for c in ks.native.all_clients("&q=517-555-0102")] == [customer["id"]]


def test_notes_jobs_and_payments_written_here_show_through_v1(ks: Kickserv) -> None:
    customer = ks.create_customer()
    cid = customer["id"]
    note = ks.ok(ks.post("/customers/1/notes.json", json={"note": {"note": "All sales NET-30"}}))
    job = ks.create_job(1, job_type_id=61, name="Repair", description="Test job")
    payment = ks.ok(
        ks.post(
            "/jobs/1/payments.json",
            json={"payment": {"amount": "1464.27", "date": "2022-05-09", "ref_number": "1001"}},
        )
    )
    [native_note] = ks.native.get(f"/v1/clients/{cid}/notes").json()["data"]
    assert (native_note["id"], native_note["body"], native_note["author"]) == (
        note["id"],
        "All sales NET-30",
        "Kickserv API",
    )
    assert native_note["job_id"] is None
    [native_job] = ks.native.get(f"/v1/clients/{cid}/jobs").json()["data"]
    assert (native_job["id"], native_job["number"], native_job["job_type_id"]) == (
        job["id"],
        1,
        61,
    )
    assert (native_job["job_type"], native_job["description"], native_job["status"]) == (
        "Repair",
        "Test job",
        "unscheduled",
    )
    [native_payment] = ks.native.get(f"/v1/clients/{cid}/payments").json()["data"]
    assert native_payment["id"] == payment["id"]
    assert (native_payment["amount"], native_payment["date"], native_payment["reference"]) == (
        "1464.27",
        "2022-05-09",
        "1001",
    )
    assert native_payment["applications"] == [{"job_id": job["id"], "amount": "1464.27"}]


def test_a_client_written_through_v1_shows_here(ks: Kickserv) -> None:
    company = ks.native.post("/v1/companies", json={"name": "ACME Holdings"}).json()
    client = ks.native.create_client(
        name="ACME Corp",
        company_id=company["id"],
        kind="organization",
        description="Call first",
        balance="99.9",
        addresses=[
            {"label": "ship", "line1": "9 Dock Rd", "city": "Toledo", "region": "OH",
             "postal_code": "43604", "country": "US", "is_primary_shipping": True},
            {"label": "bill", "line1": "1 Money Ln", "line2": "Floor 3", "city": "Columbus",
             "region": "OH", "is_primary_billing": True, "is_primary": True},
        ],
        phone_numbers=[
            {"label": "Cell", "number": "419-555-0102"},
            {"label": "Office", "number": "419-555-0100", "is_primary": True},
            {"label": "FAX", "number": "419-555-0103"},
        ],
        email_addresses=[{"address": "ops@acme.example", "is_primary": True}],
    )  # fmt: skip
    cid = client["id"]
    note = ks.native.post(
        f"/v1/clients/{cid}/notes", json={"body": "Native note", "author": "Ned Flanders"}
    ).json()
    job = ks.native.post(
        f"/v1/clients/{cid}/jobs", json={"job_type_id": 4, "description": "Fix"}
    ).json()
    payment = ks.native.post(
        f"/v1/clients/{cid}/payments",
        json={"amount": "10", "date": "2024-02-29", "reference": "77",
              "applications": [{"job_id": job["id"]}]},
    ).json()  # fmt: skip

    customer = ks.ok(ks.get(f"/customers/{client['number']}.json"))
    assert (customer["id"], customer["name"], customer["company"]) == (cid, "ACME Corp", True)
    assert (customer["special_instructions"], customer["balance"]) == ("Call first", "99.90")
    assert customer["company_name"] == "ACME Holdings"
    assert (customer["service_address"], customer["service_city"], customer["service_state"]) == (
        "9 Dock Rd",
        "Toledo",
        "OH",
    )
    assert (customer["billing_address"], customer["billing_address_2"]) == ("1 Money Ln", "Floor 3")
    assert customer["which_billing_address"] == "billing"
    assert customer["phone_number"] == "419-555-0100"
    assert (customer["mobile"], customer["fax"], customer["alt_phone_number"]) == (
        "419-555-0102",
        "419-555-0103",
        None,
    )
    assert customer["email_address"] == "ops@acme.example"
    assert [c["id"] for c in ks.ok(ks.get("/customers.json?service_city=toledo"))] == [cid]

    [shown_note] = ks.ok(ks.get(f"/customers/{client['number']}/notes.json"))
    assert (shown_note["id"], shown_note["note"], shown_note["noteable_id"]) == (
        note["id"],
        "Native note",
        cid,
    )
    edited = ks.ok(
        ks.put(
            f"/customers/{client['number']}/notes/{note['id']}.json",
            json={"note": {"note": "Edited here"}},
        )
    )
    assert edited["creator"] == {
        "id": None,
        "name": "Ned Flanders",
        "first_name": "Ned",
        "last_name": "Flanders",
    }
    [shown_job] = ks.ok(ks.get(f"/customers/{client['number']}/jobs.json"))
    assert (shown_job["id"], shown_job["job_number"], shown_job["job_type_id"]) == (
        job["id"],
        job["number"],
        4,
    )
    [shown_payment] = ks.ok(ks.get(f"/customers/{client['number']}/payments.json"))
    assert (shown_payment["id"], shown_payment["amount"], shown_payment["ref_number"]) == (
        payment["id"],
        "10.00",
        "77",
    )
    assert len(shown_payment["payment_application_ids"]) == 1
    assert ks.ok(ks.get(f"/jobs/{job['number']}/payments.json")) == [shown_payment]


def test_a_primary_location_is_the_service_address(ks: Kickserv) -> None:
    client = ks.native.create_client(
        name="Sited", addresses=[{"city": "Elsewhere", "is_primary": True}]
    )
    ks.native.post(
        f"/v1/clients/{client['id']}/locations",
        json={"name": "HQ", "is_primary": True, "line1": "5 Site Rd", "city": "Flint",
              "phone": "810-555-0100", "fax": "810-555-0199"},
    )  # fmt: skip
    customer = ks.ok(ks.get(f"/customers/{client['number']}.json"))
    assert (customer["service_address"], customer["service_city"]) == ("5 Site Rd", "Flint")
    assert (customer["phone_number"], customer["fax"]) == ("810-555-0100", "810-555-0199")
    # Written back to the location they are read from.
    changed = ks.ok(
        ks.put(
            f"/customers/{client['number']}.json",
            json={"customer": {"service_city": "Saginaw", "phone_number": "810-555-0111"}},
        )
    )
    assert (changed["service_city"], changed["phone_number"]) == ("Saginaw", "810-555-0111")
    [location] = ks.native.get(f"/v1/clients/{client['id']}/locations").json()["data"]
    assert (location["city"], location["phone"]) == ("Saginaw", "810-555-0111")
    assert ks.native.get(f"/v1/clients/{client['id']}").json()["phone_numbers"] == []


def test_one_shared_address_is_split_when_service_and_billing_part(ks: Kickserv) -> None:
    """A /v1 client with one address that is primary, billing and shipping at once: changing
    the billing address here gives billing an address of its own and leaves the service address
    as it was; changing the service address gives it a location of its own."""
    client = ks.native.create_client(
        name="One Address",
        addresses=[{"line1": "1 Both St", "city": "Kalamazoo", "region": "MI", "is_primary": True,
                    "is_primary_billing": True, "is_primary_shipping": True}],
    )  # fmt: skip
    path = f"/customers/{client['number']}.json"
    before = ks.ok(ks.get(path))
    assert (before["service_address"], before["billing_address"]) == ("1 Both St", "1 Both St")
    after = ks.ok(ks.put(path, json={"customer": {"billing_city": "Portage"}}))
    assert (after["service_address"], after["service_city"]) == ("1 Both St", "Kalamazoo")
    assert (after["billing_address"], after["billing_city"]) == ("1 Both St", "Portage")
    addresses = ks.native.get(f"/v1/clients/{client['id']}").json()["addresses"]
    assert [(a["city"], a["is_primary_billing"], a["is_primary_shipping"]) for a in addresses] == [
        ("Kalamazoo", False, True),
        ("Portage", True, False),
    ]

    other = ks.native.create_client(
        name="Another",
        addresses=[{"line1": "2 Both St", "city": "Holland", "is_primary": True,
                    "is_primary_billing": True, "is_primary_shipping": True}],
    )  # fmt: skip
    path = f"/customers/{other['number']}.json"
    after = ks.ok(ks.put(path, json={"customer": {"service_address": "3 Work Rd"}}))
    assert (after["service_address"], after["service_city"]) == ("3 Work Rd", "Holland")
    assert (after["billing_address"], after["billing_city"]) == ("2 Both St", "Holland")
    [location] = ks.native.get(f"/v1/clients/{other['id']}/locations").json()["data"]
    assert (location["name"], location["line1"], location["city"]) == (
        "Service Address",
        "3 Work Rd",
        "Holland",
    )


def test_deletes_through_v1_show_here(ks: Kickserv) -> None:
    customer = ks.create_customer()
    note = ks.ok(ks.post("/customers/1/notes.json", json={"note": {"note": "x"}}))
    ks.create_job(1)
    native = ks.native
    assert native.delete(f"/v1/clients/{customer['id']}/notes/{note['id']}").status_code == 204
    assert errors_of(ks.get(f"/customers/1/notes/{note['id']}.json"), 404)
    assert native.delete(f"/v1/clients/{customer['id']}").status_code == 204
    assert errors_of(ks.get("/customers/1.json"), 404) == {"base": ["Invalid customer."]}
    assert errors_of(ks.get("/jobs/1.json"), 404) == {"base": ["Invalid job."]}


def test_vendor_fields_of_a_deleted_record_never_reach_a_new_one(ks: Kickserv) -> None:
    """SQLite may give a deleted row's id to the next row; what this door stored for the old
    record (deleted through another door) must not appear on the new one."""
    customer = ks.create_customer()
    job = ks.create_job(1, ref_number="OLD-REF", custom_text1="old")
    native = ks.native
    assert native.delete(f"/v1/clients/{customer['id']}/jobs/{job['id']}").status_code == 204
    fresh = native.post(f"/v1/clients/{customer['id']}/jobs", json={"description": "new"}).json()
    shown = ks.ok(ks.get(f"/jobs/{fresh['number']}.json"))
    assert (shown["ref_number"], shown["custom_text1"]) == (None, None)
    note = ks.ok(ks.post("/customers/1/notes.json", json={"note": {"note": "x", "public": True}}))
    native.delete(f"/v1/clients/{customer['id']}/notes/{note['id']}")
    new_note = native.post(f"/v1/clients/{customer['id']}/notes", json={"body": "y"}).json()
    assert ks.ok(ks.get(f"/customers/1/notes/{new_note['id']}.json"))["public"] is False


def halo_token(http: TestClient, credentials: dict[str, Any]) -> str:
    return token_for(http, credentials)


def test_a_halo_crm_note_shows_here_and_a_note_written_here_shows_in_halo(
    http: TestClient, ks: Kickserv
) -> None:
    customer = ks.create_customer(name="Shared")
    halo = {"Authorization": f"Bearer {halo_token(http, ks.credentials)}"}
    response = http.post(
        "/halo/api/CRMNote",
        headers=halo,
        json=[{"client_id": customer["id"], "note": "Called about renewal", "who": "Jane Tech"}],
    )
    assert response.status_code == 201, response.text
    halo_note = response.json()

    [shown] = ks.ok(ks.get("/customers/1/notes.json"))
    assert (shown["id"], shown["note"]) == (halo_note["id"], "Called about renewal")
    assert (shown["noteable_type"], shown["noteable_id"]) == ("Customer", customer["id"])
    edited = ks.ok(
        ks.put(f"/customers/1/notes/{shown['id']}.json", json={"note": {"note": "Renewed"}})
    )
    assert edited["creator"]["name"] == "Jane Tech"

    mine = ks.ok(ks.post("/customers/1/notes.json", json={"note": {"note": "From Kickserv"}}))
    listed = http.get(f"/halo/api/CRMNote?client_id={customer['id']}", headers=halo)
    assert listed.status_code == 200, listed.text
    assert [(n["id"], n["note"]) for n in listed.json()] == [
        (mine["id"], "From Kickserv"),
        (halo_note["id"], "Renewed"),
    ]


def test_a_customer_created_here_reads_alike_through_every_door(
    runtime: Runtime, http: TestClient, ks: Kickserv
) -> None:
    """A create writes a client, its Service Address location, billing address, one phone
    number per slot and its email address at once, at the version the records give it (one
    for the client, one for each address, phone and email written with it, as ever): every
    door shows those records, and reads the same once the other doors' documents are
    rendered."""
    doors = Doors(runtime, http, ks.credentials)
    customer = ks.create_customer(
        name="Every Door",
        service_address="1 Main St",
        service_city="Lansing",
        billing_address="PO Box 5",
        phone_number="517-555-0100",
        alt_phone_number="517-555-0101",
        mobile="517-555-0102",
        fax="517-555-0103",
        email_address="every@door.example",
        custom_text1="Gate code 1234",
    )
    subject = doors.subject(customer["id"])
    assert ks.native.get(f"/v1/clients/{customer['id']}").headers["ETag"] == '"7"'
    served = doors.read([subject])

    trackops = orjson.loads(served[f"trackops GET client {subject.id}"].body)
    location = trackops["primary_location"]
    assert (location["name"], location["address_1"], location["city"]) == (
        "Service Address",
        "1 Main St",
        "Lansing",
    )
    assert "custom_text1" not in trackops
    tevo = orjson.loads(served[f"tevo GET client {subject.id}"].body)
    assert [a["street_address"] for a in tevo["addresses"]] == ["PO Box 5"]
    assert tevo["primary_phone_number"]["number"] == "517-555-0100"
    assert len(tevo["phone_numbers"]) == 4
    assert tevo["primary_email_address"]["address"] == "every@door.example"
    halo = orjson.loads(served[f"halo GET client {subject.id}"].body)
    assert halo["main_site_name"] == "Service Address"
    kickserv = orjson.loads(served[f"kickserv GET client {subject.id}"].body)
    assert kickserv == customer

    documents.drain(runtime.engine)
    assert differences(served, doors.read([subject])) == {}
    doors.rebuild()
    assert differences(served, doors.read([subject])) == {}
