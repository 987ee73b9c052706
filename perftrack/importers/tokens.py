"""Splitting form text into cells ("tokens") that remember where they came from.

Two layouts reach us: tab-separated rows (cells of one table row on one line) and one cell per
line (other PDF-to-text tools). Both become one list of tokens; a token knows its line, its
column in a tab row and whether it starts a physical line, so later steps can use the row
structure when there is one and do without it when there is not.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from perftrack.importers.labels import classify

_HEADING = re.compile(r"^\s*#{1,6}\s*")
_RULE_LINE = re.compile(r"^[\s\-=|:+]*$")


@dataclass(slots=True)
class Token:
    text: str
    line: int  # 1-based line in the file
    col: int  # column in a tab row; 0 in the one-cell-per-line layout
    line_start: bool  # first non-empty cell of its physical line
    line_end: bool  # last non-empty cell of its physical line


def split_cells(line: str) -> list[str]:
    """The cells of one line: tab-separated, or a markdown table row "| a | b |"."""
    line = _HEADING.sub("", line)
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        return [c.strip() for c in stripped.strip("|").split("|")]
    return [c.strip() for c in line.split("\t")]


def is_tabbed(lines: list[str]) -> bool:
    """True when most content lines of a form hold several cells (the tab layout)."""
    content = [ln for ln in lines if ln.strip() and not _RULE_LINE.match(ln)]
    if not content:
        return False
    multi = sum(1 for ln in content if len([c for c in split_cells(ln) if c]) > 1)
    return multi * 3 >= len(content)


def tokenize(lines: list[str], first_line: int) -> list[Token]:
    """Tokens of a block of lines; ``first_line`` is the 1-based number of ``lines[0]``."""
    tokens: list[Token] = []
    for offset, raw in enumerate(lines):
        if not raw.strip() or _RULE_LINE.match(raw):
            continue
        cells = [(col, cell) for col, cell in enumerate(split_cells(raw)) if cell]
        for i, (col, cell) in enumerate(cells):
            tokens.append(Token(cell, first_line + offset, col, i == 0, i == len(cells) - 1))
    return _join_broken_labels(tokens)


def _join_broken_labels(tokens: list[Token]) -> list[Token]:
    """Merge a label broken over two or three lines ("社会效益" / "指标") back into one token."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        merged = None
        if classify(tok.text) is None and tok.line_end:
            text = tok.text
            for j in range(i + 1, min(i + 3, len(tokens))):
                nxt = tokens[j]
                if not nxt.line_start or nxt.line == tokens[j - 1].line:
                    break
                text += nxt.text
                if classify(text) is not None:
                    merged = (j, text)
                    break
                if not nxt.line_end:
                    break
        if merged:
            j, text = merged
            last = tokens[j]
            out.append(Token(text, tok.line, tok.col, tok.line_start, last.line_end))
            i = j + 1
        else:
            out.append(tok)
            i += 1
    return out


def display_width(text: str) -> int:
    """Width on a fixed-pitch page: CJK characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
