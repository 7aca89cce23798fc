"""The console's client pages over HTTP: the list's search, filters and paging, the client
page and its history, and the create, edit and delete forms with the API's rules and
messages, errors beside their fields, and If-Match protection."""

from __future__ import annotations

import re

from tests.console.conftest import Browser


def _errors(html: str) -> dict[str, str]:
    """The messages shown beside fields: {field: message}."""
    return {
        m.group(1): m.group(2).strip()
        for m in re.finditer(r'<p class="error"[^>]*>(\w+) ([^<]*)</p>', html)
    }


def test_the_list_searches_filters_and_pages_without_javascript(user: Browser) -> None:
    api = user.api
    for i in range(30):
        api.create_client(name=f"Paged {i:02d}", tags=["paged"] if i % 2 else [])
    api.create_client(name="Zed Phone", phone_numbers=[{"number": "+1 (555) 010-9999"}])
    api.create_client(name="Sleepy", inactive=True)

    first = user.get("/clients?sort=name&tag=paged")
    assert first.status_code == 200
    names = re.findall(r'<a href="/clients/\d+">([^<]+)</a>', first.text)
    assert names == [f"Paged {i:02d}" for i in range(1, 30, 2)]
    assert "Next page" not in first.text

    everything = user.get("/clients?sort=name")
    assert "Next page" in everything.text
    next_url = re.search(r'href="(/clients\?[^"]*cursor=[^"]*)"', everything.text)
    assert next_url
    second = user.get(next_url.group(1).replace("&amp;", "&"))
    seen = re.findall(r'<a href="/clients/\d+">([^<]+)</a>', second.text)
    assert seen and seen[0] > "Paged 2"  # sorted by name, after the first 25
    assert "First page" in second.text

    assert "Zed Phone" in user.get("/clients?q=5550109999").text  # digits, as the API matches
    inactive = user.get("/clients?inactive=yes").text
    assert "Sleepy" in inactive and "Paged" not in inactive
    assert "Sleepy" not in user.get("/clients?inactive=no").text


def test_search_as_you_type_gets_only_the_results(user: Browser) -> None:
    user.api.create_client(name="Typed Search Co")
    response = user.get("/clients?q=typed", headers={"HX-Request": "true", "HX-Target": "results"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith("<table")
    assert "Typed Search Co" in response.text


def test_a_cursor_edited_by_hand_starts_the_list_over(user: Browser) -> None:
    user.api.create_client(name="Still Listed")
    response = user.get("/clients?cursor=garbage&sort=name")
    assert response.status_code == 200
    assert "Still Listed" in response.text


def test_the_client_page_shows_its_records_and_history(user: Browser) -> None:
    client = user.api.create_client(
        name="Full Co",
        tags=["gold"],
        addresses=[{"line1": "1 Main St", "city": "Springfield", "country": "US"}],
        email_addresses=[{"address": "full@example.com"}],
    )
    cid = client["id"]
    for path, body in (
        ("notes", {"body": "Called about the renewal"}),
        ("locations", {"name": "Head office"}),
        ("jobs", {"description": "Fix the boiler"}),
        ("payments", {"amount": "12.50", "date": "2026-01-02"}),
    ):
        assert user.api.post(f"/v1/clients/{cid}/{path}", json=body).status_code == 201
    assert user.api.patch(f"/v1/clients/{cid}", json={"name": "Full Co Ltd"}).status_code == 200

    page = user.get(f"/clients/{cid}").text
    for shown in (
        "Full Co Ltd",
        "gold",
        "1 Main St",
        "full@example.com",
        "Called about the renewal",
        "Head office",
        "Fix the boiler",
        "12.50",
    ):
        assert shown in page, shown
    history = page[page.index("History") :]
    assert "client.updated" in history and "client.created" in history
    assert "<del>Full Co</del> → <ins>Full Co Ltd</ins>" in history
    assert 'through <span class="door">native</span>' in history
    assert "native:" in history  # which credential


def test_creating_a_client_records_it_as_a_console_change(user: Browser) -> None:
    response = user.post(
        "/clients/new",
        {
            "name": "Made Here",
            "email": "made@example.com",
            "phone": "555-0100",
            "tags": "a, b",
            "kind": "organization",
        },
    )
    assert response.status_code == 303
    cid = int(response.headers["location"].split("/")[2].split("?")[0])
    made = user.api.get(f"/v1/clients/{cid}").json()
    assert made["name"] == "Made Here"
    assert made["tags"] == ["a", "b"]
    assert made["email_addresses"][0]["address"] == "made@example.com"
    history = user.api.get(f"/v1/clients/{cid}/history").json()["data"]
    assert history[0]["door"] == "console"
    assert history[0]["credential"].startswith("console:")


def test_the_create_form_shows_the_apis_messages_beside_their_fields(user: Browser) -> None:
    response = user.post(
        "/clients/new",
        {"name": "  ", "invoice_email": "not-an-email", "website": "nope", "email": "bad"},
    )
    assert response.status_code == 422
    errors = _errors(response.text)
    assert errors["invoice_email"] == "must be an email address"
    assert "name" in errors
    assert 'aria-invalid="true"' in response.text
    assert 'value="not-an-email"' in response.text  # what was typed is kept
    api_answer = user.api.post("/v1/clients", json={"name": "x", "invoice_email": "not-an-email"})
    assert api_answer.json()["error"]["message"].endswith("must be an email address")


def test_a_taken_external_id_is_a_conflict_beside_its_field(user: Browser) -> None:
    user.api.create_client(name="First", external_id="EXT-1")
    response = user.post("/clients/new", {"name": "Second", "external_id": "EXT-1"})
    assert response.status_code == 409
    assert "already has external_id" in _errors(response.text)["external_id"]


def test_editing_saves_through_the_domain_with_the_loaded_version(user: Browser) -> None:
    cid = user.api.create_client(name="Before", tags=["keep"])["id"]
    form = user.get(f"/clients/{cid}/edit").text
    assert 'name="version" value="1"' in form
    assert 'value="keep"' in form
    response = user.post(
        f"/clients/{cid}/edit",
        {
            "version": "1",
            "name": "After",
            "kind": "organization",
            "tags": "keep, new",
            "inactive": "on",
        },
    )
    assert response.status_code == 303
    after = user.api.get(f"/v1/clients/{cid}").json()
    assert (after["name"], after["tags"], after["inactive"]) == ("After", ["keep", "new"], True)
    assert user.api.get(f"/v1/clients/{cid}").headers["etag"] == '"2"'


def test_an_edit_after_someone_else_saved_is_refused_with_the_current_values(
    user: Browser,
) -> None:
    cid = user.api.create_client(name="Original", account_code="A-1")["id"]
    user.get(f"/clients/{cid}/edit")
    changed = user.api.patch(f"/v1/clients/{cid}", json={"name": "Changed Through API"})
    assert changed.status_code == 200
    response = user.post(
        f"/clients/{cid}/edit", {"version": "1", "name": "Mine", "kind": "organization"}
    )
    assert response.status_code == 412
    assert "changed meanwhile" in response.text
    assert "Changed Through API" in response.text  # the current value, beside the box
    assert 'value="Mine"' in response.text  # what was typed, kept
    assert 'name="version" value="2"' in response.text  # a second save is deliberate
    assert user.api.get(f"/v1/clients/{cid}").json()["name"] == "Changed Through API"
    again = user.post(
        f"/clients/{cid}/edit", {"version": "2", "name": "Mine", "kind": "organization"}
    )
    assert again.status_code == 303
    assert user.api.get(f"/v1/clients/{cid}").json()["name"] == "Mine"


def test_the_edit_form_refuses_what_the_api_refuses(user: Browser) -> None:
    cid = user.api.create_client(name="Valid")["id"]
    response = user.post(
        f"/clients/{cid}/edit",
        {"version": "1", "name": "", "kind": "robot", "company_id": "999999999"},
    )
    assert response.status_code == 422
    errors = _errors(response.text)
    assert "kind" in errors and "name" in errors
    assert user.api.get(f"/v1/clients/{cid}").json()["name"] == "Valid"


def test_deleting_needs_the_version_the_page_showed(user: Browser) -> None:
    cid = user.api.create_client(name="Doomed")["id"]
    user.api.patch(f"/v1/clients/{cid}", json={"name": "Doomed 2"})
    stale = user.post(f"/clients/{cid}/delete", {"version": "1"})
    assert stale.status_code == 303 and stale.headers["location"].endswith("notice=changed")
    assert user.api.get(f"/v1/clients/{cid}").status_code == 200
    gone = user.post(f"/clients/{cid}/delete", {"version": "2"})
    assert gone.status_code == 303
    assert user.api.get(f"/v1/clients/{cid}").status_code == 404
    assert user.get(f"/clients/{cid}").status_code == 404
