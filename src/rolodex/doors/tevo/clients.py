"""/v9/clients: list, show, create (a batch), update."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy.orm import Session

from rolodex.db.prepared import Reader
from rolodex.domain import (
    batches,
    client_children,
    clients,
    companies,
    documents,
    owned,
    queries,
    vendor_data,
)
from rolodex.domain.batches import ImportRow
from rolodex.domain.clients import NewClient
from rolodex.domain.fields import COMPANY_FIELDS, clean
from rolodex.doors.documents import TEVO_KIND, tevo
from rolodex.doors.tevo import mapping, params, render
from rolodex.doors.tevo.errors import Unprocessable, rails_errors, wire_field
from rolodex.doors.tevo.http import Call, Reply
from rolodex.doors.tevo.mapping import ClientWrite, Problems
from rolodex.doors.tevo.wire import ADDRESS_ERRORS, CLIENT_ERRORS, PRIMARY_PICKS, VENDOR
from rolodex.errors import NotFound, ValidationFailed

NESTED_ERRORS = {"addresses": ADDRESS_ERRORS, "phone_numbers": {}, "email_addresses": {}}
OWNED_KINDS = {
    "addresses": owned.ADDRESSES,
    "phone_numbers": owned.PHONE_NUMBERS,
    "email_addresses": owned.EMAIL_ADDRESSES,
}
PICK_NAMES = {pick: key for key, pick in PRIMARY_PICKS.items()}


def _wire_name(field: str) -> str:
    return wire_field(field, CLIENT_ERRORS, NESTED_ERRORS)


def render_clients(reader: Reader, account_id: int, records: list[dict[str, Any]]) -> list[Any]:
    client_children.load(reader, account_id, records, render.PARTS, vendor=VENDOR)
    return [render.client(r) for r in records]


def read_client(reader: Reader, account_id: int, client_id: int) -> dict[str, Any]:
    records = client_children.clients_by_ids(reader, account_id, [client_id])
    if not records:
        raise NotFound("client", client_id)
    out: dict[str, Any] = render_clients(reader, account_id, records)[0]
    return out


async def list_clients(call: Call) -> Reply:
    page, per_page = params.paging(call.query)
    name = call.query.get("name")
    filters: dict[str, Any] = {
        "name": name if name else None,
        "office_id": params.query_id(call.query, "office_id"),
        "company_id": params.query_id(call.query, "company_id"),
        **params.time_filters(call.query),
    }

    def read(reader: Reader) -> dict[str, Any]:
        found = params.CLIENTS
        records = found.page(reader, call.account_id, filters, page=page, per_page=per_page)
        total = found.count(reader, call.account_id, filters)
        items = documents.fragments(
            reader,
            TEVO_KIND,
            [r["id"] for r in records],
            lambda missing: tevo(reader, call.account_id, missing),
        )
        return render.page("clients", items, page, per_page, total)

    return Reply(await call.read(read))


async def show_client(call: Call) -> Reply:
    client_id = call.ident("client_id", "client")

    def read(reader: Reader) -> Any:
        found = documents.one(reader, TEVO_KIND, call.account_id, client_id)
        if found is not None:
            return orjson.Fragment(found[0])
        return read_client(reader, call.account_id, client_id)

    return Reply(await call.read(read))


def _row(index: int, write: ClientWrite) -> ImportRow:
    """One record of a create batch checked by a single create's field rules, as a row of
    the batched writes; ValidationFailed in the domain's names."""
    row = batches.prepare_new(
        NewClient(
            fields=write.fields,
            tags=write.tags,
            addresses=write.addresses,
            phone_numbers=write.phone_numbers,
            email_addresses=write.email_addresses,
        ),
        index,
    )
    if write.new_company is not None:
        row.new_company = clean(COMPANY_FIELDS, write.new_company, partial=False)["name"]
    stored = {k: v for k, v in write.vendor.items() if v is not None}
    if stored:
        row.attributes[VENDOR] = stored
    return row


def _refused_client(item: Any) -> dict[str, Any]:
    """A client of a refused batch, as the vendor shows one: nothing saved."""
    name = item.get("name") if isinstance(item, dict) else None
    return {
        "id": None,
        "name": name if isinstance(name, str) else None,
        "updated_at": None,
        "addresses": [],
        "email_addresses": [],
        "phone_numbers": [],
    }


async def create_clients(call: Call) -> Reply:
    """All the batch's clients or none, through the import's batched writes (one Core write
    of every row, not one ORM create per record). Every record is checked first, so each
    refused one gets its own `errors` (a record the wire checks refused is not checked
    further, as the vendor's Rails app stops at them); records of a refused batch carry
    `"errors": {}` when they were valid themselves."""
    items = mapping.wrapped_items(call.body, "clients")
    account_id = call.account_id
    problems: list[Problems] = []
    rows: list[ImportRow] = []
    for index, item in enumerate(items):
        write = mapping.parse_client(item, creating=True)
        found = list(write.problems)
        if not found:
            try:
                rows.append(_row(index, write))
            except ValidationFailed as exc:
                found = [(_wire_name(field or "base"), message) for field, message in exc.errors]
        problems.append(found)

    def write_all(session: Session) -> dict[str, Any]:
        refused = batches.reference_errors(session, account_id, rows)
        for line, (field, message) in refused.items():
            problems[line].append((_wire_name(field), message))
        if any(problems):
            raise Unprocessable(
                {
                    "clients": [
                        {**_refused_client(item), "errors": rails_errors(found)}
                        for item, found in zip(items, problems, strict=True)
                    ]
                }
            )
        ids = batches.create_rows(session, account_id, rows, answer_kinds=(TEVO_KIND,))
        reader = Reader.within(session)
        return {
            "clients": documents.fragments(
                reader, TEVO_KIND, ids, lambda missing: tevo(reader, account_id, missing)
            )
        }

    return Reply(await call.write(write_all), 201)


def _apply_picks(
    session: Session,
    account_id: int,
    client_id: int,
    picks: dict[tuple[str, str], int | None],
) -> None:
    """primary_*_id: move the flag to the record named; null leaves no record holding it."""
    for (association, flag), ident in picks.items():
        kind = OWNED_KINDS[association]
        if ident is None:
            current = queries.client(Reader.within(session), account_id, client_id)
            for rec in current[association]:
                if rec[flag]:
                    owned.update_owned(
                        session, kind, account_id, client_id, rec["id"], {flag: False}
                    )
            continue
        try:
            owned.update_owned(session, kind, account_id, client_id, ident, {flag: True})
        except NotFound:
            raise ValidationFailed.one(
                PICK_NAMES[(association, flag)],
                f"no {kind.entity} with id {ident} belongs to this client",
            ) from None


async def update_client(call: Call) -> Reply:
    client_id = call.ident("client_id", "client")
    write = mapping.parse_client(call.body if call.body is not None else {}, creating=False)
    account_id = call.account_id

    def update(session: Session) -> dict[str, Any]:
        locked = clients.lock_client(session, account_id, client_id)
        if write.problems:
            raise ValidationFailed(write.problems)
        fields = dict(write.fields)
        if write.new_company is not None:
            fields["company_id"] = companies.create_company(
                session, account_id, write.new_company
            ).id
        clients.update_client(
            session, account_id, client_id, fields, tags=write.tags, locked=locked
        )
        if write.vendor:
            vendor_data.merge(
                session,
                account_id=account_id,
                entity="client",
                entity_id=client_id,
                vendor=VENDOR,
                attributes=write.vendor,
                client_id=client_id,
            )
        _apply_picks(session, account_id, client_id, write.picks)
        return read_client(Reader.within(session), account_id, client_id)

    try:
        return Reply(await call.write(update))
    except ValidationFailed as exc:
        # Refused, nothing written: the client as it stands, with what was wrong.
        current = await call.read(lambda r: read_client(r, account_id, client_id))
        current["errors"] = rails_errors((_wire_name(f or "base"), m) for f, m in exc.errors)
        raise Unprocessable(current) from None
