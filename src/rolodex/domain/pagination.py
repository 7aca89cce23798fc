"""Keyset (cursor) pagination: a page a million rows deep costs what the first page costs,
because the query seeks to (sort value, id) through an index instead of skipping rows."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

import orjson
from sqlalchemy.orm import InstrumentedAttribute

from rolodex.errors import InvalidQuery

T = TypeVar("T")
MAX_LIMIT = 100
DEFAULT_LIMIT = 25


@dataclass(frozen=True)
class Sort:
    name: str
    column: InstrumentedAttribute[Any]
    id_column: InstrumentedAttribute[Any]
    descending: bool
    kind: str  # "int", "str" or "datetime"


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    has_more: bool
    next_cursor: str | None


def parse_sort(
    value: str | None,
    columns: dict[str, tuple[InstrumentedAttribute[Any], str]],
    id_column: InstrumentedAttribute[Any],
    default: str = "id",
) -> Sort:
    raw = value or default
    descending = raw.startswith("-")
    name = raw.lstrip("-")
    if name not in columns:
        allowed = ", ".join(sorted(columns))
        raise InvalidQuery(
            f"sort must be one of {allowed}, optionally prefixed by -.", field="sort"
        )
    column, kind = columns[name]
    return Sort(raw, column, id_column, descending, kind)


def encode_value(sort: Sort, value: Any, ident: int) -> str:
    if isinstance(value, datetime):
        value = value.isoformat()
    payload = orjson.dumps([sort.name, value, ident])
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode_cursor(sort: Sort, cursor: str) -> tuple[Any, int]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, value, ident = orjson.loads(base64.urlsafe_b64decode(padded.encode()))
        if name != sort.name or not isinstance(ident, int):
            raise ValueError
        if sort.kind == "datetime":
            value = datetime.fromisoformat(value)
        elif (sort.kind == "int" and not isinstance(value, int)) or (
            sort.kind == "str" and not isinstance(value, str)
        ):
            raise ValueError
    except (ValueError, TypeError, orjson.JSONDecodeError):
        raise InvalidQuery(
            "cursor is not one this list gave out with this sort order.", field="cursor"
        ) from None
    return value, ident


def check_limit(limit: int | None) -> int:
    if limit is None:
        return DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidQuery(f"limit must be between 1 and {MAX_LIMIT}.", field="limit")
    return limit
