"""Long work shows a window-modal progress dialog and Cancel leaves nothing half-done."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot
from sqlalchemy import delete, func, select

from perftrack.paths import sample_files
from perftrack.store.database import open_database
from perftrack.store.schema import KeptSummary, Project
from perftrack.ui.long_work import MIN_DURATION_MS, LongWork
from perftrack.ui.main_window import MainWindow
from perftrack.ui.navigator import COL_SCORE
from tests import test_gui_window as gui
from tests.support.long_work import CancelSoon, _no_dialog_left
from tests.support.window import open_window as _open

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
# The window fixtures of test_gui_window, shared: a real window over a real SQLite file with the sample.
db_url, window = gui.db_url, gui.window


def _copies(tmp_path: Path, count: int) -> list[Path]:
    source = sample_files()[0]
    paths = []
    for n in range(count):
        path = tmp_path / f"{n:02d}-{source.name}"
        shutil.copyfile(source, path)
        paths.append(path)
    return paths


def _projects(url: str) -> int:
    with open_database(url) as db, db.session() as s:
        return s.scalar(select(func.count(Project.id)))


def test_cancelled_import_writes_nothing(qtbot: QtBot, db_url: str, tmp_path: Path) -> None:
    win = _open(qtbot, db_url)
    cancel = CancelSoon(win)
    assert not win.import_files(_copies(tmp_path, 12))
    assert cancel.seen, "Cancel was pressed while the files were being read"
    assert cancel.modality == Qt.WindowModality.WindowModal
    assert cancel.min_duration == MIN_DURATION_MS
    assert "00-" in cancel.label, "the dialog names the file being read"
    assert _projects(db_url) == 0
    assert win.navigator_model.project_count() == 0
    assert win.banner.isVisible(), "still empty: the sample is still offered"
    assert "已取消导入" in win.statusBar().currentMessage()
    assert _no_dialog_left(win)
    win.close()


def test_import_of_many_files_completes(qtbot: QtBot, db_url: str, tmp_path: Path) -> None:
    win = _open(qtbot, db_url)
    assert win.import_files(_copies(tmp_path, 4))
    # The same 13 forms four times: one project each, the later copies change nothing.
    assert _projects(db_url) == 13
    assert win.navigator_model.project_count() == 13
    assert _no_dialog_left(win)
    win.close()


def test_cancelled_export_leaves_no_file(window: MainWindow, tmp_path: Path) -> None:
    target = tmp_path / "out" / "自评表.xlsx"
    target.parent.mkdir()
    cancel = CancelSoon(window)
    assert not window.export_to(target)
    assert cancel.seen
    assert list(target.parent.iterdir()) == [], "neither the workbook nor a partial file"
    assert "已取消导出" in window.statusBar().currentMessage()
    assert _no_dialog_left(window)


def test_export_writes_the_workbook(window: MainWindow, tmp_path: Path) -> None:
    target = tmp_path / "自评表.xlsx"
    assert window.export_to(target)
    book = load_workbook(target, read_only=True)
    assert book.sheetnames[0] == "汇总"
    assert len(book.sheetnames) == 2 + 2 * 13  # summary, chart, and two sheets per project
    book.close()
    assert str(target) in window.statusBar().currentMessage()


def test_export_of_the_filtered_projects_only(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    from perftrack.ui.export_scope import ask_export_scope

    model = window.navigator_model
    assert ask_export_scope(window, model) is None, "no filter: every project, without asking"
    window.filter_box.setText("信息化")
    window.apply_filter()
    shown = model.shown_project_ids()
    assert len(shown) == 2 < len(model.all_project_ids())

    def answer(button_text: str) -> None:
        box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
        assert "2 个项目（共 13 个）" in box.text()
        next(b for b in box.buttons() if b.text() == button_text).click()

    QTimer.singleShot(0, lambda: answer("筛选出的项目"))
    only = ask_export_scope(window, model)
    assert only == shown
    target = tmp_path / "filtered.xlsx"
    assert window.export_to(target, only)
    book = load_workbook(target, read_only=True)
    assert len(book.sheetnames) == 2 + 2 * 2 and any("信息化运维" in n for n in book.sheetnames)
    book.close()
    QTimer.singleShot(0, lambda: answer("全部项目"))
    assert ask_export_scope(window, model) is None


def test_export_to_a_missing_folder_shows_a_dialog(window: MainWindow, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    assert not window.export_to(tmp_path / "nowhere" / "x.xlsx")
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and "nowhere" in boxes[0].text()
    boxes[0].close()


def _forget_scores(window: MainWindow) -> None:
    """As on a large database never scored before: nothing in memory, nothing kept in the file."""
    assert window.workspace is not None
    window.workspace.reset()
    with window.workspace.database.session() as session:
        session.execute(delete(KeptSummary))
    assert window.workspace.unscored(window.navigator_model.all_project_ids())


@pytest.mark.parametrize(
    "start",
    [
        lambda w: w.off_track_check.setChecked(True),
        lambda w: w.side.sort_by(COL_SCORE, Qt.SortOrder.DescendingOrder),
    ],
    ids=["status-filter", "score-sort"],
)
def test_cancelled_first_scoring_changes_nothing(window: MainWindow, start: Callable[[MainWindow], object]) -> None:
    _forget_scores(window)
    header = window.tree.header()
    before = (header.sortIndicatorSection(), header.sortIndicatorOrder())
    cancel = CancelSoon(window)
    start(window)
    assert cancel.seen
    assert not window.off_track_check.isChecked()
    assert window.navigator_model.project_count() == 13
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == before
    assert _no_dialog_left(window)


def test_first_scoring_then_filter(window: MainWindow) -> None:
    _forget_scores(window)
    window.no_actual_check.setChecked(True)
    assert window.workspace is not None
    assert window.workspace.unscored(window.navigator_model.all_project_ids()) == []
    assert window.navigator_model.project_count() == 13  # nothing recorded anywhere yet
    assert _no_dialog_left(window)


def test_scores_kept_in_the_database_need_no_progress_dialog(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert window.workspace is not None
    _forget_scores(window)
    window.no_actual_check.setChecked(True)  # scores all 13 and keeps them in the file
    window.no_actual_check.setChecked(False)
    window.workspace.reset()  # a new session of the program on the same database
    dialogs: list[LongWork] = []
    monkeypatch.setattr(LongWork, "__enter__", lambda self: dialogs.append(self) or self)
    window.off_track_check.setChecked(True)
    assert dialogs == [], "kept scores are read at once, without a progress dialog"
    assert window.workspace.unscored(window.navigator_model.all_project_ids()) == []
    assert window.off_track_check.isChecked()
