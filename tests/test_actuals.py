"""Recording actuals, evidence, points, notes and budget execution against a real database."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from perftrack.importers import read_declarations
from perftrack.store import Actual, BudgetExecution, Database, Evidence, find_indicator, find_project
from perftrack.store.actuals import RecordError, clear_actual, get_actual, record_actual
from perftrack.store.evaluation import evaluate_project
from perftrack.store.evidence import REMOVED_FOLDER, add_evidence, open_evidence, remove_evidence
from perftrack.store.settings import (
    explanations_missing,
    points_problems,
    set_budget,
    set_deduction,
    set_full_year_budget,
    set_indicator_field,
    set_reporting,
)
from perftrack.store.upsert import import_declarations
from tests.support.databases import kept_evidence

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"
OPS = "信息化运维项目"  # quarterly, 903,080.00 元, 9 indicators
FINANCE = "开展科技金融工作及服务"  # has 科技金融产品年贷款额 ≥55.00 (亿元)


@pytest.fixture
def db(database: Database) -> Database:
    """The database with the 13 seed forms imported."""
    result = read_declarations([SEED])
    assert not result.errors
    with database.session() as session:
        import_declarations(session, result.declarations, user="loader")
    return database


def indicator(session: Session, project: str, name: str):
    return find_indicator(find_project(session, project), name)


def year_actual(session: Session, project: str, name: str):
    """The year's actual as the score sees it (after roll-up)."""
    p = find_project(session, project)
    evaluation = evaluate_project(p)
    return next(s.actual for s in evaluation.score.indicators if s.name == name)


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


# -- numbers and units ------------------------------------------------------------------------


def test_a_number_without_unit_is_in_the_targets_unit(db: Database) -> None:
    with db.session() as s:
        actual = record_actual(s, indicator(s, OPS, "升级接口"), "YEAR", "32", user="amy")
        assert actual is not None
        assert (actual.value, actual.value_text, actual.unit, actual.period) == (Decimal(32), "32", "个", "YEAR")
        assert actual.updated_by == "amy"
    with db.session() as s:
        again = record_actual(s, indicator(s, OPS, "升级接口"), "全年", "32个")
        assert again is not None and again.value == 32 and again.value_text == "32个"
        assert count(s, Actual) == 1


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1.2亿元", Decimal("1.2")),
        ("3500万元", Decimal("0.35")),
        ("12,000万元", Decimal("1.2")),
        ("120,000,000元", Decimal("1.2")),
        ("56", Decimal("56")),  # no unit: already in 亿元
    ],
)
def test_money_converts_to_the_targets_unit(db: Database, typed: str, expected: Decimal) -> None:
    with db.session() as s:
        actual = record_actual(s, indicator(s, FINANCE, "贷款额"), "YEAR", typed)
        assert actual is not None
        assert actual.value == expected and actual.unit == "亿元" and actual.value_text == typed


def test_a_unit_that_does_not_convert_is_refused_with_the_reason(db: Database) -> None:
    with db.session() as s:
        with pytest.raises(RecordError) as err:
            record_actual(s, indicator(s, FINANCE, "贷款额"), "YEAR", "35人")
        message = str(err.value)
        assert "科技金融产品年贷款额" in message and "35人" in message
        assert "单位“人”不能换算为“亿元”" in message and "全年" in message
        with pytest.raises(RecordError, match="不按24小时换算"):
            record_actual(s, indicator(s, OPS, "故障解决时间"), "YEAR", "1天")
        with pytest.raises(RecordError, match="不是有效的数值"):
            record_actual(s, indicator(s, OPS, "升级接口"), "Q1", "三十个")
        assert count(s, Actual) == 0


def test_minutes_become_hours_for_an_hours_target(db: Database) -> None:
    with db.session() as s:
        actual = record_actual(s, indicator(s, OPS, "故障解决时间"), "YEAR", "90分钟")
        assert actual is not None and actual.value == Decimal("1.5") and actual.unit == "小时"


# -- qualitative ------------------------------------------------------------------------------


def test_qualitative_tiers_and_their_bands(db: Database) -> None:
    with db.session() as s:
        quality = indicator(s, OPS, "数据规范程度")
        achieved = record_actual(s, quality, "YEAR", "达成")
        assert achieved is not None and (achieved.tier, achieved.tier_percent, achieved.value) == (
            "achieved",
            None,
            None,
        )
        partly = record_actual(s, quality, "YEAR", "partly", percent="75")
        assert partly is not None and (partly.tier, partly.tier_percent) == ("partly", Decimal(75))
        with pytest.raises(RecordError, match=r"80%–100%.*70%"):
            record_actual(s, quality, "YEAR", "达成", percent=Decimal(70))
        with pytest.raises(RecordError, match="无法识别的评价等级"):
            record_actual(s, quality, "YEAR", "很好")
        with pytest.raises(RecordError, match="不是有效的数字"):
            record_actual(s, quality, "YEAR", "未达成", percent="abc")
        with pytest.raises(RecordError, match="定量指标按数值评分"):
            record_actual(s, indicator(s, OPS, "升级接口"), "YEAR", "30", percent="90")
        # the refusals changed nothing: the partly-achieved 75 % stands
        assert year_actual(s, OPS, "数据规范程度").tier_percent == Decimal(75)


def test_a_numeric_indicator_switched_to_qualitative_takes_tiers(db: Database) -> None:
    with db.session() as s:
        ind = indicator(s, OPS, "升级接口")
        set_indicator_field(s, ind, "rollup", "qualitative")
        actual = record_actual(s, ind, "YEAR", "not-achieved")
        assert actual is not None and actual.tier == "not_achieved"
        with pytest.raises(RecordError, match="没有数值，只能按定性评价"):
            set_indicator_field(s, indicator(s, OPS, "数据安全程度"), "rollup", "sum")


# -- periods and roll-up ------------------------------------------------------------------------


def test_a_quarterly_project_refuses_months_and_a_monthly_one_quarters(db: Database) -> None:
    with db.session() as s:
        ind = indicator(s, OPS, "升级接口")
        with pytest.raises(RecordError) as err:
            record_actual(s, ind, "M05", "3")
        assert "按季度填报" in str(err.value) and "M05" in str(err.value)
        with pytest.raises(RecordError, match="无法识别的填报期间"):
            record_actual(s, ind, "1", "3")
        set_reporting(s, ind.project, "monthly")
        assert record_actual(s, ind, "5月", "3") is not None
        with pytest.raises(RecordError, match=r"按月填报.*Q2"):
            record_actual(s, ind, "二季度", "3")
        assert record_actual(s, ind, "YEAR", "30") is not None  # the year end is always allowed
        assert sorted(a.period for a in ind.actuals) == ["M05", "YEAR"]


def test_sum_adds_periods_latest_takes_the_last_and_a_year_value_wins(db: Database) -> None:
    with db.session() as s:
        ind = indicator(s, OPS, "升级接口")
        record_actual(s, ind, "Q1", "8")
        record_actual(s, ind, "Q3", "9")
        record_actual(s, ind, "Q2", "7")
        assert year_actual(s, OPS, "升级接口").value == 24  # 个: sum by default
        set_indicator_field(s, ind, "rollup", "latest")
        assert year_actual(s, OPS, "升级接口").value == 9  # Q3 is the latest, not the last typed
        set_indicator_field(s, ind, "rollup", "default")
        assert ind.rollup is None
        record_actual(s, ind, "YEAR", "31")
        assert year_actual(s, OPS, "升级接口").value == 31


# -- clearing -------------------------------------------------------------------------------------


def test_clearing_leaves_no_half_written_row(db: Database) -> None:
    with db.session() as s:
        ind = indicator(s, OPS, "升级接口")
        record_actual(s, ind, "Q1", "8")
        assert record_actual(s, ind, "Q1", "  ") is None
    with db.session() as s:
        assert count(s, Actual) == 0
        ind = indicator(s, OPS, "升级接口")
        record_actual(s, ind, "Q1", "8", note="含两个临时接口")
        kept = record_actual(s, ind, "Q1", "")
        assert kept is not None and kept.note == "含两个临时接口"
        assert (kept.value, kept.value_text, kept.unit, kept.tier) == (None, None, None, None)
        clear_actual(s, ind, "Q1")
        assert get_actual(ind, "Q1") is None
    with db.session() as s:
        assert count(s, Actual) == 0


def test_a_refused_value_leaves_the_previous_one(db: Database) -> None:
    with db.session() as s:
        record_actual(s, indicator(s, OPS, "升级接口"), "Q1", "8")
    with pytest.raises(RecordError), db.session() as s:
        record_actual(s, indicator(s, OPS, "升级接口"), "Q1", "8件和3套")
    with db.session() as s:
        assert get_actual(indicator(s, OPS, "升级接口"), "Q1").value_text == "8"


# -- evidence ---------------------------------------------------------------------------------------


def test_evidence_keeps_original_names_and_a_clash_gets_a_number(db: Database, tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "验收报告.pdf", tmp_path / "b" / "验收报告.pdf"
    for path, content in ((first, b"report one"), (second, b"the second report")):
        path.parent.mkdir()
        path.write_bytes(content)
    folder = db.evidence_dir
    with db.session() as s:
        ind = indicator(s, OPS, "升级接口")
        actual = record_actual(s, ind, "Q2", "7")
        assert actual is not None
        one = add_evidence(s, actual, first, folder)
        two = add_evidence(s, actual, second, folder)
        base = f"{ind.project_id}/{ind.id}/Q2"
        assert (one.stored_name, two.stored_name) == (f"{base}/验收报告.pdf", f"{base}/验收报告 (2).pdf")
        assert one.original_name == two.original_name == "验收报告.pdf"
        assert two.sha256 == hashlib.sha256(b"the second report").hexdigest() and two.size == 17
        assert open_evidence(s, two, folder).read_bytes() == b"the second report"
        assert len(actual.evidence) == 2
        with pytest.raises(RecordError, match="文件不存在") as err:
            add_evidence(s, actual, tmp_path / "missing.pdf", folder)
        assert "missing.pdf" in str(err.value)


def test_removed_evidence_moves_aside_and_an_emptied_period_goes(db: Database, tmp_path: Path) -> None:
    source = tmp_path / "照片.jpg"
    source.write_bytes(b"jpeg")
    folder = db.evidence_dir
    with db.session() as s:
        ind = indicator(s, OPS, "升级接口")
        actual = record_actual(s, ind, "Q1", "8")
        assert actual is not None
        evidence = add_evidence(s, actual, source, folder)
        stored = evidence.stored_name
        clear_actual(s, ind, "Q1")  # the evidence keeps the period's row alive
        assert get_actual(ind, "Q1") is actual and actual.value is None
        remove_evidence(s, evidence, folder)
    with db.session() as s:
        assert count(s, Evidence) == 0 and count(s, Actual) == 0
    assert kept_evidence(db.url, folder) == {f"{REMOVED_FOLDER}/{stored}": b"jpeg"}


# -- points, deductions, notes ------------------------------------------------------------------------


def test_points_that_do_not_add_up_to_90_are_reported(db: Database) -> None:
    with db.session() as s:
        project = find_project(s, OPS)
        assert points_problems(project) == []
        for ind in project.indicators:
            set_indicator_field(s, ind, "points", "10")
        assert points_problems(project) == []  # 9 × 10 = 90
        set_indicator_field(s, find_indicator(project, "升级接口"), "points", "15分")
        assert points_problems(project) == ["各指标分值合计为 95.00，应为 90"]
        for bad, reason in (("91", "0–90"), ("-1", "0–90"), ("abc", "不是有效的数字"), ("1.234", "两位小数")):
            with pytest.raises(RecordError, match=reason):
                set_indicator_field(s, find_indicator(project, "升级接口"), "points", bad)
        set_indicator_field(s, find_indicator(project, "升级接口"), "points", "default")
        assert find_indicator(project, "升级接口").points is None


def test_a_deduction_needs_a_reason_and_fits_the_points(db: Database) -> None:
    with db.session() as s:
        ind = indicator(s, OPS, "用户满意度")  # 10 points (satisfaction group)
        record_actual(s, ind, "YEAR", "99%")
        with pytest.raises(RecordError, match="必须注明理由"):
            set_deduction(s, ind, "2", "")
        with pytest.raises(RecordError, match="必须注明理由"):
            set_indicator_field(s, ind, "deduction", "2")
        with pytest.raises(RecordError, match=r"扣分 11 分超过该指标的分值 10"):
            set_deduction(s, ind, "11", "目标偏低")
        assert (ind.deduction, ind.deduction_reason) == (None, None)
        set_deduction(s, ind, "2", "目标设置偏低")
        assert (ind.deduction, ind.deduction_reason) == (Decimal(2), "目标设置偏低")
        with pytest.raises(RecordError, match="扣分理由不能为空"):
            set_indicator_field(s, ind, "deduction_reason", " ")
        score = next(x for x in evaluate_project(ind.project).score.indicators if x.name == "用户满意度")
        assert score.score == Decimal("8.00")  # 10 earned, 2 deducted
        set_deduction(s, ind, None, None)
        assert (ind.deduction, ind.deduction_reason) == (None, None)


def test_explanations_missing_until_a_reason_is_written(db: Database) -> None:
    with db.session() as s:
        project = find_project(s, OPS)
        record_actual(s, find_indicator(project, "功能点"), "YEAR", "9")  # 9 of 12
        record_actual(s, find_indicator(project, "用户满意度"), "YEAR", "99%")
        missing = dict(explanations_missing(s, project))
        assert "用户满意度" not in missing  # full points, 99 < 1.3 × 90
        assert missing["完善和新增功能点"] == ["未得满分：得 5.36 分，失 1.79 分"]
        assert missing["升级接口"] == ["未填报实际完成值，按0分计"]
        set_indicator_field(s, find_indicator(project, "功能点"), "deviation_reason", "供应商延期交付")
        set_indicator_field(s, find_indicator(project, "功能点"), "measures", "下年度合同中约定里程碑")
        assert "完善和新增功能点" not in dict(explanations_missing(s, project))


def test_monitoring_fields_are_checked(db: Database) -> None:
    with db.session() as s:
        loan = indicator(s, FINANCE, "贷款额")
        set_indicator_field(s, loan, "monitor_expected", "5,800,000,000元")
        assert loan.monitor_expected == Decimal(58)
        set_indicator_field(s, loan, "monitor_chance", "有可能")
        set_indicator_field(s, loan, "monitor_cause", "经费保障")
        set_indicator_field(s, loan, "monitor_measure", "加快审批")
        assert (loan.monitor_chance, loan.monitor_cause, loan.monitor_measure) == ("有可能", "经费保障", "加快审批")
        with pytest.raises(RecordError, match="确定能 / 有可能 / 完全不可能"):
            set_indicator_field(s, loan, "monitor_chance", "也许")
        with pytest.raises(RecordError, match="经费保障 / 制度保障"):
            set_indicator_field(s, loan, "monitor_cause", "天气")
        with pytest.raises(RecordError, match="定性指标"):
            set_indicator_field(s, indicator(s, OPS, "数据安全程度"), "monitor_expected", "5")
        with pytest.raises(ValueError, match="unknown indicator field"):
            set_indicator_field(s, loan, "name", "x")


# -- budget -------------------------------------------------------------------------------------------


def test_budget_periods_add_up_and_the_year_figure_wins(db: Database) -> None:
    with db.session() as s:
        project = find_project(s, OPS)
        set_budget(s, project, "200,000.00", period="Q1")
        set_budget(s, project, "21万元", period="Q2")
        set_budget(s, project, Decimal("220000"), period="第三季度")
        set_budget(s, project, "228000", period="Q4")
        budget = evaluate_project(project).score.budget
        # 200,000 + 210,000 + 220,000 + 228,000 = 858,000 of 903,080 = 95.0082 % → 95.01 % → 9.50
        assert (budget.executed, budget.rate, budget.score) == (Decimal(858000), Decimal("95.01"), Decimal("9.50"))
        set_budget(s, project, "900,000", period="YEAR")
        assert evaluate_project(project).score.budget.executed == Decimal(900000)
        set_budget(s, project, "", period="YEAR")
        set_budget(s, project, None, period="Q4")
        assert evaluate_project(project).score.budget.executed == Decimal(630000)
        for bad, reason in (("abc", "不是有效的数值"), ("5人", "单位无效")):
            with pytest.raises(RecordError, match=reason):
                set_budget(s, project, bad, period="Q1")
        with pytest.raises(RecordError, match="按季度填报"):
            set_budget(s, project, "1", period="M02")
    with db.session() as s:
        rows = s.scalars(select(BudgetExecution).order_by(BudgetExecution.period)).all()
        assert [(b.period, b.amount) for b in rows] == [
            ("Q1", Decimal("200000.00")),
            ("Q2", Decimal(210000)),
            ("Q3", Decimal(220000)),
        ]


def test_the_published_example_through_the_store(db: Database) -> None:
    with db.session() as s:
        project = find_project(s, "项目管理费")
        set_full_year_budget(s, project, "250,000.00")
        set_budget(s, project, "215,457.60")
        budget = evaluate_project(project).score.budget
        # 215,457.60 / 250,000.00 = 86.18304 % → 86.18 % (half up) → 8.618 → 8.62 points
        assert (budget.full_year_budget, budget.rate, budget.score) == (
            Decimal("250000.00"),
            Decimal("86.18"),
            Decimal("8.62"),
        )
        assert budget.initial_budget == Decimal("2596000.00")
        set_full_year_budget(s, project, "")
        assert project.full_year_budget is None
