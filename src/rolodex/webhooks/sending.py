"""One webhook delivery over HTTP, signed per Standard Webhooks
(https://www.standardwebhooks.com/): `webhook-id` (the event's, the same on every retry),
`webhook-timestamp` (when this attempt was sent, in Unix seconds) and `webhook-signature`
(`v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed with the secret's
base64-decoded bytes), so receivers verify with the published libraries.

Built on the standard library's http.client, which follows no redirect (a 3xx answer is a
failure, as the issue asks), on connections pinned to the address checked
(rolodex.webhooks.addresses) and kept alive between deliveries to the same origin. Each
attempt has one deadline for all of it (connecting, sending, the answer): a watchdog thread
shuts the socket of an attempt past it, so a receiver that answers a byte at a time cannot
hold a worker longer than the timeout."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import http.client
import os
import socket
import ssl
import threading
import time
from dataclasses import dataclass

from rolodex.webhooks import addresses
from rolodex.webhooks.addresses import Refused, Target

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
# What is read of an answer's body (it is not kept); a longer body closes the connection.
ANSWER_BYTES = 64 * 1024
USER_AGENT = "Rolodex-Webhooks/1"


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(os.urandom(SECRET_BYTES)).decode()


def secret_bytes(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(key: bytes, message_id: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(key, f"{message_id}.{timestamp}.".encode() + body, hashlib.sha256)
    return "v1," + base64.b64encode(mac.digest()).decode()


def headers(
    key: bytes, message_id: str, body: bytes, timestamp: int | None = None
) -> dict[str, str]:
    sent = int(time.time()) if timestamp is None else timestamp
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": message_id,
        "webhook-timestamp": str(sent),
        "webhook-signature": signature(key, message_id, sent, body),
    }


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: a 2xx is a success; anything else says why not."""

    ok: bool
    status_code: int | None
    error: str | None
    duration_ms: int


class _Pinned(http.client.HTTPConnection):
    """Plain HTTP to one checked address, the URL's host in the Host header."""

    def __init__(self, target: Target, address: str, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedTLS(http.client.HTTPSConnection):
    """HTTPS to one checked address; the certificate is checked against the URL's host."""

    def __init__(self, target: Target, address: str, timeout: float, context: ssl.SSLContext):
        super().__init__(target.host, target.port, timeout=timeout, context=context)
        self.address = address
        self.tls = context

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)


Origin = tuple[str, str, int]


class Sender:
    """Sends deliveries, from any number of threads at once, each attempt within `timeout`
    seconds; idle connections are kept per origin for the next delivery there."""

    def __init__(self, *, timeout: float = 10.0, allow_private: bool = False) -> None:
        self.timeout = timeout
        self.allow_private = allow_private
        self._tls = ssl.create_default_context()
        self._idle: dict[Origin, list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()
        self._inflight: dict[int, tuple[float, http.client.HTTPConnection]] = {}
        self._closed = threading.Event()
        self._watchdog = threading.Thread(target=self._watch, name="webhook-watchdog", daemon=True)
        self._watchdog.start()

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            idle, self._idle = self._idle, {}
        for conns in idle.values():
            for conn in conns:
                conn.close()

    def _watch(self) -> None:
        while not self._closed.wait(0.25):
            now = time.monotonic()
            with self._lock:
                late = [conn for deadline, conn in self._inflight.values() if deadline < now]
            for conn in late:
                sock = conn.sock
                if sock is not None:
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)

    def _connection(self, target: Target) -> tuple[http.client.HTTPConnection, bool]:
        """A kept connection to the target's origin (True), or a new one to a checked
        address (False)."""
        origin = (target.scheme, target.host, target.port)
        with self._lock:
            kept = self._idle.get(origin)
            if kept:
                return kept.pop(), True
        try:
            found = addresses.resolve(target.host, target.port)
        except (OSError, UnicodeError) as exc:
            raise Refused(f"cannot resolve {target.host}: {exc}") from None
        address = str(addresses.allowed(found, self.allow_private)[0])
        if target.scheme == "https":
            return _PinnedTLS(target, address, self.timeout, self._tls), False
        return _Pinned(target, address, self.timeout), False

    def _keep(self, target: Target, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            self._idle.setdefault((target.scheme, target.host, target.port), []).append(conn)

    def send(self, url: str, body: bytes, sent_headers: dict[str, str]) -> Outcome:
        started = time.monotonic()
        try:
            target = addresses.parse(url)
            for retry in (True, False):
                conn, reused = self._connection(target)
                try:
                    status, keep = self._exchange(conn, target, body, sent_headers, started)
                except (ConnectionError, http.client.RemoteDisconnected, BrokenPipeError):
                    conn.close()
                    if reused and retry:
                        continue  # the receiver closed an idle connection: once more, afresh
                    raise
                except BaseException:
                    conn.close()
                    raise
                if keep:
                    self._keep(target, conn)
                else:
                    conn.close()
                break
        except Refused as exc:
            return Outcome(False, None, f"refused: {exc}", _ms(started))
        except TimeoutError:
            return Outcome(False, None, f"timed out after {self.timeout:g} s", _ms(started))
        except (OSError, http.client.HTTPException) as exc:
            if time.monotonic() - started >= self.timeout:
                return Outcome(False, None, f"timed out after {self.timeout:g} s", _ms(started))
            return Outcome(False, None, _describe(exc), _ms(started))
        if 200 <= status < 300:
            return Outcome(True, status, None, _ms(started))
        why = "a redirect, which is not followed" if 300 <= status < 400 else f"HTTP {status}"
        return Outcome(False, status, why, _ms(started))

    def _exchange(
        self,
        conn: http.client.HTTPConnection,
        target: Target,
        body: bytes,
        sent_headers: dict[str, str],
        started: float,
    ) -> tuple[int, bool]:
        key = id(conn)
        with self._lock:
            self._inflight[key] = (started + self.timeout, conn)
        try:
            conn.request("POST", target.path, body=body, headers=sent_headers)
            answer = conn.getresponse()
            answer.read(ANSWER_BYTES)
            keep = not answer.will_close and answer.isclosed()
            if not answer.isclosed():
                answer.close()
            return answer.status, keep
        finally:
            with self._lock:
                self._inflight.pop(key, None)


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:300]
