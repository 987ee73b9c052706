"""Writing a sheet's cells safely: text stays text, numbers stay numbers, wrapped rows get room.

Every sheet writes through a ``Grid``. It is the one place that decides how a value becomes a
cell, so a declared target such as ``=100.00(%)`` can never turn into a formula, and it keeps
track of how many wrapped lines each row needs so printed forms show all their text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator, Sequence
from decimal import Decimal
from functools import cache

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from perftrack.domain.evaluation import ProjectEvaluation
from perftrack.domain.numbers import YUAN, in_money_unit
from perftrack.domain.scoring import IndicatorScore
from perftrack.export.streamed import CellRef, StreamedSheet
from perftrack.export.styles import BODY_SIZE, CENTER, CellStyle

# Excel refuses longer cell text.
MAX_CELL_TEXT = 32767
# Characters a spreadsheet would read as the start of a formula if the cell were edited.
FORMULA_LEADS = ("=", "+", "-", "@")

# Row heights in points for the body font: one line, and each further wrapped line.
MIN_ROW_HEIGHT = 18.0
LINE_HEIGHT = BODY_SIZE * 1.35
ROW_PADDING = 3.0
# Rows the grid does not write (under a chart) get this height, so a chart's reach is known.
DEFAULT_ROW_HEIGHT = 15.0
POINTS_PER_CM = 72 / 2.54
# Room a number needs beyond its characters: bold digits are wider, and cells have margins.
NUMBER_WIDTH_FACTOR = 1.1
NUMBER_PADDING = 1.5


def clean_text(value: object) -> str:
    """A string a workbook can hold: control characters removed, cut to Excel's limit."""
    text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    return text[:MAX_CELL_TEXT]


def text_width(text: str) -> int:
    """Width in column units: a Chinese or full-width character takes two, others one."""
    if text.isascii():
        return len(text)
    if max(text) <= "\uffff":
        return len(text) + len(_wide_characters().findall(text))
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


@cache
def _wide_characters() -> re.Pattern[str]:
    """The wide and full-width characters of the Basic Multilingual Plane, as one character class:
    a sheet measures some 100,000 texts, and a call per character took a tenth of an export."""
    ranges: list[str] = []
    start = None
    for code in range(0x10001):
        wide = code < 0x10000 and unicodedata.east_asian_width(chr(code)) in ("W", "F")
        if wide and start is None:
            start = code
        elif not wide and start is not None:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(code - 1))}")
            start = None
    return re.compile(f"[{''.join(ranges)}]")


def shorten(text: str, most: int) -> str:
    """At most ``most`` characters, ending in "…" when cut (a chart label, a footer)."""
    return text if len(text) <= most else text[: most - 1] + "…"


def wrapped_lines(text: str, width: float) -> int:
    """Lines the text needs when wrapped in a cell ``width`` column units wide."""
    usable = max(width - 1.0, 1.0)
    return sum(max(1, math.ceil(text_width(line) / usable)) for line in text.split("\n"))


_LITERAL = re.compile(r'"([^"]*)"')
_DECIMALS = re.compile(r"\.(0+)")


def shown_text(value: Decimal | int, number_format: str) -> str:
    """The text a number shows through one of the workbook's formats (thousands, decimals, %, unit)."""
    core = _LITERAL.sub("", number_format)
    match = _DECIMALS.search(core)
    places = len(match.group(1)) if match else 0
    if core.endswith("%"):
        text = f"{Decimal(value) * 100:.{places}f}%"
    elif "," in core:
        text = f"{value:,.{places}f}"
    else:
        text = f"{value:.{places}f}"
    return text + "".join(_LITERAL.findall(number_format))


def fraction(percent: Decimal | None) -> Decimal | None:
    """A percentage (86.18) as the fraction a "%" number format shows as 86.18%."""
    return None if percent is None else percent / 100


def decimal_places(value: Decimal, most: int = 4) -> int:
    """Decimals a value was written with (100.00 → 2, 985 → 0), at most ``most``."""
    exponent = value.as_tuple().exponent
    return min(max(0, -exponent), most) if isinstance(exponent, int) else 0


def runs(values: list[str | None], start: int = 0, stop: int | None = None) -> Iterator[tuple[int, int]]:
    """Half-open index ranges of consecutive equal, non-empty values (the cells to merge)."""
    stop = len(values) if stop is None else stop
    i = start
    while i < stop:
        j = i + 1
        if values[i]:
            while j < stop and values[j] == values[i]:
                j += 1
        yield i, j
        i = j


def level_cells(grid: Grid, first: int, scores: Sequence[IndicatorScore]) -> None:
    """Write columns 一级指标 and 二级指标 of the indicator rows from ``first``, merged over each run."""
    level1 = [s.level1 for s in scores]
    # A level-2 group never runs across a level-1 boundary.
    level2 = [f"{s.level1}\n{s.level2}" if s.level2 else None for s in scores]
    for start, stop in runs(level1):
        grid.text(first + start, 1, scores[start].level1, CENTER, rows=stop - start)
        for start2, stop2 in runs(level2, start, stop):
            grid.text(first + start2, 2, scores[start2].level2, CENTER, rows=stop2 - start2)


class Grid:
    """A worksheet written cell by cell with fixed column widths and computed row heights."""

    def __init__(self, ws: StreamedSheet, widths: Sequence[float]) -> None:
        self.ws = ws
        self.widths = list(widths)
        self._lines: dict[int, int] = {}
        self._fixed: dict[int, float] = {}
        for index, width in enumerate(self.widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width

    @property
    def columns(self) -> int:
        return len(self.widths)

    def span_width(self, col: int, span: int) -> float:
        return sum(self.widths[col - 1 : col - 1 + span])

    def text(self, row: int, col: int, value: object, style: CellStyle, *, span: int = 1, rows: int = 1) -> CellRef:
        """Write text that stays text whatever it starts with; ``None`` leaves the cell empty."""
        if value is None or value == "":
            return self._place(row, col, style, span, rows)
        text = clean_text(value)
        # A string is always written as an inline string, never a formula, whatever it starts
        # with; with a quote prefix Excel and LibreOffice keep it text even when a person edits it.
        cell = self._place(row, col, style, span, rows, text, quote=text.startswith(FORMULA_LEADS))
        if rows == 1 and style.alignment.wrap_text:
            self._need(row, wrapped_lines(text, self.span_width(col, span)))
        return cell

    def number(
        self,
        row: int,
        col: int,
        value: Decimal | int | None,
        number_format: str,
        style: CellStyle,
        *,
        span: int = 1,
        rows: int = 1,
    ) -> CellRef:
        """Write a number with its display format; ``None`` leaves the cell empty."""
        if value is None:
            return self._place(row, col, style, span, rows)
        cell = self._place(row, col, style, span, rows, value, number_format=number_format)
        if span == 1:
            # A number wider than its column prints as "####": widen the column instead.
            needed = text_width(shown_text(value, number_format)) * NUMBER_WIDTH_FACTOR + NUMBER_PADDING
            if needed > self.widths[col - 1]:
                self.widths[col - 1] = needed
                self.ws.column_dimensions[get_column_letter(col)].width = round(needed, 1)
        return cell

    def blank(self, row: int, col: int, style: CellStyle, *, span: int = 1, rows: int = 1) -> CellRef:
        """An empty cell (or merged block) that still carries its borders and fill."""
        return self._place(row, col, style, span, rows)

    def height(self, row: int, points: float) -> None:
        """Fix a row's height (titles), overriding the computed one."""
        self._fixed[row] = points

    def row_height(self, row: int) -> float:
        """The height (points) ``row`` will have once finished."""
        if row in self._fixed:
            return self._fixed[row]
        if row in self._lines:
            return max(MIN_ROW_HEIGHT, self._lines[row] * LINE_HEIGHT + ROW_PADDING)
        return DEFAULT_ROW_HEIGHT

    def span_cm(self, first: int, last: int) -> float:
        """Height of rows ``first`` to ``last`` (inclusive) in centimetres."""
        return sum(self.row_height(r) for r in range(first, last + 1)) / POINTS_PER_CM

    def reserve(self, anchor_row: int, height_cm: float) -> int:
        """Keep rows free under a chart anchored at ``anchor_row``; returns the first row below it."""
        row, reached = anchor_row, 0.0
        while reached < height_cm * POINTS_PER_CM:
            if row not in self._lines and row not in self._fixed:
                self._fixed[row] = DEFAULT_ROW_HEIGHT
            reached += self.row_height(row)
            row += 1
        return row

    def finish(self) -> None:
        """Give every written row the height its wrapped text needs."""
        for row in {*self._lines, *self._fixed}:
            self.ws.heights[row] = round(self.row_height(row), 1)

    def _need(self, row: int, lines: int) -> None:
        self._lines[row] = max(self._lines.get(row, 1), lines)

    def _place(
        self,
        row: int,
        col: int,
        style: CellStyle,
        span: int,
        rows: int,
        value: object = None,
        *,
        number_format: str | None = None,
        quote: bool = False,
    ) -> CellRef:
        self._need(row, 1)
        ws = self.ws
        plain = ws.book.style_id(style)
        if span > 1 or rows > 1:
            ws.merge(row, col, row + rows - 1, col + span - 1)
            # Every cell of a merged block gets the border, or the block prints with gaps.
            for r in range(row, row + rows):
                for c in range(col, col + span):
                    ws.put(r, c, None, plain)
        # The format and quote prefix belong to a value, not to the kind of cell.
        styled = plain if number_format is None and not quote else ws.book.style_id(style, number_format, quote)
        ws.put(row, col, value, styled)
        return CellRef(ws, f"{get_column_letter(col)}{row}")


def money_amount(value: Decimal | None, unit: str) -> Decimal | None:
    """An amount (kept in 元) as the sheets write it: in 元, or exactly in 万元 (shown with two places)."""
    return None if value is None else in_money_unit(value, unit)


def money_unit_of(evaluations: Sequence[ProjectEvaluation]) -> str:
    """The money unit of a set of projects' sheets (one database, one setting)."""
    return evaluations[0].money_unit if evaluations else YUAN
