"""Units: canonical spelling, conversion, typed quantities and the default roll-up."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perftrack.domain.model import Kind, Target
from perftrack.domain.units import (
    KNOWN_UNITS,
    Rollup,
    UnitError,
    convert,
    default_rollup,
    match_unit,
    normalize_unit,
    parse_quantity,
)

D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("（次）", "次"),
        ("(次)", "次"),
        (" (%)", "%"),
        ("％", "%"),
        ("(％)", "%"),
        ("\\%", "%"),
        ("百分比", "%"),
        ("百分点", "百分点"),
        ("个百分点", "百分点"),
        ("人/次", "人次"),
        ("万人/次", "万人次"),
        ("【亿元】", "亿元"),
        (" 个 月 ", "个月"),
        ("㎡", "平方米"),
        ("千米", "公里"),
        ("幢", "幢"),  # unknown units are kept, cleaned
        ("(栋 )", "栋"),
        ("", None),
        ("  ", None),
        ("()", None),
        (None, None),
    ],
)
def test_normalize_unit(text: str | None, expected: str | None) -> None:
    assert normalize_unit(text) == expected


def test_known_units_cover_the_domain_list() -> None:
    # fmt: off
    seen = {"%", "次", "人", "人次", "个", "家", "篇", "场", "场次", "份", "门", "天", "期", "项", "课时",
            "秒", "小时", "个月", "元", "万元", "亿元", "米", "件", "轮"}
    # fmt: on
    assert seen <= KNOWN_UNITS
    assert all(normalize_unit(u) == u for u in KNOWN_UNITS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("场次培训", ("场次", 2)),
        ("个月", ("个月", 2)),
        ("个转化项目", ("个", 1)),
        ("万人次参加", ("万人次", 3)),
        ("亿元", ("亿元", 2)),
        ("人/次", ("人次", 3)),
        ("%的全勤率", ("%", 1)),
        ("万余人", ("万", 1)),
        ("紧密合作", None),
        ("", None),
    ],
)
def test_match_unit(text: str, expected: tuple[str, int] | None) -> None:
    assert match_unit(text) == expected


@pytest.mark.parametrize(
    ("value", "src", "dst", "expected"),
    [
        ("1.2", "亿元", "万元", "12000"),
        ("1.2", "亿元", "元", "120000000"),
        ("3500", "万元", "亿元", "0.35"),
        ("215457.60", "元", "万元", "21.54576"),
        ("5", "千元", "元", "5000"),
        ("90", "秒", "分钟", "1.5"),
        ("2", "小时", "秒", "7200"),
        ("1.5", "公里", "米", "1500"),
        ("6", "万人次", "人次", "60000"),
        ("60000", "人次", "万人次", "6"),
        ("6", "万", None, "60000"),
        ("85", "%", "（%）", "85"),  # equal after normalising
        ("85", "百分比", "%", "85"),
        ("7", None, "万元", "7"),  # no unit typed: already in the target's unit
        ("7", "", "万元", "7"),
        ("3", "人", "人", "3"),
    ],
)
def test_convert(value: str, src: str | None, dst: str | None, expected: str) -> None:
    assert convert(D(value), src, dst) == D(expected)


def test_convert_is_exact_for_money() -> None:
    result = convert(D("1.2"), "亿元", "万元")
    assert result == D(12000)
    assert str(result) == "12000"  # not 1.2E+4
    assert convert(D("0.01"), "元", "亿元") == D("0.0000000001")


@pytest.mark.parametrize(
    ("src", "dst", "message"),
    [
        ("人", "人次", "单位“人”不能换算为“人次”"),
        ("天", "小时", "不按24小时换算"),
        ("小时", "天", "不按24小时换算"),
        ("%", "百分点", "单位“%”不能换算为“百分点”"),
        ("元", "%", "单位“元”不能换算为“%”"),
        ("%", None, "不能换算为无单位的数值"),
        ("万元", "人", "单位“万元”不能换算为“人”"),
    ],
)
def test_convert_refuses(src: str, dst: str | None, message: str) -> None:
    with pytest.raises(UnitError, match=message):
        convert(D(1), src, dst)


def test_unit_error_is_a_value_error() -> None:
    assert issubclass(UnitError, ValueError)


money_units = st.sampled_from(["元", "千元", "万元", "亿元"])


@given(
    st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False, allow_infinity=False),
    money_units,
    money_units,
)
def test_money_conversion_round_trips(value: Decimal, a: str, b: str) -> None:
    assert convert(convert(value, a, b), b, a) == value


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("85", "85", None),
        ("85%", "85", "%"),
        ("８５％", "85", "%"),
        ("85 %", "85", "%"),
        ("1,600", "1600", None),
        ("1,600,000.50", "1600000.50", None),
        ("1.2亿元", "1.2", "亿元"),
        ("3500万元", "3500", "万元"),
        ("2.5 小时", "2.5", "小时"),
        ("-3", "-3", None),
        ("−3", "-3", None),
        ("+3", "3", None),
        ("0", "0", None),
        (".5", "0.5", None),
        ("6万人次", "60000", "人次"),
        ("1.5万人", "15000", "人"),
        ("6万", "60000", None),
        ("5(次)", "5", "次"),
        ("12（场次）", "12", "场次"),
        ("3幢", "3", "幢"),
        ("100百分比", "100", "%"),
    ],
)
def test_parse_quantity(text: str, value: str, unit: str | None) -> None:
    got_value, got_unit = parse_quantity(text)
    assert got_value == D(value)
    assert got_unit == unit


def test_parse_quantity_keeps_the_written_places() -> None:
    assert str(parse_quantity("90.50%")[0]) == "90.50"


@pytest.mark.parametrize("text", ["abc", "", "   ", "1.2.3", "1,60", "5.", "5次3", "1e5", "%", "≥90", "万元"])
def test_parse_quantity_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="数值") as info:
        parse_quantity(text)
    if text.strip():
        assert text.strip() in str(info.value)  # the message names what was typed


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**9), max_value=10**9))
def test_parse_quantity_reads_back_any_plain_number(value: Decimal) -> None:
    assert parse_quantity(f"{value:f}") == (value, None)
    assert parse_quantity(f"{value:f}万元") == (value, "万元")


def _target(op: str | None, value: str | None, unit: str | None) -> Target:
    kind = Kind.QUALITATIVE if op is None else Kind.QUANTITATIVE
    return Target(raw="x", op=op, value=None if value is None else D(value), unit=unit, kind=kind)


@pytest.mark.parametrize(
    ("op", "unit", "expected"),
    [
        ("=", "%", Rollup.LATEST),
        (">=", "%", Rollup.LATEST),
        (">=", "百分点", Rollup.LATEST),
        ("<=", "秒", Rollup.LATEST),
        ("<=", "小时", Rollup.LATEST),
        ("<=", "个月", Rollup.LATEST),
        (">=", "分", Rollup.LATEST),
        (">=", "元/人", Rollup.LATEST),
        (">=", "满意率", Rollup.LATEST),
        (">=", "次", Rollup.SUM),
        (">=", "场", Rollup.SUM),
        (">=", "人", Rollup.SUM),
        ("=", "篇", Rollup.SUM),
        (">=", "元", Rollup.SUM),
        (">=", "亿元", Rollup.SUM),
        ("<=", "万元", Rollup.SUM),  # spending accumulates even when less is better
        ("=", "天", Rollup.SUM),
        (">=", "万人次", Rollup.SUM),
        (">=", "幢", Rollup.SUM),  # unknown unit: a count
        ("=", None, Rollup.SUM),  # =100 without a unit is not enough to call it a rate
    ],
)
def test_default_rollup(op: str, unit: str | None, expected: Rollup) -> None:
    assert default_rollup(_target(op, "100", unit)) is expected


def test_default_rollup_qualitative() -> None:
    assert default_rollup(_target(None, None, None)) is Rollup.QUALITATIVE


def test_rollup_values_are_stable_strings() -> None:
    assert [str(r) for r in Rollup] == ["sum", "latest", "qualitative"]
