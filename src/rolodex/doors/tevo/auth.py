"""Ticket Evolution's credential scheme: `X-Token` names the account, `X-Signature` is
base64(HMAC-SHA256(secret, string to sign)), where the canonical string to sign is

    "{METHOD} {host}{path}?{rest}"

- host as the client sent it, without a scheme, with :80 / :443 dropped;
- path as received, prefix included (e.g. /tevo/v9/clients);
- rest: for POST, PUT and PATCH the exact raw body; for DELETE the raw body if there is one;
  otherwise (GET, a DELETE without a body) the query string sorted by key, each piece as sent;
- the `?` is always there.

Client code in the wild builds that string in other ways, which the vendor's server accepts,
so this door accepts them too: each is still an HMAC, under the account's secret, of this very
request's method, host, path and body or query (a changed one fails every form):

- host: with its port (canonical), without any port (the Ruby SDK cuts `:\\d+/`, the JS SDK
  signs the hostname only), or, for a request that came over plain HTTP, `http://` and the
  host with its port (the PHP SDK strips only `https://`);
- separator: for a request that signs its body, also none (the JS SDK's postJSON signs
  `POST host/path{body}`, without the `?`);
- rest, for a method that signs the query: sorted as sent (canonical), exactly as sent (a
  signer that does not sort), or sorted and encoded again from its decoded pieces with spaces
  as `+` (form encoding, as PHP's RFC 1738 and Python's urlencode) or as `%20` (RFC 3986, as
  the JS SDK's qs); the letters, digits and `-._~` stay as they are, everything else is `%XX`.

The canonical string is made and checked first, so the usual request costs one HMAC; the
other forms are made only when it fails, one at a time, each once (at most 3 hosts x 4
queries; a body-signed request has one rest and two separators, so at most 6).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
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
_ANY_PORT = re.compile(r":\d{1,5}$")


def sign(secret: str, message: bytes) -> str:
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class Signer:
    """One account's secret, keyed once: an HMAC's key schedule is a third of its cost on a
    short message, so each signature copies the keyed state instead of keying again."""

    __slots__ = ("_keyed", "account_id")

    def __init__(self, account_id: int, secret: str) -> None:
        self.account_id = account_id
        self._keyed = hmac.new(secret.encode(), digestmod=hashlib.sha256)

    def signature(self, message: bytes) -> bytes:
        mac = self._keyed.copy()
        mac.update(message)
        return base64.b64encode(mac.digest())

    def signs(self, presented: bytes, message: bytes) -> bool:
        return hmac.compare_digest(self.signature(message), presented)

    def signs_one_of(self, presented: bytes, candidates: Iterable[bytes]) -> bool:
        """Whether `presented` signs one of the candidates, tried in order. Each comparison is
        constant-time, and a signature that matches none is compared with every one, so a
        failure takes the same time whatever was sent; stopping at a match tells the caller
        only that it signed that form, which it knows."""
        signature = self.signature
        return any(hmac.compare_digest(signature(c), presented) for c in candidates)


# --- the query, as signers spell it ------------------------------------------------------------


def _key(piece: bytes) -> bytes:
    """A `key=value` piece's key, decoded: what a signer sorts by."""
    key = piece.partition(b"=")[0]
    if b"%" in key or b"+" in key:
        return unquote_to_bytes(key.replace(b"+", b" "))
    return key


def sorted_query(query: bytes) -> bytes:
    """The query string's `key=value` pieces, stably sorted by their (decoded) key, each kept
    exactly as sent (the canonical rest of a query-signed request)."""
    if b"&" not in query:
        return query
    pieces = query.split(b"&")
    if b"" in pieces:
        pieces = [p for p in pieces if p]
    pieces.sort(key=_key)
    return b"&".join(pieces)


# The bytes escaped when a query is encoded again: all but RFC 3986's unreserved characters.
_ESCAPED = re.compile(rb"[^A-Za-z0-9._~-]")
_PERCENT = {bytes([byte]): b"%%%02X" % byte for byte in range(256)}
_FORM = {**_PERCENT, b" ": b"+"}


def decoded_pieces(query: bytes) -> list[list[bytes]]:
    """The query's pieces as [key] or [key, value], each decoded (`+` is a space), stably
    sorted by key."""
    pieces = [
        [unquote_to_bytes(part.replace(b"+", b" ")) for part in piece.split(b"=", 1)]
        for piece in query.split(b"&")
        if piece
    ]
    pieces.sort(key=lambda parts: parts[0])
    return pieces


def encoded_again(pieces: list[list[bytes]], plus: bool) -> bytes:
    """Decoded pieces as a query again: spaces as `+` (plus) or `%20`, the letters, digits and
    `-._~` as they are, every other byte `%XX`; a piece without `=` stays without one."""
    table = _FORM if plus else _PERCENT

    def escape(found: re.Match[bytes]) -> bytes:
        return table[found[0]]

    return b"&".join(b"=".join(_ESCAPED.sub(escape, part) for part in parts) for parts in pieces)


def _signs_body(method: str, body: bytes) -> bool:
    return method in BODY_METHODS or (method == "DELETE" and bool(body))


def signed_rest(method: str, query: bytes, body: bytes) -> bytes:
    """The canonical rest: the body for a method that signs it, else the sorted query."""
    if _signs_body(method, body):
        return body
    return sorted_query(query)


def _other_rests(method: str, query: bytes, body: bytes) -> Iterator[bytes]:
    """The rests besides the canonical one: only a query-signed request has any."""
    if method in BODY_METHODS or (method == "DELETE" and body) or not query:
        return
    yield query
    pieces = decoded_pieces(query)
    yield encoded_again(pieces, plus=True)
    yield encoded_again(pieces, plus=False)


# --- the host, as signers spell it -------------------------------------------------------------


def canonical_host(host: str) -> str:
    if host.endswith((":80", ":443")):
        return host.rpartition(":")[0]
    return host


def hosts(host: str, scheme: str = "https") -> list[str]:
    """The spellings of the host a client may have signed, canonical first: without a port,
    and with `http://` for a request that came over plain HTTP (`scheme`)."""
    canonical = canonical_host(host)
    out = [canonical]
    if not canonical.endswith("]"):  # an IPv6 literal's colons are not a port
        bare = _ANY_PORT.sub("", canonical)
        if bare != canonical:
            out.append(bare)
    if scheme == "http":
        out.append("http://" + canonical)
    return out


# --- the strings to sign -----------------------------------------------------------------------


def canonical_string(method: str, host: str, path: bytes, query: bytes, body: bytes) -> bytes:
    return (
        f"{method} {canonical_host(host)}".encode("latin-1")
        + path
        + b"?"
        + signed_rest(method, query, body)
    )


def strings_to_sign(
    method: str, host: str, path: bytes, query: bytes, body: bytes, scheme: str = "https"
) -> Iterator[bytes]:
    """The strings a client may have signed for this request, each once, the canonical one
    first."""
    yield canonical_string(method, host, path, query, body)
    yield from other_strings(method, host, path, query, body, scheme)


def other_strings(
    method: str, host: str, path: bytes, query: bytes, body: bytes, scheme: str = "https"
) -> Iterator[bytes]:
    """The strings to sign besides the canonical one, each once and made only when the ones
    before it were not enough: the canonical rest under the other spellings of the host, then
    the query's other spellings under every host."""
    seen = {canonical_string(method, host, path, query, body)}
    heads = [f"{method} {spelled}".encode("latin-1") + path for spelled in hosts(host, scheme)]
    rest = signed_rest(method, query, body)
    forms = itertools.chain(
        ((head, b"?", rest) for head in heads[1:]),
        ((head, b"?", other) for other in _other_rests(method, query, body) for head in heads),
    )
    if _signs_body(method, body):
        # The JS SDK's writes: the body straight after the path, no `?`.
        forms = itertools.chain(forms, ((head, b"", rest) for head in heads))
    for head, separator, tail in forms:
        candidate = head + separator + tail
        if candidate not in seen:
            seen.add(candidate)
            yield candidate


class SigningSecrets:
    """token -> the account's Signer for a few seconds, so a burst of requests neither looks
    the secret up nor keys the HMAC every time. Per process; nothing in it outlives the TTL."""

    def __init__(self, ttl: float, max_entries: int = 10_000) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[str, tuple[Signer, float]] = {}

    def get(self, token: str) -> Signer | None:
        hit = self._entries.get(token)
        if hit is None:
            return None
        signer, expires = hit
        if expires < time.monotonic():
            self._entries.pop(token, None)
            return None
        return signer

    def put(self, token: str, signer: Signer) -> None:
        if self.ttl <= 0:
            return
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[token] = (signer, time.monotonic() + self.ttl)


async def authenticate(
    runtime: Runtime, secrets: SigningSecrets, request: Request, body: bytes
) -> int:
    headers = request.headers
    token = (headers.get("x-token") or "").strip()
    if not token or len(token) > TOKEN_MAX:
        raise AuthenticationFailed(UNAUTHORIZED)
    signer = secrets.get(token)
    if signer is None:
        found = await runtime.run(lambda s: accounts.signing_secret(s, SCHEME, token), write=False)
        if found is None:
            raise AuthenticationFailed(UNAUTHORIZED)
        signer = Signer(*found)
        secrets.put(token, signer)
    presented = (headers.get("x-signature") or "").strip()
    if not presented:
        raise SignatureIncorrect()
    scope = request.scope
    method = request.method.upper()
    host = headers.get("host") or ""
    path = sent_raw_path(scope)  # as sent: without the prefix a TEvo host adds
    query = scope.get("query_string", b"")
    wanted = presented.encode("latin-1")
    # The canonical string alone first: the usual request costs one HMAC and nothing else.
    if signer.signs(wanted, canonical_string(method, host, path, query, body)):
        return signer.account_id
    others = other_strings(method, host, path, query, body, scope.get("scheme", "http"))
    if signer.signs_one_of(wanted, others):
        return signer.account_id
    raise SignatureIncorrect()
