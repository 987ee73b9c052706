"""The desktop window driven as a person would: keys, paste, undo, filter, restart, on a real SQLite file."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from perftrack.domain.attainment import Status
from perftrack.paths import sample_files
from perftrack.store.database import open_database
from perftrack.store.schema import Audit
from perftrack.ui.main_window import MainWindow
from perftrack.ui.navigator import ProjectIdRole
from tests.support.window import INDICATOR, PROJECT
from tests.support.window import open_window as _open
from tests.support.window import project_id as _project_id
from tests.support.window import show_sample as _show
from tests.support.window import stored as _stored
from tests.support.window import type_into as _type_into

# The offscreen platform plugin (the tests' display) warns that it cannot pass size hints on
# or raise a tooltip window; those are limits of the test display, not of the program.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{(tmp_path / 'gui.db').as_posix()}"


@pytest.fixture
def window(qtbot: QtBot, db_url: str) -> Iterator[MainWindow]:
    win = _open(qtbot, db_url)
    assert win.import_files(sample_files())
    # The import's progress dialog may have been shown and closed; typing goes to the window.
    win.activateWindow()
    qtbot.waitActive(win)
    yield win
    win.close()


def test_sample_loads_and_first_project_opens(window: MainWindow) -> None:
    assert window.navigator_model.project_count() == 13
    assert window.page.view_data is not None
    assert window.page.model.rowCount() > 0
    assert window.banner.isHidden()


def test_typed_value_is_stored_and_the_cursor_moves_down(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    _show(window, db_url)
    _type_into(qtbot, window, 0, "Q1", "98")
    assert _stored(db_url, INDICATOR, "Q1") == "98"
    assert window.page.table.currentIndex().row() == 1
    row = window.page.model.row_data(0)
    assert row.texts["Q1"] == "98"
    # 98 % against "=100 %", a latest-value indicator: within 15 % → at risk, not on track.
    assert row.status is Status.AT_RISK
    assert window.page.model.index(0, window.page.model.column_of("Q1")).data() == "98"


def test_invalid_value_is_refused_beside_the_cell(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    _show(window, db_url)
    _type_into(qtbot, window, 0, "Q2", "lots")
    assert _stored(db_url, INDICATOR, "Q2") is None
    page = window.page
    assert page.inline.isVisible()
    assert "lots" in page.inline.text()
    index = page.model.index(0, page.model.column_of("Q2"))
    assert page.model.error_at(index) == page.inline.text().removeprefix("✖ ")
    assert index.data(Qt.ItemDataRole.ToolTipRole) == page.model.error_at(index)
    assert window.statusBar().currentMessage()
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def test_paste_block_from_a_spreadsheet(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    _show(window, db_url)
    model, table = window.page.model, window.page.table
    names = [model.row_data(r).name for r in range(3)]
    table.setFocus()
    table.setCurrentIndex(model.index(0, model.column_of("Q1")))
    QApplication.clipboard().setText("90\t95\n100\t99\n80\t85\n")
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    expected = [("90", "95"), ("100", "99"), ("80", "85")]
    for name, (q1, q2) in zip(names, expected, strict=True):
        assert (_stored(db_url, name, "Q1"), _stored(db_url, name, "Q2")) == (q1, q2)
    # One paste is one undo step.
    window.undo_action.trigger()
    assert all(_stored(db_url, n, p) is None for n in names for p in ("Q1", "Q2"))


def test_undo_and_redo_rerecord_through_the_audit_trail(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    _show(window, db_url)
    _type_into(qtbot, window, 0, "Q1", "50")
    _type_into(qtbot, window, 0, "Q1", "70")
    assert _stored(db_url, INDICATOR, "Q1") == "70"
    window.page.table.setFocus()
    qtbot.keyClick(window.page.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _stored(db_url, INDICATOR, "Q1") == "50"
    assert window.page.model.row_data(0).texts["Q1"] == "50"
    qtbot.keyClick(window.page.table, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert _stored(db_url, INDICATOR, "Q1") == "70"
    with open_database(db_url) as db, db.session() as s:
        changes = s.scalars(select(Audit.new).where(Audit.entity == "actual", Audit.field.is_not(None))).all()
    # typed 50, typed 70, undo back to 50, redo to 70: four recorded changes of the value
    assert [c for c in changes if c in ("50", "70")] == ["50", "70", "50", "70"]


def test_filter_by_name_and_by_status(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    window.filter_box.setText("满意度")  # an indicator name found in most projects
    window.apply_filter()
    some = window.navigator_model.project_count()
    assert 0 < some <= 13
    window.filter_box.setText(PROJECT)
    window.apply_filter()
    assert window.navigator_model.project_count() == 1
    window.filter_box.clear()
    window.apply_filter()
    _show(window, db_url)
    _type_into(qtbot, window, 0, "Q1", "10")  # far below 100 %: off track
    window.off_track_check.setChecked(True)
    assert window.navigator_model.project_count() == 1
    index = window.navigator_model.index_of_project(_project_id(db_url, PROJECT))
    assert index.isValid()
    assert [window.page.model.row_data(r).name for r in range(window.page.model.rowCount())] == [INDICATOR]
    window.off_track_check.setChecked(False)
    assert window.navigator_model.project_count() == 13


def test_sorting_the_table_by_score_and_back_to_the_form(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    _show(window, db_url)
    _type_into(qtbot, window, 0, "YEAR", "100")
    model, table = window.page.model, window.page.table
    assert model.group_spans(), "in the form's order level-1 and level-2 cells are merged"
    score_column = model.column_of("score")
    table.horizontalHeader().sectionClicked.emit(score_column)
    table.horizontalHeader().sectionClicked.emit(score_column)  # descending
    scores = [model.row_data(r).score for r in range(model.rowCount())]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > 0
    assert model.group_spans() == []
    table.horizontalHeader().sectionClicked.emit(score_column)  # third click: the form's order
    assert model.row_data(0).name == INDICATOR


def test_values_survive_a_restart(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    _show(window, db_url)
    _type_into(qtbot, window, 0, "Q3", "99")
    window.close()
    again = _open(qtbot, db_url)
    again.show_project(_project_id(db_url, PROJECT))
    assert again.page.model.row_data(0).texts["Q3"] == "99"
    assert again.banner.isHidden()
    again.close()


def test_empty_database_offers_the_sample(qtbot: QtBot, db_url: str) -> None:
    window = _open(qtbot, db_url)
    assert window.banner.isVisible()
    assert window.navigator_model.project_count() == 0
    qtbot.mouseClick(window.load_sample_button, Qt.MouseButton.LeftButton)
    assert window.navigator_model.project_count() == 13
    assert window.banner.isHidden()
    window.close()


def test_a_bad_file_shows_a_dialog_and_imports_nothing(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("这不是申报表\n", encoding="utf-8")
    assert not window.import_files([bad, tmp_path / "missing.txt"])
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert boxes and "未写入任何内容" in boxes[0].text()
    assert window.navigator_model.project_count() == 13
    boxes[0].close()


def test_budget_row_edit_updates_rate(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    _show(window, db_url)
    budget = window.page.budget_model
    headers = [budget.headerData(c, Qt.Orientation.Horizontal) for c in range(budget.columnCount())]
    column, rate_column = headers.index("全年执行数"), headers.index("执行率")
    assert budget.setData(budget.index(0, column), "2950000")
    assert budget.index(0, rate_column).data() == "50.00%"  # 2,950,000 of 5,900,000
    assert not budget.setData(budget.index(0, column), "abc")
    assert window.page.inline.isVisible()


def test_navigator_selection_opens_the_project(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    pid = _project_id(db_url, PROJECT)
    index = window.navigator_model.index_of_project(pid)
    window.tree.setCurrentIndex(index)
    assert window.page.view_data is not None and window.page.view_data.project_id == pid
    assert index.data(ProjectIdRole) == pid
    assert window.navigator_model.parent(index).parent().parent() == QModelIndex()


def test_smoke_prints_first_paint_and_exits_zero(tmp_path: Path) -> None:
    env = {"QT_QPA_PLATFORM": "offscreen", "PERFTRACK_DATA_DIR": str(tmp_path), "PATH": ""}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from perftrack.cli import main; sys.exit(main())",
            "--smoke",
            "--load-sample-if-empty",
            "--db",
            str(tmp_path / "s.db"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "first paint after" in done.stdout


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_check_panel_lists_the_seed_defects(window: MainWindow, qtmodeltester) -> None:
    dialog = window.check_files(sample_files())
    model = dialog.model
    qtmodeltester.check(model)
    rows = [[model.data(model.index(r, c)) for c in range(3)] for r in range(model.rowCount())]
    assert rows[0][0] == "错误"  # errors first
    assert any("高转项目管理规范性" in r[2] and r[1].endswith(":347") for r in rows)
    assert any(r[1].endswith(":263") and "重复" in r[2] for r in rows)
    dialog.close()


def test_opening_another_database_keeps_the_frame(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QLabel

    extra = QLabel("dashboard")
    window.add_main_tab(extra, "总览")
    assert not window.tabs.tabBar().isHidden(), "two tabs: the tab bar shows"
    old_page, old_side = window.page, window.side
    with qtbot.waitSignal(window.workspaceChanged) as changed:
        window.open_url(f"sqlite:///{(tmp_path / 'other.db').as_posix()}")
    assert changed.args == [window.workspace]
    assert window.navigator_model.project_count() == 0
    assert window.banner.isVisible()
    assert window.page is not old_page and window.side is not old_side
    assert window.tabs.widget(0) is window.page and window.tabs.indexOf(extra) == window.tabs.count() - 1
    assert window.splitter.widget(0) is window.side
    assert window.status_db.text().endswith("other.db")
    assert not window.undo_action.isEnabled()


def test_hooks_for_more_commands(qtbot: QtBot) -> None:
    from PySide6.QtGui import QAction, QUndoGroup
    from PySide6.QtWidgets import QMainWindow

    from perftrack.ui.actions import MainActions

    host = QMainWindow()
    qtbot.addWidget(host)
    commands = MainActions(host, QUndoGroup(host))
    assert not commands.help_menu.menuAction().isVisible(), "an empty Help menu stays hidden"
    about = QAction("关于", host)
    commands.add_help_action(about)
    assert commands.help_menu.menuAction().isVisible()
    assert commands.help_menu.actions() == [about]
    printing = QAction("打印…", host)
    commands.add_file_actions([printing], toolbar=True)
    file_actions = commands.file_menu.actions()
    assert file_actions.index(printing) == file_actions.index(commands.quit_action) - 2  # then a separator
    toolbar = commands.toolbar.actions()
    assert toolbar.index(printing) == toolbar.index(commands.export_action) + 1


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_the_window_has_charts_printing_and_about(qtbot: QtBot, window: MainWindow) -> None:
    parts = window.parts
    assert [a.text() for a in window.commands.help_menu.actions()] == ["关于 perftrack…"]
    file_texts = [a.text() for a in window.commands.file_menu.actions()]
    assert {"打印预览…", "打印…", "导出 PDF…"} <= set(file_texts)
    assert parts.dashboard is None, "the charts are built when first opened, not at start-up"
    shown = window.navigator_model.first_project()
    assert parts.report_ids() == [shown]
    window.tabs.setCurrentWidget(parts.holder)
    assert parts.dashboard is not None and parts.dashboard.shown_project_ids() == [shown]


def test_a_dropped_declaration_file_is_imported(qtbot: QtBot, db_url: str) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    win = _open(qtbot, db_url)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in sample_files()])
    where = QPointF(win.rect().center())
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    # Qt's own signatures: a drag enters at a QPoint, a drop lands at a QPointF.
    enter = QDragEnterEvent(win.rect().center(), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(win, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(win, QDropEvent(where, Qt.DropAction.CopyAction, mime, buttons, keys))
    assert win.navigator_model.project_count() == 13
    assert win.banner.isHidden()
    win.close()


def _rows_in_view(window: MainWindow) -> list[int]:
    """The projects whose rows the navigator's viewport shows, found by each row's rectangle."""
    tree, model = window.tree, window.navigator_model
    area = tree.viewport().rect()
    shown = []
    for pid in model.all_project_ids():
        index = model.index_of_project(pid)
        if index.isValid() and tree.visualRect(index).intersects(area):
            shown.append(pid)
    return shown


def test_navigator_reports_the_rows_it_shows(qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from perftrack.ui import navigator_panel

    window.tree.setFixedHeight(160)  # a few rows: most of the 13 projects are out of view
    qtbot.waitUntil(lambda: window.tree.viewport().height() < 160)
    monkeypatch.setattr(navigator_panel, "VISIBLE_MARGIN", 0)
    in_view = _rows_in_view(window)
    assert 0 < len(in_view) < 13
    assert sorted(window.side.visible_projects()) == sorted(in_view)
    window.tree.scrollToBottom()
    in_view = _rows_in_view(window)
    assert in_view and sorted(window.side.visible_projects()) == sorted(in_view)
    # With a margin, the rows just outside are asked for too, and no others.
    monkeypatch.setattr(navigator_panel, "VISIBLE_MARGIN", 2)
    with_margin = window.side.visible_projects()
    assert set(in_view) < set(with_margin) and len(with_margin) <= len(in_view) + 4


def test_navigator_never_shows_a_stale_score(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    pid = _project_id(db_url, PROJECT)
    window.show_project(pid)
    score_index = window.navigator_model.index_of_project(pid, 1)
    assert score_index.data() == "未评"
    _show(window, db_url)
    _type_into(qtbot, window, 0, "Q1", "50")
    qtbot.waitUntil(lambda: window.navigator_model.index_of_project(pid, 1).data() != "未评")
    summary = window.workspace.cached_summary(pid) if window.workspace else None
    assert summary is not None and summary.scored
    assert window.navigator_model.index_of_project(pid, 1).data() == f"{summary.total:.2f}"
    assert window.page.view_data is not None and window.page.view_data.summary == summary
