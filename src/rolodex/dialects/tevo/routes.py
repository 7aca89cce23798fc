"""Mount point of this dialect: the Ticket Evolution API v9 under /tevo (an SDK's base URL is
http://HOST:PORT/tevo; it adds /v9 itself). Anything else under /tevo, including a method a
path does not have, is answered the vendor's way (a Rails routing 404), not the native way."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route

from rolodex.dialects.tevo import clients, companies, errors
from rolodex.dialects.tevo.auth import SigningSecrets
from rolodex.dialects.tevo.contact_points import RESOURCES
from rolodex.dialects.tevo.http import Handler, endpoint
from rolodex.runtime import Runtime

PREFIX = "/tevo"
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
Asgi = Callable[[Request], Awaitable[Response]]


def table() -> list[tuple[str, str, Handler]]:
    out: list[tuple[str, str, Handler]] = [
        ("GET", "/v9/clients", clients.list_clients),
        ("POST", "/v9/clients", clients.create_clients),
        ("GET", "/v9/clients/{client_id}", clients.show_client),
        ("PUT", "/v9/clients/{client_id}", clients.update_client),
    ]
    for resource in RESOURCES:
        base = f"/v9/clients/{{client_id}}/{resource.key}"
        out += [
            ("GET", base, resource.list),
            ("POST", base, resource.create),
            ("GET", f"{base}/{{id}}", resource.show),
            ("PUT", f"{base}/{{id}}", resource.update),
            ("DELETE", f"{base}/{{id}}", resource.delete),
        ]
    out += [
        ("GET", "/v9/companies", companies.list_companies),
        ("POST", "/v9/companies", companies.create_companies),
        ("GET", "/v9/companies/{company_id}", companies.show_company),
        ("PUT", "/v9/companies/{company_id}", companies.update_company),
        ("DELETE", "/v9/companies/{company_id}", companies.delete_company),
    ]
    return out


async def no_route(request: Request) -> Response:
    return errors.render(errors.NoRoute(request.method, request.url.path))


def _dispatch(methods: dict[str, Asgi]) -> Asgi:
    async def by_method(request: Request) -> Response:
        method = "GET" if request.method == "HEAD" else request.method
        handler = methods.get(method)
        if handler is None:
            return await no_route(request)
        return await handler(request)

    return by_method


def mount(runtime: Runtime) -> BaseRoute:
    secrets = SigningSecrets(runtime.settings.auth_cache_seconds)
    grouped: dict[str, dict[str, Asgi]] = {}
    for method, path, handler in table():
        grouped.setdefault(path, {})[method] = endpoint(runtime, secrets, handler)
    routes: list[BaseRoute] = [
        Route(path, _dispatch(methods), methods=METHODS) for path, methods in grouped.items()
    ]
    routes.append(Route("/{rest:path}", no_route, methods=METHODS))
    return Mount(PREFIX, routes=routes)
