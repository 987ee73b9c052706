"""The same forms in every text layout real sheets arrive in read the same, and money is never silently wrong.

The layouts are those of ``tests/data/real_forms`` (web tables as pipe rows, as cells ending in
"|", as paragraphs; rows split by spaces), written from the seed's forms by
``tests/support/web_layouts.py``. Money: the unit is found wherever a form states it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from perftrack.domain.serialize import declaration_to_dict
from perftrack.importers.form_text import import_text, parse_forms
from tests.support.web_layouts import LAYOUTS, web_text

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"
NOTICE = "当前位置: 首页 > 政务公开 > 预决算\n发布时间:2024-03-01  来源:本单位  浏览次数:128\n附件:\n"


@pytest.fixture(scope="module")
def seed():
    return import_text(SEED).declarations


def as_json(decls, *, spaces: bool) -> list[dict]:
    out = [declaration_to_dict(d) for d in decls]
    if not spaces:  # rows split by spaces cannot keep a space inside a target ("=100.00 (%)")
        for project in out:
            for ind in project["indicators"]:
                ind["target"]["raw"] = re.sub(r"\s+", "", ind["target"]["raw"])
    return out


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_seed_form_reads_the_same_in_every_web_layout(seed, layout):
    text = web_text(list(seed), layout, preamble=NOTICE)
    result = parse_forms(text, "page.txt")
    assert not result.errors, [p.message for p in result.errors]
    spaces = layout != "space_rows"
    assert as_json(result.declarations, spaces=spaces) == as_json(seed, spaces=spaces)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_problem_names_the_line_of_the_cell(seed, layout):
    form = next(d for d in seed if d.name == "科技成果转化及相关政策服务工作")  # one target is missing
    text = web_text([form], layout)
    result = parse_forms(text, "page.txt")
    (missing,) = [p for p in result.problems if p.code == "missing-target"]
    assert "高转项目管理规范性" in text.split("\n")[missing.line - 1]


# -- money ------------------------------------------------------------------------------------------

FORM = """项目支出绩效目标表
（2025年度）
项目名称\t道路养护
主管部门\t交通局
实施单位\t养护中心
{funds}
一级指标\t二级指标\t三级指标\t指标值
产出指标\t数量指标\t养护里程\t≥300公里
"""


def funds_of(funds: str):
    result = parse_forms(FORM.format(funds=funds), "form.txt")
    (decl,) = result.declarations
    return decl.funds, result.problems


@pytest.mark.parametrize(
    "funds",
    [
        "项目资金（万元）\t年度资金总额\t854\t其中：财政拨款\t854",  # in the block's label
        "项目资金\n（万元）\t年度资金总额\t854\t其中：财政拨款\t854",  # the label on two lines
        "资金情况 (万元)\t年度资金总额\t854\t其中：财政拨款\t854",
        "单位：万元\n年度资金总额\t854\t其中：财政拨款\t854",  # a note above the block
        "金额单位：万元\n年度资金总额\t854\t其中：财政拨款\t854",
        "年度资金总额（万元）\t854\t其中：财政拨款（万元）\t854",  # in each amount's own label
        "年度资金总额\t854万\t其中：财政拨款\t854万元",  # with the amount itself
        "项目资金\t金额(万元)\n年度资金总额\t854\t其中：财政拨款\t854",  # in a column header
    ],
)
def test_amounts_in_wan_are_kept_in_yuan_wherever_the_unit_is_stated(funds):
    read, problems = funds_of(funds)
    assert read.annual_total == Decimal("8540000.00") and read.annual_appropriation == Decimal("8540000.00")
    assert not any(p.code == "funds-unit-assumed" for p in problems)


def test_an_amount_in_wan_beside_a_label_in_yuan_keeps_its_own_unit():
    read, _ = funds_of("项目资金（元）\t年度资金总额\t10000万元")
    assert read.annual_total == Decimal("100000000.00")


def test_amounts_with_no_unit_anywhere_are_read_as_yuan_with_a_warning():
    read, problems = funds_of("年度资金总额\t854\t其中：财政拨款\t854")
    assert read.annual_total == Decimal("854.00")
    (warning,) = [p for p in problems if p.code == "funds-unit-assumed"]
    assert warning.severity == "warning" and "854" in warning.message and "元" in warning.message
    assert warning.line == 6  # the amount's line


def test_an_amount_followed_by_the_next_label_on_its_line_gives_both():
    text = FORM.format(funds="项目资金（元）\n年度资金申请总额\n771,325,800.00 其中：当年财政拨款\n771,325,800.00")
    one_a_line = "\n".join(cell for line in text.split("\n") for cell in line.split("\t"))
    (decl,) = parse_forms(one_a_line, "form.txt").declarations
    assert decl.funds.annual_total == Decimal("771325800.00")
    assert decl.funds.annual_appropriation == Decimal("771325800.00")


def test_the_year_from_titles_of_every_form():
    for title, year in [
        ("项目支出绩效目标表\n（2026年度）", 2026),
        ("2025年项目支出绩效目标申报表", 2025),
        ("2023年云雾乡加工园配套设施建设项目支出绩效目标审批表", 2023),
        ("东莞市财政项目支出绩效目标批复表\n( 2019 年度)", 2019),
        ("项目绩效目标表\n(2021年)", 2021),
    ]:
        text = FORM.format(funds="单位：万元\n年度资金总额\t1").replace("项目支出绩效目标表\n（2025年度）", title)
        (decl,) = parse_forms(text, "form.txt").declarations
        assert decl.year == year, title


def test_a_year_only_from_the_dates_is_said():
    text = FORM.format(funds="单位：万元\n项目起止时间\t202301-202312").replace("（2025年度）\n", "")
    result = parse_forms(text, "form.txt")
    (decl,) = result.declarations
    assert decl.year == 2023 and (decl.start.isoformat(), decl.end.isoformat()) == ("2023-01-01", "2023-12-31")
    (p,) = [p for p in result.problems if p.code == "missing-year"]
    assert p.severity == "warning" and "2023" in p.message
