"""The seed's forms as web pages and document previews hand them out: the same grid in other text layouts.

A form is laid out as the printed form (``office_builders.write_form_sheet``: header pairs, the
funds block, goals, level cells merged over their rows); its grid is then written as the text a
browser or a converter gives of an HTML table, in each family seen in ``tests/data/real_forms``:

- ``pipe_rows``: a row a line, cells split by " | ", the row's empty cells written at its end (``|||``);
- ``pipe_cells``: a cell a line ending in " |", an empty cell a lone "|", a row's end marked "| |";
- ``paragraphs``: a cell a paragraph, blank lines between, an empty cell a paragraph of one space;
- ``space_rows``: a row a line, cells split by spaces.

A merged cell is written once, in its first row, as HTML's rowspan writes it.
"""

from __future__ import annotations

from collections.abc import Callable

import openpyxl

from perftrack.domain.model import Declaration
from perftrack.importers.xlsx_form import cell_text
from tests.support.office_builders import write_form_sheet

Grid = list[list[str | None]]  # None: covered by a merged cell, not written at all


def form_grid(d: Declaration) -> Grid:
    wb = openpyxl.Workbook()
    ws = wb.active
    write_form_sheet(ws, d)
    covered: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    covered.add((r, c))
    grid: Grid = []
    for r in range(1, ws.max_row + 1):
        row: list[str | None] = []
        for c in range(1, 7):
            row.append(None if (r, c) in covered else cell_text(ws.cell(row=r, column=c)).strip())
        grid.append(row)
    return grid


def _one_line(text: str) -> str:
    return text.replace("\n", "<br>")


def pipe_rows(grid: Grid) -> str:
    lines = []
    for row in grid:
        cells = [c for c in row if c is not None]
        filled = [_one_line(c) for c in cells if c]
        if filled:
            lines.append(" | ".join(filled) + " | " + "|" * (len(cells) - len(filled)))
    return "\n".join(lines)


def pipe_cells(grid: Grid) -> str:
    lines = []
    for row in grid:
        cells = [c for c in row if c is not None]
        for k, c in enumerate(cells):
            text = f"{_one_line(c)} |" if c else "|"
            lines.append(text + (" |" if k == len(cells) - 1 else ""))
    return "\n".join(lines)


def paragraphs(grid: Grid) -> str:
    out = []
    for row in grid:
        for c in row:
            if c is not None:
                out.append(c if c else " ")
    return "\n\n".join(out)


def space_rows(grid: Grid) -> str:
    lines = []
    for row in grid:
        filled = [_one_line(c) for c in row if c]
        if filled:
            lines.append(" ".join(filled))
    return "\n".join(lines)


LAYOUTS: dict[str, Callable[[Grid], str]] = {
    "pipe_rows": pipe_rows,
    "pipe_cells": pipe_cells,
    "paragraphs": paragraphs,
    "space_rows": space_rows,
}


def web_text(decls: list[Declaration], layout: str, *, preamble: str = "") -> str:
    """Several forms one after another in one layout, after a web page's own text."""
    render = LAYOUTS[layout]
    body = "\n\n".join(render(form_grid(d)) for d in decls)
    return f"{preamble}\n\n{body}" if preamble else body
