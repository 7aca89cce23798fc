from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.base import Base
from rolodex.models._columns import IdType, Versioned, account_column, client_column, id_column


class Note(Versioned, Base):
    """A note on a client, or on one of its jobs, with its author and time."""

    __tablename__ = "notes"
    __table_args__ = (
        Index("ix_notes_client_id_id", "client_id", "id"),
        Index("ix_notes_job_id", "job_id"),
    )

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = account_column()
    client_id: Mapped[int] = client_column()
    job_id: Mapped[int | None] = mapped_column(IdType, ForeignKey("jobs.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text, nullable=False)
    author: Mapped[str | None] = mapped_column(String(200))
