"""Reading actuals tables (perftrack/importers/actuals_table.py): cells as every importer reads them."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from perftrack.importers.actuals_table import ActualsTableError, read_actuals_table, read_rows

HEADER = ["项目名称", "三级指标", "期间", "实际值", "说明"]


def _workbook(path: Path, rows: list[list[object]], formats: dict[str, str] | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    book.save(path)
    return path


def test_dates_and_booleans_read_as_the_form_importers_read_them(tmp_path: Path) -> None:
    """A date cell is 2024-03-31 (not "2024-03-31 00:00:00"), a time keeps its time, a boolean 是 / 否."""
    path = _workbook(
        tmp_path / "cells.xlsx",
        [
            HEADER,
            ["项目甲", "按期验收", "Q1", True, dt.datetime(2024, 3, 31)],
            ["项目甲", "是否发布", "Q2", False, dt.datetime(2024, 6, 30, 17, 30)],
            ["项目甲", "完成日期", "Q2", dt.date(2024, 6, 1), None],
        ],
    )
    rows = read_actuals_table(path).rows
    assert [(r.number, r.value, r.note) for r in rows] == [
        (2, "是", "2024-03-31"),
        (3, "否", "2024-06-30 17:30:00"),
        (4, "2024-06-01", ""),
    ]


def test_numbers_are_exact_and_a_percent_cell_keeps_every_digit(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "numbers.xlsx",
        [
            HEADER,
            ["甲", "满意度", "Q1", 0.955],
            ["甲", "完成率", "Q1", 0.9],
            ["甲", "金额", "Q1", 5900000.0],
            ["甲", "次数", "Q1", 12],
        ],
        {"D2": "0%", "D3": "0.00%"},
    )
    assert [r.value for r in read_actuals_table(path).rows] == ["95.5%", "90.00%", "5900000", "12"]


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("gb18030", b""), ("utf-16-le", codecs.BOM_UTF16_LE)],
)
def test_csv_in_the_encodings_units_save(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    path = tmp_path / "actuals.csv"
    text = "项目名称\t三级指标\t期间\t实际值\t说明\r\n信息化运维项目\t升级接口\t第一季度\t8\t含“临时”接口\r\n"
    path.write_bytes(prefix + text.encode(encoding))
    (row,) = read_actuals_table(path).rows
    assert (row.number, row.project, row.indicator, row.period, row.value, row.note) == (
        2,
        "信息化运维项目",
        "升级接口",
        "第一季度",
        "8",
        "含“临时”接口",
    )


def test_header_under_a_title_blank_lines_and_rows_numbered_as_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "actuals.csv"
    path.write_text(
        "2024年实际完成值,,,\n\n Project ,Indicator,Value（元）,备注\n"
        '甲,乙,3, 说明 \n , , , \n\n甲,丙,,\n甲,丁,"1,200",\n',
        encoding="utf-8",
    )
    table = read_actuals_table(path)
    assert [(r.number, r.indicator, r.period, r.value, r.note, r.blank) for r in table.rows] == [
        (4, "乙", None, "3", "说明", False),
        (7, "丙", None, "", "", True),
        (8, "丁", None, "1,200", "", False),
    ]


def test_unreadable_files_are_refused_naming_the_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ActualsTableError, match=r"empty\.csv: 文件是空的"):
        read_rows(empty)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("项目名称,三级指标,实际值\n".encode("utf-16-le"))  # UTF-16 without its BOM
    with pytest.raises(ActualsTableError, match=r"latin\.csv"):
        read_actuals_table(latin)
    headless = tmp_path / "headless.csv"
    headless.write_text("甲,乙,3\n", encoding="utf-8")
    with pytest.raises(ActualsTableError, match="没有找到表头"):
        read_actuals_table(headless)
