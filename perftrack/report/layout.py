"""Page layout for the printed report: items of measured height, pages, and drawing them.

A sheet is built as items (table rows, paragraphs, chart boxes, spaces) whose heights are known
before anything is drawn: text is measured in the font that prints it and wrapped to its cell.
``paginate`` places the items on A4 pages without ever splitting a table row (a row taller than a
page is cut between lines, its merged labels repeated), repeating a table's header rows on each
page it continues on. ``page_figure`` then draws one page, footer included, into a Figure, which
the PDF writer saves and the GUI's print preview paints. Coordinates are points from the page's
top-left corner: y runs down the page in this module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.transforms import Affine2D, Transform

from perftrack.charts.fonts import wrap_text

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


def page_figure(page: Page, number: int, count: int, footer: str, date: dt.date) -> Figure:
    """Page ``number`` of ``count`` drawn on an A4 Figure, with its footer (``footer``, page, date)."""
    fig = Figure(figsize=(PAGE_W / 72, PAGE_H / 72))
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
    small = {"transform": tr, "fontsize": 7.5, "color": MUTED}
    if page.continued:
        fig.text(PAGE_W - MARGIN_X, TOP - 12, f"{page.title}（续）", ha="right", **small)
    fig.add_artist(Line2D([MARGIN_X, PAGE_W - MARGIN_X], [PAGE_H - 40] * 2, transform=tr, color=MUTED, lw=0.5))
    base = PAGE_H - 28
    fig.text(MARGIN_X, base, footer, **small)
    fig.text(PAGE_W / 2, base, f"第 {number} 页 / 共 {count} 页", ha="center", **small)
    fig.text(PAGE_W - MARGIN_X, base, f"打印日期：{date.isoformat()}", ha="right", **small)
    if page.mark:
        # Under the footer: what the page is and the date its figures stand at, on every page.
        fig.text(PAGE_W / 2, base + 11, page.mark, ha="center", **small)
    return fig
