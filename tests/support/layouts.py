"""Other layouts of the same forms, as other PDF-to-text tools produce them."""

from __future__ import annotations

import unicodedata

from perftrack.importers.labels import classify


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """Break a cell into lines of at most ``width`` display columns, as a narrow column does."""
    lines, cur = [], ""
    for ch in text:
        if cur and _width(cur + ch) > width:
            lines.append(cur)
            cur = ""
        cur += ch
    return [*lines, cur] if cur else lines


def one_cell_per_line(text: str, width: int | None = None, break_labels: bool = True) -> str:
    """Every non-empty cell on a line of its own; long cells wrapped; labels broken before 指标.

    Goal paragraphs (cells wider than 200 columns) are kept whole, as tools emit them as running text.
    """
    out: list[str] = []
    for line in text.split("\n"):
        cells = [c.strip() for c in line.split("\t") if c.strip()]
        if len(cells) == 1 and "\t" not in line:  # headings and titles are not table cells
            out.append(line)
            continue
        if not cells:
            out.append("")
            continue
        for cell in cells:
            label = classify(cell)
            squashed = cell.replace(" ", "")
            if break_labels and label is not None and squashed.endswith("指标") and len(squashed) > 4:
                out.extend([squashed[:-2], "指标"])
            elif width and 200 > _width(cell) > width and label is None:
                out.extend(wrap(cell, width))
            else:
                out.append(cell)
    return "\n".join(out)
