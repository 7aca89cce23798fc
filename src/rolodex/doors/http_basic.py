"""HTTP Basic credentials (RFC 7617), as three doors take them: Trackops and Kickserv on every
call, HaloPSA's token endpoint as client_secret_basic. This only reads the header; each door
decides what a missing or unreadable credential answers, and what the user and password mean."""

from __future__ import annotations

import base64


class Undecodable(Exception):
    """What follows `Basic` is not base64 of UTF-8 text."""


def decoded(header: str | None) -> str | None:
    """The `user:password` text of an `Authorization: Basic <base64>` header; None when there is
    no header or it names another scheme."""
    if not header:
        return None
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        return base64.b64decode(encoded.strip(), validate=True).decode()
    except ValueError:
        # binascii.Error (not base64), UnicodeDecodeError (not UTF-8), and the plain ValueError
        # b64decode raises for text that is not ASCII: a header's bytes arrive as latin-1.
        raise Undecodable from None
