"""The evaluation workbook: a summary, a chart sheet, and per project its 自评表 and monitoring form.

``export_workbook`` is what the CLI's ``export`` command and the GUI's File ▸ Export call. The
workbook is written to a temporary file beside the target and renamed over it at the end, so
a failure or a cancel never leaves a half-written file, nor touches an existing one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook

from perftrack.export.sheets_common import clean_text
from perftrack.export.sheets_evaluation import write_evaluation_sheet
from perftrack.export.sheets_monitoring import write_monitoring_sheet
from perftrack.export.sheets_summary import write_chart_sheet, write_summary_sheet
from perftrack.files import AtomicFile
from perftrack.store.evaluation import ProjectEvaluation

SUMMARY_SHEET = "汇总"
CHART_SHEET = "汇总图表"
EVALUATION_SUFFIX = "-自评"
MONITORING_SUFFIX = "-监控"
MAX_SHEET_NAME = 31
# Characters Excel forbids in a sheet name; an apostrophe may not start or end one.
_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
# Names Excel keeps for itself.
_RESERVED = {"history"}

Progress = Callable[[int, int], bool]


class ExportError(Exception):
    """The workbook could not be written (a folder that does not exist, a file open elsewhere)."""


def clean_sheet_title(name: str) -> str:
    """A project name made usable in a sheet name: forbidden characters and edge quotes removed."""
    title = _FORBIDDEN.sub("_", " ".join(clean_text(name).split())).strip("'")
    return title or "项目"


def unique_titles(names: Sequence[str], room: int) -> list[str]:
    """A distinct title per name, each at most ``room`` characters, unique ignoring case.

    Long names are cut; names that then collide (or repeat) get "~2", "~3" … at the end.
    """
    used = set(_RESERVED)
    titles: list[str] = []
    for name in names:
        base = clean_sheet_title(name)
        title = base[:room].rstrip("'")
        number = 1
        while title.casefold() in used:
            number += 1
            tag = f"~{number}"
            title = base[: room - len(tag)].rstrip("'") + tag
        used.add(title.casefold())
        titles.append(title)
    return titles


def sheet_names(evaluations: Sequence[ProjectEvaluation]) -> list[tuple[str, str]]:
    """(self-evaluation sheet, monitoring sheet) names for each project, valid and unique."""
    room = MAX_SHEET_NAME - max(len(EVALUATION_SUFFIX), len(MONITORING_SUFFIX))
    titles = unique_titles([ev.declaration.name for ev in evaluations], room)
    return [(t + EVALUATION_SUFFIX, t + MONITORING_SUFFIX) for t in titles]


def build_workbook(evaluations: Sequence[ProjectEvaluation], progress: Progress | None = None) -> Workbook | None:
    """The workbook in memory, or None when ``progress`` asked to stop."""
    total = len(evaluations) + 1
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = SUMMARY_SHEET
    chart_sheet = wb.create_sheet(CHART_SHEET)
    names = sheet_names(evaluations)
    for done, (ev, (evaluation_name, monitoring_name)) in enumerate(zip(evaluations, names, strict=True), start=1):
        write_evaluation_sheet(wb.create_sheet(evaluation_name), ev)
        write_monitoring_sheet(wb.create_sheet(monitoring_name), ev)
        if progress is not None and progress(done, total) is False:
            return None
    write_summary_sheet(summary, evaluations, names)
    write_chart_sheet(chart_sheet, evaluations)
    wb.active = 0
    wb.properties.title = "项目支出绩效自评"
    wb.properties.creator = "perftrack"
    return wb


def export_workbook(evaluations: list[ProjectEvaluation], path: Path, *, progress: Progress | None = None) -> None:
    """Write the evaluation workbook to ``path`` (.xlsx); progress(done, total) returning False cancels.

    Nothing is written when cancelled; raises ExportError when the file cannot be written.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise ExportError(f"无法写入 {path}：文件夹 {path.parent} 不存在")
    wb = build_workbook(evaluations, progress)
    if wb is None:
        return
    try:
        out = AtomicFile(path, ".xlsx")
    except OSError as exc:
        raise ExportError(f"无法在文件夹 {path.parent} 中写入：{exc.strerror or exc}") from exc
    with out:
        try:
            wb.save(out.temp)
        except OSError as exc:
            raise ExportError(f"无法在文件夹 {path.parent} 中写入：{exc.strerror or exc}") from exc
        if progress is not None and progress(len(evaluations) + 1, len(evaluations) + 1) is False:
            return
        try:
            out.commit()
        except OSError as exc:
            raise ExportError(f"无法写入 {path}（文件可能正被其他程序打开）：{exc.strerror or exc}") from exc
