"""Workbooks and Word documents built from the seed forms import to the text importer's JSON; broken files don't."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import openpyxl
import pytest

from perftrack import cli
from perftrack.domain.model import Severity
from perftrack.domain.serialize import declaration_to_dict
from perftrack.importers import office, read_declarations
from perftrack.importers.form_text import import_text
from perftrack.importers.office import import_office
from perftrack.importers.xlsx_form import cell_text, join_target_parts
from tests.support import office_builders as build

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"


@pytest.fixture(scope="module")
def seed():
    return import_text(SEED)


@pytest.fixture(scope="module")
def seed_json(seed):
    return [declaration_to_dict(d) for d in seed.declarations]


@pytest.fixture(scope="module")
def files(seed, tmp_path_factory):
    """The 13 seed forms in every shape, built once."""
    folder = tmp_path_factory.mktemp("office")
    decls = seed.declarations
    return {
        "form": build.write_form_workbook(decls, folder / "forms.xlsx"),
        "flat": build.write_flat_workbook(decls, folder / "flat.xlsx"),
        "flat-merged": build.write_flat_workbook(decls, folder / "flat-merged.xlsx", repeat=False),
        "docx": build.write_docx(decls, folder / "forms.docx"),
    }


def as_json(result):
    return [declaration_to_dict(d) for d in result.declarations]


def indicator_index(seed, project: str, indicator: str) -> tuple[int, int]:
    """(form number from 1, indicator number from 0) of an indicator in the seed."""
    for n, d in enumerate(seed.declarations, start=1):
        if d.name == project:
            return n, next(i for i, ind in enumerate(d.indicators) if ind.name == indicator)
    raise LookupError(project)


# -- the same forms in every shape ------------------------------------------------------------


@pytest.mark.parametrize("shape", ["form", "flat", "flat-merged", "docx"])
def test_every_shape_gives_the_text_importers_projects(files, seed_json, shape):
    result = import_office(files[shape])
    assert not result.errors
    assert len(result.declarations) == 13
    build.assert_same_projects(as_json(result), seed_json)


@pytest.mark.parametrize("shape", ["form", "flat", "docx"])
def test_the_import_command_prints_the_same_json(files, shape, capsys):
    assert cli.main(["import", "--dry-run", "--json", str(SEED)]) == 0
    text_json = json.loads(capsys.readouterr().out)
    assert cli.main(["import", "--dry-run", "--json", str(files[shape])]) == 0
    office_json = json.loads(capsys.readouterr().out)
    build.assert_same_projects(office_json["projects"], text_json["projects"])


@pytest.mark.parametrize("shape", ["form", "flat", "docx"])
def test_the_seeds_defects_are_found_in_every_shape(files, shape):
    codes = {p.code for p in import_office(files[shape]).problems}
    assert {"missing-target", "repeated-row", "repeated-text", "inferred-target"} <= codes


def test_problems_and_indicators_name_their_sheet_cells(files, seed):
    result = import_office(files["form"])
    form, idx = indicator_index(seed, "科技成果转化及相关政策服务工作", "高转项目管理规范性")
    missing = next(p for p in result.problems if p.code == "missing-target")
    # the builder's table starts on row 13, names in column D
    assert missing.cell == f"表{form}!D{13 + idx}"
    assert missing.line == 13 + idx
    assert missing.location() == f"{files['form']} 表{form}!D{13 + idx}"
    decl = result.declarations[form - 1]
    assert decl.source.cell == f"表{form}!A1"
    assert decl.indicators[idx].source.cell == f"表{form}!D{13 + idx}"
    repeated = next(p for p in result.problems if p.code == "repeated-row")
    form, idx = indicator_index(seed, "全市创业载体服务体系建设", repeated.message.split("“")[1].split("  ")[0])
    assert repeated.cell == f"表{form}!D{13 + idx + 1}"
    assert f"与 表{form}!D{13 + idx} 相同" in repeated.message


def test_flat_problems_name_the_indicator_column(files):
    result = import_office(files["flat"])
    missing = next(p for p in result.problems if p.code == "missing-target")
    assert missing.cell.startswith("项目绩效目标!Q")
    ws = openpyxl.load_workbook(files["flat"]).active
    assert ws[missing.cell.split("!")[1]].value == "高转项目管理规范性"


def test_word_problems_name_table_row_and_column(files, seed):
    result = import_office(files["docx"])
    form, idx = indicator_index(seed, "科技成果转化及相关政策服务工作", "高转项目管理规范性")
    missing = next(p for p in result.problems if p.code == "missing-target")
    # the builder's table: 10 rows before the indicators, names in column 4
    assert missing.cell == f"表{form} 第{11 + idx}行第4列"
    document = docx.Document(str(files["docx"]))
    assert document.tables[form - 1].cell(10 + idx, 3).text == "高转项目管理规范性"


def test_a_merged_word_cell_counts_once(tmp_path, seed):
    """python-docx repeats a merged cell at every grid position; the importer must not."""
    path = build.write_docx(seed.declarations[:1], tmp_path / "one.docx")
    table = docx.Document(str(path)).tables[0]
    assert [c.text for c in table.columns[1].cells].count("产出指标") == 3  # what python-docx reports
    from perftrack.importers.docx_form import document_grid

    rows, _ = document_grid(docx.Document(str(path)))
    assert sum(row.count("产出指标") for row in rows) == 1
    assert sum(row.count("实施单位") for row in rows) == 1


def test_read_by_content_whatever_the_name(files, tmp_path, seed_json):
    for source, name in ((files["form"], "forms.dat"), (files["docx"], "forms")):
        copy = tmp_path / name
        copy.write_bytes(source.read_bytes())
        result = read_declarations([copy])
        assert not result.problems or all(p.severity is not Severity.ERROR for p in result.problems)
        build.assert_same_projects(as_json(result), seed_json)


def test_a_word_form_named_xlsx_is_read_as_word_with_a_warning(files, tmp_path, seed_json):
    renamed = tmp_path / "forms.xlsx"
    renamed.write_bytes(files["docx"].read_bytes())
    result = import_office(renamed)
    build.assert_same_projects(as_json(result), seed_json)
    first = result.problems[0]
    assert (first.code, first.severity) == ("wrong-extension", Severity.WARNING)
    assert str(renamed) in first.message and "Word" in first.message


# -- flat tables as other systems write them ------------------------------------------------


def write_rows(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            build.put(wb.active, r, c, value)
    wb.save(path)
    return path


def test_flat_headers_are_matched_leniently_and_wan_yuan_converts(tmp_path):
    path = write_rows(
        tmp_path / "export.xlsx",
        [
            [
                "*项目 名称",
                "实施单位",
                "年度资金申请总额（万元）",
                "其中：当年财政拨款(万元)",
                "一级指标",
                "二级指标",
                "指标名称",
                "年度（/项目）指标值",
                "计量单位",
                "预算年度",
            ],
            ["路灯维护", "市政所", 12.5, 12.5, "产出", "数量 指标", "维护路灯数量", "≥", "盏", "2025年"],
            [None, None, None, None, None, None, "维护及时率", "≥95", "%", None],
        ],
    )
    result = import_office(path)
    (d,) = result.declarations
    assert (d.name, d.unit, d.year) == ("路灯维护", "市政所", 2025)
    assert d.funds.annual_total == Decimal("125000.00")
    assert [(i.level1, i.level2, i.name) for i in d.indicators] == [
        ("产出指标", "数量指标", "维护路灯数量"),
        ("产出指标", "数量指标", "维护及时率"),
    ]
    assert d.indicators[1].target.raw == "≥95(%)"
    assert (d.indicators[1].target.op, d.indicators[1].target.value) == (">=", Decimal("95"))
    assert d.indicators[1].source.cell == "Sheet!G3"


def test_flat_without_year_takes_the_start_date_and_says_so(tmp_path):
    path = write_rows(
        tmp_path / "noyear.xlsx",
        [
            ["项目名称", "计划开始日期", "一级指标", "二级指标", "三级指标", "年度指标值"],
            ["甲项目", dt.datetime(2025, 3, 1), "产出指标", "数量指标", "培训人数", "≥100(人)"],
        ],
    )
    result = import_office(path)
    assert result.declarations[0].year == 2025
    (p,) = [p for p in result.problems if p.code == "missing-year"]
    assert p.severity is Severity.WARNING and p.cell == "Sheet!A2"


def test_flat_rows_that_disagree_on_a_project_field_are_reported(tmp_path):
    path = write_rows(
        tmp_path / "conflict.xlsx",
        [
            ["年度", "项目名称", "年度资金申请总额", "一级指标", "二级指标", "三级指标", "年度指标值"],
            [2025, "甲项目", 100, "产出指标", "数量指标", "培训人数", "≥100(人)"],
            [2025, "甲项目", 200, "产出指标", "质量指标", "合格率", "≥90(%)"],
        ],
    )
    result = import_office(path)
    assert result.declarations[0].funds.annual_total == Decimal("100.00")
    (p,) = [p for p in result.problems if p.code == "inconsistent-field"]
    assert p.cell == "Sheet!C3" and "年度资金申请总额" in p.message


def test_flat_without_a_target_column_is_an_error(tmp_path):
    path = write_rows(tmp_path / "notarget.xlsx", [["项目名称", "三级指标"], ["甲项目", "培训人数"]])
    result = import_office(path)
    assert not result.declarations
    assert [p.code for p in result.errors] == ["missing-column"]


# -- cells ------------------------------------------------------------------------------------


def test_cell_text_keeps_numbers_exact_and_reads_formats(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = 8613160.07
    ws["A2"] = 0.95
    ws["A2"].number_format = "0.00%"
    ws["A3"] = dt.datetime(2024, 1, 1)
    ws["A4"] = 2024
    ws["A5"] = "=100.00(%)"
    ws["A5"].data_type = "s"
    ws["A6"] = 1e16
    wb.save(tmp_path / "cells.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "cells.xlsx", data_only=True).active
    assert [cell_text(ws[f"A{r}"]) for r in range(1, 7)] == [
        "8613160.07",
        "95.00%",
        "2024-01-01",
        "2024",
        "=100.00(%)",
        "10000000000000000",
    ]


def test_join_target_parts():
    assert join_target_parts(["≥", "90", "%"]) == "≥90(%)"
    assert join_target_parts(["=", "100.00", "人次"]) == "=100.00(人次)"
    assert join_target_parts(["", "有效实现", ""]) == "有效实现"
    assert join_target_parts(["", "≥90.00(%)", ""]) == "≥90.00(%)"


# -- broken files -----------------------------------------------------------------------------


def only_an_error(result, path: Path, code: str) -> None:
    """Nothing read, exactly one error, naming the file."""
    assert result.declarations == []
    errors = result.errors
    assert [p.code for p in errors] == [code], [p.message for p in result.problems]
    assert str(path) in errors[0].message
    assert errors[0].file == str(path)


def test_truncated_workbook(files, tmp_path):
    path = build.truncated(files["form"], tmp_path / "half.xlsx")
    only_an_error(import_office(path), path, "bad-zip")
    only_an_error(read_declarations([path]), path, "bad-zip")


def test_a_zip_that_is_not_a_workbook(tmp_path):
    path = build.plain_zip(tmp_path / "archive.xlsx")
    result = import_office(path)
    only_an_error(result, path, "not-office")
    assert "不是 Excel 工作簿" in result.errors[0].message


def test_a_workbook_missing_its_sheet_part(files, tmp_path):
    path = build.rewritten(files["form"], tmp_path / "nosheet.xlsx", drop=["xl/worksheets/sheet1.xml"])
    result = import_office(path)
    only_an_error(result, path, "broken-file")
    assert "已损坏" in result.errors[0].message


def test_malformed_xml_in_a_sheet(files, tmp_path):
    path = build.rewritten(
        files["form"], tmp_path / "badxml.xlsx", replace={"xl/worksheets/sheet1.xml": b"<worksheet><sheetData>"}
    )
    only_an_error(import_office(path), path, "broken-file")


def test_malformed_word_document(files, tmp_path):
    path = build.rewritten(files["docx"], tmp_path / "bad.docx", replace={"word/document.xml": b"<w:document"})
    only_an_error(import_office(path), path, "broken-file")


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/styles.xml"])
def test_an_xml_bomb_is_refused_before_parsing(files, tmp_path, part):
    path = build.rewritten(files["form"], tmp_path / "bomb.xlsx", replace={part: build.BILLION_LAUGHS})
    result = import_office(path)
    only_an_error(result, path, "unsafe-xml")
    assert part in result.errors[0].message


def test_an_xml_bomb_in_utf16_is_refused(files, tmp_path):
    bomb = build.BILLION_LAUGHS.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    path = build.rewritten(files["docx"], tmp_path / "bomb16.docx", replace={"word/document.xml": bomb})
    only_an_error(import_office(path), path, "unsafe-xml")


def test_a_zip_bomb_is_refused_by_its_declared_size(tmp_path):
    path = build.zip_bomb(tmp_path / "bomb.xlsx", megabytes=office.MAX_UNCOMPRESSED // 2**20 + 1)
    assert path.stat().st_size < 2**20  # under a megabyte on disk
    result = import_office(path)
    only_an_error(result, path, "too-large")
    assert "压缩炸弹" in result.errors[0].message


def test_a_word_document_without_a_form_renamed_xlsx(tmp_path):
    path = build.letter_docx(tmp_path / "letter.xlsx")
    result = import_office(path)
    only_an_error(result, path, "no-form")
    assert len(result.problems) == 1
    assert "Word 文档" in result.errors[0].message and ".xlsx" in result.errors[0].message


def test_a_workbook_without_a_form(tmp_path):
    path = write_rows(tmp_path / "budget.xlsx", [["科目", "金额"], ["办公费", 1000]])
    only_an_error(import_office(path), path, "no-form")


def test_an_empty_file(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    only_an_error(import_office(path), path, "empty-file")
    # through the dispatcher an empty file is not a zip; the text reader says it is empty
    result = read_declarations([path])
    assert result.declarations == [] and len(result.errors) == 1
    assert str(path) in result.errors[0].message and "空" in result.errors[0].message


def test_check_exits_2_on_a_broken_file(files, tmp_path, capsys):
    path = build.truncated(files["form"], tmp_path / "half.xlsx")
    assert cli.main(["check", str(path)]) == 2
    out = capsys.readouterr().out
    assert str(path) in out and "错误" in out


def test_import_refuses_a_broken_file_and_writes_nothing(files, tmp_path, capsys):
    path = build.rewritten(
        files["form"], tmp_path / "bomb.xlsx", replace={"xl/worksheets/sheet3.xml": build.BILLION_LAUGHS}
    )
    db = tmp_path / "perftrack.db"
    assert cli.main(["import", "--db", str(db), str(files["flat"]), str(path)]) == 2
    assert "未导入任何内容" in capsys.readouterr().err
    assert not db.exists()


def test_encrypted_or_odd_members_do_not_crash(tmp_path):
    path = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", b"\x00\x01not xml")
    only_an_error(import_office(path), path, "broken-file")
