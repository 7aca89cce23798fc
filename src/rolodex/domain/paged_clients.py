"""Clients as page-numbered lists, and everything a vendor's rendering of a client embeds.

Some doors list by page number with a total (see rolodex.domain.numbered_pages) and filter
times by half-open windows, [from, before), which is what a date or a whole second means as a
filter. Their client representations also embed the company, the office with the account it
belongs to, and that vendor's own attributes: `load_clients` fetches those together with the
tags, addresses, phone numbers and email addresses, for a whole page, in one batch (one
PostgreSQL pipeline), never a query per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select

from rolodex.db.prepared import Prepared, Reader
from rolodex.domain import queries, vendor_reads
from rolodex.domain.queries import ADDRESS, CLIENT, COMPANY, EMAIL, OFFICE, PHONE, Record
from rolodex.models import Client, Company, Office

CLIENTS_BY_IDS = Prepared(
    select(*CLIENT.cols())
    .where(
        Client.account_id == bindparam("account_id"),
        Client.id.in_(bindparam("ids", expanding=True)),
    )
    .order_by(Client.id)
)
COMPANIES_BY_IDS = Prepared(
    select(*COMPANY.cols()).where(
        Company.account_id == bindparam("account_id"),
        Company.id.in_(bindparam("ids", expanding=True)),
    )
)
OFFICES = Prepared(
    select(*OFFICE.cols()).where(Office.account_id == bindparam("account_id")).order_by(Office.id)
)


@dataclass(frozen=True)
class ClientContext:
    """What the clients of one read embed besides their own rows."""

    account: Record  # id, name, slug, created_at
    offices: dict[int, Record]
    companies: dict[int, Record]
    # The vendor's stored attributes per client id (absent when none were stored).
    vendor: dict[int, dict[str, Any]]


def clients_by_ids(reader: Reader, account_id: int, ids: Sequence[int]) -> list[Record]:
    """The account's clients with these ids, in id order (unknown ids are skipped)."""
    if not ids:
        return []
    return [CLIENT.record(r) for r in reader.rows(CLIENTS_BY_IDS, account_id=account_id, ids=ids)]


def load_clients(
    reader: Reader, account_id: int, records: list[Record], vendor: str
) -> ClientContext:
    """Attach tags, addresses, phone numbers and email addresses to `records` (as
    queries.client does) and return their context, all in one batch."""
    if not records:
        return ClientContext(account={}, offices={}, companies={}, vendor={})
    client_ids = [r["id"] for r in records]
    company_ids = sorted({r["company_id"] for r in records if r["company_id"] is not None})
    ids = {"client_ids": client_ids}
    (
        tag_rows,
        address_rows,
        phone_rows,
        email_rows,
        company_rows,
        vendor_rows,
        office_rows,
        account_rows,
    ) = reader.rows_many(
        [
            (queries.TAGS_FOR, ids),
            (queries.ADDRESSES_FOR, ids),
            (queries.PHONES_FOR, ids),
            (queries.EMAILS_FOR, ids),
            (COMPANIES_BY_IDS, {"account_id": account_id, "ids": company_ids}),
            (vendor_reads.BY_ENTITY, {"entity": "client", "vendor": vendor, "ids": client_ids}),
            (OFFICES, {"account_id": account_id}),
            (queries.ACCOUNT_BY_ID, {"account_id": account_id}),
        ]
    )
    tags: dict[int, list[str]] = {}
    for client_id, tag in tag_rows:
        tags.setdefault(client_id, []).append(tag)
    children: dict[str, dict[int, list[Record]]] = {}
    for key, view, rows in (
        ("addresses", ADDRESS, address_rows),
        ("phone_numbers", PHONE, phone_rows),
        ("email_addresses", EMAIL, email_rows),
    ):
        grouped: dict[int, list[Record]] = {}
        for row in rows:
            child = view.record(row)
            grouped.setdefault(child["client_id"], []).append(child)
        children[key] = grouped
    for r in records:
        r["tags"] = tags.get(r["id"], [])
        for key, grouped in children.items():
            r[key] = grouped.get(r["id"], [])
    account_row = account_rows[0] if account_rows else (account_id, "", "", None)
    return ClientContext(
        account=dict(zip(("id", "name", "slug", "created_at"), account_row, strict=True)),
        offices={row[0]: OFFICE.record(row) for row in office_rows},
        companies={row[0]: COMPANY.record(row) for row in company_rows},
        vendor={entity_id: dict(data or {}) for entity_id, data in vendor_rows},
    )
