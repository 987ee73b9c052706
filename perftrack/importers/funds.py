"""The funds block: amounts under their many labels, in the unit the form states wherever it states it.

A form states its money unit in the block's label (``项目资金（万元）``, on one line or two), in a
note (``单位：万元``, ``金额单位：万元``), in a column header (``金额(万元)``) or with the amount itself
(``854万``, ``10000万元``). Amounts are kept in 元. The amount's own unit wins, then its label's,
then the nearest unit stated before it in the form (or, failing that, the first stated anywhere);
when none is stated at all the amounts are read as 元 and a warning says so: a 万元 form read as
元 is off by ten thousand times, and nobody should find that out from a score.

Which amount a label gives is in :data:`.vocabulary.FUNDS_LABELS`: a total, an appropriation, a
carry-over or other money, of the project or of the year. Labels such as 资金总额 or 财政拨款 say
neither; they are the year's money unless the form also prints the year's own label (then they are
the project's), or the same label twice (the project's first, as in Shanghai's two columns).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from perftrack.domain.model import Funds, Problem, Severity
from perftrack.domain.numbers import format_money
from perftrack.importers.cells import Cell
from perftrack.importers.labels import FundsLabel
from perftrack.importers.vocabulary import MONEY_UNITS, Money, Scope

_AMOUNT_WITH_UNIT = re.compile(r"^(?P<num>[-+]?\d[\d,]*(?:\.\d+)?)\s*(?P<unit>亿元|万元|千元|元|万)?$")
_BLANK_AMOUNT = {"", "-", "—", "–", "——", "/", "无", "0.00%"}

_FIELD: dict[tuple[Money, Scope], str] = {
    (Money.TOTAL, Scope.PROJECT): "project_total",
    (Money.FISCAL, Scope.PROJECT): "project_fiscal",
    (Money.OTHER, Scope.PROJECT): "project_other",
    (Money.TOTAL, Scope.ANNUAL): "annual_total",
    (Money.FISCAL, Scope.ANNUAL): "annual_appropriation",
    (Money.CARRYOVER, Scope.ANNUAL): "annual_carryover",
    (Money.OTHER, Scope.ANNUAL): "annual_other",
    (Money.CARRYOVER, Scope.PROJECT): "annual_carryover",  # a carry-over is always the year's
}


@dataclass(slots=True)
class FundsEntry:
    """An amount as the form prints it: its label, its text, where it is, and the unit stated nearest before it."""

    label: FundsLabel
    text: str
    cell: Cell | None  # the value's cell (None when the label has no value)
    label_unit: str | None
    stated_unit: str | None  # the block's or the page's unit in force where the amount stands


def parse_amount(text: str, factor: Decimal = Decimal(1)) -> Decimal | None:
    """A form's amount ("1,234.5", "854万", "2279.048 万元") in 元 (``factor`` for a bare number), to the cent.

    None for a blank; anything else raises ValueError whose message, "资金“…”不是金额", names the text.
    """
    amount, _ = amount_and_unit(text, factor)
    return amount


def amount_and_unit(text: str, factor: Decimal = Decimal(1)) -> tuple[Decimal | None, str | None]:
    """The amount in 元 and the unit written with it, if any (see :func:`parse_amount`)."""
    compact_text = text.replace(" ", "").replace("，", ",").replace("\u3000", "")
    if compact_text in _BLANK_AMOUNT:
        return None, None
    m = _AMOUNT_WITH_UNIT.match(compact_text)
    if m is None:
        raise ValueError(f"资金“{text.strip()}”不是金额")
    unit = m.group("unit")
    scale = Decimal(MONEY_UNITS[unit]) if unit else factor
    return (Decimal(m.group("num").replace(",", "")) * scale).quantize(Decimal("0.01")), unit


def resolve_funds(
    entries: list[FundsEntry], name: str, file: str, problem_line: int | None
) -> tuple[Funds, list[Problem]]:
    """The funds of a form from its amounts in reading order; problems for amounts that are not amounts,
    for money read as 元 because no unit was stated, and for a total filled in from its parts."""
    problems: list[Problem] = []
    explicit_annual = {e.label.money for e in entries if e.label.scope is Scope.ANNUAL and not e.label.adds}
    seen: dict[str, int] = {}
    count: dict[str, int] = {}
    for e in entries:
        count[e.label.key] = count.get(e.label.key, 0) + 1
    sums: dict[str, Decimal | None] = {}
    adds: dict[str, bool] = {}
    first_unit = next((e.stated_unit for e in entries if e.stated_unit), None)
    assumed: list[FundsEntry] = []
    all_fiscal: dict[str, Decimal | None] = {}
    for e in entries:
        seen[e.label.key] = seen.get(e.label.key, 0) + 1
        scope = e.label.scope
        if scope is Scope.EITHER:
            if count[e.label.key] >= 2:
                scope = Scope.PROJECT if seen[e.label.key] == 1 else Scope.ANNUAL
            elif e.label.money in explicit_annual and not e.label.adds:
                scope = Scope.PROJECT
            else:
                scope = Scope.ANNUAL
        fld = _FIELD[(e.label.money, scope)]
        unit = e.label_unit or e.stated_unit or first_unit
        factor = Decimal(MONEY_UNITS[unit]) if unit else Decimal(1)
        try:
            amount, own_unit = amount_and_unit(e.text, factor)
        except ValueError as exc:
            line = e.cell.line if e.cell else problem_line
            problems.append(_problem(file, line, e.cell, f"项目“{name}”的{exc}", "bad-amount"))
            continue
        if amount is not None and own_unit is None and unit is None:
            assumed.append(e)
        if fld not in sums:
            sums[fld], adds[fld] = amount, e.label.adds
        elif e.label.adds or adds[fld]:  # 中央资金 + 市级资金 + …: the parts add up
            adds[fld] = True
            if amount is not None:
                sums[fld] = (sums[fld] or Decimal(0)) + amount
        elif sums[fld] is None:
            sums[fld] = amount
        if e.label.all_fiscal and amount is not None:
            all_fiscal[_FIELD[(Money.FISCAL, scope)]] = amount
    funds = Funds()
    for fld, value in sums.items():
        setattr(funds, fld, value)
    for fld, amount in all_fiscal.items():
        others = ("annual_carryover", "annual_other") if fld.startswith("annual") else ("project_other",)
        if getattr(funds, fld) is None and all(getattr(funds, o) is None for o in others):
            setattr(funds, fld, amount)  # …申请市财政预算资金: all of it is appropriation
    if funds.annual_total is None and funds.annual_parts_sum() is not None:
        funds.annual_total = funds.annual_parts_sum()
        problems.append(
            _problem(
                file,
                problem_line,
                None,
                f"项目“{name}”没有填写年度资金总额，按当年财政拨款、上年结转资金与其他资金之和 "
                f"{format_money(funds.annual_total)} 元读入",
                "funds-total-derived",
                Severity.INFO,
            )
        )
    if assumed:
        first = assumed[0]
        problems.append(
            _problem(
                file,
                first.cell.line if first.cell else problem_line,
                first.cell,
                f"项目“{name}”的申报表没有写明资金单位（元或万元），金额已按元读入"
                f"（如“{first.text.strip()}”读作 {format_money(parse_amount(first.text))} 元），请核对",
                "funds-unit-assumed",
            )
        )
    return funds, problems


def funds_of(entries: list[FundsEntry], name: str, file: str, fallback_line: int) -> tuple[Funds, list[Problem]]:
    """A form's funds and every problem with them, placed on the line of the amount concerned."""
    first = next((e.cell.line for e in entries if e.cell), fallback_line)
    totals = [e for e in entries if e.cell and e.label.money is Money.TOTAL]
    total_line = next((e.cell.line for e in totals if e.label.scope is not Scope.PROJECT and e.cell), first)
    project_line = next((e.cell.line for e in totals if e.label.scope is Scope.PROJECT and e.cell), total_line)
    funds, problems = resolve_funds(entries, name, file, total_line)
    return funds, problems + funds_problems(funds, name, file, total_line, project_line)


def spending_of(text: str, entries: list[FundsEntry]) -> Decimal | None:
    """A self-evaluation's 全年执行数 in 元, in the unit its funds table states; None for "/" or a note."""
    unit = next((u for e in entries if (u := e.label_unit or e.stated_unit)), None)
    try:
        return amount_and_unit(text, Decimal(MONEY_UNITS[unit]) if unit else Decimal(1))[0]
    except ValueError:
        return None


def annual_mismatch(funds: Funds, name: str) -> str | None:
    """The warning when 年度资金申请总额 is not the sum of its three parts, else None."""
    diff = funds.annual_sum_mismatch()
    if diff is None:
        return None
    return (
        f"项目“{name}”的年度资金申请总额 {format_money(funds.annual_total)} 元不等于当年财政拨款、上年结转资金与"
        f"其他资金之和 {format_money(funds.annual_parts_sum())} 元（相差 {format_money(diff)} 元）"
    )


def funds_problems(
    funds: Funds, name: str, file: str, line: int | None, project_line: int | None = None
) -> list[Problem]:
    """Warnings for funds that do not add up: the year's total against its parts, the project's against its."""
    problems: list[Problem] = []
    if (message := annual_mismatch(funds, name)) is not None:
        problems.append(Problem(file, line, message, Severity.WARNING, "funds-mismatch"))
    if (parts := funds.project_parts_mismatch()) is not None:
        problems.append(
            Problem(
                file,
                project_line or line,
                f"项目“{name}”的项目资金总额 {format_money(funds.project_total)} 元"
                f"不等于财政资金与其他资金之和 {format_money(parts)} 元",
                Severity.WARNING,
                "funds-mismatch",
            )
        )
    return problems


def _problem(
    file: str, line: int | None, cell: Cell | None, message: str, code: str, severity: Severity = Severity.WARNING
) -> Problem:
    return Problem(file, line, message, severity, code, cell.where if cell else None)


__all__ = [
    "FundsEntry",
    "amount_and_unit",
    "annual_mismatch",
    "funds_of",
    "funds_problems",
    "parse_amount",
    "resolve_funds",
    "spending_of",
]
