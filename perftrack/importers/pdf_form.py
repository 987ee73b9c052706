"""Declaration forms in PDF files: the PDF reader's grid, read by the interpreter like a worksheet.

A department's budget disclosure is one PDF of many pages: a cover, contents, budget tables, then
the project forms. The reader (:mod:`.pdf_reader`) turns the whole file into one grid of cells
with their page, table, row and column; the interpreter finds every form in it by its title and
skips the rest, so problems name the page and the cell ("第12页 表1 第5行第3列").
"""

from __future__ import annotations

from pathlib import Path

from perftrack.domain.model import ImportResult, Problem, Severity
from perftrack.importers.forms import read_table
from perftrack.importers.pdf_reader import PdfReadError, read_pdf
from perftrack.importers.xlsx_form import grid_table

PDF_MAGIC = b"%PDF-"


def import_pdf(path: Path) -> ImportResult:
    """Read every form in a PDF; a file without a text layer, or that cannot be read, is refused with the reason."""
    name = str(path)
    try:
        grid = read_pdf(path)
    except PdfReadError as exc:
        return ImportResult(problems=[Problem(name, None, str(exc), Severity.ERROR, exc.code)])  # it names the file
    places = grid.places
    return read_table(grid_table(grid.rows, name, lambda line, col: places[line].cell(col)))


__all__ = ["PDF_MAGIC", "import_pdf"]
