"""Signatures computed by different client code (tests/tevo/client_code.py): each form of the
string to sign that real programs build is accepted for this very request, and a request
changed after signing (its body, path, method, query or host), or signed with another secret,
is refused whichever form it was signed in."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from rolodex.doors.tevo import auth
from tests.conftest import Api
from tests.tevo.client_code import AUTHORITY, RECIPES, Recipe
from tests.tevo.conftest import BASE, Tevo
from tests.tevo.helpers import SIGNATURE_INCORRECT
from tests.tevo.signing import signature

WRITERS = RECIPES


@dataclass(frozen=True)
class Call:
    method: str
    path: str  # under /tevo/v9
    params: Sequence[tuple[str, str]] = field(default_factory=list)
    body: bytes | None = None


def send(
    tevo: Tevo,
    recipe: Recipe,
    call: Call,
    *,
    signed: Call | None = None,
    secret: str | None = None,
    host: str = AUTHORITY,
    origin: str = "http://testserver",
) -> Any:
    """Send `call` signed by `recipe` as if it were `signed` (by default, itself)."""
    signed = signed or call
    sent_query, _ = recipe.query(list(call.params))
    _, signed_query = recipe.query(list(signed.params))
    message = recipe.string_to_sign(signed.method, BASE + signed.path, signed_query, signed.body)
    url = origin + BASE + call.path + (f"?{sent_query}" if sent_query else "")
    headers = {
        "Host": host,
        "X-Token": tevo.token,
        "X-Signature": signature(secret or tevo.secret, message),
        "Content-Type": "application/json",
    }
    return tevo.http.request(call.method, url, content=call.body, headers=headers)


@pytest.fixture(params=RECIPES, ids=lambda recipe: recipe.name)
def recipe(request: pytest.FixtureRequest) -> Recipe:
    return request.param  # type: ignore[no-any-return]


def test_reads_signed_by_each_program_are_served(tevo: Tevo, recipe: Recipe) -> None:
    wanted = tevo.create_client(name="Rod & Todd Flanders")
    tevo.create_client(name="Ned Flanders")
    # Unsorted, a value with spaces and an `&`: every recipe spells this query its own way.
    params = [("per_page", "5"), ("name", "Rod & Todd Flanders"), ("page", "1")]
    response = send(tevo, recipe, Call("GET", "/clients", params))
    assert response.status_code == 200, response.text
    assert [c["id"] for c in response.json()["clients"]] == [wanted["id"]]
    assert response.json()["per_page"] == 5

    response = send(tevo, recipe, Call("GET", f"/clients/{wanted['id']}"))
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Rod & Todd Flanders"

    response = send(tevo, recipe, Call("GET", "/clients"))
    assert response.status_code == 200, response.text
    assert response.json()["total_entries"] == 2


@pytest.mark.parametrize("writer", WRITERS, ids=lambda recipe: recipe.name)
def test_writes_signed_by_each_program_are_served(tevo: Tevo, native: Api, writer: Recipe) -> None:
    response = send(tevo, writer, Call("POST", "/clients", body=b'{"clients":[{"name":"Rod F"}]}'))
    assert response.status_code == 201, response.text
    client_id = response.json()["clients"][0]["id"]

    response = send(
        tevo, writer, Call("PUT", f"/clients/{client_id}", body=b'{"name":"Rod Flanders"}')
    )
    assert response.status_code == 200, response.text

    emails = f"/clients/{client_id}/email_addresses"
    body = b'{"email_addresses":[{"address":"rod@example.com"}]}'
    response = send(tevo, writer, Call("POST", emails, body=body))
    assert response.status_code == 201, response.text
    email_id = response.json()["email_addresses"][0]["id"]

    response = send(tevo, writer, Call("DELETE", f"{emails}/{email_id}"))
    assert response.status_code == 200, response.text

    [client] = native.all_clients()
    assert (client["name"], client["email_addresses"]) == ("Rod Flanders", [])


def test_a_changed_request_is_refused_whatever_the_form(
    tevo: Tevo, native: Api, recipe: Recipe
) -> None:
    ned = tevo.create_client(name="Ned Flanders", email_addresses=[{"address": "ned@example.com"}])
    maude = tevo.create_client(name="Maude Flanders")
    email = f"/clients/{ned['id']}/email_addresses/{ned['email_addresses'][0]['id']}"
    listing = Call("GET", "/clients", [("name", "Ned Flanders"), ("page", "1")])
    create = Call("POST", "/clients", body=b'{"clients":[{"name":"Rod Flanders"}]}')
    changed = {
        "the body": Call("POST", "/clients", body=b'{"clients":[{"name":"Todd Flanders"}]}'),
        "the body, by a space": Call(
            "POST", "/clients", body=b'{"clients": [{"name":"Rod Flanders"}]}'
        ),
        "the path": Call("GET", f"/clients/{maude['id']}"),
        "the method": Call("DELETE", email),
        "a query value": Call("GET", "/clients", [("name", "Maude Flanders"), ("page", "1")]),
        "a query parameter added": Call("GET", "/clients", [*listing.params, ("per_page", "1")]),
        "a query parameter dropped": Call("GET", "/clients", [("name", "Ned Flanders")]),
        "a space in the query made a plus sign": Call(
            "GET", "/clients", [("name", "Ned+Flanders"), ("page", "1")]
        ),
    }
    signed_as = {
        "the body": create,
        "the body, by a space": create,
        "the path": Call("GET", f"/clients/{ned['id']}"),
        "the method": Call("GET", email),
    }
    for what, sent in changed.items():
        response = send(tevo, recipe, sent, signed=signed_as.get(what, listing))
        assert response.status_code == 401, (what, response.text)
        assert response.json() == SIGNATURE_INCORRECT

    for sent in (listing, create, Call("DELETE", email)):
        response = send(tevo, recipe, sent, secret="x" * 40)
        assert response.status_code == 401, (sent, response.text)
        response = send(tevo, recipe, sent, host="127.0.0.2:8000")
        assert response.status_code == 401, (sent, response.text)
        assert response.json() == SIGNATURE_INCORRECT

    # Nothing was written, nothing deleted; the unchanged request is still served.
    assert sorted(c["name"] for c in native.all_clients()) == ["Maude Flanders", "Ned Flanders"]
    assert send(tevo, recipe, Call("GET", email)).status_code == 200


def test_the_scheme_is_signed_only_by_a_client_of_plain_http(tevo: Tevo) -> None:
    php, documented = (
        next(r for r in RECIPES if r.name == name) for name in ("php_sdk", "documented")
    )
    listing = Call("GET", "/clients", [("page", "1")])
    assert send(tevo, php, listing).status_code == 200
    # Over TLS the PHP SDK strips `https://` and signs the documented string; a string with
    # `http://` cannot come from a client that spoke HTTPS.
    response = send(tevo, php, listing, origin="https://testserver")
    assert response.status_code == 401
    assert response.json() == SIGNATURE_INCORRECT
    assert send(tevo, documented, listing, origin="https://testserver").status_code == 200


def test_a_host_sent_without_a_port_is_signed_as_sent(tevo: Tevo) -> None:
    ruby = next(r for r in RECIPES if r.name == "ruby_sdk")
    assert send(tevo, ruby, Call("GET", "/clients"), host="127.0.0.1").status_code == 200
    assert send(tevo, ruby, Call("GET", "/clients"), host="[::1]:8000").status_code == 401
    # An IPv6 literal's last group is not a port.
    documented = next(r for r in RECIPES if r.name == "documented")
    assert send(tevo, documented, Call("GET", "/clients"), host="[::1]:8000").status_code == 401


# --- the forms, and what they cost -------------------------------------------------------------

SECRET = "S3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3t+/ab"
PATH = b"/tevo/v9/clients"


def forms(method: str, query: bytes, body: bytes = b"", scheme: str = "http") -> list[bytes]:
    return list(auth.strings_to_sign(method, AUTHORITY, PATH, query, body, scheme))


def test_the_canonical_string_comes_first_and_every_form_once() -> None:
    made = forms("GET", b"per_page=5&name=Ned+Flanders")
    hosts = [b"127.0.0.1:8000", b"127.0.0.1", b"http://127.0.0.1:8000"]
    rests = [b"name=Ned+Flanders&per_page=5", b"per_page=5&name=Ned+Flanders"]
    rests.append(b"name=Ned%20Flanders&per_page=5")  # sorted, spaces as %20
    assert made[0] == b"GET 127.0.0.1:8000/tevo/v9/clients?name=Ned+Flanders&per_page=5"
    assert len(made) == len(set(made))
    assert set(made) == {b"GET " + host + PATH + b"?" + rest for host in hosts for rest in rests}

    # Encoded again from the decoded pieces: spaces, `&` and lowercase escapes alike.
    made = forms("GET", b"per_page=5&name=Rod%20%26%20todd%2c+F")
    assert b"GET 127.0.0.1:8000/tevo/v9/clients?name=Rod+%26+todd%2C+F&per_page=5" in made
    assert b"GET 127.0.0.1:8000/tevo/v9/clients?name=Rod%20%26%20todd%2C%20F&per_page=5" in made
    # At most three hosts times four queries.
    assert len(forms("GET", b"b=x+y&a=%7e")) == 12


def test_a_signed_body_has_the_host_spellings_with_and_without_the_question_mark() -> None:
    body = b'{"clients":[{"name":"Ned Flanders"}]}'
    assert forms("POST", b"page=1", body) == [
        b"POST 127.0.0.1:8000/tevo/v9/clients?" + body,
        b"POST 127.0.0.1/tevo/v9/clients?" + body,
        b"POST http://127.0.0.1:8000/tevo/v9/clients?" + body,
        b"POST 127.0.0.1:8000/tevo/v9/clients" + body,
        b"POST 127.0.0.1/tevo/v9/clients" + body,
        b"POST http://127.0.0.1:8000/tevo/v9/clients" + body,
    ]
    assert forms("GET", b"", body, scheme="https") == [
        b"GET 127.0.0.1:8000/tevo/v9/clients?",
        b"GET 127.0.0.1/tevo/v9/clients?",
    ]


def counted(candidates: Iterable[bytes], made: list[bytes]) -> Iterator[bytes]:
    for candidate in candidates:
        made.append(candidate)
        yield candidate


def test_the_usual_request_costs_one_hmac(tevo: Tevo, monkeypatch: pytest.MonkeyPatch) -> None:
    """The canonical string is checked alone; the other forms are made only when it fails."""
    made: list[bytes] = []
    other_strings = auth.other_strings

    def recorded(*args: Any) -> Iterator[bytes]:
        return counted(other_strings(*args), made)

    monkeypatch.setattr(auth, "other_strings", recorded)
    params = {"per_page": "5", "name": "Ned Flanders"}
    assert tevo.get("/clients", params=params).status_code == 200
    assert tevo.post("/clients", {"clients": [{"name": "Ned Flanders"}]}).status_code == 201
    assert made == []

    php = next(r for r in RECIPES if r.name == "php_sdk")
    listing = Call("GET", "/clients", list(params.items()))
    assert send(tevo, php, listing).status_code == 200
    host = AUTHORITY.encode()
    assert made == [
        b"GET " + host.split(b":")[0] + PATH + b"?name=Ned+Flanders&per_page=5",
        b"GET http://" + host + PATH + b"?name=Ned+Flanders&per_page=5",
    ]


def test_a_refused_signature_is_compared_with_every_form() -> None:
    signer = auth.Signer(1, SECRET)
    query = b"per_page=5&name=Ned+Flanders"
    made: list[bytes] = []
    strings = auth.strings_to_sign("GET", AUTHORITY, PATH, query, b"", "http")
    assert not signer.signs_one_of(b"x" * 44, counted(strings, made))
    assert made == forms("GET", query)
    # The last form is accepted like the first.
    last = signature(SECRET, made[-1]).encode()
    assert signer.signs_one_of(
        last, auth.strings_to_sign("GET", AUTHORITY, PATH, query, b"", "http")
    )
