"""The main window: navigator, project page, menus, tool bar, status bar, dropped files."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from perftrack.paths import sample_files
from perftrack.store.database import Database, open_database
from perftrack.store.errors import StoreError
from perftrack.ui.check_panel import CheckDialog
from perftrack.ui.formatting import arg
from perftrack.ui.navigator import NavigatorModel, ProjectIdRole
from perftrack.ui.project_page import ProjectPage
from perftrack.ui.undo import Editor
from perftrack.ui.workspace import Workspace

# Wait this long after the last key before filtering 5,000 projects.
FILTER_DELAY_MS = 250


def show_error(parent: QWidget | None, title: str, text: str, details: str = "") -> QMessageBox:
    """A window-modal error dialog that does not block the event loop (and so never a test)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class MainWindow(QMainWindow):
    """perftrack's window over one database at a time."""

    projectShown = Signal(int)

    def __init__(self, url: str) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("perftrack — 项目支出绩效跟踪"))
        self._fit_to_screen()
        self.setAcceptDrops(True)
        self.undo_group = QUndoGroup(self)
        self.workspace: Workspace | None = None
        self.editor: Editor | None = None
        self._build_actions()
        self.status_db = QLabel()
        self.statusBar().addPermanentWidget(self.status_db)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.open_url(url)

    def _fit_to_screen(self) -> None:
        screen = self.screen().availableGeometry()
        self.resize(min(1400, screen.width()), min(860, screen.height()))
        if screen.width() < 1440:
            self.setWindowState(Qt.WindowState.WindowMaximized)

    # -- actions and menus -------------------------------------------------------------------

    def _build_actions(self) -> None:
        def action(text: str, slot: object, shortcut: QKeySequence | str | None = None) -> QAction:
            act = QAction(text, self)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            return act

        self.new_action = action(self.tr("新建数据库…"), self._new_database, QKeySequence.StandardKey.New)
        self.open_action = action(self.tr("打开数据库…"), self._open_database, QKeySequence.StandardKey.Open)
        self.import_action = action(self.tr("导入申报表…"), self._import_dialog, "Ctrl+I")
        self.check_action = action(self.tr("审核申报表…"), self._check_dialog, "Ctrl+K")
        self.export_action = action(self.tr("导出自评工作簿…"), self._export_dialog, "Ctrl+E")
        self.export_action.setEnabled(_workbook_export_available())
        if not self.export_action.isEnabled():
            self.export_action.setToolTip(self.tr("导出模块尚未安装"))
        self.quit_action = action(self.tr("退出"), self.close, QKeySequence.StandardKey.Quit)
        self.undo_action = self.undo_group.createUndoAction(self, self.tr("撤销"))
        self.undo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.redo_action = self.undo_group.createRedoAction(self, self.tr("重做"))
        redo_keys = [QKeySequence("Ctrl+Y"), *QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)]
        # The platform's Redo may already be Ctrl+Y; a duplicate would make the shortcut ambiguous.
        self.redo_action.setShortcuts(list({k.toString(): k for k in redo_keys}.values()))

        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        for act in (
            self.new_action,
            self.open_action,
            None,
            self.import_action,
            self.check_action,
            self.export_action,
            None,
        ):
            file_menu.addAction(act) if act is not None else file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu(self.tr("编辑(&E)"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        language = self.menuBar().addMenu(self.tr("语言(&L)"))
        chinese = language.addAction("简体中文")
        chinese.setCheckable(True)
        chinese.setChecked(True)
        english = language.addAction("English")
        english.setEnabled(False)
        english.setToolTip(self.tr("英文界面尚未提供"))

        toolbar = self.addToolBar(self.tr("工具栏"))
        toolbar.setObjectName("main-toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for act in (self.import_action, self.export_action, None, self.undo_action, self.redo_action):
            toolbar.addAction(act) if act is not None else toolbar.addSeparator()

    # -- the database ------------------------------------------------------------------------

    def open_url(self, url: str) -> None:
        """Show the database at ``url``; raises StoreError when it cannot be opened."""
        database = open_database(url)
        self._set_database(database)

    def _set_database(self, database: Database) -> None:
        old = self.workspace
        self.workspace = Workspace(database, self)
        self.editor = Editor(self.workspace, self)
        self.undo_group.addStack(self.editor.stack)
        self.undo_group.setActiveStack(self.editor.stack)
        self.setCentralWidget(self._build_body())
        self.status_db.setText(arg(self.tr("数据库：%1"), database.label))
        if old is not None:
            old.close()
        self._check_empty()
        self._expand()
        first = self.navigator_model.first_project()
        if first is not None:
            self.show_project(first)

    def _build_body(self) -> QWidget:
        assert self.workspace is not None and self.editor is not None
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(0, 0, 0, 0)
        self.banner = self._build_banner()
        outer.addWidget(self.banner)

        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(6, 6, 0, 6)
        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText(self.tr("筛选：项目或指标名称"))
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(lambda _text: self._filter_timer.start())
        side_layout.addWidget(self.filter_box)
        checks = QHBoxLayout()
        self.off_track_check = QCheckBox(self.tr("偏离目标"))
        self.needs_note_check = QCheckBox(self.tr("待说明偏差"))
        self.no_actual_check = QCheckBox(self.tr("未填报"))
        for check in (self.off_track_check, self.needs_note_check, self.no_actual_check):
            check.toggled.connect(self.apply_filter)
            checks.addWidget(check)
        side_layout.addLayout(checks)
        self.navigator_model = NavigatorModel(self.workspace)
        self.tree = QTreeView()
        self.tree.setModel(self.navigator_model)
        self.tree.setUniformRowHeights(True)
        self.tree.setIndentation(12)
        self.tree.setSortingEnabled(False)
        header = self.tree.header()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.sectionClicked.connect(self._sort_navigator)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 46), (2, 34), (3, 78)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
        self.tree.selectionModel().currentChanged.connect(self._navigator_current)
        side_layout.addWidget(self.tree, 1)
        self.count_label = QLabel()
        side_layout.addWidget(self.count_label)
        self.navigator_model.modelReset.connect(self._show_count)
        self.navigator_model.modelReset.connect(self._span_groups)
        self._show_count()
        self._span_groups()

        self.page = ProjectPage(self.editor)
        self.page.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(side)
        splitter.addWidget(self.page)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 1000])
        outer.addWidget(splitter, 1)
        return body

    def _build_banner(self) -> QFrame:
        banner = QFrame()
        banner.setStyleSheet("QFrame { background: #e8f0fe; border-bottom: 1px solid #aac4f0; }")
        layout = QHBoxLayout(banner)
        layout.addWidget(QLabel(self.tr("数据库中还没有项目。要载入示例申报表（上海 2024 年 13 个项目）吗？")), 1)
        self.load_sample_button = QPushButton(self.tr("载入示例"))
        self.load_sample_button.clicked.connect(self.load_sample)
        no = QPushButton(self.tr("不用了"))
        no.clicked.connect(lambda: banner.setVisible(False))
        layout.addWidget(self.load_sample_button)
        layout.addWidget(no)
        banner.setVisible(False)
        return banner

    def _check_empty(self) -> None:
        assert self.workspace is not None
        self.banner.setVisible(self.workspace.is_empty())

    def _expand(self) -> None:
        if self.navigator_model.project_count() <= 200:
            self.tree.expandAll()
        else:
            self.tree.expandToDepth(0)

    def _span_groups(self) -> None:
        # Year and unit rows have no score: let their names use the whole width.
        model = self.navigator_model
        for y in range(model.rowCount()):
            year = model.index(y, 0)
            self.tree.setFirstColumnSpanned(y, QModelIndex(), True)
            for u in range(model.rowCount(year)):
                self.tree.setFirstColumnSpanned(u, year, True)

    def _show_count(self) -> None:
        self.count_label.setText(arg(self.tr("共 %1 个项目"), self.navigator_model.project_count()))

    def load_sample(self) -> None:
        """Import the sample declarations shipped with the program."""
        files = sample_files()
        if not files:
            show_error(self, self.tr("载入示例"), self.tr("找不到示例申报表文件。"))
            return
        self.import_files(files)
        self.banner.setVisible(False)

    def _new_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("新建数据库"), "perftrack.db", self.tr("数据库 (*.db)"))
        if path:
            self._open_path(Path(path))

    def _open_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("打开数据库"), "", self.tr("数据库 (*.db);;所有文件 (*)"))
        if path:
            self._open_path(Path(path))

    def _open_path(self, path: Path) -> None:
        try:
            self.open_url(f"sqlite:///{path.resolve().as_posix()}")
        except StoreError as exc:
            show_error(self, self.tr("无法打开数据库"), str(exc))

    # -- import and export -------------------------------------------------------------------

    def _import_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("导入申报表"), "", self.tr("申报表 (*.txt *.xlsx *.docx);;所有文件 (*)")
        )
        if files:
            self.import_files([Path(f) for f in files])

    def _check_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("审核申报表"), "", self.tr("申报表 (*.txt *.xlsx *.docx);;所有文件 (*)")
        )
        if files:
            self.check_files([Path(f) for f in files])

    def check_files(self, paths: list[Path]) -> CheckDialog:
        """Review declaration files as a finance bureau would, without importing them."""
        dialog = CheckDialog(paths, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def import_files(self, paths: list[Path]) -> bool:
        """Import declaration files; problems are shown in a dialog and nothing is half-written."""
        assert self.workspace is not None
        result, summary = self.workspace.import_files(paths)
        names = "、".join(p.name for p in paths)
        if summary is None:
            errors = result.errors or result.problems
            details = "\n".join(f"{p.location()}: {p.message}" for p in result.problems)
            first = f"{errors[0].location()}: {errors[0].message}" if errors else self.tr("没有读到任何申报表。")
            show_error(
                self,
                self.tr("导入失败"),
                arg(self.tr("%1 未能导入（未写入任何内容）：\n%2"), names, first),
                details,
            )
            return False
        self.banner.setVisible(False)
        self.statusBar().showMessage(
            arg(
                self.tr("已导入 %1 个项目：新建 %2，更新 %3，未变 %4"),
                len(result.declarations),
                len(summary.created),
                len(summary.updated),
                len(summary.unchanged),
            ),
            15000,
        )
        self._expand()
        if self.page.view_data is None and (first := self.navigator_model.first_project()) is not None:
            self.show_project(first)
        return True

    def _export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出自评工作簿"), "自评表.xlsx", "Excel (*.xlsx)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write every project's self-evaluation to a workbook."""
        from perftrack.export.workbook import export_workbook  # type: ignore[import-not-found]
        from perftrack.store.evaluation import evaluate_all

        assert self.workspace is not None
        try:
            evaluations = self.workspace.read(evaluate_all)
            export_workbook(evaluations, path)
        except OSError as exc:
            show_error(self, self.tr("导出失败"), arg(self.tr("无法写入 %1：%2"), path, exc.strerror or exc))
            return
        self.statusBar().showMessage(arg(self.tr("已导出到 %1"), path), 15000)

    # -- navigation and filtering ------------------------------------------------------------

    def _navigator_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        project_id = current.data(ProjectIdRole) if current.isValid() else None
        if project_id is not None:
            self.show_project(int(project_id))

    def show_project(self, project_id: int) -> None:
        """Open a project on the page and select it in the navigator."""
        self.page.show_project(project_id)
        index = self.navigator_model.index_of_project(project_id)
        if index.isValid() and self.tree.currentIndex() != index:
            self.tree.setCurrentIndex(index)
        self._apply_table_filter()
        self.projectShown.emit(project_id)

    def apply_filter(self) -> None:
        """Filter the navigator (and the indicator rows) by the text and the ticked statuses."""
        self._filter_timer.stop()
        text = self.filter_box.text().strip()
        current = self.page.view_data.project_id if self.page.view_data is not None else None
        self.navigator_model.set_filter(
            text,
            off_track=self.off_track_check.isChecked(),
            needs_note=self.needs_note_check.isChecked(),
            no_actual=self.no_actual_check.isChecked(),
        )
        self._expand()
        if current is not None and self.navigator_model.index_of_project(current).isValid():
            self.tree.setCurrentIndex(self.navigator_model.index_of_project(current))
        self._apply_table_filter()

    def _apply_table_filter(self) -> None:
        text = self.filter_box.text().strip()
        view = self.page.view_data
        by_text = bool(text) and view is not None and text not in view.name
        statuses = (
            self.off_track_check.isChecked(),
            self.needs_note_check.isChecked(),
            self.no_actual_check.isChecked(),
        )
        if not by_text and not any(statuses):
            self.page.model.set_filter(None)
            return
        off, note, none = statuses

        def keep(row: object) -> bool:
            from perftrack.domain.attainment import Status

            assert hasattr(row, "status")
            if by_text and text not in row.name:  # type: ignore[attr-defined]
                return False
            if not any(statuses):
                return True
            return (
                (off and row.status is Status.OFF_TRACK)  # type: ignore[attr-defined]
                or (note and row.needs_note)  # type: ignore[attr-defined]
                or (none and row.status is Status.NO_ACTUAL)  # type: ignore[attr-defined]
            )

        self.page.model.set_filter(keep)

    def _sort_navigator(self, section: int) -> None:
        header = self.tree.header()
        order = header.sortIndicatorOrder()
        if header.sortIndicatorSection() == section:
            order = (
                Qt.SortOrder.DescendingOrder if order == Qt.SortOrder.AscendingOrder else Qt.SortOrder.AscendingOrder
            )
        else:
            order = Qt.SortOrder.AscendingOrder
        header.setSortIndicator(section, order)
        self.navigator_model.sort(section, order)

    # -- dropped files and closing -----------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Every edit was committed when it was made; closing only releases the database.
        focus = self.focusWidget()
        if focus is not None:
            focus.clearFocus()  # a note being typed is saved when it loses focus
        if self.workspace is not None:
            self.workspace.close()
        super().closeEvent(event)


def _workbook_export_available() -> bool:
    try:
        return importlib.util.find_spec("perftrack.export.workbook") is not None
    except ModuleNotFoundError:
        return False
