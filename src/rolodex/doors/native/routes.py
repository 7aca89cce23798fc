"""The native API's route table: each route is declared once, as data, so the Starlette routes
and the OpenAPI document (openapi.py) come from the same table. Its OpenAPI document and docs
page are served by rolodex.apidocs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.routing import BaseRoute

from rolodex.doors import spine
from rolodex.doors.lane import Lane
from rolodex.doors.native import events, webhooks
from rolodex.doors.native.http import Call, Native, Reply
from rolodex.doors.native.resources import (
    CLIENT_FILTERS,
    COMPANY_QUERY,
    OWNED_APIS,
    PAGING,
    Param,
    create_client,
    create_clients,
    create_company,
    delete_client,
    delete_company,
    get_account,
    get_client,
    get_company,
    list_clients,
    list_companies,
    list_offices,
    update_client,
    update_company,
)
from rolodex.runtime import Runtime


@dataclass(frozen=True)
class Route:
    """One method of one path, with what its OpenAPI operation says of it."""

    method: str
    path: str
    handler: Callable[[Any, Call], Reply]  # a Reader for reads, a Session for writes
    summary: str
    tag: str
    write: bool = False
    body: bool = False
    status: int = 200
    request: str | None = None  # schema name for the request body
    response: str | None = None  # schema name, or "list:<schema>"
    params: tuple[Param, ...] = ()
    path_params: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    max_body: int | None = None  # bytes; None: the door's limit


# A batch of 1,000 clients, each with a few addresses, phone numbers and emails.
BATCH_BODY_MAX = 16 * 1024 * 1024


def _routes() -> list[Route]:
    cid = ("client_id",)
    table = [
        Route(
            "GET",
            "/clients",
            list_clients,
            "List clients",
            "clients",
            response="list:Client",
            params=CLIENT_FILTERS + PAGING,
        ),
        Route(
            "POST",
            "/clients",
            create_client,
            "Create a client",
            "clients",
            write=True,
            body=True,
            status=201,
            request="ClientCreate",
            response="Client",
        ),
        Route(
            "POST",
            "/clients/batch",
            create_clients,
            "Create up to 1,000 clients at once, all or none",
            "clients",
            write=True,
            body=True,
            status=201,
            request="ClientBatch",
            response="batch:Client",
            max_body=BATCH_BODY_MAX,
        ),
        Route(
            "GET",
            "/clients/{client_id}",
            get_client,
            "Get a client",
            "clients",
            response="Client",
            path_params=cid,
        ),
        Route(
            "PATCH",
            "/clients/{client_id}",
            update_client,
            "Update a client",
            "clients",
            write=True,
            body=True,
            request="ClientUpdate",
            response="Client",
            path_params=cid,
        ),
        Route(
            "DELETE",
            "/clients/{client_id}",
            delete_client,
            "Delete a client and everything it owns",
            "clients",
            write=True,
            status=204,
            path_params=cid,
        ),
    ]
    for api in OWNED_APIS:
        base = f"/clients/{{client_id}}/{api.segment}"
        one = f"{base}/{{id}}"
        name = api.kind.entity
        both = ("client_id", "id")
        table += [
            Route(
                "GET",
                base,
                api.list,
                f"List a client's {api.segment.replace('_', ' ')}",
                api.segment,
                response=f"list:{api.schema}",
                params=api.filters + PAGING,
                path_params=cid,
            ),
            Route(
                "POST",
                base,
                api.create,
                f"Add a {name} to a client",
                api.segment,
                write=True,
                body=True,
                status=201,
                request=f"{api.schema}Create",
                response=api.schema,
                path_params=cid,
            ),
            Route(
                "GET",
                one,
                api.get,
                f"Get a {name}",
                api.segment,
                response=api.schema,
                path_params=both,
            ),
            Route(
                "PATCH",
                one,
                api.update,
                f"Update a {name}",
                api.segment,
                write=True,
                body=True,
                request=f"{api.schema}Update",
                response=api.schema,
                path_params=both,
            ),
            Route(
                "DELETE",
                one,
                api.delete,
                f"Delete a {name}",
                api.segment,
                write=True,
                status=204,
                path_params=both,
            ),
        ]
    coid = ("company_id",)
    table += [
        Route(
            "GET",
            "/companies",
            list_companies,
            "List companies",
            "companies",
            response="list:Company",
            params=COMPANY_QUERY,
        ),
        Route(
            "POST",
            "/companies",
            create_company,
            "Create a company",
            "companies",
            write=True,
            body=True,
            status=201,
            request="CompanyCreate",
            response="Company",
        ),
        Route(
            "GET",
            "/companies/{company_id}",
            get_company,
            "Get a company",
            "companies",
            response="Company",
            path_params=coid,
        ),
        Route(
            "PATCH",
            "/companies/{company_id}",
            update_company,
            "Update a company",
            "companies",
            write=True,
            body=True,
            request="CompanyUpdate",
            response="Company",
            path_params=coid,
        ),
        Route(
            "DELETE",
            "/companies/{company_id}",
            delete_company,
            "Delete a company (its clients stay, without a company)",
            "companies",
            write=True,
            status=204,
            path_params=coid,
        ),
        Route(
            "GET",
            "/events",
            events.list_events,
            "The account's events: every change through any door, oldest first",
            "events",
            response="list:Event",
            params=events.EVENT_QUERY,
        ),
        Route(
            "GET",
            "/clients/{client_id}/history",
            events.client_history,
            "A client's events and those of the records it owns, newest first (also after "
            "it was deleted)",
            "events",
            response="list:Event",
            params=events.HISTORY_QUERY,
            path_params=cid,
        ),
        *_webhook_routes(),
        Route(
            "GET",
            "/offices",
            list_offices,
            "List the account's offices",
            "account",
            response="list:Office",
        ),
        Route(
            "GET",
            "/account",
            get_account,
            "The account these credentials belong to",
            "account",
            response="Account",
        ),
    ]
    return table


def _webhook_routes() -> list[Route]:
    eid = ("endpoint_id",)
    base = "/webhook_endpoints"
    one = f"{base}/{{endpoint_id}}"
    # Creating and rotating make a secret, which needs the server's secret key (503 without).
    unconfigured = {"responses": {"503": "The server has no key to encrypt secrets with"}}
    return [
        Route(
            "GET",
            base,
            webhooks.list_endpoints,
            "List webhook endpoints",
            "webhooks",
            response="list:WebhookEndpoint",
            params=webhooks.PAGE_QUERY,
        ),
        Route(
            "POST",
            base,
            webhooks.create_endpoint,
            "Create a webhook endpoint (its secret is in this answer only)",
            "webhooks",
            write=True,
            body=True,
            status=201,
            request="WebhookEndpointCreate",
            response="WebhookEndpointWithSecret",
            extra=unconfigured,
        ),
        Route(
            "GET",
            one,
            webhooks.get_endpoint,
            "Get a webhook endpoint",
            "webhooks",
            response="WebhookEndpoint",
            path_params=eid,
        ),
        Route(
            "PATCH",
            one,
            webhooks.update_endpoint,
            "Update a webhook endpoint",
            "webhooks",
            write=True,
            body=True,
            request="WebhookEndpointUpdate",
            response="WebhookEndpoint",
            path_params=eid,
        ),
        Route(
            "DELETE",
            one,
            webhooks.delete_endpoint,
            "Delete a webhook endpoint and its delivery log",
            "webhooks",
            write=True,
            status=204,
            path_params=eid,
        ),
        Route(
            "POST",
            f"{one}/rotate_secret",
            webhooks.rotate_secret,
            "Replace an endpoint's signing secret (the new one is in this answer only)",
            "webhooks",
            write=True,
            response="WebhookEndpointWithSecret",
            path_params=eid,
            extra=unconfigured,
        ),
        Route(
            "GET",
            f"{one}/deliveries",
            webhooks.list_deliveries,
            "An endpoint's delivery log, newest first, with every attempt",
            "webhooks",
            response="list:WebhookDelivery",
            params=webhooks.DELIVERY_QUERY,
            path_params=eid,
        ),
        Route(
            "POST",
            f"{one}/deliveries/{{delivery_id}}/resend",
            webhooks.resend_delivery,
            "Send a delivery again, from the start of the retry schedule",
            "webhooks",
            write=True,
            status=202,
            response="WebhookDelivery",
            path_params=("endpoint_id", "delivery_id"),
        ),
        Route(
            "POST",
            f"{one}/resend",
            webhooks.resend_range,
            "Send again every event of a time range that the endpoint wants",
            "webhooks",
            write=True,
            body=True,
            status=202,
            request="WebhookResend",
            response="WebhookResent",
            path_params=eid,
        ),
    ]


PREFIX = "/v1"
ROUTES = _routes()
TABLE = spine.by_path((route.method, route.path, route) for route in ROUTES)


def routes(runtime: Runtime, lane: Lane | None = None) -> list[BaseRoute]:
    return Native(runtime).served(TABLE, PREFIX, lane, (get_client, list_clients))
