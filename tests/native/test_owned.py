"""Records a client owns, through the native API: locations, addresses, phone numbers, email
addresses, notes, jobs and payments under /v1/clients/{client_id}/."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.conftest import Api, error_of

STALE = {"If-Match": '"7"'}
PRECONDITION_FAILED = {
    "code": "precondition_failed",
    "message": "The resource has changed since it was read.",
    "field": None,
}


@dataclass(frozen=True)
class Kind:
    segment: str  # the path segment under /v1/clients/{client_id}/
    entity: str  # as named in a 404 message
    object: str  # the "object" field of its representation
    create: dict[str, Any]  # a valid create body, every value as it reads back
    patch: dict[str, Any]  # a valid patch body, every value as it reads back


LOCATIONS = Kind(
    "locations",
    "location",
    "location",
    {"name": "Main Location", "city": "Springfield", "country": "US", "phone": "541-555-0100"},
    {"city": "Shelbyville", "fax": "541-555-0199"},
)
ADDRESSES = Kind(
    "addresses",
    "address",
    "address",
    {
        "label": "work",
        "line1": "742 Evergreen Terrace",
        "city": "Springfield",
        "region": "OR",
        "postal_code": "97475",
        "country": "US",
        "latitude": 44.0462,
        "longitude": -123.0220,
    },
    {"line1": "744 Evergreen Terrace", "po_box": True},
)
PHONE_NUMBERS = Kind(
    "phone_numbers",
    "phone number",
    "phone_number",
    {"label": "cell", "country_code": "1", "number": "541-555-0573", "extension": "12"},
    {"label": "home", "extension": None},
)
EMAIL_ADDRESSES = Kind(
    "email_addresses",
    "email address",
    "email_address",
    {"label": "work", "address": "ned@leftorium.example"},
    {"address": "ned.flanders@leftorium.example"},
)
NOTES = Kind(
    "notes",
    "note",
    "note",
    {"body": "Called about the fence.", "author": "Ned"},
    {"author": "Maude"},
)
JOBS = Kind(
    "jobs",
    "job",
    "job",
    {
        "job_type": "Repair",
        "job_type_id": 4,
        "description": "Fix the fence",
        "scheduled_on": "2026-03-01T09:30:00.000Z",
    },
    {"status": "scheduled", "description": "Fix the gate"},
)
PAYMENTS = Kind(
    "payments",
    "payment",
    "payment",
    {"amount": "1464.27", "date": "2024-02-29", "payment_type": "Check", "reference": "1001"},
    {"reference": "1002", "notes": "Deposited"},
)
KINDS = [LOCATIONS, ADDRESSES, PHONE_NUMBERS, EMAIL_ADDRESSES, NOTES, JOBS, PAYMENTS]
BY_SEGMENT = {k.segment: k for k in KINDS}
EMBEDDED = [ADDRESSES, PHONE_NUMBERS, EMAIL_ADDRESSES]
ATTACHABLE = EMBEDDED  # the kinds that take a location_id


def segment_id(kind: Kind) -> str:
    return kind.segment


every_kind = pytest.mark.parametrize("kind", KINDS, ids=segment_id)


def base(client_id: int, kind: Kind) -> str:
    return f"/v1/clients/{client_id}/{kind.segment}"


def one(client_id: int, kind: Kind, record_id: int) -> str:
    return f"{base(client_id, kind)}/{record_id}"


def make(api: Api, client_id: int, kind: Kind, **fields: Any) -> dict[str, Any]:
    response = api.post(base(client_id, kind), json={**kind.create, **fields})
    assert response.status_code == 201, response.text
    return dict(response.json())


def listing(api: Api, client_id: int, kind: Kind, query: str = "") -> list[dict[str, Any]]:
    response = api.get(f"{base(client_id, kind)}?limit=100{query}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["has_more"] is False and body["next_cursor"] is None
    return list(body["data"])


def ids(records: list[dict[str, Any]]) -> list[int]:
    return [r["id"] for r in records]


def not_found(entity: str, ident: int) -> dict[str, Any]:
    return {"code": "not_found", "message": f"No {entity} with id {ident}.", "field": None}


def refused(response: Any, field: str) -> None:
    assert response.status_code == 422, response.text
    error = error_of(response)
    assert error["code"] == "validation_failed"
    assert error["field"] == field


# --- what every kind shares ------------------------------------------------------------------


@every_kind
def test_create_returns_the_record_and_get_reads_it_back(api: Api, kind: Kind) -> None:
    cid = api.create_client()["id"]
    response = api.post(base(cid, kind), json=kind.create)
    assert response.status_code == 201, response.text
    created = response.json()
    assert response.headers["location"] == one(cid, kind, created["id"])
    assert response.headers["etag"] == '"1"'
    assert created["object"] == kind.object
    assert created["client_id"] == cid
    for key, value in kind.create.items():
        assert created[key] == value, key
    assert created["created_at"].endswith("Z") and created["updated_at"].endswith("Z")

    fetched = api.get(one(cid, kind, created["id"]))
    assert fetched.status_code == 200
    assert fetched.json() == created
    assert fetched.headers["etag"] == '"1"'


@every_kind
def test_list_pages_through_the_clients_records_only(api: Api, kind: Kind) -> None:
    cid = api.create_client(name="Owner")["id"]
    neighbour = api.create_client(name="Neighbour")["id"]
    make(api, neighbour, kind)
    made = [make(api, cid, kind) for _ in range(3)]

    first = api.get(f"{base(cid, kind)}?limit=2")
    assert first.status_code == 200
    page = first.json()
    assert set(page) == {"data", "has_more", "next_cursor"}
    assert page["data"] == made[:2]
    assert page["has_more"] is True
    assert isinstance(page["next_cursor"], str) and page["next_cursor"]

    second = api.get(f"{base(cid, kind)}?limit=2&cursor={page['next_cursor']}").json()
    assert second == {"data": made[2:], "has_more": False, "next_cursor": None}


@every_kind
def test_patch_changes_only_what_it_names(api: Api, kind: Kind) -> None:
    cid = api.create_client()["id"]
    created = make(api, cid, kind)
    response = api.patch(one(cid, kind, created["id"]), json=kind.patch)
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"2"'
    updated = response.json()
    for key, value in kind.patch.items():
        assert updated[key] == value, key
    for key in set(created) - set(kind.patch) - {"updated_at"}:
        assert updated[key] == created[key], key
    assert updated["updated_at"] >= created["updated_at"]

    fetched = api.get(one(cid, kind, created["id"]))
    assert fetched.json() == updated
    assert fetched.headers["etag"] == '"2"'


@every_kind
def test_delete_is_204_then_404(api: Api, kind: Kind) -> None:
    cid = api.create_client()["id"]
    kept = make(api, cid, kind)
    gone = make(api, cid, kind)
    path = one(cid, kind, gone["id"])
    response = api.delete(path)
    assert response.status_code == 204
    assert response.content == b""
    for again in (api.get(path), api.patch(path, json=kind.patch), api.delete(path)):
        assert again.status_code == 404
        assert error_of(again) == not_found(kind.entity, gone["id"])
    assert listing(api, cid, kind) == [kept]


@every_kind
def test_a_record_under_another_client_is_404_and_left_alone(api: Api, kind: Kind) -> None:
    owner = api.create_client(name="Owner")["id"]
    stranger = api.create_client(name="Stranger")["id"]
    record = make(api, owner, kind)
    wrong = one(stranger, kind, record["id"])
    for response in (
        api.get(wrong),
        api.patch(wrong, json=kind.patch),
        api.delete(wrong),
        api.patch(wrong, json=kind.patch, headers={"If-Match": '"1"'}),
        api.delete(wrong, headers={"If-Match": '"1"'}),
    ):
        assert response.status_code == 404
        assert error_of(response) == not_found(kind.entity, record["id"])
    assert listing(api, stranger, kind) == []
    right = api.get(one(owner, kind, record["id"]))
    assert right.status_code == 200
    assert right.json() == record
    assert right.headers["etag"] == '"1"'


@every_kind
def test_another_accounts_client_is_404(api: Api, other_api: Api, kind: Kind) -> None:
    cid = api.create_client()["id"]
    record = make(api, cid, kind)
    path = one(cid, kind, record["id"])
    for response in (
        other_api.get(base(cid, kind)),
        other_api.post(base(cid, kind), json=kind.create),
        other_api.get(path),
        other_api.patch(path, json=kind.patch),
        other_api.delete(path),
    ):
        assert response.status_code == 404
        assert error_of(response) == not_found("client", cid)
    assert listing(api, cid, kind) == [record]
    assert api.get(path).headers["etag"] == '"1"'


@every_kind
def test_if_match_guards_patch_and_delete(api: Api, kind: Kind) -> None:
    cid = api.create_client()["id"]
    record = make(api, cid, kind)
    path = one(cid, kind, record["id"])

    for response in (
        api.patch(path, json=kind.patch, headers=STALE),
        api.delete(path, headers=STALE),
    ):
        assert response.status_code == 412
        assert error_of(response) == PRECONDITION_FAILED
    unchanged = api.get(path)
    assert unchanged.json() == record
    assert unchanged.headers["etag"] == '"1"'

    patched = api.patch(path, json=kind.patch, headers={"If-Match": '"1"'})
    assert patched.status_code == 200, patched.text
    assert patched.headers["etag"] == '"2"'
    stale = api.delete(path, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert api.get(path).json() == patched.json()
    assert api.delete(path, headers={"If-Match": '"2"'}).status_code == 204
    assert api.get(path).status_code == 404


# --- primary flags ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("segment", "flag"),
    [
        ("locations", "is_primary"),
        ("addresses", "is_primary"),
        ("addresses", "is_primary_billing"),
        ("addresses", "is_primary_shipping"),
        ("phone_numbers", "is_primary"),
        ("email_addresses", "is_primary"),
    ],
)
def test_a_primary_flag_moves_instead_of_doubling(api: Api, segment: str, flag: str) -> None:
    kind = BY_SEGMENT[segment]
    cid = api.create_client(name="Owner")["id"]
    neighbour = api.create_client(name="Neighbour")["id"]
    theirs = make(api, neighbour, kind, **{flag: True})

    first = make(api, cid, kind, **{flag: True})
    assert first[flag] is True
    second = make(api, cid, kind, **{flag: True})
    assert second[flag] is True
    demoted = api.get(one(cid, kind, first["id"]))
    assert demoted.json()[flag] is False
    assert demoted.headers["etag"] == '"2"'  # its representation changed
    assert {r["id"]: r[flag] for r in listing(api, cid, kind)} == {
        first["id"]: False,
        second["id"]: True,
    }

    response = api.patch(one(cid, kind, first["id"]), json={flag: True})
    assert response.status_code == 200, response.text
    assert response.json()[flag] is True
    assert {r["id"]: r[flag] for r in listing(api, cid, kind)} == {
        first["id"]: True,
        second["id"]: False,
    }

    untouched = api.get(one(neighbour, kind, theirs["id"]))
    assert untouched.json()[flag] is True
    assert untouched.headers["etag"] == '"1"'


def test_address_primary_flags_move_independently(api: Api) -> None:
    cid = api.create_client()["id"]
    first = make(api, cid, ADDRESSES, is_primary=True, is_primary_billing=True)
    second = make(api, cid, ADDRESSES, is_primary_shipping=True)
    kept = api.get(one(cid, ADDRESSES, first["id"]))
    assert kept.json() == first
    assert kept.headers["etag"] == '"1"'

    response = api.patch(one(cid, ADDRESSES, second["id"]), json={"is_primary_billing": True})
    assert response.status_code == 200, response.text
    flags = ("is_primary", "is_primary_billing", "is_primary_shipping")
    assert {r["id"]: tuple(r[f] for f in flags) for r in listing(api, cid, ADDRESSES)} == {
        first["id"]: (True, False, False),
        second["id"]: (False, True, True),
    }


# --- location_id and job_id ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ATTACHABLE, ids=segment_id)
def test_location_id_must_name_a_location_of_the_same_client(api: Api, kind: Kind) -> None:
    cid = api.create_client(name="Owner")["id"]
    neighbour = api.create_client(name="Neighbour")["id"]
    mine = make(api, cid, LOCATIONS)["id"]
    theirs = make(api, neighbour, LOCATIONS)["id"]

    for bad in (theirs, 999_999_999):
        response = api.post(base(cid, kind), json={**kind.create, "location_id": bad})
        refused(response, "location_id")
    assert listing(api, cid, kind) == []

    attached = make(api, cid, kind, location_id=mine)
    assert attached["location_id"] == mine
    loose = make(api, cid, kind)
    assert loose["location_id"] is None
    assert listing(api, cid, kind, f"&location_id={mine}") == [attached]
    assert listing(api, cid, kind, f"&location_id={theirs}") == []
    assert ids(listing(api, cid, kind)) == [attached["id"], loose["id"]]

    response = api.patch(one(cid, kind, loose["id"]), json={"location_id": theirs})
    refused(response, "location_id")
    unchanged = api.get(one(cid, kind, loose["id"]))
    assert unchanged.json() == loose
    assert unchanged.headers["etag"] == '"1"'

    moved = api.patch(one(cid, kind, loose["id"]), json={"location_id": mine})
    assert moved.status_code == 200, moved.text
    assert moved.json()["location_id"] == mine
    assert ids(listing(api, cid, kind, f"&location_id={mine}")) == [attached["id"], loose["id"]]


def test_a_note_may_name_a_job_of_the_same_client_only(api: Api) -> None:
    cid = api.create_client(name="Owner")["id"]
    neighbour = api.create_client(name="Neighbour")["id"]
    job = make(api, cid, JOBS)["id"]
    their_job = make(api, neighbour, JOBS)["id"]

    for bad in (their_job, 999_999_999):
        refused(api.post(base(cid, NOTES), json={"body": "x", "job_id": bad}), "job_id")
    assert listing(api, cid, NOTES) == []

    on_job = make(api, cid, NOTES, job_id=job)
    assert on_job["job_id"] == job
    general = make(api, cid, NOTES)
    assert general["job_id"] is None
    assert listing(api, cid, NOTES, f"&job_id={job}") == [on_job]
    assert ids(listing(api, cid, NOTES)) == [on_job["id"], general["id"]]

    refused(api.patch(one(cid, NOTES, general["id"]), json={"job_id": their_job}), "job_id")
    assert api.get(one(cid, NOTES, general["id"])).json() == general
    assert listing(api, cid, NOTES, f"&job_id={job}") == [on_job]


# --- jobs ------------------------------------------------------------------------------------


def test_jobs_are_numbered_per_account_with_a_default_status(api: Api, other_api: Api) -> None:
    first = api.create_client(name="First")["id"]
    second = api.create_client(name="Second")["id"]
    jobs = [api.post(base(cid, JOBS), json={}).json() for cid in (first, first, second)]
    assert [j["number"] for j in jobs] == [1, 2, 3]
    assert [j["status"] for j in jobs] == ["unscheduled"] * 3
    theirs = other_api.create_client()["id"]
    assert other_api.post(base(theirs, JOBS), json={}).json()["number"] == 1
    # a patch cannot renumber a job
    response = api.patch(one(first, JOBS, jobs[0]["id"]), json={"number": 9})
    refused(response, "number")
    assert api.get(one(first, JOBS, jobs[0]["id"])).json()["number"] == 1


def test_jobs_filter_by_any_of_several_statuses(api: Api) -> None:
    cid = api.create_client()["id"]
    made = {
        status: make(api, cid, JOBS, status=status)["id"]
        for status in ("unscheduled", "scheduled", "complete", "in_progress")
    }
    both = listing(api, cid, JOBS, "&status=scheduled&status=complete")
    assert ids(both) == [made["scheduled"], made["complete"]]
    assert ids(listing(api, cid, JOBS, "&status=in_progress")) == [made["in_progress"]]
    assert listing(api, cid, JOBS, "&status=cancelled") == []
    assert len(listing(api, cid, JOBS)) == 4


# --- payments --------------------------------------------------------------------------------


def test_payment_amounts_are_exact_decimals(api: Api) -> None:
    cid = api.create_client()["id"]
    big = make(api, cid, PAYMENTS, amount="1464.27")
    assert big["amount"] == "1464.27"
    tenth = make(api, cid, PAYMENTS, amount="0.1")
    fifth = make(api, cid, PAYMENTS, amount="0.2")
    assert (tenth["amount"], fifth["amount"]) == ("0.10", "0.20")
    number = make(api, cid, PAYMENTS, amount=12.5)
    assert number["amount"] == "12.50"
    fine = make(api, cid, PAYMENTS, amount="0.0001")
    assert fine["amount"] == "0.0001"
    listed = listing(api, cid, PAYMENTS)
    assert [p["amount"] for p in listed] == ["1464.27", "0.10", "0.20", "12.50", "0.0001"]
    assert api.get(one(cid, PAYMENTS, big["id"])).json()["amount"] == "1464.27"

    for amount in ("1.00001", 0.30000000000000004, "-1.00", "lots"):
        refused(api.post(base(cid, PAYMENTS), json={"amount": amount}), "amount")
    refused(api.post(base(cid, PAYMENTS), json={"payment_type": "Cash"}), "amount")
    refused(api.patch(one(cid, PAYMENTS, big["id"]), json={"amount": "1.00001"}), "amount")
    assert listing(api, cid, PAYMENTS) == listed


def test_payment_date_defaults_to_today(api: Api) -> None:
    cid = api.create_client()["id"]
    before = datetime.now(UTC).date().isoformat()
    response = api.post(base(cid, PAYMENTS), json={"amount": "10.00"})
    assert response.status_code == 201, response.text
    payment = response.json()
    after = datetime.now(UTC).date().isoformat()
    assert payment["date"] in {before, after}
    assert make(api, cid, PAYMENTS, date="2024-02-29")["date"] == "2024-02-29"
    refused(api.post(base(cid, PAYMENTS), json={"amount": "1", "date": "29/02/2024"}), "date")


def test_a_payment_applies_to_the_clients_jobs(api: Api) -> None:
    cid = api.create_client()["id"]
    job = make(api, cid, JOBS)["id"]
    other_job = make(api, cid, JOBS)["id"]

    whole = make(api, cid, PAYMENTS, amount="1464.27", applications=[{"job_id": job}])
    assert whole["applications"] == [{"job_id": job, "amount": "1464.27"}]
    assert api.get(one(cid, PAYMENTS, whole["id"])).json() == whole

    split = make(
        api,
        cid,
        PAYMENTS,
        amount="0.3",
        applications=[{"job_id": job, "amount": "0.1"}, {"job_id": other_job, "amount": "0.2"}],
    )
    assert split["amount"] == "0.30"
    assert split["applications"] == [
        {"job_id": job, "amount": "0.10"},
        {"job_id": other_job, "amount": "0.20"},
    ]
    rest = make(
        api,
        cid,
        PAYMENTS,
        amount="100",
        applications=[{"job_id": job, "amount": "30.25"}, {"job_id": other_job}],
    )
    assert rest["applications"] == [
        {"job_id": job, "amount": "30.25"},
        {"job_id": other_job, "amount": "69.75"},
    ]


def test_payment_applications_are_checked_and_nothing_is_created(api: Api) -> None:
    cid = api.create_client(name="Owner")["id"]
    neighbour = api.create_client(name="Neighbour")["id"]
    job = make(api, cid, JOBS)["id"]
    their_job = make(api, neighbour, JOBS)["id"]
    existing = make(api, cid, PAYMENTS)

    response = api.post(
        base(cid, PAYMENTS), json={"amount": "50.00", "applications": [{"job_id": their_job}]}
    )
    refused(response, "applications.0.job_id")
    response = api.post(
        base(cid, PAYMENTS),
        json={
            "amount": "50.00",
            "applications": [{"job_id": job, "amount": "30"}, {"job_id": job, "amount": "20.01"}],
        },
    )
    refused(response, "applications.1.amount")
    assert listing(api, cid, PAYMENTS) == [existing]
    assert listing(api, neighbour, PAYMENTS) == []

    response = api.patch(
        one(cid, PAYMENTS, existing["id"]), json={"applications": [{"job_id": job}]}
    )
    assert response.status_code == 400
    assert error_of(response)["field"] == "applications"
    assert api.get(one(cid, PAYMENTS, existing["id"])).json() == existing


def test_a_bad_application_amount_names_the_application(api: Api) -> None:
    cid = api.create_client()["id"]
    job = make(api, cid, JOBS)["id"]
    for amount in ("-5", "1.00001"):
        response = api.post(
            base(cid, PAYMENTS),
            json={"amount": "100", "applications": [{"job_id": job, "amount": amount}]},
        )
        refused(response, "applications.0.amount")
    assert listing(api, cid, PAYMENTS) == []


def test_a_payment_cannot_shrink_below_what_is_applied(api: Api) -> None:
    cid = api.create_client()["id"]
    job = make(api, cid, JOBS)["id"]
    payment = make(api, cid, PAYMENTS, amount="100.00", applications=[{"job_id": job}])
    path = one(cid, PAYMENTS, payment["id"])
    refused(api.patch(path, json={"amount": "50.00"}), "amount")
    assert api.get(path).json() == payment


def test_deleting_a_job_moves_the_etag_of_a_payment_applied_to_it(api: Api) -> None:
    cid = api.create_client()["id"]
    job = make(api, cid, JOBS)["id"]
    payment = make(api, cid, PAYMENTS, amount="100.00", applications=[{"job_id": job}])
    path = one(cid, PAYMENTS, payment["id"])
    assert api.delete(one(cid, JOBS, job)).status_code == 204
    after = api.get(path)
    assert after.json()["applications"] == []
    assert after.headers["etag"] != '"1"'


# --- the client embeds its addresses, phone numbers and email addresses -----------------------


@pytest.mark.parametrize("kind", EMBEDDED, ids=segment_id)
def test_embedded_changes_move_the_clients_etag(api: Api, kind: Kind) -> None:
    cid = api.create_client()["id"]
    seen = [api.get(f"/v1/clients/{cid}").headers["etag"]]

    def client_now() -> dict[str, Any]:
        response = api.get(f"/v1/clients/{cid}")
        assert response.headers["etag"] not in seen
        seen.append(response.headers["etag"])
        return dict(response.json())

    record = make(api, cid, kind)
    assert client_now()[kind.segment] == [record]
    patched = api.patch(one(cid, kind, record["id"]), json=kind.patch).json()
    assert client_now()[kind.segment] == [patched]
    assert api.delete(one(cid, kind, record["id"])).status_code == 204
    assert client_now()[kind.segment] == []


@pytest.mark.parametrize("kind", EMBEDDED, ids=segment_id)
def test_refused_embedded_writes_leave_the_client_alone(api: Api, kind: Kind) -> None:
    cid = api.create_client()["id"]
    record = make(api, cid, kind)
    before = api.get(f"/v1/clients/{cid}")
    path = one(cid, kind, record["id"])
    assert api.patch(path, json=kind.patch, headers=STALE).status_code == 412
    assert api.delete(path, headers=STALE).status_code == 412
    refused(api.patch(path, json={"label": "x" * 51}), "label")
    refused(api.post(base(cid, kind), json={**kind.create, "label": "x" * 51}), "label")
    after = api.get(f"/v1/clients/{cid}")
    assert after.headers["etag"] == before.headers["etag"]
    assert after.json() == before.json()


def test_deleting_a_location_moves_the_etag_of_the_client_embedding_its_records(
    api: Api,
) -> None:
    cid = api.create_client()["id"]
    location = make(api, cid, LOCATIONS)["id"]
    phone = make(api, cid, PHONE_NUMBERS, location_id=location)
    before = api.get(f"/v1/clients/{cid}")
    assert before.json()["phone_numbers"] == [phone]
    assert api.delete(one(cid, LOCATIONS, location)).status_code == 204
    assert api.get(one(cid, PHONE_NUMBERS, phone["id"])).status_code == 404
    after = api.get(f"/v1/clients/{cid}")
    assert after.json()["phone_numbers"] == []
    assert after.headers["etag"] != before.headers["etag"]


def test_deleting_a_location_drops_its_phones_and_emails_from_search(api: Api) -> None:
    cid = api.create_client(name="Ned Flanders")["id"]
    location = make(api, cid, LOCATIONS)["id"]
    make(api, cid, PHONE_NUMBERS, number="541-555-0199", location_id=location)
    make(api, cid, EMAIL_ADDRESSES, address="ned@church.example", location_id=location)
    assert [c["id"] for c in api.all_clients("&q=5415550199")] == [cid]
    assert api.delete(one(cid, LOCATIONS, location)).status_code == 204
    assert api.all_clients("&q=5415550199") == []
    assert api.all_clients("&q=church.example") == []


# --- field validation ------------------------------------------------------------------------


def test_country_codes_are_two_letters_stored_upper_case(api: Api) -> None:
    cid = api.create_client()["id"]
    for kind in (ADDRESSES, LOCATIONS):
        assert make(api, cid, kind, country="us")["country"] == "US"
        refused(api.post(base(cid, kind), json={**kind.create, "country": "USA"}), "country")
        assert len(listing(api, cid, kind)) == 1


@pytest.mark.parametrize(
    ("segment", "body", "field"),
    [
        ("addresses", {"country": "USA"}, "country"),
        ("addresses", {"country": "u1"}, "country"),
        ("addresses", {"label": "x" * 51}, "label"),
        ("addresses", {"latitude": 91}, "latitude"),
        ("addresses", {"longitude": -180.5}, "longitude"),
        ("addresses", {"location_id": "1"}, "location_id"),
        ("addresses", {"colour": "red"}, "colour"),
        ("phone_numbers", {"number": None}, "number"),
        ("phone_numbers", {"number": "  "}, "number"),
        ("phone_numbers", {"label": "x" * 51}, "label"),
        ("phone_numbers", {"country_code": "one"}, "country_code"),
        ("email_addresses", {"address": "ned.example.com"}, "address"),
        ("email_addresses", {"label": "x" * 51}, "label"),
        ("locations", {"name": ""}, "name"),
        ("locations", {"is_primary": "yes"}, "is_primary"),
        ("notes", {"body": None}, "body"),
        ("jobs", {"status": "Not A Slug!"}, "status"),
        ("jobs", {"scheduled_on": "next tuesday"}, "scheduled_on"),
        ("payments", {"amount": "1.00001"}, "amount"),
    ],
)
def test_a_refused_write_changes_nothing(
    api: Api, segment: str, body: dict[str, Any], field: str
) -> None:
    kind = BY_SEGMENT[segment]
    cid = api.create_client()["id"]
    existing = make(api, cid, kind)
    refused(api.post(base(cid, kind), json={**kind.create, **body}), field)
    refused(api.patch(one(cid, kind, existing["id"]), json=body), field)
    assert listing(api, cid, kind) == [existing]
    assert api.get(one(cid, kind, existing["id"])).headers["etag"] == '"1"'


@pytest.mark.parametrize(
    ("segment", "body", "field"),
    [
        ("phone_numbers", {"label": "cell"}, "number"),
        ("email_addresses", {"label": "work"}, "address"),
        ("locations", {"city": "Springfield"}, "name"),
        ("notes", {"author": "Ned"}, "body"),
        ("payments", {"reference": "1001"}, "amount"),
    ],
)
def test_a_create_without_a_required_field_is_refused(
    api: Api, segment: str, body: dict[str, Any], field: str
) -> None:
    kind = BY_SEGMENT[segment]
    cid = api.create_client()["id"]
    response = api.post(base(cid, kind), json=body)
    refused(response, field)
    assert error_of(response)["message"] == f"{field}: is required"
    assert listing(api, cid, kind) == []
