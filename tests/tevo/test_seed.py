"""Seed 001's example requests, replayed verbatim and signed: POST /v9/clients answers 201 with
every documented field and the primaries derived from the request's flags."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.tevo.conftest import Tevo
from tests.tevo.helpers import string_id, timestamp
from tests.tevo.seed import (
    ADDRESS_KEYS,
    BROKERAGE_KEYS,
    EMAIL_KEYS,
    FULL_RESPONSE_KEYS,
    MINIMAL_REQUEST,
    MINIMAL_RESPONSE_KEYS,
    OFFICE_KEYS,
    PHONE_KEYS,
    full_request,
)


def office(tevo: Tevo) -> dict[str, Any]:
    account = tevo.credentials
    return {
        "brokerage": {
            "url": f"/v9/brokerages/{account['id']}",
            "name": account["name"],
            "id": str(account["id"]),
            "abbreviation": account["slug"].upper(),
        },
        "url": f"/v9/offices/{tevo.office_id}",
        "name": "Main Office",
        "id": str(tevo.office_id),
        "pcc_code": None,
    }


def test_minimal_example_replayed_verbatim(tevo: Tevo) -> None:
    response = tevo.request("POST", "/clients", content=MINIMAL_REQUEST)

    assert response.status_code == 201, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["clients"]
    [client] = body["clients"]
    assert set(client) >= MINIMAL_RESPONSE_KEYS
    client_id = string_id(client["id"])
    assert client == {
        "id": str(client_id),
        "url": f"/v9/clients/{client_id}",
        "name": "Ned Flanders",
        "notes": None,
        "balance": "0.0",
        "tags": [],
        "company": None,
        "office": office(tevo),
        "addresses": [],
        "phone_numbers": [],
        "email_addresses": [],
        "primary_shipping_address": None,
        "primary_billing_address": None,
        "primary_phone_number": None,
        "primary_email_address": None,
        "primary_credit_card": None,
        "affiliate_store": None,
        "pnr_id": None,
        "commission_junction_sid": None,
        "updated_at": timestamp(client["updated_at"]),
    }
    # What the create answered is what a read answers.
    assert tevo.get(f"/clients/{client_id}").json() == client


def test_full_example_replayed_verbatim_with_an_office_of_the_account(
    tevo: Tevo, native: Api
) -> None:
    response = tevo.request("POST", "/clients", content=full_request(tevo.office_id))

    assert response.status_code == 201, response.text
    [client] = response.json()["clients"]
    assert set(client) >= FULL_RESPONSE_KEYS
    client_id = string_id(client["id"])
    url = f"/v9/clients/{client_id}"

    # Embedded records are listed newest first, as in the vendor's example.
    work, home = client["addresses"]
    for address in (work, home):
        assert set(address) >= ADDRESS_KEYS
    assert string_id(work["id"]) > string_id(home["id"])
    assert work == {
        "id": work["id"],
        "url": f"{url}/addresses/{work['id']}",
        "label": "work",
        "name": "Ned Flanders",
        "company": "The Leftorium",
        "street_address": "7721 Springfield Mall Drive",
        "extended_address": "Suite 202",
        "locality": "Springfield",
        "region": "OR",
        "postal_code": "97475",
        "country_code": "US",
        "latitude": None,
        "longitude": None,
        "po_box": False,
        "primary": False,
        "primary_shipping_address": True,
        "primary_billing_address": False,
        "updated_at": timestamp(work["updated_at"]),
    }
    assert home == {
        "id": home["id"],
        "url": f"{url}/addresses/{home['id']}",
        "label": "home",
        "name": "Ned Flanders",
        "company": None,
        "street_address": "742 Evergreen Terrace",
        "extended_address": None,
        "locality": "Springfield",
        "region": "OR",
        "postal_code": "97475",
        "country_code": "US",
        "latitude": None,
        "longitude": None,
        "po_box": False,
        "primary": False,
        "primary_shipping_address": False,
        "primary_billing_address": True,
        "updated_at": timestamp(home["updated_at"]),
    }

    cell, work_phone, home_phone = client["phone_numbers"]
    for phone in (cell, work_phone, home_phone):
        assert set(phone) >= PHONE_KEYS
    assert string_id(cell["id"]) > string_id(work_phone["id"]) > string_id(home_phone["id"])

    def phone(rec: dict[str, Any], label: str, number: str, ext: str | None, primary: bool) -> None:
        assert rec == {
            "id": rec["id"],
            "url": f"{url}/phone_numbers/{rec['id']}",
            "label": label,
            "country_code": "1",
            "area_code": None,
            "number": number,
            "extension": ext,
            "raw_number": number,
            "primary": primary,
            "updated_at": timestamp(rec["updated_at"]),
        }

    phone(cell, "cell", "541-555-0573", None, True)
    phone(work_phone, "work", "541-555-0987", "5", False)
    phone(home_phone, "home", "541-555-0123", None, False)

    work_email, home_email = client["email_addresses"]
    for email in (work_email, home_email):
        assert set(email) >= EMAIL_KEYS
    assert work_email == {
        "id": work_email["id"],
        "url": f"{url}/email_addresses/{work_email['id']}",
        "address": "theleftorium@example.com",
        "label": "work",
        "primary": True,
        "updated_at": timestamp(work_email["updated_at"]),
    }
    assert home_email == {
        "id": home_email["id"],
        "url": f"{url}/email_addresses/{home_email['id']}",
        "address": "nedflanders@example.com",
        "label": "home",
        "primary": False,
        "updated_at": timestamp(home_email["updated_at"]),
    }

    company = client["company"]
    company_id = string_id(company["id"])
    assert company == {
        "id": str(company_id),
        "url": f"/v9/companies/{company_id}",
        "name": "The Leftorium",
        "updated_at": timestamp(company["updated_at"]),
    }
    assert set(client["office"]) >= OFFICE_KEYS
    assert set(client["office"]["brokerage"]) >= BROKERAGE_KEYS

    assert client == {
        "id": str(client_id),
        "url": url,
        "name": "Ned Flanders",
        "notes": "Fan of rock band Kovenant, (ex-girlfriend Rachel Jordan is singer).",
        "balance": "0.0",
        "tags": ["VIP", "Left Handed", "Mustache Afficianado"],
        "company": company,
        "office": office(tevo),
        "addresses": [work, home],
        "phone_numbers": [cell, work_phone, home_phone],
        "email_addresses": [work_email, home_email],
        # Derived from the request's flags.
        "primary_shipping_address": work,
        "primary_billing_address": home,
        "primary_phone_number": cell,
        "primary_email_address": work_email,
        "primary_credit_card": None,
        "affiliate_store": None,
        "pnr_id": None,
        "commission_junction_sid": None,
        "updated_at": timestamp(client["updated_at"]),
    }
    assert tevo.get(f"/clients/{client_id}").json() == client

    # The company object made a company of the account.
    companies = native.get("/v1/companies").json()["data"]
    assert [(c["id"], c["name"]) for c in companies] == [(company_id, "The Leftorium")]


def test_full_example_with_the_docs_office_id_is_refused(tevo: Tevo, native: Api) -> None:
    """Office 1937 is not one of this account's offices: 422, and nothing is written."""
    response = tevo.request("POST", "/clients", content=full_request(1937 + tevo.office_id))

    assert response.status_code == 422, response.text
    [refused] = response.json()["clients"]
    assert refused["errors"] == {"office_id": [f"no office with id {1937 + tevo.office_id}"]}
    assert refused["id"] is None
    assert native.all_clients() == []
    assert native.get("/v1/companies").json()["data"] == []
