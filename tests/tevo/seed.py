"""The example requests of seed 001 (Ticket Evolution "Clients / Create"), verbatim."""

from __future__ import annotations

MINIMAL_REQUEST = """{
  "clients": [
    {
      "name": "Ned Flanders"
    }
  ]
}"""

# The docs' example names office 1937 of their sandbox brokerage; a replay puts one of the
# account's own offices in its place (the only change).
FULL_REQUEST = """{
  "clients": [
    {
      "office_id": 1937,
      "name": "Ned Flanders",
      "tags": [
        "VIP",
        "Left Handed",
        "Mustache Afficianado"
      ],
      "company": {
        "name": "The Leftorium"
      },
      "notes": "Fan of rock band Kovenant, (ex-girlfriend Rachel Jordan is singer).",
      "email_addresses": [
        {
          "label": "home",
          "address": "nedflanders@example.com",
          "is_primary": false
        },
        {
          "label": "work",
          "address": "theleftorium@example.com",
          "is_primary": true
        }
      ],
      "addresses": [
        {
          "label": "home",
          "name": "Ned Flanders",
          "company": null,
          "street_address": "742 Evergreen Terrace",
          "extended_address": null,
          "locality": "Springfield",
          "region": "OR",
          "postal_code": "97475",
          "country_code": "US",
          "is_primary_shipping": false,
          "is_primary_billing": true
        },
        {
          "label": "work",
          "name": "Ned Flanders",
          "company": "The Leftorium",
          "street_address": "7721 Springfield Mall Drive",
          "extended_address": "Suite 202",
          "locality": "Springfield",
          "region": "OR",
          "postal_code": "97475",
          "country_code": "US",
          "is_primary_shipping": true,
          "is_primary_billing": false
        }
      ],
      "phone_numbers": [
        {
          "label": "home",
          "country_code": "+1",
          "number": "541-555-0123",
          "extension": null,
          "is_primary": false
        },
        {
          "label": "work",
          "country_code": "+1",
          "number": "541-555-0987",
          "extension": 5,
          "is_primary": false
        },
        {
          "label": "cell",
          "country_code": "+1",
          "number": "541-555-0573",
          "extension": null,
          "is_primary": true
        }
      ]
    }
  ]
}"""

# The keys of the seed's example responses.
MINIMAL_RESPONSE_KEYS = {
    "addresses",
    "company",
    "email_addresses",
    "id",
    "name",
    "notes",
    "affiliate_store",
    "phone_numbers",
    "primary_credit_card",
    "primary_shipping_address",
    "primary_billing_address",
    "primary_phone_number",
    "primary_email_address",
    "tags",
    "updated_at",
    "url",
    "balance",
    "pnr_id",
    "commission_junction_sid",
}
FULL_RESPONSE_KEYS = MINIMAL_RESPONSE_KEYS | {"office"}
ADDRESS_KEYS = {
    "region",
    "longitude",
    "extended_address",
    "label",
    "locality",
    "street_address",
    "name",
    "primary",
    "primary_shipping_address",
    "primary_billing_address",
    "country_code",
    "id",
    "latitude",
    "postal_code",
    "po_box",
}
EMAIL_KEYS = {"address", "label", "id", "primary"}
PHONE_KEYS = {"label", "extension", "number", "id", "country_code", "primary"}
OFFICE_KEYS = {"brokerage", "url", "name", "id", "pcc_code"}
BROKERAGE_KEYS = {"url", "name", "id", "abbreviation"}


def full_request(office_id: int) -> str:
    assert FULL_REQUEST.count('"office_id": 1937,') == 1
    return FULL_REQUEST.replace('"office_id": 1937,', f'"office_id": {office_id},')
