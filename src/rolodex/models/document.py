from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from rolodex.db.base import Base
from rolodex.models._columns import IdType


class ClientDocument(Base):
    """A client as one door shows it, rendered when the client changed (rolodex.documents).

    The tables stay the source of truth: a document is their rendering, rewritten in the same
    transaction as every change that alters it, so a read is one indexed lookup and a copy of
    bytes. `kind` names the rendering (a door, or a door's list row where that differs from its
    GET), `version` is the client's version when it was rendered (the native ETag).
    """

    __tablename__ = "client_documents"

    client_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    account_id: Mapped[int] = mapped_column(IdType, nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    body: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class DocumentBacklog(Base):
    """Clients whose documents a bulk write left to be rendered after its commit: the ids
    `first_id` to `last_id` (those that still exist). Written in the bulk write's own
    transaction, so a backlog is never lost, and removed by the transaction that stores the
    documents (rolodex.domain.documents.drain). Reads render such clients from the tables
    until then."""

    __tablename__ = "document_backlog"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=True)
    first_id: Mapped[int] = mapped_column(IdType, nullable=False)
    last_id: Mapped[int] = mapped_column(IdType, nullable=False)
