"""Numbers as perftrack writes them: one place for decimal formatting (the JSON, the CLI, targets)."""

from __future__ import annotations

from decimal import Decimal, localcontext


def format_decimal(d: Decimal | None, places: int = 2) -> str | None:
    """A number with at least ``places`` decimals, more when written so: 100 -> "100.00"."""
    if d is None:
        return None
    if not d.is_finite():
        return str(d)
    places = max(places, 0)
    exponent = d.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent > -places:
        with localcontext() as ctx:
            ctx.prec = len(d.as_tuple().digits) + max(exponent, 0) + places + 1
            d = d.quantize(Decimal(1).scaleb(-places))
    if d.is_zero():
        d = abs(d)
    return format(d, "f")
