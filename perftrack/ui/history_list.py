"""An indicator's change history, newest first: when and who on one line, what changed below it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget
from sqlalchemy.orm import Session

from perftrack.store.audit import history
from perftrack.ui.formatting import datetime_text

ChangeRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True, slots=True)
class Change:
    """One audit entry as the list shows it."""

    at: dt.datetime
    user: str
    summary: str


def read_changes(session: Session, project_id: int, indicator_id: int) -> list[Change]:
    """An indicator's audit entries, newest first."""
    return [
        Change(a.at, a.user, a.summary or f"{a.field}: {a.old} → {a.new}")
        for a in history(session, project_id, indicator_id)
    ]


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
