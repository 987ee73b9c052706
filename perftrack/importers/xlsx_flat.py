"""Declaration workbooks as budget systems export them: a flat table, one indicator per row.

The project's fields (项目名称, 主管部门, 年度资金申请总额 …) are repeated on every row of its
indicators, or written once and left blank (often merged) below. Header names vary between
systems, so they are matched leniently: compact form, brackets, "其中：" and a money unit
"(万元)" aside. Problems carry the same codes as the text importer's, so a check reads
them alike whatever the file's shape.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from perftrack.domain.model import (
    LEVEL2_PARENT,
    Declaration,
    Funds,
    ImportResult,
    Indicator,
    Problem,
    Severity,
    SourceRef,
)
from perftrack.domain.targets import parse_target
from perftrack.importers.form_text import clean_goal, funds_mismatch, parse_amount, parse_date
from perftrack.importers.indicator_table import collapse_repeats, has_repeated_run
from perftrack.importers.labels import Kind, classify, compact
from perftrack.importers.values import overlong_message, overlong_number
from perftrack.importers.vocabulary import FLAT_COLUMNS
from perftrack.importers.xlsx_form import Locator, join_target_parts

_PROJECT_FIELDS = (
    "name", "nature", "category", "department", "unit", "start", "end", "project_goal", "annual_goal", "year",
    *Funds.FIELDS,
)  # fmt: skip
_MONEY = re.compile(r"\((万元|元)\)$")
_KEY_NOISE = re.compile(r"[()/:*※\[\]【】]")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True, slots=True)
class FlatHeader:
    """Where the header row is (0-based line) and which column holds which field."""

    line: int
    columns: dict[str, int]
    money_factor: dict[str, Decimal]  # field -> factor to 元 ("(万元)" in the header)


def _header_key(text: str) -> tuple[str, Decimal]:
    c = compact(text)
    factor = Decimal(1)
    if m := _MONEY.search(c):
        factor = Decimal(10000) if m.group(1) == "万元" else Decimal(1)
        c = c[: m.start()]
    c = _KEY_NOISE.sub("", c)
    return c.removeprefix("其中"), factor


def find_flat_header(rows: Sequence[Sequence[str]]) -> FlatHeader | None:
    """The header row of a flat declaration table: it names both 项目名称 and 三级指标 (or 指标名称)."""
    for i, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        factors: dict[str, Decimal] = {}
        for j, text in enumerate(row):
            key, factor = _header_key(text) if text else ("", Decimal(1))
            fld = FLAT_COLUMNS.get(key)
            if fld and fld not in columns:
                columns[fld] = j
                factors[fld] = factor
        if "name" in columns and "indicator" in columns:
            return FlatHeader(i, columns, factors)
    return None


@dataclass(slots=True)
class _Project:
    line: int  # 0-based line of its first row
    values: dict[str, str] = field(default_factory=dict)
    value_lines: dict[str, int] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    seen_rows: dict[tuple[str, str], str] = field(default_factory=dict)  # (name, target) -> first cell
    conflicts: set[str] = field(default_factory=set)


class _FlatReader:
    def __init__(self, rows: Sequence[Sequence[str]], header: FlatHeader, file: str, locate: Locator) -> None:
        self.rows = rows
        self.header = header
        self.file = file
        self.locate = locate
        self.problems: list[Problem] = []

    def problem(self, line: int, fld: str, message: str, severity: Severity, code: str) -> None:
        col = self.header.columns.get(fld, 0)
        self.problems.append(Problem(self.file, line + 1, message, severity, code, self.locate(line, col)))

    def get(self, row: Sequence[str], fld: str) -> str:
        col = self.header.columns.get(fld)
        return row[col].strip() if col is not None and col < len(row) else ""

    def read(self) -> ImportResult:
        result = ImportResult()
        if "target" not in self.header.columns:
            self.problem(
                self.header.line, "name", "清单缺少“年度指标值”列，无法读入指标", Severity.ERROR, "missing-column"
            )
            result.problems = self.problems
            return result
        projects: dict[tuple[str, str, str], _Project] = {}
        current: _Project | None = None
        levels: tuple[str, str] = ("", "")
        for i in range(self.header.line + 1, len(self.rows)):
            row = self.rows[i]
            if not any(c.strip() for c in row):
                continue
            name = self.get(row, "name")
            if name:
                key = (name, self.get(row, "unit"), self.get(row, "year"))
                if current is None or not self._continues(current, key):
                    current = projects.get(key)
                    if current is None:
                        current = projects[key] = _Project(i)
                    levels = ("", "")
            elif current is None:
                self.problem(
                    i, "name", "这一行没有项目名称，也不在任何项目之下，已跳过", Severity.WARNING, "missing-name"
                )
                continue
            self._project_values(current, row, i)
            levels = self._indicator(current, row, i, levels)
        for project in projects.values():
            decl = self._declaration(project)
            if decl is not None:
                result.declarations.append(decl)
        result.problems = self.problems
        return result

    def _continues(self, project: _Project, key: tuple[str, str, str]) -> bool:
        name, unit, year = key
        return project.values.get("name") == name and all(
            not new or project.values.get(fld, new) == new for fld, new in (("unit", unit), ("year", year))
        )

    def _project_values(self, project: _Project, row: Sequence[str], i: int) -> None:
        for fld in _PROJECT_FIELDS:
            text = self.get(row, fld)
            if not text:
                continue
            old = project.values.get(fld)
            if old is None:
                project.values[fld] = text
                project.value_lines[fld] = i
            elif old != text and fld not in project.conflicts:
                project.conflicts.add(fld)
                self.problem(
                    i,
                    fld,
                    f"项目“{project.values.get('name', '')}”的“{fld_label(fld)}”前后不一致："
                    f"“{old}”（第 {project.value_lines[fld] + 1} 行）与“{text}”，按前者读入",
                    Severity.WARNING,
                    "inconsistent-field",
                )

    def _indicator(self, project: _Project, row: Sequence[str], i: int, levels: tuple[str, str]) -> tuple[str, str]:
        name = self.get(row, "indicator")
        raw = self.get(row, "target")
        if unit := self.get(row, "target_unit"):
            raw = join_target_parts([raw, unit])
        l1 = _level(self.get(row, "level1")) or levels[0]
        l2 = _level(self.get(row, "level2")) or (levels[1] if l1 == levels[0] else "")
        if not name:
            if raw:
                self.problem(
                    i,
                    "indicator",
                    f"有指标值“{raw}”但没有三级指标名称，已跳过",
                    Severity.WARNING,
                    "missing-indicator-name",
                )
            return (l1, l2)
        line = i + 1
        fixed = collapse_repeats(name)
        if fixed != name:
            self.problem(
                i, "indicator", f"单元格文字重复：“{name}”，已按“{fixed}”读入", Severity.WARNING, "repeated-text"
            )
            name = fixed
        elif has_repeated_run(name):
            self.problem(
                i, "indicator", f"单元格中有重复的文字，请核对指标名称：“{name}”", Severity.WARNING, "repeated-text"
            )
        if not raw:
            self.problem(i, "indicator", f"指标“{name}”没有填写指标值", Severity.WARNING, "missing-target")
        target = parse_target(raw)
        if not target.is_quantitative and (number := overlong_number(raw)) is not None:
            self.problem(i, "indicator", overlong_message(name, raw, number), Severity.WARNING, "too-many-digits")
        if (name, raw) in project.seen_rows:
            self.problem(
                i,
                "indicator",
                f"指标行重复：“{name}  {raw}”与 {project.seen_rows[(name, raw)]} 相同",
                Severity.WARNING,
                "repeated-row",
            )
        else:
            project.seen_rows[(name, raw)] = self.locate(i, self.header.columns["indicator"])
        if target.inferred:
            self.problem(
                i,
                "indicator",
                f"指标“{name}”的指标值“{raw}”是文字，已推断为 {target.display()}，请核对",
                Severity.INFO,
                "inferred-target",
            )
        level1 = l1 or (LEVEL2_PARENT.get(l2) if l2 else None)
        if not level1 or not l2:
            self.problem(
                i,
                "level1" if not level1 else "level2",
                f"指标“{name}”找不到所属的" + ("二级指标" if level1 else "一级、二级指标"),
                Severity.WARNING,
                "missing-level",
            )
        source = SourceRef(self.file, line, self.locate(i, self.header.columns["indicator"]))
        project.indicators.append(Indicator(level1 or None, l2 or None, name, target, source))
        return (level1 or "", l2)

    def _declaration(self, project: _Project) -> Declaration | None:
        v = project.values
        name = v.get("name", "")
        line = project.line
        decl = Declaration(
            name=name,
            nature=v.get("nature") or None,
            category=v.get("category") or None,
            department=v.get("department") or None,
            unit=v.get("unit") or None,
            start=self._date(project, "start", "计划开始日期"),
            end=self._date(project, "end", "计划完成日期"),
            project_goal=clean_goal(v.get("project_goal", "")) or None,
            annual_goal=clean_goal(v.get("annual_goal", "")) or None,
            indicators=project.indicators,
            source=SourceRef(self.file, line + 1, self.locate(line, self.header.columns["name"])),
        )
        year = _YEAR.search(v.get("year", ""))
        decl.year = int(year.group(1)) if year else None
        if decl.year is None:
            fallback = decl.start.year if decl.start else None
            self.problem(
                line,
                "year",
                f"项目“{name}”没有预算年度（清单中没有“年度”列或该列为空）"
                + (f"，按计划开始日期取 {fallback} 年" if fallback else "，无法确定年度"),
                Severity.WARNING if fallback else Severity.ERROR,
                "missing-year",
            )
            decl.year = fallback
        decl.funds = self._funds(project, name)
        if not decl.indicators:
            self.problem(line, "indicator", f"项目“{name}”没有任何绩效指标", Severity.ERROR, "no-indicators")
        return decl

    def _date(self, project: _Project, fld: str, label: str) -> dt.date | None:
        text = project.values.get(fld, "")
        date = parse_date(text)
        if text and date is None:
            self.problem(project.value_lines[fld], fld, f"{label}“{text}”不是有效日期", Severity.WARNING, "bad-date")
        return date

    def _funds(self, project: _Project, name: str) -> Funds:
        funds = Funds()
        for fld in Funds.FIELDS:
            factor = self.header.money_factor.get(fld, Decimal(1))
            try:
                setattr(funds, fld, parse_amount(project.values.get(fld, ""), factor))
            except ValueError as exc:
                line = project.value_lines[fld]
                self.problem(line, fld, f"项目“{name}”的{exc}", Severity.WARNING, "bad-amount")
        mismatch = funds_mismatch(funds, name)
        if mismatch is not None:
            self.problem(project.line, "name", mismatch, Severity.WARNING, "funds-mismatch")
        return funds


def _level(text: str) -> str:
    """A level-1 or level-2 name in its canonical spelling ("产出" and "产出 指标" → "产出指标")."""
    if not text:
        return ""
    for candidate in (text, text + "指标"):
        label = classify(candidate)
        if label is not None and label[0] in (Kind.LEVEL1, Kind.LEVEL2, Kind.LEVEL1_OR_2):
            return str(label[1])
    return compact(text)


_LABELS = {
    "name": "项目名称",
    "nature": "项目性质",
    "category": "项目类别",
    "department": "主管部门",
    "unit": "实施单位",
    "start": "计划开始日期",
    "end": "计划完成日期",
    "project_goal": "项目总目标",
    "annual_goal": "年度总体目标",
    "year": "年度",
    "project_total": "项目资金总额",
    "project_fiscal": "财政资金",
    "project_other": "项目其他资金",
    "annual_total": "年度资金申请总额",
    "annual_appropriation": "当年财政拨款",
    "annual_carryover": "上年结转资金",
    "annual_other": "其他资金",
}


def fld_label(fld: str) -> str:
    """The Chinese column name of a field, for messages."""
    return _LABELS.get(fld, fld)


def read_flat_grid(rows: Sequence[Sequence[str]], header: FlatHeader, file: str, locate: Locator) -> ImportResult:
    """Read a flat declaration table (the grid of one sheet) into one declaration per project."""
    return _FlatReader(rows, header, file, locate).read()


__all__ = ["FlatHeader", "find_flat_header", "fld_label", "read_flat_grid"]
