"""How Halo lists are asked for and answered: `order`..`order5` with `orderdesc`..`orderdesc5`,
`pageinate` (sic) with `page_no` (from 1) and `page_size`, or `count` for the first N, and the
`*_View` envelope `{page_no, page_size, record_count, <records>}`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rolodex.dialects.halo.http import Query
from rolodex.domain.account_reads import Order, Window

DEFAULT_PAGE_SIZE = 50
ORDER_SUFFIXES = ("", "2", "3", "4", "5")


def order_from(query: Query, fields: dict[str, str], default: str) -> Order:
    """The sort a caller asked for, as (order key, descending) pairs. A field this door cannot
    sort by is ignored, as Halo ignores what it does not support."""
    terms: list[tuple[str, bool]] = []
    for index, suffix in enumerate(ORDER_SUFFIXES):
        name = query.text(f"order{suffix}", 100)
        descending = bool(query.boolean(f"orderdesc{suffix}"))
        if name is None:
            if index == 0 and descending:
                name = default
            else:
                continue
        key = fields.get(name.strip().lower())
        if key is not None and all(key != k for k, _ in terms):
            terms.append((key, descending))
    return tuple(terms) or ((fields[default], False),)


@dataclass(frozen=True)
class Paging:
    window: Window
    page_no: int | None = None
    page_size: int | None = None

    def envelope(self, key: str, record_count: int, records: list[Any]) -> dict[str, Any]:
        return {
            "page_no": self.page_no,
            "page_size": self.page_size,
            "record_count": record_count,
            key: records,
        }


def paging_from(query: Query, *, ids_only: bool = False) -> Paging:
    """`pageinate=true` pages by number (`page_no` from 1, `page_size` default 50); otherwise
    `count` returns the first N, and neither returns every record. `idonly` cannot page."""
    if query.boolean("pageinate") and not ids_only:
        size = query.integer("page_size", minimum=1, bits=32) or DEFAULT_PAGE_SIZE
        number = query.integer("page_no", minimum=1, bits=32) or 1
        return Paging(Window(size, (number - 1) * size), number, size)
    count = query.integer("count", minimum=1, bits=32)
    return Paging(Window(count))
