"""/customers.json and /customers/{customer_number}.json: create, show, update, delete, the list
and its filters and pages, customer_validation.json and filter.json."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from tests.kickserv.conftest import TIMESTAMP, Kickserv, errors_of

# The customer object's keys, in order (the reference's v1 XML field list, JSON-cased).
CUSTOMER_KEYS = [
    "id", "customer_number", "origin", "created_at", "updated_at", "name", "phone_number",
    "fax", "service_address", "service_address_2", "service_city", "service_state",
    "service_zip_code", "service_country", "billing_address", "billing_address_2",
    "billing_city", "billing_state", "billing_zip_code", "billing_country",
    "which_billing_address", "special_instructions", "email_address", "alt_phone_number",
    "parent_id", "children", "list_id", "time_created", "time_modified", "edit_sequence",
    "full_name", "is_active", "parent_ref_list_id", "sublevel", "company_name", "first_name",
    "last_name", "phone", "mobile", "pager", "alt_phone", "email", "contact", "alt_contact",
    "customer_type_ref_full_name", "terms_ref_full_name", "sales_rep_ref_full_name", "balance",
    "total_balance", "sales_tax_code_ref_full_name", "item_sales_tax_ref_full_name",
    "resale_number", "account_number", "credit_limit",
    "preferred_payment_method_ref_full_name", "job_status", "job_start_date",
    "job_projected_end_date", "job_end_date", "job_desc", "job_type_ref_full_name",
    *(f"custom_text{i}" for i in range(1, 21)),
    *(f"custom_number{i}" for i in range(1, 11)),
    *(f"custom_datetime{i}" for i in range(1, 11)),
    "created_by", "updated_by", "tax_id", "customer_type_id", "customer_source_id", "import_id",
    "stripe_customer_id", "token", "latitude", "longitude", "company", "deleted_at", "qb_error",
    "send_reminders", "notification_email_address", "notification_phone_number",
    "notify_via_email", "notify_via_sms", "send_notifications", "sales_terms_ref_id",
    "sales_tax_code_id",
]  # fmt: skip

FULL: dict[str, Any] = {
    "customer_number": 999,
    "id": 424242,
    "name": "Clarence Carter",
    "first_name": "Clarence",
    "last_name": "Carter",
    "company_name": "Carter Heating",
    "company": False,
    "email_address": "clarence@carter.example",
    "phone_number": "517-555-0100",
    "alt_phone_number": "517-555-0101",
    "mobile": "517-555-0102",
    "fax": "517-555-0103",
    "service_address": "1 Main St",
    "service_address_2": "Suite 2",
    "service_city": "Lansing",
    "service_state": "MI",
    "service_zip_code": 48933,
    "service_country": "US",
    "billing_address": "PO Box 5",
    "billing_city": "Detroit",
    "billing_state": "MI",
    "billing_zip_code": "48201",
    "billing_country": "us",
    "special_instructions": "Dog in the yard",
    "is_active": True,
    "balance": "12.5",
    "origin": "manual",
    "customer_source_id": 12345,
    "customer_type_id": "7",
    "custom_text1": "Gate code 1234",
    "custom_number1": 3.5,
    "send_reminders": "true",
    "notify_via_sms": False,
    "latitude": 42.7325,
    "list_id": "80000001-1234567890",
    "total_balance": "999.00",
    "children": [{"name": "ignored"}],
    "not_a_kickserv_field": "dropped",
}


def test_create_answers_200_with_the_whole_customer(ks: Kickserv) -> None:
    body = ks.create_customer(**FULL)
    assert list(body) == CUSTOMER_KEYS
    assert TIMESTAMP.match(body["created_at"]) and TIMESTAMP.match(body["updated_at"])
    assert isinstance(body["id"], int) and body["id"] != 424242
    expected = dict.fromkeys(CUSTOMER_KEYS)
    expected.update(
        id=body["id"],
        customer_number=1,
        origin="manual",
        created_at=body["created_at"],
        updated_at=body["updated_at"],
        name="Clarence Carter",
        phone_number="517-555-0100",
        fax="517-555-0103",
        service_address="1 Main St",
        service_address_2="Suite 2",
        service_city="Lansing",
        service_state="MI",
        service_zip_code="48933",
        service_country="US",
        billing_address="PO Box 5",
        billing_city="Detroit",
        billing_state="MI",
        billing_zip_code="48201",
        billing_country="US",
        which_billing_address="billing",
        special_instructions="Dog in the yard",
        email_address="clarence@carter.example",
        alt_phone_number="517-555-0101",
        children=[],
        list_id="80000001-1234567890",
        is_active=True,
        company_name="Carter Heating",
        first_name="Clarence",
        last_name="Carter",
        mobile="517-555-0102",
        balance="12.50",
        total_balance="12.50",
        custom_text1="Gate code 1234",
        custom_number1=3.5,
        customer_type_id=7,
        customer_source_id=12345,
        latitude=42.7325,
        company=False,
        send_reminders=True,
        notify_via_sms=False,
    )
    assert body == expected
    assert ks.ok(ks.get("/customers/1.json")) == body


def test_numbers_are_assigned_per_account_and_a_supplied_one_is_ignored(
    ks: Kickserv, other_ks: Kickserv
) -> None:
    assert ks.create_customer(name="A", customer_number=380)["customer_number"] == 1
    assert ks.create_customer(name="B", customer_number=1)["customer_number"] == 2
    assert other_ks.create_customer(name="C")["customer_number"] == 1
    assert ks.ok(ks.get("/customers/2.json"))["name"] == "B"
    assert other_ks.ok(other_ks.get("/customers/1.json"))["name"] == "C"


def test_a_bare_customer_has_every_key_and_kickserv_defaults(ks: Kickserv) -> None:
    body = ks.create_customer(name="ABC Corp.")
    assert list(body) == CUSTOMER_KEYS
    assert body["is_active"] is True
    assert body["company"] is True
    assert body["balance"] == body["total_balance"] == "0.00"
    assert body["which_billing_address"] == "service"
    assert body["children"] == []
    set_keys = {"id", "customer_number", "created_at", "updated_at", "name", "is_active"}
    set_keys |= {"company", "balance", "total_balance", "which_billing_address", "children"}
    assert all(body[k] is None for k in CUSTOMER_KEYS if k not in set_keys)


def test_unknown_customer_number_is_404(ks: Kickserv) -> None:
    ks.create_customer()
    invalid = {"base": ["Invalid customer."]}
    assert errors_of(ks.get("/customers/2.json"), 404) == invalid
    assert errors_of(ks.get(f"/customers/{2**40}.json"), 404) == invalid
    assert errors_of(ks.put("/customers/2.json", json={"customer": {"name": "X"}}), 404) == invalid
    assert errors_of(ks.delete("/customers/2.json"), 404) == invalid


def test_put_changes_only_what_it_names(ks: Kickserv) -> None:
    before = ks.create_customer(**FULL)
    # The seed's example: PUT {customer:{name: "Samantha"}} /customers/380.json
    after = ks.ok(ks.put("/customers/1.json", json={"customer": {"name": "Samantha"}}))
    assert after["name"] == "Samantha"
    assert after["updated_at"] >= before["updated_at"]
    unchanged = {k: v for k, v in before.items() if k not in ("name", "updated_at")}
    assert {k: v for k, v in after.items() if k not in ("name", "updated_at")} == unchanged
    assert ks.ok(ks.get("/customers/1.json")) == after


def test_patch_is_the_same_as_put(ks: Kickserv) -> None:
    ks.create_customer(name="Clarence", service_city="Lansing")
    after = ks.ok(
        ks.patch("/customers/1.json", json={"customer": {"service_city": "Flint", "mobile": "1"}})
    )
    assert (after["name"], after["service_city"], after["mobile"]) == ("Clarence", "Flint", "1")


def test_put_changes_and_clears_contact_and_address_fields(ks: Kickserv) -> None:
    ks.create_customer(**FULL)
    changes = {
        "phone_number": "517-555-0200",
        "fax": None,
        "mobile": "",
        "email_address": "carter@new.example",
        "service_address": "2 Oak Ave",
        "service_address_2": None,
        "billing_city": "Ann Arbor",
        "is_active": "false",
        "company": "1",
        "special_instructions": None,
        "custom_text2": "second",
        "customer_source_id": None,
        "which_billing_address": "service",
    }
    body = ks.ok(ks.put("/customers/1.json", json={"customer": changes}))
    assert body["phone_number"] == "517-555-0200"
    assert body["fax"] is None and body["mobile"] is None
    assert body["alt_phone_number"] == "517-555-0101"
    assert body["email_address"] == "carter@new.example"
    assert (body["service_address"], body["service_address_2"]) == ("2 Oak Ave", None)
    assert (body["service_city"], body["service_state"]) == ("Lansing", "MI")
    assert (body["billing_address"], body["billing_city"]) == ("PO Box 5", "Ann Arbor")
    assert body["is_active"] is False and body["company"] is True
    assert body["special_instructions"] is None
    # Vendor-only fields merge: the ones not named keep their values.
    assert (body["custom_text1"], body["custom_text2"]) == ("Gate code 1234", "second")
    assert body["customer_source_id"] is None and body["customer_type_id"] == 7
    # Sent explicitly, it is kept as sent, though a billing address exists.
    assert body["which_billing_address"] == "service"
    assert ks.ok(ks.get("/customers/1.json")) == body


def test_delete_answers_the_message_and_the_customer_is_gone(ks: Kickserv) -> None:
    ks.create_customer(name="Doomed", email_address="d@example.com")
    ks.create_job(1)
    response = ks.delete("/customers/1.json")
    assert ks.ok(response) == {"message": "Customer successfully deleted"}
    assert errors_of(ks.get("/customers/1.json"), 404) == {"base": ["Invalid customer."]}
    assert errors_of(ks.delete("/customers/1.json"), 404) == {"base": ["Invalid customer."]}
    assert ks.ok(ks.get("/customers.json")) == []
    assert ks.native.all_clients() == []
    assert ks.create_customer(name="Next")["customer_number"] == 2


# --- the list ----------------------------------------------------------------------------------


def names(ks: Kickserv, query: str) -> list[str]:
    body = ks.ok(ks.get(f"/customers.json?{query}"))
    assert isinstance(body, list)
    return [c["name"] for c in body]


@pytest.fixture
def directory(ks: Kickserv) -> Kickserv:
    ks.create_customer(
        name="Wilfred Brimley",
        service_address="100 Elm St",
        service_city="Lansing",
        service_state="MI",
        service_zip_code="48933",
        email_address="wilf@oats.example",
        phone_number="517-555-0001",
        customer_source_id=12345,
    )
    ks.create_customer(
        name="Clarence Boddicker",
        service_address="1 Detroit Way",
        service_city="Detroit",
        service_state="mi",
        service_zip_code="48201",
        email_address="clarence@ocp.example",
        phone_number="313-555-0002",
        customer_source_id=999,
        billing_city="Ann Arbor",
    )
    ks.create_customer(
        name="carla tortelli",
        service_address="100 Elm St",
        service_city="Boston",
        service_state="MA",
        service_zip_code="02108",
        email_address="carla@cheers.example",
        phone_number="617-555-0003",
    )
    return ks


def test_the_list_is_a_bare_array_by_customer_number(directory: Kickserv) -> None:
    body = directory.ok(directory.get("/customers.json"))
    assert [c["customer_number"] for c in body] == [1, 2, 3]
    assert [c["name"] for c in body] == ["Wilfred Brimley", "Clarence Boddicker", "carla tortelli"]
    assert body[0] == directory.ok(directory.get("/customers/1.json"))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("customer_number=2", ["Clarence Boddicker"]),
        ("customer_number=9", []),
        ("name=Wilfred%20Brimley", ["Wilfred Brimley"]),
        ("name=wilfred%20brimley", ["Wilfred Brimley"]),
        ("name=Wilfred", []),
        (f"service_address={quote('100 Elm St')}", ["Wilfred Brimley", "carla tortelli"]),
        ("service_address=100%20Elm", []),
        ("service_state=MI", ["Wilfred Brimley", "Clarence Boddicker"]),
        ("service_state=MA&service_city=Boston", ["carla tortelli"]),
        ("service_city=Detroit", ["Clarence Boddicker"]),
        ("service_zip_code=48933", ["Wilfred Brimley"]),
        ("billing_city=Ann%20Arbor", ["Clarence Boddicker"]),
        ("customer_source_id=12345", ["Wilfred Brimley"]),
        ("customer_source_id=1", []),
        # Two vendor attribute filters at once (each binds a value of its own).
        ("customer_source_id=12345&customer_type_id=1", []),
        ("customer_source_id=999&customer_type_id=", ["Clarence Boddicker"]),
        ("email_address=CARLA@cheers.example", ["carla tortelli"]),
        ("email_address=carla", []),
        ("phone_number=313-555-0002", ["Clarence Boddicker"]),
        ("phone_number=313", []),
        # The seed's example: q=ilf matches 'ilf' in the name, and only the name.
        ("q=ilf", ["Wilfred Brimley"]),
        ("q=CLAR", ["Clarence Boddicker"]),
        ("q=oats", []),
        ("q=Elm", []),
        ("begins_with=c", ["Clarence Boddicker", "carla tortelli"]),
        ("begins_with=C", ["Clarence Boddicker", "carla tortelli"]),
        ("begins_with=w", ["Wilfred Brimley"]),
        ("begins_with=x", []),
        ("name=&q=", ["Wilfred Brimley", "Clarence Boddicker", "carla tortelli"]),
        ("unknown_filter=1", ["Wilfred Brimley", "Clarence Boddicker", "carla tortelli"]),
    ],
)
def test_list_filters(directory: Kickserv, query: str, expected: list[str]) -> None:
    assert names(directory, query) == expected


def test_filters_see_the_service_address_wherever_it_lives(ks: Kickserv) -> None:
    # One client whose service address is a native primary shipping address, one whose is a
    # primary address only, one with a primary location that wins over its addresses.
    ks.native.create_client(
        name="Shipping",
        addresses=[{"city": "Lansing", "is_primary_shipping": True}, {"city": "Flint"}],
    )
    ks.native.create_client(name="Primary", addresses=[{"city": "Lansing", "is_primary": True}])
    located = ks.native.create_client(
        name="Located", addresses=[{"city": "Lansing", "is_primary_shipping": True}]
    )
    ks.native.post(
        f"/v1/clients/{located['id']}/locations",
        json={"name": "HQ", "is_primary": True, "city": "Detroit"},
    )
    assert names(ks, "service_city=Lansing") == ["Shipping", "Primary"]
    assert names(ks, "service_city=Detroit") == ["Located"]
    assert names(ks, "service_city=Flint") == []


def test_pages_of_thirty_via_customers_page(ks: Kickserv) -> None:
    for i in range(32):
        ks.create_customer(name=f"Customer {i:02d}")
    ks.create_customer(name="Zed")
    first = names(ks, "")
    assert first == [f"Customer {i:02d}" for i in range(30)]
    assert names(ks, "customers_page=1") == first
    assert names(ks, "customers_page=2") == ["Customer 30", "Customer 31", "Zed"]
    assert names(ks, "customers_page=3") == []
    # The seed's example: begins_with=C&customers_page=N pages the filtered list.
    assert names(ks, "begins_with=c&customers_page=2") == ["Customer 30", "Customer 31"]


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5", "\u00b2", str(2**31)])
def test_a_bad_page_number_is_400(ks: Kickserv, page: str) -> None:
    errors = errors_of(ks.get(f"/customers.json?customers_page={page}"), 400)
    assert errors == {"customers_page": ["must be a whole number of 1 or more"]}


def test_a_non_numeric_number_filter_is_400(ks: Kickserv) -> None:
    response = ks.get("/customers.json?customer_number=abc")
    assert errors_of(response, 400) == {"customer_number": ["must be an integer"]}
    response = ks.get("/customers.json?customer_source_id=\u00b2")
    assert errors_of(response, 400) == {"customer_source_id": ["must be an integer"]}
    response = ks.get(f"/customers.json?customer_source_id={2**40}")
    assert errors_of(response, 400) == {"customer_source_id": ["is out of range"]}


def test_integer_fields_take_32_bit_values(ks: Kickserv) -> None:
    response = ks.post(
        "/customers.json", json={"customer": {"name": "Big", "customer_source_id": 2**40}}
    )
    assert errors_of(response, 422) == {"customer_source_id": ["is out of range"]}
    body = ks.create_customer(name="Edge", customer_source_id=str(2**31 - 1), parent_id="-5")
    assert (body["customer_source_id"], body["parent_id"]) == (2**31 - 1, -5)
    assert [
        c["name"] for c in ks.ok(ks.get(f"/customers.json?customer_source_id={2**31 - 1}"))
    ] == ["Edge"]


# --- customer_validation.json and filter.json ------------------------------------------------


def test_customer_validation_not_found(ks: Kickserv) -> None:
    ks.create_customer(name="Clarence Boddicker")
    response = ks.post("/customers/customer_validation.json", json={"name": "Clarence"})
    assert ks.ok(response) == {"status": "not found"}


def test_customer_validation_exist(ks: Kickserv) -> None:
    ks.create_customer(name="Someone")
    customer = ks.create_customer(name="Clarence", service_city="Detroit")
    # The seed's example: POST {name : "Clarence"} /customers/customer_validation.json
    response = ks.post("/customers/customer_validation.json", json={"name": "Clarence"})
    assert ks.ok(response) == {
        "status": "exist",
        "customer_url": f"/{ks.slug}/customers/2",
        "customer_name": "Clarence",
        "customer": customer,
    }
    wrapped = ks.post(
        "/customers/customer_validation.json", json={"customer": {"name": "clarence"}}
    )
    assert ks.ok(wrapped)["customer_url"] == f"/{ks.slug}/customers/2"


def test_customer_validation_needs_a_name(ks: Kickserv) -> None:
    for body in ({}, {"name": ""}, {"name": 5}):
        response = ks.post("/customers/customer_validation.json", json=body)
        assert errors_of(response, 422) == {"name": ["can't be blank"]}


def test_filter_matches_part_of_the_name(directory: Kickserv) -> None:
    # The seed's example: GET /customers/filter.json?name=obert
    directory.create_customer(name="Robert Paulson")
    body = directory.ok(directory.get("/customers/filter.json?name=obert"))
    assert list(body) == ["customers"]
    assert [c["name"] for c in body["customers"]] == ["Robert Paulson"]
    assert body["customers"][0] == directory.ok(directory.get("/customers/4.json"))
    body = directory.ok(directory.get("/customers/filter.json?name=AR"))
    assert [c["name"] for c in body["customers"]] == ["Clarence Boddicker", "carla tortelli"]


def test_filter_with_no_match_answers_one_empty_customer(directory: Kickserv) -> None:
    body = directory.ok(directory.get("/customers/filter.json?name=zzz"))
    assert list(body) == ["customers"]
    assert len(body["customers"]) == 1
    empty = body["customers"][0]
    assert list(empty) == CUSTOMER_KEYS
    assert empty["customer_number"] is None
    assert all(value is None for value in empty.values())


# --- validation --------------------------------------------------------------------------------


def test_create_without_the_customer_wrapper_is_400(ks: Kickserv) -> None:
    missing = {"customer": ["param is missing or the value is empty"]}
    assert errors_of(ks.post("/customers.json", json={"name": "Bare"}), 400) == missing
    assert errors_of(ks.post("/customers.json", json={"customer": {}}), 400) == missing
    assert errors_of(ks.post("/customers.json"), 400) == missing
    assert errors_of(ks.put("/customers/1.json", json={"customer": "x"}), 404)
    ks.create_customer()
    assert errors_of(ks.put("/customers/1.json", json={"name": "x"}), 400) == missing


def test_a_body_that_is_not_json_is_400(ks: Kickserv) -> None:
    response = ks.post(
        "/customers.json", content=b"{customer:", headers={"Content-Type": "application/json"}
    )
    assert errors_of(response, 400) == {"base": ["The body is not valid JSON."]}


def test_validation_errors_are_422_naming_every_field(ks: Kickserv) -> None:
    body = {
        "customer": {
            "first_name": "No Name",
            "email_address": "not-an-email",
            "service_country": "USA",
            "billing_state": "x" * 101,
            "is_active": "maybe",
            "balance": "lots",
            "customer_source_id": "abc",
            "custom_text1": ["a", "list"],
            "phone_number": "9" * 41,
        }
    }
    errors = errors_of(ks.post("/customers.json", json=body), 422)
    assert errors == {
        "is_active": ["must be true or false"],
        "customer_source_id": ["must be an integer"],
        "custom_text1": ["must be a single value, not a list or an object"],
        "balance": ['must be a decimal amount, e.g. "12.50"'],
        "name": ["can't be blank"],
        "service_country": ["must be a 2-letter ISO 3166-1 country code"],
        "billing_state": ["must be at most 100 characters"],
        "email_address": ["must be an email address"],
        "phone_number": ["must be at most 40 characters"],
    }
    assert ks.ok(ks.get("/customers.json")) == []


def test_a_value_of_the_wrong_type_is_reported_once(ks: Kickserv) -> None:
    response = ks.post("/customers.json", json={"customer": {"name": ["Clarence"], "fax": {}}})
    assert errors_of(response, 422) == {"name": ["must be a string"], "fax": ["must be a string"]}


def test_a_refused_update_writes_nothing(ks: Kickserv) -> None:
    before = ks.create_customer(**FULL)
    response = ks.put(
        "/customers/1.json",
        json={"customer": {"name": "", "service_city": "Flint", "email_address": "x"}},
    )
    assert errors_of(response, 422) == {
        "name": ["can't be blank"],
        "email_address": ["must be an email address"],
    }
    assert ks.ok(ks.get("/customers/1.json")) == before
