"""The lossless home for vendor-only attributes."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from rolodex.domain import vendor_data
from rolodex.domain.batches import create_one
from rolodex.domain.clients import NewClient
from rolodex.runtime import Runtime
from tests.conftest import Api, new_account

HALO_EXTRAS: dict[str, Any] = {
    "colour": "#ff0000",
    "override_org_address": {"line1": "1 Main St", "lat": 51.5, "primary": True},
    "customfields": [{"id": 7, "value": {"nested": [1, 2, 3]}}],
    "passportal_id": 9007199254740993,
    "unknown_future_field": None,
}


def test_vendor_attributes_round_trip_unchanged_and_merge(runtime: Runtime) -> None:
    account_id = new_account(runtime)["id"]

    def write(session: Any) -> int:
        client_id = create_one(session, account_id, NewClient(fields={"name": "Halo Client"}))
        vendor_data.merge(
            session,
            account_id=account_id,
            entity="client",
            entity_id=client_id,
            vendor="halo",
            attributes=HALO_EXTRAS,
            client_id=client_id,
        )
        return client_id

    client_id = runtime.run_sync(write, write=True)
    loaded = runtime.run_sync(
        lambda s: vendor_data.load(s, "client", [client_id], "halo"), write=False
    )
    assert loaded == {client_id: HALO_EXTRAS}
    assert (
        runtime.run_sync(
            lambda s: vendor_data.load(s, "client", [client_id], "kickserv"), write=False
        )
        == {}
    )

    runtime.run_sync(
        lambda s: vendor_data.merge(
            s,
            account_id=account_id,
            entity="client",
            entity_id=client_id,
            vendor="halo",
            attributes={"colour": "#00ff00"},
        ),
        write=True,
    )
    merged = runtime.run_sync(
        lambda s: vendor_data.load(s, "client", [client_id], "halo"), write=False
    )[client_id]
    assert merged == {**HALO_EXTRAS, "colour": "#00ff00"}


def test_vendor_attributes_go_with_their_client(runtime: Runtime) -> None:
    from rolodex.domain.clients import delete_client

    account_id = new_account(runtime)["id"]

    def write(session: Any) -> int:
        client_id = create_one(session, account_id, NewClient(fields={"name": "Doomed"}))
        vendor_data.merge(
            session,
            account_id=account_id,
            entity="client",
            entity_id=client_id,
            vendor="kickserv",
            attributes={"origin": "manual"},
            client_id=client_id,
        )
        return client_id

    client_id = runtime.run_sync(write, write=True)
    runtime.run_sync(lambda s: delete_client(s, account_id, client_id), write=True)
    assert (
        runtime.run_sync(
            lambda s: vendor_data.load(s, "client", [client_id], "kickserv"), write=False
        )
        == {}
    )


def test_vendor_attributes_die_with_their_record_through_any_door_and_any_cascade(
    runtime: Runtime, http: TestClient
) -> None:
    """Records deleted through the native API (which stores no vendor attributes itself), and
    records a database cascade deletes with them, take every vendor's attributes along; a
    record made after them under a reused id (SQLite hands out the highest free id again)
    starts with none."""
    api = Api(http, new_account(runtime))
    cid = api.create_client(name="Holder")["id"]

    def make(segment: str, **body: Any) -> int:
        response = api.post(f"/v1/clients/{cid}/{segment}", json=body)
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    location = make("locations", name="Main")
    job = make("jobs", job_type="Repair")
    job_note = make("notes", body="about the job", job_id=job)
    payment = make("payments", amount="5.00")
    kept = make("notes", body="stays")
    records = [
        ("client", cid),
        ("location", location),
        ("job", job),
        ("note", job_note),
        ("payment", payment),
        ("note", kept),
    ]

    def remember(session: Any) -> None:
        for entity, ident in records:
            for vendor in ("halo", "kickserv"):
                vendor_data.merge(
                    session,
                    account_id=api.account_id,
                    entity=entity,
                    entity_id=ident,
                    vendor=vendor,
                    attributes={"of": f"{entity} {ident}"},
                    client_id=cid,
                )

    def stored() -> set[tuple[str, int]]:
        def read(session: Any) -> set[tuple[str, int]]:
            found = set()
            for entity, ident in records:
                for vendor in ("halo", "kickserv"):
                    if vendor_data.load(session, entity, [ident], vendor):
                        found.add((entity, ident))
            return found

        return runtime.run_sync(read, write=False)

    runtime.run_sync(remember, write=True)
    assert stored() == set(records)

    for segment, ident in (("locations", location), ("payments", payment), ("jobs", job)):
        assert api.delete(f"/v1/clients/{cid}/{segment}/{ident}").status_code == 204
    # The job's note went with the job, by cascade, and its attributes with it.
    assert api.get(f"/v1/clients/{cid}/notes/{job_note}").status_code == 404
    assert stored() == {("client", cid), ("note", kept)}

    again = make("jobs", job_type="Again")
    fresh = runtime.run_sync(lambda s: vendor_data.load(s, "job", [again], "kickserv"), write=False)
    assert fresh == {}

    assert api.delete(f"/v1/clients/{cid}").status_code == 204
    assert stored() == set()
