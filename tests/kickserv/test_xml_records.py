"""Notes, jobs and payments in XML: each `.json` path's `.xml` twin takes `<note>`, `<job>`,
`<payment>` bodies and answers what its JSON twin answers, as Rails renders it."""

from __future__ import annotations

from tests.kickserv.conftest import Kickserv
from tests.kickserv.xml_client import answer, element, post_xml, put_xml, xml_errors


def test_notes_in_xml(ks: Kickserv) -> None:
    ks.create_customer(name="Clarence")
    created = answer(
        post_xml(ks, "/customers/1/notes.xml", "<note><note>All sales NET-30</note></note>"),
        "note",
    )
    assert created["note"] == "All sales NET-30"
    assert created["creator"] == {
        "id": None,
        "name": "Kickserv API",
        "first_name": "Kickserv",
        "last_name": "API",
    }
    note_id = created["id"]
    shown = answer(ks.get(f"/customers/1/notes/{note_id}.xml"), "note")
    assert shown == ks.ok(ks.get(f"/customers/1/notes/{note_id}.json"))
    body = '<note><note>A new note body</note><public type="boolean">true</public></note>'
    changed = answer(put_xml(ks, f"/customers/1/notes/{note_id}.xml", body), "note")
    assert (changed["note"], changed["public"]) == ("A new note body", True)
    listed = answer(ks.get("/customers/1/notes.xml"), "notes")
    assert listed == ks.ok(ks.get("/customers/1/notes.json"))
    assert [n["note"] for n in listed] == ["A new note body"]
    client = ks.native.get(f"/v1/clients/{created['noteable_id']}/notes").json()["data"]
    assert [n["body"] for n in client] == ["A new note body"]
    assert answer(ks.delete(f"/customers/1/notes/{note_id}.xml"), "note")["id"] == note_id
    assert answer(ks.get("/customers/1/notes.xml"), "notes") == []
    assert xml_errors(post_xml(ks, "/customers/1/notes.xml", "<note/>"), 400) == [
        "Note param is missing or the value is empty"
    ]


def test_jobs_in_xml(ks: Kickserv) -> None:
    ks.create_customer(name="Clarence")
    body = (
        '<job><job-type-id type="integer">61</job-type-id><description>Test job</description>'
        '<ok-to-sync type="boolean">true</ok-to-sync></job>'
    )
    created = answer(post_xml(ks, "/customers/1/jobs.xml", body), "job")
    assert (created["job_type_id"], created["description"]) == (61, "Test job")
    assert (created["status"], created["ok_to_sync"]) == ("unscheduled", True)
    number = created["job_number"]
    assert answer(ks.get(f"/jobs/{number}.xml"), "job") == ks.ok(ks.get(f"/jobs/{number}.json"))
    change = "<job><description>A new description</description></job>"
    changed = answer(put_xml(ks, f"/customers/1/jobs/{number}.xml", change), "job")
    assert changed["description"] == "A new description"
    node = element(ks.get("/jobs.xml"))
    assert (node.tag, node.get("type"), [c.tag for c in node]) == ("jobs", "array", ["job"])
    assert answer(ks.get("/customers/1/jobs.xml?status=unscheduled"), "jobs") == [changed]
    assert xml_errors(post_xml(ks, "/customers/1/jobs.xml", "<job><name>x</name></job>"), 422) == [
        "Job type can't be blank"
    ]


def test_post_jobs_xml_takes_the_customer_from_the_query_or_the_job(ks: Kickserv) -> None:
    ks.create_customer(name="First")
    ks.create_customer(name="Second")
    job = '<job><job-type-id type="integer">24551</job-type-id></job>'
    by_query = answer(post_xml(ks, "/jobs.xml?customer_number=2", job), "job")
    inside = "<job><job-type-id>24551</job-type-id><customer-number>1</customer-number></job>"
    by_element = answer(post_xml(ks, "/jobs.xml", inside), "job")
    customers = {c["customer_number"]: c["id"] for c in ks.ok(ks.get("/customers.json"))}
    assert (by_query["customer_id"], by_element["customer_id"]) == (customers[2], customers[1])
    assert xml_errors(post_xml(ks, "/jobs.xml", job), 422) == ["Customer number can't be blank"]
    assert xml_errors(post_xml(ks, "/jobs.xml?customer_number=9", job), 422) == [
        "Customer number is invalid"
    ]


def test_payments_in_xml(ks: Kickserv) -> None:
    ks.create_customer(name="Clarence")
    job = ks.create_job(1)["job_number"]
    body = (
        '<payment><amount type="decimal">1464.27</amount><date type="date">2022-05-09</date>'
        "<payment-type>Credit Card</payment-type><ref-number>1001</ref-number></payment>"
    )
    response = post_xml(ks, f"/jobs/{job}/payments.xml", body)
    node = element(response)
    assert node.tag == "payment"
    ids = node.find("payment-application-ids")
    assert ids is not None and ids.get("type") == "array"
    assert [(c.tag, c.get("type")) for c in ids] == [("payment-application-id", "integer")]
    amount = node.find("amount")
    assert amount is not None and (amount.get("type"), amount.text) == ("decimal", "1464.27")
    day = node.find("date")
    assert day is not None and (day.get("type"), day.text) == ("date", "2022-05-09")
    created = answer(response, "payment")
    payment_id = created["id"]
    assert created == ks.ok(ks.get(f"/jobs/{job}/payments/{payment_id}.json"))
    assert answer(ks.get("/customers/1/payments.xml"), "payments") == [created]
    assert xml_errors(
        post_xml(ks, f"/jobs/{job}/payments.xml", "<payment><notes>x</notes></payment>"), 422
    ) == ["Amount can't be blank"]
    deleted = answer(ks.delete(f"/customers/1/payments/{payment_id}.xml"), "payment")
    assert deleted["id"] == payment_id
    assert answer(ks.get("/customers/1/payments.xml"), "payments") == []
