"""An index that serves substring search over clients.search_text

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

PostgreSQL: pg_trgm and a GIN trigram index (skipped, with a notice, where the extension
cannot be created). SQLite: an FTS5 trigram table kept in step with clients by triggers.
"""

from __future__ import annotations

import logging

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

SQLITE_UP = [
    "CREATE VIRTUAL TABLE clients_search USING fts5("
    "search_text, content='clients', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER clients_search_insert AFTER INSERT ON clients BEGIN "
    "INSERT INTO clients_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER clients_search_delete AFTER DELETE ON clients BEGIN "
    "INSERT INTO clients_search(clients_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER clients_search_update AFTER UPDATE OF search_text ON clients BEGIN "
    "INSERT INTO clients_search(clients_search, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO clients_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO clients_search(clients_search) VALUES ('rebuild')",
]


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        try:
            with bind.begin_nested():
                # In public, not the first schema on the search path, so a schema-per-tenant
                # or per-test set-up does not take the extension with it when dropped.
                op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
        except Exception as exc:  # no privilege: search still works, by scanning
            log.warning("pg_trgm is not available (%s); q search will scan", exc)
            return
        schema = bind.exec_driver_sql(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
            "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
        ).scalar_one()
        op.execute(
            "CREATE INDEX IF NOT EXISTS ix_clients_search_text_trgm ON clients "
            f'USING gin (search_text "{schema}".gin_trgm_ops)'
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS clients_search_{trigger}")
        op.execute("DROP TABLE IF EXISTS clients_search")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_clients_search_text_trgm")
