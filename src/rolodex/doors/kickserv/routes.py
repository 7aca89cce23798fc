"""Mount point of this dialect. Everything it serves lives under /kickserv/{slug}, with the
`.json` suffix Kickserv's v2 API uses, and again with the `.xml` suffix of its v1 API
(rolodex.doors.kickserv.xml_routes); anything else under the prefix is a 404 in Kickserv's
error shape."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount

from rolodex.doors.kickserv import customers, records, xml_routes
from rolodex.doors.kickserv.http import Kickserv
from rolodex.doors.lane import Lane
from rolodex.doors.spine import Handler, Spec
from rolodex.runtime import Runtime

PREFIX = "/kickserv/{slug}"


def _read(handler: Handler) -> Spec:
    return Spec(handler)


def _write(handler: Handler, *, body: bool = True) -> Spec:
    return Spec(handler, write=True, body=body)


def _crud(show: Handler, update: Handler, delete: Handler) -> dict[str, Spec]:
    """GET, PUT (and PATCH: Kickserv takes either) and DELETE of one record."""
    return {
        "GET": _read(show),
        "PUT": _write(update),
        "PATCH": _write(update),
        "DELETE": _write(delete, body=False),
    }


CUSTOMER = "/customers/{number:int}"
JOB = "/jobs/{job_number:int}"

TABLE: list[tuple[str, dict[str, Spec]]] = [
    (
        "/customers.json",
        {"GET": _read(customers.list_customers), "POST": _write(customers.create_customer)},
    ),
    (
        "/customers/customer_validation.json",
        # A question, not a change: it reads, though it is a POST with a body.
        {"POST": Spec(customers.customer_validation, body=True)},
    ),
    ("/customers/filter.json", {"GET": _read(customers.filter_customers)}),
    (
        f"{CUSTOMER}.json",
        _crud(customers.show_customer, customers.update_customer, customers.delete_customer),
    ),
    (
        f"{CUSTOMER}/notes.json",
        {"GET": _read(records.CUSTOMER_NOTES.list), "POST": _write(records.CUSTOMER_NOTES.create)},
    ),
    (
        f"{CUSTOMER}/notes/{{id:int}}.json",
        _crud(
            records.CUSTOMER_NOTES.show,
            records.CUSTOMER_NOTES.update,
            records.CUSTOMER_NOTES.delete,
        ),
    ),
    (
        f"{CUSTOMER}/jobs.json",
        {"GET": _read(records.list_customer_jobs), "POST": _write(records.create_customer_job)},
    ),
    (
        f"{CUSTOMER}/jobs/{{job_number:int}}.json",
        _crud(records.CUSTOMER_JOB.show, records.CUSTOMER_JOB.update, records.CUSTOMER_JOB.delete),
    ),
    (f"{CUSTOMER}/payments.json", {"GET": _read(records.list_customer_payments)}),
    (
        f"{CUSTOMER}/payments/{{id:int}}.json",
        {"DELETE": _write(records.delete_customer_payment, body=False)},
    ),
    ("/jobs.json", {"GET": _read(records.list_jobs), "POST": _write(records.create_job)}),
    (f"{JOB}.json", _crud(records.JOB.show, records.JOB.update, records.JOB.delete)),
    (
        f"{JOB}/notes.json",
        {"GET": _read(records.JOB_NOTES.list), "POST": _write(records.JOB_NOTES.create)},
    ),
    (
        f"{JOB}/notes/{{id:int}}.json",
        _crud(records.JOB_NOTES.show, records.JOB_NOTES.update, records.JOB_NOTES.delete),
    ),
    (
        f"{JOB}/payments.json",
        {"GET": _read(records.list_job_payments), "POST": _write(records.create_job_payment)},
    ),
    (
        f"{JOB}/payments/{{id:int}}.json",
        _crud(records.show_job_payment, records.update_job_payment, records.delete_job_payment),
    ),
]


# The same routes in XML. Not in TABLE, from which the OpenAPI document (JSON) is built: the
# document says that every path also answers as `.xml` (docs/kickserv.md, "XML").
XML_TABLE = xml_routes.twins(TABLE)


def mount(runtime: Runtime, lane: Lane | None = None) -> BaseRoute:
    hot = (customers.show_customer, customers.list_customers)
    door = Kickserv(runtime)
    return Mount(PREFIX, routes=door.served([*TABLE, *XML_TABLE], PREFIX, lane, hot))
