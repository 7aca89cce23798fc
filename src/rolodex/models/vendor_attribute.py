from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.base import Base
from rolodex.db.types import JSONDocument
from rolodex.models._columns import IdType, account_column, id_column


class VendorAttributes(Base):
    """The lossless home for fields only one vendor knows.

    A door stores, per record, the fields of its wire format that the shared model has no
    column for, and merges them back when it renders that record, so they round-trip unchanged.
    """

    __tablename__ = "vendor_attributes"
    __table_args__ = (
        Index("uq_vendor_attributes_entity", "entity", "entity_id", "vendor", unique=True),
    )

    id: Mapped[int] = id_column()
    account_id: Mapped[int] = account_column()
    entity: Mapped[str] = mapped_column(String(30), nullable=False)
    entity_id: Mapped[int] = mapped_column(IdType, nullable=False)
    # The client the record belongs to, so deleting a client takes its vendor data with it.
    client_id: Mapped[int | None] = mapped_column(
        IdType, ForeignKey("clients.id", ondelete="CASCADE"), index=True
    )
    vendor: Mapped[str] = mapped_column(String(20), nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSONDocument, nullable=False, default=dict)
