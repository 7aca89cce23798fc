"""Requests per door per hour, and indexes for the inactive filter

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

`request_counts` holds, for each account, door and hour (hours since the Unix epoch, UTC),
how many authenticated requests it made: each server process counts in memory and adds its
counts here every few seconds (rolodex.domain.usage), for the console's overview.

The client list's inactive filter (`GET /v1/clients?inactive=true`, the console's "Inactive")
had no index: with few inactive clients it walked the account's clients in sort order until
a page of them turned up. Three indexes serve it in the list's sorts by name, id and creation
time (the console's default, the API's default, and "Newest"); sorting by number or by update
time with the filter still scans.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "request_counts",
        sa.Column("account_id", ID, nullable=False, autoincrement=False),
        sa.Column("door", sa.String(length=20), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("account_id", "door", "hour"),
    )
    op.create_index(
        "ix_clients_account_id_inactive_name_id",
        "clients",
        ["account_id", "inactive", "name", "id"],
    )
    op.create_index(
        "ix_clients_account_id_inactive_id", "clients", ["account_id", "inactive", "id"]
    )
    op.create_index(
        "ix_clients_account_id_inactive_created_at_id",
        "clients",
        ["account_id", "inactive", "created_at", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_clients_account_id_inactive_created_at_id", table_name="clients")
    op.drop_index("ix_clients_account_id_inactive_id", table_name="clients")
    op.drop_index("ix_clients_account_id_inactive_name_id", table_name="clients")
    op.drop_table("request_counts")
