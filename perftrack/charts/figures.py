"""The charts of a self-evaluation, drawn with plain matplotlib (no Qt, no pyplot state).

Each chart has a data function, which takes its numbers from the scoring results so a chart
never disagrees with the sheet beside it, and a ``draw_*`` function that draws those numbers
into any Axes (the GUI's canvas, a page of the printed report). ``*_chart`` wraps both into a
stand-alone Figure. Numbers stay Decimal until the moment they are handed to matplotlib.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from perftrack.domain.attainment import IndicatorInput, Status, attainment, tier_percent
from perftrack.domain.periods import MONTHS, QUARTERS, YEAR, period_order, periods_for
from perftrack.domain.scoring import round_cents
from perftrack.store.evaluation import ProjectEvaluation

HUNDRED = Decimal(100)
TEN_THOUSAND = Decimal(10000)
# Bars of a completion chart stop here so one 900 % indicator does not flatten the rest.
COMPLETION_AXIS_MAX = Decimal(150)

STATUS_COLORS: dict[Status, str] = {
    Status.ON_TRACK: "#2e7d32",
    Status.AT_RISK: "#f9a825",
    Status.OFF_TRACK: "#c62828",
    Status.NO_ACTUAL: "#9e9e9e",
}
GRADE_COLORS: dict[str, str] = {
    "excellent": "#2e7d32",
    "good": "#558b2f",
    "fair": "#f9a825",
    "poor": "#c62828",
}
_QUARTER_LABELS = {"Q1": "一季度", "Q2": "二季度", "Q3": "三季度", "Q4": "四季度"}


class CompletionRow(NamedTuple):
    """One bar: an indicator's completion in % of its target (the tier's share when qualitative)."""

    name: str
    ratio_percent: Decimal | None
    status: Status
    qualitative: bool = False


class ProgressRow(NamedTuple):
    """How many indicators stood where at the end of one period."""

    period: str
    label: str
    counts: dict[Status, int]


class BudgetPeriod(NamedTuple):
    """Money spent in one period, the running total and that total as % of the full-year budget."""

    period: str
    label: str
    amount: Decimal
    cumulative: Decimal
    percent: Decimal | None


class BudgetData(NamedTuple):
    """The funds block's numbers (元) and the spending by period behind them."""

    budget: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    score: Decimal
    points: Decimal
    periods: list[BudgetPeriod]


class UnitScoreRow(NamedTuple):
    """One project's total and grade."""

    name: str
    total: Decimal
    grade_label: str
    grade: str


def period_label(code: str) -> str:
    """一季度 for Q1, 3月 for M03, 全年 for YEAR."""
    if code == YEAR:
        return "全年"
    if code in QUARTERS:
        return _QUARTER_LABELS[code]
    return f"{MONTHS.index(code) + 1}月"


def short_label(text: str, limit: int = 16) -> str:
    """A tick label no longer than ``limit`` characters (the full name is in the sheet)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- data -------------------------------------------------------------------------------------


def completion_data(evaluation: ProjectEvaluation) -> list[CompletionRow]:
    """Per indicator, in sheet order: ratio × 100 from the score, or the tier's percent."""
    rows: list[CompletionRow] = []
    for s, inp in zip(evaluation.score.indicators, _inputs(evaluation), strict=True):
        if s.ratio is not None:
            rows.append(CompletionRow(s.name, round_cents(s.ratio * HUNDRED), s.status))
        elif s.actual is not None and s.actual.tier is not None:
            percent = tier_percent(s.actual.tier, s.actual.tier_percent)
            rows.append(CompletionRow(s.name, percent, s.status, qualitative=True))
        else:
            rows.append(CompletionRow(s.name, None, s.status, qualitative=inp.is_qualitative))
    return rows


def _inputs(evaluation: ProjectEvaluation) -> list[IndicatorInput]:
    return [
        IndicatorInput(
            name=s.name,
            level1=s.level1,
            level2=s.level2,
            target=ev.target,
            rollup=ev.rollup,
            points=None,
            actuals=ev.periods,
        )
        for s, ev in zip(evaluation.score.indicators, evaluation.indicators, strict=True)
    ]


def progress_periods(evaluation: ProjectEvaluation) -> list[str]:
    """The project's reporting periods up to its ``as_of``, then YEAR when the year is complete."""
    if evaluation.as_of == YEAR:
        return [*periods_for(evaluation.reporting), YEAR]
    limit = period_order(evaluation.as_of)
    return [p for p in periods_for(evaluation.reporting) if period_order(p) <= limit]


def progress_data(evaluation: ProjectEvaluation) -> list[ProgressRow]:
    """Indicator statuses counted per period, measured the way mid-year monitoring measures them."""
    inputs = _inputs(evaluation)
    rows: list[ProgressRow] = []
    for period in progress_periods(evaluation):
        counts = dict.fromkeys(Status, 0)
        for inp in inputs:
            counts[attainment(inp, period, evaluation.reporting).status] += 1
        rows.append(ProgressRow(period, period_label(period), counts))
    return rows


def _scored_periods(evaluation: ProjectEvaluation) -> list[tuple[str, Decimal]]:
    """The period amounts the budget score adds: one granularity, the project's own when both exist."""
    items = list(evaluation.budget_by_period.items())
    quarters = [(k, v) for k, v in items if k in QUARTERS]
    months = [(k, v) for k, v in items if k in MONTHS]
    if quarters and months:
        return quarters if set(periods_for(evaluation.reporting)) == set(QUARTERS) else months
    return quarters or months


def budget_data(evaluation: ProjectEvaluation) -> BudgetData:
    """The budget score's base, executed amount and rate, with period spending added up."""
    b = evaluation.score.budget
    periods: list[BudgetPeriod] = []
    running = Decimal(0)
    for code, amount in _scored_periods(evaluation):
        running += amount
        percent = round_cents(running / b.full_year_budget * HUNDRED) if b.full_year_budget else None
        periods.append(BudgetPeriod(code, period_label(code), amount, running, percent))
    return BudgetData(b.full_year_budget, b.executed, b.rate, b.score, b.points, periods)


def unit_scores_data(evaluations: Sequence[ProjectEvaluation]) -> list[UnitScoreRow]:
    """Each project's total and grade, in the order given."""
    return [
        UnitScoreRow(e.declaration.name, e.score.total, e.score.grade_label, str(e.score.grade)) for e in evaluations
    ]


# -- drawing ----------------------------------------------------------------------------------


def _f(value: Decimal) -> float:
    """The one place a Decimal becomes a float: matplotlib's coordinates."""
    return float(value)


def _tidy(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=7, length=2)


def draw_completion(ax: Axes, rows: Sequence[CompletionRow], title: str = "指标完成率") -> None:
    """Horizontal bars of completion %, coloured by status, with the 100 % line."""
    ys = list(range(len(rows)))
    widths = [_f(min(r.ratio_percent, COMPLETION_AXIS_MAX)) if r.ratio_percent is not None else 0 for r in rows]
    ax.barh(ys, widths, color=[STATUS_COLORS[r.status] for r in rows], height=0.62)
    for y, r in zip(ys, rows, strict=True):
        if r.ratio_percent is None:
            text = "未填报"
        else:
            over = "+" if r.ratio_percent > COMPLETION_AXIS_MAX else ""
            text = f"{r.ratio_percent}%{over}" + ("（定性）" if r.qualitative else "")
        x = _f(min(r.ratio_percent or Decimal(0), COMPLETION_AXIS_MAX))
        ax.text(x + 1.5, y, text, va="center", fontsize=6.5, color="#333333")
    ax.axvline(100, color="#555555", linewidth=0.8, linestyle="--")
    ax.set_yticks(ys, [short_label(r.name) for r in rows], fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, _f(COMPLETION_AXIS_MAX) + 25)
    ax.set_xticks([0, 25, 50, 75, 100, 125, 150])
    ax.set_xlabel("完成率（%）", fontsize=7)
    ax.set_title(title, fontsize=9)
    present = sorted({r.status for r in rows}, key=list(Status).index)
    ax.legend(
        handles=[Patch(color=STATUS_COLORS[s], label=s.label) for s in present],
        fontsize=6.5,
        loc="lower right",
        frameon=False,
    )
    _tidy(ax)


def draw_progress(ax: Axes, rows: Sequence[ProgressRow], title: str = "各期指标进度") -> None:
    """Stacked bars: per period, how many indicators were on track, at risk, off track, unreported."""
    xs = list(range(len(rows)))
    bottoms = [0] * len(rows)
    for status in Status:
        heights = [r.counts[status] for r in rows]
        ax.bar(xs, heights, bottom=bottoms, color=STATUS_COLORS[status], label=status.label, width=0.6)
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    ax.set_xticks(xs, [r.label for r in rows], fontsize=7)
    ax.set_ylabel("指标个数", fontsize=7)
    ax.set_ylim(0, max([*bottoms, 1]) * 1.3)
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=6.5, ncols=4, loc="upper center", frameon=False)
    _tidy(ax)


def draw_budget(ax: Axes, data: BudgetData, title: str | None = None) -> None:
    """Cumulative spending by period (万元) against the full-year budget, ending at the year's figure."""
    labels = [p.label for p in data.periods]
    values = [p.cumulative for p in data.periods]
    if data.executed is not None and (not values or values[-1] != data.executed):
        labels.append("全年")
        values.append(data.executed)
    xs = list(range(len(values)))
    ax.bar(xs, [_f(v / TEN_THOUSAND) for v in values], color="#1565c0", width=0.55, label="累计执行数")
    for x, v in zip(xs, values, strict=True):
        ax.text(
            x,
            _f(v / TEN_THOUSAND),
            f"{round_cents(v / TEN_THOUSAND)}",
            ha="center",
            va="bottom",
            fontsize=6.5,
        )
    top = max([_f(v / TEN_THOUSAND) for v in values] + [1.0])
    if data.budget is not None:
        level = _f(data.budget / TEN_THOUSAND)
        ax.axhline(level, color="#c62828", linewidth=0.9, linestyle="--", label="全年预算数")
        top = max(top, level)
    ax.set_ylim(0, top * 1.25)
    ax.set_xticks(xs, labels, fontsize=7)
    ax.set_ylabel("万元", fontsize=7)
    if not values:
        ax.text(0.5, 0.5, "尚未填报执行数", transform=ax.transAxes, ha="center", va="center", fontsize=8)
    rate = f"{data.rate}%" if data.rate is not None else "—"
    ax.set_title(title or f"预算执行率 {rate}（得分 {data.score}/{data.points}）", fontsize=9)
    ax.legend(fontsize=6.5, loc="upper left", frameon=False)
    _tidy(ax)


def draw_unit_scores(ax: Axes, rows: Sequence[UnitScoreRow], title: str = "各项目自评得分") -> None:
    """Horizontal bars of each project's total, coloured by grade, with the 60/80/90 grade lines."""
    ys = list(range(len(rows)))
    ax.barh(ys, [_f(r.total) for r in rows], color=[GRADE_COLORS[r.grade] for r in rows], height=0.62)
    for y, r in zip(ys, rows, strict=True):
        ax.text(_f(r.total) + 1, y, f"{r.total}（{r.grade_label}）", va="center", fontsize=6.5)
    for line in (60, 80, 90):
        ax.axvline(line, color="#777777", linewidth=0.6, linestyle=":")
    ax.set_yticks(ys, [short_label(r.name, 18) for r in rows], fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, 118)
    ax.set_xticks([0, 20, 40, 60, 80, 90, 100])
    ax.set_xlabel("总分", fontsize=7)
    ax.set_title(title, fontsize=9)
    _tidy(ax)


# -- stand-alone figures ----------------------------------------------------------------------


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def completion_chart(evaluation: ProjectEvaluation) -> Figure:
    """Completion of every indicator of a project."""
    rows = completion_data(evaluation)
    fig, ax = _figure(6.5, 1.2 + 0.22 * max(len(rows), 1))
    draw_completion(ax, rows)
    return fig


def quarterly_progress_chart(evaluation: ProjectEvaluation) -> Figure:
    """Indicator statuses period by period up to the evaluation's ``as_of``."""
    fig, ax = _figure(5.0, 3.0)
    draw_progress(ax, progress_data(evaluation))
    return fig


def budget_chart(evaluation: ProjectEvaluation) -> Figure:
    """Spending against the full-year budget."""
    fig, ax = _figure(5.0, 3.0)
    draw_budget(ax, budget_data(evaluation))
    return fig


def unit_scores_chart(evaluations: Sequence[ProjectEvaluation]) -> Figure:
    """Totals of all projects of a unit."""
    rows = unit_scores_data(evaluations)
    fig, ax = _figure(6.5, 1.2 + 0.25 * max(len(rows), 1))
    draw_unit_scores(ax, rows)
    return fig
