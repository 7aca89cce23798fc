"""Column shapes shared by the owned tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.types import UTCDateTime, utcnow

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
IdType = BigInteger().with_variant(Integer(), "sqlite")


def id_column() -> Mapped[int]:
    return mapped_column(IdType, primary_key=True, autoincrement=True)


def account_column() -> Mapped[int]:
    return mapped_column(
        IdType, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=False
    )


def created_column() -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), nullable=False, default=utcnow)


def updated_column() -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow)


def version_column() -> Mapped[int]:
    return mapped_column(Integer, nullable=False, default=1)
