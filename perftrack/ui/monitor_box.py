"""The mid-year monitoring columns of the selected indicator (绩效运行监控): expected year end, chance, cause.

The corrective measure (纠偏措施) is a long text and stays with the detail pane's other texts;
this box holds the three short answers. Each answer goes through the Editor like a typed cell,
so it is committed at once, audited, undoable, and every view refreshes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from perftrack.domain.fields import MONITOR_CAUSES, MONITOR_CHANCES
from perftrack.ui.formatting import ERROR_TINT, arg
from perftrack.ui.snapshots import EditKey, IndicatorRow
from perftrack.ui.undo import Editor

EXPECTED, CHANCE, CAUSE = "monitor_expected", "monitor_chance", "monitor_cause"


class CommitLineEdit(QLineEdit):
    """A one-line text saved on Enter or on leaving it, once per change (leaving after Enter sends nothing)."""

    committed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.returnPressed.connect(self._commit)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._commit()

    def _commit(self) -> None:
        if self.isModified():
            self.setModified(False)
            self.committed.emit(self.text())


class MonitorBox(QGroupBox):
    """全年预计完成值, 完成可能性 and 偏差原因类型 of one indicator, each saved as soon as it is given."""

    def __init__(self, editor: Editor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self._project_id: int | None = None
        self._row: IndicatorRow | None = None
        form = QFormLayout(self)
        self.expected_edit = CommitLineEdit()
        self.expected_edit.committed.connect(lambda text: self._save(EXPECTED, text))
        self.unit_label = QLabel()
        expected_row = QHBoxLayout()
        expected_row.addWidget(self.expected_edit, 1)
        expected_row.addWidget(self.unit_label)
        self.expected_caption = QLabel()
        form.addRow(self.expected_caption, expected_row)
        # Where a refused value says why, beside the box it was typed into.
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"background: {ERROR_TINT}; padding: 2px;")
        self.error_label.hide()
        form.addRow(self.error_label)
        self.combos: dict[str, QComboBox] = {}
        self.combo_captions: dict[str, QLabel] = {}
        for field, choices in ((CHANCE, MONITOR_CHANCES), (CAUSE, MONITOR_CAUSES)):
            box = self.combos[field] = QComboBox()
            # The stored word (the form's Chinese) is the item data; the text follows the language.
            box.addItem("", "")
            for choice in choices:
                box.addItem("", choice)
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(6)
            # activated, not currentIndexChanged: only the user's choice is saved, never the showing.
            box.activated.connect(lambda index, field=field: self._choose(field, index))
            caption = self.combo_captions[field] = QLabel()
            form.addRow(caption, box)
        self.retranslate()
        self.show_row(None, None)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set the captions and the choices' words in the current language."""
        self.setTitle(self.tr("运行监控"))
        self.expected_caption.setText(self.tr("全年预计完成值"))
        self.combo_captions[CHANCE].setText(self.tr("完成可能性"))
        self.combo_captions[CAUSE].setText(self.tr("偏差原因类型"))
        words = self._choice_words()
        for box in self.combos.values():
            for i in range(1, box.count()):
                box.setItemText(i, words[str(box.itemData(i))])
        self._show_expected_hint()

    def _choice_words(self) -> dict[str, str]:
        # Literals, so that pyside6-lupdate collects them; the stored words stay the form's.
        return {
            "确定能": self.tr("确定能"),
            "有可能": self.tr("有可能"),
            "完全不可能": self.tr("完全不可能"),
            "经费保障": self.tr("经费保障"),
            "制度保障": self.tr("制度保障"),
            "人员保障": self.tr("人员保障"),
            "硬件条件保障": self.tr("硬件条件保障"),
            "其他": self.tr("其他"),
        }

    # -- showing -----------------------------------------------------------------------------

    def show_row(self, project_id: int | None, row: IndicatorRow | None) -> None:
        """Show an indicator's monitoring answers (None clears and disables the box)."""
        changed = row is None or self._row is None or row.indicator_id != self._row.indicator_id
        self._project_id, self._row = project_id, row
        self.setEnabled(row is not None)
        if changed:
            self.error_label.hide()
        fields = row.fields if row is not None else {}
        # Text being typed stays; anything else shows what is stored (after an undo, too).
        if changed or not self.expected_edit.isModified():
            self.expected_edit.setText(fields.get(EXPECTED, ""))  # setText clears isModified
        self.expected_edit.setEnabled(row is not None and not row.qualitative)
        self.unit_label.setText((row.unit or "") if row is not None else "")
        self.unit_label.setVisible(bool(self.unit_label.text()))
        self._show_expected_hint()
        for field, box in self.combos.items():
            box.setCurrentIndex(max(0, box.findData(fields.get(field, ""))))

    def _show_expected_hint(self) -> None:
        row = self._row
        if row is not None and row.qualitative:
            hint = self.tr("定性指标没有数值形式的预计完成值")
        elif row is not None and row.unit:
            hint = arg(self.tr("年底预计达到的数值，单位同年度指标值（%1）"), row.unit)
        else:
            hint = self.tr("年底预计达到的数值")
        self.expected_edit.setToolTip(hint)

    # -- changing ----------------------------------------------------------------------------

    def _choose(self, field: str, index: int) -> None:
        self._save(field, str(self.combos[field].itemData(index) or ""))

    def _save(self, field: str, text: str) -> None:
        if self._row is None or self._project_id is None:
            return
        label = {
            EXPECTED: self.tr("填写全年预计完成值"),
            CHANCE: self.tr("选择完成可能性"),
            CAUSE: self.tr("选择偏差原因类型"),
        }[field]
        key = EditKey(self._project_id, self._row.indicator_id, field)
        # A refusal is also reported through Editor.rejected (the page's status line).
        error = self._editor.edit([(key, text)], label)[0]
        self.error_label.setText(error or "")
        self.error_label.setVisible(bool(error))
        if error and field != EXPECTED:
            # The choice was not stored: show what is. A refused number stays, to be corrected.
            self.show_row(self._project_id, self._row)
