"""POST /v1/clients/batch: up to 1,000 clients in one request, all created or none, by the rules
a single create follows, written through the import's batched path."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api, error_of
from tests.kickserv.conftest import Kickserv
from tests.tevo.conftest import Tevo


def _client(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "name": f"Batch Client {n}",
        "tags": ["batch", f"n{n}"],
        "addresses": [{"line1": f"{n} Main St", "city": "Denver", "is_primary": True}],
        "phone_numbers": [{"number": f"+1 303 555 {n:04d}", "is_primary": True}],
        "email_addresses": [{"address": f"client{n}@example.com", "is_primary": True}],
        **extra,
    }


def _batch(api: Api, clients: list[dict[str, Any]], **kw: Any) -> Any:
    return api.post("/v1/clients/batch", json={"clients": clients}, **kw)


def test_a_batch_creates_every_client_as_a_single_create_would(api: Api, other_api: Api) -> None:
    earlier = api.create_client(name="Earlier")
    answer = _batch(api, [_client(1), _client(2, external_id="ext-2"), _client(3)])
    assert answer.status_code == 201, answer.text
    created = answer.json()["data"]
    assert [c["name"] for c in created] == ["Batch Client 1", "Batch Client 2", "Batch Client 3"]
    assert [c["number"] for c in created] == [earlier["number"] + i for i in (1, 2, 3)]
    for client in created:
        shown = api.get(f"/v1/clients/{client['id']}")
        assert shown.status_code == 200
        assert shown.json() == client
    # What a single create of the same client answers, field for field (ids, numbers and
    # times aside).
    single = other_api.create_client(**_client(1))
    volatile = {"id", "number", "created_at", "updated_at", "client_id", "office_id"}

    def same(record: Any) -> Any:
        if isinstance(record, dict):
            return {k: same(v) for k, v in record.items() if k not in volatile}
        if isinstance(record, list):
            return [same(v) for v in record]
        return record

    assert same(created[0]) == same(single)
    # Found by search, by tag and through the other doors.
    assert [c["name"] for c in api.all_clients("&q=client2@example")] == ["Batch Client 2"]
    assert len(api.all_clients("&tag=batch")) == 3
    assert len(api.all_clients()) == 4
    assert api.all_clients("&external_id=ext-2")[0]["id"] == created[1]["id"]


def test_other_doors_see_a_batch(api: Api) -> None:
    created = _batch(api, [_client(1), _client(2)]).json()["data"]
    tevo = Tevo(api.http, api.credentials)
    shown = tevo.get(f"/clients/{created[0]['id']}").json()
    assert shown["name"] == "Batch Client 1"
    assert shown["primary_email_address"]["address"] == "client1@example.com"
    kickserv = Kickserv(api.http, api.credentials)
    customer = kickserv.get(f"/customers/{created[1]['number']}.json").json()
    assert customer["name"] == "Batch Client 2"


def test_one_bad_client_refuses_the_whole_batch_naming_it(api: Api, other_api: Api) -> None:
    before = api.create_client(name="Already Here")
    bad = _client(2, email_addresses=[{"address": "not an email"}])
    # The batch names the field as a single create does, behind the client's position.
    alone = other_api.post("/v1/clients", json=bad)
    assert alone.status_code == 422
    answer = _batch(api, [_client(1), bad, _client(3, website="x" * 600)])
    assert answer.status_code == 422, answer.text
    error = error_of(answer)
    assert error["field"] == f"clients[1].{error_of(alone)['field']}"
    assert error["message"].endswith(error_of(alone)["message"].split(": ", 1)[-1])
    fields = [d["field"] for d in error.get("details", [])]
    assert "clients[2].website" in fields, error
    assert [c["id"] for c in api.all_clients()] == [before["id"]]


def test_references_and_external_ids_are_checked_like_a_single_create(
    api: Api, other_api: Api
) -> None:
    theirs = other_api.post("/v1/companies", json={"name": "Not Yours"}).json()
    answer = _batch(api, [_client(1), _client(2, company_id=theirs["id"])])
    assert answer.status_code == 422
    assert error_of(answer)["field"] == "clients[1].company_id"

    mine = api.post("/v1/companies", json={"name": "Mine"}).json()
    answer = _batch(api, [_client(1, company_id=mine["id"])])
    assert answer.status_code == 201
    assert answer.json()["data"][0]["company_id"] == mine["id"]

    api.create_client(name="Holder", external_id="taken")
    answer = _batch(api, [_client(5), _client(6, external_id="taken")])
    assert answer.status_code == 409
    assert error_of(answer)["field"] == "clients[1].external_id"

    answer = _batch(api, [_client(7, external_id="twice"), _client(8, external_id="twice")])
    assert answer.status_code == 409
    assert error_of(answer)["field"] == "clients[1].external_id"
    names = {c["name"] for c in api.all_clients()}
    assert names == {"Batch Client 1", "Holder"}


def test_a_retried_batch_with_its_idempotency_key_creates_once(api: Api) -> None:
    headers = {"Idempotency-Key": "batch-42"}
    first = _batch(api, [_client(1), _client(2)], headers=headers)
    assert first.status_code == 201
    again = _batch(api, [_client(1), _client(2)], headers=headers)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert len(api.all_clients()) == 2
    reused = _batch(api, [_client(3)], headers=headers)
    assert reused.status_code == 422
    assert error_of(reused)["code"] == "idempotency_key_reused"
    assert len(api.all_clients()) == 2


def test_a_thousand_clients_are_taken_and_a_thousand_and_one_refused(api: Api) -> None:
    too_many = _batch(api, [{"name": f"C{n}"} for n in range(1001)])
    assert too_many.status_code == 422
    error = error_of(too_many)
    assert error["field"] == "clients"
    assert "at most 1000 clients in one batch (1001 sent)" in error["message"]
    assert api.all_clients() == []

    # The largest batch, with enough in each client to pass the single-request body limit.
    many = [_client(n, description="d" * 1200) for n in range(1000)]
    answer = _batch(api, many)
    assert answer.status_code == 201, answer.text[:300]
    assert len(answer.json()["data"]) == 1000
    page = api.get("/v1/clients", params={"limit": 100, "sort": "-number"}).json()
    assert page["data"][0]["name"] == "Batch Client 999"


def test_malformed_batches_are_refused(api: Api) -> None:
    cases = [
        ({"clients": []}, 422, "clients"),
        ({"clients": "everyone"}, 400, "clients"),
        ({"clients": [{"name": "A"}, 7]}, 400, "clients"),
        ({"clients": [{"name": "A"}], "extra": 1}, 422, "extra"),
        ({"clients": [{"name": "A", "addresses": "home"}]}, 400, "clients[0].addresses"),
        ({"clients": [{"name": "A", "colour": "red"}]}, 422, "clients[0].colour"),
    ]
    for body, status, field in cases:
        answer = api.post("/v1/clients/batch", json=body)
        assert answer.status_code == status, (body, answer.text)
        assert error_of(answer)["field"] == field, (body, answer.text)
    assert api.all_clients() == []
