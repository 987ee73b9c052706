"""Reading a returned fill-in workbook (perftrack.export.fill_in wrote it) back as plain data.

The workbook passes the checks every workbook passes (perftrack/ooxml.py: no zip bomb or DTD,
no more cells than a real file holds) and is read as a stream. Its hidden key names the database,
the project, the period and each row's indicator; what the manager typed is taken from the
cells the key points at, each kept with its address for the messages. Nothing is checked
against the database here: the store does that, and applies all of it or none.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from perftrack.domain.errors import UserError
from perftrack.domain.fill_in import FILL_SHEET, KEY_SHEET, KEY_VERSION, FilledForm, FilledRow, FilledValue


class FillInError(UserError, ValueError):
    """A workbook that is not a readable fill-in workbook; the message names the file and why."""


def is_fill_in(path: Path) -> bool:
    """True for a workbook carrying perftrack's fill-in key (cheap: the workbook part only)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("xl/workbook.xml")
            if info.file_size > 1024 * 1024:
                return False
            return KEY_SHEET.encode() in archive.read(info)
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def read_fill_in(path: Path) -> FilledForm:
    """The key and what was typed; FillInError when the file is not a fill-in workbook we can read."""
    from perftrack.ooxml import OfficeFileError, inspect, library_errors, open_workbook

    path = Path(path)
    try:
        if inspect(path) != "workbook":
            raise FillInError(f"{path}：这是 Word 文档，不是填报工作簿")
        with open_workbook(path) as book:
            sheets = {ws.title: ws for ws in book.worksheets}
            if KEY_SHEET not in sheets or FILL_SHEET not in sheets:
                raise FillInError(f"{path}：不是 perftrack 导出的填报工作簿（缺少“{FILL_SHEET}”或其标识）")
            key_rows = book.rows(sheets[KEY_SHEET], lambda cell: _text(cell.value))
            grid = book.rows(sheets[FILL_SHEET], lambda cell: _text(cell.value))
    except OfficeFileError as exc:
        raise FillInError(f"{path}：{exc}") from exc
    except library_errors() as exc:
        raise FillInError(f"{path}：不是有效的 .xlsx 工作簿，无法读取（{str(exc) or type(exc).__name__}）") from exc

    key: dict[str, str] = {}
    indicators: list[tuple[int, int]] = []  # (indicator id, row)
    try:
        for cells in key_rows:
            cells = [*cells, "", "", ""]
            if cells[0] == "indicator":
                indicators.append((int(cells[1]), int(cells[2])))
            elif cells[0]:
                key[cells[0]] = cells[1]
        if key.get("version") != KEY_VERSION:
            raise FillInError(
                f"{path}：填报工作簿的格式版本为 {key.get('version') or '（无）'}，本程序只读版本 {KEY_VERSION}"
            )
        value_col = int(key["value_column"])
        project_id = int(key["project"])
        spending_cell = key["spending_cell"]
    except (KeyError, ValueError) as exc:
        if isinstance(exc, FillInError):
            raise
        raise FillInError(f"{path}：填报工作簿的标识已损坏（{exc}），无法确定它属于哪个项目") from exc

    def at(row: int, column: int) -> FilledValue:
        cells = grid[row - 1] if row - 1 < len(grid) else []
        text = cells[column - 1] if column - 1 < len(cells) else ""
        return FilledValue(f"{FILL_SHEET}!{_letter(column)}{row}", text)

    rows = tuple(
        FilledRow(
            indicator_id=ind,
            name=at(row, 4).text,
            value=at(row, value_col),
            note=at(row, value_col + 1),
            cause=at(row, value_col + 2),
            reason=at(row, value_col + 3),
        )
        for ind, row in indicators
    )
    column, row = _split(spending_cell)
    return FilledForm(
        path=str(path),
        database_id=key.get("database", ""),
        project_id=project_id,
        project=key.get("project_name", ""),
        period=key.get("period", ""),
        rows=rows,
        spending=at(row, column),
    )


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _split(coordinate: str) -> tuple[int, int]:
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    letters, row = coordinate_from_string(coordinate)
    return column_index_from_string(letters), row
