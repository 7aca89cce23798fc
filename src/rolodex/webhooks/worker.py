"""The delivery worker: claims due deliveries (rolodex.domain.deliveries), sends them, many at
once on a pool of threads, one run (endpoint and client) in order on one thread, and records
the outcomes; every hour it also deletes the events past their retention. No transaction is
open while a request is out. It runs beside `rolodex serve` (rolodex.background) and alone
as `rolodex webhooks deliver`; any number may run side by side, each delivery claimed by
one of them at a time."""

from __future__ import annotations

import logging
import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine

from rolodex.config import Settings
from rolodex.db.types import utcnow
from rolodex.domain import deliveries, events, webhooks
from rolodex.domain.deliveries import RUN, Claimed, Result
from rolodex.errors import DomainError
from rolodex.webhooks import sealing, sending

log = logging.getLogger("rolodex.webhooks")
CLEANUP_EVERY = 3600.0  # seconds between retention cleanups
IDLE = 0.2  # seconds between looks at the queue when it is empty


class Worker:
    def __init__(self, engine: Engine, settings: Settings, *, batch: int | None = None) -> None:
        self.engine = engine
        self.settings = settings
        self.concurrency = max(1, settings.webhook_concurrency)
        self.batch = batch or self.concurrency * 8
        self.timeout = settings.webhook_timeout_seconds
        # Long enough for the slowest batch: every thread's share, one run longer, each
        # attempt at the timeout. A worker that dies frees its deliveries when it ends.
        rounds = math.ceil(self.batch / self.concurrency) + RUN
        self.lease = timedelta(seconds=rounds * self.timeout + 10)
        self.sender = sending.Sender(
            timeout=self.timeout, allow_private=settings.webhook_allow_private
        )
        self.pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="webhook")
        self._keys: dict[str, bytes] = {}
        self._stop = threading.Event()
        self.delivered = 0
        self.failed = 0

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        self.sender.close()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- one round --------------------------------------------------------------------------

    def step(self) -> int:
        """Claim what is due, send it, record how it went; how many deliveries were claimed
        (0: nothing was due)."""
        runs = deliveries.claim(self.engine, self.batch, self.lease)
        if not runs:
            return 0
        # Past this, a run stops sending and gives back what it has not sent, well before
        # its lease ends and another worker could take the same deliveries.
        deadline = time.monotonic() + self.lease.total_seconds() - self.timeout - 5
        results: list[Result] = []
        for part in self.pool.map(lambda run: self._send_run(run, deadline), runs):
            results.extend(part)
        disabled = deliveries.settle(
            self.engine,
            results,
            self.settings.webhook_retry_schedule,
            timedelta(days=self.settings.webhook_disable_after_days),
        )
        for endpoint_id in disabled:
            log.warning("webhook endpoint %s disabled: it kept failing", endpoint_id)
        return sum(len(run) for run in runs)

    def _send_run(self, run: list[Claimed], deadline: float) -> list[Result]:
        out: list[Result] = []
        for i, claimed in enumerate(run):
            if time.monotonic() > deadline or self._stop.is_set():
                out += [Result(c, attempted=False) for c in run[i:]]
                break
            at = utcnow()
            outcome = self._send(claimed)
            out.append(
                Result(
                    claimed,
                    True,
                    outcome.ok,
                    outcome.status_code,
                    outcome.error,
                    outcome.duration_ms,
                    at,
                )
            )
            if outcome.ok:
                self.delivered += 1
            else:
                self.failed += 1
                # What follows in this run waits for this one, in event order.
                out += [Result(c, attempted=False) for c in run[i + 1 :]]
                break
        return out

    def _key(self, claimed: Claimed) -> bytes:
        key = self._keys.get(claimed.sealed_secret)
        if key is None:
            secret = sealing.sealer(self.settings).open(
                claimed.sealed_secret, webhooks.secret_context(claimed.account_id)
            )
            if len(self._keys) > 4096:
                self._keys.clear()
            key = self._keys[claimed.sealed_secret] = sending.secret_bytes(secret)
        return key

    def _send(self, claimed: Claimed) -> sending.Outcome:
        try:
            key = self._key(claimed)
        except DomainError as exc:
            return sending.Outcome(False, None, exc.message, 0)
        body = events.webhook_body(claimed.event)
        headers = sending.headers(key, events.message_id(claimed.event["id"]), body)
        return self.sender.send(claimed.url, body, headers)

    # --- running ----------------------------------------------------------------------------

    def drain(self) -> int:
        """Deliver what is due until nothing is (retries not yet due are left); how many
        deliveries were claimed."""
        total = 0
        while count := self.step():
            total += count
        return total

    def cleanup(self) -> int:
        retention = timedelta(days=self.settings.event_retention_days)
        gone = events.cleanup(self.engine, retention)
        if gone:
            log.info(
                "deleted %s events older than %s days", gone, self.settings.event_retention_days
            )
        return gone

    def run(self, stop: threading.Event, idle: float = IDLE) -> None:
        """Deliver until `stop` is set (the round in hand gives back what it has not sent,
        and is recorded); clean up old events every hour."""
        self._stop = stop
        next_cleanup = 0.0
        while not stop.is_set():
            try:
                if time.monotonic() >= next_cleanup:
                    next_cleanup = time.monotonic() + CLEANUP_EVERY
                    self.cleanup()
                if self.step():
                    continue
            except Exception:  # the database is away, a lock timed out: try again soon
                log.exception("webhook delivery round failed; retrying")
                stop.wait(1.0)
                continue
            stop.wait(idle)


def run_until(engine: Engine, settings: Settings, stop: threading.Event, **kw: Any) -> None:
    with Worker(engine, settings, **kw) as worker:
        worker.run(stop)
