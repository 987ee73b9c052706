"""Help ▸ About: version, data folder, database, versions of Qt and Python, and its two buttons."""

from __future__ import annotations

import logging
import sys
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

import perftrack
from perftrack import logsetup
from perftrack.paths import data_dir
from perftrack.ui.about import AboutDialog, app_icon, database_label, show_about

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

ROOT = Path(__file__).resolve().parent.parent


def _pyproject_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]["version"]


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "某单位" / "perftrack.db"


@pytest.fixture
def dialog(qtbot: QtBot, db_file: Path) -> AboutDialog:
    box = AboutDialog(f"sqlite:///{db_file.as_posix()}")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    return box


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """setup_logging changes process-wide state: put it back for the next test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    hooks = sys.excepthook, threading.excepthook
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks


def test_shows_the_installed_version(dialog: AboutDialog) -> None:
    version = _pyproject_version()
    assert perftrack.__version__ == version
    assert dialog.rows["version"].text() == version
    assert version in dialog.findChild(QWidget, "about-heading").text()


def test_shows_the_data_folder_and_the_database_file(dialog: AboutDialog, db_file: Path) -> None:
    # conftest points PERFTRACK_DATA_DIR at a temporary folder for every test.
    assert dialog.rows["data-folder"].text() == str(data_dir())
    assert Path(dialog.rows["database"].text()) == db_file
    assert "某单位" in dialog.rows["database"].text()


def test_shows_qt_and_python_versions(dialog: AboutDialog) -> None:
    from PySide6.QtCore import qVersion

    assert dialog.rows["qt"].text().startswith(qVersion())
    assert dialog.rows["python"].text().startswith(".".join(map(str, sys.version_info[:3])))


def test_a_server_database_is_shown_without_its_password() -> None:
    label = database_label("postgresql://finance:s3cret@db.example.org:5432/perftrack")
    assert "s3cret" not in label
    assert label.startswith("postgresql://finance:")
    assert label.endswith("@db.example.org:5432/perftrack")


def test_open_button_opens_the_data_folder(qtbot: QtBot, dialog: AboutDialog, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []

    def fake_open(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", fake_open)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert len(opened) == 1
    assert Path(opened[0].toLocalFile()) == data_dir()


def test_copy_button_puts_the_facts_on_the_clipboard(qtbot: QtBot, dialog: AboutDialog, db_file: Path) -> None:
    QGuiApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    text = QGuiApplication.clipboard().text()
    assert text.splitlines()[0] == f"perftrack {_pyproject_version()}"
    assert str(data_dir()) in text
    assert str(db_file) in text


@pytest.mark.usefixtures("restore_logging")
def test_names_the_log_file_of_a_windowed_build(qtbot: QtBot, db_file: Path) -> None:
    log = logsetup.setup_logging(windowed=True)
    assert log is not None and log.is_file()
    box = AboutDialog(f"sqlite:///{db_file.as_posix()}")
    qtbot.addWidget(box)
    assert box.rows["log"].text() == str(data_dir() / "perftrack.log")


def test_no_log_row_without_a_log_file(dialog: AboutDialog) -> None:
    assert "log" not in dialog.rows


def test_the_icon_is_found_in_the_source_tree(qtbot: QtBot) -> None:
    icon = app_icon()
    assert not icon.isNull()
    assert icon.pixmap(256, 256).width() == 256


def test_show_about_opens_a_modal_box_over_its_parent(qtbot: QtBot, db_file: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    box = show_about(parent, f"sqlite:///{db_file.as_posix()}")
    qtbot.waitExposed(box)
    assert box.isVisible()
    assert box.parent() is parent
    assert box.isModal()
    assert Path(box.rows["database"].text()) == db_file
    with qtbot.waitSignal(box.destroyed):
        box.reject()
