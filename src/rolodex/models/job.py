from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.base import Base
from rolodex.db.types import UTCDateTime
from rolodex.models._columns import (
    IdType,
    account_column,
    created_column,
    id_column,
    updated_column,
    version_column,
)


class Job(Base):
    """A piece of work for a client, numbered per account."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("uq_jobs_account_id_number", "account_id", "number", unique=True),
        Index("ix_jobs_client_id_id", "client_id", "id"),
    )

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = account_column()
    client_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("clients.id", ondelete="CASCADE"), nullable=False
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    job_type: Mapped[str | None] = mapped_column(String(100))
    job_type_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(40), nullable=False, default="unscheduled")
    description: Mapped[str | None] = mapped_column(Text)
    scheduled_on: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_on: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime] = updated_column()
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}
