"""The Trackops door: /trackops/api/v1 serves Trackops' Developer API for clients, client
locations and client contacts (a program written for Trackops changes only its base URL to
http://HOST:PORT/trackops). See docs/trackops.md."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount, Route

from rolodex.doors.lane import Lane
from rolodex.doors.spine import ANY_METHOD, Handler
from rolodex.doors.trackops import clients, mapping
from rolodex.doors.trackops.http import Spec, Trackops
from rolodex.doors.trackops.wire import MOUNT, PREFIX
from rolodex.runtime import Runtime

__all__ = ["MOUNT", "PREFIX", "TABLE", "mount", "routes"]


def _create(handler: Handler, rename: mapping.Rename) -> Spec:
    return Spec(handler, write=True, body=True, rename=rename)


# Each path's handlers by method, as data, so the routes and the OpenAPI document
# (rolodex.doors.trackops.openapi) come from one table.
TABLE: tuple[tuple[str, dict[str, Spec]], ...] = (
    (
        "/clients",
        {
            "GET": Spec(clients.list_clients),
            "POST": _create(clients.create_client, mapping.client_field),
        },
    ),
    ("/clients/{id:int}", {"GET": Spec(clients.get_client)}),
    (
        "/client/locations",
        {
            "GET": Spec(clients.list_locations),
            "POST": _create(clients.create_location, mapping.location_field),
        },
    ),
    ("/client/locations/{id:int}", {"GET": Spec(clients.get_location)}),
    (
        "/client/contacts",
        {
            "GET": Spec(clients.list_contacts),
            "POST": _create(clients.create_contact, mapping.contact_field),
        },
    ),
    ("/client/contacts/{id:int}", {"GET": Spec(clients.get_contact)}),
)


def routes(runtime: Runtime, lane: Lane | None = None) -> list[BaseRoute]:
    return Trackops(runtime).served(TABLE, PREFIX, lane, (clients.get_client, clients.list_clients))


def mount(runtime: Runtime, lane: Lane | None = None) -> BaseRoute:
    # Everything under /trackops answers in Trackops' shape, unknown paths included.
    api = Mount(PREFIX.removeprefix(MOUNT), routes=routes(runtime, lane))
    missing = Trackops(runtime).missing
    return Mount(MOUNT, routes=[api, Route("/{rest:path}", missing, methods=ANY_METHOD)])
