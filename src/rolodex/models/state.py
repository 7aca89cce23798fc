from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.base import Base


class StoredState(Base):
    """Facts about the database as a whole, by name: which renderer version wrote the client
    documents (`documents`), so a release that renders differently re-renders them."""

    __tablename__ = "rolodex_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), nullable=False)
