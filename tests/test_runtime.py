"""The unit of work every door shares."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rolodex.errors import Conflict
from rolodex.models import Account
from rolodex.runtime import Runtime


def test_a_constraint_hit_by_a_race_is_a_conflict_and_writes_nothing(runtime: Runtime) -> None:
    slug = f"race-{uuid.uuid4().hex[:8]}"

    def two_with_one_slug(session: Session) -> None:
        session.add(Account(name="First", slug=slug))
        session.flush()
        session.add(Account(name="Second", slug=slug))
        session.flush()

    with pytest.raises(Conflict) as caught:
        runtime.run_sync(two_with_one_slug, write=True)
    assert "safe to retry" in caught.value.message
    count = runtime.run_sync(
        lambda s: s.scalar(select(func.count()).select_from(Account).where(Account.slug == slug)),
        write=False,
    )
    assert count == 0


def test_reads_see_one_snapshot(runtime: Runtime) -> None:
    from sqlalchemy import bindparam

    from rolodex.db.prepared import Prepared

    query = Prepared(select(Account.id).where(Account.slug == bindparam("slug")))
    slug = f"snap-{uuid.uuid4().hex[:8]}"

    def read_twice(reader: object) -> tuple[bool, bool]:
        before = reader.one_or_none(query, slug=slug) is not None  # type: ignore[attr-defined]
        runtime.run_sync(lambda s: s.add(Account(name="Late", slug=slug)), write=True)
        after = reader.one_or_none(query, slug=slug) is not None  # type: ignore[attr-defined]
        return before, after

    assert runtime.read_sync(read_twice) == (False, False)
    assert runtime.read_sync(lambda r: r.one_or_none(query, slug=slug)) is not None


def test_a_read_that_fails_leaves_the_next_read_fresh(runtime: Runtime) -> None:
    from sqlalchemy import bindparam

    from rolodex.db.prepared import Prepared
    from rolodex.errors import NotFound

    query = Prepared(select(Account.id).where(Account.slug == bindparam("slug")))
    slug = f"after-{uuid.uuid4().hex[:8]}"

    def fails(reader: object) -> None:
        reader.one_or_none(query, slug=slug)  # type: ignore[attr-defined]
        raise NotFound("client", 1)

    for _ in range(3):
        with pytest.raises(NotFound):
            runtime.read_sync(fails)
    runtime.run_sync(lambda s: s.add(Account(name="Later", slug=slug)), write=True)
    assert runtime.read_sync(lambda r: r.one_or_none(query, slug=slug)) is not None


def test_reads_in_many_threads_each_get_a_snapshot(runtime: Runtime) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import bindparam

    from rolodex.db.prepared import Prepared

    query = Prepared(select(Account.id).where(Account.slug == bindparam("slug")))
    slug = f"threads-{uuid.uuid4().hex[:8]}"
    account_id = runtime.run_sync(
        lambda s: (s.add(account := Account(name="Threads", slug=slug)), s.flush(), account.id)[2],
        write=True,
    )

    def find(_: int) -> int:
        return runtime.read_sync(lambda r: r.one_or_none(query, slug=slug)[0])

    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(find, range(64))) == [account_id] * 64
