"""Page layout for the printed report: items of measured height, pages, and drawing them.

A sheet is built as items (table rows, paragraphs, chart boxes, spaces) whose heights are known
before anything is drawn: text is measured in the faces that print it (``report.fonts``, the
PDF's own advance widths) and wrapped to its cell. ``paginate`` places the items on A4 pages
without ever splitting a table row (a row taller than a page is cut between lines, its merged
labels repeated), repeating a table's header rows on each page it continues on. ``draw_page``
then draws one page onto a ReportLab canvas: rules, fills and text as PDF operators, charts as
vectors through ``report.vector``. Its footer (unit, page number of page count, date) is a form
the writer fills in once the last page is known, so pages are drawn as they are laid out.
Coordinates are points from the page's top-left corner: y runs down the page in this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from perftrack.report.fonts import text_width, wrap_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from reportlab.pdfgen.canvas import Canvas

    from perftrack.report.vector import Ops

PAGE_W, PAGE_H = 595.28, 841.89  # A4 in points
MARGIN_X, TOP, BOTTOM = 42.0, 44.0, 841.89 - 54.0
BODY_W, BODY_H = PAGE_W - 2 * MARGIN_X, BOTTOM - TOP
PAD, LEADING, MIN_ROW = 3.0, 1.3, 16.0
GRID, MUTED = "#333333", "#555555"
CELL_SIZE = 8.0


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
    mark: str = ""  # what the page is and when its figures stand, printed at its top


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


Section = tuple[str, list[Item]] | tuple[str, list[Item], str]


def paginate(sections: Sequence[Section]) -> list[Page]:
    """Place items top to bottom; each section starts a page; a row or paragraph is never split.

    A section is (title, items) or (title, items, mark): the mark is printed on each of its pages.
    """
    pages: list[Page] = []
    for title, items, *rest in sections:
        mark = rest[0] if rest else ""
        flat = [piece for item in items for piece in _split(item)]
        page = Page(title, continued=False, mark=mark)
        pages.append(page)
        y = TOP
        for i, item in enumerate(flat):
            need = _kept_height(flat, i)
            if y + need > BOTTOM and page.placed:
                page = Page(title, continued=True, mark=mark)
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

FOOTER_SIZE = 7.5


def _rgb(color: str) -> tuple[float, float, float]:
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    return int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255


def _text(c: Canvas, x: float, baseline: float, line: str, size: float, align: str = "left") -> None:
    """One line with its baseline ``baseline`` pt down the page, ``x`` its left, centre or right end."""
    from perftrack.report.vector import draw_runs

    if align != "left":
        width = text_width(line, size)
        x -= width / 2 if align == "center" else width
    draw_runs(c, x, PAGE_H - baseline, line, size)


def _draw_lines(
    c: Canvas, lines: Sequence[str], x: float, y: float, w: float, size: float, align: str, color: str
) -> None:
    """Lines of text from ``y`` down, aligned inside the span ``x``..``x + w``."""
    anchor = {"left": x, "center": x + w / 2, "right": x + w}[align]
    step = size * LEADING
    c.setFillColorRGB(*_rgb(color))
    for n, line in enumerate(lines):
        baseline = y + n * step + (LEADING - 1) / 2 * size + 0.86 * size
        _text(c, anchor, baseline, line, size, align)


def _draw_cell(c: Canvas, cell: Cell, x: float, y: float, w: float, h: float) -> None:
    if cell.fill:
        c.setFillColorRGB(*_rgb(cell.fill))
    c.rect(x, PAGE_H - y - h, w, h, stroke=1, fill=1 if cell.fill else 0)
    block = _lines_height(cell.lines, cell.size)
    top = y + max(PAD, (h - block) / 2)
    _draw_lines(c, cell.lines, x + PAD, top, w - 2 * PAD, cell.size, cell.align, cell.color)


def _draw_rows(c: Canvas, rows: Sequence[tuple[Row, float]]) -> None:
    """Consecutive rows of one table on one page, merging equal ``vkey`` cells down a column."""
    cols = rows[0][0].table.cols
    c.setStrokeColorRGB(*_rgb(GRID))
    c.setLineWidth(0.6)
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
                _draw_cell(c, cell, MARGIN_X + x, y, w, h)
            index += cell.span


def _draw_charts(c: Canvas, charts: Sequence[tuple[Chart, float]]) -> None:
    """The page's charts: one matplotlib Figure the size of the page, its axes where the boxes are."""
    from matplotlib.figure import Figure

    from perftrack.report.vector import draw_figure

    fig = Figure(figsize=(PAGE_W / 72, PAGE_H / 72), dpi=72)
    fig.patch.set_visible(False)  # the page under it is already drawn
    for item, y in charts:
        for draw, (left, top, width, height) in item.panels:
            x0, y0 = MARGIN_X + left, y + top + height
            ax = fig.add_axes((x0 / PAGE_W, 1 - y0 / PAGE_H, width / PAGE_W, height / PAGE_H))
            draw(ax)
    draw_figure(c, fig)


def page_charts(page: Page) -> list[tuple[Chart, float]]:
    """The charts placed on ``page``, with their places."""
    return [(item, y) for item, y in page.placed if isinstance(item, Chart)]


def chart_ops(charts: Sequence[tuple[Chart, float]]) -> Ops:
    """The canvas calls that draw ``charts`` (``page_charts``), recorded: what a worker process hands back."""
    from perftrack.report.vector import RecordingCanvas

    recorder = RecordingCanvas()
    _draw_charts(recorder, charts)  # type: ignore[arg-type]
    return recorder.ops


def draw_page(c: Canvas, page: Page, footer_form: str, drawn_charts: Ops | None = None) -> None:
    """Draw ``page`` onto the canvas's current page; its footer is the form ``footer_form`` (``draw_footer``).

    ``drawn_charts``: the page's charts already drawn elsewhere (``chart_ops``), played onto the page.
    """
    run: list[tuple[Row, float]] = []
    charts: list[tuple[Chart, float]] = []
    for item, y in [*page.placed, (Space(0), 0.0)]:
        if isinstance(item, Row) and (not run or run[0][0].table is item.table):
            run.append((item, y))
            continue
        if run:
            _draw_rows(c, run)
            run = []
        if isinstance(item, Row):
            run.append((item, y))
        elif isinstance(item, Text):
            x = MARGIN_X + item.indent
            _draw_lines(c, item.lines, x, y, BODY_W - item.indent, item.size, item.align, item.color)
        elif isinstance(item, Chart):
            charts.append((item, y))
    if drawn_charts is not None:
        from perftrack.report.vector import replay

        replay(c, drawn_charts)
    elif charts:
        _draw_charts(c, charts)
    c.setFillColorRGB(*_rgb(MUTED))
    if page.continued:
        _text(c, PAGE_W - MARGIN_X, TOP - 12, f"{page.title}（续）", FOOTER_SIZE, "right")
    if page.mark:
        # Under the footer: what the page is and the date its figures stand at, on every page.
        _text(c, PAGE_W / 2, PAGE_H - 28 + 11, page.mark, FOOTER_SIZE, "center")
    c.setStrokeColorRGB(*_rgb(MUTED))
    c.setLineWidth(0.5)
    c.line(MARGIN_X, 40, PAGE_W - MARGIN_X, 40)
    c.doForm(footer_form)


def draw_footer(c: Canvas, name: str, footer: str, number: int, count: int, date: dt.date) -> None:
    """Define the form ``name``: page ``number`` of ``count``'s footer line (unit, page, date)."""
    c.beginForm(name)
    c.setFillColorRGB(*_rgb(MUTED))
    base = PAGE_H - 28
    _text(c, MARGIN_X, base, footer, FOOTER_SIZE)
    _text(c, PAGE_W / 2, base, f"第 {number} 页 / 共 {count} 页", FOOTER_SIZE, "center")
    _text(c, PAGE_W - MARGIN_X, base, f"打印日期：{date.isoformat()}", FOOTER_SIZE, "right")
    c.endForm()
