"""Backups from the window: a copy now, how many automatic ones are kept, and the way back.

File ▸ 备份数据库… writes a whole copy while the database is in use (``store.backup.backup``, as
``perftrack backup -o``). 设置 ▸ 自动备份… sets how many automatic backups are kept (the
database's setting ``perftrack backup --keep N`` sets; 0 turns the daily ones off). A database
file found damaged when it is opened (at start, or from File ▸ 打开数据库) is named with an offer
to put a backup in its place, the newest automatic backup proposed: the damaged file is kept as it
was beside the backups (``store.backup.restore_damaged``, as ``perftrack restore``), never
overwritten without a copy. A team database on a server is backed up by its administrator, so
the two actions are off there, and say why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from perftrack import paths
from perftrack.store import backup as backups
from perftrack.store.errors import DamagedDatabase, StoreError
from perftrack.ui.formatting import arg

if TYPE_CHECKING:
    from perftrack.ui.main_window import MainWindow

# The most automatic backups one may ask to keep (a year of daily ones).
MOST_KEPT = 365
# Chooses a backup file to restore from: (parent, title, proposed path) → the chosen path or "".
Chooser = Callable[[QWidget | None, str, str], str]


def _choose_backup(parent: QWidget | None, title: str, proposed: str) -> str:
    path, _ = QFileDialog.getOpenFileName(
        parent, title, proposed, QCoreApplication.translate("Backups", "数据库备份 (*.db);;所有文件 (*)")
    )
    return path


def offer_restore(parent: QWidget | None, damaged: DamagedDatabase, url: str, *, choose: Chooser | None = None) -> bool:
    """Say the file is damaged and offer to put a backup in its place; True once it is restored.

    The question is modal: nothing else can use the damaged file meanwhile."""
    folder = paths.backup_dir(url)
    newest = backups.automatic_backups(folder)
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        QCoreApplication.translate("Backups", "数据库已损坏"),
        damaged.what + "。",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    told = QCoreApplication.translate(
        "Backups",
        "可以选一个备份文件替换它；损坏的文件会原样另存在备份文件夹中，不会丢失。"
        "恢复前请先关闭其他正在使用这个数据库的 perftrack 窗口和命令。",
    )
    if newest:
        told += "\n" + arg(QCoreApplication.translate("Backups", "最近的自动备份：%1"), str(newest[-1]))
    box.setInformativeText(told)
    restore = box.addButton(QCoreApplication.translate("Backups", "从备份恢复…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QCoreApplication.translate("Backups", "关闭"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    if box.clickedButton() is not restore:
        return False
    proposed = str(newest[-1] if newest else folder if folder.is_dir() else Path(damaged.path).parent)
    chosen = (choose or _choose_backup)(
        parent, QCoreApplication.translate("Backups", "选择用来恢复的备份文件"), proposed
    )
    if not chosen:
        return False
    try:
        kept = backups.restore_damaged(Path(damaged.path), Path(chosen), folder)
    except StoreError as exc:
        QMessageBox.warning(parent, QCoreApplication.translate("Backups", "未能恢复"), str(exc))
        return False
    QMessageBox.information(
        parent,
        QCoreApplication.translate("Backups", "已恢复"),
        arg(
            QCoreApplication.translate("Backups", "已用 %1 恢复数据库 %2。\n损坏的文件原样另存为 %3。"),
            chosen,
            damaged.path,
            str(kept),
        ),
    )
    return True


class BackupActions(QObject):
    """File ▸ 备份数据库… and 设置 ▸ 自动备份…, for the window's database."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.backup_action = QAction(window)
        self.backup_action.triggered.connect(lambda _checked=False: self.backup_now())
        self.keep_action = QAction(window)
        self.keep_action.triggered.connect(lambda _checked=False: self.choose_kept())
        window.commands.add_file_actions([self.backup_action], group=True)
        window.commands.settings_menu.addAction(self.keep_action)
        window.installEventFilter(self)
        window.workspaceChanged.connect(lambda _workspace: self.retranslate())
        self.retranslate()

    def _on_a_server(self) -> bool:
        workspace = self.window.workspace
        return workspace is not None and paths.sqlite_file(workspace.database.url) is None

    def retranslate(self) -> None:
        """Name the actions in the current language (and turn them off for a team database)."""
        self.backup_action.setText(self.tr("备份数据库…"))
        self.keep_action.setText(self.tr("自动备份…"))
        if self._on_a_server():
            tip = self.tr("团队数据库由服务器管理员备份（pg_dump）")
            self.backup_action.setStatusTip(tip)
            self.keep_action.setStatusTip(tip)
        else:
            self.backup_action.setStatusTip(self.tr("把数据库完整复制一份（程序正在使用时也完整），存为所选文件"))
            self.keep_action.setStatusTip(self.tr("升级数据库前和每天第一次使用时自动备份；设定保留最新几份"))
        enabled = self.window.workspace is not None and not self._on_a_server()
        self.backup_action.setEnabled(enabled)
        self.keep_action.setEnabled(enabled)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def backup_now(self, target: Path | None = None) -> Path | None:
        """Ask where (unless ``target`` is given), then write a whole copy there; the path, or None."""
        workspace = self.window.workspace
        if workspace is None:
            return None
        if target is None:
            proposed = paths.backup_dir(workspace.database.url) / arg(
                self.tr("perftrack-备份-%1.db"), dt.datetime.now().strftime("%Y%m%d-%H%M")
            )
            proposed.parent.mkdir(parents=True, exist_ok=True)
            path, _ = QFileDialog.getSaveFileName(
                self.window, self.tr("备份数据库"), str(proposed), self.tr("数据库备份 (*.db)")
            )
            if not path:
                return None
            target = Path(path)
        try:
            written = backups.backup(workspace.database, target)
        except StoreError as exc:
            QMessageBox.warning(self.window, self.tr("未能备份"), str(exc))
            return None
        self.window.statusBar().showMessage(arg(self.tr("已备份到 %1"), str(written)), 15000)
        return written

    def choose_kept(self, count: int | None = None) -> int | None:
        """Ask (unless ``count`` is given) how many automatic backups to keep, and keep that many."""
        workspace = self.window.workspace
        if workspace is None:
            return None
        database = workspace.database
        if count is None:
            count, ok = QInputDialog.getInt(
                self.window,
                self.tr("自动备份"),
                self.tr(
                    "升级数据库前和每天第一次使用时，自动备份到数据库旁的“-backups”文件夹。\n保留最新几份（0：不做每日备份）："
                ),
                backups.keep_count(database.engine),
                0,
                MOST_KEPT,
            )
            if not ok:
                return None
        try:
            backups.set_keep_count(database, count)
        except StoreError as exc:
            QMessageBox.warning(self.window, self.tr("自动备份"), str(exc))
            return None
        self.window.statusBar().showMessage(arg(self.tr("自动备份保留最新 %1 份"), count), 10000)
        return count
