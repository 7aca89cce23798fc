"""Signing requests the way the vendor's SDKs do (the PHP SDK's TEvoAuthMiddleware, the Ruby
SDK's Connection#sign), written here from the vendor's documentation and independent of the
server's code: X-Signature = base64(HMAC-SHA256(secret, "{METHOD} {host}{path}?{rest}"))."""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import parse_qsl, urlencode


def signature(secret: str, string_to_sign: str | bytes) -> str:
    message = string_to_sign.encode() if isinstance(string_to_sign, str) else string_to_sign
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def sorted_query(params: list[tuple[str, str]] | dict[str, str] | None) -> str:
    """As the PHP SDK builds it: keys sorted by byte value, nulls dropped, RFC 1738."""
    pairs = list(params.items()) if isinstance(params, dict) else list(params or [])
    pairs = [(k, v) for k, v in pairs if v is not None]
    pairs.sort(key=lambda kv: kv[0].encode())
    return urlencode(pairs)


def string_to_sign(method: str, host: str, path: str, query: str, body: bytes | None) -> bytes:
    """POST and PUT sign the raw body, as does a DELETE that has one (the Ruby SDK sends its
    params as a JSON body); everything else signs the sorted query."""
    head = f"{method} {host}{path}?".encode()
    if method in ("POST", "PUT") or (method == "DELETE" and body):
        return head + (body or b"")
    return head + sorted_query(parse_qsl(query, keep_blank_values=True)).encode()
