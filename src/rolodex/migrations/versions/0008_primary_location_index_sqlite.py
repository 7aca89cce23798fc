"""SQLite: the one-primary-location index in the form queries name it

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

On SQLite a partial index serves a query only when the query repeats the index's condition,
and SQLAlchemy writes a boolean test as `is_primary = 1`: against the index's bare
`is_primary` no query could use it, so every read that joined a client to its primary
location (Halo's Areas, Trackops' clients, their documents) scanned all the locations for each
client. The index is made again with `is_primary = 1`, the same rows and the same
uniqueness. PostgreSQL proves the one from the other itself and keeps its index.
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

NAME = "uq_locations_primary_per_client"


def _remake(condition: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(f"DROP INDEX {NAME}")
    op.execute(f"CREATE UNIQUE INDEX {NAME} ON locations (client_id) WHERE {condition}")


def upgrade() -> None:
    _remake("is_primary = 1")


def downgrade() -> None:
    _remake("is_primary")
