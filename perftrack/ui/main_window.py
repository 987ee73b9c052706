"""The main window: navigator, project page, menus, tool bar, status bar, dropped files, language.

The frame (menus, banner, splitter, tabs) is built once; opening another database replaces
the navigator panel and the project page inside it and emits ``workspaceChanged``, so a tab
added with ``add_main_tab`` (a dashboard, say) can follow the new database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QUndoGroup
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from perftrack.domain.model import ImportResult
from perftrack.importers.fill_in import is_fill_in
from perftrack.paths import sample_files
from perftrack.store.database import Database, open_database
from perftrack.store.errors import DamagedDatabase, StoreError
from perftrack.ui import language
from perftrack.ui.actions import MainActions
from perftrack.ui.background_scoring import BackgroundScoring
from perftrack.ui.backups import BackupActions, offer_restore
from perftrack.ui.check_panel import CheckDialog
from perftrack.ui.conflicts import ask_overwrite
from perftrack.ui.export_actions import ExportActions
from perftrack.ui.export_scope import ask_export_scope
from perftrack.ui.formatting import arg
from perftrack.ui.import_notes import ImportNotes, import_notes
from perftrack.ui.long_work import export_with_progress, import_with_progress
from perftrack.ui.navigator_panel import FilterState, NavigatorPanel
from perftrack.ui.project_page import ProjectPage
from perftrack.ui.review_panel import ReviewTab, import_fill_ins
from perftrack.ui.settings import GEOMETRY_KEY, settings
from perftrack.ui.team_refresh import TeamRefresh
from perftrack.ui.undo import Editor
from perftrack.ui.window_parts import WindowParts
from perftrack.ui.workspace import Workspace

# Screens up to full HD get the window maximized: the whole sheet then fits at 1920 px.
MAXIMIZE_BELOW_PX = 2000
# The navigator's share of the window's width, unless it needs more to show names and scores.
NAVIGATOR_SHARE, NAVIGATOR_MAX_SHARE = 0.22, 0.36
# The navigator gives way (down to this width; names are then cut, their tooltips whole) so that the
# project's sheet shows every column up to 状态 on a 1366-pixel laptop screen.
NAVIGATOR_MIN_PX = 230
# The project tab's frame and the page's margins around the sheet.
PAGE_CHROME_PX = 24


def show_error(parent: QWidget | None, title: str, text: str, details: str = "") -> QMessageBox:
    """A window-modal error dialog that does not block the event loop (and so never a test)."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    if details:
        box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class SampleBanner(QFrame):
    """Offers the sample declarations when the database is empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sample-banner")
        self.setStyleSheet("#sample-banner { background: #e8f0fe; border-bottom: 1px solid #aac4f0; }")
        layout = QHBoxLayout(self)
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout.addWidget(self.text, 1)
        self.load_button = QPushButton()
        self.dismiss_button = QPushButton()
        self.dismiss_button.clicked.connect(lambda: self.setVisible(False))
        layout.addWidget(self.load_button)
        layout.addWidget(self.dismiss_button)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.text.setText(self.tr("数据库中还没有项目。要载入示例申报表（上海 2024 年 13 个项目）吗？"))
        self.load_button.setText(self.tr("载入示例"))
        self.dismiss_button.setText(self.tr("不用了"))


class MainWindow(QMainWindow):
    """perftrack's window over one database at a time."""

    projectShown = Signal(int)
    workspaceChanged = Signal(object)  # the new Workspace, after File ▸ New / Open

    def __init__(self, url: str) -> None:
        super().__init__()
        self._fit_to_screen()
        self.setAcceptDrops(True)
        self.undo_group = QUndoGroup(self)
        self.workspace: Workspace | None = None
        self.editor: Editor | None = None
        self.commands = MainActions(self, self.undo_group)
        self.undo_action, self.redo_action = self.commands.undo_action, self.commands.redo_action
        for act, slot in (
            (self.commands.new_action, self._new_database),
            (self.commands.open_action, self._open_database),
            (self.commands.import_action, self._import_dialog),
            (self.commands.check_action, self._check_dialog),
            (self.commands.export_action, self._export_dialog),
        ):
            act.triggered.connect(slot)
        self.commands.languageChosen.connect(self.set_language)
        self.commands.moneyUnitChosen.connect(self.set_money_unit)
        self.commands.rulesChosen.connect(self.set_rules)
        self.status_db = QLabel()
        self.statusBar().addPermanentWidget(self.status_db)
        self._build_frame()
        self._retranslate()
        self.open_url(url)
        self.parts = WindowParts(self)  # the charts tab, printing, Help ▸ About
        self.export_actions = ExportActions(self)  # 导出汇总表, 按实施单位导出
        self.backup_actions = BackupActions(self)  # 备份数据库, 自动备份
        self.team_refresh = TeamRefresh(self)  # other users' changes, without a restart
        self.review_tab = ReviewTab(self)  # the quarterly review, and the reminder of what is due

    def _fit_to_screen(self) -> None:
        # Where the user left it last time; else maximized on a laptop, most of a large monitor.
        saved = settings().value(GEOMETRY_KEY)
        if isinstance(saved, QByteArray) and self.restoreGeometry(saved):
            return
        screen = self.screen().availableGeometry()
        if screen.width() < MAXIMIZE_BELOW_PX:
            self.resize(min(1400, screen.width()), min(860, screen.height()))
            self.setWindowState(Qt.WindowState.WindowMaximized)
            return
        self.resize(int(screen.width() * 0.9), int(screen.height() * 0.9))
        self.move(screen.center() - self.rect().center())

    def _build_frame(self) -> None:
        body = QWidget()
        outer = QVBoxLayout(body)
        outer.setContentsMargins(0, 0, 0, 0)
        self.banner = SampleBanner()
        self.banner.setVisible(False)
        self.load_sample_button = self.banner.load_button
        self.load_sample_button.clicked.connect(self.load_sample)
        outer.addWidget(self.banner)
        self.import_notes = ImportNotes()
        outer.addWidget(self.import_notes)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self._navigator_dragged = False
        self.splitter.splitterMoved.connect(self._splitter_moved)
        self.splitter.installEventFilter(self)  # re-fit the navigator whenever the width changes
        self.splitter.addWidget(QWidget())  # the navigator panel, once a database is open
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setTabBarAutoHide(True)  # one tab (the project page) needs no tab bar
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        outer.addWidget(self.splitter, 1)
        self.setCentralWidget(body)

    def _splitter_moved(self, _pos: int, _index: int) -> None:
        self._navigator_dragged = True  # the user's choice stands from now on

    def _fit_navigator(self) -> None:
        side = getattr(self, "side", None)
        if side is None or self._navigator_dragged:
            return
        total = self.splitter.width() - self.splitter.handleWidth()
        width = max(side.preferred_width(), int(total * NAVIGATOR_SHARE))
        page = getattr(self, "page", None)
        if page is not None:
            width = min(width, max(NAVIGATOR_MIN_PX, total - page.sheet_width() - PAGE_CHROME_PX))
        width = min(width, int(total * NAVIGATOR_MAX_SHARE))
        side.set_compact(width < side.preferred_width())
        self.splitter.setSizes([width, total - width])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.splitter and event.type() == QEvent.Type.Resize:
            self._fit_navigator()
        return super().eventFilter(watched, event)

    def add_main_tab(self, widget: QWidget, title: str) -> int:
        """Add a tab beside the project page (shown as tabs once there are two); returns its index."""
        return self.tabs.addTab(widget, title)

    # -- language ----------------------------------------------------------------------------

    def set_language(self, code: str) -> None:
        """Switch the interface language now and for the next start."""
        if not language.set_language(code):
            self.commands.show_language(language.current_language())
            show_error(self, "perftrack", self.tr("找不到该语言的翻译文件，界面语言未改变。"))
            return
        self.commands.show_language(code)

    def set_rules(self, key: str) -> None:
        """Score by another registered rule set (a setting of the database): every score is redone."""
        workspace = self.workspace
        if workspace is None:
            return
        if self._database_setting(
            lambda: workspace.set_rules(key), lambda: self.commands.show_rules(workspace.rules())
        ):
            self.commands.show_rules(key)
            text = self.commands.rules_actions[key].text()
            self.statusBar().showMessage(arg(self.tr("评分规则改为：%1"), text), 10000)

    def set_money_unit(self, unit: str) -> None:
        """Show and print amounts in 元 or 万元 (a setting of the database; amounts stay kept in 元)."""
        workspace = self.workspace
        if workspace is None:
            return
        stored = lambda: self.commands.show_money_unit(workspace.money_unit())  # noqa: E731
        if self._database_setting(lambda: workspace.set_money_unit(unit), stored):
            self.commands.show_money_unit(unit)
            text = self.commands.money_actions[unit].text()
            self.statusBar().showMessage(arg(self.tr("金额改按 %1 显示"), text), 10000)

    def _database_setting(self, change: Callable[[], object], show_stored: Callable[[], object]) -> bool:
        """Change a setting every user of the database shares, then show the open project again in it
        (the funds row, the sentences, the grade); when refused, tick what is stored and say why."""
        try:
            change()
        except StoreError as exc:
            show_stored()
            show_error(self, "perftrack", str(exc))
            return False
        shown = self.page.view_data
        if shown is not None:
            self.page.show_project(shown.project_id)
        return True

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("perftrack — 项目支出绩效跟踪"))
        self.commands.retranslate()
        if self.workspace is not None:
            self.status_db.setText(arg(self.tr("数据库：%1"), self.workspace.database.label))
            self.tabs.setTabText(self.tabs.indexOf(self.page), self.tr("项目"))

    # -- the database ------------------------------------------------------------------------

    def open_url(self, url: str) -> None:
        """Show the database at ``url``; raises StoreError when it cannot be opened."""
        self._set_database(open_database(url))

    def _set_database(self, database: Database) -> None:
        old_workspace, old_editor = self.workspace, self.editor
        if old_workspace is not None:
            self.background_scoring.stop()
        self.workspace = Workspace(database, self)
        self.commands.show_money_unit(self.workspace.money_unit())
        self.commands.show_rules(self.workspace.rules())
        self.background_scoring = BackgroundScoring(self.workspace)
        self.editor = Editor(self.workspace, self)
        self.editor.resolve = lambda conflicts: ask_overwrite(self, conflicts)
        self.undo_group.addStack(self.editor.stack)
        self.undo_group.setActiveStack(self.editor.stack)

        self.side = NavigatorPanel(self.workspace)
        self.side.projectActivated.connect(self.show_project)
        self.side.filterApplied.connect(self._filter_applied)
        self.side.preferredWidthChanged.connect(self._fit_navigator)
        old_side = self.splitter.replaceWidget(0, self.side)
        self.navigator_model, self.tree, self.filter_box = self.side.model, self.side.tree, self.side.filter_box
        self.off_track_check = self.side.off_track_check
        self.needs_note_check = self.side.needs_note_check
        self.no_actual_check = self.side.no_actual_check
        self.page = ProjectPage(self.editor)
        self.page.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.page.sheetSized.connect(self._fit_navigator)
        if self.tabs.count():
            old_page = self.tabs.widget(0)
            self.tabs.removeTab(0)
            old_page.deleteLater()
        self.tabs.insertTab(0, self.page, self.tr("项目"))
        self.tabs.setCurrentIndex(0)
        if old_side is not None:
            old_side.deleteLater()
        self._fit_navigator()

        if old_workspace is not None and old_editor is not None:
            self.undo_group.removeStack(old_editor.stack)
            old_workspace.close()
            old_editor.deleteLater()
            old_workspace.deleteLater()
        self._retranslate()
        self.banner.setVisible(self.workspace.is_empty())
        first = self.navigator_model.first_project()
        if first is not None:
            self.show_project(first)
        self.background_scoring.schedule()
        self.workspaceChanged.emit(self.workspace)

    def load_sample(self) -> None:
        """Import the sample declarations shipped with the program."""
        files = sample_files()
        if not files:
            show_error(self, self.tr("载入示例"), self.tr("找不到示例申报表文件。"))
            return
        self.import_files(files)
        assert self.workspace is not None
        self.banner.setVisible(self.workspace.is_empty())

    def _new_database(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("新建数据库"), "perftrack.db", self.tr("数据库 (*.db)"))
        if path:
            self._open_path(Path(path))

    def _open_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("打开数据库"), "", self.tr("数据库 (*.db);;所有文件 (*)"))
        if path:
            self._open_path(Path(path))

    def _open_path(self, path: Path) -> None:
        url = f"sqlite:///{path.resolve().as_posix()}"
        try:
            self.open_url(url)
        except DamagedDatabase as damaged:  # the way back offered, then the restored file opened
            if offer_restore(self, damaged, url):
                self._open_path(path)
        except StoreError as exc:
            show_error(self, self.tr("无法打开数据库"), str(exc))

    # -- import and export -------------------------------------------------------------------

    def _declaration_filter(self) -> str:
        return self.tr("申报表 (*.pdf *.txt *.xlsx *.docx);;所有文件 (*)")

    def _import_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("导入申报表"), "", self._declaration_filter())
        if files:
            self.import_files([Path(f) for f in files])

    def _check_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("审核申报表"), "", self._declaration_filter())
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
        outcome = import_with_progress(self, self.workspace, paths)
        if outcome is None:
            self.statusBar().showMessage(self.tr("已取消导入，未写入任何内容"), 15000)
            return False
        result, summary = outcome
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
        held_back = [text for _, text in summary.held_back]
        self.import_notes.show_notes(
            import_notes(result, summary.warnings, held_back),
            held_back,
            lambda: self._apply_held_back(result, names),
        )
        self.statusBar().showMessage(
            arg(
                self.tr("已导入 %n 个项目：新建 %1，更新 %2，未变 %3", "", len(result.declarations)),
                len(summary.created),
                len(summary.updated),
                len(summary.unchanged),
            ),
            15000,
        )
        if self.page.view_data is None and (first := self.navigator_model.first_project()) is not None:
            self.show_project(first)
        return True

    def _apply_held_back(self, result: ImportResult, names: str) -> None:
        """The user agreed: import the same forms again, deleting and replacing as they say."""
        assert self.workspace is not None
        summary = self.workspace.store_declarations(result, names, everything=True)
        self.import_notes.show_notes(import_notes(result, summary.warnings))
        self.statusBar().showMessage(arg(self.tr("已照新表单修改 %1 个项目"), len(summary.updated)), 15000)

    def _export_dialog(self) -> None:
        only = ask_export_scope(self, self.navigator_model)
        if only == []:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出自评工作簿"), self.tr("自评表.xlsx"), self.tr("Excel 工作簿 (*.xlsx)")
        )
        if path:
            self.export_to(Path(path), only)

    def export_to(self, path: Path, only: list[int] | None = None, *, summary_only: bool = False) -> bool:
        """Write the self-evaluations (of every project, or of ``only``) to a workbook (``summary_only``:
        the 汇总 sheets alone); False when it failed or was cancelled."""
        from perftrack.export.workbook import ExportError

        assert self.workspace is not None
        try:
            written = export_with_progress(self, self.workspace, path, only, summary_only=summary_only)
        except ExportError as exc:
            show_error(self, self.tr("导出失败"), str(exc))
            return False
        except OSError as exc:
            show_error(self, self.tr("导出失败"), arg(self.tr("无法写入 %1：%2"), path, exc.strerror or exc))
            return False
        if not written:
            self.statusBar().showMessage(self.tr("已取消导出，未写入文件"), 15000)
            return False
        self.statusBar().showMessage(arg(self.tr("已导出到 %1"), path), 15000)
        return True

    # -- navigation and filtering ------------------------------------------------------------

    def show_project(self, project_id: int) -> None:
        """Open a project on the page and select it in the navigator."""
        if hasattr(self, "team_refresh"):
            self.team_refresh.poll()  # open it as it is now, with teammates' latest values
        self.page.show_project(project_id)
        self.side.select_project(project_id)
        self.page.filter_rows(self.side.filter_state())
        self.projectShown.emit(project_id)

    def apply_filter(self) -> None:
        """Filter the navigator (and the indicator rows) by the text and the ticked statuses."""
        self.side.apply_filter()

    def _filter_applied(self, state: FilterState) -> None:
        self.page.filter_rows(state)

    # -- dropped files and closing -----------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            # A returned fill-in workbook carries its key: its figures go to the review, the rest are forms.
            returned = [p for p in paths if p.suffix.lower() == ".xlsx" and is_fill_in(p)]
            if returned and self.workspace is not None:
                say = lambda text: self.statusBar().showMessage(text, 15000)  # noqa: E731
                import_fill_ins(self, self.workspace, returned, say)
            forms = [p for p in paths if p not in returned]
            if forms:
                self.import_files(forms)

    def closeEvent(self, event: QCloseEvent) -> None:
        # Every edit was committed when it was made; closing only releases the database.
        focus = self.focusWidget()
        if focus is not None:
            focus.clearFocus()  # a note being typed is saved when it loses focus
        if self.workspace is not None:
            self.workspace.close()
        settings().setValue(GEOMETRY_KEY, self.saveGeometry())
        super().closeEvent(event)
