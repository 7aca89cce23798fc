"""Portable column types: UTC timestamps and exact money on both SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import JSON, BigInteger, DateTime
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

MONEY_SCALE = 4
_MONEY_FACTOR = Decimal(10) ** MONEY_SCALE


def utcnow() -> datetime:
    """Now, in UTC, truncated to milliseconds so what is stored is exactly what is shown."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes in, timezone-aware UTC datetimes out.

    PostgreSQL keeps `timestamptz`; SQLite keeps naive UTC text in one fixed format, so text
    comparison in range filters and keyset pagination orders correctly.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Money(TypeDecorator[Decimal]):
    """Exact decimal amounts, stored as a whole number of ten-thousandths.

    An integer column sums and sorts exactly on every engine; SQLite's NUMERIC would pass
    through a float.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return int((Decimal(value) * _MONEY_FACTOR).to_integral_exact())

    def process_result_value(self, value: int | None, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(value) / _MONEY_FACTOR


def format_money(value: Decimal | None) -> str | None:
    """'12.5' -> '12.50'; extra precision (up to four places) is kept, never rounded away."""
    if value is None:
        return None
    cents = value.quantize(Decimal("0.01"))
    if cents == value:
        return f"{cents:.2f}"
    return f"{value.normalize():f}"


_UTC_Z = orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC


def format_utc_ms(value: datetime) -> str:
    """A UTC time as YYYY-MM-DDTHH:MM:SS.mmmZ. orjson writes the ISO form about three times
    faster than datetime.isoformat, and a page of 25 clients holds some 300 times."""
    text = orjson.dumps(value, option=_UTC_Z)  # b'"2026-11-23T18:12:34.123456Z"'
    if len(text) > 23:
        return text[1:24].decode() + "Z"
    return text[1:20].decode() + ".000Z"  # a whole second: orjson writes no fraction


JSONDocument = JSON().with_variant(JSONB(), "postgresql")


def json_default() -> Any:
    return {}
