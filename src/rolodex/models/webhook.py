from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.base import Base
from rolodex.db.types import UTCDateTime
from rolodex.models._columns import (
    IdType,
    Versioned,
    account_column,
    created_column,
    id_column,
)

# An open delivery (pending, or out with a worker) has a time it is next due; a closed one
# (succeeded, failed) has none. The queue's indexes hold open deliveries only, so they stay
# small however long the log grows; SQLite uses them for any comparison on the column.
OPEN = text("next_attempt_at IS NOT NULL")


class WebhookEndpoint(Versioned, Base):
    """Where an account's events are sent. `event_types` is `*` (all) or a comma-separated
    list of types and `record_type.*` patterns; `secret` is the signing secret, encrypted
    (rolodex.webhooks.sealing). `failing_since` is the first failed attempt since the last
    success; an endpoint failing for longer than a setting's days is disabled, saying why."""

    __tablename__ = "webhook_endpoints"
    __table_args__ = (Index("ix_webhook_endpoints_account_id", "account_id"),)

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = account_column()
    url: Mapped[str] = mapped_column(String(2048), nullable=False)
    event_types: Mapped[str] = mapped_column(String(2000), nullable=False, default="*")
    enabled: Mapped[bool] = mapped_column(nullable=False, default=True)
    description: Mapped[str | None] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(Text, nullable=False)
    disabled_reason: Mapped[str | None] = mapped_column(String(500))
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WebhookDelivery(Base):
    """One event for one endpoint: pending until an attempt succeeds or the retry schedule is
    spent. `client_id` is the event's client (0 for none): deliveries of one endpoint and
    client go out in event order, each only once the one before it is closed."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("uq_webhook_deliveries_event_id_endpoint_id", "event_id", "endpoint_id", unique=True),
        Index("ix_webhook_deliveries_endpoint_id_id", "endpoint_id", "id"),
        Index(
            "ix_webhook_deliveries_due",
            "next_attempt_at",
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        ),
        Index(
            "ix_webhook_deliveries_queue",
            "endpoint_id",
            "client_id",
            "event_id",
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        ),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = id_column()
    endpoint_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), nullable=False
    )
    event_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("events.id", ondelete="CASCADE"), nullable=False
    )
    client_id: Mapped[int] = mapped_column(IdType, nullable=False, default=0)
    # pending, delivering (a worker has it, until next_attempt_at), succeeded, failed
    status: Mapped[str] = mapped_column(String(12), nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = created_column()


class WebhookAttempt(Base):
    """One HTTP attempt of a delivery, for its log: when, the answer's status code or what
    went wrong, how long it took."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (Index("ix_webhook_attempts_delivery_id_id", "delivery_id", "id"),)

    id: Mapped[int] = id_column()
    delivery_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), nullable=False
    )
    attempt: Mapped[int] = mapped_column(Integer, nullable=False)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(500))
    duration_ms: Mapped[int] = mapped_column(Integer, nullable=False)
