"""Every docs page in a real browser (Debian's Chromium, driven by Playwright): it renders,
lists its door's operations, and a "Try it out" GET with the door's own credentials answers
200 on the page. Each is screenshotted; `make screenshots` keeps them in docs/screenshots/ for
the README.

The pages are served by a real uvicorn server on 127.0.0.1 (a browser needs a URL), in a
thread of this test process, over the test database. They do not depend on the database, so
they run in the SQLite half of `make test` only."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from playwright.sync_api import Browser, Page, expect

from rolodex.apidocs.pages import DOORS, Door
from rolodex.config import Settings
from rolodex.runtime import Runtime
from tests.apidocs.swagger_page import (
    TIMEOUT_MS,
    Tryout,
    authorize,
    open_page,
    operations,
    screenshot,
    try_get,
)
from tests.browser import README_SCREENSHOTS, chromium, serve
from tests.conftest import new_account


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("ROLODEX_UPDATE_SCREENSHOTS") == "1":
        return README_SCREENSHOTS
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def browser(db_kind: str) -> Iterator[Browser]:
    yield from chromium(
        db_kind, "the docs pages do not depend on the database: run once, on SQLite"
    )


@pytest.fixture(scope="module")
def live(database_url: str) -> Iterator[tuple[str, Runtime]]:
    """A uvicorn server on a free 127.0.0.1 port, with a runtime of its own."""
    yield from serve(Settings(database_url=database_url))


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    failed: list[str] = []
    opened.on("requestfailed", lambda request: failed.append(request.url))
    yield opened
    context.close()
    assert failed == [], f"requests the page could not make: {failed}"


def _tryout(door: str, account: dict[str, Any]) -> Tryout:
    basic = ("input[name=username]", "input[name=password]")
    if door == "native":
        return Tryout("/v1/clients", [("bearer", {"input": account["native"]["api_key"]})])
    if door == "trackops":
        creds = account["trackops"]
        values = (f"{creds['username']}/token", creds["token"])
        return Tryout("/api/v1/clients", [("basic", dict(zip(basic, values, strict=True)))])
    if door == "tevo":
        creds = account["tevo"]
        # The secret goes into the X-Signature box: the page signs with it (rolodex-docs.js).
        return Tryout(
            "/v9/clients",
            [("token", {"input": creds["token"]}), ("signature", {"input": creds["secret"]})],
        )
    if door == "halo":
        creds = account["halo"]
        return Tryout(
            "/api/Client",
            [
                (
                    "oauth2",
                    {
                        "input[data-name=clientId]": creds["client_id"],
                        "input[data-name=clientSecret]": creds["client_secret"],
                    },
                )
            ],
        )
    token = account["kickserv"]["token"]
    return Tryout(
        "/customers.json",
        [("basic", dict(zip(basic, (token, token), strict=True)))],
        server_variables={"slug": account["slug"]},
    )


@pytest.mark.parametrize("door", DOORS, ids=lambda d: d.name)
def test_each_docs_page_renders_and_tries_a_get_with_the_doors_credentials(
    page: Page, live: tuple[str, Runtime], door: Door, screenshots: Path
) -> None:
    base, runtime = live
    account = new_account(runtime, "Browser Co")
    created = httpx2.post(
        f"{base}/v1/clients",
        json={"name": "Ned Flanders", "tags": ["vip"]},
        headers={"Authorization": f"Bearer {account['native']['api_key']}"},
    )
    assert created.status_code == 201, created.text

    open_page(page, base + door.page_url)
    documented = sum(len(methods) for methods in door.build()["paths"].values())
    expect(operations(page)).to_have_count(documented, timeout=TIMEOUT_MS)
    assert "Unable to render" not in page.content()
    if door.name == "native":
        screenshot(page, screenshots / "native-docs.png")

    tryout = _tryout(door.name, account)
    authorize(page, tryout.credentials)
    block = try_get(page, tryout)
    status = block.locator(".live-responses-table .response .response-col_status").first
    expect(status).to_have_text("200")
    body = block.locator(".live-responses-table .response-col_description pre").first
    expect(body).to_contain_text("Ned Flanders")
    screenshot(page, screenshots / f"{door.name}-try-it-out.png", showing=status)
