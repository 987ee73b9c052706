"""File ▸ 打印预览, 打印, 导出 PDF and 导出监控报告 PDF as actions.

Preview, print and PDF give each project's self-evaluation once its figures stand at the year
end, and its monitoring report before; 导出监控报告 PDF gives the monitoring report (the 监控
table with the charts) whenever asked.

The actions are cheap to create; the printing machinery (matplotlib, the report) is imported
when one is first used, so it costs nothing at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from perftrack.domain.periods import YEAR
from perftrack.ui.formatting import arg
from perftrack.ui.workspace import Workspace

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewDialog


def _error(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


# The projects looked at to name the PDF (each one's page is evaluated, as opening it would).
MIDYEAR_LOOKS = 20


class ReportActions(QObject):
    """File ▸ 打印预览, 打印 and 导出 PDF over the projects a callback names (the dashboard's)."""

    message = Signal(str)  # a confirmation for the status bar

    def __init__(
        self,
        parent: QWidget,
        workspace: Callable[[], Workspace | None],
        project_ids: Callable[[], list[int]],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._workspace = workspace
        self._project_ids = project_ids
        self.preview_action = self._action(self.preview, "Ctrl+Shift+P")
        self.print_action = self._action(self.print_, QKeySequence.StandardKey.Print)
        self.export_pdf_action = self._action(self.export, "Ctrl+Shift+E")
        self.monitoring_action = self._action(self.export_monitoring, "Ctrl+Shift+M")
        self.retranslate()
        parent.installEventFilter(self)  # a QObject hears of a language change through its window

    def _action(self, slot: Callable[[], object], key: QKeySequence.StandardKey | str) -> QAction:
        action = QAction(self._parent)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        return action

    def retranslate(self) -> None:
        """Name the actions in the current language."""
        self.preview_action.setText(self.tr("打印预览…"))
        self.print_action.setText(self.tr("打印…"))
        self.export_pdf_action.setText(self.tr("导出 PDF…"))
        self.monitoring_action.setText(self.tr("导出监控报告 PDF…"))
        self.monitoring_action.setIconText(self.tr("监控报告"))
        self.monitoring_action.setToolTip(self.tr("把所选项目的运行监控表（截至已填报的最后一期）和图表导出为 PDF"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._parent and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def actions(self) -> list[QAction]:
        """The four actions, in menu order."""
        return [self.preview_action, self.print_action, self.export_pdf_action, self.monitoring_action]

    def _scope(self) -> tuple[Workspace, list[int]] | None:
        workspace = self._workspace()
        ids = self._project_ids()
        if workspace is None or not ids:
            _error(self._parent, self.tr("打印"), self.tr("请先在左侧选择一个项目。"))
            return None
        return workspace, ids

    def preview(self) -> QPrintPreviewDialog | None:
        """Show the print preview."""
        from perftrack.ui.printing import print_preview

        scope = self._scope()
        return print_preview(self._parent, *scope) if scope else None

    def print_(self) -> QPrintDialog | None:
        """Ask for a printer and print."""
        from perftrack.ui.printing import print_report

        scope = self._scope()
        return print_report(self._parent, *scope) if scope else None

    def export(self) -> Path | None:
        """Ask for a file name and write the PDF (named for what it will be: a self-evaluation once the
        projects' year-end figures are in, else a monitoring report)."""
        return self._export(self.tr("导出 PDF"), self._default_name(), monitoring=False)

    def _default_name(self) -> str:
        workspace, ids = self._workspace(), self._project_ids()
        if workspace is not None and ids:
            views = (workspace.view(pid) for pid in ids[:MIDYEAR_LOOKS])
            if any(view is not None and view.as_of != YEAR for view in views):
                return self.tr("运行监控表.pdf")
        return self.tr("自评表.pdf")

    def export_monitoring(self) -> Path | None:
        """Ask for a file name and write the monitoring report as a PDF."""
        return self._export(self.tr("导出监控报告 PDF"), self.tr("运行监控表.pdf"), monitoring=True)

    def _export(self, title: str, name: str, *, monitoring: bool) -> Path | None:
        from perftrack.ui.printing import export_pdf

        scope = self._scope()
        if scope is None:
            return None
        chosen, _ = QFileDialog.getSaveFileName(self._parent, title, name, "PDF (*.pdf)")
        if not chosen:
            return None
        path = Path(chosen) if chosen.lower().endswith(".pdf") else Path(chosen + ".pdf")
        if not export_pdf(self._parent, *scope, path, monitoring=monitoring):
            return None
        self.message.emit(arg(self.tr("已导出到 %1"), path))
        return path
