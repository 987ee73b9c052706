"""Values that are accepted but look like a slip of the hand: one set of rules for every entry path.

A figure below zero, a rate or a satisfaction above 100 %, 0.95 typed for a percent target of
95 %: each may be what the user meant (a refund, an over-achievement, a real 0.95 %), so it is
stored, but the command line and the window (beside the cell) say the same words, from here.
A negative amount of spending is stored too (a refund); it never scores below zero.
"""

from __future__ import annotations

from decimal import Decimal

# Percent indicators that may exceed 100 % (growth, increase, a ratio to last year).
_MAY_EXCEED = ("增长", "增幅", "增加", "提高", "提升", "同比", "环比", "比上年", "倍")
HUNDRED = Decimal(100)


def value_warning(name: str, value: Decimal | None, unit: str | None, target: Decimal | None) -> str | None:
    """Why a recorded value (in the target's unit) looks wrong, or None when it looks plausible."""
    if value is None:
        return None
    shown = f"{_plain(value)}{unit or ''}"
    if value < 0:
        return f"实际值 {shown} 小于零，请核对（数量、金额与比率一般不为负）"
    if unit != "%":
        return None
    if value > HUNDRED and (target is None or target <= HUNDRED) and not any(w in name for w in _MAY_EXCEED):
        return f"实际值 {shown} 超过 100%，请核对"
    if value < 1 and target is not None and target > 1:
        return f"实际值 {shown} 小于 1%，而指标值为 {_plain(target)}%：是否应为 {_plain(value * HUNDRED)}%？"
    return None


def amount_warning(amount: Decimal | None) -> str | None:
    """Why a money amount (元) looks wrong: below zero (a refund larger than the spending?)."""
    if amount is not None and amount < 0:
        return f"金额 {_plain(amount)} 元小于零，请核对（如为退回资金，请确认执行数的口径）"
    return None


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f") if number == number.to_integral_value() else format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
