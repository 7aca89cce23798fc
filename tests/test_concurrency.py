"""Concurrent writers through the runtime's unit of work, without HTTP: eight threads at once,
on one runtime and on two runtimes sharing a database (as two server processes would). Every
write succeeds (no "database is locked" on SQLite), client numbers stay distinct and gapless, and
a write that fails halfway leaves nothing behind."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rolodex.config import Settings
from rolodex.domain import accounts
from rolodex.domain.batches import create_one
from rolodex.domain.clients import NewClient, update_client
from rolodex.models import AccountCounter, Client
from rolodex.runtime import Runtime

THREADS = 8
WRITES_PER_THREAD = 5
CLIENTS_PER_WRITE = 2


def create_client(session: Session, account_id: int, new: NewClient) -> Client:
    """A client created as POST /v1/clients creates one (the batched Core writes), read back."""
    client_id = create_one(session, account_id, new)
    return session.get_one(Client, client_id)


def new_account_id(runtime: Runtime) -> int:
    name = f"Concurrency {uuid.uuid4().hex[:8]}"
    return runtime.run_sync(lambda s: int(accounts.create_account(s, name).account.id), write=True)


def clients_of(runtime: Runtime, account_id: int) -> list[tuple[int, str]]:
    def read(session: Session) -> list[tuple[int, str]]:
        rows = session.execute(
            select(Client.number, Client.name)
            .where(Client.account_id == account_id)
            .order_by(Client.number)
        )
        return [(int(number), str(name)) for number, name in rows]

    return runtime.run_sync(read, write=False)


def test_concurrent_writers_all_succeed_with_distinct_contiguous_numbers(
    runtime: Runtime,
) -> None:
    account_id = new_account_id(runtime)
    start = threading.Barrier(THREADS)

    def writer(worker: int) -> list[int]:
        start.wait(timeout=30)
        numbers: list[int] = []
        for write in range(WRITES_PER_THREAD):

            def several(session: Session, write: int = write) -> list[int]:
                made = []
                for k in range(CLIENTS_PER_WRITE):
                    name = f"w{worker}-{write}-{k}"
                    client = create_client(session, account_id, NewClient(fields={"name": name}))
                    made.append(int(client.number))
                return made

            numbers += runtime.run_sync(several, write=True)
        return numbers

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = [pool.submit(writer, worker) for worker in range(THREADS)]
        results = [future.result(timeout=120) for future in futures]

    total = THREADS * WRITES_PER_THREAD * CLIENTS_PER_WRITE
    returned = sorted(n for numbers in results for n in numbers)
    assert returned == list(range(1, total + 1))
    for numbers in results:
        # one unit of work creates its clients with consecutive numbers: nothing interleaves
        for i in range(0, len(numbers), CLIENTS_PER_WRITE):
            chunk = numbers[i : i + CLIENTS_PER_WRITE]
            assert chunk == list(range(chunk[0], chunk[0] + CLIENTS_PER_WRITE)), numbers

    stored = clients_of(runtime, account_id)
    assert [number for number, _ in stored] == list(range(1, total + 1))
    expected_names = {
        f"w{w}-{i}-{k}"
        for w in range(THREADS)
        for i in range(WRITES_PER_THREAD)
        for k in range(CLIENTS_PER_WRITE)
    }
    assert {name for _, name in stored} == expected_names


def test_concurrent_writers_on_two_runtimes_all_succeed(
    runtime: Runtime, database_url: str
) -> None:
    """Two runtimes on one database stand for two server processes: their threads do not share
    an in-process lock, so on SQLite they meet in the database's own write lock."""
    account_id = new_account_id(runtime)
    second = Runtime(Settings(database_url=database_url))
    start = threading.Barrier(THREADS)

    def create_named(name: str) -> Callable[[Session], int]:
        def create(session: Session) -> int:
            return int(create_client(session, account_id, NewClient(fields={"name": name})).number)

        return create

    def writer(worker: int) -> list[int]:
        rt = runtime if worker % 2 else second
        start.wait(timeout=30)
        return [
            rt.run_sync(create_named(f"w{worker}-{write}"), write=True)
            for write in range(WRITES_PER_THREAD)
        ]

    try:
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            results = list(pool.map(writer, range(THREADS), timeout=120))
    finally:
        second.dispose()

    total = THREADS * WRITES_PER_THREAD
    assert sorted(n for numbers in results for n in numbers) == list(range(1, total + 1))
    stored = clients_of(runtime, account_id)
    assert [number for number, _ in stored] == list(range(1, total + 1))
    assert len({name for _, name in stored}) == total


class Halfway(Exception):
    pass


def test_a_write_that_fails_halfway_leaves_nothing_behind(runtime: Runtime) -> None:
    account_id = new_account_id(runtime)

    def create_then_fail(session: Session) -> None:
        create_client(session, account_id, NewClient(fields={"name": "Half Written"}))
        session.flush()
        raise Halfway("after the client was written")

    with pytest.raises(Halfway):
        runtime.run_sync(create_then_fail, write=True)

    assert clients_of(runtime, account_id) == []
    counter = runtime.run_sync(
        lambda s: s.scalar(
            select(AccountCounter.value).where(
                AccountCounter.account_id == account_id, AccountCounter.name == "client"
            )
        ),
        write=False,
    )
    assert counter == 0

    # The next client gets number 1: the failed write used up nothing.
    number = runtime.run_sync(
        lambda s: int(create_client(s, account_id, NewClient(fields={"name": "Whole"})).number),
        write=True,
    )
    assert number == 1
    assert clients_of(runtime, account_id) == [(1, "Whole")]


def test_failing_writers_among_concurrent_writers_leave_no_trace(runtime: Runtime) -> None:
    account_id = new_account_id(runtime)
    start = threading.Barrier(THREADS)

    def writer(worker: int) -> str:
        start.wait(timeout=30)

        def write(session: Session) -> None:
            create_client(session, account_id, NewClient(fields={"name": f"c{worker}"}))
            if worker % 2:
                raise Halfway(f"worker {worker}")

        try:
            runtime.run_sync(write, write=True)
        except Halfway:
            return "failed"
        return "ok"

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = list(pool.map(writer, range(THREADS)))

    assert outcomes == ["ok", "failed"] * (THREADS // 2)
    stored = clients_of(runtime, account_id)
    assert [number for number, _ in stored] == list(range(1, THREADS // 2 + 1))
    assert sorted(name for _, name in stored) == [f"c{w}" for w in range(0, THREADS, 2)]
    count = runtime.run_sync(
        lambda s: s.scalar(
            select(func.count()).select_from(Client).where(Client.account_id == account_id)
        ),
        write=False,
    )
    assert count == THREADS // 2


def test_a_deadlock_between_two_writers_is_run_again_and_both_land(
    runtime: Runtime, db_kind: str
) -> None:
    """Two writers lock two clients in opposite orders. PostgreSQL ends one with a deadlock
    error; the runtime runs that one again, after the other committed, and both land. On SQLite
    the writers take turns, so neither waits for the other."""
    account_id = new_account_id(runtime)
    first, second = (
        runtime.run_sync(
            lambda s, n=name: int(create_client(s, account_id, NewClient(fields={"name": n})).id),
            write=True,
        )
        for name in ("A", "B")
    )
    both_hold_one = threading.Barrier(2)
    attempts: list[str] = []

    def rename_both(order: tuple[int, int], label: str) -> Callable[[Session], None]:
        def write(session: Session) -> None:
            attempts.append(label)
            update_client(session, account_id, order[0], {"account_code": label})
            if attempts.count(label) == 1:  # only the first attempt waits for the other
                with suppress(threading.BrokenBarrierError):
                    both_hold_one.wait(timeout=1 if db_kind == "sqlite" else 10)
            update_client(session, account_id, order[1], {"account_code": label})

        return write

    with ThreadPoolExecutor(max_workers=2) as pool:
        one = pool.submit(runtime.run_sync, rename_both((first, second), "one"), write=True)
        two = pool.submit(runtime.run_sync, rename_both((second, first), "two"), write=True)
        one.result(timeout=60)
        two.result(timeout=60)

    codes = runtime.run_sync(
        lambda s: sorted(
            s.execute(select(Client.account_code).where(Client.account_id == account_id))
        ),
        write=False,
    )
    # Whoever committed last renamed both.
    assert codes in ([("one",), ("one",)], [("two",), ("two",)]), codes
    if db_kind == "postgres":
        assert sorted(attempts) in (["one", "one", "two"], ["one", "two", "two"]), attempts
