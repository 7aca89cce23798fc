"""The `.xml` twin of every route (Kickserv's v1 XML API, which public Kickserv clients speak):
the same path with `.xml` for `.json`, the same handler over the same data, its answer rendered
in XML (rolodex.doors.kickserv.xml_render) and its errors in Rails' XML shape.

What v1 clients send differently is translated here, before the JSON handler runs:

- the customer list and filter page with `page` (v1: "Additional records can be fetched by
  passing a page parameter"), as well as `customers_page`;
- `POST /jobs.xml` may name its customer in the query (`?customer_number=8`, which Rails
  merges into params) or inside `<job>`, since an XML body has one root and cannot hold the
  JSON body's `customer_number` beside `job`.

Element names: a list is `<{noun}s type="array">` of `<{noun}>`; one record is `<{noun}>`,
except a customer, which Kickserv answers as `<customers>` (its recorded
`GET /customers/2.xml`, which clients read by that name); an answer that is not a record
(a delete's message, filter, customer_validation) is Rails' `<hash>`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.datastructures import QueryParams

from rolodex.doors.kickserv import params
from rolodex.doors.kickserv.http import Call, XmlSpec
from rolodex.doors.kickserv.xml_render import HASH, XmlReply
from rolodex.doors.spine import Handler, Spec

CUSTOMER_PAGE = "customers_page"
V1_PAGE = "page"
# The record each path's last noun names, and the element one of them is rooted at.
NOUNS = {
    "customers": ("customer", "customers"),
    "notes": ("note", "note"),
    "jobs": ("job", "job"),
    "payments": ("payment", "payment"),
}
# Answers that are not a record (by JSON path and method), rooted at <hash> as Rails roots them.
HASHES = frozenset(
    {
        ("POST", "/customers/customer_validation.json"),
        ("GET", "/customers/filter.json"),
        ("DELETE", "/customers/{number:int}.json"),
    }
)
# The lists that page with `customers_page`, which v1 calls `page`.
V1_PAGED = frozenset({("GET", "/customers.json"), ("GET", "/customers/filter.json")})
# POST /jobs.json reads `customer_number` beside the `job` wrapper.
OUTSIDE_THE_WRAPPER = {("POST", "/jobs.json"): ("job", "customer_number")}


def twins(table: list[tuple[str, dict[str, Spec]]]) -> list[tuple[str, dict[str, Spec]]]:
    """The `.xml` route of each `.json` route in `table`, in the same order."""
    out: list[tuple[str, dict[str, Spec]]] = []
    for path, specs in table:
        # The path's last noun: `/customers/{number:int}/notes/{id:int}.json` -> notes.
        noun = [p for p in path.removesuffix(".json").split("/") if p in NOUNS][-1]
        item, root = NOUNS[noun]
        xml_specs: dict[str, Spec] = {}
        for method, spec in specs.items():
            key = (method, path)
            handler = _in_xml(
                spec.handler,
                root=HASH if key in HASHES else root,
                item=item,
                v1_paged=key in V1_PAGED,
                outside=OUTSIDE_THE_WRAPPER.get(key),
            )
            xml_specs[method] = XmlSpec(handler, write=spec.write, body=spec.body)
        out.append((path.removesuffix(".json") + ".xml", xml_specs))
    return out


def _in_xml(
    handler: Handler, *, root: str, item: str, v1_paged: bool, outside: tuple[str, str] | None
) -> Handler:
    def xml_handler(store: Any, call: Call) -> XmlReply:
        if v1_paged:
            call.query = _v1_page(call.query)
        if outside is not None:
            call.body = _lifted(call.body, call.query, *outside)
        reply = handler(store, call)
        return XmlReply(reply.body, reply.status, reply.headers, root=root, item=item)

    xml_handler.__name__ = f"{getattr(handler, '__name__', 'handler')}_xml"
    return xml_handler


def _v1_page(query: QueryParams) -> QueryParams:
    """`page` as `customers_page` (checked under its own name, so an error names `page`)."""
    if not query.get(V1_PAGE):
        return query
    page = params.page_number(query, V1_PAGE)
    kept = [(k, v) for k, v in query.multi_items() if k not in (V1_PAGE, CUSTOMER_PAGE)]
    return QueryParams([*kept, (CUSTOMER_PAGE, str(page))])


def _lifted(body: Any, query: Mapping[str, str], wrapper: str, key: str) -> Any:
    """`key` beside the wrapper, taken from inside it or from the query when not there."""
    if not isinstance(body, dict) or key in body:
        return body
    inner = body.get(wrapper)
    if isinstance(inner, dict) and key in inner:
        return {**body, key: inner[key]}
    if key in query:
        return {**body, key: query[key]}
    return body
