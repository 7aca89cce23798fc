from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.base import Base
from rolodex.models._columns import IdType, Versioned, account_column, client_column, id_column


class Contact(Versioned, Base):
    """A person at one of a client's locations (Trackops "client contacts" always belong to a
    location, never to the top-level client)."""

    __tablename__ = "contacts"
    __table_args__ = (
        Index("ix_contacts_client_id_id", "client_id", "id"),
        Index("ix_contacts_location_id", "location_id"),
        Index("ix_contacts_account_id_id", "account_id", "id"),
    )

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = account_column()
    client_id: Mapped[int] = client_column()
    location_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("locations.id", ondelete="CASCADE"), nullable=False
    )
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    mobile: Mapped[str | None] = mapped_column(String(40))
    role_id: Mapped[int | None] = mapped_column(Integer)
    salesperson_id: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
