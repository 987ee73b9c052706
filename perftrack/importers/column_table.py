"""Indicator tables whose header names what each column holds: rows of cells → indicator rows.

Provinces add columns to the four of the national template: the operator, the value and the
unit in three cells (指标性质 | 指标值 | 度量单位), a weight (分值), an explanation, a long-term
target beside the annual one, one value per village, and on a self-evaluation the actual value
and the score. The header row says which column is which (:data:`.vocabulary.COLUMN_ROLES`);
this module puts every cell of the body under its column and reads each row.

Where the source kept the grid (a workbook, a Word or PDF table) a cell's column is its place.
Where it did not (web tables whose empty cells were dropped, rows split by spaces, cells one a
line with the rows lost) the columns are found by an alignment: a dynamic programme over the
cells in reading order that chooses, for each cell, the column it most plausibly belongs to
(a level label under 一级/二级, an operator under 指标性质, a number under 指标值 or 分值, a unit
under 度量单位, text under 三级指标) with columns only moving rightwards inside a row, a row
allowed to begin after merged level cells, and skipped columns costing what the layout makes
them cost (an empty cell is written out in a stream, dropped in a packed row).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from perftrack.domain.units import KNOWN_UNITS, normalize_unit
from perftrack.importers.cells import Cell, Layout
from perftrack.importers.indicator_table import target_strength
from perftrack.importers.labels import Column, Kind, classify, column_of, compact, is_level
from perftrack.importers.vocabulary import DIRECTION_WORDS, OP_WORDS, TABLE_LABEL_PATTERN, TABLE_LABELS, Role, Set

NUMBER_TEXT = re.compile(r"^[-+]?\d[\d,]*(?:\.\d+)?%?$")  # a cell that is a number (a value, a weight, a rate)
_UNIT = re.compile(r"^(?:万|亿)?(?P<base>[^\d\s/()]{1,4})(?:/[^\d\s/()]{1,3}){0,2}$")
_LEVEL_ROLES = (Role.LEVEL1, Role.LEVEL2)
_TEXT_ROLES = (Role.NAME, Role.NOTE, Role.TARGET)
NEG = float("-inf")


@dataclass(slots=True)
class Columns:
    """The columns of an indicator table, left to right; ``places`` are grid columns (GRID only)."""

    roles: list[Column]
    places: list[int] = field(default_factory=list)

    def index(self, role: Role, which: Set | None = None) -> list[int]:
        return [i for i, c in enumerate(self.roles) if c.role is role and (which is None or c.set is which)]

    @property
    def simple(self) -> bool:
        """Only the national template's columns: level cells, one name and one target."""
        content = [c.role for c in self.roles if c.role not in _LEVEL_ROLES]
        return sorted(r.value for r in content) == ["name", "target"]


def is_unit(text: str) -> bool:
    """A unit cell: %, 人次, 万元/人, 元/生/年, M."""
    t = compact(text)
    if not t or len(t) > 8:
        return False
    if normalize_unit(t) in KNOWN_UNITS or t in ("%", "‰"):
        return True
    m = _UNIT.match(t)
    return bool(m) and (normalize_unit(m.group("base")) in KNOWN_UNITS or (t.isascii() and t.isalpha()))


def op_word(text: str) -> bool:
    t = compact(text)
    return t in OP_WORDS or t in DIRECTION_WORDS


# -- the header -----------------------------------------------------------------------------------


def _is_table_label(text: str) -> bool:
    key = compact(text)
    return key in TABLE_LABELS or bool(TABLE_LABEL_PATTERN.match(key))


def read_header(cells: list[Cell], layout: Layout) -> tuple[Columns, int]:
    """The table's columns from its header cells (``cells[0]`` is the first header cell), and where the body starts."""
    roles: list[Column] = []
    places: list[int] = []
    i = 0
    n = len(cells)
    if layout in (Layout.GRID, Layout.PACKED):
        line = cells[0].line
        # a header wrapped over several rows (packed web tables): rows of header cells only
        while i < n:
            row = [c for c in cells[i:] if c.line == cells[i].line]
            if cells[i].line != line and not all(column_of(c.text) or _is_table_label(c.text) for c in row):
                break
            for c in row:
                _add_header_cell(c, roles, places)
            i += len(row)
    else:
        while i < n:
            c = cells[i]
            if c.empty:
                if roles:
                    break
                i += 1
                continue
            # unknown headers after the name and before any target: one value column per place
            if column_of(c.text) is None and not _is_table_label(c.text) and not _region_header(c.text, roles):
                break
            _add_header_cell(c, roles, places)
            i += 1
    _mark_sets(roles)
    return Columns(roles, places), i


def _region_header(text: str, roles: list[Column]) -> bool:
    has_name = any(r.role is Role.NAME for r in roles)
    has_target = any(r.role is Role.TARGET for r in roles)
    t = compact(text)
    return (
        has_name and not has_target and 0 < len(t) <= 16 and not is_level(classify(text)) and not NUMBER_TEXT.match(t)
    )


def _add_header_cell(c: Cell, roles: list[Column], places: list[int]) -> None:
    if c.empty or _is_table_label(c.text):
        return
    column = column_of(c.text)
    if column is None:
        has_target = any(r.role is Role.TARGET for r in roles)
        column = Column(Role.NOTE if has_target else Role.REGION, Set.ANNUAL, compact(c.text))
    roles.append(column)
    places.append(c.col)


def _mark_sets(roles: list[Column]) -> None:
    """The same column printed twice with no word of which is which (中期 beside 年度): the last is annual."""
    for role in (Role.LEVEL2, Role.NAME, Role.TARGET, Role.OP, Role.UNIT):
        same = [i for i, c in enumerate(roles) if c.role is role and c.set is Set.ANNUAL]
        for i in same[:-1]:
            roles[i] = Column(role, Set.LONG, roles[i].text)


# -- fitting cells to columns ---------------------------------------------------------------------


def _fit(cell: Cell, column: Column) -> float:
    """How plausible it is that ``cell`` sits under ``column`` (higher is likelier)."""
    role = column.role
    if cell.empty:
        return 0.0
    label = classify(cell.text)
    if label is not None and label[0] in (Kind.LEVEL1, Kind.LEVEL2, Kind.LEVEL1_OR_2):
        kind = label[0]
        if role is Role.LEVEL1:
            return {Kind.LEVEL1: 4.0, Kind.LEVEL1_OR_2: 3.0, Kind.LEVEL2: -3.0}[kind]
        if role is Role.LEVEL2:
            return {Kind.LEVEL2: 4.0, Kind.LEVEL1_OR_2: 3.0, Kind.LEVEL1: -1.0}[kind]
        return -8.0
    text = cell.text.strip()
    if role in _LEVEL_ROLES:
        return -8.0 if NUMBER_TEXT.match(compact(text)) else -5.0
    if op_word(text):
        return {Role.OP: 5.0, Role.TARGET: 0.5}.get(role, -5.0)
    if NUMBER_TEXT.match(compact(text)):
        return {
            Role.TARGET: 3.0,
            Role.WEIGHT: 2.0,
            Role.ACTUAL: 2.0,
            Role.SCORE: 2.0,
            Role.REGION: 2.0,
            Role.EXPECTED: 2.0,
            Role.NOTE: -0.5,
        }.get(role, -4.0)
    if is_unit(text):
        return {Role.UNIT: 4.0, Role.TARGET: -1.0, Role.NOTE: -1.0, Role.NAME: -2.0}.get(role, -2.5)
    strength = target_strength(text)
    if strength >= 2:
        return {
            Role.TARGET: 3.0,
            Role.ACTUAL: 1.5,
            Role.EXPECTED: 1.0,
            Role.REGION: 1.0,
            Role.NOTE: 0.0,
            Role.NAME: -2.0,
        }.get(role, -3.0)
    return {
        Role.NAME: 1.5,
        Role.TARGET: 0.5 + 0.3 * strength,
        Role.NOTE: 1.0,
        Role.ACTUAL: 0.3,
        Role.EXPECTED: 0.3,
        Role.REGION: -1.0,
    }.get(role, -4.0)


@dataclass(frozen=True, slots=True)
class _Costs:
    lead_level: float  # a row that begins after its merged level cells
    lead_other: float  # a row that begins after its name: it has none
    mid: float  # a column skipped inside a row
    trail_name: float
    trail_target: float
    trail_other: float
    row: float
    drop_empty: float
    join: float  # a cell joined to the one before in the same column (text split by spaces)


_STREAM = _Costs(0.0, -6.0, -1.5, -2.0, -1.5, -0.4, -0.5, -0.4, NEG)
_PACKED = _Costs(0.0, -4.0, -0.25, -0.6, -0.3, 0.0, 0.0, NEG, -1.2)


def align(cells: list[Cell], columns: Columns, layout: Layout) -> list[dict[int, list[Cell]]]:
    """The rows of the table body: for each row, the cells under each column (by index in ``columns``)."""
    if layout is Layout.GRID:
        return _by_place(cells, columns)
    costs = _PACKED if layout is Layout.PACKED else _STREAM
    roles = columns.roles
    width = len(roles)
    if not cells or not width:
        return []

    def lead(j: int) -> float:
        return sum(costs.lead_level if roles[k].role in _LEVEL_ROLES else costs.lead_other for k in range(j))

    def trail(p: int) -> float:
        total = 0.0
        for k in range(p + 1, width):
            role = roles[k].role
            if role is Role.NAME:
                total += costs.trail_name
            elif role is Role.TARGET:
                total += costs.trail_target
            else:
                total += costs.trail_other
        return total

    leads = [lead(j) for j in range(width)]
    trails = [trail(p) for p in range(width)]
    n = len(cells)
    # score[i][p]: best reading of cells[:i+1] whose current row last used column p
    score = [[NEG] * width for _ in range(n)]
    back: list[list[tuple[int, int, bool] | None]] = [[None] * width for _ in range(n)]  # (prev p, column, new row)
    for i, cell in enumerate(cells):
        fits = [_fit(cell, c) for c in roles]
        hard = i > 0 and _breaks(cells[i - 1], cell, layout)
        if i == 0:
            for j in range(width):
                score[0][j] = leads[j] + fits[j]
                back[0][j] = (-1, j, True)
            continue
        prev = score[i - 1]
        best_restart = max(
            ((prev[p] + trails[p] + costs.row, p) for p in range(width) if prev[p] > NEG), default=(NEG, -1)
        )
        # a packed row is a whole row: a new one begins only where the source begins one
        may_restart = hard or layout is not Layout.PACKED
        for j in range(width):
            cand = NEG
            choice: tuple[int, int, bool] | None = None
            if may_restart and best_restart[0] > NEG:
                cand = best_restart[0] + leads[j] + fits[j]
                choice = (best_restart[1], j, True)
            if not hard:
                for p in range(j):
                    if prev[p] == NEG:
                        continue
                    s = prev[p] + costs.mid * (j - p - 1) + fits[j]
                    if s > cand:
                        cand, choice = s, (p, j, False)
            score[i][j] = cand
            back[i][j] = choice
        # a cell that goes under no column of its own: an empty cell dropped, or text joined to the cell before
        for p in range(width):
            if prev[p] == NEG or hard:
                continue
            if cell.empty and costs.drop_empty > NEG:
                s = prev[p] + costs.drop_empty
            elif not cell.empty and costs.join > NEG and roles[p].role in _TEXT_ROLES:
                s = prev[p] + costs.join + 0.5 * fits[p]  # text split by spaces goes on where it fits
            else:
                continue
            if s > score[i][p]:
                score[i][p] = s
                back[i][p] = (p, -1, False)
    # the best last state, then walk back
    p = max(range(width), key=lambda q: score[n - 1][q] + trails[q] if score[n - 1][q] > NEG else NEG)
    placed: list[tuple[int, bool]] = [(-1, False)] * n
    for i in range(n - 1, -1, -1):
        step = back[i][p]
        assert step is not None
        prev_p, column, new_row = step
        placed[i] = (column if column >= 0 else -(p + 2), new_row)
        p = prev_p if prev_p >= 0 else p
    rows: list[dict[int, list[Cell]]] = []
    for cell, (column, new_row) in zip(cells, placed, strict=True):
        if new_row or not rows:
            rows.append({})
        if column >= 0:
            rows[-1].setdefault(column, []).append(cell)
        elif not cell.empty:  # joined to the cell before, in column -(column + 2)
            rows[-1].setdefault(-(column + 2), []).append(cell)
    return rows


def _breaks(before: Cell, cell: Cell, layout: Layout) -> bool:
    """The source says a new row begins at ``cell``."""
    if layout is Layout.PACKED:
        return cell.line != before.line
    return before.row_end


def _by_place(cells: list[Cell], columns: Columns) -> list[dict[int, list[Cell]]]:
    """GRID: a cell is under the header cell at its place, or the nearest one to its left (merged headers)."""
    rows: list[dict[int, list[Cell]]] = []
    line = None
    for cell in cells:
        if cell.line != line:
            rows.append({})
            line = cell.line
        index = max((k for k, place in enumerate(columns.places) if place <= cell.col), default=0)
        rows[-1].setdefault(index, []).append(cell)
    return rows


__all__ = ["NUMBER_TEXT", "Columns", "align", "is_unit", "read_header"]
