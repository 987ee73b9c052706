"""A blank declaration workbook (财政项目支出绩效目标申报表) for units to fill in.

The sheet follows the printed form, so that what a unit types imports exactly as the same form
copied out of a PDF would: title and budget year, the header fields, the funds block, the goals
and the indicator table. Drop-down lists offer the level-1 and level-2 names (which must be
spelled exactly for the importer) and the units; the target is typed as operator | number |
unit under one merged 指标值 header, or as a whole in the middle cell. A second sheet explains
how to fill it in; a hidden one holds the lists.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from perftrack.domain.model import LEVEL1_NAMES, LEVEL2_NAMES
from perftrack.domain.units import KNOWN_UNITS
from perftrack.files import AtomicFile

FONT_NAME = "Microsoft YaHei"
TITLE = "财政项目支出绩效目标申报表"
SHEET_FORM = "申报表"
SHEET_HELP = "填写说明"
SHEET_LISTS = "选项"
INDICATOR_ROWS = 20
OPERATORS = ("=", "≥", "≤", ">", "<")
NATURES = ("其他一次性项目", "其他经常性项目", "阶段性项目")
CATEGORIES = ("特定目标类", "其他运转类")
# The units domain.md lists first (the ones forms use most), then every other known unit.
_COMMON_UNITS = (
    "%", "次", "人", "人次", "个", "家", "篇", "场", "场次", "份", "门", "天", "期", "项", "课时", "秒",
    "小时", "个月", "元", "万元", "亿元", "米", "件", "轮",
)  # fmt: skip
UNITS = (*_COMMON_UNITS, *sorted(KNOWN_UNITS - set(_COMMON_UNITS)))

# Rows of the form sheet (1-based), so that tests and the importer agree with the layout.
ROW_TITLE, ROW_YEAR = 1, 2
ROW_FUNDS = 8  # four rows
ROW_GOALS = 12  # label row, then the text row
ROW_TABLE = 14  # the indicator table's header row
_LAST_COL = 7  # A..G

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
_INPUT_FILL = PatternFill("solid", fgColor="FFFFF0")
_FORMULA_START = ("=", "+", "-", "@")


def put(ws: Worksheet, ref: str, value: object, *, label: bool = False) -> None:
    """Write a cell in the template's font; text starting with = + - @ stays text, never a formula."""
    cell = ws[ref]
    cell.value = value
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"
    cell.font = Font(name=FONT_NAME, size=10, bold=label)
    cell.alignment = Alignment(horizontal="center" if label else "left", vertical="center", wrap_text=True)
    if label:
        cell.fill = _LABEL_FILL


def write_template(path: Path, year: int | None = None) -> None:
    """Write a blank declaration workbook to ``path`` (budget year: ``year``, else next year)."""
    year = year or dt.date.today().year + 1
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_FORM
    lists = wb.create_sheet(SHEET_LISTS)
    _write_lists(lists)
    lists.sheet_state = "hidden"
    _write_form(ws, year)
    _write_help(wb.create_sheet(SHEET_HELP, 1))
    wb.active = 0
    _save_atomically(wb, path)


def _save_atomically(wb: Workbook, path: Path) -> None:
    """Nothing half-written: save beside the target, then move into place."""
    with AtomicFile(path, ".xlsx") as out:
        wb.save(out.temp)
        out.commit()


# -- the form sheet ---------------------------------------------------------------------------


def _merge(ws: Worksheet, rng: str, value: object = None, *, label: bool = False) -> None:
    first = rng.split(":")[0]
    put(ws, first, value, label=label)
    if ":" in rng:
        ws.merge_cells(rng)


def _write_form(ws: Worksheet, year: int) -> None:
    for col, width in zip("ABCDEFG", (12, 16, 18, 40, 6, 16, 9), strict=True):
        ws.column_dimensions[col].width = width
    _merge(ws, "A1:G1", TITLE)
    ws["A1"].font = Font(name=FONT_NAME, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 32
    _merge(ws, "A2:G2", f"({year}年度)")
    ws["A2"].alignment = Alignment(horizontal="center", vertical="center")

    _merge(ws, "A3:B3", "项目名称", label=True)
    _merge(ws, "C3:G3")
    _merge(ws, "A4:B4", "项目性质", label=True)
    _merge(ws, "C4")
    _merge(ws, "D4", "项目类别", label=True)
    _merge(ws, "E4:G4")
    _merge(ws, "A5:B5", "主管部门", label=True)
    _merge(ws, "C5:G5")
    _merge(ws, "A6:B6", "实施单位", label=True)
    _merge(ws, "C6:G6")
    _merge(ws, "A7:B7", "计划开始日期", label=True)
    _merge(ws, "C7")
    _merge(ws, "D7", "计划完成日期", label=True)
    _merge(ws, "E7:G7")

    f = ROW_FUNDS
    _merge(ws, f"A{f}:A{f + 3}", "项目资金(元)", label=True)
    funds = (
        ("项目资金总额", "年度资金申请总额"),
        ("其中：财政资金", "其中：当年财政拨款"),
        (None, "上年结转资金"),
        ("其他资金", "其他资金"),
    )
    for r, (left, right) in enumerate(funds, start=f):
        _merge(ws, f"B{r}", left, label=left is not None)
        _merge(ws, f"C{r}")
        _merge(ws, f"D{r}", right, label=True)
        _merge(ws, f"E{r}:G{r}")
        for ref in (f"C{r}", f"E{r}"):
            ws[ref].number_format = "#,##0.00"

    g = ROW_GOALS
    _merge(ws, f"A{g}:A{g + 1}", "项目绩效目标", label=True)
    _merge(ws, f"B{g}:C{g}", "项目总目标", label=True)
    _merge(ws, f"D{g}:G{g}", "年度总体目标", label=True)
    _merge(ws, f"B{g + 1}:C{g + 1}")
    _merge(ws, f"D{g + 1}:G{g + 1}")
    ws.row_dimensions[g + 1].height = 120
    for ref in (f"B{g + 1}", f"D{g + 1}"):
        ws[ref].alignment = Alignment(vertical="top", wrap_text=True)

    t = ROW_TABLE
    first, last = t + 1, t + INDICATOR_ROWS
    _merge(ws, f"A{t}:A{last}", "绩效指标", label=True)
    for col, text in zip("BCD", ("一级指标", "二级指标", "三级指标"), strict=True):
        _merge(ws, f"{col}{t}", text, label=True)
    _merge(ws, f"E{t}:G{t}", "年度(/项目)指标值", label=True)
    for r in range(first, last + 1):
        for col in "BCDEFG":
            _merge(ws, f"{col}{r}")
        ws[f"E{r}"].alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[r].height = 22
    for ref in ("C3", "C5", "C6", f"D{first}:D{last}", f"F{first}:F{last}"):
        for row in ws[ref] if ":" in ref else ((ws[ref],),):
            for cell in row:
                cell.number_format = "@"  # typed "=100.00(%)" or "100.00" stays as typed
    for ref in ("C7", "E7"):
        ws[ref].number_format = "yyyy-mm-dd"
    for row in ws[f"A3:G{last}"]:
        for cell in row:
            cell.border = _BORDER
            if cell.fill != _LABEL_FILL and not cell.font.bold:
                cell.fill = _INPUT_FILL
    _validations(ws, first, last)
    _print_setup(ws, last)


def _list_ref(col: str, values: tuple[str, ...]) -> str:
    return f"'{SHEET_LISTS}'!${col}$1:${col}${len(values)}"


def _validations(ws: Worksheet, first: int, last: int) -> None:
    def add(dv: DataValidation, refs: str) -> None:
        ws.add_data_validation(dv)
        for ref in refs.split():
            dv.add(ref)

    strict = {"showErrorMessage": True, "errorStyle": "stop", "errorTitle": "请从列表中选择"}
    lenient = {"showErrorMessage": True, "errorStyle": "warning", "errorTitle": "不在常用列表中"}
    add(
        DataValidation("list", formula1=_list_ref("A", LEVEL1_NAMES), error="一级指标须为列表中的名称", **strict),
        f"B{first}:B{last}",
    )
    add(
        DataValidation("list", formula1=_list_ref("B", LEVEL2_NAMES), error="二级指标须为列表中的名称", **strict),
        f"C{first}:C{last}",
    )
    add(
        DataValidation(
            "list",
            formula1='"' + ",".join(OPERATORS) + '"',
            promptTitle="比较符号",
            prompt="定量指标选 = ≥ ≤ > <，然后在右侧填数值、选单位；定性指标留空，直接在右侧写指标值",
            error="请选择 = ≥ ≤ > < 之一",
            **strict,
        ),
        f"E{first}:E{last}",
    )
    add(
        DataValidation(
            "list",
            formula1=_list_ref("C", UNITS),
            promptTitle="计量单位",
            prompt="选择单位；数值已带单位或为定性指标时留空",
            error="这个单位不在常用列表中，确定要用吗？",
            **lenient,
        ),
        f"G{first}:G{last}",
    )
    add(DataValidation("list", formula1=_list_ref("D", NATURES), error="常见项目性质见列表", **lenient), "C4")
    add(DataValidation("list", formula1=_list_ref("E", CATEGORIES), error="常见项目类别见列表", **lenient), "E4")
    add(
        DataValidation(
            "decimal", operator="greaterThanOrEqual", formula1="0", error="请填写金额（元），不小于 0", **strict
        ),
        f"C{ROW_FUNDS}:C{ROW_FUNDS + 3} E{ROW_FUNDS}:E{ROW_FUNDS + 3}",
    )
    add(
        DataValidation(
            "date",
            operator="between",
            formula1="DATE(2000,1,1)",
            formula2="DATE(2099,12,31)",
            error="请填写日期，如 2025-01-01",
            **strict,
        ),
        "C7 E7",
    )


def _print_setup(ws: Worksheet, last: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_area = f"A1:G{last}"
    ws.print_title_rows = f"{ROW_TABLE}:{ROW_TABLE}"


# -- the other sheets -------------------------------------------------------------------------


def _write_lists(ws: Worksheet) -> None:
    for col, values in zip("ABCDE", (LEVEL1_NAMES, LEVEL2_NAMES, UNITS, NATURES, CATEGORIES), strict=True):
        for r, value in enumerate(values, start=1):
            put(ws, f"{col}{r}", value)


HELP_LINES = (
    "填写说明",
    "1. 每个项目填写一张“申报表”工作表；多个项目可复制该工作表，一个项目一张表。",
    "2. 第 2 行的预算年度写成“(2025年度)”的样子。",
    "3. 金额以元为单位，填数字即可（如 5900000）；空白表示未填。"
    "年度资金申请总额应等于当年财政拨款、上年结转资金与其他资金之和。",
    "4. 日期写成 2025-01-01 或 2025/1/1。",
    "5. 绩效指标：一级、二级指标从下拉列表中选择；同一组的指标只需在第一行填写，下面各行可留空。",
    "6. 指标值：定量指标在左侧选比较符号（= ≥ ≤ > <），中间填数值，右侧选单位，如 ≥ | 90 | %；"
    "也可以在中间一格写完整，如 ≥90.00(%)。定性指标（如“有效实现”“提高”）只写在中间一格。",
    "7. 完成率、满意度等比率类指标请用百分比（%），次数、人数等计数类指标请用次、人等单位。",
    "8. 行数不够时，在表格中间插入行（不要在表格下方另起），下拉列表会随之保留。",
    "9. 填好后用 perftrack import 文件 导入，或先用 perftrack check 文件 检查。",
)


def _write_help(ws: Worksheet) -> None:
    ws.column_dimensions["A"].width = 110
    for r, text in enumerate(HELP_LINES, start=1):
        put(ws, f"A{r}", text, label=r == 1)
        ws[f"A{r}"].alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)


__all__ = ["INDICATOR_ROWS", "ROW_TABLE", "UNITS", "put", "write_template"]
