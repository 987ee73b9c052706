"""The 审核 tab: the reviewer's list, the steps from the window, the export, the reminder of what is due."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from perftrack.cli import main
from perftrack.domain.review import ReviewStatus, Step
from perftrack.paths import sample_files
from perftrack.ui.main_window import MainWindow
from perftrack.ui.review_panel import COLUMNS, ReviewPanel
from tests.support.window import open_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

PROJECT = "项目管理费"


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    monkeypatch.setenv("LOGNAME", "wang")
    db = str(tmp_path / "review.db")
    assert main(["import", *map(str, sample_files()), "--db", db]) == 0
    assert main(["record", PROJECT, "#1", "40%", "--period", "Q2", "--db", db]) == 0
    win = open_window(qtbot, db)
    yield win
    win.close()


def _panel(window: MainWindow) -> ReviewPanel:
    window.tabs.setCurrentIndex(window.tabs.indexOf(window.review_tab))
    panel = window.review_tab.panel
    assert panel is not None
    panel.period_box.setCurrentIndex(panel.period_box.findData("Q2"))
    return panel


def _choose(panel: ReviewPanel, name: str = PROJECT) -> None:
    assert panel.select_project(next(r.project_id for r in panel.model.rows if r.name == name))


def _status(panel: ReviewPanel, name: str = PROJECT) -> str:
    row = next(n for n, r in enumerate(panel.model.rows) if r.name == name)
    return panel.model.index(row, COLUMNS.index("status")).data()


def test_the_reviewer_walks_a_quarter_in_the_window(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *a, **k: asked.append(text) or QMessageBox.StandardButton.Yes
    )
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: warned.append(text))
    panel = _panel(window)
    assert len(panel.model.rows) == 13 and _status(panel) == "填报中"
    assert "wang" in panel.who.text() and "任何人都可以审核" in panel.who.text()

    _choose(panel)
    assert panel.submit_button.isEnabled() and not panel.approve_button.isEnabled()
    assert panel.take(Step.SUBMIT)
    assert asked and "未填报本期完成值" in asked[0]  # submitting says what is missing first
    assert _status(panel) == "已提交"
    assert panel.approve_button.isEnabled() and panel.return_button.isEnabled()

    assert panel.take(Step.RETURN, "请补充偏差原因")
    row = next(r for r in panel.model.rows if r.name == PROJECT)
    assert row.status is ReviewStatus.RETURNED and row.comment == "请补充偏差原因"
    assert panel.model.index(panel.model.rows.index(row), COLUMNS.index("comment")).data() == "请补充偏差原因"

    _choose(panel)
    panel.mine_check.setChecked(True)  # a reviewer's own list: only what waits for a reviewer
    assert [r.name for r in panel.model.rows] == []
    panel.mine_check.setChecked(False)
    _choose(panel)
    assert panel.take(Step.SUBMIT)
    _choose(panel)
    assert panel.take(Step.APPROVE)
    assert _status(panel) == "已审核" and not warned

    # Locked: the project page refuses the quarter's cells with the reason.
    _choose(panel)
    panel.open_button.click()
    assert window.tabs.currentWidget() is window.page
    model = window.page.model
    assert not model.setData(model.index(0, model.column_of("Q2")), "60%")
    assert "锁定" in (model.error_at(model.index(0, model.column_of("Q2"))) or "")
    assert model.setData(model.index(0, model.column_of("Q3")), "60%")

    # The list is exported as shown, text kept as text.
    panel = _panel(window)
    written = panel.export_to(tmp_path / "审核一览.xlsx")
    sheet = load_workbook(written).active
    assert sheet["A1"].value == "2024年二季度审核一览"
    values = {r[0]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert values[PROJECT][2] == "已审核" and len(values) == 13


def test_a_user_not_on_the_list_is_told_why(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["reviewers", "add", "li", "--db", window.workspace.database.url]) == 0
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: warned.append(text))
    panel = _panel(window)
    panel.refresh()
    assert "填报人" in panel.who.text() and "li" in panel.who.text()
    _choose(panel)
    assert panel.take(Step.SUBMIT)  # the manager submits
    _choose(panel)
    assert not panel.take(Step.APPROVE)
    assert warned and "wang 不在审核人名单中" in warned[0]
    panel.mine_check.setChecked(True)  # a manager's own list: what is still open for entry
    assert PROJECT not in [r.name for r in panel.model.rows] and len(panel.model.rows) == 12


def test_the_window_reminds_of_ended_quarters_not_submitted(window: MainWindow) -> None:
    # The sample's year (2024) is over: every project has quarters due.
    assert "13 个待提交" in window.side.count_label.text()
    assert "已结束而未提交" in window.statusBar().currentMessage()


def _answer_when_asked(button: str, asked: list[str]) -> None:
    """Click ``button`` of the next message box as soon as it is shown, noting what it said."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        asked.append(box.text() + "\n" + box.informativeText())
        next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(0, click)


def _drop(window: MainWindow, paths: list[Path]) -> None:
    """Drop files on the window as a person drags them from the file manager."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.dropEvent(event)


def test_a_quarter_end_to_end_with_fill_in_workbooks(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Export the quarter's workbooks, fill them as the managers, drop them back on the window,
    submit, return one with a comment, fix and resubmit, approve, and find the values locked."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: warned.append(text))
    panel = _panel(window)
    panel.unit_box.setCurrentIndex(panel.unit_box.findData("上海市科技创新中心"))
    names = ("项目管理费", "信息化运维项目")
    panel.model.set_rows([r for r in panel.model.rows if r.name in names])  # the two managers of this test
    folder = tmp_path / "out"
    folder.mkdir()
    books = {Path(p).name.split("-")[0]: p for p in panel.export_fill_ins(folder)}
    assert set(books) == set(names)

    for name, value in (("项目管理费", "60%"), ("信息化运维项目", "8")):
        book = load_workbook(books[name])
        sheet = book["本期填报"]
        value_col = int(dict(book["perftrack_key"].iter_rows(values_only=True, max_col=2))["value_column"])
        sheet.cell(row=5, column=value_col).value = value
        sheet.cell(row=5, column=value_col + 1).value = f"{name}负责人填写"
        book.save(books[name])
    # 项目管理费 already had 40% for Q2 (the fixture): the window asks before the workbook's 60% replaces it.
    asked: list[str] = []
    _answer_when_asked("以填报表为准", asked)
    _drop(window, list(books.values()))
    assert not warned
    assert asked and "与已记录的值不同" in asked[0] and "已记录 40%，填报表为 60%" in asked[0]
    panel = _panel(window)
    rows = {r.name: r for r in panel.model.rows}
    assert all(len(rows[n].missing.no_value) < 10 for n in names)

    for name in names:
        _choose(panel, name)
        assert panel.take(Step.SUBMIT)
    _choose(panel, "信息化运维项目")
    assert panel.take(Step.RETURN, "请补充证明材料")
    _choose(panel, "信息化运维项目")
    assert panel.take(Step.SUBMIT)  # fixed and resubmitted
    for name in names:
        _choose(panel, name)
        assert panel.take(Step.APPROVE)
    assert {_status(panel, n) for n in names} == {"已审核"}

    # A locked value cannot change, even from a workbook dropped again; reopened, it can.
    _drop(window, [books["项目管理费"]])
    assert warned and "锁定" in warned[-1]
    _choose(panel, "项目管理费")
    assert panel.take(Step.REOPEN, "数据更正")
    assert _status(panel, "项目管理费") == "已退回"
