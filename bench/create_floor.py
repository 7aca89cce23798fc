"""The create floor: the least any service can do to take the native API's create, with the same
driver, database and uvicorn as Rolodex. No framework, no ORM, no rules beyond the bearer key
and a name: the body is parsed, stored with one INSERT and one commit, and echoed with its id.

    ROLODEX_FLOOR_URL=sqlite:///bench.db ROLODEX_FLOOR_KEY=rdx_... \\
        uvicorn bench.create_floor:app --port 8003

On start it (re)creates its own table, `bench_creates`. Serves POST /v1/clients.
SQLite runs as Rolodex runs it (WAL, synchronous=NORMAL); PostgreSQL commits each INSERT on
its own (autocommit: one round trip).
"""

from __future__ import annotations

from typing import Any

import orjson

from bench import floor

TABLE = "bench_creates"
db, MARK, ACCOUNT, KEY = floor.db, floor.MARK, floor.ACCOUNT, floor.KEY

if floor.SQLITE:
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    ID = "INTEGER PRIMARY KEY AUTOINCREMENT"
else:
    ID = "BIGSERIAL PRIMARY KEY"
db.execute(f"DROP TABLE IF EXISTS {TABLE}")
db.execute(f"CREATE TABLE {TABLE} (id {ID}, account_id BIGINT NOT NULL, name TEXT, body TEXT)")
INSERT = (
    f"INSERT INTO {TABLE} (account_id, name, body) VALUES ({MARK}, {MARK}, {MARK}) RETURNING id"
)
BEARER = f"Bearer {KEY}".encode()


def store(name: str, raw: bytes) -> int:
    if floor.SQLITE:
        db.execute("BEGIN IMMEDIATE")
        (new_id,) = db.execute(INSERT, (ACCOUNT, name, raw.decode())).fetchone()
        db.execute("COMMIT")
    else:
        (new_id,) = db.execute(INSERT, (ACCOUNT, name, raw.decode())).fetchone()
    return int(new_id)


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    raw = b""
    while True:
        message = await receive()
        raw += message.get("body", b"")
        if not message.get("more_body"):
            break
    status, body = 201, b""
    if dict(scope["headers"]).get(b"authorization", b"") != BEARER:
        status, body = 401, b'{"error":{"code":"unauthenticated"}}'
    elif scope["method"] != "POST" or scope["path"] != "/v1/clients":
        status, body = 404, b"{}"
    else:
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            status, body = 422, b'{"error":{"code":"validation_failed"}}'
        else:
            body = orjson.dumps({"id": store(data["name"], raw), **data})
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})
