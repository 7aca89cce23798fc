"""Indexes for account-wide lists of locations and contacts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Trackops lists every location or contact of an account in id order.
    op.create_index("ix_locations_account_id_id", "locations", ["account_id", "id"])
    op.create_index("ix_contacts_account_id_id", "contacts", ["account_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_contacts_account_id_id", table_name="contacts")
    op.drop_index("ix_locations_account_id_id", table_name="locations")
