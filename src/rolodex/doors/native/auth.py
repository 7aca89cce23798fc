"""The native API's credential scheme: `Authorization: Bearer <api_key>`."""

from __future__ import annotations

from starlette.requests import Request

from rolodex.domain import accounts
from rolodex.errors import AuthenticationFailed
from rolodex.runtime import Runtime

SCHEME = "native"
HOW = "Send your API key as 'Authorization: Bearer <api_key>'."


async def authenticate(runtime: Runtime, request: Request) -> int:
    header = request.headers.get("authorization")
    if not header:
        raise AuthenticationFailed(HOW)
    scheme, _, key = header.partition(" ")
    key = key.strip()
    if scheme.lower() != "bearer" or not key:
        raise AuthenticationFailed(HOW)
    digest = accounts.sha256_hex(key)
    cached = runtime.credentials.get(SCHEME, digest)
    if cached is not None:
        return cached
    account_id = await runtime.run(
        lambda s: accounts.account_for_bearer(s, SCHEME, key), write=False
    )
    if account_id is None:
        raise AuthenticationFailed("The API key is not valid.")
    runtime.credentials.put(SCHEME, digest, account_id)
    return account_id
