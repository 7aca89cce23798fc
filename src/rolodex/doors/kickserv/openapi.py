"""The Kickserv door's OpenAPI 3.1 document, in Kickserv's terms: `.json` paths under the
account's slug (their `.xml` twins, routes.XML_TABLE, are named in its description, not
listed), wrapped bodies (`{"customer": {...}}`), every key of an object always present,
creates answering 200, HTTP Basic with the token as user and password, Rails' `{"errors": ...}`
bodies and its plain-text 401. Paths come from the route table (routes.TABLE) and keys from
wire.py, so neither can change without the document."""

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
    http_security,
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
    JOB_FIELDS,
    LOCATION_FIELDS,
    PAYMENT_FIELDS,
)
from rolodex.doors.kickserv import customers, params, records, wire
from rolodex.doors.kickserv.errors import ACCESS_DENIED, CHALLENGE
from rolodex.doors.kickserv.routes import CUSTOMER, JOB, TABLE

ROOT = "/kickserv/{slug}"
JSON = "application/json; charset=utf-8"
TIME: Schema = {"type": ["string", "null"], "format": "date-time"}
SCALAR: Schema = {"type": ["string", "number", "boolean", "null"]}
MONEY: Schema = {"type": "string", "pattern": r"^-?\d+\.\d{2,4}$", "examples": ["1464.27"]}
NUMBER_PARAM: Schema = {"type": "integer", "minimum": 0, "maximum": 2**31 - 1}
ID_PARAM: Schema = {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}
SCHEDULED = (
    "today",
    "tomorrow",
    "this_week",
    "next_week",
    "last_week",
    "this_month",
    "next_month",
    "last_month",
)


def _text(schema: Schema) -> Schema:
    return {k: v for k, v in schema.items() if k not in ("format", "pattern")}


def _vendor(key: str, integers: frozenset[str], flags: frozenset[str]) -> Schema:
    if key in integers:
        return or_null({"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1})
    if key in flags:
        return or_null(BOOLEAN)
    return SCALAR


def _customer_keys() -> dict[str, Schema]:
    """Every customer key, in the vendor's order, as this door renders it."""
    known: dict[str, Schema] = {
        "id": INTEGER,
        "customer_number": INTEGER,
        "created_at": TIME,
        "updated_at": TIME,
        "is_active": BOOLEAN,
        "company": {**BOOLEAN, "description": "true for an organization, false for a person."},
        "balance": MONEY,
        "total_balance": MONEY,
        "children": array(INTEGER, maxItems=0),
        "company_name": or_null(STRING),
        wire.EMAIL_ADDRESS: or_null(STRING),
        **{slot: or_null(STRING) for slot in wire.PHONE_SLOTS},
        **{
            k: _text(field_schema(LOCATION_FIELDS[c], nullable=True))
            for k, c in wire.SERVICE.items()
        },
        **{
            k: _text(field_schema(ADDRESS_FIELDS[c], nullable=True))
            for k, c in wire.BILLING.items()
        },
    }
    for key, column in wire.CUSTOMER_CLIENT_FIELDS.items():
        if key not in known:
            known[key] = field_schema(CLIENT_FIELDS[column], nullable=column != "name")
    out: dict[str, Schema] = {}
    for key in wire.CUSTOMER_KEYS:
        out[key] = known.get(key) or _vendor(
            key, wire.CUSTOMER_INTEGER_KEYS, wire.CUSTOMER_BOOLEAN_KEYS
        )
    return out


def _customer_in() -> Schema:
    text: Schema = {"type": ["string", "number", "null"]}
    props: dict[str, Schema] = {
        "name": {"type": ["string", "number"], "maxLength": 200},
        "first_name": text,
        "last_name": text,
        "special_instructions": text,
        "balance": money_in(),
        wire.IS_ACTIVE: BOOLEAN,
        wire.COMPANY: {**BOOLEAN, "description": "true for an organization (the default)."},
        **dict.fromkeys(wire.SERVICE, text),
        **dict.fromkeys(wire.BILLING, text),
        **dict.fromkeys(wire.PHONE_SLOTS, or_null(STRING)),
        wire.EMAIL_ADDRESS: or_null({"type": "string", "format": "email"}),
    }
    for key in sorted(wire.CUSTOMER_VENDOR_KEYS):
        props[key] = _vendor(key, wire.CUSTOMER_INTEGER_KEYS, wire.CUSTOMER_BOOLEAN_KEYS)
    return obj(
        props,
        additional=True,
        description='Values are cast as Rails casts them: `"61"` is 61, `"true"`/`"1"` '
        "are true, a number for a text field is its text. Keys Rolodex assigns (`id`, "
        "`customer_number`, times) and keys Kickserv does not have are ignored.",
    )


def _schemas() -> dict[str, Any]:
    keys = _customer_keys()
    note_props: dict[str, Schema] = {
        "id": INTEGER,
        "note": STRING,
        "noteable_id": INTEGER,
        "noteable_type": {"type": "string", "enum": ["Customer", "Job"]},
        "public": BOOLEAN,
        "created_at": TIME,
        "updated_at": TIME,
    }
    creator = or_null(
        obj(
            {
                "id": {"type": "null"},
                "name": STRING,
                "first_name": STRING,
                "last_name": or_null(STRING),
            },
            required=["id", "name", "first_name", "last_name"],
        )
    )
    job_props: dict[str, Schema] = {
        "id": INTEGER,
        "account_id": INTEGER,
        "customer_id": INTEGER,
        "job_number": INTEGER,
        "name": or_null(STRING),
        "job_type_id": or_null(INTEGER),
        "status": STRING,
        "description": or_null(STRING),
        "scheduled_on": TIME,
        "completed_on": TIME,
        "created_at": TIME,
        "updated_at": TIME,
        **{k: _vendor(k, frozenset(), wire.JOB_BOOLEAN_KEYS) for k in wire.JOB_VENDOR_KEYS},
    }
    payment_props: dict[str, Schema] = {
        "id": INTEGER,
        "amount": MONEY,
        "date": {"type": "string", "format": "date"},
        "payment_type": or_null(STRING),
        "notes": or_null(STRING),
        "ref_number": or_null(STRING),
        "payment_application_ids": array(INTEGER),
        "created_at": TIME,
        "updated_at": TIME,
        **{k: SCALAR for k in wire.PAYMENT_VENDOR_KEYS},
    }
    job_in: dict[str, Schema] = {
        "name": {
            **_text(field_schema(JOB_FIELDS["job_type"], nullable=True)),
            "description": "The job type (Kickserv's service), e.g. Repair.",
        },
        "job_type_id": or_null({"type": ["integer", "string"]}),
        "status": field_schema(JOB_FIELDS["status"], nullable=True),
        "description": or_null(STRING),
        "scheduled_on": or_null({"type": "string", "format": "date-time"}),
        "completed_on": or_null({"type": "string", "format": "date-time"}),
        **{k: _vendor(k, frozenset(), wire.JOB_BOOLEAN_KEYS) for k in wire.JOB_VENDOR_KEYS},
    }
    payment_in: dict[str, Schema] = {
        "amount": money_in(),
        "date": {"type": "string", "format": "date"},
        "payment_type": _text(field_schema(PAYMENT_FIELDS["payment_type"], nullable=True)),
        "notes": or_null(STRING),
        "ref_number": _text(field_schema(PAYMENT_FIELDS["reference"], nullable=True)),
        **{k: SCALAR for k in wire.PAYMENT_VENDOR_KEYS},
    }
    return {
        "Customer": obj(keys, required=list(keys)),
        "EmptyCustomer": obj(
            {k: {"type": "null"} for k in keys},
            required=list(keys),
            description="What filter.json lists, alone, when no customer matches.",
        ),
        "CustomerWrite": obj({"customer": _customer_in()}, required=["customer"], additional=True),
        "Note": obj(note_props, required=list(note_props)),
        "NoteWithCreator": obj(
            {**note_props, "creator": creator}, required=[*note_props, "creator"]
        ),
        "NoteWrite": obj(
            {
                "note": obj(
                    {"note": STRING, "public": {"type": ["boolean", "string", "integer"]}},
                    additional=True,
                )
            },
            required=["note"],
            additional=True,
        ),
        "Job": obj(job_props, required=list(job_props)),
        "JobWrite": obj(
            {"job": obj(job_in, additional=True)},
            required=["job"],
            additional=True,
            description="A new job needs `job_type_id`.",
        ),
        "NewJob": obj(
            {
                "job": obj(job_in, additional=True),
                "customer_number": {"type": ["integer", "string"]},
            },
            required=["job", "customer_number"],
            additional=True,
        ),
        "Payment": obj(payment_props, required=list(payment_props)),
        "PaymentWrite": obj(
            {"payment": obj(payment_in, additional=True)}, required=["payment"], additional=True
        ),
        "Errors": obj(
            {
                "errors": {
                    "type": "object",
                    "additionalProperties": array(STRING),
                    "description": "Each failing wire field, or `base`, and its messages.",
                }
            },
            required=["errors"],
        ),
    }


def _ok(description: str, schema: Schema) -> dict[str, Any]:
    return answer(description, schema, media_type=JSON)


def _errors(description: str) -> dict[str, Any]:
    return answer(description, ref("Errors"), media_type=JSON)


def _responses(ok: dict[str, Any], *, write: bool, found: bool = True) -> dict[str, Any]:
    out = {
        "200": ok,
        "401": answer(
            "A missing or wrong token, or a slug that is not the token's account",
            {"type": "string", "const": ACCESS_DENIED},
            media_type="text/plain; charset=utf-8",
            headers={"WWW-Authenticate": {"type": "string", "const": CHALLENGE}},
        ),
    }
    if found:
        out["404"] = _errors("No such record under this path (`Invalid customer.`)")
    out["400"] = _errors("A query parameter or the body cannot be read")
    if write:
        out["422"] = _errors("A field is invalid; nothing was written")
    return out


def _paging(first: str = "page") -> list[dict[str, Any]]:
    out = [query(first, {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}, "From 1.")]
    if first == "page":
        out.append(
            query(
                "per_page",
                {"type": "integer", "minimum": 1, "maximum": params.MAX_PER_PAGE},
                f"Default {records.PER_PAGE}.",
            )
        )
    return out


def _statuses() -> list[dict[str, Any]]:
    words = "Only jobs with one of these statuses"
    return [
        query("status", STRING, words + " (one)."),
        query("status[]", array(STRING), words + ".", explode=True),
    ]


def _customer_filters() -> list[dict[str, Any]]:
    text = "Matches the whole value, ignoring case."
    out = [
        query("customer_number", NUMBER_PARAM, "Exactly this customer number."),
        query("name", STRING, text),
        query("q", STRING, "Part of the name, ignoring case."),
        query("begins_with", STRING, "The start of the name, ignoring case."),
        *(query(k, STRING, text) for k in (*wire.SERVICE, *wire.BILLING)),
        query("email_address", STRING, text),
        query("phone_number", STRING, text),
        *(query(k, NUMBER_PARAM, "Exactly this id.") for k in params.VENDOR_INTEGER_FILTERS),
    ]
    return [*out, *_paging("customers_page")]


def _crud(noun: str, schema: str, write: str, answered: str | None = None) -> dict[str, Operation]:
    shown = ref(answered or schema)
    tag = f"{noun}s"
    return {
        "GET": Operation(
            f"Get a {noun}", tag, responses=_responses(_ok(noun, ref(schema)), write=False)
        ),
        "PUT": Operation(
            f"Change a {noun}",
            tag,
            description="Only the fields sent change.",
            request=body(ref(write)),
            responses=_responses(_ok(f"The {noun} now", shown), write=True),
        ),
        "PATCH": Operation(
            f"Change a {noun} (as PUT)",
            tag,
            request=body(ref(write)),
            responses=_responses(_ok(f"The {noun} now", shown), write=True),
        ),
        "DELETE": Operation(
            f"Delete a {noun}",
            tag,
            responses=_responses(_ok(f"The {noun} deleted", ref(schema)), write=True),
        ),
    }


def _operations() -> dict[tuple[str, str], Operation]:
    customer_ops = _crud("customer", "Customer", "CustomerWrite")
    customer_ops["DELETE"] = Operation(
        "Delete a customer",
        "customers",
        description="Deletes the customer and everything it owns.",
        responses=_responses(
            _ok(
                "Deleted",
                obj({"message": {"type": "string", "const": customers.DELETED["message"]}}),
            ),
            write=True,
        ),
    )
    note_list = Operation(
        "List notes",
        "notes",
        parameters=_paging(),
        responses=_responses(_ok("A page of notes", array(ref("Note"))), write=False),
    )
    note_create = Operation(
        "Add a note",
        "notes",
        request=body(ref("NoteWrite")),
        responses=_responses(_ok("The note", ref("NoteWithCreator")), write=True),
    )
    job_list_params = [*_statuses(), *_paging()]
    docs: dict[tuple[str, str], Operation] = {
        ("GET", "/customers.json"): Operation(
            "List customers",
            "customers",
            description=f"{customers.PER_PAGE} a page, by customer number. A blank filter is "
            "no filter; unknown parameters are ignored.",
            parameters=_customer_filters(),
            responses=_responses(
                _ok("A page of customers", array(ref("Customer"))), write=False, found=False
            ),
        ),
        ("POST", "/customers.json"): Operation(
            "Create a customer",
            "customers",
            description="Answers 200, as Kickserv does.",
            request=body(ref("CustomerWrite")),
            responses=_responses(_ok("The customer", ref("Customer")), write=True, found=False),
        ),
        ("POST", "/customers/customer_validation.json"): Operation(
            "Is there a customer of this name?",
            "customers",
            description="Takes `{name}` or `{customer: {name}}`; matches the whole name, "
            "ignoring case. Writes nothing.",
            request=body(
                {
                    "anyOf": [
                        obj({"name": STRING}, required=["name"], additional=True),
                        obj(
                            {"customer": obj({"name": STRING}, required=["name"], additional=True)},
                            required=["customer"],
                            additional=True,
                        ),
                    ]
                }
            ),
            responses=_responses(
                _ok(
                    "Found or not",
                    {
                        "anyOf": [
                            obj(
                                {"status": {"type": "string", "const": "not found"}},
                                required=["status"],
                            ),
                            obj(
                                {
                                    "status": {"type": "string", "const": "exist"},
                                    "customer_url": STRING,
                                    "customer_name": STRING,
                                    "customer": ref("Customer"),
                                },
                                required=["status", "customer_url", "customer_name", "customer"],
                            ),
                        ]
                    },
                ),
                write=True,
                found=False,
            ),
        ),
        ("GET", "/customers/filter.json"): Operation(
            "Customers whose name contains a text",
            "customers",
            description="When none matches, Kickserv's documented answer: a list holding one "
            "customer whose every key is null.",
            parameters=[query("name", STRING, "Part of the name."), *_paging("customers_page")],
            responses=_responses(
                _ok(
                    "The customers",
                    obj(
                        {"customers": array({"anyOf": [ref("Customer"), ref("EmptyCustomer")]})},
                        required=["customers"],
                    ),
                ),
                write=False,
                found=False,
            ),
        ),
        ("GET", f"{CUSTOMER}/notes.json"): note_list,
        ("POST", f"{CUSTOMER}/notes.json"): note_create,
        ("GET", f"{CUSTOMER}/jobs.json"): Operation(
            "List a customer's jobs",
            "jobs",
            parameters=job_list_params,
            responses=_responses(_ok("A page of jobs", array(ref("Job"))), write=False),
        ),
        ("POST", f"{CUSTOMER}/jobs.json"): Operation(
            "Add a job to a customer",
            "jobs",
            request=body(ref("JobWrite")),
            responses=_responses(_ok("The job", ref("Job")), write=True),
        ),
        ("GET", f"{CUSTOMER}/payments.json"): Operation(
            "List a customer's payments",
            "payments",
            parameters=_paging(),
            responses=_responses(_ok("A page of payments", array(ref("Payment"))), write=False),
        ),
        ("DELETE", f"{CUSTOMER}/payments/{{id:int}}.json"): Operation(
            "Delete a customer's payment",
            "payments",
            responses=_responses(_ok("The payment deleted", ref("Payment")), write=True),
        ),
        ("GET", "/jobs.json"): Operation(
            "List every job of the account",
            "jobs",
            description="Newest first.",
            parameters=[
                query("scheduled", {"type": "string", "enum": list(SCHEDULED)}, "When."),
                query("job_type_id", NUMBER_PARAM, "Exactly this job type."),
                *job_list_params,
            ],
            responses=_responses(
                _ok("A page of jobs", array(ref("Job"))), write=False, found=False
            ),
        ),
        ("POST", "/jobs.json"): Operation(
            "Create a job for the customer `customer_number`",
            "jobs",
            request=body(ref("NewJob")),
            responses=_responses(_ok("The job", ref("Job")), write=True, found=False),
        ),
        ("GET", f"{JOB}/notes.json"): note_list,
        ("POST", f"{JOB}/notes.json"): note_create,
        ("GET", f"{JOB}/payments.json"): Operation(
            "List a job's payments",
            "payments",
            parameters=_paging(),
            responses=_responses(_ok("A page of payments", array(ref("Payment"))), write=False),
        ),
        ("POST", f"{JOB}/payments.json"): Operation(
            "Pay for a job",
            "payments",
            description="A payment of the job's customer, applied in full to the job.",
            request=body(ref("PaymentWrite")),
            responses=_responses(_ok("The payment", ref("Payment")), write=True),
        ),
    }
    groups = (
        (f"{CUSTOMER}.json", customer_ops),
        (
            f"{CUSTOMER}/notes/{{id:int}}.json",
            _crud("note", "Note", "NoteWrite", "NoteWithCreator"),
        ),
        (f"{CUSTOMER}/jobs/{{job_number:int}}.json", _crud("job", "Job", "JobWrite")),
        (f"{JOB}.json", _crud("job", "Job", "JobWrite")),
        (f"{JOB}/notes/{{id:int}}.json", _crud("note", "Note", "NoteWrite", "NoteWithCreator")),
        (f"{JOB}/payments/{{id:int}}.json", _crud("payment", "Payment", "PaymentWrite")),
    )
    for path, ops in groups:
        for method, op in ops.items():
            docs[(method, path)] = op
    return docs


def build() -> dict[str, Any]:
    served = [(m, p) for p, specs in TABLE for m in specs]
    return document(
        title="Rolodex: Kickserv door",
        description="Kickserv's API v2 (JSON) for customers, their notes, jobs and payments, "
        "served by Rolodex under `/kickserv/{slug}` (the account's slug): a program written "
        "for Kickserv changes only its base URL and token. Authenticate with HTTP Basic, the "
        "account's Kickserv token as both user name and password (`rolodex accounts create "
        "--json` prints it under `kickserv`, the slug beside it). Creates answer 200; `PUT` "
        "and `PATCH` are the same. A verb a path does not serve is Rails' 404. Every path "
        "is also served with `.xml` for `.json`: the same operation in Kickserv's XML form "
        "(its v1 API, which public clients speak; Rails-style XML bodies, answers and "
        "`<errors>`), not listed here. See docs/kickserv.md.",
        server=ROOT,
        server_variables={
            "slug": {"default": "demo", "description": "The account's slug (`make serve`: demo)."}
        },
        paths=paths(
            "kickserv",
            served,
            _operations(),
            {
                "number": "The customer's number.",
                "job_number": "The job's number.",
                "id": "The record's id.",
            },
        ),
        schemas=_schemas(),
        **http_security("basic", "The account's Kickserv token as both user name and password."),
    )
