"""Halo's query parameters: a query string read the way Halo reads it (`Query`), and how lists
are asked for and answered: `order`..`order5` with `orderdesc`..`orderdesc5`, `pageinate` (sic)
with `page_no` (from 1) and `page_size`, or `count` for the first N, and the `*_View` envelope
`{page_no, page_size, record_count, <records>}`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.datastructures import QueryParams

from rolodex.domain.pagination import Order, Window
from rolodex.doors.halo.wire import FALSE, TRUE
from rolodex.errors import InvalidQuery

DEFAULT_PAGE_SIZE = 50
ORDER_SUFFIXES = ("", "2", "3", "4", "5")


class Query:
    """A query string as Halo reads it: names are case-insensitive and the first value of a
    repeated name wins. Parameters nobody asks for are simply never read."""

    def __init__(self, params: QueryParams) -> None:
        values: dict[str, str] = {}
        for key, value in params.multi_items():
            values.setdefault(key.lower(), value)
        self.values = values

    def has(self, name: str) -> bool:
        return self.values.get(name, "") != ""

    def text(self, name: str, max_length: int = 500) -> str | None:
        raw = self.values.get(name)
        if raw is None or raw == "":
            return None
        if len(raw) > max_length:
            raise InvalidQuery(f"{name} must be at most {max_length} characters.", field=name)
        return raw

    def integer(self, name: str, *, minimum: int | None = None, bits: int = 64) -> int | None:
        raw = self.values.get(name)
        if raw is None or raw.strip() == "":
            return None
        try:
            value = int(raw.strip())
        except ValueError:
            raise InvalidQuery(f"{name} must be an integer, not {raw!r}.", field=name) from None
        if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
            raise InvalidQuery(f"{name} is out of range.", field=name)
        if minimum is not None and value < minimum:
            raise InvalidQuery(f"{name} must be at least {minimum}.", field=name)
        return value

    def boolean(self, name: str) -> bool | None:
        raw = self.values.get(name)
        if raw is None or raw.strip() == "":
            return None
        return parse_bool(name, raw)


def parse_bool(name: str, raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise InvalidQuery(f"{name} must be true or false, not {raw!r}.", field=name)


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
