"""Undo and redo: each command re-records the other text through the store, so the audit trail shows it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from perftrack.store.conflicts import Conflict
from perftrack.ui.snapshots import BUDGET_PREFIX, EditKey
from perftrack.ui.workspace import Workspace

Change = tuple[EditKey, str, str]  # key, old text, new text
# Asked when typed values meet values someone else changed meanwhile: True writes the typed ones over.
Resolver = Callable[[list[Conflict]], bool]


class EditCommand(QUndoCommand):
    """One accepted edit (a cell, or every accepted cell of a pasted block)."""

    def __init__(self, editor: Editor, changes: Sequence[Change], label: str) -> None:
        super().__init__(label)
        self._editor = editor
        self._changes = list(changes)
        # The edit was stored before the command was pushed; the stack's first redo() is a no-op.
        self._stored = True

    def redo(self) -> None:
        if self._stored:
            self._stored = False
            return
        self._editor.replay([(key, new) for key, _, new in self._changes], [old for _, old, _ in self._changes])

    def undo(self) -> None:
        # Only a value still as this edit left it is put back: a later value of another user stays.
        self._editor.replay([(key, old) for key, old, _ in self._changes], [new for _, _, new in self._changes])


class Editor(QObject):
    """Stores typed text through the workspace and keeps the undo stack of what was accepted."""

    rejected = Signal(object, str)  # EditKey, the reason in Chinese
    accepted = Signal(int)  # how many cells were stored
    warned = Signal(object, str)  # EditKey, why the stored value looks like a slip (in Chinese)

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.stack = QUndoStack(self)
        # Without a resolver (tests, scripts) a value changed by someone else is never written over.
        self.resolve: Resolver | None = None

    def edit(self, edits: Sequence[tuple[EditKey, str]], label: str = "") -> list[str | None]:
        """Store each text (refusing the invalid ones) and push one undo step for the accepted ones.

        Each text is written only over the value the page showed; where another user changed it
        meanwhile the page is refreshed and ``resolve`` asks whether to write over their value."""
        olds: list[str] = []
        wanted: list[tuple[EditKey, str]] = []
        for key, text in edits:
            view = self.workspace.view(key.project_id)
            old = view.text(key) if view is not None else ""
            if old.strip() == text.strip():
                continue
            olds.append(old)
            wanted.append((key, text))
        if not wanted:
            return [None] * len(edits)
        results = self.workspace.apply(wanted, olds)
        clashes = [n for n, res in enumerate(results) if isinstance(res, Conflict)]
        if clashes and self.resolve is not None and self.resolve([results[n] for n in clashes]):  # type: ignore[misc]
            theirs = [results[n].now for n in clashes]  # type: ignore[union-attr]
            again = self.workspace.apply([wanted[n] for n in clashes], theirs)
            for n, now, res in zip(clashes, theirs, again, strict=True):
                results[n] = res
                olds[n] = now  # undoing this edit puts their value back
        errors = [None if res is None else str(res) for res in results]
        # Undo compares with the cell as stored, not as typed: "2,500,000元" is kept as 2500000, a
        # number typed in a 万元 cell as 元, and a compare-and-set against the typed text would never match.
        changes = [
            (key, old, self._stored_text(key, text))
            for (key, text), old, err in zip(wanted, olds, errors, strict=True)
            if err is None
        ]
        if changes:
            self.stack.push(EditCommand(self, changes, label or self.tr("编辑 %n 个单元格", "", len(changes))))
            self.accepted.emit(len(changes))
            for key, _, _ in changes:
                warning = self.warning(key)
                if warning:
                    self.warned.emit(key, warning)
        for (key, _), err in zip(wanted, errors, strict=True):
            if err is not None:
                self.rejected.emit(key, err)
        by_key = {key: err for (key, _), err in zip(wanted, errors, strict=True)}
        return [by_key.get(key) for key, _ in edits]

    def _stored_text(self, key: EditKey, typed: str) -> str:
        view = self.workspace.view(key.project_id)
        return view.text(key) if view is not None else typed

    def warning(self, key: EditKey) -> str | None:
        """Why a stored cell's value looks like a slip (stored all the same), if it does."""
        view = self.workspace.view(key.project_id)
        if view is None:
            return None
        if key.indicator_id is None:
            return view.budget_warnings.get(key.field.removeprefix(BUDGET_PREFIX))
        row = view.row(key.indicator_id)
        return row.warnings.get(key.field) if row is not None else None

    def replay(self, edits: Sequence[tuple[EditKey, str]], seen: Sequence[str]) -> None:
        """Apply an undo or redo over the values the edit left; a value changed since by someone
        else is kept and the refusal reported, not raised."""
        results = self.workspace.apply(edits, seen)
        for (key, _), res in zip(edits, results, strict=True):
            if isinstance(res, Conflict):
                self.rejected.emit(key, self.tr("未撤销或重做：") + str(res))
            elif res is not None:
                self.rejected.emit(key, res)
