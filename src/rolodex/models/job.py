from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.base import Base
from rolodex.db.types import UTCDateTime
from rolodex.models._columns import Versioned, account_column, client_column, id_column


class Job(Versioned, Base):
    """A piece of work for a client, numbered per account."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("uq_jobs_account_id_number", "account_id", "number", unique=True),
        Index("ix_jobs_client_id_id", "client_id", "id"),
    )

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = account_column()
    client_id: Mapped[int] = client_column()
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    job_type: Mapped[str | None] = mapped_column(String(100))
    job_type_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(40), nullable=False, default="unscheduled")
    description: Mapped[str | None] = mapped_column(Text)
    scheduled_on: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_on: Mapped[datetime | None] = mapped_column(UTCDateTime())
