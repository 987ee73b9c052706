"""A workbook written one finished sheet at a time, so its memory stays flat however many projects.

openpyxl's ordinary workbook keeps every cell and chart of every sheet as objects until it is
saved (1,000 projects: 700 MB), and its per-cell machinery — descriptors, style hashing, a merged
block made of cell objects, an lxml element per cell — took most of an export's time (profile
of 200 projects: 18.5 of 27 s building cells and merges, 6.4 s writing them, 1.9 s the charts).

Here a sheet keeps its cells as plain (value, style id) pairs while ``Grid`` fills it in any
order. Once complete, ``close()`` writes it straight into the .xlsx (a zip): its rows as XML
text in one pass, and its drawing and native charts; then its cells and charts are dropped.
Sheets may be finished in any order (the summary, first in the workbook, is written last).
``finish()`` adds the workbook's own parts (styles, sheet list, print areas, content types).

openpyxl still makes every part but the rows: the page setup, merges, links and drawing
references around them (its worksheet writer, with the rows spliced into the ``<sheetData>``
it writes empty), the charts, the drawings, the styles and the package. These are openpyxl's
own writers called one sheet at a time, where its ``save()`` would call them all at the end;
openpyxl is pinned to 3.1 in pyproject.toml, and the export tests read every file back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.packaging.extended import ExtendedProperties
from openpyxl.packaging.manifest import Manifest
from openpyxl.packaging.relationship import get_rels_path
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, BUILTIN_FORMATS_REVERSE
from openpyxl.styles.stylesheet import write_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook._writer import WorkbookWriter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.writer.theme import theme_xml
from openpyxl.xml.constants import (
    ARC_APP,
    ARC_CORE,
    ARC_ROOT_RELS,
    ARC_STYLE,
    ARC_THEME,
    ARC_WORKBOOK,
    ARC_WORKBOOK_RELS,
)
from openpyxl.xml.functions import tostring

from perftrack.export.charts import chart_xml
from perftrack.export.styles import CellStyle

_EMPTY_ROWS = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_LETTERS = [""] + [get_column_letter(c) for c in range(1, 201)]


def _letter(col: int) -> str:
    return _LETTERS[col] if col < len(_LETTERS) else get_column_letter(col)


class StreamedWorkbook(Workbook):
    """A workbook of ``StreamedSheet``\\s written into ``path`` as each sheet is finished.

    Call ``finish()`` once every sheet is filled (it closes the file), or ``abandon()``.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(write_only=True)
        self._style_ids: dict[tuple[int, str | None, bool], tuple[CellStyle, int]] = {}
        self._parts: dict[tuple[int, int], tuple[Any, int]] = {}
        self._archive = ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)
        self._manifest = Manifest()
        self._drawing_count = 0
        self._chart_count = 0

    def create_streamed_sheet(self, title: str) -> StreamedSheet:
        """A new sheet at the end of the workbook."""
        sheet = StreamedSheet(self, title)
        self._add_sheet(sheet)
        sheet._id = len(self._sheets)
        return sheet

    def style_id(self, style: CellStyle, number_format: str | None = None, quote: bool = False) -> int:
        """The index of a cell style in the workbook: font, border, fill, alignment, format, quote prefix."""
        key = (id(style), number_format, quote)
        known = self._style_ids.get(key)
        if known is not None:
            return known[1]
        # As openpyxl's cell style setters do, with each part looked up by identity: hashing a
        # font or a border is slow, and one workbook per unit makes each style afresh.
        styled = StyleArray()
        styled.fontId = self._part(self._fonts, style.font)
        styled.borderId = self._part(self._borders, style.border)
        styled.fillId = self._part(self._fills, style.fill)
        styled.alignmentId = self._part(self._alignments, style.alignment)
        if number_format is not None:
            if number_format in BUILTIN_FORMATS_REVERSE:
                styled.numFmtId = BUILTIN_FORMATS_REVERSE[number_format]
            else:
                styled.numFmtId = self._number_formats.add(number_format) + BUILTIN_FORMATS_MAX_SIZE
        if quote:
            styled.quotePrefix = 1
        index = self._cell_styles.add(styled)
        self._style_ids[key] = (style, index)  # the style is kept so its id is never reused
        return index

    def _part(self, parts: IndexedList, part: Any) -> int:
        key = (id(parts), id(part))
        known = self._parts.get(key)
        if known is None:
            known = self._parts[key] = (part, parts.add(part))
        return known[1]

    def write_part(self, name: str, data: bytes | str, content: Any = None) -> None:
        """Add a part to the file; ``content`` (an object with ``path`` and ``mime_type``) lists its type."""
        self._archive.writestr(name, data)
        if content is not None:
            self._manifest.append(content)

    def finish(self) -> None:
        """Write what is left (sheets not yet closed, then the workbook's parts) and close the file."""
        for sheet in self.worksheets:
            if not sheet.closed:
                sheet.close()
        self.properties.modified = dt.datetime.now(tz=dt.UTC).replace(tzinfo=None)
        self.write_part(ARC_APP, tostring(ExtendedProperties().to_tree()))
        self.write_part(ARC_CORE, tostring(self.properties.to_tree()))
        self.write_part(ARC_THEME, theme_xml)
        self.write_part(ARC_STYLE, tostring(write_stylesheet(self)))
        writer = WorkbookWriter(self)
        self.write_part(ARC_ROOT_RELS, writer.write_root_rels())
        self.write_part(ARC_WORKBOOK, writer.write())
        self.write_part(ARC_WORKBOOK_RELS, writer.write_rels())
        self._manifest._write(self._archive, self)
        self._archive.close()

    def abandon(self) -> None:
        """Close the file unfinished (the caller removes it)."""
        self._archive.close()

    def save(self, filename: object) -> None:
        raise TypeError("a streamed workbook is written as it is filled: use finish()")


class CellRef:
    """A written cell, for what is set after its value: a link to another sheet."""

    __slots__ = ("_sheet", "coordinate")

    def __init__(self, sheet: StreamedSheet, coordinate: str) -> None:
        self._sheet = sheet
        self.coordinate = coordinate

    @property
    def hyperlink(self) -> Hyperlink | None:
        return next((h for h in self._sheet.links if h.ref == self.coordinate), None)

    @hyperlink.setter
    def hyperlink(self, link: Hyperlink) -> None:
        link.ref = self.coordinate
        self._sheet.links.append(link)


class StreamedSheet(WriteOnlyWorksheet):
    """A sheet whose cells are held until ``close()`` writes them, and its charts, into the file."""

    def __init__(self, parent: StreamedWorkbook, title: str) -> None:
        super().__init__(parent, title)
        self.book = parent
        self._by_row: dict[int, dict[int, tuple[Any, int]]] = {}  # row -> col -> (value, style id)
        self.heights: dict[int, float] = {}
        self.merges: list[str] = []
        self.links: list[Hyperlink] = []
        self._finished = False

    @property
    def closed(self) -> bool:
        return self._finished

    def put(self, row: int, col: int, value: Any, style_id: int) -> None:
        """Set a cell (a value, or None for an empty styled cell), replacing what was there."""
        cells = self._by_row.get(row)
        if cells is None:
            cells = self._by_row[row] = {}
        cells[col] = (value, style_id)

    def value(self, row: int, col: int) -> Any:
        """A cell's value so far (None when empty): what a chart caches of its data."""
        cell = self._by_row.get(row, {}).get(col)
        return None if cell is None else cell[0]

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        self.merges.append(f"{_letter(first_col)}{first_row}:{_letter(last_col)}{last_row}")

    def close(self) -> None:
        """Write the sheet, its drawing and its charts into the file (page setup must be set by now)."""
        if self._finished:
            return
        book = self.book
        buffer = BytesIO()
        writer = WorksheetWriter(self, out=buffer)
        writer.write_top()
        writer.write_rows()  # empty: this sheet keeps no openpyxl cells
        self._hyperlinks.extend(self.links)
        writer.write_tail()  # merges go in below, where openpyxl would put them
        writer.close()
        head, tail = _EMPTY_ROWS.split(buffer.getvalue(), maxsplit=1)
        merges = b""
        if self.merges:
            refs = "".join(f'<mergeCell ref="{ref}"/>' for ref in self.merges)
            merges = f'<mergeCells count="{len(self.merges)}">{refs}</mergeCells>'.encode()
        with book._archive.open(self.path[1:], "w") as out:
            out.write(head)
            out.write(b"<sheetData>")
            self._write_rows(out.write)
            out.write(b"</sheetData>")
            out.write(_after_rows(tail, merges))
        book._manifest.append(self)
        if self._charts:
            self._write_drawing(writer)
        if len(writer._rels):
            book.write_part(get_rels_path(self.path)[1:], tostring(writer._rels.to_tree()))
        self._finished = True
        self._let_go()

    def _let_go(self) -> None:
        """Drop what only writing the sheet needed; the workbook's sheet list keeps the rest
        (title, print area and titles, filter) for its own part. 1,000 projects are 2,000 sheets."""
        self._by_row = {}
        self.heights = {}
        self.merges = []
        self.links = []
        self._hyperlinks = []
        self.column_dimensions.clear()
        self.row_dimensions.clear()
        for name in (
            "HeaderFooter",
            "page_setup",
            "print_options",
            "page_margins",
            "views",
            "sheet_properties",
            "sheet_format",
            "protection",
            "conditional_formatting",
            "data_validations",
            "scenarios",
            "merged_cells",
            "row_breaks",
            "col_breaks",
        ):
            setattr(self, name, None)

    def _write_drawing(self, writer: WorksheetWriter) -> None:
        book = self.book
        drawing = SpreadsheetDrawing()
        drawing.charts = self._charts
        book._drawing_count += 1
        drawing._id = book._drawing_count
        for chart in self._charts:
            book._chart_count += 1
            chart._id = book._chart_count
        book.write_part(drawing.path[1:], tostring(drawing._write()), drawing)
        book.write_part(get_rels_path(drawing.path)[1:], tostring(drawing._write_rels()))
        for chart in self._charts:
            book.write_part(chart.path[1:], chart_xml(chart), chart)
        for rel in writer._rels:
            if "drawing" in rel.Type:
                rel.Target = drawing.path
        self._charts = []  # written: the chart objects are let go

    def _write_rows(self, write: Callable[[bytes], Any]) -> None:
        rows = self._by_row
        heights = self.heights
        parts: list[str] = []
        for r in sorted(rows.keys() | heights.keys()):
            height = heights.get(r)
            if height is None:
                parts.append(f'<row r="{r}">')
            else:
                parts.append(f'<row r="{r}" ht="{height}" customHeight="1">')
            cells = rows.get(r)
            if cells:
                for c in sorted(cells):
                    value, style = cells[c]
                    ref = f"{_letter(c)}{r}"
                    if value is None:
                        parts.append(f'<c r="{ref}" s="{style}"/>')
                    elif isinstance(value, str):
                        space = ' xml:space="preserve"' if value != value.strip() else ""
                        text = value.translate(_ESCAPES)
                        parts.append(f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
                    else:
                        parts.append(f'<c r="{ref}" s="{style}" t="n"><v>{_number(value)}</v></c>')
            parts.append("</row>")
            if len(parts) > 4096:
                write("".join(parts).encode("utf-8"))
                parts.clear()
        write("".join(parts).encode("utf-8"))


def _number(value: int | Decimal | float) -> str:
    """A number as openpyxl writes it (16 significant digits)."""
    return f"{float(value):.16g}"


# Elements that come after <mergeCells> in a worksheet (ECMA-376 CT_Worksheet order).
_AFTER_MERGES = re.compile(
    rb"<(?:phoneticPr|conditionalFormatting|dataValidations|hyperlinks|printOptions|pageMargins|pageSetup"
    rb"|headerFooter|rowBreaks|colBreaks|customProperties|cellWatches|ignoredErrors|smartTags|drawing"
    rb"|legacyDrawing|legacyDrawingHF|picture|oleObjects|controls|webPublishItems|tableParts|extLst)[\s/>]"
)


def _after_rows(tail: bytes, merges: bytes) -> bytes:
    """What follows the rows, with the merged ranges put in their place in the element order."""
    if not merges:
        return tail
    found = _AFTER_MERGES.search(tail)
    at = found.start() if found else tail.rindex(b"</")
    return tail[:at] + merges + tail[at:]
