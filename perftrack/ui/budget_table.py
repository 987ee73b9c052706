"""The funds row of the project page: money executed per period, the full-year figures, rate and score."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from perftrack.domain.numbers import WAN_YUAN, YUAN
from perftrack.domain.periods import YEAR
from perftrack.ui.formatting import (
    EDITABLE_TINT,
    RIGHT_ALIGNED,
    WARNING_TINT,
    arg,
    brush,
    money,
    money_for_editing,
    rate,
    score,
    typed_money,
)
from perftrack.ui.labels import period_name
from perftrack.ui.snapshots import BUDGET_PREFIX, FULL_YEAR_BUDGET, EditKey, ProjectView
from perftrack.ui.undo import Editor

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class _Column:
    key: str
    header: str
    editable: bool


class BudgetTableModel(QAbstractTableModel):
    """One row: 年度资金总额, 全年预算数, executed per period, 全年执行数, 执行率, 得分."""

    def __init__(self, editor: Editor) -> None:
        super().__init__(editor)
        self._editor = editor
        self._view: ProjectView | None = None
        self._columns: list[_Column] = []
        editor.workspace.projectChanged.connect(self._project_changed)

    def set_project(self, view: ProjectView | None) -> None:
        """Show another project's funds (or none)."""
        self.beginResetModel()
        self._view = view
        self._columns = self._make_columns()
        self.endResetModel()

    def _make_columns(self) -> list[_Column]:
        if self._view is None:
            return []
        return [
            _Column("annual_total", self.tr("年初预算数"), False),
            _Column(FULL_YEAR_BUDGET, self.tr("全年预算数"), True),
            *(_Column(BUDGET_PREFIX + p, arg(self.tr("%1执行"), period_name(p)), True) for p in self._view.periods),
            _Column(BUDGET_PREFIX + YEAR, self.tr("全年执行数"), True),
            _Column("rate", self.tr("执行率"), False),
            _Column("score", self.tr("得分（10分）"), False),
        ]

    def retranslate(self) -> None:
        """Headers in the current language (the figures' separators follow the locale too)."""
        self._columns = self._make_columns()
        if self._columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, 0)
            self.dataChanged.emit(self.index(0, 0), self.index(0, len(self._columns) - 1))

    def _project_changed(self, project_id: int) -> None:
        if self._view is not None and self._view.project_id == project_id:
            view = self._editor.workspace.view(project_id)
            if view is None or view.periods != self._view.periods:
                self.set_project(view)
                return
            self._view = view
            self.dataChanged.emit(self.index(0, 0), self.index(0, len(self._columns) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._view is None else 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section].header
        return arg(self.tr("金额（%1）"), self.tr("万元") if self._unit() == WAN_YUAN else self.tr("元"))

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._columns[index.column()].editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._view is None:
            return None
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT_ALIGNED
        warning = (
            self._view.budget_warnings.get(column.key.removeprefix(BUDGET_PREFIX))
            if column.key.startswith(BUDGET_PREFIX)
            else None
        )
        if role == Qt.ItemDataRole.ToolTipRole and warning:
            return "⚠ " + warning
        if role == Qt.ItemDataRole.BackgroundRole and column.editable:
            return brush(WARNING_TINT if warning else EDITABLE_TINT)
        if role == Qt.ItemDataRole.EditRole and column.editable:
            return money_for_editing(self._view.text(self._key(column)), self._unit())
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        view, unit = self._view, self._unit()
        if column.key == "annual_total":
            return money(view.annual_total, unit=unit)
        if column.key == FULL_YEAR_BUDGET:
            return money(view.full_year_budget if view.full_year_budget is not None else view.annual_total, unit=unit)
        if column.key == "rate":
            return rate(view.rate)
        if column.key == "score":
            return score(view.budget_score)
        if column.key == BUDGET_PREFIX + YEAR and YEAR not in view.budget_texts:
            # No year-end figure yet: show what the periods add up to, as the scoring does.
            return money(view.executed, "", unit)
        text = view.text(self._key(column))
        return money(_decimal(text), "", unit) if text else ""

    def _key(self, column: _Column) -> EditKey:
        assert self._view is not None
        return EditKey(self._view.project_id, None, column.key)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or self._view is None or not index.isValid():
            return False
        column = self._columns[index.column()]
        if not column.editable:
            return False
        typed = typed_money(str(value or ""), self._unit())
        return self._editor.edit([(self._key(column), typed)], column.header)[0] is None

    def _unit(self) -> str:
        return self._view.money_unit if self._view is not None else YUAN


def _decimal(text: str) -> Any:
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
