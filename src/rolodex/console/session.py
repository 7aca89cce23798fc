"""The console's session: a signed cookie, and the CSRF token every form carries.

The cookie holds `{"a": account id or null, "c": which credential signed in, "n": a random
nonce, "e": its expiry}` as base64url JSON, then an HMAC-SHA256 of it with a key derived from
the server's secret key (ROLODEX_SECRET_KEY, or a SQLite database's key file: the same
phrases that seal webhook secrets, rolodex.webhooks.sealing). Nothing is kept on the server:
a session ends at its expiry, or when the browser drops the cookie (sign-out replaces it with
an expired one). Rotating the secret key (a new first phrase) keeps the sessions it signed
before working until they expire; removing a phrase ends them.

A visitor not signed in gets an anonymous session (no account), so that the sign-in form
carries a CSRF token too. The CSRF token is an HMAC of the session's nonce: it is tied to the
session, and signing in makes a new nonce (a token seen before sign-in is worthless after).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import orjson

from rolodex.config import Settings
from rolodex.webhooks.sealing import passphrases

COOKIE = "rolodex_console"
LIFETIME_SECONDS = 8 * 3600
ANONYMOUS_SECONDS = 3600
NOT_CONFIGURED = (
    "The web console signs its sessions with ROLODEX_SECRET_KEY, which this server does not "
    "have: set it (a long random string) and restart."
)


@dataclass(frozen=True)
class ConsoleSession:
    account_id: int | None
    credential: str | None  # e.g. console:3f2a9c01b7de, never a secret
    nonce: str
    expires: int

    @property
    def signed_in(self) -> bool:
        return self.account_id is not None


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Signer:
    """Signs and opens session cookies with every phrase of the secret key (the first signs)."""

    def __init__(self, phrases: list[str]) -> None:
        self._keys = [
            hmac.new(p.encode(), b"rolodex console session", hashlib.sha256).digest()
            for p in phrases
        ]

    @classmethod
    def of(cls, settings: Settings) -> Signer:
        return cls(passphrases(settings, NOT_CONFIGURED))

    def _mac(self, key: bytes, payload: bytes) -> bytes:
        return hmac.new(key, payload, hashlib.sha256).digest()

    def dump(self, session: ConsoleSession) -> str:
        payload = orjson.dumps(
            {
                "a": session.account_id,
                "c": session.credential,
                "n": session.nonce,
                "e": session.expires,
            }
        )
        return f"{_b64(payload)}.{_b64(self._mac(self._keys[0], payload))}"

    def load(self, cookie: str | None, now: float | None = None) -> ConsoleSession | None:
        """The session a cookie holds, if its signature is good and it has not expired."""
        if not cookie or len(cookie) > 1024 or cookie.count(".") != 1:
            return None
        body, mac = cookie.split(".")
        try:
            payload, given = _unb64(body), _unb64(mac)
        except ValueError:
            return None
        if not any(hmac.compare_digest(self._mac(k, payload), given) for k in self._keys):
            return None
        try:
            data = orjson.loads(payload)
            found = ConsoleSession(data["a"], data["c"], str(data["n"]), int(data["e"]))
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return None
        if found.expires <= (now or time.time()):
            return None
        return found

    def csrf(self, session: ConsoleSession) -> str:
        return _b64(self._mac(self._keys[0], b"csrf:" + session.nonce.encode()))[:32]

    def csrf_ok(self, session: ConsoleSession, token: str | None) -> bool:
        if not token:
            return False
        return any(
            hmac.compare_digest(_b64(self._mac(k, b"csrf:" + session.nonce.encode()))[:32], token)
            for k in self._keys
        )


def new_session(account_id: int | None, credential: str | None) -> ConsoleSession:
    lifetime = LIFETIME_SECONDS if account_id is not None else ANONYMOUS_SECONDS
    return ConsoleSession(
        account_id, credential, secrets.token_urlsafe(16), int(time.time()) + lifetime
    )


def key_credential(api_key: str) -> str:
    """How the events of a session signed in with an API key name it: the first 12 hex
    digits of the key's SHA-256 (the key itself is never kept)."""
    return f"console:{hashlib.sha256(api_key.encode()).hexdigest()[:12]}"


PASSWORD_CREDENTIAL = "console:password"
