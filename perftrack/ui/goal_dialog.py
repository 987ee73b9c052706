"""The unit's own 实际完成情况 of the annual goal: the dialog behind the project page's button.

The self-evaluation sheet (workbook and PDF) prints what is written here under 实际完成情况;
left empty, it prints the sentence drawn from the figures, shown here as the placeholder.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from perftrack.store.settings import GOAL_ACHIEVED_MAX
from perftrack.ui.formatting import arg

# What the dialog's save calls with the text: an error message to show, or None when saved.
Save = Callable[[str], str | None]


class GoalAchievedDialog(QDialog):
    """Edit one project's 年度总体目标实际完成情况; it closes only once ``save`` succeeded."""

    def __init__(self, goal: str, achieved: str, generated: str, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("年度总体目标实际完成情况"))
        self._save = save
        goal_label = QLabel(arg(self.tr("年度总体目标：%1"), goal or "—"))
        goal_label.setWordWrap(True)
        hint = QLabel(self.tr("自评表“实际完成情况”一栏印这里填写的文字；不填则印按数据生成的文字（框中灰字）。"))
        hint.setWordWrap(True)
        self.edit = QPlainTextEdit()
        self.edit.setPlainText(achieved)
        self.edit.setPlaceholderText(generated)
        self.edit.setMinimumSize(460, 160)
        self.count = QLabel()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c;")
        self.error.setVisible(False)
        self.edit.textChanged.connect(self._counted)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(self.tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.generated_button = QPushButton(self.tr("用生成的文字"))
        self.generated_button.setToolTip(self.tr("清空，自评表改印按数据生成的文字"))
        self.generated_button.clicked.connect(self.edit.clear)
        buttons.addButton(self.generated_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(goal_label)
        layout.addWidget(hint)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._counted()

    def text(self) -> str:
        return self.edit.toPlainText().strip()

    def _counted(self) -> None:
        used = len(self.text())
        over = used > GOAL_ACHIEVED_MAX
        self.count.setText(arg(self.tr("%1 / %2 字"), used, GOAL_ACHIEVED_MAX))
        self.count.setStyleSheet("color: #b71c1c;" if over else "color: gray;")
        self.save_button.setEnabled(not over)

    def accept(self) -> None:
        problem = self._save(self.text())
        if problem:
            self.error.setText(problem)
            self.error.setVisible(True)
            return
        super().accept()
