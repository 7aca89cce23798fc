"""The overview: bounded counts, clients created per day, changes per door."""

from __future__ import annotations

from starlette.testclient import TestClient

from rolodex.app import create_app
from rolodex.config import Settings
from rolodex.domain import usage
from rolodex.domain.usage import RequestCounter
from rolodex.runtime import Runtime
from tests.conftest import TEST_SECRET_KEY, new_account
from tests.console.conftest import Browser


def test_the_overview_counts_and_charts_this_accounts_activity(
    user: Browser, other_user: Browser
) -> None:
    for i in range(3):
        user.api.create_client(name=f"Counted {i}", inactive=i == 0)
    other_user.api.create_client(name="Not counted")
    page = user.get("/")
    assert page.status_code == 200
    text = page.text
    assert '<div class="value">3</div><div class="muted">clients</div>' in text
    assert "<svg" in text and "<rect" in text
    assert "native: 3" in text  # the changes per door legend
    assert "console" not in text.split("per-door-desc")[1].split("</desc>")[0]


def test_the_overview_charts_requests_per_door(user: Browser, other_user: Browser) -> None:
    for _ in range(3):
        assert user.api.get("/v1/clients").status_code == 200
    slug = user.credentials["trackops"]["username"]
    token = user.credentials["kickserv"]["token"]
    assert user.http.get(f"/kickserv/{slug}/customers.json", auth=(token, token)).status_code == 200
    other_user.api.get("/v1/clients")
    text = user.get("/").text
    legend = text.split('id="requests-legend"')[1].split("</ul>")[0]
    assert "native: 3" in legend and "kickserv: 1" in legend
    assert "console" not in legend  # the console's own pages are not a door


def test_request_counts_are_stored_and_added_to(runtime: Runtime) -> None:
    account = new_account(runtime, "Counted Co")
    account_id = account["id"]
    counter = RequestCounter()
    for _ in range(5):
        counter.add(account_id, "halo")
    counter.add(account_id, "native")
    hour = usage.hour_now()
    runtime.run_sync(lambda s: usage.store(s, counter.take()), write=True)
    assert counter.take() == {}
    runtime.run_sync(lambda s: usage.store(s, {(account_id, "halo", hour): 2}), write=True)
    stored = runtime.read_sync(lambda r: usage.recent(r, account_id, hour))
    assert stored == {"halo": {hour: 7}, "native": {hour: 1}}


def test_a_server_stores_its_counts_when_it_stops(runtime: Runtime, database_url: str) -> None:
    account = new_account(runtime, "Flushed Co")
    own = Runtime(Settings(database_url=database_url, secret_key=TEST_SECRET_KEY))
    with TestClient(create_app(runtime=own)) as http:  # its lifespan disposes `own`
        key = {"Authorization": f"Bearer {account['native']['api_key']}"}
        assert http.get("/v1/clients", headers=key).status_code == 200
        assert http.get("/v1/clients", headers={"Authorization": "Bearer nope"}).status_code == 401
    hour = usage.hour_now()
    stored = runtime.read_sync(lambda r: usage.recent(r, account["id"], hour))
    assert sum(stored["native"].values()) == 1
