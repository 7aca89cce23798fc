"""GET/POST /v9/clients, GET/PUT /v9/clients/{id}: envelopes, filters, rules and errors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import update

from rolodex.domain import documents
from rolodex.models import Client
from rolodex.runtime import Runtime
from tests.conftest import Api
from tests.tevo.conftest import Tevo
from tests.tevo.helpers import not_found, string_id, timestamp, without_times


def create_many(tevo: Tevo, *clients: dict[str, Any]) -> list[dict[str, Any]]:
    response = tevo.post("/clients", {"clients": list(clients)})
    assert response.status_code == 201, response.text
    return list(response.json()["clients"])


def refused(tevo: Tevo, *clients: dict[str, Any]) -> list[dict[str, Any]]:
    response = tevo.post("/clients", {"clients": list(clients)})
    assert response.status_code == 422, response.text
    assert list(response.json()) == ["clients"]
    return list(response.json()["clients"])


def errors_of_one(tevo: Tevo, client: dict[str, Any]) -> dict[str, list[str]]:
    [item] = refused(tevo, client)
    assert item == {
        "id": None,
        "name": client.get("name") if isinstance(client.get("name"), str) else None,
        "updated_at": None,
        "addresses": [],
        "email_addresses": [],
        "phone_numbers": [],
        "errors": item["errors"],
    }
    return dict(item["errors"])


# --- list ------------------------------------------------------------------------------------


def test_list_envelope_and_numbered_pages(tevo: Tevo) -> None:
    made = create_many(tevo, *({"name": f"Client Number{i}"} for i in range(5)))
    ids = [c["id"] for c in made]
    assert ids == sorted(ids, key=int)

    body = tevo.get("/clients").json()
    assert body == {"current_page": 1, "per_page": 100, "total_entries": 5, "clients": made}

    body = tevo.get("/clients", params={"page": 2, "per_page": 2}).json()
    assert (body["current_page"], body["per_page"], body["total_entries"]) == (2, 2, 5)
    assert [c["id"] for c in body["clients"]] == ids[2:4]
    assert [
        c["id"] for c in tevo.get("/clients", params={"page": 3, "per_page": 2}).json()["clients"]
    ] == ids[4:]
    assert tevo.get("/clients", params={"page": 4, "per_page": 2}).json()["clients"] == []


def test_per_page_is_at_most_100(tevo: Tevo) -> None:
    create_many(tevo, {"name": "Ned Flanders"})
    body = tevo.get("/clients", params={"per_page": 500}).json()
    assert (body["per_page"], body["total_entries"], len(body["clients"])) == (100, 1, 1)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": 0}, "page must be a positive integer"),
        ({"page": "two"}, "page must be a positive integer"),
        ({"page": "²"}, "page must be a positive integer"),
        ({"per_page": -1}, "per_page must be a positive integer"),
        ({"office_id": "main"}, "office_id must be an integer"),
        (
            {"created_at.gte": "yesterday"},
            "created_at.gte must be an ISO 8601 date or time, e.g. 2026-11-23 or "
            "2026-11-23T16:07:32Z",
        ),
    ],
)
def test_unreadable_list_parameters_are_400(
    tevo: Tevo, params: dict[str, Any], message: str
) -> None:
    response = tevo.get("/clients", params=params)
    assert response.status_code == 400
    assert response.json() == {"error": message}


def test_filter_by_exact_name_office_and_company(tevo: Tevo) -> None:
    company = tevo.post("/companies", {"companies": [{"name": "Leftorium"}]}).json()
    company_id = company["companies"][0]["id"]
    ned, _junior, _lower = create_many(
        tevo,
        {"name": "Ned Flanders", "company_id": company_id},
        {"name": "Ned Flanders Jr"},
        {"name": "ned flanders"},
    )

    def names(**params: Any) -> list[str]:
        body = tevo.get("/clients", params=params).json()
        assert body["total_entries"] == len(body["clients"])
        return [c["name"] for c in body["clients"]]

    assert names(name="Ned Flanders") == ["Ned Flanders"]
    assert names(name="Ned") == []
    assert names(company_id=company_id) == ["Ned Flanders"]
    assert names(office_id=tevo.office_id) == ["Ned Flanders", "Ned Flanders Jr", "ned flanders"]
    assert names(office_id=tevo.office_id + 100_000) == []
    assert names(name="Ned Flanders", company_id=int(company_id) + 1) == []
    assert ned["company"]["id"] == company_id


def set_times(runtime: Runtime, client_id: str, created: str, updated: str) -> None:
    """Test setup: give a client known timestamps."""

    def write(session: Any) -> None:
        session.execute(
            update(Client)
            .where(Client.id == int(client_id))
            .values(
                created_at=datetime.fromisoformat(created).replace(tzinfo=UTC),
                updated_at=datetime.fromisoformat(updated).replace(tzinfo=UTC),
            )
        )
        documents.touch(session, [int(client_id)])  # a Core write says which client changed

    runtime.run_sync(write, write=True)


def test_created_at_and_updated_at_conditions(tevo: Tevo, runtime: Runtime) -> None:
    a, b, c = create_many(
        tevo, {"name": "Client Alpha"}, {"name": "Client Bravo"}, {"name": "Client Charlie"}
    )
    set_times(runtime, a["id"], "2026-01-01T10:00:00.250", "2026-01-05T08:00:00")
    set_times(runtime, b["id"], "2026-01-02T00:00:00", "2026-01-05T08:00:00.999")
    set_times(runtime, c["id"], "2026-01-02T23:59:59.999", "2026-01-06T00:00:00")
    assert tevo.get(f"/clients/{a['id']}").json()["updated_at"] == "2026-01-05T08:00:00Z"

    def names(**params: Any) -> list[str]:
        body = tevo.get("/clients", params=params).json()
        assert body["total_entries"] == len(body["clients"])
        return [x["name"].split()[1] for x in body["clients"]]

    # A date is its whole day; a time to the second is that second.
    assert names(created_at="2026-01-02") == ["Bravo", "Charlie"]
    assert names(created_at="2026-01-01T10:00:00Z") == ["Alpha"]
    assert names(created_at="2026-01-01T10:00:00.250Z") == ["Alpha"]
    assert names(created_at="2026-01-01T10:00:00.251Z") == []
    assert names(**{"created_at.gte": "2026-01-02"}) == ["Bravo", "Charlie"]
    assert names(**{"created_at.gt": "2026-01-01"}) == ["Bravo", "Charlie"]
    assert names(**{"created_at.gt": "2026-01-02"}) == []
    assert names(**{"created_at.lt": "2026-01-02"}) == ["Alpha"]
    assert names(**{"created_at.lte": "2026-01-02T00:00:00Z"}) == ["Alpha", "Bravo"]
    assert names(**{"created_at[gte]": "2026-01-01T11:00:00+01:00"}) == [
        "Alpha",
        "Bravo",
        "Charlie",
    ]
    # An updated_at copied from a response matches its own record (its second).
    assert names(updated_at="2026-01-05T08:00:00Z") == ["Alpha", "Bravo"]
    assert names(**{"updated_at.gt": "2026-01-05T08:00:00Z"}) == ["Charlie"]
    # Conditions combine.
    assert names(**{"created_at.gte": "2026-01-02", "updated_at.lt": "2026-01-06"}) == ["Bravo"]


# --- show ------------------------------------------------------------------------------------


def test_show_is_the_bare_client(tevo: Tevo) -> None:
    made = tevo.create_client(name="Maude Flanders", notes="Pious")
    response = tevo.get(f"/clients/{made['id']}")
    assert response.status_code == 200
    assert response.json() == made
    assert made["notes"] == "Pious"


@pytest.mark.parametrize("ident", ["999999999", "abc", "0", "99999999999999999999", "²"])
def test_unknown_client_is_404(tevo: Tevo, ident: str) -> None:
    for method in ("GET", "PUT"):
        response = tevo.request(method, f"/clients/{ident}", json_body={"name": "Ned Flanders"})
        assert response.status_code == 404
        assert response.json() == not_found("Client", ident)


# --- create ----------------------------------------------------------------------------------


def test_create_takes_an_array_and_answers_every_client(tevo: Tevo, native: Api) -> None:
    made = create_many(tevo, {"name": "Homer Simpson"}, {"name": "Marge Simpson"})
    assert [c["name"] for c in made] == ["Homer Simpson", "Marge Simpson"]
    assert [c["id"] for c in made] == [str(c["id"]) for c in native.all_clients()]


def test_a_batch_is_all_or_nothing(tevo: Tevo, native: Api) -> None:
    items = refused(
        tevo,
        {"name": "Homer Simpson"},
        {"name": "Prince"},
        {"name": "Bart Simpson", "company_id": 987654321},
    )
    assert [i["errors"] for i in items] == [
        {},
        {"name": ["must include a space"]},
        {"company_id": ["no company with id 987654321"]},
    ]
    assert [i["name"] for i in items] == ["Homer Simpson", "Prince", "Bart Simpson"]
    assert all(i["id"] is None and i["updated_at"] is None for i in items)
    assert native.all_clients() == []


def test_name_must_include_a_space(tevo: Tevo) -> None:
    assert errors_of_one(tevo, {"name": "Prince"}) == {"name": ["must include a space"]}
    assert tevo.create_client(name="Prince Fielder")["name"] == "Prince Fielder"


@pytest.mark.parametrize(
    ("client", "errors"),
    [
        ({}, {"name": ["can't be blank"]}),
        ({"name": ""}, {"name": ["can't be blank"]}),
        ({"name": None}, {"name": ["can't be blank"]}),
        ({"name": "x " * 101}, {"name": ["is too long (maximum is 200 characters)"]}),
        (
            {"name": "Ned Flanders", "company": {"name": "Leftorium"}, "company_id": 1},
            {"company": ["can't be given together with company_id"]},
        ),
        ({"name": "Ned Flanders", "company": {"name": ""}}, {"company.name": ["can't be blank"]}),
        ({"name": "Ned Flanders", "company": "Leftorium"}, {"company": ["is invalid"]}),
        ({"name": "Ned Flanders", "office_id": "main"}, {"office_id": ["is not a valid id"]}),
        (
            {"name": "Ned Flanders", "addresses": [{"label": "l" * 21}]},
            {"addresses.label": ["is too long (maximum is 20 characters)"]},
        ),
        (
            {"name": "Ned Flanders", "addresses": [{"company": "c" * 51}]},
            {"addresses.company": ["is too long (maximum is 50 characters)"]},
        ),
        (
            {"name": "Ned Flanders", "addresses": [{"country_code": "USA"}]},
            {"addresses.country_code": ["must be a 2-letter ISO 3166-1 country code"]},
        ),
        (
            {"name": "Ned Flanders", "phone_numbers": [{"label": "cell"}]},
            {"phone_numbers.number": ["can't be blank"]},
        ),
        (
            {"name": "Ned Flanders", "phone_numbers": [{"number": "555", "label": "l" * 21}]},
            {"phone_numbers.label": ["is too long (maximum is 20 characters)"]},
        ),
        (
            {"name": "Ned Flanders", "phone_numbers": [{"number": "555", "area_code": "54100"}]},
            {"phone_numbers.area_code": ["is too long (maximum is 4 characters)"]},
        ),
        (
            {"name": "Ned Flanders", "email_addresses": [{"label": "home"}]},
            {"email_addresses.address": ["can't be blank"]},
        ),
        (
            {
                "name": "Ned Flanders",
                "email_addresses": [{"address": "ned@x.io", "label": "l" * 21}],
            },
            {"email_addresses.label": ["is too long (maximum is 20 characters)"]},
        ),
        (
            {"name": "Ned Flanders", "email_addresses": [{"address": "not an email"}]},
            {"email_addresses.address": ["must be an email address"]},
        ),
        (
            {
                "name": "Ned Flanders",
                "addresses": [{"is_primary_billing": True}, {"is_primary_billing": True}],
            },
            {"addresses.is_primary_billing": ["at most one may be set"]},
        ),
        (
            {"name": "Ned Flanders", "tags": [1, 2]},
            {"tags": ["must be an array of strings or a comma separated list"]},
        ),
        (
            {"name": "Ned Flanders", "balance": "12.345678"},
            {"balance": ["must have at most 4 decimal places"]},
        ),
        (
            {"name": "Ned Flanders", "addresses": {"street_address": "1 Main"}},
            {"addresses": ["must be an array of objects"]},
        ),
    ],
)
def test_validation_errors_in_the_vendor_shape(
    tevo: Tevo, native: Api, client: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    assert errors_of_one(tevo, client) == errors
    assert native.all_clients() == []


def test_every_problem_of_a_client_is_listed(tevo: Tevo) -> None:
    errors = errors_of_one(
        tevo,
        {
            "name": "Prince",
            "phone_numbers": [{"label": "cell"}],
            "email_addresses": [{"address": "nope"}],
        },
    )
    assert errors == {
        "name": ["must include a space"],
        "phone_numbers.number": ["can't be blank"],
        "email_addresses.address": ["must be an email address"],
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"clients": [}', "The body is not valid JSON."),
        ("", "param is missing or the value is empty: clients"),
        ('{"name": "Ned Flanders"}', "param is missing or the value is empty: clients"),
        (
            '{"clients": {"name": "Ned Flanders"}}',
            "param is missing or the value is empty: clients",
        ),
        ('{"clients": []}', "param is missing or the value is empty: clients"),
    ],
)
def test_unreadable_create_is_400(tevo: Tevo, native: Api, content: str, message: str) -> None:
    response = tevo.request("POST", "/clients", content=content)
    assert response.status_code == 400
    assert response.json() == {"error": message}
    assert native.all_clients() == []


def test_a_company_object_makes_a_new_company_every_time(tevo: Tevo, native: Api) -> None:
    first, second = create_many(
        tevo,
        {"name": "Ned Flanders", "company": {"name": "The Leftorium"}},
        {"name": "Rod Flanders", "company": {"name": "The Leftorium"}},
    )
    assert first["company"]["name"] == second["company"]["name"] == "The Leftorium"
    assert first["company"]["id"] != second["company"]["id"]
    companies = native.get("/v1/companies").json()["data"]
    assert sorted(str(c["id"]) for c in companies) == sorted(
        [first["company"]["id"], second["company"]["id"]]
    )
    # company_id links an existing one.
    third = tevo.create_client(name="Todd Flanders", company_id=first["company"]["id"])
    assert third["company"] == first["company"]
    assert len(native.get("/v1/companies").json()["data"]) == 2


def test_tags_as_an_array_or_a_comma_separated_list(tevo: Tevo) -> None:
    assert tevo.create_client(tags="VIP, Left Handed,,  ")["tags"] == ["VIP", "Left Handed"]
    assert tevo.create_client(tags=["b", "a", "b"])["tags"] == ["b", "a"]


def test_money_and_vendor_only_fields_round_trip(tevo: Tevo, native: Api) -> None:
    store = {"id": "7", "name": "Springfield Tickets", "affiliate": {"id": "3", "name": "CJ"}}
    made = tevo.create_client(
        balance="12.50",
        commission_junction_sid="CJ1234abc",
        pnr_id="PNR-77",
        affiliate_store=store,
    )
    assert made["balance"] == "12.5"
    assert (made["commission_junction_sid"], made["pnr_id"], made["affiliate_store"]) == (
        "CJ1234abc",
        "PNR-77",
        store,
    )
    assert tevo.get(f"/clients/{made['id']}").json() == made
    assert native.get(f"/v1/clients/{made['id']}").json()["balance"] == "12.50"

    response = tevo.put(f"/clients/{made['id']}", {"commission_junction_sid": None, "balance": 100})
    assert response.status_code == 200, response.text
    assert response.json()["commission_junction_sid"] is None
    assert response.json()["pnr_id"] == "PNR-77"
    assert response.json()["balance"] == "100.0"


# --- update ----------------------------------------------------------------------------------


def test_update_answers_the_bare_client(tevo: Tevo) -> None:
    made = tevo.create_client(name="Ned Flanders", notes="Neighbor", tags=["VIP"])
    response = tevo.put(f"/clients/{made['id']}", {"name": "Michael Starr"})
    assert response.status_code == 200, response.text
    updated = response.json()
    assert without_times(updated) == without_times({**made, "name": "Michael Starr"})
    assert tevo.get(f"/clients/{made['id']}").json() == updated


def test_tags_are_replaced_not_added(tevo: Tevo) -> None:
    made = tevo.create_client(tags=["VIP", "Left Handed"])
    updated = tevo.put(f"/clients/{made['id']}", {"tags": ["Mustache Afficianado"]}).json()
    assert updated["tags"] == ["Mustache Afficianado"]
    assert tevo.put(f"/clients/{made['id']}", {"tags": []}).json()["tags"] == []


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"name": "Prince"}, {"name": ["must include a space"]}),
        ({"name": ""}, {"name": ["can't be blank"]}),
        ({"name": None, "notes": "x"}, {"name": ["can't be blank"]}),
        ({"office_id": 987654321}, {"office_id": ["no office with id 987654321"]}),
        (
            {"primary_credit_card_id": 5},
            {"primary_credit_card_id": ["no credit card with id 5 belongs to this client"]},
        ),
        ({"primary_email_address_id": "x"}, {"primary_email_address_id": ["is not a valid id"]}),
    ],
)
def test_a_refused_update_answers_the_client_as_it_stands_with_errors(
    tevo: Tevo, body: dict[str, Any], errors: dict[str, list[str]]
) -> None:
    made = tevo.create_client(name="Ned Flanders", notes="Neighbor")
    response = tevo.put(f"/clients/{made['id']}", {**body, "tags": ["changed"]})
    assert response.status_code == 422, response.text
    assert response.json() == {**made, "errors": errors}
    assert tevo.get(f"/clients/{made['id']}").json() == made


def with_contact_points(tevo: Tevo) -> dict[str, Any]:
    return tevo.create_client(
        addresses=[
            {
                "label": "home",
                "street_address": "742 Evergreen Terrace",
                "is_primary_billing": True,
            },
            {"label": "work", "street_address": "7721 Springfield Mall Drive", "primary": True},
        ],
        phone_numbers=[{"number": "541-555-0123", "is_primary": True}, {"number": "541-555-0987"}],
        email_addresses=[{"address": "ned@example.com"}, {"address": "work@example.com"}],
    )


def test_primary_ids_pick_the_primaries(tevo: Tevo, native: Api) -> None:
    made = with_contact_points(tevo)
    # Newest first: the work address, then home; 0987 then 0123; work@ then ned@.
    work, home = made["addresses"]
    second_phone, first_phone = made["phone_numbers"]
    work_email, home_email = made["email_addresses"]
    assert (work["label"], second_phone["number"], work_email["address"]) == (
        "work",
        "541-555-0987",
        "work@example.com",
    )
    assert made["primary_billing_address"] == home
    assert made["primary_shipping_address"] is None
    assert made["primary_phone_number"] == first_phone
    assert made["primary_email_address"] is None

    response = tevo.put(
        f"/clients/{made['id']}",
        {
            "primary_billing_address_id": int(work["id"]),
            "primary_shipping_address_id": home["id"],
            "primary_phone_number_id": second_phone["id"],
            "primary_email_address_id": home_email["id"],
        },
    )
    assert response.status_code == 200, response.text
    client = response.json()
    assert client["primary_billing_address"]["id"] == work["id"]
    assert client["primary_shipping_address"]["id"] == home["id"]
    assert client["primary_phone_number"]["id"] == second_phone["id"]
    assert client["primary_email_address"]["id"] == home_email["id"]
    # Each flag moved: exactly one record holds it.
    assert [a["primary_billing_address"] for a in client["addresses"]] == [True, False]
    assert [a["primary_shipping_address"] for a in client["addresses"]] == [False, True]
    assert [a["primary"] for a in client["addresses"]] == [True, False]
    assert [p["primary"] for p in client["phone_numbers"]] == [True, False]
    assert [e["primary"] for e in client["email_addresses"]] == [False, True]

    through_native = native.get(f"/v1/clients/{made['id']}").json()
    by_id = {str(a["id"]): a for a in through_native["addresses"]}
    assert by_id[work["id"]]["is_primary_billing"] is True
    assert by_id[home["id"]]["is_primary_billing"] is False
    assert by_id[home["id"]]["is_primary_shipping"] is True
    phones = {str(p["id"]): p["is_primary"] for p in through_native["phone_numbers"]}
    assert phones == {second_phone["id"]: True, first_phone["id"]: False}

    # null leaves no record holding the flag; the others stay.
    cleared = tevo.put(f"/clients/{made['id']}", {"primary_billing_address_id": None}).json()
    assert cleared["primary_billing_address"] is None
    assert [a["primary_billing_address"] for a in cleared["addresses"]] == [False, False]
    assert cleared["primary_shipping_address"]["id"] == home["id"]
    assert cleared["primary_phone_number"]["id"] == second_phone["id"]


def test_a_primary_id_of_another_client_is_refused(tevo: Tevo) -> None:
    mine = with_contact_points(tevo)
    other = with_contact_points(tevo)
    response = tevo.put(
        f"/clients/{mine['id']}",
        {"name": "Renamed Client", "primary_phone_number_id": other["phone_numbers"][0]["id"]},
    )
    assert response.status_code == 422
    ident = other["phone_numbers"][0]["id"]
    assert response.json() == {
        **mine,
        "errors": {
            "primary_phone_number_id": [f"no phone number with id {ident} belongs to this client"]
        },
    }
    assert tevo.get(f"/clients/{mine['id']}").json() == mine


def test_update_company_links(tevo: Tevo, native: Api) -> None:
    made = tevo.create_client(company={"name": "The Leftorium"})
    company = made["company"]
    renamed = tevo.put(f"/clients/{made['id']}", {"company": {"name": "Leftorium Two"}}).json()
    assert renamed["company"]["name"] == "Leftorium Two"
    assert renamed["company"]["id"] != company["id"]
    relinked = tevo.put(f"/clients/{made['id']}", {"company_id": company["id"]}).json()
    assert relinked["company"] == company
    unlinked = tevo.put(f"/clients/{made['id']}", {"company_id": None}).json()
    assert unlinked["company"] is None
    assert len(native.get("/v1/companies").json()["data"]) == 2


def test_an_sdk_save_sends_the_whole_object_back_unchanged(tevo: Tevo, native: Api) -> None:
    """The Ruby SDK's `save` PUTs every attribute it read: read-only keys are ignored, the
    company object (which has an id) links that company, and nothing is duplicated."""
    made = with_contact_points(tevo)
    made = tevo.put(f"/clients/{made['id']}", {"company": {"name": "The Leftorium"}}).json()
    echo = {k: v for k, v in made.items() if k != "id"}
    response = tevo.put(f"/clients/{made['id']}", echo)
    assert response.status_code == 200, response.text
    assert without_times(response.json()) == without_times(made)
    assert len(native.get("/v1/companies").json()["data"]) == 1
    assert len(native.get(f"/v1/clients/{made['id']}/addresses").json()["data"]) == 2


def test_update_with_an_empty_body_changes_nothing(tevo: Tevo) -> None:
    made = tevo.create_client()
    response = tevo.request("PUT", f"/clients/{made['id']}", content="")
    assert response.status_code == 200
    assert response.json() == made
    assert timestamp(made["updated_at"])
    assert string_id(made["id"])


def test_office_id_as_a_string_or_null(tevo: Tevo) -> None:
    as_string, as_null = create_many(
        tevo,
        {"name": "Ned Flanders", "office_id": str(tevo.office_id)},
        {"name": "Rod Flanders", "office_id": None, "balance": None},
    )
    assert as_string["office"]["id"] == as_null["office"]["id"] == str(tevo.office_id)
    assert as_null["balance"] == "0.0"


def test_head_is_answered_like_get(tevo: Tevo) -> None:
    made = tevo.create_client()
    response = tevo.request("HEAD", f"/clients/{made['id']}")
    assert response.status_code == 200
    assert response.content == b""
