"""A table view that behaves like the spreadsheet staff already know.

Type to replace a cell, Enter moves down, Tab moves right, Ctrl+V pastes a block copied
from Excel (tab and newline separated), Ctrl+C copies, Delete clears. A refused value keeps
the cell's old text, tints the cell and says why beside it; never a modal dialog for a typo.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QTableView, QToolTip, QWidget

from perftrack.ui.formatting import arg
from perftrack.ui.indicator_table import IndicatorTableModel


def parse_block(text: str) -> list[list[str]]:
    """Cells of text copied from a spreadsheet: rows by newline, cells by tab; the final newline dropped."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.split("\t") for line in lines]


class SheetView(QTableView):
    """The indicator table as a sheet."""

    message = Signal(str)  # a refusal or a paste summary, for the inline label and status bar
    resized = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setSortingEnabled(False)  # the header click sorts through the model; see _header_clicked
        self.setWordWrap(True)
        self.setAlternatingRowColors(False)
        self.verticalHeader().setDefaultSectionSize(26)
        header = self.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.sectionClicked.connect(self._header_clicked)
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()

    def sheet_model(self) -> IndicatorTableModel:
        model = self.model()
        assert isinstance(model, IndicatorTableModel)
        return model

    def setModel(self, model: IndicatorTableModel) -> None:  # type: ignore[override]
        super().setModel(model)
        model.modelReset.connect(self.apply_spans)
        model.layoutChanged.connect(self.apply_spans)
        model.editRejected.connect(self._show_refusal)
        self.apply_spans()

    def apply_spans(self) -> None:
        """Merge level-1 and level-2 cells over their rows, as the official form does."""
        self.clearSpans()
        for row, column, count in self.sheet_model().group_spans():
            self.setSpan(row, column, count, 1)

    def _header_clicked(self, section: int) -> None:
        # Third click on the same column returns to the form's order (and its merged cells).
        if section == self._sort_column and self._sort_order == Qt.SortOrder.DescendingOrder:
            self._sort_column = -1
        elif section == self._sort_column:
            self._sort_order = Qt.SortOrder.DescendingOrder
        else:
            self._sort_column, self._sort_order = section, Qt.SortOrder.AscendingOrder
        self.horizontalHeader().setSortIndicator(self._sort_column, self._sort_order)
        self.sheet_model().sort(self._sort_column, self._sort_order)

    # -- keys --------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
            return
        if self.state() != QAbstractItemView.State.EditingState:
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clear_selected()
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._move(1, 0)
                return
        super().keyPressEvent(event)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            # Enter: on to the cell below, as in a spreadsheet.
            self._move(1, 0)

    def _move(self, rows: int, columns: int) -> None:
        current = self.currentIndex()
        if not current.isValid():
            return
        target = self.model().index(current.row() + rows, current.column() + columns)
        if target.isValid():
            self.setCurrentIndex(target)

    # -- clipboard ---------------------------------------------------------------------------

    def paste(self) -> None:
        """Paste the clipboard's block from the current cell onward."""
        current = self.currentIndex()
        text = QGuiApplication.clipboard().text()
        if not current.isValid() or not text:
            return
        block = parse_block(text)
        if len(block) == 1 and len(block[0]) == 1:
            # One value onto a selection fills every selected cell, as Excel does.
            selected = self.selectedIndexes() or [current]
            top = min(i.row() for i in selected)
            left = min(i.column() for i in selected)
            height = max(i.row() for i in selected) - top + 1
            width = max(i.column() for i in selected) - left + 1
            block = [[block[0][0]] * width for _ in range(height)]
            current = self.model().index(top, left)
        stored, problems = self.sheet_model().paste(current, block)
        if problems:
            self.message.emit(arg(self.tr("已保存 %1 个单元格；%2"), stored, "；".join(problems)))
        else:
            self.message.emit(self.tr("已粘贴并保存 %n 个单元格", "", stored))

    def copy(self) -> None:
        """Copy the selected cells as tab-separated text."""
        indexes = sorted(self.selectedIndexes(), key=lambda i: (i.row(), i.column()))
        if not indexes:
            return
        rows: dict[int, list[str]] = {}
        left = min(i.column() for i in indexes)
        for index in indexes:
            cells = rows.setdefault(index.row(), [])
            cells.extend([""] * (index.column() - left - len(cells)))
            cells.append(str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        QGuiApplication.clipboard().setText("\n".join("\t".join(c) for c in rows.values()))

    def clear_selected(self) -> None:
        """Clear every editable selected cell (one undo step)."""
        indexes = self.selectedIndexes() or [self.currentIndex()]
        model = self.sheet_model()
        keys = [k for k in (model.edit_key(i) for i in indexes if i.isValid()) if k is not None]
        if keys:
            model.store([(k, "") for k in keys], self.tr("清除 %n 个单元格", "", len(keys)))

    def _show_refusal(self, index: QModelIndex, message: str) -> None:
        rect = self.visualRect(index)
        if self.isVisible() and rect.isValid():
            QToolTip.showText(self.viewport().mapToGlobal(rect.bottomLeft()), message, self)
        self.message.emit(message)
