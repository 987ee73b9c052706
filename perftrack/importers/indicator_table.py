"""Recovering the indicator table (绩效指标) from cells copied out of a PDF or Word form.

What makes it hard (domain.md §1): merged level-1/level-2 cells appear on one row of their span,
often not the first; labels land in the wrong column; a page break repeats a label; in the
one-cell-per-line layout row boundaries are gone and long names wrap onto a second line; a
target may be missing.

The approach: labels are recognised wherever they are and mark the start of the row that
follows them. The content cells between two labels are split into rows (name + target) by a
small dynamic programme that scores each reading: targets look like targets, names do not,
a wrapped cell is only plausible when its first part is as wide as the widest cells, and a
missing target is possible but costly. Level-1/level-2 groups are then assigned forwards from
each label and, for rows that precede the first label of their span, backwards.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, field

from perftrack.domain.model import LEVEL1_COST, LEVEL2_PARENT, Indicator, Problem, Severity, SourceRef, Target
from perftrack.domain.targets import parse_target
from perftrack.importers.cells import Cell, display_width
from perftrack.importers.labels import Kind, classify, compact
from perftrack.importers.text_layouts import NO_WRAP as NO_WRAP
from perftrack.importers.values import overlong_message, overlong_number  # where callers have always found it

# Short qualitative targets as forms write them; a cell that is one of these is a target.
_QUALITATIVE_WORDS = frozenset(
    (
        "有效实现 有效 实现 提升 提高 有所提升 有一定提升 明显提升 "
        "显著提升 高 较高 准确 良好 优良 优秀 安全 及时 合理 可控 "
        "健全 完善 降低 减少 达标 合格 满意 规范 稳定 完成 按时完成 "
        "按期完成 是 否 逐步提高 持续提升 明显 显著 充分 保障 有保障 "
        "正常 正常运行 符合要求 符合标准 达到要求 基本满意 较好 好 增强 "
        "改善 促进 "
    ).split()
)
_TARGET_START = re.compile(r"^\s*(?:\$|\\|=|＝|≥|≤|≧|≦|>|<|＞|＜)")

_REPEATED_RUN = re.compile(r"(.{4,})\1")
_MISSING_TARGET = -4.0
_IMPLAUSIBLE_JOIN = -8.0
_CELL_ENDS_AT_WRAP = -2.5  # a cell whose last line is as wide as the column usually goes on
_MAX_NAME_PARTS = 5
_MAX_TARGET_PARTS = 5


@dataclass(slots=True)
class Row:
    name_parts: list[Cell]
    target_parts: list[Cell]
    labels: list[tuple[Kind, str]] = field(default_factory=list)
    level1: str | None = None
    level2: str | None = None

    @property
    def line(self) -> int:
        return self.name_parts[0].line


@functools.lru_cache(maxsize=65536)
def target_strength(text: str) -> float:
    """How much a cell looks like a target: 3 for a parsed number, 2 for a known word, else 0."""
    t = parse_target(text)
    if t.is_quantitative and not t.inferred:
        return 3.0
    if _TARGET_START.match(text):
        return 2.5
    if compact(text) in _QUALITATIVE_WORDS:
        return 2.0
    return 1.0 if t.inferred else 0.0


class TableReader:
    """Reads the indicator rows of one form from its table tokens."""

    def __init__(self, tokens: list[Cell], *, tabbed: bool, wrap_width: int, file: str) -> None:
        self.tokens = tokens
        self.tabbed = tabbed
        self.wrap_width = wrap_width
        self.file = file
        self.problems: list[Problem] = []

    def read(self) -> list[Indicator]:
        rows = self._rows()
        self._assign_levels(rows)
        return self._indicators(rows)

    # -- rows ------------------------------------------------------------------------------

    def _rows(self) -> list[Row]:
        rows: list[Row] = []
        pending: list[tuple[Kind, str]] = []
        segment: list[Cell] = []

        def flush() -> None:
            if not segment:
                return
            new_rows = self._split(segment)
            if new_rows:
                new_rows[0].labels.extend(pending)
                pending.clear()
            rows.extend(new_rows)
            segment.clear()

        for tok in self.tokens:
            label = classify(tok.text)
            if label is None:
                segment.append(tok)
                continue
            flush()
            kind, value = label
            if kind in (Kind.LEVEL1, Kind.LEVEL2, Kind.LEVEL1_OR_2):
                pending.append((kind, str(value)))
            # other labels (table header repeated after a page break, 绩效指标, rules) only
            # separate rows
        flush()
        if pending and rows:
            rows[-1].labels.extend(pending)
        return rows

    def _split(self, seg: list[Cell]) -> list[Row]:
        """Best split of consecutive content cells into (name, target) rows."""
        if self.tabbed:
            # the common case needs no search: every line is one name and one target
            lines: dict[int, list[Cell]] = {}
            for tok in seg:
                lines.setdefault(tok.line, []).append(tok)
            if all(len(cells) == 2 for cells in lines.values()):
                return [Row([a], [b]) for a, b in lines.values()]
        n = len(seg)
        best: list[tuple[float, tuple[int, int] | None]] = [(float("-inf"), None)] * (n + 1)
        best[0] = (0.0, None)
        for i in range(n):
            if best[i][0] == float("-inf"):
                continue
            for k in range(1, min(_MAX_NAME_PARTS, n - i) + 1):
                for m in range(0, min(_MAX_TARGET_PARTS, n - i - k) + 1):
                    s = best[i][0] + self._row_score(seg, i, k, m)
                    if s > best[i + k + m][0]:
                        best[i + k + m] = (s, (k, m))
        rows: list[Row] = []
        j = n
        while j > 0:
            step = best[j][1]
            assert step is not None
            k, m = step
            i = j - k - m
            rows.append(Row(seg[i : i + k], seg[i + k : j]))
            j = i
        rows.reverse()
        return rows

    def _row_score(self, seg: list[Cell], i: int, k: int, m: int) -> float:
        name = seg[i : i + k]
        target = seg[i + k : i + k + m]
        score = self._join_cost(name) + self._join_cost(target)
        if score <= _IMPLAUSIBLE_JOIN:
            return score  # not worth weighing the texts of an implausible join
        name_strength = self._strength_of(_join(name))
        score -= 2.5 * name_strength if name_strength >= 2 else 0.0
        score += self._strength_of(_join(target)) if target else _MISSING_TARGET
        for piece in (name, target):
            if piece and piece[-1] is not seg[-1] and self._wrapped(piece[-1]):
                score += _CELL_ENDS_AT_WRAP
        if self.tabbed:
            if not name[0].line_start:
                score -= 6
            if target and target[0].line == name[-1].line and not target[0].line_start:
                score += 0.5  # name and target side by side on one row, as the form prints them
            elif target:
                score -= 3
        return score

    def _join_cost(self, parts: list[Cell]) -> float:
        cost = 0.0
        for a, b in itertools.pairwise(parts):
            if self.tabbed and a.line == b.line:
                cost += _IMPLAUSIBLE_JOIN  # two cells of one row are two things
            elif not self._wrapped(a):
                cost += _IMPLAUSIBLE_JOIN
        return cost

    def _wrapped(self, tok: Cell) -> bool:
        """The cell filled its line to the wrap width: its text goes on in the next token."""
        return not self.tabbed and display_width(tok.text) >= self.wrap_width - 1

    def _strength_of(self, text: str) -> float:
        return target_strength(text)

    # -- levels ----------------------------------------------------------------------------

    def _assign_levels(self, rows: list[Row]) -> None:
        cur1: str | None = None
        cur2: str | None = None
        waiting: list[Row] = []  # rows whose level-2 group is not known yet
        for row in rows:
            l1s = [v for k, v in row.labels if k is Kind.LEVEL1]
            l2s = [v for k, v in row.labels if k is Kind.LEVEL2]
            costs = [v for k, v in row.labels if k is Kind.LEVEL1_OR_2]
            if costs and not l2s:
                # 成本指标 alone: a level-2 group under outputs unless outputs is already open
                # with other level-2 groups and a level-1 cost group follows (newer forms).
                l2s = costs
            if l2s:
                l2 = l2s[-1]
                l1 = l1s[-1] if l1s else (cur1 if cur1 == LEVEL1_COST else LEVEL2_PARENT.get(l2, cur1))
                cur1, cur2 = l1, l2
                for w in waiting:
                    if w.level1 in (None, l1):
                        w.level1, w.level2 = l1, l2
                waiting.clear()
            elif l1s and l1s[-1] != cur1:
                cur1, cur2 = l1s[-1], None
                for w in waiting:
                    if w.level1 is None:
                        w.level1 = cur1
            row.level1, row.level2 = cur1, cur2
            if cur2 is None:
                waiting.append(row)
        for w in waiting:
            self.problems.append(
                Problem(
                    self.file,
                    w.line,
                    f"指标“{_join(w.name_parts)}”找不到所属的" + ("二级指标" if w.level1 else "一级、二级指标"),
                    Severity.WARNING,
                    "missing-level",
                    w.name_parts[0].where,
                )
            )

    # -- indicators ------------------------------------------------------------------------

    def _indicators(self, rows: list[Row]) -> list[Indicator]:
        maker = IndicatorMaker(self.file, self.problems)
        return [
            maker.make(row.level1, row.level2, _join(row.name_parts), _join(row.target_parts), row.name_parts[0])
            for row in rows
        ]


class IndicatorMaker:
    """Indicators from rows as read, with the problems a person should see: a repeated cell text, a
    missing target, a row the form repeats, a number inferred from prose."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        self.seen: dict[tuple[str, str], Cell] = {}

    def problem(self, cell: Cell, message: str, severity: Severity, code: str) -> None:
        self.problems.append(Problem(self.file, cell.line, message, severity, code, cell.where))

    def make(
        self,
        level1: str | None,
        level2: str | None,
        name: str,
        raw_target: str,
        cell: Cell,
        target: Target | None = None,
    ) -> Indicator:
        """One indicator; ``target`` when the caller parsed it from several cells (its ``raw`` is kept)."""
        fixed = collapse_repeats(name)
        if fixed != name:
            self.problem(cell, f"单元格文字重复：“{name}”，已按“{fixed}”读入", Severity.WARNING, "repeated-text")
            name = fixed
        elif has_repeated_run(name):
            self.problem(cell, f"单元格中有重复的文字，请核对指标名称：“{name}”", Severity.WARNING, "repeated-text")
        if not raw_target:
            self.problem(cell, f"指标“{name}”没有填写指标值", Severity.WARNING, "missing-target")
        target = target if target is not None else parse_target(raw_target)
        if not target.is_quantitative and (number := overlong_number(raw_target)) is not None:
            self.problem(cell, overlong_message(name, raw_target, number), Severity.WARNING, "too-many-digits")
        key = (name, raw_target)
        if key in self.seen:
            first = self.seen[key]
            where = f" {first.where} " if first.where else f"第 {first.line} 行"
            self.problem(cell, f"指标行重复：“{name}  {raw_target}”与{where}相同", Severity.WARNING, "repeated-row")
        else:
            self.seen[key] = cell
        if target.inferred:
            self.problem(
                cell,
                f"指标“{name}”的指标值“{raw_target}”是文字，已推断为 {target.display()}，请核对",
                Severity.INFO,
                "inferred-target",
            )
        return Indicator(level1, level2, name, target, SourceRef(self.file, cell.line, cell.where))


def _join(parts: list[Cell]) -> str:
    return "".join(p.text for p in parts).strip()


def collapse_repeats(text: str) -> str:
    """ "满意度满意度满意度" → "满意度": a cell that is one text repeated whole, as extractors do."""
    n = len(text)
    for size in range(1, n // 2 + 1):
        if n % size == 0 and text[:size] * (n // size) == text:
            return text[:size]
    return text


def has_repeated_run(text: str) -> bool:
    """True when some stretch of four or more characters appears twice in a row."""
    return _REPEATED_RUN.search(text) is not None
