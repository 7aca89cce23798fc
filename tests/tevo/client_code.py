"""How real client code builds TEvo's string to sign, one recipe per program, each written here
from reading that program (never from the server's code):

- `documented`: the vendor's "Signing requests with X-Signature" page: the host with its port,
  the query sorted by key and form-encoded, sent as signed.
- `php_sdk`: ticketevolution-php's TEvoAuthMiddleware: the query sorted by key (strcmp) and
  rebuilt with PHP's RFC 1738 encoding, sent as signed; the URL with only `https://` removed,
  so over plain HTTP it signs `http://host:port/path?...`. It signs the body of POST and PUT
  only: a DELETE signs its query.
- `ruby_sdk`: ticketevolution-ruby's Connection#sign, its protocol set to `http` for a local
  server: `protocol://` removed, then every `:port/` cut to `/`; the query sorted by key and
  escaped as Faraday does (spaces as `+`), sent as signed.
- `js_sdk`: ticketevolution-node's TevoClient.makeSignature on a GET: the hostname without its
  port, and the query of the href parsed and rebuilt sorted by key with qs (RFC 3986: spaces
  as `%20`), while the href goes out as the caller wrote it (here unsorted, spaces as `+`).
  Its postJSON signs `POST host/path{body}`, without the `?` the vendor's documented string
  has: this door takes that form too.
- `python_sdk`: ticketevolution-python's _generate_signature: the URL without its scheme, the
  query exactly as sent (urlencode of the caller's parameters, unsorted).
- `requests_and_quote`: a hand-written signer beside `requests`: requests sends the
  parameters form-encoded in the caller's order; the signer sorts them and quotes each value
  (spaces as `%20`).
- `url_and_urlencode`: a hand-written signer that puts the query in the URL itself, sorted,
  spaces as `%20`, and signs `urlencode(sorted(params))` (spaces as `+`).

For a method that signs its body the recipes differ only in how they spell the host.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, quote_plus, urlencode

Pairs = list[tuple[str, str]]

AUTHORITY = "127.0.0.1:8000"  # the Host a client of a local server sends


def php_build_query(pairs: Pairs) -> str:
    """PHP's http_build_query / Guzzle's build_query with PHP_QUERY_RFC1738 (urlencode):
    letters, digits and `-_.` kept, spaces as `+`, everything else `%XX`."""

    def encode(text: str) -> str:
        return quote_plus(text, safe="").replace("~", "%7E")

    return "&".join(f"{encode(k)}={encode(v)}" for k, v in pairs)


def faraday_query(pairs: Pairs) -> str:
    """Faraday's Utils.escape: bytes outside `a-zA-Z0-9 .~_-` as `%XX`, then spaces as `+`."""

    def escape(text: str) -> str:
        return re.sub(
            r"[^a-zA-Z0-9 .~_-]+",
            lambda m: "".join(f"%{b:02X}" for b in m[0].encode()),
            text,
        ).replace(" ", "+")

    return "&".join(f"{escape(k)}={escape(v)}" for k, v in pairs)


def qs_query(pairs: Pairs) -> str:
    """qs.stringify's default (RFC 3986) encoding: letters, digits and `-_.~` kept."""
    return "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs)


def by_key(pairs: Pairs) -> Pairs:
    return sorted(pairs, key=lambda kv: kv[0].encode())


@dataclass(frozen=True)
class Recipe:
    name: str
    host: Callable[[str], str]  # the Host sent -> how the client spells it in the string
    query: Callable[[Pairs], tuple[str, str]]  # the caller's parameters -> (sent, signed)
    signs_delete_body: bool = False
    body_separator: str = "?"  # what comes between the path and a signed body

    def string_to_sign(
        self, method: str, path: str, signed_query: str, body: bytes | None
    ) -> bytes:
        head = f"{method} {self.host(AUTHORITY)}{path}".encode()
        signs_body = method in ("POST", "PUT") or (
            method == "DELETE" and body and self.signs_delete_body
        )
        if signs_body:
            return head + self.body_separator.encode() + (body or b"")
        return head + b"?" + signed_query.encode()


def _same(encode: Callable[[Pairs], str]) -> Callable[[Pairs], tuple[str, str]]:
    def both(pairs: Pairs) -> tuple[str, str]:
        query = encode(by_key(pairs))
        return query, query

    return both


def _no_port(host: str) -> str:
    return re.sub(r":\d{2,5}$", "", host)


RECIPES = [
    Recipe("documented", lambda host: host, _same(urlencode), signs_delete_body=True),
    Recipe("php_sdk", lambda host: f"http://{host}", _same(php_build_query)),
    Recipe("ruby_sdk", _no_port, _same(faraday_query), signs_delete_body=True),
    Recipe(
        "js_sdk",
        _no_port,
        lambda pairs: (urlencode(pairs), qs_query(by_key(pairs))),
        body_separator="",  # its postJSON signs the body without the `?` (docs/tevo.md)
    ),
    Recipe("python_sdk", lambda host: host, lambda pairs: (urlencode(pairs), urlencode(pairs))),
    Recipe(
        "requests_and_quote",
        lambda host: host,
        lambda pairs: (urlencode(pairs), qs_query(by_key(pairs))),
    ),
    Recipe(
        "url_and_urlencode",
        lambda host: host,
        lambda pairs: (qs_query(by_key(pairs)), urlencode(by_key(pairs))),
    ),
]
