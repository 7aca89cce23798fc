from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.base import Base
from rolodex.db.types import UTCDateTime
from rolodex.models._columns import IdType, account_column, id_column


class Event(Base):
    """One change to one record, through any door, written in the transaction that made it
    (rolodex.domain.events). `client_id` is no foreign key: a client's history outlives it.

    `data` is the record as the native API shows it after the change (before it, for a
    delete), `previous` the former values of the fields an update changed; both JSON text,
    sent on as they are stored. Ids are never reused (AUTOINCREMENT on SQLite), so a reader
    paging the feed by id can never be passed by a new event with an old id."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_account_id_id", "account_id", "id"),
        Index("ix_events_account_id_client_id_id", "account_id", "client_id", "id"),
        Index("ix_events_account_id_type_id", "account_id", "type", "id"),
        Index(
            "ix_events_account_id_record_type_record_id_id",
            "account_id",
            "record_type",
            "record_id",
            "id",
        ),
        Index("ix_events_occurred_at", "occurred_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = account_column()
    type: Mapped[str] = mapped_column(String(60), nullable=False)
    record_type: Mapped[str] = mapped_column(String(30), nullable=False)
    record_id: Mapped[int] = mapped_column(IdType, nullable=False)
    client_id: Mapped[int | None] = mapped_column(IdType)
    door: Mapped[str] = mapped_column(String(16), nullable=False)
    credential: Mapped[str | None] = mapped_column(String(100))
    request_id: Mapped[str | None] = mapped_column(String(100))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    data: Mapped[str] = mapped_column(Text, nullable=False)
    previous: Mapped[str | None] = mapped_column(Text)
