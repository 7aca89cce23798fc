"""One behaviour through every door: a client created through any door is visible, with its
name and email address, through every other (the doors share one model, not copies)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from starlette.testclient import TestClient

from rolodex.runtime import Runtime
from tests.conftest import Api, new_account
from tests.halo.conftest import Halo
from tests.kickserv.conftest import Kickserv
from tests.tevo.conftest import Tevo
from tests.trackops.conftest import Trackops


@dataclass
class Door:
    create: Callable[[str, str], None]
    # name -> email address as this door shows it (None where the door has no email field)
    book: Callable[[], dict[str, str | None]]


def _ok(response: Any, status: int) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def doors(http: TestClient, credentials: dict[str, Any]) -> dict[str, Door]:
    native = Api(http, credentials)
    trackops = Trackops(http, credentials)
    tevo = Tevo(http, credentials)
    halo = Halo(http, credentials)
    kickserv = Kickserv(http, credentials)

    def native_book() -> dict[str, str | None]:
        return {
            c["name"]: next((e["address"] for e in c["email_addresses"]), None)
            for c in native.all_clients()
        }

    def tevo_book() -> dict[str, str | None]:
        body = _ok(tevo.get("/clients", params={"per_page": 100}), 200)
        return {
            c["name"]: (c["primary_email_address"] or {}).get("address") for c in body["clients"]
        }

    def kickserv_book() -> dict[str, str | None]:
        return {c["name"]: c["email_address"] for c in _ok(kickserv.get("/customers.json"), 200)}

    return {
        "native": Door(
            lambda name, email: _ok(
                native.post(
                    "/v1/clients",
                    json={
                        "name": name,
                        "email_addresses": [{"address": email, "is_primary": True}],
                    },
                ),
                201,
            ),
            native_book,
        ),
        "trackops": Door(
            lambda name, email: _ok(
                trackops.post(
                    "/clients",
                    {
                        "client": {
                            "name": name,
                            "primary_location": {
                                "name": "Main",
                                "state": "CO",
                                "country": "US",
                                "email_invoice": email,
                            },
                        }
                    },
                ),
                201,
            ),
            lambda: dict.fromkeys(c["name"] for c in trackops.ok("/clients?per_page=100")),
        ),
        "tevo": Door(
            lambda name, email: _ok(
                tevo.post(
                    "/clients",
                    {
                        "clients": [
                            {
                                "name": name,
                                "email_addresses": [{"address": email, "is_primary": True}],
                            }
                        ]
                    },
                ),
                201,
            ),
            tevo_book,
        ),
        "halo": Door(
            lambda name, email: _ok(halo.post("/Client", json=[{"name": name}]), 201),
            lambda: dict.fromkeys(c["name"] for c in _ok(halo.get("/Client"), 200)["clients"]),
        ),
        "kickserv": Door(
            lambda name, email: _ok(
                kickserv.post(
                    "/customers.json", json={"customer": {"name": name, "email_address": email}}
                ),
                200,
            ),
            kickserv_book,
        ),
    }


SHOWS_EMAIL = {"native", "tevo", "kickserv"}
TAKES_EMAIL = {"native", "tevo", "kickserv"}


@pytest.mark.parametrize("source", ["native", "trackops", "tevo", "halo", "kickserv"])
def test_a_client_made_through_one_door_shows_through_every_door(
    runtime: Runtime, http: TestClient, source: str
) -> None:
    every = doors(http, new_account(runtime))
    name, email = f"Made Through {source.title()}", f"{source}@doors.example"
    every[source].create(name, email)
    for reader, door in every.items():
        book = door.book()
        assert list(book) == [name], f"{source} -> {reader}: {book}"
        if reader in SHOWS_EMAIL and source in TAKES_EMAIL:
            assert book[name] == email, f"{source} -> {reader}: {book}"
