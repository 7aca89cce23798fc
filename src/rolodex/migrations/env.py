"""Alembic environment. Rolodex runs migrations in-process (`rolodex db upgrade`, `serve`, the
tests), handing over an open connection; the alembic CLI works too with `-x url=...`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import rolodex.models  # noqa: F401  (registers every table)
from rolodex.db.base import Base
from rolodex.db.engine import create_db_engine
from rolodex.db.migrate import include_name

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or context.config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("pass the database with: alembic -x url=sqlite:///rolodex.db upgrade head")
    engine = create_db_engine(url)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()


run()
