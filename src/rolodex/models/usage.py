"""Requests per door: how many requests each account made through each door in each hour."""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.base import Base
from rolodex.models._columns import IdType


class RequestCount(Base):
    """One (account, door, hour) and its count of authenticated requests. `hour` is hours since
    the Unix epoch (UTC). Rows are added to by each server process every few seconds
    (rolodex.domain.usage), never read on a request's path."""

    __tablename__ = "request_counts"

    account_id: Mapped[int] = mapped_column(
        IdType,
        ForeignKey("accounts.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    )
    door: Mapped[str] = mapped_column(String(20), primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(BigInteger, nullable=False)
