"""Tiers, the roll-up of period actuals into the year's actual, and mid-year attainment."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from perftrack.domain.attainment import (
    IndicatorInput,
    PeriodValue,
    Status,
    Tier,
    attainment,
    completion_ratio,
    has_mixed_periods,
    is_over_achieved,
    parse_tier,
    reached,
    tier_percent,
    year_actual,
)
from perftrack.domain.model import Kind, Target
from perftrack.domain.units import Rollup


def qt(op: str | None, value: str, unit: str | None) -> Target:
    """A quantitative target."""
    return Target(raw=f"{op or ''}{value}{unit or ''}", op=op, value=D(value), unit=unit, kind=Kind.QUANTITATIVE)


def ql(raw: str = "高") -> Target:
    """A qualitative target."""
    return Target(raw=raw)


def ind(
    target: Target,
    actuals: dict[str, PeriodValue] | None = None,
    rollup: Rollup | None = None,
    **kwargs: object,
) -> IndicatorInput:
    return IndicatorInput(
        name="指标",
        level1="产出指标",
        level2="数量指标",
        target=target,
        rollup=rollup,
        points=None,
        actuals=actuals or {},
        **kwargs,  # type: ignore[arg-type]
    )


def v(value: str | None) -> PeriodValue:
    return PeriodValue(D(value) if value is not None else None)


# --- tiers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("达成", Tier.ACHIEVED),
        (" 达成 ", Tier.ACHIEVED),
        ("部分达成", Tier.PARTLY),
        ("未达成", Tier.NOT_ACHIEVED),
        ("achieved", Tier.ACHIEVED),
        ("Achieved", Tier.ACHIEVED),
        ("partly", Tier.PARTLY),
        ("not-achieved", Tier.NOT_ACHIEVED),
        ("not_achieved", Tier.NOT_ACHIEVED),
        ("达成年度指标", Tier.ACHIEVED),
        ("部分达成年度指标并具有一定效果", Tier.PARTLY),
        ("未达成年度指标且效果较差", Tier.NOT_ACHIEVED),
    ],
)
def test_parse_tier(text: str, tier: Tier) -> None:
    assert parse_tier(text) is tier


@pytest.mark.parametrize("text", ["", "良好", "基本达成", "not", "yes"])
def test_parse_tier_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="无法识别的评价等级"):
        parse_tier(text)


def test_tier_labels_bands_defaults() -> None:
    assert Tier.ACHIEVED.label == "达成年度指标"
    assert Tier.PARTLY.label == "部分达成年度指标并具有一定效果"
    assert Tier.NOT_ACHIEVED.label == "未达成年度指标且效果较差"
    assert Tier.ACHIEVED.band == (D(80), D(100))
    assert Tier.PARTLY.band == (D(60), D(80))
    assert Tier.NOT_ACHIEVED.band == (D(0), D(60))
    assert [t.default_percent for t in Tier] == [D(100), D(70), D(30)]
    assert tier_percent(Tier.PARTLY) == D(70)


@pytest.mark.parametrize(
    ("tier", "percent"),
    [
        (Tier.ACHIEVED, "80"),
        (Tier.ACHIEVED, "100"),
        (Tier.ACHIEVED, "92.5"),
        (Tier.PARTLY, "60"),
        (Tier.PARTLY, "80"),
        (Tier.NOT_ACHIEVED, "0"),
        (Tier.NOT_ACHIEVED, "60"),
    ],
)
def test_tier_percent_inside_band_ends_included(tier: Tier, percent: str) -> None:
    assert tier_percent(tier, D(percent)) == D(percent)
    assert PeriodValue(None, tier, D(percent)).tier_percent == D(percent)


@pytest.mark.parametrize(
    ("tier", "percent"),
    [
        (Tier.ACHIEVED, "79.99"),
        (Tier.ACHIEVED, "100.01"),
        (Tier.PARTLY, "59.9"),
        (Tier.PARTLY, "85"),
        (Tier.NOT_ACHIEVED, "60.01"),
        (Tier.NOT_ACHIEVED, "-1"),
    ],
)
def test_tier_percent_outside_band_refused_with_reason(tier: Tier, percent: str) -> None:
    low, high = tier.band
    with pytest.raises(ValueError, match=f"{tier.label}.*{low}%–{high}%.*{percent}%"):
        tier_percent(tier, D(percent))
    with pytest.raises(ValueError, match=tier.label):
        PeriodValue(None, tier, D(percent))


def test_percent_without_tier_refused() -> None:
    with pytest.raises(ValueError, match="未选择评价等级"):
        PeriodValue(None, None, D(90))


# --- the input's own checks ----------------------------------------------------------------


def test_indicator_input_refuses_bad_entries() -> None:
    with pytest.raises(ValueError, match="必须注明理由"):
        ind(qt(">=", "10", "个"), deduction=D(1))
    with pytest.raises(ValueError, match="必须注明理由"):
        ind(qt(">=", "10", "个"), deduction=D(1), deduction_reason="  ")
    with pytest.raises(ValueError, match="扣分不能为负数"):
        ind(qt(">=", "10", "个"), deduction=D(-1), deduction_reason="x")
    with pytest.raises(ValueError, match="分值不能为负数"):
        IndicatorInput("指标", "产出指标", None, qt(">=", "1", "个"), None, D(-5), {})
    with pytest.raises(ValueError, match="无法识别的填报期间"):
        ind(qt(">=", "10", "个"), {"Q5": v("1")})


def test_default_rollup_follows_unit_and_user_choice_wins() -> None:
    assert ind(qt(">=", "10", "场")).effective_rollup() is Rollup.SUM
    assert ind(qt(">=", "90", "%")).effective_rollup() is Rollup.LATEST
    assert ind(ql()).effective_rollup() is Rollup.QUALITATIVE
    assert ind(qt(">=", "10", "场"), rollup=Rollup.LATEST).effective_rollup() is Rollup.LATEST
    assert ind(qt(">=", "10", "场"), rollup=Rollup.QUALITATIVE).is_qualitative
    assert not ind(qt(">=", "10", "场")).is_qualitative


# --- roll-up -------------------------------------------------------------------------------


def test_sum_adds_the_periods() -> None:
    i = ind(qt(">=", "30", "个"), {"Q1": v("8"), "Q2": v("7"), "Q3": v(None), "Q4": v("9.5")})
    assert year_actual(i) == PeriodValue(D("24.5"))


def test_latest_takes_the_latest_period_not_the_last_entered() -> None:
    # Entered out of order, and Q4 left blank: Q3 is the latest value.
    i = ind(qt(">=", "90", "%"), {"Q3": v("93"), "Q1": v("80"), "Q4": v(None), "Q2": v("88")})
    assert year_actual(i) == PeriodValue(D("93"))


def test_user_rollup_latest_for_a_cumulative_count() -> None:
    actuals = {"Q1": v("20000"), "Q2": v("38000"), "Q3": v("52000")}
    assert year_actual(ind(qt(">=", "60000", "个"), actuals)) == PeriodValue(D("110000"))
    assert year_actual(ind(qt(">=", "60000", "个"), actuals, Rollup.LATEST)) == PeriodValue(D("52000"))


def test_year_value_overrides_the_periods() -> None:
    actuals = {"Q1": v("8"), "Q2": v("7"), "全年": v("40")}
    assert year_actual(ind(qt(">=", "30", "个"), actuals)) == PeriodValue(D("40"))
    assert year_actual(ind(qt(">=", "90", "%"), actuals)) == PeriodValue(D("40"))
    # An empty year-end cell does not hide the periods.
    assert year_actual(ind(qt(">=", "30", "个"), {"Q1": v("8"), "YEAR": v(None)})) == PeriodValue(D("8"))


def test_qualitative_takes_the_latest_tier() -> None:
    actuals = {
        "Q2": PeriodValue(None, Tier.NOT_ACHIEVED),
        "Q3": PeriodValue(None, Tier.PARTLY, D(75)),
        "Q4": PeriodValue(None),
    }
    assert year_actual(ind(ql(), actuals)) == PeriodValue(None, Tier.PARTLY, D(75))
    actuals["YEAR"] = PeriodValue(None, Tier.ACHIEVED, D(90))
    assert year_actual(ind(ql(), actuals)) == PeriodValue(None, Tier.ACHIEVED, D(90))


def test_no_actual_is_none() -> None:
    assert year_actual(ind(qt(">=", "30", "个"))) is None
    assert year_actual(ind(qt(">=", "30", "个"), {"Q1": v(None)})) is None
    assert year_actual(ind(ql(), {"Q1": v("5")})) is None


def test_monthly_values_roll_up_too() -> None:
    actuals = {m: v("1") for m in ("M01", "2月", "三月", "M12")}
    assert year_actual(ind(qt(">=", "12", "次"), actuals)) == PeriodValue(D(4))


def test_mixed_quarters_and_months_need_the_reporting_frequency() -> None:
    i = ind(qt(">=", "30", "个"), {"Q1": v("9"), "M01": v("2"), "M02": v("3"), "M03": v("4")})
    assert has_mixed_periods(i)
    with pytest.raises(ValueError, match="同时有按季度和按月"):
        year_actual(i)
    assert year_actual(i, "quarterly") == PeriodValue(D(9))
    assert year_actual(i, "monthly") == PeriodValue(D(9))
    assert year_actual(ind(qt(">=", "30", "个"), {"Q1": v("9"), "M02": v("3")}), "monthly") == PeriodValue(D(3))
    assert not has_mixed_periods(ind(qt(">=", "30", "个"), {"Q1": v("9"), "YEAR": v("3")}))


# --- ratio, reached, over-achievement ------------------------------------------------------


def test_completion_ratio() -> None:
    assert completion_ratio(qt(">=", "12", "个"), D(9)) == D("0.7500")
    assert completion_ratio(qt(">=", "30", "个"), D(32)) == D("1.0667")
    assert completion_ratio(qt(None, "985", "米"), D(985)) == D("1.0000")
    assert completion_ratio(qt("=", "100", "%"), D(98)) == D("0.9800")
    assert completion_ratio(qt("<=", "2.00", "秒"), D(4)) == D("0.5000")
    assert completion_ratio(qt("<=", "2.00", "秒"), D("1.5")) == D("1.3333")
    assert completion_ratio(qt(">=", "12", "个"), None) is None
    assert completion_ratio(ql(), D(1)) is None


def test_zero_targets_are_handled_explicitly() -> None:
    eq0 = qt("=", "0", "起")
    assert reached(eq0, D(0)) and completion_ratio(eq0, D(0)) == D(1)
    assert not reached(eq0, D(2)) and completion_ratio(eq0, D(2)) == D(0)
    le0 = qt("<=", "0", "起")
    assert reached(le0, D(0)) and not reached(le0, D(1))
    assert completion_ratio(le0, D(1)) == D(0)
    gt0 = qt(">", "0", "次")
    assert not reached(gt0, D(0)) and reached(gt0, D(1))
    assert reached(qt(">=", "0", "次"), D(0))
    # A reverse indicator at zero is the best result, not a division by zero.
    assert completion_ratio(qt("<=", "2", "小时"), D(0)) == D(1)
    assert not is_over_achieved(eq0, D(0)) and not is_over_achieved(qt(">=", "0", "次"), D(5))


def test_boundary_and_strict_operators() -> None:
    assert reached(qt(">=", "90", "%"), D(90)) and not reached(qt(">=", "90", "%"), D("89.99"))
    assert reached(qt("<=", "2", "秒"), D(2)) and not reached(qt("<=", "2", "秒"), D("2.01"))
    # Strict operators against a non-zero target: the boundary counts as reached (see docs/scoring.md).
    assert reached(qt(">", "92", "%"), D(92)) and reached(qt("<", "5", "%"), D(5))
    assert reached(qt(None, "985", "米"), D(985)) and not reached(qt(None, "985", "米"), D(984))


def test_over_achievement_threshold() -> None:
    assert is_over_achieved(qt(">=", "30", "个"), D(39))
    assert not is_over_achieved(qt(">=", "30", "个"), D("38.99"))
    assert is_over_achieved(qt("=", "10", "场"), D(13))
    assert is_over_achieved(qt("<=", "2", "小时"), D("1.4"))
    assert not is_over_achieved(qt("<=", "2", "小时"), D("1.41"))
    assert not is_over_achieved(ql(), D(100))


# --- attainment ----------------------------------------------------------------------------


def test_sum_type_expected_at_elapsed_share() -> None:
    target = qt(">=", "100", "场")
    on = attainment(ind(target, {"Q1": v("20"), "Q2": v("30"), "Q3": v("40")}), "Q2")
    assert on.ytd == D(50) and on.expected_to_date == D(50)
    assert on.status is Status.ON_TRACK and on.met is False
    assert on.ratio == D("0.5000") and on.projected == D(100)

    at_risk = attainment(ind(target, {"Q1": v("20"), "Q2": v("22.5")}), "二季度")
    assert at_risk.ytd == D("42.5") and at_risk.status is Status.AT_RISK  # exactly 15 % below
    assert at_risk.projected == D(85)

    off = attainment(ind(target, {"Q1": v("20"), "Q2": v("22.4")}), "Q2")
    assert off.status is Status.OFF_TRACK


def test_sum_type_monthly_uses_the_exact_share() -> None:
    i = ind(qt(">=", "12", "次"), {f"M{m:02d}": v("1") for m in range(1, 8)})
    a = attainment(i, "M07", "monthly")
    # 12 × 7/12 is 7 exactly; the four-place share 0.5833 would give 6.9996 and "at risk".
    assert a.expected_to_date == D(7) and a.ytd == D(7)
    assert a.status is Status.ON_TRACK
    assert a.projected == D(12)


def test_projection_rounded_and_monitor_expected_wins() -> None:
    i = ind(qt(">=", "30", "个"), {f"M{m:02d}": v("2") for m in range(1, 8)})
    assert attainment(i, "M07", "monthly").projected == D("24.00")  # 14 × 12/7 = 24
    i = ind(qt(">=", "30", "个"), {"M01": v("1"), "M02": v("1"), "M03": v("1"), "M04": v("1"), "M05": v("1")})
    assert attainment(i, "M05", "monthly").projected == D("12")
    i = ind(qt(">=", "30", "个"), {"M01": v("1"), "M02": v("1"), "M03": v("1"), "M04": v("1")})
    assert attainment(i, "M07", "monthly").projected == D("6.86")  # 4 × 12/7 = 6.857…
    i = ind(qt(">=", "30", "个"), {"Q1": v("3")}, monitor_expected=D(28))
    assert attainment(i, "Q1").projected == D(28)


def test_latest_type_compared_with_the_target_directly() -> None:
    target = qt(">=", "90", "%")
    a = attainment(ind(target, {"Q1": v("91")}), "Q1")
    assert a.expected_to_date == D(90) and a.status is Status.ON_TRACK and a.met is True
    assert a.projected == D(91)
    assert attainment(ind(target, {"Q1": v("76.5")}), "Q1").status is Status.AT_RISK
    assert attainment(ind(target, {"Q1": v("76.4")}), "Q1").status is Status.OFF_TRACK


def test_reverse_latest_mirrors_the_rule() -> None:
    target = qt("<=", "2.00", "小时")
    assert attainment(ind(target, {"Q1": v("1.5")}), "Q1").status is Status.ON_TRACK
    assert attainment(ind(target, {"Q1": v("2.3")}), "Q1").status is Status.AT_RISK
    assert attainment(ind(target, {"Q1": v("2.31")}), "Q1").status is Status.OFF_TRACK
    a = attainment(ind(target, {"Q1": v("4")}), "Q1")
    assert a.ratio == D("0.5000") and a.met is False


def test_reverse_sum_is_a_ceiling_at_elapsed_share() -> None:
    target = qt("<=", "90", "万元")
    assert ind(target).effective_rollup() is Rollup.SUM
    ok = attainment(ind(target, {"Q1": v("20"), "Q2": v("25")}), "Q2")
    assert ok.expected_to_date == D(45) and ok.status is Status.ON_TRACK
    assert attainment(ind(target, {"Q1": v("20"), "Q2": v("31.75")}), "Q2").status is Status.AT_RISK
    assert attainment(ind(target, {"Q1": v("20"), "Q2": v("31.76")}), "Q2").status is Status.OFF_TRACK


def test_zero_target_status() -> None:
    target = qt("=", "0", "起")
    assert attainment(ind(target, {"Q1": v("0")}), "Q1").status is Status.ON_TRACK
    assert attainment(ind(target, {"Q1": v("1")}), "Q1").status is Status.OFF_TRACK


def test_qualitative_status_from_tier() -> None:
    def status(tier: Tier | None) -> Status:
        actuals = {"Q1": PeriodValue(None, tier)} if tier else {}
        return attainment(ind(ql(), actuals), "Q1").status

    assert status(Tier.ACHIEVED) is Status.ON_TRACK
    assert status(Tier.PARTLY) is Status.AT_RISK
    assert status(Tier.NOT_ACHIEVED) is Status.OFF_TRACK
    assert status(None) is Status.NO_ACTUAL
    a = attainment(ind(ql(), {"Q1": PeriodValue(None, Tier.ACHIEVED)}), "Q2")
    assert a.tier is Tier.ACHIEVED and a.met is True and a.ytd is None


def test_no_actual_yet() -> None:
    a = attainment(ind(qt(">=", "100", "场"), {"Q3": v("50")}), "Q2")
    assert a.status is Status.NO_ACTUAL
    assert a.ytd is None and a.ratio is None and a.met is None and a.projected is None
    assert a.expected_to_date == D(50)


def test_as_of_ignores_later_periods_and_the_year_figure() -> None:
    i = ind(qt(">=", "100", "场"), {"Q1": v("25"), "Q2": v("25"), "Q3": v("40"), "YEAR": v("120")})
    assert attainment(i, "Q1").ytd == D(25)
    assert attainment(i, "Q2").ytd == D(50)
    assert attainment(i, "Q4").ytd == D(90)
    year = attainment(i, "YEAR")
    assert year.ytd == D(120) and year.met is True and year.ratio == D("1.2000")


def test_status_labels() -> None:
    assert [s.label for s in Status] == ["正常", "有风险", "偏离目标", "未填报"]
