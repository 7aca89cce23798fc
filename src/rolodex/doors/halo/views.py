"""Halo representations of a page of shared records: each page's vendor attributes (and a
site's invoice address) come in one batch, never one query per row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rolodex.db.prepared import Reader
from rolodex.domain.queries import Record
from rolodex.doors.halo import reads as account_reads
from rolodex.doors.halo.mapping import render_area, render_note, render_site
from rolodex.doors.halo.wire import INVOICE_LABEL, VENDOR

CLIENT_ENTITY = "client"
LOCATION_ENTITY = "location"
NOTE_ENTITY = "note"


def areas(
    reader: Reader,
    account_id: int,
    records: Sequence[Record],
    *,
    with_notes: bool = True,
    custom_field_ids: frozenset[str] | None = None,
) -> list[dict[str, Any]]:
    found = account_reads.vendor_attributes(
        reader, account_id, CLIENT_ENTITY, VENDOR, (r["id"] for r in records)
    )
    return [
        render_area(
            r,
            found.get(r["id"], {}),
            with_notes=with_notes,
            custom_field_ids=custom_field_ids,
        )
        for r in records
    ]


def area_attributes(reader: Reader, account_id: int, client_id: int) -> dict[str, Any]:
    found = account_reads.vendor_attributes(reader, account_id, CLIENT_ENTITY, VENDOR, [client_id])
    return found.get(client_id, {})


def sites(reader: Reader, account_id: int, records: Sequence[Record]) -> list[dict[str, Any]]:
    ids = [r["id"] for r in records]
    found = account_reads.vendor_attributes(reader, account_id, LOCATION_ENTITY, VENDOR, ids)
    invoices = account_reads.addresses_labelled(reader, account_id, ids, INVOICE_LABEL)
    return [render_site(r, found.get(r["id"], {}), invoices.get(r["id"])) for r in records]


def notes(reader: Reader, account_id: int, records: Sequence[Record]) -> list[dict[str, Any]]:
    found = account_reads.vendor_attributes(
        reader, account_id, NOTE_ENTITY, VENDOR, (r["id"] for r in records)
    )
    return [render_note(r, found.get(r["id"], {})) for r in records]


def one_or_many(items: list[dict[str, Any]]) -> Any:
    """A POST answers with the object it wrote, or with all of them, in the order sent, when
    its array held more than one."""
    return items[0] if len(items) == 1 else items
