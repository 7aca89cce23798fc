"""A backlog of clients whose documents a bulk write left for after its commit

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

A create (a batch, a single one) or an import writes its rows and, in the same transaction,
the id ranges of the clients whose documents are still to be rendered (`document_backlog`).
A renderer (beside `rolodex serve`, after `rolodex import`, `rolodex documents render`,
`rolodex db upgrade`) renders them and deletes the range in the transaction that stores them,
so a crash anywhere loses nothing; reads render such clients from the tables meanwhile (see
rolodex.domain.documents).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "document_backlog",
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("first_id", ID, nullable=False),
        sa.Column("last_id", ID, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_backlog")),
    )


def downgrade() -> None:
    op.drop_table("document_backlog")
