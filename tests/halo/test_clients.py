"""GET/POST /Client, GET/DELETE /Client/{id}: the Area_View envelope, the documented list
parameters, upserts, and errors."""

from __future__ import annotations

from typing import Any

import pytest

from tests.halo.conftest import Halo, halo_error


def names(view: dict[str, Any]) -> list[str]:
    return [c["name"] for c in view["clients"]]


def test_create_answers_201_with_the_area(halo: Halo) -> None:
    response = halo.post(
        "/Client",
        json=[
            {
                "name": "ACME Corp",
                "notes": "VIP client",
                "website": "https://acme.example",
                "accountsemailaddress": "billing@acme.example",
                "inactive": False,
                "colour": "#ff0000",
                "pritech": 4,
            }
        ],
    )
    assert response.status_code == 201, response.text
    area = response.json()
    assert isinstance(area["id"], int)
    assert area["name"] == "ACME Corp"
    assert area["notes"] == "VIP client"
    assert area["website"] == "https://acme.example"
    assert area["accountsemailaddress"] == "billing@acme.example"
    assert area["inactive"] is False
    assert area["colour"] == "#ff0000"
    assert area["pritech"] == 4
    assert area["toplevel_id"] is None and area["toplevel_name"] is None
    assert area["main_site_id"] is None and area["main_site_name"] is None
    assert area["datecreated"].endswith("Z")
    assert area["customfields"] == []
    assert halo.get(f"/Client/{area['id']}").json() == area


def test_list_envelope_is_area_view(halo: Halo) -> None:
    first = halo.create_client(name="Alpha")
    halo.create_client(name="Beta")
    view = halo.clients()
    assert set(view) == {"page_no", "page_size", "record_count", "clients"}
    assert view["page_no"] is None and view["page_size"] is None
    assert view["record_count"] == 2
    assert names(view) == ["Alpha", "Beta"]
    row = view["clients"][0]
    assert row["id"] == first["id"]
    assert row["toplevel_id"] is None
    # notes and custom fields come only when asked for
    assert "notes" not in row and "customfields" not in row


def test_upsert_updates_only_the_fields_carried(halo: Halo) -> None:
    created = halo.create_client(
        name="Before", notes="keep me", colour="#111111", pritech=2, website="https://a.example"
    )
    response = halo.post("/Client", json=[{"id": created["id"], "name": "After", "pritech": 3}])
    assert response.status_code == 201, response.text
    updated = response.json()
    assert updated["id"] == created["id"]
    assert updated["name"] == "After"
    assert updated["pritech"] == 3
    assert updated["notes"] == "keep me"
    assert updated["colour"] == "#111111"
    assert updated["website"] == "https://a.example"
    assert updated["datecreated"] == created["datecreated"]
    assert halo.clients()["record_count"] == 1
    assert halo.get(f"/Client/{created['id']}").json() == updated


def test_id_zero_or_null_creates(halo: Halo) -> None:
    a = halo.post("/Client", json=[{"id": 0, "name": "Zero"}]).json()
    b = halo.post("/Client", json=[{"id": None, "name": "Null"}]).json()
    assert a["id"] != b["id"] and a["id"] > 0
    assert names(halo.clients()) == ["Null", "Zero"]


def test_update_of_an_unknown_id_is_404(halo: Halo) -> None:
    response = halo.post("/Client", json=[{"id": 999999, "name": "Ghost"}])
    assert response.status_code == 404
    assert halo_error(response)["error"] == "not_found"
    assert "999999" in response.json()["error_description"]
    assert halo.clients()["record_count"] == 0


def test_a_multi_element_post_answers_with_every_area_in_order(halo: Halo) -> None:
    existing = halo.create_client(name="Existing")
    response = halo.post(
        "/Client",
        json=[{"name": "New One"}, {"id": existing["id"], "notes": "changed"}, {"name": "New Two"}],
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert isinstance(body, list)
    assert [a["name"] for a in body] == ["New One", "Existing", "New Two"]
    assert body[1]["id"] == existing["id"] and body[1]["notes"] == "changed"
    assert halo.clients()["record_count"] == 3


def test_a_refused_element_writes_nothing(halo: Halo) -> None:
    response = halo.post(
        "/Client",
        json=[{"name": "Fine"}, {"name": "Bad", "accountsemailaddress": "not-an-email"}],
    )
    assert response.status_code == 400
    error = halo_error(response)
    assert error["error"] == "invalid_field"
    assert error["field"] == "[1].accountsemailaddress"
    assert "email" in error["error_description"]
    assert halo.clients()["record_count"] == 0


def test_name_is_required_on_create(halo: Halo) -> None:
    response = halo.post("/Client", json=[{"colour": "#fff"}])
    assert response.status_code == 400
    assert halo_error(response)["field"] == "[0].name"
    blank = halo.post("/Client", json=[{"name": "   "}])
    assert blank.status_code == 400
    assert halo_error(blank)["field"] == "[0].name"


@pytest.mark.parametrize(
    ("body", "content_type", "fragment"),
    [
        (b'[{"name": "x"', "application/json", "not valid JSON"),
        (b'"x"', "application/json", "array"),
        (b"12", "application/json", "or one Area object"),
        (b"[]", "application/json", "empty"),
        (b'["x"]', "application/json", "not a JSON object"),
        (b"", "application/json", "needs a JSON array"),
        (b"name=x", "application/x-www-form-urlencoded", "application/json"),
    ],
)
def test_malformed_bodies_are_400(
    halo: Halo, body: bytes, content_type: str, fragment: str
) -> None:
    response = halo.post("/Client", content=body, headers={"Content-Type": content_type})
    assert response.status_code == 400
    error = halo_error(response)
    assert error["error"] == "bad_request"
    assert fragment in error["error_description"]
    assert halo.clients()["record_count"] == 0


def test_halo_content_types_are_accepted(halo: Halo) -> None:
    for content_type in ("application/json-patch+json", "text/json", "application/*+json"):
        response = halo.post(
            "/Client", content=b'[{"name": "Typed"}]', headers={"Content-Type": content_type}
        )
        assert response.status_code == 201, content_type


def test_wrongly_typed_fields_are_400_naming_the_field(halo: Halo) -> None:
    for element, field in (
        ({"name": 5}, "[0].name"),
        ({"name": "x", "inactive": "yes"}, "[0].inactive"),
        ({"name": "x", "toplevel_id": "one"}, "[0].toplevel_id"),
        ({"name": "x", "toplevel_id": 424242}, "[0].toplevel_id"),
        ({"name": "x", "toplevel_name": "y" * 201}, "[0].toplevel_name"),
        ({"name": "x", "customfields": {"id": 1}}, "[0].customfields"),
        ({"name": "x", "website": "not a url"}, "[0].website"),
        ({"id": "abc", "name": "x"}, "[0].id"),
    ):
        response = halo.post("/Client", json=[element])
        assert response.status_code == 400, element
        assert halo_error(response)["field"] == field


def test_get_and_delete(halo: Halo) -> None:
    created = halo.create_client(name="Doomed")
    got = halo.get(f"/Client/{created['id']}", params={"includedetails": "true"})
    assert got.status_code == 200
    assert got.json() == created
    deleted = halo.delete(f"/Client/{created['id']}")
    assert deleted.status_code == 200
    assert deleted.content == b""
    missing = halo.get(f"/Client/{created['id']}")
    assert missing.status_code == 404
    assert halo_error(missing)["error"] == "not_found"
    assert halo.delete(f"/Client/{created['id']}").status_code == 404
    assert halo.get("/Client/99999999999999999999").status_code == 404


def test_client_me_has_no_end_user(halo: Halo) -> None:
    response = halo.get("/Client/me")
    assert response.status_code == 404
    assert "end user" in halo_error(response)["error_description"]


# --- list parameters ---------------------------------------------------------------------------


@pytest.fixture
def roster(halo: Halo) -> dict[str, dict[str, Any]]:
    group = halo.native.post("/v1/companies", json={"name": "Group One"}).json()
    made = {}
    for name, extra in (
        ("Apple Farm", {"toplevel_id": group["id"], "notes": "fruit"}),
        ("banana Stand", {"toplevel_id": group["id"]}),
        ("Cherry Co", {"inactive": True}),
        ("Date Palace", {"accountsemailaddress": "dates@palace.example"}),
        ("Elder Things", {"inactive": True, "toplevel_id": group["id"]}),
    ):
        made[name] = halo.create_client(name=name, **extra)
    made["_group"] = group
    return made


def test_active_clients_only_by_default(halo: Halo, roster: dict[str, Any]) -> None:
    assert names(halo.clients()) == ["Apple Farm", "banana Stand", "Date Palace"]
    assert names(halo.clients("?includeinactive=true")) == [
        "Apple Farm",
        "banana Stand",
        "Cherry Co",
        "Date Palace",
        "Elder Things",
    ]
    assert names(halo.clients("?includeinactive=True&includeactive=False")) == [
        "Cherry Co",
        "Elder Things",
    ]
    assert names(halo.clients("?activeinactive=false,true")) == ["Cherry Co", "Elder Things"]
    assert halo.clients("?activeinactive=true,true")["record_count"] == 5
    nothing = halo.clients("?includeactive=0")
    assert nothing["record_count"] == 0 and nothing["clients"] == []


def test_boolean_spellings_halo_libraries_send(halo: Halo, roster: dict[str, Any]) -> None:
    for value in ("true", "True", "TRUE", "1"):
        assert halo.clients(f"?includeinactive={value}")["record_count"] == 5, value
    for value in ("false", "False", "0"):
        assert halo.clients(f"?includeinactive={value}")["record_count"] == 3, value
    bad = halo.get("/Client?includeinactive=maybe")
    assert bad.status_code == 400
    assert halo_error(bad)["error"] == "invalid_parameter"
    assert halo_error(bad)["field"] == "includeinactive"


def test_search_and_search_name_only(halo: Halo, roster: dict[str, Any]) -> None:
    assert names(halo.clients("?search=an")) == ["banana Stand"]
    # case-insensitive, anywhere in the name
    assert names(halo.clients("?search=PALACE")) == ["Date Palace"]
    assert names(halo.clients("?search_name_only=apple")) == ["Apple Farm"]
    assert names(halo.clients("?search=farm&search_name_only=true")) == ["Apple Farm"]
    assert names(halo.clients("?search=zzz")) == []


def test_toplevel_filter(halo: Halo, roster: dict[str, Any]) -> None:
    group_id = roster["_group"]["id"]
    view = halo.clients(f"?toplevel_id={group_id}")
    assert names(view) == ["Apple Farm", "banana Stand"]
    assert {c["toplevel_name"] for c in view["clients"]} == {"Group One"}
    assert halo.clients(f"?toplevel_id={group_id}&includeinactive=true")["record_count"] == 3
    bad = halo.get("/Client?toplevel_id=abc")
    assert bad.status_code == 400 and halo_error(bad)["field"] == "toplevel_id"


def test_idonly_and_count(halo: Halo, roster: dict[str, Any]) -> None:
    ids = halo.clients("?idonly=true")
    assert ids["clients"] == [
        {"id": roster[n]["id"]} for n in ("Apple Farm", "banana Stand", "Date Palace")
    ]
    counted = halo.clients("?count=2")
    assert names(counted) == ["Apple Farm", "banana Stand"]
    assert counted["record_count"] == 3
    # idonly is not compatible with pagination: it lists every id
    assert len(halo.clients("?idonly=true&pageinate=true&page_size=1")["clients"]) == 3
    assert halo.get("/Client?count=0").status_code == 400


def test_pageinate_pages_by_number(halo: Halo, roster: dict[str, Any]) -> None:
    query = "?pageinate=true&page_size=2&includeinactive=true"
    first = halo.clients(query + "&page_no=1")
    assert first["page_no"] == 1 and first["page_size"] == 2 and first["record_count"] == 5
    assert names(first) == ["Apple Farm", "banana Stand"]
    assert names(halo.clients(query + "&page_no=2")) == ["Cherry Co", "Date Palace"]
    assert names(halo.clients(query + "&page_no=3")) == ["Elder Things"]
    assert halo.clients(query + "&page_no=4")["clients"] == []
    default = halo.clients("?pageinate=true")
    assert default["page_no"] == 1 and default["page_size"] == 50
    assert halo.get("/Client?pageinate=true&page_no=0").status_code == 400
    assert halo.get("/Client?pageinate=true&page_size=-1").status_code == 400


def test_order_fields_and_directions(halo: Halo, roster: dict[str, Any]) -> None:
    assert names(halo.clients("?orderdesc=true")) == ["Date Palace", "banana Stand", "Apple Farm"]
    assert names(halo.clients("?order=id&orderdesc=True")) == [
        "Date Palace",
        "banana Stand",
        "Apple Farm",
    ]
    by_group = halo.clients("?order=toplevel_id&orderdesc=true&order2=name&orderdesc2=true")
    assert names(by_group) == ["banana Stand", "Apple Farm", "Date Palace"]
    by_email = halo.clients("?order=accountsemailaddress&order2=name")
    assert names(by_email) == ["Date Palace", "Apple Farm", "banana Stand"]
    # a field this door cannot sort by is ignored, like any unsupported parameter
    assert names(halo.clients("?order=colour")) == ["Apple Farm", "banana Stand", "Date Palace"]


def test_includenotes_and_include_custom_fields(halo: Halo) -> None:
    halo.create_client(
        name="Noted",
        notes="the notes",
        customfields=[{"id": 7, "name": "tier", "value": "gold"}, {"id": 8, "value": 3}],
    )
    plain = halo.clients()["clients"][0]
    assert "notes" not in plain and "customfields" not in plain
    noted = halo.clients("?includenotes=true")["clients"][0]
    assert noted["notes"] == "the notes"
    wanted = halo.clients("?include_custom_fields=8")["clients"][0]
    assert wanted["customfields"] == [{"id": 8, "value": 3}]
    both = halo.clients("?include_custom_fields=7,8")["clients"][0]
    assert both["customfields"] == [
        {"id": 7, "name": "tier", "value": "gold"},
        {"id": 8, "value": 3},
    ]


def test_unsupported_parameters_are_ignored(halo: Halo, roster: dict[str, Any]) -> None:
    plain = halo.clients()
    for query in (
        "?view_id=3",
        "?includecolumns=true&columns_id=9",
        "?integration_type=xero&integration_tenantids=1",
        "?lastupdatefromdate=true&advanced_search=abc",
        "?whatever=1&includeazuretenants=not-a-bool",
        "?SEARCH=",
    ):
        assert halo.clients(query) == plain, query


def test_query_parameter_names_ignore_case(halo: Halo, roster: dict[str, Any]) -> None:
    assert names(halo.clients("?Search=cherry&IncludeInactive=True")) == ["Cherry Co"]


def test_new_accounts_id_sets_only_the_accounts_id(halo: Halo) -> None:
    a = halo.create_client(name="Ledger A", accountsid="OLD-1", colour="#010101")
    b = halo.create_client(name="Ledger B")
    response = halo.post(
        "/Client/NewAccountsId",
        json=[{"id": a["id"], "accountsid": "XERO-9", "name": "ignored"}],
    )
    assert response.status_code == 200, response.text
    area = response.json()
    assert area["accountsid"] == "XERO-9"
    assert area["name"] == "Ledger A" and area["colour"] == "#010101"
    both = halo.post(
        "/Client/newaccountsid",
        json=[{"id": a["id"], "accountsid": "A2"}, {"id": b["id"], "accountsid": "B2"}],
    )
    assert [x["accountsid"] for x in both.json()] == ["A2", "B2"]
    assert halo.get(f"/Client/{b['id']}").json()["accountsid"] == "B2"
    for element, status, field in (
        ({"accountsid": "no id"}, 400, "[0].id"),
        ({"id": b["id"]}, 400, "[0].accountsid"),
        ({"id": 999999, "accountsid": "x"}, 404, None),
    ):
        refused = halo.post("/Client/NewAccountsId", json=[element])
        assert refused.status_code == status, element
        assert halo_error(refused)["field"] == field
    assert halo.get(f"/Client/{b['id']}").json()["accountsid"] == "B2"


def test_payment_method_update_changes_only_payment_fields(halo: Halo) -> None:
    client = halo.create_client(name="Payer", notes="keep", stripe_customer_id="cus_1")
    response = halo.post(
        "/Client/PaymentMethodUpdate",
        json=[
            {
                "id": client["id"],
                "stripe_payment_method_id": "pm_2",
                "stripe_payment_method_name": "Visa 4242",
                "stripe_paymentmethod": {"id": "pm_2", "brand": "visa"},
                "notes": "not a payment field",
            }
        ],
    )
    assert response.status_code == 200, response.text
    area = response.json()
    assert area["stripe_customer_id"] == "cus_1"
    assert area["stripe_payment_method_id"] == "pm_2"
    assert area["stripe_payment_method_name"] == "Visa 4242"
    assert area["stripe_paymentmethod"] == {"id": "pm_2", "brand": "visa"}
    assert area["notes"] == "keep"
    nothing = halo.post("/Client/PaymentMethodUpdate", json=[{"id": client["id"], "notes": "x"}])
    assert nothing.status_code == 400
    assert halo_error(nothing)["field"] == "[0]"
    # One bare object is read as an array of it; its fields are named without a position.
    bare = halo.post("/Client/PaymentMethodUpdate", json={"id": client["id"]})
    assert bare.status_code == 400
    assert halo_error(bare)["field"] is None
