"""The Ticket Evolution door's OpenAPI 3.1 document, in TEvo's terms: /v9 paths, string ids,
plural wrappers and numbered-page envelopes, each contact-point resource's own answer shapes,
X-Token + X-Signature, and its Rails-style error bodies. Paths come from routes.table(), request
fields from wire.py (with the shared rules behind them) and answer shapes from contact_points'
declarations, so none of them can change without the document."""

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
    money_in,
    obj,
    or_null,
    paths,
    query,
    ref,
)
from rolodex.domain.fields import (
    ADDRESS_FIELDS,
    CLIENT_FIELDS,
    COMPANY_FIELDS,
    EMAIL_FIELDS,
    PHONE_FIELDS,
    Field,
)
from rolodex.doors.tevo import wire
from rolodex.doors.tevo.auth import TOKEN_MAX
from rolodex.doors.tevo.contact_points import BARE, PAGED, PLAIN, RESOURCES, ContactPoints
from rolodex.doors.tevo.errors import SIGNATURE_INCORRECT, UNAUTHORIZED
from rolodex.doors.tevo.params import OPERATORS
from rolodex.doors.tevo.routes import PREFIX, table

ID: Schema = {"type": "string", "pattern": r"^[0-9]+$", "examples": ["168019"]}
TIME: Schema = {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"}
MONEY: Schema = {"type": "string", "pattern": r"^-?\d+\.\d+$", "examples": ["0.0", "12.5"]}
NAME = {"addresses": "Address", "phone_numbers": "PhoneNumber", "email_addresses": "EmailAddress"}
NOUN = {"addresses": "address", "phone_numbers": "phone number", "email_addresses": "email address"}


def _in(fields: dict[str, wire.WireField], spec: dict[str, Field]) -> dict[str, Schema]:
    """A request record's properties: each wire name with what its kind reads and the shared
    rule (or TEvo's stricter limit) behind it."""
    out: dict[str, Schema] = {}
    for name, wf in fields.items():
        rule = spec[wf.domain]
        schema: Schema
        if wf.kind == wire.FLAG:
            schema = {"type": ["boolean", "null"]}
        elif wf.kind == wire.ID:
            schema = {"type": ["integer", "string", "null"], "description": "An id."}
        elif wf.kind == wire.NUMBER:
            schema = field_schema(rule, nullable=True, describe=False)
        elif wf.kind == wire.DECIMAL:
            schema = money_in(nullable=True)
        else:
            schema = field_schema(rule, describe=False)
            limits = [x for x in (wf.max_length, rule.max_length) if x]
            if limits:
                schema["maxLength"] = min(limits)
        if rule.description:
            schema["description"] = rule.description
        out[name] = schema
    return out


def _schemas() -> dict[str, Any]:
    text = or_null(STRING)
    address = {
        "id": ID,
        "url": STRING,
        "label": text,
        "name": text,
        "company": text,
        "street_address": text,
        "extended_address": text,
        "locality": text,
        "region": text,
        "postal_code": text,
        "country_code": text,
        "latitude": or_null({"type": "number"}),
        "longitude": or_null({"type": "number"}),
        "po_box": BOOLEAN,
        "primary": BOOLEAN,
        "primary_shipping_address": BOOLEAN,
        "primary_billing_address": BOOLEAN,
        "updated_at": TIME,
    }
    phone = {
        "id": ID,
        "url": STRING,
        "label": text,
        "country_code": text,
        "area_code": text,
        "number": STRING,
        "extension": text,
        "raw_number": STRING,
        "primary": BOOLEAN,
        "updated_at": TIME,
    }
    email = {
        "id": ID,
        "url": STRING,
        "address": STRING,
        "label": text,
        "primary": BOOLEAN,
        "updated_at": TIME,
    }
    company = {"id": ID, "url": STRING, "name": STRING, "updated_at": TIME}
    brokerage = {"url": STRING, "name": STRING, "id": ID, "abbreviation": STRING}
    office = {
        "brokerage": obj(brokerage, required=list(brokerage)),
        "url": STRING,
        "name": STRING,
        "id": ID,
        "pcc_code": {"type": "null"},
    }
    client: dict[str, Schema] = {
        "id": ID,
        "url": STRING,
        "name": STRING,
        "notes": text,
        "balance": MONEY,
        "tags": array(STRING),
        "company": or_null(ref("Company")),
        "office": or_null(ref("Office")),
        "addresses": array(ref("Address")),
        "phone_numbers": array(ref("PhoneNumber")),
        "email_addresses": array(ref("EmailAddress")),
        "primary_shipping_address": or_null(ref("Address")),
        "primary_billing_address": or_null(ref("Address")),
        "primary_phone_number": or_null(ref("PhoneNumber")),
        "primary_email_address": or_null(ref("EmailAddress")),
        "primary_credit_card": {"type": "null", "description": "Credit cards are not served."},
        "updated_at": TIME,
        "commission_junction_sid": {"type": ["string", "null"], "maxLength": 255},
        "pnr_id": {"type": ["string", "integer", "null"]},
        "affiliate_store": {"type": ["object", "null"]},
    }
    assert set(wire.CLIENT_VENDOR_ONLY) <= set(client)
    address_in = _in(wire.ADDRESS_IN, ADDRESS_FIELDS)
    phone_in = _in(wire.PHONE_IN, PHONE_FIELDS)
    email_in = _in(wire.EMAIL_IN, EMAIL_FIELDS)
    client_in = {
        **_in(wire.CLIENT_IN, CLIENT_FIELDS),
        "tags": {"type": ["array", "string", "null"], "items": STRING},
        "company": or_null(obj(_in(wire.COMPANY_IN, COMPANY_FIELDS), additional=True)),
        "commission_junction_sid": client["commission_junction_sid"],
        "pnr_id": client["pnr_id"],
        "affiliate_store": client["affiliate_store"],
    }
    client_in["name"]["description"] = "First and last name: must include a space."
    creating = {
        **client_in,
        "addresses": array(ref("AddressIn")),
        "phone_numbers": array(ref("PhoneNumberIn")),
        "email_addresses": array(ref("EmailAddressIn")),
    }
    updating = {
        **client_in,
        **{key: {"type": ["integer", "string", "null"]} for key in wire.PRIMARY_PICKS},
    }
    out: dict[str, Any] = {
        "Client": obj(client, required=list(client)),
        "Address": obj(address, required=list(address)),
        "PhoneNumber": obj(phone, required=list(phone)),
        "EmailAddress": obj(email, required=list(email)),
        "Company": obj(company, required=list(company)),
        "Office": obj(office, required=list(office)),
        "ClientIn": obj(creating, required=["name"], additional=True),
        "ClientUpdate": obj(
            updating,
            additional=True,
            description="Only the fields sent change. Contact points change through their "
            "own endpoints; `primary_*_id` moves a primary flag to one of them.",
        ),
        "AddressIn": obj(address_in, additional=True),
        "PhoneNumberIn": obj(phone_in, required=["number"], additional=True),
        "EmailAddressIn": obj(email_in, required=["address"], additional=True),
        "CompanyIn": obj(_in(wire.COMPANY_IN, COMPANY_FIELDS), required=["name"], additional=True),
        "Error": obj({"error": STRING}, required=["error"]),
        "NotFound": obj(
            {"message": STRING, "error": {"type": "string", "const": "Not Found"}},
            required=["message", "error"],
        ),
        "Unprocessable": {
            "type": "object",
            "description": "The request's own shape, each record carrying Rails-style `errors` "
            '(`{"field": ["message"]}`, `{}` for a record that was valid itself): a create '
            "answers its plural wrapper with every record as sent; an update the record as it "
            "stands, shaped as that resource answers an update. Nothing is written.",
        },
        "Deleted": {
            "type": "object",
            "description": 'The plural key holding the deleted id: `{"addresses": [{"id": "7"}]}`.',
            "additionalProperties": array(obj({"id": ID}, required=["id"])),
        },
    }
    return out


def _page(key: str, item: str) -> Schema:
    return obj(
        {
            "current_page": INTEGER,
            "per_page": INTEGER,
            "total_entries": INTEGER,
            key: array(ref(item)),
        },
        required=["current_page", "per_page", "total_entries", key],
    )


def _shape(shape: str, key: str, item: str) -> Schema:
    if shape == BARE:
        return ref(item)
    if shape == PAGED:
        return _page(key, item)
    return obj({key: array(ref(item))}, required=[key])


def _responses(ok_status: str, ok: dict[str, Any], *, write: bool) -> dict[str, Any]:
    out = {
        ok_status: ok,
        "400": answer("The request cannot be read", ref("Error")),
        "401": answer(
            f'`{{"error": "{UNAUTHORIZED}"}}` for a missing or unknown token; '
            f'`{{"error": "{SIGNATURE_INCORRECT}"}}` for a wrong signature',
            ref("Error"),
        ),
        "404": answer("No such record in this account", ref("NotFound")),
    }
    if write:
        out["422"] = answer("A record is invalid; nothing was written", ref("Unprocessable"))
    return out


def _create(summary: str, key: str, item: str, description: str, shape: str = PLAIN) -> Operation:
    """A POST that creates records: an array of them under their plural key, all or nothing;
    the answer is `shape` (contact_points' words)."""
    return Operation(
        summary,
        key,
        description=description,
        request=body(obj({key: array(ref(f"{item}In"))}, required=[key], additional=True)),
        responses=_responses("201", answer("Created", _shape(shape, key, item)), write=True),
    )


def _get(noun: str, key: str, item: str) -> Operation:
    return Operation(
        f"Get a {noun}",
        key,
        responses=_responses("200", answer(f"The {noun}", ref(item)), write=False),
    )


PAGING = [
    query("page", {"type": "integer", "minimum": 1, "maximum": 999_999_999}, "From 1."),
    query(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": 999_999_999},
        f"Default {wire.PER_PAGE_DEFAULT}; more than {wire.PER_PAGE_MAX} is served as "
        f"{wire.PER_PAGE_MAX}.",
    ),
]


def _time_filters() -> list[dict[str, Any]]:
    out = []
    when: Schema = {"type": "string", "examples": ["2026-11-23", "2026-11-23T16:07:32Z"]}
    for column in ("created_at", "updated_at"):
        out.append(query(column, when, "Within the day, minute, second or instant written (UTC)."))
        for op in OPERATORS:
            if op != "eq":
                out.append(query(f"{column}.{op}", when, f"{op} the value's span."))
    return out


def _contact_points(resource: ContactPoints) -> dict[tuple[str, str], Operation]:
    key = resource.key
    item = NAME[key]
    noun = NOUN[key]
    base = f"/v9/clients/{{client_id}}/{key}"
    one = f"{base}/{{id}}"
    return {
        ("GET", base): Operation(
            f"List a client's {key.replace('_', ' ')}",
            key,
            parameters=PAGING,
            responses=_responses("200", answer("A page", _page(key, item)), write=False),
        ),
        ("POST", base): _create(
            f"Add {key.replace('_', ' ')} to a client",
            key,
            item,
            "An array, all or nothing.",
            resource.created_as,
        ),
        ("GET", one): _get(noun, key, item),
        ("PUT", one): Operation(
            f"Change a {noun}",
            key,
            description="The bare object; only the fields sent change.",
            request=body(ref(f"{item}In")),
            responses=_responses(
                "200", answer("Changed", _shape(resource.updated_as, key, item)), write=True
            ),
        ),
        ("DELETE", one): Operation(
            f"Delete a {noun}",
            key,
            responses=_responses("200", answer("Deleted", ref("Deleted")), write=True),
        ),
    }


def _operations() -> dict[tuple[str, str], Operation]:
    docs: dict[tuple[str, str], Operation] = {
        ("GET", "/v9/clients"): Operation(
            "List clients",
            "clients",
            description="In id order. Time conditions combine with AND; "
            "`created_at[gte]=` is accepted for `created_at.gte=`.",
            parameters=[
                query("name", STRING, "Exactly this name."),
                query("office_id", {"type": "integer", "minimum": 1}, "In this office."),
                query("company_id", {"type": "integer", "minimum": 1}, "Of this company."),
                *_time_filters(),
                *PAGING,
            ],
            responses=_responses("200", answer("A page", _page("clients", "Client")), write=False),
        ),
        ("POST", "/v9/clients"): _create(
            "Create clients",
            "clients",
            "Client",
            "An array in `clients`, all or nothing. A `company` object without an `id` creates "
            "that company.",
        ),
        ("GET", "/v9/clients/{client_id}"): _get("client", "clients", "Client"),
        ("PUT", "/v9/clients/{client_id}"): Operation(
            "Change a client",
            "clients",
            description="The bare object; only the fields sent change.",
            request=body(ref("ClientUpdate")),
            responses=_responses("200", answer("The client now", ref("Client")), write=True),
        ),
        ("GET", "/v9/companies"): Operation(
            "List companies",
            "companies",
            parameters=[query("name", STRING, "Exactly this name."), *PAGING],
            responses=_responses(
                "200", answer("A page", _page("companies", "Company")), write=False
            ),
        ),
        ("POST", "/v9/companies"): _create(
            "Create companies", "companies", "Company", "An array in `companies`, all or nothing."
        ),
        ("GET", "/v9/companies/{company_id}"): _get("company", "companies", "Company"),
        ("PUT", "/v9/companies/{company_id}"): Operation(
            "Rename a company",
            "companies",
            request=body(ref("CompanyIn")),
            responses=_responses("200", answer("The company now", ref("Company")), write=True),
        ),
        ("DELETE", "/v9/companies/{company_id}"): Operation(
            "Delete a company",
            "companies",
            description="Its clients stay, without a company.",
            responses=_responses("200", answer("Deleted", ref("Deleted")), write=True),
        ),
    }
    for resource in RESOURCES:
        docs.update(_contact_points(resource))
    return docs


SIGNING = (
    "`X-Signature` is base64(HMAC-SHA256(secret, string_to_sign)), where string_to_sign is "
    '`"{METHOD} {host}{path}?{rest}"`: the Host you send (`:80`/`:443` dropped), the full '
    "path (`/tevo/v9/clients`), and for POST, PUT and PATCH the exact raw body, otherwise the "
    "query string sorted by key. The spellings other client code signs (the host without its "
    "port, `http://` over plain HTTP, the query as sent or encoded again) are accepted too. "
    "OpenAPI cannot describe a header computed per request; on "
    "this page, type the account's **secret** into the X-Signature box: the page computes the "
    "signature for each request and sends only that (the secret never leaves the browser). "
    "See docs/tevo.md."
)


def build() -> dict[str, Any]:
    served = [(method, path) for method, path, _handler in table()]
    return document(
        title="Rolodex: Ticket Evolution door",
        description="The client endpoints of the Ticket Evolution API v9, served by Rolodex: "
        "an SDK's base URL is `http://HOST:PORT/tevo` (it adds `/v9`). Ids are strings, times "
        "UTC to the second, money a decimal string; lists answer `{current_page, per_page, "
        "total_entries, <records>}`; creates take an array in a plural wrapper and are all or "
        "nothing. Unknown keys and the read-only keys of answers are ignored in a body, so a "
        "record read here can be sent back. Every request carries `X-Token` and "
        "`X-Signature` (`rolodex accounts create --json` prints the token and secret under "
        "`tevo`). " + SIGNING,
        server=PREFIX,
        paths=paths(
            "tevo",
            served,
            _operations(),
            {"client_id": "The client's id.", "company_id": "The company's id.", "id": "Its id."},
        ),
        schemas=_schemas(),
        security_schemes={
            "token": {
                "type": "apiKey",
                "in": "header",
                "name": "X-Token",
                "description": f"The account's TEvo token (at most {TOKEN_MAX} characters).",
            },
            "signature": {
                "type": "apiKey",
                "in": "header",
                "name": "X-Signature",
                "description": SIGNING,
            },
        },
        security=[{"token": [], "signature": []}],
    )
