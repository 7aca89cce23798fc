"""What every console page shares: the templates, the session check, CSRF on every POST, the
actor a console write is recorded under, and rendering a domain error as a page.

A page is `async def page(ctx: Ctx) -> Response`, wrapped by `page()`: the wrapper opens the
session (or sends the visitor to sign in), refuses a POST whose CSRF token does not match the
session, and turns a NotFound into the console's 404 page. Reads and writes go through the
runtime as a door's do (`ctx.read`, `ctx.write`); a write records its events with door
`console` and the signed-in credential's name."""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import jinja2
import orjson
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from rolodex.db.prepared import Reader
from rolodex.domain import changes, queries
from rolodex.domain.events import Actor
from rolodex.errors import DomainError, NotConfigured, NotFound
from rolodex.runtime import Runtime

from .session import COOKIE, ConsoleSession, Signer, new_session

T = TypeVar("T")
HERE = Path(__file__).parent
STATIC_URL = "/console/static"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
# Form bodies are small (an upload is read apart, by the import page).
FORM_MAX_FIELDS = 200

templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(HERE / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _when(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return str(value.strftime("%Y-%m-%d %H:%M:%S UTC"))


def _value(value: Any) -> str:
    """A field's value as the history shows it: lists joined, objects as JSON, null a dash."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    if isinstance(value, list | dict):
        return orjson.dumps(value).decode()
    return str(value)


def _money(value: Any) -> str:
    return "" if value is None else f"{Decimal(str(value)):,.2f}"


templates.filters["when"] = _when
templates.filters["money"] = _money
templates.filters["value"] = _value
templates.globals["static"] = STATIC_URL


@dataclass
class Ctx:
    """One console request: who is signed in, and how to read and write as them."""

    request: Request
    runtime: Runtime
    signer: Signer
    session: ConsoleSession
    form: FormData | None = None
    cookie: str | None = None  # a session to set on the response (a new anonymous one)
    account: dict[str, Any] = field(default_factory=dict)

    @property
    def account_id(self) -> int:
        assert self.session.account_id is not None
        return self.session.account_id

    @property
    def csrf(self) -> str:
        return self.signer.csrf(self.session)

    @property
    def htmx(self) -> bool:
        return self.request.headers.get("hx-request") == "true"

    def read(self, fn: Callable[[Reader], T]) -> Awaitable[T]:
        return self.runtime.read(fn)

    async def write(self, fn: Callable[[Session], T]) -> T:
        """`fn` in one write transaction, its events recorded as this console session's."""
        request_id = uuid.uuid4().hex
        changes.ACTOR.set(Actor("console", self.session.credential, request_id))
        return await self.runtime.run(fn, write=True)

    def field(self, name: str, default: str = "") -> str:
        value = self.form.get(name) if self.form is not None else None
        return value if isinstance(value, str) else default

    def render(
        self,
        template: str,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        **values: Any,
    ) -> Response:
        body = templates.get_template(template).render(
            csrf=self.csrf,
            account=self.account,
            signed_in=self.session.signed_in,
            path=self.request.url.path,
            **values,
        )
        return self.finish(HTMLResponse(body, status_code=status, headers=dict(headers or {})))

    def redirect(self, url: str) -> Response:
        if self.htmx:  # htmx follows a redirect inside its target; HX-Location moves the page
            return self.finish(Response(status_code=204, headers={"HX-Location": url}))
        return self.finish(RedirectResponse(url, status_code=303))

    def finish(self, response: Response) -> Response:
        if self.cookie is not None:
            set_cookie(response, self.request, self.cookie, self.session.expires)
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


def set_cookie(response: Response, request: Request, value: str, expires: int) -> None:
    response.set_cookie(
        COOKIE,
        value,
        max_age=max(int(expires - time.time()), 0),
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def clear_cookie(response: Response, request: Request) -> None:
    response.set_cookie(
        COOKIE,
        "",
        max_age=0,
        expires=0,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


Page = Callable[[Ctx], Awaitable[Response]]


def page(
    runtime: Runtime, handler: Page, *, signed_in: bool = True
) -> Callable[[Request], Awaitable[Response]]:
    """A console endpoint: the session opened (a visitor not signed in is sent to sign in,
    or gets an anonymous session where `signed_in` is False), the CSRF token checked on a
    POST, a NotFound answered with the 404 page."""

    async def endpoint(request: Request) -> Response:
        try:
            signer = Signer.of(runtime.settings)
        except NotConfigured as exc:
            return HTMLResponse(
                templates.get_template("not_configured.html").render(
                    message=exc.message, csrf="", account={}, signed_in=False, path=""
                ),
                status_code=503,
            )
        session = signer.load(request.cookies.get(COOKIE))
        cookie = None
        if session is None or (signed_in and not session.signed_in):
            if signed_in:
                target = request.url.path
                if request.url.query:
                    target += "?" + request.url.query
                url = "/sign-in?next=" + quote(target, safe="")
                if request.headers.get("hx-request") == "true":
                    return Response(status_code=204, headers={"HX-Redirect": url})
                return RedirectResponse(url, status_code=303)
            session = new_session(None, None)
            cookie = signer.dump(session)
        ctx = Ctx(request, runtime, signer, session, cookie=cookie)
        if request.method == "POST":
            ctx.form = await request.form(max_fields=FORM_MAX_FIELDS)
            token = request.headers.get(CSRF_HEADER) or ctx.field(CSRF_FIELD)
            if not signer.csrf_ok(session, token):
                await ctx.form.close()
                return ctx.render(
                    "error.html",
                    status=403,
                    title="Form expired",
                    message="This form was not sent from this session (its CSRF token does "
                    "not match). Reload the page and try again.",
                )
        try:
            if session.signed_in:
                ctx.account = await runtime.read(lambda r: queries.account(r, ctx.account_id))
            return await handler(ctx)
        except NotFound as exc:
            return ctx.render("error.html", status=404, title="Not found", message=exc.message)
        except DomainError as exc:
            status = 503 if isinstance(exc, NotConfigured) else 400
            return ctx.render("error.html", status=status, title="Refused", message=exc.message)
        finally:
            if ctx.form is not None:
                await ctx.form.close()  # an upload's spooled file

    return endpoint


def errors_by_field(exc: DomainError) -> dict[str, str]:
    """A domain error's messages by the form field they belong beside ("" for the form)."""
    pairs = getattr(exc, "errors", None) or [(exc.field or "", exc.message)]
    out: dict[str, str] = {}
    for name, message in pairs:
        out.setdefault((name or "").split(".")[0], message)
    return out
