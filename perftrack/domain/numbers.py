"""Numbers as perftrack writes them: one place for decimal formatting (the JSON, the CLI, targets)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext


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


# -- money ---------------------------------------------------------------------------------------
# Amounts are stored in 元. A unit shows them in 元 or in 万元 (most provinces' forms and reports
# use 万元): one setting of the database, followed by the window, the CLI, the workbook and the PDF.

YUAN = "元"
WAN_YUAN = "万元"
MONEY_UNITS = (YUAN, WAN_YUAN)
_SCALE = {YUAN: Decimal(1), WAN_YUAN: Decimal(10000)}
_UNIT_WORDS = {"元": YUAN, "yuan": YUAN, "万元": WAN_YUAN, "万": WAN_YUAN, "wan": WAN_YUAN, "wanyuan": WAN_YUAN}
CENT = Decimal("0.01")


def money_unit(text: str) -> str:
    """The money unit named by ``text`` ("元", "万元", also "yuan"/"wan"); ValueError otherwise."""
    unit = _UNIT_WORDS.get(text.strip().lower())
    if unit is None:
        raise ValueError(f"金额单位“{text}”无效，可选：{'、'.join(MONEY_UNITS)}")
    return unit


def in_money_unit(value: Decimal, unit: str = YUAN) -> Decimal:
    """An amount in 元 expressed in ``unit``, exactly (215457.60 元 -> 21.54576 万元)."""
    scale = _SCALE[unit]
    return value if scale == 1 else value / scale


def format_money(value: Decimal | None, unit: str = YUAN, empty: str = "") -> str:
    """An amount in 元 shown in ``unit`` with group separators and two places, rounded half up."""
    if value is None:
        return empty
    shown = in_money_unit(value, unit).quantize(CENT, rounding=ROUND_HALF_UP)
    return format(abs(shown) if shown.is_zero() else shown, ",.2f")
