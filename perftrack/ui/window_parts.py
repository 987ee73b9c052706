"""The parts of the main window that follow its project: the 图表 tab, printing, Help ▸ About.

The charts tab is built the first time it is opened: matplotlib costs a few hundred
milliseconds to import, and start-up should not pay for a tab the user may never open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QVBoxLayout, QWidget

from perftrack.ui.report_actions import ReportActions
from perftrack.ui.workspace import Workspace

if TYPE_CHECKING:
    from perftrack.ui.dashboard import DashboardWidget
    from perftrack.ui.main_window import MainWindow


class WindowParts(QObject):
    """Adds the charts tab, the print actions and About to ``window`` and keeps them in step."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dashboard: DashboardWidget | None = None
        self._project: int | None = None
        self.holder = QWidget()
        QVBoxLayout(self.holder).setContentsMargins(0, 0, 0, 0)
        window.add_main_tab(self.holder, "")
        window.tabs.currentChanged.connect(self._tab_changed)
        window.projectShown.connect(self._project_shown)
        window.workspaceChanged.connect(self._workspace_changed)

        self.report_actions = ReportActions(window, lambda: window.workspace, self.report_ids)
        self.report_actions.message.connect(lambda text: window.statusBar().showMessage(text, 15000))
        window.commands.add_file_actions(self.report_actions.actions(), toolbar=True)

        self.about_action = QAction(window)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        window.commands.add_help_action(self.about_action)
        window.installEventFilter(self)
        self.retranslate()

    def retranslate(self) -> None:
        self.window.tabs.setTabText(self.window.tabs.indexOf(self.holder), self.tr("图表"))
        self.about_action.setText(self.tr("关于 perftrack…"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def report_ids(self) -> list[int]:
        """What File ▸ 打印 covers: what the charts show, else the project on the page."""
        if self.dashboard is not None:
            return self.dashboard.shown_project_ids()
        return [self._project] if self._project is not None else []

    def ensure_dashboard(self) -> DashboardWidget:
        if self.dashboard is None:
            from perftrack.ui.dashboard import DashboardWidget

            assert self.window.workspace is not None
            self.dashboard = DashboardWidget(self.window.workspace, self.holder)
            self.holder.layout().addWidget(self.dashboard)
            self.dashboard.set_project(self._project)
        return self.dashboard

    def show_about(self) -> None:
        from perftrack.ui.about import show_about

        if self.window.workspace is not None:
            show_about(self.window, self.window.workspace.database.url)

    def _tab_changed(self, index: int) -> None:
        if self.window.tabs.widget(index) is self.holder:
            self.ensure_dashboard()

    def _project_shown(self, project_id: int) -> None:
        self._project = project_id
        if self.dashboard is not None:
            self.dashboard.set_project(project_id)

    def _workspace_changed(self, workspace: Workspace) -> None:
        self._project = None
        if self.dashboard is not None:
            self.dashboard.set_workspace(workspace)
