"""The lossless home for vendor-only attributes."""

from __future__ import annotations

from typing import Any

from rolodex.domain import vendor_data
from rolodex.domain.clients import NewClient, create_client
from rolodex.runtime import Runtime
from tests.conftest import new_account

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
        client = create_client(session, account_id, NewClient(fields={"name": "Halo Client"}))
        vendor_data.merge(
            session,
            account_id=account_id,
            entity="client",
            entity_id=client.id,
            vendor="halo",
            attributes=HALO_EXTRAS,
            client_id=client.id,
        )
        return client.id

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
        client = create_client(session, account_id, NewClient(fields={"name": "Doomed"}))
        vendor_data.merge(
            session,
            account_id=account_id,
            entity="client",
            entity_id=client.id,
            vendor="kickserv",
            attributes={"origin": "manual"},
            client_id=client.id,
        )
        return client.id

    client_id = runtime.run_sync(write, write=True)
    runtime.run_sync(lambda s: delete_client(s, account_id, client_id), write=True)
    assert (
        runtime.run_sync(
            lambda s: vendor_data.load(s, "client", [client_id], "kickserv"), write=False
        )
        == {}
    )
