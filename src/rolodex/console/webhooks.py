"""The webhooks pages: the account's endpoints, creating one (its signing secret shown once),
switching one on or off, rotating its secret (shown once), deleting it, and its delivery log
with re-sends of one delivery or of a time range. They call the domain functions the native
API's /v1/webhook_endpoints handlers call (rolodex.doors.native.webhooks), with the same rules
and messages; the endpoint's changes are recorded as events with door `console`."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session
from starlette.responses import Response

from rolodex.db.prepared import Reader
from rolodex.domain import changes, deliveries, webhooks
from rolodex.doors.native.params import parse_datetime
from rolodex.errors import DomainError, InvalidQuery, NotFound, ValidationFailed
from rolodex.runtime import settings_of

from .web import Ctx, errors_by_field

ENDPOINTS_SHOWN = 100
DELIVERIES_SHOWN = 25


def _types(text: str) -> list[str]:
    """The event types box: names separated by commas or spaces ("" for every event)."""
    return [t for t in text.replace(",", " ").split() if t]


def _endpoint_id(ctx: Ctx) -> int:
    return int(ctx.request.path_params["endpoint_id"])


def _version(ctx: Ctx) -> int | None:
    value = ctx.field("version").strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


async def list_endpoints(ctx: Ctx) -> Response:
    return await _list(ctx)


async def _list(
    ctx: Ctx,
    status: int = 200,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    notice: str = "",
) -> Response:
    account_id = ctx.account_id
    page = await ctx.read(lambda r: webhooks.endpoint_page(r, account_id, None, ENDPOINTS_SHOWN))
    return ctx.render(
        "webhooks.html",
        status=status,
        endpoints=page.items,
        more=page.has_more,
        errors=errors or {},
        form=form or {"url": "", "event_types": "", "description": ""},
        notice=notice,
    )


async def create_endpoint(ctx: Ctx) -> Response:
    form = {k: ctx.field(k).strip() for k in ("url", "event_types", "description")}
    account_id = ctx.account_id
    fields: dict[str, Any] = {"url": form["url"]}
    if form["description"]:
        fields["description"] = form["description"]

    def write(session: Session) -> tuple[Any, str]:
        endpoint, secret = webhooks.create_endpoint(
            session,
            account_id,
            fields,
            _types(form["event_types"]),
            settings=settings_of(session),
            actor=changes.ACTOR.get(),
        )
        return webhooks.shown(endpoint), secret

    try:
        shown, secret = await ctx.write(write)
    except ValidationFailed as exc:
        return await _list(ctx, status=422, errors=errors_by_field(exc), form=form)
    # The secret is rendered here, once: it is in no URL, and no later page can show it.
    return await _endpoint_page(
        ctx, shown["id"], secret=secret, notice="Endpoint created.", status=201
    )


async def show_endpoint(ctx: Ctx) -> Response:
    return await _endpoint_page(ctx, _endpoint_id(ctx))


async def _endpoint_page(
    ctx: Ctx,
    endpoint_id: int,
    *,
    secret: str = "",
    notice: str = "",
    error: str = "",
    status: int = 200,
) -> Response:
    account_id = ctx.account_id
    q = ctx.request.query_params if ctx.request.method == "GET" else {}
    wanted = q.get("status") or None
    if wanted not in deliveries.STATUSES:
        wanted = None
    cursor = q.get("cursor") or None

    def read(reader: Reader) -> tuple[dict[str, Any], int, Any]:
        shown, version = webhooks.read_endpoint(reader, account_id, endpoint_id)
        try:
            log = deliveries.log_page(
                reader,
                account_id,
                endpoint_id,
                status=wanted,
                cursor=cursor,
                limit=DELIVERIES_SHOWN,
            )
        except InvalidQuery:  # a cursor edited by hand: start over
            log = deliveries.log_page(
                reader, account_id, endpoint_id, status=wanted, cursor=None, limit=DELIVERIES_SHOWN
            )
        return shown, version, log

    shown, version, log = await ctx.read(read)
    base = {"status": wanted} if wanted else {}
    next_url = (
        f"/webhooks/{endpoint_id}?" + urlencode({**base, "cursor": log.next_cursor})
        if log.has_more
        else ""
    )
    return ctx.render(
        "webhook.html",
        status=status,
        endpoint=shown,
        version=version,
        log=log.items,
        next_url=next_url,
        first_url=f"/webhooks/{endpoint_id}?" + urlencode(base) if cursor else "",
        wanted=wanted or "",
        statuses=deliveries.STATUSES,
        secret=secret,
        notice=notice or {"resent": "Queued again."}.get(q.get("done", ""), ""),
        error=error,
    )


async def set_enabled(ctx: Ctx) -> Response:
    endpoint_id = _endpoint_id(ctx)
    account_id = ctx.account_id
    enabled = ctx.field("enabled") == "yes"
    version = _version(ctx)

    def write(session: Session) -> None:
        webhooks.update_endpoint(
            session,
            account_id,
            endpoint_id,
            {"enabled": enabled},
            expected_version=version,
            settings=settings_of(session),
            actor=changes.ACTOR.get(),
        )

    return await _act(ctx, endpoint_id, write, "Enabled." if enabled else "Disabled.")


async def _act(ctx: Ctx, endpoint_id: int, write: Any, notice: str) -> Response:
    """A write on the endpoint, then its page with a notice, or the refusal's message (a
    NotFound goes to the 404 page)."""
    try:
        await ctx.write(write)
    except ValidationFailed as exc:
        message = "; ".join(f"{k}: {v}" if k else v for k, v in errors_by_field(exc).items())
        return await _endpoint_page(ctx, endpoint_id, error=message, status=422)
    except NotFound:
        raise
    except DomainError as exc:
        return await _endpoint_page(ctx, endpoint_id, error=exc.message, status=409)
    return await _endpoint_page(ctx, endpoint_id, notice=notice)


async def rotate_secret(ctx: Ctx) -> Response:
    endpoint_id = _endpoint_id(ctx)
    account_id = ctx.account_id
    version = _version(ctx)

    def write(session: Session) -> str:
        _endpoint, secret = webhooks.rotate_secret(
            session,
            account_id,
            endpoint_id,
            expected_version=version,
            settings=settings_of(session),
            actor=changes.ACTOR.get(),
        )
        return secret

    try:
        secret = await ctx.write(write)
    except NotFound:
        raise
    except DomainError as exc:
        return await _endpoint_page(ctx, endpoint_id, error=exc.message, status=409)
    return await _endpoint_page(
        ctx,
        endpoint_id,
        secret=secret,
        notice="A new secret signs the deliveries from now on; the old one no longer does.",
    )


async def delete_endpoint(ctx: Ctx) -> Response:
    endpoint_id = _endpoint_id(ctx)
    account_id = ctx.account_id
    version = _version(ctx)

    def write(session: Session) -> None:
        webhooks.delete_endpoint(
            session,
            account_id,
            endpoint_id,
            expected_version=version,
            actor=changes.ACTOR.get(),
        )

    try:
        await ctx.write(write)
    except NotFound:
        raise
    except DomainError as exc:
        return await _endpoint_page(ctx, endpoint_id, error=exc.message, status=409)
    return await _list(ctx, notice="Endpoint deleted.")


async def resend_delivery(ctx: Ctx) -> Response:
    endpoint_id = _endpoint_id(ctx)
    delivery_id = int(ctx.request.path_params["delivery_id"])
    account_id = ctx.account_id
    await ctx.write(lambda s: deliveries.resend(s, account_id, endpoint_id, delivery_id))
    return ctx.redirect(f"/webhooks/{endpoint_id}?done=resent")


def _when(ctx: Ctx, key: str) -> datetime:
    """A date-time box (`datetime-local`, read as UTC), refused with the API's message."""
    value = ctx.field(key).strip()
    try:
        return parse_datetime(value)
    except ValueError:
        raise ValidationFailed.one(key, "must be an ISO 8601 date-time") from None


async def resend_range(ctx: Ctx) -> Response:
    endpoint_id = _endpoint_id(ctx)
    account_id = ctx.account_id
    try:
        start, end = _when(ctx, "from"), _when(ctx, "to")
        queued = await ctx.write(
            lambda s: deliveries.resend_range(s, account_id, endpoint_id, start, end)
        )
    except ValidationFailed as exc:
        message = "; ".join(f"{k}: {v}" if k else v for k, v in errors_by_field(exc).items())
        return await _endpoint_page(ctx, endpoint_id, error=message, status=422)
    return await _endpoint_page(
        ctx, endpoint_id, notice=f"{queued:,} event{'s' if queued != 1 else ''} queued again."
    )
