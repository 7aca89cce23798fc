"""Mount point of this dialect. Everything it serves lives under /halo: the token endpoint at
/halo/auth/token and the API at /halo/api, whose paths are case-insensitive as Halo's are
(`/halo/api/client` is `/halo/api/Client`)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.types import Receive, Scope, Send

from rolodex.doors import hosts
from rolodex.doors.halo import areas, auth, derived, notes, sites
from rolodex.doors.halo.http import CLIENTS, Halo, Spec
from rolodex.doors.halo.wire import CRM, CUSTOMERS
from rolodex.doors.lane import Lane
from rolodex.doors.spine import ANY_METHOD, Asgi, Handler
from rolodex.runtime import Runtime

PREFIX = "/halo"
NOTES = (CUSTOMERS, CRM)


def _write(handler: Handler, what: str | None, scopes: tuple[str, ...] = CLIENTS) -> Spec:
    return Spec(handler, scopes, write=True, body=what)


# Each path's methods, as data, so the routes and the OpenAPI document
# (rolodex.doors.halo.openapi) come from one table.
TABLE: tuple[tuple[str, dict[str, Spec]], ...] = (
    (
        "/api/client",
        {"GET": Spec(areas.list_clients), "POST": _write(areas.upsert_clients, "Area")},
    ),
    ("/api/client/me", {"GET": Spec(areas.me)}),
    ("/api/client/newaccountsid", {"POST": _write(areas.new_accounts_id, "Area")}),
    ("/api/client/paymentmethodupdate", {"POST": _write(areas.payment_method_update, "Area")}),
    (
        "/api/client/{id:int}",
        {
            "GET": Spec(areas.get_client),
            "POST": _write(areas.update_client, "Area"),
            "DELETE": _write(areas.delete_client, None),
        },
    ),
    ("/api/site", {"GET": Spec(sites.list_sites), "POST": _write(sites.upsert_sites, "Site")}),
    (
        "/api/site/{id:int}",
        {"GET": Spec(sites.get_site), "DELETE": _write(sites.delete_site, None)},
    ),
    (
        "/api/crmnote",
        {
            "GET": Spec(notes.list_notes, NOTES),
            "POST": _write(notes.upsert_notes, "AreaNote", NOTES),
        },
    ),
    (
        "/api/crmnote/{id:int}",
        {"GET": Spec(notes.get_note, NOTES), "DELETE": _write(notes.delete_note, None, NOTES)},
    ),
    ("/api/popupnote", {"GET": Spec(derived.list_popups)}),
    ("/api/popupnote/read", {"POST": _write(derived.mark_popups_read, "AreaPopup")}),
    ("/api/recurringitem", {"GET": Spec(derived.list_recurring_items)}),
    ("/api/arearequesttype", {"GET": Spec(derived.list_request_types)}),
    ("/api/arearequesttype/{id:int}", {"GET": Spec(derived.client_request_types)}),
    ("/api/areaazuretenant", {"GET": Spec(derived.list_azure_tenants)}),
)


def _table(runtime: Runtime) -> list[tuple[str, dict[str, Asgi]]]:
    return Halo(runtime).endpoints(TABLE)


def routes(runtime: Runtime, lane: Lane | None = None) -> list[BaseRoute]:
    hot = (areas.get_client, areas.list_clients)
    served = Halo(runtime).served(TABLE, PREFIX, lane, hot, fold=fold)

    async def token(request: Request) -> Response:
        return await auth.token(runtime, request)

    async def authinfo(request: Request) -> Response:
        return await auth.authinfo(request, hosts.as_addressed(request.scope, PREFIX))

    return [
        Route("/auth/token", token, methods=ANY_METHOD),
        Route("/api/authinfo", authinfo, methods=ANY_METHOD),
        *served,
    ]


class CaseInsensitive:
    """Lower-cases the path under /api and /auth (and drops a trailing slash) before routing,
    as Halo's routing ignores case."""

    def __init__(self, app: Router) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            root = scope.get("root_path", "")
            path: str = scope["path"]
            rest = path[len(root) :] if path.startswith(root) else path
            folded = fold(rest)
            if folded != rest:
                full = root + folded
                scope = {**scope, "path": full, "raw_path": full.encode()}
        await self.app(scope, receive, send)


def fold(rest: str) -> str:
    """A path under the door as its routes spell it: lower case, no trailing slash."""
    lowered = rest.lower()
    if lowered.startswith(("/api/", "/auth/")):
        return lowered.rstrip("/")
    return rest


def mount(runtime: Runtime, lane: Lane | None = None) -> BaseRoute:
    return Mount(PREFIX, app=CaseInsensitive(Router(routes=routes(runtime, lane))))
