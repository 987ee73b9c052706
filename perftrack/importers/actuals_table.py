"""Reading an actuals table: a CSV file or a workbook's first sheet, one actual value a row.

One reader per format, each giving rows of cell texts read as every other file is: CSV text
decoded by :mod:`perftrack.importers.text_decode` (UTF-8 with or without its BOM, UTF-16 with a
BOM, GBK/GB18030; anything else refused with the reason), a workbook streamed after the checks
every workbook passes (``perftrack/ooxml.py``) with each cell as the form importers read it
(:func:`perftrack.importers.xlsx_form.cell_text`: a date is 2024-03-31, a boolean 是 / 否,
numbers exact). Then the header row is found by its column names (项目名称 / project, 三级指标 /
indicator, 期间 / period, 实际值 / value, 说明 / note; optionally 得分比例 / percent and 年度 /
year) and every row under it becomes an :class:`~perftrack.domain.actuals_table.ActualsRow` that
knows its row number.

Nothing here knows the database: finding each project and indicator, checking the value
against its target and writing all rows or none are the store's
(:mod:`perftrack.store.actuals_import`).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from perftrack.domain.actuals_table import ActualsRow, ActualsTable
from perftrack.domain.errors import UserError
from perftrack.importers.text_decode import DecodeError, read_text

HEADER_SEARCH_ROWS = 10

# Header spellings, compared after folding width, case, spaces, brackets and "*" marks.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "project": ("项目名称", "项目", "project", "projectname"),
    "indicator": ("三级指标", "指标名称", "指标", "indicator", "indicatorname"),
    "period": ("期间", "填报期间", "period"),
    "value": ("实际值", "实际完成值", "完成值", "全年实际完成值", "value", "actual", "actualvalue"),
    "note": ("说明", "备注", "note", "notes", "remark", "remarks"),
    "percent": ("得分比例", "比例", "percent", "share"),
    "year": ("年度", "年份", "year"),
}
REQUIRED = ("project", "indicator", "value")
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the binary .xls of Excel 97–2003


class ActualsTableError(UserError, ValueError):
    """The file cannot be read as an actuals table; the Chinese message names the file and why."""


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[(\[（【].*?[)\]）】]", "", text)  # "实际值（元）", "period (Q1..Q4)"
    return re.sub(r"[\s_\-*:：]", "", text)


_ALIAS_TO_COLUMN = {_fold(alias): column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}


def _header_columns(cells: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = _ALIAS_TO_COLUMN.get(_fold(cell))
        if column is not None and column not in columns:
            columns[column] = index
    return columns


def read_csv_rows(path: Path) -> list[list[str]]:
    """A CSV file's rows (comma, tab or semicolon, whichever its first line uses most), cells stripped."""
    return [[cell.strip() for cell in row] for row in _csv_rows(path)]


def _csv_rows(path: Path) -> Iterator[list[str]]:
    try:
        text, _ = read_text(path)
    except DecodeError as exc:
        advice = "；请另存为 UTF-8 编码的 CSV" if "编码" in str(exc) else ""
        raise ActualsTableError(f"{exc}{advice}") from exc
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", "\t", ";"), key=first.count)
    try:
        yield from csv.reader(io.StringIO(text), delimiter=delimiter)  # cells as written: strip what is read
    except csv.Error as exc:
        raise ActualsTableError(f"{path}：CSV 格式有误（{exc}）") from exc


def read_xlsx_rows(path: Path) -> list[list[str]]:
    """The first sheet's rows (``rows[i]`` is sheet row i+1), each cell as the form importers read it."""
    from perftrack.importers.xlsx_form import cell_text
    from perftrack.ooxml import OfficeFileError, inspect, library_errors, open_workbook

    try:
        if inspect(path) != "workbook":
            raise OfficeFileError("not-office", "这是 Word 文档")
        with open_workbook(path) as book:
            rows = book.rows(book.worksheets[0], cell_text) if book.worksheets else []
    except OfficeFileError as exc:
        if exc.code == "too-large":
            raise ActualsTableError(f"{path}：{exc}") from exc
        raise ActualsTableError(f"{path}：不是有效的 .xlsx 工作簿，无法读取（{exc}）") from exc
    except library_errors() as exc:
        reason = str(exc) or type(exc).__name__
        raise ActualsTableError(f"{path}：不是有效的 .xlsx 工作簿，无法读取（{reason}）") from exc
    return [[text.strip() for text in row] for row in rows]


def read_rows(path: Path) -> list[list[str]]:
    """The rows of a CSV file or of a workbook's first sheet, every cell as text, by the file's content."""
    return [[cell.strip() for cell in row] for row in _rows(path)]


def _rows(path: Path) -> Iterator[list[str]]:
    try:
        with path.open("rb") as file:
            start = file.read(8)
    except OSError as exc:
        reason = "文件不存在" if isinstance(exc, FileNotFoundError) else exc.strerror or str(exc)
        raise ActualsTableError(f"{path}：无法读取（{reason}）") from exc
    if start.startswith(_OLE_MAGIC):
        raise ActualsTableError(f"{path}：不支持旧版 .xls 工作簿，请在 Excel 中另存为 .xlsx 或 CSV")
    if start.startswith(_XLSX_MAGIC) or path.suffix.lower() in (".xlsx", ".xlsm"):
        return iter(read_xlsx_rows(path))
    return _csv_rows(path)


def _find_header(rows: Iterator[list[str]], path: Path) -> tuple[int, dict[str, int]]:
    """The header's row number and where each column is, reading no further than the header."""
    seen = 0
    for number, cells in enumerate(rows, start=1):
        if not any(cell.strip() for cell in cells):
            continue
        columns = _header_columns(cells)
        if all(name in columns for name in REQUIRED):
            return number, columns
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    raise ActualsTableError(
        f"{path}：没有找到表头。需要“项目名称、三级指标、期间、实际值、说明”列"
        "（或 project, indicator, period, value, note）"
    )


def read_actuals_table(path: Path) -> ActualsTable:
    """The actuals table in a CSV or .xlsx file: its data rows under the header, blank lines left out."""
    path = Path(path)
    rows = _rows(path)
    header, columns = _find_header(rows, path)
    has_period = "period" in columns
    positions = [columns.get(name) for name in ("project", "indicator", "period", "value", "note", "percent", "year")]
    table = ActualsTable(path, [])
    # One copy of each text that repeats down the table (a project's name on each of its rows, the
    # period, a note): a quarter of a city is a quarter of a million rows.
    shared: dict[str, str] = {}
    for number, cells in enumerate(rows, start=header + 1):
        width = len(cells)
        texts = [cells[i].strip() if i is not None and i < width else "" for i in positions]
        if not any(texts) and not any(cell.strip() for cell in cells):
            continue  # a blank line
        project, indicator, period, value, note, percent, year = (shared.setdefault(t, t) for t in texts)
        table.rows.append(
            ActualsRow(number, project, indicator, period if has_period else None, value, note, percent, year)
        )
    return table


__all__ = [
    "COLUMN_ALIASES",
    "ActualsRow",
    "ActualsTable",
    "ActualsTableError",
    "read_actuals_table",
    "read_csv_rows",
    "read_rows",
    "read_xlsx_rows",
]
