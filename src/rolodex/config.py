"""Runtime settings, read once from the environment (ROLODEX_ prefix)."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "sqlite:///rolodex.db"


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    # Seconds an authenticated credential stays cached in a process before it is looked up again.
    auth_cache_seconds: float = 30.0
    # Seconds a stored Idempotency-Key answer is replayed before the key may be reused.
    idempotency_ttl_seconds: int = 24 * 3600
    # PostgreSQL reads running at once on worker threads; None: as many as the connection pool
    # holds; 0: on the event loop, one after another (as SQLite reads always run).
    postgres_read_threads: int | None = None
    # How long a SQLite write waits for the database's one write lock before it is refused
    # (503, "busy"); milliseconds.
    sqlite_busy_timeout_ms: int = 30_000

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        values: dict[str, object] = {}
        if url := os.environ.get("ROLODEX_DATABASE_URL"):
            values["database_url"] = url
        if cache := os.environ.get("ROLODEX_AUTH_CACHE_SECONDS"):
            values["auth_cache_seconds"] = float(cache)
        if busy := os.environ.get("ROLODEX_SQLITE_BUSY_TIMEOUT_MS"):
            values["sqlite_busy_timeout_ms"] = int(busy)
        if threads := os.environ.get("ROLODEX_POSTGRES_READ_THREADS"):
            values["postgres_read_threads"] = int(threads)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
