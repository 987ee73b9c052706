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
from perftrack.ui.project_page import DETAIL_KEY, NAME_MIN_PX
from perftrack.ui.settings import settings
from tests import test_gui_window as gui
from tests.support.window import INDICATOR, PROJECT
from tests.support.window import project_id as _project_id
from tests.support.window import show_sample as _show
from tests.support.window import stored as _stored
from tests.support.window import type_into as _type_into

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
        # Score, grade and status are shown whole, never elided; a narrow navigator shows the status
        # as its colour square alone, the word in its tooltip.
        pid = _project_id(db_url, PROJECT)
        metrics = tree.fontMetrics()
        compact = window.navigator_model.compact
        assert compact == (size == (1366, 768))
        for column, extra in ((COL_SCORE, 0), (COL_GRADE, 0), (COL_STATUS, 18)):
            index = window.navigator_model.index_of_project(pid, column)
            text = index.data()
            if column == COL_STATUS and compact:
                assert text == "" and index.data(Qt.ItemDataRole.DecorationRole) is not None
                assert index.data(Qt.ItemDataRole.ToolTipRole).startswith(("偏离目标", "Off track"))
                continue
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
        # The whole row up to 状态 is in view without scrolling sideways (the details pane steps aside
        # on a laptop screen and stands beside the sheet on a monitor).
        last = table.columnViewportPosition(status) + table.columnWidth(status)
        assert table.columnViewportPosition(model.column_of("level1")) >= 0
        assert last <= table.viewport().width(), (last, table.viewport().width())
        assert page.detail.isVisible() == (size == (1920, 1080))
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
        # English words are wider: the sheet needs more room at 1366, and the navigator gives way to it.
        assert window.side.width() < chinese_width
        assert window.page.sheet_width() + window.side.width() <= window.width()
        assert header.sectionSize(COL_NAME) >= NAVIGATOR_NAME_PX
        assert header.length() <= window.tree.viewport().width()
    finally:
        window.set_language(language.CHINESE)
    QApplication.processEvents()
    assert window.side.width() == chinese_width


def test_the_details_follow_the_chosen_cell_and_step_aside_on_request(
    qtbot: QtBot, window: MainWindow, db_url: str
) -> None:
    _resize(qtbot, window, 1366, 768)
    _show(window, db_url)
    page = window.page
    assert not page.detail.isVisible()  # a laptop screen: the sheet first
    page.detail_button.click()
    assert page.detail.isVisible() and page.detail_button.isChecked()
    for period in ("Q3", "Q1", YEAR):
        page.table.setCurrentIndex(page.model.index(1, page.model.column_of(period)))
        assert page.detail.current_period() == period  # the notes and evidence shown are that period's
    page.detail_button.click()
    assert not page.detail.isVisible()
    _resize(qtbot, window, 1920, 1080)
    assert not page.detail.isVisible(), "the user's choice stands on a wider screen"
    page.detail_button.click()
    assert page.detail.isVisible()
    assert settings().value(DETAIL_KEY) in (True, "true")
