from __future__ import annotations

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.base import Base
from rolodex.models._columns import Versioned, account_column, id_column


class Company(Versioned, Base):
    __tablename__ = "companies"
    __table_args__ = (Index("ix_companies_account_id_name", "account_id", "name"),)

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = account_column()
    name: Mapped[str] = mapped_column(String(200), nullable=False)
