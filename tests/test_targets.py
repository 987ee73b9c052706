"""The target grammar (domain.md §2): every written form, the seed file, and arbitrary text."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perftrack.domain.model import Kind
from perftrack.domain.numbers import format_decimal
from perftrack.domain.targets import QUALITATIVE_WORDS, parse_target
from perftrack.domain.units import KNOWN_UNITS

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"
OPS = {"=", ">=", "<=", ">", "<"}

# (written, op, value as written, unit, inferred)
QUANTITATIVE = [
    ("=100.00(%)", "=", "100.00", "%", False),
    ("=100(%)", "=", "100", "%", False),
    ("=100 (%)", "=", "100", "%", False),
    ("≥90(%)", ">=", "90", "%", False),
    ("≥90.00(%)", ">=", "90.00", "%", False),
    ("≥130000.00(个)", ">=", "130000.00", "个", False),
    ("≤2.00(秒)", "<=", "2.00", "秒", False),
    ("≤1.00(个月)", "<=", "1.00", "个月", False),
    ("≥55.00 (亿元)", ">=", "55.00", "亿元", False),
    ("=100.00 (%)", "=", "100.00", "%", False),
    ("=8(门)", "=", "8", "门", False),
    ("=5.00(人次)", "=", "5.00", "人次", False),
    ("=3.00（场次）", "=", "3.00", "场次", False),
    (r"$\geq 90.00\%$", ">=", "90.00", "%", False),
    (r"$\geq 50.00$ (%)", ">=", "50.00", "%", False),
    (r"$= 100.00$ (%)", "=", "100.00", "%", False),
    (r"$\leq 2.00$ (秒)", "<=", "2.00", "秒", False),
    (r"$\ge 90\%$", ">=", "90", "%", False),
    (r"$\le 5\%$", "<=", "5", "%", False),
    (r"$\gt 92\%$", ">", "92", "%", False),
    (r"$\lt 5\%$", "<", "5", "%", False),
    (r"$\geq 90 \text{个}$", ">=", "90", "个", False),
    (">=90%", ">=", "90", "%", False),
    ("≥50个", ">=", "50", "个", False),
    ("≥100百分比", ">=", "100", "%", False),
    ("985米", ">=", "985", "米", False),
    ("15万元", ">=", "15", "万元", False),
    ("2370人", ">=", "2370", "人", False),
    ("100", ">=", "100", None, False),
    (">92%", ">", "92", "%", False),
    ("<5%", "<", "5", "%", False),
    ("≤90万元", "<=", "90", "万元", False),
    ("大于等于90%", ">=", "90", "%", False),
    ("小于等于3天", "<=", "3", "天", False),
    ("大于5次", ">", "5", "次", False),
    ("小于5%", "<", "5", "%", False),
    ("＞90％", ">", "90", "%", False),
    ("＜5％", "<", "5", "%", False),
    ("≧90", ">=", "90", None, False),
    ("≦9", "<=", "9", None, False),
    ("＝100", "=", "100", None, False),
    ("=>90", ">=", "90", None, False),
    ("=<5", "<=", "5", None, False),
    ("≮90%", ">=", "90", "%", False),
    ("≯5%", "<=", "5", "%", False),
    ("≥ 90 %", ">=", "90", "%", False),
    ("≥１６００人", ">=", "1600", "人", False),
    ("1,600人", ">=", "1600", "人", False),
    ("１，６００人", ">=", "1600", "人", False),
    ("≥6万人次", ">=", "6", "万人次", False),
    ("≥3(家次)", ">=", "3", "家次", False),
    ("≥3(幢)", ">=", "3", "幢", False),  # an unknown unit in brackets is still the unit
    ("=0", "=", "0", None, False),
    ("1.00年", ">=", "1.00", "年", False),  # a duration, not a year
    ("=0(次)", "=", "0", "次", False),
    ("≤-5%", "<=", "-5", "%", False),
    ("<p>≥90%</p>", ">=", "90", "%", False),
    ("<p>=100.00(%)</p>", "=", "100.00", "%", False),
    ("&gt;90%", ">", "90", "%", False),
    ("&lt;5%", "<", "5", "%", False),
    ("&ge;90%", ">=", "90", "%", False),
    ("&le;90%", "<=", "90", "%", False),
    ("**≥90%**", ">=", "90", "%", False),
    ("| ≥90.00(%) |", ">=", "90.00", "%", False),
    ("## ≥90%", ">=", "90", "%", False),
    ("=100.00(%)=100.00(%)", "=", "100.00", "%", False),  # the extractor repeated the cell
    # inside prose: extracted and marked inferred
    ("不少于10家紧密合作基地", ">=", "10", "家", True),
    ("不少于80%的全勤率", ">=", "80", "%", True),
    ("不低于80%", ">=", "80", "%", True),
    ("理事会出席率及年度活动参与率不低于80%", ">=", "80", "%", True),
    ("宣发上海孵化器特色及亮点不少于3轮（次）并收集有效反馈", ">=", "3", "轮", True),
    ("AABI及IBI等标志性业务须触达长三角科创载体不少于10家", ">=", "10", "家", True),
    ("与不少于2家外方机构实现项目合作及执行信息全流程共享", ">=", "2", "家", True),
    ("平均每个项目不少于2件", ">=", "2", "件", True),
    ("不少于10场次培训", ">=", "10", "场次", True),
    ("评选出100个转化成效突出的高转项目", ">=", "100", "个", True),
    ("至少5场", ">=", "5", "场", True),
    ("达到95%", ">=", "95", "%", True),
    ("有效跟踪率达95%以上", ">=", "95", "%", True),
    ("95%以上", ">=", "95", "%", True),
    ("开展培训不少于1600人/次", ">=", "1600", "人次", True),
    ("观众累计超过6万人次", ">", "6", "万人次", True),
    ("不超过5次", "<=", "5", "次", True),
    ("投诉不高于3次", "<=", "3", "次", True),
    ("控制在3天以内", "<=", "3", "天", True),
    ("控制在90%以上", ">=", "90", "%", True),  # the suffix decides after a weak word
    ("响应时间2小时以内", "<=", "2", "小时", True),
    ("超过55亿元", ">", "55", "亿元", True),
    ("低于5%", "<", "5", "%", True),
    ("≥10家紧密合作基地", ">=", "10", "家", True),
    ("≥90.00%以上", ">=", "90.00", "%", True),
    ("2024年完成率不低于90%", ">=", "90", "%", True),  # a year is not a quantity
    ("2024-01-01前完成不少于3次", ">=", "3", "次", True),  # nor is a date
    ("（1）完成培训不少于10场", ">=", "10", "场", True),  # nor a list marker
    ("1)完成培训不少于10场", ">=", "10", "场", True),
    ("①完成培训不少于10场", ">=", "10", "场", True),
    ("第2阶段完成不少于10场", ">=", "10", "场", True),
    ("5G基站不少于100个", ">=", "100", "个", True),  # a digit inside a name is not a quantity
    ("新增孵化器不少于20", ">=", "20", None, True),
]

QUALITATIVE = [
    "有效实现",
    "有效",
    "提升",
    "提高",
    "有一定提升",
    "高",
    "安全",
    "准确",
    "良好",
    "高于全国平均数",
    "达到市科委提出目标",
    "每个项目均须预算期内执行完毕",
    "学员构成须触达金砖、AABI两大网络",
    "与上一年度相比有所上升",
    "建立常态化市区联动工作机制，进一步优化分赛点管理制度，保障大赛工作持续发挥影响",
    "",
    "----------------",
    "<p></p>",
    # two quantities, a range, or a contradiction: nothing is invented
    "新增孵化器不少于20家，众创空间不少于20家",
    "完成科技信贷授信规模超过55亿元，各类科技金融政策产品宣讲不少于50场次。",
    "重点针对科技小巨人企业培训60人，课时不少于12天",
    "完成2个重点领域分析报告，形成3份专报",
    "90-95%",
    "90%至95%",
    "不少于10至20家",
    "不少于90%以下",
    "≠0",
    "±5%",
    "2024年",  # a year alone
    "12月底前完成",
    "6月30日前完成",
    "创100训练营",  # a number in a name, with neither operator nor unit
    "V2.0版本上线",
    "1.2.3",
    ":00.0",  # found by fuzzing: a decimal with four characters once crashed the year check
]


@pytest.mark.parametrize(("written", "op", "value", "unit", "inferred"), QUANTITATIVE)
def test_quantitative(written: str, op: str, value: str, unit: str | None, inferred: bool) -> None:
    t = parse_target(written)
    assert (t.kind, t.op, t.unit, t.inferred) == (Kind.QUANTITATIVE, op, unit, inferred)
    assert t.value is not None
    assert t.value.as_tuple() == Decimal(value).as_tuple()  # "100.00" stays 100.00
    assert t.raw == written.strip()


@pytest.mark.parametrize("written", QUALITATIVE)
def test_qualitative(written: str) -> None:
    t = parse_target(written)
    assert (t.kind, t.op, t.value, t.unit, t.inferred) == (Kind.QUALITATIVE, None, None, None, False)
    assert t.raw == written


@pytest.mark.parametrize("word", QUALITATIVE_WORDS)
def test_qualitative_words_read_as_qualitative(word: str) -> None:
    assert parse_target(word).kind is Kind.QUALITATIVE


def test_raw_is_kept_untouched_but_stripped() -> None:
    t = parse_target("  ＞９０％ \n")
    assert t.raw == "＞９０％"
    assert (t.op, t.value, t.unit) == (">", Decimal(90), "%")


def _seed_targets() -> list[str]:
    """The last non-empty cell of each row after a 三级指标 header, form by form."""
    cells: list[str] = []
    in_table = False
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            in_table = False
        elif "三级指标" in line:
            in_table = True
        elif in_table and (row := [c.strip() for c in line.split("\t") if c.strip()]):
            cells.append(row[-1])
    return cells


SEED_PROSE = {
    "不少于10家紧密合作基地": (">=", "10", "家"),
    "不少于80%的全勤率": (">=", "80", "%"),
    "理事会出席率及年度活动参与率不低于80%": (">=", "80", "%"),
    "宣发上海孵化器特色及亮点不少于3轮（次）并收集有效反馈": (">=", "3", "轮"),
    "AABI及IBI等标志性业务须触达长三角科创载体不少于10家": (">=", "10", "家"),
    "与不少于2家外方机构实现项目合作及执行信息全流程共享": (">=", "2", "家"),
    "平均每个项目不少于2件": (">=", "2", "件"),
    "不少于10场次培训": (">=", "10", "场次"),
    "评选出100个转化成效突出的高转项目": (">=", "100", "个"),
}
# An independent, narrow reading of the seed file's structured cells: "≥90.00(%)", "$\geq 90.00\%$".
_SEED_CELL = re.compile(r"\$?(=|≥|≤|\\geq)\s*([0-9.]+)\s*(?:\\%\$|\$?\s*\((.+)\))")
_SEED_OPS = {"=": "=", "≥": ">=", "≤": "<=", "\\geq": ">="}


def test_seed_file_has_the_expected_rows() -> None:
    cells = _seed_targets()
    assert len(cells) > 150
    assert set(SEED_PROSE) <= set(cells)


def test_every_structured_seed_target_is_read_exactly() -> None:
    structured = [c for c in _seed_targets() if c[0] in "=≥≤$"]
    assert len(structured) > 120
    for cell in structured:
        t = parse_target(cell)
        m = _SEED_CELL.fullmatch(cell)
        assert m is not None, cell
        assert t.kind is Kind.QUANTITATIVE and not t.inferred, cell
        assert t.op == _SEED_OPS[m.group(1)], cell
        assert t.value is not None and str(t.value) == m.group(2), cell
        assert t.unit == (m.group(3) or "%"), cell


def test_seed_prose_targets_are_extracted_and_the_rest_is_qualitative() -> None:
    for cell in _seed_targets():
        if cell[0] in "=≥≤$":
            continue
        t = parse_target(cell)
        if cell in SEED_PROSE:
            assert (t.op, str(t.value), t.unit, t.inferred) == (*SEED_PROSE[cell], True), cell
        else:
            assert t.kind is Kind.QUALITATIVE, cell


def test_seed_spot_checks() -> None:
    by_text = {c: parse_target(c) for c in _seed_targets()}
    assert by_text["≥130000.00(个)"].value == Decimal(130000)
    assert by_text["≥55.00 (亿元)"].unit == "亿元"
    assert by_text["≤1.00(个月)"].is_reverse
    assert by_text["=12.00(天)"].display() == "=12.00(天)"
    assert by_text["$\\geq 90.00\\%$"].display() == "≥90.00(%)"
    assert by_text["高转项目管理规范性"].kind is Kind.QUALITATIVE  # a row whose target is missing


def _check_invariants(text: str) -> None:
    t = parse_target(text)
    assert t.raw == text.strip()
    if t.kind is Kind.QUANTITATIVE:
        assert t.op in OPS and isinstance(t.value, Decimal) and t.value.is_finite()
        assert t.unit is None or (t.unit and t.unit == t.unit.strip())
    else:
        assert (t.op, t.value, t.unit, t.inferred) == (None, None, None, False)


@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    _check_invariants(text)


GRAMMAR_CHARS = "0123456789.,-%％()（）≥≤<>=＝$\\ {}不少于低超过以上下内万元人次个家年月日第、|*#&;gtelqp"


@given(st.text(alphabet=GRAMMAR_CHARS, max_size=40))
def test_never_raises_on_grammar_like_text(text: str) -> None:
    _check_invariants(text)


@pytest.mark.parametrize(
    "text",
    ["9" * 100_000, "不少于10家" * 20_000, "≥" * 50_000, "(" * 50_000 + "1", "\x00\u200b\ufeff" * 1000],
)
def test_never_raises_on_huge_text(text: str) -> None:
    _check_invariants(text)


OP_SPELLINGS = {
    "=": ["=", "＝", "等于", "$=", "$ = "],
    ">=": [">=", "≥", "≧", "=>", "大于等于", "$\\geq ", "$\\ge ", "&ge;"],
    "<=": ["<=", "≤", "≦", "=<", "小于等于", "$\\leq ", "$\\le ", "&le;"],
    ">": [">", "＞", "大于", "$\\gt ", "&gt;"],
    "<": ["<", "＜", "小于", "$\\lt ", "&lt;"],
}
numbers = st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9)
unit_styles = st.sampled_from(["({})", "（{}）", " ({})", "{}", " {}", "$ ({})", "\\{}"])


@given(
    st.sampled_from(sorted(OP_SPELLINGS)).flatmap(lambda op: st.tuples(st.just(op), st.sampled_from(OP_SPELLINGS[op]))),
    numbers,
    st.sampled_from(sorted(KNOWN_UNITS)),
    unit_styles,
)
def test_recovers_generated_targets(spelled_op: tuple[str, str], value: Decimal, unit: str, style: str) -> None:
    op, spelling = spelled_op
    if style == "\\{}" and unit != "%":
        style = "{}"  # only % is escaped in LaTeX
    number = f"{value:f}"
    closing = "$" if spelling.startswith("$") and not style.startswith("$") else ""
    style = style.removeprefix("$") if closing == "" else style
    written = f"{spelling}{number}{closing}{style.format(unit)}"
    t = parse_target(written)
    assert (t.kind, t.op, t.unit, t.inferred) == (Kind.QUANTITATIVE, op, unit, False), written
    assert t.value is not None and t.value.as_tuple() == Decimal(number).as_tuple(), written


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("100"), 2, "100.00"),
        (Decimal("100.00"), 2, "100.00"),
        (Decimal("0.125"), 2, "0.125"),
        (Decimal("90.5"), 2, "90.50"),
        (Decimal("1600"), 2, "1600.00"),
        (Decimal("1.2E+4"), 2, "12000.00"),
        (Decimal("-5"), 2, "-5.00"),
        (Decimal("-0"), 2, "0.00"),
        (Decimal("7"), 0, "7"),
        (Decimal("7.25"), 0, "7.25"),
        (Decimal("0.000001"), 2, "0.000001"),
        (None, 2, None),
    ],
)
def test_format_decimal(value: Decimal | None, places: int, expected: str | None) -> None:
    assert format_decimal(value, places) == expected


@given(numbers)
def test_format_decimal_keeps_the_value(value: Decimal) -> None:
    text = format_decimal(value)
    assert text is not None and Decimal(text) == value and "E" not in text


def test_a_target_is_shown_without_trailing_zeros_beyond_two_places() -> None:
    """A value stored as 20.3500 (a unit conversion, a database's scale) reads as the form writes it."""
    from perftrack.domain.model import Kind, Target

    def shown(value: str) -> str:
        return Target(raw="", op=">=", value=Decimal(value), unit="亿元", kind=Kind.QUANTITATIVE).display()

    assert shown("20.3500") == "≥20.35(亿元)"
    assert shown("20.3000") == "≥20.30(亿元)"
    assert shown("55.00") == "≥55.00(亿元)" and shown("10") == "≥10(亿元)"  # as written, otherwise
    assert shown("0.125") == "≥0.125(亿元)"
    assert format_decimal(Decimal("-0.00")) == "0.00"  # one formatting, no negative zero
