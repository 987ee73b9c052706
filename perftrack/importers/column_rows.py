"""Rows of an indicator table read by its columns: levels, name, the target from its op, value and unit
cells, the declared weight, and on a self-evaluation or monitoring sheet the actual value.

Levels follow the grid: a level cell merged over rows is written in its first row, so a row
without one is under the last one above (a 二级 cell without its 一级 keeps the 一级 above it). A
template's empty rows (指标1, 指标2, ……) are left out, and "指标1" written before a name comes off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from perftrack.domain.levels import LEVEL1_SYNONYMS, LEVEL2_SYNONYMS, level_label, parent_of
from perftrack.domain.model import Declaration, Problem, ReportedActual, Severity
from perftrack.domain.targets import parse_target
from perftrack.domain.units import KNOWN_UNITS, normalize_unit
from perftrack.importers.cells import Cell, Layout, single_line
from perftrack.importers.column_table import NUMBER_TEXT, Columns, align
from perftrack.importers.indicator_table import IndicatorMaker
from perftrack.importers.labels import Kind, classify, compact
from perftrack.importers.vocabulary import (
    DIRECTION_WORDS,
    FURNITURE,
    HINT_CELL,
    NAME_NUMBERING,
    OP_WORDS,
    PLACEHOLDER_NAME,
    Role,
    Set,
)

_QUARTER_WORDS = (("上半年", "Q2"), ("前三季度", "Q3"), ("一季度", "Q1"), ("二季度", "Q2"), ("三季度", "Q3"))
_SPECIFIC_PERIOD = re.compile(r"月|季度|半年|截[至止]")
_MONTH_RANGE = re.compile(r"(\d{1,2})\s*[-~至到]\s*(\d{1,2})\s*月")


@dataclass(slots=True)
class ColumnRow:
    """One row of the table as read: its cells' texts by role, for the chosen set of columns."""

    line: int
    cell: Cell  # where the row is (its name cell, else its first cell)
    level1: str | None
    level2: str | None
    name: str
    target_raw: str
    target_text: str  # what the target grammar reads: "≥90(%)" built from op | value | unit cells
    qualitative: bool  # the op column says 定性
    weight: Decimal | None
    actual: str
    notes: list[str]
    regions: dict[str, str]
    region_conflict: bool


def _text(cells: list[Cell] | None) -> str:
    if not cells:
        return ""
    if len(cells) > 1 and all(c.line == cells[0].line for c in cells):
        return join_target_parts([single_line(c.text) for c in cells])  # a merged header over op | value | unit
    return "".join(single_line(c.text) for c in cells if not c.empty)


def read_rows(rows: list[dict[int, list[Cell]]], columns: Columns) -> list[ColumnRow]:
    """Each aligned row's level cells, name, target (joined from its op, value and unit cells) and extras."""
    roles = columns.roles
    sets = [s for s in (Set.ANNUAL, Set.LONG, Set.HALF) if columns.index(Role.NAME, s) or columns.index(Role.TARGET, s)]
    out: list[ColumnRow] = []
    for row in rows:

        def get(role: Role, which: Set | None = None, row: dict[int, list[Cell]] = row) -> str:
            return "".join(_text(row.get(i)) for i in columns.index(role, which))

        chosen = next((s for s in sets if get(Role.NAME, s) or get(Role.TARGET, s)), sets[0] if sets else Set.ANNUAL)
        level1 = get(Role.LEVEL1) or None
        level2 = get(Role.LEVEL2, chosen) or get(Role.LEVEL2) or None
        name = get(Role.NAME, chosen)
        op_cells = [_text(row.get(i)) for i in columns.index(Role.OP, chosen) or columns.index(Role.OP)]
        op = next((compact(t) for t in op_cells if compact(t) in OP_WORDS), "")
        value = join_target_parts([_text(row.get(i)) for i in columns.index(Role.TARGET, chosen)])
        unit = get(Role.UNIT, chosen) or (get(Role.UNIT) if not columns.index(Role.UNIT, chosen) else "")
        regions = {roles[i].text: _text(row.get(i)) for i in columns.index(Role.REGION) if _text(row.get(i))}
        conflict = False
        if not value and regions:
            distinct = set(regions.values())
            value = distinct.pop() if len(distinct) == 1 else ""
            conflict = len(regions) > 1 and not value
        raw_parts = [
            (i, _text(row.get(i)))
            for i, c in enumerate(roles)
            if c.role in (Role.OP, Role.TARGET, Role.UNIT) and (c.set is chosen or c.role is Role.UNIT)
        ]
        raw = " ".join(t for _, t in raw_parts if t and compact(t) not in DIRECTION_WORDS)
        if not raw and value:
            raw = value
        if conflict:
            raw = " | ".join(regions.values())
        first = next((c for i in sorted(row) for c in row[i] if not c.empty), None)
        if first is None:
            continue
        name_cells = [c for i in columns.index(Role.NAME, chosen) for c in row.get(i, []) if not c.empty]
        out.append(
            ColumnRow(
                line=(name_cells[0] if name_cells else first).line,
                cell=name_cells[0] if name_cells else first,
                level1=level_label(level1) if level1 else None,
                level2=level_label(level2) if level2 else None,
                name=name,
                target_raw=raw,
                target_text=_target_text(op, value, unit),
                qualitative=op == "定性",
                weight=_number(get(Role.WEIGHT)),
                actual=get(Role.ACTUAL),
                notes=[t for i in columns.index(Role.NOTE) if (t := _text(row.get(i)))],
                regions=regions,
                region_conflict=conflict,
            )
        )
    return out


def join_target_parts(parts: list[str]) -> str:
    """One target from cells side by side under one 指标值 header: ≥ | 90 | % → "≥90(%)"."""
    texts = [p.strip() for p in parts if p.strip()]
    last = texts[-1] if texts else ""
    if len(texts) >= 2 and texts[-2][-1:].isdigit() and last[:1] not in "(（" and normalize_unit(last) in KNOWN_UNITS:
        texts[-1] = f"({texts[-1]})"
    return "".join(texts)


def _target_text(op: str, value: str, unit: str) -> str:
    """One target from its op, value and unit cells: = | 100 | % → "=100(%)"; a value that has its own op wins."""
    value = value.strip()
    if not value:
        return ""
    symbol = {">=": "≥", "<=": "≤"}.get(OP_WORDS.get(op) or "", OP_WORDS.get(op) or "")
    has_op = bool(re.match(r"^\s*(?:[=＝≥≤≧≦><]|大于|小于|不少于|不低于|不超过|不高于)", value))
    text = value if has_op or not symbol else symbol + value
    if unit and not re.search(r"[^\d.,%\s]", value.lstrip("=＝≥≤≧≦><")):
        text += f"({unit.strip()})"
    return text


def _number(text: str) -> Decimal | None:
    t = compact(text).rstrip("分")
    if not t or not NUMBER_TEXT.match(t) or t.endswith("%"):
        return None
    try:
        return Decimal(t.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        return None


def read_column_table(
    decl: Declaration, body: list[Cell], columns: Columns, layout: Layout, file: str, problems: list[Problem]
) -> None:
    """The indicators of a table read by its columns, into ``decl`` (with reported actuals); problems appended."""

    def say(row: ColumnRow, message: str, code: str) -> None:
        problems.append(Problem(file, row.line, message, Severity.WARNING, code, row.cell.where))

    rows = read_rows(align([c for c in body if not is_debris(c)], columns, layout), columns)
    maker = IndicatorMaker(file, problems)
    period = _period_of(columns)
    cur1: str | None = None
    cur2: str | None = None
    for row in rows:
        if row.level1:
            if row.level1 != cur1:
                cur2 = None
            cur1 = row.level1
        if row.level2:
            cur2 = row.level2
            cur1 = cur1 or parent_of(row.level2)
        name = NAME_NUMBERING.sub("", row.name).strip()
        if not name or PLACEHOLDER_NAME.match(name):
            if name and row.target_raw:
                say(row, f"指标“{name}”没有名称，未读入", "missing-name")
            continue
        target = replace(parse_target("" if row.qualitative else row.target_text), raw=row.target_raw)
        if row.region_conflict:
            say(row, f"指标“{name}”各地的指标值不同（{row.target_raw}），未读作一个指标值，请核对", "region-values")
        ind = maker.make(cur1, cur2, name, row.target_raw, row.cell, target)
        if cur1 is None or cur2 is None:
            say(row, f"指标“{name}”找不到所属的" + ("二级指标" if cur1 else "一级、二级指标"), "missing-level")
        ind.points = row.weight
        decl.indicators.append(ind)
        if row.actual and period is not None:
            decl.reported.append(ReportedActual(name, period, row.actual, ind.source))


def _period_of(columns: Columns) -> str | None:
    """The period an actual column covers: "1-6月执行情况" → Q2, "截至8月底" → M08, a self-evaluation's
    实际完成值 → YEAR; None when a monitoring column does not say."""
    for i in columns.index(Role.ACTUAL):
        text = columns.roles[i].text
        m = _MONTH_RANGE.search(text) or re.search(r"截[至止](\d{1,2})月", text)
        if m:
            month = int(m.group(m.lastindex or 1))
            return f"Q{month // 3}" if month % 3 == 0 else f"M{month:02d}"
        for words, quarter in (
            ("上半年", "Q2"),
            ("前三季度", "Q3"),
            ("一季度", "Q1"),
            ("二季度", "Q2"),
            ("三季度", "Q3"),
        ):
            if text.startswith(words):
                return quarter
        if _SPECIFIC_PERIOD.search(text):
            return None
    return "YEAR"


def truncated_label(name: str) -> bool:
    """A row cut off inside a level label ("数量指"): the table ends mid-cell."""
    c = compact(name)
    return bool(c) and any(k.startswith(c) and k != c for k in (*LEVEL1_SYNONYMS, *LEVEL2_SYNONYMS))


def is_debris(c: Cell) -> bool:
    """Cells of the body that are no data: a repeated header, a table label, a score hint, page furniture."""
    if c.empty:
        return False
    t = compact(c.text)
    if HINT_CELL.match(t) or FURNITURE.match(t):
        return True
    label = classify(c.text)
    return label is not None and label[0] in (Kind.TABLE_HEADER, Kind.TABLE_LABEL, Kind.RULE)


__all__ = ["ColumnRow", "is_debris", "join_target_parts", "read_column_table", "read_rows", "truncated_label"]
