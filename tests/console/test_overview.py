"""The overview: bounded counts, clients created per day, changes per door."""

from __future__ import annotations

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
