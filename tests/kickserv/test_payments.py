"""Payments: created on a job (POST /jobs/{job_number}/payments.json, which also applies them to
the job), listed and deleted under their customer, and read, changed or deleted under the job."""

from __future__ import annotations

from typing import Any

import pytest

from tests.kickserv.conftest import TIMESTAMP, Kickserv, errors_of

PAYMENT_KEYS = [
    "id",
    "amount",
    "date",
    "payment_type",
    "notes",
    "ref_number",
    "payment_application_ids",
    "created_at",
    "updated_at",
    "txn_id",
    "status",
    "stripe_payment_id",
    "qb_error",
    "updated_by",
]
INVALID_PAYMENT = {"base": ["Invalid payment."]}


def pay(ks: Kickserv, job_number: int, **fields: Any) -> dict[str, Any]:
    fields.setdefault("amount", "1464.27")
    response = ks.post(f"/jobs/{job_number}/payments.json", json={"payment": fields})
    return dict(ks.ok(response))


@pytest.fixture
def job(ks: Kickserv) -> dict[str, Any]:
    ks.create_customer()
    return ks.create_job(1)


def test_post_creates_the_payment_and_its_application(ks: Kickserv, job: dict[str, Any]) -> None:
    body = pay(
        ks,
        1,
        amount="1464.27",
        date="2022-05-09",
        payment_type="Credit Card (Online)",
        notes="Thanks",
        ref_number="1001",
        status="credit_card_transaction_complete",
    )
    assert list(body) == PAYMENT_KEYS
    assert TIMESTAMP.match(body["created_at"])
    assert len(body["payment_application_ids"]) == 1
    assert isinstance(body["payment_application_ids"][0], int)
    assert body == {
        "id": body["id"],
        "amount": "1464.27",
        "date": "2022-05-09",
        "payment_type": "Credit Card (Online)",
        "notes": "Thanks",
        "ref_number": "1001",
        "payment_application_ids": body["payment_application_ids"],
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
        "txn_id": None,
        "status": "credit_card_transaction_complete",
        "stripe_payment_id": None,
        "qb_error": None,
        "updated_by": None,
    }
    assert ks.ok(ks.get("/customers/1/payments.json")) == [body]
    assert ks.ok(ks.get("/jobs/1/payments.json")) == [body]
    assert ks.ok(ks.get(f"/jobs/1/payments/{body['id']}.json")) == body


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(1464.27, "1464.27"), (100, "100.00"), ("12.5", "12.50"), ("0.1234", "0.1234")],
)
def test_amounts_are_decimal_strings(
    ks: Kickserv, job: dict[str, Any], amount: Any, shown: str
) -> None:
    assert pay(ks, 1, amount=amount)["amount"] == shown


def test_date_defaults_to_today(ks: Kickserv, job: dict[str, Any]) -> None:
    from datetime import UTC, datetime

    before = datetime.now(UTC).date().isoformat()
    paid = pay(ks, 1)["date"]
    assert before <= paid <= datetime.now(UTC).date().isoformat()


def test_customer_payments_list_newest_first(ks: Kickserv, job: dict[str, Any]) -> None:
    ks.create_customer(name="Other")
    ks.create_job(2)
    first = pay(ks, 1, ref_number="1")
    second = pay(ks, 1, ref_number="2")
    elsewhere = pay(ks, 2, ref_number="3")
    assert ks.ok(ks.get("/customers/1/payments.json")) == [second, first]
    assert ks.ok(ks.get("/customers/2/payments.json")) == [elsewhere]
    assert ks.ok(ks.get("/customers/1/payments.json?per_page=1&page=2")) == [first]


def test_delete_under_the_customer_answers_the_payment(ks: Kickserv, job: dict[str, Any]) -> None:
    keep = pay(ks, 1, ref_number="keep")
    gone = pay(ks, 1, ref_number="gone")
    # The seed's example: DELETE /customers/380/payments/24601.json deletes it and returns it.
    assert ks.ok(ks.delete(f"/customers/1/payments/{gone['id']}.json")) == gone
    assert ks.ok(ks.get("/customers/1/payments.json")) == [keep]
    assert errors_of(ks.delete(f"/customers/1/payments/{gone['id']}.json"), 404) == INVALID_PAYMENT


def test_a_payment_of_another_customer_is_404_and_untouched(
    ks: Kickserv, job: dict[str, Any]
) -> None:
    ks.create_customer(name="Other")
    payment = pay(ks, 1)
    assert errors_of(ks.delete(f"/customers/2/payments/{payment['id']}.json"), 404) == (
        INVALID_PAYMENT
    )
    assert ks.ok(ks.get("/customers/1/payments.json")) == [payment]


def test_under_the_job_a_payment_can_be_changed_or_deleted(
    ks: Kickserv, job: dict[str, Any]
) -> None:
    ks.create_job(1)
    payment = pay(ks, 1, amount="50", payment_type="Cash")
    path = f"/jobs/1/payments/{payment['id']}.json"
    changed = ks.ok(ks.put(path, json={"payment": {"notes": "Deposited", "amount": "75.00"}}))
    assert (changed["notes"], changed["amount"], changed["payment_type"]) == (
        "Deposited",
        "75.00",
        "Cash",
    )
    assert changed["payment_application_ids"] == payment["payment_application_ids"]
    refused = ks.put(path, json={"payment": {"amount": "10"}})
    assert errors_of(refused, 422) == {
        "amount": ["is less than what is already applied to jobs (50.00)"]
    }
    # Not applied to job 2: not reachable through it.
    assert errors_of(ks.get(f"/jobs/2/payments/{payment['id']}.json"), 404) == INVALID_PAYMENT
    assert errors_of(ks.delete(f"/jobs/2/payments/{payment['id']}.json"), 404) == INVALID_PAYMENT
    assert ks.ok(ks.delete(path)) == changed
    assert ks.ok(ks.get("/jobs/1/payments.json")) == []


def test_deleting_the_job_keeps_the_payment_without_its_application(
    ks: Kickserv, job: dict[str, Any]
) -> None:
    payment = pay(ks, 1)
    ks.ok(ks.delete("/customers/1/jobs/1.json"))
    [kept] = ks.ok(ks.get("/customers/1/payments.json"))
    assert kept["id"] == payment["id"]
    assert kept["payment_application_ids"] == []


def test_payment_validation(ks: Kickserv, job: dict[str, Any]) -> None:
    response = ks.post(
        "/jobs/1/payments.json",
        json={"payment": {"date": "05/09/2022", "ref_number": "x" * 101, "payment_type": "Check"}},
    )
    assert errors_of(response, 422) == {
        "date": ["must be a date, YYYY-MM-DD"],
        "ref_number": ["must be at most 100 characters"],
        "amount": ["can't be blank"],
    }
    for amount, message in (
        ("ten", 'must be a decimal amount, e.g. "12.50"'),
        ("-5", "must be at least 0"),
        ("1.23456", "must have at most 4 decimal places"),
    ):
        response = ks.post("/jobs/1/payments.json", json={"payment": {"amount": amount}})
        assert errors_of(response, 422) == {"amount": [message]}
    assert errors_of(ks.post("/jobs/1/payments.json", json={"amount": "5"}), 400) == {
        "payment": ["param is missing or the value is empty"]
    }
    assert errors_of(ks.post("/jobs/9/payments.json", json={"payment": {"amount": "5"}}), 404) == {
        "base": ["Invalid job."]
    }
    assert ks.ok(ks.get("/customers/1/payments.json")) == []


def test_customer_payments_are_list_and_delete_only(ks: Kickserv, job: dict[str, Any]) -> None:
    payment = pay(ks, 1)
    assert errors_of(ks.post("/customers/1/payments.json", json={"payment": {"amount": "1"}}), 404)
    assert errors_of(ks.get(f"/customers/1/payments/{payment['id']}.json"), 404)
    assert ks.ok(ks.get("/customers/1/payments.json")) == [payment]
