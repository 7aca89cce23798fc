"""Kickserv's credential scheme: HTTP Basic with the account's API token as both the user name
and the password (`curl -u TOKEN:TOKEN`), on a URL that names the account's slug.

A token opens only its own account's slug: any other slug is refused exactly as a bad token is
(401, `HTTP Basic: Access denied.`), so the answer does not tell whether the slug exists.
"""

from __future__ import annotations

import hmac

from sqlalchemy.orm import Session
from starlette.requests import Request

from rolodex.domain import accounts
from rolodex.doors import http_basic
from rolodex.errors import AuthenticationFailed
from rolodex.runtime import Runtime

SCHEME = "kickserv"


def presented_token(header: str | None) -> str | None:
    """The token of an `Authorization: Basic base64(token:token)` header, else None."""
    try:
        decoded = http_basic.decoded(header)
    except http_basic.Undecodable:
        return None
    if decoded is None:
        return None
    user, separator, password = decoded.partition(":")
    if not separator or not user or not hmac.compare_digest(user, password):
        return None
    return user


def _account_for(session: Session, token: str, slug: str) -> int | None:
    account_id = accounts.account_for_bearer(session, SCHEME, token)
    if account_id is None or accounts.get_account(session, account_id).slug != slug:
        return None
    return account_id


async def authenticate(runtime: Runtime, request: Request) -> int:
    """The account of the request's token, when the path's slug is that account's."""
    token = presented_token(request.headers.get("authorization"))
    if token is None:
        raise AuthenticationFailed("HTTP Basic: Access denied.")
    slug = str(request.path_params.get("slug", ""))
    key = f"{accounts.sha256_hex(token)}/{slug}"
    cached = runtime.credentials.get(SCHEME, key)
    if cached is not None:
        return cached
    account_id = await runtime.run(lambda s: _account_for(s, token, slug), write=False)
    if account_id is None:
        raise AuthenticationFailed("HTTP Basic: Access denied.")
    runtime.credentials.put(SCHEME, key, account_id)
    return account_id
