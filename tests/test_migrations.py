"""The Alembic migrations: they build exactly the schema the ORM models describe, they go down to
nothing and back up again, and SQLite connections are set up the way the engine promises."""

from __future__ import annotations

import pprint
from collections.abc import Iterator

import orjson
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import rolodex.models  # noqa: F401  (registers every table)
from rolodex.db.base import Base
from rolodex.db.engine import SQLITE_BUSY_TIMEOUT_MS, create_db_engine
from rolodex.db.migrate import (
    alembic_config,
    current_revision,
    head_revision,
    include_name,
    upgrade,
)
from rolodex.domain import accounts, documents
from rolodex.models import Client


def _old_client(session: Session, account_id: int, name: str) -> int:
    """A client written into a database at an older revision (the ORM writes only the
    columns every revision since the first has)."""
    office_id = accounts.default_office_id(session, account_id)
    client = Client(account_id=account_id, number=1, name=name, office_id=office_id)
    session.add(client)
    session.flush()
    return int(client.id)


@pytest.fixture
def fresh_engine(fresh_url: str) -> Iterator[Engine]:
    """An engine on an empty database only this test uses."""
    engine = create_db_engine(fresh_url)
    try:
        yield engine
    finally:
        engine.dispose()


def schema_diff(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        return list(compare_metadata(context, Base.metadata))


def modelled(engine: Engine) -> set[str]:
    """Table names, less those the migrations keep for search that no model describes."""
    return {t for t in inspect(engine).get_table_names() if include_name(t, "table", None)}


def model_tables() -> set[str]:
    return set(Base.metadata.tables)


def test_the_migrated_schema_matches_the_models_exactly(database_url: str) -> None:
    engine = create_db_engine(database_url)
    try:
        assert current_revision(engine) == head_revision()
        assert modelled(engine) == model_tables() | {"alembic_version"}
        diff = schema_diff(engine)
    finally:
        engine.dispose()
    assert diff == [], "the migrations and the models differ:\n" + pprint.pformat(diff)


def test_downgrade_to_base_removes_everything_and_upgrade_works_again(
    fresh_engine: Engine,
) -> None:
    upgrade(fresh_engine)
    assert current_revision(fresh_engine) == head_revision()
    assert modelled(fresh_engine) == model_tables() | {"alembic_version"}

    config = alembic_config()
    with fresh_engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert inspect(fresh_engine).get_table_names() == ["alembic_version"]
    assert current_revision(fresh_engine) is None

    upgrade(fresh_engine)
    assert current_revision(fresh_engine) == head_revision()
    assert modelled(fresh_engine) == model_tables() | {"alembic_version"}
    diff = schema_diff(fresh_engine)
    assert diff == [], "after down and up again:\n" + pprint.pformat(diff)


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(
    db_kind: str, database_url: str
) -> None:
    if db_kind != "sqlite":
        pytest.skip("SQLite pragmas")
    engine = create_db_engine(database_url)
    try:
        # two connections open at once: each new connection is set up, not just the first
        with engine.connect() as first, engine.connect() as second:
            for conn in (first, second):
                assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
                assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
                assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000
        assert SQLITE_BUSY_TIMEOUT_MS == 30000
    finally:
        engine.dispose()


def test_0005_drops_what_deleted_records_left_behind_and_the_creation_stamps(
    fresh_engine: Engine,
) -> None:
    upgrade(fresh_engine, "0004")
    with Session(fresh_engine, info={documents.OFF: True}) as session, session.begin():
        account_id = accounts.create_account(session, "Before 0005").account.id
        client_id = _old_client(session, account_id, "Kept")
    with fresh_engine.begin() as conn:
        rows = [
            (1, "client", client_id, '{"a": 1, "_record_created_at": "2026-01-01T00:00:00"}'),
            (2, "client", client_id + 1, '{"left": "behind"}'),
            (3, "job", 7, '{"left": "behind"}'),
        ]
        for ident, entity, entity_id, data in rows:
            conn.execute(
                text(
                    "INSERT INTO vendor_attributes (id, account_id, entity, entity_id, vendor, "
                    "data) VALUES (:id, :account, :entity, :entity_id, 'kickserv', :data)"
                ),
                {
                    "id": ident,
                    "account": account_id,
                    "entity": entity,
                    "entity_id": entity_id,
                    "data": data,
                },
            )
    upgrade(fresh_engine)
    with fresh_engine.connect() as conn:
        left = conn.execute(text("SELECT entity, entity_id, data FROM vendor_attributes")).all()
    assert [(e, i) for e, i, _ in left] == [("client", client_id)]
    data = left[0][2]
    assert (data if isinstance(data, dict) else orjson.loads(data)) == {"a": 1}


def test_0006_renders_the_documents_of_the_clients_already_there(fresh_engine: Engine) -> None:
    upgrade(fresh_engine, "0005")
    with Session(fresh_engine, info={documents.OFF: True}) as session, session.begin():
        account_id = accounts.create_account(session, "Before 0006").account.id
        client_id = _old_client(session, account_id, "Old")
    upgrade(fresh_engine)
    with fresh_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT kind, body FROM client_documents WHERE client_id = :c ORDER BY kind"),
            {"c": client_id},
        ).all()
        state = conn.execute(text("SELECT value FROM rolodex_state")).scalar()
    assert [kind for kind, _ in rows] == sorted(documents.renderers())
    native = orjson.loads(dict(rows)["native"])
    assert (native["id"], native["name"]) == (client_id, "Old")
    assert state == documents.render_version()
    # A release whose renderers show clients differently renders them all again on upgrade.
    with fresh_engine.begin() as conn:
        conn.execute(text("UPDATE rolodex_state SET value = 'an older renderer'"))
        conn.execute(text("UPDATE client_documents SET body = :b"), {"b": b"{}"})
    upgrade(fresh_engine)
    with fresh_engine.connect() as conn:
        bodies = conn.execute(text("SELECT body FROM client_documents")).scalars().all()
    assert sorted(bodies) == sorted(body for _, body in rows)


def test_0008_lets_sqlite_find_a_clients_primary_location_by_index(
    db_kind: str, fresh_engine: Engine
) -> None:
    """Halo's Areas and Trackops' clients are read with their primary location; before 0008,
    SQLite could not use the one-primary-location index for that (its condition was not the
    query's) and scanned every location for each client. After it, the read is an index
    search, the locations already there are kept, and a second primary is still refused."""
    if db_kind != "sqlite":
        pytest.skip("PostgreSQL matches the condition itself and keeps its index")
    from rolodex.doors.halo import reads

    upgrade(fresh_engine, "0007")
    with Session(fresh_engine, info={documents.OFF: True}) as session, session.begin():
        account_id = accounts.create_account(session, "Before 0008").account.id
        client_id = _old_client(session, account_id, "Sited")
    location = (
        "INSERT INTO locations (account_id, client_id, name, is_primary, version, created_at, "
        "updated_at) VALUES (:account, :client, :name, 1, 1, '2026-01-01', '2026-01-01')"
    )
    with fresh_engine.begin() as conn:
        conn.execute(text(location), {"account": account_id, "client": client_id, "name": "Main"})

    def plan() -> str:
        statement, _ = reads._summaries_by_id(account_id, [client_id])
        sql = statement.compiled(fresh_engine.dialect).sql.replace(
            "(__[POSTCOMPILE_ids])", "(1, 2)"
        )
        with fresh_engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + sql, tuple([1] * sql.count("?"))
            ).all()
        return "\n".join(str(row[-1]) for row in rows)

    assert "SCAN primary_location" in plan()
    upgrade(fresh_engine)
    assert "SEARCH primary_location USING INDEX uq_locations_primary_per_client" in plan()
    with fresh_engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM locations")).scalars().all() == ["Main"]
    with pytest.raises(IntegrityError, match="UNIQUE"), fresh_engine.begin() as conn:
        conn.execute(text(location), {"account": account_id, "client": client_id, "name": "No"})


def test_0009_event_ids_are_never_reused_and_the_queue_is_served_by_its_indexes(
    db_kind: str, fresh_engine: Engine
) -> None:
    """A feed reader pages by id, so an event id must never come back after the newest
    events went (retention, an account deleted): SQLite's tables of events and deliveries are
    AUTOINCREMENT (PostgreSQL's sequences never go back). And the delivery queue's lookups
    are index searches on the open deliveries, not scans of the whole log."""
    from rolodex.domain import deliveries, events

    upgrade(fresh_engine, "0008")
    upgrade(fresh_engine)
    with Session(fresh_engine, info={documents.OFF: True}) as session, session.begin():
        account_id = accounts.create_account(session, "Events").account.id
        news = [events.NewEvent("client.created", "client", 1, 1, {"id": 1})] * 3
        first = events.append(session, account_id, events.SYSTEM, news)
    with fresh_engine.begin() as conn:
        conn.execute(text("DELETE FROM events"))
    with Session(fresh_engine, info={documents.OFF: True}) as session, session.begin():
        again = events.append(session, account_id, events.SYSTEM, news[:1])
    assert again[0] > max(first)
    if db_kind != "sqlite":
        return

    def plan(query: object) -> str:
        sql = query.compiled(fresh_engine.dialect).sql  # type: ignore[attr-defined]
        with fresh_engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + sql, tuple([1] * sql.count("?"))
            ).all()
        return "\n".join(str(row[-1]) for row in rows)

    heads = plan(deliveries._HEADS_SERIAL)
    assert "ix_webhook_deliveries_due" in heads, heads
    assert "ix_webhook_deliveries_queue" in heads, heads
    assert "ix_webhook_deliveries_queue" in plan(deliveries._RUN)
