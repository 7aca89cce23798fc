from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.base import Base
from rolodex.db.types import UTCDateTime
from rolodex.models._columns import account_column, created_column, id_column


class AccessToken(Base):
    """A short-lived bearer token issued by a door's token endpoint (HaloPSA's OAuth2 client
    credentials flow). Only the SHA-256 of the token is kept; any app process can check it."""

    __tablename__ = "access_tokens"
    __table_args__ = (
        Index("uq_access_tokens_token_hash", "token_hash", unique=True),
        Index("ix_access_tokens_expires_at", "expires_at"),
    )

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = account_column()
    scheme: Mapped[str] = mapped_column(String(20), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    scope: Mapped[str | None] = mapped_column(String(500))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    created_at: Mapped[datetime] = created_column()
