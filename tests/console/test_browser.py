"""The web console in a real browser (Debian's Chromium, driven by Playwright), served by a
real uvicorn server in a thread of this test process: sign in, search as you type, open a
client, edit it (and meet the "changed meanwhile" refusal when the API changed it first),
create one, import a small CSV and watch it finish, see a change made through the Halo door
in the client's history, sign out; and another account's session sees none of it. The main
pages are screenshotted; `make screenshots` keeps them in docs/screenshots/ for the README.

Like the docs pages' browser tests, they run in the SQLite half of `make test` (the HTTP
tests beside them cover both databases)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from playwright.sync_api import Browser, Page, expect

from rolodex.config import Settings
from rolodex.db.engine import create_db_engine
from rolodex.db.migrate import upgrade
from rolodex.runtime import Runtime
from rolodex.webhooks.worker import Worker
from tests import browser
from tests.browser import README_SCREENSHOTS
from tests.conftest import TEST_SECRET_KEY, empty_database, new_account
from tests.halo.conftest import token_for
from tests.webhooks.receiver import Receiver

TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("ROLODEX_UPDATE_SCREENSHOTS") == "1":
        return README_SCREENSHOTS
    return tmp_path_factory.mktemp("console-screenshots")


@pytest.fixture(scope="module")
def chromium(db_kind: str) -> Iterator[Browser]:
    yield from browser.chromium(
        db_kind, "the console's browser tests run once, on SQLite (its HTTP tests on both)"
    )


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[tuple[str, Runtime]]:
    yield from browser.serve(Settings(database_url=database_url, secret_key=TEST_SECRET_KEY))


@pytest.fixture(scope="module")
def hooks_server(
    db_kind: str, chromium: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Runtime]]:
    """A server on a database of its own, which may send webhooks to 127.0.0.1: the worker
    these tests run meets no other test's endpoints."""
    with empty_database(db_kind, tmp_path_factory.mktemp("console-hooks"), "hooks") as url:
        engine = create_db_engine(url)
        upgrade(engine)
        engine.dispose()
        settings = Settings(
            database_url=url,
            secret_key=TEST_SECRET_KEY,
            webhook_allow_private=True,
            webhook_retry_schedule=(0.1,),
        )
        yield from browser.serve(settings)


def _page(chromium: Browser, width: int = 1280, height: int = 900) -> Page:
    context = chromium.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def _sign_in(page: Page, base: str, account: dict[str, Any]) -> None:
    page.goto(base + "/clients")
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    page.get_by_label("API key").fill(account["native"]["api_key"])
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(base + "/clients")
    expect(page.get_by_role("heading", name="Clients")).to_be_visible()


def _api(base: str, account: dict[str, Any]) -> httpx2.Client:
    return httpx2.Client(
        base_url=base, headers={"Authorization": f"Bearer {account['native']['api_key']}"}
    )


def _halo_token(base: str, account: dict[str, Any]) -> str:
    with httpx2.Client(base_url=base) as http:
        return token_for(http, account)


def test_a_day_in_the_console(chromium: Browser, server: tuple[str, Runtime], shots: Path) -> None:
    base, runtime = server
    account = new_account(runtime, "Browser Console Co")
    api = _api(base, account)
    for name, tags in (
        ("Ned Flanders", ["neighbour", "vip"]),
        ("Homer Simpson", ["plant"]),
        ("Moe Szyslak", ["bar"]),
        ("Krusty the Clown", []),
        ("Montgomery Burns", ["plant", "vip"]),
    ):
        made = api.post(
            "/v1/clients",
            json={
                "name": name,
                "tags": tags,
                "email_addresses": [{"address": name.split()[0].lower() + "@springfield.test"}],
                "phone_numbers": [{"number": "555-0100"}],
            },
        )
        assert made.status_code == 201, made.text
    page = _page(chromium)

    # Sign in, then search as you type (htmx swaps the results in place).
    _sign_in(page, base, account)
    results = page.locator("#results")
    expect(results.get_by_role("link")).to_have_count(5)
    page.screenshot(path=str(shots / "console-clients.png"))
    page.get_by_label("Search").press_sequentially("plant", delay=30)
    expect(results.get_by_role("link", name="Homer Simpson")).to_be_visible()
    expect(results.get_by_role("link", name="Ned Flanders")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"q=plant"))
    page.get_by_label("Search").fill("")
    page.get_by_label("Search").press_sequentially("flanders", delay=30)
    expect(results.get_by_role("link")).to_have_count(1)

    # Open a client, edit it.
    results.get_by_role("link", name="Ned Flanders").click()
    expect(page.get_by_role("heading", name="Ned Flanders")).to_be_visible()
    cid = int(page.url.rsplit("/", 1)[1])
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Account code").fill("NED-1")
    page.get_by_label("Tags (comma-separated)").fill("neighbour, vip, okily")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.locator("ul.changes")).to_contain_text("okily")

    # Edit again, but the API changes it first: the save is refused, showing the current values.
    page.get_by_role("link", name="Edit").click()
    changed = api.patch(f"/v1/clients/{cid}", json={"name": "Nedward Flanders"})
    assert changed.status_code == 200
    page.get_by_label("Name (required)").fill("Ned F.")
    page.get_by_role("button", name="Save").click()
    alert = page.locator("#changed-meanwhile")
    expect(alert).to_contain_text("changed meanwhile")
    expect(page.locator(".now").first).to_contain_text("Nedward Flanders")
    page.screenshot(path=str(shots / "console-changed-meanwhile.png"), full_page=True)
    assert api.get(f"/v1/clients/{cid}").json()["name"] == "Nedward Flanders"
    page.get_by_role("link", name="discard your changes").click()

    # A change through the Halo door shows in the history, with its door.
    token = _halo_token(base, account)
    halo = httpx2.post(
        f"{base}/halo/api/Client",
        json=[{"id": cid, "name": "Ned Flanders (via Halo)"}],
        headers={"Authorization": f"Bearer {token}"},
    )
    assert halo.status_code == 201, halo.text
    page.reload()
    timeline = page.locator("ol.timeline > li")
    expect(timeline.first).to_contain_text("through halo")
    expect(timeline.first).to_contain_text("Ned Flanders (via Halo)")
    expect(page.locator("ol.timeline")).to_contain_text("through console")
    page.screenshot(path=str(shots / "console-client.png"), full_page=True)

    # Create a client; a bad email is shown beside its box first.
    page.get_by_role("link", name="Clients", exact=True).click()
    page.get_by_role("link", name="New client").click()
    page.get_by_label("Name (required)").fill("Apu Nahasapeemapetilon")
    page.get_by_label("Email", exact=True).fill("apu-at-kwik-e-mart")
    page.get_by_role("button", name="Create client").click()
    expect(page.locator("#e-email")).to_contain_text("email address")
    page.get_by_label("Email", exact=True).fill("apu@kwik-e-mart.test")
    page.get_by_role("button", name="Create client").click()
    expect(page.get_by_role("status")).to_have_text("Client created.")
    expect(page.get_by_role("heading", name="Apu Nahasapeemapetilon")).to_be_visible()

    # Import a small CSV and watch it finish.
    page.get_by_role("link", name="Import & export").click()
    page.get_by_label("File").set_input_files(
        files=[
            {
                "name": "springfield.csv",
                "mimeType": "text/csv",
                "buffer": (
                    b"name,external_id,email\n"
                    b"Lisa Simpson,SPR-1,lisa@springfield.test\n"
                    b"Bart Simpson,SPR-2,not-an-email\n"
                    b"Maggie Simpson,SPR-3,\n"
                ),
            }
        ]
    )
    page.get_by_role("button", name="Import").click()
    progress = page.locator("#progress")
    expect(progress).to_contain_text("Finished")
    expect(progress.locator(".created")).to_have_text("2")
    expect(progress.locator(".bad")).to_have_text("1")
    expect(progress.locator("table")).to_contain_text("3")  # Bart's line
    page.screenshot(path=str(shots / "console-import.png"), full_page=True)

    # Another account's session sees none of this one's clients.
    other = new_account(runtime, "Other Browser Co")
    other_page = _page(chromium)
    _sign_in(other_page, base, other)
    expect(other_page.locator("#results")).to_contain_text("No clients match.")
    response = other_page.goto(f"{base}/clients/{cid}")
    assert response is not None and response.status == 404
    other_page.context.close()

    # At phone width the list still works.
    phone = _page(chromium, 390, 844)
    _sign_in(phone, base, account)
    expect(phone.locator("#results").get_by_role("link", name="Lisa Simpson")).to_be_visible()
    phone.screenshot(path=str(shots / "console-phone.png"), full_page=True)
    phone.context.close()

    # Sign out: the pages ask to sign in again.
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(base + "/sign-in")
    page.goto(base + "/clients")
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    page.context.close()
    api.close()


def test_the_keyboard_reaches_the_content_first_and_focus_is_visible(
    chromium: Browser, server: tuple[str, Runtime]
) -> None:
    base, runtime = server
    account = new_account(runtime, "Keyboard Co")
    page = _page(chromium)
    _sign_in(page, base, account)
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    outline = skip.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.id || document.activeElement.textContent")
    assert focused in ("New client", "q"), focused
    page.context.close()


def test_webhooks_in_the_console(
    chromium: Browser, hooks_server: tuple[str, Runtime], shots: Path
) -> None:
    """Add an endpoint (its secret shown once), see a change's delivery in its log once a
    worker has sent it, re-send it; then rotate the native API key on the Connect page."""
    base, runtime = hooks_server
    account = new_account(runtime, "Hooks Console Co")
    receiver = Receiver(status=200).start()
    page = _page(chromium)
    try:
        _sign_in(page, base, account)
        page.get_by_role("link", name="Webhooks").click()
        expect(page.get_by_role("heading", name="Webhooks", exact=True)).to_be_visible()
        page.get_by_label("URL (required)").fill(receiver.url)
        page.get_by_label("Event types").fill("client.*")
        page.get_by_label("Description").fill("CRM sync")
        page.get_by_role("button", name="Add endpoint").click()
        secret = page.locator("#secret code").inner_text()
        assert secret.startswith("whsec_")
        page.screenshot(path=str(shots / "console-webhook-created.png"), full_page=True)
        heading = page.get_by_role("heading", name=re.compile(r"^Endpoint \d+$")).inner_text()
        page.goto(f"{base}/webhooks/{heading.split()[1]}")
        expect(page.locator("#secret")).to_have_count(0)
        expect(page.locator("#deliveries")).to_have_count(0)

        api = _api(base, account)
        assert api.post("/v1/clients", json={"name": "Hooked Client"}).status_code == 201
        with Worker(runtime.engine, runtime.settings) as worker:
            assert worker.drain() == 1
            page.reload()
            row = page.locator("tr.delivery").first
            expect(row).to_contain_text("client.created")
            expect(row).to_contain_text("succeeded")
            expect(row).to_contain_text("200")
            row.get_by_text("Attempt log").click()
            expect(row.locator("ol.attempts li")).to_have_count(1)
            page.screenshot(path=str(shots / "console-webhook.png"), full_page=True)
            row.get_by_role("button", name=re.compile("Re-send delivery")).click()
            expect(page.get_by_role("status")).to_have_text("Queued again.")
            assert worker.drain() == 1
        assert len(receiver.received) == 2
        assert receiver.ids()[0] == receiver.ids()[1]  # the same message, sent again
        assert len(receiver.verified(secret)) == 2

        # Connect: rotate the native API key; the old one is refused at once.
        page.get_by_role("link", name="Connect").click()
        expect(page.get_by_role("heading", name="Connect")).to_be_visible()
        expect(page.locator("#door-halo")).to_be_visible()
        page.screenshot(path=str(shots / "console-connect.png"), full_page=True)
        old_key = account["native"]["api_key"]
        page.get_by_role("button", name="Rotate Native API credentials").click()
        new_key = page.locator('#new-credentials code[data-part="API key"]').inner_text()
        assert new_key.startswith("rdx_") and new_key != old_key
        assert api.get("/v1/clients").status_code == 401
        fresh = httpx2.get(f"{base}/v1/clients", headers={"Authorization": f"Bearer {new_key}"})
        assert fresh.status_code == 200
        api.close()

        page.get_by_role("link", name="Overview").click()
        expect(page.get_by_role("heading", name="Hooks Console Co")).to_be_visible()
        page.screenshot(path=str(shots / "console-overview.png"), full_page=True)
    finally:
        page.context.close()
        receiver.stop()
