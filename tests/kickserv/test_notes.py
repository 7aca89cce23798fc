"""/customers/{n}/notes.json and /customers/{n}/notes/{id}.json, and a job's notes under
/jobs/{job_number}/notes.json."""

from __future__ import annotations

from typing import Any

from tests.kickserv.conftest import TIMESTAMP, Kickserv, errors_of

NOTE_KEYS = [
    "id",
    "note",
    "noteable_id",
    "noteable_type",
    "public",
    "created_at",
    "updated_at",
]
CREATOR = {"id": None, "name": "Kickserv API", "first_name": "Kickserv", "last_name": "API"}
INVALID_NOTE = {"base": ["Invalid note."]}


def add_note(ks: Kickserv, number: int, text: str, **extra: Any) -> dict[str, Any]:
    response = ks.post(f"/customers/{number}/notes.json", json={"note": {"note": text, **extra}})
    return dict(ks.ok(response))


def test_post_adds_a_note_and_answers_it_with_its_creator(ks: Kickserv) -> None:
    customer = ks.create_customer()
    # The seed's example: POST {note:{note: "All sales NET-30"}} /customers/380/notes.json
    body = add_note(ks, 1, "All sales NET-30")
    assert list(body) == [*NOTE_KEYS, "creator"]
    assert TIMESTAMP.match(body["created_at"]) and body["created_at"] == body["updated_at"]
    assert body == {
        "id": body["id"],
        "note": "All sales NET-30",
        "noteable_id": customer["id"],
        "noteable_type": "Customer",
        "public": False,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
        "creator": CREATOR,
    }


def test_get_one_is_smaller_than_the_put_answer(ks: Kickserv) -> None:
    ks.create_customer()
    note = add_note(ks, 1, "All sales NET-30", public=True)
    shown = ks.ok(ks.get(f"/customers/1/notes/{note['id']}.json"))
    assert list(shown) == NOTE_KEYS
    assert shown == {k: v for k, v in note.items() if k != "creator"}
    assert shown["public"] is True
    # The seed's example: PUT {note:{note:"A new note body"}} /customers/380/notes/24601.json
    response = ks.put(
        f"/customers/1/notes/{note['id']}.json", json={"note": {"note": "A new note body"}}
    )
    updated = ks.ok(response)
    assert list(updated) == [*NOTE_KEYS, "creator"]
    assert updated["note"] == "A new note body"
    assert updated["creator"] == CREATOR
    assert updated["public"] is True
    assert ks.ok(ks.get(f"/customers/1/notes/{note['id']}.json"))["note"] == "A new note body"
    patched = ks.ok(
        ks.patch(f"/customers/1/notes/{note['id']}.json", json={"note": {"public": "false"}})
    )
    assert (patched["note"], patched["public"]) == ("A new note body", False)


def test_list_is_newest_first_and_pages(ks: Kickserv) -> None:
    ks.create_customer()
    for i in range(27):
        add_note(ks, 1, f"note {i}")
    first = ks.ok(ks.get("/customers/1/notes.json"))
    assert [n["note"] for n in first] == [f"note {i}" for i in range(26, 1, -1)]
    assert all(list(n) == NOTE_KEYS for n in first)
    second = ks.ok(ks.get("/customers/1/notes.json?page=2"))
    assert [n["note"] for n in second] == ["note 1", "note 0"]
    assert ks.ok(ks.get("/customers/1/notes.json?page=3")) == []
    small = ks.ok(ks.get("/customers/1/notes.json?page=2&per_page=10"))
    assert [n["note"] for n in small] == [f"note {i}" for i in range(16, 6, -1)]
    assert errors_of(ks.get("/customers/1/notes.json?per_page=101"), 400) == {
        "per_page": ["must be a whole number from 1 to 100"]
    }


def test_delete_answers_the_note_and_removes_it(ks: Kickserv) -> None:
    ks.create_customer()
    keep = add_note(ks, 1, "keep")
    gone = add_note(ks, 1, "gone")
    response = ks.delete(f"/customers/1/notes/{gone['id']}.json")
    assert ks.ok(response) == {k: v for k, v in gone.items() if k != "creator"}
    assert errors_of(ks.get(f"/customers/1/notes/{gone['id']}.json"), 404) == INVALID_NOTE
    assert errors_of(ks.delete(f"/customers/1/notes/{gone['id']}.json"), 404) == INVALID_NOTE
    assert [n["id"] for n in ks.ok(ks.get("/customers/1/notes.json"))] == [keep["id"]]


def test_a_note_of_another_customer_is_404_and_is_not_deleted(ks: Kickserv) -> None:
    """Unlike Kickserv (whose DELETE /customers/6/notes/5161.json deletes note 5161 whoever
    owns it), a note is reached only through its own customer."""
    ks.create_customer(name="Owner")
    ks.create_customer(name="Someone else")
    note = add_note(ks, 1, "Belongs to customer 1")
    path = f"/customers/2/notes/{note['id']}.json"
    assert errors_of(ks.get(path), 404) == INVALID_NOTE
    assert errors_of(ks.put(path, json={"note": {"note": "hijacked"}}), 404) == INVALID_NOTE
    assert errors_of(ks.delete(path), 404) == INVALID_NOTE
    survivor = ks.ok(ks.get(f"/customers/1/notes/{note['id']}.json"))
    assert survivor["note"] == "Belongs to customer 1"
    assert ks.ok(ks.get("/customers/2/notes.json")) == []
    native = ks.native.get(f"/v1/clients/{note['noteable_id']}/notes/{note['id']}")
    assert native.status_code == 200 and native.json()["body"] == "Belongs to customer 1"


def test_a_note_of_another_account_is_404(ks: Kickserv, other_ks: Kickserv) -> None:
    ks.create_customer()
    other_ks.create_customer()
    theirs = add_note(other_ks, 1, "theirs")
    assert errors_of(ks.get(f"/customers/1/notes/{theirs['id']}.json"), 404) == INVALID_NOTE
    assert errors_of(ks.delete(f"/customers/1/notes/{theirs['id']}.json"), 404) == INVALID_NOTE
    assert other_ks.ok(other_ks.get(f"/customers/1/notes/{theirs['id']}.json"))["note"] == "theirs"


def test_notes_of_an_unknown_customer_are_404(ks: Kickserv) -> None:
    invalid = {"base": ["Invalid customer."]}
    assert errors_of(ks.get("/customers/5/notes.json"), 404) == invalid
    assert (
        errors_of(ks.post("/customers/5/notes.json", json={"note": {"note": "x"}}), 404) == invalid
    )
    assert errors_of(ks.get("/customers/5/notes/1.json"), 404) == invalid


def test_note_validation(ks: Kickserv) -> None:
    ks.create_customer()
    missing = {"note": ["param is missing or the value is empty"]}
    assert errors_of(ks.post("/customers/1/notes.json", json={"note": "text"}), 400) == missing
    blank = ks.post("/customers/1/notes.json", json={"note": {"public": True}})
    assert errors_of(blank, 422) == {"note": ["can't be blank"]}
    wrong = ks.post("/customers/1/notes.json", json={"note": {"note": 5, "public": "sometimes"}})
    assert errors_of(wrong, 422) == {
        "public": ["must be true or false"],
        "note": ["must be a string"],
    }
    assert ks.ok(ks.get("/customers/1/notes.json")) == []


def test_job_notes_live_under_the_job_not_the_customer(ks: Kickserv) -> None:
    ks.create_customer()
    job = ks.create_job(1)
    own = add_note(ks, 1, "customer note")
    response = ks.post(f"/jobs/{job['job_number']}/notes.json", json={"note": {"note": "job note"}})
    on_job = ks.ok(response)
    assert (on_job["noteable_type"], on_job["noteable_id"]) == ("Job", job["id"])
    assert on_job["creator"] == CREATOR
    assert [n["id"] for n in ks.ok(ks.get("/customers/1/notes.json"))] == [own["id"]]
    listed = ks.ok(ks.get(f"/jobs/{job['job_number']}/notes.json"))
    assert listed == [{k: v for k, v in on_job.items() if k != "creator"}]
    assert errors_of(ks.get(f"/customers/1/notes/{on_job['id']}.json"), 404) == INVALID_NOTE
    assert (
        errors_of(ks.get(f"/jobs/{job['job_number']}/notes/{own['id']}.json"), 404) == INVALID_NOTE
    )
    path = f"/jobs/{job['job_number']}/notes/{on_job['id']}.json"
    assert ks.ok(ks.put(path, json={"note": {"note": "edited"}}))["note"] == "edited"
    assert ks.ok(ks.delete(path))["note"] == "edited"
    assert ks.ok(ks.get(f"/jobs/{job['job_number']}/notes.json")) == []
