"""The fill-in workbook a manager gets each quarter: only the cells to fill are open.

One sheet, 本期填报: the project's indicators with their targets and the earlier periods' values
for reference, then this period's value, a note, the deviation cause type and analysis, and the
period's spending. The sheet is protected without a password (so nothing else is changed by
mistake, and a user who must can still lift it); the cells to fill are unlocked and tinted, the
qualitative values and the cause types are drop-down lists. A hidden sheet carries the key that
ties the returned file to this database, project, period and each row's indicator.

Kept to what Excel, WPS and LibreOffice all open and save: plain cells, fills, borders, merged
title cells, list validations with inline values, sheet protection, a hidden sheet.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from perftrack.domain.fill_in import CAUSE_CHOICES, FILL_SHEET, KEY_SHEET, KEY_VERSION, TIER_CHOICES, FillForm
from perftrack.files import AtomicFile

OPEN_FILL = PatternFill("solid", fgColor="FFF6CC")
HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
# The first row of indicators (rows above: title, facts, instructions, header).
FIRST_ROW = 5
# Characters Windows does not allow in a file name.
_BAD_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_name(form: FillForm) -> str:
    """A file name a person recognises: 项目名称-2024-Q2-填报.xlsx."""
    return f"{_BAD_NAME.sub('_', form.project)[:80]}-{form.year}-{form.period}-填报.xlsx"


def columns(form: FillForm) -> list[tuple[str, int]]:
    """The sheet's columns (header, width in characters)."""
    fixed = [("序号", 5), ("一级指标", 10), ("二级指标", 12), ("三级指标", 28), ("年度指标值", 14)]
    earlier = [(name, 15) for name in form.earlier_periods]
    entry = [
        (f"{form.period_name}完成值", 18),
        ("完成情况说明", 26),
        ("偏差原因类型", 14),
        ("偏差原因分析", 30),
    ]
    return fixed + earlier + entry


def _text(sheet: Worksheet, row: int, column: int, value: str | int | None) -> None:
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with ("=100.00(%)")
    cell.border = BOX
    cell.alignment = WRAP


def write_fill_in(form: FillForm, path: Path) -> Path:
    """Write the workbook (whole or not at all) and return its path."""
    book = Workbook()
    sheet = book.active
    sheet.title = FILL_SHEET
    cols = columns(form)
    last = len(cols)
    value_col = last - 3  # this period's value, then note, cause, analysis

    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    title = sheet.cell(row=1, column=1, value=f"{form.project} {form.year}年{form.period_name}绩效监控填报表")
    title.font = Font(bold=True, size=14)
    title.alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    facts = sheet.cell(row=2, column=1, value=f"实施单位：{form.unit}　　填报期间：{form.period_name}")
    facts.data_type = "s"
    sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=last)
    note = sheet.cell(
        row=3,
        column=1,
        value="请只在浅黄色单元格中填写，其余单元格已锁定（保护工作表，无密码）。填好后保存，交回给审核人，"
        "由 perftrack 导入（perftrack actuals import 文件名）。请勿改动行的顺序。",
    )
    note.alignment = WRAP
    note.font = Font(color="555555")
    sheet.row_dimensions[3].height = 32

    for n, (header, width) in enumerate(cols, start=1):
        _text(sheet, 4, n, header)
        sheet.cell(row=4, column=n).fill = HEAD_FILL
        sheet.cell(row=4, column=n).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.row_dimensions[4].height = 32

    tiers = DataValidation(type="list", formula1='"' + ",".join(TIER_CHOICES) + '"', allow_blank=True)
    tiers.error, tiers.errorTitle = "请从列表中选择：" + "、".join(TIER_CHOICES), "定性指标"
    causes = DataValidation(type="list", formula1='"' + ",".join(CAUSE_CHOICES) + '"', allow_blank=True)
    causes.error, causes.errorTitle = "请从列表中选择：" + "、".join(CAUSE_CHOICES), "偏差原因类型"
    sheet.add_data_validation(tiers)
    sheet.add_data_validation(causes)

    r = FIRST_ROW - 1
    for r, row in enumerate(form.rows, start=FIRST_ROW):
        sheet.row_dimensions[r].height = 30  # two lines of a long name or note
        fixed = [r - FIRST_ROW + 1, row.level1, row.level2, row.name, row.target, *row.earlier]
        for c, value in enumerate(fixed, start=1):
            _text(sheet, r, c, value)
        for c, value in enumerate((row.value, row.note, row.cause, row.reason), start=value_col):
            _text(sheet, r, c, value or None)
            cell = sheet.cell(row=r, column=c)
            cell.fill = OPEN_FILL
            cell.protection = Protection(locked=False)
        if row.by_tier:
            tiers.add(sheet.cell(row=r, column=value_col))
        causes.add(sheet.cell(row=r, column=value_col + 2))

    spend_row = r + 2
    sheet.merge_cells(start_row=spend_row, start_column=1, end_row=spend_row, end_column=value_col - 1)
    _text(sheet, spend_row, 1, f"{form.period_name}预算执行数（元，截至本期末累计）")
    sheet.cell(row=spend_row, column=1).font = Font(bold=True)
    _text(sheet, spend_row, value_col, form.spending or None)
    spend = sheet.cell(row=spend_row, column=value_col)
    spend.fill = OPEN_FILL
    spend.protection = Protection(locked=False)
    sheet.freeze_panes = sheet.cell(row=FIRST_ROW, column=5)
    sheet.protection.sheet = True  # no password: it guards against slips, not people
    sheet.protection.formatColumns = False  # widening a column stays allowed
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    key = book.create_sheet(KEY_SHEET)
    key.sheet_state = "hidden"
    key.protection.sheet = True
    entries = [
        ("version", KEY_VERSION),
        ("database", form.database_id),
        ("project", str(form.project_id)),
        ("project_name", form.project),
        ("period", form.period),
        ("first_row", str(FIRST_ROW)),
        ("value_column", str(value_col)),
        ("spending_cell", spend.coordinate),
    ]
    for n, (name, value) in enumerate(entries, start=1):
        key.cell(row=n, column=1, value=name).data_type = "s"
        key.cell(row=n, column=2, value=value).data_type = "s"
    for n, row in enumerate(form.rows, start=len(entries) + 1):
        key.cell(row=n, column=1, value="indicator").data_type = "s"
        key.cell(row=n, column=2, value=str(row.indicator_id)).data_type = "s"
        key.cell(row=n, column=3, value=str(FIRST_ROW + n - len(entries) - 1)).data_type = "s"

    path = Path(path)
    with AtomicFile(path, ".xlsx") as out:
        book.save(out.temp)
        out.commit()
    return path
