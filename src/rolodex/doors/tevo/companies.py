"""/v9/companies: list, show, create (a batch), update, delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from rolodex.db.prepared import Reader
from rolodex.domain import companies, queries
from rolodex.doors.tevo import mapping, params, render
from rolodex.doors.tevo.batch import Attempt, create_all
from rolodex.doors.tevo.errors import Unprocessable, rails_errors
from rolodex.doors.tevo.http import Call, Reply
from rolodex.errors import ValidationFailed


def _same(field: str) -> str:
    return field


def _read(reader: Reader, account_id: int, company_id: int) -> dict[str, Any]:
    return render.company(queries.company(reader, account_id, company_id))


async def list_companies(call: Call) -> Reply:
    page, per_page = params.paging(call.query)
    name = call.query.get("name")
    filters = {"name": name if name else None}

    def read(reader: Reader) -> dict[str, Any]:
        found = params.COMPANIES
        records = found.page(reader, call.account_id, filters, page=page, per_page=per_page)
        total = found.count(reader, call.account_id, filters)
        return render.page("companies", [render.company(r) for r in records], page, per_page, total)

    return Reply(await call.read(read))


async def show_company(call: Call) -> Reply:
    company_id = call.ident("company_id", "company")
    return Reply(await call.read(lambda r: _read(r, call.account_id, company_id)))


async def create_companies(call: Call) -> Reply:
    items = mapping.wrapped_items(call.body, "companies")
    attempts = []
    for item in items:
        body = item if isinstance(item, dict) else {}
        data, problems = mapping.parse_record(body, mapping.COMPANY, creating=True)
        if not isinstance(item, dict):
            problems = [("base", "must be a JSON object")]
        name = body.get("name")
        echo = {"id": None, "name": name if isinstance(name, str) else None, "updated_at": None}

        def create(session: Session, data: dict[str, Any] = data) -> int:
            return companies.create_company(session, call.account_id, data).id

        attempts.append(Attempt(echo, problems, create))

    def write(session: Session) -> dict[str, Any]:
        created = create_all(session, "companies", attempts, _same)
        reader = Reader.within(session)
        return {"companies": [_read(reader, call.account_id, i) for i in created]}

    return Reply(await call.write(write), 201)


async def update_company(call: Call) -> Reply:
    company_id = call.ident("company_id", "company")
    body = call.body if call.body is not None else {}
    if isinstance(body, dict):
        data, problems = mapping.parse_record(body, mapping.COMPANY, creating=False)
    else:
        data, problems = {}, [("base", "must be a JSON object")]
    account_id = call.account_id

    def write(session: Session) -> dict[str, Any]:
        companies.get_company(session, account_id, company_id)
        if problems:
            raise ValidationFailed(problems)
        companies.update_company(session, account_id, company_id, data)
        return _read(Reader.within(session), account_id, company_id)

    try:
        return Reply(await call.write(write))
    except ValidationFailed as exc:
        current = await call.read(lambda r: _read(r, account_id, company_id))
        current["errors"] = rails_errors((f or "base", m) for f, m in exc.errors)
        raise Unprocessable(current) from None


async def delete_company(call: Call) -> Reply:
    company_id = call.ident("company_id", "company")

    def write(session: Session) -> dict[str, Any]:
        companies.delete_company(session, call.account_id, company_id)
        return {"companies": [{"id": str(company_id)}]}

    return Reply(await call.write(write))
