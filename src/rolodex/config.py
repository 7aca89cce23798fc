"""Runtime settings, read once from the environment (ROLODEX_ prefix)."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_DATABASE_URL = "sqlite:///rolodex.db"
# Seconds between a webhook delivery's attempts: after the first failure, then the second, ...
# (about 27.5 hours in all); once they are spent the delivery has failed.
DEFAULT_RETRY_SCHEDULE = (5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)
TRUE = {"1", "true", "yes", "on"}
# The vendor doors a host name may be mapped to (their mount points are the app's business).
VENDOR_DOORS = ("trackops", "tevo", "halo", "kickserv")
# Each vendor's API hosts (shared/reference/vendors.md), served at the vendor's own paths: a
# request whose Host names one goes to that door as if its prefix were in the path. `*.name`
# is any host under `name` (a tenant's own subdomain), not `name` itself.
DEFAULT_VENDOR_HOSTS: tuple[tuple[str, str], ...] = (
    ("*.viewcases.com", "trackops"),  # https://{subdomain}.viewcases.com/api/v1/...
    ("api.ticketevolution.com", "tevo"),  # /v9/...
    ("api.sandbox.ticketevolution.com", "tevo"),
    ("*.halopsa.com", "halo"),  # https://{tenant}.halopsa.com/api/..., /auth/token
    ("*.haloitsm.com", "halo"),  # the same API, HaloITSM's hosted tenants
    ("app.kickserv.com", "kickserv"),  # https://app.kickserv.com/{slug}/customers.json
)


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
    # The key that encrypts webhook signing secrets at rest (any long random string; several,
    # separated by commas, to rotate: the first encrypts, all decrypt). None: on SQLite, a key
    # file made beside the database file; on PostgreSQL, webhook endpoints cannot be created.
    secret_key: str | None = None
    # Webhook URLs may resolve to private, loopback, link-local or reserved addresses (local
    # development, tests); by default they are refused, at creation and again at delivery.
    webhook_allow_private: bool = False
    webhook_retry_schedule: tuple[float, ...] = DEFAULT_RETRY_SCHEDULE
    # Seconds one delivery may take, connecting to reading the answer.
    webhook_timeout_seconds: float = 10.0
    # An endpoint whose deliveries have failed continuously for longer than this is disabled.
    webhook_disable_after_days: float = 3.0
    # Deliveries one worker has in flight at once.
    webhook_concurrency: int = 16
    # Events older than this are deleted by the periodic cleanup, with their deliveries.
    event_retention_days: float = 90.0
    # (host name or `*.suffix`, door): hosts served by a vendor door at the vendor's paths.
    vendor_hosts: tuple[tuple[str, str], ...] = DEFAULT_VENDOR_HOSTS

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
        if key := os.environ.get("ROLODEX_SECRET_KEY"):
            values["secret_key"] = key
        if private := os.environ.get("ROLODEX_WEBHOOK_ALLOW_PRIVATE"):
            values["webhook_allow_private"] = private.strip().lower() in TRUE
        if schedule := os.environ.get("ROLODEX_WEBHOOK_RETRY_SCHEDULE"):
            values["webhook_retry_schedule"] = parse_schedule(schedule)
        if hosts := os.environ.get("ROLODEX_VENDOR_HOSTS"):
            values["vendor_hosts"] = parse_vendor_hosts(hosts)
        for name, kind in (
            ("webhook_timeout_seconds", float),
            ("webhook_disable_after_days", float),
            ("webhook_concurrency", int),
            ("event_retention_days", float),
        ):
            if raw := os.environ.get(f"ROLODEX_{name.upper()}"):
                values[name] = kind(raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


def parse_schedule(text: str) -> tuple[float, ...]:
    """`5,300,1800` -> (5.0, 300.0, 1800.0): seconds between attempts, none negative."""
    delays = tuple(float(part) for part in text.split(",") if part.strip())
    if any(delay < 0 for delay in delays):
        raise ValueError(f"ROLODEX_WEBHOOK_RETRY_SCHEDULE has a negative delay: {text!r}")
    return delays


def parse_vendor_hosts(text: str) -> tuple[tuple[str, str], ...]:
    """`api.ticketevolution.com=tevo,*.halopsa.com=halo` -> ((host, door), ...), the hosts in
    lower case; `none` maps no host. The list replaces the defaults (DEFAULT_VENDOR_HOSTS)."""
    if text.strip().lower() == "none":
        return ()
    out: dict[str, str] = {}
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        host, equals, door = (piece.strip() for piece in entry.partition("="))
        host = host.lower().rstrip(".")
        door = door.lower()
        if not equals or door not in VENDOR_DOORS:
            raise ValueError(
                f"ROLODEX_VENDOR_HOSTS: {entry!r} is not HOST=DOOR, with DOOR one of "
                f"{', '.join(VENDOR_DOORS)}"
            )
        name = host.removeprefix("*.")
        labels = name.split(".")
        if not name or not all(labels) or not all(_HOST_CHARS.issuperset(x) for x in labels):
            raise ValueError(
                f"ROLODEX_VENDOR_HOSTS: {host!r} is not a host name (a name, or *.name for "
                "every host under it; no scheme, port or path)"
            )
        if host in out:
            raise ValueError(f"ROLODEX_VENDOR_HOSTS names {host!r} twice")
        out[host] = door
    return tuple(out.items())


_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")
