"""Declaration forms laid out like the paper form in a grid of cells: a worksheet or a Word table.

A grid is read exactly as the text importer reads form text: each grid row becomes one
tab-separated line (line number = sheet row), so the same label recognition and indicator
table logic apply and every importer gives the same result for the same form. Afterwards
each problem and each indicator is given the cell it came from ("Sheet1!D17").

Cells differ from copied text in two ways handled here: a cell may hold line breaks (goal
paragraphs; a name wrapped inside a Word cell), and a merged cell holds its text once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from perftrack.domain.model import ImportResult
from perftrack.importers.cells import Cell, Layout, Row, Table, single_line
from perftrack.importers.column_rows import join_target_parts
from perftrack.importers.forms import read_table, title_kind
from perftrack.importers.labels import Field, Kind, classify

if TYPE_CHECKING:
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    from perftrack.ooxml import StreamedWorkbook

# (line, column), both 0-based → a name for the cell as the user sees it
Locator = Callable[[int, int], str]

_GOAL_FIELDS = (Field.GOALS_BLOCK, Field.PROJECT_GOAL, Field.ANNUAL_GOAL)
_BARE_SHEET = re.compile(r"[^\W\d]\w*")


def cell_text(cell: ReadOnlyCell) -> str:
    """A worksheet cell's value as the text a person sees; numbers exact, never through float text."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return _percent(Decimal(value), cell.number_format) or str(value)
    if isinstance(value, float | Decimal):
        # repr() is the shortest text that reads back as the same float: 5900000.0, 0.95
        number = value if isinstance(value, Decimal) else Decimal(repr(value))
        return _percent(number, cell.number_format) or format(number, "f")
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _percent(number: Decimal, number_format: str | None) -> str | None:
    """The text of a number in a percentage format (0.9 → "90%"); None for any other format."""
    fmt = number_format or ""
    if "%" not in fmt:
        return None
    places = len(m.group(1)) if (m := re.search(r"\.(0+)", fmt)) else 0
    percent = number * 100
    shown = percent.quantize(Decimal(1).scaleb(-places))
    # The format's places, but never fewer digits than the cell holds: 0.955 in a "0%" cell is 95.5%.
    return f"{format(shown if shown == percent else percent.normalize(), 'f')}%"


def is_form_grid(rows: Sequence[Sequence[str]]) -> bool:
    """True when the grid holds a form: a 项目名称 label cell or a form's title."""
    for row in rows:
        for text in row:
            if text and (classify(text) == (Kind.FIELD, Field.NAME) or title_kind(text) is not None):
                return True
    return False


def grid_table(rows: Sequence[Sequence[str]], file: str, locate: Locator) -> Table:
    """A grid (``rows[i][j]`` is row i+1, column j) as a table of cells that know their addresses."""
    table = Table(file, Layout.GRID)
    for i, row in enumerate(rows):
        filled = [
            (j, text.replace("\r\n", "\n").replace("\r", "\n")) for j, text in enumerate(row) if text and text.strip()
        ]
        cells = [
            Cell(text, i + 1, j, k == 0, k == len(filled) - 1, where=locate(i, j)) for k, (j, text) in enumerate(filled)
        ]
        table.rows.append(Row(cells, i + 1, "\t".join(single_line(t) for _, t in filled)))
    return table


def read_grid_forms(rows: Sequence[Sequence[str]], file: str, locate: Locator) -> ImportResult:
    """Read the forms in a grid (``rows[i][j]`` is line i+1, column j); problems name their cells."""
    return read_table(grid_table(rows, file, locate))


def read_form_sheet(ws: ReadOnlyWorksheet, file: str, rows: list[list[str]]) -> ImportResult:
    """Read the paper-form declarations on one worksheet, whose texts are ``rows`` (from :func:`sheet_grid`)."""
    return read_grid_forms([list(r) for r in rows], file, sheet_locator(ws))


def sheet_locator(ws: ReadOnlyWorksheet) -> Locator:
    """Names cells of this sheet as Excel does: (line 6, column 3) → "Sheet1!D7"."""
    from openpyxl.utils import get_column_letter

    # Excel quotes a sheet name only when it is not one word: 表3!D21 but 'Sheet 1'!D21
    title = ws.title
    sheet = title if _BARE_SHEET.fullmatch(title) else "'" + title.replace("'", "''") + "'"
    return lambda line, col: f"{sheet}!{get_column_letter(col + 1)}{line + 1}"


def sheet_grid(book: StreamedWorkbook, ws: ReadOnlyWorksheet) -> list[list[str]]:
    """The sheet's texts as rows of cells from A1; a merged cell's text sits in its top-left cell.

    The sheet is streamed a row at a time and only cells present in the file are visited
    (:meth:`perftrack.ooxml.StreamedWorkbook.texts`): a sheet whose dimension says XFD1048576
    because of one stray formatted cell must not make us walk seventeen billion positions.
    """
    return book.rows(ws, cell_text)


__all__ = [
    "cell_text",
    "grid_table",
    "is_form_grid",
    "join_target_parts",
    "read_form_sheet",
    "read_grid_forms",
    "sheet_grid",
    "sheet_locator",
]
