"""Webhook endpoints through the native API: the secret shown once (at creation and when
rotated), reads, updates with If-Match, deletes, refusals in native's error shape, each
account alone, and an event for every change to an endpoint (with no secret in it)."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from sqlalchemy import select

from rolodex.models import WebhookEndpoint
from rolodex.runtime import Runtime
from tests.conftest import Api, error_of
from tests.webhooks.conftest import make_endpoint

URL = "http://127.0.0.1:9/hooks"
# A public address, for endpoints on the shared test database, where no worker ever runs: it
# is never contacted.
PUBLIC = "https://93.184.215.14/hooks"


def shape(endpoint: dict[str, Any]) -> set[str]:
    return set(endpoint)


SHOWN = {
    "id",
    "object",
    "url",
    "event_types",
    "enabled",
    "description",
    "disabled_reason",
    "failing_since",
    "created_at",
    "updated_at",
}


def test_create_shows_the_secret_once_and_reads_never_do(
    hook_api: Api, hooks_runtime: Runtime
) -> None:
    response = hook_api.post(
        "/v1/webhook_endpoints",
        json={"url": URL, "event_types": ["client.*", "address.created"], "description": "CRM"},
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert set(created) == SHOWN | {"secret"}
    assert created["secret"].startswith("whsec_") and len(created["secret"]) > 40
    assert created["object"] == "webhook_endpoint"
    assert created["event_types"] == ["client.*", "address.created"]
    assert created["enabled"] is True and created["disabled_reason"] is None
    assert response.headers["location"] == f"/v1/webhook_endpoints/{created['id']}"
    assert response.headers["etag"] == '"1"'

    fetched = hook_api.get(f"/v1/webhook_endpoints/{created['id']}")
    assert fetched.status_code == 200
    assert fetched.json() == {k: v for k, v in created.items() if k != "secret"}
    assert fetched.headers["etag"] == '"1"'
    listed = hook_api.get("/v1/webhook_endpoints").json()
    assert listed == {"data": [fetched.json()], "has_more": False, "next_cursor": None}

    # Stored sealed: the database holds no copy of the secret in clear.
    stored = hooks_runtime.run_sync(
        lambda s: s.scalar(
            select(WebhookEndpoint.secret).where(WebhookEndpoint.id == created["id"])
        ),
        write=False,
    )
    assert created["secret"] not in stored and created["secret"][6:] not in stored


def test_every_type_is_the_default(hook_api: Api) -> None:
    for types in (None, [], ["*"], ["client.created", "*"]):
        body: dict[str, Any] = {"url": URL}
        if types is not None:
            body["event_types"] = types
        assert make_endpoint(hook_api, **body)["event_types"] == ["*"]


def test_rotating_replaces_the_secret_and_moves_the_etag(hook_api: Api) -> None:
    created = make_endpoint(hook_api, URL)
    path = f"/v1/webhook_endpoints/{created['id']}"
    rotated = hook_api.post(f"{path}/rotate_secret")
    assert rotated.status_code == 200, rotated.text
    assert rotated.json()["secret"].startswith("whsec_")
    assert rotated.json()["secret"] != created["secret"]
    assert rotated.headers["etag"] == '"2"'
    assert "secret" not in hook_api.get(path).json()
    stale = hook_api.post(f"{path}/rotate_secret", headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert error_of(stale)["code"] == "precondition_failed"


def test_patch_changes_what_it_names_and_if_match_guards_it(hook_api: Api) -> None:
    created = make_endpoint(hook_api, URL, description="first")
    path = f"/v1/webhook_endpoints/{created['id']}"
    response = hook_api.patch(path, json={"enabled": False, "event_types": ["job.*"]})
    assert response.status_code == 200, response.text
    patched = response.json()
    assert (patched["enabled"], patched["event_types"], patched["description"]) == (
        False,
        ["job.*"],
        "first",
    )
    assert response.headers["etag"] == '"2"'
    assert "secret" not in patched
    for stale in (
        hook_api.patch(path, json={"description": "x"}, headers={"If-Match": '"1"'}),
        hook_api.delete(path, headers={"If-Match": '"1"'}),
    ):
        assert stale.status_code == 412
        assert error_of(stale)["code"] == "precondition_failed"
    assert (
        hook_api.patch(path, json={"enabled": True}, headers={"If-Match": '"2"'}).status_code == 200
    )
    assert hook_api.delete(path, headers={"If-Match": '"3"'}).status_code == 204
    for again in (hook_api.get(path), hook_api.patch(path, json={}), hook_api.delete(path)):
        assert again.status_code == 404
        assert error_of(again) == {
            "code": "not_found",
            "message": f"No webhook endpoint with id {created['id']}.",
            "field": None,
        }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "url"),
        ({"url": "ftp://127.0.0.1/x"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": "http://user:pw@127.0.0.1/x"}, "url"),
        ({"url": URL, "event_types": ["spaceship.created"]}, "event_types"),
        ({"url": URL, "event_types": "client.created"}, "event_types"),
        ({"url": URL, "enabled": "yes"}, "enabled"),
        ({"url": URL, "colour": "red"}, "colour"),
        ({"url": URL, "description": "x" * 501}, "description"),
    ],
)
def test_a_bad_endpoint_is_a_422_naming_the_field(
    hook_api: Api, body: dict[str, Any], field: str
) -> None:
    response = hook_api.post("/v1/webhook_endpoints", json=body)
    assert response.status_code == 422, response.text
    error = error_of(response)
    assert (error["code"], error["field"]) == ("validation_failed", field)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/hooks",
        "http://localhost/hooks",
        "http://10.1.2.3/hooks",
        "http://192.168.0.10/hooks",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hooks",
        "http://[::ffff:10.0.0.1]/hooks",
        "http://0.0.0.0/hooks",
        "http://224.0.0.1/hooks",
        "http://100.64.0.1/hooks",
    ],
)
def test_a_private_address_is_refused_unless_the_server_allows_it(
    api: Api, hook_api: Api, url: str
) -> None:
    # `api` is on a server with the default settings; `hook_api` on one that allows them.
    refused = api.post("/v1/webhook_endpoints", json={"url": url})
    assert refused.status_code == 422, refused.text
    error = error_of(refused)
    assert error["field"] == "url"
    assert "non-public address" in error["message"] or "localhost" in error["message"]
    created = make_endpoint(api, PUBLIC)
    moved = api.patch(f"/v1/webhook_endpoints/{created['id']}", json={"url": url})
    assert moved.status_code == 422
    assert make_endpoint(hook_api, url)["url"] == url


def test_each_account_sees_only_its_own(api: Api, other_api: Api) -> None:
    mine = make_endpoint(api, PUBLIC)
    path = f"/v1/webhook_endpoints/{mine['id']}"
    for response in (
        other_api.get(path),
        other_api.patch(path, json={"enabled": False}),
        other_api.delete(path),
        other_api.post(f"{path}/rotate_secret"),
        other_api.get(f"{path}/deliveries"),
        other_api.post(
            f"{path}/resend", json={"from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00Z"}
        ),
    ):
        assert response.status_code == 404, response.text
        assert error_of(response)["code"] == "not_found"
    assert other_api.get("/v1/webhook_endpoints").json()["data"] == []
    assert api.get(path).json()["enabled"] is True


def test_every_change_to_an_endpoint_is_an_event_without_its_secret(hook_api: Api) -> None:
    created = make_endpoint(hook_api, URL, event_types=["client.*"])
    path = f"/v1/webhook_endpoints/{created['id']}"
    hook_api.patch(path, json={"description": "now described"})
    rotated = hook_api.post(f"{path}/rotate_secret").json()
    hook_api.delete(path)
    response = hook_api.get("/v1/events?record_type=webhook_endpoint")
    found = response.json()["data"]
    assert [e["type"] for e in found] == [
        "webhook_endpoint.created",
        "webhook_endpoint.updated",
        "webhook_endpoint.secret_rotated",
        "webhook_endpoint.deleted",
    ]
    assert {e["record_id"] for e in found} == {created["id"]}
    assert {e["door"] for e in found} == {"native"}
    assert found[1]["previous"] == {"description": None}
    assert found[1]["data"]["description"] == "now described"
    assert found[3]["data"]["id"] == created["id"]
    raw = response.content.decode()
    for secret in (created["secret"], rotated["secret"]):
        assert secret not in raw and secret[6:] not in raw
    assert "secret" not in orjson.loads(response.content)["data"][0]["data"]


def test_a_replayed_create_does_not_show_the_secret_again(hook_api: Api) -> None:
    headers = {"Idempotency-Key": "make-hook-1"}
    first = hook_api.post("/v1/webhook_endpoints", json={"url": URL}, headers=headers)
    again = hook_api.post("/v1/webhook_endpoints", json={"url": URL}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == {k: v for k, v in first.json().items() if k != "secret"}
    assert len(hook_api.get("/v1/webhook_endpoints").json()["data"]) == 1
