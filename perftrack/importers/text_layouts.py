"""Text copied out of web pages, PDF and Word files, turned into a table of cells.

Which layout a text has is read off its lines, once per file:

- tab rows (``项目名称<TAB>信息化运维项目``) → GRID; and one cell a line (other PDF-to-text tools,
  long cells wrapped onto further lines) → LINES. The interpreter decides between these two per
  form, as a file may hold both.
- rows split by ``|`` (``项目名称 | X | 主管部门 | Y | |||``, markdown ``| a | b |``) → PACKED: web
  pages write a row's empty cells at its end, so only the order of the cells is kept.
- one cell a line ending in ``|``, or cells between lines of ``|`` → STREAM with the empty cells
  (a lone ``|``) kept; ``| |||`` after a cell marks the end of a row.
- one cell a paragraph, paragraphs split by blank lines (an HTML table saved as text) → STREAM;
  a paragraph of spaces is an empty cell.
- rows whose cells are split by spaces (``项目名称 特困家庭再扶助 …``) → PACKED.

Text whose cells ran together with nothing between them (a Word table pasted as one paragraph, a
PDF page flattened onto one line) cannot be split back into cells with any certainty: the table is
marked ``run_together`` and the interpreter refuses it with that reason.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from enum import Enum

from perftrack.importers.cells import Cell, Layout, Row, Table, display_width
from perftrack.importers.labels import classify, compact
from perftrack.importers.vocabulary import FIELD_LABELS, FUNDS_LABELS, Field

NO_WRAP = 10**6  # the wrap width of a text that does not wrap
_HEADING = re.compile(r"^\s*#{1,6}\s*")
_RULE_LINE = re.compile(r"^[\s\-=|:+]*$")
_PIPES = re.compile(r"^\s*\|[\s|]*$")


class TextLayout(Enum):
    TAB_OR_LINES = "tab_or_lines"
    PIPE_ROWS = "pipe_rows"
    PIPE_CELLS = "pipe_cells"
    PARAGRAPHS = "paragraphs"
    SPACE_ROWS = "space_rows"


def split_cells(line: str) -> list[str]:
    """The cells of one line: tab-separated, or a markdown table row "| a | b |"."""
    line = _HEADING.sub("", line)
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        return [c.strip() for c in stripped.strip("|").split("|")]
    return [c.strip() for c in line.split("\t")]


def is_tabbed(rows: list[Row]) -> bool:
    """True when a third or more of a form's rows with cells hold several (tab rows, not one cell a line)."""
    content = [r for r in rows if r.cells]
    return bool(content) and sum(1 for r in content if len(r.cells) > 1) * 3 >= len(content)


# -- which layout ---------------------------------------------------------------------------------


def _pipe_cells(line: str) -> list[str]:
    s = _HEADING.sub("", line).strip()
    return [c.strip() for c in s.strip("|").split("|") if c.strip()] if "|" in s else []


def _label_tokens(line: str) -> int:
    """How many whitespace-separated words of a line are labels, when the line as a whole is not one."""
    words = line.split()
    if len(words) < 2 or classify(line) is not None:
        return 0
    return sum(1 for w in words if (lab := classify(w)) is not None and lab[0].value != "rule")


def detect(lines: list[str]) -> TextLayout:
    """The layout of a whole text file, by counting what its lines look like."""
    content = [ln for ln in lines if ln.strip()]
    tabs = sum(1 for ln in content if "\t" in ln.strip())
    if not content or tabs * 3 >= len(content):  # tab rows (the seed), decided per form later
        return TextLayout.TAB_OR_LINES
    n = len(content)
    rows = sum(1 for ln in content if len(_pipe_cells(ln)) >= 2)
    cells = sum(1 for ln in content if _PIPES.match(ln) or (ln.rstrip().endswith("|") and len(_pipe_cells(ln)) == 1))
    if rows >= 3 and rows * 10 >= n * 3 and rows >= cells:
        return TextLayout.PIPE_ROWS
    if cells * 10 >= n * 3:
        return TextLayout.PIPE_CELLS
    followed_by_blank = sum(1 for a, b in itertools.pairwise(lines) if a.strip() and not b.strip("\r"))
    if n >= 6 and followed_by_blank * 10 >= n * 6:
        return TextLayout.PARAGRAPHS
    labelled = sum(1 for ln in content if _label_tokens(ln))
    if labelled >= 3 and labelled * 4 >= n:
        return TextLayout.SPACE_ROWS
    return TextLayout.TAB_OR_LINES


# -- cells run together ---------------------------------------------------------------------------

# Distinctive labels: a long line holding several of them is a whole table run together.
_RUN_ON_WORDS = tuple(
    sorted(
        {k for k, f in FIELD_LABELS.items() if len(k) >= 4 and f is not Field.IGNORED}
        | {k for k in FUNDS_LABELS if len(k) >= 4}
        | {"一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"},
        key=len,
        reverse=True,
    )
)
RUN_ON_MIN_CHARS = 150
RUN_ON_MIN_LABELS = 4


def run_together(line: str) -> bool:
    """True when one line holds several of a form's labels inside running text: cells without separators."""
    c = compact(line)
    if len(c) < RUN_ON_MIN_CHARS:
        return False
    found: set[str] = set()
    for word in _RUN_ON_WORDS:
        if word in c and not any(word in longer for longer in found):
            found.add(word)
            if len(found) >= RUN_ON_MIN_LABELS:
                return True
    return False


def wrap_width(lines: list[str]) -> int:
    """The width at which a one-cell-per-line file wrapped long cells, or a huge number.

    A tool that wraps at W columns leaves many lines W or W-1 wide (CJK characters are two
    columns) and almost none wider: a spike at the top of the widths, taller than the few
    columns just below it. A file that does not wrap has no such spike; a handful of cells that
    happen to share the widest width are not one.
    """
    widths = Counter(
        display_width(s)
        for ln in lines
        if (s := ln.strip()) and "\t" not in ln and not s.startswith("#") and "绩效目标申报表" not in s
    )
    for v in sorted((w for w in widths if 8 <= w < 200), reverse=True):
        near = widths[v] + widths.get(v - 1, 0)
        above = sum(n for w, n in widths.items() if v < w < 200)
        if above > 2:
            break
        just_below = sum(widths.get(w, 0) for w in range(v - 5, v - 1))
        if near >= 3 and near >= just_below:
            return v
    return NO_WRAP


# -- PDF text laid out in columns ------------------------------------------------------------------

# Text a PDF tool gave "in layout order" (pdftotext -layout, a PDF viewer's copy): the columns kept
# by runs of spaces, and a cell that wrapped interleaved with its neighbours' lines ("孵化基地运营及创"
# above "项目名称  项目性质 …", "业孵化服务支出" below). Which line belongs to which cell is lost.
_WIDE_GAP = re.compile(r"\S {3,}\S")
_DEEP_INDENT = re.compile(r"^ {6,}\S")
LAID_OUT_MIN_LINES = 5
LAID_OUT_SHARE = 0.4


def laid_out(lines: list[str]) -> int | None:
    """The first line of text laid out in columns by spaces (PDF text in layout order), or None."""
    content = [(i, ln) for i, ln in enumerate(lines, start=1) if ln.strip() and "\t" not in ln]
    found = [i for i, ln in content if _WIDE_GAP.search(ln.rstrip()) or _DEEP_INDENT.match(ln)]
    if len(found) >= LAID_OUT_MIN_LINES and len(found) >= LAID_OUT_SHARE * len(content):
        return found[0]
    return None


# -- readers --------------------------------------------------------------------------------------


def read_text(text: str, file: str) -> Table:
    """The text as a table of cells, in the layout its lines show; ``run_together`` set when cells ran together."""
    lines = text.split("\n")
    layout = detect(lines)
    if layout is TextLayout.PIPE_ROWS:
        table = _packed(lines, file, _pipe_row)
    elif layout is TextLayout.SPACE_ROWS:
        table = _packed(lines, file, str.split)
    elif layout is TextLayout.PIPE_CELLS:
        table = _pipe_stream(lines, file)
    elif layout is TextLayout.PARAGRAPHS:
        table = _paragraphs(lines, file)
    else:
        table = _tab_or_lines(lines, file)
    table.run_together = next((i + 1 for i, ln in enumerate(lines) if run_together(ln)), None)
    table.laid_out = laid_out(lines)
    table.open_end = ends_open(text)
    tail = text.rpartition("\n")[2]
    table.open_row = bool(tail) and not tail.replace("|", "").strip()
    return table


def ends_open(text: str) -> bool:
    """True when the text stops inside a cell: after its last character (spaces aside) comes no line
    break, tab or "|"."""
    t = text.rstrip(" \u3000")
    return bool(t) and t[-1] not in "\n\r\t|"


def _tab_or_lines(lines: list[str], file: str) -> Table:
    table = Table(file, Layout.LINES, text_lines=True)  # GRID or LINES is decided per form
    for i, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        if _RULE_LINE.match(raw):
            table.rows.append(Row([], i, raw))
            continue
        cells = [(col, cell) for col, cell in enumerate(split_cells(raw)) if cell]
        table.rows.append(
            Row([Cell(t, i, col, k == 0, k == len(cells) - 1) for k, (col, t) in enumerate(cells)], i, raw)
        )
    return table


def _pipe_row(line: str) -> list[str]:
    s = _HEADING.sub("", line).strip()
    return [c.strip() for c in s.strip("|").split("|")] if "|" in s else [s]


def _packed(lines: list[str], file: str, split: object) -> Table:
    table = Table(file, Layout.PACKED)
    for i, raw in enumerate(lines, start=1):
        if not raw.strip() or (_RULE_LINE.match(raw) and "-" in raw):
            continue
        texts = [t for t in split(raw) if t.strip()]  # type: ignore[operator]
        cells = [Cell(t.strip(), i, k, k == 0, k == len(texts) - 1) for k, t in enumerate(texts)]
        table.rows.append(Row(cells, i, raw))
    return table


def _pipe_stream(lines: list[str], file: str) -> Table:
    """Cells ending in "|", or between lines of "|"; a "|" after a finished cell is an empty cell."""
    table = Table(file, Layout.STREAM)
    open_cell: Cell | None = None

    def add(cell: Cell) -> None:
        table.rows.append(Row([cell], cell.line, cell.text))

    for i, raw in enumerate(lines, start=1):
        s = raw.strip()
        if not s:
            continue
        if _PIPES.match(s):
            if open_cell is not None:
                add(open_cell)
                open_cell = None
            else:
                add(Cell("", i, 0))
            if s.count("|") >= 2 and table.rows:
                table.rows[-1].cells[0].row_end = True
            continue
        if open_cell is not None:
            add(open_cell)
            open_cell = None
        if "|" not in s:
            open_cell = Cell(s, i, 0)
            continue
        first, _, rest = s.partition("|")
        texts = [first.strip(), *[t.strip() for t in rest.split("|")[:-1] if t.strip()]]
        for text in texts:
            add(Cell(text, i, 0))
        if rest.strip() and not rest.strip().strip("|").strip() and rest.count("|") >= 1:
            table.rows[-1].cells[0].row_end = True
    if open_cell is not None:
        add(open_cell)
    return table


def _paragraphs(lines: list[str], file: str) -> Table:
    """One cell a paragraph; a paragraph of spaces is an empty cell."""
    table = Table(file, Layout.STREAM)
    para: list[str] = []
    start = 0
    for i, raw in enumerate([*lines, ""], start=1):
        if raw.strip("\r") == "":
            if para:
                text = "\n".join(p.strip() for p in para if p.strip())
                table.rows.append(Row([Cell(text, start, 0)], start, text))
                para = []
            continue
        if not para:
            start = i
        para.append(raw)
    return table


__all__ = [
    "NO_WRAP",
    "TextLayout",
    "detect",
    "ends_open",
    "is_tabbed",
    "laid_out",
    "read_text",
    "run_together",
    "split_cells",
    "wrap_width",
]
