"""File ▸ 导出汇总表… and 按实施单位导出…: progress with Cancel, nothing half-written, what was written said."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from perftrack.ui.main_window import MainWindow
from tests import test_gui_window as gui
from tests.support.long_work import CancelSoon, _no_dialog_left

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
db_url, window = gui.db_url, gui.window

UNITS = ["上海市科技创业中心.xlsx", "上海市科技创新中心.xlsx"]


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "units"
    folder.mkdir()
    return folder


def test_the_actions_follow_the_workbook_export_in_the_file_menu(window: MainWindow) -> None:
    entries = window.commands.file_menu.actions()
    at = entries.index(window.commands.export_action)
    actions = window.export_actions
    assert entries[at + 1 : at + 3] == [actions.summary_action, actions.per_unit_action]
    assert actions.summary_action.text() == "导出汇总表…"
    assert actions.per_unit_action.text() == "按实施单位导出…"


def test_summary_only_from_the_window(window: MainWindow, tmp_path: Path) -> None:
    target = tmp_path / "汇总表.xlsx"
    assert window.export_to(target, summary_only=True)
    book = load_workbook(target, read_only=True)
    assert book.sheetnames == ["汇总", "汇总图表"]
    book.close()
    assert str(target) in window.statusBar().currentMessage()


def test_per_unit_from_the_window(window: MainWindow, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    result = window.export_actions.export_per_unit_to(folder)
    assert result is not None and not result.cancelled
    assert sorted(p.name for p in folder.iterdir()) == UNITS
    assert f"已按实施单位导出 2 个工作簿（13 个项目）到 {folder}" in window.statusBar().currentMessage()
    assert _no_dialog_left(window)


def test_cancelled_per_unit_export_says_what_was_written(window: MainWindow, tmp_path: Path) -> None:
    cancel = CancelSoon(window)
    folder = _folder(tmp_path)
    result = window.export_actions.export_per_unit_to(folder)
    assert cancel.seen
    assert result is not None and result.cancelled
    # Cancelled before the first unit was complete: nothing at all, and the message says so.
    written = sorted(p.name for p in folder.iterdir())
    assert written == [path.name for _, path, _ in result.written] == []
    assert "已取消：2 个实施单位中只导出了 0 个" in window.statusBar().currentMessage()
    assert _no_dialog_left(window)


def test_cancel_after_a_unit_lists_the_workbooks_written(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from perftrack.ui import long_work

    real = long_work.LongWork.step

    def cancel_in_second_unit(work: long_work.LongWork, done: int, total: int | None = None, label=None) -> bool:
        real(work, done, total, label)
        return done < 3  # the first unit (上海市科技创业中心) has one project

    monkeypatch.setattr(long_work.LongWork, "step", cancel_in_second_unit)
    folder = _folder(tmp_path)
    result = window.export_actions.export_per_unit_to(folder)
    assert result is not None and result.cancelled
    assert sorted(p.name for p in folder.iterdir()) == UNITS[:1]
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    assert "2 个实施单位中只导出了 1 个" in box.text() and UNITS[0] in box.informativeText()
    box.close()
