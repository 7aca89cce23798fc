"""The Connect page: for each door, its base URL (this request's own scheme and host), which
credentials it takes (their public parts only: secrets are stored hashed and cannot be shown
again), a copyable example request, its API reference; and rotating a door's credentials,
which shows the new secret once and makes the old ones stop working
(rolodex.domain.accounts.rotate_credentials; `rolodex accounts rotate` does the same)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from rolodex.domain import accounts

from .web import Ctx


@dataclass(frozen=True)
class Door:
    name: str
    title: str
    path: str  # the door's root under the base URL
    takes: str  # what it authenticates with, in words
    parts: tuple[tuple[str, str], ...]  # (key in the rotated credentials, label)
    docs: str
    guide: str


DOORS = (
    Door(
        "native",
        "Native API",
        "/v1",
        "An API key, as Authorization: Bearer <api_key>.",
        (("api_key", "API key"),),
        "/v1/docs",
        "README.md",
    ),
    Door(
        "trackops",
        "Trackops",
        "/trackops",
        "HTTP Basic: user <username>/token, password the token.",
        (("username", "Username"), ("token", "Token")),
        "/trackops/docs",
        "docs/trackops.md",
    ),
    Door(
        "tevo",
        "Ticket Evolution",
        "/tevo",
        "X-Token (the token) and X-Signature (an HMAC-SHA256 of the request with the secret).",
        (("token", "Token"), ("secret", "Secret"), ("office_id", "Office id")),
        "/tevo/docs",
        "docs/tevo.md",
    ),
    Door(
        "halo",
        "HaloPSA",
        "/halo",
        "OAuth2 client credentials (client id and secret, tenant) for a bearer token.",
        (("client_id", "Client id"), ("client_secret", "Client secret"), ("tenant", "Tenant")),
        "/halo/docs",
        "docs/halo.md",
    ),
    Door(
        "kickserv",
        "Kickserv",
        "/kickserv",
        "HTTP Basic: the token as both user and password; the account's slug in the path.",
        (("token", "Token"),),
        "/kickserv/docs",
        "docs/kickserv.md",
    ),
)
BY_NAME = {d.name: d for d in DOORS}


def example(door: str, base: str, slug: str, public: str | None) -> str:
    """A request to try the door with, secrets as shell variables to fill in."""
    if door == "native":
        return f'curl -s {base}/v1/clients -H "Authorization: Bearer $API_KEY"'
    if door == "trackops":
        return f"curl -s -u '{public or slug}/token:'\"$TOKEN\" {base}/trackops/api/v1/clients"
    if door == "tevo":
        host = base.split("://", 1)[1]
        return (
            f'SIG=$(printf %s "GET {host}/tevo/v9/clients?" | '
            f'openssl dgst -sha256 -hmac "$SECRET" -binary | base64)\n'
            f'curl -s {base}/tevo/v9/clients -H "X-Token: {public or "$TOKEN"}" '
            f'-H "X-Signature: $SIG"'
        )
    if door == "halo":
        return (
            f"TOKEN=$(curl -s '{base}/halo/auth/token?tenant={slug}' "
            "-d grant_type=client_credentials "
            f'-d client_id={public or "$CLIENT_ID"} -d client_secret="$CLIENT_SECRET" -d scope=all '
            f"| python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])')\n"
            f'curl -s {base}/halo/api/Client -H "Authorization: Bearer $TOKEN"'
        )
    return f'curl -s -u "$TOKEN:$TOKEN" {base}/kickserv/{slug}/customers.json'


def _base(ctx: Ctx) -> str:
    url = ctx.request.url
    return f"{url.scheme}://{url.netloc}"


async def connect_page(ctx: Ctx) -> Response:
    return await _page(ctx)


async def _page(
    ctx: Ctx, rotated: str = "", shown: dict[str, Any] | None = None, status: int = 200
) -> Response:
    account_id = ctx.account_id
    found = await ctx.read(lambda r: accounts.public_credentials(r, account_id))
    base = _base(ctx)
    slug = ctx.account["slug"]
    doors = []
    for door in DOORS:
        info = found.get(door.name, {"public": None, "issued_at": None})
        doors.append(
            {
                "door": door,
                "base": base + (door.path + "/" + slug if door.name == "kickserv" else door.path),
                "public": info["public"],
                "issued_at": info["issued_at"],
                "example": example(door.name, base, slug, info["public"]),
            }
        )
    return ctx.render(
        "connect.html",
        status=status,
        doors=doors,
        base=base,
        rotated=rotated,
        shown=shown or {},
    )


async def rotate(ctx: Ctx) -> Response:
    name = ctx.request.path_params["door"]
    if name not in BY_NAME:
        return ctx.render(
            "error.html", status=404, title="Not found", message=f"No door called {name!r}."
        )
    account_id = ctx.account_id
    shown = await ctx.write(lambda s: accounts.rotate_credentials(s, account_id, name))
    # This process's cache forgets the old credentials now; other server processes within
    # ROLODEX_AUTH_CACHE_SECONDS (30 s by default).
    ctx.runtime.credentials.forget_account(account_id)
    labelled = {label: shown[key] for key, label in BY_NAME[name].parts if key in shown}
    return await _page(ctx, rotated=name, shown=labelled)
