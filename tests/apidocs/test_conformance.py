"""What each door answers conforms to its OpenAPI document: a bounded, deterministic
property-based run (schemathesis, a few examples per operation) sends every operation of each
document requests drawn from it, with the door's own credentials, and checks each answer's
status, content type and body against the document, and that none is a 5xx.

Path ids are drawn at random or, half the time, taken from records seeded for the account (a
DELETE gets records of its own each time), so answers other than 404 are checked too. Run on
SQLite only: the documents do not depend on the database.

Generated strings may carry NUL characters and integers of any size: the doors refuse what they
cannot store in their documented error shapes (tests/test_hostile_input.py sweeps that input
through every field)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from starlette.testclient import TestClient

from rolodex.apidocs.pages import DOORS, Door
from rolodex.doors.tevo.auth import canonical_string, sign
from rolodex.runtime import Runtime
from tests.conftest import new_account

EXAMPLES = 4  # per operation: the whole run stays within seconds
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
HOST = "testserver"

Seeds = dict[str, dict[str, Any]]  # document path -> its path parameters


def _native(http: TestClient, account: dict[str, Any]) -> Callable[[str, Any], Any]:
    key = account["native"]["api_key"]

    def call(path: str, body: Any) -> Any:
        response = http.post(path, json=body, headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 201, response.text
        return response.json()

    return call


def seed(http: TestClient, account: dict[str, Any]) -> Seeds:
    """One of everything, written through the native API (and a contact through Trackops,
    which alone has them), with the path parameters each door's documents name it by."""
    post = _native(http, account)
    company = post("/v1/companies", {"name": "Kwik-E-Mart"})
    client = post(
        "/v1/clients",
        {
            "name": "Ned Flanders",
            "company_id": company["id"],
            "tags": ["vip"],
            "addresses": [{"line1": "744 Evergreen Terrace", "city": "Springfield"}],
            "phone_numbers": [{"number": "555-0100"}],
            "email_addresses": [{"address": "ned@example.com"}],
        },
    )
    cid = client["id"]
    location = post(
        f"/v1/clients/{cid}/locations",
        {"name": "Leftorium", "region": "OR", "country": "US", "is_primary": True},
    )
    job = post(f"/v1/clients/{cid}/jobs", {"job_type": "Repair", "job_type_id": 3})
    note = post(f"/v1/clients/{cid}/notes", {"body": "Okily dokily"})
    job_note = post(f"/v1/clients/{cid}/notes", {"body": "On the job", "job_id": job["id"]})
    payment = post(
        f"/v1/clients/{cid}/payments", {"amount": "25.00", "applications": [{"job_id": job["id"]}]}
    )
    trackops = account["trackops"]
    contact = http.post(
        "/trackops/api/v1/client/contacts",
        json={"client_id": location["id"], "role_id": 1, "first_name": "Maude"},
        auth=(f"{trackops['username']}/token", trackops["token"]),
    )
    assert contact.status_code == 201, contact.text
    ids = {
        "addresses": client["addresses"][0]["id"],
        "phone_numbers": client["phone_numbers"][0]["id"],
        "email_addresses": client["email_addresses"][0]["id"],
        "locations": location["id"],
        "notes": note["id"],
        "jobs": job["id"],
        "payments": payment["id"],
    }
    out: Seeds = {
        "/v1/clients/{client_id}": {"client_id": cid},
        "/v1/companies/{company_id}": {"company_id": company["id"]},
        "/api/v1/clients/{id}": {"id": cid},
        "/api/v1/client/locations/{id}": {"id": location["id"]},
        "/api/v1/client/contacts/{id}": {"id": contact.json()["id"]},
        "/v9/clients/{client_id}": {"client_id": str(cid)},
        "/v9/companies/{company_id}": {"company_id": str(company["id"])},
        "/api/Client/{id}": {"id": cid},
        "/api/Site/{id}": {"id": location["id"]},
        "/api/CRMNote/{id}": {"id": note["id"]},
        "/api/AreaRequestType/{id}": {"id": cid},
    }
    for segment, ident in ids.items():
        out[f"/v1/clients/{{client_id}}/{segment}"] = {"client_id": cid}
        out[f"/v1/clients/{{client_id}}/{segment}/{{id}}"] = {"client_id": cid, "id": ident}
        out[f"/v9/clients/{{client_id}}/{segment}"] = {"client_id": str(cid)}
        out[f"/v9/clients/{{client_id}}/{segment}/{{id}}"] = {
            "client_id": str(cid),
            "id": str(ident),
        }
    number, job_number = client["number"], job["number"]
    customer = "/customers/{number}"
    job_path = "/jobs/{job_number}"
    out.update(
        {
            f"{customer}.json": {"number": number},
            f"{customer}/notes.json": {"number": number},
            f"{customer}/notes/{{id}}.json": {"number": number, "id": note["id"]},
            f"{customer}/jobs.json": {"number": number},
            f"{customer}/jobs/{{job_number}}.json": {"number": number, "job_number": job_number},
            f"{customer}/payments.json": {"number": number},
            f"{customer}/payments/{{id}}.json": {"number": number, "id": payment["id"]},
            f"{job_path}.json": {"job_number": job_number},
            f"{job_path}/notes.json": {"job_number": job_number},
            f"{job_path}/notes/{{id}}.json": {"job_number": job_number, "id": job_note["id"]},
            f"{job_path}/payments.json": {"job_number": job_number},
            f"{job_path}/payments/{{id}}.json": {"job_number": job_number, "id": payment["id"]},
        }
    )
    return out


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _auth(http: TestClient, door: str, account: dict[str, Any]) -> dict[str, str]:
    if door == "native":
        return {"Authorization": f"Bearer {account['native']['api_key']}"}
    if door == "trackops":
        creds = account["trackops"]
        return {"Authorization": _basic(f"{creds['username']}/token", creds["token"])}
    if door == "kickserv":
        token = account["kickserv"]["token"]
        return {"Authorization": _basic(token, token)}
    if door == "halo":
        creds = account["halo"]
        token = http.post(
            "/halo/auth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": creds["client_id"],
                "client_secret": creds["client_secret"],
            },
        )
        assert token.status_code == 200, token.text
        return {"Authorization": f"Bearer {token.json()['access_token']}"}
    return {"X-Token": account["tevo"]["token"]}  # X-Signature is computed per request


def _send(
    http: TestClient, case: Any, base: str, headers: dict[str, str], secret: str | None
) -> Any:
    kwargs = case.as_transport_kwargs(base_url=f"http://{HOST}{base}", headers=headers)
    method = kwargs["method"].upper()
    url = kwargs["url"]
    query = urlencode(kwargs.get("params") or {}, doseq=True)
    sent = dict(kwargs.get("headers") or {})
    if "json" in kwargs:
        # The standard library writes integers of any size (orjson stops at 64 bits).
        content: bytes | None = json.dumps(kwargs["json"]).encode()
        sent["Content-Type"] = "application/json"
    elif kwargs.get("data") is not None:
        data = kwargs["data"]
        content = data.encode() if isinstance(data, str) else urlencode(data).encode()
    else:
        content = None
    if secret is not None:
        path = url.removeprefix(f"http://{HOST}").encode()
        message = canonical_string(method, HOST, path, query.encode(), content or b"")
        sent["X-Signature"] = sign(secret, message)
    target = f"{url}?{query}" if query else url
    return http.request(method, target, headers=sent, content=content)


@pytest.mark.parametrize("door", DOORS, ids=lambda d: d.name)
def test_what_each_door_answers_conforms_to_its_document(
    http: TestClient, runtime: Runtime, db_kind: str, door: Door
) -> None:
    if db_kind != "sqlite":
        pytest.skip("the documents do not depend on the database: checked once, on SQLite")
    account = new_account(runtime, "Conformance Co")
    base = {"kickserv": f"/kickserv/{account['slug']}"}.get(
        door.name, door.build()["servers"][0]["url"].rstrip("/")
    )
    headers = _auth(http, door.name, account)
    secret = account["tevo"]["secret"] if door.name == "tevo" else None
    schema = schemathesis.openapi.from_dict(door.build())
    schema.config.generation.update(allow_x00=True, with_security_parameters=False)
    seeds = seed(http, account)
    failures: dict[str, str] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        deleting = operation.method.upper() == "DELETE"
        fresh = (lambda: seed(http, account)) if deleting else None

        def run(case: Any) -> None:
            response = _send(http, case, base, headers, secret)
            case.validate_response(response, checks=CHECKS)

        try:
            _property(operation, seeds, fresh, run)()
        except Exception as exc:  # every operation is tried; all failures are reported
            failures[operation.label] = str(exc)
        if deleting:
            # A random id may have named a seeded record (ids start at 1): seed anew.
            seeds = seed(http, account)
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())


def _property(
    operation: Any,
    seeds: Seeds,
    fresh: Callable[[], Seeds] | None,
    run: Callable[[Any], None],
) -> Callable[[], None]:
    """The bounded property for one operation: its cases, half of them on seeded ids (fresh
    ones for each case when `fresh` is given: a DELETE uses up its records)."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    @given(case=operation.as_strategy(), use_seed=st.booleans())
    def check(case: Any, use_seed: bool) -> None:
        if use_seed and case.path_parameters:
            known = (fresh() if fresh else seeds).get(operation.path)
            if known is not None:
                case.path_parameters = {**case.path_parameters, **known}
        run(case)

    return check
