"""Request plumbing for the HaloPSA door: query strings read the way Halo reads them
(case-insensitive names, `True`/`1` booleans, unknown parameters ignored), JSON array bodies,
the bearer token check, and one transaction per request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from rolodex.dialects import edge
from rolodex.dialects.halo import auth
from rolodex.dialects.halo.errors import MalformedRequest, render
from rolodex.dialects.halo.wire import FALSE, TRUE
from rolodex.errors import DomainError, InvalidQuery, NotFound
from rolodex.runtime import Runtime

MAX_BODY_BYTES = 8 * 1024 * 1024
JSON = "application/json"
INT32 = 2**31
INT64 = 2**63


@dataclass
class Reply:
    body: Any
    status: int = 200

    def response(self) -> Response:
        if self.body is None:
            return Response(status_code=self.status)
        return Response(orjson.dumps(self.body), status_code=self.status, media_type=JSON)


class Query:
    """A query string as Halo reads it: names are case-insensitive and the first value of a
    repeated name wins. Parameters nobody asks for are simply never read."""

    def __init__(self, params: QueryParams) -> None:
        values: dict[str, str] = {}
        for key, value in params.multi_items():
            values.setdefault(key.lower(), value)
        self.values = values

    def has(self, name: str) -> bool:
        return self.values.get(name, "") != ""

    def text(self, name: str, max_length: int = 500) -> str | None:
        raw = self.values.get(name)
        if raw is None or raw == "":
            return None
        if len(raw) > max_length:
            raise InvalidQuery(f"{name} must be at most {max_length} characters.", field=name)
        return raw

    def integer(self, name: str, *, minimum: int | None = None, bits: int = 64) -> int | None:
        raw = self.values.get(name)
        if raw is None or raw.strip() == "":
            return None
        try:
            value = int(raw.strip())
        except ValueError:
            raise InvalidQuery(f"{name} must be an integer, not {raw!r}.", field=name) from None
        if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
            raise InvalidQuery(f"{name} is out of range.", field=name)
        if minimum is not None and value < minimum:
            raise InvalidQuery(f"{name} must be at least {minimum}.", field=name)
        return value

    def boolean(self, name: str) -> bool | None:
        raw = self.values.get(name)
        if raw is None or raw.strip() == "":
            return None
        return parse_bool(name, raw)


def parse_bool(name: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise InvalidQuery(f"{name} must be true or false, not {raw!r}.", field=name)


@dataclass
class Call:
    """What a handler needs from the request, read before the transaction starts."""

    account_id: int
    query: Query
    path: dict[str, Any]
    body: Any = None
    base_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def path_id(self, entity: str, name: str = "id") -> int:
        value = int(self.path[name])
        if value >= INT64:
            raise NotFound(entity, value)
        return value


async def read_array(request: Request, what: str) -> list[dict[str, Any]]:
    """A POST body: a JSON array of objects, as every Halo write takes."""
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise MalformedRequest(f"The body is larger than {MAX_BODY_BYTES} bytes.")
    if not raw.strip():
        raise MalformedRequest(f"The request needs a JSON array of {what} objects.")
    content_type = request.headers.get("content-type", JSON).lower()
    if "json" not in content_type:
        raise MalformedRequest(
            f"Send the body as application/json (a JSON array of {what} objects), "
            f"not {content_type}."
        )
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise MalformedRequest(f"The body is not valid JSON: {exc}.") from None
    if not isinstance(body, list):
        raise MalformedRequest(f"The body must be a JSON array of {what} objects, like [{{...}}].")
    if not body:
        raise MalformedRequest(f"The body is an empty array; send at least one {what} object.")
    for index, item in enumerate(body):
        if not isinstance(item, dict):
            raise MalformedRequest(
                f"Element {index} of the body is not a JSON object.", field=f"[{index}]"
            )
    edge.check_json(raw, body)
    return body


Handler = Callable[[Any, Call], Reply]  # a Session when it writes, a Reader when it reads


def endpoint(
    runtime: Runtime,
    handler: Handler,
    *,
    areas: tuple[str, ...],
    write: bool = False,
    body: str | None = None,
) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a handler: check the bearer token for `areas` (read or edit), read the body (a
    JSON array of `body` objects) when there is one, run the handler in one transaction, and
    render any DomainError in this door's shape."""

    async def asgi(request: Request) -> Response:
        try:
            account_id = await auth.authenticate(runtime, request, areas, write=write)
            edge.check_query(request.scope["query_string"], request.query_params.multi_items())
            payload = await read_array(request, body) if body else None
            call = Call(
                account_id=account_id,
                query=Query(request.query_params),
                path=dict(request.path_params),
                body=payload,
            )
            if write:
                reply = await runtime.run(lambda s: handler(s, call), write=True)
            else:
                reply = await runtime.read(lambda r: handler(r, call))
            return reply.response()
        except DomainError as exc:
            return render(exc)

    return asgi
