"""The funds row of the project page: money executed per period, the full-year figures, rate and score."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from perftrack.domain.figures import SourceRow
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
from perftrack.ui.snapshots import BUDGET_PREFIX, FULL_YEAR_BUDGET, SOURCE_PREFIX, EditKey, ProjectView
from perftrack.ui.undo import Editor

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class _Column:
    key: str
    header: str
    editable: bool


class BudgetTableModel(QAbstractTableModel):
    """The totals row (年初预算数, 全年预算数, executed per period, 全年执行数, 执行率, 得分), then one
    其中 row per funding source the form declares money for, whose 全年执行数 is entered there."""

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
            last = self.rowCount() - 1
            self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, last)
            self.dataChanged.emit(self.index(0, 0), self.index(last, len(self._columns) - 1))

    def _project_changed(self, project_id: int) -> None:
        if self._view is not None and self._view.project_id == project_id:
            view = self._editor.workspace.view(project_id)
            if view is None or view.periods != self._view.periods or len(view.sources) != len(self._view.sources):
                self.set_project(view)
                return
            self._view = view
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, len(self._columns) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        # The project's totals, then a 其中 row for each funding source the form declares money for.
        return 0 if parent.isValid() or self._view is None else 1 + len(self._view.sources)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Vertical and section > 0:
            return self.tr("该资金来源的全年执行数（自评表“其中”行）；各来源合计应等于全年执行数")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._columns[section].header
        if section == 0 or self._view is None or section > len(self._view.sources):
            return arg(self.tr("金额（%1）"), self.tr("万元") if self._unit() == WAN_YUAN else self.tr("元"))
        return arg(self.tr("其中：%1"), self._source_name(self._view.sources[section - 1].key))

    def _source_name(self, key: str) -> str:
        names = {
            "appropriation": self.tr("当年财政拨款"),
            "carryover": self.tr("上年结转资金"),
            "other": self.tr("其他资金"),
        }
        return names[key]

    def _edit_field(self, row: int, column: _Column) -> str | None:
        """The field an editable cell writes: the totals row's own, or a source's 全年执行数."""
        if row == 0:
            return column.key if column.editable else None
        if self._view is not None and column.key == BUDGET_PREFIX + YEAR:
            return SOURCE_PREFIX + self._view.sources[row - 1].key
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._edit_field(index.row(), self._columns[index.column()]) is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._view is None:
            return None
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT_ALIGNED
        field = self._edit_field(index.row(), column)
        warning = self._view.budget_warnings.get(field.removeprefix(BUDGET_PREFIX)) if field is not None else None
        if role == Qt.ItemDataRole.ToolTipRole and warning:
            return "⚠ " + warning
        if role == Qt.ItemDataRole.BackgroundRole and field is not None:
            return brush(WARNING_TINT if warning else EDITABLE_TINT)
        if role == Qt.ItemDataRole.EditRole and field is not None:
            return money_for_editing(self._view.text(self._key(field)), self._unit())
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if index.row() > 0:
            return self._source_cell(self._view.sources[index.row() - 1], column)
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
        text = view.text(self._key(column.key))
        return money(_decimal(text), "", unit) if text else ""

    def _source_cell(self, source: SourceRow, column: _Column) -> str:
        """A 其中 row: declared, full-year (while unadjusted), spent and its rate; no points, no periods."""
        unit = self._unit()
        if column.key == "annual_total":
            return money(source.initial, "", unit)
        if column.key == FULL_YEAR_BUDGET:
            return money(source.full_year, "", unit)
        if column.key == BUDGET_PREFIX + YEAR:
            return money(source.executed, "", unit)
        if column.key == "rate":
            return rate(source.rate)
        return "—" if column.key == "score" else ""

    def _key(self, field: str) -> EditKey:
        assert self._view is not None
        return EditKey(self._view.project_id, None, field)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or self._view is None or not index.isValid():
            return False
        column = self._columns[index.column()]
        field = self._edit_field(index.row(), column)
        if field is None:
            return False
        typed = typed_money(str(value or ""), self._unit())
        label = column.header if index.row() == 0 else self.headerData(index.row(), Qt.Orientation.Vertical)
        return self._editor.edit([(self._key(field), typed)], label)[0] is None

    def _unit(self) -> str:
        return self._view.money_unit if self._view is not None else YUAN


def _decimal(text: str) -> Any:
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
