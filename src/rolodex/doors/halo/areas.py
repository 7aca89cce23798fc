"""Clients ("Area" in Halo): list, read, upsert, update by id, delete, and the two narrow
updates."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy.orm import Session

from rolodex.db.prepared import Reader
from rolodex.domain import clients, companies, documents, owned, vendor_data
from rolodex.doors.documents import HALO_KIND, HALO_ROW, halo, halo_row
from rolodex.doors.halo import new_areas, views
from rolodex.doors.halo import reads as account_reads
from rolodex.doors.halo.errors import NoRoute, halo_names
from rolodex.doors.halo.http import Call, Reply
from rolodex.doors.halo.mapping import (
    MISSING,
    AreaWrite,
    custom_fields_of,
    customfields_view,
    merge_customfields,
    own_id,
    parse_area,
)
from rolodex.doors.halo.params import order_from, paging_from
from rolodex.doors.halo.reads import ClientQuery
from rolodex.doors.halo.wire import (
    ACCOUNTS_ID_FIELD,
    AREA_ERROR_NAMES,
    FALSE,
    PAYMENT_METHOD_FIELDS,
    TRUE,
    VENDOR,
)
from rolodex.errors import (
    Conflict,
    InvalidQuery,
    MalformedRequest,
    NotFound,
    ValidationFailed,
)

AREA_ORDERS = {
    "id": "id",
    "name": "name",
    "toplevel_id": "company_id",
    "toplevel_name": "company_name",
    "inactive": "inactive",
    "datecreated": "created_at",
    "website": "website",
    "accountsemailaddress": "invoice_email",
    "main_site_id": "primary_location_id",
    "main_site_name": "primary_location_name",
}


def _activity(call: Call) -> tuple[bool, bool]:
    """(include active clients, include inactive ones): active only unless asked otherwise.
    `activeinactive=a,b` sets both at once."""
    q = call.query
    include_active, include_inactive = q.boolean("includeactive"), q.boolean("includeinactive")
    both = q.text("activeinactive")
    if both is not None:
        parts = [p.strip() for p in both.split(",")]
        for index, part in enumerate(parts[:2]):
            if part == "":
                continue
            if part.lower() not in TRUE | FALSE:
                raise InvalidQuery(
                    "activeinactive must be two booleans, e.g. true,false.", field="activeinactive"
                )
            if index == 0:
                include_active = part.lower() in TRUE
            else:
                include_inactive = part.lower() in TRUE
    return (
        True if include_active is None else include_active,
        False if include_inactive is None else include_inactive,
    )


def _client_query(call: Call) -> ClientQuery:
    q = call.query
    active, inactive = _activity(call)
    search = q.text("search")
    name_contains = None
    name_only = q.text("search_name_only")
    if name_only is not None:
        flag = name_only.strip().lower()
        if flag in TRUE or flag in FALSE:
            # Used as a switch: search names only.
            if flag in TRUE and search is not None:
                name_contains, search = search, None
        else:
            name_contains = name_only
    return ClientQuery(
        search=search,
        name_contains=name_contains,
        company_id=q.integer("toplevel_id"),
        inactive=None if active and inactive else (not active),
        nothing=not active and not inactive,
    )


def list_clients(reader: Reader, call: Call) -> Reply:
    q = call.query
    ids_only = bool(q.boolean("idonly"))
    paging = paging_from(q, ids_only=ids_only)
    total, records = account_reads.client_summaries(
        reader,
        call.account_id,
        _client_query(call),
        order=order_from(q, AREA_ORDERS, "name"),
        window=paging.window,
    )
    wanted = q.text("include_custom_fields", 2000)
    if ids_only:
        rows: list[Any] = [{"id": r["id"]} for r in records]
    elif wanted is None and not q.boolean("includenotes"):
        # As every list shows an Area unless asked for more: its stored list row.
        rows = documents.fragments(
            reader,
            HALO_ROW,
            [r["id"] for r in records],
            lambda missing: halo_row(reader, call.account_id, missing),
        )
    else:
        custom_field_ids = (
            frozenset(part.strip() for part in wanted.split(",") if part.strip())
            if wanted is not None
            else None
        )
        rows = views.areas(
            reader,
            call.account_id,
            records,
            with_notes=bool(q.boolean("includenotes")),
            custom_field_ids=custom_field_ids,
        )
        if custom_field_ids is None:
            for row in rows:
                row.pop("customfields", None)
    return Reply(paging.envelope("clients", total, rows))


def get_client(reader: Reader, call: Call) -> Reply:
    ident = call.path_id("client")
    found = documents.one(reader, HALO_KIND, call.account_id, ident)
    if found is not None:
        return Reply(orjson.Fragment(found[0]))
    records = account_reads.client_summaries_by_id(reader, call.account_id, [ident])
    return Reply(views.areas(reader, call.account_id, records)[0])


def me(_reader: Reader, _call: Call) -> Reply:
    raise NoRoute(
        "These credentials belong to an API application, not a portal end user, so there is "
        "no client of the current user."
    )


def delete_client(session: Session, call: Call) -> Reply:
    clients.delete_client(session, call.account_id, call.path_id("client"))
    return Reply(None)


def update_client(session: Session, call: Call) -> Reply:
    """`POST /Client/{id}` with one Area: update client `id` as `POST /Client` would with
    that id in the object (client code calls it so; Halo's documents show only the array
    form). The object's own `id`, if it has one, must be the same client."""
    ident = call.path_id("client")
    if ident <= 0:  # an element's id 0 means "none"; no client has it
        raise NotFound("client", ident)
    if len(call.body) != 1:
        raise MalformedRequest(
            f"POST /Client/{ident} updates one client: send one Area object, not {len(call.body)}."
        )
    element = call.body[0]
    with halo_names({}, call.at(0)):
        sent = own_id(element.get("id"))
        if sent is not None and sent != ident:
            raise ValidationFailed.one("id", f"is {sent}, but the path names client {ident}")
    write_area(session, call.account_id, {**element, "id": ident}, prefix=call.at(0))
    return _answer(session, call.account_id, [ident], 201)


def _answer(session: Session, account_id: int, ids: list[int], status: int) -> Reply:
    reader = Reader.within(session)
    records = account_reads.client_summaries_by_id(reader, account_id, ids)
    return Reply(views.one_or_many(views.areas(reader, account_id, records)), status)


def upsert_clients(session: Session, call: Call) -> Reply:
    """Elements without an id create, with one update; all or nothing, answered in order.

    The creates are checked first, then written in one batch (new_areas); the updates go
    one by one through `write_area`, those before the first refused create first, so the
    element refused is the first one that would be, and its refusal the same."""
    account_id, elements = call.account_id, call.body
    creating = [index for index, element in enumerate(elements) if _creates(element)]
    creates = set(creating)
    companies = new_areas.companies_named_by_id(
        session, account_id, (elements[i] for i in creating)
    )
    rows = []
    refused: tuple[int, Exception] | None = None
    for index in creating:
        try:
            rows.append(new_areas.check(elements[index], index, companies, call.at(index)))
        except (ValidationFailed, Conflict) as exc:
            refused = (index, exc)
            break
    stop = len(elements) if refused is None else refused[0]
    updated = {
        index: write_area(session, account_id, elements[index], prefix=call.at(index))
        for index in range(stop)
        if index not in creates
    }
    if refused is not None:
        raise refused[1]
    session.flush()
    made = new_areas.write(session, account_id, rows) if rows else []
    created = dict(zip(creating, made, strict=True))
    reader = Reader.within(session)
    shown = dict(
        zip(
            created.values(),
            documents.fragments(
                reader, HALO_KIND, list(created.values()), lambda ids: halo(reader, account_id, ids)
            ),
            strict=True,
        )
    )
    if updated:
        records = account_reads.client_summaries_by_id(reader, account_id, list(updated.values()))
        shown.update(
            (record["id"], area)
            for record, area in zip(records, views.areas(reader, account_id, records), strict=True)
        )
    answer = [
        shown[created[i]] if i in created else shown[updated[i]] for i in range(len(elements))
    ]
    return Reply(views.one_or_many(answer), 201)


def _creates(element: dict[str, Any]) -> bool:
    """Whether an element creates a client (no id, or 0 or null); one whose id cannot be
    read is refused as a create would refuse it."""
    try:
        return own_id(element.get("id")) is None
    except ValidationFailed:
        return True


def write_area(session: Session, account_id: int, element: dict[str, Any], *, prefix: str) -> int:
    """Update one existing client (an element with an id; only the fields carried). New
    clients are created in a batch by new_areas."""
    with halo_names(AREA_ERROR_NAMES, prefix):
        area = parse_area(element)
        if area.ident is None:  # upsert_clients sends every element without an id to new_areas
            raise AssertionError("write_area updates; new_areas creates")
        fields = dict(area.fields)
        company = _company_for(session, account_id, area)
        if company is not MISSING:
            fields["company_id"] = company
        attributes = dict(area.attributes)
        client = clients.lock_client(session, account_id, area.ident)
        if area.customfields is not MISSING:
            stored = vendor_data.load(session, views.CLIENT_ENTITY, [client.id], VENDOR)
            current = customfields_view(
                stored.get(client.id, {}).get("customfields", MISSING), client.custom_fields
            )
            merged = merge_customfields(current, area.customfields)
            fields["custom_fields"] = custom_fields_of(merged)
            attributes["customfields"] = merged
        if fields:
            clients.update_client(session, account_id, client.id, fields, locked=client)
    with halo_names(AREA_ERROR_NAMES, prefix):
        _main_site(session, account_id, client, area)
    vendor_data.merge(
        session,
        account_id=account_id,
        entity=views.CLIENT_ENTITY,
        entity_id=client.id,
        vendor=VENDOR,
        attributes=attributes,
        client_id=client.id,
        replace=False,
    )
    return int(client.id)


def _company_for(session: Session, account_id: int, area: AreaWrite) -> Any:
    """The company (Halo's top level) the element puts the client in: `toplevel_id` when it
    names one, else the company called `toplevel_name` (created if there is none); MISSING when
    the element says nothing about it, None to take the client out of its company."""
    if area.toplevel_id not in (MISSING, None):
        return area.toplevel_id
    if area.toplevel_name not in (MISSING, None):
        found = account_reads.company_named(Reader.within(session), account_id, area.toplevel_name)
        if found is not None:
            return found
        with halo_names({"name": "toplevel_name"}):
            return companies.create_company(session, account_id, {"name": area.toplevel_name}).id
    return None if area.toplevel_id is None else MISSING


def _main_site(session: Session, account_id: int, client: Any, area: AreaWrite) -> None:
    """`main_site_id` makes one of the client's sites its main (primary) site; a
    `main_site_name` gives a client that has no main site one of that name."""
    summary = account_reads.client_summaries_by_id(Reader.within(session), account_id, [client.id])[
        0
    ]
    primary = summary["primary_location_id"]
    wanted = area.main_site_id
    if area.ident is not None and wanted not in (MISSING, None) and wanted != primary:
        try:
            owned.update_owned(
                session, owned.LOCATIONS, account_id, client.id, wanted, {"is_primary": True}
            )
        except NotFound:
            raise ValidationFailed.one(
                "main_site_id", f"client {client.id} has no site {wanted}"
            ) from None
        primary = wanted
    if primary is None and area.main_site_name not in (MISSING, None):
        with halo_names({"name": "main_site_name"}):
            owned.create_for(
                session,
                owned.LOCATIONS,
                client,
                {"name": area.main_site_name, "is_primary": True},
            )


def _existing_client(session: Session, account_id: int, element: dict[str, Any]) -> int:
    ident = own_id(element.get("id"))
    if ident is None:
        raise ValidationFailed.one("id", "is required: the client to update")
    return int(clients.lock_client(session, account_id, ident).id)


def new_accounts_id(session: Session, call: Call) -> Reply:
    """Give each client named by `id` the accounts-system id (`accountsid`) its object
    carries."""
    ids = []
    for index, element in enumerate(call.body):
        with halo_names({}, call.at(index)):
            client_id = _existing_client(session, call.account_id, element)
            if ACCOUNTS_ID_FIELD not in element:
                raise ValidationFailed.one(ACCOUNTS_ID_FIELD, "is required")
            vendor_data.merge(
                session,
                account_id=call.account_id,
                entity=views.CLIENT_ENTITY,
                entity_id=client_id,
                vendor=VENDOR,
                attributes={ACCOUNTS_ID_FIELD: element[ACCOUNTS_ID_FIELD]},
                client_id=client_id,
            )
        ids.append(client_id)
    return _answer(session, call.account_id, ids, 200)


def payment_method_update(session: Session, call: Call) -> Reply:
    """Change only the payment-method fields (Stripe customer and payment method) of each
    client named by `id`; anything else the objects carry is left alone."""
    ids = []
    for index, element in enumerate(call.body):
        with halo_names({}, call.at(index)):
            client_id = _existing_client(session, call.account_id, element)
            changes = {k: element[k] for k in PAYMENT_METHOD_FIELDS if k in element}
            if not changes:
                raise ValidationFailed.one(
                    "",
                    "carries none of the payment method fields: "
                    + ", ".join(PAYMENT_METHOD_FIELDS),
                )
            vendor_data.merge(
                session,
                account_id=call.account_id,
                entity=views.CLIENT_ENTITY,
                entity_id=client_id,
                vendor=VENDOR,
                attributes=changes,
                client_id=client_id,
            )
        ids.append(client_id)
    return _answer(session, call.account_id, ids, 200)
