"""The webhooks pages over HTTP: an endpoint made, its secret shown once, switched off and on,
its secret rotated, a delivery in its log re-sent, a range re-sent, the API's rules and
messages, and another account's endpoints out of reach. (No worker runs here: deliveries stay
pending; the browser test sends them.)"""

from __future__ import annotations

import re

from tests.console.conftest import Browser

URL = "https://93.184.215.14/hooks"  # a public address; nothing is sent in these tests
SECRET = re.compile(r'<code class="copy">(whsec_[^<]+)</code>')


def _make(user: Browser, **form: str) -> tuple[int, str]:
    user.get("/webhooks")
    response = user.post("/webhooks/new", {"url": URL, **form})
    assert response.status_code == 201, response.text
    found = SECRET.search(response.text)
    assert found, "the secret is shown on creation"
    endpoint_id = int(re.search(r"<h1>Endpoint (\d+)</h1>", response.text).group(1))  # type: ignore[union-attr]
    return endpoint_id, found.group(1)


def test_an_endpoint_is_made_its_secret_shown_once_and_its_changes_recorded(
    user: Browser, other_user: Browser
) -> None:
    endpoint_id, secret = _make(user, event_types="client.*", description="CRM sync")
    try:
        page = user.get(f"/webhooks/{endpoint_id}")
        assert page.status_code == 200
        assert secret not in page.text and "whsec_" not in page.text
        assert "CRM sync" in page.text and "client.*" in page.text
        listed = user.get("/webhooks").text
        assert URL in listed and f"/webhooks/{endpoint_id}" in listed
        # Through the API: the same endpoint, made by the console.
        api = user.api.get(f"/v1/webhook_endpoints/{endpoint_id}").json()
        assert api["event_types"] == ["client.*"] and api["enabled"] is True
        feed = user.api.get("/v1/events?type=webhook_endpoint.created").json()["data"]
        assert feed[0]["door"] == "console"

        # Switched off, then on again; the version guards against a stale form.
        version = re.search(r'name="version" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
        off = user.post(f"/webhooks/{endpoint_id}/enabled", {"enabled": "no", "version": version})
        assert off.status_code == 200 and "Disabled." in off.text
        assert user.api.get(f"/v1/webhook_endpoints/{endpoint_id}").json()["enabled"] is False
        stale = user.post(
            f"/webhooks/{endpoint_id}/enabled", {"enabled": "yes", "version": version}
        )
        assert stale.status_code == 409
        page = user.get(f"/webhooks/{endpoint_id}")
        version = re.search(r'name="version" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
        on = user.post(f"/webhooks/{endpoint_id}/enabled", {"enabled": "yes", "version": version})
        assert on.status_code == 200 and "Enabled." in on.text

        # Rotating shows a new secret, once.
        version = re.search(r'name="version" value="(\d+)"', on.text).group(1)  # type: ignore[union-attr]
        rotated = user.post(f"/webhooks/{endpoint_id}/rotate", {"version": version})
        new_secret = SECRET.search(rotated.text)
        assert new_secret and new_secret.group(1) != secret
        kinds = [e["type"] for e in user.api.get("/v1/events?limit=10").json()["data"]]
        assert "webhook_endpoint.secret_rotated" in kinds

        # A change makes a delivery; it is in the log, and can be re-sent.
        user.api.create_client(name="Delivered Co")
        log = user.get(f"/webhooks/{endpoint_id}").text
        assert "client.created" in log and "pending" in log
        delivery = user.api.get(f"/v1/webhook_endpoints/{endpoint_id}/deliveries").json()["data"][0]
        resent = user.post(f"/webhooks/{endpoint_id}/deliveries/{delivery['id']}/resend")
        assert resent.status_code == 303
        assert "Queued again." in user.get(resent.headers["location"]).text
        ranged = user.post(
            f"/webhooks/{endpoint_id}/resend",
            {"from": "2000-01-01T00:00", "to": "2100-01-01T00:00"},
        )
        assert ranged.status_code == 200 and "queued again." in ranged.text
        backwards = user.post(
            f"/webhooks/{endpoint_id}/resend",
            {"from": "2100-01-01T00:00", "to": "2000-01-01T00:00"},
        )
        assert backwards.status_code == 422 and "must be later than from" in backwards.text

        # Another account reaches none of it.
        assert other_user.get(f"/webhooks/{endpoint_id}").status_code == 404
        assert URL not in other_user.get("/webhooks").text
        theirs = other_user.post(f"/webhooks/{endpoint_id}/rotate", {"version": version})
        assert theirs.status_code == 404
    finally:
        page = user.get(f"/webhooks/{endpoint_id}")
        version = re.search(r'name="version" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
        gone = user.post(f"/webhooks/{endpoint_id}/delete", {"version": version})
        assert gone.status_code == 200 and "Endpoint deleted." in gone.text
    assert user.api.get(f"/v1/webhook_endpoints/{endpoint_id}").status_code == 404


def test_the_apis_rules_and_messages_refuse_a_bad_endpoint(user: Browser) -> None:
    user.get("/webhooks")
    local = user.post("/webhooks/new", {"url": "http://127.0.0.1:9/hooks"})
    assert local.status_code == 422 and 'id="e-url"' in local.text
    bad_type = user.post("/webhooks/new", {"url": URL, "event_types": "nonsense"})
    assert bad_type.status_code == 422 and "is not an event type" in bad_type.text
    assert user.api.get("/v1/webhook_endpoints").json()["data"] == []


def test_the_webhook_forms_need_the_csrf_token(user: Browser) -> None:
    response = user.http.post("/webhooks/new", data={"url": URL}, follow_redirects=False)
    assert response.status_code == 403
