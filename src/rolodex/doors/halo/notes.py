"""CRM notes ("AreaNote"): the shared model's client notes, so a note written here is a client
note through every door."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from rolodex.db.prepared import Reader
from rolodex.domain import owned, vendor_data
from rolodex.doors.halo import reads as account_reads
from rolodex.doors.halo import views
from rolodex.doors.halo.errors import halo_names
from rolodex.doors.halo.http import Call, Reply
from rolodex.doors.halo.mapping import MISSING, parse_note
from rolodex.doors.halo.params import paging_from
from rolodex.doors.halo.wire import NOTE_ERROR_NAMES, VENDOR
from rolodex.errors import NotFound, ValidationFailed
from rolodex.models import Note


def list_notes(reader: Reader, call: Call) -> Reply:
    """A bare array of notes, newest first (`count` takes the first N), as Halo documents no
    envelope for them; with `pageinate=true`, a page of them in the envelope Halo's other
    lists use, `{page_no, page_size, record_count, notes}`, so a client paging by
    `record_count` knows when it has them all."""
    q = call.query
    paging = paging_from(q)
    total, records = account_reads.note_summaries(
        reader,
        call.account_id,
        client_id=q.integer("client_id"),
        company_id=q.integer("toplevel_id"),
        window=paging.window,
        count=paging.page_no is not None,
    )
    rows = views.notes(reader, call.account_id, records)
    if paging.page_no is None:
        return Reply(rows)
    return Reply(paging.envelope("notes", total, rows))


def get_note(reader: Reader, call: Call) -> Reply:
    ident = call.path_id("CRM note")
    records = account_reads.notes_by_id(reader, call.account_id, [ident])
    return Reply(views.notes(reader, call.account_id, records)[0])


def _owner(reader: Reader, account_id: int, ident: int) -> int:
    try:
        return account_reads.owner_of(reader, Note, "CRM note", account_id, ident)
    except NotFound:
        raise NotFound("CRM note", ident) from None


def delete_note(session: Session, call: Call) -> Reply:
    ident = call.path_id("CRM note")
    client_id = _owner(Reader.within(session), call.account_id, ident)
    owned.delete_owned(session, owned.NOTES, call.account_id, client_id, ident)
    return Reply(None)


def upsert_notes(session: Session, call: Call) -> Reply:
    ids = [
        _write_note(session, call.account_id, element, prefix=call.at(index))
        for index, element in enumerate(call.body)
    ]
    reader = Reader.within(session)
    records = account_reads.notes_by_id(reader, call.account_id, ids)
    return Reply(views.one_or_many(views.notes(reader, call.account_id, records)), 201)


def _write_note(session: Session, account_id: int, element: dict[str, Any], *, prefix: str) -> int:
    with halo_names(NOTE_ERROR_NAMES, prefix):
        note = parse_note(element)
        if note.ident is None:
            if note.client_id in (MISSING, None):
                raise ValidationFailed.one("client_id", "is required: the client the note is on")
            client_id = note.client_id
            try:
                created = owned.create_owned(
                    session, owned.NOTES, account_id, client_id, note.fields
                )
            except NotFound as exc:
                if exc.entity != "client":
                    raise
                raise ValidationFailed.one("client_id", f"no client with id {client_id}") from None
            ident = int(created.id)
        else:
            ident = note.ident
            client_id = _owner(Reader.within(session), account_id, ident)
            if note.client_id not in (MISSING, None) and note.client_id != client_id:
                raise ValidationFailed.one(
                    "client_id", f"note {ident} is on client {client_id}; notes cannot move"
                )
            if note.fields:
                owned.update_owned(session, owned.NOTES, account_id, client_id, ident, note.fields)
    vendor_data.merge(
        session,
        account_id=account_id,
        entity=views.NOTE_ENTITY,
        entity_id=ident,
        vendor=VENDOR,
        attributes=note.attributes,
        client_id=client_id,
        replace=note.ident is None,
    )
    return ident
