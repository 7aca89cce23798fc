from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.base import Base
from rolodex.db.types import Money
from rolodex.models._columns import IdType, Versioned, account_column, client_column, id_column


class Payment(Versioned, Base):
    __tablename__ = "payments"
    __table_args__ = (Index("ix_payments_client_id_id", "client_id", "id"),)

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = account_column()
    client_id: Mapped[int] = client_column()
    amount: Mapped[Decimal] = mapped_column(Money(), nullable=False)
    date: Mapped[date] = mapped_column(Date, nullable=False)
    payment_type: Mapped[str | None] = mapped_column(String(100))
    reference: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)


class PaymentApplication(Base):
    """The part of a payment applied to one job."""

    __tablename__ = "payment_applications"
    __table_args__ = (
        Index("ix_payment_applications_payment_id", "payment_id"),
        Index("ix_payment_applications_job_id", "job_id"),
    )

    id: Mapped[int] = id_column()
    payment_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("payments.id", ondelete="CASCADE"), nullable=False
    )
    job_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False
    )
    amount: Mapped[Decimal] = mapped_column(Money(), nullable=False)
