"""Optimistic concurrency (ETag / If-Match) and retry-safe creation (Idempotency-Key)."""

from __future__ import annotations

from tests.conftest import Api, error_of


class TestETags:
    def test_stale_if_match_is_412_and_changes_nothing(self, api: Api) -> None:
        created = api.create_client(name="Original")
        cid = created["id"]
        first = api.get(f"/v1/clients/{cid}").headers["etag"]
        ok = api.patch(f"/v1/clients/{cid}", json={"name": "Second"}, headers={"If-Match": first})
        assert ok.status_code == 200
        assert ok.headers["etag"] != first
        stale = api.patch(
            f"/v1/clients/{cid}", json={"name": "Lost update"}, headers={"If-Match": first}
        )
        assert stale.status_code == 412
        assert error_of(stale)["code"] == "precondition_failed"
        assert api.get(f"/v1/clients/{cid}").json()["name"] == "Second"
        gone = api.delete(f"/v1/clients/{cid}", headers={"If-Match": first})
        assert gone.status_code == 412
        assert api.get(f"/v1/clients/{cid}").status_code == 200
        deleted = api.delete(f"/v1/clients/{cid}", headers={"If-Match": ok.headers["etag"]})
        assert deleted.status_code == 204

    def test_unparseable_if_match_never_matches_but_star_does(self, api: Api) -> None:
        cid = api.create_client()["id"]
        bad = api.patch(f"/v1/clients/{cid}", json={"name": "X"}, headers={"If-Match": "bogus"})
        assert bad.status_code == 412
        star = api.patch(f"/v1/clients/{cid}", json={"name": "Y"}, headers={"If-Match": "*"})
        assert star.status_code == 200

    def test_if_none_match_answers_304(self, api: Api) -> None:
        cid = api.create_client()["id"]
        tag = api.get(f"/v1/clients/{cid}").headers["etag"]
        cached = api.get(f"/v1/clients/{cid}", headers={"If-None-Match": tag})
        assert cached.status_code == 304
        assert cached.content == b""
        api.patch(f"/v1/clients/{cid}", json={"description": "new"})
        assert api.get(f"/v1/clients/{cid}", headers={"If-None-Match": tag}).status_code == 200

    def test_tag_changes_move_the_etag(self, api: Api) -> None:
        cid = api.create_client(tags=["a"])["id"]
        before = api.get(f"/v1/clients/{cid}").headers["etag"]
        api.patch(f"/v1/clients/{cid}", json={"add_tags": ["b"]})
        assert api.get(f"/v1/clients/{cid}").headers["etag"] != before

    def test_an_update_that_changes_nothing_keeps_the_etag_and_updated_at(self, api: Api) -> None:
        created = api.create_client(name="Steady", tags=["a"], website="https://steady.example")
        cid = created["id"]
        same = api.patch(
            f"/v1/clients/{cid}",
            json={"name": "Steady", "website": "https://steady.example", "tags": ["a"]},
        )
        assert same.status_code == 200
        assert same.headers["etag"] == api.get(f"/v1/clients/{cid}").headers["etag"]
        assert same.json()["updated_at"] == created["updated_at"]
        moved = api.patch(f"/v1/clients/{cid}", json={"name": "Moved"})
        assert moved.headers["etag"] != same.headers["etag"]
        assert moved.json()["name"] == "Moved"
        assert moved.json()["updated_at"] > created["updated_at"]

    def test_changing_an_embedded_record_moves_the_client_etag(self, api: Api) -> None:
        cid = api.create_client(name="Holder")["id"]
        before = api.get(f"/v1/clients/{cid}").headers["etag"]
        phone = api.post(f"/v1/clients/{cid}/phone_numbers", json={"number": "555-0100"})
        assert phone.status_code == 201
        after_create = api.get(f"/v1/clients/{cid}")
        assert after_create.headers["etag"] != before
        assert [p["number"] for p in after_create.json()["phone_numbers"]] == ["555-0100"]
        pid = phone.json()["id"]
        api.patch(f"/v1/clients/{cid}/phone_numbers/{pid}", json={"number": "555-0199"})
        after_update = api.get(f"/v1/clients/{cid}")
        assert after_update.headers["etag"] != after_create.headers["etag"]
        assert api.get("/v1/clients", params={"q": "5550199"}).json()["data"][0]["id"] == cid
        api.delete(f"/v1/clients/{cid}/phone_numbers/{pid}")
        after_delete = api.get(f"/v1/clients/{cid}")
        assert after_delete.headers["etag"] != after_update.headers["etag"]
        assert after_delete.json()["phone_numbers"] == []
        assert api.get("/v1/clients", params={"q": "5550199"}).json()["data"] == []


class TestIdempotency:
    def test_retried_post_creates_once_and_replays_the_answer(self, api: Api) -> None:
        headers = {"Idempotency-Key": "order-7781"}
        first = api.post("/v1/clients", json={"name": "Once Only"}, headers=headers)
        assert first.status_code == 201
        again = api.post("/v1/clients", json={"name": "Once Only"}, headers=headers)
        assert again.status_code == 201
        assert again.json() == first.json()
        assert again.headers["etag"] == first.headers["etag"]
        assert again.headers["location"] == first.headers["location"]
        assert again.headers["idempotent-replayed"] == "true"
        assert len(api.all_clients()) == 1

    def test_same_key_other_body_is_refused(self, api: Api) -> None:
        headers = {"Idempotency-Key": "k1"}
        assert api.post("/v1/clients", json={"name": "A"}, headers=headers).status_code == 201
        reused = api.post("/v1/clients", json={"name": "B"}, headers=headers)
        assert reused.status_code == 422
        assert error_of(reused)["code"] == "idempotency_key_reused"
        assert [c["name"] for c in api.all_clients()] == ["A"]

    def test_keys_are_per_account(self, api: Api, other_api: Api) -> None:
        headers = {"Idempotency-Key": "shared-key"}
        mine = api.post("/v1/clients", json={"name": "A"}, headers=headers).json()
        theirs = other_api.post("/v1/clients", json={"name": "A"}, headers=headers).json()
        assert mine["id"] != theirs["id"]
        assert len(other_api.all_clients()) == 1

    def test_failed_request_does_not_burn_the_key(self, api: Api) -> None:
        headers = {"Idempotency-Key": "retry-after-fix"}
        bad = api.post("/v1/clients", json={"name": ""}, headers=headers)
        assert bad.status_code == 422
        good = api.post("/v1/clients", json={"name": ""}, headers=headers)
        assert good.status_code == 422  # same body, same answer, still nothing written
        assert api.all_clients() == []

    def test_nested_posts_are_idempotent_too(self, api: Api) -> None:
        cid = api.create_client()["id"]
        headers = {"Idempotency-Key": "note-1"}
        for _ in range(3):
            response = api.post(
                f"/v1/clients/{cid}/notes", json={"body": "Called back"}, headers=headers
            )
            assert response.status_code == 201
        assert len(api.get(f"/v1/clients/{cid}/notes").json()["data"]) == 1

    def test_without_a_key_each_post_creates(self, api: Api) -> None:
        api.post("/v1/clients", json={"name": "Twice"})
        api.post("/v1/clients", json={"name": "Twice"})
        assert len(api.all_clients()) == 2
