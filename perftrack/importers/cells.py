"""Tables of cells: what every reader makes of a file, and all the interpreter reads.

A reader knows its format and nothing of forms; the interpreter knows forms and nothing of
formats. Between them is a :class:`Table`: rows of :class:`Cell` s, each remembering where it
came from (a line of a text file, a worksheet cell, a page of a PDF), and a :class:`Layout`
that says how much of the table's shape survived the trip:

- ``GRID``: rows known and a cell's column is its place (tab-separated text, workbooks, Word
  tables, PDF tables). Merged cells hold their text once, in their first row and column.
- ``PACKED``: rows known, but empty cells were dropped or moved to the row's end, so a cell's
  column is only its order (web tables as ``a | b | |||``, rows whose cells are split by spaces).
- ``STREAM``: one cell after another with the rows lost, empty cells kept (web tables written
  one cell a paragraph or a line ending in ``|``); sometimes the source marks a row's end.
- ``LINES``: one cell a line with the rows and the empty cells lost, and long cells wrapped
  onto further lines (other PDF-to-text tools).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum


class Layout(StrEnum):
    GRID = "grid"
    PACKED = "packed"
    STREAM = "stream"
    LINES = "lines"


@dataclass(slots=True)
class Cell:
    """One cell of a table, and where it came from."""

    text: str
    line: int  # 1-based line of a text file, or the row's number in a grid
    col: int  # GRID: the column; PACKED: the order in its row; STREAM/LINES: 0
    line_start: bool = True  # the first non-empty cell of its row or line
    line_end: bool = True  # the last non-empty cell of its row or line
    where: str | None = None  # the address a person looks for: "Sheet1!D7", "第3页 表1 第5行第2列"
    row_end: bool = False  # STREAM: the source marks the end of a table row after this cell

    @property
    def empty(self) -> bool:
        return not self.text.strip()


@dataclass(slots=True)
class Row:
    """A row of a table (a line of text, a grid row); in a STREAM or LINES table, one cell."""

    cells: list[Cell]
    line: int
    text: str  # the row as printed, for titles and the budget year


@dataclass(slots=True)
class Table:
    """Everything a reader found in one file (or one worksheet), in reading order."""

    file: str
    layout: Layout
    rows: list[Row] = field(default_factory=list)
    # text files whose forms may be tab rows or one cell a line: the interpreter decides per form
    text_lines: bool = False
    # the line where a text's cells run together with nothing between them (refused), if any
    run_together: int | None = None
    # the first line of PDF text laid out in columns by spaces, whose wrapped cells interleave (refused)
    laid_out: int | None = None
    # text that stops inside a cell: no line break, tab or "|" after its last character (a file cut
    # off mid-cell, as ``head -c`` leaves it); never set by the readers of workbooks, Word files, PDFs
    open_end: bool = False
    # text whose last line holds only separators (tabs, "|"): the file stops at the start of a row
    open_row: bool = False
    # UTF-8 whose last character was cut short (read up to it): the file surely was cut off
    cut_character: bool = False


def display_width(text: str) -> int:
    """Width on a fixed-pitch page: CJK characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def single_line(text: str) -> str:
    """A cell's text on one line: "社会效益\\n指标" closes up, "AABI\\nmembers" keeps a space."""
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    joined = parts[0] if parts else ""
    for p in parts[1:]:
        # a space only between two words of Latin letters or digits: a narrow cell wraps "(%" / ")"
        a, b = joined[-1:], p[:1]
        words = a.isascii() and a.isalnum() and b.isascii() and b.isalnum() and not (a.isdigit() and b.isdigit())
        joined += " " + p if words else p
    return joined


__all__ = ["Cell", "Layout", "Row", "Table", "display_width", "single_line"]
