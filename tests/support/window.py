"""The desktop window driven as a person would, shared by the GUI tests: open it on a database,
open the sample project, type into a cell, read what was stored."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from perftrack.store.database import open_database
from perftrack.store.schema import Actual, Indicator, Project
from perftrack.ui.app import make_application
from perftrack.ui.main_window import MainWindow

PROJECT = "孵化基地运营及创业孵化服务支出"
INDICATOR = "后勤保障服务完成率"  # =100.00(%), the first row of that project


def open_window(qtbot: QtBot, url: str) -> MainWindow:
    make_application()
    window = MainWindow(url)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def project_id(url: str, name: str) -> int:
    with open_database(url) as db, db.session() as s:
        return s.scalar(select(Project.id).where(Project.name == name))


def stored(url: str, indicator: str, period: str) -> str | None:
    with open_database(url) as db, db.session() as s:
        actual = s.scalar(select(Actual).join(Indicator).where(Indicator.name == indicator, Actual.period == period))
        return actual.value_text if actual is not None else None


def show_sample(window: MainWindow, url: str) -> None:
    window.show_project(project_id(url, PROJECT))
    assert window.page.model.row_data(0).name == INDICATOR


def type_into(qtbot: QtBot, window: MainWindow, row: int, key: str, text: str) -> None:
    """Select a cell, type as a person does, press Enter."""
    table = window.page.table
    index = window.page.model.index(row, window.page.model.column_of(key))
    table.setFocus()
    table.setCurrentIndex(index)
    qtbot.keyClicks(table, text[0])
    editor = QApplication.focusWidget()
    assert editor is not table, "typing into a cell opens its editor"
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits Enter through a queued call.
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState)


def sample_window(qtbot: QtBot, url: str, name: str) -> tuple[MainWindow, int]:
    """A window on a new database holding the sample forms, showing the project named; and its id."""
    from perftrack.paths import sample_files

    window = open_window(qtbot, url)
    assert window.import_files(sample_files())
    pid = project_id(url, name)
    window.show_project(pid)
    return window, pid
