"""The header of a form, above its indicator table: labelled fields, the funds block and the goals.

Labels are found wherever they are (:func:`.labels.classify`); which cell holds a label's value
depends on what the layout kept of the table:

- GRID and PACKED rows: the next cell of the same row (a packed row that ends with its label
  continues on the next row: ``项目 名称 |`` then ``镇际联网路… | 中期市财政预算 | …``);
- STREAM: the next cell, an empty one included (``主管部门及代码 | (empty) | 实施单位 | 卫健委``);
- tab rows and one-cell-a-line text (the seed's family): every cell up to the next label, so a
  value wrapped onto further lines comes back whole.

A self-evaluation's funds block is a small table (年初预算数 | 全年预算数 | 全年执行数 | …): a funds
label there is followed by one value per column, and the year's amount is the full-year budget.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from perftrack.importers.cells import Cell, Layout, single_line
from perftrack.importers.funds import FundsEntry
from perftrack.importers.labels import FundsLabel, Kind, classify, compact, label_key, money_unit
from perftrack.importers.vocabulary import FUNDS_COLUMNS, FURNITURE, MONEY_UNIT_CELL, MONEY_UNIT_NOTE, Field

GOAL_FIELDS = (Field.GOALS_BLOCK, Field.PROJECT_GOAL, Field.ANNUAL_GOAL)


@dataclass(slots=True)
class Header:
    values: dict[Field, str] = field(default_factory=dict)
    cells: dict[Field, Cell] = field(default_factory=dict)  # where each value was read
    funds: list[FundsEntry] = field(default_factory=list)
    goals: dict[Field, list[Cell]] = field(default_factory=lambda: {Field.PROJECT_GOAL: [], Field.ANNUAL_GOAL: []})
    executed: tuple[str, Cell] | None = None  # a self-evaluation's 全年执行数 of the year's total
    stated_unit: str | None = None  # the last money unit the header states


class HeaderReader:
    def __init__(self, cells: list[Cell], layout: Layout, *, accumulate: bool) -> None:
        self.cells = cells
        self.layout = layout
        self.accumulate = accumulate  # the seed's family: a value runs to the next label
        self.header = Header()

    def read(self) -> Header:
        h = self.header
        cells = self.cells
        current: Field | None = None
        open_funds: FundsEntry | None = None  # accumulate: the amount being read
        goal_run: list[tuple[Field, Cell]] = []
        goal_texts: list[tuple[Cell, Field]] = []  # a goal's text and the goal label in force
        funds_columns: list[str] = []
        i = 0
        while i < len(cells):
            c = cells[i]
            i += 1
            if c.empty and current in GOAL_FIELDS and self.layout is Layout.STREAM and goal_run:
                goal_texts.append((c, Field.ANNUAL_GOAL))  # an empty goal cell still takes its place
                continue
            if c.empty or FURNITURE.match(compact(c.text)):
                continue
            short = compact(c.text)
            if len(short) <= 24 and (m := MONEY_UNIT_NOTE.search(short) or MONEY_UNIT_CELL.match(short)):
                h.stated_unit = m.group(1)
                continue
            label = classify(c.text)
            key = label_key(c.text)[0]
            if key in FUNDS_COLUMNS and (label is None or label[0] is Kind.TABLE_HEADER):
                label = (
                    Kind.FUNDS_COLUMN,
                    FUNDS_COLUMNS[key],
                )  # 分值 / 得分 above the indicator table: the funds table's
            if label is None:
                if current in GOAL_FIELDS:
                    goal_texts.append((c, current if current is not Field.GOALS_BLOCK else Field.ANNUAL_GOAL))
                elif self.accumulate and open_funds is not None:
                    open_funds.text += c.text.strip()
                    open_funds.cell = open_funds.cell or c
                elif self.accumulate and current is not None and current is not Field.IGNORED:
                    h.values[current] = h.values.get(current, "") + c.text.strip()
                    h.cells.setdefault(current, c)
                continue
            kind, value = label
            unit = money_unit(c.text)
            if kind is not Kind.FIELD or value not in GOAL_FIELDS:
                self._assign_goals(goal_run, goal_texts)
                goal_run, goal_texts = [], []
            open_funds = None
            if kind is Kind.FIELD:
                assert isinstance(value, Field)
                current = value
                if value in GOAL_FIELDS:
                    goal_run.append((value, c))
                    continue
                if unit:
                    h.stated_unit = unit  # 金额(万元): a column header stating the unit
                if not self.accumulate:
                    text, i = self._value_after(i - 1)
                    if text is not None and value is not Field.IGNORED and value not in h.values:
                        h.values[value] = text[0]
                        h.cells[value] = text[1]
                continue
            current = None
            if kind is Kind.FUNDS:
                assert isinstance(value, FundsLabel)
                entry = FundsEntry(value, "", None, unit, h.stated_unit)
                h.funds.append(entry)
                if len(funds_columns) >= 2:
                    i = self._funds_row(i - 1, entry, funds_columns)
                elif self.accumulate:
                    open_funds = entry
                else:
                    text, i = self._value_after(i - 1)
                    if text is not None:
                        entry.text, entry.cell = text
            elif kind is Kind.FUNDS_BLOCK:
                if unit:
                    h.stated_unit = unit
            elif kind is Kind.FUNDS_COLUMN:
                if unit:
                    h.stated_unit = unit
                if not funds_columns or label_key(cells[i - 2].text)[0] not in FUNDS_COLUMNS:
                    funds_columns = []
                funds_columns.append(str(value))
        self._assign_goals(goal_run, goal_texts)
        return h

    # -- values -------------------------------------------------------------------------------

    def _value_after(self, at: int) -> tuple[tuple[str, Cell] | None, int]:
        """The value of the label at ``at`` and the index after what was read."""
        cells = self.cells
        label = cells[at]
        j = at + 1
        if self.layout is Layout.STREAM:
            if j >= len(cells):
                return None, j
            nxt = cells[j]
            if nxt.empty:
                return None, j + 1
            if classify(nxt.text) is not None:
                return None, j
            return (single_line(nxt.text), nxt), j + 1
        while j < len(cells) and cells[j].empty and cells[j].line == label.line:
            j += 1
        if j >= len(cells):
            return None, j
        nxt = cells[j]
        # a packed row ending with its label goes on in the next row; other rows end with theirs
        if nxt.line != label.line and (self.layout is not Layout.PACKED or not label.line_end or not nxt.line_start):
            return None, j
        if classify(nxt.text) is not None:
            return None, j
        return (single_line(nxt.text), nxt), j + 1

    def _funds_row(self, at: int, entry: FundsEntry, columns: list[str]) -> int:
        """A row of a self-evaluation's funds table: one value per column after the label."""
        cells = self.cells
        label = cells[at]
        values: list[Cell] = []
        j = at + 1
        while j < len(cells) and len(values) < len(columns):
            c = cells[j]
            if self.layout is not Layout.STREAM and c.line != label.line:
                break
            if classify(c.text) is not None:
                break
            if self.layout is Layout.STREAM or not c.empty:
                values.append(c)
            j += 1
        by_column = dict(zip(columns, values, strict=False))
        chosen = by_column.get("full_year") or by_column.get("initial")
        if chosen is not None and not chosen.empty:
            entry.text, entry.cell = chosen.text.strip(), chosen
        executed = by_column.get("executed")
        if executed is not None and not executed.empty and self.header.executed is None:
            self.header.executed = (executed.text.strip(), executed)
        return j

    # -- goals --------------------------------------------------------------------------------

    def _assign_goals(self, run: list[tuple[Field, Cell]], texts: list[tuple[Cell, Field]]) -> None:
        """Goal texts to goal labels: by column under two labels of one tab row; in order when a packed or
        streamed row of labels precedes a row of texts; else to the goal label in force."""
        if not texts:
            return
        goals = self.header.goals
        labels = {f: c for f, c in run}
        p, a = labels.get(Field.PROJECT_GOAL), labels.get(Field.ANNUAL_GOAL)
        fields = [f for f, _ in run if f is not Field.GOALS_BLOCK]
        in_order = self.layout in (Layout.STREAM, Layout.PACKED) and len(fields) >= 2
        in_order = in_order and all(f is fields[-1] for _, f in texts)
        # fewer texts than labels (a blank 项目总目标 dropped from a packed row): the texts are the last ones's
        skip = max(0, len(fields) - len(texts)) if in_order else 0
        for k, (t, current) in enumerate(texts):
            if t.empty:
                continue
            if self.layout is Layout.GRID and p and a and p.line == a.line and t.line != a.line:
                goals[Field.ANNUAL_GOAL if t.col >= a.col else Field.PROJECT_GOAL].append(t)
            elif in_order:
                goals[fields[min(k + skip, len(fields) - 1)]].append(t)
            else:
                goals[current].append(t)


__all__ = ["GOAL_FIELDS", "Header", "HeaderReader"]
