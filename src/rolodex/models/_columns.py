"""Column shapes shared by the owned tables."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Integer
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from rolodex.db.types import UTCDateTime, utcnow

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
IdType = BigInteger().with_variant(Integer(), "sqlite")


def id_column() -> Mapped[int]:
    return mapped_column(IdType, primary_key=True, autoincrement=True)


def account_column() -> Mapped[int]:
    return mapped_column(
        IdType, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=False
    )


def client_column() -> Mapped[int]:
    """The client a row belongs to; deleting the client deletes the row."""
    return mapped_column(IdType, ForeignKey("clients.id", ondelete="CASCADE"), nullable=False)


def created_column() -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), nullable=False, default=utcnow)


class Versioned:
    """The stamps of a row the doors edit, and its version: every UPDATE checks and bumps it, so
    a write made from a stale read fails instead of overwriting the newer one (it is also the
    native ETag). Declarative puts a mixin's columns after the class's own, so these stay last."""

    created_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}
