"""Office files (.xlsx workbooks and .docx Word documents): choose the reader by content, refuse unsafe files.

Both formats are zip archives of XML parts, checked before any library parses them
(``perftrack/ooxml.py``: a readable zip of modest declared size, no DTD in any XML part, and for a
workbook no more cells or XML than a real one holds). Workbooks are then read as streams, a row at
a time. Whatever openpyxl or python-docx still raise on a broken file becomes one ERROR problem
naming the file, and nothing from that file is imported.
"""

from __future__ import annotations

from pathlib import Path

from perftrack.domain.model import ImportResult, Problem, Severity
from perftrack.ooxml import MAX_UNCOMPRESSED, OfficeFileError, inspect, library_errors, open_workbook

# Codes of problems that mean "this file could not be read at all" (as opposed to a form with
# defects); the text importer's own codes for the same situation are included.
READ_FAILURE_CODES = frozenset(
    {
        "missing-file",
        "unreadable",
        "unsupported",
        "no-form",
        "empty-file",
        "bad-zip",
        "not-office",
        "too-large",
        "unsafe-xml",
        "broken-file",
        "bad-pdf",
        "encrypted",
        "scanned",
    }
)


def import_office(path: Path) -> ImportResult:
    """Read the declarations in a .xlsx workbook or a .docx document, chosen by the file's content."""
    name = str(path)
    result = ImportResult()
    kind: str | None = None
    try:
        kind = inspect(path)
        read = _read_workbook(path, name) if kind == "workbook" else _read_document(path, name)
    except OfficeFileError as exc:
        message = f"{name}: {exc}"
        if kind is not None and (note := _extension_note(path, kind)):
            message += f"（{note}）"
        result.problems.append(Problem(name, None, message, Severity.ERROR, exc.code))
        return result
    if note := _extension_note(path, kind):
        read.problems.insert(
            0, Problem(name, None, f"{name}: {note}，已按内容读入", Severity.WARNING, "wrong-extension")
        )
    return read


def _extension_note(path: Path, kind: str) -> str | None:
    """A word about a name whose extension says the other format (a .docx renamed .xlsx)."""
    expected = {".xlsx": "workbook", ".xlsm": "workbook", ".docx": "document", ".docm": "document"}
    suffix = path.suffix.lower()
    if suffix not in expected or expected[suffix] == kind:
        return None
    what = "Excel 工作簿" if kind == "workbook" else "Word 文档"
    return f"扩展名是 {suffix}，内容却是{what}"


# -- the readers ------------------------------------------------------------------------------


def _broken(what: str, exc: BaseException) -> OfficeFileError:
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return OfficeFileError("broken-file", f"{what}已损坏，无法读取（{detail}）")


def _read_workbook(path: Path, name: str) -> ImportResult:
    from perftrack.importers.xlsx_flat import find_flat_header, read_flat_grid
    from perftrack.importers.xlsx_form import is_form_grid, read_form_sheet, sheet_grid, sheet_locator

    try:
        book = open_workbook(path)
    except library_errors() as exc:
        raise _broken("Excel 工作簿", exc) from exc
    result = ImportResult()
    found = False
    with book:
        for ws in book.worksheets:
            try:
                rows = sheet_grid(book, ws)
            except library_errors() as exc:
                raise _broken("Excel 工作簿", exc) from exc
            header = find_flat_header(rows)
            if header is not None:
                result.extend(read_flat_grid(rows, header, name, sheet_locator(ws)))
                found = True
            elif is_form_grid(rows):
                result.extend(read_form_sheet(ws, name, rows))
                found = True
    if not found:
        raise OfficeFileError(
            "no-form",
            "工作簿中没有找到申报表：没有“项目名称”标签的表单，也没有含“项目名称”“三级指标”列的清单",
        )
    return result


def _read_document(path: Path, name: str) -> ImportResult:
    import docx

    from perftrack.importers.docx_form import read_document

    try:
        with path.open("rb") as fh:
            document = docx.Document(fh)
    except library_errors() as exc:
        raise _broken("Word 文档", exc) from exc
    result = read_document(document, name)
    if result is None:
        raise OfficeFileError("no-form", "文档中没有找到申报表（没有“项目名称”或“绩效目标申报表”）")
    return result


__all__ = ["MAX_UNCOMPRESSED", "READ_FAILURE_CODES", "OfficeFileError", "import_office"]
