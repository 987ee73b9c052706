"""The left side of the window: the filter box, the status filters, the project tree and its count.

Status filters and sorting by score need every project scored; on a large database the first
time is long work with a progress dialog, and Cancel leaves the filter or sort as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from perftrack.domain.attainment import Status
from perftrack.ui.formatting import arg
from perftrack.ui.labels import grade_label, not_scored, status_label
from perftrack.ui.long_work import LongWork, score_with_progress
from perftrack.ui.navigator import COL_GRADE, COL_NAME, COL_SCORE, COL_STATUS, NavigatorModel, ProjectIdRole
from perftrack.ui.workspace import Workspace

# Wait this long after the last key before filtering 5,000 projects.
FILTER_DELAY_MS = 250
# Expand every unit up to this many projects; beyond, only the years.
EXPAND_ALL_UP_TO = 200
# The name column's share of the panel's preferred width (about eleven Chinese characters).
NAME_PX = 160
# The status column of a narrow navigator: the colour square alone.
COMPACT_STATUS_PX = 26
# Rows scored beyond each edge of the viewport, so that scrolling a line or two asks for nothing.
VISIBLE_MARGIN = 3


@dataclass(frozen=True, slots=True)
class FilterState:
    """What the user asked to see."""

    text: str = ""
    off_track: bool = False
    needs_note: bool = False
    no_actual: bool = False

    @property
    def by_status(self) -> bool:
        return self.off_track or self.needs_note or self.no_actual


class NavigatorPanel(QWidget):
    """Year → unit → project, with a filter; ``projectActivated`` when the user picks a project."""

    projectActivated = Signal(int)
    filterApplied = Signal(object)  # FilterState
    preferredWidthChanged = Signal()  # the words of another language need another width

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        self.filter_box = QLineEdit()
        self.filter_box.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FILTER_DELAY_MS)
        self._timer.timeout.connect(self.apply_filter)
        self.filter_box.textChanged.connect(self._text_changed)
        layout.addWidget(self.filter_box)
        checks = QHBoxLayout()
        self.off_track_check, self.needs_note_check, self.no_actual_check = QCheckBox(), QCheckBox(), QCheckBox()
        for check in (self.off_track_check, self.needs_note_check, self.no_actual_check):
            check.toggled.connect(self._status_toggled)
            checks.addWidget(check)
        checks.addStretch(1)
        layout.addLayout(checks)

        self.model = NavigatorModel(workspace)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.model.set_visible_source(self.visible_projects)
        self.tree.setUniformRowHeights(True)
        self.tree.setIndentation(12)
        self.tree.setSortingEnabled(False)
        # The start of a name is what people recognise ("“创·在上海”国际创…"), so the end is cut.
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.tree.header()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.sectionClicked.connect(self._sort_clicked)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for column in (COL_SCORE, COL_GRADE, COL_STATUS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        layout.addWidget(self.tree, 1)
        self.count_label = QLabel()
        layout.addWidget(self.count_label)
        self.model.modelReset.connect(self._after_reset)
        self._due = 0  # projects with an ended quarter not yet submitted (the review's reminder)
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self.retranslate()
        self._after_reset()

    # -- language ----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every text in the current language."""
        self.filter_box.setPlaceholderText(self.tr("筛选：项目或指标名称"))
        self.off_track_check.setText(self.tr("偏离目标"))
        self.needs_note_check.setText(self.tr("待说明偏差"))
        self.no_actual_check.setText(self.tr("未填报"))
        self.off_track_check.setToolTip(self.tr("只显示有指标偏离目标的项目"))
        self.needs_note_check.setToolTip(self.tr("只显示有指标失分或超额完成、尚未写偏差原因的项目"))
        self.no_actual_check.setToolTip(self.tr("只显示有指标尚未填报完成值的项目"))
        self.model.retranslate()
        self._size_columns()
        self._show_count()
        self.preferredWidthChanged.emit()

    def _size_columns(self) -> None:
        # Wide enough for the longest word each column can show in this language, no wider.
        metrics = self.tree.fontMetrics()
        header_metrics = self.tree.header().fontMetrics()
        pad = 10

        def width(column: int, texts: list[str], extra: int = 0) -> int:
            header_text = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            widest = max(metrics.horizontalAdvance(t) for t in texts) + extra
            return max(widest, header_metrics.horizontalAdvance(header_text) + 18) + pad

        grades = [grade_label(g) for g in ("优", "良", "中", "差", "合格", "不合格")]
        self.tree.header().resizeSection(COL_SCORE, width(COL_SCORE, ["100.00", not_scored()]))
        self.tree.header().resizeSection(COL_GRADE, width(COL_GRADE, grades))
        self._status_width = width(COL_STATUS, [status_label(s) for s in Status], 18)
        self.tree.header().resizeSection(COL_STATUS, COMPACT_STATUS_PX if self.model.compact else self._status_width)

    def set_compact(self, compact: bool) -> None:
        """Statuses as colour squares alone, so that a narrow navigator still shows the names."""
        if compact == self.model.compact:
            return
        self.model.set_compact(compact)
        self.tree.header().resizeSection(COL_STATUS, COMPACT_STATUS_PX if compact else self._status_width)
        self.tree.viewport().update()

    def preferred_width(self) -> int:
        """The width that shows the score columns whole and ``NAME_PX`` of each name."""
        header = self.tree.header()
        fixed = sum(header.sectionSize(c) for c in (COL_SCORE, COL_GRADE)) + self._status_width
        margins = self.layout().contentsMargins()
        chrome = 2 * self.tree.frameWidth() + self.tree.verticalScrollBar().sizeHint().width()
        return fixed + NAME_PX + chrome + margins.left() + margins.right()

    # -- showing -----------------------------------------------------------------------------

    def _after_reset(self) -> None:
        if self.model.project_count() <= EXPAND_ALL_UP_TO:
            self.tree.expandAll()
        else:
            self.tree.expandToDepth(0)
        # Year and unit rows have no score: let their names use the whole width.
        for y in range(self.model.rowCount()):
            year = self.model.index(y, 0)
            self.tree.setFirstColumnSpanned(y, QModelIndex(), True)
            for u in range(self.model.rowCount(year)):
                self.tree.setFirstColumnSpanned(u, year, True)
        self._show_count()

    def _show_count(self) -> None:
        shown, everything = self.model.project_count(), len(self.model.all_project_ids())
        if shown == everything:
            text = self.tr("共 %n 个项目", "", shown)
        else:
            text = arg(self.tr("显示 %1 个项目，共 %2 个"), shown, everything)
        if self._due:
            text += self.tr("，%n 个待提交", "", self._due)
        self.count_label.setText(text)

    def set_due(self, projects: int) -> None:
        """Show how many projects have an ended quarter not yet submitted."""
        self._due = projects
        self._show_count()

    def visible_projects(self) -> list[int]:
        """The projects of the rows the tree's viewport shows, and ``VISIBLE_MARGIN`` rows either side."""
        tree = self.tree
        index = tree.indexAt(QPoint(0, 0))
        if not index.isValid():
            return []
        for _ in range(VISIBLE_MARGIN):
            above = tree.indexAbove(index)
            if not above.isValid():
                break
            index = above
        height = tree.viewport().height()
        ids: list[int] = []
        after = -1  # rows still wanted once the bottom edge is passed (-1: not passed yet)
        while index.isValid() and after != 0:
            project_id = index.data(ProjectIdRole)
            if project_id is not None:
                ids.append(int(project_id))
            if after > 0:
                after -= 1
            elif tree.visualRect(index).bottom() >= height:
                after = VISIBLE_MARGIN
            index = tree.indexBelow(index)
        return ids

    def select_project(self, project_id: int) -> None:
        """Make a project the current row (when the filter shows it)."""
        index = self.model.index_of_project(project_id)
        if index.isValid() and self.tree.currentIndex() != index:
            self.tree.setCurrentIndex(index)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        project_id = current.data(ProjectIdRole) if current.isValid() else None
        if project_id is not None:
            self.projectActivated.emit(int(project_id))

    # -- filtering and sorting ---------------------------------------------------------------

    def filter_state(self) -> FilterState:
        """The filter as the boxes show it now."""
        return FilterState(
            self.filter_box.text().strip(),
            self.off_track_check.isChecked(),
            self.needs_note_check.isChecked(),
            self.no_actual_check.isChecked(),
        )

    def _text_changed(self, _text: str) -> None:
        self._timer.start()
        # The names are read once per database; reading them now, inside the debounce wait,
        # spares the first filter the wait (about 100 ms at 5,000 projects).
        self._workspace.prepare_search()

    def _status_toggled(self, checked: bool) -> None:
        if checked and not score_with_progress(self, self._workspace, self.model.all_project_ids()):
            # Cancelled: the box goes back to unticked and the list stays as it was.
            box = self.sender()
            if isinstance(box, QCheckBox):
                box.blockSignals(True)
                box.setChecked(False)
                box.blockSignals(False)
            return
        self.apply_filter()

    def apply_filter(self) -> None:
        """Filter the tree by the text and the ticked statuses, keeping the current project."""
        if LongWork.busy():
            self._timer.start()  # typed while scoring: filter once the work is done
            return
        self._timer.stop()
        current = self.tree.currentIndex().data(ProjectIdRole)
        state = self.filter_state()
        self.model.set_filter(
            state.text, off_track=state.off_track, needs_note=state.needs_note, no_actual=state.no_actual
        )
        if current is not None:
            self.select_project(int(current))
        self.filterApplied.emit(state)

    def _sort_clicked(self, section: int) -> None:
        if section == self._sort_column:
            descending = self._sort_order == Qt.SortOrder.AscendingOrder
            order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        else:
            order = Qt.SortOrder.AscendingOrder
        self.sort_by(section, order)

    def sort_by(self, column: int, order: Qt.SortOrder) -> bool:
        """Sort each unit's projects; False when the scoring it needs was cancelled."""
        header = self.tree.header()
        if column != COL_NAME and not score_with_progress(self, self._workspace, self.model.all_project_ids()):
            header.setSortIndicator(self._sort_column, self._sort_order)
            return False
        self._sort_column, self._sort_order = column, order
        header.setSortIndicator(column, order)
        self.model.sort(column, order)
        return True
