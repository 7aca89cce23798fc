"""The read layer directly, beside the HTTP tests: keyset and numbered pages, and the indexed
text search, on the database the suite runs on."""

from __future__ import annotations

from typing import Any

import pytest

from rolodex.db.prepared import Reader
from rolodex.db.search import Needle, contains, escape_like
from rolodex.domain import queries
from rolodex.domain.clients import ClientFilters
from rolodex.domain.pagination import NumberedList, equals, page_count
from rolodex.domain.queries import CLIENT
from rolodex.doors.halo.reads import ClientQuery, client_summaries
from rolodex.models import Client
from rolodex.runtime import Runtime
from tests.conftest import Api

NAMED = NumberedList(CLIENT, (equals("name", Client.name),))


def _read(runtime: Runtime, fn: Any) -> Any:
    return runtime.read_sync(fn)


def test_keyset_pages_walk_every_client_once_with_cursors(api: Api, runtime: Runtime) -> None:
    made = [api.create_client(name=f"Client {i}")["id"] for i in range(7)]
    walked: list[int] = []
    cursor = None
    while True:

        def page(reader: Reader, cursor: str | None = cursor) -> Any:
            return queries.client_page(
                reader, api.account_id, ClientFilters(), cursor=cursor, limit=3
            )

        found = _read(runtime, page)
        walked += [r["id"] for r in found.items]
        assert found.has_more == (found.next_cursor is not None)
        if not found.has_more:
            break
        cursor = found.next_cursor
    assert walked == made


def test_keyset_pages_sorted_descending_by_name(api: Api, runtime: Runtime) -> None:
    for name in ("b", "a", "c", "a"):
        api.create_client(name=name)
    first = _read(
        runtime,
        lambda r: queries.client_page(r, api.account_id, ClientFilters(), sort="-name", limit=2),
    )
    assert [c["name"] for c in first.items] == ["c", "b"]
    rest = _read(
        runtime,
        lambda r: queries.client_page(
            r, api.account_id, ClientFilters(), sort="-name", limit=2, cursor=first.next_cursor
        ),
    )
    assert [c["name"] for c in rest.items] == ["a", "a"]
    assert rest.items[0]["id"] > rest.items[1]["id"]
    assert rest.has_more is False and rest.next_cursor is None


def test_numbered_pages_first_and_deep_with_a_count(api: Api, runtime: Runtime) -> None:
    made = [api.create_client(name="Same" if i % 2 else "Other")["id"] for i in range(9)]
    same = [ident for i, ident in enumerate(made) if i % 2]

    def pages(reader: Reader) -> Any:
        return (
            NAMED.page(reader, api.account_id, {"name": "Same"}, page=1, per_page=3),
            NAMED.page(reader, api.account_id, {"name": "Same"}, page=2, per_page=3),
            NAMED.page(reader, api.account_id, {"name": "Same"}, page=9, per_page=3),
            NAMED.page(reader, api.account_id, {}, page=3, per_page=4, descending=True),
            NAMED.count(reader, api.account_id, {"name": "Same"}),
            NAMED.first(reader, api.account_id, {"name": "Nobody"}),
        )

    first, second, beyond, deep_desc, total, nobody = _read(runtime, pages)
    assert [r["id"] for r in first] == same[:3]
    assert [r["id"] for r in second] == same[3:]
    assert beyond == [] and nobody is None
    assert [r["id"] for r in deep_desc] == list(reversed(made))[8:]
    assert total == 4 and page_count(total, 3) == 2
    assert first[0]["name"] == "Same" and set(first[0]) == set(CLIENT.columns)


def test_numbered_pages_refuse_an_unknown_filter(api: Api, runtime: Runtime) -> None:
    from rolodex.errors import InvalidQuery

    with pytest.raises(InvalidQuery):
        _read(runtime, lambda r: NAMED.count(r, api.account_id, {"nickname": "x"}))


def test_one_like_escaper_makes_metacharacters_literal() -> None:
    assert escape_like("50%_off\\") == "50\\%\\_off\\\\"
    assert contains("a%b") == "%a\\%b%"
    assert Needle.of("  Acme ") == Needle("%acme%", False)
    assert Needle.of("5_%") == Needle("%5\\_\\%%", True)
    assert Needle.of("   ") is None


@pytest.mark.parametrize("needle", ["50%", "a_b", "back\\slash"])
def test_search_takes_like_metacharacters_literally(
    api: Api, runtime: Runtime, needle: str
) -> None:
    """The same indexed search answers `q` (native) and `search` (Halo)."""
    names = {
        "50%": ["Save 50% Now", "Save 500 Now"],
        "a_b": ["Xa_bX", "XaxbX"],
        "back\\slash": ["A back\\slash B", "A backslash B"],
    }[needle]
    hit, miss = (api.create_client(name=n)["id"] for n in names)

    def both(reader: Reader) -> tuple[list[int], list[int]]:
        native = queries.client_page(reader, api.account_id, ClientFilters(q=needle.upper()))
        _total, halo = client_summaries(reader, api.account_id, ClientQuery(search=needle))
        return [r["id"] for r in native.items], [r["id"] for r in halo]

    native, halo = _read(runtime, both)
    assert native == [hit] and halo == [hit]
    assert miss not in native


def test_search_counts_and_pages_what_it_finds(api: Api, runtime: Runtime) -> None:
    for name in ("Zeta Widgets", "Alpha Widgets", "Gizmos", "Beta widgets"):
        api.create_client(name=name)

    def read(reader: Reader) -> Any:
        return client_summaries(reader, api.account_id, ClientQuery(search="widget"))

    total, records = _read(runtime, read)
    assert total == 3
    assert [r["name"] for r in records] == ["Alpha Widgets", "Beta widgets", "Zeta Widgets"]


def test_the_children_loader_attaches_what_is_asked_in_one_batch(
    api: Api, runtime: Runtime
) -> None:
    from rolodex.domain import client_children

    company = api.post("/v1/companies", json={"name": "Holdings"}).json()
    rich = api.create_client(
        name="Rich",
        company_id=company["id"],
        tags=["b", "a"],
        addresses=[{"line1": "1 Main St", "is_primary": True}],
        phone_numbers=[{"number": "555-0100"}],
        email_addresses=[{"address": "rich@example.com"}],
    )["id"]
    bare = api.create_client(name="Bare")["id"]
    parts = (*client_children.NATIVE, "company", "office", "account", "primary_location")

    def read(reader: Reader) -> list[Any]:
        records = client_children.clients_by_ids(reader, api.account_id, [bare, rich, 0])
        client_children.load(reader, api.account_id, records, parts)
        return records

    first, second = _read(runtime, read)
    assert (first["id"], second["id"]) == (rich, bare)
    assert first["tags"] == ["a", "b"]
    assert [a["line1"] for a in first["addresses"]] == ["1 Main St"]
    assert [p["number"] for p in first["phone_numbers"]] == ["555-0100"]
    assert [e["address"] for e in first["email_addresses"]] == ["rich@example.com"]
    assert first["company"]["name"] == "Holdings"
    assert first["account"]["id"] == api.account_id
    assert first["primary_location"] is None and first["office"]["is_default"] is True
    assert second["tags"] == second["addresses"] == second["phone_numbers"] == []
    assert second["company"] is None
    only_tags = _read(
        runtime,
        lambda r: (
            recs := client_children.clients_by_ids(r, api.account_id, [rich]),
            client_children.load(r, api.account_id, recs, ("tags",)),
        )[0],
    )
    assert only_tags[0]["tags"] == ["a", "b"] and "addresses" not in only_tags[0]
