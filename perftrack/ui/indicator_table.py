"""The indicator table's model: one row per indicator, grouped like the official form, edited like a sheet.

Rows come from the workspace's snapshot of the project; an edit goes to the Editor (store,
commit, undo step) and the table refreshes when the workspace says the project changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from perftrack.domain.attainment import STATUS_SEVERITY
from perftrack.domain.periods import MONTHS, QUARTERS, YEAR
from perftrack.ui.formatting import (
    EDITABLE_TINT,
    ERROR_TINT,
    RIGHT_ALIGNED,
    STATUS_COLORS,
    STATUS_TINTS,
    WARNING_TINT,
    arg,
    brush,
    number,
    percent,
    score,
)
from perftrack.ui.labels import period_name, status_label, tier_label
from perftrack.ui.snapshots import EditKey, IndicatorRow, ProjectView
from perftrack.ui.undo import Editor

IndicatorIdRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
# Bound once: data() and flags() run thousands of times a repaint, and each Qt.ItemDataRole.X
# lookup or flag "|" costs more than the comparison it feeds.
_DISPLAY, _EDIT = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole
_ALIGN, _TOOLTIP = Qt.ItemDataRole.TextAlignmentRole, Qt.ItemDataRole.ToolTipRole
_BACKGROUND, _FOREGROUND = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole
_READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_EDITABLE = _READ_ONLY | Qt.ItemFlag.ItemIsEditable


@dataclass(frozen=True, slots=True)
class Column:
    """A column: what it shows, whether staff type into it, how it sorts."""

    key: str
    header: str
    editable: bool = False
    numeric: bool = False


class IndicatorTableModel(QAbstractTableModel):
    """The indicators of one project with their period values, completion, score and status."""

    editRejected = Signal(QModelIndex, str)

    def __init__(self, editor: Editor) -> None:
        super().__init__(editor)
        self._editor = editor
        self._view: ProjectView | None = None
        self._rows: list[IndicatorRow] = []
        self._columns: list[Column] = self._make_columns(QUARTERS)
        self._errors: dict[tuple[int, str], str] = {}
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._filter: Callable[[IndicatorRow], bool] | None = None
        editor.workspace.projectChanged.connect(self._project_changed)
        editor.rejected.connect(self._rejected)

    def _make_columns(self, periods: tuple[str, ...]) -> list[Column]:
        return [
            Column("level1", self.tr("一级指标")),
            Column("level2", self.tr("二级指标")),
            Column("name", self.tr("三级指标")),
            Column("target", self.tr("年度指标值")),
            *(Column(p, period_name(p), editable=True, numeric=True) for p in periods),
            Column(YEAR, self.tr("全年完成值"), editable=True, numeric=True),
            Column("ytd", self.tr("累计完成"), numeric=True),
            Column("ratio", self.tr("完成率"), numeric=True),
            Column("points", self.tr("分值"), editable=True, numeric=True),
            Column("score", self.tr("得分"), numeric=True),
            Column("status", self.tr("状态")),
            Column("deviation_reason", self.tr("偏差原因分析"), editable=True),
        ]

    def retranslate(self) -> None:
        """Headers and words in the current language; the rows stay where they are."""
        periods = self._view.periods if self._view is not None else QUARTERS
        self._columns = self._make_columns(periods)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self._columns) - 1))

    # -- content -----------------------------------------------------------------------------

    @property
    def project(self) -> ProjectView | None:
        return self._view

    def column(self, section: int) -> Column:
        return self._columns[section]

    def column_of(self, key: str) -> int:
        """The section showing a key ("Q2", "points"…), or -1."""
        return next((i for i, c in enumerate(self._columns) if c.key == key), -1)

    def row_data(self, row: int) -> IndicatorRow:
        return self._rows[row]

    def row_of(self, indicator_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.indicator_id == indicator_id), -1)

    def edit_key(self, index: Index) -> EditKey | None:
        """The stored field behind an editable cell."""
        if self._view is None or not index.isValid() or not self._columns[index.column()].editable:
            return None
        return EditKey(self._view.project_id, self._rows[index.row()].indicator_id, self._columns[index.column()].key)

    def set_project(self, view: ProjectView | None) -> None:
        """Show another project (or none)."""
        self.beginResetModel()
        self._view = view
        self._errors.clear()
        if view is not None:
            self._columns = self._make_columns(view.periods)
        self._rows = self._ordered()
        self.endResetModel()

    def set_filter(self, predicate: Callable[[IndicatorRow], bool] | None) -> None:
        """Show only the rows the predicate keeps (None shows all)."""
        self.beginResetModel()
        self._filter = predicate
        self._rows = self._ordered()
        self.endResetModel()

    def is_form_order(self) -> bool:
        """True when rows follow the form (so level-1 and level-2 cells can be merged)."""
        return self._sort is None

    def group_spans(self) -> list[tuple[int, int, int]]:
        """(row, column, row count) of the merged level-1 and level-2 cells, as on the official form."""
        if not self.is_form_order():
            return []
        spans = []
        for column, key in ((0, lambda r: r.level1), (1, lambda r: (r.level1, r.level2))):
            start = 0
            for row in range(1, len(self._rows) + 1):
                if row == len(self._rows) or key(self._rows[row]) != key(self._rows[start]):
                    if row - start > 1:
                        spans.append((start, column, row - start))
                    start = row
        return spans

    def _ordered(self) -> list[IndicatorRow]:
        if self._view is None:
            return []
        rows = [r for r in self._view.rows if self._filter is None or self._filter(r)]
        if self._sort is not None:
            column, order = self._sort
            key = self._columns[column].key
            rows.sort(key=lambda r: _sort_key(r, key), reverse=order == Qt.SortOrder.DescendingOrder)
        return rows

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column; column -1 returns to the form's order."""
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order) if 0 <= column < len(self._columns) else None
        self._relayout(self._ordered())

    def _relayout(self, rows: list[IndicatorRow]) -> None:
        """Replace the rows, keeping persistent indexes on the same indicators (caller emitted AboutToBe)."""
        old_ids = [r.indicator_id for r in self._rows]
        new_pos = {r.indicator_id: i for i, r in enumerate(rows)}
        self._rows = rows
        persistent = self.persistentIndexList()
        moved = []
        for index in persistent:
            pid = old_ids[index.row()] if index.row() < len(old_ids) else None
            row = new_pos.get(pid, -1) if pid is not None else -1
            moved.append(self.index(row, index.column()) if row >= 0 else QModelIndex())
        self.changePersistentIndexList([QModelIndex(i) for i in persistent], moved)
        self.layoutChanged.emit()

    def _project_changed(self, project_id: int) -> None:
        if self._view is None or project_id != self._view.project_id:
            return
        view = self._editor.workspace.view(project_id)
        if view is None or view.periods != self._view.periods:
            # Gone, or switched between quarterly and monthly reporting: other columns.
            self.set_project(view)
            return
        self._view = view
        rows = self._ordered()
        if [r.indicator_id for r in rows] == [r.indicator_id for r in self._rows]:
            self._rows = rows
            if rows:
                self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, len(self._columns) - 1))
        else:
            self.layoutAboutToBeChanged.emit()
            self._relayout(rows)

    def _rejected(self, key: EditKey, message: str) -> None:
        if self._view is None or key.project_id != self._view.project_id or key.indicator_id is None:
            return
        self._errors[(key.indicator_id, key.field)] = message
        row, column = self.row_of(key.indicator_id), self.column_of(key.field)
        if row >= 0 and column >= 0:
            index = self.index(row, column)
            self.dataChanged.emit(index, index)
            self.editRejected.emit(index, message)

    def error_at(self, index: Index) -> str | None:
        """Why the last value typed into this cell was refused, if it was."""
        if not index.isValid():
            return None
        return self._errors.get((self._rows[index.row()].indicator_id, self._columns[index.column()].key))

    # -- Qt model interface ------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section].header
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _EDITABLE if self._columns[index.column()].editable else _READ_ONLY

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role in (_DISPLAY, _EDIT):
            return self._text(row, column.key, role == _EDIT)
        if role == IndicatorIdRole:
            return row.indicator_id
        if role == _ALIGN and column.numeric:
            return RIGHT_ALIGNED
        if role == _TOOLTIP:
            return self._tooltip(row, column)
        if role == _BACKGROUND:
            if (row.indicator_id, column.key) in self._errors:
                return brush(ERROR_TINT)
            if column.key in row.warnings:
                return brush(WARNING_TINT)
            if column.key == "status":
                return brush(STATUS_TINTS[row.status])
            if column.editable:
                return brush(EDITABLE_TINT)
            return None
        if role == _FOREGROUND and column.key == "status":
            return brush(STATUS_COLORS[row.status], darker=True)
        return None

    def _text(self, row: IndicatorRow, key: str, editing: bool) -> str:
        if key in row.texts or key in (*QUARTERS, *MONTHS, YEAR):
            return row.texts.get(key, "")
        if key == "level1":
            return row.level1
        if key == "level2":
            return row.level2
        if key == "name":
            return row.name
        if key == "target":
            return row.target
        if key == "ytd":
            return tier_label(row.tier) if row.qualitative and row.tier else number(row.ytd)
        if key == "ratio":
            return percent(row.ratio)
        if key == "points":
            return row.fields.get("points", "") if editing else score(row.points)
        if key == "score":
            return score(row.score)
        if key == "status":
            return status_label(row.status)
        return row.fields.get(key, "")

    def _tooltip(self, row: IndicatorRow, column: Column) -> str | None:
        error = self._errors.get((row.indicator_id, column.key))
        if error:
            return error
        if column.key in row.warnings:
            return "⚠ " + row.warnings[column.key]
        if column.key == "name":
            return row.name
        if column.key in ("status", "score") and row.reasons:
            return "\n".join(row.reasons)
        if column.key == "target":
            return row.target
        if column.key == "deviation_reason":
            return row.fields.get("deviation_reason") or None
        if column.key in ("level1", "level2", "ytd") or column.editable:
            # Long words (服务对象满意度指标, a tier with its share) are cut short in a narrow cell.
            return self._text(row, column.key, False) or None
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole:
            return False
        key = self.edit_key(index)
        if key is None:
            return False
        text = "" if value is None else str(value)
        self._errors.pop((key.indicator_id or 0, key.field), None)
        errors = self._editor.edit(
            [(key, text)],
            arg(self.tr("填写“%1” %2"), self._rows[index.row()].name, self._columns[index.column()].header),
        )
        return errors[0] is None

    def store(self, edits: list[tuple[EditKey, str]], label: str) -> list[str | None]:
        """Store texts for several cells as one undo step; returns each cell's refusal or None."""
        for key, _ in edits:
            self._errors.pop((key.indicator_id or 0, key.field), None)
        return self._editor.edit(edits, label)

    def paste(self, top_left: Index, block: list[list[str]]) -> tuple[int, list[str]]:
        """Store a block of texts (rows of cells) from a cell onward; returns (stored, refusals)."""
        edits: list[tuple[EditKey, str]] = []
        skipped: list[str] = []
        for r, cells in enumerate(block):
            for c, text in enumerate(cells):
                index = self.index(top_left.row() + r, top_left.column() + c)
                key = self.edit_key(index)
                if key is None:
                    if index.isValid() and text.strip():
                        skipped.append(
                            arg(
                                self.tr("第%1行“%2”列不可编辑"),
                                index.row() + 1,
                                self._columns[index.column()].header,
                            )
                        )
                    continue
                self._errors.pop((key.indicator_id or 0, key.field), None)
                edits.append((key, text))
        errors = self._editor.edit(edits, self.tr("粘贴 %n 个单元格", "", len(edits))) if edits else []
        stored = sum(1 for e in errors if e is None)
        return stored, skipped + [e for e in errors if e is not None]


def _sort_key(row: IndicatorRow, key: str) -> Any:
    """Numbers sort as numbers, empty cells last."""
    value: Any
    if key == "ytd":
        value = row.ytd
    elif key == "ratio":
        value = row.ratio
    elif key == "points":
        value = row.points
    elif key == "score":
        value = row.score
    elif key == "status":
        value = STATUS_SEVERITY[row.status]
    elif key in ("level1", "level2", "name", "target"):
        value = getattr(row, key)
    else:
        value = row.text(key)
    return (value is None or value == "", value if value is not None else 0)
