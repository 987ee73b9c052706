"""A project's 项目支出绩效自评表, laid out as units file it (domain.md §4), A4 portrait.

Title and project fields, the funds block with the budget-execution score, the year's goal
against what was done, the indicator table with level-1 and level-2 cells merged over their
rows, 总分 and the grade. Checks a person should look at go below the form, outside the print
area, so the printed sheet is the form alone.
"""

from __future__ import annotations

from decimal import Decimal

from perftrack.domain import figures
from perftrack.domain.evaluation import ProjectEvaluation
from perftrack.domain.scoring import IndicatorScore
from perftrack.export import styles as st
from perftrack.export.sheets_common import Grid, decimal_places, fraction, level_cells, money_amount
from perftrack.export.streamed import StreamedSheet

# 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施
WIDTHS = (9.0, 11.0, 22.0, 13.0, 13.0, 8.0, 8.0, 26.0)
INDICATOR_HEADERS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")
EXPLANATION_HEADER = "偏差原因分析及改进措施"
FUNDS_HEADERS = ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分")
HUNDRED = Decimal(100)
DASH = "—"
EVALUATION_TITLE = "项目支出绩效自评表"
TRIAL = "年中试算"


def explanation(score: IndicatorScore) -> tuple[str, bool]:
    """The 偏差原因分析及改进措施 cell, and whether it is a reminder rather than the user's text.

    A reminder says 待说明 exactly for the indicators ``figures.unexplained`` counts, and 待填报
    for those with no value yet.
    """
    parts: list[str] = []
    reason = (score.deviation_reason or "").strip()
    measures = (score.measures or "").strip()
    if reason:
        parts.append(f"偏差原因：{reason}")
    if measures:
        parts.append(f"改进措施：{measures}")
    deductions = [r for r in score.reasons if r.startswith("人工扣分")]
    if parts:
        return "\n".join(parts + deductions), False
    if figures.unexplained(score):
        return "待说明：" + "；".join(score.reasons), True
    if score.missing_actual:
        return "待填报：" + "；".join(score.reasons), True
    return "", False


def _actual(grid: Grid, row: int, col: int, score: IndicatorScore) -> None:
    actual = score.actual
    if actual is None or actual.is_empty:
        grid.text(row, col, "（未填报）", st.PENDING)
    elif actual.value is not None:
        fmt = st.value_format(decimal_places(actual.value), score.unit)
        grid.number(row, col, actual.value, fmt, st.NUMBER)
    else:
        grid.text(row, col, score.actual_display(), st.TEXT)


def _funds(grid: Grid, row: int, ev: ProjectEvaluation) -> int:
    budget = ev.score.budget
    money = ev.money_unit
    grid.text(row, 1, f"项目资金（{money}）", st.HEADER, span=2)
    for offset, header in enumerate(FUNDS_HEADERS):
        grid.text(row, 3 + offset, header, st.HEADER)
    row += 1
    grid.text(row, 1, "年度资金总额", st.LABEL, span=2)
    grid.number(row, 3, money_amount(budget.initial_budget, money), st.MONEY_FORMAT, st.NUMBER)
    grid.number(row, 4, money_amount(budget.full_year_budget, money), st.MONEY_FORMAT, st.NUMBER)
    grid.number(row, 5, money_amount(budget.executed, money), st.MONEY_FORMAT, st.NUMBER)
    grid.number(row, 6, budget.points, st.SCORE_FORMAT, st.NUMBER)
    grid.number(row, 7, fraction(budget.rate), st.RATE_FORMAT, st.NUMBER)
    grid.number(row, 8, budget.score, st.SCORE_FORMAT, st.NUMBER)
    # The 其中 rows: declared, full-year while the total is unadjusted, spent as recorded, own rate.
    for n, source in enumerate(figures.source_rows(ev)):
        row += 1
        grid.text(row, 1, f"其中：{source.label}" if n == 0 else source.label, st.LABEL, span=2)
        grid.number(row, 3, money_amount(source.initial, money), st.MONEY_FORMAT, st.NUMBER)
        grid.number(row, 4, money_amount(source.full_year, money), st.MONEY_FORMAT, st.NUMBER)
        grid.number(row, 5, money_amount(source.executed, money), st.MONEY_FORMAT, st.NUMBER)
        grid.text(row, 6, DASH, st.CENTER)
        grid.number(row, 7, fraction(source.rate), st.RATE_FORMAT, st.NUMBER)
        grid.text(row, 8, DASH, st.CENTER)
    return row + 1


def _goals(grid: Grid, row: int, ev: ProjectEvaluation) -> int:
    grid.text(row, 1, "年度总体目标", st.LABEL, span=2, rows=2)
    grid.text(row, 3, "预期目标", st.HEADER, span=3)
    grid.text(row, 6, "实际完成情况", st.HEADER, span=3)
    grid.text(row + 1, 3, ev.declaration.annual_goal or "", st.TEXT_TOP, span=3)
    grid.text(row + 1, 6, figures.achieved_text(ev), st.TEXT_TOP, span=3)
    return row + 2


def _indicators(grid: Grid, row: int, ev: ProjectEvaluation) -> int:
    for col, header in enumerate((*INDICATOR_HEADERS, EXPLANATION_HEADER), start=1):
        grid.text(row, col, header, st.HEADER)
    first = row + 1
    scores = ev.score.indicators
    level_cells(grid, first, scores)
    for offset, score in enumerate(scores):
        r = first + offset
        grid.text(r, 3, score.name, st.TEXT)
        grid.text(r, 4, score.target_display, st.CENTER)
        _actual(grid, r, 5, score)
        grid.number(r, 6, score.points, st.SCORE_FORMAT, st.NUMBER)
        grid.number(r, 7, score.score, st.SCORE_FORMAT, st.NUMBER)
        text, pending = explanation(score)
        grid.text(r, 8, text, st.PENDING if pending else st.TEXT)
    return first + len(scores)


def write_evaluation_sheet(ws: StreamedSheet, ev: ProjectEvaluation) -> None:
    """Fill ``ws`` with the project's self-evaluation form."""
    grid = Grid(ws, WIDTHS)
    decl = ev.declaration
    year_end = figures.is_year_end(ev.as_of)
    year = f"{decl.year}年度" if decl.year is not None else ""
    if year_end:
        title, subtitle = EVALUATION_TITLE, f"（{year}）" if year else ""
    else:
        # Before the year is over the sheet is a trial of the rules on the figures so far.
        title = f"{EVALUATION_TITLE}（{TRIAL}）"
        when = figures.as_of_label(ev.as_of, decl.year)
        subtitle = f"（{year + ' · ' if year else ''}{when}，按已填报数值试算，非年终自评）"
    grid.text(1, 1, title, st.TITLE, span=8)
    grid.height(1, 30)
    grid.text(2, 1, subtitle, st.SUBTITLE, span=8)
    grid.text(3, 1, "项目名称", st.LABEL, span=2)
    grid.text(3, 3, decl.name, st.TEXT, span=6)
    grid.text(4, 1, "主管部门", st.LABEL, span=2)
    grid.text(4, 3, decl.department or "", st.TEXT, span=2)
    grid.text(4, 5, "实施单位", st.LABEL)
    grid.text(4, 6, decl.unit or "", st.TEXT, span=3)
    row = _funds(grid, 5, ev)
    header = _goals(grid, row, ev)
    row = _indicators(grid, header, ev)
    grid.text(row, 1, "总分", st.TOTAL_LABEL, span=5)
    grid.number(row, 6, HUNDRED, st.SCORE_FORMAT, st.TOTAL_NUMBER)
    grid.number(row, 7, ev.score.total, st.SCORE_FORMAT, st.TOTAL_NUMBER)
    grid.blank(row, 8, st.TOTAL_NUMBER)
    row += 1
    grid.text(row, 1, "自评等级", st.TOTAL_LABEL, span=5)
    grid.text(row, 6, ev.score.grade_label, st.TOTAL_TEXT, span=3)
    last = row
    if ev.problems:
        row += 2
        grid.text(row, 1, "核对提示（不属于自评表，不打印）", st.SECTION, span=8)
        for note in dict.fromkeys(ev.problems):
            row += 1
            grid.text(row, 1, f"· {note}", st.NOTE, span=8)
    grid.finish()
    st.setup_page(
        ws,
        landscape=False,
        title_rows=(header, header),
        print_area=f"A1:H{last}",
        footer=decl.name,
        mark=figures.stage_mark(ev) + ("" if year_end else f" · {TRIAL}"),
    )
