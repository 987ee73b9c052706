"""The declaration review: each rule on small declarations, the seed's real defects, and `perftrack check`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from perftrack import cli
from perftrack.domain.checks import (
    check_declaration,
    check_declarations,
    expects_count,
    expects_rate,
    summarize,
)
from perftrack.domain.model import Declaration, Funds, ImportResult, Indicator, Problem, Severity, SourceRef
from perftrack.domain.targets import parse_target
from perftrack.importers.form_text import import_text
from perftrack.importers.office import import_office
from tests.support import office_builders as build

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"
FILE = "申报表.txt"


def ind(level1: str | None, level2: str | None, name: str, raw: str, line: int) -> Indicator:
    return Indicator(level1, level2, name, parse_target(raw), SourceRef(FILE, line))


def clean(**changes) -> Declaration:
    """A declaration a finance bureau would pass as it is."""
    d = Declaration(
        name="路灯维护",
        year=2025,
        unit="市政所",
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        funds=Funds(
            annual_total=Decimal("100.00"),
            annual_appropriation=Decimal("80.00"),
            annual_carryover=Decimal("20.00"),
            annual_other=Decimal("0.00"),
        ),
        annual_goal="完成全区路灯维护。",
        indicators=[
            ind("产出指标", "数量指标", "维护路灯数量", "≥1200(个)", 10),
            ind("产出指标", "质量指标", "路灯亮灯率", "≥98.00(%)", 11),
            ind("效益指标", "社会效益指标", "夜间出行安全", "有效提升", 12),
            ind("满意度指标", "服务对象满意度指标", "居民满意度", "≥90(%)", 13),
        ],
        source=SourceRef(FILE, 1),
    )
    return dataclasses.replace(d, **changes)


def codes(problems: list[Problem]) -> list[tuple[str, Severity]]:
    return [(p.code, p.severity) for p in problems]


def with_indicator(name: str, raw: str, level2: str = "数量指标") -> Declaration:
    d = clean()
    d.indicators.append(ind("产出指标", level2, name, raw, 14))
    return d


# -- the rules ------------------------------------------------------------------------------


def test_a_clean_declaration_passes():
    assert check_declaration(clean()) == []


def test_missing_target_is_an_error_at_its_line():
    (p,) = check_declaration(with_indicator("巡查次数", ""))
    assert (p.code, p.severity, p.file, p.line) == ("missing-target", Severity.ERROR, FILE, 14)
    assert "巡查次数" in p.message


@pytest.mark.parametrize("raw", ["提升", "有所提高", "高于全国平均数"])
def test_a_rate_or_count_with_a_qualitative_target_cannot_be_measured(raw):
    for name in ("维修完成率", "巡查次数"):
        (p,) = check_declaration(with_indicator(name, raw))
        assert (p.code, p.severity) == ("unmeasurable-target", Severity.WARNING)
        assert name in p.message and raw in p.message


def test_a_qualitative_target_is_fine_where_no_number_is_expected():
    assert check_declaration(with_indicator("维护工作规范性", "规范")) == []
    assert check_declaration(with_indicator("报告质量", "良好", "质量指标")) == []


@pytest.mark.parametrize(
    ("name", "raw"),
    [("维修完成率", "=100(次)"), ("游客满意度", "≥90(个)"), ("培训人数", "≥90(%)"), ("巡查次数", "≥12%")],
)
def test_a_unit_that_does_not_fit_the_indicator(name, raw):
    (p,) = check_declaration(with_indicator(name, raw))
    assert (p.code, p.severity) == ("unit-mismatch", Severity.WARNING)
    assert name in p.message


def test_rates_and_counts_are_read_from_the_name():
    assert expects_rate("维修完成率") and expects_rate("服务对象满意度（%）") and expects_rate("本地企业占比")
    assert expects_count("培训人数") and expects_count("采购数量") and expects_count("参会人次")
    assert not expects_count("报告质量") and not expects_count("景气指数") and not expects_rate("完成及时性")
    # a sentence's last words state a purpose, not the measure
    assert not expects_rate("高转政策宣传培训，提高政策知晓率")


def test_duplicated_indicators():
    d = clean()
    d.indicators += [ind("产出指标", "数量指标", "维护路灯数量", "≥1200(个)", 20)]
    d.indicators += [ind("产出指标", "质量指标", "路灯亮灯率", "≥95.00(%)", 21)]
    repeated, duplicate = check_declaration(d)
    assert (repeated.code, repeated.line) == ("repeated-row", 20)
    assert "第 10 行" in repeated.message
    assert (duplicate.code, duplicate.line) == ("duplicate-indicator", 21)
    assert "≥98.00(%)" in duplicate.message and "≥95.00(%)" in duplicate.message


def test_text_repeated_by_the_extraction():
    (p,) = check_declaration(with_indicator("总裁班课程满意度总裁班课程满意度", "≥90(%)", "质量指标"))
    assert (p.code, p.severity) == ("repeated-text", Severity.WARNING)


def test_funds_that_do_not_add_up():
    d = clean(funds=Funds(annual_total=Decimal("100.00"), annual_appropriation=Decimal("90.00")))
    (p,) = check_declaration(d)
    assert (p.code, p.severity, p.line) == ("funds-mismatch", Severity.ERROR, 1)
    assert "10.00" in p.message and "路灯维护" in p.message
    d = clean(funds=dataclasses.replace(clean().funds, project_total=Decimal(500), project_fiscal=Decimal(400)))
    assert codes(check_declaration(d)) == [("funds-mismatch", Severity.ERROR)]


def test_missing_or_negative_funds():
    assert codes(check_declaration(clean(funds=Funds()))) == [("missing-funds", Severity.WARNING)]
    d = clean(funds=dataclasses.replace(clean().funds, annual_other=Decimal(-5), annual_total=Decimal(95)))
    assert codes(check_declaration(d)) == [("negative-amount", Severity.ERROR)]


def test_dates_outside_the_budget_year_and_in_the_wrong_order():
    d = clean(start=dt.date(2024, 7, 1), end=dt.date(2026, 6, 30))
    found = check_declaration(d)
    assert codes(found) == [("date-outside-year", Severity.WARNING)] * 2
    assert "2024-07-01" in found[0].message and "2025" in found[0].message
    d = clean(start=dt.date(2025, 12, 1), end=dt.date(2025, 3, 1))
    assert codes(check_declaration(d)) == [("date-order", Severity.ERROR)]
    assert codes(check_declaration(clean(start=None))) == [("missing-date", Severity.WARNING)]


def test_missing_level1_groups():
    d = clean()
    d.indicators = [i for i in d.indicators if i.level1 != "效益指标"]
    (p,) = check_declaration(d)
    assert (p.code, p.severity) == ("missing-level1", Severity.ERROR)
    assert "效益指标" in p.message
    d = clean()
    d.indicators = [i for i in d.indicators if i.level1 != "满意度指标"]
    assert codes(check_declaration(d)) == [("missing-satisfaction", Severity.WARNING)]
    d = clean()
    d.indicators[-1] = ind("满意度指标", "服务对象满意度指标", "投诉处理及时率", "≥90(%)", 13)
    assert codes(check_declaration(d)) == [("missing-satisfaction", Severity.WARNING)]
    assert codes(check_declaration(clean(indicators=[]))) == [("no-indicators", Severity.ERROR)]


def test_levels_missing_unknown_or_under_the_wrong_group():
    d = clean()
    d.indicators += [
        ind(None, None, "巡查", "≥12(次)", 20),
        ind("产出", "数量指标", "巡查路段", "≥12(个)", 21),
        ind("效益指标", "数量指标", "新增路灯", "≥10(个)", 22),
        ind("成本指标", "经济成本指标", "单灯成本", "≤300(元)", 23),
    ]
    assert [(p.code, p.line) for p in check_declaration(d)] == [
        ("missing-level", 20),
        ("unknown-level", 21),
        ("level-mismatch", 22),
    ]


def test_inferred_targets_are_noted():
    (p,) = check_declaration(with_indicator("合作基地", "不少于10家紧密合作基地"))
    assert (p.code, p.severity) == ("inferred-target", Severity.INFO)
    assert "≥10(家)" in p.message


def test_projects_from_the_store_without_a_source_can_be_checked():
    d = clean(source=None, funds=Funds(annual_total=Decimal(1), annual_appropriation=Decimal(2)))
    for i in d.indicators:
        i.source = None
    (p,) = check_declarations(ImportResult(declarations=[d]))
    assert (p.file, p.line, p.code) == ("", None, "funds-mismatch")
    assert "路灯维护" in p.message


def test_a_project_declared_twice():
    second = clean(source=SourceRef(FILE, 40))
    problems = check_declarations(ImportResult(declarations=[clean(), second]))
    (p,) = [p for p in problems if p.code == "duplicate-project"]
    assert p.line == 40 and "申报表.txt:1" in p.message


# -- importer problems and the review together ----------------------------------------------


def test_a_finding_both_made_is_reported_once_at_the_graver_severity():
    d = with_indicator("巡查次数", "")
    importer = Problem(FILE, 14, "指标“巡查次数”没有填写指标值", Severity.WARNING, "missing-target")
    other = Problem(FILE, 5, "文件按 GB18030 编码读入", Severity.INFO, "encoding")
    problems = check_declarations(ImportResult([d], [importer, other, importer]))
    assert [(p.code, p.severity, p.line) for p in problems] == [
        ("encoding", Severity.INFO, 5),
        ("missing-target", Severity.ERROR, 14),
    ]
    assert problems[1].message == importer.message


def test_a_whole_form_finding_matches_the_importers_anywhere_in_the_form():
    first, second = clean(year=None), clean(name="第二个", source=SourceRef(FILE, 30))
    importer = Problem(FILE, 2, "申报表标题中没有预算年度", Severity.WARNING, "missing-year")
    problems = check_declarations(ImportResult([first, second], [importer]))
    (p,) = [p for p in problems if p.code == "missing-year"]
    assert (p.line, p.severity, p.message) == (2, Severity.ERROR, importer.message)


def test_summary_counts():
    problems = check_declaration(with_indicator("巡查次数", "")) + check_declaration(with_indicator("完成率", "提升"))
    problems.append(Problem(FILE, 1, "x", Severity.INFO, "goal-split"))
    assert summarize(problems) == {"errors": 1, "warnings": 1, "info": 1}


# -- the seed -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed():
    return import_text(SEED)


def test_the_seeds_real_defects(seed):
    problems = check_declarations(seed)
    at = {(p.line, p.code): p for p in problems}
    assert at[(347, "missing-target")].severity is Severity.ERROR
    assert at[(263, "repeated-row")].severity is Severity.WARNING
    assert at[(266, "repeated-text")].severity is Severity.WARNING
    assert at[(267, "repeated-text")].severity is Severity.WARNING
    assert "政策知晓率" in at[(356, "unmeasurable-target")].message
    assert "提高企业入驻率" in at[(305, "unmeasurable-target")].message
    assert "国赛获奖数" in at[(97, "unmeasurable-target")].message
    assert len(problems) == len(set(problems))
    assert [p for p in problems if p.code == "missing-target"] == [at[(347, "missing-target")]]
    assert summarize(problems)["errors"] == 1
    lines = [p.line for p in problems]
    assert lines == sorted(lines)


def test_the_same_review_on_the_seed_as_a_workbook(seed, tmp_path):
    path = build.write_form_workbook(seed.declarations, tmp_path / "forms.xlsx")
    text = Counter(p.code for p in check_declarations(seed))
    sheet_problems = check_declarations(import_office(path))
    # written from the parsed forms: goals arrive already split, the cell repeated four times
    # arrives collapsed; everything else is found again
    assert Counter(p.code for p in sheet_problems) == text - Counter({"goal-split": 2, "repeated-text": 1})
    missing = next(p for p in sheet_problems if p.code == "missing-target")
    assert missing.severity is Severity.ERROR and missing.cell.startswith("表11!D")


# -- perftrack check ------------------------------------------------------------------------


def test_check_on_the_seed_exits_1_and_names_lines(capsys):
    assert cli.main(["check", str(SEED)]) == 1
    out = capsys.readouterr().out
    assert f"{SEED}:347: 错误：指标“高转项目管理规范性”没有填写指标值" in out
    assert f"{SEED}:263: 警告：指标行重复" in out
    assert "错误 1 个" in out


def test_check_json(capsys):
    assert cli.main(["check", "--json", str(SEED)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"problems", "summary"}
    assert data["summary"]["errors"] == 1 and data["summary"]["projects"] == 13
    assert data["summary"]["indicators"] == 195
    missing = next(p for p in data["problems"] if p["code"] == "missing-target")
    assert (missing["line"], missing["severity"]) == (347, "error")


def test_check_exits_0_when_clean_or_only_warnings(seed, tmp_path, capsys):
    clean_path = build.write_flat_workbook(seed.declarations[:2], tmp_path / "clean.xlsx")
    assert cli.main(["check", str(clean_path)]) == 0
    assert "未发现问题" in capsys.readouterr().out
    warned = build.write_docx([seed.declarations[8]], tmp_path / "warned.docx")
    assert cli.main(["check", "--json", str(warned)]) == 0
    summary = json.loads(capsys.readouterr().out)["summary"]
    assert summary["errors"] == 0 and summary["warnings"] == 2


def test_check_exits_2_when_a_file_cannot_be_read(tmp_path, capsys):
    missing = tmp_path / "nowhere.xlsx"
    assert cli.main(["check", str(SEED), str(missing)]) == 2
    out = capsys.readouterr().out
    assert str(missing) in out and f"{SEED}:347" in out
