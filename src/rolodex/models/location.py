from __future__ import annotations

from sqlalchemy import Boolean, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.base import Base
from rolodex.models._columns import Versioned, account_column, client_column, id_column


class Location(Versioned, Base):
    """A site or branch of a client, with its own street address and phones."""

    __tablename__ = "locations"
    __table_args__ = (
        Index("ix_locations_account_id_client_id", "account_id", "client_id"),
        Index("ix_locations_account_id_id", "account_id", "id"),
        # At most one primary location per client, whatever races the writers run. On SQLite
        # the condition is written as queries write it (`= 1`), or no query could use the
        # index to find a client's primary location (migration 0008).
        Index(
            "uq_locations_primary_per_client",
            "client_id",
            unique=True,
            sqlite_where=text("is_primary = 1"),
            postgresql_where=text("is_primary"),
        ),
    )

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = account_column()
    client_id: Mapped[int] = client_column()
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    is_primary: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    line1: Mapped[str | None] = mapped_column(String(200))
    line2: Mapped[str | None] = mapped_column(String(200))
    line3: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))
    phone: Mapped[str | None] = mapped_column(String(40))
    phone_secondary: Mapped[str | None] = mapped_column(String(40))
    fax: Mapped[str | None] = mapped_column(String(40))
    invoice_email: Mapped[str | None] = mapped_column(String(254))
    case_policy: Mapped[str | None] = mapped_column(Text)
    invoice_policy: Mapped[str | None] = mapped_column(Text)
    update_policy: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
