"""Webhook signing secrets, encrypted at rest with AES-256-GCM.

A receiver verifies a signature with the same secret Rolodex signs with (HMAC-SHA256, per
Standard Webhooks), so the secret cannot be stored as a hash: it is encrypted with a key the
database does not hold, so that a copy of the database alone (a dump, a backup) does not give
the secrets away.

The key comes from `ROLODEX_SECRET_KEY` (a long random string; several separated by commas
to rotate: the first encrypts, each decrypts what it encrypted). Without it, a SQLite
database gets a key file made beside it (`<database>.secret-key`, mode 0600) the first time
a secret is sealed: keep it with the database, since the secrets cannot be read without it.
PostgreSQL has no such place, so there webhook endpoints cannot be created until the
setting is given (503 `not_configured`).
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.engine import make_url

from rolodex.config import Settings
from rolodex.db.engine import normalize_url
from rolodex.errors import NotConfigured

VERSION = "v1"


class Sealer:
    """Seals and opens secrets with AES-256-GCM; `context` (what the secret belongs to) is
    authenticated with it, so a sealed secret copied to another record does not open."""

    def __init__(self, passphrases: list[str]) -> None:
        if not passphrases:
            raise ValueError("a Sealer needs a key")
        self._keys: dict[str, AESGCM] = {}
        self._current = ""
        for i, phrase in enumerate(passphrases):
            key = hashlib.sha256(phrase.encode()).digest()
            kid = hashlib.sha256(b"kid" + key).hexdigest()[:8]
            self._keys[kid] = AESGCM(key)
            if i == 0:
                self._current = kid

    def seal(self, secret: str, context: str) -> str:
        nonce = os.urandom(12)
        sealed = self._keys[self._current].encrypt(nonce, secret.encode(), context.encode())
        body = base64.urlsafe_b64encode(nonce + sealed).decode()
        return f"{VERSION}.{self._current}.{body}"

    def open(self, sealed: str, context: str) -> str:
        try:
            version, kid, body = sealed.split(".", 2)
            key = self._keys[kid]
            raw = base64.urlsafe_b64decode(body.encode())
            if version != VERSION:
                raise ValueError
            return key.decrypt(raw[:12], raw[12:], context.encode()).decode()
        except KeyError:
            raise NotConfigured(
                "A webhook secret was sealed with a key ROLODEX_SECRET_KEY no longer lists."
            ) from None
        except (ValueError, InvalidTag):
            raise NotConfigured("A webhook secret does not open with the configured key.") from None


_lock = threading.Lock()
_sealers: dict[tuple[str | None, str], Sealer] = {}


def key_file(database_url: str) -> Path | None:
    """Where a SQLite database's key file goes; None for a database without a file."""
    url = make_url(normalize_url(database_url))
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(f"{url.database}.secret-key")


def _read_or_make(path: Path) -> str:
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    phrase = base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_text().strip()
    with os.fdopen(handle, "w") as out:
        out.write(phrase + "\n")
    return phrase


def sealer(settings: Settings) -> Sealer:
    """The sealer `settings` name; NotConfigured when there is no key to be had."""
    cache_key = (settings.secret_key, settings.database_url)
    found = _sealers.get(cache_key)
    if found is not None:
        return found
    with _lock:
        found = _sealers.get(cache_key)
        if found is None:
            phrases = passphrases(
                settings,
                "Webhook endpoints need ROLODEX_SECRET_KEY set on this server (a long "
                "random string), which encrypts their signing secrets.",
            )
            found = _sealers[cache_key] = Sealer(phrases)
    return found


def passphrases(settings: Settings, missing: str) -> list[str]:
    """The server's secret key phrases, newest first: ROLODEX_SECRET_KEY's, or a SQLite
    database's key file (made the first time); NotConfigured(`missing`) when there is none
    to be had. The web console signs its sessions with them too (rolodex.console.session)."""
    if settings.secret_key:
        return [p.strip() for p in settings.secret_key.split(",") if p.strip()]
    path = key_file(settings.database_url)
    if path is None:
        raise NotConfigured(missing)
    return [_read_or_make(path)]
