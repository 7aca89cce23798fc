"""Every kind of write through every door appends its event, in the write's own transaction:
read back from GET /v1/events with the door, the credential, the write's X-Request-Id, the
record's state in the native API's shape and, for an update, what it was before. A write
that is refused appends nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from rolodex.cli import main as cli
from rolodex.domain import clients
from rolodex.runtime import Runtime
from tests.conftest import Api, new_account
from tests.halo.conftest import Halo
from tests.kickserv.conftest import Kickserv
from tests.tevo.conftest import Tevo
from tests.trackops.conftest import Trackops


@dataclass
class Doors:
    native: Api
    trackops: Trackops
    tevo: Tevo
    halo: Halo
    kickserv: Kickserv


@pytest.fixture
def doors(runtime: Runtime, http: TestClient) -> Doors:
    credentials = new_account(runtime, "Recorded")
    return Doors(
        Api(http, credentials),
        Trackops(http, credentials),
        Tevo(http, credentials),
        Halo(http, credentials),
        Kickserv(http, credentials),
    )


def events_of(api: Api, query: str = "") -> list[dict[str, Any]]:
    response = api.get(f"/v1/events?limit=100&{query}")
    assert response.status_code == 200, response.text
    return list(response.json()["data"])


def ok(response: Any, *statuses: int) -> Any:
    assert response.status_code in (statuses or (200, 201)), response.text
    return response


def fingerprint(door: str, header: str) -> str:
    return f"{door}:{hashlib.sha256(header.encode()).hexdigest()[:12]}"


@dataclass
class Case:
    """A write through a door: `write(doors)` makes it and returns its HTTP response and the
    id of the record it changed; the event it must leave (type, door, record_type)."""

    write: Callable[[Doors], tuple[Any, int]]
    type: str
    door: str
    previous: dict[str, Any] | None = None


def _native_client(d: Doors, name: str = "Ada") -> dict[str, Any]:
    return dict(ok(d.native.post("/v1/clients", json={"name": name})).json())


def _native_owned(d: Doors, segment: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    cid = _native_client(d)["id"]
    made = ok(d.native.post(f"/v1/clients/{cid}/{segment}", json=body)).json()
    return cid, made


def native_create(d: Doors) -> tuple[Any, int]:
    r = ok(d.native.post("/v1/clients", json={"name": "Ada", "tags": ["vip"]}))
    return r, r.json()["id"]


def native_update(d: Doors) -> tuple[Any, int]:
    cid = _native_client(d, "Ada")["id"]
    return ok(d.native.patch(f"/v1/clients/{cid}", json={"name": "Ada King"})), cid


def native_delete(d: Doors) -> tuple[Any, int]:
    cid = _native_client(d)["id"]
    return ok(d.native.delete(f"/v1/clients/{cid}"), 204), cid


def native_address(d: Doors) -> tuple[Any, int]:
    cid = _native_client(d)["id"]
    r = ok(d.native.post(f"/v1/clients/{cid}/addresses", json={"line1": "1 Main", "city": "X"}))
    return r, r.json()["id"]


def native_address_update(d: Doors) -> tuple[Any, int]:
    cid, made = _native_owned(d, "addresses", {"line1": "1 Main", "city": "Old Town"})
    path = f"/v1/clients/{cid}/addresses/{made['id']}"
    return ok(d.native.patch(path, json={"city": "New Town"})), made["id"]


def native_phone_delete(d: Doors) -> tuple[Any, int]:
    cid, made = _native_owned(d, "phone_numbers", {"number": "555-0100"})
    path = f"/v1/clients/{cid}/phone_numbers/{made['id']}"
    return ok(d.native.delete(path), 204), made["id"]


def native_email(d: Doors) -> tuple[Any, int]:
    _, made = _native_owned(d, "email_addresses", {"address": "a@example.com"})
    return None, made["id"]


def native_location(d: Doors) -> tuple[Any, int]:
    _, made = _native_owned(d, "locations", {"name": "Depot"})
    return None, made["id"]


def native_note(d: Doors) -> tuple[Any, int]:
    _, made = _native_owned(d, "notes", {"body": "Called"})
    return None, made["id"]


def native_job(d: Doors) -> tuple[Any, int]:
    _, made = _native_owned(d, "jobs", {"job_type": "Repair"})
    return None, made["id"]


def native_payment(d: Doors) -> tuple[Any, int]:
    _, made = _native_owned(d, "payments", {"amount": "10.00"})
    return None, made["id"]


def native_company(d: Doors) -> tuple[Any, int]:
    r = ok(d.native.post("/v1/companies", json={"name": "Umbrella"}))
    return r, r.json()["id"]


def native_company_update(d: Doors) -> tuple[Any, int]:
    made = ok(d.native.post("/v1/companies", json={"name": "Umbrella"})).json()
    return ok(d.native.patch(f"/v1/companies/{made['id']}", json={"name": "Ombrella"})), made["id"]


def native_company_delete(d: Doors) -> tuple[Any, int]:
    made = ok(d.native.post("/v1/companies", json={"name": "Umbrella"})).json()
    return ok(d.native.delete(f"/v1/companies/{made['id']}"), 204), made["id"]


def trackops_create(d: Doors) -> tuple[Any, int]:
    made = d.trackops.create_client("Trackops Client")
    return None, made["id"]


def trackops_location(d: Doors) -> tuple[Any, int]:
    root = d.trackops.create_client("Rooted")["id"]
    return None, d.trackops.create_location(root, name="Annex")["id"]


def trackops_contact(d: Doors) -> tuple[Any, int]:
    root = d.trackops.create_client("Contacted")["id"]
    location = d.trackops.create_location(root, name="Desk")["id"]
    return None, d.trackops.create_contact(location)["id"]


def tevo_create(d: Doors) -> tuple[Any, int]:
    r = ok(d.tevo.post("/clients", {"clients": [{"name": "Tevo Client"}]}))
    return r, int(r.json()["clients"][0]["id"])  # TEvo's ids are strings


def tevo_update(d: Doors) -> tuple[Any, int]:
    cid = int(d.tevo.create_client(name="Tevo Old")["id"])
    return ok(d.tevo.put(f"/clients/{cid}", {"name": "Tevo New"})), cid


def tevo_email(d: Doors) -> tuple[Any, int]:
    cid = d.tevo.create_client()["id"]
    r = ok(
        d.tevo.post(
            f"/clients/{cid}/email_addresses",
            {"email_addresses": [{"address": "t@example.com", "label": "home"}]},
        )
    )
    return r, int(r.json()["email_addresses"][0]["id"])


def halo_create(d: Doors) -> tuple[Any, int]:
    r = ok(d.halo.post("/Client", json=[{"name": "Halo Area"}]))
    return r, r.json()["id"]


def halo_update(d: Doors) -> tuple[Any, int]:
    cid = d.halo.create_client(name="Halo Old")["id"]
    return ok(d.halo.post("/Client", json=[{"id": cid, "name": "Halo New"}])), cid


def halo_site(d: Doors) -> tuple[Any, int]:
    cid = d.halo.create_client()["id"]
    r = ok(d.halo.post("/Site", json=[{"client_id": cid, "name": "Annex"}]))
    return r, r.json()["id"]


def halo_note(d: Doors) -> tuple[Any, int]:
    cid = d.halo.create_client()["id"]
    r = ok(d.halo.post("/CRMNote", json=[{"client_id": cid, "note": "Rang them"}]))
    return r, r.json()["id"]


def kickserv_create(d: Doors) -> tuple[Any, int]:
    r = ok(d.kickserv.post("/customers.json", json={"customer": {"name": "Clarence"}}))
    return r, r.json()["id"]


def kickserv_update(d: Doors) -> tuple[Any, int]:
    made = d.kickserv.create_customer(name="Clarence")
    path = f"/customers/{made['customer_number']}.json"
    return ok(d.kickserv.put(path, json={"customer": {"name": "Clarence Carter"}})), made["id"]


def kickserv_delete(d: Doors) -> tuple[Any, int]:
    made = d.kickserv.create_customer(name="Gone")
    return ok(d.kickserv.delete(f"/customers/{made['customer_number']}.json")), made["id"]


def kickserv_job(d: Doors) -> tuple[Any, int]:
    made = d.kickserv.create_customer(name="Jobbed")
    return None, d.kickserv.create_job(made["customer_number"])["id"]


CASES = {
    "native client created": Case(native_create, "client.created", "native"),
    "native client updated": Case(native_update, "client.updated", "native", {"name": "Ada"}),
    "native client deleted": Case(native_delete, "client.deleted", "native"),
    "native address created": Case(native_address, "address.created", "native"),
    "native address updated": Case(
        native_address_update, "address.updated", "native", {"city": "Old Town"}
    ),
    "native phone deleted": Case(native_phone_delete, "phone_number.deleted", "native"),
    "native email created": Case(native_email, "email_address.created", "native"),
    "native location created": Case(native_location, "location.created", "native"),
    "native note created": Case(native_note, "note.created", "native"),
    "native job created": Case(native_job, "job.created", "native"),
    "native payment created": Case(native_payment, "payment.created", "native"),
    "native company created": Case(native_company, "company.created", "native"),
    "native company updated": Case(
        native_company_update, "company.updated", "native", {"name": "Umbrella"}
    ),
    "native company deleted": Case(native_company_delete, "company.deleted", "native"),
    "trackops client created": Case(trackops_create, "client.created", "trackops"),
    "trackops location created": Case(trackops_location, "location.created", "trackops"),
    "trackops contact created": Case(trackops_contact, "contact.created", "trackops"),
    "tevo client created": Case(tevo_create, "client.created", "tevo"),
    "tevo client updated": Case(tevo_update, "client.updated", "tevo", {"name": "Tevo Old"}),
    "tevo email created": Case(tevo_email, "email_address.created", "tevo"),
    "halo client created": Case(halo_create, "client.created", "halo"),
    "halo client updated": Case(halo_update, "client.updated", "halo", {"name": "Halo Old"}),
    "halo site created": Case(halo_site, "location.created", "halo"),
    "halo note created": Case(halo_note, "note.created", "halo"),
    "kickserv customer created": Case(kickserv_create, "client.created", "kickserv"),
    "kickserv customer updated": Case(
        kickserv_update, "client.updated", "kickserv", {"name": "Clarence"}
    ),
    "kickserv customer deleted": Case(kickserv_delete, "client.deleted", "kickserv"),
    "kickserv job created": Case(kickserv_job, "job.created", "kickserv"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_kind_of_write_through_each_door_appends_its_event(doors: Doors, name: str) -> None:
    case = CASES[name]
    response, record_id = case.write(doors)
    record_type = case.type.split(".")[0]
    found = [e for e in events_of(doors.native, f"type={case.type}") if e["record_id"] == record_id]
    assert len(found) == 1, found
    [event] = found
    assert event["record_type"] == record_type
    assert event["door"] == case.door
    assert event["credential"].startswith(f"{case.door}:")
    assert len(event["credential"]) == len(case.door) + 13
    if response is not None:
        assert event["request_id"] == response.headers["x-request-id"]
    assert event["data"]["id"] == record_id
    assert event["data"]["object"] == record_type
    if record_type == "client":
        assert event["client_id"] == record_id
    elif record_type != "company":
        assert event["client_id"] == event["data"]["client_id"]
    if case.previous is not None:
        assert event["previous"] == case.previous
    else:
        assert event["previous"] is None
    if case.type.endswith(".updated") and record_type == "client":
        # The state after the change: what a native GET showed right after it.
        shown = doors.native.get(f"/v1/clients/{record_id}").json()
        assert event["data"]["name"] == shown["name"]


def test_a_created_clients_event_carries_its_native_state_and_the_credential_is_the_keys(
    doors: Doors,
) -> None:
    response, _ = native_create(doors)
    [event] = events_of(doors.native, "type=client.created")
    assert event["data"] == response.json()
    assert event["credential"] == fingerprint("native", f"Bearer {doors.native.key}")


def test_a_batch_is_one_event_a_client_all_with_the_batchs_request_id(doors: Doors) -> None:
    r = ok(
        doors.native.post(
            "/v1/clients/batch",
            json={"clients": [{"name": f"B{i}"} for i in range(3)]},
            headers={"X-Request-Id": "batch-42"},
        )
    )
    assert r.headers["x-request-id"] == "batch-42"
    found = events_of(doors.native, "type=client.created")
    assert [e["data"]["name"] for e in found] == ["B0", "B1", "B2"]
    assert {e["request_id"] for e in found} == {"batch-42"}
    assert [e["record_id"] for e in found] == [c["id"] for c in r.json()["data"]]


def test_a_refused_write_appends_nothing(doors: Doors) -> None:
    cid = _native_client(doors)["id"]
    before = events_of(doors.native)
    bad = doors.native.post("/v1/clients/batch", json={"clients": [{"name": "ok"}, {}]})
    assert bad.status_code == 422
    stale = doors.native.patch(
        f"/v1/clients/{cid}", json={"name": "X"}, headers={"If-Match": '"99"'}
    )
    assert stale.status_code == 412
    taken = doors.tevo.post("/clients", {"clients": [{"name": "T", "email_addresses": "nope"}]})
    assert taken.status_code >= 400
    assert events_of(doors.native) == before


def test_an_update_that_changes_nothing_appends_nothing(doors: Doors) -> None:
    cid = _native_client(doors, "Same")["id"]
    ok(doors.native.patch(f"/v1/clients/{cid}", json={"name": "Same"}))
    assert events_of(doors.native, "type=client.updated") == []


def test_tags_changed_are_in_previous(doors: Doors) -> None:
    cid = ok(doors.native.post("/v1/clients", json={"name": "T", "tags": ["a"]})).json()["id"]
    ok(doors.native.patch(f"/v1/clients/{cid}", json={"add_tags": ["b"]}))
    [event] = events_of(doors.native, "type=client.updated")
    assert event["previous"] == {"tags": ["a"]}
    assert sorted(event["data"]["tags"]) == ["a", "b"]


def test_a_clients_history_follows_it_through_every_door(doors: Doors) -> None:
    cid = doors.halo.create_client(name="Wanderer")["id"]
    ok(doors.halo.post("/Client", json=[{"id": cid, "name": "Wanderer II"}]))
    ok(doors.native.post(f"/v1/clients/{cid}/phone_numbers", json={"number": "555-0101"}))
    ok(doors.tevo.put(f"/clients/{cid}", {"name": "Wanderer III"}))
    ok(doors.native.delete(f"/v1/clients/{cid}"), 204)
    history = doors.native.get(f"/v1/clients/{cid}/history").json()["data"]
    assert [(e["type"], e["door"]) for e in history] == [
        ("client.deleted", "native"),
        ("client.updated", "tevo"),
        ("phone_number.created", "native"),
        ("client.updated", "halo"),
        ("client.created", "halo"),
    ]
    assert history[0]["data"]["name"] == "Wanderer III"


def test_an_import_writes_one_summary_event_a_batch(
    runtime: Runtime, doors: Doors, database_url: str, tmp_path: Path
) -> None:
    book = tmp_path / "book.jsonl"
    book.write_text("".join(json.dumps({"name": f"Imported {i}"}) + "\n" for i in range(5)))
    slug = doors.native.get("/v1/account").json()["slug"]
    done = CliRunner().invoke(
        cli, ["import", str(book), "--account", slug, "--database-url", database_url]
    )
    assert done.exit_code == 0, done.output
    [event] = events_of(doors.native, "type=client.imported")
    assert event["door"] == "import"
    assert event["credential"] == "file:book.jsonl"
    assert event["data"]["count"] == 5
    names = {c["id"]: c["name"] for c in doors.native.all_clients()}
    ids = [i for first, last in event["data"]["id_ranges"] for i in range(first, last + 1)]
    assert sorted(names[i] for i in ids) == [f"Imported {i}" for i in range(5)]
    # The import named itself for its own writes only: a write after it, in the same
    # process, is not the import's.
    runtime.run_sync(
        lambda s: clients.update_client(s, doors.native.account_id, ids[0], {"name": "After"}),
        write=True,
    )
    [after] = events_of(doors.native, "type=client.updated")
    assert after["door"] == "system"


def test_a_record_made_and_deleted_by_one_transaction_has_both_events(
    runtime: Runtime, doors: Doors
) -> None:
    """A write that creates a record and deletes it again before its commit (as a door's
    compound write may) still commits, with both events: the created one can no longer read
    its state, so it names the record only."""
    from rolodex.domain import owned

    cid = _native_client(doors)["id"]
    account_id = doors.native.account_id

    def both(session: Any) -> int:
        made = owned.create_owned(session, owned.NOTES, account_id, cid, {"body": "Brief"})
        owned.delete_owned(session, owned.NOTES, account_id, cid, made.id)
        return int(made.id)

    note_id = runtime.run_sync(both, write=True)
    found = [e for e in events_of(doors.native, "record_type=note") if e["record_id"] == note_id]
    assert [(e["type"], e["data"]) for e in found] == [
        ("note.created", {"id": note_id, "object": "note"}),
        ("note.deleted", found[1]["data"]),
    ]
    assert found[1]["data"]["body"] == "Brief"
    assert {e["door"] for e in found} == {"system"}
