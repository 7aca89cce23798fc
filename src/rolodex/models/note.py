from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.base import Base
from rolodex.models._columns import (
    IdType,
    account_column,
    created_column,
    id_column,
    updated_column,
    version_column,
)


class Note(Base):
    """A note on a client, or on one of its jobs, with its author and time."""

    __tablename__ = "notes"
    __table_args__ = (
        Index("ix_notes_client_id_id", "client_id", "id"),
        Index("ix_notes_job_id", "job_id"),
    )

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = account_column()
    client_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("clients.id", ondelete="CASCADE"), nullable=False
    )
    job_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("jobs.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text, nullable=False)
    author: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime] = updated_column()
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}
