"""Help ▸ About: the version, where the data lives, the database in use, and the program's icon.

Someone asked "which version do you have, and where is your database?" should find both answers
here, and be able to copy them into a message or open the folder that holds the data.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from perftrack import __version__
from perftrack.logsetup import LOG_FILENAME
from perftrack.paths import data_dir
from perftrack.store.database import database_label

ICON_NAME = "perftrack.png"


def icon_dirs() -> list[Path]:
    """Folders that may hold the program's icons: the source tree's resources/icons, or a bundle's."""
    package = Path(__file__).resolve().parent.parent
    dirs = [package.parent / "resources" / "icons", package / "resources" / "icons"]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        dirs.insert(0, Path(frozen) / "resources" / "icons")
    return dirs


def app_icon() -> QIcon:
    """perftrack's icon for windows and dialogs; an empty icon when the files are not installed."""
    for folder in icon_dirs():
        path = folder / ICON_NAME
        if path.is_file():
            return QIcon(str(path))
    return QIcon()


class AboutDialog(QDialog):
    """The About box over one database."""

    def __init__(self, database_url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("关于 perftrack"))
        self.data_folder = data_dir()
        self.database = database_label(database_url)
        icon = app_icon()
        if not icon.isNull():
            self.setWindowIcon(icon)

        heading = QLabel(f"<h2>perftrack {__version__}</h2>")
        heading.setObjectName("about-heading")
        purpose = QLabel(self.tr("项目支出绩效目标跟踪与年度自评"))
        picture = QLabel()
        if not icon.isNull():
            picture.setPixmap(icon.pixmap(64, 64))
        top = QHBoxLayout()
        top.addWidget(picture)
        titles = QVBoxLayout()
        titles.addWidget(heading)
        titles.addWidget(purpose)
        top.addLayout(titles, 1)

        self.rows: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, label, value in self._facts():
            shown = QLabel(value)
            shown.setObjectName(f"about-{key}")
            # Paths are long and people copy them into messages.
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
            form.addRow(label, shown)
            self.rows[key] = shown

        self.open_button = QPushButton(self.tr("打开数据文件夹"))
        self.open_button.clicked.connect(self.open_data_folder)
        self.copy_button = QPushButton(self.tr("复制以上信息"))
        self.copy_button.clicked.connect(self.copy_facts)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def _facts(self) -> list[tuple[str, str, str]]:
        """(key, label, value) for every line of the box, in order."""
        facts = [
            ("version", self.tr("版本"), __version__),
            ("data-folder", self.tr("数据文件夹"), str(self.data_folder)),
            ("database", self.tr("当前数据库"), self.database),
        ]
        log = self.data_folder / LOG_FILENAME
        if log.is_file():
            facts.append(("log", self.tr("日志文件"), str(log)))
        facts += [
            ("qt", "Qt", f"{qVersion()}（PySide6 {PySide6.__version__}）"),
            ("python", "Python", f"{platform.python_version()}，{platform.platform(terse=True)}"),
        ]
        return facts

    def facts_text(self) -> str:
        """The box's facts as plain lines, for a support message."""
        return "\n".join([f"perftrack {__version__}"] + [f"{label}：{value}" for _, label, value in self._facts()[1:]])

    def open_data_folder(self) -> bool:
        """Show the data folder in the system's file manager; False when none could be started."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_folder)))

    def copy_facts(self) -> None:
        """Put the facts on the clipboard."""
        QGuiApplication.clipboard().setText(self.facts_text())


def show_about(parent: QWidget | None, database_url: str) -> AboutDialog:
    """Open the About box, window-modal and without blocking; returns it (it deletes itself on close)."""
    dialog = AboutDialog(database_url, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
