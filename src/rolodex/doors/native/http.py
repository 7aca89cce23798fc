"""What the native API plugs into the door spine (rolodex.doors.spine): bearer keys, bodies
that must say they are JSON, If-Match as the version a write expects, Idempotency-Key on POST,
and typed path ids (a non-numeric one matches no route). Its replies carry ETags, which the
spine answers 304 on a matching If-None-Match."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from starlette.datastructures import Headers, QueryParams
from starlette.requests import Request
from starlette.responses import Response

from rolodex.db.types import utcnow
from rolodex.doors import spine
from rolodex.doors.native import auth
from rolodex.doors.native.errors import IdempotencyKeyReused, render
from rolodex.doors.spine import Reply
from rolodex.errors import DomainError, ValidationFailed
from rolodex.models import IdempotencyKey

if TYPE_CHECKING:
    from rolodex.doors.native.routes import Route

IDEMPOTENCY_KEY_MAX = 255
# Fields of an answer an Idempotency-Key replay leaves out: secrets shown only once.
NOT_REPLAYED = frozenset({"secret"})
Handler = Callable[[Any, "Call"], Reply]  # gets a Session to write, a Reader to read

__all__ = ["Call", "Native", "Reply", "etag"]


@dataclass
class Call(spine.Call[QueryParams]):
    headers: Headers

    @property
    def expected_version(self) -> int | None:
        """The version If-Match names; -1 matches none (read only by the writes that check)."""
        return parse_if_match(self.headers.get("if-match"))

    def path_id(self, name: str) -> int:
        return self.ident(name, name.removesuffix("_id") or "record")


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


def _typed(path: str) -> str:
    """/clients/{client_id} -> /clients/{client_id:int}: a non-numeric id never matches."""
    parts = []
    for part in path.split("/"):
        if part.startswith("{") and part.endswith("}"):
            part = "{" + part[1:-1] + ":int}"
        parts.append(part)
    return "/".join(parts)


class Native(spine.Door["Route"]):
    name = "native"
    body_rules = spine.JsonBody(content_type=True)
    # Starlette's 404 and 405 reach the app's handlers, which answer in this door's shape.
    answers_unknown = False

    def authenticate(self, request: Request, spec: Route, raw: bytes) -> Awaitable[int]:
        return auth.authenticate(self.runtime, request)

    def read_body(self, raw: bytes, request: Request, spec: Route) -> Any:
        if spec.max_body is None:
            return self.body_rules.read(raw, request)
        return spine.JsonBody(content_type=True, max_bytes=spec.max_body).read(raw, request)

    def call(self, request: Request, account_id: int, body: Any) -> Call:
        return Call(account_id, request.path_params, request.query_params, body, request.headers)

    def runs(self, spec: Route) -> Callable[[Request, Any], Awaitable[Reply]] | None:
        """A POST with an Idempotency-Key runs once per key (`_idempotent`)."""
        if spec.method != "POST":
            return None
        runtime = self.runtime
        handler = spec.handler

        def run(request: Request, call: Call) -> Awaitable[Reply]:
            key = request.headers.get("idempotency-key")
            if key is not None:
                return self._idempotent(request, call, key, handler)
            if spec.write:
                return runtime.run(lambda s: handler(s, call), write=True)
            return runtime.read(lambda r: handler(r, call))

        return run

    async def _idempotent(self, request: Request, call: Call, key: str, handler: Handler) -> Reply:
        fingerprint = _fingerprint(request, await request.body())
        runtime = self.runtime
        return await runtime.run(
            lambda s: _idempotent(
                s, runtime.settings.idempotency_ttl_seconds, call, key, fingerprint, handler
            ),
            write=True,
        )

    def render_error(self, exc: DomainError, spec: Route) -> Response:
        return render(exc)

    def paths(self, path: str) -> tuple[str, ...]:
        return (_typed(path),)


def _fingerprint(request: Request, raw: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(request.url.path.encode())
    digest.update(b"\0")
    digest.update(raw)
    return digest.hexdigest()


def _idempotent(
    session: Session, ttl: float, call: Call, key: str, fingerprint: str, handler: Handler
) -> Reply:
    """Run a POST once per key: a retry with the same key and body gets the first answer
    back; the same key with another body is refused."""
    if not key or len(key) > IDEMPOTENCY_KEY_MAX:
        raise ValidationFailed.one(
            "Idempotency-Key", f"must be 1 to {IDEMPOTENCY_KEY_MAX} characters"
        )
    cutoff = utcnow() - timedelta(seconds=ttl)
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
            headers,
            etag_value,
        )
    row = IdempotencyKey(account_id=call.account_id, key=key, fingerprint=fingerprint)
    session.add(row)
    # A request with the same key that commits first makes this flush fail; the runtime then
    # runs this again, and the lookup above replays that request's answer.
    session.flush()
    reply = handler(session, call)
    row.status_code = reply.status
    stored = reply.body
    if isinstance(stored, dict) and NOT_REPLAYED & stored.keys():
        # A secret shown once (a new webhook endpoint's) is not kept in clear for a replay:
        # the replay answers without it (rotate it to get another).
        stored = {k: v for k, v in stored.items() if k not in NOT_REPLAYED}
    row.body = orjson.dumps(stored) if stored is not None else None
    row.headers = {**(reply.headers or {}), **({"ETag": reply.etag} if reply.etag else {})}
    return reply
