"""File ▸ 导出: which projects go into the workbook when the navigator shows only some."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from perftrack.ui.formatting import arg
from perftrack.ui.navigator import NavigatorModel


def ask_export_scope(parent: QWidget, navigator: NavigatorModel) -> list[int] | None:
    """With a filter on, ask: the projects it shows, or all? None means all, [] cancelled."""
    shown = navigator.shown_project_ids()
    total = len(navigator.all_project_ids())
    if not shown or len(shown) == total:
        return None
    box = QMessageBox(
        QMessageBox.Icon.Question, QCoreApplication.translate("ExportScope", "导出自评工作簿"), "", parent=parent
    )
    box.setText(
        arg(
            QCoreApplication.translate("ExportScope", "筛选条件下显示 %1 个项目（共 %2 个）。导出哪些项目？"),
            len(shown),
            total,
        )
    )
    filtered = box.addButton(
        QCoreApplication.translate("ExportScope", "筛选出的项目"), QMessageBox.ButtonRole.AcceptRole
    )
    everything = box.addButton(QCoreApplication.translate("ExportScope", "全部项目"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(filtered)
    box.exec()
    if box.clickedButton() is filtered:
        return shown
    return None if box.clickedButton() is everything else []
