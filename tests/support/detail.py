"""Working the detail pane as a person would, shared by the GUI tests of the detail pane and the monitoring box."""

from __future__ import annotations

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from perftrack.ui.main_window import MainWindow

QUALITATIVE = "保障基地安全"  # target 有效实现, assessed by tier (row 4 of the project)


def _select_row(window: MainWindow, name: str) -> int:
    model = window.page.model
    row = next(r for r in range(model.rowCount()) if model.row_data(r).name == name)
    window.page.table.setCurrentIndex(model.index(row, model.column_of("Q1")))
    assert window.page.detail.indicator_id == model.row_data(row).indicator_id
    return row


def _type_chinese(widget: QWidget, text: str) -> None:
    """Type as a Chinese input method does: it commits the composed characters to the focused widget."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _leave(qtbot: QtBot, window: MainWindow) -> None:
    """Move the keyboard focus to the table, as a click elsewhere would."""
    window.page.table.setFocus()
    qtbot.waitUntil(lambda: window.page.table.hasFocus())
