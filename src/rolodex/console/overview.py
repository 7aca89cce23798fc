"""The overview: counts, clients created per day, requests per door."""

from __future__ import annotations

from starlette.responses import Response

from .web import Ctx


async def overview(ctx: Ctx) -> Response:
    return ctx.render("overview.html")
