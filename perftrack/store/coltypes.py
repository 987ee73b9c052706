"""Column types that keep exact decimals and timezone-aware UTC timestamps on every backend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import DateTime, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def utcnow() -> dt.datetime:
    """The current time, timezone-aware, in UTC."""
    return dt.datetime.now(dt.UTC)


def decimal_to_text(value: Decimal) -> str:
    """A Decimal as plain positional text ("5900000.00", never "5.9E+6")."""
    return format(value, "f")


class DecimalText(TypeDecorator[Decimal]):
    """A Decimal stored as TEXT.

    SQLite's NUMERIC affinity turns "0.10" into the float 0.1; money and scores must come
    back exactly as written, trailing zeros included, so the text is the value.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, float | bool):
            # A float here means binary rounding already happened upstream: refuse it.
            raise TypeError(f"DecimalText needs a Decimal, int or str, not {type(value).__name__}: {value!r}")
        try:
            number = value if isinstance(value, Decimal) else Decimal(value)
        except (InvalidOperation, TypeError, ValueError) as exc:
            raise ValueError(f"not a decimal number: {value!r}") from exc
        if not number.is_finite():
            raise ValueError(f"not a finite decimal number: {value!r}")
        return decimal_to_text(number)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(value)

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Decimal | None]:
        # The same conversion as process_result_value in one call instead of two: scoring a
        # city reads well over a million of these.
        def process(value: Any) -> Decimal | None:
            return None if value is None else Decimal(value)

        return process


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored as naive UTC and returned timezone-aware.

    SQLite has no time zones; storing UTC and tagging it on the way out keeps ordering and
    comparisons right whatever the local zone of the user who wrote it.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            raise TypeError(f"UTCDateTime needs a datetime, not {type(value).__name__}")
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware datetime (UTC)")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)
