"""Recognising the printed labels of a form in messy text, by the words of :mod:`.vocabulary`.

A label copied out of a PDF may be broken by spaces or line breaks ("绩效 指标",
"服务对象满意度\\n指标"), use full-width or half-width brackets, carry markup, or be decorated:
"*项目名称", "其中：财政拨款", "(一)财政拨款小计", "资金总额:", "实施单位(盖章)", "项目资金(万元)".
Everything is compared in a compact form (NFKC, no whitespace, no markup) with the decorations
taken off; a money unit in brackets is kept aside, because it says how to read the amounts.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from perftrack.domain.levels import level1_group, level2_group, level_label
from perftrack.domain.model import LEVEL1_COST
from perftrack.importers.vocabulary import (
    COLUMN_PATTERNS,
    COLUMN_ROLES,
    COLUMN_SETS,
    FIELD_LABELS,
    FUNDS_ALL_FISCAL,
    FUNDS_BLOCK_LABELS,
    FUNDS_COLUMNS,
    FUNDS_LABELS,
    FUNDS_PATTERNS,
    TABLE_LABEL_PATTERN,
    TABLE_LABELS,
    Field,
    Money,
    Role,
    Scope,
    Set,
)

_MARKUP = re.compile(r"</?(?:p|br|span|div|b|strong|td|tr|th)\b[^>]*>|\*\*|^#+\s*", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
# What decorates a label: a leading *, 其中：, an ordinal (一、 (一) 1. 2、); repeated ("其中:1.中央资金").
_LEAD = re.compile(
    r"^(?:\*+|其中[:：]?|[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]{1,2}[)）]|\d{1,2}[、.．](?!\d))"
)
_MONEY_BRACKET = re.compile(r"[(](?:金额|资金)?(?:单位[:：]?)?(万元|千元|亿元|元)[)]")
_SEAL = re.compile(r"[(](?:盖章|签章|公章|必填)[)]")
_TRAIL = re.compile(r"[:：]+$")
_REMARK = re.compile(r"[(][^()]{1,20}[)]$")


@functools.lru_cache(maxsize=65536)
def compact(text: str) -> str:
    """The text as a label would be compared: NFKC, markup and all whitespace removed."""
    return _SPACE.sub("", _MARKUP.sub("", unicodedata.normalize("NFKC", text)))


@functools.lru_cache(maxsize=65536)
def label_key(text: str) -> tuple[str, str | None]:
    """The label without its decorations, and the money unit its brackets state ("(万元)"), if any."""
    c = compact(text)
    unit = None
    if (m := _MONEY_BRACKET.search(c)) is not None:
        unit = m.group(1)
        c = c[: m.start()] + c[m.end() :]
    c = _TRAIL.sub("", _SEAL.sub("", c))
    while (stripped := _LEAD.sub("", c)) != c:
        c = stripped
    return _TRAIL.sub("", c), unit


class Kind(Enum):
    FIELD = "field"  # a header field: value is a Field
    FUNDS = "funds"  # an amount of the funds block: value is a FundsLabel
    FUNDS_BLOCK = "funds_block"  # 项目资金(元): the block label
    FUNDS_COLUMN = "funds_column"  # 年初预算数, 全年执行数 … (a self-evaluation's funds table)
    TABLE_HEADER = "table_header"  # a column header of the indicator table: value is a Column
    TABLE_LABEL = "table_label"  # 绩效指标: the merged cell over the indicator table
    LEVEL1 = "level1"
    LEVEL2 = "level2"
    LEVEL1_OR_2 = "level1_or_2"  # 成本指标: a level-2 group under outputs, or a level-1 group
    RULE = "rule"  # markdown/ASCII table rule: "--", "| --- |"


@dataclass(frozen=True, slots=True)
class FundsLabel:
    key: str
    money: Money
    scope: Scope
    adds: bool  # several such amounts add up (中央资金 + 市级资金)
    all_fiscal: bool = False  # a total whose label says it is all appropriation (…申请市财政预算资金)


@dataclass(frozen=True, slots=True)
class Column:
    role: Role
    set: Set
    text: str  # the header as printed, compact


_RULE = re.compile(r"^[-=|:+\s]+$")


@functools.lru_cache(maxsize=16384)
def column_of(text: str) -> Column | None:
    """What a column of the indicator table holds, by its header cell; None for an unknown header."""
    return _column(label_key(text)[0])


def _column(key: str) -> Column | None:
    if key in COLUMN_ROLES:
        return Column(COLUMN_ROLES[key], Set.ANNUAL, key)
    for pattern, role in COLUMN_PATTERNS:
        if pattern.match(key):
            return Column(role, Set.ANNUAL, key)
    for pattern, which in COLUMN_SETS:
        bare = pattern.sub("", key)
        if bare != key and bare in COLUMN_ROLES:
            return Column(COLUMN_ROLES[bare], which, key)
    return None


def _funds(key: str) -> FundsLabel | None:
    found = FUNDS_LABELS.get(key)
    if found is None:
        found = next((v for p, v in FUNDS_PATTERNS if p.match(key)), None)
    if found is None:
        return None
    money, scope, adds = found
    return FundsLabel(key, money, scope, adds, all_fiscal=money is Money.TOTAL and bool(FUNDS_ALL_FISCAL.search(key)))


def _level(c: str) -> tuple[Kind, str] | None:
    """A level label as the importer accepts it: a known group whose name ends in 指标 or 值.

    Short stems (满意度, 产出) are level names to scoring, but in a table they are as often an
    indicator's own name ("满意度"), so the importer wants the suffix.
    """
    label = level_label(c)
    bare = re.sub(r"[(][^()]*[)]$", "", label)
    if not bare.endswith(("指标", "值")):
        return None
    one, two = level1_group(label), level2_group(label)
    if one == LEVEL1_COST or (one is None and two == "成本指标"):
        return (Kind.LEVEL1_OR_2, label)
    if one is not None:
        return (Kind.LEVEL1, label)
    if two is not None:
        return (Kind.LEVEL2, label)
    return None


@functools.lru_cache(maxsize=65536)
def classify(text: str) -> tuple[Kind, object] | None:
    """What a cell is if it is a printed label of the form (or table debris); None for content."""
    c = compact(text)
    if not c:
        return None
    if _RULE.match(text.strip()) and ("-" in text or "|" in text):
        return (Kind.RULE, None)
    key, unit = label_key(text)
    if not key:
        return None
    if key not in FIELD_LABELS and (bare := _REMARK.sub("", key)) != key and bare in FIELD_LABELS:
        key = bare  # 项目名称（全称）, 中期滚动目标(2019年--2021年): a remark after a known label
    if key in FIELD_LABELS:
        return (Kind.FIELD, FIELD_LABELS[key])
    if (funds := _funds(key)) is not None:
        return (Kind.FUNDS, funds)
    if key in FUNDS_BLOCK_LABELS:
        return (Kind.FUNDS_BLOCK, unit)
    if (column := _column(key)) is not None:
        return (Kind.TABLE_HEADER, column)
    if key in TABLE_LABELS or TABLE_LABEL_PATTERN.match(key):
        return (Kind.TABLE_LABEL, key)
    if key in FUNDS_COLUMNS:
        return (Kind.FUNDS_COLUMN, FUNDS_COLUMNS[key])
    return _level(c) or (_level(key) if key != c else None)  # (一)产出指标, 一、产出指标


@functools.lru_cache(maxsize=65536)
def money_unit(text: str) -> str | None:
    """The money unit a label's brackets state: "项目资金(万元)" → "万元"; None when it states none."""
    return label_key(text)[1]


def is_level(label: tuple[Kind, object] | None) -> bool:
    return label is not None and label[0] in (Kind.LEVEL1, Kind.LEVEL2, Kind.LEVEL1_OR_2)


__all__ = [
    "Column",
    "Field",
    "FundsLabel",
    "Kind",
    "classify",
    "column_of",
    "compact",
    "is_level",
    "label_key",
    "money_unit",
]
