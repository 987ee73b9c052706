"""The printed labels of the declaration form, and how to recognise them in messy text.

A label copied out of a PDF may be broken by spaces or line breaks ("绩效 指标",
"服务对象满意度\\n指标"), use full-width or half-width brackets, or carry markup. Everything is
compared in a compact form: NFKC, no whitespace, no markup.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from enum import Enum

from perftrack.domain.model import LEVEL1_NAMES, LEVEL2_NAMES

_MARKUP = re.compile(r"</?(?:p|br|span|div|b|strong|td|tr|th)\b[^>]*>|\*\*|^#+\s*", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=65536)
def compact(text: str) -> str:
    """The text as a label would be compared: NFKC, markup and all whitespace removed."""
    return _SPACE.sub("", _MARKUP.sub("", unicodedata.normalize("NFKC", text)))


class Field(Enum):
    NAME = "name"
    NATURE = "nature"
    CATEGORY = "category"
    DEPARTMENT = "department"
    UNIT = "unit"
    START = "start"
    END = "end"
    FUNDS_BLOCK = "funds_block"  # 项目资金(元): the block label, carries the money unit
    PROJECT_TOTAL = "project_total"
    PROJECT_FISCAL = "project_fiscal"
    OTHER_FUNDS = "other_funds"  # printed twice: project column first, annual column second
    PROJECT_OTHER = "project_other"
    ANNUAL_OTHER = "annual_other"
    ANNUAL_TOTAL = "annual_total"
    ANNUAL_APPROPRIATION = "annual_appropriation"
    ANNUAL_CARRYOVER = "annual_carryover"
    GOALS_BLOCK = "goals_block"  # 项目绩效目标
    PROJECT_GOAL = "project_goal"
    ANNUAL_GOAL = "annual_goal"
    IGNORED = "ignored"  # fields we read past: 项目负责人, 联系电话 …


_FIELD_LABELS: dict[str, Field] = {
    "项目名称": Field.NAME,
    "项目性质": Field.NATURE,
    "项目类别": Field.CATEGORY,
    "项目类型": Field.CATEGORY,
    "主管部门": Field.DEPARTMENT,
    "主管部门及代码": Field.DEPARTMENT,
    "实施单位": Field.UNIT,
    "项目实施单位": Field.UNIT,
    "计划开始日期": Field.START,
    "项目开始日期": Field.START,
    "计划完成日期": Field.END,
    "项目完成日期": Field.END,
    "计划结束日期": Field.END,
    "项目资金总额": Field.PROJECT_TOTAL,
    "其中:财政资金": Field.PROJECT_FISCAL,
    "财政资金": Field.PROJECT_FISCAL,
    "其他资金": Field.OTHER_FUNDS,
    "年度资金申请总额": Field.ANNUAL_TOTAL,
    "年度资金总额": Field.ANNUAL_TOTAL,
    "其中:当年财政拨款": Field.ANNUAL_APPROPRIATION,
    "当年财政拨款": Field.ANNUAL_APPROPRIATION,
    "上年结转资金": Field.ANNUAL_CARRYOVER,
    "其中:上年结转资金": Field.ANNUAL_CARRYOVER,
    "项目绩效目标": Field.GOALS_BLOCK,
    "绩效目标": Field.GOALS_BLOCK,
    "项目总目标": Field.PROJECT_GOAL,
    "项目总体目标": Field.PROJECT_GOAL,
    "年度总体目标": Field.ANNUAL_GOAL,
    "年度绩效目标": Field.ANNUAL_GOAL,
    "项目负责人": Field.IGNORED,
    "联系电话": Field.IGNORED,
    "联系人": Field.IGNORED,
}
_FUNDS_BLOCK = re.compile(r"^项目资金(?:\((元|万元)\))?$")

# Cells of the indicator table's header row, repeated after a page break.
_TABLE_HEADER = {
    "一级指标",
    "二级指标",
    "三级指标",
    "指标值",
    "年度指标值",
    "项目指标值",
    "年度(/项目)指标值",
    "年度(项目)指标值",
    "年度/项目指标值",
    "指标名称",
}
TABLE_START = {"一级指标", "三级指标"}
# The merged cell spanning the whole indicator table.
_TABLE_LABEL = {"绩效指标", "项目绩效指标"}

LEVEL1 = frozenset(LEVEL1_NAMES)
LEVEL2 = frozenset(LEVEL2_NAMES)


class Kind(Enum):
    FIELD = "field"
    FUNDS_BLOCK = "funds_block"
    TABLE_HEADER = "table_header"
    TABLE_LABEL = "table_label"
    LEVEL1 = "level1"
    LEVEL2 = "level2"
    LEVEL1_OR_2 = "level1_or_2"  # 成本指标: a level-2 group under outputs, or a level-1 group
    RULE = "rule"  # markdown/ASCII table rule: "--", "| --- |"


_RULE = re.compile(r"^[-=|:+\s]+$")

_ALL_LABELS: set[str] = (
    set(_FIELD_LABELS) | _TABLE_HEADER | _TABLE_LABEL | LEVEL1 | LEVEL2 | {"项目资金(元)", "项目资金(万元)"}
)


def classify(text: str) -> tuple[Kind, object] | None:
    """What a cell is if it is a printed label of the form (or table debris); None for content."""
    c = compact(text)
    if not c:
        return None
    if _RULE.match(text.strip()) and ("-" in text or "|" in text):
        return (Kind.RULE, None)
    if c in _FIELD_LABELS:
        return (Kind.FIELD, _FIELD_LABELS[c])
    m = _FUNDS_BLOCK.match(c)
    if m:
        return (Kind.FUNDS_BLOCK, m.group(1) or "元")
    if c in _TABLE_HEADER:
        return (Kind.TABLE_HEADER, c)
    if c in _TABLE_LABEL:
        return (Kind.TABLE_LABEL, c)
    if c == "成本指标":
        return (Kind.LEVEL1_OR_2, c)
    if c in LEVEL1:
        return (Kind.LEVEL1, c)
    if c in LEVEL2:
        return (Kind.LEVEL2, c)
    return None
