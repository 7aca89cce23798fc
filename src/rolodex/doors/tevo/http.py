"""What the Ticket Evolution door plugs into the door spine (rolodex.doors.spine): X-Token
and X-Signature, which signs the raw body (so the body is read first), any JSON body or none,
string path ids, handlers that make their own reads and writes (each one transaction) through
`call.read` and `call.write`, and a Rails routing 404 for any path or method it does not serve."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.orm import Session
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from rolodex.db.prepared import Reader
from rolodex.doors import hosts, spine
from rolodex.doors.spine import ID_MAX, Reply, Spec
from rolodex.doors.tevo import errors
from rolodex.doors.tevo.auth import SigningSecrets, authenticate
from rolodex.errors import DomainError, NotFound
from rolodex.runtime import Runtime

T = TypeVar("T")

__all__ = ["Call", "Handler", "Reply", "Tevo"]


@dataclass
class Call(spine.Call[QueryParams]):
    """What a handler gets: the account, the request's parts, and the runtime to read and
    write through."""

    runtime: Runtime

    def ident(self, name: str, entity: str, limit: int = ID_MAX) -> int:
        """A path id; anything that is not one is a record that does not exist."""
        raw = self.path[name]
        if not (raw.isascii() and raw.isdigit()) or int(raw) >= limit or int(raw) == 0:
            raise NotFound(entity, raw)
        return int(raw)

    async def read(self, fn: Callable[[Reader], T]) -> T:
        return await self.runtime.read(fn)

    async def write(self, fn: Callable[[Session], T]) -> T:
        return await self.runtime.run(fn, write=True)


Handler = Callable[[Call], Awaitable[Reply]]


class Tevo(spine.Door[Spec]):
    name = "tevo"
    credential_header = "x-token"
    signs_body = True
    body_rules = spine.JsonBody(if_empty=lambda: None, say_why=False, only_object=False)

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        self.secrets = SigningSecrets(runtime.settings.auth_cache_seconds)

    def authenticate(self, request: Request, spec: Spec, raw: bytes) -> Awaitable[int]:
        return authenticate(self.runtime, self.secrets, request, raw)

    def call(self, request: Request, account_id: int, body: Any) -> Call:
        return Call(account_id, request.path_params, request.query_params, body, self.runtime)

    def runs(self, spec: Spec) -> Callable[[Request, Any], Awaitable[Reply]]:
        handler = spec.handler
        return lambda _request, call: handler(call)

    def render_error(self, exc: DomainError, spec: Spec) -> Response:
        return errors.render(exc)

    def no_route(self, request: Request) -> Response:
        return errors.render(
            errors.NoRoute(request.method, hosts.as_addressed(request.scope, request.url.path))
        )
