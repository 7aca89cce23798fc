"""Webhook deliveries to a real HTTP receiver on 127.0.0.1, verified with the standardwebhooks
library: signed, retried until received (once), in order per client, claimed once by two
workers, refused for a private address when the server does not allow one, and an endpoint
failing for too long switched off, with its event."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest

from rolodex.config import Settings
from rolodex.domain import events
from rolodex.runtime import Runtime
from rolodex.webhooks.worker import Worker
from tests.conftest import Api
from tests.webhooks.conftest import client_event, make_endpoint, record
from tests.webhooks.receiver import Received, Receiver, wait_for


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver().start()
    yield running
    running.stop()


@contextmanager
def working(settings: Settings, runtime: Runtime, **changes: Any) -> Iterator[Worker]:
    """A worker delivering in a thread of its own while the block runs."""
    stop = threading.Event()
    worker = Worker(runtime.engine, replace(settings, **changes) if changes else settings)
    thread = threading.Thread(target=worker.run, args=(stop, 0.02), daemon=True)
    thread.start()
    try:
        yield worker
    finally:
        stop.set()
        thread.join(timeout=30)
        worker.close()


def deliveries(api: Api, endpoint: dict[str, Any], query: str = "") -> list[dict[str, Any]]:
    response = api.get(f"/v1/webhook_endpoints/{endpoint['id']}/deliveries?limit=100{query}")
    assert response.status_code == 200, response.text
    return list(response.json()["data"])


def settled(api: Api, endpoint: dict[str, Any]) -> Callable[[], bool]:
    def check() -> bool:
        found = deliveries(api, endpoint)
        return bool(found) and all(d["status"] in ("succeeded", "failed") for d in found)

    return check


def test_a_delivery_is_signed_per_standard_webhooks_and_logged(
    hook_api: Api, hooks_runtime: Runtime, hooks_settings: Settings, receiver: Receiver
) -> None:
    endpoint = make_endpoint(hook_api, receiver.url, event_types=["client.*"])
    client = hook_api.create_client(name="Ned")
    address = {"line1": "742 Evergreen Terrace", "city": "Springfield"}
    assert hook_api.post(f"/v1/clients/{client['id']}/addresses", json=address).status_code == 201
    assert hook_api.patch(f"/v1/clients/{client['id']}", json={"name": "Ned F."}).status_code == 200
    with Worker(hooks_runtime.engine, hooks_settings) as worker:
        assert worker.drain() == 2
    bodies = receiver.verified(endpoint["secret"])  # raises unless every signature verifies
    feed = hook_api.get("/v1/events?type=client.*").json()["data"]
    assert [b["type"] for b in bodies] == ["client.created", "client.updated"]
    assert [b["data"] for b in bodies] == feed
    assert [b["timestamp"] for b in bodies] == [e["occurred_at"] for e in feed]
    assert receiver.ids() == [f"evt_{e['id']}" for e in feed]
    first = receiver.received[0]
    assert first.headers["content-type"] == "application/json"
    assert abs(int(first.headers["webhook-timestamp"]) - time.time()) < 60
    assert first.headers["webhook-signature"].startswith("v1,")

    log = deliveries(hook_api, endpoint)
    assert [d["event_id"] for d in log] == [e["id"] for e in reversed(feed)]
    newest = log[0]
    assert newest["status"] == "succeeded" and newest["attempts"] == 1
    assert newest["last_status_code"] == 204 and newest["next_attempt_at"] is None
    assert newest["event_type"] == "client.updated"
    [attempt] = newest["attempt_log"]
    assert attempt["attempt"] == 1 and attempt["status_code"] == 204 and attempt["error"] is None
    assert attempt["attempted_at"].endswith("Z") and attempt["duration_ms"] >= 0
    assert deliveries(hook_api, endpoint, "&status=failed") == []


def test_a_receiver_down_then_up_gets_every_event_once(
    hook_api: Api, hooks_runtime: Runtime, hooks_settings: Settings, receiver: Receiver
) -> None:
    endpoint = make_endpoint(hook_api, receiver.url)
    receiver.stop()  # the port is closed: every connection is refused
    news = [client_event(100 + i % 4, name=f"n{i}") for i in range(12)]
    ids = record(hooks_runtime, hook_api.account_id, news)
    with Worker(
        hooks_runtime.engine, replace(hooks_settings, webhook_retry_schedule=(0.3,) * 6)
    ) as w:
        w.step()
        assert w.failed >= 1 and w.delivered == 0
    log = deliveries(hook_api, endpoint)
    failed = [d for d in log if d["attempts"]]
    assert failed and all(d["status"] == "pending" for d in failed)
    assert "Connection" in failed[0]["last_error"] or "refused" in failed[0]["last_error"]
    assert failed[0]["last_status_code"] is None

    receiver.start()
    with working(hooks_settings, hooks_runtime, webhook_retry_schedule=(0.3,) * 6):
        wait_for(lambda: len(receiver.received) >= 13, what="every event")
        time.sleep(0.3)
    expected = [f"evt_{i}" for i in ids] + [f"evt_{ids[0] - 1}"]  # and the endpoint's own
    assert sorted(receiver.ids()) == sorted(expected)
    assert len(receiver.received) == len(set(receiver.ids()))
    assert all(d["status"] == "succeeded" for d in deliveries(hook_api, endpoint))


def test_one_clients_events_arrive_in_order_across_a_failure(
    hook_api: Api, hooks_runtime: Runtime, hooks_settings: Settings, receiver: Receiver
) -> None:
    refused_once: set[str] = set()

    def answer(got: Received) -> int:
        body = got.json
        if body["data"]["data"].get("name") == "a2" and got.message_id not in refused_once:
            refused_once.add(got.message_id)
            return 500
        return 200

    receiver.status = answer
    endpoint = make_endpoint(hook_api, receiver.url, event_types=["client.updated"])
    names = ["a1", "b1", "a2", "b2", "a3", "a4", "b3"]
    record(
        hooks_runtime,
        hook_api.account_id,
        [client_event(1 if n[0] == "a" else 2, name=n) for n in names],
    )
    with working(hooks_settings, hooks_runtime):
        wait_for(settled(hook_api, endpoint), what="every delivery settled")
    order = [r.json["data"]["data"]["name"] for r in receiver.received]
    for prefix in ("a", "b"):
        arrived = [n for n in order if n.startswith(prefix)]
        expected = [n for n in names if n.startswith(prefix)]
        if prefix == "a":
            expected = ["a1", "a2", "a2", "a3", "a4"]  # a2 refused once, then again: a3 after
        assert arrived == expected, order
    log = {d["event_type"]: d for d in deliveries(hook_api, endpoint)}
    assert all(d["status"] == "succeeded" for d in deliveries(hook_api, endpoint)), log


def test_two_workers_deliver_each_event_once(
    hook_api: Api, hooks_runtime: Runtime, hooks_settings: Settings, receiver: Receiver
) -> None:
    receiver.delay = 0.002
    make_endpoint(hook_api, receiver.url, event_types=["client.*"])
    ids = record(
        hooks_runtime,
        hook_api.account_id,
        [client_event(500 + i % 120, name=f"n{i}") for i in range(300)],
    )
    with (
        working(hooks_settings, hooks_runtime) as one,
        working(hooks_settings, hooks_runtime) as two,
    ):
        wait_for(lambda: len(receiver.received) >= 300, what="300 deliveries")
        time.sleep(0.3)
    assert len(receiver.received) == 300
    assert sorted(receiver.ids()) == sorted(f"evt_{i}" for i in ids)
    assert one.delivered > 0 and two.delivered > 0, (one.delivered, two.delivered)
    by_client: dict[int, list[int]] = {}
    for got in receiver.received:
        event = got.json["data"]
        by_client.setdefault(event["client_id"], []).append(event["id"])
    for received in by_client.values():
        assert received == sorted(received)


def test_a_private_address_is_refused_at_delivery_time(
    hook_api: Api, hooks_runtime: Runtime, hooks_settings: Settings, receiver: Receiver
) -> None:
    endpoint = make_endpoint(hook_api, receiver.url)
    record(hooks_runtime, hook_api.account_id, [client_event(1)])
    strict = replace(hooks_settings, webhook_allow_private=False)
    with Worker(hooks_runtime.engine, strict) as worker:
        worker.step()
    assert receiver.received == []
    log = deliveries(hook_api, endpoint)
    assert log and all("non-public address (127.0.0.1)" in d["last_error"] for d in log)


def test_a_redirect_is_a_failure_and_not_followed(
    hook_api: Api, hooks_runtime: Runtime, hooks_settings: Settings, receiver: Receiver
) -> None:
    receiver.status = 302
    endpoint = make_endpoint(hook_api, receiver.url, event_types=["client.*"])
    record(hooks_runtime, hook_api.account_id, [client_event(1)])
    with Worker(hooks_runtime.engine, hooks_settings) as worker:
        worker.step()
    assert len(receiver.received) == 1
    [delivery] = deliveries(hook_api, endpoint)
    assert delivery["status"] == "pending" and delivery["last_status_code"] == 302
    assert "redirect" in delivery["last_error"]


def test_a_spent_schedule_fails_the_delivery_and_a_long_failure_disables_the_endpoint(
    hook_api: Api, hooks_runtime: Runtime, hooks_settings: Settings, receiver: Receiver
) -> None:
    receiver.status = lambda got: 200 if got.json["type"] == "webhook_endpoint.disabled" else 503
    endpoint = make_endpoint(hook_api, receiver.url, event_types=["client.*"])
    watcher = make_endpoint(hook_api, receiver.url, event_types=["webhook_endpoint.disabled"])
    record(hooks_runtime, hook_api.account_id, [client_event(1)])
    # Disabled once failing for longer than no time at all: at its first failed attempt.
    with working(hooks_settings, hooks_runtime, webhook_disable_after_days=0.0):
        wait_for(
            lambda: (
                hook_api.get(f"/v1/webhook_endpoints/{endpoint['id']}").json()["enabled"] is False
            ),
            what="the endpoint disabled",
        )
    shown = hook_api.get(f"/v1/webhook_endpoints/{endpoint['id']}").json()
    assert shown["disabled_reason"].startswith("Every delivery failed")
    assert shown["failing_since"] is not None
    [disabled] = hook_api.get("/v1/events?type=webhook_endpoint.disabled").json()["data"]
    assert (disabled["door"], disabled["record_id"]) == ("system", endpoint["id"])
    assert disabled["data"]["enabled"] is False
    assert disabled["previous"] == {"enabled": True, "disabled_reason": None}
    # Another endpoint can be told.
    with Worker(hooks_runtime.engine, hooks_settings) as worker:
        worker.drain()
    [told] = deliveries(hook_api, watcher)
    assert (told["event_type"], told["status"]) == ("webhook_endpoint.disabled", "succeeded")

    [delivery] = deliveries(hook_api, endpoint)
    assert delivery["attempts"] >= 1
    assert [a["status_code"] for a in delivery["attempt_log"]] == [503] * delivery["attempts"]
    assert delivery["status"] == "pending"  # waiting for the endpoint to be enabled again
    # Enabling it again clears why, and what waited goes on.
    receiver.status = 200
    enabled = hook_api.patch(f"/v1/webhook_endpoints/{endpoint['id']}", json={"enabled": True})
    assert enabled.json()["disabled_reason"] is None and enabled.json()["failing_since"] is None


def test_a_spent_schedule_fails_the_delivery(
    hook_api: Api, hooks_runtime: Runtime, hooks_settings: Settings, receiver: Receiver
) -> None:
    receiver.status = 500
    endpoint = make_endpoint(hook_api, receiver.url, event_types=["client.*"])
    record(hooks_runtime, hook_api.account_id, [client_event(1), client_event(1)])
    with working(hooks_settings, hooks_runtime, webhook_retry_schedule=(0.05,)):
        wait_for(settled(hook_api, endpoint), what="both failed")
    log = deliveries(hook_api, endpoint)
    assert [d["status"] for d in log] == ["failed", "failed"]
    assert [d["attempts"] for d in log] == [2, 2]
    assert all(d["next_attempt_at"] is None for d in log)
    assert len(receiver.received) == 4  # the second only once the first had failed for good


def test_a_delivery_and_a_time_range_can_be_sent_again(
    hook_api: Api, hooks_runtime: Runtime, hooks_settings: Settings, receiver: Receiver
) -> None:
    record(hooks_runtime, hook_api.account_id, [client_event(1, name="early")])
    before = [hook_api.get("/v1/events").json()["data"][0]["id"]]
    endpoint = make_endpoint(hook_api, receiver.url, event_types=["client.*"])
    later = record(hooks_runtime, hook_api.account_id, [client_event(1, name="late")])
    with Worker(hooks_runtime.engine, hooks_settings) as worker:
        worker.drain()
        assert receiver.ids() == [f"evt_{later[0]}"]
        [delivery] = deliveries(hook_api, endpoint)
        base = f"/v1/webhook_endpoints/{endpoint['id']}"
        again = hook_api.post(f"{base}/deliveries/{delivery['id']}/resend")
        assert again.status_code == 202, again.text
        assert again.json()["status"] == "pending" and again.json()["attempts"] == 0
        worker.drain()
        assert receiver.ids() == [f"evt_{later[0]}"] * 2

        events_seen = hook_api.get("/v1/events?type=client.*").json()["data"]
        start, end = events_seen[0]["occurred_at"], events_seen[-1]["occurred_at"]
        response = hook_api.post(f"{base}/resend", json={"from": start, "to": end[:-1] + "9Z"})
        assert response.status_code == 202, response.text
        assert response.json() == {"queued": 2}
        worker.drain()
    # The event from before the endpoint existed is sent too, in order.
    assert receiver.ids()[2:] == [f"evt_{before[0]}", f"evt_{later[0]}"]
    assert len(deliveries(hook_api, endpoint)) == 2
    for body, status in (
        ({"from": end, "to": start}, 422),
        ({"from": start}, 422),
        ({"from": start, "to": end, "extra": 1}, 422),
    ):
        assert hook_api.post(f"{base}/resend", json=body).status_code == status
    assert hook_api.post(f"{base}/deliveries/99999999/resend").status_code == 404


def test_events_of_no_endpoint_cost_no_delivery(hook_api: Api, hooks_runtime: Runtime) -> None:
    from sqlalchemy import func, select

    from rolodex.models import WebhookDelivery

    def count() -> int:
        return int(
            hooks_runtime.run_sync(
                lambda s: s.scalar(select(func.count()).select_from(WebhookDelivery)), write=False
            )
        )

    before = count()
    ids = record(hooks_runtime, hook_api.account_id, [client_event(1), client_event(2)])
    assert ids == [ids[0], ids[0] + 1]
    assert count() == before
    assert events.matcher("client.*,address.created")("client.deleted")
    assert not events.matcher("client.*,address.created")("address.deleted")


def test_an_endpoint_deleted_while_its_deliveries_are_out_records_nothing_for_them(
    hook_api: Api, hooks_runtime: Runtime, hooks_settings: Settings, receiver: Receiver
) -> None:
    from datetime import timedelta

    from rolodex.domain import deliveries as queue
    from rolodex.domain.deliveries import Result

    gone = make_endpoint(hook_api, receiver.url, event_types=["client.*"])
    kept = make_endpoint(hook_api, receiver.url, event_types=["client.*"])
    record(hooks_runtime, hook_api.account_id, [client_event(1)])
    runs = queue.claim(hooks_runtime.engine, 10, timedelta(seconds=60))
    assert hook_api.delete(f"/v1/webhook_endpoints/{gone['id']}").status_code == 204
    results = [Result(run[0], True, True, 204, None, 3) for run in runs]
    queue.settle(hooks_runtime.engine, results, (1.0,), timedelta(days=3))
    [delivered] = deliveries(hook_api, kept)
    assert delivered["status"] == "succeeded"
