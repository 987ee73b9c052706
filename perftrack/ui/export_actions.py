"""File ▸ 导出汇总表… and 按实施单位导出…: the workbook's two other shapes, beside 导出自评工作簿.

导出汇总表 writes the 汇总 sheet and its chart sheet alone (one line per project); 按实施单位导出
writes one complete workbook per implementing unit into a folder, so a department's thousand
projects never need to be one giant file. Both ask, with a filter on, whether to take the
projects it shows or all of them (``ask_export_scope``), and run with progress and Cancel.
A cancelled per-unit export keeps the workbooks already complete and says which they are:
the set is never presented as done.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox

from perftrack.ui.export_scope import ask_export_scope
from perftrack.ui.formatting import arg
from perftrack.ui.long_work import export_per_unit_with_progress

if TYPE_CHECKING:
    from perftrack.export.workbook import PerUnitResult
    from perftrack.ui.main_window import MainWindow

# Files a message names before saying how many more there are.
SHOWN_FILES = 10


class ExportActions(QObject):
    """The two actions, placed in the File menu right after 导出自评工作簿."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.summary_action = QAction(window)
        self.summary_action.triggered.connect(lambda _checked=False: self.export_summary())
        self.per_unit_action = QAction(window)
        self.per_unit_action.triggered.connect(lambda _checked=False: self.export_per_unit())
        menu = window.commands.file_menu
        entries = menu.actions()
        following = entries.index(window.commands.export_action) + 1
        before = entries[following] if following < len(entries) else None
        for action in (self.summary_action, self.per_unit_action):
            if before is None:
                menu.addAction(action)
            else:
                menu.insertAction(before, action)
        window.installEventFilter(self)
        self.retranslate()

    def retranslate(self) -> None:
        """Name the actions in the current language."""
        self.summary_action.setText(self.tr("导出汇总表…"))
        self.summary_action.setStatusTip(self.tr("只导出汇总表和汇总图表（每个项目一行），不含各项目的自评表和监控表"))
        self.per_unit_action.setText(self.tr("按实施单位导出…"))
        self.per_unit_action.setStatusTip(self.tr("每个实施单位导出一个工作簿，以单位名称命名，写入所选文件夹"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def export_summary(self) -> bool:
        """Ask which projects and where, then write the summary workbook."""
        if self.window.workspace is None:
            return False
        only = ask_export_scope(self.window, self.window.navigator_model)
        if only == []:
            return False
        path, _ = QFileDialog.getSaveFileName(
            self.window, self.tr("导出汇总表"), self.tr("汇总表.xlsx"), self.tr("Excel 工作簿 (*.xlsx)")
        )
        return bool(path) and self.window.export_to(Path(path), only, summary_only=True)

    def export_per_unit(self) -> PerUnitResult | None:
        """Ask which projects and which folder, then write a workbook per unit."""
        if self.window.workspace is None:
            return None
        only = ask_export_scope(self.window, self.window.navigator_model)
        if only == []:
            return None
        folder = QFileDialog.getExistingDirectory(self.window, self.tr("按实施单位导出：选择文件夹"))
        return self.export_per_unit_to(Path(folder), only) if folder else None

    def export_per_unit_to(
        self, folder: Path, only: list[int] | None = None, *, summary_only: bool = False
    ) -> PerUnitResult | None:
        """Write one workbook per unit into ``folder`` and say what was written; None when it failed."""
        from perftrack.export.workbook import ExportError
        from perftrack.ui.main_window import show_error

        window = self.window
        assert window.workspace is not None
        try:
            result, units = export_per_unit_with_progress(
                window, window.workspace, folder, only, summary_only=summary_only
            )
        except ExportError as exc:
            show_error(window, self.tr("导出失败"), str(exc))
            return None
        except OSError as exc:
            show_error(window, self.tr("导出失败"), arg(self.tr("无法写入 %1：%2"), folder, exc.strerror or exc))
            return None
        if result.cancelled:
            self._say_cancelled(result, units, folder)
        else:
            window.statusBar().showMessage(
                arg(
                    self.tr("已按实施单位导出 %1 个工作簿（%2 个项目）到 %3"),
                    len(result.written),
                    result.projects,
                    folder,
                ),
                15000,
            )
        return result

    def _say_cancelled(self, result: PerUnitResult, units: int, folder: Path) -> None:
        window = self.window
        done = len(result.written)
        summary = arg(self.tr("已取消：%1 个实施单位中只导出了 %2 个，其余未写入"), units, done)
        window.statusBar().showMessage(summary, 15000)
        if not done:
            return
        names = [path.name for _, path, _ in result.written[:SHOWN_FILES]]
        more = done - len(names)
        listing = "\n".join(names) + (arg(self.tr("\n……另有 %1 个"), more) if more else "")
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("按实施单位导出"),
            arg(self.tr("%1。已写入 %2 的工作簿："), summary, folder),
            QMessageBox.StandardButton.Ok,
            window,
        )
        box.setInformativeText(listing)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
