"""Office Open XML files (.xlsx workbooks, .docx documents): checked before any library parses them,
and worksheets read as streams.

Both formats are zip archives of XML parts. Before openpyxl or python-docx sees a file we read the
archive ourselves: it must be a readable zip, its declared uncompressed size must be modest (a zip
bomb declares gigabytes; zipfile never inflates a part past its declared size), and no XML part may
carry a DTD (an XML bomb hides its billion-laughs entities there; Office files never need one).

A workbook is also measured, because a small file can hold a huge sheet (a 1.2 MB file whose
cells inflate to 189 MB of XML): while the parts are scanned, expat counts what is really in them
(whatever a sheet's declared dimension says) the way openpyxl will read them, and the workbook is
refused as soon as it holds

- more than ``MAX_CELLS`` cells (``<c>`` elements, with or without a value) in its worksheets
  together, or more shared strings than that;
- in a worksheet: more rows than Excel has (``EXCEL_ROWS``: openpyxl keeps every row element it
  has read, so a 39 KB file of 3.9 million empty rows took 440 MB); more than
  ``MAX_RECORD_ELEMENTS`` elements in one row (openpyxl builds a row whole before reading it); more
  than ``MAX_TREE_ELEMENTS`` outside the rows (merged ranges, links, rules: kept as objects); more
  than ``MAX_STREAM_ELEMENTS`` in all; the shared strings likewise, a string for a row;
- a text longer than ``MAX_TEXT`` characters, Excel's limit for a cell (one cell of 150 MB took the
  importer 66 s and 1.2 GB, and its message printed it whole);
- any other XML part with more than ``MAX_TREE_ELEMENTS`` elements (openpyxl reads those whole: a
  styles part of a million cell formats takes it 20 s and 1.9 GB; Excel itself allows 64,000).

While a sheet is read its texts are laid out as rows, and a sheet is refused whose texts reach
past row ``MAX_ROWS`` or take more than ``MAX_GRID`` places as rows (a row as long as its last
text): a few cells far out (XFD7) or far down (A1048576) would otherwise make millions of empty
places. The sheets' XML has no size limit of its own: the archive's 200 MB bounds it, and openpyxl
writes every Chinese character as ``&#39033;``, so a legal list of 900,000 cells is 160 MB of XML.

The limits are far above any real file: a declaration form is a few hundred to two thousand
cells; a flat list has a row of about 18–25 cells per indicator, so a million cells is some 40,000
indicators (1,500 projects); an actuals file has three to five columns, so 200,000–300,000 rows.
Reading a list of 900,000 cells takes about 20 s and 200 MB (before streaming: 700 MB).

The sheets are then read with openpyxl in read-only mode, one row at a time, cells without a value
left out; merged ranges are applied as openpyxl's full reader applies them (a value hidden under a
merged range is not the range's).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from defusedxml import DefusedXmlException

from perftrack.domain.errors import UserError

if TYPE_CHECKING:
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

MB = 1024 * 1024
MAX_UNCOMPRESSED = 200 * MB  # bytes, all parts together; declarations are a few MB at most
MAX_PARTS = 10_000
MAX_CELLS = 1_000_000  # in a workbook's worksheets together; also its shared strings
MAX_STREAM_ELEMENTS = 4 * MAX_CELLS  # one worksheet or the shared strings
MAX_RECORD_ELEMENTS = 100_000  # in one row or one shared string (16,384 cells of text take 49,152)
EXCEL_ROWS = 1_048_576  # row elements in a sheet: Excel has no more rows
MAX_TEXT = 32_767  # characters in one cell or shared string: Excel's own limit
MAX_TREE_ELEMENTS = 250_000  # any other XML part (styles, workbook, content types, drawings ...)
MAX_GRID = 2 * MAX_CELLS  # places a sheet's texts take as rows (each row up to its last text, and the row)
MAX_ROWS = 400_000  # a sheet's rows up to its last text (an actuals row holds at least three cells)
_SCAN_CHUNK = 1024 * 1024

CONTENT_TYPES_PART = "[Content_Types].xml"
WORKBOOK_PART = "xl/workbook.xml"
WORKBOOK_RELS_PART = "xl/_rels/workbook.xml.rels"
DOCUMENT_PART = "word/document.xml"
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"

# Parts that are not XML and may legitimately hold "<!DOCTYPE" (an HTML altChunk) or any bytes.
# Every other part is scanned, whatever its name: a relationship may point a sheet at "x.dat".
_NOT_XML = tuple(".htm .html .mht .mhtml .png .jpg .jpeg .gif .bmp .tif .tiff .emf .wmf .bin .ttf .odttf".split())
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DTD_UTF16 = tuple(
    re.compile(b"|".join(re.escape(word.encode(enc)) for word in ("<!DOCTYPE", "<!ENTITY")), re.IGNORECASE)
    for enc in ("utf-16-le", "utf-16-be")
)
_TOO_BIG = "不像申报表或实际值表，拒绝读取"


class OfficeFileError(UserError):
    """The file cannot be read; ``code`` is the problem's stable code, the message is in Chinese."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def inspect(path: Path) -> str:
    """Which kind of Office file this is ("workbook" or "document"), after the checks above.

    Raises OfficeFileError for anything we will not hand to openpyxl or python-docx.
    """
    try:
        size = path.stat().st_size
        if size == 0:
            raise OfficeFileError("empty-file", "文件是空的")
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            if len(infos) > MAX_PARTS:
                raise OfficeFileError("too-large", f"压缩包中有 {len(infos)} 个部件，不像申报表，拒绝读取")
            declared = sum(i.file_size for i in infos)
            if declared > MAX_UNCOMPRESSED:
                raise OfficeFileError(
                    "too-large",
                    f"解压后将有 {declared / MB:,.0f} MB（上限 {MAX_UNCOMPRESSED // MB} MB），可能是压缩炸弹，拒绝读取",
                )
            if WORKBOOK_PART in names:
                _check_workbook(archive, infos)
                return "workbook"
            if DOCUMENT_PART in names:
                for info in infos:
                    _Scan(archive, info).run()  # a DTD only: Word's parts are python-docx's business
                return "document"
            raise OfficeFileError("not-office", "这是一个压缩包，但不是 Excel 工作簿（.xlsx）或 Word 文档（.docx）")
    except OfficeFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError) as exc:
        raise OfficeFileError("bad-zip", f"文件已损坏或不完整，无法解压（{exc}）") from exc
    except NotImplementedError as exc:  # an unsupported compression method or encryption
        raise OfficeFileError("bad-zip", f"无法解压（{exc}）；文件是否加密？") from exc
    except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
        raise OfficeFileError("bad-zip", f"无法解压（{exc}）；请先去掉文件密码") from exc
    except (ParseError, DefusedXmlException) as exc:
        raise OfficeFileError("broken-file", f"Excel 工作簿已损坏，无法读取（{exc}）") from exc
    except OSError as exc:
        raise OfficeFileError("unreadable", f"无法读取文件（{exc.strerror or exc}）") from exc


# -- the archive ------------------------------------------------------------------------------


class _Over(Exception):
    """A scan counted more than its limits allow of ``what`` (a field of _Limits)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


@dataclass(frozen=True, slots=True)
class _Limits:
    """What one XML part may hold, as openpyxl will read it; 0: not counted."""

    elements: int  # elements in the part
    record: str = ""  # the local name of the records openpyxl reads the part by, one at a time
    records: int = 0
    in_record: int = 0  # elements in one record: openpyxl builds a record whole before reading it
    outside: int = 0  # elements outside the records: openpyxl keeps them all (merged ranges, links, rules)
    cells: int | None = None  # "c" elements (in the records)
    text: int = 0  # characters in one text between two tags


_TREE = _Limits(MAX_TREE_ELEMENTS)
_STRINGS = _Limits(MAX_STREAM_ELEMENTS, "si", MAX_CELLS, MAX_RECORD_ELEMENTS, MAX_TREE_ELEMENTS, text=MAX_TEXT)


def _sheet(cells: int) -> _Limits:
    return _Limits(MAX_STREAM_ELEMENTS, "row", EXCEL_ROWS, MAX_RECORD_ELEMENTS, MAX_TREE_ELEMENTS, cells, MAX_TEXT)


class _Scan:
    """One pass over a part: its bytes searched for a DTD and, with limits, its elements counted.

    The DTD is looked for in the bytes whatever encoding the part claims, as the file's first
    line of defence; expat counts the elements the way openpyxl's own parser will see them (the
    same encodings, namespaces, comments and CDATA), stopping at the first one over a limit. Where
    expat cannot parse the part (not XML, or broken) the count stops there, as openpyxl's would.
    """

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        self.archive = archive
        self.info = info
        self.elements = self.records = self.in_record = self.outside = self.cells = self.text = 0
        self.depth = 0  # inside a record: 1 on the record, 2 on its children …

    def run(self, limits: _Limits | None = None) -> _Scan:
        if self.info.filename.lower().endswith(_NOT_XML):
            return self
        parser = self._parser(limits) if limits is not None else None
        tail = b""
        with self.archive.open(self.info) as fh:
            while chunk := fh.read(_SCAN_CHUNK):
                window = tail + chunk
                if _DTD.search(window) or any(p.search(window) for p in _DTD_UTF16):
                    raise OfficeFileError(
                        "unsafe-xml",
                        f"部件 {self.info.filename} 中有 DTD/实体声明（可能是 XML 炸弹），"
                        "正常的 Office 文件不会有，拒绝读取",
                    )
                tail = window[-32:]
                if parser is not None:
                    try:
                        parser.Parse(chunk, False)
                    except expat.ExpatError:
                        parser = None
        return self

    def _parser(self, limits: _Limits) -> Any:
        def start(tag: str, _attributes: object) -> None:
            self.text = 0
            self.elements += 1
            if self.elements > limits.elements:
                raise _Over("elements")
            if not limits.record:
                return
            local = tag[tag.rfind(" ") + 1 :]  # "{namespace} name" → name
            if self.depth:
                self.depth += 1
                self.in_record += 1
                if self.in_record > limits.in_record:
                    raise _Over("in_record")
                if local == "c" and limits.cells is not None:
                    self.cells += 1
                    if self.cells > limits.cells:
                        raise _Over("cells")
            elif local == limits.record:
                self.depth = 1
                self.in_record = 0
                self.records += 1
                if self.records > limits.records:
                    raise _Over("records")
            else:
                self.outside += 1
                if self.outside > limits.outside:
                    raise _Over("outside")

        def end(_tag: str) -> None:
            self.text = 0
            if self.depth:
                self.depth -= 1

        def text(data: str) -> None:
            self.text += len(data)
            if self.text > limits.text:
                raise _Over("text")

        def dtd(*_args: object) -> None:
            raise OfficeFileError(
                "unsafe-xml", f"部件 {self.info.filename} 中有 DTD/实体声明，正常的 Office 文件不会有，拒绝读取"
            )

        parser = expat.ParserCreate(namespace_separator=" ")
        parser.ordered_attributes = True  # a list is cheaper than a dict, and not looked at
        parser.StartElementHandler = start
        if limits.record:
            parser.EndElementHandler = end
        if limits.text:
            parser.buffer_text = True  # a text in one call, not one for each line or entity
            parser.buffer_size = 65536
            parser.CharacterDataHandler = text
        parser.StartDoctypeDeclHandler = dtd
        parser.EntityDeclHandler = dtd
        return parser


def _check_workbook(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Every part scanned for a DTD and measured against the limits; every sheet's part present."""
    by_name = {i.filename: i for i in infos}
    first = [by_name[p] for p in (CONTENT_TYPES_PART, WORKBOOK_RELS_PART, WORKBOOK_PART) if p in by_name]
    for info in first:  # the parts that say which part is what are measured before they are parsed
        _measure(archive, info, _TREE, f"部件 {info.filename} ")
    sheets = _sheet_parts(archive, set(by_name))
    strings = _shared_string_parts(archive, by_name)
    cells = 0
    for info in infos:
        if info in first:
            continue
        if info.filename in sheets:
            name = sheets[info.filename]
            try:
                cells += _measure(archive, info, _sheet(MAX_CELLS - cells), f"工作表“{name}”").cells
            except _Over:  # only the cells are left to the caller: they are the workbook's
                where = f"工作表“{name}”" if cells == 0 else f"工作簿（读到工作表“{name}”时）"
                raise OfficeFileError("too-large", f"{where}的单元格超过上限 {MAX_CELLS:,} 个，{_TOO_BIG}") from None
        elif info.filename in strings:
            _measure(archive, info, _STRINGS, f"共享字符串表（{info.filename}）")
        else:
            _measure(archive, info, _TREE, f"部件 {info.filename} ")


def _measure(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: _Limits, what: str) -> _Scan:
    """The part scanned within ``limits``; past one, OfficeFileError saying which (the cells: _Over)."""
    try:
        return _Scan(archive, info).run(limits)
    except _Over as over:
        if over.what == "cells":
            raise
        row = limits.record == "row"
        record, one = ("行", "一行") if row else ("个字符串", "一个字符串")
        message = {
            "elements": f"有超过 {limits.elements:,} 个 XML 元素",
            "records": f"有超过 {limits.records:,} {record}" + ("（Excel 的上限）" if row else ""),
            "in_record": f"的{one}有超过 {limits.in_record:,} 个 XML 元素",
            "outside": f"在{'单元格' if row else '字符串'}之外有超过 {limits.outside:,} 个 XML 元素"
            + ("（合并区域、超链接、格式规则等）" if row else ""),
            "text": f"有一段文字超过 {limits.text:,} 个字符（Excel 一个单元格的上限）",
        }[over.what]
        why = _TOO_BIG if limits.record else "不像正常的工作簿，拒绝读取"
        raise OfficeFileError("too-large", f"{what}{message}，{why}") from None


def _sheet_parts(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    """The part of every worksheet the workbook lists (read as a stream), and the sheet's name.

    Every sheet must have its part: openpyxl silently drops one that is missing, which would import
    the other sheets of a damaged file as if it were whole.
    """
    from defusedxml.ElementTree import fromstring

    if WORKBOOK_RELS_PART not in names:
        raise OfficeFileError("broken-file", f"Excel 工作簿已损坏：缺少 {WORKBOOK_RELS_PART}")
    targets: dict[str, tuple[str, str]] = {}
    for el in fromstring(archive.read(WORKBOOK_RELS_PART)).iter():
        if el.tag.endswith("}Relationship") and el.get("TargetMode") != "External":
            target = el.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            targets[el.get("Id", "")] = (part, el.get("Type", ""))
    sheets: dict[str, str] = {}
    for el in fromstring(archive.read(WORKBOOK_PART)).iter():
        if not el.tag.endswith("}sheet"):
            continue
        rel_id = next((v for k, v in el.attrib.items() if k.endswith("}id")), "")
        part, kind = targets.get(rel_id, ("", ""))
        part = posixpath.normpath(part) if part else part
        if part not in names:
            raise OfficeFileError(
                "broken-file",
                f"Excel 工作簿已损坏：缺少工作表“{el.get('name', '')}”的内容（{part or rel_id}）",
            )
        if "chartsheet" not in kind:  # openpyxl reads a chart sheet whole, like any other part
            sheets[part] = el.get("name", "")
    return sheets


def _shared_string_parts(archive: zipfile.ZipFile, by_name: dict[str, zipfile.ZipInfo]) -> set[str]:
    """The shared-string part(s), found as openpyxl finds them: by content type in [Content_Types].xml."""
    from defusedxml.ElementTree import fromstring

    if CONTENT_TYPES_PART not in by_name:
        return set()
    return {
        el.get("PartName", "").lstrip("/")
        for el in fromstring(archive.read(CONTENT_TYPES_PART)).iter()
        if el.tag.endswith("}Override") and el.get("ContentType") == _SHARED_STRINGS_TYPE
    }


# -- reading --------------------------------------------------------------------------------


def library_errors() -> tuple[type[BaseException], ...]:
    """What openpyxl or python-docx may raise while parsing a broken file (not our own bugs)."""
    errors: list[type[BaseException]] = [
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        KeyError,
        ParseError,
        DefusedXmlException,
        ValueError,
        OSError,
    ]
    try:
        from lxml.etree import LxmlError

        errors.append(LxmlError)
    except ImportError:  # pragma: no cover - lxml comes with python-docx
        pass
    try:
        from openpyxl.utils.exceptions import InvalidFileException

        errors.append(InvalidFileException)
    except ImportError:  # pragma: no cover
        pass
    # openpyxl's typed descriptors raise TypeError on a malformed attribute, and its readers
    # IndexError/AttributeError on a part missing what it must hold
    errors += [TypeError, IndexError, AttributeError]
    return tuple(errors)


class StreamedWorkbook:
    """A workbook opened by openpyxl in read-only mode (after :func:`inspect`), its sheets read as streams.

    Use it in a ``with`` block or call :meth:`close`: read-only mode keeps the file open.
    """

    def __init__(self, path: Path) -> None:
        import openpyxl

        # a file object, not the path: openpyxl refuses names not ending in .xlsx, and we go by content
        self._file = path.open("rb")
        try:
            self.book: Workbook = openpyxl.load_workbook(self._file, read_only=True, data_only=True)
        except BaseException:
            self._file.close()
            raise
        self.cells = 0  # cells streamed so far, in every sheet

    def __enter__(self) -> StreamedWorkbook:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.book.close()
        finally:
            self._file.close()

    @property
    def worksheets(self) -> list[ReadOnlyWorksheet]:
        return self.book.worksheets  # type: ignore[return-value]

    def rows(self, ws: ReadOnlyWorksheet, text: Callable[[ReadOnlyCell], str]) -> list[list[str]]:
        """The sheet's texts as rows of cells from A1 (``rows[i][j]`` is row i+1, column j+1), as ``text``
        gives them: "" where empty, each row as long as its last text, no empty rows at the end.

        Only cells present in the file are visited, one row at a time: a sheet whose dimension
        says A1:XFD1048576 because of one stray formatted cell must not make us walk seventeen
        billion positions (openpyxl's ``iter_rows`` would pad every row to the dimension's width).
        A cell hidden under a merged range is left out, as openpyxl's full reader leaves it, and of
        two cells at one address the later one counts, as there.
        """
        from openpyxl.cell.read_only import ReadOnlyCell
        from openpyxl.worksheet._reader import WorkSheetParser

        wb = self.book
        grid = _Grid(ws.title)
        # What ReadOnlyWorksheet._cells_by_row does, without the padding, and keeping the parser
        # to the end for the merged ranges that follow the cells.
        with ws._get_source() as source:
            parser = WorkSheetParser(
                source,
                ws._shared_strings,
                data_only=wb.data_only,
                epoch=wb.epoch,
                date_formats=wb._date_formats,
                timedelta_formats=wb._timedelta_formats,
            )
            for _, row in parser.parse():
                self.cells += len(row)
                if self.cells > MAX_CELLS:  # inspect() counted them already; this is the second guard
                    raise OfficeFileError(
                        "too-large", f"工作表“{ws.title}”的单元格超过上限 {MAX_CELLS:,} 个，{_TOO_BIG}"
                    )
                for cell in row:
                    value = text(ReadOnlyCell(ws, **cell)) if cell["value"] is not None else ""
                    grid.put(cell["row"], cell["column"], value)
        if parser.merged_cells is not None:
            _leave_out_covered(grid.rows, [_bounds(m.ref) for m in parser.merged_cells.mergeCell])
        return grid.trimmed()


def open_workbook(path: Path) -> StreamedWorkbook:
    """The workbook at ``path`` opened for streaming; call :func:`inspect` on it first."""
    return StreamedWorkbook(path)


class _Grid:
    """Texts placed in rows as they stream in; the rows limited to MAX_ROWS and their places to MAX_GRID.

    The readers after us want whole rows, a row as long as its last text; so one text far out
    (XFD7) makes 16,384 places, and one far down (A1048576) a million rows (300 MB once they are
    read as a table): a few thousand cells spread out like that would fill the memory however few
    they are.
    """

    def __init__(self, sheet: str) -> None:
        self.rows: list[list[str]] = []
        self.sheet = sheet
        self.size = 0  # places: each row's length and one for each row

    def put(self, row: int, column: int, value: str) -> None:
        rows = self.rows
        if not value:  # an empty cell never adds a place, but takes the place of an earlier cell there
            if row <= len(rows) and column <= len(line := rows[row - 1]):
                line[column - 1] = ""
            return
        if row > len(rows):
            if row > MAX_ROWS:
                raise OfficeFileError(
                    "too-large", f"工作表“{self.sheet}”的内容到第 {row:,} 行，超过上限 {MAX_ROWS:,} 行，{_TOO_BIG}"
                )
            self._take(row - len(rows), row, column)
            rows.extend([] for _ in range(row - len(rows)))
        line = rows[row - 1]
        if column > len(line):
            self._take(column - len(line), row, column)
            line.extend([""] * (column - len(line)))
        line[column - 1] = value

    def _take(self, places: int, row: int, column: int) -> None:
        self.size += places
        if self.size > MAX_GRID:
            raise OfficeFileError(
                "too-large",
                f"工作表“{self.sheet}”的内容散布太广（到第 {row:,} 行、第 {column:,} 列），"
                f"排成表格超过上限 {MAX_GRID:,} 格，{_TOO_BIG}",
            )

    def trimmed(self) -> list[list[str]]:
        """The rows without the empty places a later cell or a merged range left at their ends."""
        rows = self.rows
        for line in rows:
            while line and not line[-1]:
                line.pop()
        while rows and not rows[-1]:
            rows.pop()
        return rows


def _bounds(ref: str) -> tuple[int, int, int, int]:
    """(first row, first column, last row, last column) of a merged range, checked as openpyxl checks it."""
    from openpyxl.worksheet.cell_range import CellRange

    cr = CellRange(ref)
    return cr.min_row, cr.min_col, cr.max_row, cr.max_col


def _leave_out_covered(rows: list[list[str]], ranges: list[tuple[int, int, int, int]]) -> None:
    """Empty every text inside a merged range but at the range's top-left cell (``rows[i][j]``: row i+1, column j+1).

    openpyxl's full reader replaces each such cell by an empty MergedCell, whatever it held (so a
    range's top-left cell hidden under another range is emptied too). It does so by visiting every
    position of every range; here the rows are swept instead, with the columns the open ranges
    cover kept in a Fenwick tree, so a range over a whole sheet costs no more than a small one.
    """
    width = max((len(line) for line in rows), default=0)
    if not width or not ranges:
        return
    tree = [0] * (width + 2)

    def add(column: int, delta: int) -> None:  # to every column from ``column`` on
        while column <= width + 1:
            tree[column] += delta
            column += column & -column

    def covering(column: int) -> int:
        total = 0
        while column > 0:
            total += tree[column]
            column -= column & -column
        return total

    def cover(bounds: tuple[int, int, int, int], delta: int) -> None:
        _, first, _, last = bounds
        if first <= width:
            add(first, delta)
            add(min(last, width) + 1, -delta)

    corners = Counter((top, left) for top, left, _, _ in ranges)
    opening = sorted(ranges)
    closing = sorted(ranges, key=lambda b: b[2])
    o = c = 0
    for row, line in enumerate(rows, start=1):
        if not line:
            continue
        while o < len(opening) and opening[o][0] <= row:
            cover(opening[o], 1)
            o += 1
        while c < len(closing) and closing[c][2] < row:
            cover(closing[c], -1)
            c += 1
        if o == c:  # no range open on this row
            continue
        for column, value in enumerate(line, start=1):
            if value and covering(column) > corners.get((row, column), 0):
                line[column - 1] = ""


__all__ = [
    "EXCEL_ROWS",
    "MAX_CELLS",
    "MAX_GRID",
    "MAX_RECORD_ELEMENTS",
    "MAX_ROWS",
    "MAX_STREAM_ELEMENTS",
    "MAX_TEXT",
    "MAX_TREE_ELEMENTS",
    "MAX_UNCOMPRESSED",
    "OfficeFileError",
    "StreamedWorkbook",
    "inspect",
    "library_errors",
    "open_workbook",
]
