"""Asking before a typed value goes over a value another user changed since the page showed it.

The page has already been refreshed to their value when this asks; keeping their value is the
default (Enter, Esc or closing the box), so a hurried keystroke never erases someone's work.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from perftrack.store.conflicts import Conflict, shown, who_when
from perftrack.ui.formatting import arg

# Conflicts listed in the box one by one; more are counted.
_LISTED = 8


def conflict_lines(conflicts: list[Conflict]) -> str:
    """One line per conflict: where, who changed it to what and when, and what was typed."""
    lines = [
        arg(
            QCoreApplication.translate("Conflicts", "• %1：已被 %2 改为“%3”（您看到的是“%4”，您填写的是“%5”）"),
            c.where,
            who_when(c.by, c.at),
            shown(c.now),
            shown(c.seen),
            shown(c.wanted),
        )
        for c in conflicts[:_LISTED]
    ]
    if len(conflicts) > _LISTED:
        lines.append(arg(QCoreApplication.translate("Conflicts", "……另有 %1 处"), len(conflicts) - _LISTED))
    return "\n".join(lines)


def ask_overwrite(parent: QWidget | None, conflicts: list[Conflict]) -> bool:
    """Show who changed what meanwhile; True when the user chooses to write their values over."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, QCoreApplication.translate("Conflicts", "数据已被他人修改"), "", parent=parent
    )
    box.setObjectName("conflictBox")
    box.setText(
        arg(
            QCoreApplication.translate(
                "Conflicts", "您填写的 %1 处数值在您看到之后已被他人修改，页面已更新为最新的值。"
            ),
            len(conflicts),
        )
    )
    box.setInformativeText(
        conflict_lines(conflicts) + "\n\n" + QCoreApplication.translate("Conflicts", "要用您填写的值覆盖吗？")
    )
    keep = box.addButton(QCoreApplication.translate("Conflicts", "保留对方的值"), QMessageBox.ButtonRole.RejectRole)
    overwrite = box.addButton(
        QCoreApplication.translate("Conflicts", "用我的值覆盖"), QMessageBox.ButtonRole.AcceptRole
    )
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is overwrite
