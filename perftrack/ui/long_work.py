"""Long work with a progress dialog and a Cancel button: importing files, exporting, first scoring.

The work runs on the main thread in steps (SQLAlchemy sessions must not cross threads, and
each step is short); between steps the dialog repaints and hears Cancel. Until the dialog
appears (after ``MIN_DURATION_MS``) user input waits in the queue, and once it is shown it is
window-modal, so nothing the user does can start a second piece of work inside the first.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from perftrack.domain.model import ImportResult
from perftrack.importers import read_declarations
from perftrack.store.upsert import ImportSummary
from perftrack.ui.formatting import arg
from perftrack.ui.workspace import Workspace

if TYPE_CHECKING:
    from perftrack.export.workbook import PerUnitResult

MIN_DURATION_MS = 300
# Projects evaluated between two repaints of the dialog.
SCORE_STEP = 200
EXPORT_STEP = 50


class LongWork:
    """A window-modal QProgressDialog around work done in steps; use it as a context manager."""

    _running = 0

    def __init__(self, parent: QWidget, title: str, label: str, total: int) -> None:
        self._parent = parent
        self.dialog = QProgressDialog(label, QCoreApplication.translate("LongWork", "取消"), 0, max(total, 1), parent)
        self.dialog.setObjectName("long-work")
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(MIN_DURATION_MS)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumWidth(420)

    @classmethod
    def busy(cls) -> bool:
        """True while some long work is running (timers firing meanwhile should wait)."""
        return cls._running > 0

    def __enter__(self) -> LongWork:
        LongWork._running += 1
        self.dialog.setValue(0)  # starts the clock of the minimum duration
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        LongWork._running -= 1
        was_shown = self.dialog.isVisible()
        self.dialog.reset()
        self.dialog.close()
        # Deleted once control is back in the event loop; until then it is no longer "the" dialog.
        self.dialog.setObjectName("")
        self.dialog.deleteLater()
        if was_shown and self._parent.isVisible():
            # Give the keyboard back to the window the work was started from.
            self._parent.window().activateWindow()

    @property
    def cancelled(self) -> bool:
        return self.dialog.wasCanceled()

    def step(self, done: int, total: int | None = None, label: str | None = None) -> bool:
        """Report progress and let the dialog breathe; False once the user pressed Cancel."""
        if total is not None and total != self.dialog.maximum():
            self.dialog.setMaximum(max(total, 1))
        if label is not None:
            self.dialog.setLabelText(label)
        self.dialog.setValue(min(done, self.dialog.maximum()))
        visible = self.dialog.isVisible()
        QCoreApplication.processEvents(
            QEventLoop.ProcessEventsFlag.AllEvents if visible else QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents
        )
        return not self.dialog.wasCanceled()


def import_with_progress(
    parent: QWidget, workspace: Workspace, paths: list[Path]
) -> tuple[ImportResult, ImportSummary | None] | None:
    """Read the files one by one, then store them in one transaction; None when cancelled.

    The summary is None when the files hold errors or no declaration (then nothing is written).
    """
    result = ImportResult()
    total = len(paths) + 1
    with LongWork(
        parent,
        QCoreApplication.translate("LongWork", "导入申报表"),
        QCoreApplication.translate("LongWork", "正在读取申报表…"),
        total,
    ) as work:
        for done, path in enumerate(paths):
            label = arg(
                QCoreApplication.translate("LongWork", "正在读取 %1（%2 / %3）"), path.name, done + 1, len(paths)
            )
            if not work.step(done, label=label):
                return None
            result.extend(read_declarations([path]))
        if not work.step(len(paths), label=QCoreApplication.translate("LongWork", "正在写入数据库…")):
            return None
        if result.errors or not result.declarations:
            return result, None
        # One transaction: past this point Cancel would leave nothing to undo, so it is not asked.
        summary = workspace.store_declarations(result, ", ".join(p.name for p in paths))
        work.step(total)
        return result, summary


def _export_ids(workspace: Workspace, only: list[int] | None) -> list[int]:
    ids = workspace.workbook_order()
    if only is not None:
        chosen = set(only)
        ids = [i for i in ids if i in chosen]
    return ids


def export_with_progress(
    parent: QWidget, workspace: Workspace, path: Path, only: list[int] | None = None, *, summary_only: bool = False
) -> bool:
    """Evaluate every project (or those of ``only``) a batch at a time and write the workbook as they
    come (``summary_only``: the 汇总 sheets alone); False when cancelled, and then no file is left.

    Raises ExportError or OSError when the file cannot be written.
    """
    from perftrack.export.workbook import export_workbook
    from perftrack.store.evaluation import stream_evaluations

    ids = _export_ids(workspace, only)
    title = QCoreApplication.translate("LongWork", "导出自评工作簿")
    label = QCoreApplication.translate("LongWork", "正在导出 %1（%2 / %3 个项目）")
    with LongWork(parent, title, arg(label, path.name, 0, len(ids)), len(ids) + 1) as work:
        evaluations = stream_evaluations(workspace.read, ids, batch=EXPORT_STEP)

        def step(done: int, total: int) -> bool:
            return work.step(done, total, arg(label, path.name, min(done, len(ids)), len(ids)))

        return export_workbook(evaluations, path, progress=step, summary_only=summary_only, count=len(ids))


def export_per_unit_with_progress(
    parent: QWidget, workspace: Workspace, folder: Path, only: list[int] | None = None, *, summary_only: bool = False
) -> tuple[PerUnitResult, int]:
    """One workbook per 实施单位 in ``folder``, the projects evaluated a batch at a time; the result
    (what was written, whether cancelled) and the number of units there were to write.

    Raises ExportError or OSError when a file cannot be written (those already written stay).
    """
    from sqlalchemy import select

    from perftrack.export.workbook import export_per_unit
    from perftrack.store.evaluation import stream_evaluations, unit_order
    from perftrack.store.schema import Project

    ids = workspace.read(lambda session: unit_order(session, _export_ids(workspace, only)))
    wanted = set(ids)
    units = len(workspace.read(lambda s: {u for i, u in s.execute(select(Project.id, Project.unit)) if i in wanted}))
    title = QCoreApplication.translate("LongWork", "按实施单位导出工作簿")
    label = QCoreApplication.translate("LongWork", "正在导出到 %1（%2 / %3 个项目）")
    with LongWork(parent, title, arg(label, folder.name, 0, len(ids)), len(ids) + 1) as work:
        evaluations = stream_evaluations(workspace.read, ids, batch=EXPORT_STEP)

        def step(done: int, total: int) -> bool:
            return work.step(done, total, arg(label, folder.name, min(done, len(ids)), len(ids)))

        result = export_per_unit(evaluations, folder, progress=step, summary_only=summary_only, count=len(ids))
        return result, units


def score_with_progress(parent: QWidget, workspace: Workspace, ids: list[int]) -> bool:
    """Make sure every project of ``ids`` is scored (for status filters and sorting); False when cancelled."""
    missing = workspace.read_kept(ids)  # scores kept in the database need no dialog
    if not missing:
        return True
    label = QCoreApplication.translate("LongWork", "正在计算 %n 个项目的得分…", "", len(missing))
    with LongWork(parent, QCoreApplication.translate("LongWork", "计算得分"), label, len(missing)) as work:
        workspace.summaries(missing, progress=work.step, batch=SCORE_STEP)
        return not work.cancelled


# Projects evaluated in one read while a report is written (each is drawn and let go).
REPORT_STEP = 20


def report_ids(workspace: Workspace, ids: list[int]) -> list[int]:
    """``ids`` in the report's order (year, unit, name), as ``evaluate_all`` orders them."""
    from perftrack.store.evaluation import chosen_ids

    return workspace.read(lambda session: chosen_ids(session, ids)) if ids else []


def report_with_progress(
    parent: QWidget | None, workspace: Workspace, ids: list[int], path: Path, *, monitoring: bool = False
) -> bool:
    """Write the projects' PDF report to ``path``, evaluating them a batch at a time; False when
    cancelled (then no file is left). Without a parent no dialog is shown.

    Raises ValueError without projects, FontNotFoundError without a Chinese font, OSError when
    the file cannot be written.
    """
    from perftrack.report.pdf import write_report
    from perftrack.store.evaluation import stream_evaluations

    ordered = report_ids(workspace, ids)
    evaluations = stream_evaluations(workspace.read, ordered, batch=REPORT_STEP)
    if parent is None:
        return write_report(evaluations, path, monitoring=monitoring) is not None
    total = len(ordered) + 1  # each project, then numbering the pages and saving
    title = QCoreApplication.translate("LongWork", "生成 PDF 报告")
    with LongWork(parent, title, QCoreApplication.translate("LongWork", "正在生成报告…"), total) as work:

        def progress(done: int) -> bool:
            if done == len(ordered):
                return work.step(done, label=arg(QCoreApplication.translate("LongWork", "正在写入 %1…"), path.name))
            label = arg(QCoreApplication.translate("LongWork", "正在生成报告（%1 / %2）"), done, len(ordered))
            return work.step(done, label=label)

        written = write_report(evaluations, path, monitoring=monitoring, progress=progress)
        work.step(total)
        return written is not None
