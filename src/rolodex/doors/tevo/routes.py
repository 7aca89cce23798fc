"""Mount point of this dialect: the Ticket Evolution API v9 under /tevo (an SDK's base URL is
http://HOST:PORT/tevo; it adds /v9 itself). Anything else under /tevo, including a method a
path does not have, is answered the vendor's way (a Rails routing 404), not the native way."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount

from rolodex.doors import spine
from rolodex.doors.lane import Lane
from rolodex.doors.spine import Spec
from rolodex.doors.tevo import clients, companies
from rolodex.doors.tevo.contact_points import RESOURCES
from rolodex.doors.tevo.http import Handler, Tevo
from rolodex.runtime import Runtime

PREFIX = "/tevo"


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


# Every route reads the body: the signature covers it, and any JSON in it must be valid.
TABLE = spine.by_path((method, path, Spec(handler, body=True)) for method, path, handler in table())


def mount(runtime: Runtime, lane: Lane | None = None) -> BaseRoute:
    hot = (clients.show_client, clients.list_clients)
    return Mount(PREFIX, routes=Tevo(runtime).served(TABLE, PREFIX, lane, hot))
