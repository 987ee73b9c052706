"""The evaluation workbook as a file: text that stays text, sheet names, native charts, print
setup, fonts and row heights, and writing it (progress, cancel, failure).

Two readers check it: openpyxl, and the raw XML inside the .xlsx (zipfile + ElementTree), so a
value openpyxl would paper over (a formula, a missing chart part) still shows.
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from perftrack.domain.attainment import STATUS_LABELS
from perftrack.domain.model import Declaration, Funds, Indicator, Kind, Target
from perftrack.export import styles
from perftrack.export.workbook import (
    CHART_SHEET,
    SUMMARY_SHEET,
    ExportError,
    clean_sheet_title,
    export_workbook,
    sheet_names,
    unique_titles,
)
from perftrack.store.database import open_database
from perftrack.store.evaluation import ProjectEvaluation, evaluate_all
from perftrack.store.upsert import import_declarations
from tests.support.exports import BASE, FORMULA_NAME, export_seed, find_row, sheets_of

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS = {"m": MAIN}
CHART = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
FORBIDDEN = set("[]:*?/\\")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[ProjectEvaluation]]:
    return export_seed(tmp_path_factory.mktemp("export"))


@pytest.fixture(scope="module")
def wb(exported: tuple[Path, list[ProjectEvaluation]]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(exported[0])


def export_declarations(declarations: list[Declaration], path: Path) -> openpyxl.Workbook:
    """Import ``declarations`` into a new database beside ``path``, export them there, read it back."""
    db = open_database(f"sqlite:///{path.parent / 't.db'}")
    try:
        with db.session() as session:
            import_declarations(session, declarations)
        with db.session() as session:
            evaluations = evaluate_all(session)
    finally:
        db.close()
    export_workbook(evaluations, path)
    return openpyxl.load_workbook(path)


# -- text stays text --------------------------------------------------------------------------


def test_no_cell_anywhere_is_a_formula(wb, exported) -> None:
    path, evaluations = exported
    leading = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} = {cell.value!r}"
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    assert cell.quotePrefix, f"{ws.title}!{cell.coordinate}"
                    leading += 1
    assert leading > 100  # every "=100.00(%)" target, the project named "=SUM…", the reason "=受…"
    assert FORMULA_NAME in [ev.declaration.name for ev in evaluations]
    assert wb[SUMMARY_SHEET].cell(4 + [e.declaration.name for e in evaluations].index(FORMULA_NAME), 2).value == (
        FORMULA_NAME
    )
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)]
        assert len(sheets) == 2 + 2 * 13
        for name in sheets:
            root = ElementTree.fromstring(archive.read(name))
            assert root.find(".//m:f", NS) is None, name
            for cell in root.iterfind(".//m:c", NS):
                text = cell.find("m:is/m:t", NS)
                if text is not None and (text.text or "")[:1] == "=":
                    assert cell.get("t") == "inlineStr"


def test_text_that_looks_like_a_formula_in_every_place(tmp_path: Path) -> None:
    names = ["=1+1", "+8621", "-负数", "@user", '=HYPERLINK("http://x")']
    declarations = [
        Declaration(
            name=name,
            year=2024,
            unit="=单位",
            department="+部门",
            annual_goal="-目标",
            funds=Funds(annual_total=Decimal("100.00")),
            indicators=[Indicator("产出指标", "数量指标", "@指标", Target(raw="=5.00(次)", kind=Kind.QUALITATIVE))],
        )
        for name in names
    ]
    book = export_declarations(declarations, tmp_path / "f.xlsx")
    texts = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert set(names) | {"=单位", "+部门", "-目标", "@指标", "=5.00(次)"} <= texts
    assert all(c.data_type != "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)


# -- sheet names ------------------------------------------------------------------------------


def test_sheet_titles_are_valid_and_unique() -> None:
    long = "上海市科技创新中心关于开展科技型中小企业技术创新资金项目管理与服务工作"
    names = [long + "一", long + "二", "a[b]:c*d?e/f\\g", "ABC项目", "abc项目", "'引号'", "", "History", long + "一"]
    titles = unique_titles(names, 28)
    assert len({t.casefold() for t in titles}) == len(names)
    for title in titles:
        assert 0 < len(title) <= 28
        assert not FORBIDDEN & set(title)
        assert not title.startswith("'") and not title.endswith("'")
        assert title.casefold() != "history"
    assert titles[0] == long[:28]
    assert titles[1] == long[:26] + "~2"
    assert titles[2] == "a_b__c_d_e_f_g"
    assert titles[3:5] == ["ABC项目", "abc项目~2"]
    assert titles[6] == "项目"
    assert clean_sheet_title("  多个   空格\n换行 ") == "多个 空格 换行"


def test_long_and_near_identical_names_in_a_workbook(tmp_path: Path) -> None:
    stem = "科技型中小企业技术创新资金项目管理与服务工作专项经费（第一批次）"
    names = [stem + "A", stem + "B", stem.upper() + "a", "名称/含[非法]:字符*?", "O'Brien's 项目"]
    declarations = [
        Declaration(name=n, year=2024, unit="单位", funds=Funds(annual_total=Decimal("1.00"))) for n in names
    ]
    book = export_declarations(declarations, tmp_path / "names.xlsx")
    assert len(book.sheetnames) == 2 + 2 * len(names)
    assert len({s.casefold() for s in book.sheetnames}) == len(book.sheetnames)
    for title in book.sheetnames:
        assert len(title) <= 31 and not FORBIDDEN & set(title)
    quoted = {"'" + title.replace("'", "''") + "'!A1": title for title in book.sheetnames}
    summary = book[SUMMARY_SHEET]
    for row in range(4, 4 + len(names)):
        sheet = book[quoted[summary.cell(row, 2).hyperlink.location]]
        assert sheet["C3"].value == summary.cell(row, 2).value
        assert sheet.title.endswith("-自评")
        assert book[quoted[summary.cell(row, 18).hyperlink.location]].title.endswith("-监控")
    assert {summary.cell(row, 2).value for row in range(4, 4 + len(names))} == set(names)


# -- charts, print, fonts ---------------------------------------------------------------------


def test_charts_are_native_with_explicit_axes(exported) -> None:
    path, evaluations = exported
    with_quantitative = sum(1 for ev in evaluations if any(i.target.is_quantitative for i in ev.indicators))
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        charts = [n for n in names if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        assert not [n for n in names if n.startswith("xl/media/")]
        # Per project a budget and a completion chart; on the chart sheet the budget and the scores.
        assert len(charts) == len(evaluations) + with_quantitative + 2
        for name in charts:
            root = ElementTree.fromstring(archive.read(name))
            axes = root.findall(".//c:valAx", CHART) + root.findall(".//c:catAx", CHART)
            assert len(axes) >= 2
            for axis in axes:
                assert axis.find("c:delete", CHART).get("val") == "0"
            for axis in root.findall(".//c:valAx", CHART):
                assert float(axis.find("c:scaling/c:min", CHART).get("val")) == 0
            for series in root.iterfind(".//c:ser", CHART):
                assert series.find("c:cat/c:strRef/c:strCache", CHART) is not None
                assert series.find("c:val/c:numRef/c:numCache", CHART) is not None
        scores = [
            ElementTree.fromstring(archive.read(n)) for n in charts if "各项目自评得分".encode() in archive.read(n)
        ]
    assert len(scores) == 1
    (series,) = scores[0].findall(".//c:barChart/c:ser", CHART)
    table = find_row(openpyxl.load_workbook(path)[CHART_SHEET], 2, "项目（简称）")
    assert series.find("c:val/c:numRef/c:f", CHART).text == f"'汇总图表'!$E${table + 1}:$E${table + 13}"
    assert series.find("c:cat/c:strRef/c:f", CHART).text == f"'汇总图表'!$B${table + 1}:$B${table + 13}"
    cached = [float(v.text) for v in series.iterfind("c:val/c:numRef/c:numCache/c:pt/c:v", CHART)]
    assert cached == [float(ev.score.total) for ev in evaluations]
    labels = [v.text for v in series.iterfind("c:cat/c:strRef/c:strCache/c:pt/c:v", CHART)]
    assert labels[0] == evaluations[0].declaration.name
    assert all(len(label) <= 18 for label in labels)


def test_many_projects_get_several_score_charts(tmp_path: Path) -> None:
    declarations = [
        Declaration(
            name=f"项目{n:02d}" + "很长的名称" * (n % 5),
            year=2024,
            unit="单位",
            funds=Funds(annual_total=Decimal(n + 1)),
        )
        for n in range(45)
    ]
    sheet = export_declarations(declarations, tmp_path / "many.xlsx")[CHART_SHEET]
    assert len(sheet._charts) == 1 + 3  # the budget, and the scores 20 + 20 + 5
    headers = [r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == "项目（简称）"]
    assert len(headers) == 3
    numbers = [sheet.cell(r, 1).value for h in headers for r in range(h + 1, h + 21) if sheet.cell(r, 1).value]
    assert numbers == list(range(1, 46))
    assert sheet.row_breaks.brk  # three tables with their charts do not fit on one page


def test_charts_reload_and_sit_on_their_sheets(wb, exported) -> None:
    _, evaluations = exported
    evaluation_sheet, monitoring_sheet = sheets_of(evaluations, BASE)
    assert len(wb[CHART_SHEET]._charts) == 2
    assert len(wb[monitoring_sheet]._charts) == 2
    assert len(wb[evaluation_sheet]._charts) == 0


def test_every_sheet_prints_on_a4_fitted_to_width(wb, exported) -> None:
    _, evaluations = exported
    forms = {s for s, _ in sheet_names(evaluations)} | {CHART_SHEET}
    for ws in wb.worksheets:
        assert ws.page_setup.paperSize == styles.PAPER_A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.page_setup.orientation == ("portrait" if ws.title in forms else "landscape")
        assert ws.print_area
        assert "&P" in ws.oddFooter.center.text


def test_cells_use_a_chinese_font_and_status_is_never_colour_alone(wb) -> None:
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == styles.FONT_NAME, f"{ws.title}!{cell.coordinate}"
                if cell.fill.fill_type == "solid" and cell.fill.fgColor.rgb[-6:] in ("E2EFDA", "FFF2CC", "F8CBAD"):
                    assert cell.value in STATUS_LABELS.values()


def test_wrapped_text_gets_taller_rows(wb, exported) -> None:
    _, evaluations = exported
    name = "全市创业载体服务体系建设"
    ws = wb[sheets_of(evaluations, name)[0]]
    goal = find_row(ws, 1, "年度总体目标") + 1
    assert ws.row_dimensions[goal].height >= 5 * 13
    header = find_row(ws, 1, "一级指标")
    long_name = next(r for r in range(header, ws.max_row) if len(str(ws.cell(r, 3).value or "")) > 40)
    assert ws.row_dimensions[long_name].height > ws.row_dimensions[header + 4].height


# -- writing the file -------------------------------------------------------------------------


def test_progress_reports_and_cancel_writes_nothing(exported, tmp_path: Path) -> None:
    _, evaluations = exported
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"previous")
    seen: list[tuple[int, int]] = []

    def cancel_at_three(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < 3

    export_workbook(evaluations, path, progress=cancel_at_three)
    assert seen == [(1, 14), (2, 14), (3, 14)]
    assert path.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]

    seen.clear()
    export_workbook(evaluations, path, progress=lambda d, t: seen.append((d, t)) is None)
    assert seen == [(n, 14) for n in range(1, 15)]
    assert openpyxl.load_workbook(path).sheetnames[0] == SUMMARY_SHEET
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_a_failure_leaves_the_old_file_and_no_temporary(exported, tmp_path: Path) -> None:
    _, evaluations = exported
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"previous")

    def fail_at_end(done: int, total: int) -> bool:
        if done == total:
            raise RuntimeError("disk full")
        return True

    with pytest.raises(RuntimeError):
        export_workbook(evaluations, path, progress=fail_at_end)
    assert path.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]
    with pytest.raises(ExportError, match="不存在"):
        export_workbook(evaluations, tmp_path / "missing" / "out.xlsx")


def test_no_projects_still_makes_a_valid_workbook(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    export_workbook([], path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [SUMMARY_SHEET, CHART_SHEET]
    assert book[SUMMARY_SHEET]["A2"].value == "共 0 个项目；金额单位：元"
    assert book[SUMMARY_SHEET]["A4"].value == "合计（得分为平均分）"
