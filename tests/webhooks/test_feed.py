"""The event feed (GET /v1/events) and a client's history (GET /v1/clients/{id}/history):
events appended in a write transaction (as every door's writes will), read back a page at a
time, filtered, in each account alone."""

from __future__ import annotations

import time
from typing import Any

from rolodex.domain import events
from rolodex.domain.events import Actor, NewEvent
from rolodex.runtime import Runtime
from tests.conftest import Api, error_of
from tests.webhooks.conftest import client_event, record


def feed(api: Api, query: str = "") -> dict[str, Any]:
    response = api.get(f"/v1/events?{query}")
    assert response.status_code == 200, response.text
    return dict(response.json())


def every(api: Api, query: str = "", limit: int = 2) -> list[dict[str, Any]]:
    """Every event the query names, walked a page of `limit` at a time."""
    seen: list[dict[str, Any]] = []
    page = feed(api, f"limit={limit}&{query}")
    while True:
        seen += page["data"]
        if not page["has_more"]:
            return seen
        page = feed(api, f"limit={limit}&cursor={page['next_cursor']}&{query}")


def test_an_appended_event_reads_back_in_the_native_shape(runtime: Runtime, api: Api) -> None:
    client = api.create_client(name="Ned Flanders")
    [event_id] = record(
        runtime,
        api.account_id,
        [
            NewEvent(
                "client.updated",
                "client",
                client["id"],
                client["id"],
                {**client, "name": "Ned"},
                {"name": "Ned Flanders"},
            )
        ],
    ) or [None]
    # (The create's own event is client.created.)
    [event] = feed(api, "type=client.updated")["data"]
    assert set(event) == {
        "id",
        "object",
        "type",
        "record_type",
        "record_id",
        "client_id",
        "door",
        "credential",
        "request_id",
        "occurred_at",
        "data",
        "previous",
    }
    assert event["object"] == "event"
    assert (event["type"], event["record_type"]) == ("client.updated", "client")
    assert event["record_id"] == event["client_id"] == client["id"]
    assert (event["door"], event["credential"], event["request_id"]) == (
        "native",
        "api_key",
        "req-1",
    )
    assert event["data"] == {**client, "name": "Ned"}
    assert event["previous"] == {"name": "Ned Flanders"}
    assert event["occurred_at"].endswith("Z")
    assert event_id in (None, event["id"])


def test_stored_json_is_sent_as_it_is(runtime: Runtime, api: Api) -> None:
    record(
        runtime,
        api.account_id,
        [NewEvent("company.created", "company", 7, None, b'{"id":7,"object":"company"}')],
    )
    [event] = feed(api)["data"]
    assert event["data"] == {"id": 7, "object": "company"}
    assert event["client_id"] is None and event["previous"] is None


def test_the_cursor_walks_every_event_once_in_order_and_then_waits_for_more(
    runtime: Runtime, api: Api
) -> None:
    record(runtime, api.account_id, [client_event(1, name=f"n{i}") for i in range(3)])
    record(runtime, api.account_id, [client_event(2, name="n3"), client_event(3, name="n4")])
    walked = every(api)
    assert [e["data"]["name"] for e in walked] == ["n0", "n1", "n2", "n3", "n4"]
    ids = [e["id"] for e in walked]
    assert ids == sorted(ids) and len(set(ids)) == 5

    # The last page still says where to go on from: a reader polling with it gets only what
    # came after.
    last = feed(api, "limit=10")
    assert last["has_more"] is False and last["next_cursor"]
    assert feed(api, f"cursor={last['next_cursor']}") == {
        "data": [],
        "has_more": False,
        "next_cursor": last["next_cursor"],
    }
    record(runtime, api.account_id, [client_event(1, name="n5")])
    later = feed(api, f"cursor={last['next_cursor']}")
    assert [e["data"]["name"] for e in later["data"]] == ["n5"]

    newest = feed(api, "sort=-id&limit=2")
    assert [e["data"]["name"] for e in newest["data"]] == ["n5", "n4"]
    rest = every(api, "sort=-id", limit=4)
    assert [e["data"]["name"] for e in rest] == ["n5", "n4", "n3", "n2", "n1", "n0"]


def test_filters_by_type_record_client_door_and_time(runtime: Runtime, api: Api) -> None:
    record(runtime, api.account_id, [client_event(10, "created"), client_event(10)])
    record(
        runtime,
        api.account_id,
        [
            NewEvent("address.created", "address", 5, 10, {"id": 5}),
            NewEvent("address.deleted", "address", 6, 11, {"id": 6}),
            NewEvent("company.updated", "company", 3, None, {"id": 3}, {"name": "Old"}),
        ],
        Actor("kickserv", "token"),
    )
    time.sleep(0.01)
    middle = time.time()
    time.sleep(0.01)
    record(runtime, api.account_id, [client_event(11, "deleted")], Actor("import"))

    def types(query: str) -> list[str]:
        return [e["type"] for e in every(api, query)]

    assert types("type=client.updated") == ["client.updated"]
    assert types("type=client.*") == ["client.created", "client.updated", "client.deleted"]
    assert types("type=address.*&type=company.updated") == [
        "address.created",
        "address.deleted",
        "company.updated",
    ]
    assert types("type=*") == types("")
    assert len(types("")) == 6
    assert types("record_type=address") == ["address.created", "address.deleted"]
    assert types("record_type=address&record_id=6") == ["address.deleted"]
    assert types("client_id=10") == ["client.created", "client.updated", "address.created"]
    assert types("door=kickserv") == ["address.created", "address.deleted", "company.updated"]
    assert types("door=import") == ["client.deleted"]
    stamp = (
        time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(middle)) + f".{int(middle % 1 * 1000):03d}Z"
    )
    assert types(f"occurred_after={stamp}") == ["client.deleted"]
    assert len(types(f"occurred_before={stamp}")) == 5
    assert types("type=client.*&door=native&client_id=10") == ["client.created", "client.updated"]


def test_a_bad_filter_is_a_400_naming_it(api: Api) -> None:
    for query, field in (
        ("type=client", "type"),
        ("type=spaceship.created", "type"),
        ("record_type=spaceship", "record_type"),
        ("record_id=4", "record_id"),
        ("door=fax", "door"),
        ("occurred_after=yesterday", "occurred_after"),
        ("sort=name", "sort"),
        ("cursor=nonsense", "cursor"),
        ("limit=0", "limit"),
        ("colour=red", "colour"),
    ):
        response = api.get(f"/v1/events?{query}")
        assert response.status_code == 400, query
        assert error_of(response)["field"] == field, query
    newest = feed(api, "sort=-id")
    response = api.get("/v1/events?cursor=" + events.encode_cursor(5, True))
    assert response.status_code == 400, newest


def test_each_account_sees_only_its_own_events(runtime: Runtime, api: Api, other_api: Api) -> None:
    record(runtime, api.account_id, [client_event(1, name="mine")])
    record(runtime, other_api.account_id, [client_event(1, name="theirs")])
    assert [e["data"]["name"] for e in feed(api)["data"]] == ["mine"]
    assert [e["data"]["name"] for e in feed(other_api)["data"]] == ["theirs"]
    assert feed(api, "client_id=1")["data"][0]["data"]["name"] == "mine"


def test_history_is_a_clients_events_and_its_childrens_newest_first_even_once_deleted(
    runtime: Runtime, api: Api, other_api: Api
) -> None:
    ned = api.create_client(name="Ned")
    nid = ned["id"]
    phone = api.post(f"/v1/clients/{nid}/phone_numbers", json={"number": "555-0100"})
    assert phone.status_code == 201
    maude = api.create_client(name="Maude")
    note = api.post(f"/v1/clients/{nid}/notes", json={"body": "Called"})
    assert note.status_code == 201
    path = f"/v1/clients/{nid}/history"
    first = api.get(f"{path}?limit=2").json()
    assert [e["type"] for e in first["data"]] == ["note.created", "phone_number.created"]
    assert [e["record_id"] for e in first["data"]] == [note.json()["id"], phone.json()["id"]]
    assert first["has_more"] is True
    second = api.get(f"{path}?limit=2&cursor={first['next_cursor']}").json()
    assert [e["type"] for e in second["data"]] == ["client.created"]
    assert second == {**second, "has_more": False, "next_cursor": None}

    assert api.delete(f"/v1/clients/{nid}").status_code == 204
    after = api.get(path).json()["data"]
    assert [e["type"] for e in after] == [
        "client.deleted",
        "note.created",
        "phone_number.created",
        "client.created",
    ]
    assert after[0]["data"]["name"] == "Ned"
    # Another client's history is its own; no such client, or another account's, is a 404.
    assert [e["type"] for e in api.get(f"/v1/clients/{maude['id']}/history").json()["data"]] == [
        "client.created"
    ]
    for response in (
        other_api.get(path),
        api.get("/v1/clients/999999999/history"),
    ):
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"


def test_cleanup_deletes_the_events_past_retention(runtime: Runtime, api: Api) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from rolodex.db.types import utcnow
    from rolodex.models import Event

    record(runtime, api.account_id, [client_event(1, name="old"), client_event(1, name="new")])
    old_id = feed(api)["data"][0]["id"]
    runtime.run_sync(
        lambda s: s.execute(
            update(Event)
            .where(Event.id == old_id)
            .values(occurred_at=utcnow() - timedelta(days=91))
        ),
        write=True,
    )
    assert events.cleanup(runtime.engine, timedelta(days=90)) >= 1
    assert [e["data"]["name"] for e in feed(api)["data"]] == ["new"]
