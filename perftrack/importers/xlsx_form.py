"""Declaration forms laid out like the paper form in a grid of cells: a worksheet or a Word table.

A grid is read exactly as the text importer reads form text: each grid row becomes one
tab-separated line (line number = sheet row), so the same label recognition and indicator
table logic apply and every importer gives the same result for the same form. Afterwards
each problem and each indicator is given the cell it came from ("Sheet1!D17").

Cells differ from copied text in two ways handled here: a cell may hold line breaks (goal
paragraphs; a name wrapped inside a Word cell), and a merged cell holds its text once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from perftrack.domain.model import Declaration, ImportResult, Problem, SourceRef
from perftrack.domain.units import KNOWN_UNITS, normalize_unit
from perftrack.importers.form_text import TITLE, parse_forms
from perftrack.importers.labels import TABLE_START, Field, Kind, classify, compact

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

# (line, column), both 0-based → a name for the cell as the user sees it
Locator = Callable[[int, int], str]

_GOAL_FIELDS = (Field.GOALS_BLOCK, Field.PROJECT_GOAL, Field.ANNUAL_GOAL)
_BARE_SHEET = re.compile(r"[^\W\d]\w*")
_SAME_AS_LINE = re.compile(r"与第 (\d+) 行相同")
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def cell_text(cell: Cell) -> str:
    """A worksheet cell's value as the text a person sees; numbers exact, never through float text."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return _percent(Decimal(value), cell.number_format) or str(value)
    if isinstance(value, float | Decimal):
        # repr() is the shortest text that reads back as the same float: 5900000.0, 0.95
        number = value if isinstance(value, Decimal) else Decimal(repr(value))
        return _percent(number, cell.number_format) or format(number, "f")
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _percent(number: Decimal, number_format: str | None) -> str | None:
    """The text of a number in a percentage format (0.9 → "90%"); None for any other format."""
    fmt = number_format or ""
    if "%" not in fmt:
        return None
    places = len(m.group(1)) if (m := re.search(r"\.(0+)", fmt)) else 0
    return f"{(number * 100).quantize(Decimal(1).scaleb(-places))}%"


def join_target_parts(parts: Sequence[str]) -> str:
    """One target from cells side by side under one merged 指标值 header: ≥ | 90 | % → "≥90(%)"."""
    texts = [p.strip() for p in parts if p.strip()]
    if len(texts) >= 2 and texts[-2][-1:].isdigit() and normalize_unit(texts[-1]) in KNOWN_UNITS:
        texts[-1] = f"({texts[-1]})"
    return "".join(texts)


def is_form_grid(rows: Sequence[Sequence[str]]) -> bool:
    """True when the grid holds a declaration form: a 项目名称 label cell or the form's title."""
    for row in rows:
        for text in row:
            if text and (TITLE in compact(text) or classify(text) == (Kind.FIELD, Field.NAME)):
                return True
    return False


def read_grid_forms(rows: Sequence[Sequence[str]], file: str, locate: Locator) -> ImportResult:
    """Read the forms in a grid (``rows[i][j]`` is line i+1, column j); problems name their cells."""
    result = parse_forms("\n".join(_lines(rows)), file)
    result.problems = [_placed(p, rows, locate) for p in result.problems]
    for decl in result.declarations:
        _place_declaration(decl, rows, locate)
    return result


def read_form_sheet(ws: Worksheet, file: str, rows: list[list[str]] | None = None) -> ImportResult:
    """Read the paper-form declarations on one worksheet (``rows``: its :func:`sheet_grid`, if at hand)."""
    rows = [list(r) for r in (rows if rows is not None else sheet_grid(ws))]
    _join_split_targets(ws, rows)
    return read_grid_forms(rows, file, sheet_locator(ws))


def sheet_locator(ws: Worksheet) -> Locator:
    """Names cells of this sheet as Excel does: (line 6, column 3) → "Sheet1!D7"."""
    from openpyxl.utils import get_column_letter

    # Excel quotes a sheet name only when it is not one word: 表3!D21 but 'Sheet 1'!D21
    title = ws.title
    sheet = title if _BARE_SHEET.fullmatch(title) else "'" + title.replace("'", "''") + "'"
    return lambda line, col: f"{sheet}!{get_column_letter(col + 1)}{line + 1}"


def sheet_grid(ws: Worksheet) -> list[list[str]]:
    """The sheet's texts as rows of cells from A1; a merged cell's text sits in its top-left cell.

    Only cells that exist are visited: a sheet whose dimension says XFD1048576 because of one
    stray formatted cell must not make us walk seventeen billion positions.
    """
    filled: dict[tuple[int, int], str] = {}
    for (r, c), cell in ws._cells.items():  # private, but see the docstring
        if cell.value is not None and (text := cell_text(cell)):
            filled[(r, c)] = text
    if not filled:
        return []
    rows: list[list[str]] = [[] for _ in range(max(r for r, _ in filled))]
    for (r, c), text in sorted(filled.items()):
        row = rows[r - 1]
        row.extend([""] * (c - len(row)))
        row[c - 1] = text
    return rows


def _join_split_targets(ws: Worksheet, rows: list[list[str]]) -> None:
    """Under a 指标值 header merged over several columns (operator | value | unit), one cell per row."""
    spans = []
    for rng in ws.merged_cells.ranges:
        if rng.min_row != rng.max_row or rng.min_col == rng.max_col or rng.min_row > len(rows):
            continue
        head = rows[rng.min_row - 1][rng.min_col - 1 : rng.min_col]
        label = classify(head[0]) if head else None
        if label is not None and label[0] is Kind.TABLE_HEADER and "指标值" in str(label[1]):
            spans.append((rng.min_row, rng.min_col - 1, rng.max_col))
    for head_row, first, last in spans:
        for row in rows[head_row:]:
            if any(TITLE in compact(t) for t in row if t):
                break  # the next form
            if len(row) > first + 1:
                row[first] = join_target_parts(row[first:last])
                row[first + 1 : last] = [""] * len(row[first + 1 : last])


def _lines(rows: Sequence[Sequence[str]]) -> list[str]:
    """One tab-separated line per grid row, cells made single-line."""
    lines: list[str] = []
    in_goals = False
    for row in rows:
        labels = [classify(t) for t in row if t]
        if any(lab == (Kind.FIELD, f) for lab in labels for f in _GOAL_FIELDS):
            in_goals = True
        elif any(compact(t) in TABLE_START or TITLE in compact(t) for t in row if t):
            in_goals = False
        lines.append("\t".join(_single_line(t, paragraphs=in_goals) for t in row))
    return lines


def _single_line(text: str, *, paragraphs: bool) -> str:
    """A cell's text on one line: goal paragraphs keep their breaks as <br>, other breaks close up."""
    text = text.replace("\t", " ")
    if "\n" not in text:
        return text
    parts = [p.strip() for p in text.split("\n") if p.strip()]
    if paragraphs:
        return "<br>".join(parts)
    joined = parts[0] if parts else ""
    for p in parts[1:]:
        # "社会效益" + "指标" close up; "AABI" + "members" keep their space
        cjk = _CJK.match(joined[-1:]) or _CJK.match(p[:1])
        joined += p if cjk else " " + p
    return joined


def _column_for(row: Sequence[str], text: str, *, exact: bool = False) -> int:
    """The column of the cell a message or a name refers to; the first filled cell otherwise.

    A message quotes its cell ("指标“X”没有填写指标值"), so the cell's text is inside it; a
    name is the cell's text, or inside it when the importer collapsed a repeated text.
    """
    content = [(j, c.strip()) for j, c in enumerate(row) if c.strip() and classify(c) is None]
    tests: list[Callable[[str], bool]] = [lambda t: t in text]
    if exact:
        tests = [lambda t: t == text, lambda t: text in t]
    for test in tests:
        for j, t in content:
            if test(t):
                return j
    if content:
        return content[0][0]
    return next((j for j, cell in enumerate(row) if cell.strip()), 0)


def _placed(problem: Problem, rows: Sequence[Sequence[str]], locate: Locator) -> Problem:
    if problem.line is None or not 0 < problem.line <= len(rows):
        return problem
    row = rows[problem.line - 1]
    col = _column_for(row, problem.message)
    # "与第 262 行相同" names a line of the grid's text; name the cell instead
    message = _SAME_AS_LINE.sub(lambda m: f"与 {locate(int(m.group(1)) - 1, col)} 相同", problem.message)
    return dataclasses.replace(problem, message=message, cell=locate(problem.line - 1, col))


def _place_declaration(decl: Declaration, rows: Sequence[Sequence[str]], locate: Locator) -> None:
    def ref(source: SourceRef | None, text: str) -> SourceRef | None:
        if source is None or source.line is None or not 0 < source.line <= len(rows):
            return source
        col = _column_for(rows[source.line - 1], text, exact=True)
        return SourceRef(source.file, source.line, locate(source.line - 1, col))

    decl.source = ref(decl.source, TITLE)
    for ind in decl.indicators:
        ind.source = ref(ind.source, ind.name)


__all__ = [
    "cell_text",
    "is_form_grid",
    "join_target_parts",
    "read_form_sheet",
    "read_grid_forms",
    "sheet_grid",
    "sheet_locator",
]
