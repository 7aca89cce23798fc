"""Signing in (with an account's native API key, or its slug and console password) and out."""

from __future__ import annotations

from starlette.responses import RedirectResponse, Response

from rolodex.domain import accounts

from .session import PASSWORD_CREDENTIAL, key_credential, new_session
from .web import Ctx, clear_cookie, set_cookie

SIGNED_IN_HOME = "/"


def _safe_next(value: str) -> str:
    """Only a path of this site (never //host or a scheme) is followed after sign-in."""
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return SIGNED_IN_HOME


async def sign_in_form(ctx: Ctx) -> Response:
    if ctx.session.signed_in:
        return ctx.redirect(SIGNED_IN_HOME)
    return ctx.render(
        "sign_in.html",
        next=_safe_next(ctx.request.query_params.get("next", "")),
        error="",
        slug="",
    )


async def sign_in(ctx: Ctx) -> Response:
    api_key = ctx.field("api_key").strip()
    slug = ctx.field("slug").strip().lower()
    password = ctx.field("password")
    target = _safe_next(ctx.field("next"))
    account_id: int | None = None
    credential = ""
    if api_key:
        account_id = await ctx.runtime.run(
            lambda s: accounts.account_for_bearer(s, "native", api_key), write=False
        )
        credential = key_credential(api_key)
    elif slug and password:
        account_id = await ctx.runtime.run(
            lambda s: accounts.account_for_password(s, slug, password), write=False
        )
        credential = PASSWORD_CREDENTIAL
    if account_id is None:
        message = (
            "That API key or password is not valid."
            if api_key or (slug and password)
            else "Give an API key, or an account's slug and console password."
        )
        return ctx.render("sign_in.html", status=401, next=target, error=message, slug=slug)
    # A new session, with a new nonce: the anonymous session's CSRF token dies with it.
    session = new_session(account_id, credential)
    response = RedirectResponse(target, status_code=303)
    set_cookie(response, ctx.request, ctx.signer.dump(session), session.expires)
    response.headers["Cache-Control"] = "no-store"
    return response


async def sign_out(ctx: Ctx) -> Response:
    response = RedirectResponse("/sign-in", status_code=303)
    clear_cookie(response, ctx.request)
    response.headers["Cache-Control"] = "no-store"
    return response
