"""What every door shares at run time: the engine, the unit of work, and a small in-process
cache of authenticated credentials."""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import psycopg
from anyio import CapacityLimiter, to_thread
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from starlette.concurrency import run_in_threadpool

from rolodex.config import Settings
from rolodex.db.engine import create_db_engine, make_session_factory, transaction
from rolodex.db.prepared import Reader, Snapshots
from rolodex.domain.usage import RequestCounter
from rolodex.errors import Busy, Conflict

T = TypeVar("T")

RACE_ATTEMPTS = 4
SETTINGS = "rolodex.settings"
# SQLSTATEs of a transaction PostgreSQL ended because another one got there first.
SERIALIZATION_FAILURE = "40001"
DEADLOCK_DETECTED = "40P01"
# What a driver raises itself, from the Core writes that run on its connection directly (bulk
# inserts, the document store): SQLAlchemy's DBAPIError wraps the same errors elsewhere.
DRIVER_ERRORS = (sqlite3.Error, psycopg.Error)


def lost_race(exc: Exception) -> bool:
    """Whether `exc` says a concurrent transaction won: a versioned row changed or vanished
    since it was read, a constraint met a row committed meanwhile (a unique name, a reference
    to a record deleted meanwhile), or PostgreSQL cancelled a serialization failure or a
    deadlock."""
    driver = getattr(exc, "orig", exc)
    if isinstance(exc, StaleDataError | IntegrityError) or isinstance(
        driver, sqlite3.IntegrityError | psycopg.IntegrityError
    ):
        return True
    sqlstate = getattr(driver, "sqlstate", None)
    return sqlstate in (SERIALIZATION_FAILURE, DEADLOCK_DETECTED)


def busy(exc: Exception) -> bool:
    """Whether `exc` is SQLite giving up on its write lock after the busy timeout."""
    return "database is locked" in str(getattr(exc, "orig", exc))


class CredentialCache:
    """Maps a presented credential (already hashed or canonical) to its account id for a few
    seconds, so the hot path does not look it up on every request."""

    def __init__(self, ttl: float, max_entries: int = 10_000) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[tuple[str, str], tuple[int, float]] = {}

    def get(self, scheme: str, key: str) -> int | None:
        hit = self._entries.get((scheme, key))
        if hit is None:
            return None
        account_id, expires = hit
        if expires < time.monotonic():
            self._entries.pop((scheme, key), None)
            return None
        return account_id

    def forget_account(self, account_id: int) -> None:
        """Drop every cached credential of the account (after its credentials rotate)."""
        for key in [k for k, (a, _) in list(self._entries.items()) if a == account_id]:
            self._entries.pop(key, None)

    def put(self, scheme: str, key: str, account_id: int) -> None:
        if self.ttl <= 0:
            return
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[(scheme, key)] = (account_id, time.monotonic() + self.ttl)


def _pool_capacity(engine: Engine) -> int:
    pool: Any = engine.pool
    size = getattr(pool, "size", lambda: 10)()
    return int(size + max(getattr(pool, "_max_overflow", 0), 0))


class Runtime:
    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or create_db_engine(
            settings.database_url, busy_timeout_ms=settings.sqlite_busy_timeout_ms
        )
        self.sessions = make_session_factory(self.engine)
        # What a write's handler may need of the settings (webhooks: the secret key, which
        # URLs are allowed) travels with its session.
        self.sessions.configure(info={SETTINGS: settings})
        self.credentials = CredentialCache(settings.auth_cache_seconds)
        self.requests = RequestCounter()  # requests per door, flushed by the app's lifespan
        sqlite = self.engine.dialect.name == "sqlite"
        self._write_lock = threading.Lock() if sqlite else None
        self._busy_seconds = settings.sqlite_busy_timeout_ms / 1000
        self.snapshots = Snapshots(self.engine)
        # PostgreSQL reads wait on the network: they run on worker threads, as many at once as
        # the pool has connections, so concurrent requests overlap their round trips instead of
        # queueing behind each other on the event loop. SQLite reads stay on the loop.
        threads = settings.postgres_read_threads
        if threads is None:
            threads = _pool_capacity(self.engine)
        self._read_threads = None if sqlite or threads <= 0 else CapacityLimiter(threads)

    def run_sync(self, fn: Callable[[Session], T], *, write: bool) -> T:
        """Run `fn` in one transaction, again if it lost a race with a concurrent one.

        A lost race leaves nothing written (the transaction rolled back whole), and the next
        attempt reads afresh, so it meets the other request's change the way a later request
        would: a stale If-Match becomes a 412, a name taken meanwhile a 409 or 422, and a write
        that merely collided simply succeeds. A race lost on every attempt is a 409.
        """
        attempts = RACE_ATTEMPTS if write else 1  # a read sees a snapshot: it loses no race
        for attempt in range(1, attempts + 1):
            try:
                return self._run_sync(fn, write=write)
            except (StaleDataError, DBAPIError, *DRIVER_ERRORS) as exc:
                if busy(exc):
                    raise Busy() from exc
                if not write or not lost_race(exc):
                    raise
                if attempt == attempts:
                    raise Conflict(
                        "A concurrent change conflicted with this request; nothing was "
                        "written, so it is safe to retry."
                    ) from exc
                # A little jitter, so two requests that collided do not collide again.
                time.sleep(random.uniform(0, 0.005 * attempt))
        raise AssertionError("unreachable")

    def _run_sync(self, fn: Callable[[Session], T], *, write: bool) -> T:
        if write and self._write_lock is not None:
            # SQLite has one writer at a time. Threads of this process queue here, on a lock
            # that wakes the next one at once, rather than in SQLite's busy handler, which
            # sleeps in steps of up to 100 ms. Other processes still wait in the busy handler.
            # Neither wait is longer than the busy timeout: then the write is refused (Busy).
            if not self._write_lock.acquire(timeout=self._busy_seconds):
                raise Busy()
            try:
                with transaction(self.sessions, write=True) as session:
                    return fn(session)
            finally:
                self._write_lock.release()
        with transaction(self.sessions, write=write) as session:
            return fn(session)

    async def run(self, fn: Callable[[Session], T], *, write: bool) -> T:
        """Run `fn` in one transaction: commit on success, roll back on any error.

        SQLite reads run on the event loop thread: they never wait on a lock (WAL mode reads a
        snapshot) and take well under a millisecond, far less than a hop to a worker thread and
        back under GIL contention. PostgreSQL reads wait on the network, so they go to worker
        threads (see __init__). Writes may wait for SQLite's write lock, so they go to a worker
        thread and the loop keeps serving reads.
        """
        if write:
            return await run_in_threadpool(self.run_sync, fn, write=True)
        if self._read_threads is not None:
            return await to_thread.run_sync(
                partial(self.run_sync, fn, write=False), limiter=self._read_threads
            )
        return self.run_sync(fn, write=False)

    def read_sync(self, fn: Callable[[Reader], T]) -> T:
        with self.snapshots.snapshot() as reader:
            return fn(reader)

    async def read(self, fn: Callable[[Reader], T]) -> T:
        """Run `fn` on a read-only snapshot: on the event loop thread on SQLite (see `run`), on
        a worker thread on PostgreSQL."""
        if self._read_threads is not None:
            return await to_thread.run_sync(self.read_sync, fn, limiter=self._read_threads)
        return self.read_sync(fn)

    def dispose(self) -> None:
        self.snapshots.close()
        self.engine.dispose()


def settings_of(session: Session) -> Settings:
    """The settings of the Runtime whose transaction `session` is; the environment's for a
    session made elsewhere (a command)."""
    found = session.info.get(SETTINGS)
    return found if isinstance(found, Settings) else Settings.from_env()


def utf8(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
