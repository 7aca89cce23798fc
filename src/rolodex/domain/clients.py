"""Clients: the rules and queries every door shares."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from rolodex.db.prepared import Prepared, Reader
from rolodex.db.types import utcnow
from rolodex.domain import accounts, documents, rows
from rolodex.domain import changes as changes_
from rolodex.domain.fields import (
    ADDRESS_FIELDS,
    CLIENT_FIELDS,
    EMAIL_FIELDS,
    PHONE_FIELDS,
    clean,
)
from rolodex.errors import Conflict, NotFound, PreconditionFailed, ValidationFailed
from rolodex.models import Client, ClientTag, Company, EmailAddress, PhoneNumber

CLIENT_SORTS = {
    "id": (Client.id, "int"),
    "number": (Client.number, "int"),
    "name": (Client.name, "str"),
    "created_at": (Client.created_at, "datetime"),
    "updated_at": (Client.updated_at, "datetime"),
}
TAG_MAX = 100
TAGS_PER_CLIENT_MAX = 100


@dataclass
class ClientFilters:
    name: str | None = None
    name_contains: str | None = None
    tags: Sequence[str] = ()
    company_id: int | None = None
    office_id: int | None = None
    inactive: bool | None = None
    account_code: str | None = None
    external_id: str | None = None
    salesperson_id: int | None = None
    case_manager_id: int | None = None
    number: int | None = None
    ids: Sequence[int] = ()
    created_gte: datetime | None = None
    created_lte: datetime | None = None
    updated_gte: datetime | None = None
    updated_lte: datetime | None = None
    q: str | None = None


@dataclass
class NewClient:
    """A client and the records created with it in one go."""

    fields: dict[str, Any]
    tags: Sequence[str] | None = None
    addresses: Sequence[Mapping[str, Any]] = ()
    phone_numbers: Sequence[Mapping[str, Any]] = ()
    email_addresses: Sequence[Mapping[str, Any]] = ()
    extra: dict[str, Any] = field(default_factory=dict)


def check_version(current: int, expected: int | None) -> None:
    if expected is not None and expected != current:
        raise PreconditionFailed()


def clean_tags(tags: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for tag in tags:
        if not isinstance(tag, str):
            raise ValidationFailed.one("tags", "must be a list of strings")
        tag = tag.strip()
        if not tag:
            continue
        if len(tag) > TAG_MAX:
            raise ValidationFailed.one("tags", f"each tag must be at most {TAG_MAX} characters")
        if tag not in out:
            out.append(tag)
    if len(out) > TAGS_PER_CLIENT_MAX:
        raise ValidationFailed.one("tags", f"at most {TAGS_PER_CLIENT_MAX} tags per client")
    return out


def _check_references(session: Session, account_id: int, data: Mapping[str, Any]) -> None:
    company_id = data.get("company_id")
    if (
        company_id is not None
        and session.scalar(
            select(Company.id).where(Company.account_id == account_id, Company.id == company_id)
        )
        is None
    ):
        raise ValidationFailed.one("company_id", f"no company with id {company_id}")
    office_id = data.get("office_id")
    if office_id is not None and not accounts.office_belongs(session, account_id, office_id):
        raise ValidationFailed.one("office_id", f"no office with id {office_id}")
    external_id = data.get("external_id")
    if external_id is not None:
        taken = session.scalar(
            select(Client.id).where(
                Client.account_id == account_id, Client.external_id == external_id
            )
        )
        if taken is not None and taken != data.get("_self_id"):
            raise Conflict(
                f"Client {taken} already has external_id {external_id!r}.", field="external_id"
            )


@dataclass
class ValidClient:
    """A NewClient whose every value has passed the field rules (no database needed)."""

    data: dict[str, Any]
    tags: list[str]
    addresses: list[dict[str, Any]]
    phones: list[dict[str, Any]]
    emails: list[dict[str, Any]]


def validate_new_client(new: NewClient) -> ValidClient:
    data = clean(CLIENT_FIELDS, new.fields, partial=False)
    tags = clean_tags(new.tags) if new.tags is not None else []
    addresses = [clean(ADDRESS_FIELDS, a, partial=False) for a in new.addresses]
    phones = [clean(PHONE_FIELDS, p, partial=False) for p in new.phone_numbers]
    emails = [clean(EMAIL_FIELDS, e, partial=False) for e in new.email_addresses]
    for kind, items, flags in (
        ("addresses", addresses, ("is_primary", "is_primary_billing", "is_primary_shipping")),
        ("phone_numbers", phones, ("is_primary",)),
        ("email_addresses", emails, ("is_primary",)),
    ):
        for item in items:
            if item.get("location_id") is not None:
                raise ValidationFailed.one(
                    f"{kind}.location_id", "cannot name a location while creating the client"
                )
        for flag in flags:
            if sum(1 for item in items if item.get(flag)) > 1:
                raise ValidationFailed.one(f"{kind}.{flag}", "at most one may be set")
    return ValidClient(data, tags, addresses, phones, emails)


def update_client(
    session: Session,
    account_id: int,
    client_id: int,
    fields: Mapping[str, Any],
    *,
    tags: Sequence[str] | None = None,
    add_tags: Sequence[str] = (),
    remove_tags: Sequence[str] = (),
    expected_version: int | None = None,
    locked: rows.Row | None = None,
) -> int:
    """Change the client's fields and tags through prepared Core statements (no load into the
    unit of work): its row read and locked (on PostgreSQL; SQLite's writers take turns; a
    door that locked it already passes the row as `locked`), the version checked, the fields
    and references checked, the tags rewritten if they change, then one UPDATE of the row
    (with its search text, version and updated_at) if anything changed. Its documents are
    rendered before the commit. Returns its version."""
    reader = Reader.within(session)
    current = vars(locked if locked is not None else lock_client(session, account_id, client_id))
    check_version(current["version"], expected_version)
    data = clean(CLIENT_FIELDS, fields, partial=True)
    _check_references(session, account_id, {**data, "_self_id": client_id})
    changes = {k: v for k, v in data.items() if current[k] != v}
    tags_changed = False
    previous_tags: list[str] | None = None
    if tags is not None or add_tags or remove_tags:
        now = [t for (t,) in reader.rows(_TAGS, client_id=client_id)]
        wanted = clean_tags(tags) if tags is not None else now
        wanted = clean_tags([*wanted, *add_tags])
        drop = set(clean_tags(remove_tags))
        wanted = [t for t in wanted if t not in drop]
        if set(wanted) != set(now):
            previous_tags = now
            reader.rows(_DELETE_TAGS, client_id=client_id)
            if wanted:
                session.execute(
                    insert(ClientTag),
                    [{"client_id": client_id, "tag": t, "account_id": account_id} for t in wanted],
                )
            tags_changed = True
    if {"name", "first_name", "last_name", "account_code"} & changes.keys():
        names = _names({**current, **changes})
        emails = (e for (e,) in reader.rows(_EMAILS, client_id=client_id))
        phones = (p for (p,) in reader.rows(_PHONES, client_id=client_id))
        text = search_text_for(names, emails, phones)
        if text != current["search_text"]:
            changes["search_text"] = text
    if not changes and not tags_changed:
        return int(current["version"])
    previous = {k: current[k] for k in changes if k != "search_text"}
    if previous_tags is not None:
        previous["tags"] = previous_tags
    version = rows.update_row(session, Client, client_id, changes).version
    documents.touch(session, (client_id,))
    changes_.note(session, account_id, "client", "updated", client_id, client_id, previous=previous)
    return int(version)


_TAGS = Prepared(
    select(ClientTag.tag)
    .where(ClientTag.client_id == bindparam("client_id"))
    .order_by(ClientTag.tag)
)
_DELETE_TAGS = Prepared(
    delete(ClientTag).where(ClientTag.client_id == bindparam("client_id")).returning(ClientTag.tag)
)
_EMAILS = Prepared(
    select(EmailAddress.address)
    .where(EmailAddress.client_id == bindparam("client_id"))
    .order_by(EmailAddress.id)
)
_PHONES = Prepared(
    select(PhoneNumber.number)
    .where(PhoneNumber.client_id == bindparam("client_id"))
    .order_by(PhoneNumber.id)
)


def lock_client(session: Session, account_id: int, client_id: int) -> rows.Row:
    """The client's row (its columns by name), locked until the transaction ends (on
    PostgreSQL; SQLite's writers take turns), for a write to it or to a record it owns."""
    found = rows.lock(session, Client, account_id, client_id)
    if found is None:
        raise NotFound("client", client_id)
    return found


def refresh(session: Session, client_id: int, *, search: bool, bump: bool) -> None:
    """After a Core write to one of the client's records: its search text recomputed
    (`search`: an email or phone changed), its version and updated_at moved (`bump`: its
    representation embeds the record; a new search text moves them too), its documents
    marked to be rendered before the commit."""
    reader = Reader.within(session)
    changes: dict[str, Any] = {}
    if search:
        row = reader.one_or_none(_SEARCHED, client_id=client_id)
        if row is not None:
            *names, current = row
            emails = (e for (e,) in reader.rows(_EMAILS, client_id=client_id))
            phones = (p for (p,) in reader.rows(_PHONES, client_id=client_id))
            text = search_text_for(names, emails, phones)
            if text != current:
                changes["search_text"] = text
    if bump or changes:
        rows.update_row(session, Client, client_id, changes)
    documents.touch(session, (client_id,))


_SEARCHED = Prepared(
    select(
        Client.name, Client.first_name, Client.last_name, Client.account_code, Client.search_text
    ).where(Client.id == bindparam("client_id"))
)


def delete_client(
    session: Session, account_id: int, client_id: int, *, expected_version: int | None = None
) -> None:
    """Delete the client, and by the foreign keys' cascades everything it owns and its
    documents: one Core statement (no load, no unit of work). With `expected_version`, only
    that version is deleted: another is a 412; a client not there (or deleted by a concurrent
    request, which on PostgreSQL this one waits for) is a 404."""
    reader = Reader.within(session)
    # Its state, for the event: read before the cascade takes its documents.
    state = changes_.native_client(reader, account_id, client_id)
    if expected_version is None:
        gone = reader.rows(_DELETE, account_id=account_id, client_id=client_id)
    elif -VERSION_LIMIT <= expected_version < VERSION_LIMIT:
        gone = reader.rows(
            _DELETE_VERSION, account_id=account_id, client_id=client_id, version=expected_version
        )
    else:  # no version is that large (an ETag of 20 digits): it cannot match
        gone = []
    if gone:
        data = state if state is not None else {"id": client_id, "object": "client"}
        changes_.note(session, account_id, "client", "deleted", client_id, client_id, data=data)
        return
    if expected_version is not None and reader.rows(
        _EXISTS, account_id=account_id, client_id=client_id
    ):
        raise PreconditionFailed()
    raise NotFound("client", client_id)


VERSION_LIMIT = 2**31  # versions are 32-bit integers
_DELETE = Prepared(
    delete(Client)
    .where(Client.account_id == bindparam("account_id"), Client.id == bindparam("client_id"))
    .returning(Client.id)
)
_DELETE_VERSION = Prepared(_DELETE.stmt.where(Client.version == bindparam("version")))
_EXISTS = Prepared(
    select(Client.id).where(
        Client.account_id == bindparam("account_id"), Client.id == bindparam("client_id")
    )
)


_NOT_DIGIT = re.compile(r"\D")


def search_text_for(
    names: Iterable[str | None], emails: Iterable[str], phones: Iterable[str]
) -> str:
    """What `q` matches: names, account code, email addresses and phone numbers (as written and
    as bare digits), lower-cased, one per line."""
    parts = [*names, *emails]
    for number in phones:
        parts.append(number)
        digits = _NOT_DIGIT.sub("", number)
        if digits and digits != number:
            parts.append(digits)
    return "\n".join(p.lower() for p in parts if p)


def _names(client: Client | Mapping[str, Any]) -> list[str | None]:
    get = client.get if isinstance(client, Mapping) else lambda k: getattr(client, k)
    return [get("name"), get("first_name"), get("last_name"), get("account_code")]


def set_primaries(
    session: Session, model: Any, client_id: int, keep_id: int | None, flags: Iterable[str]
) -> None:
    """Clear `flags` on the client's other rows, so the one being written can hold them."""
    documents.touch(session, (client_id,))
    for flag in flags:
        column = getattr(model, flag)
        stmt = update(model).where(model.client_id == client_id, column.is_(True))
        if keep_id is not None:
            stmt = stmt.where(model.id != keep_id)
        session.execute(
            stmt.values(
                {flag: False, "version": model.version + 1, "updated_at": utcnow()}
            ).execution_options(synchronize_session="fetch")
        )
