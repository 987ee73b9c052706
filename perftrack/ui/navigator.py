"""The navigator's item model: year → unit → project, with each project's score, grade and status.

The tree is built from one query of (id, year, unit, name); scores come from the workspace's
cache and are evaluated only when a view asks for them, and then only for the rows the view
shows (:meth:`NavigatorModel.set_visible_source`), so 5,000 projects open at once and a new
selection or filter costs the scoring of one screenful. No item object per project: the rows
are tuples, the tree nodes are per year and unit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from perftrack.domain.attainment import STATUS_SEVERITY, Status
from perftrack.ui.formatting import RIGHT_ALIGNED, STATUS_COLORS, arg, brush, score, status_icon
from perftrack.ui.labels import grade_label, not_scored, status_label
from perftrack.ui.snapshots import ProjectSummary
from perftrack.ui.workspace import Workspace

ProjectRow = tuple[int, int, str, str]  # id, year, unit, name
ProjectIdRole = Qt.ItemDataRole.UserRole + 1
SortKeyRole = Qt.ItemDataRole.UserRole + 2
COL_NAME, COL_SCORE, COL_GRADE, COL_STATUS = range(4)
# Bound once: data() runs thousands of times a repaint, and each Qt.ItemDataRole.X lookup costs
# more than the comparison it feeds.
_DISPLAY, _FONT, _ALIGN = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole
_TOOLTIP, _FOREGROUND, _DECORATION = (
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.DecorationRole,
)
_SUMMARY_ROLES = frozenset((_DISPLAY, _DECORATION, _FOREGROUND, _TOOLTIP))  # the ones a score answers
_SELECTABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


# Without a view to ask (or for a row outside what it shows), scores are evaluated for this
# many rows around the one asked for.
WINDOW = 40

Index = QModelIndex | QPersistentModelIndex


@dataclass(eq=False)
class _Year:
    year: int
    row: int
    units: list[_Unit] = field(default_factory=list)


@dataclass(eq=False)
class _Unit:
    parent: _Year
    unit: str
    row: int
    projects: list[ProjectRow] = field(default_factory=list)


class _Root:
    """The internal pointer of top-level (year) indexes."""


class NavigatorModel(QAbstractItemModel):
    """Years, units and projects of the database, filtered and sorted as the user asks."""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self._ws = workspace
        self.compact = False  # statuses as colour squares only (a narrow navigator)
        self._root = _Root()
        self._all: list[ProjectRow] = []
        self._years: list[_Year] = []
        self._where: dict[int, tuple[_Unit, int]] = {}
        self._allowed: set[int] | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._visible: Callable[[], list[int]] | None = None
        self._scoring = False
        self._headers = self._header_texts()
        workspace.projectChanged.connect(self._project_changed)
        workspace.projectsReset.connect(self.reload)
        self.reload()

    def _header_texts(self) -> list[str]:
        return [self.tr("项目"), self.tr("得分"), self.tr("等级"), self.tr("状态")]

    def retranslate(self) -> None:
        """Re-read headers and texts in the current language (the view calls this on LanguageChange)."""
        self._headers = self._header_texts()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._headers) - 1)
        # Every year, unit and status text may change; the structure does not.
        self.layoutAboutToBeChanged.emit()
        self.layoutChanged.emit()

    # -- building ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the project list again (after an import or on another database)."""
        self._all = self._ws.project_index()
        self._rebuild()

    def _rebuild(self) -> None:
        self.beginResetModel()
        years: dict[int, _Year] = {}
        units: dict[tuple[int, str], _Unit] = {}
        for row in self._all:
            if self._allowed is not None and row[0] not in self._allowed:
                continue
            year = years.get(row[1])
            if year is None:
                year = years[row[1]] = _Year(row[1], len(years))
            unit = units.get((row[1], row[2]))
            if unit is None:
                unit = units[(row[1], row[2])] = _Unit(year, row[2], len(year.units))
                year.units.append(unit)
            unit.projects.append(row)
        self._years = list(years.values())
        if self._sort is not None:
            for unit in units.values():
                self._sort_unit(unit, *self._sort)
        self._reindex()
        self.endResetModel()

    def _reindex(self) -> None:
        self._where = {
            p[0]: (unit, i) for year in self._years for unit in year.units for i, p in enumerate(unit.projects)
        }

    def set_filter(
        self, text: str = "", *, off_track: bool = False, needs_note: bool = False, no_actual: bool = False
    ) -> None:
        """Show only projects matching the text (project or indicator name) and any ticked status."""
        allowed: set[int] | None = None
        if text.strip():
            allowed = self._ws.matching_projects(text.strip())
        if off_track or needs_note or no_actual:
            ids = [p[0] for p in self._all if allowed is None or p[0] in allowed]
            summaries = self._ws.summaries(ids)
            allowed = {
                pid
                for pid, s in summaries.items()
                if (off_track and s.off_track) or (needs_note and s.needs_note) or (no_actual and s.no_actual)
            }
        self._allowed = allowed
        self._rebuild()

    def project_count(self) -> int:
        """How many projects the navigator shows."""
        return len(self._where)

    def first_project(self) -> int | None:
        """The id of the first project shown, if any."""
        for year in self._years:
            for unit in year.units:
                if unit.projects:
                    return unit.projects[0][0]
        return None

    def shown_project_ids(self) -> list[int]:
        """The projects the navigator shows (after the filter), in its order."""
        return [row[0] for year in self._years for unit in year.units for row in unit.projects]

    def all_project_ids(self) -> list[int]:
        return [p[0] for p in self._all]

    def set_visible_source(self, visible: Callable[[], list[int]] | None) -> None:
        """Tell the model how to ask its view which projects it shows now (a margin included).

        An unscored row asked for is then scored together with the rest of the screen only,
        not a fixed window of rows most of which nobody sees.
        """
        self._visible = visible

    # -- Qt model interface ------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, self._root)
        node = self._node(parent)
        if isinstance(node, _Year | _Unit):
            return self.createIndex(row, column, node)
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        pointer = index.internalPointer()
        if isinstance(pointer, _Year):
            return self.createIndex(pointer.row, 0, self._root)
        if isinstance(pointer, _Unit):
            return self.createIndex(pointer.row, 0, pointer.parent)
        return QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        if not parent.isValid():
            return len(self._years)
        node = self._node(parent)
        if isinstance(node, _Year):
            return len(node.units)
        if isinstance(node, _Unit):
            return len(node.projects)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return "" if self.compact and section == COL_STATUS else self._headers[section]
        if orientation == Qt.Orientation.Horizontal and role == _TOOLTIP and section == COL_STATUS:
            return self._headers[section]
        return None

    def set_compact(self, compact: bool) -> None:
        """Show each project's status as its colour square alone (the word is in the tooltip),
        leaving the width to the names when the navigator is narrow."""
        if compact != self.compact:
            self.compact = compact
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, COL_STATUS, COL_STATUS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _SELECTABLE

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        if isinstance(node, _Year):
            if role == _DISPLAY and index.column() == COL_NAME:
                return arg(self.tr("%1年"), node.year)
            return self._bold(role)
        if isinstance(node, _Unit):
            if role == _DISPLAY and index.column() == COL_NAME:
                return arg(self.tr("%1（%2）"), node.unit or self.tr("（未填单位）"), len(node.projects))
            return self._bold(role)
        if node is None:
            return None
        return self._project_data(node, index.column(), role)

    @staticmethod
    def _bold(role: int) -> Any:
        if role == _FONT:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _project_data(self, row: ProjectRow, column: int, role: int) -> Any:
        if role == ProjectIdRole:
            return row[0]
        if role == _TOOLTIP and column == COL_NAME:
            return row[3]
        if role == _ALIGN and column == COL_SCORE:
            return RIGHT_ALIGNED
        if column == COL_NAME:
            return row[3] if role == _DISPLAY else None
        if role not in _SUMMARY_ROLES:
            return None
        summary = self._summary(row[0])
        if summary is None:
            return None
        if role == _TOOLTIP:
            if column == COL_STATUS:
                return self._status_tip(summary)
            return None if summary.scored else self.tr("尚未填报任何完成值或预算执行数，暂不评分")
        if role == _DISPLAY:
            if column == COL_SCORE:
                return score(summary.total) if summary.scored else not_scored()
            if column == COL_GRADE:
                return grade_label(summary.grade) if summary.scored else ""
            return "" if self.compact else status_label(summary.status)
        if column == COL_SCORE and role == _FOREGROUND and not summary.scored:
            return brush(STATUS_COLORS[Status.NO_ACTUAL])
        if column == COL_STATUS and role == _DECORATION:
            return status_icon(summary.status)
        if column == COL_STATUS and role == _FOREGROUND:
            return brush(STATUS_COLORS[summary.status])
        return None

    def _status_tip(self, summary: ProjectSummary) -> str:
        parts = [status_label(summary.status)]
        if summary.off_track:
            parts.append(arg(self.tr("%1 个指标偏离目标"), summary.off_track))
        if summary.needs_note:
            parts.append(arg(self.tr("%1 个指标待说明偏差"), summary.needs_note))
        if summary.no_actual:
            parts.append(arg(self.tr("%1 个指标未填报"), summary.no_actual))
        return "\n".join(parts)

    def _summary(self, project_id: int) -> ProjectSummary | None:
        cached = self._ws.cached_summary(project_id)
        if cached is not None:
            return cached
        if self._scoring:
            # Asked again while the view lays itself out for the question below: that row is
            # being scored already, and asking the view again would recurse.
            return None
        self._scoring = True
        try:
            ids = self._visible() if self._visible is not None else []
            if project_id not in ids:
                unit, row = self._where[project_id]
                ids = [p[0] for p in unit.projects[max(0, row - WINDOW // 2) : row + WINDOW // 2]]
            return self._ws.summaries(ids).get(project_id)
        finally:
            self._scoring = False

    def _node(self, index: Index) -> _Year | _Unit | ProjectRow | None:
        pointer = index.internalPointer()
        row = index.row()
        if pointer is self._root:
            return self._years[row] if row < len(self._years) else None
        if isinstance(pointer, _Year):
            return pointer.units[row] if row < len(pointer.units) else None
        if isinstance(pointer, _Unit):
            return pointer.projects[row] if row < len(pointer.projects) else None
        return None

    # -- finding and sorting -----------------------------------------------------------------

    def index_of_project(self, project_id: int, column: int = 0) -> QModelIndex:
        """The index of a shown project, or an invalid index when the filter hides it."""
        where = self._where.get(project_id)
        if where is None:
            return QModelIndex()
        unit, row = where
        return self.createIndex(row, column, unit)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the projects of each unit by a column; years and units keep their order."""
        self.layoutAboutToBeChanged.emit()
        old = {(id(unit), row): pid for pid, (unit, row) in self._where.items()}
        persistent = self.persistentIndexList()
        self._sort = (column, order)
        if column != COL_NAME:
            self._ws.summaries(list(self._where))
        for year in self._years:
            for unit in year.units:
                self._sort_unit(unit, column, order)
        self._reindex()
        moved_from: list[QModelIndex] = []
        moved_to: list[QModelIndex] = []
        for index in persistent:
            if isinstance(index.internalPointer(), _Unit):
                pid = old.get((id(index.internalPointer()), index.row()))
                if pid is not None:
                    moved_from.append(QModelIndex(index))
                    moved_to.append(self.index_of_project(pid, index.column()))
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()

    def _sort_unit(self, unit: _Unit, column: int, order: Qt.SortOrder) -> None:
        def key(row: ProjectRow) -> Any:
            if column == COL_NAME:
                return row[3]
            summary = self._ws.cached_summary(row[0])
            if summary is None:
                return (-1, row[3])
            if column == COL_STATUS:
                return (STATUS_SEVERITY[summary.status], row[3])
            # Not scored sorts below a real 0.00.
            return (summary.total if summary.scored else -1, row[3])

        unit.projects.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)

    def _project_changed(self, project_id: int) -> None:
        if project_id in self._where:
            self.dataChanged.emit(
                self.index_of_project(project_id, COL_SCORE), self.index_of_project(project_id, COL_STATUS)
            )
