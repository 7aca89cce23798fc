"""What each door shows of a client, rendered from the tables for `client_documents`
(rolodex.domain.documents): one renderer per kind, each taking a batch of one account's
clients and doing what that door's GET did per request, so a stored document is exactly the
body the door used to build.

Kinds: one per door (its GET of one client, which its lists show too), and `halo_row`, the
Area as Halo's list shows it (no notes, no custom fields).
"""

from __future__ import annotations

from typing import Any

from rolodex.db.prepared import Reader
from rolodex.domain import client_children, locations
from rolodex.domain.documents import NATIVE, PREFETCH, RENDERERS, once
from rolodex.doors.halo import reads as account_reads
from rolodex.doors.halo.mapping import render_area
from rolodex.doors.halo.views import CLIENT_ENTITY
from rolodex.doors.halo.wire import VENDOR as HALO
from rolodex.doors.kickserv import reads as customer_reads
from rolodex.doors.kickserv import render as kickserv_render
from rolodex.doors.kickserv.wire import VENDOR as KICKSERV
from rolodex.doors.native import mapping as native_mapping
from rolodex.doors.tevo import render as tevo_render
from rolodex.doors.tevo.wire import VENDOR as TEVO
from rolodex.doors.trackops import mapping as trackops_mapping
from rolodex.doors.trackops.wire import VENDOR as TRACKOPS

# Raise it whenever a renderer below (or anything it calls) changes what it renders: a database
# whose documents were rendered by another version has them all rendered again on upgrade.
VERSION = 1

TRACKOPS_KIND = "trackops"
TEVO_KIND = "tevo"
HALO_KIND = "halo"
HALO_ROW = "halo_row"
KICKSERV_KIND = "kickserv"


def native(reader: Reader, account_id: int, ids: list[int]) -> dict[int, Any]:
    records = client_children.clients_by_ids(reader, account_id, ids)
    client_children.load(reader, account_id, records, client_children.NATIVE)
    return {r["id"]: native_mapping.client(r) for r in records}


def trackops(reader: Reader, account_id: int, ids: list[int]) -> dict[int, Any]:
    records = client_children.clients_by_ids(reader, account_id, ids)
    locations.attach_primary_locations(reader, account_id, records, vendor=TRACKOPS)
    return {r["id"]: trackops_mapping.client(r) for r in records}


def tevo(reader: Reader, account_id: int, ids: list[int]) -> dict[int, Any]:
    records = client_children.clients_by_ids(reader, account_id, ids)
    client_children.load(reader, account_id, records, tevo_render.PARTS, vendor=TEVO)
    return {r["id"]: tevo_render.client(r) for r in records}


def _halo(reader: Reader, account_id: int, ids: list[int]) -> tuple[list[Any], dict[int, Any]]:
    records = account_reads.client_summaries_by_id(reader, account_id, ids)
    attrs = account_reads.vendor_attributes(reader, account_id, CLIENT_ENTITY, HALO, ids)
    return records, attrs


def halo(reader: Reader, account_id: int, ids: list[int]) -> dict[int, Any]:
    def make() -> dict[int, Any]:
        records, attrs = _halo(reader, account_id, ids)
        return {r["id"]: render_area(r, attrs.get(r["id"], {})) for r in records}

    return once(reader, ("halo", account_id, tuple(ids)), make)


# What Halo's list leaves out of the Area its GET shows.
ROW_OMITS = frozenset({"notes", "customfields"})


def halo_row(reader: Reader, account_id: int, ids: list[int]) -> dict[int, Any]:
    """The Area as a list shows it: the GET's, without its notes and custom fields."""
    return {
        client_id: {k: v for k, v in area.items() if k not in ROW_OMITS}
        for client_id, area in halo(reader, account_id, ids).items()
    }


def kickserv(reader: Reader, account_id: int, ids: list[int]) -> dict[int, Any]:
    records = client_children.clients_by_ids(reader, account_id, ids)
    client_children.load(reader, account_id, records, customer_reads.DETAILS, vendor=KICKSERV)
    return {r["id"]: kickserv_render.customer(r) for r in records}


def prefetch(account_id: int, ids: list[int]) -> list[Any]:
    """What the renderers above read that needs only the ids: one batch before them."""
    parts = {*client_children.NATIVE, *tevo_render.PARTS, *customer_reads.DETAILS}
    parts -= {"company", "office"}  # these need the clients' rows
    return [
        *client_children.prefetch(account_id, ids, parts, vendors=(TEVO, KICKSERV)),
        *account_reads.prefetch_client_summaries(account_id, ids, HALO),
        *locations.primary_locations_batch(account_id, ids, TRACKOPS),
    ]


PREFETCH.append(prefetch)
RENDERERS.update(
    {
        NATIVE: native,
        TRACKOPS_KIND: trackops,
        TEVO_KIND: tevo,
        HALO_KIND: halo,
        HALO_ROW: halo_row,
        KICKSERV_KIND: kickserv,
    }
)
