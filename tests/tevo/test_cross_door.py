"""One client, two doors: what Ticket Evolution writes reads back through the native API, and
what the native API writes reads back through Ticket Evolution."""

from __future__ import annotations

from tests.conftest import Api
from tests.tevo.conftest import Tevo
from tests.tevo.helpers import timestamp
from tests.tevo.seed import full_request


def test_created_through_tevo_read_through_native(tevo: Tevo, native: Api) -> None:
    response = tevo.request("POST", "/clients", content=full_request(tevo.office_id))
    assert response.status_code == 201, response.text
    [made] = response.json()["clients"]

    client = native.get(f"/v1/clients/{made['id']}").json()
    assert client["id"] == int(made["id"])
    assert client["name"] == "Ned Flanders"
    assert client["description"] == (
        "Fan of rock band Kovenant, (ex-girlfriend Rachel Jordan is singer)."
    )
    assert sorted(client["tags"]) == sorted(["VIP", "Left Handed", "Mustache Afficianado"])
    assert client["office_id"] == tevo.office_id
    assert client["company_id"] == int(made["company"]["id"])
    assert client["balance"] == "0.00"
    assert native.get(f"/v1/companies/{client['company_id']}").json()["name"] == "The Leftorium"

    addresses = {a["label"]: a for a in client["addresses"]}
    home = addresses["home"]
    assert {k: home[k] for k in ("name", "company", "line1", "line2", "city", "region")} == {
        "name": "Ned Flanders",
        "company": None,
        "line1": "742 Evergreen Terrace",
        "line2": None,
        "city": "Springfield",
        "region": "OR",
    }
    assert (home["postal_code"], home["country"]) == ("97475", "US")
    assert (home["is_primary"], home["is_primary_billing"], home["is_primary_shipping"]) == (
        False,
        True,
        False,
    )
    work = addresses["work"]
    assert (work["line1"], work["line2"], work["company"]) == (
        "7721 Springfield Mall Drive",
        "Suite 202",
        "The Leftorium",
    )
    assert (work["is_primary"], work["is_primary_billing"], work["is_primary_shipping"]) == (
        False,
        False,
        True,
    )
    phones = [
        (p["label"], p["country_code"], p["number"], p["extension"], p["is_primary"])
        for p in client["phone_numbers"]
    ]
    assert phones == [
        ("home", "1", "541-555-0123", None, False),
        ("work", "1", "541-555-0987", "5", False),
        ("cell", "1", "541-555-0573", None, True),
    ]
    emails = [(e["label"], e["address"], e["is_primary"]) for e in client["email_addresses"]]
    assert emails == [
        ("home", "nedflanders@example.com", False),
        ("work", "theleftorium@example.com", True),
    ]
    # The same client in both lists.
    assert [c["id"] for c in native.all_clients()] == [int(made["id"])]


def test_created_through_native_read_through_tevo(tevo: Tevo, native: Api) -> None:
    company = native.post("/v1/companies", json={"name": "Kwik-E-Mart"}).json()
    made = native.create_client(
        name="Apu Nahasapeemapetilon",
        description="Thank you, come again.",
        tags=["night shift", "owner"],
        company_id=company["id"],
        balance="1234.5",
        addresses=[
            {
                "label": "store",
                "line1": "123 Main St",
                "line2": "Unit 4",
                "city": "Springfield",
                "region": "OR",
                "postal_code": "97475",
                "country": "US",
                "latitude": 44.05,
                "is_primary": True,
                "is_primary_shipping": True,
            }
        ],
        phone_numbers=[
            {"label": "store", "country_code": "+1", "area_code": "541", "number": "555-0100"}
        ],
        email_addresses=[{"label": "work", "address": "apu@kwik.example", "is_primary": True}],
    )
    client = tevo.get(f"/clients/{made['id']}").json()
    [address] = client["addresses"]
    [phone] = client["phone_numbers"]
    [email] = client["email_addresses"]
    url = f"/v9/clients/{made['id']}"
    assert address == {
        "id": str(made["addresses"][0]["id"]),
        "url": f"{url}/addresses/{made['addresses'][0]['id']}",
        "label": "store",
        "name": None,
        "company": None,
        "street_address": "123 Main St",
        "extended_address": "Unit 4",
        "locality": "Springfield",
        "region": "OR",
        "postal_code": "97475",
        "country_code": "US",
        "latitude": 44.05,
        "longitude": None,
        "po_box": False,
        "primary": True,
        "primary_shipping_address": True,
        "primary_billing_address": False,
        "updated_at": timestamp(address["updated_at"]),
    }
    assert phone == {
        "id": str(made["phone_numbers"][0]["id"]),
        "url": f"{url}/phone_numbers/{made['phone_numbers'][0]['id']}",
        "label": "store",
        "country_code": "1",
        "area_code": "541",
        "number": "555-0100",
        "extension": None,
        "raw_number": "555-0100",
        "primary": False,
        "updated_at": timestamp(phone["updated_at"]),
    }
    assert email == {
        "id": str(made["email_addresses"][0]["id"]),
        "url": f"{url}/email_addresses/{made['email_addresses'][0]['id']}",
        "address": "apu@kwik.example",
        "label": "work",
        "primary": True,
        "updated_at": timestamp(email["updated_at"]),
    }
    assert client["name"] == "Apu Nahasapeemapetilon"
    assert client["notes"] == "Thank you, come again."
    assert client["tags"] == ["night shift", "owner"]
    assert client["balance"] == "1234.5"
    assert client["company"] == {
        "id": str(company["id"]),
        "url": f"/v9/companies/{company['id']}",
        "name": "Kwik-E-Mart",
        "updated_at": timestamp(client["company"]["updated_at"]),
    }
    assert client["office"]["id"] == str(tevo.office_id)
    assert client["primary_shipping_address"] == address
    assert client["primary_billing_address"] is None
    assert client["primary_phone_number"] is None
    assert client["primary_email_address"] == email
    assert client["updated_at"] == made["updated_at"][:19] + "Z"
    assert tevo.get("/clients").json()["clients"] == [client]


def test_updates_cross_both_ways(tevo: Tevo, native: Api) -> None:
    made = tevo.create_client(tags=["VIP"], email_addresses=[{"address": "ned@example.com"}])
    tevo.put(f"/clients/{made['id']}", {"name": "Nedward Flanders", "notes": "Okily dokily"})
    client = native.get(f"/v1/clients/{made['id']}").json()
    assert (client["name"], client["description"]) == ("Nedward Flanders", "Okily dokily")

    response = native.patch(
        f"/v1/clients/{made['id']}", json={"add_tags": ["neighbor"], "inactive": True}
    )
    assert response.status_code == 200, response.text
    email_id = made["email_addresses"][0]["id"]
    response = native.patch(
        f"/v1/clients/{made['id']}/email_addresses/{email_id}", json={"is_primary": True}
    )
    assert response.status_code == 200, response.text
    after = tevo.get(f"/clients/{made['id']}").json()
    assert after["tags"] == ["VIP", "neighbor"]
    assert after["primary_email_address"]["id"] == email_id
    assert after["name"] == "Nedward Flanders"

    # A sub-resource created through this door is the native API's too.
    response = tevo.post(
        f"/clients/{made['id']}/phone_numbers",
        {"phone_numbers": [{"number": "541-555-0199", "country_code": "+44"}]},
    )
    assert response.status_code == 201
    phones = native.get(f"/v1/clients/{made['id']}/phone_numbers").json()["data"]
    assert [(p["number"], p["country_code"]) for p in phones] == [("541-555-0199", "44")]
    # ...and a record deleted there is gone here.
    native.delete(f"/v1/clients/{made['id']}/phone_numbers/{phones[0]['id']}")
    assert tevo.get(f"/clients/{made['id']}/phone_numbers").json()["total_entries"] == 0
