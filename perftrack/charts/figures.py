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

from matplotlib import rcParams
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import ScaledTranslation

from perftrack.charts.palette import STATUS_COLORS
from perftrack.charts.texts import CHINESE, ChartTexts, period_label
from perftrack.domain import figures
from perftrack.domain.attainment import IndicatorInput, Status, attainment
from perftrack.domain.evaluation import ProjectEvaluation
from perftrack.domain.periods import MONTHS, QUARTERS, YEAR, elapsed_share, period_order, periods_for
from perftrack.domain.rules import rule_set
from perftrack.domain.scoring import round_cents

HUNDRED = Decimal(100)
TEN_THOUSAND = Decimal(10000)
# Bars of a completion chart stop here so one 900 % indicator does not flatten the rest.
COMPLETION_AXIS_MAX = Decimal(150)

# Patterns on the stacked bars so the statuses differ in more than colour (print, colour blindness).
STATUS_HATCHES: dict[Status, str] = {
    Status.ON_TRACK: "",
    Status.AT_RISK: "///",
    Status.OFF_TRACK: "xxx",
    Status.NO_ACTUAL: "",
}
GRADE_COLORS: dict[str, str] = {
    "excellent": "#2e7d32",
    "good": "#558b2f",
    "fair": "#f9a825",
    "poor": "#c62828",
}
# Status names printed beside the bars: the amber of "at risk" is too pale for text on white.
STATUS_TEXT_COLORS: dict[Status, str] = {**STATUS_COLORS, Status.AT_RISK: "#a86d00", Status.NO_ACTUAL: "#666666"}


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
    elapsed: Decimal = HUNDRED  # % of the year gone by at the period's end: what "on track" is measured against


class BudgetPeriod(NamedTuple):
    """Money spent in one period, the running total and that total as % of the full-year budget."""

    period: str
    label: str
    amount: Decimal
    cumulative: Decimal
    percent: Decimal | None
    expected: Decimal | None = None  # the budget's time-elapsed share (序时进度), in 元


class BudgetData(NamedTuple):
    """The funds block's numbers (元) and the spending by period behind them."""

    budget: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    score: Decimal
    points: Decimal
    periods: list[BudgetPeriod]
    as_of: str = YEAR  # before YEAR: the spending so far, read against time elapsed, not scored


class UnitScoreRow(NamedTuple):
    """One project's total and grade."""

    name: str
    total: Decimal
    grade_label: str
    grade: str


def short_label(text: str, limit: int = 16) -> str:
    """A tick label no longer than ``limit`` characters (the full name is in the sheet)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- data -------------------------------------------------------------------------------------


def completion_data(evaluation: ProjectEvaluation) -> list[CompletionRow]:
    """Per indicator, in sheet order: its completion and status at the evaluation's ``as_of``
    (``figures.standings``: the window's table, ``score`` and the monitoring form say the same)."""
    return [
        CompletionRow(s.name, s.percent, s.status, qualitative=s.qualitative) for s in figures.standings(evaluation)
    ]


def completion_title(evaluation: ProjectEvaluation, texts: ChartTexts = CHINESE) -> str:
    """The completion chart's title: plain at the year end, else naming the period and the rule."""
    if figures.is_year_end(evaluation.as_of):
        return texts.completion_title
    return texts.completion_title_progress.format(period=texts.period(evaluation.as_of))


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
    margin = rule_set(evaluation.rules).at_risk_margin
    rows: list[ProgressRow] = []
    for period in progress_periods(evaluation):
        counts = dict.fromkeys(Status, 0)
        for inp in inputs:
            counts[attainment(inp, period, evaluation.reporting, margin).status] += 1
        rows.append(ProgressRow(period, period_label(period), counts, _elapsed_percent(period)))
    return rows


def _elapsed_percent(period: str) -> Decimal:
    return figures.elapsed_percent(period)


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
        percent = figures.execution_rate(running, b.full_year_budget)
        expected = round_cents(b.full_year_budget * elapsed_share(code)) if b.full_year_budget is not None else None
        periods.append(BudgetPeriod(code, period_label(code), amount, running, percent, expected))
    return BudgetData(b.full_year_budget, b.executed, b.rate, b.score, b.points, periods, evaluation.as_of)


def unit_scores_data(evaluations: Sequence[ProjectEvaluation]) -> list[UnitScoreRow]:
    """Each project's total and grade, in the order given."""
    return [
        UnitScoreRow(e.declaration.name, e.score.total, e.score.grade_label, str(e.score.grade)) for e in evaluations
    ]


# -- drawing ----------------------------------------------------------------------------------


def _f(value: Decimal) -> float:
    """The one place a Decimal becomes a float: matplotlib's coordinates."""
    return float(value)


# The ticks' length in points (``_tidy``); a name stands where a tick label would, this and the pad left.
_TICK_LENGTH_PT = 2


def _tidy(ax: Axes) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=7, length=_TICK_LENGTH_PT)


def draw_completion(
    ax: Axes, rows: Sequence[CompletionRow], title: str | None = None, *, texts: ChartTexts = CHINESE
) -> None:
    """Horizontal bars of completion %, coloured by status and named beside it, with the 100 % line."""
    ys = list(range(len(rows)))
    widths = [_f(min(r.ratio_percent, COMPLETION_AXIS_MAX)) if r.ratio_percent is not None else 0 for r in rows]
    ax.barh(ys, widths, color=[STATUS_COLORS[r.status] for r in rows], height=0.62)
    for y, r in zip(ys, rows, strict=True):
        if r.ratio_percent is not None:
            # The true figure, never "200.00%+": a bar cut at the axis end has a broken end instead.
            value = f"{r.ratio_percent}%" + (texts.qualitative if r.qualitative else "")
        else:
            value = "" if r.status is Status.NO_ACTUAL else "—"
        x = _f(min(r.ratio_percent or Decimal(0), COMPLETION_AXIS_MAX))
        if r.ratio_percent is not None and r.ratio_percent > COMPLETION_AXIS_MAX:
            ax.plot([x - 4, x - 1], [y + 0.31, y - 0.31], color="white", linewidth=1.6)
            ax.plot([x - 7, x - 4], [y + 0.31, y - 0.31], color="white", linewidth=1.6)
        ax.text(x + 1.5, y, value, va="center", fontsize=6.5, color="#333333")
        # The status in words, in a column right of the plot: colour is never the only signal.
        ax.text(
            1.01,
            y,
            texts.status(r.status),
            transform=ax.get_yaxis_transform(),
            va="center",
            fontsize=6.5,
            color=STATUS_TEXT_COLORS[r.status],
        )
    ax.axvline(100, color="#555555", linewidth=0.8, linestyle="--")
    ax.text(100, 1.0, texts.target_line, transform=ax.get_xaxis_transform(), ha="center", va="bottom", fontsize=6)
    # The names are written left of their bars where tick labels would be, without the ticks: a tick
    # is five artists (two marks, a grid line, two labels) where a name needs one, and with a tick
    # per indicator, dropping them took a sixth off a report's time (30 projects: 5.8 s → 4.8 s).
    ax.set_yticks([])
    gap = (_TICK_LENGTH_PT + rcParams["ytick.major.pad"]) / 72
    beside = ax.get_yaxis_transform() + ScaledTranslation(-gap, 0, ax.figure.dpi_scale_trans)
    for y, r in zip(ys, rows, strict=True):
        ax.text(0, y, short_label(r.name), transform=beside, ha="right", va="center", fontsize=7)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, _f(COMPLETION_AXIS_MAX) + 25)
    ax.set_xticks([0, 25, 50, 75, 100, 125, 150])
    ax.set_xlabel(texts.completion_axis, fontsize=7)
    ax.set_title(title or texts.completion_title, fontsize=9, pad=14)
    _tidy(ax)


def draw_progress(
    ax: Axes, rows: Sequence[ProgressRow], title: str | None = None, *, texts: ChartTexts = CHINESE
) -> None:
    """Stacked bars: per period, how many indicators stood where against the time elapsed by then."""
    xs = list(range(len(rows)))
    bottoms = [0] * len(rows)
    for status in Status:
        heights = [r.counts[status] for r in rows]
        ax.bar(
            xs,
            heights,
            bottom=bottoms,
            color=STATUS_COLORS[status],
            hatch=STATUS_HATCHES[status],
            edgecolor="white",
            linewidth=0,
            label=texts.status(status),
            width=0.6,
        )
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    top = max([*bottoms, 1]) * 1.3
    for x, r in zip(xs, rows, strict=True):
        base = 0
        for status in Status:
            count = r.counts[status]
            # A count is written on its segment when the segment is tall enough to hold it.
            if count and count >= top * 0.07:
                box = {"boxstyle": "round,pad=0.15", "facecolor": STATUS_COLORS[status], "edgecolor": "none"}
                ax.text(
                    x, base + count / 2, str(count), ha="center", va="center", fontsize=6.5, color="white", bbox=box
                )
            base += count
    labels = [
        texts.period(r.period)
        + ("" if r.period == YEAR else "\n" + texts.elapsed_tick.format(share=_percent_text(r.elapsed)))
        for r in rows
    ]
    ax.set_xticks(xs, labels, fontsize=7)
    ax.set_ylabel(texts.progress_axis, fontsize=7)
    ax.set_ylim(0, top)
    ax.set_title(title or texts.progress_title, fontsize=9)
    ax.legend(fontsize=6.5, ncols=4, loc="upper center", frameon=False, handlelength=1.6)
    _tidy(ax)


def _percent_text(value: Decimal) -> str:
    """25 for 25.00, 58.33 for 58.33: the share as a person writes it."""
    return f"{value.normalize():f}"


def draw_budget(ax: Axes, data: BudgetData, title: str | None = None, *, texts: ChartTexts = CHINESE) -> None:
    """Cumulative spending by period (万元) against the time-elapsed share and the full-year budget."""
    codes = [p.period for p in data.periods]
    values = [p.cumulative for p in data.periods]
    expected = [p.expected for p in data.periods]
    if data.executed is not None and (not values or values[-1] != data.executed):
        codes.append(YEAR)
        values.append(data.executed)
        expected.append(data.budget)
    xs = list(range(len(values)))
    ax.bar(xs, [_f(v / TEN_THOUSAND) for v in values], color="#1565c0", width=0.55, label=texts.budget_executed)
    top = max([_f(v / TEN_THOUSAND) for v in values] + [1.0])
    if data.budget is not None:
        top = max(top, _f(data.budget / TEN_THOUSAND))
    for x, v in zip(xs, values, strict=True):
        # Inside the bar's top, in white, where the 序时进度 marker (drawn on top of the bar) is not:
        # above the bar the label sat under the marker. A bar too short to hold it gets it above.
        height = _f(v / TEN_THOUSAND)
        inside = height >= top * 0.12
        ax.text(
            x,
            height * 0.5 if inside else height,
            f"{round_cents(v / TEN_THOUSAND)}",
            ha="center",
            va="center" if inside else "bottom",
            fontsize=6.5,
            color="white" if inside else "#333333",
        )
    if data.budget is not None:
        level = _f(data.budget / TEN_THOUSAND)
        ax.axhline(level, color="#c62828", linewidth=0.9, linestyle="--", label=texts.budget_line)
        points = [(x, _f(e / TEN_THOUSAND)) for x, e in zip(xs, expected, strict=True) if e is not None]
        if points:
            ax.plot(
                [x for x, _ in points],
                [y for _, y in points],
                color="#333333",
                linewidth=0.8,
                linestyle=":",
                marker="D",
                markersize=3,
                label=texts.budget_elapsed,
            )
    # Headroom for the two-row legend: three entries in one row do not fit a narrow chart.
    ax.set_ylim(0, top * 1.4)
    ax.set_xticks(xs, [texts.period(c) for c in codes], fontsize=7)
    ax.set_ylabel(texts.budget_axis, fontsize=7)
    if not values:
        ax.text(0.5, 0.5, texts.budget_empty, transform=ax.transAxes, ha="center", va="center", fontsize=8)
    rate = f"{data.rate}%" if data.rate is not None else "—"
    if title is None and not figures.is_year_end(data.as_of):
        elapsed = f"{figures.elapsed_percent(data.as_of).normalize():f}"
        title = texts.budget_title_progress.format(rate=rate, period=texts.period(data.as_of), elapsed=elapsed)
    ax.set_title(title or texts.budget_title.format(rate=rate, score=data.score, points=data.points), fontsize=9)
    ax.legend(fontsize=6.5, loc="upper left", frameon=False, ncols=2)
    _tidy(ax)


def draw_unit_scores(
    ax: Axes, rows: Sequence[UnitScoreRow], title: str | None = None, *, texts: ChartTexts = CHINESE
) -> None:
    """Horizontal bars of each project's total, coloured by grade and named beside it, with the grade lines."""
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
    ax.set_xlabel(texts.units_axis, fontsize=7)
    ax.set_title(title or texts.units_title, fontsize=9)
    _tidy(ax)


# -- stand-alone figures ----------------------------------------------------------------------


def _figure(width: float, height: float) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def completion_chart(evaluation: ProjectEvaluation) -> Figure:
    """Completion of every indicator of a project."""
    rows = completion_data(evaluation)
    fig, ax = _figure(6.5, 1.2 + 0.22 * max(len(rows), 1))
    draw_completion(ax, rows, completion_title(evaluation))
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
