"""The HaloPSA door's OpenAPI 3.1 document, in Halo's terms: /api paths as Halo writes them
(routing ignores case), Area/Site/AreaNote objects, array bodies that create or update,
`*_View` list envelopes, OAuth2 client credentials at /auth/token, and its error bodies. Paths
come from the route table (routes.TABLE), fields from wire.py and the shared rules, so neither
can change without the document."""

from __future__ import annotations

from typing import Any

from rolodex.apidocs.builder import (
    BOOLEAN,
    INTEGER,
    STRING,
    Operation,
    Schema,
    answer,
    array,
    body,
    document,
    field_schema,
    obj,
    or_null,
    paths,
    query,
    ref,
)
from rolodex.domain.fields import CLIENT_FIELDS, LOCATION_FIELDS, NOTE_FIELDS
from rolodex.doors.halo import areas, wire
from rolodex.doors.halo.auth import GRANT_TYPE, TOKEN_SECONDS
from rolodex.doors.halo.http import Spec
from rolodex.doors.halo.params import DEFAULT_PAGE_SIZE, ORDER_SUFFIXES
from rolodex.doors.halo.routes import PREFIX, TABLE
from rolodex.doors.halo.sites import SITE_ORDERS

# Halo's own spelling of each path segment (its routing ignores case).
SPELLING = {
    "client": "Client",
    "newaccountsid": "NewAccountsId",
    "paymentmethodupdate": "PaymentMethodUpdate",
    "site": "Site",
    "crmnote": "CRMNote",
    "popupnote": "PopupNote",
    "recurringitem": "RecurringItem",
    "arearequesttype": "AreaRequestType",
    "areaazuretenant": "AreaAzureTenant",
}
TOKEN = "/auth/token"
AUTHINFO = "/api/authinfo"
ECHO = {
    "description": "Every other field of Halo's object is kept as sent and comes back unchanged."
}
REF_ID: Schema = {"type": ["integer", "null"], "description": "0 or null means none."}
TIME: Schema = {"type": ["string", "null"], "format": "date-time"}


def _shown(route_path: str) -> str:
    return "/".join(SPELLING.get(part, part) for part in route_path.split("/"))


def _columns(columns: dict[str, str], spec: dict[str, Any]) -> dict[str, Schema]:
    return {w: field_schema(spec[c], nullable=True) for w, c in columns.items()}


def _address_lines(prefix: str) -> dict[str, Schema]:
    return {
        f"{prefix}{n}": field_schema(LOCATION_FIELDS[c], nullable=True)
        for n, c in wire.ADDRESS_LINES.items()
    }


def _schemas() -> dict[str, Any]:
    area_columns = _columns(wire.AREA_COLUMNS, CLIENT_FIELDS)
    area_columns["inactive"] = {"type": ["boolean", "null"], "description": "null means false."}
    area_refs: dict[str, Schema] = {
        "toplevel_id": REF_ID,
        "toplevel_name": or_null(STRING),
        "main_site_id": REF_ID,
        "main_site_name": or_null(STRING),
        "customfields": array(obj({"id": {}, "name": STRING, "value": {}}, additional=True)),
    }
    area = obj(
        {
            "id": INTEGER,
            **area_columns,
            **area_refs,
            "datecreated": TIME,
        },
        required=["id", "name"],
        additional=ECHO,
    )
    address_store = obj({key: or_null(STRING) for key in wire.ADDRESS_STORE}, additional=True)
    area_in = obj(
        {
            "id": {**REF_ID, "description": "An existing client's id updates it; none creates."},
            **area_columns,
            **area_refs,
            "newclient_sitename": or_null(STRING),
            "newclient_phonenumber": or_null(STRING),
            "newclient_delivery_address": or_null(address_store),
            "site_update": array(ref("SiteIn")),
        },
        additional=True,
        description="A new client needs `name`. Only the fields sent change on an update.",
    )
    site_columns = _columns(wire.SITE_COLUMNS, LOCATION_FIELDS)
    site = obj(
        {
            "id": INTEGER,
            **site_columns,
            "client_id": INTEGER,
            "client_name": or_null(STRING),
            "clientsite_name": or_null(STRING),
            **_address_lines("delivery_address_line"),
            **_address_lines("invoice_address_line"),
            "delivery_address": address_store,
            "invoice_address": address_store,
            "datecreated": TIME,
        },
        required=["id", "name", "client_id"],
        additional=ECHO,
    )
    site_in = obj(
        {
            "id": {**REF_ID, "description": "An existing site's id updates it; none creates."},
            "client_id": {**REF_ID, "description": "The client; needed to create."},
            **site_columns,
            **_address_lines("delivery_address_line"),
            **_address_lines("invoice_address_line"),
            "delivery_address": or_null(address_store),
            "invoice_address": or_null(address_store),
        },
        additional=True,
    )
    note_columns = _columns(wire.NOTE_COLUMNS, NOTE_FIELDS)
    note = obj(
        {"id": INTEGER, "client_id": REF_ID, **note_columns, "datetime": TIME},
        required=["id", "client_id"],
        additional=ECHO,
    )
    note_in = obj(
        {
            "id": {**REF_ID, "description": "An existing note's id updates it; none creates."},
            "client_id": {**REF_ID, "description": "The client; needed to create."},
            **note_columns,
            "who_agentid": {
                "type": ["integer", "null"],
                "description": "The author, when `who` is not given.",
            },
        },
        additional=True,
    )
    oauth_error = obj(
        {"error": STRING, "error_description": STRING}, required=["error", "error_description"]
    )
    return {
        "Area": area,
        "AreaIn": area_in,
        "AreaId": obj({"id": INTEGER}, required=["id"]),
        "Area_View": _view("clients", "Area"),
        "Site": site,
        "SiteIn": site_in,
        "Site_View": _view("sites", "Site"),
        "AreaNote": note,
        "AreaNote_View": obj(
            {
                "page_no": INTEGER,
                "page_size": INTEGER,
                "record_count": INTEGER,
                "notes": array(ref("AreaNote")),
            },
            required=["page_no", "page_size", "record_count", "notes"],
        ),
        "AreaNoteIn": note_in,
        "AddressStore": address_store,
        "Carried": obj(
            {"client_id": INTEGER},
            required=["client_id"],
            additional=True,
            description="An object a client carries (in its `popup_notes`, `areaitems` or "
            "`azure_tenants`), as it was stored, with its client's id.",
        ),
        "AreaRequestType": obj(
            {"client_id": INTEGER, "client_name": or_null(STRING), "request_type": {}},
            required=["client_id", "client_name", "request_type"],
        ),
        "Token": obj(
            {
                "access_token": STRING,
                "token_type": {"type": "string", "const": "Bearer"},
                "expires_in": {"type": "integer", "const": TOKEN_SECONDS},
                "scope": STRING,
            },
            required=["access_token", "token_type", "expires_in", "scope"],
        ),
        "OAuthError": oauth_error,
        "Error": obj(
            {
                "error": STRING,
                "error_description": STRING,
                "field": or_null(STRING),
                "details": array(
                    obj({"field": STRING, "message": STRING}, required=["field", "message"])
                ),
            },
            required=["error", "error_description", "field"],
        ),
    }


def _view(key: str, item: str) -> Schema:
    return obj(
        {
            "page_no": or_null(INTEGER),
            "page_size": or_null(INTEGER),
            "record_count": INTEGER,
            key: array({"anyOf": [ref(item), ref("AreaId")]}),
        },
        required=["page_no", "page_size", "record_count", key],
        description="With `idonly=true` each record is only `{id}`.",
    )


def _errors(spec: Spec, *, one: bool) -> dict[str, Any]:
    out = {
        "400": answer("A parameter, the body or a field is invalid", ref("Error")),
        "401": answer("No token, or one that is unknown or expired", ref("Error")),
        "403": answer("The token's scopes do not reach this", ref("Error")),
    }
    if one or spec.write or spec.handler is areas.me:
        out["404"] = answer("No such record in this account", ref("Error"))
    if spec.write:
        out["409"] = answer("A conflict (e.g. an external id already used)", ref("Error"))
    return out


def _paging() -> list[dict[str, Any]]:
    return [
        query(
            "pageinate",
            BOOLEAN,
            "(sic) true pages by `page_no` and `page_size`, and `record_count` is the total; "
            "otherwise `count` returns the first N, and neither returns every record.",
        ),
        query("page_no", {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}, "From 1."),
        query(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
            f"Default {DEFAULT_PAGE_SIZE}.",
        ),
        query("count", {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}, "The first N."),
    ]


def _lists(orders: dict[str, str], default: str) -> list[dict[str, Any]]:
    out = [*_paging(), query("idonly", BOOLEAN, "Only each record's id (cannot page).")]
    names = ", ".join(sorted(orders))
    for suffix in ORDER_SUFFIXES:
        out.append(query(f"order{suffix}", STRING, f"Sort by: {names} (default {default})."))
        out.append(query(f"orderdesc{suffix}", BOOLEAN, "Descending."))
    return out


def _body(what: str) -> dict[str, Any]:
    schema = {
        "AreaPopup": obj({"id": INTEGER, "client_id": REF_ID}, required=["id"], additional=True)
    }.get(what, ref(f"{what}In"))
    return body(
        {"anyOf": [array(schema, minItems=1), schema]},
        description=f"A JSON array of {what} objects (or one bare {what} object, answered with "
        "one object); each with an existing `id` updates that record, each without one "
        'creates one. Numbers and booleans may also come as text (`"12"`, `"true"`), '
        "as Halo's server binds them.",
    )


def _one_or_many(item: str) -> Schema:
    return {"anyOf": [ref(item), array(ref(item))]}


def _operations() -> dict[tuple[str, str], Operation]:
    specs = {(m, p): spec for p, methods in TABLE for m, spec in methods.items()}

    def op(
        method: str,
        path: str,
        summary: str,
        ok: dict[str, Any],
        *,
        params: list[dict[str, Any]] | None = None,
        status: str = "200",
        description: str = "",
    ) -> Operation:
        spec = specs[(method, path)]
        tag = _shown(path).split("/")[2]
        return Operation(
            summary,
            tag,
            description=description,
            parameters=params or [],
            request=_body(spec.body) if spec.body else None,
            responses={status: ok, **_errors(spec, one="{id" in path)},
        )

    def record(path: str, noun: str, short: str, item: str) -> dict[tuple[str, str], Operation]:
        """A record Halo edits in arrays: POST creates or updates, GET and DELETE take one."""
        one = f"{path}/{{id:int}}"
        return {
            ("POST", path): op(
                "POST",
                path,
                f"Create or update {noun}s",
                answer(f"The {short}, or all of them", _one_or_many(item)),
                status="201",
            ),
            ("GET", one): op("GET", one, f"Get a {noun}", answer(f"The {short}", ref(item))),
            ("DELETE", one): op("DELETE", one, f"Delete a {noun}", answer("Deleted")),
        }

    client_id = query("client_id", INTEGER, "Of this client.")
    toplevel_id = query("toplevel_id", INTEGER, "Of clients in this top level (company).")
    return {
        ("GET", "/api/client"): op(
            "GET",
            "/api/client",
            "List clients",
            answer("Area_View", ref("Area_View")),
            params=[
                query("search", STRING, "Clients like this text."),
                query("search_name_only", STRING, "true: `search` looks at names only."),
                toplevel_id,
                query("includeactive", BOOLEAN, "Default true."),
                query("includeinactive", BOOLEAN, "Default false."),
                query("activeinactive", STRING, "Both at once, e.g. `true,false`."),
                query("includenotes", BOOLEAN, "With each client's `notes`."),
                query(
                    "include_custom_fields",
                    STRING,
                    "Comma-separated custom field ids (or names) to include.",
                ),
                *_lists(areas.AREA_ORDERS, "name"),
            ],
        ),
        ("POST", "/api/client"): op(
            "POST",
            "/api/client",
            "Create or update clients",
            answer("The client, or all of them when several were sent", _one_or_many("Area")),
            status="201",
        ),
        ("GET", "/api/client/me"): op(
            "GET",
            "/api/client/me",
            "The client of the current portal user",
            answer("Never: API application credentials have no portal user", ref("Area")),
            description="Always 404 here: these credentials belong to an API application.",
        ),
        ("POST", "/api/client/newaccountsid"): op(
            "POST",
            "/api/client/newaccountsid",
            "Set clients' accounts-system id (`accountsid`)",
            answer("The clients", _one_or_many("Area")),
        ),
        ("POST", "/api/client/paymentmethodupdate"): op(
            "POST",
            "/api/client/paymentmethodupdate",
            "Change clients' payment method (Stripe) fields only",
            answer("The clients", _one_or_many("Area")),
        ),
        ("GET", "/api/client/{id:int}"): op(
            "GET", "/api/client/{id:int}", "Get a client", answer("The client", ref("Area"))
        ),
        ("POST", "/api/client/{id:int}"): op(
            "POST",
            "/api/client/{id:int}",
            "Update a client",
            answer("The client", ref("Area")),
            status="201",
            description="One Area object (or an array of one): updates client `id` as "
            "`POST /Client` would with that `id` in the object. An `id` in the object must be "
            "the same.",
        ),
        ("DELETE", "/api/client/{id:int}"): op(
            "DELETE", "/api/client/{id:int}", "Delete a client", answer("Deleted")
        ),
        ("GET", "/api/site"): op(
            "GET",
            "/api/site",
            "List sites",
            answer("Site_View", ref("Site_View")),
            params=[
                client_id,
                toplevel_id,
                query("search", STRING, "Sites whose name contains this."),
                *_lists(SITE_ORDERS, "name"),
            ],
        ),
        **record("/api/site", "site", "site", "Site"),
        ("GET", "/api/crmnote"): op(
            "GET",
            "/api/crmnote",
            "List CRM notes",
            answer(
                "The notes, newest first; with `pageinate=true`, a page of them in an envelope",
                {"anyOf": [array(ref("AreaNote")), ref("AreaNote_View")]},
            ),
            params=[client_id, toplevel_id, *_paging()],
        ),
        **record("/api/crmnote", "CRM note", "note", "AreaNote"),
        ("GET", "/api/popupnote"): op(
            "GET",
            "/api/popupnote",
            "List popup notes (from clients' `popup_notes`)",
            answer("The popup notes", array(ref("Carried"))),
            params=[
                client_id,
                query("site_id", INTEGER),
                query("user_id", INTEGER),
                query("showall", BOOLEAN, "Read ones too."),
            ],
        ),
        ("POST", "/api/popupnote/read"): op(
            "POST",
            "/api/popupnote/read",
            "Mark popup notes read",
            answer("The notes marked", {"anyOf": [ref("Carried"), array(ref("Carried"))]}),
        ),
        ("GET", "/api/recurringitem"): op(
            "GET",
            "/api/recurringitem",
            "List recurring items (from clients' `areaitems`)",
            answer("The items", array(ref("Carried"))),
            params=[client_id, query("pending_recurring_invoice", BOOLEAN, "Only those due.")],
        ),
        ("GET", "/api/arearequesttype"): op(
            "GET",
            "/api/arearequesttype",
            "List clients' allowed request types",
            answer("The request types", array(ref("AreaRequestType"))),
        ),
        ("GET", "/api/arearequesttype/{id:int}"): op(
            "GET",
            "/api/arearequesttype/{id:int}",
            "The request types allowed to one client",
            answer("The request types", array(ref("AreaRequestType"))),
        ),
        ("GET", "/api/areaazuretenant"): op(
            "GET",
            "/api/areaazuretenant",
            "List Azure tenant links (from clients' `azure_tenants`)",
            answer("The links", array(ref("Carried"))),
            params=[
                client_id,
                query("site_id", INTEGER),
                query("azure_tenant_id", STRING),
                query("details_id", INTEGER),
                query("notset", BOOLEAN),
            ],
        ),
        ("POST", TOKEN): Operation(
            "Trade client credentials for a bearer token",
            "auth",
            description=f"OAuth2 client credentials; the token lives {TOKEN_SECONDS} s. The id "
            "and secret may come as HTTP Basic instead (client_secret_basic); a JSON body with "
            "the same fields is accepted too.",
            parameters=[query("tenant", STRING, "When given, the account's slug.")],
            request=body(
                obj(
                    {
                        "grant_type": {"type": "string", "enum": [GRANT_TYPE]},
                        "client_id": STRING,
                        "client_secret": STRING,
                        "scope": {
                            "type": "string",
                            "description": "Space-separated; none means `all`.",
                        },
                        "tenant": STRING,
                    },
                    required=["grant_type"],
                    additional=True,
                ),
                media_type="application/x-www-form-urlencoded",
            ),
            responses={
                "200": answer("The token", ref("Token")),
                "400": answer("invalid_request, unsupported_grant_type", ref("OAuthError")),
                "401": answer("invalid_client", ref("OAuthError")),
            },
            security=[],
        ),
        ("GET", AUTHINFO): Operation(
            "Where the token endpoint is",
            "auth",
            parameters=[query("tenant", STRING)],
            responses={
                "200": answer(
                    "Discovery",
                    obj(
                        {"auth_url": STRING, "token_url": STRING, "tenant_id": or_null(STRING)},
                        required=["auth_url", "token_url", "tenant_id"],
                    ),
                )
            },
            security=[],
        ),
    }


def build() -> dict[str, Any]:
    served = [("POST", TOKEN), ("GET", AUTHINFO)]
    served += [(m, p) for p, methods in TABLE for m in methods]
    return document(
        title="Rolodex: HaloPSA door",
        description="The Halo API (HaloPSA) for clients (Halo's *Area*), sites, CRM notes and "
        "the records Halo hangs off a client, served by Rolodex under `/halo`: a program "
        "written for Halo changes only its base URL and credentials. Get a token from "
        "`POST /halo/auth/token` with the account's `halo.client_id` and "
        "`halo.client_secret` (OAuth2 client credentials; `rolodex accounts create --json` "
        "prints them), then send `Authorization: Bearer <access_token>`. Paths are "
        "case-insensitive; a POST takes a JSON array (or one object) and creates or "
        "updates. See docs/halo.md.",
        server=PREFIX,
        paths=paths(
            "halo",
            served,
            _operations(),
            {"id": "The record's id."},
            display={p: _shown(p) for _m, p in served},
        ),
        schemas=_schemas(),
        security_schemes={
            "oauth2": {
                "type": "oauth2",
                "description": "Client credentials: the account's Halo client id and secret.",
                "flows": {
                    "clientCredentials": {
                        "tokenUrl": f"{PREFIX}{TOKEN}",
                        "scopes": {
                            wire.ALL_SCOPE: "Everything",
                            f"read:{wire.CUSTOMERS}": "Read clients and sites",
                            f"edit:{wire.CUSTOMERS}": "Read and write clients and sites",
                            f"read:{wire.CRM}": "Read CRM notes",
                            f"edit:{wire.CRM}": "Read and write CRM notes",
                        },
                    }
                },
            }
        },
        security=[{"oauth2": []}],
    )
