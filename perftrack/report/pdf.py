"""The printed self-evaluation (项目支出绩效自评表) as an A4 PDF, drawn with matplotlib.

Each project's sheet becomes items of known height (``layout``), the items are placed on pages
without ever splitting a table row, and only then is anything drawn, so the footer knows the page
count. matplotlib rather than Qt or reportlab: it is already a dependency, needs no display, and
draws the charts onto the same pages as vectors. Fonts are embedded as TrueType (``pdf.fonttype``
42). ``build_report`` gives the laid-out pages, which the GUI's print preview draws too, so paper
and PDF never differ.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from perftrack.charts import figures
from perftrack.charts.fonts import require_cjk_fonts, wrap_text
from perftrack.domain.scoring import IndicatorScore
from perftrack.report.layout import (
    BODY_H,
    BODY_W,
    MUTED,
    PAD,
    Cell,
    Chart,
    Item,
    Page,
    Space,
    Table,
    fit_merged,
    page_figure,
    paginate,
    row,
    text,
)
from perftrack.store.evaluation import ProjectEvaluation

FILL, ALERT = "#ececec", "#b71c1c"
# Column widths in points; each table spans the body width.
INDICATOR_COLS = (44, 56, 104, 72, 70, 32, 32, 101.28)
FUNDS_COLS = (44, 83.28, 80, 80, 80, 40, 52, 52)
INFO_COLS = (64, 191.64, 64, 191.64)
GOAL_COLS = (44, 233.64, 233.64)
SUMMARY_COLS = (28, 183.28, 80, 80, 50, 45, 45)
# Settings every page is drawn under, on paper or on screen.
REPORT_RC: dict[str, object] = {"pdf.fonttype": 42, "axes.unicode_minus": False}


# -- the sheet --------------------------------------------------------------------------------


def _money(value: Decimal | None) -> str:
    return f"{value:,.2f}" if value is not None else ""


def _head(text: str, **kw: object) -> Cell:
    return Cell(text, align="center", fill=FILL, **kw)  # type: ignore[arg-type]


def _info_rows(ev: ProjectEvaluation) -> list[Item]:
    d = ev.declaration
    table = Table(INFO_COLS)
    return [
        row(table, [_head("项目名称"), Cell(d.name, span=3)]),
        row(table, [_head("主管部门"), Cell(d.department or ""), _head("实施单位"), Cell(d.unit or "")]),
    ]


def _funds_rows(ev: ProjectEvaluation) -> list[Item]:
    b, f = ev.score.budget, ev.declaration.funds
    table = Table(FUNDS_COLS)
    label = Cell("项目资金（元）", align="center", fill=FILL, vkey="funds")
    heads = ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    rows = [row(table, [label, _head(""), *[_head(h) for h in heads]], header=True)]
    rate = f"{b.rate}%" if b.rate is not None else "—"
    rows.append(
        row(
            table,
            [
                label,
                Cell("年度资金总额"),
                *[Cell(_money(v), align="right") for v in (b.initial_budget, b.full_year_budget, b.executed)],
                Cell(str(b.points), align="center"),
                Cell(rate, align="center"),
                Cell(str(b.score), align="center"),
            ],
        )
    )
    # Without an adjustment the full-year budget of each source is its declared amount; what
    # each source spent is not recorded, so that cell stays empty rather than guessed.
    unadjusted = b.full_year_budget == b.initial_budget
    for name, value in (
        ("其中：当年财政拨款", f.annual_appropriation),
        ("上年结转资金", f.annual_carryover),
        ("其他资金", f.annual_other),
    ):
        cells = [label, Cell(name), Cell(_money(value), align="right")]
        cells += [Cell(_money(value) if unadjusted else "", align="right"), Cell("")]
        cells += [Cell("—", align="center") for _ in range(3)]
        rows.append(row(table, cells))
    fit_merged(rows)  # type: ignore[arg-type]
    rows[-1].keep_with_next = False
    return rows


def _achievement_summary(ev: ProjectEvaluation) -> str:
    """The 实际完成情况 cell: what the numbers say, for the unit to expand on."""
    scores = ev.score.indicators
    missing = sum(1 for s in scores if s.missing_actual)
    full = sum(1 for s in scores if not s.missing_actual and s.score >= s.points)
    partial = len(scores) - missing - full
    rate = f"{ev.score.budget.rate}%" if ev.score.budget.rate is not None else "未填报"
    parts = [f"共{len(scores)}项绩效指标，{full}项达到年度指标值"]
    if partial:
        parts.append(f"{partial}项未完全达到")
    if missing:
        parts.append(f"{missing}项未填报实际完成值")
    return "，".join(parts) + f"；预算执行率{rate}。"


def _goal_rows(ev: ProjectEvaluation) -> list[Item]:
    table = Table(GOAL_COLS)
    label = Cell("年度总体目标", align="center", fill=FILL, vkey="goal")
    rows = [
        row(table, [label, _head("预期目标"), _head("实际完成情况")], header=True),
        row(table, [label, Cell(ev.declaration.annual_goal or ""), Cell(_achievement_summary(ev))]),
    ]
    fit_merged(rows)
    return rows  # type: ignore[return-value]


def _deviation_cell(s: IndicatorScore) -> Cell:
    parts = [t.strip() for t in (s.deviation_reason, s.measures) if t and t.strip()]
    if not parts:
        return Cell("待填写" if s.needs_explanation else "", size=7, color=ALERT)
    cell = Cell("；".join(parts), size=7)
    width = INDICATOR_COLS[-1] - 2 * PAD
    lines = wrap_text(cell.text, width, cell.size)
    if len(lines) > 4:
        # The full analysis follows the table; the cell keeps the sheet's rows short.
        cell.text = "".join(lines[:3])[:-1] + "…（详见下文）"
    return cell


def _indicator_rows(ev: ProjectEvaluation) -> list[Item]:
    table = Table(INDICATOR_COLS)
    heads = [
        "一级指标",
        "二级指标",
        "三级指标",
        "年度指标值",
        "实际完成值",
        "分值",
        "得分",
        "偏差原因分析及改进措施",
    ]
    rows = [row(table, [_head(h, size=7.5) for h in heads], header=True)]
    for s in ev.score.indicators:
        level1, level2 = s.level1 or "", s.level2 or ""
        cells = [
            Cell(level1, align="center", size=7.5, vkey=("l1", level1)),
            Cell(level2, align="center", size=7.5, vkey=("l2", level1, level2)),
            Cell(s.name),
            Cell(s.target_display, align="center"),
            Cell(s.actual_display() or "未填报", align="center", color="#000000" if s.actual else ALERT),
            Cell(str(s.points), align="center"),
            Cell(str(s.score), align="center"),
            _deviation_cell(s),
        ]
        rows.append(row(table, cells))
    rows.append(row(table, [_head("总分", span=5), _head("100"), _head(str(ev.score.total)), _head("")]))
    rows.append(row(table, [_head("自评等级", span=5), _head(ev.score.grade_label, span=3)]))
    fit_merged(rows[1:-2])
    # The total never starts a page alone: it goes with the last indicator and the grade.
    rows[-3].keep_with_next = rows[-2].keep_with_next = True
    return rows  # type: ignore[return-value]


def _deviation_items(ev: ProjectEvaluation) -> list[Item]:
    items: list[Item] = [Space(10), text("偏差原因分析及改进措施", 11, keep_with_next=True), Space(3)]
    needing = [s for s in ev.score.indicators if s.needs_explanation or s.deviation_reason or s.measures]
    if not needing:
        return [*items, text("各项指标均已得满分，且无超额完成30%以上的指标，无需说明偏差。", 8.5)]
    for n, s in enumerate(needing, start=1):
        actual = s.actual_display() or "未填报"
        head = f"{n}. {s.name}：年度指标值 {s.target_display}，实际完成值 {actual}，得分 {s.score}/{s.points}"
        items.append(text(head, 8.5, keep_with_next=True))
        if s.reasons:
            items.append(text("评分说明：" + "；".join(s.reasons), 7.5, indent=12, color=MUTED, keep_with_next=True))
        for label, value in (("偏差原因分析", s.deviation_reason), ("改进措施", s.measures)):
            written = (value or "").strip()
            color = "#000000" if written else ALERT
            items.append(text(f"{label}：{written or '（未填写）'}", 8, indent=12, color=color, keep_with_next=True))
        items[-1].keep_with_next = False
        items.append(Space(4))
    return items


def _chart_items(ev: ProjectEvaluation) -> list[Item]:
    completion = figures.completion_data(ev)
    height = min(BODY_H - 40, 56 + 13.0 * len(completion))
    # Room on the right for the status column the chart writes beside its bars.
    wide = (lambda ax: figures.draw_completion(ax, completion), (122, 28, BODY_W - 180, height - 56))
    half = (BODY_W - 60) / 2
    budget = figures.budget_data(ev)
    progress = figures.progress_data(ev)
    pair = [
        (lambda ax: figures.draw_budget(ax, budget), (34, 18, half - 24, 150)),
        (lambda ax: figures.draw_progress(ax, progress), (half + 84, 18, half - 24, 150)),
    ]
    return [
        Space(10),
        text("图表", 11, keep_with_next=True),
        Chart(height, [wide]),
        Chart(204, pair),
    ]


def project_items(ev: ProjectEvaluation) -> list[Item]:
    """One project's whole sheet, analyses and charts, as items to paginate."""
    items: list[Item] = [
        text("项目支出绩效自评表", 16, align="center"),
        text(f"（{ev.declaration.year or ''}年度）", 10.5, align="center"),
        Space(8),
        *_info_rows(ev),
        Space(6),
        *_funds_rows(ev),
        Space(6),
        *_goal_rows(ev),
        Space(6),
        *_indicator_rows(ev),
        *_deviation_items(ev),
    ]
    if ev.problems:
        items += [Space(8), text("数据提示", 9.5, keep_with_next=True)]
        items += [text(f"· {p}", 7.5, indent=8, color=MUTED) for p in ev.problems]
    return items + _chart_items(ev)


def summary_items(evaluations: Sequence[ProjectEvaluation], unit_label: str) -> list[Item]:
    """A first page listing every project's total, then the chart of totals."""
    years = sorted({str(e.declaration.year) for e in evaluations if e.declaration.year})
    table = Table(SUMMARY_COLS)
    heads = ["序号", "项目名称", "全年预算数（元）", "全年执行数（元）", "执行率", "总分", "等级"]
    rows: list[Item] = [row(table, [_head(h, size=7.5) for h in heads], header=True)]
    for n, e in enumerate(evaluations, start=1):
        b = e.score.budget
        rows.append(
            row(
                table,
                [
                    Cell(str(n), align="center"),
                    Cell(e.declaration.name),
                    Cell(_money(b.full_year_budget), align="right"),
                    Cell(_money(b.executed), align="right"),
                    Cell(f"{b.rate}%" if b.rate is not None else "—", align="center"),
                    Cell(str(e.score.total), align="center"),
                    Cell(e.score.grade_label, align="center"),
                ],
            )
        )
    scores = figures.unit_scores_data(evaluations)
    height = min(BODY_H - 80, 50 + 15.0 * len(scores))
    chart = Chart(height, [(lambda ax: figures.draw_unit_scores(ax, scores), (130, 16, BODY_W - 150, height - 48))])
    return [
        text("项目支出绩效自评汇总", 16, align="center"),
        text(f"（{'、'.join(years)}年度）　{unit_label}".rstrip(), 10.5, align="center"),
        Space(10),
        *rows,
        Space(14),
        chart,
    ]


def default_unit_label(evaluations: Sequence[ProjectEvaluation]) -> str:
    """The implementing unit when all projects share one, else their department, else nothing."""
    for attr in ("unit", "department"):
        values = {getattr(e.declaration, attr) or "" for e in evaluations}
        if len(values) == 1 and "" not in values:
            return values.pop()
    return ""


@dataclass(frozen=True, slots=True)
class Report:
    """A report laid out into pages, drawn one page at a time (under ``REPORT_RC``)."""

    pages: list[Page]
    footer: str
    date: dt.date

    def __len__(self) -> int:
        return len(self.pages)

    def figure(self, index: int) -> Figure:
        """Page ``index`` (from 0) drawn on an A4 Figure."""
        return page_figure(self.pages[index], index + 1, len(self.pages), self.footer, self.date)


def build_report(
    evaluations: Sequence[ProjectEvaluation], *, unit_label: str | None = None, date: dt.date | None = None
) -> Report:
    """Lay out the sheets of ``evaluations``: a summary page first when there are several.

    Raises ValueError without projects and FontNotFoundError without a Chinese font.
    """
    if not evaluations:
        raise ValueError("没有可打印的项目")
    require_cjk_fonts()
    label = unit_label if unit_label is not None else default_unit_label(evaluations)
    with matplotlib.rc_context(REPORT_RC):
        sections = [(e.declaration.name, project_items(e)) for e in evaluations]
        if len(evaluations) > 1:
            sections.insert(0, ("自评汇总", summary_items(evaluations, label)))
        return Report(paginate(sections), label, date or dt.date.today())


def write_report(
    evaluations: Sequence[ProjectEvaluation],
    path: Path,
    *,
    unit_label: str | None = None,
    date: dt.date | None = None,
) -> None:
    """Write the self-evaluation sheets of ``evaluations`` to an A4 PDF at ``path``.

    Raises ValueError without projects, FontNotFoundError without a Chinese font, OSError
    when the file cannot be written; a failed run leaves no half-written file behind.
    """
    report = build_report(evaluations, unit_label=unit_label, date=date)
    path = Path(path)
    handle, temp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".pdf", dir=path.parent)
    os.close(handle)
    try:
        metadata = {"Title": "项目支出绩效自评表", "Author": report.footer, "Creator": "perftrack"}
        with matplotlib.rc_context(REPORT_RC), PdfPages(temp, metadata=metadata) as pdf:
            for index in range(len(report)):
                pdf.savefig(report.figure(index))
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
