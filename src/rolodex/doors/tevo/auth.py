"""Ticket Evolution's credential scheme: `X-Token` names the account, `X-Signature` is
base64(HMAC-SHA256(secret, string to sign)), where the string to sign is

    "{METHOD} {host}{path}?{rest}"

- host as the client sent it, without a scheme, with :80 / :443 dropped;
- path as received, prefix included (e.g. /tevo/v9/clients);
- rest: for POST, PUT and PATCH the exact raw body; for DELETE the raw body if there is one;
  otherwise (GET, a DELETE without a body) the query string sorted by key;
- the `?` is always there.

Besides that canonical string, two spellings the vendor's own SDKs produce are accepted:
the Ruby SDK drops any port (`:\\d+/`), and the PHP SDK strips only `https://`, so over plain
HTTP it signs `http://host:port/...`. Each is still an HMAC of method, host, path and
body with the account's secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from collections.abc import Iterable, Iterator
from urllib.parse import unquote_to_bytes

from starlette.requests import Request

from rolodex.domain import accounts
from rolodex.doors.hosts import sent_raw_path
from rolodex.doors.tevo.errors import UNAUTHORIZED, SignatureIncorrect
from rolodex.errors import AuthenticationFailed
from rolodex.runtime import Runtime

SCHEME = "tevo"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
TOKEN_MAX = 128
_DEFAULT_PORT = re.compile(r":(?:80|443)$")
_ANY_PORT = re.compile(r":\d{1,5}$")


def sign(secret: str, message: bytes) -> str:
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def sorted_query(query: bytes) -> bytes:
    """The query string's `key=value` pieces, stably sorted by their (decoded) key, each kept
    exactly as sent."""
    pieces = [p for p in query.split(b"&") if p]
    pieces.sort(key=lambda p: unquote_to_bytes(p.partition(b"=")[0].replace(b"+", b" ")))
    return b"&".join(pieces)


def signed_rest(method: str, query: bytes, body: bytes) -> bytes:
    if method in BODY_METHODS or (method == "DELETE" and body):
        return body
    return sorted_query(query)


def hosts(host: str) -> list[str]:
    """The spellings of the host a client may have signed, canonical first."""
    canonical = _DEFAULT_PORT.sub("", host)
    out = [canonical]
    if not canonical.endswith("]"):
        bare = _ANY_PORT.sub("", canonical)
        if bare != canonical:
            out.append(bare)
    out.append("http://" + canonical)
    return out


def strings_to_sign(method: str, host: str, path: bytes, query: bytes, body: bytes) -> list[bytes]:
    return list(_spellings(method, host, path, query, body))


def _spellings(method: str, host: str, path: bytes, query: bytes, body: bytes) -> Iterator[bytes]:
    """The strings a client may have signed, canonical first, each made only when asked for."""
    rest = b"?" + signed_rest(method, query, body)
    canonical = _DEFAULT_PORT.sub("", host)
    yield f"{method} {canonical}".encode("latin-1") + path + rest
    for other in hosts(host)[1:]:
        yield f"{method} {other}".encode("latin-1") + path + rest


def canonical_string(method: str, host: str, path: bytes, query: bytes, body: bytes) -> bytes:
    return strings_to_sign(method, host, path, query, body)[0]


def signature_matches(secret: str, presented: str, candidates: Iterable[bytes]) -> bool:
    """Whether `presented` signs one of the candidates, canonical first. Each comparison is
    constant-time, and a signature that matches none is compared with every one, so a failure
    takes the same time whatever was sent; stopping at a match tells the caller only that it
    signed that spelling, which it knows. The usual request costs one HMAC, not three."""
    wanted = presented.encode()
    return any(hmac.compare_digest(sign(secret, c).encode(), wanted) for c in candidates)


class SigningSecrets:
    """token -> (account id, secret) for a few seconds, so a burst of requests does not look
    the secret up every time. Per process; nothing in it outlives the TTL."""

    def __init__(self, ttl: float, max_entries: int = 10_000) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[str, tuple[int, str, float]] = {}

    def get(self, token: str) -> tuple[int, str] | None:
        hit = self._entries.get(token)
        if hit is None:
            return None
        account_id, secret, expires = hit
        if expires < time.monotonic():
            self._entries.pop(token, None)
            return None
        return account_id, secret

    def put(self, token: str, account_id: int, secret: str) -> None:
        if self.ttl <= 0:
            return
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[token] = (account_id, secret, time.monotonic() + self.ttl)


async def authenticate(
    runtime: Runtime, secrets: SigningSecrets, request: Request, body: bytes
) -> int:
    token = (request.headers.get("x-token") or "").strip()
    presented = (request.headers.get("x-signature") or "").strip()
    if not token or len(token) > TOKEN_MAX:
        raise AuthenticationFailed(UNAUTHORIZED)
    found = secrets.get(token)
    if found is None:
        found = await runtime.run(lambda s: accounts.signing_secret(s, SCHEME, token), write=False)
        if found is None:
            raise AuthenticationFailed(UNAUTHORIZED)
        secrets.put(token, *found)
    account_id, secret = found
    scope = request.scope
    path = sent_raw_path(scope)  # as sent: without the prefix a TEvo host adds
    host = request.headers.get("host") or ""
    candidates = _spellings(
        request.method.upper(), host, path, scope.get("query_string", b""), body
    )
    if not presented or not signature_matches(secret, presented, candidates):
        raise SignatureIncorrect()
    return account_id
