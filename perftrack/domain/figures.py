"""Every figure derived from an evaluation that a reader sees, each computed once, with its label.

The ``score`` command, the window's 图表 tab, the charts, the workbook and the printed report all
take their counts, rates, statuses and totals from here, so no two outputs can disagree on what a
figure means. Two standings differ on purpose and are always labelled apart:

- the *progress* standing (``attainment``, 进度状态): where an indicator stands at the end of the
  evaluation's ``as_of`` against time elapsed (序时进度) — the window's table, ``score`` and the
  monitoring form use it;
- the *year-end* result (年终): whether the year's actual reached the annual target — the
  self-evaluation's counts use it. At ``as_of`` YEAR the two agree.

An evaluation whose ``as_of`` is not YEAR is a progress (监控) report, never a self-evaluation:
``is_year_end`` decides, ``stage_mark`` says which on every page.

Pure functions over what the store's ``ProjectEvaluation`` holds (described by ``Evaluated``,
so the domain never imports the store).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from perftrack.domain.attainment import Attainment, PeriodValue, Status, Tier, tier_percent
from perftrack.domain.model import Declaration
from perftrack.domain.numbers import format_money
from perftrack.domain.periods import (
    YEAR,
    elapsed_share,
    normalize_period,
    period_order,
    period_words,
)
from perftrack.domain.scoring import BudgetScore, IndicatorScore, ProjectScore

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

# The two kinds of output an evaluation makes.
YEAR_END = "year_end"
PROGRESS = "progress"

STATUS_HEADING_PROGRESS = "进度状态"
STATUS_HEADING_YEAR = "年终状态"


class EvaluatedIndicator(Protocol):
    """What an evaluated indicator offers (the store's ``IndicatorEvaluation``)."""

    @property
    def attainment(self) -> Attainment: ...

    @property
    def periods(self) -> Mapping[str, PeriodValue]: ...


class Evaluated(Protocol):
    """What an evaluated project offers (the store's ``ProjectEvaluation``)."""

    @property
    def declaration(self) -> Declaration: ...

    @property
    def as_of(self) -> str: ...

    @property
    def reporting(self) -> str: ...

    @property
    def score(self) -> ProjectScore: ...

    @property
    def indicators(self) -> Sequence[EvaluatedIndicator]: ...

    @property
    def budget_by_period(self) -> Mapping[str, Decimal]: ...

    @property
    def money_unit(self) -> str: ...

    @property
    def source_spent(self) -> Mapping[str, Decimal]: ...

    @property
    def goal_achieved(self) -> str | None: ...


# -- periods and the stage of the year ----------------------------------------------------------


# A period as the forms write it (一季度, 7月, 全年): kept with the other period words.
period_label = period_words


def as_of_label(code: str, year: int | None) -> str:
    """The date figures stand at, in words: 截至2024年二季度末, 截至2024年末（全年）."""
    prefix = f"{year}年" if year is not None else ""
    code = normalize_period(code)
    if code == YEAR:
        return f"截至{prefix}末（全年）"
    return f"截至{prefix}{period_label(code)}末"


def is_year_end(as_of: str) -> bool:
    """True when the figures stand at the year end: a self-evaluation; else a progress report."""
    return normalize_period(as_of) == YEAR


def stage(ev: Evaluated) -> str:
    """``YEAR_END`` (年终自评) or ``PROGRESS`` (运行监控) for an evaluation."""
    return YEAR_END if is_year_end(ev.as_of) else PROGRESS


def stage_mark(ev: Evaluated) -> str:
    """The line every page of an output carries to say what it is and when it stands."""
    year = ev.declaration.year
    if is_year_end(ev.as_of):
        return f"{year}年度 年终自评" if year is not None else "年终自评"
    return f"运行监控 {as_of_label(ev.as_of, year)}（非年终自评）"


def elapsed_percent(as_of: str) -> Decimal:
    """Time elapsed at the end of ``as_of`` in % (序时进度): Q2 → 50.00, M07 → 58.33."""
    return (elapsed_share(as_of) * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


# -- one indicator --------------------------------------------------------------------------------


def needs_explanation(s: IndicatorScore) -> bool:
    """需说明偏差: a reported value that lost points (a manual deduction included) or over-achieved.

    An indicator with no value yet is counted as 未填报 instead: it needs a value first.
    """
    return s.needs_explanation and not s.missing_actual


def unexplained(s: IndicatorScore) -> bool:
    """待说明: needs an explanation and no deviation analysis is written yet."""
    return needs_explanation(s) and not (s.deviation_reason or "").strip()


def reached(s: IndicatorScore) -> bool:
    """The year's actual reaches the annual target (a qualitative one: assessed 达成)."""
    return not s.missing_actual and s.status is Status.ON_TRACK


def _tier_at(periods: Mapping[str, PeriodValue], as_of: str) -> PeriodValue | None:
    """The latest tier recorded up to ``as_of`` (at YEAR, the year-end entry before any period)."""
    as_of = normalize_period(as_of)
    tiers = [(normalize_period(k), v) for k, v in periods.items() if v.tier is not None]
    if as_of == YEAR:
        year = [v for k, v in tiers if k == YEAR]
        if year:
            return year[0]
    limit = period_order(as_of)
    in_year = sorted(
        ((k, v) for k, v in tiers if k != YEAR and period_order(k) <= limit), key=lambda kv: period_order(kv[0])
    )
    return in_year[-1][1] if in_year else None


@dataclass(frozen=True, slots=True)
class Standing:
    """Where one indicator stands at the evaluation's ``as_of``: its progress status and completion."""

    name: str
    status: Status  # the progress status (at YEAR: the year-end one)
    percent: Decimal | None  # completion in % of the annual target; a qualitative one: its tier's share
    qualitative: bool
    tier: Tier | None = None


def standings(ev: Evaluated) -> list[Standing]:
    """Each indicator's standing at ``ev.as_of``, in sheet order: the one status the window, ``score``,
    the monitoring form and the completion chart show."""
    result: list[Standing] = []
    for s, ie in zip(ev.score.indicators, ev.indicators, strict=True):
        att = ie.attainment
        if att.ratio is not None:
            percent: Decimal | None = (att.ratio * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
            result.append(Standing(s.name, att.status, percent, qualitative=False))
            continue
        qualitative = att.expected_to_date is None
        tier = att.tier
        percent = None
        if tier is not None:
            pv = _tier_at(ie.periods, ev.as_of)
            share = pv.tier_percent if pv is not None and pv.tier is tier else None
            percent = tier_percent(tier, share)
        result.append(Standing(s.name, att.status, percent, qualitative=qualitative, tier=tier))
    return result


# -- counts ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class YearEndCounts:
    """A project's indicators by the year's actual against the annual target (年终)."""

    total: int
    reached: int  # 达到年度指标值
    not_reached: int  # 未达到
    not_reported: int  # 未填报实际完成值


def year_end_counts(score: ProjectScore) -> YearEndCounts:
    """Count indicators reaching the annual target, falling short, and without a value."""
    items = score.indicators
    hit = sum(1 for s in items if reached(s))
    missing = sum(1 for s in items if s.missing_actual)
    return YearEndCounts(len(items), hit, len(items) - hit - missing, missing)


@dataclass(frozen=True, slots=True)
class ProgressCounts:
    """A project's indicators by progress status at ``as_of`` (进度状态)."""

    total: int
    on_track: int  # 正常
    at_risk: int  # 有风险
    off_track: int  # 偏离目标
    not_reported: int  # 未填报


def progress_counts(ev: Evaluated) -> ProgressCounts:
    """Count indicators by their progress status at ``ev.as_of``."""
    statuses = [ie.attainment.status for ie in ev.indicators]
    return ProgressCounts(
        len(statuses),
        statuses.count(Status.ON_TRACK),
        statuses.count(Status.AT_RISK),
        statuses.count(Status.OFF_TRACK),
        statuses.count(Status.NO_ACTUAL),
    )


@dataclass(frozen=True, slots=True)
class ExplanationCounts:
    """需说明偏差 (lost points or over-achieved, with a value) and, of those, 待说明 (none written yet)."""

    needed: int
    unexplained: int


def explanation_counts(score: ProjectScore) -> ExplanationCounts:
    """How many indicators need a deviation analysis, and how many still have none."""
    items = score.indicators
    return ExplanationCounts(sum(1 for s in items if needs_explanation(s)), sum(1 for s in items if unexplained(s)))


# -- money ----------------------------------------------------------------------------------------


def execution_rate(executed: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """Executed / budget in %, two places half up (the funds block's 执行率); None when unknown."""
    if executed is None or not budget or budget <= 0:
        return None
    return (executed / budget * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


# The funds table's 其中 rows: each funding source's key (as stored: spent_<key>) and its words.
FUNDING_SOURCES = (("appropriation", "当年财政拨款"), ("carryover", "上年结转资金"), ("other", "其他资金"))


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One 其中 row: a funding source's declared amount, its full-year budget and what it spent."""

    key: str
    label: str  # 当年财政拨款, 上年结转资金, 其他资金
    initial: Decimal | None  # the declared amount (年初预算数)
    full_year: Decimal | None  # the declared amount while the total is not adjusted; unknown once it is
    executed: Decimal | None  # its 全年执行数, as recorded
    rate: Decimal | None  # executed / full_year in %, two places half up


def source_rows(ev: Evaluated) -> list[SourceRow]:
    """The three 其中 rows of the funds table, in the form's order."""
    funds, budget = ev.declaration.funds, ev.score.budget
    declared = {"appropriation": funds.annual_appropriation, "carryover": funds.annual_carryover}
    declared["other"] = funds.annual_other
    # Without an adjustment the full-year budget of each source is its declared amount; once the
    # total is adjusted the split is not known, so that cell stays empty rather than guessed.
    unadjusted = budget.full_year_budget == budget.initial_budget
    rows = []
    for key, label in FUNDING_SOURCES:
        full_year = declared[key] if unadjusted else None
        spent = ev.source_spent.get(key)
        rows.append(SourceRow(key, label, declared[key], full_year, spent, execution_rate(spent, full_year)))
    return rows


def sources_disagree(ev: Evaluated) -> str | None:
    """Why the 其中 rows do not add up to the 全年执行数, when some are recorded and they do not."""
    spent = [ev.source_spent[k] for k, _ in FUNDING_SOURCES if ev.source_spent.get(k) is not None]
    total = ev.score.budget.executed
    if not spent or total is None:
        return None
    parts = sum(spent, Decimal(0))
    if parts == total:
        return None
    unit = ev.money_unit
    return (
        f"各资金来源的全年执行数合计 {format_money(parts, unit)} {unit}，"
        f"与全年执行数 {format_money(total, unit)} {unit} 不一致"
    )


@dataclass(frozen=True, slots=True)
class BudgetTotals:
    """Several projects' money added up; the rate is the executed total over the budget total shown."""

    initial: Decimal | None
    full_year: Decimal | None
    executed: Decimal | None
    rate: Decimal | None  # in %, of the two totals beside it
    projects: int
    without_spending: int  # projects with no execution recorded (nothing of theirs in ``executed``)


def _sum(values: Sequence[Decimal | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    return sum(known, Decimal(0)) if known else None


def budget_totals(budgets: Sequence[BudgetScore]) -> BudgetTotals:
    """The totals row: every project's money added up, and the rate of exactly those two totals."""
    full_year = _sum([b.full_year_budget for b in budgets])
    executed = _sum([b.executed for b in budgets])
    return BudgetTotals(
        initial=_sum([b.initial_budget for b in budgets]),
        full_year=full_year,
        executed=executed,
        rate=execution_rate(executed, full_year),
        projects=len(budgets),
        without_spending=sum(1 for b in budgets if b.executed is None),
    )


def average_total(scores: Sequence[ProjectScore]) -> Decimal | None:
    """The mean of several projects' totals, two places half up."""
    if not scores:
        return None
    return (sum((s.total for s in scores), Decimal(0)) / len(scores)).quantize(CENT, rounding=ROUND_HALF_UP)


# -- the sentence under 实际完成情况 --------------------------------------------------------------


def outcome_text(ev: Evaluated) -> str:
    """The 实际完成情况 drawn from the figures: the year's result, or the progress so far."""
    budget = ev.score.budget
    explained = explanation_counts(ev.score)
    notes = f"需说明偏差 {explained.needed} 项（其中待说明 {explained.unexplained} 项）。" if explained.needed else ""
    if is_year_end(ev.as_of):
        parts: list[str] = []
        if budget.executed is not None:
            rate = f"，预算执行率 {budget.rate}%" if budget.rate is not None else ""
            parts.append(f"全年执行数 {format_money(budget.executed, ev.money_unit)} {ev.money_unit}{rate}。")
        c = year_end_counts(ev.score)
        parts.append(
            f"{c.total} 项绩效指标中，达到年度指标值 {c.reached} 项，未达到 {c.not_reached} 项"
            + (f"，未填报实际完成值 {c.not_reported} 项。" if c.not_reported else "。")
        )
        parts.append(notes)
        parts.append(f"自评得分 {ev.score.total} 分，等级“{ev.score.grade_label}”。")
        return "".join(parts)
    when = as_of_label(ev.as_of, ev.declaration.year)
    elapsed = f"序时进度 {elapsed_percent(ev.as_of).normalize():f}%"
    parts = [f"{when}（{elapsed}）："]
    if budget.executed is not None:
        rate = f"，预算执行率 {budget.rate}%" if budget.rate is not None else ""
        parts.append(f"累计执行 {format_money(budget.executed, ev.money_unit)} {ev.money_unit}{rate}；")
    else:
        parts.append("尚未填报执行数；")
    p = progress_counts(ev)
    parts.append(
        f"{p.total} 项绩效指标中，进度正常 {p.on_track} 项，有风险 {p.at_risk} 项，"
        f"偏离目标 {p.off_track} 项，尚未填报 {p.not_reported} 项。"
    )
    parts.append(notes)
    return "".join(parts)


def achieved_text(ev: Evaluated) -> str:
    """What the sheets print under 实际完成情况: the unit's own text when it wrote one, else
    the sentence drawn from the figures (``outcome_text``)."""
    own = (ev.goal_achieved or "").strip()
    return own or outcome_text(ev)
