"""/customers.xml and /customers/{customer_number}.xml, Kickserv's v1 XML API as its public
clients speak it: create and change customers with `<customer>` bodies, read them in XML and
JSON and through /v1, list them with `page` and filters, and be refused in Rails' XML shape
with the JSON door's statuses and rules."""

from __future__ import annotations

from typing import Any

import pytest

from rolodex.doors.kickserv import customers, routes
from rolodex.doors.kickserv.errors import full_message
from tests.kickserv.conftest import Kickserv, errors_of
from tests.kickserv.test_customers import CUSTOMER_KEYS
from tests.kickserv.xml_client import (
    DECLARATION,
    XML,
    answer,
    customer_xml,
    element,
    post_xml,
    put_xml,
    xml_errors,
)

# A v1 client's create, dasherized as Rails' to_xml names the elements, with Rails' types.
CREATE = """<?xml version="1.0" encoding="UTF-8"?>
<customer>
  <customer-number type="integer">999</customer-number>
  <name>Clarence Carter</name>
  <first-name>Clarence</first-name>
  <last-name>Carter</last-name>
  <company type="boolean">false</company>
  <is-active type="boolean">true</is-active>
  <email-address>clarence@carter.example</email-address>
  <phone-number>517-555-0100</phone-number>
  <fax nil="true"/>
  <service-address>1 Main St</service-address>
  <service-city>Lansing</service-city>
  <service-state>MI</service-state>
  <service-zip-code>48933</service-zip-code>
  <service-country>US</service-country>
  <billing-address>PO Box 5</billing-address>
  <billing-city>Detroit</billing-city>
  <billing-zip-code>48201</billing-zip-code>
  <special-instructions>Gate &amp; dog &lt;friendly&gt;</special-instructions>
  <balance type="decimal">12.5</balance>
  <customer-source-id type="integer">12345</customer-source-id>
  <custom-text1>Gate code 1234</custom-text1>
  <custom-number1 type="decimal">3.5</custom-number1>
  <latitude type="float">42.7325</latitude>
  <send-reminders type="boolean">true</send-reminders>
  <children type="array"><child><name>ignored</name></child></children>
  <not-a-kickserv-field>dropped</not-a-kickserv-field>
</customer>
"""


def test_create_in_xml_answers_the_customer_as_its_json_twin(ks: Kickserv) -> None:
    response = post_xml(ks, "/customers.xml", CREATE)
    # A customer is rooted at <customers>, as Kickserv's own GET /customers/2.xml answers.
    created = answer(response, "customers")
    assert list(created) == CUSTOMER_KEYS
    assert created == ks.ok(ks.get("/customers/1.json"))
    assert created["customer_number"] == 1
    assert (created["name"], created["company"], created["is_active"]) == (
        "Clarence Carter",
        False,
        True,
    )
    assert created["special_instructions"] == "Gate & dog <friendly>"
    assert (created["balance"], created["customer_source_id"]) == ("12.50", 12345)
    assert (created["custom_number1"], created["latitude"]) == ("3.5", 42.7325)
    assert created["send_reminders"] is True
    assert created["children"] == []
    assert answer(ks.get("/customers/1.xml"), "customers") == created


def test_a_customer_made_in_xml_reads_the_same_through_v1(ks: Kickserv) -> None:
    created = answer(post_xml(ks, "/customers.xml", CREATE), "customers")
    client = ks.native.get(f"/v1/clients/{created['id']}").json()
    assert (client["number"], client["name"], client["kind"]) == (1, "Clarence Carter", "person")
    assert client["balance"] == "12.50"
    assert client["description"] == "Gate & dog <friendly>"
    assert [e["address"] for e in client["email_addresses"]] == ["clarence@carter.example"]
    assert [p["number"] for p in client["phone_numbers"]] == ["517-555-0100"]
    [billing] = [a for a in client["addresses"] if a["is_primary_billing"]]
    assert (billing["line1"], billing["city"], billing["postal_code"]) == (
        "PO Box 5",
        "Detroit",
        "48201",
    )
    [location] = ks.native.get(f"/v1/clients/{created['id']}/locations").json()["data"]
    assert (location["line1"], location["city"], location["postal_code"]) == (
        "1 Main St",
        "Lansing",
        "48933",
    )


def test_element_names_may_be_dasherized_or_underscored(ks: Kickserv) -> None:
    body = (
        "<customer><name>Under Score</name><service_zip_code>48933</service_zip_code>"
        "<email_address>u@s.example</email_address><service-city>Lansing</service-city>"
        "</customer>"
    )
    created = answer(post_xml(ks, "/customers.xml", body), "customers")
    assert (created["service_zip_code"], created["service_city"]) == ("48933", "Lansing")
    assert created["email_address"] == "u@s.example"


def test_the_v1_docs_example_creates_a_customer(ks: Kickserv) -> None:
    # curl -u TOKEN:TOKEN -H 'Content-Type: application/xml'
    #   -d "<customer><name>ABC Corp.</name></customer>" https://myapp.kickserv.com/customers.xml
    response = post_xml(ks, "/customers.xml", "<customer><name>ABC Corp.</name></customer>")
    created = answer(response, "customers")
    assert created == ks.create_customer(name="ABC Corp.") | {
        "id": created["id"],
        "customer_number": 1,
        "created_at": created["created_at"],
        "updated_at": created["updated_at"],
    }


def test_update_in_xml_then_read_back_through_every_door(ks: Kickserv) -> None:
    before = answer(post_xml(ks, "/customers.xml", CREATE), "customers")
    change = customer_xml(
        name="Samantha",
        phone_number=None,
        service_address="2 Oak Ave",
        is_active="false",
        custom_text2="second",
    )
    after = answer(put_xml(ks, "/customers/1.xml", change), "customers")
    assert after["name"] == "Samantha"
    assert after["phone_number"] is None
    assert (after["service_address"], after["service_city"]) == ("2 Oak Ave", "Lansing")
    assert after["is_active"] is False
    assert (after["custom_text1"], after["custom_text2"]) == ("Gate code 1234", "second")
    changed = {"name", "phone_number", "service_address", "is_active", "custom_text2"}
    unchanged = {k: v for k, v in before.items() if k not in {*changed, "updated_at"}}
    assert {k: v for k, v in after.items() if k not in {*changed, "updated_at"}} == unchanged
    assert ks.ok(ks.get("/customers/1.json")) == after
    assert answer(ks.get("/customers/1.xml"), "customers") == after
    client = ks.native.get(f"/v1/clients/{after['id']}").json()
    assert (client["name"], client["inactive"], client["phone_numbers"]) == ("Samantha", True, [])


def test_patch_in_xml_is_the_same_as_put(ks: Kickserv) -> None:
    ks.create_customer(name="Clarence", service_city="Lansing")
    response = ks.patch(
        "/customers/1.xml",
        content=customer_xml(service_city="Flint").encode(),
        headers={"Content-Type": "text/xml"},
    )
    after = answer(response, "customers")
    assert (after["name"], after["service_city"]) == ("Clarence", "Flint")


def test_delete_in_xml_answers_the_message_as_rails_renders_a_hash(ks: Kickserv) -> None:
    ks.create_customer(name="Doomed")
    response = ks.delete("/customers/1.xml")
    assert response.status_code == 200
    assert response.headers["content-type"] == XML
    assert response.text == (
        f"{DECLARATION}<hash>\n  <message>Customer successfully deleted</message>\n</hash>\n"
    )
    assert xml_errors(ks.get("/customers/1.xml"), 404) == ["Invalid customer."]
    assert ks.native.all_clients() == []


def test_an_unknown_customer_is_kickservs_xml_error(ks: Kickserv) -> None:
    response = ks.get("/customers/2000000.xml")
    assert response.status_code == 404
    assert response.headers["content-type"] == XML
    # Kickserv's recorded body (its status there was 400; this door answers 404, as JSON does).
    assert (
        response.text == f"{DECLARATION}<errors>\n  <error>Invalid customer.</error>\n</errors>\n"
    )
    assert xml_errors(put_xml(ks, "/customers/2.xml", customer_xml(name="X")), 404) == [
        "Invalid customer."
    ]
    assert xml_errors(ks.delete("/customers/2.xml"), 404) == ["Invalid customer."]


# --- the list ----------------------------------------------------------------------------------


def xml_names(ks: Kickserv, query: str) -> list[str]:
    customers = answer(ks.get(f"/customers.xml?{query}"), "customers")
    assert isinstance(customers, list)
    return [c["name"] for c in customers]


@pytest.fixture
def directory(ks: Kickserv) -> Kickserv:
    ks.create_customer(name="Wilfred Brimley", service_zip_code="48933", service_city="Lansing")
    ks.create_customer(name="Clarence Boddicker", service_zip_code="48201")
    ks.create_customer(name="Aime Pavao", service_zip_code="30102")
    ks.create_customer(name="Emil Antonowsky", service_zip_code="48933")
    return ks


def test_the_list_is_an_array_of_customers_as_its_json_twin(directory: Kickserv) -> None:
    node = element(directory.get("/customers.xml"))
    assert (node.tag, node.get("type")) == ("customers", "array")
    assert [child.tag for child in node] == ["customer"] * 4
    assert answer(directory.get("/customers.xml"), "customers") == directory.ok(
        directory.get("/customers.json")
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # The Kickserv gem's README: customers(service_zip_code: '30102'), (name: 'Aime Pavao').
        ("service_zip_code=30102", ["Aime Pavao"]),
        ("name=Aime%20Pavao", ["Aime Pavao"]),
        ("service_zip_code=48933", ["Wilfred Brimley", "Emil Antonowsky"]),
        ("service_zip_code=48933&name=emil%20antonowsky", ["Emil Antonowsky"]),
        ("customer_number=2", ["Clarence Boddicker"]),
        ("q=il", ["Wilfred Brimley", "Emil Antonowsky"]),
    ],
)
def test_list_filters_in_xml(directory: Kickserv, query: str, expected: list[str]) -> None:
    assert xml_names(directory, query) == expected
    json_names = [c["name"] for c in directory.ok(directory.get(f"/customers.json?{query}"))]
    assert json_names == expected


def test_no_match_is_kickservs_empty_array(directory: Kickserv) -> None:
    response = directory.get("/customers.xml?service_zip_code=99999")
    element(response)
    # Kickserv's recorded answer to customers.xml?service_zip_code=30102 on an empty book.
    assert response.text == f'{DECLARATION}<customers type="array"/>\n'


def test_pages_of_thirty_via_page_as_v1_pages(ks: Kickserv) -> None:
    for i in range(31):
        ks.create_customer(name=f"Customer {i:02d}")
    first = xml_names(ks, "")
    assert first == [f"Customer {i:02d}" for i in range(30)]
    assert xml_names(ks, "page=1") == first
    assert xml_names(ks, "page=2") == ["Customer 30"]
    assert xml_names(ks, "page=3") == []
    # The JSON door's name for it is read too; `page` wins when both are sent.
    assert xml_names(ks, "customers_page=2") == ["Customer 30"]
    assert xml_names(ks, "customers_page=2&page=1") == first
    assert xml_names(ks, "begins_with=c&page=2") == ["Customer 30"]


@pytest.mark.parametrize("page", ["0", "abc", str(2**31)])
def test_a_bad_page_is_400_naming_page(ks: Kickserv, page: str) -> None:
    assert xml_errors(ks.get(f"/customers.xml?page={page}"), 400) == [
        "Page must be a whole number of 1 or more"
    ]
    assert xml_errors(ks.get(f"/customers.xml?customers_page={page}"), 400) == [
        "Customers page must be a whole number of 1 or more"
    ]


def test_filter_and_customer_validation_answer_hashes(directory: Kickserv) -> None:
    found = answer(directory.get("/customers/filter.xml?name=ilfr"), "hash")
    assert found == directory.ok(directory.get("/customers/filter.json?name=ilfr"))
    none = answer(directory.get("/customers/filter.xml?name=zzz"), "hash")
    assert none == directory.ok(directory.get("/customers/filter.json?name=zzz"))
    assert all(v is None for v in none["customers"][0].values())
    body = "<customer><name>aime pavao</name></customer>"
    exist = answer(post_xml(directory, "/customers/customer_validation.xml", body), "hash")
    assert exist == directory.ok(
        directory.post("/customers/customer_validation.json", json={"name": "aime pavao"})
    )
    assert exist["status"] == "exist"
    bare = answer(
        post_xml(directory, "/customers/customer_validation.xml", "<name>Nobody</name>"), "hash"
    )
    assert bare == {"status": "not found"}


# --- refusals ----------------------------------------------------------------------------------

INVALID: dict[str, Any] = {
    "first_name": "No Name",
    "email_address": "not-an-email",
    "service_country": "USA",
    "billing_state": "x" * 101,
    "is_active": "maybe",
    "balance": "lots",
    "customer_source_id": "abc",
    "phone_number": "9" * 41,
}


def test_validation_errors_are_the_json_doors_as_full_messages(ks: Kickserv) -> None:
    response = post_xml(ks, "/customers.xml", customer_xml(**INVALID))
    messages = xml_errors(response, 422)
    json_errors = errors_of(ks.post("/customers.json", json={"customer": INVALID}), 422)
    assert messages == [full_message(f, m) for f, ms in json_errors.items() for m in ms]
    assert messages == [
        "Is active must be true or false",
        "Customer source must be an integer",
        'Balance must be a decimal amount, e.g. "12.50"',
        "Name can't be blank",
        "Service country must be a 2-letter ISO 3166-1 country code",
        "Billing state must be at most 100 characters",
        "Email address must be an email address",
        "Phone number must be at most 40 characters",
    ]
    assert ks.ok(ks.get("/customers.json")) == []


def test_a_value_that_is_not_one_value_is_refused_as_in_json(ks: Kickserv) -> None:
    body = "<customer><name><first>Cla</first></name><fax>1</fax><fax>2</fax></customer>"
    assert xml_errors(post_xml(ks, "/customers.xml", body), 422) == [
        "Name must be a string",
        "Fax must be a string",
    ]
    typed = (
        '<customer><name>X</name><customer-source-id type="integer">12x</customer-source-id>'
        "</customer>"
    )
    assert xml_errors(post_xml(ks, "/customers.xml", typed), 422) == [
        "Customer source must be an integer"
    ]


def test_a_refused_update_writes_nothing(ks: Kickserv) -> None:
    before = ks.create_customer(name="Clarence", service_city="Lansing")
    change = customer_xml(name="", service_city="Flint", email_address="x")
    assert xml_errors(put_xml(ks, "/customers/1.xml", change), 422) == [
        "Name can't be blank",
        "Email address must be an email address",
    ]
    assert ks.ok(ks.get("/customers/1.json")) == before


@pytest.mark.parametrize(
    "body",
    [
        "<client><name>Bare</name></client>",
        "<customer/>",
        '<customer nil="true"/>',
        "<customer>   </customer>",
        "",
        "<name>Bare</name>",
    ],
)
def test_a_body_without_a_customer_is_400(ks: Kickserv, body: str) -> None:
    assert xml_errors(post_xml(ks, "/customers.xml", body), 400) == [
        "Customer param is missing or the value is empty"
    ]
    assert ks.ok(ks.get("/customers.json")) == []


def test_a_body_that_is_not_xml_is_400(ks: Kickserv) -> None:
    [message] = xml_errors(post_xml(ks, "/customers.xml", "<customer><name>X</customer>"), 400)
    assert message.startswith("The body is not well-formed XML: mismatched tag: line 1")


def test_unknown_paths_and_verbs_answer_rails_404_in_xml(ks: Kickserv) -> None:
    assert xml_errors(ks.get("/widgets.xml"), 404) == [
        f'No route matches [GET] "/kickserv/{ks.slug}/widgets.xml"'
    ]
    assert xml_errors(ks.post("/customers/1.xml"), 404) == [
        f'No route matches [POST] "/kickserv/{ks.slug}/customers/1.xml"'
    ]
    assert errors_of(ks.get("/widgets.json"), 404)


def test_a_bad_token_is_kickservs_401_labelled_xml(ks: Kickserv) -> None:
    response = ks.http.get(f"{ks.base}/customers.xml", headers={"Authorization": "Basic eDp4"})
    assert response.status_code == 401
    assert response.text == "HTTP Basic: Access denied.\n"
    assert response.headers["content-type"] == XML
    assert response.headers["www-authenticate"] == 'Basic realm="Application"'
    json = ks.http.get(f"{ks.base}/customers.json", headers={"Authorization": "Basic eDp4"})
    assert json.headers["content-type"] == "text/plain; charset=utf-8"


# --- a body's format is its Content-Type's, as Rails reads it ----------------------------------


def test_a_json_body_on_an_xml_path_answers_xml(ks: Kickserv) -> None:
    response = ks.post("/customers.xml", json={"customer": {"name": "From JSON"}})
    assert answer(response, "customers")["name"] == "From JSON"


def test_an_xml_body_on_a_json_path_answers_json(ks: Kickserv) -> None:
    body = customer_xml(name="From XML", service_zip_code="48933")
    for content_type in ("application/xml", "text/xml; charset=utf-8"):
        response = ks.post(
            "/customers.json", content=body.encode(), headers={"Content-Type": content_type}
        )
        created = ks.ok(response)
        assert (created["name"], created["service_zip_code"]) == ("From XML", "48933")
    refused = ks.post(
        "/customers.json", content=b"<customer>", headers={"Content-Type": "application/xml"}
    )
    [message] = errors_of(refused, 400)["base"]
    assert message.startswith("The body is not well-formed XML")


def test_an_xml_body_without_a_content_type_is_read_as_xml_on_an_xml_path(ks: Kickserv) -> None:
    body = customer_xml(name="No Type").encode()
    for headers in ({}, {"Content-Type": "application/x-www-form-urlencoded"}):
        response = ks.post("/customers.xml", content=body, headers=headers)
        assert answer(response, "customers")["name"] == "No Type"


# --- what an XML client reads ------------------------------------------------------------------


def test_text_round_trips_through_xml(ks: Kickserv) -> None:
    name = "Ünïcødé & <Co> \"quoted\" 'single' \u2603"
    escaped = name.replace("&", "&amp;").replace("<", "&lt;")
    body = (
        f"<customer><name>{escaped}</name>"
        "<special-instructions>line 1&#13;\nline 2\tend</special-instructions></customer>"
    )
    created = answer(post_xml(ks, "/customers.xml", body), "customers")
    assert created["name"] == name
    assert created["special_instructions"] == "line 1\r\nline 2\tend"
    assert ks.ok(ks.get("/customers/1.json"))["special_instructions"] == "line 1\r\nline 2\tend"


def test_text_xml_cannot_carry_is_written_as_a_replacement_character(ks: Kickserv) -> None:
    ks.create_customer(name="Bell\u0007 Co", special_instructions="esc\u001b")
    shown = answer(ks.get("/customers/1.xml"), "customers")
    assert (shown["name"], shown["special_instructions"]) == ("Bell\ufffd Co", "esc\ufffd")
    assert ks.ok(ks.get("/customers/1.json"))["name"] == "Bell\u0007 Co"


def test_every_json_route_has_an_xml_twin() -> None:
    json_routes = {(p, tuple(s)) for p, s in routes.TABLE}
    xml_routes = {(p.removesuffix(".xml") + ".json", tuple(s)) for p, s in routes.XML_TABLE}
    assert xml_routes == json_routes
    assert all(p.endswith(".xml") for p, _ in routes.XML_TABLE)


def test_the_json_hot_lane_is_unchanged(ks: Kickserv) -> None:
    """A customer's JSON GET is still served from its stored document via the lane; the XML
    twins take the router."""
    hot_handlers = {customers.show_customer, customers.list_customers}
    assert all(s["GET"].handler not in hot_handlers for _p, s in routes.XML_TABLE if "GET" in s)
    lane = ks.http.app.lane  # type: ignore[attr-defined]
    kickserv_hot = [h for h in lane.routes if h.prefix.startswith("/kickserv/")]
    assert kickserv_hot
    assert not any("xml" in h.regex.pattern for h in kickserv_hot)
