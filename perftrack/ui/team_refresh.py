"""Seeing what teammates change in a shared database without restarting.

When the window comes to the front and every few seconds (each time unless the user is typing
in a cell or answering a dialog), and when a project is opened, the workspace looks for audit
rows it has not seen (one indexed query) and re-reads the projects they name; the page and the
navigator then show the other users' values. A write still compares against what the page
showed (``store/conflicts.py``): this only makes a clash rarer and shows it sooner. The same
watch makes the daily automatic backup of a window left open for days.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication

from perftrack.store.errors import StoreError
from perftrack.ui.formatting import arg

if TYPE_CHECKING:
    from perftrack.ui.main_window import MainWindow

# How often an idle window looks for other users' changes.
POLL_MS = 3000
# How often an open window checks whether today's automatic backup is due.
BACKUP_CHECK_MS = 3_600_000


class TeamRefresh(QObject):
    """Keeps ``window``'s pages in step with changes other users commit."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll_when_idle)
        self.timer.start()
        # A window left open for days still gets its daily backup (made when a day has passed).
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.daily_backup)
        self.backup_timer.start()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.applicationStateChanged.connect(self._state_changed)

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        # Back at the front in the middle of typing into a cell (or answering a dialog): the page is
        # left as the user left it; the idle poll takes the changes in once they are done.
        if state == Qt.ApplicationState.ApplicationActive:
            self.poll_when_idle()

    def _busy(self) -> bool:
        """The user is typing in a cell or answering a dialog: do not move things under them."""
        if QApplication.activeModalWidget() is not None:
            return True
        page = getattr(self.window, "page", None)
        table = getattr(page, "table", None)
        return table is not None and table.state() == QAbstractItemView.State.EditingState

    def daily_backup(self) -> None:
        if self.window.workspace is not None:
            self.window.workspace.database.daily_backup()

    def poll_when_idle(self) -> None:
        if not self._busy():
            self.poll()

    def poll(self) -> set[int]:
        """Take in other users' changes now; returns the projects re-read."""
        workspace = self.window.workspace
        if workspace is None:
            return set()
        try:
            changed = workspace.poll()
        except StoreError as exc:
            self.window.statusBar().showMessage(str(exc), 10000)
            return set()
        view = self.window.page.view_data
        if view is not None and view.project_id in changed:
            view = workspace.view(view.project_id)
            if view is not None:
                self.window.statusBar().showMessage(
                    arg(self.tr("其他用户修改了项目「%1」，页面已更新"), view.name), 10000
                )
        return changed
