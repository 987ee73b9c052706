"""The evaluation workbook, written from a real SQLite file and read back cell by cell.

Two readers check it: openpyxl, and the raw XML inside the .xlsx (zipfile + ElementTree), so a
value openpyxl would paper over (a formula, a missing chart part) still shows.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select

from perftrack import cli
from perftrack.cli import export as export_cli
from perftrack.domain.attainment import STATUS_LABELS, Status
from perftrack.domain.model import Declaration, Funds, Indicator, Kind, Target
from perftrack.export import styles
from perftrack.export.sheets_evaluation import INDICATOR_HEADERS
from perftrack.export.workbook import (
    CHART_SHEET,
    SUMMARY_SHEET,
    ExportError,
    clean_sheet_title,
    export_workbook,
    sheet_names,
    unique_titles,
)
from perftrack.importers import read_declarations
from perftrack.store.database import Database, open_database
from perftrack.store.evaluation import ProjectEvaluation, evaluate_all
from perftrack.store.schema import Actual, BudgetExecution, Project
from perftrack.store.upsert import import_declarations

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sample_data" / "shanghai_2024_declarations.txt"
BASE = "孵化基地运营及创业孵化服务支出"
FINANCE = "开展科技金融工作及服务"
MONTHLY = "项目管理费"
FORMULA_NAME = "=SUM(A1:A9)项目"
REASON = "=受场地改造影响，后勤服务延期。"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS = {"m": MAIN}
CHART = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
FORBIDDEN = set("[]:*?/\\")


def seed(path: Path) -> Database:
    """The 13 seed projects with actuals and spending recorded straight through the ORM."""
    db = open_database(f"sqlite:///{path}")
    with db.session() as session:
        import_declarations(session, read_declarations([SEED]).declarations, source_label="seed")
    with db.session() as session:
        projects = {p.name: p for p in session.scalars(select(Project))}
        base = projects[BASE]
        ind = {i.name: i for i in base.indicators}
        values = {
            ("后勤保障服务完成率", "Q1"): "80",
            ("后勤保障服务完成率", "Q2"): "95.00",
            ("设备质量达标率", "Q1"): "100",
            ("设备质量达标率", "Q2"): "100",
            ("完成及时性", "Q2"): "60",
        }
        for (name, period), value in values.items():
            session.add(Actual(indicator_id=ind[name].id, period=period, value=Decimal(value), unit="%"))
        session.add(Actual(indicator_id=ind["保障基地安全"].id, period="Q2", tier="achieved"))
        ind["完成及时性"].deviation_reason = REASON
        for period, amount in (("Q1", "1000000.00"), ("Q2", "1950000.00")):
            session.add(BudgetExecution(project_id=base.id, period=period, amount=Decimal(amount)))

        finance = projects[FINANCE]
        for period, amount in (("Q1", "500000"), ("Q2", "1000000"), ("Q3", "900000"), ("Q4", "1000000")):
            session.add(BudgetExecution(project_id=finance.id, period=period, amount=Decimal(amount)))
        for i in finance.indicators:
            if i.target_kind == "quantitative" and i.target_value is not None:
                session.add(Actual(indicator_id=i.id, period="YEAR", value=i.target_value, unit=i.target_unit))

        monthly = projects[MONTHLY]
        monthly.reporting = "monthly"
        for period, amount in (("M01", "100"), ("M02", "200"), ("M03", "300"), ("M04", "400")):
            session.add(BudgetExecution(project_id=monthly.id, period=period, amount=Decimal(amount)))
        projects["信息化建设项目"].name = FORMULA_NAME
    return db


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[ProjectEvaluation]]]:
    folder = tmp_path_factory.mktemp("export")
    db = seed(folder / "perftrack.db")
    try:
        with db.session() as session:
            evaluations = evaluate_all(session)
    finally:
        db.close()
    path = folder / "自评.xlsx"
    export_workbook(evaluations, path)
    yield path, evaluations


@pytest.fixture(scope="module")
def wb(exported: tuple[Path, list[ProjectEvaluation]]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(exported[0])


def by_name(evaluations: list[ProjectEvaluation], name: str) -> ProjectEvaluation:
    return next(ev for ev in evaluations if ev.declaration.name == name)


def sheets_of(evaluations: list[ProjectEvaluation], name: str) -> tuple[str, str]:
    index = [ev.declaration.name for ev in evaluations].index(name)
    return sheet_names(evaluations)[index]


def find_row(ws: Worksheet, col: int, text: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, col).value == text)


def merged_over(ws: Worksheet, row: int, col: int) -> str | None:
    return next((str(m) for m in ws.merged_cells.ranges if m.min_row == row and m.min_col == col), None)


# -- the summary ------------------------------------------------------------------------------


def test_summary_lists_every_project_with_numbers_as_numbers(wb, exported) -> None:
    _, evaluations = exported
    ws = wb[SUMMARY_SHEET]
    assert wb.sheetnames[:2] == [SUMMARY_SHEET, CHART_SHEET]
    assert ws["A1"].value == "项目支出绩效自评汇总表（2024年度）"
    assert [ws.cell(3, c).value for c in range(1, 10)] == [
        "序号",
        "项目名称",
        "实施单位",
        "年初预算数（元）",
        "全年预算数（元）",
        "全年执行数（元）",
        "执行率",
        "自评得分",
        "等级",
    ]
    assert len(evaluations) == 13
    for row, ev in enumerate(evaluations, start=4):
        assert ws.cell(row, 1).value == row - 3
        assert ws.cell(row, 2).value == ev.declaration.name
        assert ws.cell(row, 2).data_type == "s"
        assert ws.cell(row, 3).value == ev.declaration.unit
        assert Decimal(str(ws.cell(row, 4).value)) == ev.declaration.funds.annual_total
        assert ws.cell(row, 4).number_format == "#,##0.00"
        assert Decimal(str(ws.cell(row, 8).value)) == ev.score.total
        assert ws.cell(row, 9).value == ev.score.grade_label
        assert ws.cell(row, 10).value == len(ev.score.indicators)
    base = find_row(ws, 2, BASE)
    # 1,000,000 + 1,950,000 of 5,900,000: half the budget, 5 of the 10 points.
    assert ws.cell(base, 6).value == 2950000
    assert ws.cell(base, 7).value == pytest.approx(0.5)
    assert ws.cell(base, 7).number_format == "0.00%"
    ev = by_name(evaluations, BASE)
    counts = [ws.cell(base, c).value for c in range(10, 15)]
    assert counts == [5, 2, 2, 1, 3]  # 5 indicators: 2 met, 2 short, 1 with no actual, 3 to explain
    assert ev.score.budget.score == Decimal("5.00")


def test_summary_totals_filter_freeze_and_links(wb, exported) -> None:
    _, evaluations = exported
    ws = wb[SUMMARY_SHEET]
    total = 4 + len(evaluations)
    assert ws.cell(total, 1).value == "合计（得分为平均分）"
    declared = sum((ev.declaration.funds.annual_total or Decimal(0) for ev in evaluations), Decimal(0))
    assert declared == Decimal("46771540.00")
    assert Decimal(str(ws.cell(total, 4).value)) == declared
    average = sum((ev.score.total for ev in evaluations), Decimal(0)) / len(evaluations)
    assert Decimal(str(ws.cell(total, 8).value)) == average.quantize(Decimal("0.01"))
    assert ws.cell(total, 10).value == sum(len(ev.score.indicators) for ev in evaluations) == 195
    assert ws.freeze_panes == "C4"
    assert ws.auto_filter.ref == f"A3:P{total - 1}"
    assert ws.print_title_rows == "$3:$3"
    names = sheet_names(evaluations)
    for row, (evaluation_sheet, monitoring_sheet) in enumerate(names, start=4):
        assert ws.cell(row, 2).hyperlink.location == f"'{evaluation_sheet}'!A1"
        assert ws.cell(row, 16).hyperlink.location == f"'{monitoring_sheet}'!A1"
        assert evaluation_sheet in wb.sheetnames and monitoring_sheet in wb.sheetnames


# -- the self-evaluation form -----------------------------------------------------------------


def test_self_evaluation_form_layout(wb, exported) -> None:
    _, evaluations = exported
    ev = by_name(evaluations, BASE)
    ws = wb[sheets_of(evaluations, BASE)[0]]
    assert ws["A1"].value == "项目支出绩效自评表"
    assert ws["A2"].value == "（2024年度）"
    assert (ws["A3"].value, ws["C3"].value) == ("项目名称", BASE)
    assert ws["C4"].value == "上海市科学技术委员会" and ws["F4"].value == "上海市科技创业中心"
    assert [ws.cell(5, c).value for c in range(3, 9)] == [
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ]
    assert ws["A6"].value == "年度资金总额"
    assert (ws["C6"].value, ws["E6"].value, ws["G6"].value, ws["H6"].value) == (5900000, 2950000, 0.5, 5)
    assert ws["G6"].number_format == "0.00%" and ws["C6"].number_format == "#,##0.00"
    assert [ws.cell(r, 1).value for r in (7, 8, 9)] == ["其中：当年财政拨款", "上年结转资金", "其他资金"]
    assert ws["F7"].value == ws["H7"].value == "—"
    goal = find_row(ws, 1, "年度总体目标")
    assert ws.cell(goal + 1, 3).value == "确保孵化基地安全稳定运营。"
    assert "预算执行率 50.00%" in ws.cell(goal + 1, 6).value

    header = find_row(ws, 1, "一级指标")
    assert tuple(ws.cell(header, c).value for c in range(1, 8)) == INDICATOR_HEADERS
    assert ws.cell(header, 8).value == "偏差原因分析及改进措施"
    first = header + 1
    assert merged_over(ws, first, 1) == f"A{first}:A{first + 2}"  # 产出指标 over its three rows
    assert ws.cell(first, 1).value == "产出指标" and ws.cell(first + 3, 1).value == "效益指标"
    assert merged_over(ws, first, 2) is None  # each output indicator has its own level 2
    for offset, score in enumerate(ev.score.indicators):
        row = first + offset
        assert ws.cell(row, 3).value == score.name
        assert ws.cell(row, 4).value == score.target_display
        assert ws.cell(row, 4).data_type == "s"
        assert Decimal(str(ws.cell(row, 6).value)) == score.points
        assert Decimal(str(ws.cell(row, 7).value)) == score.score
    # The latest value counts for a rate: 95 % of =100 % is 95 % of the points.
    logistics = first
    assert ws.cell(logistics, 4).value == "=100.00(%)"
    assert ws.cell(logistics, 5).value == 95
    assert ws.cell(logistics, 5).number_format == '#,##0.00"(%)"'
    assert ws.cell(logistics, 7).value == pytest.approx(15.84)
    timely = first + 2
    assert ws.cell(timely, 8).value == f"偏差原因：{REASON}"
    assert ws.cell(first + 3, 5).value == "达成年度指标（100%）"
    assert ws.cell(first + 4, 5).value == "（未填报）"
    assert ws.cell(first + 4, 8).value.startswith("待说明：未填报实际完成值")
    total = first + len(ev.score.indicators)
    assert (ws.cell(total, 1).value, ws.cell(total, 6).value) == ("总分", 100)
    assert Decimal(str(ws.cell(total, 7).value)) == ev.score.total
    assert (ws.cell(total + 1, 1).value, ws.cell(total + 1, 6).value) == ("自评等级", ev.score.grade_label)
    assert ws.print_area == f"'{ws.title}'!$A$1:$H${total + 1}"
    assert ws.print_title_rows == f"${header}:${header}"


def test_level_two_cells_merge_within_their_level_one(wb, exported) -> None:
    _, evaluations = exported
    name = "创业孵化基地运行保障"
    ev = by_name(evaluations, name)
    ws = wb[sheets_of(evaluations, name)[0]]
    first = find_row(ws, 1, "一级指标") + 1
    level2 = [s.level2 for s in ev.score.indicators]
    quantity = level2.count("数量指标")
    assert quantity > 1
    assert merged_over(ws, first, 2) == f"B{first}:B{first + quantity - 1}"
    outputs = sum(1 for s in ev.score.indicators if s.level1 == "产出指标")
    assert merged_over(ws, first, 1) == f"A{first}:A{first + outputs - 1}"


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
    db = open_database(f"sqlite:///{tmp_path / 't.db'}")
    try:
        with db.session() as session:
            import_declarations(session, declarations)
        with db.session() as session:
            evaluations = evaluate_all(session)
    finally:
        db.close()
    path = tmp_path / "f.xlsx"
    export_workbook(evaluations, path)
    book = openpyxl.load_workbook(path)
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
    db = open_database(f"sqlite:///{tmp_path / 't.db'}")
    try:
        with db.session() as session:
            import_declarations(session, declarations)
        with db.session() as session:
            evaluations = evaluate_all(session)
    finally:
        db.close()
    path = tmp_path / "names.xlsx"
    export_workbook(evaluations, path)
    book = openpyxl.load_workbook(path)
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
        assert book[quoted[summary.cell(row, 16).hyperlink.location]].title.endswith("-监控")
    assert {summary.cell(row, 2).value for row in range(4, 4 + len(names))} == set(names)


# -- the monitoring form ----------------------------------------------------------------------


def test_monitoring_sheet_by_quarter(wb, exported) -> None:
    _, evaluations = exported
    ev = by_name(evaluations, BASE)
    ws = wb[sheets_of(evaluations, BASE)[1]]
    assert ws["A1"].value == "项目绩效运行监控表"
    assert ws["A2"].value == "（截至2024年二季度末）"
    head = find_row(ws, 1, "一级指标")
    assert [ws.cell(head + 1, c).value for c in range(5, 9)] == ["一季度", "二季度", "三季度", "四季度"]
    headers = [ws.cell(head, c).value for c in range(9, 18)]
    assert headers[1:4] == ["累计完成", "按时间进度\n应完成", "完成率"]
    assert headers[5] == "状态"
    assert ws.print_title_rows == f"${head}:${head + 1}"
    first = head + 2
    rows = {ws.cell(r, 3).value: r for r in range(first, first + len(ev.indicators))}
    logistics = rows["后勤保障服务完成率"]
    assert (ws.cell(logistics, 5).value, ws.cell(logistics, 6).value) == (80, 95)
    assert ws.cell(logistics, 7).value is None
    assert ws.cell(logistics, 10).value == 95  # latest, not the sum
    assert ws.cell(logistics, 11).value == 100
    assert ws.cell(logistics, 12).value == pytest.approx(0.95)
    status = {name: ws.cell(r, 14) for name, r in rows.items()}
    assert status["后勤保障服务完成率"].value == STATUS_LABELS[Status.AT_RISK]
    assert status["设备质量达标率"].value == "正常"
    assert status["完成及时性"].value == "偏离目标"
    assert status["综合满意度"].value == "未填报"
    assert status["保障基地安全"].value == "正常"
    assert ws.cell(rows["保障基地安全"], 6).value == "达成"
    for s, fill in ((Status.AT_RISK, "FFF2CC"), (Status.OFF_TRACK, "F8CBAD"), (Status.NO_ACTUAL, "EDEDED")):
        cell = next(c for c in status.values() if c.value == STATUS_LABELS[s])
        assert cell.fill.fgColor.rgb.endswith(fill)
    assert ws.cell(rows["完成及时性"], 16).value == REASON
    assert ws.cell(rows["综合满意度"], 16).value is None  # no actual yet: nothing to explain
    # The budget block: quarters, cumulative rate against time elapsed.
    budget = find_row(ws, 1, "期间")
    assert [ws.cell(budget + i, 3).value for i in (1, 2, 3, 4)] == [1000000, 1950000, None, None]
    assert ws.cell(budget + 2, 4).value == pytest.approx(0.5)
    assert ws.cell(budget + 3, 4).value is None
    assert [ws.cell(budget + i, 5).value for i in (1, 2, 3, 4)] == pytest.approx([0.25, 0.5, 0.75, 1])
    assert len(ws.row_breaks.brk) >= 1


def test_monthly_project_has_twelve_columns_and_quarters_added_up(wb, exported) -> None:
    _, evaluations = exported
    ws = wb[sheets_of(evaluations, MONTHLY)[1]]
    head = find_row(ws, 1, "一级指标")
    assert [ws.cell(head + 1, c).value for c in range(5, 17)] == [f"{m}月" for m in range(1, 13)]
    budget = find_row(ws, 1, "期间")
    assert [ws.cell(budget + i, 3).value for i in (1, 2)] == [600, 400]
    charts_sheet = wb[CHART_SHEET]
    first_quarter = find_row(charts_sheet, 1, "一季度")
    # Across all projects: 1,000,000 + 500,000 + 600 in the first quarter.
    assert charts_sheet.cell(first_quarter, 2).value == 1500600


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
    db = open_database(f"sqlite:///{tmp_path / 't.db'}")
    try:
        with db.session() as session:
            import_declarations(session, declarations)
        with db.session() as session:
            evaluations = evaluate_all(session)
    finally:
        db.close()
    path = tmp_path / "many.xlsx"
    export_workbook(evaluations, path)
    sheet = openpyxl.load_workbook(path)[CHART_SHEET]
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


# -- the command line -------------------------------------------------------------------------


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    if export_cli.register not in cli.EXTRA_COMMANDS:
        monkeypatch.setattr(cli, "EXTRA_COMMANDS", [*cli.EXTRA_COMMANDS, export_cli.register])
    db_file = tmp_path / "cli.db"
    seed(db_file).close()

    def run(*args: object, db: Path = db_file) -> tuple[int, str, str]:
        code = cli.main([str(a) for a in (*args, "--db", db)])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_cli_exports_named_projects_in_the_order_given(run, tmp_path: Path) -> None:
    out_file = tmp_path / "two.xlsx"
    code, out, err = run("export", "-o", out_file, "科技金融", "孵化基地运营", "--as-of", "一季度")
    assert code == 0, err
    assert f"已导出 2 个项目到 {out_file}" in out
    book = openpyxl.load_workbook(out_file)
    assert book.sheetnames == [
        SUMMARY_SHEET,
        CHART_SHEET,
        f"{FINANCE}-自评",
        f"{FINANCE}-监控",
        f"{BASE}-自评",
        f"{BASE}-监控",
    ]
    assert book[f"{BASE}-监控"]["A2"].value == "（截至2024年一季度末）"


def test_cli_exports_everything_by_default(run, tmp_path: Path) -> None:
    out_file = tmp_path / "all.xlsx"
    code, _, err = run("export", "-o", out_file, "--year", "2024")
    assert code == 0, err
    assert len(openpyxl.load_workbook(out_file).sheetnames) == 2 + 2 * 13


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-o", "x.csv"), "应以 .xlsx 结尾"),
        (("-o", "{tmp}/nowhere/x.xlsx"), "不存在"),
        (("-o", "{tmp}/x.xlsx", "--as-of", "13月"), "--as-of"),
        (("-o", "{tmp}/x.xlsx", "不存在的项目"), "没有找到"),
        (("-o", "{tmp}/x.xlsx", "孵化"), "请写得更具体"),
        (("-o", "{tmp}/x.xlsx", "--year", "2030"), "没有2030年的项目"),
    ],
)
def test_cli_user_errors_exit_2(run, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    code, _, err = run("export", *(a.format(tmp=tmp_path) for a in args))
    assert code == 2
    assert message in err
    assert not (tmp_path / "x.xlsx").exists()
