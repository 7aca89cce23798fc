"""The clients pages: the list (search, filters, sorting, keyset paging through the native
list's query), a client's page with its records and history, and the create, edit and delete
forms, which call the domain functions the native API's handlers call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import orjson
from starlette.responses import Response

from rolodex.db.prepared import Reader
from rolodex.domain import batches, clients, events, owned, queries
from rolodex.domain.clients import ClientFilters, NewClient
from rolodex.errors import (
    Conflict,
    DomainError,
    InvalidQuery,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)

from .web import Ctx, errors_by_field

PAGE_SIZE = 25
OWNED_SHOWN = 20  # of each kind of record on a client's page; the API pages through the rest
HISTORY_SHOWN = 20
COMPANIES_LISTED = 100  # in the filter's and the form's choice; past that, an id box
SORTS = {
    "name": "Name A-Z",
    "-name": "Name Z-A",
    "-created_at": "Newest",
    "created_at": "Oldest",
    "-updated_at": "Recently updated",
    "number": "Number",
}
TEXT_FIELDS = (
    "name",
    "first_name",
    "last_name",
    "account_code",
    "external_id",
    "website",
    "invoice_email",
    "description",
)
ID_FIELDS = ("company_id", "office_id")


@dataclass(frozen=True)
class Choices:
    offices: list[dict[str, Any]]
    companies: list[dict[str, Any]]
    more_companies: bool


def _choices(reader: Reader, account_id: int) -> Choices:
    page = queries.company_page(
        reader, account_id, name=None, sort="name", cursor=None, limit=COMPANIES_LISTED
    )
    return Choices(queries.offices(reader, account_id), list(page.items), page.has_more)


def _int_or_none(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


# --- the list --------------------------------------------------------------------------------


def _filters(ctx: Ctx) -> tuple[ClientFilters, dict[str, str]]:
    q = ctx.request.query_params
    shown = {k: q.get(k, "").strip() for k in ("q", "tag", "company", "office", "inactive")}
    inactive = {"yes": True, "no": False}.get(shown["inactive"])
    filters = ClientFilters(
        q=shown["q"][:200] or None,
        tags=[shown["tag"]] if shown["tag"] else (),
        company_id=_int_or_none(shown["company"]),
        office_id=_int_or_none(shown["office"]),
        inactive=inactive,
    )
    return filters, shown


async def list_clients(ctx: Ctx) -> Response:
    filters, shown = _filters(ctx)
    q = ctx.request.query_params
    sort = q.get("sort", "name")
    if sort not in SORTS:
        sort = "name"
    cursor = q.get("cursor") or None
    account_id = ctx.account_id

    def read(reader: Reader) -> tuple[Any, Choices]:
        try:
            page = queries.client_page(
                reader, account_id, filters, sort=sort, cursor=cursor, limit=PAGE_SIZE
            )
        except InvalidQuery:  # a cursor from another sort, or edited by hand: start over
            page = queries.client_page(reader, account_id, filters, sort=sort, limit=PAGE_SIZE)
        return page, _choices(reader, account_id)

    page, choices = await ctx.read(read)
    base = {k: v for k, v in {**shown, "sort": sort}.items() if v}
    next_url = (
        "/clients?" + urlencode({**base, "cursor": page.next_cursor}) if page.has_more else ""
    )
    values = {
        "page": page,
        "shown": shown,
        "sort": sort,
        "sorts": SORTS,
        "choices": choices,
        "next_url": next_url,
        "first_url": "/clients?" + urlencode(base) if cursor else "",
    }
    if ctx.htmx and ctx.request.headers.get("hx-target") == "results":
        return ctx.render("clients_results.html", **values)
    return ctx.render("clients.html", **values)


# --- one client ------------------------------------------------------------------------------


def _history_entry(event: dict[str, Any]) -> dict[str, Any]:
    """An event as the timeline shows it: for an update, each changed field's former and new
    value."""
    data = orjson.loads(event["data"]) if event["data"] else {}
    previous = orjson.loads(event["previous"]) if event["previous"] else None
    changed = []
    if previous:
        for key, before in previous.items():
            changed.append((key, before, data.get(key) if isinstance(data, dict) else None))
    return {**event, "changed": changed, "data_obj": data}


def _client_page(
    reader: Reader, account_id: int, client_id: int, history_cursor: str | None
) -> dict[str, Any]:
    client = queries.client(reader, account_id, client_id)
    records = {}
    for title, kind in (
        ("Locations", owned.LOCATIONS),
        ("Notes", owned.NOTES),
        ("Jobs", owned.JOBS),
        ("Payments", owned.PAYMENTS),
    ):
        records[title] = queries.owned_page(
            reader, kind.model, account_id, client_id, allowed=kind.filters, limit=OWNED_SHOWN
        )
    history = events.history(reader, account_id, client_id, history_cursor, HISTORY_SHOWN)
    company = None
    if client.get("company_id"):
        try:
            company = queries.company(reader, account_id, client["company_id"])
        except NotFound:
            company = None
    offices = {o["id"]: o["name"] for o in queries.offices(reader, account_id)}
    return {
        "client": client,
        "records": records,
        "history": [_history_entry(e) for e in history.items],
        "history_next": history.next_cursor if history.has_more else None,
        "company": company,
        "office": offices.get(client.get("office_id")),
    }


async def show_client(ctx: Ctx) -> Response:
    client_id = int(ctx.request.path_params["client_id"])
    cursor = ctx.request.query_params.get("history") or None
    account_id = ctx.account_id
    try:
        values = await ctx.read(lambda r: _client_page(r, account_id, client_id, cursor))
    except InvalidQuery:
        values = await ctx.read(lambda r: _client_page(r, account_id, client_id, None))
    return ctx.render("client.html", **values, notice=ctx.request.query_params.get("notice", ""))


# --- the forms -------------------------------------------------------------------------------


def _form_fields(ctx: Ctx, *, creating: bool) -> tuple[dict[str, Any], list[str]]:
    """The client fields a form sent, typed as the native API's JSON would carry them: an
    empty box is null (on create, left out), an id a number when it is one (else the text,
    which the field rules refuse in their own words), the checkbox a boolean."""
    fields: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = ctx.field(name)
        if value.strip() or not creating:
            fields[name] = value if value.strip() else None
    kind = ctx.field("kind")
    if kind:
        fields["kind"] = kind
    for name in ID_FIELDS:
        value = ctx.field(name).strip()
        if value:
            fields[name] = int(value) if value.isdigit() and len(value) < 19 else value
        elif not creating and name != "office_id":
            fields[name] = None
    fields["inactive"] = ctx.field("inactive") == "on"
    tags = [t.strip() for t in ctx.field("tags").split(",") if t.strip()]
    return fields, tags


def _form_values(client: dict[str, Any]) -> dict[str, str]:
    out = {k: "" if client.get(k) is None else str(client[k]) for k in (*TEXT_FIELDS, *ID_FIELDS)}
    out["kind"] = client.get("kind") or "organization"
    out["inactive"] = "on" if client.get("inactive") else ""
    out["tags"] = ", ".join(client.get("tags") or [])
    return out


def _submitted(ctx: Ctx) -> dict[str, str]:
    names = (*TEXT_FIELDS, *ID_FIELDS, "kind", "inactive", "tags", "email", "phone")
    return {name: ctx.field(name) for name in names}


async def new_client_form(ctx: Ctx) -> Response:
    account_id = ctx.account_id
    choices = await ctx.read(lambda r: _choices(r, account_id))
    values = _form_values({})
    values.update(email="", phone="")
    return ctx.render(
        "client_form.html",
        creating=True,
        values=values,
        errors={},
        choices=choices,
        version=None,
        current=None,
    )


async def create_client(ctx: Ctx) -> Response:
    fields, tags = _form_fields(ctx, creating=True)
    email, phone = ctx.field("email").strip(), ctx.field("phone").strip()
    new = NewClient(
        fields=fields,
        tags=tags,
        email_addresses=[{"address": email, "is_primary": True}] if email else (),
        phone_numbers=[{"number": phone, "is_primary": True}] if phone else (),
    )
    account_id = ctx.account_id
    try:
        created = await ctx.write(lambda s: batches.create_one(s, account_id, new))
    except (ValidationFailed, Conflict) as exc:
        choices = await ctx.read(lambda r: _choices(r, account_id))
        errors = errors_by_field(exc)
        # The nested email's and phone's rules name their own fields (address, number).
        for nested, box in (("address", "email"), ("number", "phone")):
            if nested in errors:
                errors[box] = errors.pop(nested)
        status = 409 if isinstance(exc, Conflict) else 422
        return ctx.render(
            "client_form.html",
            status=status,
            creating=True,
            values=_submitted(ctx),
            errors=errors,
            choices=choices,
            version=None,
            current=None,
        )
    return ctx.redirect(f"/clients/{created}?notice=created")


async def edit_client_form(ctx: Ctx) -> Response:
    client_id = int(ctx.request.path_params["client_id"])
    account_id = ctx.account_id

    def read(reader: Reader) -> tuple[dict[str, Any], Choices]:
        return queries.client(reader, account_id, client_id), _choices(reader, account_id)

    client, choices = await ctx.read(read)
    return ctx.render(
        "client_form.html",
        creating=False,
        client=client,
        values=_form_values(client),
        errors={},
        choices=choices,
        version=client["version"],
        current=None,
    )


async def update_client(ctx: Ctx) -> Response:
    client_id = int(ctx.request.path_params["client_id"])
    account_id = ctx.account_id
    version = _int_or_none(ctx.field("version"))
    fields, tags = _form_fields(ctx, creating=False)
    try:
        await ctx.write(
            lambda s: clients.update_client(
                s,
                account_id,
                client_id,
                fields,
                tags=tags,
                expected_version=version if version is not None else -1,
            )
        )
    except (ValidationFailed, Conflict, PreconditionFailed) as exc:

        def read(reader: Reader) -> tuple[dict[str, Any], Choices]:
            return queries.client(reader, account_id, client_id), _choices(reader, account_id)

        client, choices = await ctx.read(read)
        if isinstance(exc, PreconditionFailed):
            # Someone saved it since this form was loaded: show what it is now, keep what was
            # typed, and let a second save (at the current version) be a deliberate overwrite.
            return ctx.render(
                "client_form.html",
                status=412,
                creating=False,
                client=client,
                values=_submitted(ctx),
                errors={},
                choices=choices,
                version=client["version"],
                current=_form_values(client),
            )
        status = 409 if isinstance(exc, Conflict) else 422
        return ctx.render(
            "client_form.html",
            status=status,
            creating=False,
            client=client,
            values=_submitted(ctx),
            errors=errors_by_field(exc),
            choices=choices,
            version=version,
            current=None,
        )
    return ctx.redirect(f"/clients/{client_id}?notice=saved")


async def delete_client(ctx: Ctx) -> Response:
    client_id = int(ctx.request.path_params["client_id"])
    account_id = ctx.account_id
    version = _int_or_none(ctx.field("version"))
    try:
        await ctx.write(
            lambda s: clients.delete_client(
                s,
                account_id,
                client_id,
                expected_version=version if version is not None else -1,
            )
        )
    except PreconditionFailed:
        return ctx.redirect(f"/clients/{client_id}?notice=changed")
    except DomainError:
        raise
    return ctx.redirect("/clients?notice=deleted")
