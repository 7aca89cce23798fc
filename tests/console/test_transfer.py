"""Import and export through the console: an upload is imported in the background by the
`rolodex import` machinery, its progress (rows, bad rows with their lines) polled; an export
streams the account's clients."""

from __future__ import annotations

import csv
import io
import re
import time

import orjson

from tests.console.conftest import Browser

CSV_FILE = (
    "name,external_id,email,tags\n"
    "Imported One,IMP-1,one@example.com,a|b\n"
    ",IMP-2,,\n"
    "Imported Three,IMP-3,not-an-email,\n"
    "Imported Four,IMP-4,,\n"
)


def _upload(user: Browser, name: str, body: str, fmt: str = "") -> str:
    response = user.http.post(
        "/transfer/imports",
        data={"csrf": user.csrf, "format": fmt},
        files={"file": (name, body.encode(), "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return str(response.headers["location"])


def _finished(user: Browser, url: str) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        page = user.get(url, headers={"HX-Request": "true"})
        assert page.status_code == 200
        if "Finished" in page.text or "Failed" in page.text:
            return str(page.text)
        time.sleep(0.05)
    raise AssertionError("the import did not finish")


def test_an_uploaded_csv_is_imported_with_its_bad_rows_and_their_lines(user: Browser) -> None:
    url = _upload(user, "clients.csv", CSV_FILE)
    assert url.startswith("/transfer/imports/")
    page = _finished(user, url)
    assert "Finished" in page
    assert re.search(r'class="rows">4<', page)
    assert re.search(r'class="created">2<', page)
    assert re.search(r'class="bad">2<', page)
    assert "<td>3</td>" in page and "<td>4</td>" in page  # the bad rows' line numbers
    assert "hx-trigger" not in page  # a finished import stops the polling
    names = [c["name"] for c in user.api.all_clients()]
    assert sorted(names) == ["Imported Four", "Imported One"]
    one = next(c for c in user.api.all_clients() if c["name"] == "Imported One")
    history = user.api.get("/v1/events?door=console").json()["data"]
    assert history and history[0]["type"] == "client.imported"
    assert one["tags"] == ["a", "b"]
    assert "clients.csv" in user.get("/transfer").text


def test_a_json_lines_upload_is_imported_too(user: Browser) -> None:
    body = "\n".join(orjson.dumps({"name": f"Line {i}"}).decode() for i in range(3)) + "\n"
    page = _finished(user, _upload(user, "clients.jsonl", body))
    assert re.search(r'class="created">3<', page)


def test_an_upload_without_a_file_is_refused(user: Browser) -> None:
    response = user.http.post(
        "/transfer/imports",
        data={"csrf": user.csrf},
        files={"file": ("", b"", "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 422
    assert "Choose a file" in response.text


def test_another_account_cannot_watch_an_import(user: Browser, other_user: Browser) -> None:
    url = _upload(user, "mine.csv", CSV_FILE)
    _finished(user, url)
    assert other_user.get(url).status_code == 404
    assert "mine.csv" not in other_user.get("/transfer").text


def test_an_export_streams_every_client_as_csv_or_json_lines(user: Browser) -> None:
    for i in range(3):
        user.api.create_client(name=f"Exported {i}", email_addresses=[{"address": f"e{i}@x.io"}])
    response = user.get("/transfer/export?format=csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["name"] for r in rows] == ["Exported 0", "Exported 1", "Exported 2"]
    assert rows[1]["email"] == "e1@x.io"
    lines = user.get("/transfer/export?format=jsonl").text.splitlines()
    assert [orjson.loads(line)["name"] for line in lines] == [r["name"] for r in rows]
