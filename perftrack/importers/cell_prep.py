"""Making a form's labels whole before anything reads it.

Copied text breaks and glues labels in predictable ways: "资金总额: 250" holds a label and its value
in one cell; "项目起" / "止时间", "主管部门" / "及编码", "社会效益" / "指标" split one label over two
cells or lines; "项目资金申请" / "（万元）" puts the unit on a line of its own; "771,325,800.00
年度资金申请总额" runs an amount into the next label. Here cells are split and joined back by what
the vocabulary recognises, never by position alone.
"""

from __future__ import annotations

import re
from dataclasses import replace

from perftrack.importers.cells import Cell, Layout, Row
from perftrack.importers.header_fields import GOAL_FIELDS
from perftrack.importers.labels import Kind, classify, compact
from perftrack.importers.vocabulary import MONEY_UNIT_CELL, Field

_AMOUNT_THEN_LABEL = re.compile(r"^(?P<amount>[-+]?\d[\d,]*(?:\.\d+)?\s*(?:万元|元)?)\s+(?P<label>\S.*)$")


def prepare_cells(rows: list[Row], layout: Layout, *, text_lines: bool) -> list[Cell]:
    """The form's cells in reading order, with labels made whole: "资金总额: 250" split in two,
    "项目起" + "止时间" and "社会效益" + "指标" joined, "项目资金申请" + "(万元)" joined."""
    cells: list[Cell] = []
    for r in rows:
        for c in r.cells:
            cells.extend(_split_cell(c, layout))
    if text_lines:
        return _join_text_labels(cells)
    return _join_labels(cells, layout)


def _split_cell(c: Cell, layout: Layout) -> list[Cell]:
    text = c.text.strip()
    if ":" not in text and "：" not in text and (layout is Layout.PACKED or " " not in text):
        return [c]  # most cells: nothing to split
    if not text or classify(text) is not None:
        return [c]
    normal = text.replace("：", ":")
    head, sep, rest = normal.partition(":")
    if sep and len(rest) <= 60:
        label = classify(head)
        if label is not None and label[0] in (Kind.FIELD, Kind.FUNDS, Kind.FUNDS_BLOCK) and label[1] not in GOAL_FIELDS:
            first = replace(c, text=head.strip(), line_end=not rest.strip() and c.line_end)
            if not rest.strip():
                return [first]
            return [first, replace(c, text=rest.strip(), line_start=False)]
    if layout is not Layout.PACKED and (m := _AMOUNT_THEN_LABEL.match(text)) and classify(m.group("label")) is not None:
        return [replace(c, text=m.group("amount"), line_end=False), replace(c, text=m.group("label"), line_start=False)]
    return [c]


def _join_text_labels(tokens: list[Cell]) -> list[Cell]:
    """Text lines: merge a label broken over two or three lines ("社会效益" / "指标") back into one cell."""
    out: list[Cell] = []
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
            out.append(replace(tok, text=text, line_end=tokens[j].line_end))
            i = j + 1
        else:
            out.append(tok)
            i += 1
    return out


def _joinable(a: Cell, b: Cell, layout: Layout) -> bool:
    """Two cells that may be one label broken in two: neighbours in a packed row, a row's last
    cell and a following row of one cell, or neighbours in a stream."""
    if b.empty or a.empty:
        return False
    if layout is Layout.STREAM:
        return True
    if layout is Layout.PACKED:
        return a.line == b.line or (a.line_end and b.line_start and b.line_end)
    return False


def _join_labels(cells: list[Cell], layout: Layout) -> list[Cell]:
    out: list[Cell] = []
    i = 0
    while i < len(cells):
        c = cells[i]
        merged: tuple[int, str] | None = None
        if not c.empty and i + 1 < len(cells) and _joinable(c, cells[i + 1], layout):
            own = classify(c.text)
            nxt = cells[i + 1]
            if own is not None and own[0] is not Kind.RULE and MONEY_UNIT_CELL.match(compact(nxt.text)):
                merged = (i + 1, c.text.strip() + compact(nxt.text))  # 项目资金申请 + (万元)
            elif own is None or (own[0] is Kind.FIELD and own[1] is Field.IGNORED) or _continues(own, cells[i + 1]):
                text = c.text.strip()
                for j in range(i + 1, min(i + 3, len(cells))):
                    if not _joinable(cells[j - 1], cells[j], layout):
                        break
                    text += cells[j].text.strip()
                    label = classify(text)
                    if label is not None and label[0] is not Kind.RULE and not _weaker(own, label):
                        if own is not None and own[0] is not Kind.FIELD and label[0] is not own[0]:
                            break
                        if own is not None and own[0] is Kind.FIELD and own[1] is not Field.IGNORED and label != own:
                            break
                        merged = (j, text)
                        break
        if merged:
            j, text = merged
            out.append(replace(c, text=text, line_end=cells[j].line_end, row_end=cells[j].row_end))
            i = j + 1
        else:
            out.append(c)
            i += 1
    return out


def _continues(own: tuple[Kind, object], nxt: Cell) -> bool:
    """A label whose last words went to the next cell: 主管部门 + 及编码, 项目资金 + 申请."""
    t = compact(nxt.text)
    return own[0] in (Kind.FIELD, Kind.FUNDS, Kind.FUNDS_BLOCK) and 0 < len(t) <= 6 and classify(nxt.text) is None


def _weaker(own: tuple[Kind, object] | None, joined: tuple[Kind, object]) -> bool:
    """Joining an ignored label (金额) to its neighbour only when that makes a label worth more."""
    return own is not None and joined[0] is Kind.FIELD and joined[1] is Field.IGNORED


__all__ = ["prepare_cells"]
