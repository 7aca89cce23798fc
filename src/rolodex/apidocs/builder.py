"""The pieces every door's OpenAPI 3.1 document is built from: JSON Schema for a shared field
rule, references, bodies, answers and parameters, and the check that a door documents exactly the
routes its table serves. One builder, so the five documents read a rule the same way and none
can list a route its door does not have (or leave out one it has)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rolodex import __version__
from rolodex.domain.fields import MAX_MONEY, Field

OPENAPI = "3.1.0"
JSON = "application/json"
Schema = dict[str, Any]

INTEGER: Schema = {"type": "integer"}
STRING: Schema = {"type": "string"}
BOOLEAN: Schema = {"type": "boolean"}
DATE_TIME: Schema = {"type": "string", "format": "date-time"}
ANY_VALUE: Schema = {}
# Money: a decimal string (or, where a door takes one, a number) below the shared limit.
_MONEY_DIGITS = len(str(int(MAX_MONEY))) - 1
MONEY_TEXT: Schema = {
    "type": "string",
    "pattern": rf"^-?\d{{1,{_MONEY_DIGITS}}}(\.\d{{1,4}})?$",
}
MONEY_NUMBER: Schema = {
    "type": "number",
    "exclusiveMinimum": -int(MAX_MONEY),
    "exclusiveMaximum": int(MAX_MONEY),
}
_FORMATS = {"email": "email", "url": "uri", "date": "date", "datetime": "date-time"}
_CONVERTER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(?::([a-z]+))?\}")


def field_schema(spec: Field, *, nullable: bool | None = None, describe: bool = True) -> Schema:
    """The JSON Schema of a value a shared field rule (rolodex.domain.fields) accepts.
    `nullable` overrides the rule's own answer (a door may render null where the rule refuses
    to store it, or take a null as "leave it")."""
    kind = spec.kind
    schema: Schema
    if kind == "bool":
        schema = {"type": "boolean"}
    elif kind == "int":
        schema = {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1}
    elif kind == "float":
        schema = {"type": "number"}
    elif kind == "decimal":
        schema = {**MONEY_TEXT, "examples": ["12.50"]}
    elif kind == "json":
        schema = {"type": "object", "additionalProperties": True}
    elif kind.startswith("enum:"):
        schema = {"type": "string", "enum": kind[5:].split(",")}
    else:
        schema = {"type": "string"}
        if kind in _FORMATS:
            schema["format"] = _FORMATS[kind]
        if kind == "country":
            schema["pattern"] = "^[A-Za-z]{2}$"
    if spec.max_length and schema["type"] == "string" and kind != "decimal":
        schema["maxLength"] = spec.max_length
    if spec.required and schema["type"] == "string" and kind != "decimal":
        schema["minLength"] = 1
        schema.setdefault("pattern", r"\S")  # not blank
    if spec.minimum is not None and kind != "decimal":
        schema["minimum"] = spec.minimum
    if spec.maximum is not None:
        schema["maximum"] = spec.maximum
    if nullable is None:
        nullable = spec.nullable and not spec.required
    if nullable:
        schema = or_null(schema)
    if describe and spec.description:
        schema["description"] = spec.description
    return schema


def money_in(*, nullable: bool = False) -> Schema:
    """A money value a door reads as a string or a JSON number."""
    options = [MONEY_TEXT, MONEY_NUMBER, *([{"type": "null"}] if nullable else [])]
    return {"anyOf": options, "examples": ["12.50"]}


def or_null(schema: Schema) -> Schema:
    """The same schema, null allowed too."""
    if "$ref" in schema or "type" not in schema:
        if not schema:
            return schema
        return {"anyOf": [schema, {"type": "null"}]}
    kinds = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    out = {**schema, "type": [*kinds, "null"] if "null" not in kinds else kinds}
    if "enum" in out and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    return out


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def array(items: Schema, **extra: Any) -> Schema:
    return {"type": "array", "items": items, **extra}


def obj(
    properties: Mapping[str, Schema],
    *,
    required: Iterable[str] = (),
    additional: bool | Schema = False,
    description: str = "",
) -> Schema:
    schema: Schema = {"type": "object", "properties": dict(properties)}
    needed = list(required)
    if needed:
        schema["required"] = needed
    schema["additionalProperties"] = additional
    if description:
        schema["description"] = description
    return schema


def body(schema: Schema, *, media_type: str = JSON, description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"required": True, "content": {media_type: {"schema": schema}}}
    if description:
        out["description"] = description
    return out


def answer(
    description: str,
    schema: Schema | None = None,
    *,
    media_type: str = JSON,
    headers: Mapping[str, Schema] | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description}
    if headers:
        out["headers"] = {name: {"schema": s} for name, s in headers.items()}
    if schema is not None:
        out["content"] = {media_type: {"schema": schema}}
    return out


def query(
    name: str, schema: Schema, description: str = "", *, explode: bool | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "in": "query", "required": False, "schema": schema}
    if description:
        out["description"] = description
    if explode is not None:
        out["style"] = "form"
        out["explode"] = explode
    return out


def header(name: str, schema: Schema, description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "in": "header", "required": False, "schema": schema}
    if description:
        out["description"] = description
    return out


def openapi_path(route_path: str) -> tuple[str, list[tuple[str, str]]]:
    """A Starlette route path as an OpenAPI path, and its parameters with their converters:
    `/customers/{number:int}.json` -> `/customers/{number}.json`, [("number", "int")]."""
    params = [(m.group(1), m.group(2) or "str") for m in _CONVERTER.finditer(route_path)]
    return _CONVERTER.sub(lambda m: "{" + m.group(1) + "}", route_path), params


def path_params(
    route_path: str, descriptions: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """The path's parameters: an `int` converter is a non-negative integer (a path with
    anything else in its place is not this route)."""
    out = []
    for name, converter in openapi_path(route_path)[1]:
        schema: Schema = (
            {"type": "integer", "minimum": 0} if converter == "int" else {"type": "string"}
        )
        param: dict[str, Any] = {"name": name, "in": "path", "required": True, "schema": schema}
        if descriptions and name in descriptions:
            param["description"] = descriptions[name]
        out.append(param)
    return out


def operation_id(method: str, path: str) -> str:
    words = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_")
    return f"{method.lower()}_{words}"


@dataclass
class Operation:
    """What a door's route table does not say about a route: its words, parameters, body and
    answers."""

    summary: str
    tag: str
    description: str = ""
    parameters: list[dict[str, Any]] = field(default_factory=list)
    request: dict[str, Any] | None = None
    responses: dict[str, Any] = field(default_factory=dict)
    security: list[dict[str, list[str]]] | None = None


class UndocumentedRoute(AssertionError):
    """A route served but not documented, or documented but not served."""


def paths(
    door: str,
    served: Iterable[tuple[str, str]],
    documented: Mapping[tuple[str, str], Operation],
    path_descriptions: Mapping[str, str] | None = None,
    display: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The document's `paths`, one operation for each (method, route path) the door's table
    serves, from `documented`. `display` renames a path as the vendor writes it (Halo's paths
    are case-insensitive; its documents write /api/Client)."""
    served = list(served)
    missing = [f"{m} {p}" for m, p in served if (m, p) not in documented]
    extra = [f"{m} {p}" for m, p in documented if (m, p) not in set(served)]
    if missing or extra:
        raise UndocumentedRoute(
            f"{door}: served but not documented: {missing or 'none'}; "
            f"documented but not served: {extra or 'none'}"
        )
    out: dict[str, Any] = {}
    for method, route_path in served:
        spec = documented[(method, route_path)]
        shown = (display or {}).get(route_path, route_path)
        path, _ = openapi_path(shown)
        op: dict[str, Any] = {
            "summary": spec.summary,
            "tags": [spec.tag],
            "operationId": operation_id(method, path),
        }
        if spec.description:
            op["description"] = spec.description
        params = path_params(shown, path_descriptions) + spec.parameters
        if params:
            op["parameters"] = params
        if spec.request is not None:
            op["requestBody"] = spec.request
        op["responses"] = spec.responses
        if spec.security is not None:
            op["security"] = spec.security
        out.setdefault(path, {})[method.lower()] = op
    return out


def http_security(scheme: str, description: str) -> dict[str, Any]:
    """document()'s `security_schemes` and `security` where every operation takes one HTTP
    authentication scheme (`basic`, `bearer`), named after it."""
    return {
        "security_schemes": {
            scheme: {"type": "http", "scheme": scheme, "description": description}
        },
        "security": [{scheme: []}],
    }


def document(
    *,
    title: str,
    description: str,
    server: str,
    paths: dict[str, Any],
    schemas: dict[str, Any],
    security_schemes: dict[str, Any],
    security: list[dict[str, list[str]]],
    tags: list[dict[str, str]] | None = None,
    server_variables: dict[str, Any] | None = None,
) -> dict[str, Any]:
    server_object: dict[str, Any] = {"url": server}
    if server_variables:
        server_object["variables"] = server_variables
    doc: dict[str, Any] = {
        "openapi": OPENAPI,
        "info": {"title": title, "version": __version__, "description": description},
        "servers": [server_object],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": security_schemes},
        "security": security,
    }
    if tags:
        doc["tags"] = tags
    return doc
