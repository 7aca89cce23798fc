"""The native API's handlers: clients, the records a client owns, companies, offices and the
account. Their routes are declared in routes.py."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy.orm import Session

from rolodex.db.prepared import Reader
from rolodex.domain import batches, clients, companies, documents, owned, queries
from rolodex.domain.clients import ClientFilters, NewClient
from rolodex.domain.fields import (
    ADDRESS_FIELDS,
    CLIENT_FIELDS,
    COMPANY_FIELDS,
    EMAIL_FIELDS,
    PHONE_FIELDS,
    Field,
)
from rolodex.domain.pagination import Page
from rolodex.doors.documents import NATIVE, native
from rolodex.doors.native import mapping
from rolodex.doors.native.errors import InvalidParameter
from rolodex.doors.native.http import Call, Reply, etag
from rolodex.doors.native.params import (
    body_fields,
    q_bool,
    q_datetime,
    q_int,
    q_str,
)
from rolodex.errors import MalformedRequest, ValidationFailed


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # string, integer, boolean, date-time, string[]
    description: str


SINGLE_TYPED = frozenset({"integer", "boolean", "date-time"})


def _check_query(call: Call, params: tuple[Param, ...]) -> None:
    """The query names only parameters this list documents, each once unless it is a list, and
    a typed one with a value: the OpenAPI document promises a 400 for anything else."""
    kinds = {p.name: p.kind for p in params}
    for key, values in call.query_lists.items():
        kind = kinds.get(key)
        if kind is None:
            raise InvalidParameter(f"Unknown query parameter {key!r}.", field=key)
        if len(values) > 1 and not kind.endswith("[]"):
            raise InvalidParameter(f"{key} must be given at most once.", field=key)
        if kind in SINGLE_TYPED and any(v == "" for v in values):
            raise InvalidParameter(f"{key} must have a value ({kind}).", field=key)


def _page(page: Page[Any], render: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    return {
        "data": [render(item) for item in page.items],
        "has_more": page.has_more,
        "next_cursor": page.next_cursor,
    }


def _paging(call: Call) -> dict[str, Any]:
    return {
        "sort": q_str(call.query, "sort", 40),
        "cursor": q_str(call.query, "cursor", 500),
        "limit": q_int(call.query, "limit"),
    }


def _one(
    obj: Any,
    render: Callable[[Any], dict[str, Any]],
    status: int = 200,
    location: str | None = None,
) -> Reply:
    headers = {"Location": location} if location else {}
    return Reply(render(obj), status=status, etag=etag(obj["version"]), headers=headers)


def _list_of_objects(body: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    value = body.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise MalformedRequest(f"{key} must be a list of objects.", field=key)
    return value


def _str_list(body: Mapping[str, Any], key: str) -> list[str] | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise MalformedRequest(f"{key} must be a list of strings.", field=key)
    return value


# --- clients -------------------------------------------------------------------------------

CLIENT_FILTERS = (
    Param("name", "string", "Exact name."),
    Param("name_contains", "string", "Case-insensitive part of the name."),
    Param("tag", "string[]", "Has this tag; repeat for clients having every tag named."),
    Param("company_id", "integer", "Belongs to this company."),
    Param("office_id", "integer", "Belongs to this office."),
    Param("inactive", "boolean", "true for inactive clients only, false for active only."),
    Param("account_code", "string", "Exact account code."),
    Param("external_id", "string", "Exact external id."),
    Param("salesperson_id", "integer", "Has this salesperson."),
    Param("case_manager_id", "integer", "Has this case manager."),
    Param("number", "integer", "The per-account client number."),
    Param("created_gte", "date-time", "Created at or after."),
    Param("created_lte", "date-time", "Created at or before."),
    Param("updated_gte", "date-time", "Updated at or after."),
    Param("updated_lte", "date-time", "Updated at or before."),
    Param(
        "q",
        "string",
        "Case-insensitive search across names, email addresses and phone "
        "numbers (digits match with or without punctuation).",
    ),
)
PAGING = (
    Param(
        "sort",
        "string",
        "id, number, name, created_at or updated_at; prefix - for descending. Default id.",
    ),
    Param("cursor", "string", "next_cursor from the previous page."),
    Param("limit", "integer", "Page size, 1 to 100. Default 25."),
)
CLIENT_QUERY = CLIENT_FILTERS + PAGING
CLIENT_NESTED = frozenset({"tags", "addresses", "phone_numbers", "email_addresses"})
CLIENT_PATCH_NESTED = frozenset({"tags", "add_tags", "remove_tags"})


_ID64: Callable[[Any, str], Any] = lambda q, k: q_int(q, k, bits=64)  # noqa: E731
# How each filter parameter is read (only those the query names are read at all).
_FILTER_READERS: dict[str, Callable[[Any, str], Any]] = {
    "name": q_str,
    "name_contains": q_str,
    "company_id": _ID64,
    "office_id": _ID64,
    "inactive": q_bool,
    "account_code": q_str,
    "external_id": q_str,
    "salesperson_id": q_int,
    "case_manager_id": q_int,
    "number": q_int,
    "created_gte": q_datetime,
    "created_lte": q_datetime,
    "updated_gte": q_datetime,
    "updated_lte": q_datetime,
    "q": q_str,
}


def list_clients(reader: Reader, call: Call) -> Reply:
    _check_query(call, CLIENT_QUERY)
    q = call.query
    given: dict[str, Any] = {}
    for key, values in call.query_lists.items():
        if key == "tag":
            given["tags"] = values
        elif (read := _FILTER_READERS.get(key)) is not None:
            given[key] = read(q, key)
    filters = ClientFilters(**given)
    page = queries.client_page(reader, call.account_id, filters, document=NATIVE, **_paging(call))
    data = documents.shown(page.items, lambda missing: native(reader, call.account_id, missing))
    return Reply({"data": data, "has_more": page.has_more, "next_cursor": page.next_cursor})


def _new_client(body: Mapping[str, Any]) -> NewClient:
    return NewClient(
        fields=body_fields(body, CLIENT_FIELDS, CLIENT_NESTED),
        tags=_str_list(body, "tags"),
        addresses=[body_fields(a, ADDRESS_FIELDS) for a in _list_of_objects(body, "addresses")],
        phone_numbers=[
            body_fields(p, PHONE_FIELDS) for p in _list_of_objects(body, "phone_numbers")
        ],
        email_addresses=[
            body_fields(e, EMAIL_FIELDS) for e in _list_of_objects(body, "email_addresses")
        ],
    )


def create_client(session: Session, call: Call) -> Reply:
    created = batches.create_one(session, call.account_id, _new_client(call.body))
    return _written(session, call.account_id, created, 201, f"/v1/clients/{created}")


def create_clients(session: Session, call: Call) -> Reply:
    """POST /v1/clients/batch: `{"clients": [...]}`, each as POST /v1/clients takes it, all
    created or none, through the import's batched writes."""
    body = call.body
    for key in body:
        if key != "clients":
            raise ValidationFailed.one(key, "is not a field of a batch (only clients)")
    items = body.get("clients")
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise MalformedRequest("clients must be a list of client objects.", field="clients")
    if len(items) > batches.BATCH_MAX:
        raise ValidationFailed.one(
            "clients", f"at most {batches.BATCH_MAX} clients in one batch ({len(items)} sent)"
        )
    news = []
    for i, item in enumerate(items):
        try:
            news.append(_new_client(item))
        except ValidationFailed as exc:
            raise ValidationFailed([(batches.at(i, f), m) for f, m in exc.errors]) from None
        except MalformedRequest as exc:
            raise MalformedRequest(exc.message, field=batches.at(i, exc.field)) from None
    ids = batches.create_clients(session, call.account_id, news)
    found = documents.many(Reader.within(session), NATIVE, ids)
    return Reply({"data": [orjson.Fragment(found[i]) for i in ids]}, status=201)


def _written(
    session: Session, account_id: int, client_id: int, status: int = 200, location: str = ""
) -> Reply:
    """The answer to a write: the client's document, rendered by this very transaction."""
    documents.settle(session)
    reader = Reader.within(session)
    found = documents.one(reader, NATIVE, account_id, client_id)
    if found is None:
        return _one(queries.client(reader, account_id, client_id), mapping.client, status, location)
    body, version = found
    headers = {"Location": location} if location else {}
    return Reply(orjson.Fragment(body), status=status, etag=etag(version), headers=headers)


def get_client(reader: Reader, call: Call) -> Reply:
    _check_query(call, ())
    client_id = call.path_id("client_id")
    found = documents.one(reader, NATIVE, call.account_id, client_id)
    if found is None:  # no such client (or its document is not rendered yet)
        return _one(queries.client(reader, call.account_id, client_id), mapping.client)
    body, version = found
    return Reply(orjson.Fragment(body), etag=etag(version))


def update_client(session: Session, call: Call) -> Reply:
    body = call.body
    client_id = call.path_id("client_id")
    clients.update_client(
        session,
        call.account_id,
        client_id,
        body_fields(body, CLIENT_FIELDS, CLIENT_PATCH_NESTED),
        tags=_str_list(body, "tags"),
        add_tags=_str_list(body, "add_tags") or (),
        remove_tags=_str_list(body, "remove_tags") or (),
        expected_version=call.expected_version,
    )
    return _written(session, call.account_id, client_id)


def delete_client(session: Session, call: Call) -> Reply:
    clients.delete_client(
        session,
        call.account_id,
        call.path_id("client_id"),
        expected_version=call.expected_version,
    )
    return Reply(None, status=204)


# --- records a client owns -------------------------------------------------------------------


@dataclass(frozen=True)
class OwnedApi:
    kind: owned.OwnedKind
    segment: str
    schema: str
    object_name: str
    filters: tuple[Param, ...] = ()
    nested: frozenset[str] = frozenset()

    def query_params(self) -> tuple[Param, ...]:
        return self.filters + PAGING

    def render(self, rec: dict[str, Any]) -> dict[str, Any]:
        return mapping.record(rec, self.object_name)

    def _read(self, reader: Reader, call: Call, client_id: int, ident: int) -> dict[str, Any]:
        return queries.owned(
            reader, self.kind.model, self.kind.entity, call.account_id, client_id, ident
        )

    def list(self, reader: Reader, call: Call) -> Reply:
        _check_query(call, self.query_params())
        filters: dict[str, Any] = {}
        for param in self.filters:
            if param.kind == "integer":
                filters[param.name] = q_int(call.query, param.name, bits=64)
            elif param.kind == "string[]":
                filters[param.name] = call.query_lists.get(param.name) or None
        page = queries.owned_page(
            reader,
            self.kind.model,
            call.account_id,
            call.path_id("client_id"),
            filters=filters,
            allowed=self.kind.filters,
            **_paging(call),
        )
        return Reply(_page(page, self.render))

    def create(self, session: Session, call: Call) -> Reply:
        client_id = call.path_id("client_id")
        extra: dict[str, Any] = {}
        if "applications" in self.nested:
            extra["applications"] = _list_of_objects(call.body, "applications")
        obj = owned.create_owned(
            session,
            self.kind,
            call.account_id,
            client_id,
            body_fields(call.body, self.kind.spec, self.nested),
            **extra,
        )
        rec = self._read(Reader.within(session), call, client_id, obj.id)
        return _one(rec, self.render, 201, f"/v1/clients/{client_id}/{self.segment}/{obj.id}")

    def get(self, reader: Reader, call: Call) -> Reply:
        _check_query(call, ())
        return _one(
            self._read(reader, call, call.path_id("client_id"), call.path_id("id")), self.render
        )

    def update(self, session: Session, call: Call) -> Reply:
        if self.nested & call.body.keys():
            name = sorted(self.nested & call.body.keys())[0]
            raise MalformedRequest(
                f"{name} can only be set when the record is created.", field=name
            )
        client_id, ident = call.path_id("client_id"), call.path_id("id")
        owned.update_owned(
            session,
            self.kind,
            call.account_id,
            client_id,
            ident,
            body_fields(call.body, self.kind.spec),
            expected_version=call.expected_version,
        )
        return _one(self._read(Reader.within(session), call, client_id, ident), self.render)

    def delete(self, session: Session, call: Call) -> Reply:
        owned.delete_owned(
            session,
            self.kind,
            call.account_id,
            call.path_id("client_id"),
            call.path_id("id"),
            expected_version=call.expected_version,
        )
        return Reply(None, status=204)


LOCATION_FILTER = (Param("location_id", "integer", "Only those attached to this location."),)

OWNED_APIS = (
    OwnedApi(owned.LOCATIONS, "locations", "Location", "location"),
    OwnedApi(owned.ADDRESSES, "addresses", "Address", "address", LOCATION_FILTER),
    OwnedApi(owned.PHONE_NUMBERS, "phone_numbers", "PhoneNumber", "phone_number", LOCATION_FILTER),
    OwnedApi(
        owned.EMAIL_ADDRESSES, "email_addresses", "EmailAddress", "email_address", LOCATION_FILTER
    ),
    OwnedApi(
        owned.NOTES,
        "notes",
        "Note",
        "note",
        (Param("job_id", "integer", "Only the notes on this job."),),
    ),
    OwnedApi(
        owned.JOBS,
        "jobs",
        "Job",
        "job",
        (Param("status", "string[]", "Has this status; repeat for any of several."),),
    ),
    OwnedApi(owned.PAYMENTS, "payments", "Payment", "payment", nested=frozenset({"applications"})),
)


# --- companies, offices, the account ---------------------------------------------------------

COMPANY_QUERY = (Param("name", "string", "Exact name."), *PAGING)


def _company(rec: dict[str, Any]) -> dict[str, Any]:
    return mapping.record(rec, "company")


def list_companies(reader: Reader, call: Call) -> Reply:
    _check_query(call, COMPANY_QUERY)
    page = queries.company_page(
        reader, call.account_id, name=q_str(call.query, "name"), **_paging(call)
    )
    return Reply(_page(page, _company))


def create_company(session: Session, call: Call) -> Reply:
    company = companies.create_company(
        session, call.account_id, body_fields(call.body, COMPANY_FIELDS)
    )
    rec = queries.company(Reader.within(session), call.account_id, company.id)
    return _one(rec, _company, 201, f"/v1/companies/{company.id}")


def get_company(reader: Reader, call: Call) -> Reply:
    return _one(queries.company(reader, call.account_id, call.path_id("company_id")), _company)


def update_company(session: Session, call: Call) -> Reply:
    company_id = call.path_id("company_id")
    companies.update_company(
        session,
        call.account_id,
        company_id,
        body_fields(call.body, COMPANY_FIELDS),
        expected_version=call.expected_version,
    )
    return _one(queries.company(Reader.within(session), call.account_id, company_id), _company)


def delete_company(session: Session, call: Call) -> Reply:
    companies.delete_company(
        session,
        call.account_id,
        call.path_id("company_id"),
        expected_version=call.expected_version,
    )
    return Reply(None, status=204)


def list_offices(reader: Reader, call: Call) -> Reply:
    offices = queries.offices(reader, call.account_id)
    return Reply(
        {
            "data": [mapping.record(o, "office") for o in offices],
            "has_more": False,
            "next_cursor": None,
        }
    )


def get_account(reader: Reader, call: Call) -> Reply:
    account = queries.account(reader, call.account_id)
    return Reply(mapping.record(account, "account"))


SCHEMA_SPECS: dict[str, Mapping[str, Field]] = {
    "Client": CLIENT_FIELDS,
    "Company": COMPANY_FIELDS,
    **{api.schema: api.kind.spec for api in OWNED_APIS},
}
