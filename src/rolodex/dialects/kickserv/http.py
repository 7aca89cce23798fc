"""Request plumbing for the Kickserv door: authenticate, read the JSON body, run the handler in
one transaction (a Reader snapshot for reads, a Session for writes), render errors through the
Kickserv error table."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from rolodex.dialects import edge
from rolodex.dialects.kickserv.auth import authenticate
from rolodex.dialects.kickserv.errors import BadRequest, json_response, render
from rolodex.errors import DomainError, NotFound
from rolodex.runtime import Runtime

MAX_BODY_BYTES = 1024 * 1024
# Customer and job numbers are 32-bit; note and payment ids 64-bit. A larger number in a path
# names nothing.
NUMBER_MAX = 2**31
ID_MAX = 2**63


@dataclass
class Reply:
    body: Any
    status: int = 200


@dataclass
class Call:
    """What a handler needs from the request, read before the transaction starts."""

    account_id: int
    slug: str
    path: Mapping[str, Any]
    query: Mapping[str, str]
    query_lists: Mapping[str, list[str]]
    body: Any

    def number(self, name: str, entity: str) -> int:
        """A customer or job number from the path."""
        value = int(self.path[name])
        if value >= NUMBER_MAX:
            raise NotFound(entity, value)
        return value

    def ident(self, name: str, entity: str) -> int:
        """A note or payment id from the path."""
        value = int(self.path[name])
        if value >= ID_MAX:
            raise NotFound(entity, value)
        return value


async def read_json(request: Request) -> Any:
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise BadRequest(f"The body is larger than {MAX_BODY_BYTES} bytes.")
    if not raw.strip():
        return {}
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise BadRequest("The body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise BadRequest("The body must be a JSON object.")
    edge.check_json(raw, body, wrapped=True)
    return body


Handler = Callable[[Any, Call], Reply]  # gets a Session to write, a Reader to read
Asgi = Callable[[Request], Awaitable[Response]]


def endpoint(runtime: Runtime, handler: Handler, *, write: bool, body: bool) -> Asgi:
    async def asgi(request: Request) -> Response:
        try:
            account_id = await authenticate(runtime, request)
            query = request.query_params
            edge.check_query(request.scope["query_string"], query.multi_items())
            payload = await read_json(request) if body else None
            call = Call(
                account_id=account_id,
                slug=str(request.path_params["slug"]),
                path=request.path_params,
                query=query,
                query_lists={k: query.getlist(k) for k in query},
                body=payload,
            )
            if write:
                reply = await runtime.run(lambda s: handler(s, call), write=True)
            else:
                reply = await runtime.read(lambda r: handler(r, call))
            return json_response(reply.body, reply.status)
        except DomainError as exc:
            return render(exc)

    return asgi
