"""A project's evaluation: its declaration, year-end score and standing at a period, each indicator's
values and where it stands; and the choices that make one (the period progress is measured at, the
scoring's money). Pure values: the store makes them from its rows, and the charts, the workbook and
the report read them without the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from perftrack.domain.attainment import Attainment, PeriodValue
from perftrack.domain.model import Declaration, Target
from perftrack.domain.numbers import YUAN
from perftrack.domain.periods import YEAR, current_period, entry_period, period_order, periods_for
from perftrack.domain.scoring import BudgetInput, ProjectScore
from perftrack.domain.units import Rollup


@dataclass(frozen=True, slots=True)
class IndicatorEvaluation:
    """One indicator: its stored row id, its values per period, where it stands, its score."""

    indicator_id: int
    target: Target
    periods: dict[str, PeriodValue]
    attainment: Attainment
    rollup: Rollup | None
    # the mid-year monitoring form's columns (domain.md §3)
    monitor_expected: Decimal | None = None
    monitor_chance: str | None = None
    monitor_cause: str | None = None
    monitor_measure: str | None = None


@dataclass(frozen=True, slots=True)
class ProjectEvaluation:
    """A project's declaration, its year-end score and its standing at ``as_of``."""

    project_id: int
    declaration: Declaration
    reporting: str
    as_of: str
    score: ProjectScore
    indicators: list[IndicatorEvaluation]  # in the order of score.indicators
    budget_by_period: dict[str, Decimal]
    problems: list[str]
    # The unit's own 实际完成情况 of the annual goal; None: the sentence drawn from the figures.
    goal_achieved: str | None = None
    # How amounts are shown (they are kept in 元): the database's setting, 元 or 万元.
    money_unit: str = YUAN
    # The key of the rule set it was scored by (domain/rules.py): what draws its progress uses the same bands.
    rules: str = "national"
    # The 全年执行数 recorded for each funding source (appropriation, carryover, other).
    source_spent: dict[str, Decimal] = field(default_factory=dict)


def progress_period(periods: set[str], year: int, reporting: str, today: dt.date | None = None) -> str:
    """The period progress is measured at, given the periods with figures (actuals or spending):
    the latest of them (the year end when a year-end figure exists); with none, today's period
    within the budget year, the year end once that year is over, its first period before it starts."""
    today = today or dt.date.today()
    if YEAR in periods:
        return YEAR
    if periods:
        return max(periods, key=period_order)
    if today.year > year:
        return YEAR
    if today.year < year:
        return periods_for(reporting)[0]
    return current_period(today, reporting)


def period_on(day: dt.date, year: int, reporting: str) -> str:
    """The period figures stand at on ``day``: the year end (YEAR) once the budget year is over,
    else the period that contains it (the first one before the year begins)."""
    return YEAR if day.year > year else entry_period(year, reporting, day)


def budget_input(
    annual_total: Decimal | None, full_year_budget: Decimal | None, spent: Iterable[tuple[str, Decimal]]
) -> BudgetInput:
    """The scoring's money from a project's budget figures and its spending rows (period, amount)."""
    by_period: dict[str, Decimal] = {}
    executed_year: Decimal | None = None
    for period, amount in spent:
        if period != YEAR:
            by_period[period] = amount
        elif executed_year is None:
            executed_year = amount
    return BudgetInput(
        annual_total=annual_total, full_year_budget=full_year_budget, executed=executed_year, by_period=by_period
    )
