from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.base import Base
from rolodex.models._columns import (
    account_column,
    created_column,
    id_column,
    updated_column,
    version_column,
)


class Company(Base):
    __tablename__ = "companies"
    __table_args__ = (Index("ix_companies_account_id_name", "account_id", "name"),)

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = account_column()
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    created_at: Mapped[datetime] = created_column()
    updated_at: Mapped[datetime] = updated_column()
    version: Mapped[int] = version_column()

    __mapper_args__ = {"version_id_col": version}
