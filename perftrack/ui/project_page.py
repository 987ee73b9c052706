"""One project on screen: its header and funds, the indicator sheet, and the selected indicator's details."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from perftrack.domain.attainment import Status
from perftrack.domain.errors import UserError
from perftrack.domain.periods import YEAR
from perftrack.ui.budget_table import BudgetTableModel
from perftrack.ui.detail_pane import DetailPane
from perftrack.ui.formatting import STATUS_COLORS, arg, date_text, score
from perftrack.ui.goal_dialog import GoalAchievedDialog
from perftrack.ui.indicator_table import IndicatorTableModel
from perftrack.ui.labels import grade_label, not_scored, reporting_label, status_label
from perftrack.ui.navigator_panel import FilterState
from perftrack.ui.settings import settings
from perftrack.ui.sheet_view import SheetView
from perftrack.ui.snapshots import EditKey, IndicatorRow, ProjectView
from perftrack.ui.undo import Editor
from perftrack.ui.workspace import GoalChanged

# Text columns' widths in Chinese characters of the table's font; a header never gets cut.
# The level columns are narrow (their cells span an indicator group; the full words are in tooltips)
# so that a whole row, up to 状态, fits a 1366-pixel laptop screen beside the navigator.
COLUMN_CHARS = {"level1": 4, "level2": 4, "target": 6, "deviation_reason": 7}
# Numeric columns are as wide as the widest value they usually hold.
NUMERIC_SAMPLES = {"points": "100.00", "score": "100.00", "ratio": "100.00%"}
NUMERIC_SAMPLE = "0,000.00"
DETAIL_WIDTH = 300
DETAIL_KEY = "ui/detail_shown"
# The indicator's name takes what the other columns leave, within these bounds (pixels).
NAME_MIN_PX, NAME_MAX_PX = 150, 420
# The sheet's columns that must be visible without scrolling sideways; the ones after may scroll.
LAST_ESSENTIAL_COLUMN = "status"


class ProjectPage(QWidget):
    """The project page; ``message`` carries refusals and confirmations to the status bar."""

    message = Signal(str)
    sheetSized = Signal()  # the sheet's columns were sized: the width it needs may have changed

    def __init__(self, editor: Editor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.view_data: ProjectView | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self._build_header())

        self.budget_model = BudgetTableModel(editor)
        self.budget_view = QTableView()
        self.budget_view.setModel(self.budget_model)
        self.budget_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.budget_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.budget_view.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.budget_view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.budget_model.modelReset.connect(self._fit_budget_view)
        self.budget_model.headerDataChanged.connect(lambda *_args: self._fit_budget_view())
        layout.addWidget(self.budget_view)

        self.model = IndicatorTableModel(editor)
        self.table = SheetView()
        self.table.setModel(self.model)
        self.table.message.connect(self._say)
        self.model.modelReset.connect(self._size_columns)
        self.model.headerDataChanged.connect(lambda *_args: self._size_columns())
        self.table.resized.connect(self._fit_name_column)
        self.table.selectionModel().currentChanged.connect(self._current_changed)

        self.inline = QLabel()
        self.inline.setWordWrap(True)
        self.inline.setStyleSheet("color: #b71c1c;")
        self.inline.setVisible(False)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.inline)

        self.detail = DetailPane(editor)
        self.detail.message.connect(self._say)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setChildrenCollapsible(False)
        # A wider window widens the sheet; the details keep their width.
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([1000, DETAIL_WIDTH])
        layout.addWidget(splitter, 1)
        self.splitter = splitter
        # The details show beside the sheet when both fit; else the user shows them with the button.
        # What the user chose last is kept (None: follow the window's width).
        chosen = settings().value(DETAIL_KEY)
        self._detail_user: bool | None = None if chosen is None else str(chosen).lower() == "true"

        editor.rejected.connect(self._rejected)
        editor.accepted.connect(lambda _n: self.inline.setVisible(False))
        editor.warned.connect(self._warned)
        editor.workspace.projectChanged.connect(self._project_changed)
        self.show_project(None)

    def _build_header(self) -> QFrame:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(frame)
        grid.setContentsMargins(8, 4, 8, 4)
        grid.setVerticalSpacing(2)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.title.setWordWrap(True)
        self.score_label = QLabel()
        self.score_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.score_label.setStyleSheet("font-size: 15px;")
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.goal = QLabel()
        self.goal.setWordWrap(True)
        self.goal.setMaximumHeight(44)
        self.goal.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The unit's own 实际完成情况 of the goal, which the self-evaluation sheet prints.
        self.achieved_button = QToolButton()
        self.achieved_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.achieved_button.clicked.connect(self.edit_goal_achieved)
        self.detail_button = QToolButton()
        self.detail_button.setCheckable(True)
        self.detail_button.setChecked(True)
        self.detail_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.detail_button.clicked.connect(self._detail_chosen)
        grid.addWidget(self.title, 0, 0)
        grid.addWidget(self.score_label, 0, 1)
        grid.addWidget(self.detail_button, 0, 2)
        grid.addWidget(self.facts, 1, 0, 1, 3)
        grid.addWidget(self.goal, 2, 0, 1, 2)
        grid.addWidget(self.achieved_button, 2, 2, Qt.AlignmentFlag.AlignTop)
        grid.setColumnStretch(0, 1)
        return frame

    # -- showing -----------------------------------------------------------------------------

    def show_project(self, project_id: int | None) -> None:
        """Show a project by id (None shows an empty page)."""
        view = self.editor.workspace.view(project_id) if project_id is not None else None
        self.view_data = view
        self.model.set_project(view)
        self.budget_model.set_project(view)
        self.budget_view.setVisible(view is not None)  # an empty funds row is only a white bar
        self.inline.setVisible(False)
        self._show_header()
        if view is not None and view.rows:
            self.table.setCurrentIndex(self.model.index(0, self.model.column_of(view.periods[0])))
        else:
            self.detail.show_indicator(None, None, ())

    def _show_header(self) -> None:
        view = self.view_data
        if view is None:
            self.title.setText(self.tr("在左侧选择一个项目"))
            for label in (self.score_label, self.facts, self.goal):
                label.clear()
            self.achieved_button.setVisible(False)
            return
        self.title.setText(view.name)
        summary = view.summary
        status = arg("<span style='color:%1'>■</span> %2", STATUS_COLORS[summary.status], status_label(summary.status))
        if summary.scored:
            self.score_label.setText(
                arg(
                    self.tr("总分 <b>%1</b>　等级 <b>%2</b>　%3"),
                    score(summary.total),
                    grade_label(summary.grade),
                    status,
                )
            )
            self.score_label.setToolTip("")
        else:
            self.score_label.setText(arg(self.tr("总分 <b>%1</b>　%2"), not_scored(), status))
            self.score_label.setToolTip(self.tr("尚未填报任何完成值或预算执行数，暂不评分"))
        dates = arg(self.tr("%1 至 %2"), date_text(view.start), date_text(view.end))
        facts = arg(
            self.tr("实施单位：%1　主管部门：%2　计划日期：%3　%4　填报周期：%5"),
            view.unit or "—",
            view.department or "—",
            dates,
            view.nature,
            reporting_label(view.reporting),
        )
        if view.manager:
            facts += arg(self.tr("　负责人：%1"), view.manager)
        self.facts.setText(facts)
        goal = view.annual_goal.replace("\n", " ") or "—"
        self.goal.setText(arg(self.tr("年度总体目标：%1"), goal))
        self.goal.setToolTip(view.annual_goal)
        self.achieved_button.setVisible(True)
        own = bool(view.goal_achieved)
        self.achieved_button.setText(self.tr("实际完成情况 ✓…") if own else self.tr("实际完成情况…"))
        self.achieved_button.setToolTip(
            arg(self.tr("单位填写的实际完成情况：%1"), view.goal_achieved)
            if own
            else arg(self.tr("未填写；自评表印按数据生成的文字：%1"), view.outcome)
        )

    def edit_goal_achieved(self) -> None:
        """Open the dialog for the shown project's 年度总体目标实际完成情况; saving is audited."""
        view = self.view_data
        if view is None:
            return
        self._goal_seen = view.goal_achieved or None
        dialog = GoalAchievedDialog(
            view.annual_goal,
            view.goal_achieved,
            view.outcome,
            lambda text: self._save_goal_achieved(view.project_id, text),
            self,
        )
        self.goal_dialog: GoalAchievedDialog | None = dialog  # for tests
        try:
            dialog.exec()
        finally:
            self.goal_dialog = None

    def _save_goal_achieved(self, project_id: int, text: str) -> str | None:
        """Write the text over what the user last saw; an error message when refused (nothing written)."""
        try:
            self.editor.workspace.save_goal_achieved(project_id, text, self._goal_seen)
        except GoalChanged as exc:  # theirs stays unless saved again
            self._goal_seen = exc.stored
            return arg(self.tr("他人已将实际完成情况改为：%1\n再按一次保存将以您的文字为准。"), exc.stored or "—")
        except UserError as exc:  # too long, or the project is gone
            return str(exc)
        done = self.tr("已保存实际完成情况") if text.strip() else self.tr("已清除实际完成情况，改用生成的文字")
        self.message.emit(done)
        return None

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Re-read the header and the tables' headers in the current language."""
        self.model.retranslate()
        self.budget_model.retranslate()
        self._show_header()
        self._show_detail(self.detail.isVisibleTo(self))

    def filter_rows(self, state: FilterState) -> None:
        """Show only the indicators the navigator's filter is about (all when it is off)."""
        view = self.view_data
        by_text = bool(state.text) and view is not None and state.text not in view.name
        if not by_text and not state.by_status:
            self.model.set_filter(None)
            return

        def keep(row: IndicatorRow) -> bool:
            if by_text and state.text not in row.name:
                return False
            if not state.by_status:
                return True
            return (
                (state.off_track and row.status is Status.OFF_TRACK)
                or (state.needs_note and row.needs_note)
                or (state.no_actual and row.status is Status.NO_ACTUAL)
            )

        self.model.set_filter(keep)

    def _size_columns(self) -> None:
        cells, headers = self.table.fontMetrics(), self.table.horizontalHeader().fontMetrics()
        char = cells.horizontalAdvance("国")
        for section in range(self.model.columnCount()):
            column = self.model.column(section)
            if column.key == "name":
                continue
            if column.key == "status":
                # The longest status word of the current language (the cell's tint is its colour).
                width = max(cells.horizontalAdvance(status_label(st)) for st in Status) + 12
            elif column.key in COLUMN_CHARS:
                width = char * COLUMN_CHARS[column.key] + 10
            elif column.numeric:
                width = cells.horizontalAdvance(NUMERIC_SAMPLES.get(column.key, NUMERIC_SAMPLE)) + 10
            else:
                width = 72
            self.table.setColumnWidth(section, max(width, headers.horizontalAdvance(column.header) + 18))
        self._fit_name_column()
        self.sheetSized.emit()
        self._fit_detail()

    def _fit_budget_view(self) -> None:
        # The totals and the 其中 rows: as tall as header, rows and (when the columns overflow) a scroll bar.
        view = self.budget_view
        view.resizeColumnsToContents()
        count = self.budget_model.columnCount()
        # Measured from the view's own width: the row labels' column may have just grown (a 其中 row),
        # and the viewport learns of it only later.
        labels = view.verticalHeader().sizeHint().width() if view.verticalHeader().isVisible() else 0
        available = view.width() - 2 * view.frameWidth() - labels
        spare = available - view.horizontalHeader().length()
        if count and spare > 0:
            # Share what is left so the rows span the page like the sheet below them.
            for column in range(count):
                view.setColumnWidth(column, view.columnWidth(column) + spare // count)
        rows = max(self.budget_model.rowCount(), 1)
        height = view.horizontalHeader().sizeHint().height() + rows * view.verticalHeader().defaultSectionSize()
        if view.horizontalHeader().length() > available:
            height += view.horizontalScrollBar().sizeHint().height()
        view.setFixedHeight(height + 2 * view.frameWidth())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_budget_view()
        self._fit_detail()

    # -- the details beside the sheet --------------------------------------------------------

    def _detail_chosen(self, shown: bool) -> None:
        self._detail_user = shown
        settings().setValue(DETAIL_KEY, shown)
        self._show_detail(shown)

    def _show_detail(self, shown: bool) -> None:
        if shown != self.detail.isVisibleTo(self):
            self.detail.setVisible(shown)
            self.splitter.refresh()  # the sheet takes its new width now, and fits its name column to it
        self.detail_button.setChecked(shown)
        self.detail_button.setText(self.tr("隐藏详情 ▸") if shown else self.tr("◂ 显示详情"))
        self.detail_button.setToolTip(self.tr("填写说明、偏差分析与证明材料的面板"))

    def sheet_width(self) -> int:
        """The width the sheet needs to show every column up to 状态 without scrolling sideways."""
        last = self.model.column_of(LAST_ESSENTIAL_COLUMN)
        widths = [
            NAME_MIN_PX if self.model.column(c).key == "name" else self.table.columnWidth(c) for c in range(last + 1)
        ]
        chrome = self.table.verticalHeader().width() + self.table.verticalScrollBar().sizeHint().width()
        return sum(widths) + chrome + 2 * self.table.frameWidth()

    def _fit_detail(self) -> None:
        if self._detail_user is not None:
            self._show_detail(self._detail_user)
            return
        margins = self.layout().contentsMargins()
        room = self.width() - margins.left() - margins.right()
        self._show_detail(room >= self.sheet_width() + DETAIL_WIDTH + 8)

    def _fit_name_column(self) -> None:
        section = self.model.column_of("name")
        if section < 0:
            return
        others = sum(self.table.columnWidth(c) for c in range(self.model.columnCount()) if c != section)
        room = self.table.viewport().width() - others - 1  # filling it exactly can still call for a scroll bar
        self.table.setColumnWidth(section, max(NAME_MIN_PX, min(NAME_MAX_PX, room)))

    def _project_changed(self, project_id: int) -> None:
        if self.view_data is not None and self.view_data.project_id == project_id:
            self.view_data = self.editor.workspace.view(project_id)
            self._show_header()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row: IndicatorRow | None = self.model.row_data(current.row()) if current.isValid() else None
        view = self.view_data
        if row is not None and view is not None:
            if self.detail.indicator_id != row.indicator_id:
                self.detail.show_indicator(view.project_id, row, view.periods)
            key = self.model.column(current.column()).key
            if key in (*view.periods, YEAR):
                self.detail.show_period(key)  # the details follow the chosen cell's period
        error = self.model.error_at(current)
        if error:
            self._say(error)

    def _rejected(self, key: EditKey, message: str) -> None:
        self.inline.setText("✖ " + message)
        self.inline.setVisible(True)
        self.message.emit(message)

    def _warned(self, key: EditKey, message: str) -> None:
        if self.view_data is not None and key.project_id == self.view_data.project_id:
            self.inline.setText("⚠ " + message + self.tr("（已保存）"))
            self.inline.setVisible(True)
            self.message.emit(message)

    def _say(self, text: str) -> None:
        self.message.emit(text)
