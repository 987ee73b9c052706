"""The year-end score (domain.md §4): budget execution, points, indicator scores, grades."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from perftrack.domain.attainment import IndicatorInput, PeriodValue, Status, Tier
from perftrack.domain.model import Kind, Target
from perftrack.domain.points import Group, allocate, group_of, group_totals, split_equally
from perftrack.domain.scoring import (
    BudgetInput,
    Grade,
    ProjectInput,
    ProjectScore,
    allocate_points,
    grade_for,
    grade_label,
    needs_explanation_missing,
    score_budget,
    score_indicator,
    score_project,
)
from perftrack.domain.units import Rollup

OUT, BEN, SAT, COST = "产出指标", "效益指标", "满意度指标", "成本指标"


def qt(op: str | None, value: str, unit: str | None) -> Target:
    return Target(raw=f"{op or ''}{value}{unit or ''}", op=op, value=D(value), unit=unit, kind=Kind.QUANTITATIVE)


def ql(raw: str = "高") -> Target:
    return Target(raw=raw)


def v(value: str) -> PeriodValue:
    return PeriodValue(D(value))


def tier(t: Tier, percent: str | None = None) -> PeriodValue:
    return PeriodValue(None, t, D(percent) if percent is not None else None)


def ind(
    name: str = "指标",
    level1: str | None = OUT,
    target: Target | None = None,
    actuals: dict[str, PeriodValue] | None = None,
    points: str | None = None,
    level2: str | None = None,
    **kwargs: object,
) -> IndicatorInput:
    return IndicatorInput(
        name=name,
        level1=level1,
        level2=level2,
        target=target or qt(">=", "10", "个"),
        rollup=kwargs.pop("rollup", None),  # type: ignore[arg-type]
        points=D(points) if points is not None else None,
        actuals=actuals or {},
        **kwargs,  # type: ignore[arg-type]
    )


def project(indicators: list[IndicatorInput], budget: BudgetInput | None = None) -> ProjectInput:
    return ProjectInput("项目", indicators, budget or BudgetInput(D(100), None, D(100)))


# --- budget execution ----------------------------------------------------------------------


def test_published_budget_example() -> None:
    # 215,457.60 / 250,000.00 = 0.8618304 → 86.18 % half up (the page prints 86.19 %, which
    # only rounding up gives); 86.18 % × 10 = 8.618 → 8.62, the published score either way.
    budget, problems = score_budget(BudgetInput(D("250000.00"), None, D("215457.60")))
    assert budget.rate == D("86.18")
    assert budget.score == D("8.62")
    assert budget.points == D(10)
    assert budget.full_year_budget == D("250000.00") and budget.executed == D("215457.60")
    assert problems == []


def test_rate_rounds_half_up_not_to_even() -> None:
    # 861.85 / 1000 = 86.185 %: half up gives 86.19 (banker's rounding would give 86.18);
    # the score is taken from the printed rate: 8.619 → 8.62.
    budget, _ = score_budget(BudgetInput(D(1000), None, D("861.85")))
    assert budget.rate == D("86.19") and budget.score == D("8.62")
    budget, _ = score_budget(BudgetInput(D(1000), None, D("862.45")))
    assert budget.rate == D("86.25") and budget.score == D("8.63")  # 8.625 half up


def test_full_year_budget_replaces_the_initial_budget() -> None:
    budget, _ = score_budget(BudgetInput(D(1000), D(800), D(600)))
    assert budget.full_year_budget == D(800) and budget.initial_budget == D(1000)
    assert budget.rate == D("75.00") and budget.score == D("7.50")


def test_executed_from_periods_when_no_year_figure() -> None:
    by_period = {"Q1": D(100), "Q2": D(200), "Q3": D(150), "Q4": D(250)}
    budget, _ = score_budget(BudgetInput(D(1000), None, None, by_period))
    assert budget.executed == D(700) and budget.rate == D("70.00") and budget.score == D("7.00")
    # The year figure, given as a field or as a YEAR period, wins over the periods.
    assert BudgetInput(D(1000), None, D(900), by_period).executed_total() == D(900)
    assert BudgetInput(D(1000), None, None, {**by_period, "全年": D(880)}).executed_total() == D(880)
    mixed = {"Q1": D(300), "M01": D(100), "M02": D(100)}
    assert BudgetInput(D(1000), None, None, mixed).executed_total("quarterly") == D(300)
    assert BudgetInput(D(1000), None, None, mixed).executed_total("monthly") == D(200)


def test_overspending_scores_ten_and_is_reported() -> None:
    budget, problems = score_budget(BudgetInput(D(1000), None, D(1050)))
    assert budget.rate == D("105.00") and budget.score == D("10.00")
    assert any("超过全年预算数" in p for p in problems)


@pytest.mark.parametrize(
    ("budget_input", "words"),
    [
        (BudgetInput(None, None, D(100)), "缺少全年预算数"),
        (BudgetInput(D(0), None, D(0)), "无法计算预算执行率"),
        (BudgetInput(D(100), None, None), "缺少全年执行数"),
    ],
)
def test_budget_missing_scores_zero_with_a_problem(budget_input: BudgetInput, words: str) -> None:
    budget, problems = score_budget(budget_input)
    assert budget.rate is None and budget.score == D(0)
    assert len(problems) == 1 and words in problems[0]


# --- points --------------------------------------------------------------------------------


def test_default_groups_50_30_10() -> None:
    inds = [ind(level1=OUT), ind(level1=BEN), ind(level1=SAT)]
    assert allocate_points(inds) == [D(50), D(30), D(10)]
    assert allocate(inds)[1] == []


def test_equal_split_to_cents_first_indicators_take_the_extra_cent() -> None:
    # 50 / 3 = 16.666…: 5000 cents = 1667 + 1667 + 1666.
    inds = [ind(level1=OUT), ind(level1=OUT), ind(level1=OUT), ind(level1=BEN), ind(level1=SAT)]
    assert allocate_points(inds) == [D("16.67"), D("16.67"), D("16.66"), D(30), D(10)]
    assert sum(allocate_points(inds)) == D(90)
    assert split_equally(D(50), 7) == [D("7.15")] * 2 + [D("7.14")] * 5
    assert split_equally(D(10), 3) == [D("3.34"), D("3.33"), D("3.33")]
    assert split_equally(D(10), 0) == []


def test_no_satisfaction_indicator_gives_56_25_and_33_75() -> None:
    inds = [ind(level1=OUT), ind(level1=BEN)]
    assert allocate_points(inds) == [D("56.25"), D("33.75")]
    assert allocate(inds)[1] == []
    # Shared equally inside the groups: 56.25 / 2, 33.75 / 4 = 8.4375 → 8.44, 8.44, 8.44, 8.43.
    inds = [ind(level1=OUT)] * 2 + [ind(level1=BEN)] * 4
    assert allocate_points(inds) == [D("28.13"), D("28.12"), D("8.44"), D("8.44"), D("8.44"), D("8.43")]


def test_other_empty_groups_share_in_proportion() -> None:
    assert group_totals({Group.OUTPUT, Group.SATISFACTION}) == {
        Group.OUTPUT: D(75),
        Group.SATISFACTION: D(15),
    }
    assert group_totals({Group.BENEFIT, Group.SATISFACTION}) == {
        Group.BENEFIT: D("67.5"),
        Group.SATISFACTION: D("22.5"),
    }
    assert group_totals({Group.OUTPUT}) == {Group.OUTPUT: D(90)}
    assert group_totals(set()) == {}


def test_level1_cost_counts_with_outputs_and_labels_are_cleaned() -> None:
    assert group_of(COST, "经济成本指标") is Group.OUTPUT
    assert group_of("产出 指标", None) is Group.OUTPUT
    assert group_of("满意度", None) is Group.SATISFACTION
    assert group_of(None, "社会效益\n指标") is Group.BENEFIT
    assert group_of(None, "服务对象满意度 指标") is Group.SATISFACTION
    assert group_of("时效指标", None) is Group.OUTPUT  # level-2 label in the level-1 column
    assert group_of("其他", None) is None
    inds = [ind(level1=OUT), ind(level1=COST), ind(level1=BEN), ind(level1=SAT)]
    assert allocate_points(inds) == [D(25), D(25), D(30), D(10)]


def test_user_points_all_set_adding_to_90() -> None:
    inds = [ind(level1=OUT, points="40"), ind(level1=BEN, points="40"), ind(level1=SAT, points="10")]
    points, problems = allocate(inds)
    assert points == [D(40), D(40), D(10)] and problems == []


def test_user_points_not_adding_to_90_are_kept_and_reported() -> None:
    inds = [ind(level1=OUT, points="40"), ind(level1=BEN, points="35"), ind(level1=SAT, points="10")]
    points, problems = allocate(inds)
    assert points == [D(40), D(35), D(10)]
    assert problems == ["各指标分值合计为 85.00，应为 90"]
    result = score_project(project(inds))
    assert "各指标分值合计为 85.00，应为 90" in result.problems


def test_some_user_points_the_others_share_what_their_group_has_left() -> None:
    inds = [
        ind(level1=OUT, points="20"),
        ind(level1=OUT),
        ind(level1=OUT),
        ind(level1=BEN),
        ind(level1=SAT, points="10"),
    ]
    points, problems = allocate(inds)
    assert points == [D(20), D(15), D(15), D(30), D(10)] and problems == []


def test_user_points_over_their_group_leave_nothing_and_are_reported() -> None:
    inds = [ind(level1=OUT, points="55"), ind(level1=OUT), ind(level1=BEN), ind(level1=SAT)]
    points, problems = allocate(inds)
    assert points == [D(55), D(0), D(30), D(10)]
    assert any("超过该组的 50.00 分" in p for p in problems)
    assert "各指标分值合计为 95.00，应为 90" in problems


def test_unknown_level1_gets_no_points_and_is_reported() -> None:
    inds = [ind("怪指标", level1="其他指标"), ind(level1=OUT), ind(level1=BEN), ind(level1=SAT)]
    points, problems = allocate(inds)
    assert points == [D(0), D(50), D(30), D(10)]
    assert any("怪指标" in p and "无法识别" in p for p in problems)


def test_no_indicators() -> None:
    result = score_project(project([]))
    assert result.total == D("10.00") and result.indicators == []
    assert any("没有绩效指标" in p for p in result.problems)


# --- indicator scores ----------------------------------------------------------------------


def test_reverse_indicator_within_full_beyond_proportional() -> None:
    target = qt("<=", "2.00", "秒")
    full = score_indicator(ind(target=target, actuals={"Q4": v("1.5")}), D(10))
    assert full.score == D("10.00") and not full.needs_explanation and full.reasons == []
    half = score_indicator(ind(target=target, actuals={"Q4": v("4")}), D(10))
    assert half.score == D("5.00") and half.ratio == D("0.5000") and half.needs_explanation
    assert half.reasons == ["未得满分：得 5.00 分，失 5.00 分"]


def test_at_least_partial_and_rounded_half_up() -> None:
    # 7.15 × 9 / 12 = 5.3625 → 5.36; 75 % is more than 15 % short of the target: off track.
    s = score_indicator(ind(target=qt(">=", "12.00", "个"), actuals={"Q1": v("4"), "Q3": v("5")}), D("7.15"))
    assert s.score == D("5.36") and s.ratio == D("0.7500") and s.status is Status.OFF_TRACK
    # 10 × 0.91 = 9.1 for "=100 %" with 91.
    s = score_indicator(ind(target=qt("=", "100.00", "%"), actuals={"YEAR": v("91")}), D(10))
    assert s.score == D("9.10")
    # Bare number: read as "at least".
    s = score_indicator(ind(target=qt(None, "985", "米"), actuals={"YEAR": v("985")}), D(10))
    assert s.score == D("10.00")


def test_equal_zero_target() -> None:
    target = qt("=", "0", "起")
    assert score_indicator(ind(target=target, actuals={"YEAR": v("0")}), D(10)).score == D("10.00")
    none = score_indicator(ind(target=target, actuals={"YEAR": v("1")}), D(10))
    assert none.score == D("0.00") and none.ratio == D(0) and none.needs_explanation


def test_missing_actual_scores_zero_and_is_flagged() -> None:
    s = score_indicator(ind(target=qt(">=", "30", "个")), D(10))
    assert s.score == D(0) and s.missing_actual and s.needs_explanation
    assert s.actual is None and s.ratio is None and s.status is Status.NO_ACTUAL
    assert s.reasons == ["未填报实际完成值，按0分计"]
    q = score_indicator(ind(target=ql(), actuals={"Q4": v("5")}), D(10))
    assert q.score == D(0) and q.missing_actual and "未选择评价等级" in q.reasons[0]


@pytest.mark.parametrize(
    ("actual", "score"),
    [
        (tier(Tier.ACHIEVED), "7.14"),  # 100 %
        (tier(Tier.PARTLY), "5.00"),  # 7.14 × 70 % = 4.998
        (tier(Tier.NOT_ACHIEVED), "2.14"),  # 7.14 × 30 % = 2.142
        (tier(Tier.ACHIEVED, "90"), "6.43"),  # 6.426
        (tier(Tier.PARTLY, "75"), "5.36"),  # 5.355 half up
        (tier(Tier.NOT_ACHIEVED, "0"), "0.00"),
    ],
)
def test_qualitative_tiers(actual: PeriodValue, score: str) -> None:
    s = score_indicator(ind(target=ql(), actuals={"Q4": actual}), D("7.14"))
    assert s.score == D(score)
    assert s.ratio is None and not s.missing_actual
    assert s.needs_explanation is (D(score) < D("7.14"))


def test_qualitative_percent_outside_band_is_refused_before_scoring() -> None:
    with pytest.raises(ValueError, match="80%–100%"):
        tier(Tier.ACHIEVED, "70")


def test_over_achievement_is_flagged_never_deducted() -> None:
    s = score_indicator(ind(target=qt(">=", "30", "个"), actuals={"YEAR": v("39")}), D(10))
    assert s.score == D("10.00") and s.over_achieved and s.needs_explanation
    assert s.reasons == ["超额完成年度指标30%以上，需说明年度指标是否设置偏低"]
    just_under = score_indicator(ind(target=qt(">=", "30", "个"), actuals={"YEAR": v("38.9")}), D(10))
    assert not just_under.over_achieved and not just_under.needs_explanation
    reverse = score_indicator(ind(target=qt("<=", "2", "小时"), actuals={"YEAR": v("1.4")}), D(10))
    assert reverse.over_achieved and reverse.score == D("10.00")


def test_manual_deduction_with_reason() -> None:
    i = ind(
        target=qt(">=", "30", "个"),
        actuals={"YEAR": v("60")},
        deduction=D("2.5"),
        deduction_reason="指标值设置偏低",
    )
    s = score_indicator(i, D(10))
    assert s.score == D("7.50") and s.deduction == D("2.50")
    assert "人工扣分 2.50 分：指标值设置偏低" in s.reasons and s.needs_explanation
    # Never below zero: 10 × 10 / 30 = 3.33, minus 5.
    i = ind(target=qt(">=", "30", "个"), actuals={"YEAR": v("10")}, deduction=D(5), deduction_reason="复核")
    assert score_indicator(i, D(10)).score == D(0)


def test_manual_deduction_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="必须注明理由"):
        ind(deduction=D(1))


# --- grades --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "grade", "national", "shanghai"),
    [
        ("100", Grade.EXCELLENT, "优", "优"),
        ("90", Grade.EXCELLENT, "优", "优"),
        ("89.99", Grade.GOOD, "良", "良"),
        ("80", Grade.GOOD, "良", "良"),
        ("79.99", Grade.FAIR, "中", "合格"),
        ("60", Grade.FAIR, "中", "合格"),
        ("59.99", Grade.POOR, "差", "不合格"),
        ("0", Grade.POOR, "差", "不合格"),
    ],
)
def test_grades_with_both_label_sets(total: str, grade: Grade, national: str, shanghai: str) -> None:
    assert grade_for(D(total)) is grade
    assert grade_label(grade) == national
    assert grade_label(grade, "national") == national
    assert grade_label(grade, "shanghai") == shanghai


def test_unknown_label_set_refused() -> None:
    with pytest.raises(ValueError, match="评分规则“beijing”不存在，可选：national、shanghai"):
        grade_label(Grade.GOOD, "beijing")
    with pytest.raises(ValueError, match="评分规则“beijing”不存在，可选：national、shanghai"):
        score_project(project([ind()]), grade_labels="beijing")


def test_project_grade_boundary_through_score_project() -> None:
    # Budget 10 + outputs 50 + benefits 30 × 100 % = 90 → 优; one cent less → 良.
    inds = [
        ind(level1=OUT, target=qt(">=", "10", "个"), actuals={"YEAR": v("10")}),
        ind(level1=BEN, target=ql(), actuals={"YEAR": tier(Tier.ACHIEVED)}),
        ind(level1=SAT, target=qt(">=", "90", "%")),
    ]
    result = score_project(project(inds))
    assert result.total == D("90.00") and result.grade is Grade.EXCELLENT and result.grade_label == "优"
    lower = score_project(project(inds, BudgetInput(D(10000), None, D(9990))), grade_labels="shanghai")
    assert lower.budget.score == D("9.99")
    assert lower.total == D("89.99") and lower.grade is Grade.GOOD and lower.grade_label == "良"


# --- explanations --------------------------------------------------------------------------


def test_needs_explanation_missing_lists_those_without_an_analysis() -> None:
    inds = [
        ind("满分", target=qt(">=", "10", "个"), actuals={"YEAR": v("10")}),
        ind("缺说明", target=qt(">=", "10", "个"), actuals={"YEAR": v("5")}),
        ind("有说明", target=qt(">=", "10", "个"), actuals={"YEAR": v("5")}, deviation_reason="经费保障不足"),
        ind("空白说明", target=qt(">=", "10", "个"), actuals={"YEAR": v("20")}, deviation_reason="  "),
    ]
    result = score_project(project(inds))
    assert [s.name for s in needs_explanation_missing(result)] == ["缺说明", "空白说明"]
    assert [s.needs_explanation for s in result.indicators] == [False, True, True, True]


def test_mixed_periods_reported_and_project_reporting_used() -> None:
    i = ind(target=qt(">=", "10", "个"), actuals={"Q1": v("9"), "M01": v("1")})
    result = score_project(ProjectInput("项目", [i], BudgetInput(D(1), None, D(1)), reporting="monthly"))
    assert result.indicators[0].actual == v("1")
    assert any("同时有按季度和按月" in p for p in result.problems)


# --- a realistic project, end to end -------------------------------------------------------


def test_seed_shaped_project_end_to_end() -> None:
    """信息化运维项目 of the 2024 Shanghai seed forms, with a plausible year of actuals."""
    q = "quarterly"
    inds = [
        # Outputs: 7 indicators share 50 → 5000 cents / 7 = 714 r 2 → 7.15, 7.15, 7.14 × 5.
        # 32 of ≥30: reached → 7.15; ratio 32/30 = 1.0667; 32 < 39 so no over-achievement.
        ind(
            "升级接口",
            OUT,
            qt(">=", "30.00", "个"),
            {"Q1": v("8"), "Q2": v("7"), "Q3": v("9"), "Q4": v("8")},
            level2="数量指标",
        ),
        # 2+3+2+2 = 9 of ≥12 → 7.15 × 9/12 = 5.3625 → 5.36.
        ind(
            "完善和新增功能点",
            OUT,
            qt(">=", "12.00", "个"),
            {"Q1": v("2"), "Q2": v("3"), "Q3": v("2"), "Q4": v("2")},
            level2="数量指标",
            deviation_reason="两个功能点需求延期至次年",
        ),
        # 累计 (cumulative): the user sets LATEST; 58,500 of ≥60,000 → 7.14 × 0.975 = 6.9615 → 6.96.
        ind(
            "累计整合数据量",
            OUT,
            qt(">=", "60000.00", "个"),
            {"Q2": v("38000"), "Q4": v("58500")},
            level2="数量指标",
            rollup=Rollup.LATEST,
        ),
        # 高, achieved at the default 100 % → 7.14.
        ind("数据规范程度", OUT, ql(), {"Q4": tier(Tier.ACHIEVED)}, level2="质量指标"),
        # Partly achieved at 75 % → 7.14 × 0.75 = 5.355 → 5.36 (half up).
        ind("数据可共享程度", OUT, ql(), {"Q4": tier(Tier.PARTLY, "75")}, level2="质量指标"),
        # The year-end assessment (achieved, 90 %) overrides Q2's "partly" → 7.14 × 0.9 = 6.426 → 6.43.
        ind(
            "数据安全程度",
            OUT,
            ql(),
            {"Q2": tier(Tier.PARTLY), "YEAR": tier(Tier.ACHIEVED, "90")},
            level2="质量指标",
        ),
        # ≤2 小时, latest value 2.5 → 7.14 × 2/2.5 = 5.712 → 5.71.
        ind("故障解决时间", OUT, qt("<=", "2.00", "小时"), {"Q1": v("3"), "Q4": v("2.5")}, level2="时效指标"),
        # Benefits: one qualitative indicator takes all 30; achieved → 30.00.
        ind(
            "提升服务科技企业创新质量",
            BEN,
            ql("进一步提升服务水平，提升服务质量"),
            {"Q4": tier(Tier.ACHIEVED)},
            level2="社会效益指标",
        ),
        # Satisfaction: ≥90 %, latest 95 → 10.00.
        ind(
            "用户满意度",
            SAT,
            qt(">=", "90.00", "%"),
            {"Q2": v("88"), "Q4": v("95")},
            level2="服务对象满意度指标",
        ),
    ]
    # Budget: 880,000.00 of 903,080.00 = 0.974443… → 97.44 % → 9.744 → 9.74.
    budget = BudgetInput(D("903080.00"), None, D("880000.00"))
    result = score_project(ProjectInput("信息化运维项目", inds, budget, q), grade_labels="shanghai")

    assert [s.points for s in result.indicators] == [D("7.15")] * 2 + [D("7.14")] * 5 + [D(30), D(10)]
    assert [s.score for s in result.indicators] == [
        D("7.15"), D("5.36"), D("6.96"), D("7.14"), D("5.36"), D("6.43"), D("5.71"), D("30.00"), D("10.00"),
    ]  # fmt: skip
    assert result.budget.rate == D("97.44") and result.budget.score == D("9.74")
    # 7.15 + 5.36 + 6.96 + 7.14 + 5.36 + 6.43 + 5.71 + 30.00 + 10.00 = 84.11; + 9.74 = 93.85 → 优.
    assert result.total == D("93.85")
    assert result.grade is Grade.EXCELLENT and result.grade_label == "优"
    assert result.problems == []

    by_name = {s.name: s for s in result.indicators}
    assert by_name["升级接口"].ratio == D("1.0667") and not by_name["升级接口"].needs_explanation
    assert by_name["升级接口"].target_display == "≥30.00(个)"
    assert by_name["故障解决时间"].ratio == D("0.8000")
    assert by_name["故障解决时间"].status is Status.OFF_TRACK  # 2.5 is beyond 2 × 1.15 = 2.3
    assert by_name["故障解决时间"].actual_display() == "2.5(小时)"
    assert by_name["数据安全程度"].actual_display() == "达成年度指标（90%）"
    assert by_name["累计整合数据量"].actual == v("58500")
    flagged = [s.name for s in result.indicators if s.needs_explanation]
    assert flagged == ["完善和新增功能点", "累计整合数据量", "数据可共享程度", "数据安全程度", "故障解决时间"]
    assert [s.name for s in needs_explanation_missing(result)] == flagged[1:]
    assert isinstance(result, ProjectScore)
