"""The printed self-evaluation (项目支出绩效自评表) and monitoring report as an A4 PDF.

Each project's sheet becomes items of known height (``layout``), the items are placed on pages
without ever splitting a table row, and each page is drawn as soon as it is placed (``writer``:
ReportLab, the CJK font embedded as a subset; the module says why ReportLab), with the charts
drawn by matplotlib as vectors onto the same pages (``vector``). ``write_report`` takes the
projects' evaluations as they come and keeps only each project's totals for the summary, so
memory stays flat however many projects are printed. The GUI's print preview and printer show
the pages of the written PDF, so paper and PDF never differ.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import matplotlib

from perftrack.charts import figures
from perftrack.domain import figures as facts
from perftrack.domain.attainment import Status, Tier
from perftrack.domain.evaluation import ProjectEvaluation
from perftrack.domain.numbers import YUAN, format_money
from perftrack.domain.scoring import IndicatorScore
from perftrack.files import AtomicFile
from perftrack.report.fonts import report_fonts, wrap_text
from perftrack.report.layout import (
    BODY_H,
    BODY_W,
    MUTED,
    PAD,
    Cell,
    Chart,
    Item,
    Page,
    Section,
    Space,
    Table,
    fit_merged,
    paginate,
    row,
    text,
)
from perftrack.report.writer import ChartDrawer, PdfWriter

FILL, ALERT = "#ececec", "#b71c1c"
# Column widths in points; each table spans the body width.
INDICATOR_COLS = (44, 56, 104, 72, 70, 32, 32, 101.28)
FUNDS_COLS = (44, 83.28, 80, 80, 80, 40, 52, 52)
INFO_COLS = (64, 191.64, 64, 191.64)
GOAL_COLS = (44, 233.64, 233.64)
SUMMARY_COLS = (28, 183.28, 80, 80, 50, 45, 45)
# With projects under monitoring the last column holds their date (截至2024年二季度末).
WATCHED_SUMMARY_COLS = (28, 158.28, 80, 80, 50, 45, 70)
EVALUATION_TITLE = "项目支出绩效自评表"
MONITORING_TITLE = "项目绩效运行监控表"
SUMMARY_TITLE = "项目支出绩效自评汇总"
# Settings every page is drawn under, on paper or on screen.
# A title's height is fixed (nothing is drawn above an axes but the title), which spares
# matplotlib measuring every tick label to place it: the same place, an eighth of the charts' time.
REPORT_RC: dict[str, object] = {"pdf.fonttype": 42, "axes.unicode_minus": False, "axes.titley": 1.0}


# -- the sheet --------------------------------------------------------------------------------


def _money(value: Decimal | None, unit: str) -> str:
    return format_money(value, unit)


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
    b = ev.score.budget
    table = Table(FUNDS_COLS)
    money = ev.money_unit
    label = Cell(f"项目资金（{money}）", align="center", fill=FILL, vkey="funds")
    heads = ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    rows = [row(table, [label, _head(""), *[_head(h) for h in heads]], header=True)]
    rate = f"{b.rate}%" if b.rate is not None else "—"
    rows.append(
        row(
            table,
            [
                label,
                Cell("年度资金总额"),
                *[Cell(_money(v, money), align="right") for v in (b.initial_budget, b.full_year_budget, b.executed)],
                Cell(str(b.points), align="center"),
                Cell(rate, align="center"),
                Cell(str(b.score), align="center"),
            ],
        )
    )
    # The 其中 rows: each source's declared amount, its full-year budget while the total is not
    # adjusted (unknown once it is), what it spent as recorded, and its own rate; no points of its own.
    for n, source in enumerate(facts.source_rows(ev)):
        name = f"其中：{source.label}" if n == 0 else source.label
        cells = [label, Cell(name), Cell(_money(source.initial, money), align="right")]
        cells += [Cell(_money(source.full_year, money), align="right")]
        cells += [Cell(_money(source.executed, money), align="right"), Cell("—", align="center")]
        cells += [Cell(f"{source.rate}%" if source.rate is not None else "—", align="center")]
        cells.append(Cell("—", align="center"))
        rows.append(row(table, cells))
    fit_merged(rows)  # type: ignore[arg-type]
    rows[-1].keep_with_next = False
    return rows


def _goal_rows(ev: ProjectEvaluation) -> list[Item]:
    table = Table(GOAL_COLS)
    label = Cell("年度总体目标", align="center", fill=FILL, vkey="goal")
    done = (
        "实际完成情况" if facts.is_year_end(ev.as_of) else f"{facts.as_of_label(ev.as_of, ev.declaration.year)}完成情况"
    )
    rows = [
        row(table, [label, _head("预期目标"), _head(done)], header=True),
        row(table, [label, Cell(ev.declaration.annual_goal or ""), Cell(facts.achieved_text(ev))]),
    ]
    fit_merged(rows)
    return rows  # type: ignore[return-value]


def _deviation_cell(s: IndicatorScore) -> Cell:
    parts = [t.strip() for t in (s.deviation_reason, s.measures) if t and t.strip()]
    if not parts:
        # 待说明 exactly where the counts say so; an indicator without a value is 未填报 beside it.
        reminder = "待说明" if facts.unexplained(s) else "待填报" if s.missing_actual else ""
        return Cell(reminder, size=7, color=ALERT)
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
    needing = [
        s
        for s in ev.score.indicators
        if facts.needs_explanation(s) or s.missing_actual or s.deviation_reason or s.measures
    ]
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
    title = figures.completion_title(ev)
    # Each panel is a picklable call (functools.partial), so a worker process can draw it.
    wide = (partial(figures.draw_completion, rows=completion, title=title), (122, 28, BODY_W - 180, height - 56))
    half = (BODY_W - 60) / 2
    budget = figures.budget_data(ev)
    progress = figures.progress_data(ev)
    pair = [
        (partial(figures.draw_budget, data=budget), (34, 18, half - 24, 150)),
        (partial(figures.draw_progress, rows=progress), (half + 84, 18, half - 24, 150)),
    ]
    return [
        Space(10),
        text("图表", 11, keep_with_next=True),
        Chart(height, [wide]),
        Chart(204, pair),
    ]


def _mark(ev: ProjectEvaluation, monitoring: bool) -> str:
    """What every page of the project's section says it is."""
    if monitoring and facts.is_year_end(ev.as_of):
        return f"运行监控 {facts.as_of_label(ev.as_of, ev.declaration.year)}"
    return facts.stage_mark(ev)


def is_monitoring(ev: ProjectEvaluation, monitoring: bool = False) -> bool:
    """Whether the project prints as a monitoring report: asked for, or its figures stand before the year end."""
    return monitoring or not facts.is_year_end(ev.as_of)


def project_items(ev: ProjectEvaluation, *, monitoring: bool = False) -> list[Item]:
    """One project's whole sheet, analyses and charts, as items to paginate: the self-evaluation
    when its figures stand at the year end, else (or when asked) the monitoring report."""
    if is_monitoring(ev, monitoring):
        return monitoring_items(ev)
    items: list[Item] = [
        text(EVALUATION_TITLE, 16, align="center"),
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


# -- the monitoring report ----------------------------------------------------------------------

MONITOR_COLS = (44, 106, 64, 58, 58, 44, 58, 40, 39.28)
SPENDING_COLS = (90, 105.28, 105, 105, 106)
SHORT_TIER = {Tier.ACHIEVED: "达成", Tier.PARTLY: "部分达成", Tier.NOT_ACHIEVED: "未达成"}
STATUS_TEXT = {Status.ON_TRACK: "#1b5e20", Status.AT_RISK: "#a86d00", Status.OFF_TRACK: ALERT, Status.NO_ACTUAL: MUTED}


def _amount(value: Decimal | None, unit: str | None) -> str:
    """A derived value (to date, expected, projected) as the forms write it: 15(个), 1.5(秒)."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    elif value.as_tuple().exponent < -2:  # type: ignore[operator]
        value = value.quantize(Decimal("0.01"))
    return f"{value}" + (f"({unit})" if unit else "")


def _spending_rows(ev: ProjectEvaluation) -> list[Item]:
    data = figures.budget_data(ev)
    table = Table(SPENDING_COLS)
    money = ev.money_unit
    heads = ["期间", f"当期执行数（{money}）", f"累计执行数（{money}）", "累计执行率", "序时进度"]
    rows: list[Item] = [row(table, [_head(h) for h in heads], header=True)]
    for p in data.periods:
        elapsed = f"{facts.elapsed_percent(p.period).normalize():f}%"
        rate = f"{p.percent}%" if p.percent is not None else "—"
        cells = [Cell(p.label, align="center"), Cell(_money(p.amount, money), align="right")]
        cells += [Cell(_money(p.cumulative, money), align="right"), Cell(rate, align="center")]
        cells.append(Cell(elapsed, align="center"))
        rows.append(row(table, cells))
    if not data.periods:
        rows.append(row(table, [Cell("尚未填报执行数", span=5, align="center", color=MUTED)]))
    rate = f"{data.rate}%" if data.rate is not None else "—"
    total = [_head("全年预算数"), Cell(_money(data.budget, money), align="right"), _head("累计执行数")]
    total += [Cell(_money(data.executed, money), align="right"), Cell(f"执行率 {rate}", align="center")]
    rows.append(row(table, total))
    return rows


def _monitor_rows(ev: ProjectEvaluation) -> list[Item]:
    table = Table(MONITOR_COLS)
    heads = ["一级指标", "三级指标", "年度指标值", "累计完成", "按序时进度\n应完成", "完成率", "全年预计\n完成值"]
    heads += [facts.STATUS_HEADING_PROGRESS, "完成目标\n可能性"]
    rows: list[Item] = [row(table, [_head(h, size=7.5) for h in heads], header=True)]
    for ie, s, standing in zip(ev.indicators, ev.score.indicators, facts.standings(ev), strict=True):
        att, unit = ie.attainment, ie.target.unit
        level1 = s.level1 or ""
        if standing.qualitative:
            done = SHORT_TIER[standing.tier] if standing.tier is not None else ""
            expected, ratio = "—", f"{standing.percent}%" if standing.percent is not None else ""
        else:
            done, expected = _amount(att.ytd, unit), _amount(att.expected_to_date, unit)
            ratio = f"{standing.percent}%" if standing.percent is not None else ""
        cells = [
            Cell(level1, align="center", size=7.5, vkey=("l1", level1)),
            Cell(s.name),
            Cell(s.target_display, align="center"),
            Cell(done or "未填报", align="center", color="#000000" if done else ALERT),
            Cell(expected, align="center"),
            Cell(ratio, align="center"),
            Cell(_amount(att.projected, unit) if not standing.qualitative else "", align="center"),
            Cell(standing.status.label, align="center", color=STATUS_TEXT[standing.status]),
            Cell(ie.monitor_chance or "", align="center"),
        ]
        rows.append(row(table, cells))
    fit_merged(rows[1:])  # type: ignore[arg-type]
    return rows


def _monitor_deviations(ev: ProjectEvaluation) -> list[Item]:
    items: list[Item] = [Space(10), text("三、偏差原因及纠偏措施", 11, keep_with_next=True), Space(3)]
    listed = [
        (ie, s, standing)
        for ie, s, standing in zip(ev.indicators, ev.score.indicators, facts.standings(ev), strict=True)
        if standing.status in (Status.AT_RISK, Status.OFF_TRACK)
        or ie.monitor_cause
        or ie.monitor_measure
        or (s.deviation_reason or "").strip()
    ]
    if not listed:
        items.append(text("各项指标进度正常，无需说明偏差。", 8.5))
    for n, (ie, s, standing) in enumerate(listed, start=1):
        att = ie.attainment
        where, unit = "", ie.target.unit
        if not standing.qualitative and att.ytd is not None:
            where = f"（累计完成 {_amount(att.ytd, unit)}，按序时进度应完成 {_amount(att.expected_to_date, unit)}）"
        items.append(text(f"{n}. {s.name}：{standing.status.label}{where}", 8.5, keep_with_next=True))
        cause = "：".join(part for part in (ie.monitor_cause, (s.deviation_reason or "").strip()) if part)
        measure = (ie.monitor_measure or s.measures or "").strip()
        for label, value in (("偏差原因", cause), ("纠偏措施", measure)):
            items.append(
                text(
                    f"{label}：{value or '（未填写）'}",
                    8,
                    indent=12,
                    color="#000000" if value else ALERT,
                    keep_with_next=True,
                )
            )
        items[-1].keep_with_next = False
        items.append(Space(4))
    missing = [
        s.name
        for s, standing in zip(ev.score.indicators, facts.standings(ev), strict=True)
        if standing.status is Status.NO_ACTUAL
    ]
    if missing:
        items.append(text(f"尚未填报（{len(missing)} 项）：" + "、".join(missing), 8, color=MUTED))
    return items


def monitoring_items(ev: ProjectEvaluation) -> list[Item]:
    """One project's monitoring report (绩效运行监控, domain.md §3): where it stands at ``as_of``."""
    d = ev.declaration
    when = facts.as_of_label(ev.as_of, d.year)
    year = f"{d.year}年度 · " if d.year is not None else ""
    elapsed = f"{facts.elapsed_percent(ev.as_of).normalize():f}%"
    what = (
        f"本表为年度执行中的运行监控（{when}，序时进度 {elapsed}），不是年终自评；不计自评得分。"
        if not facts.is_year_end(ev.as_of)
        else f"本表为运行监控（{when}）。"
    )
    items: list[Item] = [
        text(MONITORING_TITLE, 16, align="center"),
        text(f"（{year}{when}）", 10.5, align="center"),
        Space(8),
        *_info_rows(ev),
        Space(4),
        text(what, 8, color=MUTED),
        Space(6),
        text("一、预算执行情况", 11, keep_with_next=True),
        Space(3),
        *_spending_rows(ev),
        Space(6),
        *_goal_rows(ev),
        Space(10),
        text("二、绩效指标完成情况", 11, keep_with_next=True),
        Space(3),
        *_monitor_rows(ev),
        *_monitor_deviations(ev),
    ]
    if ev.problems:
        items += [Space(8), text("数据提示", 9.5, keep_with_next=True)]
        items += [text(f"· {p}", 7.5, indent=8, color=MUTED) for p in ev.problems]
    return items + _chart_items(ev)


def summary_items(evaluations: Sequence[ProjectEvaluation], unit_label: str, *, monitoring: bool = False) -> list[Item]:
    """A first page listing every project's total (before its year end: where it stands), then the totals' chart."""
    years = sorted({str(e.declaration.year) for e in evaluations if e.declaration.year})
    watched = [e for e in evaluations if is_monitoring(e, monitoring)]
    table = Table(WATCHED_SUMMARY_COLS if watched else SUMMARY_COLS)
    money = evaluations[0].money_unit if evaluations else YUAN
    heads = ["序号", "项目名称", f"全年预算数（{money}）", f"全年执行数（{money}）", "执行率", "总分", "等级"]
    if watched:
        heads[3], heads[6] = f"执行数（{money}）", "等级 / 数据截至"
    rows: list[Item] = [row(table, [_head(h, size=7.5) for h in heads], header=True)]
    for n, e in enumerate(evaluations, start=1):
        b = e.score.budget
        if is_monitoring(e, monitoring):
            total, grade = "—", facts.as_of_label(e.as_of, None)
        else:
            total, grade = str(e.score.total), e.score.grade_label
        rows.append(
            row(
                table,
                [
                    Cell(str(n), align="center"),
                    Cell(e.declaration.name),
                    Cell(_money(b.full_year_budget, money), align="right"),
                    Cell(_money(b.executed, money), align="right"),
                    Cell(f"{b.rate}%" if b.rate is not None else "—", align="center"),
                    Cell(total, align="center"),
                    Cell(grade, align="center"),
                ],
            )
        )
    if not watched:
        title = SUMMARY_TITLE
    elif len(watched) == len(evaluations):
        title = "项目绩效运行监控汇总"
    else:
        title = "项目支出绩效自评及运行监控汇总"
    items: list[Item] = [
        text(title, 16, align="center"),
        text(f"（{'、'.join(years)}年度）　{unit_label}".rstrip(), 10.5, align="center"),
        Space(10),
        *rows,
    ]
    if watched:
        note = f"{len(watched)} 个项目为年度执行中的运行监控（“—”：不计自评得分），其余为年终自评。"
        if len(watched) == len(evaluations):
            note = "各项目均为年度执行中的运行监控，不是年终自评，不计自评得分。"
        items += [Space(4), text(note, 8, color=MUTED)]
    scored = [e for e in evaluations if not is_monitoring(e, monitoring)]
    if scored:
        scores = figures.unit_scores_data(scored)
        height = min(BODY_H - 80, 50 + 15.0 * len(scores))
        draw = (partial(figures.draw_unit_scores, rows=scores), (130, 16, BODY_W - 150, height - 48))
        items += [Space(14), Chart(height, [draw])]
    return items


def _summary_mark(evaluations: Sequence[ProjectEvaluation], monitoring: bool) -> str:
    marks = {_mark(e, is_monitoring(e, monitoring)) for e in evaluations}
    return marks.pop() if len(marks) == 1 else "年终自评及运行监控（各项目所在页注明）"


def default_unit_label(evaluations: Sequence[ProjectEvaluation]) -> str:
    """The implementing unit when all projects share one, else their department, else nothing."""
    for attr in ("unit", "department"):
        values = {getattr(e.declaration, attr) or "" for e in evaluations}
        if len(values) == 1 and "" not in values:
            return values.pop()
    return ""


@dataclass(frozen=True, slots=True)
class Report:
    """A report laid out into pages (all of them at once: for a look at its layout; ``write_report``
    streams)."""

    pages: list[Page]
    footer: str
    date: dt.date
    title: str = EVALUATION_TITLE

    def __len__(self) -> int:
        return len(self.pages)

    def write(self, path: Path) -> None:
        """Draw the laid-out pages into a PDF at ``path`` (written whole or not at all)."""
        with AtomicFile(Path(path), ".pdf") as out:
            writer = PdfWriter(out.temp)
            with matplotlib.rc_context(REPORT_RC):
                for page in self.pages:
                    writer.add(page)
            writer.finish(self.footer, self.date, title=self.title)
            out.commit()


def build_report(
    evaluations: Sequence[ProjectEvaluation],
    *,
    unit_label: str | None = None,
    date: dt.date | None = None,
    monitoring: bool = False,
) -> Report:
    """Lay out the sheets of ``evaluations``: a summary page first when there are several.

    A project whose figures stand at the year end prints its self-evaluation, one standing before
    it (or every one, with ``monitoring``) its monitoring report; every page says which, and when.
    Raises ValueError without projects and FontNotFoundError without a Chinese font.
    """
    if not evaluations:
        raise ValueError("没有可打印的项目")
    report_fonts()
    label = unit_label if unit_label is not None else default_unit_label(evaluations)
    with matplotlib.rc_context(REPORT_RC):
        sections: list[Section] = [
            (e.declaration.name, project_items(e, monitoring=monitoring), _mark(e, is_monitoring(e, monitoring)))
            for e in evaluations
        ]
        if len(evaluations) > 1:
            summary = summary_items(evaluations, label, monitoring=monitoring)
            sections.insert(0, ("汇总", summary, _summary_mark(evaluations, monitoring)))
        pages = paginate(sections)
    return Report(pages, label, date or dt.date.today(), report_title(evaluations, monitoring))


def report_title(evaluations: Sequence[ProjectEvaluation], monitoring: bool = False) -> str:
    """What the report is: 项目支出绩效自评表, 项目绩效运行监控表, or both."""
    kinds = {is_monitoring(e, monitoring) for e in evaluations}
    if kinds == {False}:
        return EVALUATION_TITLE
    return MONITORING_TITLE if kinds == {True} else f"{EVALUATION_TITLE}及{MONITORING_TITLE}"


def _totals_only(ev: ProjectEvaluation) -> ProjectEvaluation:
    """What the summary and the caller's message need of a printed project: no indicators."""
    score = dataclasses.replace(ev.score, indicators=[])
    declaration = dataclasses.replace(ev.declaration, indicators=[])
    return dataclasses.replace(ev, declaration=declaration, score=score, indicators=[], problems=[])


@dataclass(frozen=True, slots=True)
class Written:
    """What ``write_report`` printed: its pages, title and each project's totals (no indicators)."""

    pages: int
    title: str
    projects: list[ProjectEvaluation]


def write_report(
    evaluations: Iterable[ProjectEvaluation],
    path: Path,
    *,
    unit_label: str | None = None,
    date: dt.date | None = None,
    monitoring: bool = False,
    progress: Callable[[int], bool] | None = None,
    workers: int = 0,
) -> Written | None:
    """Write the sheets of ``evaluations`` (see ``build_report``) to an A4 PDF at ``path``.

    The evaluations are taken one at a time as they come, each project's pages drawn and let go;
    ``progress(done)`` is called after each project, and when it returns False the work stops and
    None is returned with nothing written. With ``workers`` (``writer.chart_workers_available``),
    that many forked processes draw the charts meanwhile. Raises ValueError without projects,
    FontNotFoundError without a Chinese font, OSError when the file cannot be written; a failed or
    cancelled run leaves no half-written file behind.
    """
    path = Path(path)
    with AtomicFile(path, ".pdf") as out, ChartDrawer(workers, REPORT_RC) as charts:
        writer = PdfWriter(out.temp)
        printed: list[ProjectEvaluation] = []
        # Projects laid out whose charts are still being drawn: (pages, each page's charts to come).
        waiting: deque[tuple[list[Page], list[Future[list[Any]] | None]]] = deque()

        def draw_waiting(keep: int) -> bool:
            while len(waiting) > keep:
                pages, drawn = waiting.popleft()
                for page, ops in zip(pages, drawn, strict=True):
                    writer.add(page, ops.result() if ops is not None else None)
                if progress is not None and not progress(len(printed) - len(waiting)):
                    return False
            return True

        with matplotlib.rc_context(REPORT_RC):
            for ev in evaluations:
                mark = _mark(ev, is_monitoring(ev, monitoring))
                pages = paginate([(ev.declaration.name, project_items(ev, monitoring=monitoring), mark)])
                waiting.append((pages, [charts.submit(page) for page in pages]))
                printed.append(_totals_only(ev))
                if not draw_waiting(charts.lookahead):
                    return None
            if not draw_waiting(0):
                return None
            if not printed:
                raise ValueError("没有可打印的项目")
            label = unit_label if unit_label is not None else default_unit_label(printed)
            summary = 0
            if len(printed) > 1:
                before = writer.count
                section = (
                    "汇总",
                    summary_items(printed, label, monitoring=monitoring),
                    _summary_mark(printed, monitoring),
                )
                for page in paginate([section]):
                    writer.add(page)
                summary = writer.count - before
        title = report_title(printed, monitoring)
        writer.finish(label, date or dt.date.today(), title=title, front=summary)
        out.commit()
    return Written(writer.count, title, printed)
