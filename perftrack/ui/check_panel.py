"""The declaration check in the GUI: the finance bureau's review of forms, one problem per row."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from perftrack.domain.checks import check_declarations, summarize
from perftrack.domain.model import ImportResult, Problem, Severity
from perftrack.importers import read_declarations
from perftrack.ui.formatting import brush

_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
# Light enough to print in grey; the text label says the same thing.
_SEVERITY_FILL = {Severity.ERROR: "#f8d0d0", Severity.WARNING: "#fcebc4", Severity.INFO: "#e4ecf7"}

Index = QModelIndex | QPersistentModelIndex


class ProblemModel(QAbstractTableModel):
    """Problems of a check: severity, where (file and line or cell), message."""

    def __init__(self, problems: list[Problem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._problems = sorted(problems, key=lambda p: (_SEVERITY_ORDER[p.severity], p.file, p.line or 0))
        self._labels = {
            Severity.ERROR: self.tr("错误"),
            Severity.WARNING: self.tr("警告"),
            Severity.INFO: self.tr("提示"),
        }
        self._headers = [self.tr("级别"), self.tr("位置"), self.tr("问题")]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._problems)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        p = self._problems[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (self._labels[p.severity], p.location(), p.message)[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == 0:
            return brush(_SEVERITY_FILL[p.severity])
        if role == Qt.ItemDataRole.UserRole:
            return (_SEVERITY_ORDER[p.severity], p.location(), p.message)[index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None


class CheckDialog(QDialog):
    """Shows the review of one or more declaration files; errors first."""

    def __init__(self, paths: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("审核申报表"))
        self.resize(980, 560)
        result: ImportResult = read_declarations(paths)
        self.problems = check_declarations(result)
        counts = summarize(self.problems)
        projects = len(result.declarations)
        indicators = sum(len(d.indicators) for d in result.declarations)
        summary = QLabel(
            self.tr("共 {0} 个项目、{1} 个指标：错误 {2} 个，警告 {3} 个，提示 {4} 个").format(
                projects, indicators, counts["errors"], counts["warnings"], counts["info"]
            )
        )
        self.model = ProblemModel(self.problems, self)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView(self)
        self.table.setModel(proxy)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
