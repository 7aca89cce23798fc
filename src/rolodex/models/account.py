from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.base import Base
from rolodex.models._columns import IdType, account_column, created_column, id_column


class Account(Base):
    """A tenant. Every other row belongs to exactly one account."""

    __tablename__ = "accounts"

    id: Mapped[int] = id_column()
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    slug: Mapped[str] = mapped_column(String(63), nullable=False, unique=True)
    created_at: Mapped[datetime] = created_column()


class Credential(Base):
    """One door's credential for an account.

    `lookup` is what a request presents to find the row (a username, a public token, or the
    SHA-256 of a bearer secret); `secret_hash` is the SHA-256 of the secret part. TEvo's HMAC
    secret must stay usable for verification, so it alone is kept in `secret`.
    """

    __tablename__ = "credentials"
    __table_args__ = (UniqueConstraint("scheme", "lookup"),)

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = account_column()
    scheme: Mapped[str] = mapped_column(String(20), nullable=False)
    lookup: Mapped[str] = mapped_column(String(128), nullable=False)
    secret_hash: Mapped[str | None] = mapped_column(String(64))
    secret: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = created_column()


class Office(Base):
    """A branch of the account's business (a TEvo brokerage office). One is the default."""

    __tablename__ = "offices"
    __table_args__ = (Index("ix_offices_account_id", "account_id"),)

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = account_column()
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    is_default: Mapped[bool] = mapped_column(nullable=False, default=False)
    created_at: Mapped[datetime] = created_column()


class AccountCounter(Base):
    """Per-account sequences (client numbers, job numbers), advanced with UPDATE ... RETURNING."""

    __tablename__ = "account_counters"

    account_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(30), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
