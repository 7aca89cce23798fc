"""/v9/companies: list, show, create, update, delete."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.tevo.conftest import Tevo
from tests.tevo.helpers import not_found, string_id, timestamp


def create(tevo: Tevo, *names: str) -> list[dict[str, Any]]:
    response = tevo.post("/companies", {"companies": [{"name": n} for n in names]})
    assert response.status_code == 201, response.text
    assert list(response.json()) == ["companies"]
    return list(response.json()["companies"])


def test_create_show_list(tevo: Tevo) -> None:
    leftorium, kwik = create(tevo, "The Leftorium", "Kwik-E-Mart")
    ident = string_id(leftorium["id"])
    assert leftorium == {
        "id": str(ident),
        "url": f"/v9/companies/{ident}",
        "name": "The Leftorium",
        "updated_at": timestamp(leftorium["updated_at"]),
    }
    assert string_id(kwik["id"]) > ident
    response = tevo.get(f"/companies/{ident}")
    assert response.status_code == 200
    assert response.json() == leftorium
    assert tevo.get("/companies").json() == {
        "current_page": 1,
        "per_page": 100,
        "total_entries": 2,
        "companies": [leftorium, kwik],
    }
    assert tevo.get("/companies", params={"page": 2, "per_page": 1}).json() == {
        "current_page": 2,
        "per_page": 1,
        "total_entries": 2,
        "companies": [kwik],
    }
    assert tevo.get("/companies", params={"name": "Kwik-E-Mart"}).json()["companies"] == [kwik]


def test_update_is_bare(tevo: Tevo) -> None:
    [company] = create(tevo, "The Leftorium")
    response = tevo.put(f"/companies/{company['id']}", {"name": "The Leftorium II", "id": "1"})
    assert response.status_code == 200, response.text
    assert response.json() == {
        **company,
        "name": "The Leftorium II",
        "updated_at": timestamp(response.json()["updated_at"]),
    }


def test_delete_leaves_its_clients_without_a_company(tevo: Tevo) -> None:
    [company] = create(tevo, "The Leftorium")
    client = tevo.create_client(company_id=company["id"])
    assert client["company"] == company
    response = tevo.delete(f"/companies/{company['id']}")
    assert response.status_code == 200
    assert response.json() == {"companies": [{"id": company["id"]}]}
    assert tevo.get(f"/clients/{client['id']}").json()["company"] is None
    response = tevo.get(f"/companies/{company['id']}")
    assert response.status_code == 404
    assert response.json() == not_found("Company", company["id"])


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_unknown_company_is_404(tevo: Tevo, other_tevo: Tevo, method: str) -> None:
    for ident in ("987654321", "abc"):
        response = tevo.request(method, f"/companies/{ident}", json_body={"name": "X Y"})
        assert response.status_code == 404
        assert response.json() == not_found("Company", ident)
    [theirs] = create(other_tevo, "Theirs")
    response = tevo.request(method, f"/companies/{theirs['id']}", json_body={"name": "X Y"})
    assert response.status_code == 404
    assert response.json() == not_found("Company", theirs["id"])


def test_a_refused_create_writes_nothing(tevo: Tevo, native: Api) -> None:
    response = tevo.post("/companies", {"companies": [{"name": "Good One"}, {"name": ""}]})
    assert response.status_code == 422
    assert response.json() == {
        "companies": [
            {"id": None, "name": "Good One", "updated_at": None, "errors": {}},
            {"id": None, "name": "", "updated_at": None, "errors": {"name": ["can't be blank"]}},
        ]
    }
    assert native.get("/v1/companies").json()["data"] == []
    response = tevo.post("/companies", {"companies": [{"name": "n" * 201}]})
    assert response.json()["companies"][0]["errors"] == {
        "name": ["is too long (maximum is 200 characters)"]
    }


def test_a_refused_update_answers_the_company_as_it_stands(tevo: Tevo) -> None:
    [company] = create(tevo, "The Leftorium")
    response = tevo.put(f"/companies/{company['id']}", {"name": None})
    assert response.status_code == 422
    assert response.json() == {**company, "errors": {"name": ["can't be blank"]}}
    assert tevo.get(f"/companies/{company['id']}").json() == company


def test_a_create_without_its_wrapper_is_400(tevo: Tevo) -> None:
    response = tevo.post("/companies", {"name": "The Leftorium"})
    assert response.status_code == 400
    assert response.json() == {"error": "param is missing or the value is empty: companies"}
