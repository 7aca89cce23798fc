"""Jobs: /customers/{n}/jobs.json, /customers/{n}/jobs/{job_number}.json, /jobs.json and
/jobs/{job_number}.json."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.kickserv.conftest import TIMESTAMP, Kickserv, errors_of

JOB_KEYS = [
    "id", "account_id", "customer_id", "job_number", "name", "job_type_id", "status",
    "description", "scheduled_on", "completed_on", "created_at", "updated_at", "ref_number",
    "txn_id", "edit_sequence", "ok_to_sync", "estimate_type", "self_service",
    *(f"custom_text{i}" for i in range(1, 6)),
    *(f"custom_number{i}" for i in range(1, 6)),
    *(f"custom_datetime{i}" for i in range(1, 6)),
]  # fmt: skip
INVALID_JOB = {"base": ["Invalid job."]}


def test_post_creates_a_job_and_answers_it(ks: Kickserv) -> None:
    customer = ks.create_customer()
    # The seed's example:
    # POST {job:{job_type_id:61, description: "Test job"}} /customers/6/jobs.json
    body = ks.ok(
        ks.post(
            "/customers/1/jobs.json", json={"job": {"job_type_id": 61, "description": "Test job"}}
        )
    )
    assert list(body) == JOB_KEYS
    assert TIMESTAMP.match(body["created_at"]) and body["updated_at"] == body["created_at"]
    expected: dict[str, Any] = dict.fromkeys(JOB_KEYS)
    expected.update(
        id=body["id"],
        account_id=ks.credentials["id"],
        customer_id=customer["id"],
        job_number=1,
        job_type_id=61,
        status="unscheduled",
        description="Test job",
        created_at=body["created_at"],
        updated_at=body["updated_at"],
    )
    assert body == expected
    assert ks.ok(ks.get("/customers/1/jobs/1.json")) == body


def test_every_job_field_round_trips(ks: Kickserv) -> None:
    ks.create_customer()
    job = ks.create_job(
        1,
        job_type_id="24551",
        name="Furnace Repair",
        status="Scheduled",
        description="No heat",
        scheduled_on="2022-05-17T10:04:14-04:00",
        completed_on="2022-05-18",
        ref_number="R-17",
        ok_to_sync="true",
        custom_text1="Side door",
        custom_number2=4,
        job_number=999,
        customer_id=12345,
    )
    assert job["job_number"] == 1
    assert (job["job_type_id"], job["name"], job["status"]) == (
        24551,
        "Furnace Repair",
        "scheduled",
    )
    assert job["scheduled_on"] == "2022-05-17T14:04:14+00:00"
    assert job["completed_on"] == "2022-05-18T00:00:00+00:00"
    assert (job["ref_number"], job["ok_to_sync"]) == ("R-17", True)
    assert (job["custom_text1"], job["custom_number2"]) == ("Side door", 4)
    assert job["customer_id"] == ks.ok(ks.get("/customers/1.json"))["id"]


def test_job_numbers_are_per_account(ks: Kickserv, other_ks: Kickserv) -> None:
    ks.create_customer(name="A")
    ks.create_customer(name="B")
    assert [ks.create_job(n)["job_number"] for n in (1, 2, 1)] == [1, 2, 3]
    other_ks.create_customer()
    assert other_ks.create_job(1)["job_number"] == 1


def test_list_by_status(ks: Kickserv) -> None:
    ks.create_customer()
    ks.create_customer(name="Other")
    ks.create_job(1, description="one")
    ks.create_job(1, description="two", status="complete")
    ks.create_job(1, description="three", status="scheduled")
    ks.create_job(2, description="elsewhere")

    def descriptions(query: str) -> list[str]:
        return [j["description"] for j in ks.ok(ks.get(f"/customers/1/jobs.json{query}"))]

    assert descriptions("") == ["three", "two", "one"]
    # The seed's examples: ?status=unscheduled and ?status[]=unscheduled&status[]=complete
    assert descriptions("?status=unscheduled") == ["one"]
    assert descriptions("?status[]=unscheduled&status[]=complete") == ["two", "one"]
    assert descriptions("?status%5B%5D=scheduled") == ["three"]
    assert descriptions("?status=cancelled") == []


def test_put_changes_the_job(ks: Kickserv) -> None:
    ks.create_customer()
    job = ks.create_job(1, description="Old", ref_number="R-1")
    # The seed's example: PUT {job:{description:"A new description"}} /customers/380/jobs/617.json
    response = ks.put(
        "/customers/1/jobs/1.json", json={"job": {"description": "A new description"}}
    )
    body = ks.ok(response)
    assert body["description"] == "A new description"
    unchanged = {k: v for k, v in job.items() if k not in ("description", "updated_at")}
    assert {k: v for k, v in body.items() if k not in ("description", "updated_at")} == unchanged
    patched = ks.ok(
        ks.patch("/jobs/1.json", json={"job": {"status": "complete", "ref_number": None}})
    )
    assert (patched["status"], patched["ref_number"]) == ("complete", None)
    assert ks.ok(ks.get("/jobs/1.json")) == patched


def test_delete_answers_the_deleted_job(ks: Kickserv) -> None:
    ks.create_customer()
    job = ks.create_job(1, description="Doomed")
    ks.ok(ks.post("/customers/1/notes.json", json={"note": {"note": "stays"}}))
    # The seed's example: DELETE /customers/380/jobs/617.json deletes the job and returns it.
    assert ks.ok(ks.delete("/customers/1/jobs/1.json")) == job
    assert errors_of(ks.get("/customers/1/jobs/1.json"), 404) == INVALID_JOB
    assert errors_of(ks.delete("/customers/1/jobs/1.json"), 404) == INVALID_JOB
    assert ks.ok(ks.get("/customers/1/jobs.json")) == []
    assert len(ks.ok(ks.get("/customers/1/notes.json"))) == 1


def test_a_job_of_another_customer_is_404_and_untouched(ks: Kickserv) -> None:
    ks.create_customer(name="Owner")
    ks.create_customer(name="Other")
    job = ks.create_job(1, description="Owner's")
    assert errors_of(ks.get("/customers/2/jobs/1.json"), 404) == INVALID_JOB
    assert errors_of(ks.put("/customers/2/jobs/1.json", json={"job": {"status": "x"}}), 404)
    assert errors_of(ks.delete("/customers/2/jobs/1.json"), 404) == INVALID_JOB
    assert ks.ok(ks.get("/customers/1/jobs/1.json")) == job


def test_job_validation(ks: Kickserv) -> None:
    ks.create_customer()
    response = ks.post("/customers/1/jobs.json", json={"job": {"description": "No type"}})
    assert errors_of(response, 422) == {"job_type_id": ["can't be blank"]}
    response = ks.post(
        "/customers/1/jobs.json",
        json={"job": {"job_type_id": "sixty", "scheduled_on": "tomorrow", "status": "on hold!"}},
    )
    assert errors_of(response, 422) == {
        "job_type_id": ["must be an integer"],
        "scheduled_on": ["must be an ISO 8601 date-time"],
        "status": ["must be lower-case letters, digits, - or _"],
    }
    assert errors_of(ks.post("/customers/1/jobs.json", json={}), 400) == {
        "job": ["param is missing or the value is empty"]
    }
    assert errors_of(ks.post("/customers/9/jobs.json", json={"job": {"job_type_id": 1}}), 404) == {
        "base": ["Invalid customer."]
    }
    assert ks.ok(ks.get("/customers/1/jobs.json")) == []


# --- /jobs.json --------------------------------------------------------------------------------


def test_post_jobs_takes_the_customer_number_outside_the_job(ks: Kickserv) -> None:
    ks.create_customer(name="First")
    customer = ks.create_customer(name="Eighth")
    # The documented payload: {job:{job_type_id:24551, description:"..."}, customer_number:8}
    body = ks.ok(
        ks.post(
            "/jobs.json",
            json={"job": {"job_type_id": 24551, "description": "Via /jobs"}, "customer_number": 2},
        )
    )
    assert (body["customer_id"], body["job_type_id"], body["job_number"]) == (
        customer["id"],
        24551,
        1,
    )
    assert ks.ok(ks.get("/customers/2/jobs.json")) == [body]


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        (
            {"job": {"description": "x"}},
            {"customer_number": ["can't be blank"], "job_type_id": ["can't be blank"]},
        ),
        ({"job": {"job_type_id": 1}, "customer_number": 7}, {"customer_number": ["is invalid"]}),
        (
            {"job": {"job_type_id": 1}, "customer_number": "one"},
            {"customer_number": ["is invalid"]},
        ),
        (
            {"job": {"job_type_id": 1}, "customer_number": ""},
            {"customer_number": ["can't be blank"]},
        ),
    ],
)
def test_post_jobs_validation(
    ks: Kickserv, payload: dict[str, Any], errors: dict[str, Any]
) -> None:
    ks.create_customer()
    assert errors_of(ks.post("/jobs.json", json=payload), 422) == errors
    assert ks.ok(ks.get("/jobs.json")) == []


def test_get_jobs_is_newest_first_25_a_page(ks: Kickserv, other_ks: Kickserv) -> None:
    ks.create_customer(name="A")
    ks.create_customer(name="B")
    for i in range(27):
        ks.create_job(1 + i % 2, description=f"job {i}")
    other_ks.create_customer()
    other_ks.create_job(1)
    first = ks.ok(ks.get("/jobs.json"))
    assert [j["description"] for j in first] == [f"job {i}" for i in range(26, 1, -1)]
    assert [j["job_number"] for j in first] == list(range(27, 2, -1))
    second = ks.ok(ks.get("/jobs.json?page=2"))
    assert [j["description"] for j in second] == ["job 1", "job 0"]
    five = ks.ok(ks.get("/jobs.json?per_page=5&page=2"))
    assert [j["job_number"] for j in five] == [22, 21, 20, 19, 18]


def test_get_jobs_filters(ks: Kickserv) -> None:
    ks.create_customer()
    now = datetime.now(UTC)
    today = now.replace(hour=12, minute=0, second=0, microsecond=0)
    monday = today - timedelta(days=today.weekday())
    first_of_month = today.replace(day=1)
    scheduled = {
        "today": today,
        "tomorrow": today + timedelta(days=1),
        "next week": monday + timedelta(days=9),
        "last week": monday - timedelta(days=5),
        "last month": (first_of_month - timedelta(days=1)).replace(day=15),
        "next month": (first_of_month + timedelta(days=32)).replace(day=15),
    }
    for description, when in scheduled.items():
        ks.create_job(
            1,
            description=description,
            scheduled_on=when.isoformat(),
            job_type_id=7 if description == "today" else 1,
            status="scheduled" if description == "tomorrow" else "unscheduled",
        )
    ks.create_job(1, description="never")

    def descriptions(query: str) -> set[str]:
        return {j["description"] for j in ks.ok(ks.get(f"/jobs.json?{query}"))}

    def expected(start: datetime, end: datetime) -> set[str]:
        return {d for d, when in scheduled.items() if start <= when < end}

    assert descriptions("scheduled=today") == {"today"}
    assert descriptions("scheduled=tomorrow") == {"tomorrow"}
    assert descriptions("scheduled=this_week") == expected(monday, monday + timedelta(days=7))
    assert descriptions("scheduled=next_week") == {"next week"}
    assert descriptions("scheduled=last_week") == {"last week"}
    this_month = descriptions("scheduled=this_month")
    assert "today" in this_month and not {"last month", "next month"} & this_month
    assert "last month" in descriptions("scheduled=last_month")
    assert "next month" in descriptions("scheduled=next_month")
    assert descriptions("job_type_id=7") == {"today"}
    assert descriptions("status=scheduled") == {"tomorrow"}
    assert descriptions("status=scheduled&scheduled=today") == set()
    assert errors_of(ks.get("/jobs.json?scheduled=someday"), 400) == {
        "scheduled": [
            "must be one of today, tomorrow, this_week, next_week, last_week, this_month, "
            "next_month, last_month"
        ]
    }


def test_job_by_number_alone(ks: Kickserv) -> None:
    ks.create_customer()
    job = ks.create_job(1)
    assert ks.ok(ks.get("/jobs/1.json")) == job
    assert errors_of(ks.get("/jobs/2.json"), 404) == INVALID_JOB
    assert ks.ok(ks.delete("/jobs/1.json")) == job
    assert errors_of(ks.get("/jobs/1.json"), 404) == INVALID_JOB
