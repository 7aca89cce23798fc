"""Addresses, phone numbers and email addresses: owned by a client, optionally by one of its
locations. Each client has at most one primary of each (and one primary billing and one primary
shipping address), enforced by partial unique indexes."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.base import Base
from rolodex.models._columns import IdType, Versioned, account_column, client_column, id_column


def _one_per_client(table: str, flag: str) -> Index:
    return Index(
        f"uq_{table}_{flag}_per_client",
        "client_id",
        unique=True,
        sqlite_where=text(flag),
        postgresql_where=text(flag),
    )


def _location_fk() -> Mapped[int | None]:
    return mapped_column(IdType, ForeignKey("locations.id", ondelete="CASCADE"))


class Address(Versioned, Base):
    __tablename__ = "addresses"
    __table_args__ = (
        Index("ix_addresses_client_id", "client_id"),
        Index("ix_addresses_location_id", "location_id"),
        _one_per_client("addresses", "is_primary"),
        _one_per_client("addresses", "is_primary_billing"),
        _one_per_client("addresses", "is_primary_shipping"),
    )

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = account_column()
    client_id: Mapped[int] = client_column()
    location_id: Mapped[int | None] = _location_fk()
    label: Mapped[str | None] = mapped_column(String(50))
    name: Mapped[str | None] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(String(200))
    line1: Mapped[str | None] = mapped_column(String(200))
    line2: Mapped[str | None] = mapped_column(String(200))
    line3: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))
    po_box: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    is_primary: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_primary_billing: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    is_primary_shipping: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class PhoneNumber(Versioned, Base):
    __tablename__ = "phone_numbers"
    __table_args__ = (
        Index("ix_phone_numbers_client_id", "client_id"),
        Index("ix_phone_numbers_location_id", "location_id"),
        _one_per_client("phone_numbers", "is_primary"),
    )

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = account_column()
    client_id: Mapped[int] = client_column()
    location_id: Mapped[int | None] = _location_fk()
    label: Mapped[str | None] = mapped_column(String(50))
    country_code: Mapped[str | None] = mapped_column(String(5))
    area_code: Mapped[str | None] = mapped_column(String(10))
    number: Mapped[str] = mapped_column(String(40), nullable=False)
    extension: Mapped[str | None] = mapped_column(String(20))
    is_primary: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)


class EmailAddress(Versioned, Base):
    __tablename__ = "email_addresses"
    __table_args__ = (
        Index("ix_email_addresses_client_id", "client_id"),
        Index("ix_email_addresses_location_id", "location_id"),
        _one_per_client("email_addresses", "is_primary"),
    )

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = account_column()
    client_id: Mapped[int] = client_column()
    location_id: Mapped[int | None] = _location_fk()
    label: Mapped[str | None] = mapped_column(String(50))
    address: Mapped[str] = mapped_column(String(254), nullable=False)
    is_primary: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
