"""The text importer against the seed: 13 real forms as published, and the same forms in other layouts."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perftrack.domain.model import Kind
from perftrack.domain.serialize import declaration_to_dict
from perftrack.importers.form_text import import_text, parse_forms
from tests.support.layouts import one_cell_per_line

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed():
    return import_text(SEED)


def by_name(result, name):
    return next(d for d in result.declarations if d.name == name)


def test_all_13_projects_and_195_indicator_rows(seed):
    assert len(seed.declarations) == 13
    assert sum(len(d.indicators) for d in seed.declarations) == 195
    assert [len(d.indicators) for d in seed.declarations] == [5, 5, 17, 10, 5, 9, 27, 22, 22, 32, 27, 5, 9]
    assert not seed.errors


def test_every_indicator_has_both_levels(seed):
    for d in seed.declarations:
        for ind in d.indicators:
            assert ind.level1 in ("产出指标", "效益指标", "满意度指标"), (d.name, ind.name)
            assert ind.level2, (d.name, ind.name)


def test_header_fields_of_a_form(seed):
    d = by_name(seed, "信息化运维项目")
    assert (d.year, d.nature, d.category) == (2024, "其他经常性项目", "其他运转类")
    assert (d.department, d.unit) == ("上海市科学技术委员会", "上海市科技创新中心")
    assert (d.start.isoformat(), d.end.isoformat()) == ("2024-01-01", "2024-12-31")
    assert d.funds.annual_total == Decimal("903080.00")
    assert d.funds.annual_appropriation == Decimal("903080.00")
    assert d.funds.annual_carryover == Decimal("0.00")
    assert d.funds.project_total is None
    assert d.annual_goal.startswith("根据上级单位文件精神")
    assert d.project_goal is None


def test_first_form_belongs_to_its_own_unit(seed):
    d = seed.declarations[0]
    assert d.name == "孵化基地运营及创业孵化服务支出"
    assert d.unit == "上海市科技创业中心"
    assert d.funds.annual_other == Decimal("5900000.00")


def test_carry_over_funds(seed):
    d = by_name(seed, "历年结余科研项目支出")
    assert d.funds.annual_carryover == Decimal("1200000.00")
    assert d.funds.annual_appropriation == Decimal("0.00")


def test_labels_in_wrong_columns_and_on_later_rows(seed):
    # 创业孵化基地运行保障: six rows precede the row that carries 产出指标 / 数量指标
    d = by_name(seed, "创业孵化基地运行保障")
    first = d.indicators[0]
    assert (first.name, first.level1, first.level2) == ("物业管理服务完成率", "产出指标", "数量指标")
    # 开展科技金融工作及服务: 生态效益指标 sits in the level-1 column
    d = by_name(seed, "开展科技金融工作及服务")
    eco = next(i for i in d.indicators if i.name == "配套设施完善程度")
    assert (eco.level1, eco.level2) == ("效益指标", "生态效益指标")
    # 全市创业载体服务体系建设: a page break repeats 产出指标 alone; the level-2 group goes on
    d = by_name(seed, "全市创业载体服务体系建设")
    ind = next(i for i in d.indicators if i.name == "孵化器管理人员培训参培人员")
    assert (ind.level1, ind.level2) == ("产出指标", "数量指标")


def test_targets_in_latex_and_prose(seed):
    d = by_name(seed, "科技创新创业服务体系建设")
    t = d.indicators[0].target
    assert (t.raw, t.op, t.value, t.unit) == ("$\\geq 50.00$ (%)", ">=", Decimal("50.00"), "%")
    d = by_name(seed, "国际孵化器活动及工作")
    t = next(i for i in d.indicators if i.name == "本地跨境业务社群协同力").target
    assert (t.op, t.value, t.unit, t.inferred, t.kind) == (">=", Decimal("10"), "家", True, Kind.QUANTITATIVE)
    t = next(i for i in d.indicators if i.name == "项目执行周期和进度").target
    assert t.kind is Kind.QUALITATIVE and t.op is None and t.raw == "每个项目均须预算期内执行完毕"


def test_reverse_and_money_targets(seed):
    d = by_name(seed, "开展科技金融工作及服务")
    t = next(i for i in d.indicators if i.name == "科技金融产品年贷款额").target
    assert (t.op, t.value, t.unit) == (">=", Decimal("55.00"), "亿元")
    d = by_name(seed, "信息化建设项目")
    t = next(i for i in d.indicators if i.name == "功能响应时间").target
    assert (t.op, t.value, t.unit) == ("<=", Decimal("2.00"), "秒")


def test_problems_found_in_the_seed_name_file_and_line(seed):
    found = {(p.code, p.line) for p in seed.problems}
    assert ("missing-target", 347) in found
    assert ("repeated-row", 263) in found
    assert ("repeated-text", 266) in found
    assert ("repeated-text", 267) in found
    assert all(p.file == str(SEED) for p in seed.problems)


def test_repeated_text_collapsed_but_kept_visible(seed):
    d = by_name(seed, "全市创业载体服务体系建设")
    names = [i.name for i in d.indicators]
    assert "孵化器管理人员培训课程满意度" in names
    # a row the form repeats is kept (the user decides), and reported
    assert names.count("提高孵化载体在全过程创新、全要素集聚、全链条加速等方面的作用成效") == 2


def test_missing_target_keeps_the_indicator(seed):
    d = by_name(seed, "科技成果转化及相关政策服务工作")
    ind = next(i for i in d.indicators if i.name == "高转项目管理规范性")
    assert ind.target.raw == "" and ind.level2 == "质量指标"


def test_goal_paragraphs_without_markup(seed):
    d = by_name(seed, "创新创业服务能力建设")
    assert "<p>" not in d.annual_goal and d.annual_goal.count("\n") == 4
    d = by_name(seed, "创业孵化基地运行保障")  # both goals written in one cell, each labelled
    assert d.project_goal.startswith("通过项目实施，确保孵化基地")
    assert d.annual_goal.startswith("根据基地实际需求")


def _comparable(result):
    out = json.loads(json.dumps([declaration_to_dict(d) for d in result.declarations], ensure_ascii=False))
    # line numbers differ between layouts by nature; everything else must not
    problems = sorted((p.code, re.sub(r"第 \d+ 行", "", p.message)) for p in result.problems)
    return out, problems


@pytest.mark.parametrize("width", [None, 60, 40, 30])
def test_one_cell_per_line_layout_gives_the_same_result(seed, width):
    alt = parse_forms(one_cell_per_line(SEED_TEXT, width), "seed.txt")
    base = parse_forms(SEED_TEXT, "seed.txt")
    assert _comparable(alt) == _comparable(base)


def test_gbk_copy_reads_the_same(tmp_path, seed):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(SEED_TEXT.encode("gb18030"))
    result = import_text(gbk)
    assert [declaration_to_dict(d) for d in result.declarations] == [declaration_to_dict(d) for d in seed.declarations]
    assert any(p.code == "encoding" for p in result.problems)


def test_crlf_line_endings(tmp_path, seed):
    f = tmp_path / "crlf.txt"
    f.write_bytes(SEED_TEXT.replace("\n", "\r\n").encode("utf-8-sig"))
    assert len(import_text(f).declarations) == 13


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "空的"),
        (b"   \n\n", "空的"),
        (bytes(range(256)) * 4, "二进制"),
        ("随便写的一段文字，没有表格。".encode(), "没有找到申报表"),
        ("随便写的一段文字".encode("utf-16"), "没有找到申报表"),
    ],
)
def test_bad_files_are_refused_with_the_file_name(tmp_path, content, fragment):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    result = import_text(f)
    assert not result.declarations
    assert result.errors and fragment in result.errors[0].message and str(f) in result.errors[0].message


def test_latin1_mojibake_is_never_stored(tmp_path):
    f = tmp_path / "weird.txt"
    f.write_bytes("项目名称\tx".encode()[:-1] + b"\xff\xfe\x80")
    result = import_text(f)
    assert not result.declarations and result.errors


def test_form_cut_off_before_its_table_keeps_its_header_with_a_warning(tmp_path):
    # Published sheets are often cut off (a web page's excerpt, a truncated preview): the header still
    # names the project, its unit and its funds, so it is read, and the missing table is said plainly.
    cut = SEED_TEXT.split("\n")[:17]  # first form, up to its goals
    f = tmp_path / "cut.txt"
    f.write_text("\n".join(cut), encoding="utf-8")
    result = import_text(f)
    problem = next(p for p in result.problems if p.code == "no-indicator-table")
    assert problem.severity == "warning" and "孵化基地运营及创业孵化服务支出" in problem.message
    assert not result.errors
    (d,) = result.declarations
    assert (d.name, d.year, d.funds.annual_total, d.indicators) == (
        "孵化基地运营及创业孵化服务支出",
        2024,
        Decimal("5900000.00"),
        [],
    )


def test_form_cut_off_inside_its_table_keeps_what_is_there(tmp_path):
    cut = SEED_TEXT.split("\n")[:21]
    f = tmp_path / "cut.txt"
    f.write_text("\n".join(cut), encoding="utf-8")
    result = import_text(f)
    assert [i.name for i in result.declarations[0].indicators] == [
        "后勤保障服务完成率",
        "设备质量达标率",
        "完成及时性",
    ]


def test_funds_that_do_not_add_up_are_reported(tmp_path):
    text = SEED_TEXT.split("\n")[:24]
    text[14] = text[14].replace("5,900,000.00", "5,800,000.00")  # 其他资金 of the first form
    result = parse_forms("\n".join(text), "f.txt")
    p = next(p for p in result.problems if p.code == "funds-mismatch")
    assert "5,900,000.00" in p.message and "100,000.00" in p.message and p.line == 12


def test_year_from_title_not_dates():
    text = SEED_TEXT.split("\n")[:24]
    text[6] = "(2025年度)"
    text[10] = text[10].replace("2024-01-01", "2024/1/1")
    result = parse_forms("\n".join(text), "f.txt")
    d = result.declarations[0]
    assert d.year == 2025 and d.start.isoformat() == "2024-01-01"


def test_many_forms(tmp_path):
    body = SEED_TEXT.split("\n## 财政项目支出绩效目标申报表", 1)[1]
    forms = "\n".join(
        ("## 财政项目支出绩效目标申报表" + body).replace("信息化运维项目", f"信息化运维项目{i}") for i in range(40)
    )
    result = parse_forms(forms, "many.txt")
    assert len(result.declarations) == 40 * 13
    assert len({d.name for d in result.declarations}) == 12 + 40  # only one name varies


_FORM_BITS = st.sampled_from(
    [
        "\t",
        "\n",
        "项目名称",
        "绩效目标申报表",
        "(2024年度)",
        "一级指标",
        "三级指标",
        "产出指标",
        "数量指标",
        "≥90(%)",
        "年度资金申请总额",
        "其他资金",
        "1,000.00",
        "服务对象满意度",
        "指标",
        "<p>",
        "|",
        "#",
        "提升",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_FORM_BITS, st.text(max_size=8)), max_size=60))
def test_parse_forms_never_raises(parts):
    result = parse_forms("".join(parts), "fuzz.txt")
    for d in result.declarations:
        assert d.name
        for ind in d.indicators:
            assert ind.name is not None and ind.target.raw is not None


def test_a_few_equally_wide_cells_are_not_taken_for_wrapping():
    from perftrack.importers.form_text import _wrap_width
    from perftrack.importers.indicator_table import NO_WRAP

    # one unwrapped form: four cells happen to be 24 columns wide, others spread just below
    widths = [24] * 4 + [22] * 3 + [21] + [20] * 3 + [18] * 4 + [16] * 15 + [12] * 13
    lines = ["字" * (w // 2) for w in widths]
    assert _wrap_width(lines) == NO_WRAP
    # the same cells wrapped at 30 columns by a narrow PDF column pile up at 29-30
    wrapped = one_cell_per_line(SEED_TEXT, 30).split("\n")
    assert _wrap_width(wrapped) == 30
