"""What a write transaction changed, recorded as events (domain/events.py) just before it
commits.

Every write path notes each change it makes (`note`): a client created, updated or deleted,
a record a client owns (location, address, phone number, email address, note, job,
payment), a company, a contact. Notes are kept on the session; just before the commit, after
the documents are rendered (domain/documents.py's hook runs first), they become events in one
`events.append`, each carrying the record's state in the native API's shape: a client's
stored native document, or the record read back and shaped as native shows it. A deleted
record's state is the one read before it went (`note(..., data=...)`). A rollback drops the
notes with the rest, so no event is written for a change that did not commit.

Who made the change (`events.Actor`: door, credential, request id) comes from `ACTOR`, a
context variable the door spine sets per request (the CLI and imports set their own); writes
outside a request are the system's.

What is one event: a client created with its addresses, phones and emails is one
`client.created` (its state lists them); a client deleted is one `client.deleted` (what the
cascade took with it goes unrecorded one by one); a record whose primary flag moved to a
sibling is one event for the record written; an import writes one `client.imported` event
per batch of clients, naming their ids as runs (`id_ranges`: [[first, last], ...]); a
million-client import is about a thousand events, appended at its commit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from rolodex.db.prepared import Reader
from rolodex.domain import documents, events
from rolodex.errors import NotFound

ACTOR: ContextVar[events.Actor] = ContextVar("rolodex_actor", default=events.SYSTEM)
_KEY = "rolodex.changes"
# Record types whose state is read back and shaped as native shows it (clients are their
# stored document); the types' names are the native objects'.
OWNED_TYPES = {
    "location": "location",
    "address": "address",
    "phone number": "phone_number",
    "email address": "email_address",
    "note": "note",
    "job": "job",
    "payment": "payment",
}


@dataclass(slots=True)
class _Change:
    account_id: int
    type: str
    record_type: str
    record_id: int
    client_id: int | None
    data: Mapping[str, Any] | bytes | None
    previous: Mapping[str, Any] | None
    read: Callable[[Reader], Mapping[str, Any]] | None


def note(
    session: Session,
    account_id: int,
    record_type: str,
    action: str,
    record_id: int,
    client_id: int | None,
    *,
    data: Mapping[str, Any] | bytes | None = None,
    previous: Mapping[str, Any] | None = None,
    read: Callable[[Reader], Mapping[str, Any]] | None = None,
) -> None:
    """Record, for the commit, that this transaction `action`ed (created, updated, deleted)
    the record. Its state is `data` when given (a delete's, read before it went), else read at
    the commit: `read(reader)` for a record that is not a client, a client's native document
    for a client."""
    changes = session.info.get(_KEY)
    if changes is None:
        changes = session.info[_KEY] = []
    changes.append(
        _Change(
            account_id,
            f"{record_type}.{action}",
            record_type,
            record_id,
            client_id,
            data,
            previous,
            read,
        )
    )


def note_clients(session: Session, account_id: int, action: str, client_ids: Sequence[int]) -> None:
    for client_id in client_ids:
        note(session, account_id, "client", action, client_id, client_id)


def native_client(
    reader: Reader, account_id: int, client_id: int
) -> Mapping[str, Any] | bytes | None:
    """A client's state as the native API shows it: its stored document, or rendered from
    the tables when it has none yet; None when there is no such client."""
    found = documents.one(reader, documents.NATIVE, account_id, client_id)
    if found is not None:
        return bytes(found[0])
    from rolodex.doors.documents import native

    rendered: Mapping[str, Any] | None = native(reader, account_id, [client_id]).get(client_id)
    return rendered


def shaped(rec: Mapping[str, Any], object_name: str) -> dict[str, Any]:
    """A record as the native API shows it."""
    from rolodex.doors.native.mapping import record

    return record(dict(rec), object_name)


def _record(session: Session) -> None:
    """Before the commit, after the documents are rendered: the notes become events."""
    changes: list[_Change] | None = session.info.pop(_KEY, None)
    if not changes:
        return
    reader = Reader.within(session)
    clients = [c.record_id for c in changes if c.record_type == "client" and c.data is None]
    stored = documents.many(reader, documents.NATIVE, clients) if clients else {}
    actor = ACTOR.get()
    by_account: dict[int, list[events.NewEvent]] = {}
    for change in changes:
        data = change.data
        if data is None:
            if change.read is not None:
                try:
                    data = change.read(reader)
                except NotFound:  # created and deleted again by the same transaction
                    data = {"id": change.record_id, "object": change.record_type}
            elif change.record_type == "client":
                body = stored.get(change.record_id)
                data = (
                    bytes(body)
                    if body is not None
                    else native_client(reader, change.account_id, change.record_id) or {}
                )
            else:
                data = {}
        by_account.setdefault(change.account_id, []).append(
            events.NewEvent(
                change.type,
                change.record_type,
                change.record_id,
                change.client_id,
                data,
                change.previous,
            )
        )
    for account_id, found in by_account.items():
        events.append(session, account_id, actor, found)


def _forget(session: Session, previous: Any) -> None:
    if previous.parent is None:
        session.info.pop(_KEY, None)


# Registered after domain/documents' own hooks (imported above), so that documents are
# rendered before their state is read into events.
event.listen(Session, "before_commit", _record)
event.listen(Session, "after_soft_rollback", _forget)
