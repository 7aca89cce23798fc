"""The native API's OpenAPI 3.1 document, built from the route table and the shared field rules
(served with its docs page by rolodex.apidocs)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rolodex.apidocs.builder import document, field_schema, http_security, or_null
from rolodex.domain.deliveries import STATUSES
from rolodex.domain.events import DOORS, RECORD_TYPES
from rolodex.domain.fields import Field
from rolodex.domain.webhooks import ENDPOINT_FIELDS, EVENT_TYPES_MAX
from rolodex.doors.native.resources import SCHEMA_SPECS, Param
from rolodex.doors.native.routes import ROUTES


def _object(spec: Mapping[str, Field], *, create: bool) -> dict[str, Any]:
    required = [name for name, f in spec.items() if f.required] if create else []
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {name: field_schema(f) for name, f in spec.items()},
    }
    if required:
        schema["required"] = required
    return schema


def _read_schema(name: str, spec: Mapping[str, Field]) -> dict[str, Any]:
    props: dict[str, Any] = {"id": {"type": "integer"}, "object": {"type": "string"}}
    for key, field in spec.items():
        props[key] = field_schema(field)
    props["created_at"] = {"type": "string", "format": "date-time"}
    props["updated_at"] = {"type": "string", "format": "date-time"}
    if name != "Company":
        props["client_id"] = {"type": "integer"}
    if name == "Client":
        props.pop("client_id")
        props["number"] = {"type": "integer", "description": "Per-account client number."}
        props["tags"] = {"type": "array", "items": {"type": "string"}}
        for key, ref in (
            ("addresses", "Address"),
            ("phone_numbers", "PhoneNumber"),
            ("email_addresses", "EmailAddress"),
        ):
            props[key] = {"type": "array", "items": {"$ref": f"#/components/schemas/{ref}"}}
    if name == "Job":
        props["number"] = {"type": "integer", "description": "Per-account job number."}
    if name == "Payment":
        props["applications"] = {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"job_id": {"type": "integer"}, "amount": {"type": "string"}},
            },
        }
    return {"type": "object", "properties": props}


def _data(description: str, item: str, **more: Any) -> dict[str, Any]:
    """A response whose body holds `data`, a list of `item` records, and `more` properties."""
    data = {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}}
    schema = {"type": "object", "properties": {"data": data, **more}}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for name, spec in SCHEMA_SPECS.items():
        schemas[name] = _read_schema(name, spec)
        schemas[f"{name}Create"] = _object(spec, create=True)
        schemas[f"{name}Update"] = _object(spec, create=False)
    create = schemas["ClientCreate"]["properties"]
    create["tags"] = {"type": "array", "items": {"type": "string", "maxLength": 100}}
    for key, ref in (
        ("addresses", "AddressCreate"),
        ("phone_numbers", "PhoneNumberCreate"),
        ("email_addresses", "EmailAddressCreate"),
    ):
        create[key] = {"type": "array", "items": {"$ref": f"#/components/schemas/{ref}"}}
    schemas["ClientBatch"] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["clients"],
        "properties": {
            "clients": {
                "type": "array",
                "minItems": 1,
                "maxItems": 1000,
                "items": {"$ref": "#/components/schemas/ClientCreate"},
                "description": "Each as POST /v1/clients takes it. All are created or none: "
                "a refusal names its client by position (clients[3].name).",
            }
        },
    }
    update = schemas["ClientUpdate"]["properties"]
    update["tags"] = {
        "type": "array",
        "items": {"type": "string"},
        "description": "Replaces every tag.",
    }
    update["add_tags"] = {"type": "array", "items": {"type": "string"}}
    update["remove_tags"] = {"type": "array", "items": {"type": "string"}}
    schemas["PaymentCreate"]["properties"]["applications"] = {
        "type": "array",
        "description": "Jobs of the same client this payment pays for; an "
        "application without an amount takes what is left of the payment.",
        "items": {
            "type": "object",
            "required": ["job_id"],
            "properties": {"job_id": {"type": "integer"}, "amount": {"type": "string"}},
        },
    }
    schemas["Office"] = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "object": {"type": "string"},
            "name": {"type": "string"},
            "is_default": {"type": "boolean"},
        },
    }
    schemas["Account"] = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "object": {"type": "string"},
            "name": {"type": "string"},
            "slug": {"type": "string"},
            "created_at": {"type": "string", "format": "date-time"},
        },
    }
    schemas.update(_event_schemas())
    schemas["Error"] = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "field"],
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "field": {"type": ["string", "null"]},
                    "details": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "field": {"type": "string"},
                                "message": {"type": "string"},
                            },
                        },
                    },
                },
            }
        },
    }
    return schemas


TIME = {"type": "string", "format": "date-time"}
NULL_TIME = or_null(TIME)
NULL_STRING = {"type": ["string", "null"]}
NULL_INTEGER = {"type": ["integer", "null"]}


def _event_schemas() -> dict[str, Any]:
    """The event feed's and the webhooks' schemas."""
    types = {
        "type": "array",
        "maxItems": EVENT_TYPES_MAX,
        "items": {"type": "string"},
        "description": "Event types (client.created), every type of a record (client.*), or "
        "* for every event (also the default, and what an empty list means).",
    }
    endpoint = {
        "id": {"type": "integer"},
        "object": {"type": "string", "enum": ["webhook_endpoint"]},
        "url": {"type": "string"},
        "event_types": {"type": "array", "items": {"type": "string"}},
        "enabled": {"type": "boolean"},
        "description": NULL_STRING,
        "disabled_reason": {
            **NULL_STRING,
            "description": "Why the server switched it off (it kept failing), if it did.",
        },
        "failing_since": {
            **NULL_TIME,
            "description": "The first failed attempt since the last success.",
        },
        "created_at": TIME,
        "updated_at": TIME,
    }
    writable = {name: field_schema(f) for name, f in ENDPOINT_FIELDS.items()}
    writable["event_types"] = types
    secret = {
        "type": "string",
        "description": "The signing secret, whsec_<base64>: shown here only. Verify each "
        "delivery's webhook-signature with it (Standard Webhooks).",
    }
    attempt = {
        "type": "object",
        "properties": {
            "attempt": {"type": "integer"},
            "attempted_at": TIME,
            "status_code": NULL_INTEGER,
            "error": NULL_STRING,
            "duration_ms": {"type": "integer"},
        },
    }
    return {
        "Event": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "object": {"type": "string", "enum": ["event"]},
                "type": {"type": "string", "examples": ["client.created"]},
                "record_type": {"type": "string", "enum": list(RECORD_TYPES)},
                "record_id": {"type": "integer"},
                "client_id": NULL_INTEGER,
                "door": {"type": "string", "enum": list(DOORS)},
                "credential": {**NULL_STRING, "description": "Which credential (never a secret)."},
                "request_id": NULL_STRING,
                "occurred_at": TIME,
                "data": {
                    "type": "object",
                    "description": "The record as this API shows it after the change (before "
                    "it, for a delete).",
                },
                "previous": {
                    "type": ["object", "null"],
                    "description": "For an update, the former values of the fields it changed.",
                },
            },
        },
        "WebhookEndpoint": {"type": "object", "properties": endpoint},
        "WebhookEndpointWithSecret": {
            "type": "object",
            "properties": {**endpoint, "secret": secret},
        },
        "WebhookEndpointCreate": {
            "type": "object",
            "additionalProperties": False,
            "required": ["url"],
            "properties": writable,
        },
        "WebhookEndpointUpdate": {
            "type": "object",
            "additionalProperties": False,
            "properties": writable,
        },
        "WebhookDelivery": {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "object": {"type": "string", "enum": ["webhook_delivery"]},
                "event_id": {"type": "integer"},
                "event_type": {"type": "string"},
                "status": {"type": "string", "enum": list(STATUSES)},
                "attempts": {"type": "integer"},
                "next_attempt_at": NULL_TIME,
                "last_status_code": NULL_INTEGER,
                "last_error": NULL_STRING,
                "last_attempt_at": NULL_TIME,
                "created_at": TIME,
                "attempt_log": {"type": "array", "items": attempt},
            },
        },
        "WebhookResend": {
            "type": "object",
            "additionalProperties": False,
            "required": ["from", "to"],
            "properties": {
                "from": {**TIME, "description": "From this time (included)."},
                "to": {**TIME, "description": "To this time (not included)."},
            },
        },
        "WebhookResent": {
            "type": "object",
            "properties": {"queued": {"type": "integer"}},
        },
    }


def _param(param: Param) -> dict[str, Any]:
    if param.kind == "string[]":
        schema: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
    elif param.kind == "date-time":
        schema = {"type": "string", "format": "date-time"}
    else:
        schema = {"type": param.kind}
    out: dict[str, Any] = {
        "name": param.name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": param.description,
    }
    if param.kind == "string[]":
        out["explode"] = True
    return out


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def build() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for route in ROUTES:
        op: dict[str, Any] = {
            "summary": route.summary,
            "tags": [route.tag],
            "operationId": f"{route.method.lower()}_{route.path}".replace("/", "_")
            .replace("{", "")
            .replace("}", ""),
        }
        params = [
            {"name": p, "in": "path", "required": True, "schema": {"type": "integer"}}
            for p in route.path_params
        ]
        params += [_param(p) for p in route.params]
        if route.write and route.method in ("PATCH", "DELETE"):
            params.append(
                {
                    "name": "If-Match",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string"},
                    "description": "The ETag you last read; a stale one answers 412.",
                }
            )
        if route.method == "POST":
            params.append(
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string", "maxLength": 255},
                    "description": "Retrying with the same key replays the first "
                    "answer instead of creating again.",
                }
            )
        if params:
            op["parameters"] = params
        if route.request:
            op["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{route.request}"}
                    }
                },
            }
        responses: dict[str, Any] = {}
        if route.response and route.response.startswith("list:"):
            responses[str(route.status)] = _data(
                "A page",
                route.response[5:],
                has_more={"type": "boolean"},
                next_cursor={"type": ["string", "null"]},
            )
        elif route.response and route.response.startswith("batch:"):
            responses[str(route.status)] = _data(
                "Every record created, in the order sent", route.response[6:]
            )
        elif route.response:
            responses[str(route.status)] = {
                "description": "OK",
                "headers": {"ETag": {"schema": {"type": "string"}}},
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{route.response}"}
                    }
                },
            }
        else:
            responses[str(route.status)] = {"description": "Done"}
        responses["400"] = _error("Malformed request or query parameter")
        responses["401"] = _error("Missing or invalid API key")
        if route.path_params:
            responses["404"] = _error("No such record in this account")
        if route.write:
            responses["409"] = _error("Conflict")
            responses["422"] = _error("A field is invalid")
        if route.method in ("PATCH", "DELETE"):
            responses["412"] = _error("If-Match names a version that is no longer current")
        for status, description in route.extra.get("responses", {}).items():
            responses[status] = _error(description)
        op["responses"] = responses
        paths.setdefault(f"/v1{route.path}", {})[route.method.lower()] = op
    return document(
        title="Rolodex native API",
        description="The client registry's own API. Authenticate with "
        "`Authorization: Bearer <api_key>` (the `native.api_key` that `rolodex accounts create` "
        "prints; `make serve` prints the demo account's). Lists page by cursor: pass "
        "`next_cursor` back as `cursor`.",
        server="/",
        paths=paths,
        schemas=_schemas(),
        **http_security("bearer", "The account's native API key, `rdx_...`."),
    )
