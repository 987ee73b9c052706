"""The selected indicator in full: notes, evidence files, qualitative tier, deviation analysis, history."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFocusEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from perftrack.domain.attainment import Tier, parse_tier
from perftrack.domain.errors import UserError
from perftrack.domain.periods import YEAR
from perftrack.ui.formatting import arg
from perftrack.ui.history_list import HistoryList
from perftrack.ui.labels import period_long_name, tier_label
from perftrack.ui.monitor_box import MonitorBox
from perftrack.ui.snapshots import EditKey, IndicatorRow
from perftrack.ui.undo import Editor
from perftrack.ui.workspace import PeriodFacts, split_tier_percent


def _tier_of(text: str) -> Tier | None:
    try:
        return parse_tier(text) if text.strip() else None
    except ValueError:
        return None


class CommitTextEdit(QPlainTextEdit):
    """A multi-line text that is saved when the user leaves it (there is no Save button)."""

    committed = Signal(str)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self.document().isModified():
            self.document().setModified(False)
            self.committed.emit(self.toPlainText())

    def set_text(self, text: str) -> None:
        self.setPlainText(text)
        self.document().setModified(False)


class DetailPane(QTabWidget):
    """Tabs about the indicator selected in the table."""

    message = Signal(str)

    def __init__(self, editor: Editor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self._project_id: int | None = None
        self._row: IndicatorRow | None = None
        self._periods: tuple[str, ...] = ()
        self.addTab(self._build_notes(), "")
        self.addTab(self._build_analysis(), "")
        self.history_view = HistoryList()
        self.addTab(self.history_view, "")
        editor.workspace.projectChanged.connect(self._project_changed)
        self.retranslate()
        self.show_indicator(None, None, ())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.show_indicator(self._project_id, self._row, self._periods)
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set the fixed texts in the current language (show_indicator sets the rest)."""
        self.setTabText(0, self.tr("说明与证明"))
        self.setTabText(1, self.tr("偏差分析"))
        self.setTabText(2, self.tr("修改记录"))
        self.period_caption.setText(self.tr("期间"))
        self.tier_caption.setText(self.tr("定性评价"))
        self.tier_box.setItemText(0, self.tr("（未评价）"))
        for i, tier in enumerate(Tier, start=1):
            self.tier_box.setItemText(i, tier_label(tier))
            shown = tier_label(tier)
            tip = shown if shown == tier.label else f"{shown}\n{tier.label}"  # and the form's own words
            self.tier_box.setItemData(i, tip, Qt.ItemDataRole.ToolTipRole)
        self.tier_apply.setText(self.tr("评价"))
        self.tier_apply.setToolTip(self.tr("把所选评价等级和得分比例记为该期间的完成值"))
        self.tier_percent.setToolTip(self.tr("得分比例，须在所选等级的区间内"))
        self.note_caption.setText(self.tr("完成情况说明（离开输入框即保存）"))
        self.evidence_caption.setText(self.tr("证明材料"))
        self.add_button.setText(self.tr("添加…"))
        self.open_button.setText(self.tr("打开"))
        self.remove_button.setText(self.tr("移除"))
        for field, caption in self.text_captions.items():
            caption.setText(
                {
                    "deviation_reason": self.tr("偏差原因分析"),
                    "measures": self.tr("改进措施"),
                    "monitor_measure": self.tr("纠偏措施（运行监控）"),
                }[field]
            )

    # -- layout ------------------------------------------------------------------------------

    def _build_notes(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.title = QLabel()
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        form = QFormLayout()
        self.period_box = QComboBox()
        self.period_box.currentIndexChanged.connect(self._show_period)
        self.period_caption = QLabel()
        form.addRow(self.period_caption, self.period_box)
        self.tier_box = QComboBox()
        # Plain strings as item data: Qt would hand a StrEnum back as a str.
        self.tier_box.addItem("", "")
        for tier in Tier:
            self.tier_box.addItem("", tier.value)
        self.tier_percent = QSpinBox()
        self.tier_percent.setRange(0, 100)
        self.tier_percent.setSuffix("%")
        # The share and the button go under the tier, so the pane stays narrow at 1366 px.
        share_row = QHBoxLayout()
        share_row.addWidget(self.tier_percent)
        self.tier_apply = QPushButton()
        self.tier_apply.clicked.connect(self._apply_tier)
        share_row.addWidget(self.tier_apply, 1)
        self.tier_box.currentIndexChanged.connect(self._tier_chosen)
        for box in (self.tier_box, self.period_box):
            # The tier labels are long; let the pane stay narrow and show them elided.
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(6)
        self.tier_caption = QLabel()
        form.addRow(self.tier_caption, self.tier_box)
        form.addRow("", share_row)
        layout.addLayout(form)
        self.note_caption = QLabel()
        layout.addWidget(self.note_caption)
        self.note_edit = CommitTextEdit()
        self.note_edit.setMaximumHeight(90)
        self.note_edit.committed.connect(self._save_note)
        layout.addWidget(self.note_edit)
        self.evidence_caption = QLabel()
        layout.addWidget(self.evidence_caption)
        self.evidence_list = QListWidget()
        self.evidence_list.itemDoubleClicked.connect(lambda _item: self._open_evidence())
        layout.addWidget(self.evidence_list, 1)
        buttons = QHBoxLayout()
        self.add_button, self.open_button, self.remove_button = QPushButton(), QPushButton(), QPushButton()
        for button, slot in (
            (self.add_button, self._add_evidence),
            (self.open_button, self._open_evidence),
            (self.remove_button, self._remove_evidence),
        ):
            button.clicked.connect(slot)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        return page

    def _build_analysis(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.reasons = QLabel()
        self.reasons.setWordWrap(True)
        layout.addWidget(self.reasons)
        self.text_edits: dict[str, CommitTextEdit] = {}
        self.text_captions: dict[str, QLabel] = {}
        for field in ("deviation_reason", "measures", "monitor_measure"):
            caption = self.text_captions[field] = QLabel()
            layout.addWidget(caption)
            edit = CommitTextEdit()
            edit.committed.connect(lambda text, field=field: self._save_field(field, text))
            layout.addWidget(edit, 1)
            self.text_edits[field] = edit
        self.monitor = MonitorBox(self._editor)
        layout.insertWidget(layout.count() - 2, self.monitor)  # the monitoring answers, then its measure
        return page

    # -- showing -----------------------------------------------------------------------------

    def show_indicator(self, project_id: int | None, row: IndicatorRow | None, periods: tuple[str, ...]) -> None:
        """Show an indicator of a project (None clears the pane)."""
        self._project_id, self._row, self._periods = project_id, row, periods
        self.setEnabled(row is not None)
        self.monitor.show_row(project_id, row)
        if row is None:
            self.title.setText(self.tr("在表格中选择一个指标"))
            self.history_view.clear()
            self.evidence_list.clear()
            self.note_edit.set_text("")
            for edit in self.text_edits.values():
                edit.set_text("")
            return
        self.title.setText(arg(self.tr("<b>%1</b><br>年度指标值：%2"), row.name, row.target))
        keep = self.period_box.currentData()
        self.period_box.blockSignals(True)
        self.period_box.clear()
        for code in (*periods, YEAR):
            self.period_box.addItem(period_long_name(code), code)
        wanted = keep if keep in (*periods, YEAR) else self._latest_period(row, periods)
        self.period_box.setCurrentIndex(max(0, self.period_box.findData(wanted)))
        self.period_box.blockSignals(False)
        self.tier_box.setEnabled(row.qualitative)
        self.tier_percent.setEnabled(row.qualitative)
        self.tier_apply.setEnabled(row.qualitative)
        self.reasons.setText("\n".join(row.reasons) or self.tr("该指标得满分，无需偏差说明。"))
        for field, edit in self.text_edits.items():
            if not edit.hasFocus():
                edit.set_text(row.fields.get(field, ""))
        self._show_period()
        self._show_history()

    def show_period(self, code: str) -> None:
        """Show a period's value, note and evidence (the period of the cell chosen in the sheet)."""
        index = self.period_box.findData(code)
        if index >= 0 and index != self.period_box.currentIndex():
            self.period_box.setCurrentIndex(index)

    @staticmethod
    def _latest_period(row: IndicatorRow, periods: tuple[str, ...]) -> str:
        filled = [p for p in periods if row.texts.get(p)]
        return filled[-1] if filled else periods[0]

    @property
    def indicator_id(self) -> int | None:
        """The indicator shown, if any."""
        return self._row.indicator_id if self._row is not None else None

    def current_tier(self) -> Tier | None:
        """The tier chosen in the box, if any."""
        data = self.tier_box.currentData()
        return Tier(data) if data else None

    def current_period(self) -> str:
        return str(self.period_box.currentData() or YEAR)

    def _facts(self) -> PeriodFacts:
        assert self._row is not None
        return self._editor.workspace.period_facts(self._row.indicator_id, self.current_period())

    def _show_period(self) -> None:
        if self._row is None:
            return
        facts = self._facts()
        if not self.note_edit.hasFocus():
            self.note_edit.set_text(facts.note)
        self.evidence_list.clear()
        for evidence_id, name, where in facts.evidence:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, evidence_id)
            item.setToolTip(where)
            self.evidence_list.addItem(item)
        self.add_button.setEnabled(facts.has_actual)
        self.add_button.setToolTip("" if facts.has_actual else self.tr("请先填写该期间的完成值或说明，再添加证明材料"))
        tier_text, share = split_tier_percent(self._row.texts.get(self.current_period(), ""))
        tier = _tier_of(tier_text)
        self.tier_box.blockSignals(True)
        self.tier_box.setCurrentIndex(max(0, self.tier_box.findData(tier.value if tier else "")))
        self.tier_box.blockSignals(False)
        self._tier_chosen()
        if tier is not None and share is not None:
            self.tier_percent.setValue(int(share))

    def _show_history(self) -> None:
        assert self._row is not None and self._project_id is not None
        pid, iid = self._project_id, self._row.indicator_id
        view = self._editor.workspace.view(pid)
        changes = self._editor.workspace.changes(pid, iid)
        self.history_view.show_changes(view.name if view is not None else "", changes)

    def _project_changed(self, project_id: int) -> None:
        if project_id != self._project_id or self._row is None:
            return
        view = self._editor.workspace.view(project_id)
        row = view.row(self._row.indicator_id) if view is not None else None
        self.show_indicator(project_id if row else None, row, view.periods if view is not None else ())

    # -- changing ----------------------------------------------------------------------------

    def _tier_chosen(self) -> None:
        tier = self.current_tier()
        if tier is not None:
            low, high = tier.band
            self.tier_percent.setRange(int(low), int(high))
            self.tier_percent.setValue(int(tier.default_percent))

    def _apply_tier(self) -> None:
        tier = self.current_tier()
        text = tier.label if tier is not None else ""
        if tier is not None and Decimal(self.tier_percent.value()) != tier.default_percent:
            text = f"{tier.label} {self.tier_percent.value()}%"
        self._edit(self.current_period(), text)

    def _edit(self, field: str, text: str) -> None:
        if self._row is None or self._project_id is None:
            return
        key = EditKey(self._project_id, self._row.indicator_id, field)
        error = self._editor.edit([(key, text)])[0]
        if error:
            self.message.emit(error)

    def _save_field(self, field: str, text: str) -> None:
        self._edit(field, text)

    def _save_note(self, note: str) -> None:
        row, project_id = self._row, self._project_id
        if row is None or project_id is None:
            return
        period = self.current_period()
        workspace = self._editor.workspace
        self._run(lambda: workspace.save_note(project_id, row.indicator_id, period, note), self.tr("已保存说明"))

    def _run(self, action: Callable[[], object], done: str) -> None:
        try:
            action()
        except UserError as exc:  # RecordError, EditError: something the user can fix
            self.message.emit(str(exc))
        else:
            self.message.emit(done)

    def _add_evidence(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("添加证明材料"))
        if files:
            self.add_evidence_files([Path(f) for f in files])

    def add_evidence_files(self, files: list[Path]) -> None:
        """Attach files to the indicator's value of the chosen period."""
        row, project_id = self._row, self._project_id
        if row is None or project_id is None:
            return
        period = self.current_period()
        self._run(
            lambda: self._editor.workspace.attach_evidence(project_id, row.indicator_id, period, files),
            self.tr("已添加 %n 个证明材料", "", len(files)),
        )

    def _selected_evidence(self) -> int | None:
        item = self.evidence_list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _open_evidence(self) -> None:
        evidence_id = self._selected_evidence()
        if evidence_id is not None and (path := self.evidence_file(evidence_id)) is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def evidence_file(self, evidence_id: int) -> Path | None:
        """A local file of the evidence to open (a team database's file is copied out first); None,
        with the reason said, when there is none."""
        try:
            path = self._editor.workspace.evidence_file(evidence_id)
        except UserError as exc:  # the file is gone from the folder, or cannot be copied out
            self.message.emit(str(exc))
            return None
        if path is None:  # removed by another user meanwhile
            self._show_period()
        return path

    def _remove_evidence(self) -> None:
        evidence_id, project_id = self._selected_evidence(), self._project_id
        if evidence_id is None or project_id is None:
            return
        self._run(
            lambda: self._editor.workspace.remove_evidence(project_id, evidence_id),
            self.tr("已移除证明材料（文件移入 .removed 文件夹）"),
        )
