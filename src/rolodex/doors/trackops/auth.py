"""Trackops' credential scheme: HTTP Basic, the username `{username}/token` and the account's
API token as the password (the SDK sends `$username.'/token'`)."""

from __future__ import annotations

from starlette.requests import Request

from rolodex.domain import accounts
from rolodex.doors import http_basic
from rolodex.errors import AuthenticationFailed
from rolodex.runtime import Runtime

SCHEME = "trackops"
SUFFIX = "/token"
HOW = (
    "Authenticate with HTTP Basic: the username '{username}/token' and your API token as "
    "the password."
)


def credentials(header: str | None) -> tuple[str, str]:
    """(username, token) from an Authorization header, the `/token` suffix removed."""
    try:
        decoded = http_basic.decoded((header or "").strip())
    except http_basic.Undecodable:
        raise AuthenticationFailed(HOW) from None
    if decoded is None:
        raise AuthenticationFailed(HOW)
    user, colon, token = decoded.partition(":")
    if not colon or not token or not user.lower().endswith(SUFFIX):
        raise AuthenticationFailed(HOW)
    username = user[: -len(SUFFIX)].strip().lower()
    if not username:
        raise AuthenticationFailed(HOW)
    return username, token


async def authenticate(runtime: Runtime, request: Request) -> int:
    username, token = credentials(request.headers.get("authorization"))
    key = f"{username}:{accounts.sha256_hex(token)}"
    cached = runtime.credentials.get(SCHEME, key)
    if cached is not None:
        return cached
    account_id = await runtime.run(
        lambda s: accounts.account_for_secret(s, SCHEME, username, token), write=False
    )
    if account_id is None:
        raise AuthenticationFailed("The username or API token is not valid.")
    runtime.credentials.put(SCHEME, key, account_id)
    return account_id
