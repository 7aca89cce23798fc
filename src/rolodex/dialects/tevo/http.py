"""Request plumbing for the Ticket Evolution door: read the raw body, check the signature,
parse the JSON, run the handler (each of its reads and writes is one transaction), and render
any DomainError through this door's error table."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import orjson
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from rolodex.db.fast import Reader
from rolodex.dialects import edge
from rolodex.dialects.tevo import errors
from rolodex.dialects.tevo.auth import SigningSecrets, authenticate
from rolodex.dialects.tevo.errors import BadRequest
from rolodex.errors import DomainError, NotFound
from rolodex.runtime import Runtime

MAX_BODY_BYTES = 1024 * 1024
T = TypeVar("T")


@dataclass
class Reply:
    body: Any
    status: int = 200

    def response(self) -> Response:
        return errors.respond(self.status, self.body)


@dataclass
class Call:
    """What a handler gets: the account, the request's parts, and the runtime to read and
    write through."""

    runtime: Runtime
    account_id: int
    path: Mapping[str, str]
    query: Mapping[str, str]
    body: Any  # the parsed JSON body, None when there is none

    def ident(self, name: str, entity: str) -> int:
        """A path id; anything that is not one is a record that does not exist."""
        raw = self.path[name]
        if not (raw.isascii() and raw.isdigit()) or int(raw) >= 2**63 or int(raw) == 0:
            raise NotFound(entity, raw)
        return int(raw)

    async def read(self, fn: Callable[[Reader], T]) -> T:
        return await self.runtime.read(fn)

    async def write(self, fn: Callable[[Session], T]) -> T:
        return await self.runtime.run(fn, write=True)


Handler = Callable[[Call], Awaitable[Reply]]


def parse_json(raw: bytes) -> Any:
    if len(raw) > MAX_BODY_BYTES:
        raise BadRequest(f"The body is larger than {MAX_BODY_BYTES} bytes.")
    if not raw.strip():
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise BadRequest("The body is not valid JSON.") from None


def endpoint(
    runtime: Runtime, secrets: SigningSecrets, handler: Handler
) -> Callable[[Request], Awaitable[Response]]:
    async def asgi(request: Request) -> Response:
        try:
            raw = await request.body()
            account_id = await authenticate(runtime, secrets, request, raw)
            edge.check_query(request.scope["query_string"], request.query_params.multi_items())
            payload = parse_json(raw)
            edge.check_json(raw, payload)
            call = Call(
                runtime=runtime,
                account_id=account_id,
                path=request.path_params,
                query=request.query_params,
                body=payload,
            )
            return (await handler(call)).response()
        except DomainError as exc:
            return errors.render(exc)

    return asgi
