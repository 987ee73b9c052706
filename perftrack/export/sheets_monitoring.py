"""A project's progress through the year, shaped like the mid-year monitoring form (domain.md §3).

Page one is the overview: budget execution by quarter against time elapsed, and each
quantitative indicator's completion against 100 %, each a table with its native chart. Then
(on a new page unless it fits, its header rows repeated on every page) the indicator table: every period's actual,
the value to date, what time elapsed would expect, the projected year end, a status (a pale
fill and its label), and the cause and measure for a deviation. A4 landscape.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from perftrack.domain import figures
from perftrack.domain.attainment import PeriodValue, Status, Tier
from perftrack.domain.evaluation import IndicatorEvaluation, ProjectEvaluation
from perftrack.domain.figures import as_of_label, period_label
from perftrack.domain.periods import MONTHS, QUARTERS, YEAR, normalize_period, periods_for
from perftrack.domain.units import Rollup
from perftrack.export import charts
from perftrack.export import styles as st
from perftrack.export.sheets_common import Grid, decimal_places, fraction, level_cells, money_amount, shorten
from perftrack.export.streamed import StreamedSheet

SHORT_TIER = {Tier.ACHIEVED: "达成", Tier.PARTLY: "部分达成", Tier.NOT_ACHIEVED: "未达成"}
ELAPSED = (Decimal("0.25"), Decimal("0.5"), Decimal("0.75"), Decimal(1))
LEAD_WIDTHS = (8.0, 10.0, 22.0, 12.0)
TAIL = (
    ("全年\n（年末填报）", 10.0),
    ("累计完成", 11.0),
    ("按时间进度\n应完成", 11.0),
    ("完成率", 9.0),
    ("全年预计\n完成值", 11.0),
    ("状态", 8.0),
    ("完成目标\n可能性", 9.0),
    ("偏差原因", 18.0),
    ("改进措施", 18.0),
)
# Charts sit to the right of their tables (which use columns A–E), as wide as the page allows.
CHART_COL = 7
CHART_WIDTH_CM = 20.0


def quarter_amounts(ev: ProjectEvaluation) -> list[Decimal | None]:
    """Money executed in each quarter: recorded quarters, else the months added up by quarter."""
    amounts = {normalize_period(k): v for k, v in ev.budget_by_period.items()}
    has_quarters = any(code in QUARTERS for code in amounts)
    has_months = any(code in MONTHS for code in amounts)
    use_months = has_months and (not has_quarters or ev.reporting == "monthly")
    result: list[Decimal | None] = []
    for index, quarter in enumerate(QUARTERS):
        if use_months:
            months = [amounts[m] for m in MONTHS[3 * index : 3 * index + 3] if m in amounts]
            result.append(sum(months, Decimal(0)) if months else None)
        else:
            result.append(amounts.get(quarter))
    return result


def cumulative_rates(amounts: list[Decimal | None], budget: Decimal | None) -> list[Decimal | None]:
    """Share of the budget spent by the end of each quarter, up to the last quarter with a figure."""
    recorded = [i for i, a in enumerate(amounts) if a is not None]
    if not budget or not recorded:
        return [None] * len(amounts)
    rates: list[Decimal | None] = []
    total = Decimal(0)
    for index, amount in enumerate(amounts):
        total += amount or Decimal(0)
        rates.append(total / budget if index <= recorded[-1] else None)
    return rates


def _value(grid: Grid, row: int, col: int, pv: PeriodValue | None, ie: IndicatorEvaluation) -> None:
    if pv is None or pv.is_empty:
        grid.blank(row, col, st.NUMBER)
    elif pv.value is not None and ie.rollup is not Rollup.QUALITATIVE:
        grid.number(row, col, pv.value, st.value_format(decimal_places(pv.value), ie.target.unit), st.NUMBER)
    elif pv.tier is not None:
        grid.text(row, col, SHORT_TIER[pv.tier], st.CENTER)
    else:
        grid.blank(row, col, st.NUMBER)


def _derived(grid: Grid, row: int, col: int, value: Decimal | None, ie: IndicatorEvaluation) -> None:
    """A value perftrack worked out (to date, expected, projected), shown like the target."""
    if value is None:
        grid.blank(row, col, st.NUMBER)
        return
    goal = ie.target.value
    places = max(decimal_places(goal, 2) if goal is not None else 0, decimal_places(value, 2))
    grid.number(row, col, value, st.value_format(places, ie.target.unit), st.NUMBER)


def _budget_section(grid: Grid, row: int, ev: ProjectEvaluation) -> int:
    ws = grid.ws
    budget = ev.score.budget
    money = ev.money_unit
    grid.text(row, 1, f"一、预算执行情况（{money}）", st.SECTION, span=4)
    row += 1
    grid.text(row, 1, "全年预算数", st.LABEL, span=2)
    grid.number(row, 3, money_amount(budget.full_year_budget, money), st.MONEY_FORMAT, st.NUMBER)
    row += 1
    header = row
    for col, text in ((1, "期间"), (3, "当期执行数"), (4, "累计执行率"), (5, "时间进度")):
        grid.text(row, col, text, st.HEADER, span=2 if col == 1 else 1)
    amounts = quarter_amounts(ev)
    rates = cumulative_rates(amounts, budget.full_year_budget)
    for index, quarter in enumerate(QUARTERS):
        row += 1
        grid.text(row, 1, period_label(quarter), st.CENTER, span=2)
        grid.number(row, 3, money_amount(amounts[index], money), st.MONEY_FORMAT, st.NUMBER)
        grid.number(row, 4, rates[index], st.RATE_FORMAT, st.NUMBER)
        grid.number(row, 5, ELAPSED[index], st.RATE_FORMAT, st.NUMBER)
    last = row
    row += 1
    grid.text(row, 1, "全年执行数", st.TOTAL_LABEL, span=2)
    grid.number(row, 3, money_amount(budget.executed, money), st.MONEY_FORMAT, st.TOTAL_NUMBER)
    grid.number(row, 4, fraction(budget.rate), st.RATE_FORMAT, st.TOTAL_NUMBER)
    grid.blank(row, 5, st.TOTAL_NUMBER)
    chart = charts.budget_chart(
        charts.Rows.below(ws, header, last),
        period_col=1,
        amount_col=3,
        rate_col=4,
        elapsed_col=5,
        title="分季度预算执行情况",
        money_unit=money,
    )
    chart.width = CHART_WIDTH_CM
    ws.add_chart(chart, f"{get_column_letter(CHART_COL)}{header - 1}")
    return max(row + 1, grid.reserve(header - 1, chart.height)) + 1


def _completion_section(grid: Grid, row: int, ev: ProjectEvaluation, max_height: float) -> int:
    pairs = [
        (standing, s)
        for ie, s, standing in zip(ev.indicators, ev.score.indicators, figures.standings(ev), strict=True)
        if ie.target.is_quantitative and ie.target.value is not None and ie.rollup is not Rollup.QUALITATIVE
    ]
    if not pairs:
        return row
    label = as_of_label(ev.as_of, ev.declaration.year)
    grid.text(row, 1, f"二、定量指标完成率（{label}，以年度指标值为100%）", st.SECTION, span=6)
    row += 1
    header = row
    grid.text(row, 1, "指标", st.HEADER, span=3)
    grid.text(row, 4, "完成率", st.HEADER)
    grid.text(row, 5, "目标", st.HEADER)
    for number, (standing, score) in enumerate(pairs, start=1):
        row += 1
        grid.text(row, 1, f"{number}. {shorten(score.name, 18)}", st.TEXT, span=3)
        grid.number(row, 4, fraction(standing.percent), st.RATE_FORMAT, st.NUMBER)
        grid.number(row, 5, Decimal(1), st.RATE_FORMAT, st.NUMBER)
    largest = max((fraction(standing.percent) or Decimal(0) for standing, _ in pairs), default=Decimal(0))
    chart = charts.completion_chart(
        charts.Rows.below(grid.ws, header, row),
        cat_col=1,
        value_col=4,
        target_col=5,
        title="定量指标完成率",
        largest=largest,
        max_height=max_height,
    )
    chart.width = CHART_WIDTH_CM
    grid.ws.add_chart(chart, f"{get_column_letter(CHART_COL)}{header}")
    return max(row + 1, grid.reserve(header, chart.height)) + 1


def _explanations(ie: IndicatorEvaluation, ev: ProjectEvaluation, index: int) -> tuple[str, str]:
    score = ev.score.indicators[index]
    cause = getattr(ie, "monitor_cause", None) or ""
    reason = (score.deviation_reason or "").strip()
    cause_text = "：".join(part for part in (cause, reason) if part)
    measure = (getattr(ie, "monitor_measure", None) or score.measures or "").strip()
    return cause_text, measure


def _indicator_table(grid: Grid, row: int, ev: ProjectEvaluation, periods: tuple[str, ...]) -> tuple[int, int]:
    grid.text(row, 1, "三、绩效指标完成情况", st.SECTION, span=6)
    row += 1
    head = row
    for col, text in enumerate(("一级指标", "二级指标", "三级指标", "年度指标值"), start=1):
        grid.text(row, col, text, st.HEADER, rows=2)
    first_period = len(LEAD_WIDTHS) + 1
    grid.text(row, first_period, "各期填报值", st.HEADER, span=len(periods))
    for offset, period in enumerate(periods):
        grid.text(row + 1, first_period + offset, period_label(period), st.HEADER)
    tail = first_period + len(periods)
    for offset, (text, _) in enumerate(TAIL):
        grid.text(row, tail + offset, text, st.HEADER, rows=2)
    grid.height(row, 30)
    grid.height(row + 1, 20)
    first = row + 2
    scores = ev.score.indicators
    level_cells(grid, first, scores)
    standings = figures.standings(ev)
    for index, (ie, score) in enumerate(zip(ev.indicators, scores, strict=True)):
        r = first + index
        values = {normalize_period(k): v for k, v in ie.periods.items()}
        grid.text(r, 3, score.name, st.TEXT)
        grid.text(r, 4, score.target_display, st.CENTER)
        for offset, period in enumerate(periods):
            _value(grid, r, first_period + offset, values.get(period), ie)
        _value(grid, r, tail, values.get(YEAR), ie)
        att = ie.attainment
        if att.tier is not None or (att.ytd is None and att.expected_to_date is None):
            grid.text(r, tail + 1, SHORT_TIER[att.tier] if att.tier else "", st.CENTER)
            grid.text(r, tail + 2, "—", st.CENTER)
        else:
            _derived(grid, r, tail + 1, att.ytd, ie)
            _derived(grid, r, tail + 2, att.expected_to_date, ie)
        standing = standings[index]
        grid.number(
            r, tail + 3, None if standing.qualitative else fraction(standing.percent), st.RATE_FORMAT, st.NUMBER
        )
        _derived(grid, r, tail + 4, att.projected, ie)
        grid.text(r, tail + 5, standing.status.label, st.status_style(standing.status))
        grid.text(r, tail + 6, getattr(ie, "monitor_chance", None) or "", st.CENTER)
        cause, measure = _explanations(ie, ev, index)
        if not cause and standing.status in (Status.AT_RISK, Status.OFF_TRACK):
            grid.text(r, tail + 7, "待说明", st.PENDING)
        else:
            grid.text(r, tail + 7, cause, st.TEXT)
        grid.text(r, tail + 8, measure, st.TEXT)
    return head, first + len(scores) - 1


def write_monitoring_sheet(ws: StreamedSheet, ev: ProjectEvaluation) -> None:
    """Fill ``ws`` with the project's quarterly progress, in the monitoring form's shape."""
    periods = periods_for(ev.reporting)
    period_width = 10.0 if len(periods) == 4 else 8.0
    widths = [*LEAD_WIDTHS, *([period_width] * len(periods)), *(w for _, w in TAIL)]
    grid = Grid(ws, widths)
    decl = ev.declaration
    last_col = grid.columns
    grid.text(1, 1, "项目绩效运行监控表", st.TITLE, span=last_col)
    grid.height(1, 30)
    grid.text(2, 1, f"（{as_of_label(ev.as_of, decl.year)}）", st.SUBTITLE, span=last_col)
    grid.text(3, 1, "项目名称", st.LABEL, span=2)
    grid.text(3, 3, decl.name, st.TEXT, span=2)
    grid.text(3, 5, "实施单位", st.LABEL, span=2)
    grid.text(3, 7, decl.unit or "", st.TEXT, span=4)
    grid.text(3, 11, "填报周期", st.LABEL, span=2)
    grid.text(3, 13, "按月" if ev.reporting == "monthly" else "按季度", st.CENTER, span=last_col - 12)
    budget_end = _budget_section(grid, 5, ev)
    page = st.page_height_in_sheet_cm(widths, landscape=True)
    row = _completion_section(grid, budget_end, ev, max_height=page - 2)
    head, last = _indicator_table(grid, row, ev, periods)
    # Decided once every column has its final width (numbers may have widened some).
    page = st.page_height_in_sheet_cm(grid.widths, landscape=True)
    # A section that would not fit under the one before starts a new page; charts never split.
    page_top = 1
    if row > budget_end and grid.span_cm(page_top, row - 1) > page:
        ws.row_breaks.append(Break(id=budget_end - 1))
        page_top = budget_end
    if grid.span_cm(page_top, last) > page:
        ws.row_breaks.append(Break(id=row - 1))
    grid.finish()
    st.setup_page(
        ws,
        landscape=True,
        title_rows=(head, head + 1),
        print_area=f"A1:{get_column_letter(last_col)}{last}",
        footer=decl.name,
        mark=f"运行监控 {as_of_label(ev.as_of, decl.year)}",
    )
