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

    from rolodex.db.fast import Prepared

    query = Prepared(select(Account.id).where(Account.slug == bindparam("slug")))
    slug = f"snap-{uuid.uuid4().hex[:8]}"

    def read_twice(reader: object) -> tuple[bool, bool]:
        before = reader.one_or_none(query, slug=slug) is not None  # type: ignore[attr-defined]
        runtime.run_sync(lambda s: s.add(Account(name="Late", slug=slug)), write=True)
        after = reader.one_or_none(query, slug=slug) is not None  # type: ignore[attr-defined]
        return before, after

    assert runtime.read_sync(read_twice) == (False, False)
    assert runtime.read_sync(lambda r: r.one_or_none(query, slug=slug)) is not None
