"""A project's score and standing in brief: total, grade, worst status and three counts.

Lists of projects (the navigator and its status filters, a city's score listing) show only
these per project. ``summarize_project`` computes them by the rules ``score_project`` and
``attainment`` apply (the same functions wherever a rule is decided: points, reached, ratio,
over-achievement, tier share, budget, grade, progress status) without making the objects a full
evaluation consists of per indicator (a target, period values, scoring input, score, two
attainments): for 130,000 indicators those objects alone take longer than the rules.
``tests/test_summary.py`` holds the two equal, field by field, on stored and generated projects.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import NamedTuple

from perftrack.domain.attainment import (
    Status,
    Tier,
    check_indicator,
    check_share,
    exact_ratio,
    is_over_achieved,
    progress_status,
    reached,
    tier_percent,
    tier_status,
    worst,
)
from perftrack.domain.model import Target
from perftrack.domain.periods import (
    MONTHS,
    QUARTERS,
    YEAR,
    elapsed_months,
    normalize_period,
    normalize_reporting,
    period_order,
    periods_for,
)
from perftrack.domain.points import allocate
from perftrack.domain.rules import NATIONAL, RuleSet, rule_set
from perftrack.domain.scoring import HUNDRED, BudgetInput, round_cents, score_budget
from perftrack.domain.units import Rollup, default_rollup

# One recorded actual: (period code, value in the target's unit, tier, tier share in %).
Fact = tuple[str, Decimal | None, Tier | None, Decimal | None]

_ZERO = Decimal(0)
_ZERO_CENTS = Decimal("0.00")
_QUARTER_SET = frozenset(QUARTERS)
_MONTH_SET = frozenset(MONTHS)
_by_order = itemgetter(0)
# The stored period codes and their order, so a half a million figures need no parsing.
_ORDER = {code: period_order(code) for code in (*QUARTERS, *MONTHS, YEAR)}


class IndicatorFacts(NamedTuple):
    """What scoring reads of one active indicator (as ``IndicatorInput`` holds it, flatter)."""

    name: str
    level1: str | None
    level2: str | None
    target: Target
    rollup: Rollup | None  # the user's choice; None for the default of the target's unit
    points: Decimal | None  # set by the user, else shared out
    deduction: Decimal | None  # only with its reason, as the evaluation passes it
    deduction_reason: str | None
    deviation_reason: str | None
    actuals: list[Fact]


@dataclass(frozen=True, slots=True)
class ProjectSummary:
    """What a list of projects shows of one: its score and where its indicators stand."""

    project_id: int
    total: Decimal
    grade: str  # the grade's word in the label set in use
    status: Status  # the worst indicator's (no actual when there is no indicator)
    off_track: int
    needs_note: int  # lost points or over-achieved, and no deviation analysis written
    no_actual: int
    # False until any actual or budget execution is recorded: a score of 0.00 / 差 would mislead.
    scored: bool = True


def summarize_project(
    project_id: int,
    indicators: list[IndicatorFacts],
    budget: BudgetInput,
    *,
    reporting: str,
    as_of: str,
    grade_labels: str | RuleSet = NATIONAL,
    scored: bool = True,
) -> ProjectSummary:
    """Score a project and count where its indicators stand at the end of ``as_of``."""
    reporting = normalize_reporting(reporting)
    keep = frozenset(periods_for(reporting))
    as_of = normalize_period(as_of)
    at_year = as_of == YEAR
    limit = period_order(as_of)
    months = elapsed_months(as_of)
    rules = rule_set(grade_labels)
    shares, _ = allocate(indicators, rules.indicator_points, rules.group_weights)

    total = score_budget(budget, reporting, rules.budget_points)[0].score
    statuses: list[Status] = []
    needs_note = 0
    for ind, points in zip(indicators, shares, strict=True):
        check_indicator(ind.name, ind.points, ind.deduction, ind.deduction_reason)
        target = ind.target
        rollup = ind.rollup if ind.rollup is not None else default_rollup(target)
        qualitative = not target.is_quantitative or target.value is None or rollup is Rollup.QUALITATIVE
        is_sum = rollup is Rollup.SUM

        # The year-end figure, and the in-year figures in period order, one granularity only.
        year_entry: Fact | None = None
        items: list[tuple[int, Decimal | None, Tier | None, Decimal | None, str]] = []
        quarters = in_months = False
        for period, value, tier, share in ind.actuals:
            if share is not None:
                check_share(tier, share)
            order = _ORDER.get(period)
            code = period if order is not None else normalize_period(period)
            if code == YEAR:
                if year_entry is None and (tier is not None if qualitative else value is not None):
                    year_entry = (code, value, tier, share)
                continue
            if value is None and tier is None:
                continue
            items.append((order if order is not None else period_order(code), value, tier, share, code))
            if code in _QUARTER_SET:
                quarters = True
            elif code in _MONTH_SET:
                in_months = True
        if quarters and in_months:
            items = [item for item in items if item[4] in keep]
        items.sort(key=_by_order)

        # The year's actual scores the indicator; the actual up to as_of gives its standing.
        rolled = _rolled(items, qualitative, is_sum)
        year = year_entry or rolled
        if at_year:
            now = year
        elif not items or items[-1][0] <= limit:
            now = rolled  # as_of is on or after every figure (always so when it is the latest period)
        else:
            now = _rolled([item for item in items if item[0] <= limit], qualitative, is_sum)

        missing = over = False
        if qualitative:
            if year is None or year[2] is None:
                missing, raw = True, _ZERO
            else:
                raw = points * tier_percent(year[2], year[3]) / HUNDRED
            status = tier_status(now[2] if now is not None else None)
        else:
            goal = target.value
            assert goal is not None  # qualitative covers a target without a number
            value = year[1] if year is not None else None
            if value is None:
                missing, raw = True, _ZERO
            else:
                if reached(target, value):
                    raw = points
                else:
                    raw = points * max(_ZERO, min(exact_ratio(target, value), Decimal(1)))
                over = is_over_achieved(target, value, rules.over_achievement)
            ytd = now[1] if now is not None else None
            if ytd is None:
                status = Status.NO_ACTUAL
            else:
                expected = goal * months / 12 if is_sum else goal
                status = progress_status(target, ytd, expected, rules.at_risk_margin)

        score = round_cents(raw)
        if ind.deduction is not None:
            score = max(_ZERO_CENTS, score - round_cents(ind.deduction))
        total += score
        statuses.append(status)
        if (over or score < points) and not missing and not (ind.deviation_reason or "").strip():
            needs_note += 1

    return ProjectSummary(
        project_id=project_id,
        total=total,
        grade=rules.grade_word(rules.grade_for(total)),
        status=worst(statuses) if statuses else Status.NO_ACTUAL,
        off_track=statuses.count(Status.OFF_TRACK),
        needs_note=needs_note,
        no_actual=statuses.count(Status.NO_ACTUAL),
        scored=scored,
    )


def _rolled(
    items: list[tuple[int, Decimal | None, Tier | None, Decimal | None, str]], qualitative: bool, is_sum: bool
) -> Fact | None:
    """In-year figures (in period order) rolled up: the latest tier, the sum or the latest value."""
    if qualitative:
        for _, _, tier, share, code in reversed(items):
            if tier is not None:
                return (code, None, tier, share)
        return None
    values = [item[1] for item in items if item[1] is not None]
    if not values:
        return None
    return (YEAR, sum(values, _ZERO) if is_sum else values[-1], None, None)
