"""The hot lane (rolodex.doors.lane) routes each door's GET of a client and its client list
before Starlette's middleware and routes. It must answer exactly as the routes do: the same
requests, sent with the lane and then with it switched off, get the same status, headers that
matter, and bytes."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from rolodex.domain import documents
from rolodex.doors.lane import Lane
from rolodex.runtime import Runtime
from tests.documents_helpers import Doors, Subject, differences, ok


def _clients(doors: Doors) -> list[Subject]:
    first = ok(
        doors.native.post(
            "/v1/clients",
            json={
                "name": "Lane One",
                "tags": ["x"],
                "addresses": [{"line1": "1 Main", "city": "Denver", "is_primary": True}],
                "email_addresses": [{"address": "one@example.com", "is_primary": True}],
            },
        ),
        201,
    )
    second = ok(doors.native.post("/v1/clients", json={"name": "Lane Two"}), 201)
    return [doors.subject(first["id"]), doors.subject(second["id"])]


def _odd_requests(doors: Doors, subject: Subject) -> dict[str, Any]:
    """Requests at the lane's edges: other spellings of its paths, queries, unknown ids,
    wrong credentials."""
    missing = subject.id + 10_000
    return {
        "native with a query": doors.native.get("/v1/clients", params={"limit": 1}),
        "native unknown query parameter": doors.native.get(
            f"/v1/clients/{subject.id}", params={"nope": 1}
        ),
        "native unknown id": doors.native.get(f"/v1/clients/{missing}"),
        "native without credentials": doors.http.get(f"/v1/clients/{subject.id}"),
        "native If-None-Match": doors.native.get(
            f"/v1/clients/{subject.id}",
            headers={
                "If-None-Match": doors.native.get(f"/v1/clients/{subject.id}").headers["etag"]
            },
        ),
        "trackops trailing slash": doors.trackops.get(f"/clients/{subject.id}/"),
        "trackops unknown id": doors.trackops.get(f"/clients/{missing}"),
        "tevo unknown id": doors.tevo.get(f"/clients/{missing}"),
        "tevo non-numeric id": doors.tevo.get("/clients/abc"),
        "halo mixed case": doors.halo.get(f"/cLiEnT/{subject.id}"),
        "halo trailing slash": doors.halo.get(f"/Client/{subject.id}/"),
        "halo unknown id": doors.halo.get(f"/Client/{missing}"),
        "kickserv unknown number": doors.kickserv.get(f"/customers/{subject.number + 10_000}.json"),
        "kickserv wrong slug": doors.http.get(
            f"/kickserv/not-{doors.kickserv.slug}/customers/{subject.number}.json",
            headers={
                "Authorization": doors.kickserv.get("/customers.json").request.headers[
                    "authorization"
                ]
            },
        ),
    }


def _shown(response: Any) -> tuple[int, str | None, str | None, bytes]:
    return (
        response.status_code,
        response.headers.get("content-type"),
        response.headers.get("etag"),
        response.content,
    )


def test_the_lane_answers_as_the_routes_do(
    runtime: Runtime, http: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    doors = Doors.new(runtime, http, "Lane")
    subjects = _clients(doors)
    fast = doors.read(subjects)
    fast_odd = {k: _shown(v) for k, v in _odd_requests(doors, subjects[0]).items()}

    monkeypatch.setattr(Lane, "match", lambda self, path: None)  # every request by the routes
    routed = doors.read(subjects)
    routed_odd = {k: _shown(v) for k, v in _odd_requests(doors, subjects[0]).items()}

    assert differences(fast, routed) == {}
    assert {k: v for k, v in fast_odd.items() if routed_odd[k] != v} == {}
    # The edges are what they claim to be (the comparison above is not between two errors).
    assert fast_odd["halo mixed case"][0] == 200
    assert fast_odd["trackops trailing slash"][0] == 200
    assert fast_odd["native If-None-Match"][0] == 304
    assert fast_odd["native unknown id"][0] == 404
    assert fast_odd["native without credentials"][0] == 401


def test_an_unexpected_error_in_the_lane_is_a_500_in_the_doors_shape(
    runtime: Runtime, http: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    doors = Doors.new(runtime, http, "Lane errors")
    subject = _clients(doors)[0]

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(documents, "one", broken)
    answer = doors.native.get(f"/v1/clients/{subject.id}")
    assert answer.status_code == 500
    assert answer.json()["error"]["code"] == "internal_error"
    assert "the disk is on fire" not in answer.text
    assert "the disk is on fire" in caplog.text
    tevo = doors.tevo.get(f"/clients/{subject.id}")
    assert tevo.status_code == 500 and "the disk is on fire" not in tevo.text
