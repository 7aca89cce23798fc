"""Every door's OpenAPI document and its interactive docs page, and an index of them at /docs.

The pages run Swagger UI 5 from files shipped in this package (static/swagger-ui, see its
README), so they work offline. Each document is built from its door's route table the first
time it is asked for, then kept."""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from rolodex.doors import hosts
from rolodex.doors.halo import openapi as halo
from rolodex.doors.kickserv import openapi as kickserv
from rolodex.doors.native import openapi as native
from rolodex.doors.tevo import openapi as tevo
from rolodex.doors.trackops import openapi as trackops

STATIC = Path(__file__).parent / "static"
STATIC_URL = "/docs/static"


@dataclass(frozen=True)
class Door:
    name: str
    title: str
    root: str  # where /openapi.json and /docs are served
    build: Callable[[], dict[str, Any]]
    sign: str = ""  # "tevo": the page signs each request (rolodex-docs.js)

    @property
    def spec_url(self) -> str:
        return f"{self.root}/openapi.json"

    @property
    def page_url(self) -> str:
        return f"{self.root}/docs"


DOORS: tuple[Door, ...] = (
    Door("native", "Native API", "/v1", native.build),
    Door("trackops", "Trackops", "/trackops", trackops.build),
    Door("tevo", "Ticket Evolution", "/tevo", tevo.build, sign="tevo"),
    Door("halo", "HaloPSA", "/halo", halo.build),
    Door("kickserv", "Kickserv", "/kickserv", kickserv.build),
)


@functools.cache
def document(name: str) -> bytes:
    door = next(d for d in DOORS if d.name == name)
    return orjson.dumps(door.build())


def _nav(current: str) -> str:
    links = [
        f'<a href="{d.page_url}"{" aria-current=page" if d.name == current else ""}>'
        f"{html.escape(d.title)}</a>"
        for d in DOORS
    ]
    return '<span class="brand"><a href="/docs">Rolodex API docs</a></span>' + "".join(links)


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" type="image/png" href="{static}/swagger-ui/favicon-32x32.png">
<link rel="stylesheet" href="{static}/swagger-ui/swagger-ui.css">
<link rel="stylesheet" href="{static}/rolodex-docs.css">
</head>
<body>
<nav class="doors" aria-label="Rolodex doors">{nav}</nav>
<div id="ui" data-spec="{spec}" data-sign="{sign}"></div>
<script src="{static}/swagger-ui/swagger-ui-bundle.js"></script>
<script src="{static}/rolodex-docs.js"></script>
</body>
</html>
"""

INDEX = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Rolodex API docs</title>
<link rel="stylesheet" href="{static}/rolodex-docs.css">
</head>
<body>
<nav class="doors" aria-label="Rolodex doors">{nav}</nav>
<main style="font-family: sans-serif; padding: 0 20px">
<h1>Rolodex API docs</h1>
<p>One registry, five doors. Each has an OpenAPI 3.1 document and a page to try it on.</p>
<ul>
{items}
</ul>
</main>
</body>
</html>
"""


def page(door: Door) -> str:
    return PAGE.format(
        title=html.escape(door.title),
        static=STATIC_URL,
        nav=_nav(door.name),
        spec=door.spec_url,
        sign=door.sign,
    )


def index() -> str:
    items = "\n".join(
        f'<li><a href="{d.page_url}">{html.escape(d.title)}</a> '
        f'(<a href="{d.spec_url}"><code>{d.spec_url}</code></a>)</li>'
        for d in DOORS
    )
    return INDEX.format(static=STATIC_URL, nav=_nav(""), items=items)


def routes() -> list[BaseRoute]:
    """The docs' routes; mounted before the doors, whose catch-all routes would answer these
    paths in their own shape."""
    out: list[BaseRoute] = [
        Route("/docs", _html(index), methods=["GET"]),
        Mount(STATIC_URL, StaticFiles(directory=STATIC)),
    ]
    for door in DOORS:
        out += [
            OwnNameRoute(door.spec_url, _spec(door.name), methods=["GET"]),
            OwnNameRoute(door.page_url, _html(functools.partial(page, door)), methods=["GET"]),
        ]
    return out


class OwnNameRoute(Route):
    """A door's docs route, served at Rolodex's own name only. At a vendor's host (which puts
    the door's prefix before `/docs`: rolodex.doors.hosts) the path is the door's, which answers
    it as a path it does not serve: the page's links, its assets and its "Try it out" all
    point at the prefixed paths, which a vendor host does not serve."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match is not Match.NONE and hosts.ADDED_PREFIX in scope:
            return Match.NONE, {}
        return match, child


def _spec(name: str) -> Callable[[Request], Any]:
    async def serve(_request: Request) -> Response:
        return Response(document(name), media_type="application/json")

    return serve


def _html(render: Callable[[], str]) -> Callable[[Request], Any]:
    async def serve(_request: Request) -> Response:
        return HTMLResponse(render())

    return serve
