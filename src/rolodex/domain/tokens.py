"""Short-lived bearer tokens, issued by a door's token endpoint (HaloPSA's OAuth2 client
credentials flow) and checked on every request that presents one.

Only the SHA-256 of a token is stored, so a copy of the database hands out no working tokens,
and any app process can check a token another process issued. A token past its expiry is
refused, whatever its hash matches; expired rows are purged whenever a new token is issued.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from rolodex.db.prepared import Prepared, Reader
from rolodex.db.types import utcnow
from rolodex.domain.accounts import sha256_hex
from rolodex.errors import ValidationFailed
from rolodex.models import AccessToken

SCOPE_MAX = 500


@dataclass(frozen=True)
class IssuedToken:
    """A token as handed out: the clear value exists only here, never in the database."""

    token: str
    account_id: int
    scope: str | None
    expires_at: datetime


@dataclass(frozen=True)
class Grant:
    """What a presented, unexpired token grants."""

    account_id: int
    scope: str | None
    expires_at: datetime


def issue(
    session: Session,
    account_id: int,
    scheme: str,
    *,
    scope: str | None,
    lifetime: timedelta,
    now: datetime | None = None,
) -> IssuedToken:
    """A new random token for the account, valid for `lifetime` from now. A lifetime of zero
    or less issues a token that is already expired (useful to prove expiry is enforced)."""
    if scope is not None and len(scope) > SCOPE_MAX:
        raise ValidationFailed.one("scope", f"must be at most {SCOPE_MAX} characters")
    issued_at = now or utcnow()
    purge_expired(session, now=issued_at)
    token = secrets.token_urlsafe(32)
    expires_at = issued_at + lifetime
    session.add(
        AccessToken(
            account_id=account_id,
            scheme=scheme,
            token_hash=sha256_hex(token),
            scope=scope,
            expires_at=expires_at,
            created_at=issued_at,
        )
    )
    session.flush()
    return IssuedToken(token, account_id, scope, expires_at)


TOKEN_BY_HASH = Prepared(
    select(AccessToken.account_id, AccessToken.scope, AccessToken.expires_at).where(
        AccessToken.scheme == bindparam("scheme"),
        AccessToken.token_hash == bindparam("token_hash"),
    )
)


def verify(reader: Reader, scheme: str, token: str, *, now: datetime | None = None) -> Grant | None:
    """The grant of a token this scheme issued, or None when it is unknown or expired."""
    row = reader.one_or_none(TOKEN_BY_HASH, scheme=scheme, token_hash=sha256_hex(token))
    if row is None:
        return None
    account_id, scope, expires_at = row
    if expires_at <= (now or utcnow()):
        return None
    return Grant(int(account_id), scope, expires_at)


def purge_expired(session: Session, *, now: datetime | None = None) -> int:
    """Delete every token that has expired (through the expiry index); returns how many."""
    result = session.execute(
        delete(AccessToken)
        .where(AccessToken.expires_at <= (now or utcnow()))
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
