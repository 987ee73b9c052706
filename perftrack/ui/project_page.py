"""One project on screen: its header and funds, the indicator sheet, and the selected indicator's details."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from perftrack.ui.budget_table import BudgetTableModel
from perftrack.ui.detail_pane import DetailPane
from perftrack.ui.formatting import STATUS_COLORS, arg, score, status_label
from perftrack.ui.indicator_table import IndicatorTableModel
from perftrack.ui.sheet_view import SheetView
from perftrack.ui.snapshots import EditKey, IndicatorRow, ProjectView
from perftrack.ui.undo import Editor

# Widths that keep the sheet readable at 1366×768 without hiding the numbers.
COLUMN_WIDTHS = {"level1": 70, "level2": 80, "name": 180, "target": 110, "deviation_reason": 160}


class ProjectPage(QWidget):
    """The project page; ``message`` carries refusals and confirmations to the status bar."""

    message = Signal(str)

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
        self.budget_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.budget_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.budget_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.budget_view.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.budget_view.setFixedHeight(58)
        layout.addWidget(self.budget_view)

        self.model = IndicatorTableModel(editor)
        self.table = SheetView()
        self.table.setModel(self.model)
        self.table.message.connect(self._say)
        self.model.modelReset.connect(self._size_columns)
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
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([820, 250])
        layout.addWidget(splitter, 1)

        editor.rejected.connect(self._rejected)
        editor.accepted.connect(lambda _n: self.inline.setVisible(False))
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
        grid.addWidget(self.title, 0, 0)
        grid.addWidget(self.score_label, 0, 1)
        grid.addWidget(self.facts, 1, 0, 1, 2)
        grid.addWidget(self.goal, 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        return frame

    # -- showing -----------------------------------------------------------------------------

    def show_project(self, project_id: int | None) -> None:
        """Show a project by id (None shows an empty page)."""
        view = self.editor.workspace.view(project_id) if project_id is not None else None
        self.view_data = view
        self.model.set_project(view)
        self.budget_model.set_project(view)
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
            return
        self.title.setText(view.name)
        summary = view.summary
        color = STATUS_COLORS[summary.status]
        self.score_label.setText(
            arg(
                self.tr("总分 <b>%1</b>　等级 <b>%2</b>　<span style='color:%3'>■</span> %4"),
                score(summary.total),
                summary.grade,
                color,
                status_label(summary.status),
            )
        )
        dates = f"{view.start or '—'} ~ {view.end or '—'}"
        self.facts.setText(
            arg(
                self.tr("实施单位：%1　主管部门：%2　计划日期：%3　%4　填报周期：%5"),
                view.unit or "—",
                view.department or "—",
                dates,
                view.nature,
                self.tr("按月") if view.reporting == "monthly" else self.tr("按季度"),
            )
        )
        goal = view.annual_goal.replace("\n", " ") or "—"
        self.goal.setText(arg(self.tr("年度总体目标：%1"), goal))
        self.goal.setToolTip(view.annual_goal)

    def _size_columns(self) -> None:
        for section in range(self.model.columnCount()):
            key = self.model.column(section).key
            self.table.setColumnWidth(section, COLUMN_WIDTHS.get(key, 72))

    def _project_changed(self, project_id: int) -> None:
        if self.view_data is not None and self.view_data.project_id == project_id:
            self.view_data = self.editor.workspace.view(project_id)
            self._show_header()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row: IndicatorRow | None = self.model.row_data(current.row()) if current.isValid() else None
        view = self.view_data
        if row is not None and view is not None:
            if self.detail.indicator_id == row.indicator_id:
                return
            self.detail.show_indicator(view.project_id, row, view.periods)
        error = self.model.error_at(current)
        if error:
            self._say(error)

    def _rejected(self, key: EditKey, message: str) -> None:
        self.inline.setText("✖ " + message)
        self.inline.setVisible(True)
        self.message.emit(message)

    def _say(self, text: str) -> None:
        self.message.emit(text)
