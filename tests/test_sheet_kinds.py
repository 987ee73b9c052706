"""What kind of sheet a table is: a declaration, a self-evaluation, a monitoring sheet, or one perftrack does
not import (a department's whole-expenditure targets, an evaluation framework); and texts refused for
what they are (cells run together, PDF text laid out in columns)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from perftrack.importers import read_declarations
from perftrack.importers.form_text import parse_forms

DATA = Path(__file__).parent / "data"

MONITORING = """2024年项目支出绩效运行监控表
（2024年度）
| 项目名称 | 道路养护 | 主管部门 | 交通局 | 实施单位 | 养护中心 | ||
| 资金情况(万元) | 年度资金总额 | 300 | 其中:财政拨款 | 300 | ||
| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 1-6月执行情况 | 全年预计完成值 | 偏差原因分析 | |
| 产出指标 | 数量指标 | 养护里程 | ≥300公里 | 160公里 | 300公里 | |
| 满意度指标 | 服务对象满意度指标 | 群众满意度 | ≥90% | 92% | 92% | ||
"""

DEPARTMENT_WHOLE = """部门整体支出绩效目标表
（2024年度）
| 部门名称 | 交通局 | 部门编码 | 316 | ||
| 一级指标 | 二级指标 | 三级指标 | 计算符号 | 目标值 | 度量单位 | |
| 产出指标 | 数量指标 | 保障在职职工人数 | = | 116 | 人 | |
"""

DECLARATION = """项目支出绩效目标表
（2024年度）
| 项目名称 | 桥梁检测 | 主管部门 | 交通局 | 实施单位 | 检测站 | ||
| 资金情况(万元) | 年度资金总额 | 50 | 其中:财政拨款 | 50 | ||
| 一级指标 | 二级指标 | 三级指标 | 指标值 | |
| 产出指标 | 数量指标 | 检测桥梁 | ≥12座 | |
| 效益指标 | 社会效益指标 | 通行安全 | 有效保障 | |
"""


def test_a_monitoring_sheet_imports_its_targets_and_the_actuals_of_its_period():
    result = parse_forms(MONITORING, "监控表.txt")
    (decl,) = result.declarations
    assert decl.sheet_kind == "monitoring" and decl.year == 2024
    assert [(i.name, i.target.op, i.target.value, i.target.unit) for i in decl.indicators] == [
        ("养护里程", ">=", Decimal("300"), "公里"),
        ("群众满意度", ">=", Decimal("90"), "%"),
    ]
    assert [(a.indicator, a.period, a.raw) for a in decl.reported] == [
        ("养护里程", "Q2", "160公里"),
        ("群众满意度", "Q2", "92%"),
    ]
    (note,) = [p for p in result.problems if p.code == "monitoring"]
    assert "监控" in note.message and "2 个完成值" in note.message
    assert decl.funds.annual_total == Decimal("3000000.00")


def test_a_whole_department_sheet_alone_is_refused_by_name():
    result = parse_forms(DEPARTMENT_WHOLE, "部门.txt")
    assert not result.declarations
    (error,) = result.errors
    assert error.code == "not-a-project-form" and "部门整体支出绩效目标表" in error.message


def test_a_whole_department_sheet_beside_project_forms_is_skipped_with_a_warning():
    result = parse_forms(DEPARTMENT_WHOLE + "\n" + DECLARATION, "公开.txt")
    assert [d.name for d in result.declarations] == ["桥梁检测"]
    assert not result.errors
    (skipped,) = [p for p in result.problems if p.code == "not-a-project-form"]
    assert skipped.severity == "warning" and skipped.line == 1 and "已跳过" in skipped.message


def test_an_evaluation_framework_is_named_and_not_imported():
    text = DECLARATION.replace("项目支出绩效目标表", "项目支出绩效评价指标体系").replace(
        "| 项目名称 | 桥梁检测 ", "| 评价对象 | 桥梁检测 "
    )
    result = parse_forms(text, "体系.txt")
    assert not result.declarations
    assert result.errors and "绩效评价指标体系" in result.errors[0].message


def test_pdf_text_laid_out_in_columns_is_refused_and_points_to_the_pdf():
    result = read_declarations([DATA / "text" / "two_seed_forms_pdftotext_layout.txt"])
    assert not result.declarations
    (error,) = result.errors
    assert error.code == "pdf-layout-text" and "PDF" in error.message and error.line is not None


def test_a_self_evaluation_in_a_pdf_style_grid_reads_its_budget_columns():
    text = """项目支出绩效自评表
（2023年度）
| 项目名称 | 校舍维修 | 主管部门 | 教育局 | 实施单位 | 第一中学 | ||
| 项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |
| 年度资金总额 | 40 | 43.2 | 37.24 | 10 | 86% | 8.6 |
| 其中：当年财政拨款 | 40 | 43.2 | 37.24 | / | / | / |
| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
| 产出指标 | 数量指标 | 维修面积 | ≥800平方米 | 820平方米 | 50 | 50 | |
| 效益指标 | 社会效益指标 | 安全隐患 | 消除 | 已消除 | 40 | 40 | |
"""
    result = parse_forms(text, "自评.txt")
    (decl,) = result.declarations
    assert decl.sheet_kind == "self_evaluation"
    assert decl.funds.annual_total == Decimal("432000.00")  # the full-year budget, not the initial one
    assert decl.reported_spending == Decimal("372400.00")
    assert [(i.name, i.points) for i in decl.indicators] == [("维修面积", Decimal("50")), ("安全隐患", Decimal("40"))]
    assert [(a.indicator, a.period, a.raw) for a in decl.reported] == [
        ("维修面积", "YEAR", "820平方米"),
        ("安全隐患", "YEAR", "已消除"),
    ]


def test_a_monitoring_sheet_that_does_not_say_its_period_records_no_actuals():
    text = MONITORING.replace("1-6月执行情况", "实际完成值")
    result = parse_forms(text, "监控表.txt")
    (decl,) = result.declarations
    assert decl.indicators and not decl.reported
    (warning,) = [p for p in result.problems if p.code == "monitoring-period"]
    assert "截至哪一期" in warning.message


def test_labels_with_ordinals_and_remarks_are_read():
    text = (
        DECLARATION.replace("| 项目名称 |", "| 项目名称（全称） |")
        .replace("| 产出指标 |", "| 一、产出指标 |")
        .replace("| 效益指标 |", "| （二）效益指标 |")
        .replace("| 三级指标 | 指标值 |", "| 具体指标 | 预期目标值 |")
    )
    (decl,) = parse_forms(text, "表.txt").declarations
    assert decl.name == "桥梁检测"
    assert [(i.level1, i.name, i.target.raw) for i in decl.indicators] == [
        ("产出指标", "检测桥梁", "≥12座"),
        ("效益指标", "通行安全", "有效保障"),
    ]


def _import(database, text: str, name: str):
    from perftrack.store.upsert import import_declarations

    result = parse_forms(text, name)
    with database.session() as session:
        return import_declarations(session, result.declarations, source_label=name)


def _q2(database, indicator: str) -> str | None:
    from sqlalchemy import select

    from perftrack.store.schema import Actual, Indicator

    with database.session() as session:
        query = select(Actual.value_text).join(Indicator).where(Indicator.name == indicator, Actual.period == "Q2")
        return session.scalar(query)


def test_a_monitoring_sheet_records_its_cumulative_values_as_the_period_values(database):
    summary = _import(database, MONITORING, "监控表.txt")
    assert not summary.warnings
    assert _q2(database, "养护里程") == "160公里" and _q2(database, "群众满意度") == "92%"


def test_a_cumulative_value_never_counts_an_earlier_quarter_twice(database):
    from perftrack.store.actuals import record_actual
    from perftrack.store.queries import find_project

    _import(database, DECLARATION.replace("桥梁检测", "道路养护").replace("检测站", "养护中心"), "申报表.txt")
    with database.session() as session:
        project = find_project(session, "道路养护", 2024)
        indicator = next(i for i in project.indicators if i.name == "检测桥梁")
        record_actual(session, indicator, "Q1", "5")
    text = MONITORING.replace("养护里程 | ≥300公里 | 160公里 | 300公里", "检测桥梁 | ≥12座 | 8座 | 12座")
    summary = _import(database, text, "监控表.txt")
    # 1-6月 8 座 beside Q1's own 5: recording 8 as Q2 would make 13; it is left to the user, and said
    assert _q2(database, "检测桥梁") is None
    (warning,) = [w for w in summary.warnings if "检测桥梁" in w]
    assert "累计" in warning and "Q1 5" in warning
    assert _q2(database, "群众满意度") == "92%"  # a rate is the latest value: recorded as it is
