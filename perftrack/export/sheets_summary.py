"""The summary sheet (every project on one line, with totals) and its companion chart sheet.

The summary is a wide table, A4 landscape, with a frozen header, an autofilter and a totals row;
each project name links to its self-evaluation sheet. The chart sheet holds the score of every
project and the budget executed by quarter across all of them, so the summary prints as a
table alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from perftrack.domain.periods import QUARTERS
from perftrack.export import charts
from perftrack.export import styles as st
from perftrack.export.sheets_common import Grid, as_of_label, fraction, period_label, shorten
from perftrack.export.sheets_evaluation import indicator_counts
from perftrack.export.sheets_monitoring import ELAPSED, cumulative_rates, quarter_amounts
from perftrack.store.evaluation import ProjectEvaluation

COLUMNS = (
    ("序号", 5.0),
    ("项目名称", 32.0),
    ("实施单位", 20.0),
    ("年初预算数（元）", 14.0),
    ("全年预算数（元）", 14.0),
    ("全年执行数（元）", 14.0),
    ("执行率", 9.0),
    ("自评得分", 9.0),
    ("等级", 7.0),
    ("指标数", 7.0),
    ("达到\n指标值", 8.0),
    ("未达到", 7.0),
    ("未填报", 7.0),
    ("需说明\n偏差", 8.0),
    ("数据截至", 16.0),
    ("监控表", 8.0),
)
HEADER_ROW = 3
NAME_COL = 2
SCORE_COL = 8


def year_label(evaluations: Sequence[ProjectEvaluation]) -> str:
    """The budget years covered: "2024年度", "2023—2024年度", or "" when none is known."""
    years = sorted({ev.declaration.year for ev in evaluations if ev.declaration.year is not None})
    if not years:
        return ""
    return f"{years[0]}年度" if len(years) == 1 else f"{years[0]}—{years[-1]}年度"


def _link(cell_ref: str, sheet: str) -> Hyperlink:
    escaped = sheet.replace("'", "''")
    return Hyperlink(ref=cell_ref, location=f"'{escaped}'!A1")


def _total(values: Sequence[Decimal | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    return sum(known, Decimal(0)) if known else None


def write_summary_sheet(
    ws: Worksheet, evaluations: Sequence[ProjectEvaluation], sheet_names: Sequence[tuple[str, str]]
) -> None:
    """Fill ``ws`` with one line per project and a totals line."""
    grid = Grid(ws, [w for _, w in COLUMNS])
    last_col = len(COLUMNS)
    years = year_label(evaluations)
    grid.text(
        1,
        1,
        f"项目支出绩效自评汇总表（{years}）" if years else "项目支出绩效自评汇总表",
        st.TITLE,
        span=last_col,
    )
    grid.height(1, 30)
    grid.text(2, 1, f"共 {len(evaluations)} 个项目；金额单位：元", st.SUBTITLE, span=last_col)
    for col, (header, _) in enumerate(COLUMNS, start=1):
        grid.text(HEADER_ROW, col, header, st.HEADER)
    grid.height(HEADER_ROW, 32)
    row = HEADER_ROW
    for number, (ev, (evaluation_sheet, monitoring_sheet)) in enumerate(
        zip(evaluations, sheet_names, strict=True), start=1
    ):
        row += 1
        budget = ev.score.budget
        counts = indicator_counts(ev)
        grid.number(row, 1, number, st.COUNT_FORMAT, st.CENTER)
        name = grid.text(row, NAME_COL, ev.declaration.name, st.LINK)
        name.hyperlink = _link(name.coordinate, evaluation_sheet)
        grid.text(row, 3, ev.declaration.unit or "", st.TEXT)
        grid.number(row, 4, budget.initial_budget, st.MONEY_FORMAT, st.NUMBER)
        grid.number(row, 5, budget.full_year_budget, st.MONEY_FORMAT, st.NUMBER)
        grid.number(row, 6, budget.executed, st.MONEY_FORMAT, st.NUMBER)
        grid.number(row, 7, fraction(budget.rate), st.RATE_FORMAT, st.NUMBER)
        grid.number(row, SCORE_COL, ev.score.total, st.SCORE_FORMAT, st.NUMBER)
        grid.text(row, 9, ev.score.grade_label, st.CENTER)
        for col, count in enumerate(
            (counts.total, counts.met, counts.not_met, counts.missing, counts.needs_explanation), start=10
        ):
            grid.number(row, col, count, st.COUNT_FORMAT, st.CENTER)
        grid.text(row, 15, as_of_label(ev.as_of, ev.declaration.year).removeprefix("截至"), st.CENTER)
        link = grid.text(row, 16, "监控表", st.LINK)
        link.hyperlink = _link(link.coordinate, monitoring_sheet)
    last = row
    if evaluations:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(last_col)}{last}"
    _totals(grid, last + 1, evaluations)
    grid.finish()
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    st.setup_page(
        ws,
        landscape=True,
        title_rows=(HEADER_ROW, HEADER_ROW),
        print_area=f"A1:{get_column_letter(last_col)}{last + 1}",
        footer="项目支出绩效自评汇总表",
    )


def _totals(grid: Grid, row: int, evaluations: Sequence[ProjectEvaluation]) -> None:
    budgets = [ev.score.budget for ev in evaluations]
    grid.text(row, 1, "合计（得分为平均分）", st.TOTAL_LABEL, span=3)
    base = _total([b.full_year_budget for b in budgets])
    executed = _total([b.executed for b in budgets])
    grid.number(row, 4, _total([b.initial_budget for b in budgets]), st.MONEY_FORMAT, st.TOTAL_NUMBER)
    grid.number(row, 5, base, st.MONEY_FORMAT, st.TOTAL_NUMBER)
    grid.number(row, 6, executed, st.MONEY_FORMAT, st.TOTAL_NUMBER)
    # The overall rate counts only projects whose budget and spending are both known.
    both = [b for b in budgets if b.full_year_budget and b.executed is not None]
    known_base = _total([b.full_year_budget for b in both])
    known_spent = _total([b.executed for b in both])
    rate = known_spent / known_base if known_base and known_spent is not None else None
    grid.number(row, 7, rate, st.RATE_FORMAT, st.TOTAL_NUMBER)
    average = None
    if evaluations:
        average = (sum((ev.score.total for ev in evaluations), Decimal(0)) / len(evaluations)).quantize(Decimal("0.01"))
    grid.number(row, SCORE_COL, average, st.SCORE_FORMAT, st.TOTAL_NUMBER)
    grid.blank(row, 9, st.TOTAL_NUMBER)
    counts = [indicator_counts(ev) for ev in evaluations]
    for col, field in enumerate(("total", "met", "not_met", "missing", "needs_explanation"), start=10):
        grid.number(row, col, sum(getattr(c, field) for c in counts), st.COUNT_FORMAT, st.TOTAL_TEXT)
    grid.blank(row, 15, st.TOTAL_NUMBER)
    grid.blank(row, 16, st.TOTAL_NUMBER)


# Projects per score chart: more would make the bars and their names unreadably thin.
SCORES_PER_CHART = 20
# Portrait: the budget table, its chart under it, then the score charts, all one page wide.
CHART_SHEET_WIDTHS = [10.0, 16.0, 11.0, 11.0, 11.0, 11.0, 11.0, 11.0]
CHART_WIDTH_CM = 18.0
# Characters of a project name a chart's category label shows.
SHORT_NAME = 18


def write_chart_sheet(ws: Worksheet, evaluations: Sequence[ProjectEvaluation]) -> None:
    """Fill ``ws`` with the budget executed by quarter (all projects) and every project's score."""
    grid = Grid(ws, CHART_SHEET_WIDTHS)
    page = st.page_height_in_sheet_cm(CHART_SHEET_WIDTHS, landscape=False)
    years = year_label(evaluations)
    grid.text(1, 1, f"汇总图表（{years}）" if years else "汇总图表", st.TITLE, span=grid.columns)
    grid.height(1, 30)
    grid.text(3, 1, "一、全部项目分季度预算执行情况（元）", st.SECTION, span=grid.columns)
    header = 4
    for col, text in enumerate(("期间", "当期执行数", "累计执行率", "时间进度"), start=1):
        grid.text(header, col, text, st.HEADER)
    per_project = [quarter_amounts(ev) for ev in evaluations]
    amounts = [_total([p[i] for p in per_project]) for i in range(len(QUARTERS))]
    rates = cumulative_rates(amounts, _total([ev.score.budget.full_year_budget for ev in evaluations]))
    for index, quarter in enumerate(QUARTERS):
        r = header + 1 + index
        grid.text(r, 1, period_label(quarter), st.CENTER)
        grid.number(r, 2, amounts[index], st.MONEY_FORMAT, st.NUMBER)
        grid.number(r, 3, rates[index], st.RATE_FORMAT, st.NUMBER)
        grid.number(r, 4, ELAPSED[index], st.RATE_FORMAT, st.NUMBER)
    budget = charts.budget_chart(
        charts.Rows.below(ws, header, header + len(QUARTERS)),
        period_col=1,
        amount_col=2,
        rate_col=3,
        elapsed_col=4,
        title="全部项目分季度预算执行情况",
    )
    budget.width = CHART_WIDTH_CM
    chart_row = header + len(QUARTERS) + 2
    ws.add_chart(budget, f"A{chart_row}")
    row = grid.reserve(chart_row, budget.height) + 1
    page_top = 1
    chunks = range(0, len(evaluations), SCORES_PER_CHART)
    for number, first in enumerate(chunks, start=1):
        part = f"（{number}/{len(chunks)}）" if len(chunks) > 1 else ""
        start = row
        if number == 1:
            grid.text(row, 1, "二、各项目自评得分", st.SECTION, span=grid.columns)
            row += 1
        table = row
        row = _score_table(grid, row, evaluations, first)
        scores = charts.score_chart(
            charts.Rows.below(ws, table, row - 1),
            cat_col=2,
            value_col=5,
            title=f"各项目自评得分（满分100分）{part}",
        )
        scores.width = CHART_WIDTH_CM
        # A chart never splits across pages; it keeps its table with it when both fit on one.
        if grid.span_cm(page_top, row) + scores.height > page:
            together = start > page_top and grid.span_cm(start, row) + scores.height <= page
            page_top = start if together else row
            ws.row_breaks.append(Break(id=page_top - 1))
        ws.add_chart(scores, f"A{row + 1}")
        row = grid.reserve(row + 1, scores.height) + 1
    grid.finish()
    area = f"A1:{get_column_letter(grid.columns)}{row - 1}"
    st.setup_page(ws, landscape=False, print_area=area, footer="汇总图表")


def _score_table(grid: Grid, row: int, evaluations: Sequence[ProjectEvaluation], first: int) -> int:
    """The scores of up to SCORES_PER_CHART projects from ``first``; returns the row after it."""
    for col, text, span in ((1, "序号", 1), (2, "项目（简称）", 3), (5, "自评得分", 1), (6, "等级", 1)):
        grid.text(row, col, text, st.HEADER, span=span)
    for number, ev in enumerate(evaluations[first : first + SCORES_PER_CHART], start=first + 1):
        row += 1
        grid.number(row, 1, number, st.COUNT_FORMAT, st.CENTER)
        grid.text(row, 2, shorten(ev.declaration.name, SHORT_NAME), st.TEXT, span=3)
        grid.number(row, 5, ev.score.total, st.SCORE_FORMAT, st.NUMBER)
        grid.text(row, 6, ev.score.grade_label, st.CENTER)
    return row + 1
