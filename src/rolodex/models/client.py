from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.base import Base
from rolodex.db.types import JSONDocument, Money
from rolodex.models._columns import IdType, Versioned, account_column, id_column


class Client(Versioned, Base):
    """An organization or a person the account does business with."""

    __tablename__ = "clients"
    __table_args__ = (
        Index("ix_clients_account_id_id", "account_id", "id"),
        Index("uq_clients_account_id_number", "account_id", "number", unique=True),
        Index("ix_clients_account_id_name_id", "account_id", "name", "id"),
        Index("ix_clients_account_id_created_at_id", "account_id", "created_at", "id"),
        Index("ix_clients_account_id_updated_at_id", "account_id", "updated_at", "id"),
        Index("uq_clients_account_id_external_id", "account_id", "external_id", unique=True),
        Index("ix_clients_account_id_account_code", "account_id", "account_code"),
        Index("ix_clients_account_id_company_id", "account_id", "company_id"),
        # The inactive filter, in the list's sorts by name, id and creation (migration 0010).
        Index("ix_clients_account_id_inactive_name_id", "account_id", "inactive", "name", "id"),
        Index("ix_clients_account_id_inactive_id", "account_id", "inactive", "id"),
        Index(
            "ix_clients_account_id_inactive_created_at_id",
            "account_id",
            "inactive",
            "created_at",
            "id",
        ),
    )

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = account_column()
    # The per-account customer number people see (Kickserv addresses customers by it).
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="organization")
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    account_code: Mapped[str | None] = mapped_column(String(100))
    external_id: Mapped[str | None] = mapped_column(String(100))
    website: Mapped[str | None] = mapped_column(String(500))
    invoice_email: Mapped[str | None] = mapped_column(String(254))
    case_policy: Mapped[str | None] = mapped_column(Text)
    invoice_policy: Mapped[str | None] = mapped_column(Text)
    update_policy: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    invoice_reminders: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    show_location_on_invoice: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    company_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("companies.id", ondelete="SET NULL")
    )
    office_id: Mapped[int] = mapped_column(IdType, ForeignKey("offices.id"), nullable=False)
    salesperson_id: Mapped[int | None] = mapped_column(Integer)
    case_manager_id: Mapped[int | None] = mapped_column(Integer)
    inactive: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    balance: Mapped[Decimal] = mapped_column(Money(), nullable=False, default=Decimal(0))
    custom_fields: Mapped[dict[str, Any]] = mapped_column(
        JSONDocument, nullable=False, default=dict
    )
    # Lower-cased names, email addresses and phone digits: what `q` searches.
    search_text: Mapped[str] = mapped_column(Text, nullable=False, default="")


class ClientTag(Base):
    __tablename__ = "client_tags"
    __table_args__ = (
        Index("ix_client_tags_account_id_tag_client_id", "account_id", "tag", "client_id"),
    )

    client_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)
    account_id: Mapped[int] = account_column()
