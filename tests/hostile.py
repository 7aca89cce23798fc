"""Hostile input, and a sweep that sends it to a door and keeps every answer a client should
never get: a 5xx, or an error the server logged as unhandled.

Requests go straight to the ASGI application, one event loop for a whole sweep, with the bytes
chosen here (the path and query exactly as percent-encoded, the body exactly as written): a
TestClient would re-encode some of them and costs a thread hop per request, which a sweep of
thousands of requests cannot afford.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import itertools
import json
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, unquote_to_bytes

from starlette.types import ASGIApp, Message

HOST = "testserver"
LONG = "x" * 10_000
NUL = "a\x00b"

# --- values -------------------------------------------------------------------------------------

# Query values as raw URL text, so the bytes that arrive are exactly these.
QUERY_VALUES: tuple[tuple[str, str], ...] = (
    ("NUL inside", "a%00b"),
    ("NUL", "%00"),
    ("10k chars", LONG),
    ("20 digits", "99999999999999999999"),
    ("-20 digits", "-99999999999999999999"),
    ("2**63", "9223372036854775808"),
    ("1e308", "1e308"),
    ("NaN", "NaN"),
    ("lone surrogate", "%ED%A0%80"),
    ("invalid UTF-8", "%FF%FE"),
    ("empty", ""),
)


def query_pieces(name: str) -> list[tuple[str, str]]:
    """(label, `name=value` text) for every hostile query value, the parameter repeated with
    two different values (in both orders: some doors take the first, some the last)."""
    pieces = [(label, f"{name}={value}") for label, value in QUERY_VALUES]
    pieces.append(("repeated", f"{name}=1&{name}=a%00b"))
    pieces.append(("repeated, NUL first", f"{name}=a%00b&{name}=1"))
    return pieces


# Path ids as raw URL text.
PATH_VALUES: tuple[tuple[str, str], ...] = (
    ("0", "0"),
    ("-1", "-1"),
    ("2**31", str(2**31)),
    ("2**63", str(2**63)),
    ("2**64", str(2**64)),
    ("NUL", "%00"),
    ("NUL inside", "1%001"),
)
SLUG_VALUES: tuple[tuple[str, str], ...] = (
    ("NUL", "%00"),
    ("NUL inside", "a%00b"),
    ("10k chars", LONG),
    ("lone surrogate", "%ED%A0%80"),
    ("invalid UTF-8", "%FF%FE"),
    ("20 digits", "99999999999999999999"),
)


@dataclass(frozen=True)
class Raw:
    """A JSON value given as the exact bytes to send (some cannot come out of an encoder: a
    lone surrogate, an array nested deeper than the encoder recurses)."""

    label: str
    text: bytes


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


NUL_STRING = Raw("NUL in a string", b'"a\\u0000b"')
LONG_STRING = Raw("10k chars", json.dumps(LONG).encode())
# Every field gets these two: NUL and over-long text are what reach a column unchecked.
ALWAYS: tuple[Raw, ...] = (NUL_STRING, LONG_STRING)
# And one number out of range, and one value of another shape, each in turn (see values_for).
NUMBERS: tuple[Raw, ...] = (
    Raw("2**64", str(2**64).encode()),
    Raw("10**30", str(10**30).encode()),
    Raw("-1e308", b"-1e308"),
    Raw("-2**64", str(-(2**64)).encode()),
    Raw("1e308", b"1e308"),
)
SHAPES: tuple[Raw, ...] = (
    Raw("nested 500 deep", _nested(500)),
    Raw("object", b'{"a": "b"}'),
    Raw("true", b"true"),
    Raw("array", b'[1, "two"]'),
    Raw("lone surrogate (escape)", b'"\\ud800"'),
    Raw("null", b"null"),
    Raw("nested 5000 deep", _nested(5000)),
    Raw("lone surrogate (bytes)", b'"\xed\xa0\x80"'),
)
NUL_KEY = "x\x00y"
# ROLODEX_HOSTILE_EVERY_VALUE=1 sends every value to every field (minutes, not seconds).
EVERY_VALUE = os.environ.get("ROLODEX_HOSTILE_EVERY_VALUE") == "1"


def values_for(index: int) -> tuple[Raw, ...]:
    """The values the index-th field of a sweep gets: ALWAYS, then a number and a shape, each
    the next of its list, so that every value meets dozens of fields of every kind."""
    if EVERY_VALUE:
        return ALWAYS + NUMBERS + SHAPES
    return (*ALWAYS, NUMBERS[index % len(NUMBERS)], SHAPES[index % len(SHAPES)])


# --- bodies -------------------------------------------------------------------------------------

Path = tuple[str | int, ...]


def show(path: Path) -> str:
    """("clients", 0, "name") -> clients[0].name; (0, "name") -> [0].name."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(the whole body)"


def put(body: Any, path: Path, value: Any) -> Any:
    """A copy of `body` with `value` at `path`, making the objects and arrays on the way."""
    if not path:
        return value
    out = copy.deepcopy(body)
    node = out
    for part, after in itertools.pairwise(path):
        empty: Any = [] if isinstance(after, int) else {}
        if isinstance(part, int):
            while len(node) <= part:
                node.append(copy.deepcopy(empty))
            if not isinstance(node[part], list | dict):
                node[part] = empty
        elif not isinstance(node.get(part), list | dict):
            node[part] = empty
        node = node[part]
    last = path[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
    node[last] = value
    return out


def objects(body: Any, path: Path = ()) -> Iterator[Path]:
    """The path of every JSON object in `body`."""
    if isinstance(body, dict):
        yield path
        for key, value in body.items():
            yield from objects(value, (*path, key))
    elif isinstance(body, list):
        for index, value in enumerate(body):
            yield from objects(value, (*path, index))


def swept_paths(fields: Sequence[Path]) -> list[Path]:
    """The fields, and every object or array on the way to one (a wrapper key, an array's
    element), so those get hostile values too."""
    out: dict[Path, None] = {}
    for path in fields:
        for end in range(1, len(path) + 1):
            out.setdefault(tuple(path[:end]), None)
    return list(out)


def encode(body: Any) -> bytes:
    """JSON for `body`, with every Raw written as its exact bytes."""
    raws: list[bytes] = []

    def swap(node: Any) -> Any:
        if isinstance(node, Raw):
            raws.append(node.text)
            return f"@@raw{len(raws) - 1}@@"
        if isinstance(node, dict):
            return {key: swap(value) for key, value in node.items()}
        if isinstance(node, list):
            return [swap(value) for value in node]
        return node

    text = json.dumps(swap(body)).encode()
    for index, raw in enumerate(raws):
        text = text.replace(f'"@@raw{index}@@"'.encode(), raw, 1)
    return text


# --- credentials --------------------------------------------------------------------------------


def basic(raw: bytes) -> bytes:
    return b"Basic " + base64.b64encode(raw)


def tevo_signature(secret: str, method: str, raw_path: bytes, query: bytes, body: bytes) -> bytes:
    """X-Signature over the bytes as sent, as the vendor documents it: base64(HMAC-SHA256) of
    "{METHOD} {host}{path}?{rest}", rest being the body of a POST, PUT or PATCH (or of a
    DELETE that has one) and otherwise the query's pieces sorted by their decoded key."""
    if method in ("POST", "PUT", "PATCH") or (method == "DELETE" and body):
        rest = body
    else:
        pieces = [p for p in query.split(b"&") if p]
        pieces.sort(key=lambda p: unquote_to_bytes(p.partition(b"=")[0].replace(b"+", b" ")))
        rest = b"&".join(pieces)
    message = f"{method} {HOST}".encode() + raw_path + b"?" + rest
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest())


# --- sending ------------------------------------------------------------------------------------

Headers = list[tuple[bytes, bytes]]


@dataclass
class Answer:
    status: int  # 0 when the application sent no response
    body: bytes
    raised: str | None  # what the application raised, if anything


async def call(
    app: ASGIApp, method: str, path: str, query: bytes, headers: Headers, body: bytes
) -> Answer:
    """One request to `app`: `path` as percent-encoded text (decoded the way a server
    decodes it), the query and body exactly as given."""
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": unquote(path),
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query,
        "headers": [(b"host", HOST.encode()), *headers],
        "client": ("127.0.0.1", 50000),
        "server": (HOST, 80),
    }
    received = False
    status = 0
    chunks: list[bytes] = []

    async def receive() -> Message:
        nonlocal received
        if received:
            return {"type": "http.disconnect"}
        received = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    raised = None
    try:
        await app(scope, receive, send)
    except Exception as exc:  # the server's error handler has answered; keep what it was
        raised = _one_line(exc)
    return Answer(status, b"".join(chunks), raised)


def _one_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".splitlines()[0][:300]


# --- the sweep ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    door: str
    method: str
    route: str
    where: str  # "query name", "path client_id", "body clients[0].name", ...
    label: str  # which hostile value
    status: int
    body: str
    logged: str  # the unhandled error the server logged, if it did

    def line(self) -> str:
        cause = f" | logged: {self.logged}" if self.logged else ""
        return (
            f"{self.door} {self.method} {self.route} {self.where} [{self.label}] -> "
            f"{self.status} {self.body!r}{cause}"
        )


class UnhandledErrors(logging.Handler):
    """Keeps the errors the application logs as unhandled (rolodex.app and every door log
    them as "unhandled error on ...")."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.getMessage().startswith("unhandled error"):
            return
        if record.exc_info and record.exc_info[1] is not None:
            self.seen.append(_one_line(record.exc_info[1]))
        else:
            self.seen.append(record.getMessage()[:300])

    def drain(self) -> list[str]:
        out, self.seen = self.seen, []
        return out


@contextmanager
def unhandled_errors() -> Iterator[UnhandledErrors]:
    handler = UnhandledErrors()
    logger = logging.getLogger("rolodex")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


@dataclass
class Sweep:
    """Sends requests to one door and keeps each answer that is a 5xx, or that came with an
    unhandled error in the log; `expect_ok` requests (the valid bodies the hostile ones are
    made from) must succeed, or the sweep of that route would prove nothing."""

    app: ASGIApp
    door: str
    log: UnhandledErrors
    findings: list[Finding] = field(default_factory=list)
    logged: list[str] = field(default_factory=list)  # every unhandled error the server logged
    sent: int = 0

    async def send(
        self,
        method: str,
        path: str,
        *,
        route: str,
        where: str,
        label: str,
        query: bytes = b"",
        headers: Headers | None = None,
        body: bytes = b"",
        expect_ok: bool = False,
    ) -> Answer:
        answer = await call(self.app, method, path, query, headers or [], body)
        self.sent += 1
        logged = self.log.drain()
        self.logged += logged
        if answer.raised and not logged:
            logged = [answer.raised]
        failed = answer.status >= 500 or answer.status == 0 or bool(logged)
        if expect_ok and not 200 <= answer.status < 300:
            failed = True
            label = f"{label}; the valid request was refused, so this route was not swept"
        if failed:
            self.findings.append(
                Finding(
                    self.door,
                    method,
                    route,
                    where,
                    label,
                    answer.status,
                    answer.body[:200].decode("utf-8", "replace"),
                    "; ".join(logged),
                )
            )
        return answer

    async def probe(self, method: str, path: str, headers: Headers, body: bytes = b"") -> Answer:
        """A request whose answer is judged by the caller, not kept as a finding."""
        answer = await call(self.app, method, path, b"", headers, body)
        self.logged += self.log.drain()
        return answer

    def poisoned(self, method: str, route: str, cause: str, answer: Answer) -> None:
        """A write that got a server error stored a value the door cannot show: the route's
        valid body, which shows the same record, fails from then on."""
        self.findings.append(
            Finding(
                self.door,
                method,
                route,
                "the valid body, sent again",
                f"fails since {cause} was stored",
                answer.status,
                answer.body[:200].decode("utf-8", "replace"),
                answer.raised or "",
            )
        )

    def gap(self, method: str, route: str, why: str) -> None:
        """A route this sweep could not reach: a gap in the test, reported like a failure."""
        self.findings.append(Finding(self.door, method, route, "(not swept)", why, 0, "", ""))

    def report(self) -> str:
        lines = [f"{len(self.findings)} of {self.sent} hostile requests to {self.door} failed:"]
        lines += [f.line() for f in self.findings]
        if self.logged:
            distinct = sorted(set(self.logged))
            lines.append(f"{len(self.logged)} unhandled errors logged, {len(distinct)} distinct:")
            lines += [f"  {message}" for message in distinct]
        return "\n".join(lines)
