"""Declaration forms in Word documents (.docx): paragraphs and tables in reading order, as a grid.

A form in Word is a title paragraph, the "(2024年度)" paragraph and one table (sometimes
the title sits in the table's first row). The document becomes a grid, one line per paragraph
and one per table row, and is then read by :func:`perftrack.importers.xlsx_form.read_grid_forms`
like a worksheet, so Word, Excel and text give the same result for the same form.

Merged cells: python-docx reports a merged cell once per grid position it covers (a level-1
label merged over twelve rows would come back twelve times). Here a merged cell's text is
kept only at its first position, as a worksheet keeps it in its top-left cell; Word marks
the continuation of a vertical merge (``vMerge="continue"``) and the width of a horizontal one
(``gridSpan``), so this needs no guessing from equal texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from perftrack.domain.model import ImportResult
from perftrack.importers.xlsx_form import is_form_grid, read_grid_forms

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table


@dataclass(frozen=True, slots=True)
class _Place:
    table: int | None  # 1-based table number; None for a paragraph
    number: int  # paragraph number, or row number within the table (1-based)

    def cell(self, col: int) -> str:
        if self.table is None:
            return f"第{self.number}段"
        return f"表{self.table} 第{self.number}行第{col + 1}列"


def document_grid(document: Document) -> tuple[list[list[str]], list[_Place]]:
    """The document as grid rows (one per paragraph or table row) and where each row is."""
    from docx.table import Table

    rows: list[list[str]] = []
    places: list[_Place] = []
    paragraphs = tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables += 1
            for r, cells in enumerate(_table_rows(block), start=1):
                rows.append(cells)
                places.append(_Place(tables, r))
        else:
            paragraphs += 1
            rows.append([block.text])
            places.append(_Place(None, paragraphs))
    return rows, places


def _table_rows(table: Table) -> list[list[str]]:
    """Each row's cells by grid column; a merged cell's text only at its first position."""
    from docx.table import _Cell

    out: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = [""] * row.grid_cols_before
        for tc in row._tr.tc_lst:  # spans are only on the XML element
            span = max(tc.grid_span, 1)
            if tc.vMerge == "continue":
                cells.extend([""] * span)
            else:
                cells.append(_Cell(tc, table).text)
                cells.extend([""] * (span - 1))
        out.append(cells)
    return out


def read_document(document: Document, file: str) -> ImportResult | None:
    """Read the forms in a Word document; None when it holds no declaration form."""
    rows, places = document_grid(document)
    if not is_form_grid(rows):
        return None
    return read_grid_forms(rows, file, lambda line, col: places[line].cell(col))


__all__ = ["document_grid", "read_document"]
