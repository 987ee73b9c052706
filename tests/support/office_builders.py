"""Workbooks and Word documents built from declarations, in the shapes units receive them.

Each builder writes the same forms the text importer read from the seed: as a paper-form
sheet (one form per sheet, level cells merged over their rows), as a flat table (one
indicator per row, the project's fields repeated or merged), as a Word document (title
paragraphs and a table with merged cells), or typed into the blank template. Also the
broken files an importer must refuse.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import shutil
import zipfile
from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import groupby
from pathlib import Path

import docx
import openpyxl
from docx.table import Table
from openpyxl.worksheet.worksheet import Worksheet

from perftrack.domain.model import Declaration, Funds, Indicator

TITLE = "财政项目支出绩效目标申报表"
FORMULA_START = ("=", "+", "-", "@")


def put(ws: Worksheet, row: int, col: int, value: object) -> None:
    """Write a value; text that Excel would take for a formula ("=100.00(%)") stays text."""
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"


def _runs(indicators: Sequence[Indicator], level: int) -> list[tuple[str | None, int]]:
    """(label, length) runs of equal level-1 (level=1) or level-1+2 (level=2) cells."""

    def key(i: Indicator) -> tuple[str | None, ...]:
        return (i.level1,) if level == 1 else (i.level1, i.level2)

    return [(k[-1], len(list(g))) for k, g in groupby(indicators, key=key)]


# -- paper-form sheets ----------------------------------------------------------------------


def write_form_sheet(ws: Worksheet, d: Declaration) -> None:
    """One form laid out as the printed form: header pairs, funds block, goals, merged level cells."""
    ws.merge_cells("A1:F1")
    put(ws, 1, 1, TITLE)
    ws.merge_cells("A2:F2")
    put(ws, 2, 1, f"({d.year}年度)")
    for col, value in enumerate(["项目名称", d.name, "项目性质", d.nature, "项目类别", d.category], start=1):
        put(ws, 3, col, value)
    put(ws, 4, 1, "主管部门")
    put(ws, 4, 2, d.department)
    put(ws, 4, 3, "实施单位")
    ws.merge_cells("D4:F4")
    put(ws, 4, 4, d.unit)
    put(ws, 5, 1, "计划开始日期")
    put(ws, 5, 2, d.start)
    put(ws, 5, 3, "计划完成日期")
    put(ws, 5, 4, d.end)
    for r in (5,):
        for c in (2, 4):
            ws.cell(row=r, column=c).number_format = "yyyy-mm-dd"
    f = d.funds
    ws.merge_cells("A6:A9")
    put(ws, 6, 1, "项目资金 (元)")
    rows = [
        ("项目资金总额", f.project_total, "年度资金申请总额", f.annual_total),
        ("其中：财政资金", f.project_fiscal, "其中：当年财政拨款", f.annual_appropriation),
        (None, None, "上年结转资金", f.annual_carryover),
        ("其他资金", f.project_other, "其他资金", f.annual_other),
    ]
    for r, (l1, v1, l2, v2) in enumerate(rows, start=6):
        put(ws, r, 2, l1)
        put(ws, r, 3, v1)
        put(ws, r, 4, l2)
        put(ws, r, 5, v2)
        ws.cell(row=r, column=3).number_format = ws.cell(row=r, column=5).number_format = "#,##0.00"
    ws.merge_cells("A10:A11")
    put(ws, 10, 1, "项目 绩效 目标")
    ws.merge_cells("B10:C10")
    put(ws, 10, 2, "项目总目标")
    ws.merge_cells("D10:F10")
    put(ws, 10, 4, "年度总体目标")
    ws.merge_cells("B11:C11")
    put(ws, 11, 2, d.project_goal)
    ws.merge_cells("D11:F11")
    put(ws, 11, 4, d.annual_goal)
    first = 13
    last = first + len(d.indicators) - 1
    ws.merge_cells(f"A12:A{max(last, 12)}")
    put(ws, 12, 1, "绩效指标")
    for col, label in enumerate(["一级指标", "二级指标", "三级指标", "年度(/项目)指标值"], start=2):
        put(ws, 12, col, label)
    _merged_levels(ws, d.indicators, first)
    for r, ind in enumerate(d.indicators, start=first):
        put(ws, r, 4, ind.name)
        put(ws, r, 5, ind.target.raw)


def _merged_levels(ws: Worksheet, indicators: Sequence[Indicator], first: int) -> None:
    for level, col in ((1, 2), (2, 3)):
        r = first
        for label, n in _runs(indicators, level):
            if n > 1:
                ws.merge_cells(start_row=r, start_column=col, end_row=r + n - 1, end_column=col)
            put(ws, r, col, label)
            r += n


def write_form_workbook(decls: Iterable[Declaration], path: Path) -> Path:
    """A workbook with one paper-form sheet per declaration."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for n, d in enumerate(decls, start=1):
        write_form_sheet(wb.create_sheet(f"表{n}"), d)
    wb.save(path)
    return path


# -- flat tables ----------------------------------------------------------------------------

FLAT_HEADERS = [
    "预算年度", "项目名称", "主管部门", "实施单位", "项目性质", "项目类别", "计划开始日期", "计划完成日期",
    "年度资金申请总额（元）", "其中：当年财政拨款", "上年结转资金", "其他资金", "项目总目标", "年度总体目标",
    "一级指标", "二级指标", "三级指标", "年度(/项目)指标值",
]  # fmt: skip


def _flat_project(d: Declaration) -> list[object]:
    f = d.funds
    return [
        d.year, d.name, d.department, d.unit, d.nature, d.category, d.start, d.end,
        f.annual_total, f.annual_appropriation, f.annual_carryover, f.annual_other, d.project_goal, d.annual_goal,
    ]  # fmt: skip


def write_flat_workbook(decls: Iterable[Declaration], path: Path, *, repeat: bool = True) -> Path:
    """One row per indicator. ``repeat=False``: project fields and levels only where they change, merged."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目绩效目标"
    for col, h in enumerate(FLAT_HEADERS, start=1):
        put(ws, 1, col, h)
    r = 2
    for d in decls:
        project = _flat_project(d)
        start = r
        for i, ind in enumerate(d.indicators or [None]):
            if repeat or i == 0:
                for col, value in enumerate(project, start=1):
                    put(ws, r, col, value)
            if ind is not None:
                prev = d.indicators[i - 1] if i else None
                if repeat or prev is None or prev.level1 != ind.level1:
                    put(ws, r, 15, ind.level1)
                if repeat or prev is None or (prev.level1, prev.level2) != (ind.level1, ind.level2):
                    put(ws, r, 16, ind.level2)
                put(ws, r, 17, ind.name)
                put(ws, r, 18, ind.target.raw)
            for col in (7, 8):
                ws.cell(row=r, column=col).number_format = "yyyy/m/d"
            r += 1
        if not repeat and r - 1 > start:
            for col in range(1, len(project) + 1):
                ws.merge_cells(start_row=start, start_column=col, end_row=r - 1, end_column=col)
    wb.save(path)
    return path


# -- Word -----------------------------------------------------------------------------------


def _docx_cell(table: Table, r: int, c: int, text: object, to: tuple[int, int] | None = None) -> None:
    """Put text in a cell, merging it with the cells up to ``to`` first."""
    target = table.cell(r, c)
    if to is not None:
        target = target.merge(table.cell(*to))
    if text is not None:
        target.text = text.isoformat() if isinstance(text, dt.date) else str(text)


def write_docx(decls: Iterable[Declaration], path: Path) -> Path:
    """Each form as a title, a "(2024年度)" paragraph and a table whose level cells are merged."""
    document = docx.Document()
    for d in decls:
        document.add_paragraph(TITLE)
        document.add_paragraph(f"({d.year}年度)")
        n = len(d.indicators)
        table = document.add_table(rows=11 + n, cols=6)
        cell = functools.partial(_docx_cell, table)

        f = d.funds
        for c, v in enumerate(["项目名称", d.name, "项目性质", d.nature, "项目类别", d.category]):
            cell(0, c, v)
        cell(1, 0, "主管部门")
        cell(1, 1, d.department)
        cell(1, 2, "实施单位")
        cell(1, 3, d.unit, to=(1, 5))
        cell(2, 0, "计划开始日期")
        cell(2, 1, d.start)
        cell(2, 2, "计划完成日期")
        cell(2, 3, d.end)
        cell(3, 0, "项目资金（元）", to=(6, 0))
        funds = [
            ("项目资金总额", f.project_total, "年度资金申请总额", f.annual_total),
            ("其中：财政资金", f.project_fiscal, "其中：当年财政拨款", f.annual_appropriation),
            (None, None, "上年结转资金", f.annual_carryover),
            ("其他资金", f.project_other, "其他资金", f.annual_other),
        ]
        for r, (l1, v1, l2, v2) in enumerate(funds, start=3):
            cell(r, 1, l1)
            cell(r, 2, _amount_text(v1))
            cell(r, 3, l2)
            cell(r, 4, _amount_text(v2))
        cell(7, 0, "项目绩效目标", to=(8, 0))
        cell(7, 1, "项目总目标", to=(7, 2))
        cell(7, 3, "年度总体目标", to=(7, 5))
        cell(8, 1, d.project_goal, to=(8, 2))
        cell(8, 3, d.annual_goal, to=(8, 5))
        cell(9, 0, "绩效指标", to=(9 + n, 0))
        for c, label in enumerate(["一级指标", "二级指标", "三级指标", "年度(/项目)指标值"], start=1):
            cell(9, c, label)
        for level, col in ((1, 1), (2, 2)):
            r = 10
            for label, k in _runs(d.indicators, level):
                cell(r, col, label, to=(r + k - 1, col) if k > 1 else None)
                r += k
        for r, ind in enumerate(d.indicators, start=10):
            cell(r, 3, ind.name)
            cell(r, 4, ind.target.raw)
        document.add_page_break()
    document.save(str(path))
    return path


def _amount_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:,.2f}"


# -- the blank template, filled in as a person would ----------------------------------------


def _label_cell(ws: Worksheet, label: str, occurrence: int = 1) -> tuple[int, int]:
    """(row, column) of the n-th cell that reads ``label``."""
    seen = 0
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.replace(" ", "") == label:
                seen += 1
                if seen == occurrence:
                    return c.row, c.column
    raise LookupError(label)


def _value_cell(ws: Worksheet, label: str, occurrence: int = 1) -> tuple[int, int]:
    """The input cell right of a label cell (after the label's merged range)."""
    r, c = _label_cell(ws, label, occurrence)
    end = c
    for rng in ws.merged_cells.ranges:
        if (r, c) == (rng.min_row, rng.min_col):
            end = rng.max_col
    return r, end + 1


def fill_template(template: Path, d: Declaration, out: Path, *, split_targets: bool = False) -> Path:
    """Type a declaration into a copy of the blank template.

    Level cells are typed on the first row of each group only, as people do. With
    ``split_targets`` a quantitative target is typed as operator | number | unit.
    """
    shutil.copyfile(template, out)
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    put(ws, 2, 1, f"({d.year}年度)")
    f: Funds = d.funds
    fields: list[tuple[str, int, object]] = [
        ("项目名称", 1, d.name),
        ("项目性质", 1, d.nature),
        ("项目类别", 1, d.category),
        ("主管部门", 1, d.department),
        ("实施单位", 1, d.unit),
        ("计划开始日期", 1, d.start),
        ("计划完成日期", 1, d.end),
        ("项目资金总额", 1, f.project_total),
        ("其中：财政资金", 1, f.project_fiscal),
        ("其他资金", 1, f.project_other),
        ("年度资金申请总额", 1, f.annual_total),
        ("其中：当年财政拨款", 1, f.annual_appropriation),
        ("上年结转资金", 1, f.annual_carryover),
        ("其他资金", 2, f.annual_other),
    ]
    for label, occurrence, value in fields:
        if value is not None:
            put(ws, *_value_cell(ws, label, occurrence), value)
    for label, value in (("项目总目标", d.project_goal), ("年度总体目标", d.annual_goal)):
        r, c = _label_cell(ws, label)
        put(ws, r + 1, c, value)
    header, _ = _value_cell(ws, "三级指标")
    prev: Indicator | None = None
    for r, ind in enumerate(d.indicators, start=header + 1):
        if prev is None or prev.level1 != ind.level1:
            put(ws, r, 2, ind.level1)
        if prev is None or (prev.level1, prev.level2) != (ind.level1, ind.level2):
            put(ws, r, 3, ind.level2)
        put(ws, r, 4, ind.name)
        t = ind.target
        if split_targets and t.is_quantitative and not t.inferred:
            put(ws, r, 5, {"=": "=", ">=": "≥", "<=": "≤", ">": ">", "<": "<"}[t.op or ">="])
            put(ws, r, 6, float(t.value) if t.value is not None else None)
            put(ws, r, 7, t.unit)
        else:
            put(ws, r, 6, t.raw)
        prev = ind
    wb.save(out)
    return out


# -- broken files ---------------------------------------------------------------------------


def truncated(source: Path, out: Path) -> Path:
    """The first half of a valid file, as an interrupted download leaves it."""
    data = source.read_bytes()
    out.write_bytes(data[: len(data) // 2])
    return out


def rewritten(source: Path, out: Path, *, drop: Sequence[str] = (), replace: dict[str, bytes] | None = None) -> Path:
    """A copy of an Office file with some parts removed or replaced."""
    replace = replace or {}
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        missing = (set(drop) | set(replace)) - set(src.namelist())
        assert not missing, f"{source} has no part {missing}"
        for info in src.infolist():
            if info.filename in drop:
                continue
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
    return out


BILLION_LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>
"""


def zip_bomb(out: Path, megabytes: int) -> Path:
    """A workbook-looking zip whose one part inflates to ``megabytes`` of zeros."""
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            for _ in range(megabytes):
                fh.write(chunk)
    return out


def plain_zip(out: Path) -> Path:
    """A valid zip archive that is not an Office file."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "这不是申报表")
    out.write_bytes(buf.getvalue())
    return out


def letter_docx(out: Path) -> Path:
    """A Word document with no declaration in it."""
    document = docx.Document()
    document.add_paragraph("关于召开年度工作会议的通知")
    document.add_paragraph("请各部门准时参加。")
    document.save(str(out))
    return out


# -- comparing results ----------------------------------------------------------------------


def assert_same_projects(got: list[dict], want: list[dict]) -> None:
    """Project JSON equal field by field, so a failure names the project, the field and the row."""
    assert [p["name"] for p in got] == [p["name"] for p in want]
    for g, w in zip(got, want, strict=True):
        assert set(g) == set(w), g["name"]
        for key in w:
            if key != "indicators":
                assert g[key] == w[key], (w["name"], key)
        assert len(g["indicators"]) == len(w["indicators"]), w["name"]
        for n, (gi, wi) in enumerate(zip(g["indicators"], w["indicators"], strict=True), start=1):
            assert gi == wi, (w["name"], n)
