"""An indicator's change history, newest first: when and who on one line, what changed below it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from perftrack.ui.formatting import datetime_text
from perftrack.ui.workspace import Change  # read by Workspace.changes

ChangeRole = Qt.ItemDataRole.UserRole + 1


class HistoryList(QListWidget):
    """The change history of the indicator shown in the detail pane."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def show_changes(self, project_name: str, changes: list[Change]) -> None:
        """List the changes; the project's own name is left out, every entry is about it."""
        self.clear()
        prefix = f"「{project_name}」"
        for change in changes:
            what = change.summary.removeprefix(prefix)
            item = QListWidgetItem(f"{datetime_text(change.at)} · {change.user}\n{what}")
            item.setToolTip(change.summary)
            item.setData(ChangeRole, what)
            item.setForeground(QBrush(QColor("#202020")))
            self.addItem(item)
