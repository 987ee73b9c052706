"""The evaluation workbook's sheets, written from a real SQLite file and read back cell by cell.

The summary, each project's self-evaluation form and its monitoring form. The seed and the
exported workbook here serve the other export tests too: ``test_export_workbook.py`` (the
file as a whole: text safety, sheet names, charts, print setup, writing) and
``test_export_cli.py``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from perftrack.domain.attainment import STATUS_LABELS, Status
from perftrack.export.sheets_evaluation import INDICATOR_HEADERS
from perftrack.export.workbook import CHART_SHEET, SUMMARY_SHEET, sheet_names
from perftrack.store.evaluation import ProjectEvaluation
from tests.support.exports import BASE, MONTHLY, REASON, export_seed, find_row, sheets_of

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[ProjectEvaluation]]:
    return export_seed(tmp_path_factory.mktemp("export"))


@pytest.fixture(scope="module")
def wb(exported: tuple[Path, list[ProjectEvaluation]]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(exported[0])


def by_name(evaluations: list[ProjectEvaluation], name: str) -> ProjectEvaluation:
    return next(ev for ev in evaluations if ev.declaration.name == name)


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
        # A project whose figures stand before the year end shows its grade as a trial.
        trial = "" if ev.as_of == "YEAR" else "（试算）"
        assert ws.cell(row, 9).value == ev.score.grade_label + trial
        assert ws.cell(row, 10).value == len(ev.score.indicators)
    base = find_row(ws, 2, BASE)
    # 1,000,000 + 1,950,000 of 5,900,000: half the budget, 5 of the 10 points.
    assert ws.cell(base, 6).value == 2950000
    assert ws.cell(base, 7).value == pytest.approx(0.5)
    assert ws.cell(base, 7).number_format == "0.00%"
    ev = by_name(evaluations, BASE)
    counts = [ws.cell(base, c).value for c in range(10, 17)]
    # 5 indicators: 2 met, 2 short, 1 with no actual; 2 to explain (the one without a value is 未填报),
    # 1 of them still unexplained (完成及时性 has its reason); at Q2 1 is off track (完成及时性 60 %).
    assert counts == [5, 2, 2, 1, 2, 1, 1]
    assert [ws.cell(3, c).value for c in range(10, 19)] == [
        "指标数",
        "达到\n指标值",
        "未达到",
        "未填报",
        "需说明\n偏差",
        "其中\n待说明",
        "进度\n偏离目标",
        "数据截至",
        "监控表",
    ]
    assert ws.cell(base, 17).value == "2024年二季度末（试算）"
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
    # The rate is the executed total over the budget total on the same row, whatever is missing.
    budget, spent = Decimal(str(ws.cell(total, 5).value)), Decimal(str(ws.cell(total, 6).value))
    assert ws.cell(total, 7).value == pytest.approx(float((spent / budget * 100).quantize(Decimal("0.01")) / 100))
    without = sum(1 for ev in evaluations if ev.score.budget.executed is None)
    assert without == 10
    assert f"{without} 个项目尚未填报执行数" in ws.cell(total + 1, 1).value
    assert ws.freeze_panes == "C4"
    assert ws.auto_filter.ref == f"A3:R{total - 1}"
    assert ws.print_title_rows == "$3:$3"
    names = sheet_names(evaluations)
    for row, (evaluation_sheet, monitoring_sheet) in enumerate(names, start=4):
        assert ws.cell(row, 2).hyperlink.location == f"'{evaluation_sheet}'!A1"
        assert ws.cell(row, 18).hyperlink.location == f"'{monitoring_sheet}'!A1"
        assert evaluation_sheet in wb.sheetnames and monitoring_sheet in wb.sheetnames


# -- the self-evaluation form -----------------------------------------------------------------


def test_self_evaluation_form_layout(wb, exported) -> None:
    _, evaluations = exported
    ev = by_name(evaluations, BASE)
    ws = wb[sheets_of(evaluations, BASE)[0]]
    # Its figures stand at Q2: the sheet says it is a trial at that date, on the sheet and every page.
    assert ws["A1"].value == "项目支出绩效自评表（年中试算）"
    assert ws["A2"].value == "（2024年度 · 截至2024年二季度末，按已填报数值试算，非年终自评）"
    assert "截至2024年二季度末" in ws.oddHeader.right.text
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
    assert ws.cell(first + 4, 8).value.startswith("待填报：未填报实际完成值")
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
