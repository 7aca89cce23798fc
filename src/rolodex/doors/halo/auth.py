"""HaloPSA's credential scheme: OAuth2 client credentials.

`POST /halo/auth/token` trades the account's Halo client id and secret for a bearer token that
lives TOKEN_SECONDS; every `/halo/api` call then presents `Authorization: Bearer <token>`.
A token carries the scopes it was issued for (`all` unless the caller asked for fewer), and an
endpoint refuses a token whose scopes do not reach it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.requests import Request
from starlette.responses import Response

from rolodex.db.types import utcnow
from rolodex.domain import accounts, queries, tokens
from rolodex.doors import edge, http_basic
from rolodex.doors.halo.errors import InsufficientScope, OAuthError, render
from rolodex.doors.halo.wire import ALL_SCOPE, CRM, CUSTOMERS, SCHEME
from rolodex.errors import AuthenticationFailed, DomainError
from rolodex.runtime import Runtime

TOKEN_SECONDS = 3600
GRANT_TYPE = "client_credentials"
MAX_FORM_BYTES = 16 * 1024
AREAS = (CUSTOMERS, CRM)  # what scopes name: read:customers, edit:crm, ...


def scopes_of(scope: str | None) -> frozenset[str]:
    return frozenset((scope or ALL_SCOPE).split())


def permits(scopes: Iterable[str], areas: tuple[str, ...], *, write: bool) -> bool:
    """`all` reaches everything; `edit:<area>` reads and writes it; `read:<area>` reads it."""
    held = set(scopes)
    if ALL_SCOPE in held:
        return True
    return any(f"edit:{area}" in held or (not write and f"read:{area}" in held) for area in areas)


def _cache_scheme(area: str, write: bool) -> str:
    return f"halo-token:{area}:{'edit' if write else 'read'}"


async def authenticate(
    runtime: Runtime, request: Request, areas: tuple[str, ...], *, write: bool
) -> int:
    """The account of the presented bearer token, when the token is known, unexpired and
    scoped for `areas`."""
    header = request.headers.get("authorization")
    if not header:
        raise AuthenticationFailed(
            "Send a token from POST /halo/auth/token as 'Authorization: Bearer <access_token>'."
        )
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise AuthenticationFailed(
            "Send a token from POST /halo/auth/token as 'Authorization: Bearer <access_token>'."
        )
    digest = accounts.sha256_hex(token)
    for area in areas:
        cached = runtime.credentials.get(_cache_scheme(area, write), digest)
        if cached is not None:
            return cached
    grant = await runtime.read(lambda r: tokens.verify(r, SCHEME, token))
    if grant is None:
        raise AuthenticationFailed("The access token is not valid or has expired.")
    scopes = scopes_of(grant.scope)
    if not permits(scopes, areas, write=write):
        needed = " or ".join(
            [
                ALL_SCOPE,
                *(f"edit:{a}" for a in areas),
                *([] if write else (f"read:{a}" for a in areas)),
            ]
        )
        raise InsufficientScope(f"This token's scope ({' '.join(sorted(scopes))}) lacks {needed}.")
    # A cached entry lives runtime.credentials.ttl seconds: only a token that outlives it may be
    # cached, so an expired token is never let through from the cache.
    remaining = (grant.expires_at - utcnow()).total_seconds()
    if remaining > runtime.credentials.ttl:
        for area in AREAS:
            for mode in (False, True):
                if permits(scopes, (area,), write=mode):
                    runtime.credentials.put(_cache_scheme(area, mode), digest, grant.account_id)
    return grant.account_id


# --- the token endpoint ------------------------------------------------------------------------


def _form(raw: bytes, content_type: str) -> dict[str, str]:
    if len(raw) > MAX_FORM_BYTES:
        raise OAuthError(400, "invalid_request", "The request body is too large.")
    if "json" in content_type:
        try:
            data = orjson.loads(raw or b"{}")
        except orjson.JSONDecodeError:
            raise OAuthError(400, "invalid_request", "The body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise OAuthError(400, "invalid_request", "The body must be a JSON object.")
        fields: dict[str, str] = {}
        for key, value in data.items():
            if value is None:
                continue
            if isinstance(value, dict | list):
                raise OAuthError(400, "invalid_request", f"{key} must be a string.")
            fields[str(key)] = str(value)
        return fields
    try:
        pairs = parse_qsl(raw.decode(), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise OAuthError(400, "invalid_request", "The form is not valid UTF-8.") from None
    form: dict[str, str] = {}
    for key, value in pairs:
        form.setdefault(key, value)
    return form


def _basic_credentials(header: str | None) -> tuple[str, str] | None:
    """client_secret_basic: `Authorization: Basic base64(client_id:client_secret)`."""
    try:
        decoded = http_basic.decoded(header)
    except http_basic.Undecodable:
        raise OAuthError(
            401, "invalid_client", "The Basic credentials are not valid base64."
        ) from None
    if decoded is None:
        return None
    client_id, sep, secret = decoded.partition(":")
    if not sep:
        raise OAuthError(
            401, "invalid_client", "Basic credentials must be client_id:client_secret."
        )
    return client_id, secret


async def token(runtime: Runtime, request: Request) -> Response:
    try:
        if request.method != "POST":
            raise OAuthError(405, "invalid_request", "Request a token with POST.")
        form = _form(await request.body(), request.headers.get("content-type", "").lower())
        refused = edge.check_form([*form.items(), *request.query_params.multi_items()])
        if refused is not None:
            raise OAuthError(400, "invalid_request", f"{refused} {edge.REFUSED}.")
        grant_type = form.get("grant_type", "")
        if not grant_type:
            raise OAuthError(400, "invalid_request", "grant_type is required (client_credentials).")
        if grant_type != GRANT_TYPE:
            raise OAuthError(
                400,
                "unsupported_grant_type",
                f"grant_type {grant_type!r} is not supported; use client_credentials.",
            )
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        basic = _basic_credentials(request.headers.get("authorization"))
        if basic is not None and not client_id:
            client_id, secret = basic
        if not client_id or not secret:
            raise OAuthError(401, "invalid_client", "client_id and client_secret are required.")
        account_id = await runtime.run(
            lambda s: accounts.account_for_secret(s, SCHEME, client_id, secret), write=False
        )
        if account_id is None:
            raise OAuthError(401, "invalid_client", "The client_id or client_secret is wrong.")
        tenant = request.query_params.get("tenant") or form.get("tenant")
        if tenant:
            slug = (await runtime.read(lambda r: queries.account(r, account_id)))["slug"]
            if tenant.lower() != slug:
                raise OAuthError(
                    401, "invalid_client", f"This client is not registered in tenant {tenant!r}."
                )
        scope = " ".join(form.get("scope", "").split()) or ALL_SCOPE
        issued = await runtime.run(
            lambda s: tokens.issue(
                s, account_id, SCHEME, scope=scope, lifetime=timedelta(seconds=TOKEN_SECONDS)
            ),
            write=True,
        )
    except DomainError as exc:
        if not isinstance(exc, OAuthError):
            exc = OAuthError(400, "invalid_request", exc.message)
        return render(exc)
    body: dict[str, Any] = {
        "access_token": issued.token,
        "token_type": "Bearer",
        "expires_in": TOKEN_SECONDS,
        "scope": scope,
    }
    return Response(
        orjson.dumps(body),
        media_type="application/json",
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )


async def authinfo(request: Request, root: str) -> Response:
    """Where the token endpoint is, for clients that discover it (they append /token)."""
    base = str(request.base_url).rstrip("/")
    body = {
        "auth_url": f"{base}{root}/auth",
        "token_url": f"{base}{root}/auth/token",
        "tenant_id": request.query_params.get("tenant"),
    }
    return Response(orjson.dumps(body), media_type="application/json")
