"""Client documents (rolodex.domain.documents): every door serves a client from the document
rendered when it last changed, so a write that changes what a door shows but does not render
it again leaves a stale document, and that door shows the client as it was.

The staleness test writes each kind of change through each door, over HTTP, reads the client
through every door (its GET and its client list), renders every document again from the tables
(`documents.rebuild`) and reads again: the two reads must be byte for byte the same. Then it
deletes the documents and reads a third time (each read renders from the tables): the same
again. The read layer's functions are tested directly after that, on both databases.
"""

from __future__ import annotations

import io
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from rich.console import Console
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from rolodex import transfer
from rolodex.db.engine import transaction
from rolodex.db.migrate import upgrade
from rolodex.db.prepared import Reader
from rolodex.domain import companies, documents, owned
from rolodex.doors.documents import HALO_ROW, KICKSERV_KIND, NATIVE, TEVO_KIND, TRACKOPS_KIND
from rolodex.models import Client, ClientDocument
from rolodex.runtime import Runtime
from tests.documents_helpers import (
    COMPANY_NAME,
    CONTACT_POINTS,
    LISTED_POINTS,
    PRIMARY_LOCATION,
    TAGS,
    Doors,
    Outcome,
    Shows,
    Subject,
    check_reads,
    differences,
    hidden,
    mark,
    ok,
)

Change = Callable[[Doors], Outcome]
CASES: list[tuple[str, str, Change]] = []


def case(door: str, change: str) -> Callable[[Change], Change]:
    def register(fn: Change) -> Change:
        CASES.append((door, change, fn))
        return fn

    return register


# --- native --------------------------------------------------------------------------------------


@case("native", "create with addresses, phones, emails, tags")
def _native_create(d: Doors) -> Outcome:
    name, notes, tag = mark("name"), mark("notes"), mark("tag")
    street, phone, email = mark("street"), mark("phone"), f"{mark('e')}@example.com"
    made = d.native.create_client(
        name=name,
        description=notes,
        tags=[tag, "other"],
        addresses=[{"line1": street, "is_primary": True, "is_primary_billing": True}],
        phone_numbers=[{"number": phone, "is_primary": True}],
        email_addresses=[{"address": email, "is_primary": True}],
    )
    s = d.subject(made["id"])
    return Outcome(
        [s],
        [
            Shows(s, name),
            Shows(s, notes),
            Shows(s, tag, TAGS),
            Shows(s, street, CONTACT_POINTS),
            Shows(s, phone, CONTACT_POINTS),
            Shows(s, email, CONTACT_POINTS),
        ],
    )


@case("native", "a batch of clients with addresses, phones, emails, tags, in a company")
def _native_batch(d: Doors) -> Outcome:
    """The batch answers with native documents rendered in its transaction and leaves every
    other kind to the backlog: read before and after the backlog is rendered, the same."""
    company, name, tag, street = mark("company"), mark("name"), mark("tag"), mark("street")
    phone, email = mark("phone"), f"{mark('e')}@example.com"
    company_id = int(ok(d.native.post("/v1/companies", json={"name": company}), 201)["id"])
    made = ok(
        d.native.post(
            "/v1/clients/batch",
            json={
                "clients": [
                    {
                        "name": name,
                        "company_id": company_id,
                        "tags": [tag],
                        "addresses": [{"line1": street, "is_primary": True}],
                        "phone_numbers": [{"number": phone}],
                        "email_addresses": [{"address": email, "is_primary": True}],
                    },
                    {"name": "Second of the batch"},
                ]
            },
        ),
        201,
    )["data"]
    s, second = d.subject(made[0]["id"]), d.subject(made[1]["id"])
    return Outcome(
        [s, second],
        [
            Shows(s, name),
            Shows(s, tag, TAGS),
            Shows(s, street, CONTACT_POINTS),
            Shows(s, phone, CONTACT_POINTS),
            Shows(s, email, CONTACT_POINTS),
            Shows(s, company, COMPANY_NAME),
        ],
    )


@case("native", "PATCH fields")
def _native_patch(d: Doors) -> Outcome:
    s = d.subject(d.native.create_client(name=mark("old"), description="before")["id"])
    name, notes, site, tier = mark("name"), mark("notes"), mark("site"), mark("tier")
    body = {
        "name": name,
        "description": notes,
        "website": f"https://{site}.example",
        "custom_fields": {"tier": tier},
    }
    ok(d.native.patch(f"/v1/clients/{s.id}", json=body))
    return Outcome(
        [s],
        [
            Shows(s, name),
            Shows(s, notes),
            Shows(s, site, ("native", "trackops", "halo")),
            Shows(s, tier, ("native", "halo")),
        ],
    )


@case("native", "PATCH add_tags and remove_tags")
def _native_tags(d: Doors) -> Outcome:
    keep, drop, added = mark("keep"), mark("drop"), mark("added")
    s = d.subject(d.native.create_client(tags=[keep, drop])["id"])
    response = d.native.patch(
        f"/v1/clients/{s.id}", json={"add_tags": [added], "remove_tags": [drop]}
    )
    assert sorted(ok(response)["tags"]) == sorted([added, keep])
    return Outcome([s], [Shows(s, keep, TAGS), Shows(s, added, TAGS), hidden(s, drop)])


def _plain(m: str) -> str:
    return m


def _email(m: str) -> str:
    return f"{m}@example.com"


# The owned contact points: path segment -> (the field a marker goes in, how a marker is
# written there).
ONE = {"addresses": "address", "phone_numbers": "phone number", "email_addresses": "email"}
POINTS: dict[str, tuple[str, Callable[[str], str]]] = {
    "addresses": ("line1", _plain),
    "phone_numbers": ("number", _plain),
    "email_addresses": ("address", _email),
}


def _client_with(d: Doors, segment: str, *values: str) -> Subject:
    """A client with one record of `segment` per value, the first primary."""
    column = POINTS[segment][0]
    items: list[dict[str, Any]] = [{column: v, "is_primary": i == 0} for i, v in enumerate(values)]
    return d.subject(d.native.create_client(**{segment: items})["id"])


def _point_ids(d: Doors, s: Subject, segment: str) -> list[int]:
    return [p["id"] for p in ok(d.native.get(f"/v1/clients/{s.id}/{segment}"))["data"]]


def _native_point_create(segment: str) -> Change:
    def change(d: Doors) -> Outcome:
        column, written = POINTS[segment]
        old, new = written(mark("old")), written(mark("new"))
        s = _client_with(d, segment, old)
        ok(
            d.native.post(f"/v1/clients/{s.id}/{segment}", json={column: new, "is_primary": True}),
            201,
        )
        # The new one took the primary flag: Kickserv, which shows only the primary, shows it.
        return Outcome(
            [s],
            [
                Shows(s, new, CONTACT_POINTS),
                Shows(s, old, LISTED_POINTS),
                hidden(s, old, ("kickserv",)),
            ],
        )

    return change


def _native_point_update(segment: str) -> Change:
    def change(d: Doors) -> Outcome:
        column, written = POINTS[segment]
        first, second, changed = written(mark("a")), written(mark("b")), written(mark("c"))
        s = _client_with(d, segment, first, second)
        target = _point_ids(d, s, segment)[1]
        ok(
            d.native.patch(
                f"/v1/clients/{s.id}/{segment}/{target}", json={column: changed, "is_primary": True}
            )
        )
        return Outcome(
            [s],
            [
                Shows(s, changed, CONTACT_POINTS),
                hidden(s, second),
                Shows(s, first, LISTED_POINTS),
                hidden(s, first, ("kickserv",)),
            ],
        )

    return change


def _native_point_delete(segment: str) -> Change:
    def change(d: Doors) -> Outcome:
        _column, written = POINTS[segment]
        first, second = written(mark("a")), written(mark("b"))
        s = _client_with(d, segment, first, second)
        primary = _point_ids(d, s, segment)[0]
        assert d.native.delete(f"/v1/clients/{s.id}/{segment}/{primary}").status_code == 204
        return Outcome([s], [hidden(s, first), Shows(s, second, LISTED_POINTS)])

    return change


for _segment in POINTS:
    _what = ONE[_segment]
    case("native", f"create a primary {_what}")(_native_point_create(_segment))
    case("native", f"update another {_what}, making it primary")(_native_point_update(_segment))
    case("native", f"delete the primary {_what}")(_native_point_delete(_segment))


def _native_location(d: Doors, s: Subject, name: str, street: str) -> int:
    body = {"name": name, "line1": street, "is_primary": True}
    return int(ok(d.native.post(f"/v1/clients/{s.id}/locations", json=body), 201)["id"])


@case("native", "create a primary location")
def _native_location_create(d: Doors) -> Outcome:
    s = d.subject(d.native.create_client()["id"])
    old, new, street = mark("old"), mark("new"), mark("street")
    _native_location(d, s, old, "1 Old Rd")
    _native_location(d, s, new, street)
    return Outcome(
        [s],
        [
            Shows(s, new, PRIMARY_LOCATION),
            hidden(s, old),
            Shows(s, street, ("trackops", "kickserv")),
        ],
    )


@case("native", "update the primary location")
def _native_location_update(d: Doors) -> Outcome:
    s = d.subject(d.native.create_client()["id"])
    old, new, street = mark("old"), mark("new"), mark("street")
    location = _native_location(d, s, old, "1 Old Rd")
    ok(
        d.native.patch(
            f"/v1/clients/{s.id}/locations/{location}", json={"name": new, "line1": street}
        )
    )
    return Outcome(
        [s],
        [
            Shows(s, new, PRIMARY_LOCATION),
            hidden(s, old),
            Shows(s, street, ("trackops", "kickserv")),
        ],
    )


@case("native", "delete a location and the contact points on it")
def _native_location_delete(d: Doors) -> Outcome:
    s = d.subject(d.native.create_client()["id"])
    name, street, phone = mark("site"), mark("street"), mark("phone")
    location = _native_location(d, s, name, "1 Site Rd")
    ok(
        d.native.post(
            f"/v1/clients/{s.id}/addresses", json={"line1": street, "location_id": location}
        ),
        201,
    )
    ok(
        d.native.post(
            f"/v1/clients/{s.id}/phone_numbers",
            json={"number": phone, "location_id": location, "is_primary": True},
        ),
        201,
    )
    assert d.native.delete(f"/v1/clients/{s.id}/locations/{location}").status_code == 204
    return Outcome([s], [hidden(s, name), hidden(s, street), hidden(s, phone)])


@case("native", "notes, jobs and payments: create, update, delete")
def _native_records(d: Doors) -> Outcome:
    s = d.subject(d.native.create_client()["id"])
    base = f"/v1/clients/{s.id}"
    note, changed, dropped = mark("note"), mark("changed"), mark("dropped")
    job_text, reference, other = mark("job"), mark("ref"), mark("other")
    first = ok(d.native.post(f"{base}/notes", json={"body": note}), 201)
    ok(d.native.patch(f"{base}/notes/{first['id']}", json={"body": changed}))
    doomed = ok(d.native.post(f"{base}/notes", json={"body": dropped}), 201)
    assert d.native.delete(f"{base}/notes/{doomed['id']}").status_code == 204
    job = ok(d.native.post(f"{base}/jobs", json={"job_type": "Repair"}), 201)
    ok(d.native.patch(f"{base}/jobs/{job['id']}", json={"description": job_text}))
    body = {"amount": "12.50", "applications": [{"job_id": job["id"]}]}
    payment = ok(d.native.post(f"{base}/payments", json=body), 201)
    ok(d.native.patch(f"{base}/payments/{payment['id']}", json={"reference": reference}))
    gone = ok(d.native.post(f"{base}/payments", json={"amount": "1", "reference": other}), 201)
    assert d.native.delete(f"{base}/payments/{gone['id']}").status_code == 204
    # Deleting the job takes the payment's application with it (a database cascade).
    assert d.native.delete(f"{base}/jobs/{job['id']}").status_code == 204
    # No door shows these in a client; they were written all the same.
    assert [n["body"] for n in ok(d.native.get(f"{base}/notes"))["data"]] == [changed]
    assert ok(d.native.get(f"{base}/jobs"))["data"] == []
    payments = ok(d.native.get(f"{base}/payments"))["data"]
    assert [(p["reference"], p["applications"]) for p in payments] == [(reference, [])]
    return Outcome(
        [s], [hidden(s, text) for text in (note, changed, dropped, job_text, reference, other)]
    )


def _native_company(d: Doors, name: str, *subjects: Subject) -> int:
    company = int(ok(d.native.post("/v1/companies", json={"name": name}), 201)["id"])
    for s in subjects:
        ok(d.native.patch(f"/v1/clients/{s.id}", json={"company_id": company}))
    return company


@case("native", "create a company and assign the client to it")
def _native_company_assign(d: Doors) -> Outcome:
    s = d.subject(d.native.create_client()["id"])
    name = mark("company")
    _native_company(d, name, s)
    return Outcome([s], [Shows(s, name, COMPANY_NAME)])


@case("native", "take the client out of its company")
def _native_company_unassign(d: Doors) -> Outcome:
    s = d.subject(d.native.create_client()["id"])
    name = mark("company")
    _native_company(d, name, s)
    ok(d.native.patch(f"/v1/clients/{s.id}", json={"company_id": None}))
    return Outcome([s], [hidden(s, name)])


@case("native", "rename a company of two clients")
def _native_company_rename(d: Doors) -> Outcome:
    a = d.subject(d.native.create_client(name="A")["id"])
    b = d.subject(d.native.create_client(name="B")["id"])
    old, new = mark("old"), mark("new")
    company = _native_company(d, old, a, b)
    ok(d.native.patch(f"/v1/companies/{company}", json={"name": new}))
    return Outcome(
        [a, b],
        [
            Shows(a, new, COMPANY_NAME),
            Shows(b, new, COMPANY_NAME),
            hidden(a, old),
            hidden(b, old),
        ],
    )


@case("native", "delete a company of two clients")
def _native_company_delete(d: Doors) -> Outcome:
    a = d.subject(d.native.create_client(name="A")["id"])
    b = d.subject(d.native.create_client(name="B")["id"])
    name = mark("company")
    company = _native_company(d, name, a, b)
    assert d.native.delete(f"/v1/companies/{company}").status_code == 204

    def check(d: Doors) -> None:
        for s in (a, b):
            assert ok(d.native.get(f"/v1/clients/{s.id}"))["company_id"] is None
            assert ok(d.tevo.get(f"/clients/{s.id}"))["company"] is None

    return Outcome([a, b], [hidden(a, name), hidden(b, name)], check=check)


@case("native", "delete a client")
def _native_delete(d: Doors) -> Outcome:
    keep = d.subject(d.native.create_client(name="Kept")["id"])
    doomed = d.subject(d.native.create_client(name=mark("doomed"))["id"])
    assert d.native.delete(f"/v1/clients/{doomed.id}").status_code == 204
    return Outcome([keep], gone=[doomed])


# --- Trackops ------------------------------------------------------------------------------------

LOCATION = {"state": "CO", "country": "US"}


@case("trackops", "create a client with its primary location")
def _trackops_create(d: Doors) -> Outcome:
    name, notes, site, street, extra, own = (
        mark(w) for w in ("name", "notes", "site", "st", "x", "own")
    )
    made = d.trackops.create_client(
        name,
        notes=notes,
        industry=own,
        primary_location={**LOCATION, "name": site, "address_1": street, "gate_code": extra},
    )
    s = d.subject(made["id"])
    return Outcome(
        [s],
        [
            Shows(s, name),
            Shows(s, notes),
            Shows(s, site, PRIMARY_LOCATION),
            Shows(s, street, ("trackops", "kickserv")),
            Shows(s, extra, ("trackops",)),
            Shows(s, own, ("trackops",)),
        ],
    )


@case("trackops", "create a primary location")
def _trackops_location(d: Doors) -> Outcome:
    old, new, street = mark("old"), mark("new"), mark("street")
    made = d.trackops.create_client(primary_location={**LOCATION, "name": old})
    s = d.subject(made["id"])
    d.trackops.create_location(s.id, name=new, address_1=street, is_primary=True)
    return Outcome(
        [s],
        [
            Shows(s, new, PRIMARY_LOCATION),
            hidden(s, old),
            Shows(s, street, ("trackops", "kickserv")),
        ],
    )


@case("trackops", "create a contact")
def _trackops_contact(d: Doors) -> Outcome:
    made = d.trackops.create_client(primary_location={**LOCATION, "name": "Main"})
    s = d.subject(made["id"])
    last = mark("last")
    contact = d.trackops.create_contact(made["primary_location"]["id"], last_name=last)
    assert contact["last_name"] == last
    return Outcome([s], [hidden(s, last)])


# --- Ticket Evolution ----------------------------------------------------------------------------


@case("tevo", "create two clients, with a new company")
def _tevo_create(d: Doors) -> Outcome:
    names, company, tag = [f"{mark('a')} One", f"{mark('b')} Two"], mark("company"), mark("tag")
    street, phone, email = mark("street"), mark("phone"), f"{mark('e')}@example.com"
    response = d.tevo.post(
        "/clients",
        {
            "clients": [
                {
                    "name": names[0],
                    "tags": [tag],
                    "company": {"name": company},
                    "addresses": [{"street_address": street, "primary": True}],
                    "phone_numbers": [{"number": phone, "is_primary": True}],
                    "email_addresses": [{"address": email, "is_primary": True}],
                },
                {"name": names[1]},
            ]
        },
    )
    a, b = (d.subject(c["id"]) for c in ok(response, 201)["clients"])
    return Outcome(
        [a, b],
        [
            Shows(a, names[0]),
            Shows(b, names[1]),
            Shows(a, company, COMPANY_NAME),
            Shows(a, tag, TAGS),
            Shows(a, street, CONTACT_POINTS),
            Shows(a, phone, CONTACT_POINTS),
            Shows(a, email, CONTACT_POINTS),
        ],
    )


@case("tevo", "PUT a client: name, notes, tags, a new company, a vendor field")
def _tevo_update(d: Doors) -> Outcome:
    old_tag = mark("old")
    s = d.subject(d.tevo.create_client(tags=[old_tag])["id"])
    name, notes, tag, company = f"{mark('name')} Jr", mark("notes"), mark("tag"), mark("company")
    sid = mark("sid")
    body = {
        "name": name,
        "notes": notes,
        "tags": [tag],
        "company": {"name": company},
        "commission_junction_sid": sid,
    }
    ok(d.tevo.put(f"/clients/{s.id}", body))
    return Outcome(
        [s],
        [
            Shows(s, name),
            Shows(s, notes),
            Shows(s, tag, TAGS),
            hidden(s, old_tag),
            Shows(s, company, COMPANY_NAME),
            Shows(s, sid, ("tevo",)),
        ],
    )


@case("tevo", "PUT the same tags in another order")
def _tevo_tag_order(d: Doors) -> Outcome:
    first, second = mark("a"), mark("b")
    s = d.subject(d.tevo.create_client(tags=[first, second])["id"])
    assert ok(d.tevo.put(f"/clients/{s.id}", {"tags": [second, first]}))["tags"] == [
        second,
        first,
    ]

    def check(d: Doors) -> None:
        assert ok(d.tevo.get(f"/clients/{s.id}"))["tags"] == [second, first]

    return Outcome([s], [Shows(s, first, TAGS), Shows(s, second, TAGS)], check=check)


# Ticket Evolution's contact points: key -> (the field a marker goes in, how a marker is written
# there, the flag that makes one primary on a write).
TEVO_POINTS: dict[str, tuple[str, Callable[[str], str], str]] = {
    "addresses": ("street_address", _plain, "primary"),
    "phone_numbers": ("number", _plain, "is_primary"),
    "email_addresses": ("address", _email, "is_primary"),
}


def _tevo_point_ids(d: Doors, s: Subject, key: str) -> list[str]:
    """Oldest first."""
    return [p["id"] for p in reversed(ok(d.tevo.get(f"/clients/{s.id}"))[key])]


def _tevo_client_with(d: Doors, key: str, *values: str) -> Subject:
    column, _, flag = TEVO_POINTS[key]
    items = [{column: v, flag: i == 0} for i, v in enumerate(values)]
    return d.subject(d.tevo.create_client(**{key: items})["id"])


def _tevo_point_create(key: str) -> Change:
    def change(d: Doors) -> Outcome:
        column, written, flag = TEVO_POINTS[key]
        old, new = written(mark("old")), written(mark("new"))
        s = _tevo_client_with(d, key, old)
        ok(d.tevo.post(f"/clients/{s.id}/{key}", {key: [{column: new, flag: True}]}), 201)
        return Outcome(
            [s],
            [
                Shows(s, new, CONTACT_POINTS),
                Shows(s, old, LISTED_POINTS),
                hidden(s, old, ("kickserv",)),
            ],
        )

    return change


def _tevo_point_update(key: str) -> Change:
    def change(d: Doors) -> Outcome:
        column, written, flag = TEVO_POINTS[key]
        first, second, changed = written(mark("a")), written(mark("b")), written(mark("c"))
        s = _tevo_client_with(d, key, first, second)
        target = _tevo_point_ids(d, s, key)[1]
        ok(d.tevo.put(f"/clients/{s.id}/{key}/{target}", {column: changed, flag: True}))
        return Outcome(
            [s],
            [
                Shows(s, changed, CONTACT_POINTS),
                hidden(s, second),
                Shows(s, first, LISTED_POINTS),
                hidden(s, first, ("kickserv",)),
            ],
        )

    return change


def _tevo_point_delete(key: str) -> Change:
    def change(d: Doors) -> Outcome:
        _column, written, _flag = TEVO_POINTS[key]
        first, second = written(mark("a")), written(mark("b"))
        s = _tevo_client_with(d, key, first, second)
        primary = _tevo_point_ids(d, s, key)[0]
        ok(d.tevo.delete(f"/clients/{s.id}/{key}/{primary}"))
        return Outcome([s], [hidden(s, first), Shows(s, second, LISTED_POINTS)])

    return change


for _key in TEVO_POINTS:
    _what = ONE[_key]
    case("tevo", f"create a primary {_what}")(_tevo_point_create(_key))
    case("tevo", f"update another {_what}, making it primary")(_tevo_point_update(_key))
    case("tevo", f"delete the primary {_what}")(_tevo_point_delete(_key))


@case("tevo", "PUT primary picks")
def _tevo_picks(d: Doors) -> Outcome:
    first_phone, second_phone = mark("p1"), mark("p2")
    first_email, second_email = f"{mark('e1')}@example.com", f"{mark('e2')}@example.com"
    billing, shipping = mark("billing"), mark("shipping")
    made = d.tevo.create_client(
        addresses=[
            {"street_address": billing, "is_primary_billing": True},
            {"street_address": shipping},
        ],
        phone_numbers=[{"number": first_phone, "is_primary": True}, {"number": second_phone}],
        email_addresses=[
            {"address": first_email, "is_primary": True},
            {"address": second_email},
        ],
    )
    s = d.subject(made["id"])
    newest_address, oldest_address = made["addresses"]
    ok(
        d.tevo.put(
            f"/clients/{s.id}",
            {
                "primary_billing_address_id": None,
                "primary_shipping_address_id": newest_address["id"],
                "primary_phone_number_id": made["phone_numbers"][0]["id"],
                "primary_email_address_id": made["email_addresses"][0]["id"],
            },
        )
    )
    assert oldest_address["street_address"] == billing
    # Kickserv shows the primary phone and email, the shipping address as its service address
    # and no billing address now.
    return Outcome(
        [s],
        [
            Shows(s, second_phone, CONTACT_POINTS),
            Shows(s, second_email, CONTACT_POINTS),
            Shows(s, shipping, CONTACT_POINTS),
            hidden(s, first_phone, ("kickserv",)),
            hidden(s, first_email, ("kickserv",)),
            hidden(s, billing, ("kickserv",)),
        ],
    )


def _tevo_company(d: Doors, name: str, *subjects: Subject) -> str:
    created = ok(d.tevo.post("/companies", {"companies": [{"name": name}]}), 201)
    company = str(created["companies"][0]["id"])
    for s in subjects:
        ok(d.tevo.put(f"/clients/{s.id}", {"company_id": company}))
    return company


@case("tevo", "create a company and link a client to it")
def _tevo_company_link(d: Doors) -> Outcome:
    s = d.subject(d.tevo.create_client()["id"])
    name = mark("company")
    _tevo_company(d, name, s)
    return Outcome([s], [Shows(s, name, COMPANY_NAME)])


@case("tevo", "unlink a client from its company")
def _tevo_company_unlink(d: Doors) -> Outcome:
    s = d.subject(d.tevo.create_client()["id"])
    name = mark("company")
    _tevo_company(d, name, s)
    ok(d.tevo.put(f"/clients/{s.id}", {"company_id": None}))
    return Outcome([s], [hidden(s, name)])


@case("tevo", "rename a company of two clients")
def _tevo_company_rename(d: Doors) -> Outcome:
    a = d.subject(d.tevo.create_client(name="Client A")["id"])
    b = d.subject(d.tevo.create_client(name="Client B")["id"])
    old, new = mark("old"), mark("new")
    company = _tevo_company(d, old, a, b)
    ok(d.tevo.put(f"/companies/{company}", {"name": new}))
    return Outcome(
        [a, b],
        [Shows(a, new, COMPANY_NAME), Shows(b, new, COMPANY_NAME), hidden(a, old), hidden(b, old)],
    )


@case("tevo", "delete a company of two clients")
def _tevo_company_delete(d: Doors) -> Outcome:
    a = d.subject(d.tevo.create_client(name="Client A")["id"])
    b = d.subject(d.tevo.create_client(name="Client B")["id"])
    name = mark("company")
    company = _tevo_company(d, name, a, b)
    ok(d.tevo.delete(f"/companies/{company}"))
    return Outcome([a, b], [hidden(a, name), hidden(b, name)])


# --- HaloPSA -------------------------------------------------------------------------------------


def _halo_client(d: Doors, **fields: Any) -> Subject:
    return d.subject(d.halo.create_client(**fields)["id"])


@case("halo", "create a client with a company, a main site and custom fields")
def _halo_create(d: Doors) -> Outcome:
    name, notes, company, site, value, colour = (
        mark(w) for w in ("name", "notes", "company", "site", "value", "colour")
    )
    s = _halo_client(
        d,
        name=name,
        notes=notes,
        toplevel_name=company,
        newclient_sitename=site,
        customfields=[{"id": 7, "name": "tier", "value": value}],
        colour=colour,
    )
    return Outcome(
        [s],
        [
            Shows(s, name),
            Shows(s, notes),
            Shows(s, company, COMPANY_NAME),
            Shows(s, site, PRIMARY_LOCATION),
            Shows(s, value, ("halo",)),
            Shows(s, colour, ("halo",)),
        ],
    )


@case("halo", "update a client: fields, custom fields, another company")
def _halo_update(d: Doors) -> Outcome:
    old_name, old_company = mark("old"), mark("oldco")
    s = _halo_client(
        d, name=old_name, toplevel_name=old_company, customfields=[{"id": 7, "value": "a"}]
    )
    name, notes, company, value = mark("name"), mark("notes"), mark("company"), mark("value")
    ok(
        d.halo.post(
            "/Client",
            json=[
                {
                    "id": s.id,
                    "name": name,
                    "notes": notes,
                    "toplevel_name": company,
                    "customfields": [{"id": 7, "value": value}],
                }
            ],
        ),
        201,
    )
    return Outcome(
        [s],
        [
            Shows(s, name),
            Shows(s, notes),
            Shows(s, company, COMPANY_NAME),
            Shows(s, value, ("halo",)),
            hidden(s, old_name),
            hidden(s, old_company),
        ],
    )


def _main_site_id(d: Doors, s: Subject) -> int:
    return int(ok(d.halo.get(f"/Client/{s.id}"))["main_site_id"])


def _main_site_is(s: Subject, name: str | None) -> Callable[[Doors], None]:
    """A check: Halo's main site and Trackops' primary location are the site called `name`
    (or there is none). The name a client was created with stays in its Area as sent
    (`newclient_sitename`), so it is no marker of the main site."""

    def check(d: Doors) -> None:
        area = ok(d.halo.get(f"/Client/{s.id}"))
        assert area["main_site_name"] == name
        assert (area["main_site_id"] is None) is (name is None)
        primary = ok(d.trackops.get(f"/clients/{s.id}"))["primary_location"]
        assert (primary and primary["name"]) == name

    return check


@case("halo", "create a site, then make it the main site")
def _halo_site_main(d: Doors) -> Outcome:
    old, new = mark("old"), mark("new")
    s = _halo_client(d, newclient_sitename=old)
    site = d.halo.create_site(s.id, name=new)
    assert ok(d.halo.get(f"/Client/{s.id}"))["main_site_name"] == old
    ok(d.halo.post("/Client", json=[{"id": s.id, "main_site_id": site["id"]}]), 201)
    return Outcome(
        [s],
        [Shows(s, new, PRIMARY_LOCATION), hidden(s, old, ("trackops",))],
        check=_main_site_is(s, new),
    )


@case("halo", "update the main site and its invoice address")
def _halo_site_update(d: Doors) -> Outcome:
    old, new, invoice = mark("old"), mark("new"), mark("invoice")
    s = _halo_client(d, newclient_sitename=old)
    site = _main_site_id(d, s)
    body = [{"id": site, "name": new, "invoice_address_line1": invoice}]
    ok(d.halo.post("/Site", json=body), 201)
    return Outcome(
        [s],
        [
            Shows(s, new, PRIMARY_LOCATION),
            hidden(s, old, ("trackops",)),
            Shows(s, invoice, LISTED_POINTS),
        ],
        check=_main_site_is(s, new),
    )


@case("halo", "delete the main site")
def _halo_site_delete(d: Doors) -> Outcome:
    name = mark("site")
    s = _halo_client(d, newclient_sitename=name)
    assert d.halo.delete(f"/Site/{_main_site_id(d, s)}").status_code == 200
    return Outcome([s], [hidden(s, name, ("trackops",))], check=_main_site_is(s, None))


@case("halo", "create and delete CRM notes")
def _halo_notes(d: Doors) -> Outcome:
    s = _halo_client(d)
    kept, dropped = mark("kept"), mark("dropped")
    for text in (kept, dropped):
        ok(d.halo.post("/CRMNote", json=[{"client_id": s.id, "note": text}]), 201)
    notes = ok(d.halo.get("/CRMNote", params={"client_id": s.id}))
    [doomed] = [n["id"] for n in notes if n["note"] == dropped]
    assert d.halo.delete(f"/CRMNote/{doomed}").status_code == 200
    assert [n["note"] for n in ok(d.halo.get("/CRMNote", params={"client_id": s.id}))] == [kept]
    return Outcome([s], [hidden(s, kept), hidden(s, dropped)])


@case("halo", "mark a popup note read")
def _halo_popup(d: Doors) -> Outcome:
    text = mark("popup")
    s = _halo_client(d, popup_notes=[{"id": 1, "note": text, "read_status": 0}])
    ok(d.halo.post("/PopupNote/read", json=[{"id": 1}]))

    def check(d: Doors) -> None:
        area = ok(d.halo.get(f"/Client/{s.id}"))
        assert area["popup_notes"] == [{"id": 1, "note": text, "read_status": 1}]

    return Outcome([s], [Shows(s, text, ("halo",))], check=check)


@case("halo", "set the accounts id and the payment method")
def _halo_narrow(d: Doors) -> Outcome:
    s = _halo_client(d)
    accounts_id, method = mark("acct"), mark("pm")
    ok(d.halo.post("/Client/NewAccountsId", json=[{"id": s.id, "accountsid": accounts_id}]))
    body = [{"id": s.id, "stripe_payment_method_id": method}]
    ok(d.halo.post("/Client/PaymentMethodUpdate", json=body))
    return Outcome([s], [Shows(s, accounts_id, ("halo",)), Shows(s, method, ("halo",))])


@case("halo", "delete a client")
def _halo_delete(d: Doors) -> Outcome:
    keep = _halo_client(d, name="Kept")
    doomed = _halo_client(d, name=mark("doomed"))
    assert d.halo.delete(f"/Client/{doomed.id}").status_code == 200
    return Outcome([keep], gone=[doomed])


# --- Kickserv ------------------------------------------------------------------------------------


def _customer(d: Doors, **fields: Any) -> Subject:
    return d.subject(d.kickserv.create_customer(**fields)["id"])


@case("kickserv", "create a customer")
def _kickserv_create(d: Doors) -> Outcome:
    name, notes, service, billing, phone, mobile = (
        mark(w) for w in ("name", "notes", "service", "billing", "phone", "mobile")
    )
    email = f"{mark('e')}@example.com"
    s = _customer(
        d,
        name=name,
        special_instructions=notes,
        service_address=service,
        billing_address=billing,
        phone_number=phone,
        mobile=mobile,
        email_address=email,
    )
    return Outcome(
        [s],
        [
            Shows(s, name),
            Shows(s, notes),
            Shows(s, service, ("trackops", "kickserv")),
            Shows(s, billing, CONTACT_POINTS),
            Shows(s, phone, CONTACT_POINTS),
            Shows(s, mobile, CONTACT_POINTS),
            Shows(s, email, CONTACT_POINTS),
        ],
    )


@case("kickserv", "update a customer")
def _kickserv_update(d: Doors) -> Outcome:
    old_email = f"{mark('old')}@example.com"
    s = _customer(d, service_city="Lansing", billing_address="1 Bill St", email_address=old_email)
    name, city, billing_city, mobile, source = (
        mark(w) for w in ("name", "city", "bcity", "mobile", "source")
    )
    email = f"{mark('e')}@example.com"
    changes = {
        "name": name,
        "service_city": city,
        "billing_city": billing_city,
        "mobile": mobile,
        "email_address": email,
        "custom_text1": source,
    }
    ok(d.kickserv.put(f"/customers/{s.number}.json", json={"customer": changes}))
    return Outcome(
        [s],
        [
            Shows(s, name),
            Shows(s, city, ("trackops", "kickserv")),
            Shows(s, billing_city, CONTACT_POINTS),
            Shows(s, mobile, CONTACT_POINTS),
            Shows(s, email, CONTACT_POINTS),
            Shows(s, source, ("kickserv",)),
            hidden(s, old_email),
        ],
    )


@case("kickserv", "PATCH a customer: clear the email and phone, deactivate")
def _kickserv_clear(d: Doors) -> Outcome:
    email, phone = f"{mark('e')}@example.com", mark("phone")
    s = _customer(d, email_address=email, phone_number=phone)
    changes = {"email_address": None, "phone_number": None, "is_active": False}
    shown = ok(d.kickserv.patch(f"/customers/{s.number}.json", json={"customer": changes}))
    assert shown["is_active"] is False

    def check(d: Doors) -> None:
        assert ok(d.halo.get(f"/Client/{s.id}"))["inactive"] is True

    return Outcome([s], [hidden(s, email), hidden(s, phone)], check=check)


@case("kickserv", "delete a customer")
def _kickserv_delete(d: Doors) -> Outcome:
    keep = _customer(d, name="Kept")
    doomed = _customer(d, name=mark("doomed"))
    ok(d.kickserv.delete(f"/customers/{doomed.number}.json"))
    return Outcome([keep], gone=[doomed])


@case("kickserv", "create, update and delete customer notes")
def _kickserv_notes(d: Doors) -> Outcome:
    s = _customer(d)
    first, changed, dropped = mark("first"), mark("changed"), mark("dropped")
    base = f"/customers/{s.number}/notes"
    note = ok(d.kickserv.post(f"{base}.json", json={"note": {"note": first}}))
    ok(d.kickserv.put(f"{base}/{note['id']}.json", json={"note": {"note": changed}}))
    doomed = ok(d.kickserv.post(f"{base}.json", json={"note": {"note": dropped}}))
    ok(d.kickserv.delete(f"{base}/{doomed['id']}.json"))
    assert [n["note"] for n in ok(d.kickserv.get(f"{base}.json"))] == [changed]
    return Outcome([s], [hidden(s, first), hidden(s, changed), hidden(s, dropped)])


@case("kickserv", "jobs, job notes and payments: create, update, delete")
def _kickserv_jobs(d: Doors) -> Outcome:
    s = _customer(d)
    description, changed, note, reference, other = (
        mark(w) for w in ("job", "changed", "note", "ref", "other")
    )
    job = d.kickserv.create_job(s.number, description=description)
    path = f"/jobs/{job['job_number']}"
    ok(d.kickserv.put(f"{path}.json", json={"job": {"description": changed}}))
    ok(d.kickserv.post(f"{path}/notes.json", json={"note": {"note": note}}))
    payment = ok(d.kickserv.post(f"{path}/payments.json", json={"payment": {"amount": "10.00"}}))
    ok(
        d.kickserv.put(
            f"{path}/payments/{payment['id']}.json", json={"payment": {"ref_number": reference}}
        )
    )
    doomed = ok(
        d.kickserv.post(
            f"{path}/payments.json", json={"payment": {"amount": "5.00", "ref_number": other}}
        )
    )
    ok(d.kickserv.delete(f"/customers/{s.number}/payments/{doomed['id']}.json"))
    payments = ok(d.kickserv.get(f"/customers/{s.number}/payments.json"))
    assert [p["ref_number"] for p in payments] == [reference]
    # A second job, through /jobs.json, then deleted.
    second = ok(
        d.kickserv.post(
            "/jobs.json", json={"job": {"job_type_id": 61}, "customer_number": s.number}
        )
    )
    ok(d.kickserv.delete(f"/jobs/{second['job_number']}.json"))
    jobs = ok(d.kickserv.get(f"/customers/{s.number}/jobs.json"))
    assert [j["description"] for j in jobs] == [changed]
    return Outcome(
        [s], [hidden(s, text) for text in (description, changed, note, reference, other)]
    )


# --- the import ----------------------------------------------------------------------------------


@case("import", "import clients into a company that has one already")
def _imported(d: Doors) -> Outcome:
    """Not a door, but a writer of clients all the same (`rolodex import`): it renders the
    documents of the clients it created once their rows are in (`documents.fill`)."""
    company = mark("company")
    there = d.subject(d.native.create_client(name="Already There")["id"])
    _native_company(d, company, there)
    name, tag, street = mark("name"), mark("tag"), mark("street")
    record = {
        "name": name,
        "tags": [tag],
        "company": company,
        "addresses": [{"line1": street, "is_primary": True}],
        "notes": [{"body": "imported"}],
    }
    with tempfile.TemporaryDirectory() as directory:
        source = Path(directory) / "clients.jsonl"
        source.write_bytes(orjson.dumps(record) + b"\n" + orjson.dumps({"name": "Second One"}))
        summary = transfer.import_file(
            d.runtime.engine,
            str(d.credentials["slug"]),
            str(source),
            "jsonl",
            skip_invalid=False,
            console=Console(file=io.StringIO()),
            report=lambda line, reason: pytest.fail(f"line {line}: {reason}"),
            workers=0,
        )
    assert summary.created == 2
    made = {c["name"]: c["id"] for c in d.native.all_clients()}
    s, second = d.subject(made[name]), d.subject(made["Second One"])
    return Outcome(
        [there, s, second],
        [
            Shows(s, name),
            Shows(s, tag, TAGS),
            Shows(s, street, CONTACT_POINTS),
            Shows(s, company, COMPANY_NAME),
            Shows(there, company, COMPANY_NAME),
        ],
    )


# --- the staleness test --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [pytest.param(fn, id=f"{door}: {what}") for door, what, fn in CASES],
)
def test_every_door_shows_a_change_as_the_tables_do(
    runtime: Runtime, http: TestClient, change: Change
) -> None:
    """A change written through a door, read through every door from the documents written
    with it, reads the same once the backlog a bulk write left is rendered, the same as from
    documents rendered again from the tables, and the same as rendered from the tables on
    each read (no document at all)."""
    d = Doors.new(runtime, http)
    outcome = change(d)
    subjects = [*outcome.live, *outcome.gone]
    written = d.read(subjects)
    check_reads(d, outcome, written)
    documents.drain(runtime.engine)
    assert not differences(written, d.read(subjects)), "the backlog rendered them otherwise"

    # The outcome names every client of the account, so the lists are compared whole.
    assert sorted(c["id"] for c in d.native.all_clients()) == sorted(s.id for s in outcome.live)
    assert d.rebuild() == len(outcome.live)
    rebuilt = d.read(subjects)
    assert not differences(written, rebuilt), "stale documents"

    d.drop_documents()
    from_tables = d.read(subjects)
    assert not differences(rebuilt, from_tables), "documents differ from the tables"
    d.rebuild()


def test_the_check_sees_a_stale_document(runtime: Runtime, http: TestClient) -> None:
    """A change the documents are not told about (a Core UPDATE with no `touch`) is seen: the
    reads before and after a rebuild differ, in every door that shows the field."""
    d = Doors.new(runtime, http)
    s = d.subject(d.native.create_client(name="Before")["id"])
    documents.drain(runtime.engine)  # the kinds a create leaves to the renderer
    with runtime.engine.begin() as conn:
        conn.execute(update(Client).where(Client.id == s.id).values(name="After"))
    stale = d.read([s])
    d.rebuild()
    fresh = d.read([s])
    changed = differences(stale, fresh)
    assert {k.split(" ")[0] for k in changed} == {"native", "trackops", "tevo", "halo", "kickserv"}
    assert all(b"Before" in stale[k].body and b"After" in fresh[k].body for k in changed)


def test_a_change_left_to_the_commits_own_flush_is_rendered(
    runtime: Runtime, http: TestClient
) -> None:
    """Every ORM flush is watched, the one the commit itself makes too: a writer that leaves
    its last change for the commit to flush (as SQLAlchemy allows) still has the client's
    documents rendered, so no door shows the client as it was."""
    d = Doors.new(runtime, http)
    s = d.subject(d.native.create_client(name="Before")["id"])
    name = mark("after")

    def write(session: Session) -> None:
        client = session.get(Client, s.id)
        assert client is not None
        client.name = name  # not flushed here: the commit flushes it

    runtime.run_sync(write, write=True)
    written = d.read([s])
    check_reads(d, Outcome([s], [Shows(s, name)]), written)
    d.rebuild()
    assert not differences(written, d.read([s])), "stale documents"


# --- the read layer ------------------------------------------------------------------------------


def _rows(runtime: Runtime, account_id: int) -> dict[tuple[int, str], tuple[int, bytes]]:
    """The account's stored documents: (client id, kind) -> (version, body)."""

    def read(session: Session) -> dict[tuple[int, str], tuple[int, bytes]]:
        rows = session.execute(
            select(
                ClientDocument.client_id,
                ClientDocument.kind,
                ClientDocument.version,
                ClientDocument.body,
            ).where(ClientDocument.account_id == account_id)
        )
        return {(r[0], r[1]): (r[2], bytes(r[3])) for r in rows}

    return runtime.run_sync(read, write=False)


def _rendered(runtime: Runtime, kind: str, account_id: int, ids: list[int]) -> dict[int, bytes]:
    """What the kind's renderer makes of these clients now, from the tables."""
    renderer = documents.renderers()[kind]
    found = runtime.read_sync(lambda reader: renderer(reader, account_id, ids))
    return {i: orjson.dumps(doc) for i, doc in found.items()}


def _versions(runtime: Runtime, ids: list[int]) -> dict[int, int]:
    def read(session: Session) -> dict[int, int]:
        rows = session.execute(select(Client.id, Client.version).where(Client.id.in_(ids)))
        return {r[0]: r[1] for r in rows}

    return runtime.run_sync(read, write=False)


@pytest.fixture
def two(runtime: Runtime, http: TestClient) -> tuple[Doors, Doors]:
    """Two accounts, each with two clients (numbers 1 and 2 in both), every document of them
    rendered (a native create leaves the other doors' kinds to the renderer)."""
    pair = (Doors.new(runtime, http, "Documents A"), Doors.new(runtime, http, "Documents B"))
    for d in pair:
        d.native.create_client(name="First", tags=["t"], email_addresses=[{"address": "a@x.io"}])
        d.kickserv.create_customer(name="Second", service_address="2 Second St")
    documents.drain(runtime.engine)
    return pair


def _ids(d: Doors) -> list[int]:
    return sorted(c["id"] for c in d.native.all_clients())


def test_each_client_has_one_document_of_each_kind(
    runtime: Runtime, two: tuple[Doors, Doors]
) -> None:
    a, _b = two
    ids = _ids(a)
    rows = _rows(runtime, a.account_id)
    kinds = sorted(documents.renderers())
    assert kinds == ["halo", "halo_row", "kickserv", "native", "tevo", "trackops"]
    assert sorted(rows) == sorted((i, k) for i in ids for k in kinds)
    versions = _versions(runtime, ids)
    for kind in kinds:
        expected = _rendered(runtime, kind, a.account_id, ids)
        for i in ids:
            assert rows[(i, kind)] == (versions[i], expected[i]), (i, kind)


def test_one_and_by_number(runtime: Runtime, two: tuple[Doors, Doors]) -> None:
    a, b = two
    first, second = _ids(a)
    theirs = _ids(b)

    def read(reader: Reader) -> dict[str, Any]:
        return {
            "one": {k: documents.one(reader, k, a.account_id, first) for k in documents.RENDERERS},
            "by_number": {
                k: documents.by_number(reader, k, a.account_id, 2) for k in documents.RENDERERS
            },
            # Account B's clients, asked for with account A: nothing.
            "crossed": [documents.one(reader, NATIVE, a.account_id, i) for i in theirs],
            "unknown": documents.one(reader, NATIVE, a.account_id, 2**40),
            "no number": documents.by_number(reader, NATIVE, a.account_id, 3),
            # The same number in each account: each account's own client.
            "b by number": documents.by_number(reader, NATIVE, b.account_id, 2),
            "unknown kind": documents.one(reader, "nonesuch", a.account_id, first),
        }

    got = runtime.read_sync(read)
    versions = _versions(runtime, [first, second, *theirs])
    for kind in documents.RENDERERS:
        assert got["one"][kind] == (
            _rendered(runtime, kind, a.account_id, [first])[first],
            versions[first],
        )
        assert got["by_number"][kind] == (
            _rendered(runtime, kind, a.account_id, [second])[second],
            versions[second],
        )
    assert got["crossed"] == [None, None]
    assert got["unknown"] is None and got["no number"] is None and got["unknown kind"] is None
    b_second = theirs[1]
    assert got["b by number"] == (
        _rendered(runtime, NATIVE, b.account_id, [b_second])[b_second],
        versions[b_second],
    )
    assert orjson.loads(got["by_number"][KICKSERV_KIND][0])["customer_number"] == 2
    assert orjson.loads(got["b by number"][0])["id"] == b_second


def test_an_account_never_sees_another_accounts_client(two: tuple[Doors, Doors]) -> None:
    a, b = two
    theirs = [b.subject(i) for i in _ids(b)]
    for s in theirs:
        for door in ("native", "trackops", "tevo", "halo"):
            assert a.get_one(door, s).status_code == 404, (door, s)
    # Kickserv addresses customers by number, which each account counts on its own: account
    # A's customer 2 is its own, never B's.
    for s in theirs:
        shown = ok(a.kickserv.get(f"/customers/{s.number}.json"))
        assert shown["id"] != s.id and shown["id"] in _ids(a)
    for door in ("native", "trackops", "tevo", "halo", "kickserv"):
        listed = ok(a.get_list(door))
        items = listed["data"] if door == "native" else listed
        items = items["clients"] if door in ("tevo", "halo") else items
        assert sorted(int(c["id"]) for c in items) == _ids(a), door


def test_many(runtime: Runtime, two: tuple[Doors, Doors]) -> None:
    a, _b = two
    first, second = _ids(a)

    def read(reader: Reader) -> Any:
        return (
            documents.many(reader, TEVO_KIND, [second, 2**40, first]),
            documents.many(reader, TEVO_KIND, []),
        )

    found, empty = runtime.read_sync(read)
    assert found == _rendered(runtime, TEVO_KIND, a.account_id, [first, second])
    assert empty == {}


def test_fragments_render_a_client_without_a_document_from_the_tables(
    runtime: Runtime, two: tuple[Doors, Doors]
) -> None:
    a, _b = two
    first, second = _ids(a)
    with runtime.engine.begin() as conn:
        conn.execute(delete(ClientDocument).where(ClientDocument.client_id == second))
    asked: list[list[int]] = []

    def read(reader: Reader) -> Any:
        def fallback(kind: str) -> Callable[[list[int]], dict[int, Any]]:
            def render(missing: list[int]) -> dict[int, Any]:
                asked.append(missing)
                return documents.renderers()[kind](reader, a.account_id, missing)

            return render

        return (
            # In the order asked.
            orjson.dumps(
                documents.fragments(reader, HALO_ROW, [second, first], fallback(HALO_ROW))
            ),
            orjson.dumps(documents.fragments(reader, HALO_ROW, [first], fallback(HALO_ROW))),
            # A client the fallback does not render either (none such) is left out.
            orjson.dumps(documents.fragments(reader, NATIVE, [2**40, first], fallback(NATIVE))),
        )

    both, stored_only, unknown = runtime.read_sync(read)
    assert asked == [[second], [2**40]]  # only the clients without a document
    rows = _rendered(runtime, HALO_ROW, a.account_id, [first, second])
    assert both == b"[" + rows[second] + b"," + rows[first] + b"]"
    assert stored_only == b"[" + rows[first] + b"]"
    native = _rendered(runtime, NATIVE, a.account_id, [first])
    assert unknown == b"[" + native[first] + b"]"

    # Through the doors: the client without documents reads as it will once rendered again.
    s = a.subject(second)
    before = a.read([s])
    assert _rows(runtime, a.account_id).keys() == {(first, k) for k in documents.RENDERERS}
    assert a.rebuild() == 2
    assert not differences(before, a.read([s]))


def test_rebuild_and_render_counts(runtime: Runtime, two: tuple[Doors, Doors]) -> None:
    a, b = two
    mine = _ids(a)
    stored = _rows(runtime, a.account_id)
    kinds = len(documents.renderers())
    assert len(stored) == 2 * kinds

    a.drop_documents()
    assert _rows(runtime, a.account_id) == {}
    assert _rows(runtime, b.account_id) != {}
    progress: list[int] = []
    assert documents.rebuild(runtime.engine, a.account_id, progress.append) == 2
    assert progress == [2]
    assert _rows(runtime, a.account_id) == stored

    # render: the clients named, in the caller's transaction; an id that is no client is none.
    a.drop_documents()

    def write(session: Session) -> None:
        documents.render(session, [mine[1], mine[1], 2**40])

    runtime.run_sync(write, write=True)
    assert _rows(runtime, a.account_id) == {
        key: value for key, value in stored.items() if key[0] == mine[1]
    }

    # Every account's: as many as there are clients, and each account's documents as before.
    b_stored = _rows(runtime, b.account_id)
    total = runtime.run_sync(
        lambda s: s.scalar(select(func.count()).select_from(Client)), write=False
    )
    assert documents.rebuild(runtime.engine) == total
    assert _rows(runtime, a.account_id) == stored
    assert _rows(runtime, b.account_id) == b_stored
    assert documents.ensure_current(runtime.engine) == 0


def test_a_deleted_client_leaves_no_document(runtime: Runtime, two: tuple[Doors, Doors]) -> None:
    a, _b = two
    first, second = _ids(a)
    assert a.native.delete(f"/v1/clients/{first}").status_code == 204
    assert {key[0] for key in _rows(runtime, a.account_id)} == {second}


def test_a_refused_write_renders_nothing(runtime: Runtime, two: tuple[Doors, Doors]) -> None:
    """A Ticket Evolution batch with one bad client writes nothing, documents included."""
    a, _b = two
    before, clients = _rows(runtime, a.account_id), _ids(a)
    response = a.tevo.post("/clients", {"clients": [{"name": "Fine Client"}, {"name": ""}]})
    assert response.status_code == 422, response.text
    # The first client was valid, and written in a savepoint that was then let go.
    assert response.json()["clients"][0]["errors"] == {}
    assert _ids(a) == clients
    assert _rows(runtime, a.account_id) == before


def test_reads_use_the_stored_document(runtime: Runtime, two: tuple[Doors, Doors]) -> None:
    """Each door's GET and list answer the stored bytes (so a document is what is served, and
    the staleness test compares what users see)."""
    a, _b = two
    first, _second = _ids(a)
    s = a.subject(first)
    marker = b"stored-" + mark("doc").encode()

    def plant(kind: str, body: bytes) -> None:
        with runtime.engine.begin() as conn:
            conn.execute(
                update(ClientDocument)
                .where(ClientDocument.client_id == first, ClientDocument.kind == kind)
                .values(body=body)
            )

    for kind in documents.renderers():
        # Tevo's ids are strings; every other door's are numbers.
        ident: int | str = str(first) if kind == TEVO_KIND else first
        plant(kind, orjson.dumps({"id": ident, "planted": marker.decode()}))
    for door in ("native", "trackops", "tevo", "halo", "kickserv"):
        assert marker in a.get_one(door, s).content, door
        assert marker in a.get_list(door).content, door
    a.rebuild()
    for door in ("native", "trackops", "tevo", "halo", "kickserv"):
        assert marker not in a.get_one(door, s).content, door
        assert marker not in a.get_list(door).content, door


def test_two_writers_rendering_one_client_at_once_leave_both_changes(
    db_kind: str, runtime: Runtime, http: TestClient
) -> None:
    """PostgreSQL runs writers side by side: one renames a client's company while another adds
    the client an address. Each renders the client before it commits; unless the second waits
    for the first (rendering locks the client's row), the one committing last would store a
    document without the other's change. (SQLite runs one writer at a time: nothing to race.)"""
    if db_kind != "postgres":
        pytest.skip("SQLite has one writer at a time")
    doors = Doors.new(runtime, http, "Racing renders")
    company = ok(doors.native.post("/v1/companies", json={"name": "Old Co"}), 201)
    client = ok(
        doors.native.post("/v1/clients", json={"name": "Raced", "company_id": company["id"]}), 201
    )
    account_id = doors.account_id
    renamed, rendered = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def rename() -> None:
        try:
            with transaction(runtime.sessions, write=True) as session:
                companies.update_company(session, account_id, company["id"], {"name": "New Co"})
                renamed.set()
                assert rendered.wait(timeout=10)
            # The commit renders the company's clients here.
        except BaseException as exc:  # reported by the test below
            failures.append(exc)
            renamed.set()

    other = threading.Thread(target=rename)
    other.start()
    assert renamed.wait(timeout=10)
    with transaction(runtime.sessions, write=True) as session:
        owned.create_owned(
            session, owned.ADDRESSES, account_id, client["id"], {"line1": "9 Race St"}
        )
        documents.settle(session)  # renders the client now, before the rename commits
        rendered.set()
        time.sleep(0.3)  # the rename's commit reaches the client meanwhile
    other.join(timeout=20)
    assert not failures, failures
    subject = doors.subject(client["id"])
    served = doors.read([subject])
    assert "9 Race St" in served[f"native GET client {client['id']}"].body.decode()
    assert "New Co" in served[f"tevo GET client {client['id']}"].body.decode()
    doors.rebuild()
    assert differences(served, doors.read([subject])) == {}


def _import(d: Doors, records: list[dict[str, Any]], workers: int) -> transfer.Summary:
    with tempfile.TemporaryDirectory() as directory:
        source = Path(directory) / "clients.jsonl"
        source.write_bytes(b"\n".join(orjson.dumps(r) for r in records))
        return transfer.import_file(
            d.runtime.engine,
            str(d.credentials["slug"]),
            str(source),
            "jsonl",
            skip_invalid=False,
            console=Console(file=io.StringIO()),
            report=lambda line, reason: pytest.fail(f"line {line}: {reason}"),
            workers=workers,
        )


def test_an_import_renders_its_documents_in_worker_processes(
    runtime: Runtime, http: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large import hands its clients' documents to worker processes, a backlog range of a
    few clients each (here 7, so that 30 clients make several ranges): every client comes out
    with every document, exactly what a rendering from the tables gives, and the backlog is
    empty."""
    monkeypatch.setattr(documents, "RANGE", 7)
    d = Doors.new(runtime, http, "Parallel import")
    records = [
        {"name": f"Imported {n}", "tags": [f"t{n}"], "addresses": [{"line1": f"{n} Elm"}]}
        for n in range(30)
    ]
    assert _import(d, records, workers=1).created == 30
    ids = [c["id"] for c in d.native.all_clients()]
    with runtime.engine.connect() as conn:
        stored = conn.execute(
            select(func.count()).where(ClientDocument.client_id.in_(ids))
        ).scalar_one()
    assert stored == 30 * len(documents.renderers())
    assert documents.backlog(runtime.engine) == []
    subjects = [d.subject(i) for i in ids]
    served = d.read(subjects)
    d.rebuild()
    assert differences(served, d.read(subjects)) == {}


def test_filling_documents_never_overwrites_one_a_write_rendered_meanwhile(
    runtime: Runtime, http: TestClient
) -> None:
    """`documents.fill` stores a document only where there is none: one a write rendered
    since (here planted) stays; a client deleted since is skipped without an error."""
    d = Doors.new(runtime, http, "Fill")
    kept = ok(d.native.post("/v1/clients", json={"name": "Kept"}), 201)
    gone = ok(d.native.post("/v1/clients", json={"name": "Gone"}), 201)
    missing = ok(d.native.post("/v1/clients", json={"name": "Missing"}), 201)
    planted = b'{"id": 0, "planted": true}'
    with runtime.engine.begin() as conn:
        conn.execute(
            update(ClientDocument)
            .where(ClientDocument.client_id == kept["id"], ClientDocument.kind == NATIVE)
            .values(body=planted)
        )
        conn.execute(delete(ClientDocument).where(ClientDocument.client_id == missing["id"]))
    assert d.native.delete(f"/v1/clients/{gone['id']}").status_code == 204
    documents.fill(runtime.engine, [kept["id"], gone["id"], missing["id"]])
    with runtime.engine.connect() as conn:
        rows = conn.execute(
            select(ClientDocument.client_id, ClientDocument.kind, ClientDocument.body).where(
                ClientDocument.client_id.in_([kept["id"], gone["id"], missing["id"]])
            )
        ).all()
    bodies = {(client_id, kind): bytes(body) for client_id, kind, body in rows}
    assert bodies[(kept["id"], NATIVE)] == planted
    assert not [key for key in bodies if key[0] == gone["id"]]
    assert len([key for key in bodies if key[0] == missing["id"]]) == len(documents.renderers())
    assert ok(d.native.get(f"/v1/clients/{missing['id']}"))["name"] == "Missing"


def test_an_upgrade_renders_clients_left_without_documents(
    runtime: Runtime, http: TestClient
) -> None:
    """An import whose rendering never finished (its process killed) leaves clients without
    documents; they read right meanwhile (rendered from the tables), and `rolodex db upgrade`
    (which `serve` runs first) renders them."""
    d = Doors.new(runtime, http, "Left without")
    subject = d.subject(ok(d.native.post("/v1/clients", json={"name": "Bare"}), 201)["id"])
    served = d.read([subject])
    d.drop_documents()
    assert differences(served, d.read([subject])) == {}
    upgrade(runtime.engine)
    with runtime.engine.connect() as conn:
        count = conn.execute(
            select(func.count()).where(ClientDocument.client_id == subject.id)
        ).scalar_one()
    assert count == len(documents.renderers())
    assert differences(served, d.read([subject])) == {}


def test_an_import_whose_rendering_fails_still_lands_and_says_so(
    runtime: Runtime, http: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows of an import are committed before its documents are rendered: if that step
    fails, the import has still happened, its summary says what is left, the clients read
    right (rendered from the tables), their range stays in the backlog, and the next upgrade
    renders them."""
    d = Doors.new(runtime, http, "Rendering fails")

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("out of disk")

    monkeypatch.setattr(documents, "_store", broken)
    summary = _import(d, [{"name": "Landed", "tags": ["t"]}], workers=0)
    assert summary.created == 1
    assert "out of disk" in summary.line() and "rolodex db upgrade" in summary.line()
    assert documents.backlog(runtime.engine) != []
    subject = d.subject(d.native.all_clients()[0]["id"])
    before = d.read([subject])
    assert '"Landed"' in before[f"native GET client {subject.id}"].body.decode()
    monkeypatch.undo()
    upgrade(runtime.engine)
    with runtime.engine.connect() as conn:
        count = conn.execute(
            select(func.count()).where(ClientDocument.client_id == subject.id)
        ).scalar_one()
    assert count == len(documents.renderers())
    assert documents.backlog(runtime.engine) == []
    assert differences(before, d.read([subject])) == {}


def _kinds_stored(runtime: Runtime, ids: list[int]) -> dict[int, set[str]]:
    with runtime.engine.connect() as conn:
        rows = conn.execute(
            select(ClientDocument.client_id, ClientDocument.kind).where(
                ClientDocument.client_id.in_(ids)
            )
        ).all()
    stored: dict[int, set[str]] = {i: set() for i in ids}
    for client_id, kind in rows:
        stored[client_id].add(kind)
    return stored


def test_a_batch_stores_the_documents_it_answers_with_and_leaves_the_rest_to_the_backlog(
    runtime: Runtime, http: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A native batch renders native documents in its transaction (its answer is them) and
    writes the other kinds' clients to the backlog, in ranges (here of 4), with the clients;
    the backlog rendered, every client has every kind and the ranges are gone. A client
    changed before the backlog was rendered keeps the document its change rendered, and one
    deleted meanwhile is skipped."""
    monkeypatch.setattr(documents, "RANGE", 4)
    d = Doors.new(runtime, http, "Deferred")
    documents.drain(runtime.engine)  # what other tests left
    made = ok(
        d.native.post(
            "/v1/clients/batch", json={"clients": [{"name": f"Deferred {n}"} for n in range(10)]}
        ),
        201,
    )["data"]
    ids = [c["id"] for c in made]
    assert list(_kinds_stored(runtime, ids).values()) == [{NATIVE}] * 10
    assert len(documents.backlog(runtime.engine)) == 3  # 10 clients in ranges of 4
    renamed = ok(d.native.patch(f"/v1/clients/{ids[0]}", json={"name": "Renamed First"}))
    assert renamed["name"] == "Renamed First"
    assert d.native.delete(f"/v1/clients/{ids[1]}").status_code == 204
    served = d.read([d.subject(i) for i in ids[2:]])

    assert documents.drain(runtime.engine) == 9
    assert documents.backlog(runtime.engine) == []
    every = set(documents.renderers())
    stored = _kinds_stored(runtime, ids)
    assert stored.pop(ids[1]) == set()
    assert all(kinds == every for kinds in stored.values())
    first = d.read([d.subject(ids[0])])
    assert '"Renamed First"' in first[f"kickserv GET client {ids[0]}"].body.decode()
    assert differences(served, d.read([d.subject(i) for i in ids[2:]])) == {}
    d.rebuild()
    assert differences(first, d.read([d.subject(ids[0])])) == {}


def test_a_single_native_create_answers_with_its_document_and_leaves_the_rest(
    runtime: Runtime, http: TestClient
) -> None:
    """A native create is a batch of one: its answer is the native document its transaction
    stored (ETag included), the other kinds wait in the backlog, and every door reads the
    client meanwhile exactly as it will once they are rendered."""
    d = Doors.new(runtime, http, "Single create")
    documents.drain(runtime.engine)
    answer = d.native.post("/v1/clients", json={"name": "Single", "tags": ["one"]})
    assert answer.status_code == 201
    client_id = answer.json()["id"]
    assert answer.headers["Location"] == f"/v1/clients/{client_id}"
    assert _kinds_stored(runtime, [client_id]) == {client_id: {NATIVE}}
    assert len(documents.backlog(runtime.engine)) == 1
    got = d.native.get(f"/v1/clients/{client_id}")
    assert got.content == answer.content and got.headers["ETag"] == answer.headers["ETag"]
    before = d.read([d.subject(client_id)])
    assert documents.drain(runtime.engine) == 1
    assert _kinds_stored(runtime, [client_id]) == {client_id: set(documents.renderers())}
    assert differences(before, d.read([d.subject(client_id)])) == {}


def _vendor_create(d: Doors, door: str) -> Any:
    """A new client through a vendor door's single create, with everything it takes beside
    the client: Kickserv's service and billing addresses, phones, email and vendor keys;
    Trackops' primary location and fields only Trackops has."""
    if door == "kickserv":
        return d.kickserv.post(
            "/customers.json",
            json={
                "customer": {
                    "name": "Single customer",
                    "service_address": "1 Service St",
                    "billing_address": "2 Billing Rd",
                    "phone_number": "555-0100",
                    "mobile": "555-0101",
                    "email_address": "single@example.com",
                    "custom_text1": "kept",
                }
            },
        )
    return d.trackops.post(
        "/clients",
        {
            "client": {
                "name": "Single client",
                "industry": "kept",
                "primary_location": {"name": "HQ", "state": "CO", "country": "US", "gate": 7},
            }
        },
    )


@pytest.mark.parametrize(
    ("door", "kind", "status"), [("kickserv", KICKSERV_KIND, 200), ("trackops", TRACKOPS_KIND, 201)]
)
def test_a_vendor_single_create_answers_with_its_own_document_and_leaves_the_rest(
    runtime: Runtime, http: TestClient, door: str, kind: str, status: int
) -> None:
    """Kickserv's and Trackops' creates go in as a batch of one: the answer is the document of
    the door's own kind, stored by the create's transaction with the native one (its event
    carries it) and nothing else; the other kinds wait in the backlog, and every door reads
    the client meanwhile exactly as it will once they are rendered, and as the tables render
    it."""
    d = Doors.new(runtime, http, f"Single {door} create")
    documents.drain(runtime.engine)
    answer = _vendor_create(d, door)
    assert answer.status_code == status, answer.text
    client_id = answer.json()["id"]
    assert _kinds_stored(runtime, [client_id]) == {client_id: {kind, "native"}}
    assert len(documents.backlog(runtime.engine)) == 1
    subject = d.subject(client_id)
    assert d.get_one(door, subject).content == answer.content
    assert _rows(runtime, d.account_id)[(client_id, kind)][1] == answer.content
    before = d.read([subject])
    assert documents.drain(runtime.engine) == 1
    assert _kinds_stored(runtime, [client_id]) == {client_id: set(documents.renderers())}
    assert differences(before, d.read([subject])) == {}
    d.rebuild()
    assert differences(before, d.read([subject])) == {}
    d.drop_documents()
    assert differences(before, d.read([subject])) == {}
    d.rebuild()


@pytest.mark.parametrize("door", ["kickserv", "trackops"])
def test_a_refused_vendor_create_writes_nothing_and_leaves_no_backlog(
    runtime: Runtime, http: TestClient, door: str
) -> None:
    d = Doors.new(runtime, http, f"Refused {door} create")
    documents.drain(runtime.engine)
    if door == "kickserv":
        answer = d.kickserv.post(
            "/customers.json", json={"customer": {"name": "Bad", "email_address": "nope"}}
        )
    else:
        answer = d.trackops.post("/clients", {"client": {"name": "Bad"}})
    assert answer.status_code == 422, answer.text
    assert documents.backlog(runtime.engine) == []
    assert d.native.all_clients() == []
    assert _rows(runtime, d.account_id) == {}


def test_a_refused_batch_leaves_no_backlog(runtime: Runtime, http: TestClient) -> None:
    d = Doors.new(runtime, http, "Refused batch")
    documents.drain(runtime.engine)
    answer = d.native.post(
        "/v1/clients/batch",
        json={
            "clients": [{"name": "Fine"}, {"name": "Bad", "email_addresses": [{"address": "x"}]}]
        },
    )
    assert answer.status_code == 422
    assert documents.backlog(runtime.engine) == []
    assert d.native.all_clients() == []
