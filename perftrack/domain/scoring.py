"""The year-end self-evaluation score (项目支出绩效自评, domain.md §4) as pure functions.

``score_project`` takes a ``ProjectInput`` (built by the store from its rows) and returns a
``ProjectScore``: the budget-execution score, one ``IndicatorScore`` per indicator, the total,
the grade and the problems a person should look at. The rules as implemented, with every
choice the domain page leaves open, are written down in docs/scoring.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from perftrack.domain.attainment import (
    Attainment,
    IndicatorInput,
    PeriodValue,
    Status,
    completion_ratio,
    exact_ratio,
    has_mixed_periods,
    is_over_achieved,
    reached,
    standing,
    tier_percent,
    year_actual,
)
from perftrack.domain.periods import MONTHS, QUARTERS, YEAR, normalize_period, normalize_reporting
from perftrack.domain.points import allocate, allocate_points, group_of
from perftrack.domain.rules import NATIONAL, RULE_SETS, Grade, RuleSet, rule_set

__all__ = [
    "BUDGET_POINTS",
    "RULE_SETS",
    "BudgetInput",
    "BudgetScore",
    "Grade",
    "IndicatorScore",
    "ProjectInput",
    "ProjectScore",
    "RuleSet",
    "allocate_points",
    "grade_for",
    "grade_label",
    "group_of",
    "needs_explanation_missing",
    "round_cents",
    "score_budget",
    "score_indicator",
    "score_project",
]

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
BUDGET_POINTS = Decimal(10)


def round_cents(value: Decimal) -> Decimal:
    """Round to two places, half up (the rule for every score and for the rate in %)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class BudgetInput:
    """The year's money in 元. ``executed`` is the year-end figure; ``by_period`` the period amounts."""

    annual_total: Decimal | None
    full_year_budget: Decimal | None
    executed: Decimal | None
    by_period: dict[str, Decimal] = field(default_factory=dict)

    def budget_base(self) -> Decimal | None:
        """全年预算数 when set (after adjustments), else the declared 年度资金总额."""
        return self.full_year_budget if self.full_year_budget is not None else self.annual_total

    def executed_total(self, reporting: str = "quarterly") -> Decimal | None:
        """The year-end figure when given, else the period amounts (each a period's own spending) added."""
        if self.executed is not None:
            return self.executed
        amounts = {normalize_period(k): v for k, v in self.by_period.items()}
        if YEAR in amounts:
            return amounts[YEAR]
        quarters = [v for k, v in amounts.items() if k in QUARTERS]
        months = [v for k, v in amounts.items() if k in MONTHS]
        if quarters and months:
            # Both were recorded: add only the project's own reporting periods, never both.
            chosen = quarters if normalize_reporting(reporting) == "quarterly" else months
        else:
            chosen = quarters or months
        return sum(chosen, Decimal(0)) if chosen else None


@dataclass(frozen=True, slots=True)
class ProjectInput:
    """One project's indicators and money for the year being evaluated."""

    name: str
    indicators: list[IndicatorInput]
    budget: BudgetInput
    reporting: str = "quarterly"


@dataclass(frozen=True, slots=True)
class BudgetScore:
    """The funds block: rate in % (two places), out of ``points`` (10)."""

    full_year_budget: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    points: Decimal
    score: Decimal
    initial_budget: Decimal | None = None  # 年初预算数, the declared annual total


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """One row of the self-evaluation's indicator table."""

    name: str
    level1: str | None
    level2: str | None
    target_display: str
    actual: PeriodValue | None
    ratio: Decimal | None
    points: Decimal
    score: Decimal
    status: Status
    needs_explanation: bool
    reasons: list[str]
    deduction: Decimal | None = None
    deviation_reason: str | None = None
    measures: str | None = None
    unit: str | None = None
    missing_actual: bool = False
    over_achieved: bool = False
    # Where it stands at the year end, as attainment(ind, YEAR) gives it: the evaluation of a year-end
    # report takes it from here rather than rolling the year up a second time.
    standing: Attainment | None = field(default=None, repr=False, compare=False)

    def actual_display(self) -> str:
        """The actual as the sheet's 实际完成值 column shows it."""
        if self.actual is None:
            return ""
        if self.actual.tier is not None and self.actual.value is None:
            percent = tier_percent(self.actual.tier, self.actual.tier_percent)
            return f"{self.actual.tier.label}（{percent}%）"
        unit = f"({self.unit})" if self.unit else ""
        return f"{self.actual.value}{unit}"


def grade_for(total: Decimal, rules: str | RuleSet = NATIONAL) -> Grade:
    """The grade of a total by the rules' bands (national: 优 from 90, 良 from 80, 中 from 60, 差 below)."""
    return rule_set(rules).grade_for(total)


def grade_label(grade: Grade, labels: str | RuleSet = NATIONAL) -> str:
    """The grade's word in a rule set ("national" 优良中差, "shanghai" 优良合格不合格)."""
    return rule_set(labels).grade_word(grade)


@dataclass(frozen=True, slots=True)
class ProjectScore:
    """The whole self-evaluation: total out of 100, grade, parts and problems."""

    total: Decimal
    grade: Grade
    grade_label: str
    budget: BudgetScore
    indicators: list[IndicatorScore]
    problems: list[str]


def score_budget(
    budget: BudgetInput, reporting: str = "quarterly", points: Decimal = BUDGET_POINTS
) -> tuple[BudgetScore, list[str]]:
    """Rate = executed / full-year budget, in % half up; score = min(rate, 100 %) × ``points`` (10)."""
    base = budget.budget_base()
    executed = budget.executed_total(reporting)
    problems: list[str] = []
    rate: Decimal | None = None
    score = Decimal("0.00")
    if base is None:
        problems.append("缺少全年预算数（年度资金总额），预算执行率按0分计")
    elif base <= 0:
        problems.append(f"全年预算数为 {base}，无法计算预算执行率，按0分计")
    elif executed is None:
        problems.append("缺少全年执行数，预算执行率按0分计")
    else:
        rate = round_cents(executed / base * HUNDRED)
        # Scored from the rate as printed, so a reader can check 得分 = 执行率 × 分值.
        score = round_cents(min(max(rate, Decimal(0)), HUNDRED) / HUNDRED * points)
        if executed > base:
            problems.append(f"全年执行数 {executed} 超过全年预算数 {base}（执行率 {rate}%）")
    result = BudgetScore(
        full_year_budget=base,
        executed=executed,
        rate=rate,
        points=points,
        score=score,
        initial_budget=budget.annual_total,
    )
    return result, problems


def score_indicator(
    ind: IndicatorInput,
    points: Decimal,
    reporting: str = "quarterly",
    over_achievement: Decimal = Decimal("1.3"),
    at_risk_margin: Decimal = Decimal("0.15"),
) -> IndicatorScore:
    """Score one indicator out of ``points`` from its year actual, with the reasons it needs a note."""
    # What attainment(ind, YEAR, reporting) would do, without rolling the year up a second time.
    normalize_reporting(reporting)
    actual = year_actual(ind, reporting)
    at_year_end = standing(ind, YEAR, actual, at_risk_margin)
    status = at_year_end.status
    reasons: list[str] = []
    ratio: Decimal | None = None
    over = False
    missing = False
    if ind.is_qualitative:
        if actual is None or actual.tier is None:
            missing = True
            raw = Decimal(0)
            reasons.append("未填报实际完成值（定性指标未选择评价等级），按0分计")
        else:
            percent = tier_percent(actual.tier, actual.tier_percent)
            raw = points * percent / HUNDRED
    else:
        value = actual.value if actual is not None else None
        if value is None:
            missing = True
            raw = Decimal(0)
            reasons.append("未填报实际完成值，按0分计")
        else:
            ratio = completion_ratio(ind.target, value)
            if reached(ind.target, value):
                raw = points
            else:
                raw = points * max(Decimal(0), min(exact_ratio(ind.target, value), Decimal(1)))
            over = is_over_achieved(ind.target, value, over_achievement)

    earned = round_cents(raw)
    score = earned
    deduction = round_cents(ind.deduction) if ind.deduction is not None else None
    if deduction is not None:
        score = max(Decimal("0.00"), earned - deduction)
    if not missing and earned < points:
        reasons.append(f"未得满分：得 {earned} 分，失 {round_cents(points - earned)} 分")
    if deduction is not None:
        reasons.append(f"人工扣分 {deduction} 分：{(ind.deduction_reason or '').strip()}")
    if over:
        beyond = ((over_achievement - 1) * HUNDRED).normalize()
        reasons.append(f"超额完成年度指标{beyond:f}%以上，需说明年度指标是否设置偏低")

    return IndicatorScore(
        name=ind.name,
        level1=ind.level1,
        level2=ind.level2,
        target_display=ind.target.display(),
        actual=actual,
        ratio=ratio,
        points=points,
        score=score,
        status=status,
        needs_explanation=missing or over or score < points,
        reasons=reasons,
        deduction=deduction,
        deviation_reason=ind.deviation_reason,
        measures=ind.measures,
        unit=ind.target.unit,
        missing_actual=missing,
        over_achieved=over,
        standing=at_year_end,
    )


def score_project(p: ProjectInput, grade_labels: str | RuleSet = NATIONAL) -> ProjectScore:
    """Score a project by a rule set (``grade_labels``: its key or itself): budget (10) plus indicators
    (90); total is the sum of the rounded parts."""
    rules = rule_set(grade_labels)
    reporting = normalize_reporting(p.reporting)
    points, problems = allocate(p.indicators, rules.indicator_points, rules.group_weights)
    for ind in p.indicators:
        if has_mixed_periods(ind):
            problems.append(f"指标“{ind.name}”同时有按季度和按月的数值，只按项目的填报周期汇总")
    scores = [
        score_indicator(ind, pts, reporting, rules.over_achievement, rules.at_risk_margin)
        for ind, pts in zip(p.indicators, points, strict=True)
    ]
    budget, budget_problems = score_budget(p.budget, reporting, rules.budget_points)
    problems.extend(budget_problems)
    total = budget.score + sum((s.score for s in scores), Decimal(0))
    grade = rules.grade_for(total)
    return ProjectScore(
        total=total,
        grade=grade,
        grade_label=rules.grade_word(grade),
        budget=budget,
        indicators=scores,
        problems=problems,
    )


def needs_explanation_missing(ps: ProjectScore) -> list[IndicatorScore]:
    """Indicators that need a deviation analysis (偏差原因分析) and have none written."""
    return [s for s in ps.indicators if s.needs_explanation and not (s.deviation_reason or "").strip()]
