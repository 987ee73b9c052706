"""Importer for declaration forms as text copied out of published PDF or Word files.

One file may hold many forms, each starting with the title 财政项目支出绩效目标申报表 and its
budget year "(2024年度)". The header fields are read as label → value pairs in reading order,
which works the same whether the cells come tab-separated or one per line; the indicator table
is left to :mod:`perftrack.importers.indicator_table`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

from perftrack.domain.model import Declaration, Funds, ImportResult, Problem, Severity, SourceRef
from perftrack.importers.indicator_table import NO_WRAP, TableReader, target_strength
from perftrack.importers.labels import TABLE_START, Field, Kind, classify, compact
from perftrack.importers.text_decode import DecodeError, read_text
from perftrack.importers.tokens import Token, display_width, is_tabbed, tokenize

TITLE = "绩效目标申报表"
_YEAR = re.compile(r"[(（]\s*(\d{4})\s*年度?\s*[)）]|(\d{4})\s*年度")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_AMOUNT = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?$")
_BLANK_AMOUNT = {"", "-", "—", "–", "——", "/", "无"}
_PARAGRAPH = re.compile(r"</p>\s*<p[^>]*>|<br\s*/?>|</?p[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]{1,40}>")
_GOAL_PREFIX = re.compile(r"^(项目总体目标|项目总目标|总体目标|年度总体目标|年度目标)\s*[:：]\s*")


def import_text(path: Path) -> ImportResult:
    """Read every declaration form in a text file; problems carry the file and line."""
    result = ImportResult()
    name = str(path)
    try:
        text, encoding = read_text(path, must_contain=(TITLE, "项目名称"))
    except DecodeError as exc:
        result.problems.append(Problem(name, None, str(exc), Severity.ERROR, "unreadable"))
        return result
    if encoding != "utf-8":
        result.problems.append(Problem(name, None, f"文件按 {encoding.upper()} 编码读入", Severity.INFO, "encoding"))
    return parse_forms(text, name, result)


def parse_forms(text: str, file: str, result: ImportResult | None = None) -> ImportResult:
    """Parse the forms in ``text``; ``file`` names the source in problems."""
    result = result or ImportResult()
    lines = text.split("\n")
    starts = _form_starts(lines)
    if not starts:
        result.problems.append(
            Problem(
                file,
                None,
                "没有找到申报表：文件中没有“项目名称”或“绩效目标申报表”",
                Severity.ERROR,
                "no-form",
            )
        )
        return result
    wrap_width = _wrap_width(lines)
    for idx, start in enumerate(starts):
        end = starts[idx + 1] if idx + 1 < len(starts) else len(lines)
        decl = _FormReader(lines[start:end], start + 1, file, wrap_width, result.problems).read()
        if decl is not None:
            result.declarations.append(decl)
    return result


def _form_starts(lines: list[str]) -> list[int]:
    """Indexes where forms begin: each title line, or each 项目名称 when there are no titles."""
    titles = [i for i, ln in enumerate(lines) if TITLE in compact(ln) and "汇总" not in ln]
    names = [i for i, ln in enumerate(lines) if compact(ln).startswith("项目名称")]
    if titles:
        # a 项目名称 with no title since the previous 项目名称 starts a form of its own
        # (its title was lost in copying)
        starts = set(titles)
        for prev_name, n in zip([-1, *names], names, strict=False):
            if bisect.bisect_right(titles, n) == bisect.bisect_right(titles, prev_name):
                starts.add(n)
        return sorted(starts)
    return names


def _wrap_width(lines: list[str]) -> int:
    """The width at which a one-cell-per-line file wrapped long cells, or a huge number.

    A tool that wraps at W columns leaves many lines W or W-1 wide (CJK characters are two
    columns) and almost none wider: a spike at the top of the widths, taller than the few
    columns just below it. A file that does not wrap has no such spike; a handful of cells that
    happen to share the widest width are not one.
    """
    widths = Counter(
        display_width(s)
        for ln in lines
        if (s := ln.strip()) and "\t" not in ln and not s.startswith("#") and TITLE not in s
    )
    for v in sorted((w for w in widths if 8 <= w < 200), reverse=True):
        near = widths[v] + widths.get(v - 1, 0)
        above = sum(n for w, n in widths.items() if v < w < 200)
        if above > 2:
            break
        just_below = sum(widths.get(w, 0) for w in range(v - 5, v - 1))
        if near >= 3 and near >= just_below:
            return v
    return NO_WRAP


class _FormReader:
    def __init__(self, lines: list[str], first_line: int, file: str, wrap_width: int, problems: list[Problem]):
        self.lines = lines
        self.first_line = first_line
        self.file = file
        self.problems = problems
        self.tabbed = is_tabbed(lines)
        self.wrap_width = NO_WRAP if self.tabbed else wrap_width
        self.lines_of: dict[Field, int] = {}  # where each header value was read

    def problem(self, line: int | None, message: str, severity: Severity = Severity.WARNING, code: str = "") -> None:
        self.problems.append(Problem(self.file, line, message, severity, code))

    def read(self) -> Declaration | None:
        tokens = tokenize(self.lines, self.first_line)
        year, year_line = self._year()
        split = next((i for i, t in enumerate(tokens) if compact(t.text) in TABLE_START), len(tokens))
        values, goal_tokens, funds_unit = self._fields(tokens[:split])
        name = values.get(Field.NAME, "")
        where = SourceRef(self.file, self.first_line)
        if not name:
            self.problem(self.first_line, "申报表缺少项目名称，整张表未读入", Severity.ERROR, "missing-name")
            return None
        decl = Declaration(name=name, source=where)
        decl.nature = values.get(Field.NATURE) or None
        decl.category = values.get(Field.CATEGORY) or None
        decl.department = values.get(Field.DEPARTMENT) or None
        decl.unit = values.get(Field.UNIT) or None
        decl.start = self._date(values, Field.START, "计划开始日期")
        decl.end = self._date(values, Field.END, "计划完成日期")
        decl.year = year
        if year is None:
            fallback = decl.start.year if decl.start else None
            self.problem(
                year_line or self.first_line,
                f"项目“{name}”的申报表标题中没有预算年度（如“(2024年度)”）"
                + (f"，按计划开始日期取 {fallback} 年" if fallback else "，无法确定年度"),
                Severity.WARNING if fallback else Severity.ERROR,
                "missing-year",
            )
            decl.year = fallback
        decl.funds = self._funds(values, funds_unit, name)
        decl.project_goal, decl.annual_goal = self._goals(goal_tokens, name)
        if split == len(tokens):
            self.problem(self.first_line, f"项目“{name}”的申报表中没有绩效指标表", Severity.ERROR, "no-indicator-table")
            return decl
        table = TableReader(tokens[split:], tabbed=self.tabbed, wrap_width=self.wrap_width, file=self.file)
        decl.indicators = table.read()
        self.problems.extend(table.problems)
        if not decl.indicators:
            self.problem(tokens[split].line, f"项目“{name}”的绩效指标表是空的", Severity.ERROR, "no-indicators")
        return decl

    def _year(self) -> tuple[int | None, int | None]:
        for offset, ln in enumerate(self.lines[:6]):
            m = _YEAR.search(ln)
            if m and (TITLE in compact(ln) or compact(ln).startswith(("(", "（")) or offset > 0):
                return int(m.group(1) or m.group(2)), self.first_line + offset
        return None, None

    def _fields(self, tokens: list[Token]) -> tuple[dict[Field, str], dict[Field, list[Token]], str]:
        """Label → value text for the header; goal cells kept as tokens (they need columns)."""
        values: dict[Field, str] = {}
        goals: dict[Field, list[Token]] = {Field.PROJECT_GOAL: [], Field.ANNUAL_GOAL: []}
        funds_unit = "元"
        current: Field | None = None
        other_seen = 0
        goal_cols: dict[Field, tuple[int, int]] = {}  # field -> (line, col) of its label
        for tok in tokens:
            label = classify(tok.text)
            if label is not None:
                kind, value = label
                if kind is Kind.FIELD:
                    assert isinstance(value, Field)
                    current = value
                    if value is Field.OTHER_FUNDS:
                        # printed twice: the project column's first, the annual column's second
                        other_seen += 1
                        current = Field.PROJECT_OTHER if other_seen == 1 else Field.ANNUAL_OTHER
                    if value in goals:
                        goal_cols[value] = (tok.line, tok.col)
                elif kind is Kind.FUNDS_BLOCK:
                    funds_unit = str(value)
                    current = None
                continue
            if TITLE in compact(tok.text) or _YEAR.fullmatch(compact(tok.text)):
                continue
            if current in goals or (current is Field.GOALS_BLOCK and goals):
                goals[self._goal_field(tok, current, goal_cols)].append(tok)
            elif current is not None and current is not Field.IGNORED:
                values[current] = values.get(current, "") + tok.text.strip()
                self.lines_of.setdefault(current, tok.line)
        return values, goals, funds_unit

    def _goal_field(self, tok: Token, current: Field | None, cols: dict[Field, tuple[int, int]]) -> Field:
        """Which goal a cell belongs to: by column when both labels sit on one tab row."""
        p, a = cols.get(Field.PROJECT_GOAL), cols.get(Field.ANNUAL_GOAL)
        if self.tabbed and p and a and p[0] == a[0] and tok.line != a[0]:
            return Field.ANNUAL_GOAL if tok.col >= a[1] else Field.PROJECT_GOAL
        return current if current in (Field.PROJECT_GOAL, Field.ANNUAL_GOAL) else Field.ANNUAL_GOAL

    def _date(self, values: dict[Field, str], fld: Field, label: str) -> dt.date | None:
        text = values.get(fld, "")
        date = parse_date(text)
        if text and date is None:
            self.problem(self.lines_of.get(fld), f"{label}“{text}”不是有效日期", Severity.WARNING, "bad-date")
        return date

    def _funds(self, values: dict[Field, str], unit: str, name: str) -> Funds:
        factor = Decimal(10000) if unit == "万元" else Decimal(1)
        funds = Funds()
        for fld in _FUND_FIELDS:
            try:
                setattr(funds, fld.value, parse_amount(values.get(fld, ""), factor))
            except ValueError as exc:
                self.problem(self.lines_of.get(fld), f"项目“{name}”的{exc}", Severity.WARNING, "bad-amount")
        mismatch = funds_mismatch(funds, name)
        if mismatch is not None:
            line = self.lines_of.get(Field.ANNUAL_TOTAL, self.first_line)
            self.problem(line, mismatch, Severity.WARNING, "funds-mismatch")
        if funds.project_total is not None and (funds.project_fiscal is not None or funds.project_other is not None):
            parts = (funds.project_fiscal or 0) + (funds.project_other or 0)
            if parts != funds.project_total:
                self.problem(
                    self.lines_of.get(Field.PROJECT_TOTAL, self.first_line),
                    f"项目“{name}”的项目资金总额 {funds.project_total:,.2f} 元不等于财政资金与其他资金之和 "
                    f"{parts:,.2f} 元",
                    Severity.WARNING,
                    "funds-mismatch",
                )
        return funds

    def _goals(self, goals: dict[Field, list[Token]], name: str) -> tuple[str | None, str | None]:
        project = clean_goal("".join(t.text for t in goals[Field.PROJECT_GOAL]))
        annual = clean_goal("".join(t.text for t in goals[Field.ANNUAL_GOAL]))
        if not project and annual:
            paragraphs = annual.split("\n")
            heads = [_GOAL_PREFIX.match(p) for p in paragraphs]
            if (
                len(paragraphs) >= 2
                and heads[0]
                and heads[0].group(1) != "年度总体目标"
                and any(h and h.group(1) == "年度总体目标" for h in heads[1:])
            ):
                cut = next(i for i, h in enumerate(heads) if i and h and h.group(1) == "年度总体目标")
                project = "\n".join(_GOAL_PREFIX.sub("", p) for p in paragraphs[:cut])
                annual = "\n".join(_GOAL_PREFIX.sub("", p, count=1) for p in paragraphs[cut:])
                line = goals[Field.ANNUAL_GOAL][0].line
                self.problem(
                    line,
                    f"项目“{name}”的年度总体目标栏中同时写了项目总目标，已分开读入",
                    Severity.INFO,
                    "goal-split",
                )
        return project or None, annual or None


_FUND_FIELDS = (
    Field.PROJECT_TOTAL,
    Field.PROJECT_FISCAL,
    Field.PROJECT_OTHER,
    Field.ANNUAL_TOTAL,
    Field.ANNUAL_APPROPRIATION,
    Field.ANNUAL_CARRYOVER,
    Field.ANNUAL_OTHER,
)


def parse_date(text: str) -> dt.date | None:
    """A date written 2024-03-01, 2024/3/1, 2024.3.1 or 2024年3月1日; None for anything else."""
    m = _DATE.search(text)
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    except ValueError:  # 2024-02-30
        return None


def parse_amount(text: str, factor: Decimal = Decimal(1)) -> Decimal | None:
    """A form's amount ("1,234.5") times ``factor`` (10000 for 万元), to the cent; None for a blank.

    Anything else raises ValueError whose message, "资金“…”不是金额", names the text.
    """
    text = text.replace(" ", "").replace("，", ",")
    if text in _BLANK_AMOUNT:
        return None
    if not _AMOUNT.match(text):
        raise ValueError(f"资金“{text}”不是金额")
    return (Decimal(text.replace(",", "")) * factor).quantize(Decimal("0.01"))


def funds_mismatch(funds: Funds, name: str) -> str | None:
    """The warning when 年度资金申请总额 is not the sum of its three parts, else None."""
    diff = funds.annual_sum_mismatch()
    if diff is None:
        return None
    return (
        f"项目“{name}”的年度资金申请总额 {funds.annual_total:,.2f} 元不等于当年财政拨款、上年结转资金与"
        f"其他资金之和 {funds.annual_parts_sum():,.2f} 元（相差 {diff:,.2f} 元）"
    )


def clean_goal(text: str) -> str:
    """Goal text without conversion markup; paragraphs on their own lines."""
    text = _PARAGRAPH.sub("\n", text)
    text = _TAG.sub("", text)
    paragraphs = [re.sub(r"[ \t\u3000]+", " ", p).strip() for p in text.split("\n")]
    return "\n".join(p for p in paragraphs if p)


__all__ = [
    "clean_goal",
    "funds_mismatch",
    "import_text",
    "parse_amount",
    "parse_date",
    "parse_forms",
    "target_strength",
]
