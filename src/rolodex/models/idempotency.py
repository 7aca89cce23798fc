from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.base import Base
from rolodex.db.types import JSONDocument
from rolodex.models._columns import account_column, created_column, id_column


class IdempotencyKey(Base):
    """A POST's answer, kept under its Idempotency-Key so a retry replays it."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        Index("uq_idempotency_keys_account_id_key", "account_id", "key", unique=True),
    )

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = account_column()
    key: Mapped[str] = mapped_column(String(255), nullable=False)
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    status_code: Mapped[int | None] = mapped_column(Integer)
    headers: Mapped[dict[str, Any]] = mapped_column(JSONDocument, nullable=False, default=dict)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = created_column()
