"""Locations addressed on their own, not only under their client: one by id within the account,
the primary location of each client on a page, a location added by naming its client, and a
client created together with its primary location in one transaction.

A "coded" location is the stricter kind some vendors require: a name, a 2-character state or
province code and a 2-letter ISO country code. Its other rules are the shared ones of
LOCATION_FIELDS, so it is never something another door would refuse.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from rolodex.db.prepared import Prepared, Reader
from rolodex.domain import batches, client_children, clients, owned, record_attributes
from rolodex.domain.batches import ImportRow, NewLocation
from rolodex.domain.clients import NewClient
from rolodex.domain.fields import CLIENT_FIELDS, LOCATION_FIELDS, Field, clean
from rolodex.domain.queries import CLIENT, CLIENT_BY_ID, LOCATION, Record
from rolodex.errors import NotFound, ValidationFailed
from rolodex.models import Location

REGION_CODE_RE = re.compile(r"^[A-Z0-9]{2}$")
# Prefix of the location's fields in the errors of new_client_with_primary_location.
LOCATION_PREFIX = "location"
_CLIENT_ID = {"client_id": Field("int", required=True, nullable=False)}


def clean_coded_location(fields: Mapping[str, Any]) -> dict[str, Any]:
    """LOCATION_FIELDS' rules, plus: `region` is required and a 2-character code (upper-cased),
    `country` is required. Every problem is reported at once."""
    errors: list[tuple[str, str]] = []
    data: dict[str, Any] = {}
    try:
        data = clean(LOCATION_FIELDS, fields, partial=False)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    failed = {name for name, _ in errors}
    if errors:
        # The fields that passed, so the checks below still run on them.
        data = clean(
            LOCATION_FIELDS, {k: v for k, v in fields.items() if k not in failed}, partial=True
        )
    if "region" not in failed:
        region = data.get("region")
        if region is None:
            errors.append(("region", "is required"))
        elif not REGION_CODE_RE.match(region.upper()):
            errors.append(("region", "must be a 2-character state or province code"))
        else:
            data["region"] = region.upper()
    if "country" not in failed and data.get("country") is None:
        errors.append(("country", "is required"))
    if errors:
        raise ValidationFailed(errors)
    return data


def _prefixed(prefix: str, errors: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(f"{prefix}.{name}", message) for name, message in errors]


def new_client_with_primary_location(
    new: NewClient, location: Mapping[str, Any] | None
) -> ImportRow:
    """A client and its primary (coded) location, checked as one row of the batched Core
    writes (rolodex.domain.batches.create_row writes it: both or neither). Both are checked
    before anything is written, so every problem of either is reported at once; errors about
    the location name its fields `location.<field>`, or `location` itself when it is
    missing."""
    errors: list[tuple[str, str]] = []
    try:
        clean(CLIENT_FIELDS, new.fields, partial=False)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    location_data: dict[str, Any] = {}
    if location is None:
        errors.append((LOCATION_PREFIX, "is required"))
    else:
        try:
            location_data = clean_coded_location(location)
        except ValidationFailed as exc:
            errors.extend(_prefixed(LOCATION_PREFIX, exc.errors))
    if errors:
        raise ValidationFailed(errors)
    row = batches.prepare_new(new, 0)
    row.locations.append(NewLocation({**location_data, "is_primary": True}))
    return row


def create_location(
    session: Session, account_id: int, client_id: Any, fields: Mapping[str, Any]
) -> owned.Written:
    """A coded location for the client `client_id` of the account. Unless `is_primary` says
    otherwise, it becomes the client's primary location when the client has none; a primary
    one takes the flag from the client's previous primary."""
    errors: list[tuple[str, str]] = []
    try:
        clean(_CLIENT_ID, {} if client_id is None else {"client_id": client_id}, partial=False)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    data: dict[str, Any] = {}
    try:
        data = clean_coded_location(fields)
    except ValidationFailed as exc:
        errors.extend(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    try:
        client = clients.lock_client(session, account_id, client_id)
    except NotFound:
        raise ValidationFailed.one("client_id", f"no client with id {client_id}") from None
    if "is_primary" not in data:
        data["is_primary"] = (
            session.scalar(
                select(Location.id).where(Location.client_id == client.id, Location.is_primary)
            )
            is None
        )
    created = owned.create_for(session, owned.LOCATIONS, client, data)
    return created


# --- reads -----------------------------------------------------------------------------------

LOCATION_BY_ID = Prepared(
    select(*LOCATION.cols()).where(
        Location.account_id == bindparam("account_id"), Location.id == bindparam("id")
    )
)
# The same statement the children loader runs, so one rendering of documents runs it once.
PRIMARY_LOCATIONS = client_children.PRIMARY_LOCATIONS_FOR


def location(reader: Reader, account_id: int, ident: int) -> Record:
    row = reader.one_or_none(LOCATION_BY_ID, account_id=account_id, id=ident)
    if row is None:
        raise NotFound("location", ident)
    return LOCATION.record(row)


def attach_primary_locations(
    reader: Reader, account_id: int, records: Sequence[Record], *, vendor: str | None = None
) -> None:
    """Give each client record its `primary_location` (a location record, or None when it has
    no primary location). With `vendor`, the clients and those locations also get that
    vendor's attributes (see record_attributes.attach). One round trip on PostgreSQL."""
    if not records:
        return
    results = reader.rows_many(
        primary_locations_batch(account_id, [r["id"] for r in records], vendor)
    )
    primaries = {}
    for row in results[0]:
        rec = LOCATION.record(row)
        primaries[rec["client_id"]] = rec
    extras = record_attributes.group(results[1]) if vendor is not None else {}
    for r in records:
        primary = primaries.get(r["id"])
        if vendor is not None:
            r[record_attributes.KEY] = extras.get(("client", r["id"])) or {}
            if primary is not None:
                primary[record_attributes.KEY] = extras.get(("location", primary["id"])) or {}
        r["primary_location"] = primary


def primary_locations_batch(
    account_id: int, ids: list[int], vendor: str | None = None
) -> list[tuple[Prepared, Mapping[str, Any]]]:
    """What `attach_primary_locations` runs for clients with these ids (in their order)."""
    batch: list[tuple[Prepared, Mapping[str, Any]]] = [
        (PRIMARY_LOCATIONS, {"account_id": account_id, "client_ids": ids})
    ]
    if vendor is not None:
        batch.append(record_attributes.by_client_query(ids, vendor, ("client", "location")))
    return batch


def client_with_primary_location(
    reader: Reader, account_id: int, client_id: int, *, vendor: str | None = None
) -> Record:
    """One client's own fields (none of its embedded lists) and its primary location."""
    row = reader.one_or_none(CLIENT_BY_ID, account_id=account_id, client_id=client_id)
    if row is None:
        raise NotFound("client", client_id)
    record = CLIENT.record(row)
    attach_primary_locations(reader, account_id, [record], vendor=vendor)
    return record
