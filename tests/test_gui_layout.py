"""Readable at the screen sizes staff have (1366×768 laptops, 1920×1080 monitors), and monthly reporting."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from perftrack.domain.periods import MONTHS, YEAR
from perftrack.store.schema import Project
from perftrack.store.settings import set_reporting
from perftrack.ui import language
from perftrack.ui.main_window import MainWindow
from perftrack.ui.navigator import COL_GRADE, COL_NAME, COL_SCORE, COL_STATUS
from perftrack.ui.project_page import NAME_MIN_PX
from tests import test_gui_window as gui
from tests.test_gui_window import INDICATOR, PROJECT, _project_id, _show, _stored, _type_into

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
# The window fixtures of test_gui_window, shared: a real window over a real SQLite file with the sample.
db_url, window = gui.db_url, gui.window

# The navigator must show at least this much of a project's name (about ten Chinese characters).
NAVIGATOR_NAME_PX = 130


def _resize(qtbot: QtBot, window: MainWindow, width: int, height: int) -> None:
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(width, height)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == (width, height))
    QApplication.processEvents()


@pytest.mark.parametrize("lang", [language.CHINESE, language.ENGLISH])
@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=["1366x768", "1920x1080"])
def test_readable_at_common_screen_sizes(
    qtbot: QtBot, window: MainWindow, db_url: str, size: tuple[int, int], lang: str
) -> None:
    try:
        window.set_language(lang)
        _show(window, db_url)
        _type_into(qtbot, window, 0, "Q1", "10")  # a score, a grade and the "off track" status to fit
        _resize(qtbot, window, *size)
        hint = window.minimumSizeHint()
        assert hint.width() <= 1366 and hint.height() <= 768, "the window fits a 1366×768 screen"

        tree, header = window.tree, window.tree.header()
        assert not tree.horizontalScrollBar().isVisible()
        assert header.length() <= tree.viewport().width()
        assert header.sectionSize(COL_NAME) >= NAVIGATOR_NAME_PX
        # Score, grade and status are shown whole, never elided.
        pid = _project_id(db_url, PROJECT)
        metrics = tree.fontMetrics()
        for column, extra in ((COL_SCORE, 0), (COL_GRADE, 0), (COL_STATUS, 18)):
            text = window.navigator_model.index_of_project(pid, column).data()
            assert text, column
            assert metrics.horizontalAdvance(text) + extra <= header.sectionSize(column), (column, text)

        page = window.page
        model, table = page.model, page.table
        status = model.column_of("status")
        for row in range(model.rowCount()):
            text = model.index(row, status).data()
            assert table.fontMetrics().horizontalAdvance(text) < table.columnWidth(status), text
        name_width = table.columnWidth(model.column_of("name"))
        assert name_width >= NAME_MIN_PX
        budget = page.budget_view
        assert budget.height() >= budget.horizontalHeader().height() + budget.rowHeight(0)
        for column in range(page.budget_model.columnCount()):
            text = str(budget.model().index(0, column).data() or "")
            assert budget.fontMetrics().horizontalAdvance(text) <= budget.columnWidth(column), text
        if size == (1920, 1080):
            # On a full-HD monitor a quarterly project's whole sheet fits without scrolling sideways.
            assert not table.horizontalScrollBar().isVisible()
            assert name_width > NAME_MIN_PX
    finally:
        window.set_language(language.CHINESE)


def test_monthly_project_has_twelve_month_columns(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    _show(window, db_url)
    pid = _project_id(db_url, PROJECT)
    assert window.workspace is not None
    window.workspace.run(pid, lambda s: set_reporting(s, s.get(Project, pid), "monthly"))
    model = window.page.model
    detail = window.page.detail
    periods = [detail.period_box.itemData(i) for i in range(detail.period_box.count())]
    assert periods == [*MONTHS, YEAR], "the detail pane follows the switch at once"
    headers = [model.headerData(model.column_of(m), Qt.Orientation.Horizontal) for m in MONTHS]
    assert headers == [f"{n}月" for n in range(1, 13)]
    assert model.column_of("Q1") == -1
    assert "填报周期：按月" in window.page.facts.text()
    budget = window.page.budget_model
    budget_headers = [budget.headerData(c, Qt.Orientation.Horizontal) for c in range(budget.columnCount())]
    assert budget_headers[2:14] == [f"{n}月执行" for n in range(1, 13)]

    _type_into(qtbot, window, 0, "M05", "97")
    assert _stored(db_url, INDICATOR, "M05") == "97"
    assert model.index(0, model.column_of("M05")).data() == "97"
    assert window.page.table.currentIndex().row() == 1, "Enter moves down, as in a spreadsheet"
    _type_into(qtbot, window, 0, "M06", "100")
    assert model.row_data(0).ytd == 100, "a percentage takes the latest month"
    assert detail.current_period() in MONTHS
    # The navigator follows too: the project now has a score.
    assert window.navigator_model.index_of_project(pid, COL_SCORE).data() != "未评"


def test_switching_language_refits_the_navigator(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    _resize(qtbot, window, 1366, 768)
    chinese_width = window.side.width()
    try:
        window.set_language(language.ENGLISH)
        QApplication.processEvents()
        header = window.tree.header()
        assert window.side.width() > chinese_width, "English words are wider: so is the navigator"
        assert header.sectionSize(COL_NAME) >= NAVIGATOR_NAME_PX
        assert header.length() <= window.tree.viewport().width()
    finally:
        window.set_language(language.CHINESE)
    QApplication.processEvents()
    assert window.side.width() == chinese_width
