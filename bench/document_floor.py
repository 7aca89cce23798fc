"""The stored-JSON floor: the least any service can do to answer the native API's reads, with each
client's JSON stored ready-made. A GET of one client is one indexed lookup and a byte copy; a
page is one keyset query over the stored documents, joined into the list envelope. Same driver,
same database, same uvicorn as Rolodex; no framework, no ORM.

    ROLODEX_FLOOR_URL=sqlite:///bench.db ROLODEX_FLOOR_KEY=rdx_... \\
        uvicorn bench.document_floor:app --port 8002

On start it (re)builds its own table, `bench_documents`, from the same JSON the Python floor
(bench/floor.py) renders, which is the JSON Rolodex serves. Serves GET /v1/clients/{id} and
GET /v1/clients?limit=25[&cursor=<last id>].
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

import orjson

from bench import floor

TABLE = "bench_documents"
BATCH = 500
db, MARK, ACCOUNT, KEY = floor.db, floor.MARK, floor.ACCOUNT, floor.KEY


def build() -> int:
    """Render every client of the account once and store its JSON; the number stored."""
    blob = "BLOB" if floor.SQLITE else "BYTEA"
    db.execute(f"DROP TABLE IF EXISTS {TABLE}")
    db.execute(
        f"CREATE TABLE {TABLE} (account_id BIGINT NOT NULL, id BIGINT NOT NULL, "
        f"body {blob} NOT NULL, PRIMARY KEY (account_id, id))"
    )
    after, stored = 0, 0
    while True:
        page = floor.clients(f"AND id > {MARK}", [after], BATCH)
        if not page:
            return stored
        rows = [(ACCOUNT, c["id"], orjson.dumps(c)) for c in page]
        if floor.SQLITE:
            db.executemany(f"INSERT INTO {TABLE} VALUES (?, ?, ?)", rows)
        else:
            with db.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {TABLE} VALUES (%s, %s, %s)", rows)
        stored += len(rows)
        after = page[-1]["id"]


build()
ONE = f"SELECT body FROM {TABLE} WHERE account_id = {MARK} AND id = {MARK}"
PAGE = (
    f"SELECT id, body FROM {TABLE} WHERE account_id = {MARK} AND id > {MARK} "
    f"ORDER BY id LIMIT {MARK}"
)


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
            row = db.execute(ONE, [ACCOUNT, int(path.rsplit("/", 1)[1])]).fetchone()
            status, body = (200, bytes(row[0])) if row else (404, b"{}")
        elif path == "/v1/clients":
            query = parse_qs(scope["query_string"].decode())
            limit = int(query.get("limit", ["25"])[0])
            after = int(query.get("cursor", ["0"])[0])
            rows = db.execute(PAGE, [ACCOUNT, after, limit + 1]).fetchall()
            more = len(rows) > limit
            rows = rows[:limit]
            cursor = orjson.dumps(str(rows[-1][0])) if more else b"null"
            body = (
                b'{"data":['
                + b",".join(bytes(r[1]) for r in rows)
                + b'],"has_more":'
                + (b"true" if more else b"false")
                + b',"next_cursor":'
                + cursor
                + b"}"
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
