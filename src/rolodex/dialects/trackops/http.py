"""Request plumbing for the Trackops door: authenticate, read the JSON body, run the handler in
one transaction (a read snapshot, or a write that commits once), render errors the Trackops
way."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from rolodex.dialects import edge
from rolodex.dialects.trackops import errors
from rolodex.dialects.trackops.auth import authenticate
from rolodex.dialects.trackops.errors import MalformedRequest
from rolodex.errors import DomainError, NotFound
from rolodex.runtime import Runtime

log = logging.getLogger("rolodex.trackops")
MAX_BODY_BYTES = 1024 * 1024
Asgi = Callable[[Request], Awaitable[Response]]


@dataclass
class Reply:
    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> Response:
        return errors.response(self.status, self.body, self.headers)


@dataclass
class Call:
    """What a handler needs from the request, read before the transaction starts."""

    account_id: int
    path: Mapping[str, Any]
    query: Mapping[str, str]
    body: Any

    def path_id(self, entity: str) -> int:
        value = int(self.path["id"])
        if value >= 2**63:
            raise NotFound(entity, value)
        return value


async def read_json(request: Request) -> dict[str, Any]:
    """The body as a JSON object, whatever Content-Type says (the SDK sends JSON)."""
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise MalformedRequest(f"The body is larger than {MAX_BODY_BYTES} bytes.")
    if not raw.strip():
        raise MalformedRequest("The request needs a JSON body.")
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise MalformedRequest(f"The body is not valid JSON: {exc}.") from None
    if not isinstance(body, dict):
        raise MalformedRequest("The body must be a JSON object.")
    edge.check_json(raw, body, wrapped=True)
    return body


Handler = Callable[[Any, Call], Reply]  # gets a Session to write, a Reader to read


def endpoint(
    runtime: Runtime,
    handler: Handler,
    *,
    write: bool = False,
    rename: Callable[[str], str] = str,
) -> Asgi:
    """`rename` turns the shared model's name of a field that failed validation into the
    name this endpoint's body gave it."""

    async def asgi(request: Request) -> Response:
        try:
            account_id = await authenticate(runtime, request)
            edge.check_query(request.scope["query_string"], request.query_params.multi_items())
            call = Call(
                account_id=account_id,
                path=request.path_params,
                query=request.query_params,
                body=await read_json(request) if write else None,
            )
            if write:
                reply = await runtime.run(lambda s: handler(s, call), write=True)
            else:
                reply = await runtime.read(lambda r: handler(r, call))
            return reply.response()
        except DomainError as exc:
            return errors.render(exc, rename)
        except Exception:
            log.exception("unhandled error on %s %s", request.method, request.url.path)
            return errors.response(500, {"message": "Something went wrong on our side."})

    return asgi


def dispatch(methods: Mapping[str, Asgi]) -> Asgi:
    """One path's handlers by method; HEAD is answered as GET, any other method is a 405."""
    allowed = ", ".join(sorted({*methods, "HEAD"} if "GET" in methods else methods))

    async def by_method(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        handler = methods.get(method)
        if handler is None:
            return errors.response(
                405,
                {"message": f"{request.method} is not allowed on {request.url.path}."},
                {"Allow": allowed},
            )
        return await handler(request)

    return by_method


async def no_route(request: Request) -> Response:
    return errors.response(404, {"message": f"No route for {request.url.path}."})
