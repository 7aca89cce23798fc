"""The `rolodex` command, run for real (click's CliRunner, and once as a subprocess), each test on
a database of its own: a new SQLite file, or a new PostgreSQL schema."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import orjson
from click.testing import CliRunner, Result
from sqlalchemy import inspect, select, text
from starlette.testclient import TestClient

from rolodex.app import create_app
from rolodex.cli import main
from rolodex.config import Settings
from rolodex.db.engine import create_db_engine
from rolodex.db.migrate import head_revision
from rolodex.models import Credential

CREDENTIAL_KEYS = {
    "native": {"api_key"},
    "trackops": {"username", "token"},
    "tevo": {"token", "secret", "office_id"},
    "halo": {"client_id", "client_secret", "tenant"},
    "kickserv": {"token"},
}


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def create(url: str, name: str = "Acme Inc", *extra: str) -> dict[str, Any]:
    result = run("accounts", "create", name, "--json", *extra, "--database-url", url)
    assert result.exit_code == 0, result.output
    return parse_one_object(result.stdout)


def parse_one_object(stdout: str) -> dict[str, Any]:
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert len(lines) == 1, stdout
    data = orjson.loads(lines[0])
    assert isinstance(data, dict), stdout
    return data


def secrets_of(data: dict[str, Any]) -> dict[str, str]:
    return {
        "native api_key": data["native"]["api_key"],
        "trackops token": data["trackops"]["token"],
        "tevo secret": data["tevo"]["secret"],
        "halo client_secret": data["halo"]["client_secret"],
        "kickserv token": data["kickserv"]["token"],
    }


def table_names(url: str) -> set[str]:
    engine = create_db_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def alembic_versions(url: str) -> list[str]:
    engine = create_db_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    finally:
        engine.dispose()


def test_db_upgrade_migrates_to_head_and_is_idempotent(fresh_url: str) -> None:
    assert "alembic_version" not in table_names(fresh_url)
    first = run("db", "upgrade", "--database-url", fresh_url)
    assert first.exit_code == 0, first.output
    assert "database is up to date" in first.stderr
    assert first.stdout == ""
    tables = table_names(fresh_url)
    assert {"accounts", "credentials", "clients", "offices"} <= tables
    assert alembic_versions(fresh_url) == [head_revision()]

    second = run("db", "upgrade", "--database-url", fresh_url)
    assert second.exit_code == 0, second.output
    assert "database is up to date" in second.stderr
    assert table_names(fresh_url) == tables
    assert alembic_versions(fresh_url) == [head_revision()]


def test_accounts_create_json_prints_every_credential_once(fresh_url: str) -> None:
    result = run("accounts", "create", "Acme Inc", "--json", "--database-url", fresh_url)
    assert result.exit_code == 0, result.output
    data = parse_one_object(result.stdout)
    assert set(data) == {"id", "name", "slug", *CREDENTIAL_KEYS}
    for scheme, keys in CREDENTIAL_KEYS.items():
        assert set(data[scheme]) == keys, scheme
    assert isinstance(data["id"], int)
    assert data["name"] == "Acme Inc"
    assert data["slug"] == "acme-inc"
    assert data["trackops"]["username"] == "acme-inc"
    assert data["halo"]["tenant"] == "acme-inc"
    assert isinstance(data["tevo"]["office_id"], int)
    assert re.fullmatch(r"[a-zA-Z0-9]{32}", data["tevo"]["token"]), data["tevo"]
    assert re.fullmatch(r"\S{40}", data["tevo"]["secret"]), data["tevo"]
    for label, secret in secrets_of(data).items():
        assert isinstance(secret, str), label
        assert len(secret) >= 20, label
    assert len(set(secrets_of(data).values())) == len(secrets_of(data))


def test_accounts_create_uses_the_given_slug(fresh_url: str) -> None:
    data = create(fresh_url, "Acme Inc", "--slug", "acme")
    assert data["slug"] == "acme"
    assert data["trackops"]["username"] == "acme"
    assert data["halo"]["tenant"] == "acme"


def test_a_duplicate_slug_fails_with_a_clear_message(fresh_url: str) -> None:
    first = create(fresh_url, "Acme Inc", "--slug", "acme")
    args = ["accounts", "create", "Acme Again", "--slug", "acme", "--json"]
    result = run(*args, "--database-url", fresh_url)
    assert result.exit_code != 0
    assert result.stdout == ""
    assert "already exists" in result.stderr
    assert "'acme'" in result.stderr
    assert "Traceback" not in result.output

    listed = run("accounts", "list", "--json", "--database-url", fresh_url)
    assert [row["slug"] for row in orjson.loads(listed.stdout)] == [first["slug"]]


def test_an_invalid_slug_fails_with_a_clear_message(fresh_url: str) -> None:
    args = ["accounts", "create", "Acme Inc", "--slug", "Bad Slug!", "--json"]
    result = run(*args, "--database-url", fresh_url)
    assert result.exit_code != 0
    assert result.stdout == ""
    assert "slug" in result.stderr
    assert "lower-case letters, digits or hyphens" in result.stderr
    assert "Traceback" not in result.output

    listed = run("accounts", "list", "--json", "--database-url", fresh_url)
    assert orjson.loads(listed.stdout) == []


def test_accounts_list_json_shows_public_parts_only(fresh_url: str) -> None:
    acme = create(fresh_url, "Acme Inc", "--slug", "acme")
    other = create(fresh_url, "Other Co")
    result = run("accounts", "list", "--json", "--database-url", fresh_url)
    assert result.exit_code == 0, result.output
    rows = orjson.loads(result.stdout)
    assert isinstance(rows, list)
    assert [row["id"] for row in rows] == [acme["id"], other["id"]]
    row = rows[0]
    assert row["name"] == "Acme Inc"
    assert row["slug"] == "acme"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", row["created_at"]), row
    assert row["trackops"] == {"username": "acme"}
    assert row["tevo"] == {"token": acme["tevo"]["token"], "office_id": acme["tevo"]["office_id"]}
    assert row["halo"] == {"client_id": acme["halo"]["client_id"], "tenant": "acme"}
    for account in (acme, other):
        for label, secret in secrets_of(account).items():
            assert secret not in result.stdout, f"{label} of {account['slug']} is listed"
            assert secret not in result.stderr, f"{label} of {account['slug']} is listed"


def test_accounts_list_without_accounts(fresh_url: str) -> None:
    as_json = run("accounts", "list", "--json", "--database-url", fresh_url)
    assert as_json.exit_code == 0, as_json.output
    assert orjson.loads(as_json.stdout) == []
    plain = run("accounts", "list", "--database-url", fresh_url)
    assert plain.exit_code == 0, plain.output
    assert "no accounts yet" in plain.stdout


def test_accounts_list_emits_no_deprecation_warning(fresh_url: str) -> None:
    create(fresh_url, "Acme Inc")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run("accounts", "list", "--json", "--database-url", fresh_url)
    assert result.exit_code == 0, result.output
    assert [row["name"] for row in orjson.loads(result.stdout)] == ["Acme Inc"]
    assert [str(w.message) for w in caught] == []


def test_the_database_url_can_come_from_the_environment(fresh_url: str) -> None:
    env = {"ROLODEX_DATABASE_URL": fresh_url}
    created = run("accounts", "create", "Env Co", "--slug", "env-co", "--json", env=env)
    assert created.exit_code == 0, created.output
    data = parse_one_object(created.stdout)

    listed = run("accounts", "list", "--json", env=env)
    assert listed.exit_code == 0, listed.output
    assert [(row["id"], row["slug"]) for row in orjson.loads(listed.stdout)] == [
        (data["id"], "env-co")
    ]
    # ...and it is the database the URL names: the same account, seen through --database-url.
    explicit = run("accounts", "list", "--json", "--database-url", fresh_url)
    assert orjson.loads(explicit.stdout) == orjson.loads(listed.stdout)

    upgraded = run("db", "upgrade", env=env)
    assert upgraded.exit_code == 0, upgraded.output
    assert alembic_versions(fresh_url) == [head_revision()]


def test_the_printed_api_key_works_against_the_http_api(fresh_url: str) -> None:
    data = create(fresh_url, "Acme Inc", "--slug", "acme")
    key = data["native"]["api_key"]
    with TestClient(create_app(Settings(database_url=fresh_url))) as http:
        response = http.get("/v1/account", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 200, response.text
        assert response.json()["slug"] == "acme"
        assert response.json()["id"] == data["id"]
        assert response.json()["name"] == "Acme Inc"

        wrong = http.get("/v1/account", headers={"Authorization": f"Bearer {key}x"})
        assert wrong.status_code == 401, wrong.text


def test_accounts_rotate_issues_new_credentials_and_the_old_stop_working(
    fresh_url: str,
) -> None:
    data = create(fresh_url, "Rotated Co")
    result = run(
        "accounts", "rotate", data["slug"], "native", "--json", "--database-url", fresh_url
    )
    assert result.exit_code == 0, result.output
    new_key = parse_one_object(result.stdout)["native"]["api_key"]
    assert new_key != data["native"]["api_key"]
    with TestClient(create_app(Settings(database_url=fresh_url))) as http:
        old = {"Authorization": f"Bearer {data['native']['api_key']}"}
        assert http.get("/v1/clients", headers=old).status_code == 401
        new = {"Authorization": f"Bearer {new_key}"}
        assert http.get("/v1/clients", headers=new).status_code == 200
    missing = CliRunner().invoke(
        main, ["accounts", "rotate", "nobody", "halo", "--database-url", fresh_url]
    )
    assert missing.exit_code != 0 and "No account with slug 'nobody'" in missing.output


def test_secrets_are_stored_hashed(fresh_url: str) -> None:
    data = create(fresh_url, "Acme Inc", "--slug", "acme")
    clear = {
        "native api_key": data["native"]["api_key"],
        "trackops token": data["trackops"]["token"],
        "halo client_secret": data["halo"]["client_secret"],
        "kickserv token": data["kickserv"]["token"],
    }
    engine = create_db_engine(fresh_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(Credential.__table__)).mappings().all()
    finally:
        engine.dispose()
    assert {row["scheme"] for row in rows} == set(CREDENTIAL_KEYS)
    for row in rows:
        stored = " ".join(str(value) for value in row.values())
        for label, secret in clear.items():
            assert secret not in stored, f"{label} stored in clear in {row['scheme']!r} row"


def test_the_installed_console_script_runs(fresh_url: str) -> None:
    script = Path(sys.executable).parent / "rolodex"
    assert script.exists(), script
    env = {k: v for k, v in os.environ.items() if k != "ROLODEX_DATABASE_URL"}
    completed = subprocess.run(
        [str(script), "accounts", "create", "Sub Process", "--json", "--database-url", fresh_url],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    data = parse_one_object(completed.stdout)
    assert data["slug"] == "sub-process"
    assert re.fullmatch(r"[a-zA-Z0-9]{32}", data["tevo"]["token"])

    listed = subprocess.run(
        [str(script), "accounts", "list", "--json", "--database-url", fresh_url],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    assert [row["slug"] for row in orjson.loads(listed.stdout)] == ["sub-process"]


def test_documents_rebuild_renders_what_the_tables_say(fresh_url: str) -> None:
    """A write made to the tables outside Rolodex (a restore, a hand-run UPDATE) leaves the
    stored documents behind; `rolodex documents rebuild` renders them again from the tables,
    and every door then shows the tables' truth."""
    account = create(fresh_url, "Rebuilt", "--slug", "rebuilt")
    other = create(fresh_url, "Untouched", "--slug", "untouched")
    app = create_app(Settings(database_url=fresh_url))
    with TestClient(app) as http:
        native = {"Authorization": f"Bearer {account['native']['api_key']}"}
        mine = http.post("/v1/clients", json={"name": "Before"}, headers=native).json()
        theirs_headers = {"Authorization": f"Bearer {other['native']['api_key']}"}
        theirs = http.post("/v1/clients", json={"name": "Theirs"}, headers=theirs_headers).json()
        engine = create_db_engine(fresh_url)
        with engine.begin() as conn:  # behind Rolodex's back
            conn.execute(text("UPDATE clients SET name = 'After' WHERE id = :i"), {"i": mine["id"]})
            conn.execute(
                text("UPDATE clients SET name = 'Theirs, changed' WHERE id = :i"),
                {"i": theirs["id"]},
            )
        engine.dispose()
        assert http.get(f"/v1/clients/{mine['id']}", headers=native).json()["name"] == "Before"

        result = run("documents", "rebuild", "--account", "rebuilt", "--database-url", fresh_url)
        assert result.exit_code == 0, result.output
        assert "1 clients' documents rendered" in result.stderr
        assert http.get(f"/v1/clients/{mine['id']}", headers=native).json()["name"] == "After"
        listed = http.get("/v1/clients", headers=native).json()["data"]
        assert [c["name"] for c in listed] == ["After"]
        kickserv = http.get(
            f"/kickserv/rebuilt/customers/{mine['number']}.json",
            auth=(account["kickserv"]["token"], account["kickserv"]["token"]),
        )
        assert kickserv.status_code == 200, kickserv.text
        assert kickserv.json()["name"] == "After"
        # The other account was not asked for: its document still shows what it was.
        shown = http.get(f"/v1/clients/{theirs['id']}", headers=theirs_headers).json()
        assert shown["name"] == "Theirs"

        result = run("documents", "rebuild", "--database-url", fresh_url)
        assert result.exit_code == 0, result.output
        assert "2 clients' documents rendered" in result.stderr
        shown = http.get(f"/v1/clients/{theirs['id']}", headers=theirs_headers).json()
        assert shown["name"] == "Theirs, changed"

    result = run("documents", "rebuild", "--account", "nobody", "--database-url", fresh_url)
    assert result.exit_code != 0 and "nobody" in result.output


def test_documents_render_empties_the_backlog_creates_left(fresh_url: str) -> None:
    """With no server running to render them, the kinds a batch left to the backlog are
    rendered by `rolodex documents render`: afterwards every client has every document, and
    every door shows the same."""
    account = create(fresh_url, "Rendered", "--slug", "rendered")
    app = create_app(Settings(database_url=fresh_url))
    with TestClient(app) as http:
        native = {"Authorization": f"Bearer {account['native']['api_key']}"}
        made = http.post(
            "/v1/clients/batch",
            json={"clients": [{"name": f"Batch {n}"} for n in range(7)]},
            headers=native,
        )
        assert made.status_code == 201, made.text
        engine = create_db_engine(fresh_url)
        try:
            with engine.connect() as conn:
                count = "SELECT count(*) FROM "
                assert conn.execute(text(count + "document_backlog")).scalar() == 1
                assert conn.execute(text(count + "client_documents")).scalar() == 7

            result = run("documents", "render", "--database-url", fresh_url)
            assert result.exit_code == 0, result.output
            assert "The document backlog is empty." in result.stderr
            with engine.connect() as conn:
                assert conn.execute(text(count + "document_backlog")).scalar() == 0
                kinds = conn.execute(
                    text("SELECT count(DISTINCT kind), count(*) FROM client_documents")
                ).one()
        finally:
            engine.dispose()
        assert kinds[1] == 7 * kinds[0] and kinds[0] >= 6
        number = made.json()["data"][3]["number"]
        token = account["kickserv"]["token"]
        shown = http.get(f"/kickserv/rendered/customers/{number}.json", auth=(token, token))
        assert shown.status_code == 200 and shown.json()["name"] == "Batch 3", shown.text
