"""The blank declaration workbook: its layout, drop-downs and print setup, and that a filled copy imports."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from perftrack import cli
from perftrack.domain.model import LEVEL1_NAMES, LEVEL2_NAMES
from perftrack.domain.serialize import declaration_to_dict
from perftrack.domain.units import KNOWN_UNITS
from perftrack.export import template
from perftrack.export.template import write_template
from perftrack.importers.form_text import import_text
from perftrack.importers.office import import_office
from tests.support import office_builders as build

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"


@pytest.fixture(scope="module")
def seed():
    return import_text(SEED)


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "blank.xlsx"
    write_template(path, 2024)
    return path


def validations(ws) -> dict[str, object]:
    """Each data validation by the cells it covers."""
    return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}


def list_values(wb, formula: str) -> list[str]:
    sheet, cells = formula.split("!")
    return [c.value for row in wb[sheet.strip("'")][cells.replace("$", "")] for c in row]


def test_layout_follows_the_printed_form(blank):
    wb = openpyxl.load_workbook(blank)
    assert wb.sheetnames[:2] == ["申报表", "填写说明"]
    ws = wb["申报表"]
    assert ws["A1"].value == "财政项目支出绩效目标申报表"
    assert ws["A2"].value == "(2024年度)"
    labels = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for label in ("项目名称", "项目性质", "项目类别", "主管部门", "实施单位", "计划开始日期", "计划完成日期",
                  "项目资金(元)", "年度资金申请总额", "其中：当年财政拨款", "上年结转资金", "其他资金",
                  "项目总目标", "年度总体目标", "一级指标", "二级指标", "三级指标", "年度(/项目)指标值"):  # fmt: skip
        assert label in labels
    header = template.ROW_TABLE
    assert [ws.cell(header, c).value for c in range(2, 6)] == ["一级指标", "二级指标", "三级指标", "年度(/项目)指标值"]
    assert f"E{header}:G{header}" in {str(r) for r in ws.merged_cells.ranges}
    empty_rows = [r for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 4).value is None]
    assert len(empty_rows) == template.INDICATOR_ROWS == 20


def test_drop_downs_for_levels_operators_and_units(blank):
    wb = openpyxl.load_workbook(blank)
    ws = wb["申报表"]
    first, last = template.ROW_TABLE + 1, template.ROW_TABLE + template.INDICATOR_ROWS
    dvs = validations(ws)
    level1, level2 = dvs[f"B{first}:B{last}"], dvs[f"C{first}:C{last}"]
    units, ops = dvs[f"G{first}:G{last}"], dvs[f"E{first}:E{last}"]
    assert all(dv.type == "list" for dv in (level1, level2, units, ops))
    assert list_values(wb, level1.formula1) == list(LEVEL1_NAMES)
    assert list_values(wb, level2.formula1) == list(LEVEL2_NAMES)
    assert set(list_values(wb, units.formula1)) == set(KNOWN_UNITS)
    assert list_values(wb, units.formula1)[0] == "%"
    assert ops.formula1 == '"=,≥,≤,>,<"'
    assert level1.errorStyle == "stop" and units.errorStyle == "warning"
    assert wb["选项"].sheet_state == "hidden"


def test_print_setup_and_font(blank):
    ws = openpyxl.load_workbook(blank)["申报表"]
    assert int(ws.page_setup.paperSize) == 9  # A4 in the OOXML paper-size table
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_area == f"'申报表'!$A$1:$G${template.ROW_TABLE + template.INDICATOR_ROWS}"
    for ref in ("A1", "A3", "C3", f"D{template.ROW_TABLE + 1}"):
        assert ws[ref].font.name == "Microsoft YaHei"


def test_year_defaults_to_next_year(tmp_path):
    import datetime as dt

    write_template(tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["申报表"]
    assert ws["A2"].value == f"({dt.date.today().year + 1}年度)"


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    wb = openpyxl.Workbook()
    for ref, text in (("A1", "=100.00(%)"), ("A2", "+5"), ("A3", "-"), ("A4", "@备注"), ("A5", "≥90")):
        template.put(wb.active, ref, text)
    wb.save(tmp_path / "guard.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "guard.xlsx").active
    for ref, text in (("A1", "=100.00(%)"), ("A2", "+5"), ("A3", "-"), ("A4", "@备注"), ("A5", "≥90")):
        assert (ws[ref].value, ws[ref].data_type) == (text, "s")


def test_the_blank_template_imports_as_an_unnamed_form(blank):
    result = import_office(blank)
    assert result.declarations == []
    assert [p.code for p in result.errors] == ["missing-name"]


def test_a_filled_template_imports_as_the_text_form(blank, seed, tmp_path):
    for n, decl in enumerate(seed.declarations):
        filled = build.fill_template(blank, decl, tmp_path / f"filled{n}.xlsx")
        result = import_office(filled)
        build.assert_same_projects([declaration_to_dict(d) for d in result.declarations], [declaration_to_dict(decl)])


def test_targets_typed_as_operator_number_unit(blank, seed, tmp_path):
    decl = next(d for d in seed.declarations if d.name == "信息化运维项目")
    filled = build.fill_template(blank, decl, tmp_path / "split.xlsx", split_targets=True)
    (got,) = import_office(filled).declarations
    assert [i.name for i in got.indicators] == [i.name for i in decl.indicators]
    for g, want in zip(got.indicators, decl.indicators, strict=True):
        assert (g.level1, g.level2) == (want.level1, want.level2)
        t, w = g.target, want.target
        assert (t.op, t.value, t.unit, t.kind) == (w.op, w.value, w.unit, w.kind), g.name
    by_name = {i.name: i.target for i in got.indicators}
    assert by_name["故障解决时间"].raw == "≤2(小时)"
    assert by_name["故障解决时间"].value == Decimal("2")


def test_template_command(tmp_path, capsys):
    out = tmp_path / "模板.xlsx"
    assert cli.main(["template", "-o", str(out), "--year", "2026"]) == 0
    assert openpyxl.load_workbook(out)["申报表"]["A2"].value == "(2026年度)"
    assert str(out) in capsys.readouterr().out
    out.write_bytes(b"filled in by a user")
    assert cli.main(["template", "-o", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert out.read_bytes() == b"filled in by a user"
    assert cli.main(["template", "-o", str(out), "--force"]) == 0
    assert openpyxl.load_workbook(out).sheetnames[0] == "申报表"


@pytest.mark.parametrize(("name", "message"), [("t.xls", ".xlsx"), ("missing/t.xlsx", "文件夹不存在")])
def test_template_command_refuses_bad_names(tmp_path, capsys, name, message):
    assert cli.main(["template", "-o", str(tmp_path / name)]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
