"""Vendor attributes die with their record

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

A record's vendor attributes (vendor_attributes, keyed by entity and id, so no foreign key can
hold them) are deleted by a trigger on the record's table, in the same statement that deletes the
record: through any door, and when a database cascade deletes it (a job's notes with the job, a
client's everything with the client). Before, only the doors that remembered to forget them did,
and readers guarded against a new record inheriting a deleted one's attributes through a reused
id (SQLite may hand out the highest deleted id again). This removes what such deletes left
behind, and the creation-time stamp one of those guards kept in the attributes.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The entity name each table's rows are stored under.
ENTITIES = {
    "clients": "client",
    "locations": "location",
    "contacts": "contact",
    "notes": "note",
    "jobs": "job",
    "payments": "payment",
}
STAMP = "_record_created_at"
FUNCTION = "forget_vendor_attributes"


def _trigger(table: str) -> str:
    return f"{table}_forget_vendor_attributes"


def upgrade() -> None:
    bind = op.get_bind()
    for table, entity in ENTITIES.items():
        op.execute(
            f"DELETE FROM vendor_attributes WHERE entity = '{entity}' AND NOT EXISTS "
            f"(SELECT 1 FROM {table} WHERE {table}.id = vendor_attributes.entity_id)"
        )
    if bind.dialect.name == "sqlite":
        op.execute(
            f"UPDATE vendor_attributes SET data = json_remove(data, '$.{STAMP}') "
            f"WHERE json_type(data, '$.{STAMP}') IS NOT NULL"
        )
        for table, entity in ENTITIES.items():
            op.execute(
                f"CREATE TRIGGER {_trigger(table)} AFTER DELETE ON {table} BEGIN "
                f"DELETE FROM vendor_attributes WHERE entity = '{entity}' "
                "AND entity_id = old.id; END"
            )
    elif bind.dialect.name == "postgresql":
        op.execute(f"UPDATE vendor_attributes SET data = data - '{STAMP}' WHERE data ? '{STAMP}'")
        op.execute(
            f"CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN DELETE FROM vendor_attributes "
            "WHERE entity = TG_ARGV[0] AND entity_id = OLD.id; RETURN OLD; END $$"
        )
        for table, entity in ENTITIES.items():
            op.execute(
                f"CREATE TRIGGER {_trigger(table)} AFTER DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}('{entity}')"
            )


def downgrade() -> None:
    bind = op.get_bind()
    for table in ENTITIES:
        if bind.dialect.name == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {_trigger(table)}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {_trigger(table)} ON {table}")
    if bind.dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
