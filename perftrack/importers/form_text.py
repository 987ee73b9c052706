"""Declaration forms as text: copied out of web pages, PDF or Word files, or saved by other programs.

The reader (:mod:`.text_layouts`) turns the text into a table of cells in whatever layout its
lines show; the interpreter (:mod:`.forms`) reads the forms in it. This module decodes the file
and keeps the names older callers use.
"""

from __future__ import annotations

from pathlib import Path

from perftrack.domain.model import ImportResult, Problem, Severity
from perftrack.importers.forms import TITLE, read_table
from perftrack.importers.funds import annual_mismatch as funds_mismatch
from perftrack.importers.funds import parse_amount
from perftrack.importers.indicator_table import target_strength
from perftrack.importers.text_decode import DecodeError, decode_file
from perftrack.importers.text_layouts import read_text as read_text_table
from perftrack.importers.text_layouts import wrap_width as _wrap_width
from perftrack.importers.values import clean_goal, parse_date

# What a text must contain, in some encoding, to hold a form at all.
_MARKERS = (TITLE, "项目名称", "目标表", "目标申报表", "自评表", "监控表", "项目支出名称", "绩效目标")


def import_text(path: Path) -> ImportResult:
    """Read every declaration form in a text file; problems carry the file and line."""
    result = ImportResult()
    name = str(path)
    try:
        text, encoding, cut_character = decode_file(path, must_contain=_MARKERS)
    except DecodeError as exc:
        result.problems.append(Problem(name, None, str(exc), Severity.ERROR, "unreadable"))
        return result
    if encoding != "utf-8":
        result.problems.append(Problem(name, None, f"文件按 {encoding.upper()} 编码读入", Severity.INFO, "encoding"))
    return parse_forms(text, name, result, cut_character=cut_character)


def parse_forms(
    text: str, file: str, result: ImportResult | None = None, *, cut_character: bool = False
) -> ImportResult:
    """Parse the forms in ``text``; ``file`` names the source in problems. ``cut_character``: the
    file's UTF-8 stopped inside a character (it surely was cut off)."""
    table = read_text_table(text, file)
    table.cut_character = cut_character
    return read_table(table, result)


__all__ = [
    "TITLE",
    "_wrap_width",
    "clean_goal",
    "funds_mismatch",
    "import_text",
    "parse_amount",
    "parse_date",
    "parse_forms",
    "target_strength",
]
