"""Accounts (tenants), their credentials for every door, offices and per-account counters."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from rolodex.db.prepared import Prepared, Reader
from rolodex.errors import Conflict, NotFound, ValidationFailed
from rolodex.models import AccessToken, Account, AccountCounter, Credential, Office

SCHEMES = ("native", "trackops", "tevo", "halo", "kickserv")
COUNTERS = ("client", "job")
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_ALNUM = string.ascii_letters + string.digits


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _random(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:63].strip("-")
    return slug or "account"


@dataclass(frozen=True)
class NewAccount:
    account: Account
    office: Office
    credentials: dict[str, dict[str, Any]]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.account.id,
            "name": self.account.name,
            "slug": self.account.slug,
            **self.credentials,
        }


def create_account(session: Session, name: str, slug: str | None = None) -> NewAccount:
    name = name.strip()
    if not name or len(name) > 200:
        raise ValidationFailed.one("name", "must be 1 to 200 characters")
    if slug is None:
        base = slugify(name)
        slug, n = base, 1
        while session.scalar(select(Account.id).where(Account.slug == slug)) is not None:
            n += 1
            slug = f"{base[:58]}-{n}"
    else:
        slug = slug.strip().lower()
        if not SLUG_RE.match(slug):
            raise ValidationFailed.one(
                "slug",
                "must be 1 to 63 lower-case letters, digits or hyphens, "
                "not starting or ending with a hyphen",
            )
        if session.scalar(select(Account.id).where(Account.slug == slug)) is not None:
            raise Conflict(f"An account with slug {slug!r} already exists.", field="slug")

    account = Account(name=name, slug=slug)
    session.add(account)
    session.flush()
    office = Office(account_id=account.id, name="Main Office", is_default=True)
    session.add(office)
    session.flush()
    for counter in COUNTERS:
        session.add(AccountCounter(account_id=account.id, name=counter, value=0))

    credentials: dict[str, dict[str, Any]] = {}
    for scheme in SCHEMES:
        row, shown = _new_credential(account.id, scheme, slug, office.id)
        session.add(row)
        credentials[scheme] = shown
    session.flush()
    return NewAccount(account, office, credentials)


def _new_credential(
    account_id: int, scheme: str, slug: str, office_id: int
) -> tuple[Credential, dict[str, Any]]:
    """A new credential row of one door, and its parts as shown once (secrets in clear)."""
    if scheme == "native":
        api_key = "rdx_" + _random(_ALNUM, 40)
        row = Credential(account_id=account_id, scheme="native", lookup=sha256_hex(api_key))
        return row, {"api_key": api_key}
    if scheme == "trackops":
        token = secrets.token_hex(20)
        row = Credential(
            account_id=account_id, scheme=scheme, lookup=slug, secret_hash=sha256_hex(token)
        )
        return row, {"username": slug, "token": token}
    if scheme == "tevo":
        token, secret = _random(_ALNUM, 32), _random(_ALNUM + "+/", 40)
        row = Credential(account_id=account_id, scheme=scheme, lookup=token, secret=secret)
        return row, {"token": token, "secret": secret, "office_id": office_id}
    if scheme == "halo":
        client_id, secret = secrets.token_hex(16), secrets.token_urlsafe(36)
        row = Credential(
            account_id=account_id, scheme=scheme, lookup=client_id, secret_hash=sha256_hex(secret)
        )
        return row, {"client_id": client_id, "client_secret": secret, "tenant": slug}
    if scheme == "kickserv":
        token = secrets.token_hex(20)
        row = Credential(account_id=account_id, scheme=scheme, lookup=sha256_hex(token))
        return row, {"token": token}
    raise ValidationFailed.one("door", f"must be one of {', '.join(SCHEMES)}")


def rotate_credentials(session: Session, account_id: int, scheme: str) -> dict[str, Any]:
    """New credentials for one door of the account, in clear (to be shown this once); the
    old ones stop working when this commits (HaloPSA: the access tokens issued with them too).
    A process's credential cache (Runtime.credentials) may still let an old one through for
    up to ROLODEX_AUTH_CACHE_SECONDS, unless it is told (`forget_account`)."""
    if scheme not in SCHEMES:
        raise ValidationFailed.one("door", f"must be one of {', '.join(SCHEMES)}")
    account = get_account(session, account_id)
    office_id = default_office_id(session, account_id)
    session.execute(
        delete(Credential).where(Credential.account_id == account_id, Credential.scheme == scheme)
    )
    if scheme == "halo":
        session.execute(
            delete(AccessToken).where(
                AccessToken.account_id == account_id, AccessToken.scheme == scheme
            )
        )
    session.flush()
    row, shown = _new_credential(account_id, scheme, account.slug, office_id)
    session.add(row)
    session.flush()
    return shown


CREDENTIALS_OF = Prepared(
    select(Credential.scheme, Credential.lookup, Credential.created_at)
    .where(Credential.account_id == bindparam("account_id"))
    .order_by(Credential.id)
)


def public_credentials(reader: Reader, account_id: int) -> dict[str, dict[str, Any]]:
    """Each door's credential as it may be shown again: its public part (Trackops' username,
    TEvo's token, Halo's client id) and when it was issued; never a secret."""
    out: dict[str, dict[str, Any]] = {}
    for scheme, lookup, created_at in reader.rows(CREDENTIALS_OF, account_id=account_id):
        public = lookup if scheme in ("trackops", "tevo", "halo") else None
        out[scheme] = {"public": public, "issued_at": created_at}
    return out


def list_accounts(session: Session) -> list[Account]:
    return list(session.scalars(select(Account).order_by(Account.id)))


def get_account(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound("account", account_id)
    return account


def find_account_by_slug(session: Session, slug: str) -> Account | None:
    return session.scalar(select(Account).where(Account.slug == slug))


def account_for_bearer(session: Session, scheme: str, presented: str) -> int | None:
    """For schemes whose whole secret is presented (native API key, Kickserv token): the
    account, looked up by the secret's hash."""
    return session.scalar(
        select(Credential.account_id).where(
            Credential.scheme == scheme, Credential.lookup == sha256_hex(presented)
        )
    )


def account_for_secret(session: Session, scheme: str, lookup: str, presented: str) -> int | None:
    """For schemes with a public part and a secret (Trackops user + token, Halo client id +
    secret): the account, when the secret matches."""
    if "\x00" in lookup:  # no credential has one, and PostgreSQL cannot even compare it
        return None
    row = session.execute(
        select(Credential.account_id, Credential.secret_hash).where(
            Credential.scheme == scheme, Credential.lookup == lookup
        )
    ).first()
    if row is None or row.secret_hash is None:
        return None
    if not hmac.compare_digest(row.secret_hash, sha256_hex(presented)):
        return None
    return int(row.account_id)


def signing_secret(session: Session, scheme: str, lookup: str) -> tuple[int, str] | None:
    """For HMAC schemes (TEvo): the account and the stored secret to verify a signature with."""
    if "\x00" in lookup:  # no credential has one, and PostgreSQL cannot even compare it
        return None
    row = session.execute(
        select(Credential.account_id, Credential.secret).where(
            Credential.scheme == scheme, Credential.lookup == lookup
        )
    ).first()
    if row is None or row.secret is None:
        return None
    return int(row.account_id), str(row.secret)


def next_number(session: Session, account_id: int, counter: str) -> int:
    """The next value of a per-account sequence. The UPDATE takes the row lock, so concurrent
    writers get distinct numbers on PostgreSQL; SQLite serializes writers anyway."""
    value = session.scalar(
        update(AccountCounter)
        .where(AccountCounter.account_id == account_id, AccountCounter.name == counter)
        .values(value=AccountCounter.value + 1)
        .returning(AccountCounter.value),
        execution_options={"synchronize_session": False},
    )
    if value is None:
        raise NotFound("counter", counter)
    return int(value)


def offices(session: Session, account_id: int) -> list[Office]:
    return list(
        session.scalars(select(Office).where(Office.account_id == account_id).order_by(Office.id))
    )


ACCOUNT_BY_SLUG = Prepared(select(Account.id).where(Account.slug == bindparam("slug")))
DEFAULT_OFFICE = Prepared(
    select(Office.id).where(Office.account_id == bindparam("account_id"), Office.is_default)
)
OFFICE_OF_ACCOUNT = Prepared(
    select(Office.id).where(
        Office.account_id == bindparam("account_id"), Office.id == bindparam("office_id")
    )
)


def default_office_id(session: Session, account_id: int) -> int:
    row = Reader.within(session).one_or_none(DEFAULT_OFFICE, account_id=account_id)
    office_id = row[0] if row else None
    if office_id is None:
        raise NotFound("office", "default")
    return int(office_id)


def office_belongs(session: Session, account_id: int, office_id: int) -> bool:
    return (
        Reader.within(session).one_or_none(
            OFFICE_OF_ACCOUNT, account_id=account_id, office_id=office_id
        )
        is not None
    )


# --- the web console's password ----------------------------------------------------------------

CONSOLE = "console"  # the credential scheme of an account's console password
PASSWORD_MIN = 12
PASSWORD_MAX = 1024
# scrypt at 16 MiB of memory a check: slow to guess by the million, quick enough to sign in.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "maxmem": 64 * 1024 * 1024, "dklen": 16}


def _scrypt(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)


def set_console_password(session: Session, slug: str, password: str) -> Account:
    """Set (or replace) the account's console password. Only its scrypt hash is kept, with its
    salt: 16 bytes each, as 64 hex digits (what `secret_hash` holds)."""
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise ValidationFailed.one(
            "password", f"must be {PASSWORD_MIN} to {PASSWORD_MAX} characters"
        )
    account = find_account_by_slug(session, slug)
    if account is None:
        raise NotFound("account", slug)
    salt = secrets.token_bytes(16)
    stored = salt.hex() + _scrypt(password, salt).hex()
    row = session.scalar(
        select(Credential).where(Credential.scheme == CONSOLE, Credential.lookup == slug)
    )
    if row is None:
        session.add(
            Credential(account_id=account.id, scheme=CONSOLE, lookup=slug, secret_hash=stored)
        )
    else:
        row.secret_hash = stored
    session.flush()
    return account


def account_for_password(session: Session, slug: str, password: str) -> int | None:
    """The account whose console password this is, or None (no such account, no password set,
    or the wrong one)."""
    if "\x00" in slug or len(password) > PASSWORD_MAX:
        return None
    row = session.execute(
        select(Credential.account_id, Credential.secret_hash).where(
            Credential.scheme == CONSOLE, Credential.lookup == slug.strip().lower()
        )
    ).first()
    if row is None or row.secret_hash is None or len(row.secret_hash) != 64:
        return None
    salt, expected = bytes.fromhex(row.secret_hash[:32]), row.secret_hash[32:]
    if not hmac.compare_digest(_scrypt(password, salt).hex(), expected):
        return None
    return int(row.account_id)
