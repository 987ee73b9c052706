"""The 审核 tab: every project's figures of a quarter, where they stand, and the reviewer's steps.

A reviewer picks the quarter (and a unit), sees each project's state (填报中 / 已提交 / 已审核 /
已退回), its score so far, how many indicators are off track or unexplained and what is missing,
filters to what needs their action, opens a project, and approves, returns with a comment or
reopens with a reason. A manager submits from here too. The list is exported to a workbook for
the unit's files. The rules and the audit are the store's (perftrack.store.review).
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from perftrack.domain.errors import UserError
from perftrack.domain.periods import QUARTERS, YEAR, entry_period
from perftrack.domain.review import ReviewStatus, Step
from perftrack.files import AtomicFile
from perftrack.store.review import ReviewRow
from perftrack.ui.formatting import RIGHT_ALIGNED, arg, brush, datetime_text, score
from perftrack.ui.labels import period_name, review_status_label
from perftrack.ui.settings import settings
from perftrack.ui.workspace import Workspace

Index = QModelIndex | QPersistentModelIndex
# The state colours of the list: waiting for someone is amber, locked is green, returned is red.
STATUS_TINTS = {
    ReviewStatus.DRAFT: None,
    ReviewStatus.SUBMITTED: "#fff3c4",
    ReviewStatus.APPROVED: "#dcefdc",
    ReviewStatus.RETURNED: "#f8d7d7",
}
COLUMNS = ("name", "unit", "status", "score", "off_track", "unexplained", "missing", "comment")


class ReviewModel(QAbstractTableModel):
    """The reviewer's list as a table."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[ReviewRow] = []

    def set_rows(self, rows: list[ReviewRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def headers(self) -> list[str]:
        return [
            self.tr("项目"),
            self.tr("实施单位"),
            self.tr("状态"),
            self.tr("得分"),
            self.tr("偏离"),
            self.tr("待说明"),
            self.tr("缺漏"),
            self.tr("审核意见"),
        ]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, key = self.rows[index.row()], COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, key)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "missing":
                return "\n".join(row.missing.lines()) or None
            if key in ("comment", "status") and row.by:
                return arg(self.tr("%1 于 %2"), row.by, _local(row.at)) + (f"\n{row.comment}" if row.comment else "")
            return self.text(row, key) or None
        if role == Qt.ItemDataRole.BackgroundRole and key == "status":
            tint = STATUS_TINTS[row.status]
            return brush(tint) if tint else None
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("score", "off_track", "unexplained"):
            return RIGHT_ALIGNED
        return None

    def text(self, row: ReviewRow, key: str) -> str:
        if key == "name":
            return row.name
        if key == "unit":
            return row.unit
        if key == "status":
            return review_status_label(row.status)
        if key == "score":
            return score(row.score) if row.scored else self.tr("未评")
        if key == "off_track":
            return str(row.off_track)
        if key == "unexplained":
            return str(row.unexplained)
        if key == "missing":
            return "；".join(row.missing.lines())
        return row.comment or ""


def _local(at: dt.datetime | None) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M") if at is not None else ""


MANAGER_KEY = "review/manager"  # whose projects the list and the reminders are about ("": everyone's)


def chosen_manager() -> str | None:
    """The 项目负责人 this user chose on the 审核 tab, for the list and the reminders."""
    return str(settings().value(MANAGER_KEY, "") or "") or None


class ReviewPanel(QWidget):
    """The 审核 tab; ``projectActivated`` opens a project on the 项目 tab, ``message`` goes to the status bar."""

    projectActivated = Signal(int)
    message = Signal(str)
    managerChosen = Signal()  # the reminders follow the 负责人 chosen

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)

        top = QHBoxLayout()
        self.period_caption, self.period_box = QLabel(), QComboBox()
        self.year_caption, self.year_box = QLabel(), QComboBox()
        self.unit_caption, self.unit_box = QLabel(), QComboBox()
        self.manager_caption, self.manager_box = QLabel(), QComboBox()
        self.mine_check = QCheckBox()
        for widget in (
            self.year_caption,
            self.year_box,
            self.period_caption,
            self.period_box,
            self.unit_caption,
            self.unit_box,
            self.manager_caption,
            self.manager_box,
            self.mine_check,
        ):
            top.addWidget(widget)
        top.addStretch(1)
        self.who = QLabel()
        top.addWidget(self.who)
        layout.addLayout(top)

        self.model = ReviewModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("missing"), QHeaderView.ResizeMode.Stretch)
        header.setMaximumSectionSize(320)
        self.table.doubleClicked.connect(lambda _i: self._open())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._enable())
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.open_button = QPushButton()
        self.submit_button = QPushButton()
        self.approve_button = QPushButton()
        self.return_button = QPushButton()
        self.reopen_button = QPushButton()
        self.export_button = QPushButton()
        self.print_button = QPushButton()
        self.fill_in_button = QPushButton()
        self.import_button = QPushButton()
        self.fill_in_button.clicked.connect(self._export_fill_ins)
        self.import_button.clicked.connect(self._import_fill_ins)
        self.open_button.clicked.connect(self._open)
        self.submit_button.clicked.connect(lambda: self.take(Step.SUBMIT))
        self.approve_button.clicked.connect(lambda: self.take(Step.APPROVE))
        self.return_button.clicked.connect(lambda: self.take(Step.RETURN))
        self.reopen_button.clicked.connect(lambda: self.take(Step.REOPEN))
        self.export_button.clicked.connect(self._export)
        self.print_button.clicked.connect(self._print)
        for button in (self.open_button, self.submit_button, self.approve_button, self.return_button):
            buttons.addWidget(button)
        buttons.addWidget(self.reopen_button)
        buttons.addStretch(1)
        buttons.addWidget(self.fill_in_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.print_button)
        layout.addLayout(buttons)

        for box in (self.period_box, self.year_box, self.unit_box):
            box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.manager_box.currentIndexChanged.connect(lambda _i: self._manager_chosen())
        self.mine_check.toggled.connect(lambda _on: self.refresh())
        # Scoring every project for the list costs time: it is read again only while it is seen.
        self._stale = False
        workspace.projectChanged.connect(lambda _pid: self._changed())
        workspace.projectsReset.connect(self.reload_choices)
        self.retranslate()
        self.reload_choices()

    # -- text --------------------------------------------------------------------------------

    def changeEvent(self, event: Any) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.refresh()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.period_caption.setText(self.tr("期间"))
        self.year_caption.setText(self.tr("年度"))
        self.unit_caption.setText(self.tr("实施单位"))
        self.manager_caption.setText(self.tr("负责人"))
        self.manager_box.setToolTip(self.tr("只列出该项目负责人的项目；打开程序时的提醒也只说这些项目"))
        self.mine_check.setText(self.tr("只看需要我处理的"))
        self.open_button.setText(self.tr("打开项目"))
        self.submit_button.setText(self.tr("提交"))
        self.approve_button.setText(self.tr("审核通过"))
        self.return_button.setText(self.tr("退回…"))
        self.reopen_button.setText(self.tr("重新打开…"))
        self.export_button.setText(self.tr("导出列表…"))
        self.print_button.setText(self.tr("打印列表…"))
        self.print_button.setToolTip(self.tr("预览并打印列表（可在打印对话框中另存为 PDF）"))
        self.fill_in_button.setText(self.tr("导出填报工作簿…"))
        self.fill_in_button.setToolTip(
            self.tr("为列表中的每个项目导出本期的填报工作簿（只开放要填写的单元格），交项目负责人填写")
        )
        self.import_button.setText(self.tr("导入交回的填报…"))
        self.import_button.setToolTip(self.tr("读入填好的填报工作簿（也可以把文件拖到窗口上）"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    # -- choices and the list ------------------------------------------------------------------

    def reload_choices(self) -> None:
        """Years and units from the database; the period defaults to the current (or last) quarter."""
        index = self.workspace.project_index()
        years = sorted({year for _, year, _, _ in index}, reverse=True)
        units = sorted({unit for _, _, unit, _ in index if unit})
        for box in (self.year_box, self.period_box, self.unit_box):
            box.blockSignals(True)
        keep_year, keep_unit = self.year_box.currentData(), self.unit_box.currentData()
        self.year_box.clear()
        for year in years:
            self.year_box.addItem(str(year), year)
        if keep_year in years:
            self.year_box.setCurrentIndex(years.index(keep_year))
        if self.period_box.count() == 0:
            for code in (*QUARTERS, YEAR):
                self.period_box.addItem(period_name(code) if code != YEAR else self.tr("全年"), code)
            year = years[0] if years else dt.date.today().year
            self.period_box.setCurrentIndex(QUARTERS.index(entry_period(year, "quarterly", dt.date.today())))
        self.unit_box.clear()
        self.unit_box.addItem(self.tr("全部单位"), None)
        for unit in units:
            self.unit_box.addItem(unit, unit)
        if keep_unit in units:
            self.unit_box.setCurrentIndex(units.index(keep_unit) + 1)
        self.manager_box.blockSignals(True)
        self.manager_box.clear()
        self.manager_box.addItem(self.tr("全部负责人"), None)
        names = self.workspace.managers()
        for name in names:
            self.manager_box.addItem(name, name)
        mine = chosen_manager()
        if mine in names:
            self.manager_box.setCurrentIndex(names.index(mine) + 1)
        self.manager_box.setVisible(bool(names))
        self.manager_caption.setVisible(bool(names))
        self.manager_box.blockSignals(False)
        for box in (self.year_box, self.period_box, self.unit_box):
            box.blockSignals(False)
        self.refresh()

    def _manager_chosen(self) -> None:
        """Remember whose projects to list (and to remind of) for the next start too."""
        settings().setValue(MANAGER_KEY, self.manager_box.currentData() or "")
        self.refresh()
        self.managerChosen.emit()

    def _changed(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def period(self) -> str:
        return str(self.period_box.currentData() or QUARTERS[0])

    def refresh(self) -> None:
        """Read the list again (after a step, a change by anyone, another choice)."""
        self._stale = False
        user, listed = self.workspace.reviewer_state()
        reviewer = not listed or user in listed
        rows = self.workspace.review_rows(
            self.period(),
            year=self.year_box.currentData(),
            unit=self.unit_box.currentData(),
            manager=self.manager_box.currentData(),
        )
        if self.mine_check.isChecked():
            rows = [r for r in rows if (r.needs_reviewer if reviewer else r.needs_manager)]
        chosen = self.current_row()
        self.model.set_rows(rows)
        if chosen is not None:
            for n, row in enumerate(rows):
                if row.project_id == chosen.project_id:
                    self.table.selectRow(n)
        role = self.tr("审核人") if reviewer else self.tr("填报人")
        names = "、".join(listed) if listed else self.tr("未设定（任何人都可以审核）")
        self.who.setText(arg(self.tr("您是 %1（%2）；审核人：%3"), user, role, names))
        self._enable()

    def current_row(self) -> ReviewRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None

    def select_project(self, project_id: int) -> bool:
        for n, row in enumerate(self.model.rows):
            if row.project_id == project_id:
                self.table.selectRow(n)
                return True
        return False

    def _enable(self) -> None:
        row = self.current_row()
        status = row.status if row is not None else None
        self.open_button.setEnabled(row is not None)
        self.submit_button.setEnabled(status is not None and status.open_for_entry)
        self.approve_button.setEnabled(status is ReviewStatus.SUBMITTED)
        self.return_button.setEnabled(status is ReviewStatus.SUBMITTED)
        self.reopen_button.setEnabled(status is ReviewStatus.APPROVED)
        self.export_button.setEnabled(bool(self.model.rows))
        self.print_button.setEnabled(bool(self.model.rows))
        self.fill_in_button.setEnabled(bool(self.model.rows))

    # -- steps ---------------------------------------------------------------------------------

    def _open(self) -> None:
        row = self.current_row()
        if row is not None:
            self.projectActivated.emit(row.project_id)

    def take(self, step: Step, text: str | None = None) -> bool:
        """Take a step on the chosen project; asks for the comment or reason when none is given."""
        row = self.current_row()
        if row is None:
            return False
        if step.needs_text and text is None:
            question = self.tr("退回意见：") if step is Step.RETURN else self.tr("重新打开的理由：")
            text, ok = QInputDialog.getMultiLineText(self, row.name, question)
            if not ok:
                return False
        if step is Step.SUBMIT and not row.missing.empty:
            answer = QMessageBox.question(
                self,
                self.tr("提交"),
                arg(self.tr("「%1」本期仍有缺漏：\n%2\n\n仍要提交吗？"), row.name, "\n".join(row.missing.lines())),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            result = self.workspace.review_step(row.project_id, row.period, step, text)
        except UserError as exc:  # a step that does not apply, a user not on the list
            QMessageBox.warning(self, self.tr("审核"), str(exc))
            return False
        self.refresh()
        self.message.emit(
            arg(
                self.tr("「%1」%2：%3 → %4"),
                result.project,
                period_name(result.period) if result.period != YEAR else self.tr("全年"),
                review_status_label(result.before),
                review_status_label(result.after),
            )
        )
        return True

    # -- the fill-in workbooks -------------------------------------------------------------------

    def _export_fill_ins(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("把填报工作簿导出到文件夹"))
        if folder:
            self.export_fill_ins(Path(folder))

    def export_fill_ins(self, folder: Path) -> list[Path]:
        """One fill-in workbook for each project listed, for the chosen period."""
        from perftrack.export.fill_in import file_name, write_fill_in

        try:
            forms = self.workspace.fill_in_forms([r.project_id for r in self.model.rows], self.period())
        except UserError as exc:
            QMessageBox.warning(self, self.tr("导出填报工作簿"), str(exc))
            return []
        written = [write_fill_in(form, folder / file_name(form)) for form in forms]
        self.message.emit(arg(self.tr("已导出 %1 份填报工作簿到 %2"), len(written), str(folder)))
        return written

    def _import_fill_ins(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("导入交回的填报"), "", self.tr("Excel 工作簿 (*.xlsx)"))
        if files:
            import_fill_ins(self, self.workspace, [Path(f) for f in files], self.message.emit)

    # -- export --------------------------------------------------------------------------------

    def list_title(self) -> str:
        """The list's heading: year, period and the choices that narrow it."""
        narrowed = [t for t in (self.unit_box.currentData(), self.manager_box.currentData()) if t]
        if self.mine_check.isChecked():
            narrowed.append(self.tr("需要我处理的"))
        return arg(self.tr("%1年%2审核一览"), self.year_box.currentText(), self.period_box.currentText()) + (
            f"（{'，'.join(narrowed)}）" if narrowed else ""
        )

    def list_document(self) -> QTextDocument:
        """The list as shown, laid out for paper: heading, who printed it and when, the table."""
        cells = "".join(f"<th>{html.escape(h)}</th>" for h in self.model.headers())
        rows = [f"<tr>{cells}</tr>"]
        for row in self.model.rows:
            texts = (html.escape(self.model.text(row, key)) for key in COLUMNS)
            rows.append("<tr>" + "".join(f"<td>{t}</td>" for t in texts) + "</tr>")
        user, _ = self.workspace.reviewer_state()
        printed = arg(
            self.tr("共 %1 个项目；%2 打印于 %3"), len(self.model.rows), user, datetime_text(dt.datetime.now())
        )
        document = QTextDocument()
        document.setDefaultStyleSheet(
            # No bold: a CJK font without a bold face is drawn twice over, and its PDF text then reads
            # every character twice; size and shading carry the emphasis.
            "h2 { font-size: 14pt; font-weight: normal; } p { font-size: 8pt; color: #555555; }"
            " table { border-collapse: collapse; }"
            " th { background-color: #e4e4e4; font-size: 8pt; font-weight: normal; }"
            " td { font-size: 8pt; }"
        )
        document.setHtml(
            f"<h2>{html.escape(self.list_title())}</h2><p>{html.escape(printed)}</p>"
            f'<table border="1" cellspacing="0" cellpadding="3" width="100%">{"".join(rows)}</table>'
        )
        return document

    def print_list(self, printer: QPrinter) -> None:
        """Lay the list out on the printer's pages (landscape A4 unless the user chose otherwise)."""
        self.list_document().print_(printer)

    def _print(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        printer.setDocName(self.list_title())
        preview = QPrintPreviewDialog(printer, self)
        preview.setWindowTitle(self.tr("打印审核一览"))
        preview.paintRequested.connect(self.print_list)
        preview.exec()

    def _export(self) -> None:
        name = f"审核一览-{self.year_box.currentText()}-{self.period()}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出审核一览"), name, self.tr("Excel 工作簿 (*.xlsx)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> Path:
        """Write the list as shown to a workbook (whole or not at all)."""
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        sheet.title = "审核一览"
        title = f"{self.year_box.currentText()}年{self.period_box.currentText()}审核一览"
        sheet.append([title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append(self.model.headers())
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in self.model.rows:
            sheet.append([self.model.text(row, key) for key in COLUMNS])
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                if isinstance(cell.value, str):
                    value = cell.value
                    cell.value = value
                    cell.data_type = "s"  # never a formula, whatever a name or comment starts with
        for column, width in zip("ABCDEFGH", (34, 22, 8, 8, 6, 8, 60, 30), strict=True):
            sheet.column_dimensions[column].width = width
        with AtomicFile(path, ".xlsx") as out:
            book.save(out.temp)
            out.commit()
        self.message.emit(arg(self.tr("已导出审核一览：%1"), str(path)))
        return path


def import_fill_ins(parent: QWidget, workspace: Workspace, paths: list[Path], say: Any) -> int:
    """Apply returned fill-in workbooks one by one (each all or nothing); differing recorded values
    are listed and written only when the user agrees. Returns how many were applied."""
    from perftrack.importers.fill_in import read_fill_in
    from perftrack.store.fill_in import FillInConflict

    title = QCoreApplication.translate("Review", "导入交回的填报")
    applied = 0
    for path in paths:
        try:
            filled = read_fill_in(path)
            try:
                done = workspace.apply_fill_in(filled)
            except FillInConflict as conflict:
                box = QMessageBox(QMessageBox.Icon.Question, title, str(conflict).split("\n")[0], parent=parent)
                box.setInformativeText("\n".join(conflict.conflicts[:12]))
                keep = box.addButton(
                    QCoreApplication.translate("Review", "保留已记录的值"), QMessageBox.ButtonRole.RejectRole
                )
                box.addButton(QCoreApplication.translate("Review", "以填报表为准"), QMessageBox.ButtonRole.AcceptRole)
                box.setDefaultButton(keep)
                box.exec()
                if box.clickedButton() is keep:
                    continue
                done = workspace.apply_fill_in(filled, replace=True)
        except UserError as exc:  # FillInError, RecordError: the file and the cells say why
            QMessageBox.warning(parent, title, str(exc))
            continue
        applied += 1
        say(
            arg(
                QCoreApplication.translate("Review", "已导入「%1」%2 的填报：%3 个完成值"),
                done.project,
                done.period,
                done.values,
            )
        )
    return applied


class ReviewTab(QWidget):
    """The 审核 tab of the main window: the panel is built when first shown and follows the database."""

    def __init__(self, window: Any) -> None:
        super().__init__()
        self.window = window
        self.panel: ReviewPanel | None = None
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)
        self.index = window.add_main_tab(self, "")
        window.tabs.currentChanged.connect(self._tab_changed)
        window.workspaceChanged.connect(self._workspace_changed)
        self.retranslate()
        if window.workspace is not None:
            self._workspace_changed(window.workspace)

    def changeEvent(self, event: Any) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.window.tabs.setTabText(self.window.tabs.indexOf(self), self.tr("审核"))

    def remind(self) -> list[tuple[str, str]]:
        """Say which projects have a quarter that ended and is not submitted (status bar, navigator)."""
        workspace = self.window.workspace
        if workspace is None:
            return []
        manager = chosen_manager()
        if manager is not None and manager not in workspace.managers():
            manager = None  # another database, where that person has no project
        due = workspace.due_periods(dt.date.today(), manager)
        projects = {name for name, _ in due}
        self.window.side.set_due(len(projects))
        if due:
            name, period = due[0]
            text = arg(
                self.tr("%1 个项目有已结束而未提交的期间（如「%2」%3），见“审核”标签"),
                len(projects),
                name,
                period_name(period),
            )
            if manager is not None:
                text = arg(self.tr("负责人 %1："), manager) + text
            self.window.statusBar().showMessage(text, 30000)
        return due

    def ensure_panel(self) -> ReviewPanel:
        if self.panel is None:
            self.panel = ReviewPanel(self.window.workspace)
            self.panel.projectActivated.connect(self._open_project)
            self.panel.message.connect(lambda text: self.window.statusBar().showMessage(text, 15000))
            self.panel.managerChosen.connect(self.remind)
            self.layout().addWidget(self.panel)
        return self.panel

    def _tab_changed(self, index: int) -> None:
        if self.window.tabs.widget(index) is self:
            self.ensure_panel()

    def _workspace_changed(self, workspace: Any) -> None:
        if self.panel is not None:
            self.panel.deleteLater()
            self.panel = None
        if self.window.tabs.currentWidget() is self:
            self.ensure_panel()
        workspace.projectChanged.connect(lambda _pid: self.remind())
        workspace.projectsReset.connect(self.remind)
        self.remind()

    def _open_project(self, project_id: int) -> None:
        self.window.tabs.setCurrentIndex(self.window.tabs.indexOf(self.window.page))
        self.window.show_project(project_id)
