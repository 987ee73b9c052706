"""The summary sheet (every project on one line, with totals) and its companion chart sheet.

The summary is a wide table, A4 landscape, with a frozen header, an autofilter and a totals row;
each project name links to its self-evaluation sheet. The chart sheet holds the score of every
project and the budget executed by quarter across all of them, so the summary prints as a
table alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.pagebreak import Break

from perftrack.domain import figures
from perftrack.domain.evaluation import ProjectEvaluation
from perftrack.domain.figures import as_of_label, period_label
from perftrack.domain.model import Declaration
from perftrack.domain.periods import QUARTERS
from perftrack.domain.scoring import ProjectScore
from perftrack.export import charts
from perftrack.export import styles as st
from perftrack.export.sheets_common import Grid, fraction, money_amount, money_unit_of, shorten
from perftrack.export.sheets_monitoring import ELAPSED, cumulative_rates, quarter_amounts
from perftrack.export.streamed import StreamedSheet

COLUMNS = (
    ("序号", 5.0),
    ("项目名称", 32.0),
    ("实施单位", 20.0),
    ("年初预算数（元）", 14.0),
    ("全年预算数（元）", 14.0),
    ("全年执行数（元）", 14.0),
    ("执行率", 9.0),
    ("自评得分", 9.0),
    ("等级", 10.0),
    ("指标数", 7.0),
    ("达到\n指标值", 8.0),
    ("未达到", 7.0),
    ("未填报", 7.0),
    ("需说明\n偏差", 8.0),
    ("其中\n待说明", 8.0),
    ("进度\n偏离目标", 8.0),
    ("数据截至", 18.0),
    ("监控表", 8.0),
)
# The count columns: year-end counts, the explanations, and the progress status off track.
COUNT_COLUMNS = ("total", "reached", "not_reached", "not_reported", "needed", "unexplained", "off_track")
HEADER_ROW = 3
NAME_COL = 2
SCORE_COL = 8
FIRST_COUNT_COL = 10
AS_OF_COL = FIRST_COUNT_COL + 7
MONITORING_COL = AS_OF_COL + 1


def year_label(evaluations: Projects) -> str:
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


@dataclass(frozen=True, slots=True)
class ProjectLine:
    """What the summary and chart sheets show of a project, kept while the projects stream by:
    its evaluation without the indicators (a few hundred bytes where the whole is tens of kB)."""

    declaration: Declaration  # without its indicators and goals
    score: ProjectScore  # the total, the grade and the money, without the indicators
    as_of: str
    reporting: str
    budget_by_period: dict[str, Decimal]
    money_unit: str
    counts: dict[str, int]

    @classmethod
    def of(cls, ev: ProjectEvaluation) -> ProjectLine:
        return cls(
            declaration=replace(ev.declaration, indicators=[], reported=[], project_goal=None, annual_goal=None),
            score=replace(ev.score, indicators=[], problems=[]),
            as_of=ev.as_of,
            reporting=ev.reporting,
            budget_by_period=ev.budget_by_period,
            money_unit=ev.money_unit,
            counts=counts(ev),
        )


Projects = Sequence[ProjectEvaluation] | Sequence[ProjectLine]


def counts(ev: ProjectEvaluation | ProjectLine) -> dict[str, int]:
    """The summary's count columns for one project, each from its one function in ``figures``."""
    if isinstance(ev, ProjectLine):
        return ev.counts
    year_end = figures.year_end_counts(ev.score)
    explained = figures.explanation_counts(ev.score)
    return {
        "total": year_end.total,
        "reached": year_end.reached,
        "not_reached": year_end.not_reached,
        "not_reported": year_end.not_reported,
        "needed": explained.needed,
        "unexplained": explained.unexplained,
        "off_track": figures.progress_counts(ev).off_track,
    }


def stage_of(evaluations: Projects) -> tuple[str, str, str]:
    """The summary's title, the line under it and the mark on every page: a self-evaluation when
    every project stands at the year end, a monitoring summary when none does, else both, said."""
    years = year_label(evaluations)
    in_years = f"（{years}）" if years else ""
    money = money_unit_of(evaluations)
    midyear = [ev for ev in evaluations if not figures.is_year_end(ev.as_of)]
    count = f"共 {len(evaluations)} 个项目"
    if not midyear:
        return f"项目支出绩效自评汇总表{in_years}", f"{count}；金额单位：{money}", f"{years} 年终自评".strip()
    dates = {figures.as_of_label(ev.as_of, ev.declaration.year) for ev in midyear}
    when = dates.pop() if len(dates) == 1 else "截至各项目“数据截至”所列期间"
    if len(midyear) == len(evaluations):
        title = f"项目绩效运行监控汇总表（{years + ' · ' if years else ''}{when}）"
        line = f"{count}；年度执行中的运行监控，得分为按已填报数值的试算，非年终自评；金额单位：{money}"
        return title, line, f"运行监控 {when}（非年终自评）"
    line = (
        f"{count}；其中 {len(midyear)} 个项目尚在年中（{when}），其得分为按已填报数值的试算，非年终自评；"
        f"金额单位：{money}"
    )
    return f"项目支出绩效自评汇总表{in_years}", line, f"{years} 年终自评（{len(midyear)} 个项目为年中试算）".strip()


def write_summary_sheet(
    ws: StreamedSheet, evaluations: Projects, sheet_names: Sequence[tuple[str, str]] | None
) -> None:
    """Fill ``ws`` with one line per project and a totals line; each name links to its project's
    sheets, or without ``sheet_names`` (a summary alone) is plain text and 监控表 is left out."""
    columns = COLUMNS if sheet_names is not None else COLUMNS[: MONITORING_COL - 1]
    grid = Grid(ws, [w for _, w in columns])
    last_col = len(columns)
    title, line, mark = stage_of(evaluations)
    grid.text(1, 1, title, st.TITLE, span=last_col)
    grid.height(1, 30)
    grid.text(2, 1, line, st.SUBTITLE, span=last_col)
    money = money_unit_of(evaluations)
    for col, (header, _) in enumerate(columns, start=1):
        grid.text(HEADER_ROW, col, header.replace("（元）", f"（{money}）"), st.HEADER)
    grid.height(HEADER_ROW, 32)
    row = HEADER_ROW
    links = sheet_names if sheet_names is not None else [None] * len(evaluations)
    for number, (ev, sheets) in enumerate(zip(evaluations, links, strict=True), start=1):
        row += 1
        budget = ev.score.budget
        year_end = figures.is_year_end(ev.as_of)
        grid.number(row, 1, number, st.COUNT_FORMAT, st.CENTER)
        name = grid.text(row, NAME_COL, ev.declaration.name, st.LINK if sheets else st.TEXT)
        if sheets:
            name.hyperlink = _link(name.coordinate, sheets[0])
        grid.text(row, 3, ev.declaration.unit or "", st.TEXT)
        grid.number(row, 4, money_amount(budget.initial_budget, money), st.MONEY_FORMAT, st.NUMBER)
        grid.number(row, 5, money_amount(budget.full_year_budget, money), st.MONEY_FORMAT, st.NUMBER)
        grid.number(row, 6, money_amount(budget.executed, money), st.MONEY_FORMAT, st.NUMBER)
        grid.number(row, 7, fraction(budget.rate), st.RATE_FORMAT, st.NUMBER)
        grid.number(row, SCORE_COL, ev.score.total, st.SCORE_FORMAT, st.NUMBER)
        grid.text(row, 9, ev.score.grade_label if year_end else f"{ev.score.grade_label}（试算）", st.CENTER)
        for col, key in enumerate(COUNT_COLUMNS, start=FIRST_COUNT_COL):
            grid.number(row, col, counts(ev)[key], st.COUNT_FORMAT, st.CENTER)
        when = as_of_label(ev.as_of, ev.declaration.year).removeprefix("截至")
        grid.text(row, AS_OF_COL, when if year_end else f"{when}（试算）", st.CENTER)
        if sheets:
            link = grid.text(row, MONITORING_COL, "监控表", st.LINK)
            link.hyperlink = _link(link.coordinate, sheets[1])
    last = row
    if evaluations:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(last_col)}{last}"
    end = _totals(grid, last + 1, evaluations)
    grid.finish()
    ws.freeze_panes = f"C{HEADER_ROW + 1}"
    st.setup_page(
        ws,
        landscape=True,
        title_rows=(HEADER_ROW, HEADER_ROW),
        print_area=f"A1:{get_column_letter(last_col)}{end}",
        footer=title.split("（")[0],
        mark=mark,
    )


def _totals(grid: Grid, row: int, evaluations: Projects) -> int:
    """The totals row (and a note under it when some projects have no spending); returns its last row."""
    totals = figures.budget_totals([ev.score.budget for ev in evaluations])
    money = money_unit_of(evaluations)
    grid.text(row, 1, "合计（得分为平均分）", st.TOTAL_LABEL, span=3)
    grid.number(row, 4, money_amount(totals.initial, money), st.MONEY_FORMAT, st.TOTAL_NUMBER)
    grid.number(row, 5, money_amount(totals.full_year, money), st.MONEY_FORMAT, st.TOTAL_NUMBER)
    grid.number(row, 6, money_amount(totals.executed, money), st.MONEY_FORMAT, st.TOTAL_NUMBER)
    # The rate of the two totals beside it, so a reader can check it by dividing them.
    grid.number(row, 7, fraction(totals.rate), st.RATE_FORMAT, st.TOTAL_NUMBER)
    grid.number(
        row, SCORE_COL, figures.average_total([ev.score for ev in evaluations]), st.SCORE_FORMAT, st.TOTAL_NUMBER
    )
    grid.blank(row, 9, st.TOTAL_NUMBER)
    all_counts = [counts(ev) for ev in evaluations]
    for col, key in enumerate(COUNT_COLUMNS, start=FIRST_COUNT_COL):
        grid.number(row, col, sum(c[key] for c in all_counts), st.COUNT_FORMAT, st.TOTAL_TEXT)
    grid.blank(row, AS_OF_COL, st.TOTAL_NUMBER)
    if grid.columns >= MONITORING_COL:
        grid.blank(row, MONITORING_COL, st.TOTAL_NUMBER)
    if not totals.without_spending:
        return row
    note = (
        f"注：合计执行率 = 全年执行数合计 ÷ 全年预算数合计；{totals.without_spending} 个项目尚未填报执行数，"
        "其预算计入全年预算数合计，执行数未计入。"
    )
    grid.text(row + 1, 1, note, st.NOTE, span=grid.columns)
    return row + 1


# Projects per score chart: more would make the bars and their names unreadably thin.
SCORES_PER_CHART = 20
# Portrait: the budget table, its chart under it, then the score charts, all one page wide.
CHART_SHEET_WIDTHS = [10.0, 16.0, 11.0, 11.0, 11.0, 11.0, 11.0, 11.0]
CHART_WIDTH_CM = 18.0
# Characters of a project name a chart's category label shows.
SHORT_NAME = 18


def write_chart_sheet(ws: StreamedSheet, evaluations: Projects) -> None:
    """Fill ``ws`` with the budget executed by quarter (all projects) and every project's score."""
    grid = Grid(ws, CHART_SHEET_WIDTHS)
    page = st.page_height_in_sheet_cm(CHART_SHEET_WIDTHS, landscape=False)
    years = year_label(evaluations)
    grid.text(1, 1, f"汇总图表（{years}）" if years else "汇总图表", st.TITLE, span=grid.columns)
    grid.height(1, 30)
    money = money_unit_of(evaluations)
    grid.text(3, 1, f"一、全部项目分季度预算执行情况（{money}）", st.SECTION, span=grid.columns)
    header = 4
    for col, text in enumerate(("期间", "当期执行数", "累计执行率", "时间进度"), start=1):
        grid.text(header, col, text, st.HEADER)
    per_project = [quarter_amounts(ev) for ev in evaluations]
    amounts = [_total([p[i] for p in per_project]) for i in range(len(QUARTERS))]
    rates = cumulative_rates(amounts, _total([ev.score.budget.full_year_budget for ev in evaluations]))
    for index, quarter in enumerate(QUARTERS):
        r = header + 1 + index
        grid.text(r, 1, period_label(quarter), st.CENTER)
        grid.number(r, 2, money_amount(amounts[index], money), st.MONEY_FORMAT, st.NUMBER)
        grid.number(r, 3, rates[index], st.RATE_FORMAT, st.NUMBER)
        grid.number(r, 4, ELAPSED[index], st.RATE_FORMAT, st.NUMBER)
    budget = charts.budget_chart(
        charts.Rows.below(ws, header, header + len(QUARTERS)),
        period_col=1,
        amount_col=2,
        rate_col=3,
        elapsed_col=4,
        title="全部项目分季度预算执行情况",
        money_unit=money,
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
            trial = any(not figures.is_year_end(ev.as_of) for ev in evaluations)
            heading = "二、各项目自评得分" + ("（年中项目为按已填报数值的试算）" if trial else "")
            grid.text(row, 1, heading, st.SECTION, span=grid.columns)
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
    st.setup_page(ws, landscape=False, print_area=area, footer="汇总图表", mark=stage_of(evaluations)[2])


def _score_table(grid: Grid, row: int, evaluations: Projects, first: int) -> int:
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
