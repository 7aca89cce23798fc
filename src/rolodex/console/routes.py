"""The console's routes: every page, as a table."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from rolodex.runtime import Runtime

from . import auth, clients, connect, overview, transfers, webhooks
from .web import HERE, STATIC_URL, Page, page


def routes(runtime: Runtime) -> list[BaseRoute]:
    table: list[tuple[str, str, Page, bool]] = [
        ("GET", "/sign-in", auth.sign_in_form, False),
        ("POST", "/sign-in", auth.sign_in, False),
        ("POST", "/sign-out", auth.sign_out, True),
        ("GET", "/", overview.overview, True),
        ("GET", "/clients", clients.list_clients, True),
        ("GET", "/clients/new", clients.new_client_form, True),
        ("POST", "/clients/new", clients.create_client, True),
        ("GET", "/clients/{client_id:int}", clients.show_client, True),
        ("GET", "/clients/{client_id:int}/edit", clients.edit_client_form, True),
        ("POST", "/clients/{client_id:int}/edit", clients.update_client, True),
        ("POST", "/clients/{client_id:int}/delete", clients.delete_client, True),
        ("GET", "/transfer", transfers.transfer_page, True),
        ("POST", "/transfer/imports", transfers.start_import, True),
        ("GET", "/transfer/imports/{job_id}", transfers.import_page, True),
        ("GET", "/transfer/export", transfers.export, True),
        ("GET", "/webhooks", webhooks.list_endpoints, True),
        ("POST", "/webhooks/new", webhooks.create_endpoint, True),
        ("GET", "/webhooks/{endpoint_id:int}", webhooks.show_endpoint, True),
        ("POST", "/webhooks/{endpoint_id:int}/enabled", webhooks.set_enabled, True),
        ("POST", "/webhooks/{endpoint_id:int}/rotate", webhooks.rotate_secret, True),
        ("POST", "/webhooks/{endpoint_id:int}/delete", webhooks.delete_endpoint, True),
        ("POST", "/webhooks/{endpoint_id:int}/resend", webhooks.resend_range, True),
        (
            "POST",
            "/webhooks/{endpoint_id:int}/deliveries/{delivery_id:int}/resend",
            webhooks.resend_delivery,
            True,
        ),
        ("GET", "/connect", connect.connect_page, True),
        ("POST", "/connect/{door}/rotate", connect.rotate, True),
    ]
    out: list[BaseRoute] = [Mount(STATIC_URL, StaticFiles(directory=HERE / "static"))]
    for method, path, handler, signed_in in table:
        out.append(Route(path, page(runtime, handler, signed_in=signed_in), methods=[method]))
    return out
