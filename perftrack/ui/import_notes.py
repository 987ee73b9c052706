"""What an import wants the user to know though it went ahead: a bar above the window's work.

The command line prints an import's warnings; the window shows them here, with the same words:
a missing target, money read as 元 because the form states no unit, a self-evaluation whose
actual values were recorded, a whole-department sheet that was skipped, a value that could not
be recorded. The bar says the first and how many more; 详情 lists them all, each with its file
and line or cell. It never blocks the window: the import is done, nothing waits on the reader.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, QSizePolicy, QWidget

from perftrack.domain.model import ImportResult, Severity
from perftrack.ui.formatting import arg

# Notes worth a word although they are not warnings: what the sheet was, what was filled in.
NOTEWORTHY_INFO = frozenset({"self_evaluation", "monitoring", "funds-total-derived"})


def import_notes(result: ImportResult, warnings: list[str], held_back: list[str] | None = None) -> list[str]:
    """Every note of an import that went ahead, as "file:line: message": what was held back first."""
    notes = [f"暂缓: {text}" for text in held_back or []]
    notes += [f"{p.location()}: {p.message}" for p in result.problems if p.severity is Severity.WARNING]
    notes += [f"{p.location()}: {p.message}" for p in result.problems if p.code in NOTEWORTHY_INFO]
    return notes + list(warnings)


class ImportNotes(QFrame):
    """A slim bar with the notes of the last import; hidden until there are some."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import-notes")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setStyleSheet("#import-notes { background: #fff8e1; border-bottom: 1px solid #e0c068; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 1, 4, 1)  # one slim line: a 1366×768 laptop has no height to spare
        self.text = QLabel()
        layout.addWidget(self.text)
        self.note = QLabel()  # the first note, in the importer's words, cut to fit with "…"
        # a long note must never widen the window
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        layout.addWidget(self.note, 1)
        self.more = QLabel()
        layout.addWidget(self.more)
        self.apply_button = QPushButton()  # offered when the import held changes back
        self.apply_button.setFlat(True)
        self.apply_button.clicked.connect(self.confirm_held_back)
        self.apply_button.setVisible(False)
        self.details_button = QPushButton()
        self.details_button.setFlat(True)
        self.details_button.clicked.connect(self.show_details)
        self.dismiss_button = QPushButton()
        self.dismiss_button.setFlat(True)
        self.dismiss_button.clicked.connect(lambda: self.setVisible(False))
        layout.addWidget(self.apply_button)
        layout.addWidget(self.details_button)
        layout.addWidget(self.dismiss_button)
        self.notes: list[str] = []
        self.held_back: list[str] = []
        self._apply: Callable[[], None] | None = None
        self.setVisible(False)
        self.retranslate()

    @property
    def first(self) -> str:
        """The first note without its place ("file:line: "), as the bar shows it."""
        return self.notes[0].split(": ", 1)[-1] if self.notes else ""

    def show_notes(
        self, notes: list[str], held_back: list[str] | None = None, apply: Callable[[], None] | None = None
    ) -> None:
        """Show these notes (hide the bar when there are none); ``apply`` makes the held-back changes."""
        self.notes = notes
        self.held_back = list(held_back or [])
        self._apply = apply if self.held_back else None
        self.apply_button.setVisible(self._apply is not None)
        self.retranslate()
        self.setVisible(bool(notes))

    def confirm_held_back(self) -> QMessageBox:
        """Ask before deleting indicators, changing targets that have recorded values or clearing project
        fields the new form leaves blank, listing each."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("照新表单修改"),
            arg(
                self.tr(
                    "新表单会删去或停用指标、改动已有填报的指标值或清除项目信息，共 %1 处（见详细信息）。"
                    "照新表单修改吗？"
                ),
                len(self.held_back),
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self.window(),
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setDetailedText("\n".join(self.held_back))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda answer: self._confirmed(answer == QMessageBox.StandardButton.Yes))
        box.open()
        return box

    def _confirmed(self, yes: bool) -> None:
        if yes and self._apply is not None:
            apply, self._apply = self._apply, None
            self.apply_button.setVisible(False)
            apply()

    def show_details(self) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("导入提示"),
            arg(self.tr("共 %1 条提示，每条前是文件和行（或单元格）："), len(self.notes)),
            parent=self.window(),
        )
        box.setDetailedText("\n".join(self.notes))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.text.setText(self.tr("导入完成，请留意："))
        more = len(self.notes) - 1
        self.more.setText(arg(self.tr("（另有 %1 条提示）"), more) if more > 0 else "")
        self.apply_button.setText(self.tr("照新表单修改…"))
        self.details_button.setText(self.tr("详情…"))
        self.dismiss_button.setText(self.tr("知道了"))
        self.note.setToolTip(self.first)
        self._fit_note()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_note()

    def _fit_note(self) -> None:
        width = max(self.note.width(), 40)
        self.note.setText(self.note.fontMetrics().elidedText(self.first, Qt.TextElideMode.ElideRight, width))


__all__ = ["ImportNotes", "import_notes"]
