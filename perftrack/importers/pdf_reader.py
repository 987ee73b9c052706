"""PDF files as one grid of cells: the reader stage of the PDF importer.

Why pdfplumber: a form printed to PDF keeps no cells, only glyphs at positions and the ruling
lines drawn around them. pdfplumber (on pdfminer.six) gives both: every character with its box
and every line and rectangle, and finds tables from where ruling lines cross
(``page.find_tables`` with the "lines" strategy), keeping the finding of cells apart from the
reading of their text. It is pure Python (no Poppler, Java or Ghostscript to ship), well kept,
and fast enough: about 40 pages a second on one core, so a 50-form file of 78 pages reads in
2 s and one of 154 pages in 4 s (``benchmarks/pdf_read.py``).

How the grid is built, page by page:

- Only what is visible is read. pdfminer ignores clipping paths; spreadsheet printouts rely on
  them (LibreOffice Calc draws a merged cell's text at the middle of the whole merged range on
  every page the range runs over, clipped to that page's part, and cuts a long text at its
  cell's border), so the page is interpreted with a device that drops the characters whose
  centre a clipping path hides, and those outside the page.
- Tables come from the ruling lines, after closing each run of vertical rules with a line
  across its top and bottom: a page break leaves a cell merged over it open, and pdfplumber
  finds only cells with four sides. The cells' left edges, clustered within ``ALIGN`` points,
  are the table's column boundaries and their top edges its row boundaries, so every cell
  lands in a column index by where it starts: a cell merged over two columns has its text in
  the first and "" in the second, one merged over rows has "" in the later rows, as a worksheet
  keeps a merged cell's text in its top-left cell.
- Each character goes to the cell holding its centre. Within a line a space is put where the
  PDF has a space glyph or leaves a gap of a third of the font size; between two CJK glyphs
  only where the gap is that much wider than the line's usual gap between them: forms set
  their labels justified or "distributed" (分散对齐), which spreads them out glyph by glyph,
  and spaces by gap alone (pdfplumber's ``extract_text``) turn 项目名称 into 项 目 名 称.
  A glyph drawn twice at one place (fake bold) is read once.
- A PDF keeps no line breaks of its own, only lines at positions, so a line the layout
  wrapped at a narrow cell's edge and a line break its author typed look alike; positions
  tell them apart. A cell's line (but its last) was wrapped when the room it left before the
  cell's right inner edge, plus a quarter of the font size for rounding (``WRAP_TOLERANCE``),
  would not have held what the next line begins with: its first glyph, or its first Latin
  word or number with the space before it, with kinsoku (禁则) — CJK layout moves "（" and "“"
  down with the glyph after them and keeps "。", "，" and "）" with the one before, so two or three
  glyphs (``_glued``). The inner edge is the border less the padding, measured: the least
  indent of any line in the table, or less where the widest lines of the cells sharing the
  right border stop sooner (justified and distributed text reaches the edge). A wrapped
  line is joined to the next with nothing between, but one space between two Latin letters
  (Latin text wraps at a space, not printed at the line's end); never inside a number or
  between CJK glyphs, digits and brackets. A line that stopped short ends a paragraph: "\\n".
  A paragraph whose last line happens to fill the column cannot be told from a wrap and is
  joined. (Centred and right-aligned cells, told by their last line, count their room on both
  sides or on the left.)
- The characters outside every table are grouped into lines; each line becomes a one-cell row
  placed by its height between the tables (titles, "(2024年度)", "单位：万元", page headers).
- A table that runs over a page break is joined into one: when a page's first content is a
  table with the outer edges and column boundaries (or a subset of them) of the table the
  previous page ended with, the earlier part reached the bottom of the page's text area (its
  next row would not have fitted), and nothing but page furniture (page numbers, running
  headers and footers) lies between, the rows continue that table in one column space and the
  furniture between is left out. A repeated header row stays: the interpreter skips it.
  Furniture elsewhere stays as one-cell rows; it only decides joins. A cell merged over the
  break (open where the page cut it) keeps its text at its first position, wherever the
  producer printed it. A row Word lets split over the break comes out as two rows: its cells
  are ruled closed on both pages, so nothing tells the halves from two rows.

A file pdfplumber cannot parse raises :class:`PdfReadError` with a stable code; the
interpreter turns the grid into declarations exactly as it does a worksheet's.
"""

from __future__ import annotations

import functools
import itertools
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from perftrack.domain.errors import UserError

MAX_PAGES = 2000
# Points. Ruling lines and cell edges this close are the same line (PDF producers round
# coordinates differently for the two sides of one cell).
ALIGN = 3.0
TABLE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": ALIGN,
    "join_tolerance": ALIGN,
    "intersection_tolerance": ALIGN,
    "edge_min_length": 3,
}
# A gap wider than this share of the font size between two non-CJK glyphs is a space.
SPACE_GAP = 0.3
# Page numbers, in the top or bottom PAGE_NUMBER_BAND of a page.
PAGE_NUMBER_BAND = 0.15
PAGE_NUMBER = re.compile(
    r"[-—–－]*\d{1,4}[-—–－]*|第\d+页(共\d+页)?|共\d+页第\d+页|\d+/\d+|(page)?\d+(of\d+)?",
    re.IGNORECASE,
)
# Running headers and footers this near the edge of the page are furniture however they repeat.
EDGE_BAND = 0.06


class PdfReadError(UserError):
    """The PDF cannot be read; ``code`` is a stable code, ``str(exc)`` a message in Simplified Chinese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class PdfPlace:
    """Where a grid row came from: a row of a table on a page, or a line of text outside tables."""

    page: int  # 1-based page number
    table: int | None  # 1-based number of the table on that page; None for text outside tables
    row: int  # 1-based row within that table on that page, or line number of the text line

    def cell(self, col: int) -> str:
        """The cell at grid column ``col`` (0-based) named for a person: "第3页 表1 第5行第2列"."""
        if self.table is None:
            return f"第{self.page}页 第{self.row}行"
        return f"第{self.page}页 表{self.table} 第{self.row}行第{col + 1}列"


@dataclass(slots=True)
class PdfGrid:
    """The whole file as rows of cells in reading order, with where each row came from."""

    rows: list[list[str]]
    places: list[PdfPlace]


# -- what a page holds --------------------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    """A line of text outside tables."""

    page: int
    number: int
    top: float
    bottom: float
    text: str


@dataclass(slots=True)
class _Cell:
    """A cell of a table part: the rows it spans, where it starts, its text."""

    row: int  # first row index within the part
    last_row: int  # last row index it covers
    left: float
    text: str
    open_top: bool  # no ruling line along its top (a merged cell the page break cut)
    open_bottom: bool


@dataclass(slots=True)
class _TablePart:
    """A table as found on one page: cells by row index and left edge."""

    page: int
    number: int
    x0: float
    x1: float
    top: float
    bottom: float
    lefts: list[float]  # column boundaries: the cells' clustered left edges
    row_tops: list[float]  # row boundaries
    cells: list[_Cell]

    def row_height(self, i: int) -> float:
        end = self.row_tops[i + 1] if i + 1 < len(self.row_tops) else self.bottom
        return end - self.row_tops[i]


_Item = _Line | _TablePart


@dataclass(slots=True)
class _Page:
    number: int
    width: float
    height: float
    items: list[_Item]  # in reading order
    pictures: bool = False  # whether a page without text has images (a scan)


@dataclass(slots=True)
class _Table:
    """A table in the file, made of one part per page it runs over."""

    parts: list[_TablePart] = field(default_factory=list)

    @property
    def lefts(self) -> list[float]:
        return _cluster(x for part in self.parts for x in part.lefts)


# -- reading ------------------------------------------------------------------------------------


def read_pdf(path: Path) -> PdfGrid:
    """Read a PDF into one grid: text lines and table rows in reading order, tables joined over pages."""
    import pdfplumber

    errors = _library_errors()
    try:
        pdf = pdfplumber.open(path)
    except OSError as exc:
        raise PdfReadError("bad-pdf", f"无法打开 PDF 文件 {path}（{exc.strerror or exc}）") from exc
    except errors as exc:
        raise _classify(path, exc) from exc
    try:
        count = _page_count(pdf)
        if count > MAX_PAGES:
            raise PdfReadError("too-large", f"PDF 文件 {path} 有 {count} 页，超过 {MAX_PAGES} 页的上限，请拆分后再导入")
        visible_page = _visible_page_class()
        pages: list[_Page] = []
        for p in pdf.pages:
            page = visible_page(pdf, p.page_obj, p.page_number, p.initial_doctop)
            pages.append(_read_page(page))
            page.close()  # drop the page's cached objects: a long file must not hold them all
            p.close()
    except errors as exc:
        raise _classify(path, exc) from exc
    finally:
        pdf.close()
    if not any(page.items for page in pages):
        what = "它是扫描件或图片" if any(page.pictures for page in pages) else "页面上既没有文字也没有图片"
        raise PdfReadError(
            "scanned",
            f"PDF 文件 {path} 没有文字层：{what}，程序无法从中读出文字。"
            "请改为导入该申报表的 Word 或 Excel 原文件，或先将其录入、文字识别（OCR）后再导入",
        )
    return _assemble(pages)


def _library_errors() -> tuple[type[BaseException], ...]:
    """What pdfplumber and pdfminer raise on a file they cannot parse (not our own bugs)."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.pdftypes import PDFException
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    return (
        PdfminerException,
        MalformedPDFException,
        PDFSyntaxError,
        PDFEncryptionError,
        PDFPasswordIncorrect,
        PDFException,
        PSException,
    )


def _classify(path: Path, exc: BaseException) -> PdfReadError:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
        return PdfReadError("encrypted", f"PDF 文件 {path} 有密码保护，无法读取；请先用密码打开并另存为无密码的 PDF")
    detail = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
    return PdfReadError("bad-pdf", f"PDF 文件 {path} 已损坏或不是 PDF，无法读取（{detail}）")


def _page_count(pdf: Any) -> int:
    """The page count the file declares, without building every page (a bomb may claim millions)."""
    from pdfminer.pdftypes import resolve1

    tree = resolve1(pdf.doc.catalog.get("Pages"))
    count = resolve1(tree.get("Count")) if isinstance(tree, dict) else None
    return count if isinstance(count, int) else len(pdf.pages)


@functools.cache
def _visible_page_class() -> type[Any]:
    """A pdfplumber page that leaves out the characters its clipping paths hide.

    pdfminer ignores clipping. Spreadsheet printouts rely on it: LibreOffice Calc draws a merged
    cell's text at the middle of the whole merged range on every page the range runs over,
    clipped to the part on that page, and cuts a long text at its cell's border. Unclipped,
    those copies and cut-off tails land in other cells or between the rows.
    """
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfminer.utils import apply_matrix_pt
    from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent
    from pdfplumber.utils.exceptions import PdfminerException

    Box = tuple[float, float, float, float]

    class VisibleDevice(PDFPageAggregatorWithMarkedContent):
        clip: Box | None = None

        def render_char(self, *args: Any, **kwargs: Any) -> float:
            adv: float = super().render_char(*args, **kwargs)
            clip = self.clip
            if clip is not None:
                item = self.cur_item._objs[-1]
                mx, my = (item.x0 + item.x1) / 2, (item.y0 + item.y1) / 2
                # The centre decides: a line cut by a page break shows on one page only.
                if not (clip[0] <= mx <= clip[2] and clip[1] <= my < clip[3]):
                    self.cur_item._objs.pop()
            return adv

    class ClipInterpreter(PDFPageInterpreter):
        device: VisibleDevice

        def init_state(self, ctm: Any) -> None:
            super().init_state(ctm)
            self.clips: list[Box | None] = []

        def do_q(self) -> None:
            super().do_q()
            self.clips.append(self.device.clip)

        def do_Q(self) -> None:
            super().do_Q()
            if self.clips:
                self.device.clip = self.clips.pop()

        def do_W(self) -> None:
            self._clip()

        def do_W_a(self) -> None:
            self._clip()

        def _clip(self) -> None:
            # The clip is kept as the bounding box of the path: clipping paths are rectangles
            # in the files this reads, and a box errs on the side of keeping text.
            points = [
                apply_matrix_pt(self.ctm, (seg[i], seg[i + 1]))
                for seg in self.curpath
                for i in range(1, len(seg) - 1, 2)
                if isinstance(seg[i], int | float) and isinstance(seg[i + 1], int | float)
            ]
            if not points:
                return
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            box = (min(xs), min(ys), max(xs), max(ys))
            old = self.device.clip
            if old is not None:
                box = (max(box[0], old[0]), max(box[1], old[1]), min(box[2], old[2]), min(box[3], old[3]))
            self.device.clip = box

        def do_Do(self, xobjid_arg: Any) -> None:
            saved = self.device.clip
            super().do_Do(xobjid_arg)
            self.device.clip = saved

    class VisiblePage(Page):
        @property
        def layout(self) -> Any:
            if hasattr(self, "_layout"):
                return self._layout
            device = VisibleDevice(self.pdf.rsrcmgr, pageno=self.page_number, laparams=self.pdf.laparams)
            interpreter = ClipInterpreter(self.pdf.rsrcmgr, device)
            try:
                interpreter.process_page(self.page_obj)
            except Exception as e:  # as pdfplumber's own Page.layout: pdfminer fails many ways on a bad file
                raise PdfminerException(e) from e
            self._layout = device.get_result()
            return self._layout

    return VisiblePage


def _read_page(page: Any) -> _Page:
    """Tables and text lines of one page, in reading order."""
    width, height = float(page.width), float(page.height)
    chars = [
        c
        for c in page.chars
        if c["text"] and 0 <= (c["x0"] + c["x1"]) / 2 <= width and 0 <= (c["top"] + c["bottom"]) / 2 <= height
    ]
    if not any(c["text"].strip() for c in chars):
        return _Page(page.page_number, width, height, [], pictures=bool(page.images))
    items: list[_Item] = []
    edges = page.edges
    settings = {**TABLE_SETTINGS, "explicit_horizontal_lines": _closing_lines(edges)}
    tables = sorted(page.find_tables(settings), key=lambda t: (t.bbox[1], t.bbox[0]))
    rules = _rules(edges)
    rest = chars
    for number, table in enumerate(tables, start=1):
        part, rest = _table_part(page.page_number, number, table.cells, rest, rules)
        items.append(part)
    for group in _lines_of(rest):
        text = _line_text(group)
        if text:
            top, bottom = min(c["top"] for c in group), max(c["bottom"] for c in group)
            items.append(_Line(page.page_number, 0, top, bottom, text))
    items.sort(key=lambda i: i.top)
    lines = [i for i in items if isinstance(i, _Line)]
    for n, line in enumerate(lines, start=1):
        line.number = n
    return _Page(page.page_number, width, height, items)


def _closing_lines(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Horizontal lines across the top and bottom of each run of vertical rules.

    A table cut by a page break often has no ruling line along the cut (Word, Calc and WPS
    leave a cell merged over the break open), and a cell needs four sides to be found.
    """
    vertical = sorted((e for e in edges if e["orientation"] == "v"), key=lambda e: e["top"])
    runs: list[list[float]] = []  # [top, bottom, x0, x1]
    for e in vertical:
        if runs and e["top"] <= runs[-1][1] + ALIGN:
            run = runs[-1]
            run[1], run[2], run[3] = max(run[1], e["bottom"]), min(run[2], e["x0"]), max(run[3], e["x1"])
        else:
            runs.append([e["top"], e["bottom"], e["x0"], e["x1"]])
    return [
        {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0}
        for top, bottom, x0, x1 in runs
        if x1 - x0 > ALIGN
        for y in (top, bottom)
    ]


def _table_part(
    page: int,
    number: int,
    cells: Sequence[tuple[float, float, float, float]],
    chars: list[dict[str, Any]],
    rules: dict[int, list[tuple[float, float]]],
) -> tuple[_TablePart, list[dict[str, Any]]]:
    """The table's cells with their texts, and the characters that lie in none of its cells."""
    lefts = _cluster(c[0] for c in cells)
    tops = _cluster(c[1] for c in cells)
    x0, top = min(c[0] for c in cells), min(c[1] for c in cells)
    x1, bottom = max(c[2] for c in cells), max(c[3] for c in cells)
    xs, ys = [*lefts, x1], [*tops, bottom]
    owner: list[list[int | None]] = [[None] * len(lefts) for _ in tops]
    spans: list[tuple[int, int, float]] = []
    for k, (cx0, ctop, cx1, cbottom) in enumerate(cells):
        c0, c1 = _nearest(xs, cx0), _nearest(xs, cx1)
        r0, r1 = _nearest(ys, ctop), _nearest(ys, cbottom)
        spans.append((r0, max(r1 - 1, r0), lefts[c0] if c0 < len(lefts) else cx0))
        for r in range(r0, max(r1, r0 + 1)):
            for c in range(c0, max(c1, c0 + 1)):
                if r < len(tops) and c < len(lefts):
                    owner[r][c] = k
    inside: dict[int, list[dict[str, Any]]] = defaultdict(list)
    outside: list[dict[str, Any]] = []
    for ch in chars:
        mx, my = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        k = None
        if x0 <= mx < x1 and top <= my < bottom:
            k = owner[bisect_right(ys, my) - 1][bisect_right(xs, mx) - 1]
        if k is None:
            outside.append(ch)
        else:
            inside[k].append(ch)
    texts = _cell_texts(cells, inside)
    out = [
        _Cell(
            r0,
            r1,
            left,
            texts.get(k, ""),
            not _ruled(rules, cells[k][1], cells[k][0], cells[k][2]),
            not _ruled(rules, cells[k][3], cells[k][0], cells[k][2]),
        )
        for k, (r0, r1, left) in enumerate(spans)
    ]
    return _TablePart(page, number, x0, x1, top, bottom, lefts, tops, out), outside


def _cell_texts(
    cells: Sequence[tuple[float, float, float, float]], inside: dict[int, list[dict[str, Any]]]
) -> dict[int, str]:
    """The texts of a table's cells by number, wrapped lines joined (see :func:`_cell_text`).

    A cell's padding is measured, not known: on the left, the least indent of any line in the
    table (most cells' text starts flush left); on the right, no more than that and no more
    than the room the widest line of the cells sharing its right border leaves (justified
    and distributed text reaches the inner edge). Text running over a border (a worksheet
    cell that does not wrap) and a line ending in a closing mark (CJK layout may hang it past
    the edge) are not counted.
    """
    lines = {k: [g for g in map(_glyphs, _lines_of(chars)) if g] for k, chars in inside.items()}
    indents = (line[0][0]["x0"] - cells[k][0] for k, ls in lines.items() for line in ls)
    pad = min((x for x in indents if x >= 0), default=0.0)
    rights = _cluster(cells[k][2] for k in lines)
    room: dict[int, float] = {}
    for k, ls in lines.items():
        col = _nearest(rights, cells[k][2])
        for line in ls:
            r = cells[k][2] - line[-1][0]["x1"]
            if r >= 0 and line[-1][0]["text"] not in NO_LINE_START:
                room[col] = min(room.get(col, pad), r)
    out: dict[int, str] = {}
    for k, ls in lines.items():
        right = cells[k][2] - room.get(_nearest(rights, cells[k][2]), pad)
        out[k] = _cell_text(ls, cells[k][0] + pad, right)
    return out


def _rules(edges: list[dict[str, Any]]) -> dict[int, list[tuple[float, float]]]:
    """The page's horizontal ruling lines as (x0, x1) by height, in ALIGN-point buckets."""
    out: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for e in edges:
        if e["orientation"] == "h":
            out[int(e["top"] // ALIGN)].append((e["x0"], e["x1"]))
    return out


def _ruled(rules: dict[int, list[tuple[float, float]]], y: float, x0: float, x1: float) -> bool:
    """Whether ruling lines at height ``y`` cover most of the span x0..x1."""
    bucket = int(y // ALIGN)
    covered = sum(
        max(0.0, min(x1, e1) - max(x0, e0)) for b in (bucket - 1, bucket, bucket + 1) for e0, e1 in rules.get(b, ())
    )
    return covered >= 0.5 * (x1 - x0)


def _nearest(bounds: Sequence[float], x: float) -> int:
    """Index of the boundary nearest ``x``."""
    i = bisect_right(bounds, x)
    if i == 0:
        return 0
    if i == len(bounds) or x - bounds[i - 1] <= bounds[i] - x:
        return i - 1
    return i


def _cluster(values: Iterable[float], tolerance: float = ALIGN) -> list[float]:
    """Sorted values with those within ``tolerance`` of their group's first one merged (to it)."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


# -- text ---------------------------------------------------------------------------------------


def _is_cjk(ch: str) -> bool:
    o = ord(ch[0])
    return (
        0x2E80 <= o <= 0x9FFF  # radicals, CJK punctuation, kana, CJK unified (and extension A)
        or 0xF900 <= o <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= o <= 0xFE4F  # vertical forms
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x20000 <= o <= 0x3FFFF
    )


def _lines_of(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Characters grouped into lines by their vertical centre, top line first."""
    if not chars:
        return []
    ordered = sorted(chars, key=lambda c: (c["top"] + c["bottom"]) / 2)
    lines: list[list[dict[str, Any]]] = [[ordered[0]]]
    mid = (ordered[0]["top"] + ordered[0]["bottom"]) / 2
    for c in ordered[1:]:
        m = (c["top"] + c["bottom"]) / 2
        if m - mid > max(1.0, 0.5 * min(c["size"] or 1, lines[-1][-1]["size"] or 1)):
            lines.append([c])
            mid = m
        else:
            lines[-1].append(c)
    return lines


def _glyphs(chars: list[dict[str, Any]]) -> list[tuple[dict[str, Any], bool]]:
    """One line's visible glyphs, left to right, each with whether a space comes before it.

    A space is where the PDF has a space glyph or leaves a gap for one. Between two CJK glyphs
    a gap is a space only when it is wider than the line's usual gap between CJK glyphs:
    justified and "distributed" Chinese text spreads every glyph out evenly, and those gaps are
    layout, not spaces.
    """
    glyphs: list[tuple[dict[str, Any], bool]] = []  # (glyph, a space glyph came before it)
    space = False
    for c in sorted(chars, key=lambda c: c["x0"]):
        if not c["text"].strip():
            space = True
            continue
        if glyphs:
            p = glyphs[-1][0]
            if c["text"] == p["text"] and abs(c["x0"] - p["x0"]) < 1 and abs(c["top"] - p["top"]) < 1:
                continue  # the same glyph drawn twice (fake bold)
        glyphs.append((c, space))
        space = False
    if not glyphs:
        return glyphs
    cjk_gaps = sorted(
        c["x0"] - p["x1"] for (p, _), (c, _) in itertools.pairwise(glyphs) if _is_cjk(p["text"]) and _is_cjk(c["text"])
    )
    usual = max(cjk_gaps[len(cjk_gaps) // 2], 0.0) if cjk_gaps else 0.0
    out = [(glyphs[0][0], False)]
    for (p, _), (c, spaced) in itertools.pairwise(glyphs):
        wide = SPACE_GAP * max(c["size"] or 0, p["size"] or 0, 1)
        gap = c["x0"] - p["x1"]
        if _is_cjk(p["text"]) and _is_cjk(c["text"]):
            gap -= usual
        out.append((c, spaced or gap > wide))
    return out


def _text_of(glyphs: list[tuple[dict[str, Any], bool]]) -> str:
    return "".join(f" {g['text']}" if spaced else g["text"] for g, spaced in glyphs)


def _line_text(chars: list[dict[str, Any]]) -> str:
    """One line's text, left to right, with a space where the PDF has one or leaves a gap for one."""
    return _text_of(_glyphs(chars))


# Kinsoku (禁则): what may not begin a line, and what may not end one. Quotation marks are kept
# with both neighbours (a line break never falls next to one, as in Unicode line breaking).
NO_LINE_START = frozenset("。，、；：？！）］｝〕〉》」』】〗〙…‥・·—～％‰℃,.;:!?)]}%")
NO_LINE_END = frozenset("（［｛〔〈《「『【〖〘([{")
QUOTES = frozenset("“”‘’\"'")
# The space CJK layout puts between a Chinese character and a Latin letter or digit, as a
# share of the font size (LibreOffice: a fifth).
ASIAN_SPACE = 0.2
# Room a wrapped line may still have beyond what the next line begins with, as a share of the
# font size: layout rounding, and a workbook printed scaled to fit the page.
WRAP_TOLERANCE = 0.25

_Glyphs = list[tuple[dict[str, Any], bool]]


def _latin(ch: str) -> bool:
    return not _is_cjk(ch) and not ch.isspace()


def _letter(ch: str) -> bool:
    return ch.isalpha() and not _is_cjk(ch)


def _glued(a: str, b: str, words: bool = True) -> bool:
    """Whether no line may break between glyphs ``a`` and ``b`` (``words``: inside a Latin word or number).

    A CJK glyph holds on to an opening bracket before it and to a closing mark after it (CJK
    layout moves "（" down with what follows it and keeps "。" with what is before it), a
    closing mark to the Latin word after it (LibreOffice keeps "、AABI" together), a quotation
    mark to both neighbours.
    """
    return (
        a in NO_LINE_END
        or b in NO_LINE_START
        or a in QUOTES
        or b in QUOTES
        or (_latin(b) and (a in NO_LINE_START or (words and _latin(a))))
    )


def _run_end(line: _Glyphs) -> int:
    """Index of the last glyph of the line's first unbreakable run: a Latin word or a number
    runs up to a space or a CJK glyph; a CJK glyph stands alone but for kinsoku."""
    end = 0
    while end + 1 < len(line) and not line[end + 1][1] and _glued(line[end][0]["text"], line[end + 1][0]["text"]):
        end += 1
    return end


def _first_run(lines: list[_Glyphs], i: int) -> float:
    """Width of what line ``i`` begins with that no line break could have split.

    When that is the whole line and kinsoku forbids a break at its end, the run goes on into
    the next line: a cell too narrow for a run breaks it anywhere.
    """
    width = 0.0
    for j in range(i, len(lines)):
        line = lines[j]
        end = _run_end(line)
        width += line[end][0]["x1"] - line[0][0]["x0"]
        if end + 1 < len(line) or j + 1 == len(lines):
            break
        if not _glued(line[-1][0]["text"], lines[j + 1][0][0]["text"], words=False):
            break
    return width


def _cell_text(lines: list[_Glyphs], left: float, right: float) -> str:
    """A cell's text: its lines joined where the layout wrapped them, "\\n" where a line stopped short.

    ``left`` and ``right`` are the cell's inner edges (its borders less the padding). A line
    was wrapped when the room it left would not have held what the next line begins with
    (see :func:`_first_run`); the room is measured on the side the cell's text is aligned to,
    as its last line shows (centred text: both sides together).
    """
    if not lines:
        return ""
    texts = [_text_of(line) for line in lines]
    if len(lines) == 1:
        return texts[0]
    last = lines[-1]
    tol = WRAP_TOLERANCE * (last[0][0]["size"] or 10.0)
    left_room, right_room = last[0][0]["x0"] - left, right - last[-1][0]["x1"]
    centred = left_room > tol and right_room > tol and abs(left_room - right_room) <= tol
    flush_right = right_room <= tol < left_room
    out = [texts[0]]
    for i in range(1, len(lines)):
        prev, nxt = lines[i - 1], lines[i]
        room = right - prev[-1][0]["x1"]
        if centred:
            room += prev[0][0]["x0"] - left
        elif flush_right:
            room = prev[0][0]["x0"] - left
        first = nxt[0][0]
        a, b = prev[-1][0]["text"], first["text"]
        size = first["size"] or 10.0
        need = _first_run(lines, i)
        if _latin(a) and _latin(b):
            need += SPACE_GAP * size  # a Latin line wraps at a space, and the space must fit too
        elif a.isalnum() and b.isalnum() and _is_cjk(a) != _is_cjk(b):
            need += ASIAN_SPACE * size
        tol = WRAP_TOLERANCE * size
        if room >= need + tol:
            out.append("\n")
        elif _letter(a) and _letter(b):
            out.append(" ")  # a Latin line wraps at a space, and the space is not printed at its end
        out.append(texts[i])
    return "".join(out)


# -- the pages as one grid ----------------------------------------------------------------------


def _assemble(pages: list[_Page]) -> PdfGrid:
    furniture = _furniture(pages)
    content = [[i for i in p.items if id(i) not in furniture] for p in pages]
    bottoms: dict[tuple[int, int], float] = defaultdict(float)
    for page, items in zip(pages, content, strict=True):
        for item in items:
            key = (round(page.width), round(page.height))
            bottoms[key] = max(bottoms[key], item.bottom)

    tables: dict[int, _Table] = {}  # id(part) -> the table it belongs to
    skipped: set[int] = set()  # furniture between the parts of a joined table
    for i in range(1, len(pages)):
        before, after = content[i - 1], content[i]
        if not before or not after:
            continue
        last, first = before[-1], after[0]
        if not (isinstance(last, _TablePart) and isinstance(first, _TablePart)):
            continue
        table = tables.setdefault(id(last), _Table([last]))
        page = pages[i - 1]
        if _continues(table, first, bottoms[(round(page.width), round(page.height))]):
            table.parts.append(first)
            tables[id(first)] = table
            skipped.update(id(x) for x in pages[i - 1].items if x.top >= last.bottom and id(x) in furniture)
            skipped.update(id(x) for x in pages[i].items if x.bottom <= first.top and id(x) in furniture)

    grid = PdfGrid([], [])
    for page in pages:
        for item in page.items:
            if id(item) in skipped:
                continue
            if isinstance(item, _Line):
                grid.rows.append([item.text])
                grid.places.append(PdfPlace(item.page, None, item.number))
                continue
            table = tables.get(id(item)) or _Table([item])
            if table.parts[0] is item:
                _emit(table, grid)
    return grid


def _continues(table: _Table, part: _TablePart, body_bottom: float) -> bool:
    """Whether ``part`` (a page's first content) carries on ``table`` (the previous page's last)."""
    last = table.parts[-1]
    if abs(last.x0 - part.x0) > ALIGN or abs(last.x1 - part.x1) > ALIGN:
        return False
    lefts = table.lefts

    def within(xs: Sequence[float], ys: Sequence[float]) -> bool:
        return all(any(abs(x - y) <= ALIGN for y in ys) for x in xs)

    if not (within(part.lefts, lefts) or within(lefts, part.lefts)):
        return False
    # The next row did not fit below the earlier part: it reached the bottom of the text area.
    # (The first two rows: a repeated header row may be shorter than the row that moved.)
    moved = max(part.row_height(i) for i in range(min(2, len(part.row_tops))))
    return last.bottom + moved >= body_bottom - ALIGN


def _emit(table: _Table, grid: PdfGrid) -> None:
    """The table's rows in one column space, merged cells' text at their first position.

    A cell merged over a page break is printed as two cells, the first open at the bottom
    (no ruling line where the page cut it), the second open at the top or starting right
    below a repeated header row. Calc prints the text in whichever part holds the middle of
    the range, and a row split over the break has text in both: the text goes to the first
    part's cell, as a worksheet keeps it, and the second half of a split row, left empty,
    is dropped.
    """
    lefts = table.lefts
    first_row = len(grid.rows)
    cut: dict[int, tuple[int, int]] = {}  # column -> grid position of a cell open at the bottom
    for part in table.parts:
        columns = [_nearest(lefts, cell.left) for cell in part.cells]
        repeated = _repeated_rows(part, columns, grid.rows[first_row:]) if cut else 0
        goes_up: set[int] = set()  # cells continuing a cut cell of the previous part
        taken: set[int] = set()
        for k in sorted(range(len(part.cells)), key=lambda k: part.cells[k].row):
            cell, col = part.cells[k], columns[k]
            below_header = repeated and cell.row <= repeated <= cell.last_row
            if col in cut and col not in taken and (cell.open_top or below_header):
                goes_up.add(k)
                taken.add(col)
        per_row: dict[int, list[int]] = defaultdict(list)
        for k, cell in enumerate(part.cells):
            per_row[cell.row].append(k)
        dropped = {r for r, ks in per_row.items() if all(k in goes_up for k in ks)}
        at: dict[int, int] = {}  # the part's row -> its grid row
        for r in range(len(part.row_tops)):
            if r not in dropped:
                at[r] = len(grid.rows)
                grid.rows.append([""] * len(lefts))
                grid.places.append(PdfPlace(part.page, part.number, r + 1))
        carried: dict[int, tuple[int, int]] = {}
        last = len(part.row_tops) - 1
        for k, cell in enumerate(part.cells):
            col = columns[k]
            target = cut[col] if k in goes_up else (at[cell.row], col)
            if cell.open_bottom and cell.last_row == last:
                carried[col] = target
            if cell.text:
                row = grid.rows[target[0]]
                row[target[1]] = f"{row[target[1]]}\n{cell.text}" if row[target[1]] else cell.text
        cut = carried


def _repeated_rows(part: _TablePart, columns: list[int], earlier: list[list[str]]) -> int:
    """How many of the part's first rows print again a row of the table's earlier parts (a header row)."""
    n = 0
    for r in range(len(part.row_tops)):
        single = {columns[k]: c.text for k, c in enumerate(part.cells) if c.row == r == c.last_row}
        if sum(1 for text in single.values() if text) < 2:
            break
        if not any(all(row[col] == text for col, text in single.items()) for row in earlier):
            break
        n += 1
    return n


# -- page furniture -----------------------------------------------------------------------------


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _furniture(pages: list[_Page]) -> set[int]:
    """ids of the lines that are page furniture: page numbers, running headers and footers."""
    out: set[int] = set()
    repeated: dict[str, list[tuple[_Page, int, _Line]]] = defaultdict(list)
    for page in pages:
        for k, item in enumerate(page.items):
            if not isinstance(item, _Line):
                continue
            text = _compact(item.text)
            edge = item.top < PAGE_NUMBER_BAND * page.height or item.bottom > (1 - PAGE_NUMBER_BAND) * page.height
            if edge and PAGE_NUMBER.fullmatch(text):
                out.add(id(item))
            else:
                repeated[re.sub(r"\d+", "#", text)].append((page, k, item))
    for occurrences in repeated.values():
        for group in _same_place(occurrences):
            if len({page.number for page, _, _ in group}) < 2:
                continue
            if all(_at_edge(page, line) for page, _, line in group) or len({_neighbour(p, k) for p, k, _ in group}) > 1:
                out.update(id(line) for _, _, line in group)
    return out


def _same_place(occurrences: list[tuple[_Page, int, _Line]]) -> list[list[tuple[_Page, int, _Line]]]:
    """Occurrences of one text grouped by height on the page (within ALIGN points)."""
    groups: list[list[tuple[_Page, int, _Line]]] = []
    for occ in sorted(occurrences, key=lambda o: o[2].top):
        if groups and occ[2].top - groups[-1][0][2].top <= ALIGN:
            groups[-1].append(occ)
        else:
            groups.append([occ])
    return groups


def _at_edge(page: _Page, line: _Line) -> bool:
    return line.top < EDGE_BAND * page.height or line.bottom > (1 - EDGE_BAND) * page.height


def _neighbour(page: _Page, k: int) -> tuple[str, object] | None:
    """What lies next to item k toward the middle of the page (how a running header differs from a title).

    A running header sits above whatever the page holds; a form's title repeated at the same
    place on every page sits above the same "(2024年度)" line, or a table at the same height.
    """
    line = page.items[k]
    step = 1 if line.top < page.height / 2 else -1
    j = k + step
    if not 0 <= j < len(page.items):
        return None
    item = page.items[j]
    if isinstance(item, _Line):
        return ("line", _compact(item.text))
    return ("table", round(item.top / ALIGN))


__all__ = ["MAX_PAGES", "PdfGrid", "PdfPlace", "PdfReadError", "read_pdf"]
