"""The evaluation workbook: a summary, a chart sheet, and per project its 自评表 and monitoring form.

``export_workbook`` is what the CLI's ``export`` command and the GUI's File ▸ Export call;
``export_per_unit`` writes one such workbook per 实施单位, and ``summary_only`` leaves out the
projects' own sheets. The projects may come as a stream (``store.evaluation.stream_evaluations``):
each project's two sheets are written out as soon as they are filled (``streamed.py``) and only
its line of the summary is kept, so memory does not grow with the number of projects.
Each workbook is written to a temporary file beside the target and renamed over it at the end,
so a failure or a cancel never leaves a half-written file, nor touches an existing one.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from perftrack.domain.errors import UserError
from perftrack.domain.evaluation import ProjectEvaluation
from perftrack.export.sheets_common import clean_text
from perftrack.export.sheets_evaluation import write_evaluation_sheet
from perftrack.export.sheets_monitoring import write_monitoring_sheet
from perftrack.export.sheets_summary import ProjectLine, write_chart_sheet, write_summary_sheet
from perftrack.export.streamed import StreamedWorkbook
from perftrack.files import AtomicFile

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


class ExportError(UserError):
    """The workbook could not be written (a folder that does not exist, a file open elsewhere)."""


def clean_sheet_title(name: str) -> str:
    """A project name made usable in a sheet name: forbidden characters and edge quotes removed."""
    title = _FORBIDDEN.sub("_", " ".join(clean_text(name).split())).strip("'")
    return title or "项目"


class UniqueNames:
    """Hands out distinct names one at a time, each at most ``room`` characters, unique ignoring case.

    Long names are cut; names that then collide (or repeat) get "~2", "~3" … at the end.
    """

    def __init__(self, room: int, clean: Callable[[str], str], reserved: Iterable[str] = ()) -> None:
        self.room = room
        self.clean = clean
        self.used = {r.casefold() for r in reserved}

    def __call__(self, name: str) -> str:
        base = self.clean(name)
        room = self.room
        title = base[:room].rstrip("'")
        number = 1
        while title.casefold() in self.used:
            number += 1
            tag = f"~{number}"
            title = base[: room - len(tag)].rstrip("'") + tag
        self.used.add(title.casefold())
        return title


def unique_titles(names: Sequence[str], room: int) -> list[str]:
    """A distinct sheet title per name, each at most ``room`` characters, unique ignoring case."""
    title = UniqueNames(room, clean_sheet_title, _RESERVED)
    return [title(name) for name in names]


def _sheet_titles() -> Callable[[str], tuple[str, str]]:
    """(self-evaluation sheet, monitoring sheet) names for each project in turn, valid and unique."""
    title = UniqueNames(
        MAX_SHEET_NAME - max(len(EVALUATION_SUFFIX), len(MONITORING_SUFFIX)), clean_sheet_title, _RESERVED
    )

    def names(project: str) -> tuple[str, str]:
        base = title(project)
        return base + EVALUATION_SUFFIX, base + MONITORING_SUFFIX

    return names


def sheet_names(evaluations: Sequence[ProjectEvaluation]) -> list[tuple[str, str]]:
    """(self-evaluation sheet, monitoring sheet) names for each project, valid and unique."""
    names = _sheet_titles()
    return [names(ev.declaration.name) for ev in evaluations]


def _count(evaluations: Iterable[ProjectEvaluation], count: int | None) -> int:
    if count is not None:
        return count
    if isinstance(evaluations, Sequence):
        return len(evaluations)
    raise TypeError("a stream of evaluations needs its count for the progress")


def write_workbook(
    evaluations: Iterable[ProjectEvaluation],
    file: Path,
    progress: Progress | None = None,
    *,
    summary_only: bool = False,
    total: int | None = None,
) -> bool:
    """Write the workbook into ``file`` (a temporary file: the caller moves it into place), each
    project's sheets as soon as they are filled; False when ``progress`` asked to stop (the file
    is then unfinished). ``progress(done, total)`` is called after each project."""
    wb = StreamedWorkbook(file)
    try:
        summary = wb.create_streamed_sheet(SUMMARY_SHEET)
        chart_sheet = wb.create_streamed_sheet(CHART_SHEET)
        names = _sheet_titles()
        lines: list[ProjectLine] = []
        titles: list[tuple[str, str]] = []
        for done, ev in enumerate(evaluations, start=1):
            if not summary_only:
                evaluation_name, monitoring_name = names(ev.declaration.name)
                sheet = wb.create_streamed_sheet(evaluation_name)
                write_evaluation_sheet(sheet, ev)
                sheet.close()
                sheet = wb.create_streamed_sheet(monitoring_name)
                write_monitoring_sheet(sheet, ev)
                sheet.close()
                titles.append((evaluation_name, monitoring_name))
            lines.append(ProjectLine.of(ev))
            if progress is not None and progress(done, total if total is not None else done + 1) is False:
                wb.abandon()
                return False
        write_summary_sheet(summary, lines, None if summary_only else titles)
        summary.close()
        write_chart_sheet(chart_sheet, lines)
        chart_sheet.close()
        wb.active = 0
        wb.properties.title = "项目支出绩效自评"
        wb.properties.creator = "perftrack"
        wb.finish()
    except BaseException:
        wb.abandon()
        raise
    return True


def _written(
    path: Path,
    write: Callable[[Path], bool],
    last_step: Callable[[], bool] = lambda: True,
) -> bool:
    """Run ``write(temporary file)`` and move the file into place at ``path``: whole or not at all.

    False (nothing written) when ``write`` or ``last_step`` said to stop.
    """
    try:
        out = AtomicFile(path, ".xlsx")
    except OSError as exc:
        raise ExportError(f"无法在文件夹 {path.parent} 中写入：{exc.strerror or exc}") from exc
    with out:
        try:
            if not write(out.temp):
                return False
        except OSError as exc:
            raise ExportError(f"无法在文件夹 {path.parent} 中写入：{exc.strerror or exc}") from exc
        if last_step() is False:
            return False
        try:
            out.commit()
        except OSError as exc:
            raise ExportError(f"无法写入 {path}（文件可能正被其他程序打开）：{exc.strerror or exc}") from exc
    return True


def export_workbook(
    evaluations: Iterable[ProjectEvaluation],
    path: Path,
    *,
    progress: Progress | None = None,
    summary_only: bool = False,
    count: int | None = None,
) -> bool:
    """Write the evaluation workbook to ``path`` (.xlsx); progress(done, total) returning False cancels.

    ``evaluations`` is a list, or a stream of ``count`` of them. With ``summary_only`` the
    workbook holds the 汇总 sheet and its chart alone. Returns False (and writes nothing) when
    cancelled; raises ExportError when the file cannot be written.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise ExportError(f"无法写入 {path}：文件夹 {path.parent} 不存在")
    total = _count(evaluations, count) + 1
    return _written(
        path,
        lambda file: write_workbook(evaluations, file, progress, summary_only=summary_only, total=total),
        lambda: progress is None or progress(total, total) is not False,
    )


# Characters Windows forbids in a file name, and names it keeps for devices.
_FORBIDDEN_IN_FILE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_DEVICES = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}
MAX_FILE_STEM = 60
NO_UNIT = "未填实施单位"


def clean_file_stem(name: str) -> str:
    """A unit's name made usable as a file name on Windows, macOS and Linux."""
    stem = _FORBIDDEN_IN_FILE.sub("_", " ".join(clean_text(name).split())).strip(" .")
    if not stem:
        return NO_UNIT
    if stem.split(".")[0].casefold() in _DEVICES:
        stem = "_" + stem
    return stem


@dataclass
class PerUnitResult:
    """What ``export_per_unit`` wrote: one workbook per unit, in order, and whether it was cancelled."""

    written: list[tuple[str, Path, int]] = field(default_factory=list)  # (unit, file, projects)
    cancelled: bool = False

    @property
    def projects(self) -> int:
        return sum(n for _, _, n in self.written)


def export_per_unit(
    evaluations: Iterable[ProjectEvaluation],
    folder: Path,
    *,
    progress: Progress | None = None,
    summary_only: bool = False,
    count: int | None = None,
) -> PerUnitResult:
    """One workbook per 实施单位 in ``folder``, named after the unit (made safe and unique).

    ``evaluations`` come with each unit's projects together (``store.evaluation.unit_order``).
    Each file is written whole; a cancel (``progress`` returning False) or a failure keeps the
    workbooks already complete, listed in the result, and leaves no part of the one under way.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ExportError(f"无法写入：文件夹 {folder} 不存在")
    total = _count(evaluations, count) + 1
    result = PerUnitResult()
    file_stem = UniqueNames(MAX_FILE_STEM, clean_file_stem)
    done = 0

    def step(_done: int, _total: int) -> bool:
        nonlocal done
        done += 1
        return progress is None or progress(done, total) is not False

    for unit, group in itertools.groupby(evaluations, key=lambda ev: ev.declaration.unit or ""):
        tally = [0]
        projects = _tallied(group, tally)
        path = folder / f"{file_stem(unit or NO_UNIT)}.xlsx"

        def write(file: Path, projects: Iterator[ProjectEvaluation] = projects) -> bool:
            return write_workbook(projects, file, step, summary_only=summary_only, total=total)

        if not _written(path, write):
            result.cancelled = True
            return result
        result.written.append((unit, path, tally[0]))
    if progress is not None:
        progress(total, total)
    return result


def _tallied(evaluations: Iterable[ProjectEvaluation], tally: list[int]) -> Iterator[ProjectEvaluation]:
    for ev in evaluations:
        tally[0] += 1
        yield ev
