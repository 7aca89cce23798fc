"""The Python floor: the least a Python service can do to answer the same requests as the
native API, with the same driver, the same queries and the same JSON. No framework, no ORM,
no validation beyond the bearer key; a plain ASGI callable under the same uvicorn.

    ROLODEX_FLOOR_URL=sqlite:///bench.db ROLODEX_FLOOR_KEY=rdx_... \\
        uvicorn bench.floor:app --port 8001

Serves GET /v1/clients/{id} and GET /v1/clients?limit=25[&cursor=<last id>].
"""

from __future__ import annotations

import json
import os
import sqlite3
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import orjson

CLIENT_COLUMNS = (
    "id",
    "number",
    "kind",
    "name",
    "first_name",
    "last_name",
    "account_code",
    "external_id",
    "website",
    "invoice_email",
    "case_policy",
    "invoice_policy",
    "update_policy",
    "description",
    "invoice_reminders",
    "show_location_on_invoice",
    "company_id",
    "office_id",
    "salesperson_id",
    "case_manager_id",
    "inactive",
    "balance",
    "custom_fields",
    "created_at",
    "updated_at",
)
CHILDREN = {
    "addresses": (
        "address",
        (
            "id",
            "client_id",
            "location_id",
            "label",
            "name",
            "company",
            "line1",
            "line2",
            "line3",
            "city",
            "region",
            "postal_code",
            "country",
            "po_box",
            "latitude",
            "longitude",
            "is_primary",
            "is_primary_billing",
            "is_primary_shipping",
            "created_at",
            "updated_at",
        ),
    ),
    "phone_numbers": (
        "phone_number",
        (
            "id",
            "client_id",
            "location_id",
            "label",
            "country_code",
            "area_code",
            "number",
            "extension",
            "is_primary",
            "created_at",
            "updated_at",
        ),
    ),
    "email_addresses": (
        "email_address",
        (
            "id",
            "client_id",
            "location_id",
            "label",
            "address",
            "is_primary",
            "created_at",
            "updated_at",
        ),
    ),
}
BOOLS = {
    "invoice_reminders",
    "show_location_on_invoice",
    "inactive",
    "po_box",
    "is_primary",
    "is_primary_billing",
    "is_primary_shipping",
}

URL = os.environ.get("ROLODEX_FLOOR_URL", "sqlite:///rolodex.db")
KEY = os.environ.get("ROLODEX_FLOOR_KEY", "")
ACCOUNT = int(os.environ.get("ROLODEX_FLOOR_ACCOUNT", "1"))
SQLITE = URL.startswith("sqlite")

if SQLITE:
    db: Any = sqlite3.connect(
        URL.removeprefix("sqlite:///"), check_same_thread=False, isolation_level=None
    )
    MARK = "?"
else:
    import psycopg

    db = psycopg.connect(URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
    MARK = "%s"


def ts(value: Any) -> str:
    if isinstance(value, str):  # SQLite: "YYYY-MM-DD HH:MM:SS.ffffff", UTC
        return value[:10] + "T" + value[11:23] + "Z"
    return value.isoformat(timespec="milliseconds")[:-6] + "Z"


def shape(columns: tuple[str, ...], row: Any, object_name: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": row[0], "object": object_name}
    for key, value in zip(columns[1:], row[1:], strict=True):
        if value is not None:
            if key in BOOLS:
                value = bool(value)
            elif key in ("created_at", "updated_at"):
                value = ts(value)
            elif key == "balance":
                value = f"{Decimal(value) / 10000:.2f}"
            elif key == "custom_fields" and isinstance(value, str):
                value = json.loads(value)
        out[key] = value
    return out


def clients(where: str, params: list[Any], limit: int) -> list[dict[str, Any]]:
    sql = (
        f"SELECT {', '.join(CLIENT_COLUMNS)} FROM clients WHERE account_id = {MARK} "
        f"{where} ORDER BY id LIMIT {MARK}"
    )
    rows = db.execute(sql, [ACCOUNT, *params, limit]).fetchall()
    records = [shape(CLIENT_COLUMNS, r, "client") for r in rows]
    if not records:
        return records
    ids = [r["id"] for r in records]
    marks = ", ".join(MARK for _ in ids)
    tags: dict[int, list[str]] = {}
    for client_id, tag in db.execute(
        f"SELECT client_id, tag FROM client_tags WHERE client_id IN ({marks}) "
        "ORDER BY client_id, tag",
        ids,
    ).fetchall():
        tags.setdefault(client_id, []).append(tag)
    grouped: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for table, (object_name, columns) in CHILDREN.items():
        found: dict[int, list[dict[str, Any]]] = {}
        for row in db.execute(
            f"SELECT {', '.join(columns)} FROM {table} WHERE client_id IN ({marks}) "
            "ORDER BY client_id, id",
            ids,
        ).fetchall():
            found.setdefault(row[1], []).append(shape(columns, row, object_name))
        grouped[table] = found
    for r in records:
        r["tags"] = tags.get(r["id"], [])
        for table, found in grouped.items():
            r[table] = found.get(r["id"], [])
    return records


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    headers = dict(scope["headers"])
    status, body = 200, b""
    if headers.get(b"authorization", b"") != f"Bearer {KEY}".encode():
        status, body = 401, b'{"error":{"code":"unauthenticated"}}'
    else:
        path = scope["path"]
        if path.startswith("/v1/clients/"):
            found = clients(f"AND id = {MARK}", [int(path.rsplit("/", 1)[1])], 1)
            status, body = (200, orjson.dumps(found[0])) if found else (404, b"{}")
        elif path == "/v1/clients":
            query = parse_qs(scope["query_string"].decode())
            limit = int(query.get("limit", ["25"])[0])
            after = int(query.get("cursor", ["0"])[0])
            page = clients(f"AND id > {MARK}", [after], limit + 1)
            more = len(page) > limit
            page = page[:limit]
            body = orjson.dumps(
                {
                    "data": page,
                    "has_more": more,
                    "next_cursor": str(page[-1]["id"]) if more else None,
                }
            )
        else:
            status, body = 404, b"{}"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})
