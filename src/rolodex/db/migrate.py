"""Run the Alembic migrations programmatically."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

# Schema objects the migrations make that the ORM models do not describe (the SQLite
# full-text table behind substring search and its shadow tables; the trigram index).
UNMODELLED_PREFIXES = ("clients_search", "ix_clients_search_text_trgm")


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    return not (name or "").startswith(UNMODELLED_PREFIXES)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", "rolodex:migrations")
    return config


def upgrade(engine: Engine, revision: str = "head", *, backlog: bool = True) -> None:
    """Migrate to `revision`; at the head, render the documents the database lacks (all of
    them again when the renderers changed) and, with `backlog`, the document backlog."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    if revision == "head":
        from rolodex.domain import documents

        documents.ensure_current(engine, backlog=backlog)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
