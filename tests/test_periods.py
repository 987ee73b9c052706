"""Reporting periods: how staff write them, their order and the share of the year elapsed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from perftrack.domain.periods import (
    MONTHS,
    QUARTERS,
    YEAR,
    current_period,
    elapsed_months,
    elapsed_share,
    is_in_year,
    normalize_period,
    normalize_reporting,
    period_order,
    periods_for,
)


def test_period_codes() -> None:
    assert QUARTERS == ("Q1", "Q2", "Q3", "Q4")
    assert MONTHS[0] == "M01" and MONTHS[-1] == "M12" and len(MONTHS) == 12
    assert YEAR == "YEAR"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Q1", "Q1"),
        ("q1", "Q1"),
        (" Q4 ", "Q4"),
        ("Ｑ２", "Q2"),
        ("1季度", "Q1"),
        ("１季度", "Q1"),
        ("一季度", "Q1"),
        ("第一季度", "Q1"),
        ("第3季度", "Q3"),
        ("四季度", "Q4"),
        ("二季", "Q2"),
        ("M1", "M01"),
        ("m7", "M07"),
        ("M01", "M01"),
        ("M12", "M12"),
        ("1月", "M01"),
        ("12月", "M12"),
        ("3月份", "M03"),
        ("一月", "M01"),
        ("十月", "M10"),
        ("十一月", "M11"),
        ("十二月", "M12"),
        ("01", "M01"),
        ("09", "M09"),
        ("11", "M11"),
        ("YEAR", "YEAR"),
        ("year", "YEAR"),
        ("全年", "YEAR"),
        ("年度", "YEAR"),
        ("年末", "YEAR"),
        ("年终", "YEAR"),
    ],
)
def test_normalize_period_accepts(text: str, code: str) -> None:
    assert normalize_period(text) == code


@pytest.mark.parametrize("text", ["", "1", "Q0", "Q5", "5季度", "第五季度", "13月", "M13", "00", "上半年", "2024"])
def test_normalize_period_refuses_with_what_is_accepted(text: str) -> None:
    with pytest.raises(ValueError, match="无法识别的填报期间") as info:
        normalize_period(text)
    message = str(info.value)
    assert "可接受的写法" in message
    assert "一季度" in message and "1月" in message and "全年" in message


def test_periods_for_reporting_frequency() -> None:
    assert periods_for("quarterly") == QUARTERS
    assert periods_for("monthly") == MONTHS
    assert periods_for("按季度") == QUARTERS
    assert periods_for("按月") == MONTHS
    assert YEAR not in periods_for("quarterly")
    with pytest.raises(ValueError, match="填报周期"):
        periods_for("weekly")
    assert normalize_reporting(" Monthly ") == "monthly"


@pytest.mark.parametrize(
    ("period", "share"),
    [
        ("Q1", "0.2500"),
        ("Q2", "0.5000"),
        ("Q3", "0.7500"),
        ("Q4", "1.0000"),
        ("M01", "0.0833"),
        ("M03", "0.2500"),
        ("M07", "0.5833"),
        ("M08", "0.6667"),
        ("M12", "1.0000"),
        ("YEAR", "1.0000"),
        ("一季度", "0.2500"),
    ],
)
def test_elapsed_share(period: str, share: str) -> None:
    result = elapsed_share(period)
    assert isinstance(result, Decimal)
    assert result == Decimal(share)
    assert result.as_tuple().exponent == -4


def test_elapsed_months() -> None:
    assert [elapsed_months(q) for q in QUARTERS] == [3, 6, 9, 12]
    assert [elapsed_months(m) for m in MONTHS] == list(range(1, 13))
    assert elapsed_months(YEAR) == 12


def test_period_order_sorts_by_end_then_month_quarter_year() -> None:
    shuffled = ["YEAR", "Q4", "M12", "Q2", "M06", "Q1", "M03", "M01", "M07"]
    expected = ["M01", "M03", "Q1", "M06", "Q2", "M07", "M12", "Q4", "YEAR"]
    assert sorted(shuffled, key=period_order) == expected
    assert period_order("一季度") == period_order("Q1")
    assert sorted(QUARTERS, key=period_order) == list(QUARTERS)
    assert sorted(reversed(MONTHS), key=period_order) == list(MONTHS)


def test_is_in_year() -> None:
    assert is_in_year("Q3") and is_in_year("M05")
    assert not is_in_year("全年")


@pytest.mark.parametrize(
    ("date", "quarterly", "monthly"),
    [
        (dt.date(2024, 1, 1), "Q1", "M01"),
        (dt.date(2024, 3, 31), "Q1", "M03"),
        (dt.date(2024, 4, 1), "Q2", "M04"),
        (dt.date(2024, 5, 20), "Q2", "M05"),
        (dt.date(2024, 9, 30), "Q3", "M09"),
        (dt.date(2024, 12, 31), "Q4", "M12"),
        (dt.datetime(2024, 7, 15, 9, 30), "Q3", "M07"),
    ],
)
def test_current_period(date: dt.date, quarterly: str, monthly: str) -> None:
    assert current_period(date, "quarterly") == quarterly
    assert current_period(date, "monthly") == monthly
