"""The printed self-evaluation (项目支出绩效自评表) as an A4 PDF, drawn with matplotlib.

Two passes: each project's sheet becomes items of known height (text is measured in the font
that prints it and wrapped to its cell), the items are placed on pages without ever splitting
a table row, and only then is anything drawn, so the footer knows the page count. matplotlib
rather than Qt or reportlab: it is already a dependency, needs no display, and draws the charts
onto the same pages as vectors. Fonts are embedded as TrueType (``pdf.fonttype`` 42).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.transforms import Affine2D, Transform

from perftrack.charts import figures
from perftrack.charts.fonts import require_cjk_fonts, wrap_text
from perftrack.domain.scoring import IndicatorScore
from perftrack.store.evaluation import ProjectEvaluation

PAGE_W, PAGE_H = 595.28, 841.89  # A4 in points; y runs down the page in this module
MARGIN_X, TOP, BOTTOM = 42.0, 44.0, 841.89 - 54.0
BODY_W, BODY_H = PAGE_W - 2 * MARGIN_X, BOTTOM - TOP
PAD, LEADING, MIN_ROW = 3.0, 1.3, 16.0
GRID, FILL, MUTED, ALERT = "#333333", "#ececec", "#555555", "#b71c1c"
CELL_SIZE = 8.0
# Column widths in points; each table spans the body width.
INDICATOR_COLS = (44, 56, 104, 72, 70, 32, 32, 101.28)
FUNDS_COLS = (44, 83.28, 80, 80, 80, 40, 52, 52)
INFO_COLS = (64, 191.64, 64, 191.64)
GOAL_COLS = (44, 233.64, 233.64)
SUMMARY_COLS = (28, 183.28, 80, 80, 50, 45, 45)


# -- items ------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One cell; cells of one column with the same ``vkey`` on consecutive rows print as one."""

    text: str = ""
    span: int = 1
    align: str = "left"
    size: float = CELL_SIZE
    fill: str | None = None
    color: str = "#000000"
    vkey: object = None
    lines: list[str] = field(default_factory=list)


@dataclass
class Table:
    """Column widths and the header rows printed again at the top of each page it continues on."""

    cols: tuple[float, ...]
    header: list[Row] = field(default_factory=list)


@dataclass
class Row:
    table: Table
    cells: list[Cell]
    height: float = 0.0
    is_header: bool = False
    keep_with_next: bool = False


@dataclass
class Text:
    """A paragraph outside any table (a title, a heading, a deviation analysis)."""

    lines: list[str]
    size: float
    height: float
    align: str = "left"
    color: str = "#000000"
    indent: float = 0.0
    keep_with_next: bool = False


@dataclass
class Chart:
    """A box the width of the body holding one or more axes, each drawn by a callback."""

    height: float
    panels: list[tuple[Callable[[Axes], None], tuple[float, float, float, float]]]
    keep_with_next: bool = False


@dataclass
class Space:
    height: float
    keep_with_next: bool = False


Item = Row | Text | Chart | Space


@dataclass
class Page:
    title: str
    continued: bool
    placed: list[tuple[Item, float]] = field(default_factory=list)


def _columns(cols: Sequence[float], index: int, span: int) -> tuple[float, float]:
    """x offset and width of a cell starting at ``index`` spanning ``span`` columns."""
    return sum(cols[:index]), sum(cols[index : index + span])


def _lines_height(lines: Sequence[str], size: float) -> float:
    return len(lines) * size * LEADING


def row(table: Table, cells: list[Cell], *, header: bool = False) -> Row:
    """A table row with its cells wrapped and its height measured."""
    index = 0
    height = MIN_ROW
    for cell in cells:
        _, width = _columns(table.cols, index, cell.span)
        cell.lines = wrap_text(cell.text, width - 2 * PAD, cell.size) if cell.text else []
        if cell.vkey is None:
            height = max(height, _lines_height(cell.lines, cell.size) + 2 * PAD)
        index += cell.span
    result = Row(table, cells, height, is_header=header, keep_with_next=header)
    if header:
        table.header.append(result)
    return result


def fit_merged(rows: list[Row]) -> None:
    """Make each run of merged cells at least as tall as its text, by growing the run's last row."""
    if not rows:
        return
    for col in range(max(len(r.cells) for r in rows)):
        start = 0
        while start < len(rows):
            key = rows[start].cells[col].vkey if col < len(rows[start].cells) else None
            end = start + 1
            while key is not None and end < len(rows) and _vkey(rows[end], col) == key:
                end += 1
            if key is not None:
                cell = rows[start].cells[col]
                need = _lines_height(cell.lines, cell.size) + 2 * PAD
                have = sum(r.height for r in rows[start:end])
                rows[end - 1].height += max(0.0, need - have)
            start = end


def _vkey(r: Row, col: int) -> object:
    return r.cells[col].vkey if col < len(r.cells) else None


def text(
    content: str,
    size: float = 9.0,
    *,
    align: str = "left",
    color: str = "#000000",
    indent: float = 0.0,
    keep_with_next: bool = False,
) -> Text:
    """A paragraph wrapped to the body width (less its indent)."""
    lines = wrap_text(content, BODY_W - indent, size)
    return Text(lines, size, _lines_height(lines, size), align, color, indent, keep_with_next)


# -- pagination -------------------------------------------------------------------------------


def _header_height(item: Item) -> float:
    return sum(h.height for h in item.table.header) if isinstance(item, Row) and not item.is_header else 0.0


def _split(item: Item) -> list[Item]:
    """Cut an item taller than a whole page into page-sized pieces (nothing else is ever cut)."""
    if isinstance(item, Space | Chart) or item.height <= BODY_H - _header_height(item):
        return [item]
    if isinstance(item, Text):
        per_page = max(1, int(BODY_H // (item.size * LEADING)))
        chunks = [item.lines[i : i + per_page] for i in range(0, len(item.lines), per_page)]
        return [replace(item, lines=c, height=_lines_height(c, item.size)) for c in chunks]
    # A continued piece sits under the table's repeated header.
    room = BODY_H - _header_height(item) - 2 * PAD
    per_page = max(1, int(room // (max(c.size for c in item.cells) * LEADING)))
    pieces: list[Item] = []
    longest = max(len(c.lines) for c in item.cells if c.vkey is None)
    for start in range(0, longest, per_page):
        # A merged label (vkey) is repeated whole on every piece; only the content is cut.
        cells = [c if c.vkey is not None else replace(c, lines=c.lines[start : start + per_page]) for c in item.cells]
        height = max(_lines_height(c.lines, c.size) for c in cells if c.vkey is None) + 2 * PAD
        pieces.append(Row(item.table, cells, max(height, MIN_ROW)))
    return pieces


def _kept_height(items: Sequence[Item], start: int) -> float:
    """Height of ``items[start]`` and the items it keeps with (a heading and its paragraphs)."""
    height, i = items[start].height, start
    while items[i].keep_with_next and i + 1 < len(items) and height < BODY_H / 2:
        i += 1
        height += items[i].height
    return height


def paginate(sections: Sequence[tuple[str, list[Item]]]) -> list[Page]:
    """Place items top to bottom; each section starts a page; a row or paragraph is never split."""
    pages: list[Page] = []
    for title, items in sections:
        flat = [piece for item in items for piece in _split(item)]
        page = Page(title, continued=False)
        pages.append(page)
        y = TOP
        for i, item in enumerate(flat):
            need = _kept_height(flat, i)
            if y + need > BOTTOM and page.placed:
                page = Page(title, continued=True)
                pages.append(page)
                y = TOP
                if isinstance(item, Space):
                    continue
                if isinstance(item, Row) and not item.is_header:
                    for head in item.table.header:
                        page.placed.append((head, y))
                        y += head.height
            page.placed.append((item, y))
            y += item.height
    return pages


# -- drawing ----------------------------------------------------------------------------------


def _transform(fig: Figure) -> Transform:
    """Points from the top-left corner of the page to the figure's display coordinates."""
    return Affine2D().scale(1, -1).translate(0, PAGE_H).scale(1 / 72) + fig.dpi_scale_trans


def _draw_lines(
    fig: Figure, tr: Transform, lines: Sequence[str], x: float, y: float, w: float, size: float, **kw: str
) -> None:
    """Lines of text from ``y`` down, aligned inside the span ``x``..``x + w``."""
    align = kw.get("align", "left")
    anchor = {"left": x, "center": x + w / 2, "right": x + w}[align]
    step = size * LEADING
    for n, line in enumerate(lines):
        baseline = y + n * step + (LEADING - 1) / 2 * size + 0.86 * size
        fig.text(anchor, baseline, line, transform=tr, fontsize=size, ha=align, color=kw.get("color", "#000"))


def _draw_cell(fig: Figure, tr: Transform, cell: Cell, x: float, y: float, w: float, h: float) -> None:
    fig.add_artist(Rectangle((x, y), w, h, transform=tr, facecolor=cell.fill or "none", edgecolor=GRID, linewidth=0.6))
    block = _lines_height(cell.lines, cell.size)
    top = y + max(PAD, (h - block) / 2)
    _draw_lines(fig, tr, cell.lines, x + PAD, top, w - 2 * PAD, cell.size, align=cell.align, color=cell.color)


def _draw_rows(fig: Figure, tr: Transform, rows: Sequence[tuple[Row, float]]) -> None:
    """Consecutive rows of one table on one page, merging equal ``vkey`` cells down a column."""
    cols = rows[0][0].table.cols
    covered: set[tuple[int, int]] = set()
    for r_index, (r, y) in enumerate(rows):
        index = 0
        for cell in r.cells:
            x, w = _columns(cols, index, cell.span)
            if (r_index, index) not in covered:
                h = r.height
                if cell.vkey is not None:
                    for below in range(r_index + 1, len(rows)):
                        if _vkey(rows[below][0], index) != cell.vkey:
                            break
                        covered.add((below, index))
                        h += rows[below][0].height
                _draw_cell(fig, tr, cell, MARGIN_X + x, y, w, h)
            index += cell.span


def _draw_page(fig: Figure, page: Page, number: int, count: int, footer: str, date: dt.date) -> None:
    tr = _transform(fig)
    run: list[tuple[Row, float]] = []
    for item, y in [*page.placed, (Space(0), 0.0)]:
        if isinstance(item, Row) and (not run or run[0][0].table is item.table):
            run.append((item, y))
            continue
        if run:
            _draw_rows(fig, tr, run)
            run = []
        if isinstance(item, Row):
            run.append((item, y))
        elif isinstance(item, Text):
            x = MARGIN_X + item.indent
            _draw_lines(fig, tr, item.lines, x, y, BODY_W - item.indent, item.size, align=item.align, color=item.color)
        elif isinstance(item, Chart):
            for draw, (left, top, width, height) in item.panels:
                x0, y0 = MARGIN_X + left, y + top + height
                ax = fig.add_axes((x0 / PAGE_W, 1 - y0 / PAGE_H, width / PAGE_W, height / PAGE_H))
                draw(ax)
    if page.continued:
        fig.text(
            PAGE_W - MARGIN_X,
            TOP - 12,
            f"{page.title}（续）",
            transform=tr,
            fontsize=7.5,
            ha="right",
            color=MUTED,
        )
    fig.add_artist(Line2D([MARGIN_X, PAGE_W - MARGIN_X], [PAGE_H - 40] * 2, transform=tr, color=MUTED, lw=0.5))
    base = PAGE_H - 28
    fig.text(MARGIN_X, base, footer, transform=tr, fontsize=7.5, color=MUTED)
    fig.text(
        PAGE_W / 2,
        base,
        f"第 {number} 页 / 共 {count} 页",
        transform=tr,
        fontsize=7.5,
        ha="center",
        color=MUTED,
    )
    fig.text(
        PAGE_W - MARGIN_X,
        base,
        f"打印日期：{date.isoformat()}",
        transform=tr,
        fontsize=7.5,
        ha="right",
        color=MUTED,
    )


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
    height = min(BODY_H - 40, 46 + 13.0 * len(completion))
    wide = (lambda ax: figures.draw_completion(ax, completion), (122, 16, BODY_W - 150, height - 46))
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
        Chart(196, pair),
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
    if not evaluations:
        raise ValueError("没有可打印的项目")
    require_cjk_fonts()
    label = unit_label if unit_label is not None else default_unit_label(evaluations)
    when = date or dt.date.today()
    with matplotlib.rc_context({"pdf.fonttype": 42, "axes.unicode_minus": False}):
        sections = [(e.declaration.name, project_items(e)) for e in evaluations]
        if len(evaluations) > 1:
            sections.insert(0, ("自评汇总", summary_items(evaluations, label)))
        pages = paginate(sections)
        path = Path(path)
        handle, temp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".pdf", dir=path.parent)
        os.close(handle)
        try:
            metadata = {"Title": "项目支出绩效自评表", "Author": label, "Creator": "perftrack"}
            with PdfPages(temp, metadata=metadata) as pdf:
                for number, page in enumerate(pages, start=1):
                    fig = Figure(figsize=(PAGE_W / 72, PAGE_H / 72))
                    _draw_page(fig, page, number, len(pages), label, when)
                    pdf.savefig(fig)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
