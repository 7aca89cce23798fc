"""One spine, many doors: the request plumbing every door shares, written once.

A request to any door's route goes through the same steps (`Door.endpoint`):

1. authenticate: the door's credential scheme names the account (`Door.authenticate`);
2. refuse a query string that carries a NUL (`edge.check_query`);
3. read the body, when the route takes one: the size limit, the JSON parse, the shape the route
   takes and the edge checks (`JsonBody`, or the door's own `read_body`), every refusal a
   MalformedRequest;
4. run the handler: a read in a snapshot on the event loop (`runtime.read`), a write in one
   transaction (`runtime.run(write=True)`), or the door's own way (`Door.runs`: native's
   Idempotency-Key, TEvo's handlers that read and write through `call.read`/`call.write`);
5. render the Reply as JSON (`Door.media_type`; a GET whose If-None-Match names the Reply's
   ETag is a 304), or any DomainError through the door's error table (`Door.render_error`).

One dispatcher serves each path (`Door.routes`): HEAD is answered as GET; a method the path does
not serve gets the door's answer (`Door.not_allowed`: a 405 with Allow, or the vendor's 404), and
so does a path no route serves (`Door.no_route`). Native answers neither itself: Starlette's 404
and 405 reach the app's handlers, which answer in native's shape.

A door is a Door subclass naming only what it does differently, plus a route table as data,
`TABLE = ((path, {method: endpoint}), ...)`, from which both its routes and its OpenAPI document
are built. Every door folder holds the same files for the same roles:

    routes.py    the route table, and mount(): the door's routes under its prefix
    http.py      what the door plugs into this spine: its Call and its Door subclass
    auth.py      the vendor's credential scheme: a request -> the account
    errors.py    the error table: DomainError -> the vendor's status, headers and body
    params.py    the query parameters it reads: filters, sorting, pages
    mapping.py   pure functions between the wire and the domain (TEvo and Kickserv render
                 records in render.py)
    wire.py      the vendor's field names, casing and constants (native has none: its
                 names are the domain's)
    openapi.py   the door's OpenAPI document, built from the route table
    reads.py     queries only this door makes, where it has any (Halo, Kickserv); the reads
                 every door shares are rolodex.domain's (queries, pagination, client_children)

and its handlers, in modules named for what they serve (clients.py, areas.py, customers.py).
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

import orjson
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from rolodex.domain import changes
from rolodex.domain.events import Actor
from rolodex.doors import edge
from rolodex.errors import DomainError, MalformedRequest, NotFound
from rolodex.runtime import Runtime

if TYPE_CHECKING:
    from rolodex.doors.lane import Lane

JSON = "application/json"
MAX_BODY_BYTES = 1024 * 1024
ID_MAX = 2**63  # a path id this large names no record (ids are 64-bit)
# A vendor door's paths take every method, so that a wrong one is answered in its own shape.
ANY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

log = logging.getLogger("rolodex")
Asgi = Callable[[Request], Awaitable[Response]]
Handler = Callable[..., Any]  # (Session or Reader, Call) -> Reply; a door's own: (Call) -> ...
Q = TypeVar("Q")


class Endpoint(Protocol):
    """What the spine reads of one method of a path; a door's table may carry more."""

    @property
    def handler(self) -> Handler: ...

    @property
    def write(self) -> bool: ...

    @property
    def body(self) -> Any: ...  # falsy: the route reads no body


S = TypeVar("S", bound=Endpoint)
# Each path with its endpoints by method, in the order the routes are matched.
Table = Iterable[tuple[str, Mapping[str, S]]]


@dataclass(frozen=True)
class Spec:
    """An endpoint with nothing door-specific: the handler (given a Session when it writes, a
    Reader when it reads), whether it writes, whether it reads a body."""

    handler: Handler
    write: bool = False
    body: bool = False


def by_path(rows: Iterable[tuple[str, str, S]]) -> list[tuple[str, dict[str, S]]]:
    """(method, path, endpoint) rows as a Table: each path once, its methods in row order."""
    grouped: dict[str, dict[str, S]] = {}
    for method, path, spec in rows:
        grouped.setdefault(path, {})[method] = spec
    return list(grouped.items())


@dataclass
class Reply:
    """What a handler answers: a body to render as JSON, a status, headers, an ETag."""

    body: Any  # None: no body
    status: int = 200
    headers: Mapping[str, str] | None = None
    etag: str | None = None

    def response(self, media_type: str = JSON) -> Response:
        headers = self.headers
        if self.etag:
            headers = {**(headers or {}), "ETag": self.etag}
        if self.body is None:
            return Response(status_code=self.status, headers=headers)
        if headers and any(k.lower() in _SET_BY_BODY for k in headers):
            return Response(
                orjson.dumps(self.body), self.status, headers=headers, media_type=media_type
            )
        return JsonResponse(orjson.dumps(self.body), self.status, media_type, headers)


_SET_BY_BODY = frozenset({"content-type", "content-length"})


class JsonResponse(Response):
    """A Response whose body is serialised already, with its headers built in one step (what
    Starlette's Response does in several, for any body and any media type)."""

    def __init__(
        self, body: bytes, status: int, media_type: str, headers: Mapping[str, str] | None
    ) -> None:
        self.status_code = status
        self.media_type = media_type
        self.body = body
        self.background = None
        raw = [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", media_type.encode("latin-1")),
        ]
        if headers:
            raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
        self.raw_headers = raw


@dataclass
class Call(Generic[Q]):
    """What a handler needs from the request, read before its transaction starts."""

    account_id: int
    path: Mapping[str, Any]
    query: Q
    body: Any  # the parsed body; None when the route reads none
    _lists: dict[str, list[str]] | None = field(default=None, init=False, repr=False)

    @property
    def query_lists(self: Call[QueryParams]) -> dict[str, list[str]]:
        """Each query parameter's values (a name may repeat), worked out on first use."""
        lists = self._lists
        if lists is None:
            query = self.query
            lists = self._lists = {k: query.getlist(k) for k in query}
        return lists

    def ident(self, name: str, entity: str, limit: int = ID_MAX) -> int:
        """A numeric path parameter (the route's `:int` matched it); one at or beyond `limit`
        names no record."""
        value = int(self.path[name])
        if value >= limit:
            raise NotFound(entity, value)
        return value


# --- reading a body ----------------------------------------------------------------------------


def check_size(raw: bytes, limit: int = MAX_BODY_BYTES) -> None:
    if len(raw) > limit:
        raise MalformedRequest(f"The body is larger than {limit} bytes.")


def parse(raw: bytes, *, say_why: bool = True) -> Any:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        why = f": {exc}" if say_why else ""
        raise MalformedRequest(f"The body is not valid JSON{why}.") from None


@dataclass(frozen=True)
class JsonBody:
    """How a door reads a JSON body: the steps are the same for every door, the policies not."""

    max_bytes: int = MAX_BODY_BYTES
    if_empty: Callable[[], Any] | None = None  # what an empty body stands for; None: refused
    content_type: bool = False  # refuse a Content-Type that does not say JSON (none is JSON)
    say_why: bool = True  # quote the parser's complaint about broken JSON
    only_object: bool = True  # refuse any body but a JSON object
    wrapped: bool = False  # name fields inside the body's wrapper object (edge.check_json)

    def read(self, raw: bytes, request: Request) -> Any:
        check_size(raw, self.max_bytes)
        if not raw.strip():
            if self.if_empty is None:
                raise MalformedRequest("The request needs a JSON body.")
            return self.if_empty()
        if self.content_type and "json" not in request.headers.get("content-type", JSON):
            raise MalformedRequest("Send the body as application/json.")
        body = parse(raw, say_why=self.say_why)
        if self.only_object and not isinstance(body, dict):
            raise MalformedRequest("The body must be a JSON object.")
        edge.check_json(raw, body, wrapped=self.wrapped)
        return body


_READS = frozenset({"GET", "HEAD"})


def _request_id(request: Request) -> str:
    """The id a write's events carry and its answer's X-Request-Id: the caller's own (up to
    64 visible ASCII characters), else a new one."""
    given = request.headers.get("x-request-id")
    if given and len(given) <= 64 and given.isascii() and given.isprintable():
        return given
    return uuid.uuid4().hex


# --- the door ----------------------------------------------------------------------------------


class Door(Generic[S]):
    """A door's plug-ins (override what differs) and the spine that calls them."""

    name = "door"  # also names its logger, rolodex.<name>
    body_rules = JsonBody()
    media_type = JSON
    # The credentials sign the raw body (TEvo), so it is read before authenticating.
    signs_body = False
    # The door answers unknown paths and methods itself (every vendor door); native leaves
    # them to Starlette, so its paths take only the methods they serve.
    answers_unknown = True
    # GET handlers the app's hot lane routes to (rolodex.doors.lane): the reads served from
    # stored documents, which the linear route scan would otherwise cost a third of.
    hot: tuple[Handler, ...] = ()

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        # (path as routed, its GET endpoint) for each hot handler, filled by `routes`.
        self.hot_routes: list[tuple[str, Asgi]] = []

    # --- plug-ins ------------------------------------------------------------------------------

    def authenticate(self, request: Request, spec: S, raw: bytes) -> Awaitable[int]:
        """The account the request's credentials open; `raw` is the body when `signs_body`."""
        raise NotImplementedError

    def read_body(self, raw: bytes, request: Request, spec: S) -> Any:
        return self.body_rules.read(raw, request)

    def call(self, request: Request, account_id: int, body: Any) -> Call[Any]:
        return Call(account_id, request.path_params, request.query_params, body)

    def runs(self, spec: S) -> Callable[[Request, Any], Awaitable[Reply]] | None:
        """How `spec` runs its handler when not as a plain read or write; None: plainly."""
        return None

    def render_error(self, exc: DomainError, spec: S) -> Response:
        raise NotImplementedError

    def unhandled(self, request: Request) -> Response | None:
        """The answer to an unexpected exception (logged); None: it propagates to the app."""
        return None

    def no_route(self, request: Request) -> Response:
        raise NotImplementedError

    def not_allowed(self, request: Request, methods: Collection[str]) -> Response:
        """A method the path does not serve (`methods`); by default, as an unknown path."""
        return self.no_route(request)

    def paths(self, path: str) -> tuple[str, ...]:
        """The paths a table's path is routed as."""
        return (path,)

    # The header that carries the door's credential (TEvo's is X-Token).
    credential_header = "authorization"

    def credential(self, request: Request) -> str | None:
        """Which credential made a request, for its events: the door and the first 12 hex
        digits of the SHA-256 of the credential's header, never the secret itself (a holder
        of the credential can compute it and tell their changes apart)."""
        value = request.headers.get(self.credential_header)
        if not value:
            return None
        return f"{self.name}:{hashlib.sha256(value.encode()).hexdigest()[:12]}"

    # --- the spine -----------------------------------------------------------------------------

    def endpoint(self, spec: S) -> Asgi:
        """One method of one path: every step of the module docstring, in that order."""
        runtime = self.runtime
        handler = spec.handler
        write = spec.write
        signs_body = self.signs_body
        authenticate = self.authenticate
        read_body = self.read_body if spec.body else None
        make_call = self.call
        run = self.runs(spec)
        media_type = self.media_type
        render_error = self.render_error
        unhandled = self.unhandled
        logger = log.getChild(self.name)
        # A write records who made it (domain/changes): this door, the credential, the request.
        # (A door's own way of running, `runs`, may write on any method but a read's.)
        may_write = write or run is not None
        door = self.name
        credential = self.credential
        count = runtime.requests.add

        async def asgi(request: Request) -> Response:
            try:
                raw = await request.body() if signs_body else b""
                account_id = await authenticate(request, spec, raw)
                count(account_id, door)
                edge.check_query(request.scope["query_string"], request.query_params.multi_items)
                body = None
                if read_body is not None:
                    body = read_body(raw if signs_body else await request.body(), request, spec)
                call = make_call(request, account_id, body)
                writes = may_write and (write or request.method not in _READS)
                if writes:
                    request_id = _request_id(request)
                    changes.ACTOR.set(Actor(door, credential(request), request_id))
                if run is not None:
                    reply = await run(request, call)
                elif write:
                    reply = await runtime.run(lambda s: handler(s, call), write=True)
                else:
                    reply = await runtime.read(lambda r: handler(r, call))
                tag = reply.etag
                if tag and request.method == "GET" and request.headers.get("if-none-match") == tag:
                    return Response(status_code=304, headers={"ETag": tag})
                answer = reply.response(media_type)
                if writes:
                    answer.headers["X-Request-Id"] = request_id
                return answer
            except DomainError as exc:
                return render_error(exc, spec)
            except Exception:
                response = unhandled(request)
                if response is None:
                    raise
                logger.exception("unhandled error on %s %s", request.method, request.url.path)
                return response

        return asgi

    def dispatch(self, methods: dict[str, Asgi]) -> Asgi:
        """One path's endpoints by method; HEAD is answered as GET."""
        if not self.answers_unknown and len(methods) == 1:
            return next(iter(methods.values()))  # Starlette refuses any other method
        not_allowed = self.not_allowed

        async def by_method(request: Request) -> Response:
            method = request.method
            handler = methods.get("GET" if method == "HEAD" else method)
            if handler is None:
                return not_allowed(request, methods)
            return await handler(request)

        return by_method

    async def missing(self, request: Request) -> Response:
        return self.no_route(request)

    def endpoints(self, table: Table[S]) -> list[tuple[str, dict[str, Asgi]]]:
        return [(path, {m: self.endpoint(s) for m, s in specs.items()}) for path, specs in table]

    def served(
        self,
        table: Table[S],
        prefix: str,
        lane: Lane | None,
        hot: tuple[Handler, ...] = (),
        fold: Callable[[str], str] | None = None,
    ) -> list[BaseRoute]:
        """The table's routes (see `routes`), as mounted under `prefix`; the GETs of the `hot`
        handlers also go to the app's lane (rolodex.doors.lane), which matches paths after
        `fold` as the door's router does."""
        self.hot = hot
        out = self.routes(table)
        if lane is not None:
            lane.add(prefix, self, fold=fold)
        return out

    def routes(self, table: Table[S]) -> list[BaseRoute]:
        """The table's routes and, for a door that answers them, a route for every other path."""
        out: list[BaseRoute] = []
        table = list(table)
        for (path, endpoints), (_, specs) in zip(self.endpoints(table), table, strict=True):
            app = self.dispatch(endpoints)
            methods = ANY_METHOD if self.answers_unknown else list(endpoints)
            out += [Route(shown, app, methods=methods) for shown in self.paths(path)]
            get = specs.get("GET")
            if get is not None and get.handler in self.hot:
                self.hot_routes += [(shown, endpoints["GET"]) for shown in self.paths(path)]
        if self.answers_unknown:
            out.append(Route("/{rest:path}", self.missing, methods=ANY_METHOD))
        return out
