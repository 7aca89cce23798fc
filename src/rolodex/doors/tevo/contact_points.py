"""/v9/clients/{client_id}/addresses, /phone_numbers and /email_addresses.

The vendor's documented answers differ per resource (see docs/tevo.md): an address create
answers `{"addresses": [...]}` and an address update the bare address; a phone number create
answers the paginated wrapper and a phone number or email address update the record wrapped
in a one-element array. Each resource declares its own shapes here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from rolodex.db.prepared import Reader
from rolodex.domain import clients, owned, queries
from rolodex.domain.owned import OwnedKind
from rolodex.doors.tevo import mapping, params, render
from rolodex.doors.tevo.batch import Attempt, create_all
from rolodex.doors.tevo.errors import Unprocessable, rails_errors
from rolodex.doors.tevo.http import Call, Reply
from rolodex.doors.tevo.wire import PER_PAGE_DEFAULT
from rolodex.errors import ValidationFailed

PLAIN = "plain"  # {"<key>": [records]}
PAGED = "paged"  # the list envelope around the records
BARE = "bare"  # the record itself


@dataclass(frozen=True)
class ContactPoints:
    key: str  # path segment and wrapper key
    kind: OwnedKind
    wire: mapping.Kind
    render: Callable[[dict[str, Any]], dict[str, Any]]
    created_as: str
    updated_as: str

    def _one(self, reader: Reader, account_id: int, client_id: int, ident: int) -> dict[str, Any]:
        rec = queries.owned(reader, self.kind.model, self.kind.entity, account_id, client_id, ident)
        return self.render(rec)

    def _shape(self, shape: str, records: list[dict[str, Any]]) -> Any:
        if shape == BARE:
            return records[0]
        if shape == PAGED:
            return render.page(self.key, records, 1, PER_PAGE_DEFAULT, len(records))
        return {self.key: records}

    def _wire_name(self, field: str) -> str:
        return self.wire.error_names.get(field, field)

    async def list(self, call: Call) -> Reply:
        client_id = call.ident("client_id", "client")
        page, per_page = params.paging(call.query)
        found = params.OWNED[self.kind.model]
        filters = {"client_id": client_id}

        def read(reader: Reader) -> dict[str, Any]:
            queries.require_client(reader, call.account_id, client_id)
            records = found.page(reader, call.account_id, filters, page=page, per_page=per_page)
            total = found.count(reader, call.account_id, filters)
            return render.page(self.key, [self.render(r) for r in records], page, per_page, total)

        return Reply(await call.read(read))

    async def show(self, call: Call) -> Reply:
        client_id = call.ident("client_id", "client")
        ident = call.ident("id", self.kind.entity)
        return Reply(await call.read(lambda r: self._one(r, call.account_id, client_id, ident)))

    async def create(self, call: Call) -> Reply:
        client_id = call.ident("client_id", "client")
        items = mapping.wrapped_items(call.body, self.key)
        attempts = []
        for item in items:
            if not isinstance(item, dict):
                attempts.append(Attempt({"id": None}, [("base", "must be a JSON object")], _none))
                continue
            data, problems = mapping.parse_record(item, self.wire, creating=True)
            echo = {k: item[k] for k in self.wire.wire if k in item}
            attempts.append(
                Attempt(
                    {"id": None, **echo, "updated_at": None},
                    problems,
                    self._creator(call.account_id, client_id, data),
                )
            )

        def write(session: Session) -> Any:
            clients.lock_client(session, call.account_id, client_id)
            created = create_all(session, self.key, attempts, self._wire_name)
            reader = Reader.within(session)
            records = [self._one(reader, call.account_id, client_id, i) for i in created]
            return self._shape(self.created_as, records)

        return Reply(await call.write(write), 201)

    def _creator(
        self, account_id: int, client_id: int, data: dict[str, Any]
    ) -> Callable[[Session], int]:
        def create(session: Session) -> int:
            return int(owned.create_owned(session, self.kind, account_id, client_id, data).id)

        return create

    async def update(self, call: Call) -> Reply:
        client_id = call.ident("client_id", "client")
        ident = call.ident("id", self.kind.entity)
        body = call.body if call.body is not None else {}
        if isinstance(body, dict):
            data, problems = mapping.parse_record(body, self.wire, creating=False)
        else:
            data, problems = {}, [("base", "must be a JSON object")]
        account_id = call.account_id

        def write(session: Session) -> Any:
            if problems:
                # The record must exist before its fields are judged (a 404 comes first).
                queries.owned(
                    Reader.within(session),
                    self.kind.model,
                    self.kind.entity,
                    account_id,
                    client_id,
                    ident,
                )
                raise ValidationFailed(problems)
            owned.update_owned(session, self.kind, account_id, client_id, ident, data)
            return self._shape(
                self.updated_as, [self._one(Reader.within(session), account_id, client_id, ident)]
            )

        try:
            return Reply(await call.write(write))
        except ValidationFailed as exc:
            current = await call.read(lambda r: self._one(r, account_id, client_id, ident))
            current["errors"] = rails_errors(
                (self._wire_name(f or "base"), m) for f, m in exc.errors
            )
            raise Unprocessable(self._shape(self.updated_as, [current])) from None

    async def delete(self, call: Call) -> Reply:
        client_id = call.ident("client_id", "client")
        ident = call.ident("id", self.kind.entity)

        def write(session: Session) -> Any:
            owned.delete_owned(session, self.kind, call.account_id, client_id, ident)
            return {self.key: [{"id": str(ident)}]}

        return Reply(await call.write(write))


def _none(_session: Session) -> int:
    raise AssertionError("a refused record is never created")


RESOURCES = (
    ContactPoints("addresses", owned.ADDRESSES, mapping.ADDRESS, render.address, PLAIN, BARE),
    ContactPoints(
        "phone_numbers", owned.PHONE_NUMBERS, mapping.PHONE, render.phone_number, PAGED, PLAIN
    ),
    ContactPoints(
        "email_addresses",
        owned.EMAIL_ADDRESSES,
        mapping.EMAIL,
        render.email_address,
        PLAIN,
        PLAIN,
    ),
)
