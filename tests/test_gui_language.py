"""Switching the interface language at run time, keeping the choice, and the translation file itself."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QTabWidget,
    QToolBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from perftrack.ui import language
from perftrack.ui.language import LANGUAGE_NAMES
from perftrack.ui.main_window import MainWindow
from perftrack.ui.navigator import COL_SCORE, COL_STATUS
from tests import test_gui_window as gui
from tests.support.window import PROJECT
from tests.support.window import open_window as _open
from tests.support.window import project_id as _project_id
from tests.support.window import show_sample as _show
from tests.support.window import type_into as _type_into

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
# The window fixtures of test_gui_window, shared: a real window over a real SQLite file with the sample.
db_url, window = gui.db_url, gui.window

TS_FILE = Path(__file__).resolve().parent.parent / "resources" / "translations" / "perftrack_en.ts"


@pytest.fixture(autouse=True)
def _chinese_afterwards(qtbot: QtBot) -> Iterator[None]:
    """Whatever a test does, the next one starts in Chinese (the translator is process-wide)."""
    yield
    language.set_language(language.CHINESE, remember=False)


def _menus(window: MainWindow) -> list[str]:
    return [a.text() for a in window.menuBar().actions() if a.isVisible()]


def _texts(window: MainWindow) -> dict[str, str]:
    """What a person sees in the places the test looks at."""
    nav, table = window.navigator_model, window.page.model
    pid = window.page.view_data.project_id if window.page.view_data else 0
    return {
        "menus": " ".join(_menus(window)),
        "nav_header": nav.headerData(COL_SCORE, Qt.Orientation.Horizontal),
        "nav_score": nav.index_of_project(pid, COL_SCORE).data(),
        # The word (a narrow navigator shows only the colour square; the word is in its tooltip).
        "nav_status": nav.index_of_project(pid, COL_STATUS).data(Qt.ItemDataRole.ToolTipRole).splitlines()[0],
        "table_header": table.headerData(table.column_of("target"), Qt.Orientation.Horizontal),
        "q1_header": table.headerData(table.column_of("Q1"), Qt.Orientation.Horizontal),
        "status_cell": table.index(0, table.column_of("status")).data(),
        "count": window.side.count_label.text(),
        "check": window.off_track_check.text(),
        "tab": window.page.detail.tabText(0),
        "facts": window.page.facts.text(),
        "title": window.windowTitle(),
    }


def test_switching_to_english_and_back(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    _show(window, db_url)
    chinese = _texts(window)
    assert chinese["menus"] == "文件(&F) 编辑(&E) 设置(&S) 语言(&L) 帮助(&H)"
    assert (chinese["nav_header"], chinese["nav_score"], chinese["nav_status"]) == ("得分", "未评", "未填报")
    assert (chinese["table_header"], chinese["q1_header"], chinese["status_cell"]) == ("年度指标值", "一季度", "未填报")
    assert "2024/1/1 至 2024/12/31" in chinese["facts"]

    window.commands.language_actions[language.ENGLISH].trigger()
    english = _texts(window)
    assert english["menus"] == "&File &Edit &Settings &Language &Help"
    assert (english["nav_header"], english["nav_score"], english["nav_status"]) == (
        "Score",
        "Unscored",
        "Not reported",
    )
    assert (english["table_header"], english["q1_header"], english["status_cell"]) == (
        "Target",
        "Q1",
        "Not reported",
    )
    assert english["count"] == "13 projects, 13 due"  # the sample year is over: every quarter is due
    assert english["check"] == "Off track"
    assert english["tab"] == "Notes && Evidence"
    assert "1/1/2024 to 12/31/2024" in english["facts"]
    assert english["title"].startswith("perftrack — Project")
    assert window.commands.language_actions[language.ENGLISH].isChecked()
    assert QLocale().name() == "en_US"
    # The form's own words stay as written: the project and its indicators are not translated.
    assert window.page.view_data is not None and window.page.view_data.name == PROJECT
    assert window.page.model.index(0, window.page.model.column_of("level1")).data() == "产出指标"

    # Status and grade words follow the language once a value is recorded.
    _type_into(qtbot, window, 0, "Q1", "10")
    table = window.page.model
    assert table.index(0, table.column_of("status")).data() == "Off track"
    pid = _project_id(db_url, PROJECT)
    assert window.navigator_model.index_of_project(pid, COL_SCORE + 1).data() == "Poor"
    assert "Grade <b>Poor</b>" in window.page.score_label.text()
    assert window.undo_action.text().startswith("Undo ")

    window.commands.language_actions[language.CHINESE].trigger()
    back = _texts(window)
    assert back["menus"] == chinese["menus"]
    assert (back["table_header"], back["q1_header"]) == ("年度指标值", "一季度")
    assert table.index(0, table.column_of("status")).data() == "偏离目标"
    assert window.navigator_model.index_of_project(pid, COL_SCORE + 1).data() == "差"
    assert language.saved_language() == language.CHINESE


def test_the_choice_is_kept_for_the_next_start(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    assert language.saved_language() == language.CHINESE
    window.set_language(language.ENGLISH)
    assert language.saved_language() == language.ENGLISH
    window.close()
    # A new start reads the saved choice before building the window.
    language.set_language(language.CHINESE, remember=False)
    again = _open(qtbot, db_url)
    assert _menus(again)[0] == "&File"
    assert again.commands.language_actions[language.ENGLISH].isChecked()
    again.set_language(language.CHINESE)
    assert _menus(again)[0] == "文件(&F)"
    assert language.saved_language() == language.CHINESE
    again.close()


def test_every_text_is_translated() -> None:
    root = ET.parse(TS_FILE).getroot()
    unfinished = [
        (ctx.findtext("name"), msg.findtext("source"))
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
        if msg.find("translation").get("type") in ("unfinished", "obsolete", "vanished")
        or not "".join(msg.find("translation").itertext()).strip()
    ]
    assert unfinished == []
    assert (TS_FILE.with_suffix(".qm")).stat().st_mtime >= TS_FILE.stat().st_mtime - 1, "the .qm is compiled"


def test_translations_keep_their_placeholders() -> None:
    root = ET.parse(TS_FILE).getroot()
    for msg in root.iter("message"):
        source = msg.findtext("source") or ""
        forms = [f.text or "" for f in msg.iter("numerusform")] or [msg.findtext("translation") or ""]
        for translated in forms:
            for place in ("%1", "%2", "%3", "%4", "%5", "%n", "{0}", "{rate}", "{share}"):
                assert (place in source) == (place in translated), (source, translated, place)


def test_a_missing_translation_file_leaves_the_language_alone(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(language, "translations_dir", lambda: None)
    window.set_language(language.ENGLISH)
    assert _menus(window)[0] == "文件(&F)"
    assert window.commands.language_actions[language.CHINESE].isChecked()
    assert language.saved_language() == language.CHINESE
    boxes = [box for box in window.findChildren(QMessageBox) if box.isVisible()]
    assert len(boxes) == 1 and "翻译文件" in boxes[0].text()
    boxes[0].close()


_CJK = re.compile(r"[\u3400-\u9fff]")


def _visible_texts(window: MainWindow) -> list[str]:
    """Every piece of the interface's own wording: titles, menus, buttons, captions, headers, choices."""
    texts = [window.windowTitle()]
    menus = [window.menuBar(), *window.findChildren(QMenu)]
    texts += [a.text() for m in menus for a in m.actions()]
    texts += [a.iconText() for t in window.findChildren(QToolBar) for a in t.actions()]
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        elif isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        elif isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) for i in range(widget.count())]
    for model in (window.navigator_model, window.page.model, window.page.budget_model):
        texts += [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]
    return texts


def test_nothing_is_left_in_chinese_but_the_forms_own_words(window: MainWindow, db_url: str) -> None:
    _show(window, db_url)
    view = window.page.view_data
    assert view is not None
    # What the form says stays as the form says it; the score's reasons are the rules' own Chinese.
    domain = {view.name, view.unit, view.department, view.nature, view.annual_goal, window.page.detail.reasons.text()}
    # so are the importer's notes on the forms (the bar around them is the interface's, and translated)
    domain |= {window.import_notes.note.text()}
    for row in view.rows:
        domain |= {row.name, row.target, row.level1, row.level2}

    def chinese_left() -> list[str]:
        left = []
        for text in _visible_texts(window):
            for word in sorted(domain, key=len, reverse=True):
                text = text.replace(word, "") if word else text
            if _CJK.search(text) and text not in LANGUAGE_NAMES.values():
                left.append(text)
        return left

    assert len(chinese_left()) > 40, "in Chinese the scan sees the interface's own words"
    window.set_language(language.ENGLISH)
    assert chinese_left() == []
