"""Pressing Cancel on the long work's progress dialog, shared by the GUI tests of imports and exports."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressDialog, QPushButton

from perftrack.ui.long_work import LongWork
from perftrack.ui.main_window import MainWindow


class CancelSoon:
    """Presses the progress dialog's Cancel button once the work has started, and notes what it saw."""

    def __init__(self, parent: MainWindow) -> None:
        self.parent = parent
        self.seen: list[QProgressDialog] = []
        QTimer.singleShot(0, self._press)

    def _press(self) -> None:
        dialog = self.parent.findChild(QProgressDialog, "long-work")
        assert dialog is not None, "the work runs under a progress dialog"
        self.seen.append(dialog)
        self.modality = dialog.windowModality()
        self.min_duration = dialog.minimumDuration()
        self.label = dialog.labelText()
        button = dialog.findChild(QPushButton)
        assert button is not None
        button.click()


def _no_dialog_left(window: MainWindow) -> bool:
    return not [d for d in window.findChildren(QProgressDialog) if d.isVisible()] and not LongWork.busy()
