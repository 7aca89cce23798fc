"""Driving a Swagger UI 5 docs page in Chromium the way a person does: authorize, open an
operation, "Try it out", execute, read the answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

TIMEOUT_MS = 15_000


@dataclass
class Tryout:
    """One "Try it out" GET on a door's page: the path as the page lists it, and what to type
    into the Authorize dialog: (scheme name, {CSS selector of an input: value})."""

    path: str
    credentials: list[tuple[str, dict[str, str]]]
    server_variables: dict[str, str] = field(default_factory=dict)
    expect_text: str = ""


def operations(page: Page) -> Locator:
    return page.locator(".opblock")


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator(".swagger-ui .info .title")).to_be_visible(timeout=TIMEOUT_MS)
    expect(operations(page).first).to_be_visible(timeout=TIMEOUT_MS)


def authorize(page: Page, credentials: list[tuple[str, dict[str, str]]]) -> None:
    page.locator(".auth-wrapper button.authorize").click()
    dialog = page.locator(".dialog-ux .modal-ux")
    expect(dialog).to_be_visible(timeout=TIMEOUT_MS)
    for scheme, values in credentials:
        box = dialog.locator(".auth-container", has=page.locator(f"h4:has-text('{scheme}')"))
        for selector, value in values.items():
            box.locator(selector).first.fill(value)
        box.locator("button.authorize").click()
        # Once authorized (for OAuth2: once the token came back), the box offers Logout.
        expect(box.locator("button", has_text="Logout")).to_be_visible(timeout=TIMEOUT_MS)
    dialog.locator("button.close-modal").click()


def try_get(page: Page, tryout: Tryout) -> Locator:
    """Open the GET of `tryout.path`, run it, and return its block once the answer shows."""
    for name, value in tryout.server_variables.items():
        page.locator(f".servers input[data-variable='{name}']").fill(value)
    block = page.locator(
        ".opblock.opblock-get",
        has=page.locator(".opblock-summary-path", has_text=tryout.path),
    ).filter(has=page.locator(f".opblock-summary-path[data-path='{tryout.path}']"))
    block.locator(".opblock-summary").first.click()
    block.locator("button.try-out__btn").click()
    block.locator("button.execute").click()
    status = block.locator(".live-responses-table .response .response-col_status").first
    expect(status).to_be_visible(timeout=TIMEOUT_MS)
    return block


def screenshot(page: Page, path: Path, *, showing: Locator | None = None) -> None:
    """The viewport, scrolled so that `showing` (when given) is in it."""
    if showing is not None:
        showing.scroll_into_view_if_needed()
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
