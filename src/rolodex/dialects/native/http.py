"""Request plumbing for the native API: authentication, JSON in and out, ETags and If-Match,
Idempotency-Key, and one transaction per request."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import orjson
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from rolodex.db.types import utcnow
from rolodex.dialects import edge
from rolodex.dialects.native.errors import IdempotencyKeyReused, MalformedRequest, render
from rolodex.domain import accounts
from rolodex.errors import AuthenticationFailed, DomainError, NotFound, ValidationFailed
from rolodex.models import IdempotencyKey
from rolodex.runtime import Runtime

MAX_BODY_BYTES = 1024 * 1024
IDEMPOTENCY_KEY_MAX = 255
JSON = "application/json"


@dataclass
class Reply:
    body: Any
    status: int = 200
    etag: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> Response:
        headers = dict(self.headers)
        if self.etag:
            headers["ETag"] = self.etag
        if self.body is None:
            return Response(status_code=self.status, headers=headers)
        return Response(
            orjson.dumps(self.body), status_code=self.status, media_type=JSON, headers=headers
        )


@dataclass
class Call:
    """What a handler needs from the request, read before the transaction starts."""

    account_id: int
    path: Mapping[str, Any]
    query: Mapping[str, str]
    query_lists: Mapping[str, list[str]]
    body: Any
    expected_version: int | None

    def path_id(self, name: str) -> int:
        value = int(self.path[name])
        if value >= 2**63:
            raise NotFound(name.removesuffix("_id") or "record", value)
        return value


def etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(value: str | None) -> int | None:
    """None when there is no precondition; -1 (matches nothing) when the header names no
    version this server gave out."""
    if value is None or value.strip() == "*":
        return None
    for candidate in value.split(","):
        tag = candidate.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        if len(tag) >= 3 and tag[0] == tag[-1] == '"' and tag[1:-1].isdigit():
            return int(tag[1:-1])
    return -1


async def authenticate(runtime: Runtime, request: Request) -> int:
    header = request.headers.get("authorization")
    if not header:
        raise AuthenticationFailed("Send your API key as 'Authorization: Bearer <api_key>'.")
    scheme, _, key = header.partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise AuthenticationFailed("Send your API key as 'Authorization: Bearer <api_key>'.")
    digest = accounts.sha256_hex(key)
    cached = runtime.credentials.get("native", digest)
    if cached is not None:
        return cached
    account_id = await runtime.run(
        lambda s: accounts.account_for_bearer(s, "native", key), write=False
    )
    if account_id is None:
        raise AuthenticationFailed("The API key is not valid.")
    runtime.credentials.put("native", digest, account_id)
    return account_id


async def read_json(request: Request) -> Any:
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise MalformedRequest(f"The body is larger than {MAX_BODY_BYTES} bytes.")
    if not raw.strip():
        raise MalformedRequest("The request needs a JSON body.")
    content_type = request.headers.get("content-type", JSON)
    if "json" not in content_type:
        raise MalformedRequest("Send the body as application/json.")
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise MalformedRequest(f"The body is not valid JSON: {exc}.") from None
    if not isinstance(body, dict):
        raise MalformedRequest("The body must be a JSON object.")
    edge.check_json(raw, body)
    return body


Handler = Callable[[Any, Call], Reply]  # gets a Session to write, a Reader to read


def endpoint(
    runtime: Runtime, handler: Handler, *, write: bool = False, body: bool = False
) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a handler: authenticate, read the request, run the handler in one transaction, and
    render a DomainError through the native error table."""

    async def asgi(request: Request) -> Response:
        try:
            account_id = await authenticate(runtime, request)
            query = request.query_params
            edge.check_query(request.scope["query_string"], query.multi_items())
            payload = await read_json(request) if body else None
            call = Call(
                account_id=account_id,
                path=request.path_params,
                query=query,
                query_lists={k: query.getlist(k) for k in query},
                body=payload,
                expected_version=parse_if_match(request.headers.get("if-match")),
            )
            key = request.headers.get("idempotency-key") if request.method == "POST" else None
            if key is not None:
                fingerprint = _fingerprint(request, await request.body())
                reply = await runtime.run(
                    lambda s: _idempotent(s, runtime, call, key, fingerprint, handler),
                    write=True,
                )
            elif write:
                reply = await runtime.run(lambda s: handler(s, call), write=True)
            else:
                reply = await runtime.read(lambda r: handler(r, call))
            if (
                request.method == "GET"
                and reply.etag
                and request.headers.get("if-none-match") == reply.etag
            ):
                return Response(status_code=304, headers={"ETag": reply.etag})
            return reply.response()
        except DomainError as exc:
            return render(exc)

    return asgi


def _fingerprint(request: Request, raw: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(request.url.path.encode())
    digest.update(b"\0")
    digest.update(raw)
    return digest.hexdigest()


def _idempotent(
    session: Session, runtime: Runtime, call: Call, key: str, fingerprint: str, handler: Handler
) -> Reply:
    """Run a POST once per key: a retry with the same key and body gets the first answer
    back; the same key with another body is refused."""
    if not key or len(key) > IDEMPOTENCY_KEY_MAX:
        raise ValidationFailed.one(
            "Idempotency-Key", f"must be 1 to {IDEMPOTENCY_KEY_MAX} characters"
        )
    cutoff = utcnow() - timedelta(seconds=runtime.settings.idempotency_ttl_seconds)
    session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.account_id == call.account_id,
            IdempotencyKey.key == key,
            IdempotencyKey.created_at < cutoff,
        )
    )
    row = session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.account_id == call.account_id, IdempotencyKey.key == key
        )
    )
    if row is not None:
        if row.fingerprint != fingerprint:
            raise IdempotencyKeyReused()
        headers = dict(row.headers)
        headers["Idempotent-Replayed"] = "true"
        etag_value = headers.pop("ETag", None)
        return Reply(
            orjson.loads(row.body) if row.body else None,
            row.status_code or 200,
            etag_value,
            headers,
        )
    row = IdempotencyKey(account_id=call.account_id, key=key, fingerprint=fingerprint)
    session.add(row)
    # A request with the same key that commits first makes this flush fail; the runtime then
    # runs this again, and the lookup above replays that request's answer.
    session.flush()
    reply = handler(session, call)
    row.status_code = reply.status
    row.body = orjson.dumps(reply.body) if reply.body is not None else None
    row.headers = {**reply.headers, **({"ETag": reply.etag} if reply.etag else {})}
    return reply
