"""Client documents rendered at write time

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Each client as every door shows it (`client_documents`, one row per client and kind), rewritten
in the same transaction as any change to it, so a read is one indexed lookup (see
rolodex.domain.documents). `rolodex_state` records which renderer version wrote them.

The documents of the clients already there are rendered right after the upgrade
(`rolodex.db.migrate.upgrade` calls `documents.ensure_current`), by today's renderers: a
migration that ran them itself would break once a later migration changes the tables they read.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "client_documents",
        sa.Column("client_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("account_id", ID, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_client_documents_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("client_id", "kind", name=op.f("pk_client_documents")),
    )
    op.create_table(
        "rolodex_state",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_rolodex_state")),
    )


def downgrade() -> None:
    op.drop_table("rolodex_state")
    op.drop_table("client_documents")
