"""Backups from the window: a copy now, how many automatic ones are kept, and the way back from a
damaged file (offered when it is opened; the damaged file kept as it was)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from perftrack.cli import main
from perftrack.paths import sample_files
from perftrack.store.backup import keep_count
from perftrack.store.database import open_database
from perftrack.store.errors import DamagedDatabase
from perftrack.ui.app import make_application
from perftrack.ui.backups import offer_restore
from perftrack.ui.main_window import MainWindow
from tests.support.window import INDICATOR, PROJECT, open_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _values(path: Path) -> list[str]:
    with sqlite3.connect(path) as con:
        return [r[0] for r in con.execute("SELECT value_text FROM actual ORDER BY period")]


def _damage(path: Path) -> bytes:
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xde\xad\xbe\xef" * 1024
    path.write_bytes(bytes(data))
    return bytes(data)


class Answer:
    """Clicks, in order, the named button of each message box that comes up modal (then stops)."""

    def __init__(self, *buttons: str) -> None:
        self.buttons = list(buttons)
        self.seen: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._click)
        self.timer.start()

    def _click(self) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not self.buttons:
            return
        self.seen.append(box.text())
        wanted = self.buttons.pop(0)
        if wanted == "OK":  # the standard button, whatever the language names it
            box.button(QMessageBox.StandardButton.Ok).click()
            return
        for button in box.buttons():
            if button.text().replace("&", "") == wanted:
                button.click()
                return
        raise AssertionError(f"no button {wanted!r} in {[b.text() for b in box.buttons()]}")


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    path = tmp_path / "work.db"
    assert main(["import", *map(str, sample_files()), "--db", str(path)]) == 0
    assert main(["record", PROJECT, INDICATOR, "95", "--period", "Q1", "--db", str(path)]) == 0
    return path


@pytest.fixture
def window(qtbot: QtBot, db_file: Path) -> Iterator[MainWindow]:
    win = open_window(qtbot, f"sqlite:///{db_file.as_posix()}")
    yield win
    win.close()


def test_backup_now_is_whole_while_the_window_has_the_database_open(window: MainWindow, tmp_path: Path) -> None:
    entries = window.commands.file_menu.actions()
    assert window.backup_actions.backup_action in entries
    assert window.backup_actions.backup_action.text() == "备份数据库…"
    assert window.backup_actions.keep_action in window.commands.settings_menu.actions()
    assert window.workspace is not None
    with open_database(str(tmp_path / "work.db")) as other, other.session() as session:  # a value in the log
        session.connection().exec_driver_sql("UPDATE actual SET value_text = '96'")
    target = tmp_path / "copy.db"
    assert window.backup_actions.backup_now(target) == target
    assert _values(target) == ["96"]
    assert str(target) in window.statusBar().currentMessage()


def test_the_number_of_automatic_backups_kept_is_a_setting_of_the_window(window: MainWindow) -> None:
    assert window.workspace is not None
    assert window.backup_actions.choose_kept(3) == 3
    assert keep_count(window.workspace.database.engine) == 3
    assert "3" in window.statusBar().currentMessage()
    answer = Answer("OK")  # a negative number is refused with a message, the setting unchanged
    assert window.backup_actions.choose_kept(-1) is None
    assert "负数" in answer.seen[0]
    assert keep_count(window.workspace.database.engine) == 3


def test_a_damaged_file_at_start_is_offered_its_way_back(qtbot: QtBot, db_file: Path, tmp_path: Path) -> None:
    make_application()
    good = tmp_path / "good.db"
    assert main(["backup", "-o", str(good), "--db", str(db_file)]) == 0
    damaged = _damage(db_file)
    url = f"sqlite:///{db_file.as_posix()}"
    with pytest.raises(DamagedDatabase) as caught:
        MainWindow(url)
    # Declined: nothing changes.
    answer = Answer("关闭")
    assert not offer_restore(None, caught.value, url, choose=lambda *_: str(good))
    assert "已损坏" in answer.seen[0] and db_file.read_bytes() == damaged
    # Accepted: the backup chosen (the newest automatic one is proposed), the damaged file kept.
    proposed: list[str] = []

    def choose(_parent: object, _title: str, first: str) -> str:
        proposed.append(first)
        return str(good)

    answer = Answer("从备份恢复…", "OK")
    assert offer_restore(None, caught.value, url, choose=choose)
    assert "work-backups" in proposed[0]
    assert "已恢复" in answer.seen[1] or str(good) in answer.seen[1]
    [kept] = (tmp_path / "work-backups").glob("恢复前-*-已损坏.db")
    assert kept.read_bytes() == damaged
    window = open_window(qtbot, url)
    assert window.workspace is not None and _values(db_file) == ["95"]
    window.close()


def test_opening_a_damaged_file_from_the_window_offers_the_way_back(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.db"
    assert main(["import", *map(str, sample_files()), "--db", str(other)]) == 0
    assert main(["backup", "-o", str(tmp_path / "other-good.db"), "--db", str(other)]) == 0
    _damage(other)
    monkeypatch.setattr("perftrack.ui.backups._choose_backup", lambda *_: str(tmp_path / "other-good.db"))
    answer = Answer("从备份恢复…", "OK")
    window._open_path(other)
    assert answer.seen and "已损坏" in answer.seen[0]
    assert window.workspace is not None and window.workspace.database.label == str(other.resolve())
