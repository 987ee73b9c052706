"""Actual values through the year, their roll-up and mid-year attainment (domain.md §3).

The store builds ``IndicatorInput`` objects from its rows; everything here is a pure function
of them. Values arrive already converted to the target's unit. Decimal throughout.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

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
from perftrack.domain.units import Rollup, default_rollup

RATIO_PLACES = Decimal("0.0001")
VALUE_PLACES = Decimal("0.01")
# "At risk" reaches this far below the expectation (domain.md §3: within 15 %).
AT_RISK_MARGIN = Decimal("0.15")


class Tier(StrEnum):
    """The three assessments of a qualitative indicator."""

    ACHIEVED = "achieved"
    PARTLY = "partly"
    NOT_ACHIEVED = "not_achieved"

    @property
    def label(self) -> str:
        return TIER_LABELS[self]

    @property
    def band(self) -> tuple[Decimal, Decimal]:
        """The share of the points (in %) an assessor may give in this tier, ends included."""
        return TIER_BANDS[self]

    @property
    def default_percent(self) -> Decimal:
        return TIER_DEFAULTS[self]


TIER_LABELS: dict[Tier, str] = {
    Tier.ACHIEVED: "达成年度指标",
    Tier.PARTLY: "部分达成年度指标并具有一定效果",
    Tier.NOT_ACHIEVED: "未达成年度指标且效果较差",
}
TIER_BANDS: dict[Tier, tuple[Decimal, Decimal]] = {
    Tier.ACHIEVED: (Decimal(80), Decimal(100)),
    Tier.PARTLY: (Decimal(60), Decimal(80)),
    Tier.NOT_ACHIEVED: (Decimal(0), Decimal(60)),
}
TIER_DEFAULTS: dict[Tier, Decimal] = {
    Tier.ACHIEVED: Decimal(100),
    Tier.PARTLY: Decimal(70),
    Tier.NOT_ACHIEVED: Decimal(30),
}
_TIER_WORDS: dict[str, Tier] = {
    "达成": Tier.ACHIEVED,
    "部分达成": Tier.PARTLY,
    "未达成": Tier.NOT_ACHIEVED,
    "achieved": Tier.ACHIEVED,
    "partly": Tier.PARTLY,
    "partly-achieved": Tier.PARTLY,
    "not-achieved": Tier.NOT_ACHIEVED,
    **{label: tier for tier, label in TIER_LABELS.items()},
}


def parse_tier(text: str) -> Tier:
    """Read a tier written in Chinese or English ("部分达成", "not-achieved", the full label)."""
    key = "".join(text.split()).lower().replace("_", "-")
    if key in _TIER_WORDS:
        return _TIER_WORDS[key]
    raise ValueError(f"无法识别的评价等级“{text}”，应为 达成、部分达成 或 未达成（achieved / partly / not-achieved）")


def tier_percent(tier: Tier, percent: Decimal | None = None) -> Decimal:
    """The share of the points (in %) for ``tier``: ``percent`` if inside the band, else the default."""
    if percent is None:
        return tier.default_percent
    low, high = tier.band
    if not low <= percent <= high:
        raise ValueError(f"“{tier.label}”的得分比例应在 {low}%–{high}% 之间，填写的是 {percent}%")
    return percent


def check_share(tier: Tier | None, percent: Decimal) -> None:
    """Refuse a share of the points without a tier, or outside the tier's band."""
    if tier is None:
        raise ValueError("填写了得分比例但未选择评价等级（达成 / 部分达成 / 未达成）")
    tier_percent(tier, percent)


class Status(StrEnum):
    """Progress of an indicator against what was expected by now."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_ACTUAL = "no_actual"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


# Worst first: a project takes the status of its worst indicator.
STATUS_SEVERITY: dict[Status, int] = {
    Status.OFF_TRACK: 3,
    Status.AT_RISK: 2,
    Status.NO_ACTUAL: 1,
    Status.ON_TRACK: 0,
}


def worst(statuses: Iterable[Status]) -> Status:
    """The most serious status of several (on track when there are none)."""
    return max(statuses, key=STATUS_SEVERITY.__getitem__, default=Status.ON_TRACK)


STATUS_LABELS: dict[Status, str] = {
    Status.ON_TRACK: "正常",
    Status.AT_RISK: "有风险",
    Status.OFF_TRACK: "偏离目标",
    Status.NO_ACTUAL: "未填报",
}


@dataclass(frozen=True, slots=True)
class PeriodValue:
    """One recorded actual: a number in the target's unit, or a tier for a qualitative indicator."""

    value: Decimal | None
    tier: Tier | None = None
    tier_percent: Decimal | None = None

    def __post_init__(self) -> None:
        if self.tier_percent is not None:
            check_share(self.tier, self.tier_percent)

    @property
    def is_empty(self) -> bool:
        return self.value is None and self.tier is None


def check_indicator(name: str, points: Decimal | None, deduction: Decimal | None, reason: str | None) -> None:
    """Refuse negative points, a negative deduction or a deduction without its reason."""
    if points is not None and points < 0:
        raise ValueError(f"指标“{name}”的分值不能为负数：{points}")
    if deduction is not None:
        if deduction < 0:
            raise ValueError(f"指标“{name}”的扣分不能为负数：{deduction}")
        if not (reason or "").strip():
            raise ValueError(f"指标“{name}”的人工扣分必须注明理由")


@dataclass(frozen=True, slots=True)
class IndicatorInput:
    """An indicator with its target, points and the actuals recorded for it, keyed by period."""

    name: str
    level1: str | None
    level2: str | None
    target: Target
    rollup: Rollup | None
    points: Decimal | None
    actuals: dict[str, PeriodValue] = field(default_factory=dict)
    deduction: Decimal | None = None
    deduction_reason: str | None = None
    deviation_reason: str | None = None
    measures: str | None = None
    monitor_expected: Decimal | None = None
    # Derived once here: scoring asks for them several times per indicator, 130,000 indicators a city.
    _rollup: Rollup = field(init=False, repr=False, compare=False)
    _qualitative: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_indicator(self.name, self.points, self.deduction, self.deduction_reason)
        for period in self.actuals:
            normalize_period(period)
        rollup = self.rollup if self.rollup is not None else default_rollup(self.target)
        object.__setattr__(self, "_rollup", rollup)
        qualitative = not self.target.is_quantitative or self.target.value is None or rollup is Rollup.QUALITATIVE
        object.__setattr__(self, "_qualitative", qualitative)

    def effective_rollup(self) -> Rollup:
        """The roll-up the user chose, else the default for the target's unit."""
        return self._rollup

    @property
    def is_qualitative(self) -> bool:
        """Assessed by tier: a qualitative target, or a number the user chose to assess by tier."""
        return self._qualitative


@dataclass(frozen=True, slots=True)
class Attainment:
    """Where an indicator stands as of a period."""

    ytd: Decimal | None
    ratio: Decimal | None
    met: bool | None
    status: Status
    expected_to_date: Decimal | None
    projected: Decimal | None
    tier: Tier | None = None


def _op(target: Target) -> str:
    # A bare number ("985米") carries no operator: it reads as "reach at least this".
    return target.op or ">="


def reached(target: Target, actual: Decimal) -> bool:
    """Whether ``actual`` reaches a quantitative target (the boundary counts, except at zero)."""
    op, goal = _op(target), target.value
    assert goal is not None, "reached() needs a quantitative target"
    if goal == 0:
        # Against zero the operator is read literally: ">0 次" is not reached by 0.
        return {
            "=": actual == 0,
            ">=": actual >= 0,
            ">": actual > 0,
            "<=": actual <= 0,
            "<": actual < 0,
        }[op]
    return actual <= goal if target.is_reverse else actual >= goal


def exact_ratio(target: Target, actual: Decimal) -> Decimal:
    """The completion ratio unrounded; see ``completion_ratio``."""
    goal = target.value
    assert goal is not None, "a completion ratio needs a quantitative target"
    if goal == 0 or (target.is_reverse and actual == 0):
        return Decimal(1) if reached(target, actual) else Decimal(0)
    return goal / actual if target.is_reverse else actual / goal


def completion_ratio(target: Target, actual: Decimal | None) -> Decimal | None:
    """Actual / target (target / actual when less is better), to four places; None without an actual.

    Where that would divide by zero (a zero target, or a zero actual of a reverse indicator)
    the ratio is 1 when the target is reached and 0 when not.
    """
    if actual is None or target.value is None:
        return None
    return exact_ratio(target, actual).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def is_over_achieved(target: Target, actual: Decimal, share: Decimal = Decimal("1.3")) -> bool:
    """Actual at ``share`` of the target or beyond: by 30 % or more (≤ 70 % of it when less is better)."""
    goal = target.value
    if goal is None or goal == 0:
        return False  # "30 % beyond zero" has no meaning
    if target.is_reverse:
        return actual <= goal * (2 - share)
    return actual >= goal * share


_QUARTER_SET = frozenset(QUARTERS)
_MONTH_SET = frozenset(MONTHS)


def _order(item: tuple[str, PeriodValue]) -> int:
    return period_order(item[0])


def _in_year(actuals: dict[str, PeriodValue], reporting: str | None) -> list[tuple[str, PeriodValue]]:
    """The non-empty in-year actuals in period order, one granularity only."""
    # One plain loop: this runs several times for each of a city's 130,000 indicators.
    items: list[tuple[str, PeriodValue]] = []
    has_quarters = has_months = False
    for key, pv in actuals.items():
        code = normalize_period(key)
        if code == YEAR or (pv.value is None and pv.tier is None):
            continue
        items.append((code, pv))
        if code in _QUARTER_SET:
            has_quarters = True
        elif code in _MONTH_SET:
            has_months = True
    if has_quarters and has_months:
        if reporting is None:
            raise ValueError("同一指标同时有按季度和按月填报的数值，无法判断按哪一种汇总")
        keep = set(periods_for(reporting))
        items = [(code, pv) for code, pv in items if code in keep]
    items.sort(key=_order)
    return items


def has_mixed_periods(ind: IndicatorInput) -> bool:
    """True when an indicator has both quarterly and monthly actuals (only one set is used)."""
    if not ind.actuals:
        return False
    codes = {normalize_period(k) for k, v in ind.actuals.items() if not v.is_empty}
    return bool(codes & set(QUARTERS)) and bool(codes & set(MONTHS))


def _roll_up(ind: IndicatorInput, items: list[tuple[str, PeriodValue]]) -> PeriodValue | None:
    if ind.is_qualitative:
        tiers = [pv for _, pv in items if pv.tier is not None]
        return PeriodValue(None, tiers[-1].tier, tiers[-1].tier_percent) if tiers else None
    values = [pv.value for _, pv in items if pv.value is not None]
    if not values:
        return None
    if ind.effective_rollup() is Rollup.SUM:
        return PeriodValue(sum(values, Decimal(0)))
    return PeriodValue(values[-1])


def _year_entry(ind: IndicatorInput) -> PeriodValue | None:
    for key, pv in ind.actuals.items():
        if normalize_period(key) == YEAR:
            usable = pv.tier is not None if ind.is_qualitative else pv.value is not None
            if usable:
                return pv
    return None


def year_actual(ind: IndicatorInput, reporting: str | None = None) -> PeriodValue | None:
    """The year's actual: the year-end figure if recorded, else the periods rolled up.

    ``reporting`` picks the granularity when an indicator has both quarterly and monthly
    figures; without it such an indicator raises ``ValueError``.
    """
    if not ind.actuals:  # nothing recorded yet, as for most of a city's indicators early in the year
        return None
    return _year_entry(ind) or _roll_up(ind, _in_year(ind.actuals, reporting))


def tier_status(tier: Tier | None) -> Status:
    """A qualitative indicator's standing from its latest tier (none yet: no actual)."""
    if tier is None:
        return Status.NO_ACTUAL
    return {Tier.ACHIEVED: Status.ON_TRACK, Tier.PARTLY: Status.AT_RISK}.get(tier, Status.OFF_TRACK)


def progress_status(target: Target, actual: Decimal, expected: Decimal, margin: Decimal = AT_RISK_MARGIN) -> Status:
    """Compare with the expectation; within ``margin`` (15 %) on the wrong side is 'at risk'."""
    if expected == 0:
        return Status.ON_TRACK if reached(target, actual) else Status.OFF_TRACK
    if target.is_reverse:
        if actual <= expected:
            return Status.ON_TRACK
        return Status.AT_RISK if actual <= expected * (1 + margin) else Status.OFF_TRACK
    if actual >= expected:
        return Status.ON_TRACK
    return Status.AT_RISK if actual >= expected * (1 - margin) else Status.OFF_TRACK


def attainment(
    ind: IndicatorInput, as_of: str, reporting: str = "quarterly", margin: Decimal = AT_RISK_MARGIN
) -> Attainment:
    """Where ``ind`` stands at the end of period ``as_of`` (the year-end figure only counts at YEAR);
    ``margin``: how far below the expectation is still 'at risk' (a rule set's)."""
    as_of = normalize_period(as_of)
    normalize_reporting(reporting)
    if as_of == YEAR:
        actual = year_actual(ind, reporting)
    else:
        limit = period_order(as_of)
        items = [(c, pv) for c, pv in _in_year(ind.actuals, reporting) if period_order(c) <= limit]
        actual = _roll_up(ind, items)
    return standing(ind, as_of, actual, margin)


def standing(
    ind: IndicatorInput, as_of: str, actual: PeriodValue | None, margin: Decimal = AT_RISK_MARGIN
) -> Attainment:
    """Where ``ind`` stands at the end of ``as_of`` (a period code) given its actual rolled up to then."""
    if ind.is_qualitative:
        tier = actual.tier if actual is not None else None
        return Attainment(
            ytd=None,
            ratio=None,
            met=None if tier is None else tier is Tier.ACHIEVED,
            status=tier_status(tier),
            expected_to_date=None,
            projected=ind.monitor_expected,
            tier=tier,
        )

    target = ind.target
    goal = target.value
    assert goal is not None  # is_qualitative covers a target without a number
    is_sum = ind.effective_rollup() is Rollup.SUM
    months = elapsed_months(as_of)
    # The exact fraction months/12, not the four-place share, so 7/12 of 12 is 7, not 6.9996.
    expected = goal * months / 12 if is_sum else goal
    ytd = actual.value if actual is not None else None

    if ytd is None:
        projected = ind.monitor_expected
        return Attainment(None, None, None, Status.NO_ACTUAL, _places(expected), projected)
    if ind.monitor_expected is not None:
        projected = ind.monitor_expected
    else:
        projected = _places(ytd * 12 / months) if is_sum else ytd
    return Attainment(
        ytd=ytd,
        ratio=completion_ratio(target, ytd),
        met=reached(target, ytd),
        status=progress_status(target, ytd, expected, margin),
        expected_to_date=_places(expected),
        projected=projected,
    )


def _places(value: Decimal) -> Decimal:
    """Round a derived value (an expectation, a projection) for display, half up."""
    if value == value.to_integral_value():
        return value
    return value.quantize(VALUE_PLACES, rounding=ROUND_HALF_UP)
