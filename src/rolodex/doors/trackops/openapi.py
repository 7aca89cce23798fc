"""The Trackops door's OpenAPI 3.1 document, in Trackops' terms: its paths under /api/v1, its
field names (wire.py), list filters (query.py), bare-array lists, HTTP Basic with
`{username}/token`, and its `{"message", "errors"}` error bodies. Paths come from the route
table and field rules from rolodex.domain, so neither can change without the document."""

from __future__ import annotations

from typing import Any

from rolodex.apidocs.builder import (
    INTEGER,
    STRING,
    Operation,
    Schema,
    answer,
    array,
    body,
    document,
    field_schema,
    http_security,
    obj,
    or_null,
    paths,
    query,
    ref,
)
from rolodex.domain.fields import Field
from rolodex.domain.locations import REGION_CODE_RE
from rolodex.doors.trackops import params as filters
from rolodex.doors.trackops import wire
from rolodex.doors.trackops.errors import CHALLENGE
from rolodex.doors.trackops.routes import PREFIX, TABLE

ROOT = "/trackops"
TIMESTAMP: Schema = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$",
    "description": 'UTC, "YYYY-MM-DD HH:MM:SS".',
}
_FILTER_KINDS: dict[str, Schema] = {
    "id": {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1},
    "int": {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1},
    "str": {"type": "string"},
    "from": {"type": "string", "examples": ["2026-01-31 12:00:00", "2026-01-31"]},
    "to": {"type": "string", "examples": ["2026-01-31 12:00:00", "2026-01-31"]},
}
_FILTER_WORDS = {
    "id": "Exactly this id.",
    "int": "Exactly this number.",
    "str": "Exactly this value, ignoring case.",
    "from": 'At or after this UTC time: "YYYY-MM-DD HH:MM:SS", ISO 8601, or a date.',
    "to": "At or before this UTC time, to the end of the span it names (a date is its whole day).",
}


def _fields(table: tuple[tuple[str, str], ...], spec: dict[str, Field]) -> dict[str, Schema]:
    return {w: field_schema(spec[w]) for w, _name in table}


def _record(
    head: dict[str, Schema], table: tuple[tuple[str, str], ...], spec: dict[str, Field]
) -> dict[str, Schema]:
    return {**head, **_fields(table, spec), "created": TIMESTAMP, "updated": TIMESTAMP}


_EXTRAS = {
    "description": "Fields Trackops has that Rolodex does not are kept as sent and come back "
    "unchanged."
}


def _schemas() -> dict[str, Any]:
    location_props = _record(
        {"id": INTEGER, "root_id": {**INTEGER, "description": "The client's id."}},
        wire.LOCATION,
        wire.LOCATION_SPEC,
    )
    location = obj(location_props, required=list(location_props), additional=_EXTRAS)
    client_props = _record({"id": INTEGER}, wire.CLIENT, wire.CLIENT_SPEC)
    client_props["primary_location"] = or_null(ref("Location"))
    client = obj(client_props, required=list(client_props), additional=_EXTRAS)
    contact_props = _record(
        {
            "id": INTEGER,
            "client_id": {**INTEGER, "description": "The contact's location (a sub-client)."},
            "root_id": {**INTEGER, "description": "The location's client."},
        },
        wire.CONTACT,
        wire.CONTACT_SPEC,
    )
    contact = obj(contact_props, required=list(contact_props), additional=_EXTRAS)

    coded = {
        **_fields(wire.LOCATION, wire.LOCATION_SPEC),
        "state": {
            "type": "string",
            "pattern": REGION_CODE_RE.pattern.replace("A-Z", "A-Za-z"),
            "description": "2-character state or province code (upper-cased).",
        },
        "zip": {"type": ["string", "integer", "null"], "maxLength": 20},
    }
    location_in = {k: v for k, v in coded.items() if k != "is_primary"}
    new_location = obj(
        {
            wire.LOCATION_PARENT[0]: {**INTEGER, "description": "The client's id."},
            "is_primary": coded["is_primary"],
            **location_in,
        },
        required=[wire.LOCATION_PARENT[0], "name", "state", "country"],
        additional=True,
    )
    client_in = obj(
        {
            **_fields(wire.CLIENT, wire.CLIENT_SPEC),
            "primary_location": obj(
                location_in, required=["name", "state", "country"], additional=True
            ),
        },
        required=["name", "primary_location"],
        additional=True,
    )
    contact_in = obj(
        {
            wire.CONTACT_PARENT[0]: {**INTEGER, "description": "The location's id."},
            **_fields(wire.CONTACT, wire.CONTACT_SPEC),
        },
        required=[wire.CONTACT_PARENT[0], "role_id"],
        additional=True,
    )
    return {
        "Client": client,
        "Location": location,
        "Contact": contact,
        "ClientCreate": obj(
            {wire.CLIENT_WRAPPER: client_in},
            required=[wire.CLIENT_WRAPPER],
            additional=True,
            description="The client and its primary location, nested under `client`.",
        ),
        "LocationCreate": _wrapped(new_location, wire.LOCATION_WRAPPERS),
        "ContactCreate": _wrapped(contact_in, wire.CONTACT_WRAPPERS),
        "Count": obj(
            {"record_count": INTEGER, "page_count": INTEGER},
            required=["record_count", "page_count"],
        ),
        "Error": obj(
            {
                "message": STRING,
                "errors": {
                    "type": "object",
                    "additionalProperties": array(STRING),
                    "description": "Each failing field (wire name, `primary_location.state` "
                    "for a nested one, `base` for none) and its messages.",
                },
            },
            required=["message"],
        ),
    }


def _wrapped(record: Schema, wrappers: tuple[str, ...]) -> Schema:
    names = ", ".join(f"`{w}`" for w in wrappers)
    return {
        "description": f"The record itself, or wrapped in one of {names}.",
        "anyOf": [
            record,
            *(obj({w: record}, required=[w], additional=True) for w in wrappers),
        ],
    }


def _error(description: str, headers: dict[str, Schema] | None = None) -> dict[str, Any]:
    return answer(description, ref("Error"), headers=headers)


def _common() -> dict[str, Any]:
    return {
        "401": _error(
            "Missing or wrong credentials",
            {"WWW-Authenticate": {"type": "string", "const": CHALLENGE}},
        ),
    }


def _list(noun: str, tag: str, schema: str, filter_table: dict[str, filters.Filter]) -> Operation:
    params = [
        query(name, _FILTER_KINDS[f.kind], _FILTER_WORDS[f.kind])
        for name, f in filter_table.items()
    ]
    params += [
        query("page", {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}, "From 1."),
        query(
            "per_page",
            {"type": "integer", "minimum": 1, "maximum": filters.MAX_PER_PAGE},
            f"Default {filters.DEFAULT_PER_PAGE}.",
        ),
        query("dir", {"type": "string", "enum": ["asc", "desc"]}, "By id; default asc."),
        query(
            "mode",
            {"type": "string", "enum": ["count"]},
            "`count` answers how many match instead of the records.",
        ),
    ]
    return Operation(
        f"List {noun}",
        tag,
        description="A bare JSON array, in id order. An empty filter is no filter; a "
        "parameter a list does not have is ignored.",
        parameters=params,
        responses={
            "200": answer(
                f"The page of {noun} (or, with mode=count, how many)",
                {"anyOf": [array(ref(schema)), ref("Count")]},
            ),
            "400": _error("A parameter has a value of the wrong shape"),
            **_common(),
        },
    )


def _get(noun: str, tag: str, schema: str) -> Operation:
    return Operation(
        f"Get a {noun}",
        tag,
        responses={
            "200": answer(f"The {noun}", ref(schema)),
            **_common(),
            "404": _error(f"No {noun} with this id in the account"),
        },
    )


def _create(
    noun: str, tag: str, schema: str, request: str, path: str, description: str
) -> Operation:
    return Operation(
        f"Create a {noun}",
        tag,
        description=description,
        request=body(ref(request)),
        responses={
            "201": answer(
                f"The {noun} created",
                ref(schema),
                headers={"Location": {"type": "string", "examples": [f"{PREFIX}/{path}/1"]}},
            ),
            "400": _error("The body is not a JSON object"),
            **_common(),
            "422": _error("A field is invalid; nothing was written"),
        },
    )


def _operations() -> dict[tuple[str, str], Operation]:
    api = PREFIX.removeprefix(ROOT)
    docs = {
        ("GET", "/clients"): _list("clients", "clients", "Client", filters.CLIENT_FILTERS),
        ("GET", "/clients/{id:int}"): _get("client", "clients", "Client"),
        ("POST", "/clients"): _create(
            "client",
            "clients",
            "Client",
            "ClientCreate",
            "clients",
            "A client and its primary location, both or neither.",
        ),
        ("GET", "/client/locations"): _list(
            "client locations", "client/locations", "Location", filters.LOCATION_FILTERS
        ),
        ("GET", "/client/locations/{id:int}"): _get(
            "client location", "client/locations", "Location"
        ),
        ("POST", "/client/locations"): _create(
            "client location",
            "client/locations",
            "Location",
            "LocationCreate",
            "client/locations",
            "A location of the client `root_id`. `is_primary` moves the primary flag to it.",
        ),
        ("GET", "/client/contacts"): _list(
            "client contacts", "client/contacts", "Contact", filters.CONTACT_FILTERS
        ),
        ("GET", "/client/contacts/{id:int}"): _get("client contact", "client/contacts", "Contact"),
        ("POST", "/client/contacts"): _create(
            "client contact",
            "client/contacts",
            "Contact",
            "ContactCreate",
            "client/contacts",
            "A contact at the location `client_id` (Trackops calls locations sub-clients).",
        ),
    }
    return {(m, api + p): op for (m, p), op in docs.items()}


def build() -> dict[str, Any]:
    api = PREFIX.removeprefix(ROOT)
    served = [(m, api + p) for p, specs in TABLE for m in specs]
    return document(
        title="Rolodex: Trackops door",
        description="Trackops' Developer API for clients, client locations and client "
        "contacts, served by Rolodex: a program written for Trackops changes only its base "
        "URL to `http://HOST:PORT/trackops`. Authenticate with HTTP Basic: the username "
        "`{username}/token` and the account's Trackops token as the password "
        "(`rolodex accounts create --json` prints both under `trackops`). A trailing slash "
        "is accepted; another method on a known path is a 405 with `Allow`. See "
        "docs/trackops.md.",
        server=ROOT,
        paths=paths("trackops", served, _operations(), {"id": "The record's id."}),
        schemas=_schemas(),
        **http_security(
            "basic",
            "Username `{username}/token` (the `/token` suffix included), password the account's "
            "Trackops API token.",
        ),
    )
