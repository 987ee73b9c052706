"""Importing actual values from a CSV or XLSX table: every row is checked first, then all or none.

The table has a header row naming its columns in Chinese or English (项目名称 / project,
三级指标 / indicator, 期间 / period, 实际值 / value, 说明 / note; optionally 得分比例 /
percent and 年度 / year). Projects and indicators are found as on the command line: by the
exact name or a part only one of them contains. A file with any bad row writes nothing and
the error lists the rows ("第 5 行：…").
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from perftrack.store.actuals import Entry, RecordError, check_period, prepare_actual, write_actual
from perftrack.store.errors import StoreError
from perftrack.store.queries import find_indicator, find_project
from perftrack.store.schema import Indicator, Project

if TYPE_CHECKING:
    from openpyxl.cell.read_only import ReadOnlyCell

MAX_LISTED_ERRORS = 20
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


@dataclass(slots=True)
class ImportCount:
    """What an actuals import wrote."""

    rows: int = 0  # data rows read (blank lines not counted)
    recorded: int = 0  # rows written, each with its audit entries
    skipped: int = 0  # rows with neither a value nor a note
    projects: list[str] = field(default_factory=list)


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


def _decode(data: bytes, path: Path) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)  # Excel's "Unicode text" export
    else:
        # utf-8-sig reads UTF-8 with or without the BOM Excel writes; GB18030 covers GBK.
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RecordError(f"{path}：无法识别文件编码（已尝试 UTF-8 和 GBK），请另存为 UTF-8 编码的 CSV")


def _read_csv(data: bytes, path: Path) -> list[list[str]]:
    text = _decode(data, path)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", "\t", ";"), key=first.count)
    try:
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as exc:
        raise RecordError(f"{path}：CSV 格式有误（{exc}）") from exc


def _cell_text(value: object, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        # openpyxl hands numbers over as binary floats; repr() is the shortest text that
        # reads back to the same float, which is what the spreadsheet displayed.
        number = Decimal(repr(value))
        if number_format and "%" in number_format:
            return format((number * 100).normalize(), "f") + "%"
        return format(number, "f")
    if isinstance(value, int) and not isinstance(value, bool):
        if number_format and "%" in number_format:
            return f"{value * 100}%"
        return str(value)
    return str(value).strip()


def _read_xlsx(path: Path) -> list[list[str]]:
    """The first sheet's rows, streamed after the file passed the checks every workbook passes
    (``perftrack/ooxml.py``: no zip bomb or DTD, no more cells than a real file holds)."""
    from perftrack.ooxml import OfficeFileError, inspect, library_errors, open_workbook

    def text(cell: ReadOnlyCell) -> str:
        return _cell_text(cell.value, cell.number_format)

    try:
        if inspect(path) != "workbook":
            raise OfficeFileError("not-office", "这是 Word 文档")
        with open_workbook(path) as book:
            return book.rows(book.worksheets[0], text) if book.worksheets else []
    except OfficeFileError as exc:
        if exc.code == "too-large":
            raise RecordError(f"{path}：{exc}") from exc
        raise RecordError(f"{path}：不是有效的 .xlsx 工作簿，无法读取（{exc}）") from exc
    except library_errors() as exc:
        reason = str(exc) or type(exc).__name__
        raise RecordError(f"{path}：不是有效的 .xlsx 工作簿，无法读取（{reason}）") from exc


def read_table(path: Path) -> list[list[str]]:
    """The rows of a CSV file or of a workbook's first sheet, every cell as text."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = "文件不存在" if isinstance(exc, FileNotFoundError) else exc.strerror or str(exc)
        raise RecordError(f"{path}：无法读取（{reason}）") from exc
    if data.startswith(_OLE_MAGIC):
        raise RecordError(f"{path}：不支持旧版 .xls 工作簿，请在 Excel 中另存为 .xlsx 或 CSV")
    if data.startswith(_XLSX_MAGIC) or path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    return _read_csv(data, path)


def _find_header(rows: list[list[str]], path: Path) -> tuple[int, dict[str, int]]:
    seen = 0
    for index, cells in enumerate(rows):
        if not any(cells):
            continue
        columns = _header_columns(cells)
        if all(name in columns for name in REQUIRED):
            return index, columns
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    raise RecordError(
        f"{path}：没有找到表头。需要“项目名称、三级指标、期间、实际值、说明”列"
        "（或 project, indicator, period, value, note）"
    )


def _one_line(exc: Exception) -> str:
    return re.sub(r"\s*\n\s*", "；", str(exc)).rstrip("；")


@dataclass(frozen=True, slots=True)
class _Planned:
    indicator: Indicator
    entry: Entry
    note: str | None
    keep_value: bool


def import_actuals(session: Session, path: Path, *, user: str | None = None) -> ImportCount:
    """Record every row of a CSV/XLSX actuals file, or none if any row is wrong (RecordError lists them)."""
    path = Path(path)
    rows = read_table(path)
    header, columns = _find_header(rows, path)
    projects: dict[tuple[str, str], Project] = {}
    planned: list[_Planned] = []
    first_row: dict[tuple[int, str], int] = {}
    errors: list[str] = []
    count = ImportCount()
    for number, cells in enumerate(rows[header + 1 :], start=header + 2):
        if not any(cells):
            continue
        count.rows += 1

        def cell(name: str, cells: list[str] = cells) -> str:
            index = columns.get(name)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        try:
            plan = _plan_row(session, cell, "period" in columns, projects)
            if plan is None:
                count.skipped += 1
                continue
            key = (plan.indicator.id, plan.entry.period)
            if key in first_row:
                raise RecordError(f"与第 {first_row[key]} 行是同一指标、同一期间，请只保留一行")
            first_row[key] = number
            planned.append(plan)
        except (RecordError, StoreError) as exc:
            errors.append(f"第 {number} 行：{_one_line(exc)}")
    if errors:
        listed = "\n".join(errors[:MAX_LISTED_ERRORS])
        more = f"\n……另有 {len(errors) - MAX_LISTED_ERRORS} 行有误" if len(errors) > MAX_LISTED_ERRORS else ""
        raise RecordError(f"{path}：{len(errors)} 行有误，未导入任何内容：\n{listed}{more}")
    source = f"（导入自 {path.name}）"
    for plan in planned:
        write_actual(
            session,
            plan.indicator,
            plan.entry,
            note=plan.note,
            keep_value=plan.keep_value,
            user=user,
            action="import",
            source=source,
        )
    count.recorded = len(planned)
    count.projects = sorted({plan.indicator.project.name for plan in planned})
    return count


def _plan_row(
    session: Session,
    cell: Callable[[str], str],
    has_period: bool,
    projects: dict[tuple[str, str], Project],
) -> _Planned | None:
    """One row checked and converted; None for a row with neither a value nor a note."""
    name, year_text = cell("project"), cell("year")
    if not name:
        raise RecordError("项目名称为空")
    if not cell("indicator"):
        raise RecordError("三级指标为空")
    if year_text and not year_text.removesuffix("年").isdigit():
        raise RecordError(f"年度“{year_text}”不是年份")
    key = (name, year_text)
    if key not in projects:
        year = int(year_text.removesuffix("年")) if year_text else None
        projects[key] = find_project(session, name, year)
    indicator = find_indicator(projects[key], cell("indicator"))
    period = cell("period") if has_period else "YEAR"
    if not period:
        raise RecordError(f"指标「{indicator.name}」的期间为空（应填 Q1–Q4、M01–M12 或 全年）")
    value, percent, note = cell("value"), cell("percent"), cell("note")
    if not value and not percent:
        if not note:
            return None
        code = check_period(indicator.project, period, f"指标「{indicator.name}」")
        return _Planned(indicator, Entry(code), note, keep_value=True)
    entry = prepare_actual(indicator, period, value, percent or None)
    return _Planned(indicator, entry, note or None, keep_value=False)
