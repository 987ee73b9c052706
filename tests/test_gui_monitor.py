"""The mid-year monitoring answers in the detail pane, given as a person would, on a real SQLite file."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from perftrack.store.database import open_database
from perftrack.store.schema import Audit, Indicator
from perftrack.ui import language
from perftrack.ui.main_window import MainWindow
from perftrack.ui.monitor_box import CAUSE, CHANCE, MonitorBox
from tests import test_gui_window as gui
from tests.support.detail import QUALITATIVE, _leave, _select_row, _type_chinese
from tests.support.window import INDICATOR
from tests.support.window import show_sample as _show

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
# The window fixtures of test_gui_window, shared: a real window over a real SQLite file with the sample.
db_url, window = gui.db_url, gui.window

MONITOR_FIELDS = ("monitor_expected", "monitor_chance", "monitor_cause", "monitor_measure")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _monitor(window: MainWindow, name: str = INDICATOR) -> MonitorBox:
    """Select the indicator and open the 偏差分析 tab, where the box is."""
    _select_row(window, name)
    if not window.page.detail.isVisible():  # a narrow screen: the details are one click away
        window.page.detail_button.click()
    window.page.detail.setCurrentIndex(1)
    box = window.page.detail.monitor
    assert box.isVisible() and box.isEnabled()
    return box


def _stored(url: str, name: str = INDICATOR) -> tuple[object, ...]:
    with open_database(url) as db, db.session() as s:
        indicator = s.scalar(select(Indicator).where(Indicator.name == name))
        return tuple(getattr(indicator, f) for f in MONITOR_FIELDS)


def _audited(url: str, name: str = INDICATOR) -> list[tuple[str | None, str | None, str | None]]:
    with open_database(url) as db, db.session() as s:
        iid = s.scalar(select(Indicator.id).where(Indicator.name == name))
        rows = s.scalars(
            select(Audit).where(Audit.indicator_id == iid, Audit.field.in_(MONITOR_FIELDS)).order_by(Audit.id)
        )
        return [(a.field, a.old, a.new) for a in rows]


def _type_expected(qtbot: QtBot, box: MonitorBox, text: str) -> None:
    """Replace the expected value as a person does: select all, type (a unit through the input method), Enter."""
    edit = box.expected_edit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.selectAll()
    digits = text.rstrip("".join(ch for ch in text if not ch.isascii()))
    qtbot.keyClicks(edit, digits)
    if text != digits:
        _type_chinese(edit, text.removeprefix(digits))
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def _press(qtbot: QtBot, combo: QComboBox, *keys: Qt.Key) -> None:
    combo.setFocus()
    for key in keys:
        qtbot.keyClick(combo, key)


def test_the_three_answers_are_stored_audited_and_shown(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    _show(window, db_url)
    box = _monitor(window)
    assert box.unit_label.text() == "%", "the expected value is in the target's unit (=100.00(%))"
    assert box.expected_edit.text() == "" and box.combos[CHANCE].currentIndex() == 0
    assert box.combos[CHANCE].itemText(0) == "" and box.combos[CAUSE].itemText(0) == ""

    _type_expected(qtbot, box, "95")
    _press(qtbot, box.combos[CHANCE], Qt.Key.Key_Down, Qt.Key.Key_Down)  # 确定能, then 有可能
    _press(qtbot, box.combos[CAUSE], Qt.Key.Key_End)  # the last choice, 其他
    _press(qtbot, box.combos[CAUSE], Qt.Key.Key_Up)  # one up: 硬件条件保障

    assert _stored(db_url) == (Decimal(95), "有可能", "硬件条件保障", None)
    assert _audited(db_url) == [
        ("monitor_expected", None, "95"),
        ("monitor_chance", None, "确定能"),
        ("monitor_chance", "确定能", "有可能"),
        ("monitor_cause", None, "其他"),
        ("monitor_cause", "其他", "硬件条件保障"),
    ]
    # Every view reads the new snapshot, and coming back to the indicator shows what was stored.
    model = window.page.model
    _select_row(window, model.row_data(model.rowCount() - 1).name)
    assert box.expected_edit.text() == "" and box.combos[CHANCE].currentIndex() == 0, "another indicator, unanswered"
    row = _select_row(window, INDICATOR)
    assert model.row_data(row).fields["monitor_chance"] == "有可能"
    assert box.expected_edit.text() == "95"
    assert box.combos[CHANCE].currentData() == "有可能" and box.combos[CAUSE].currentData() == "硬件条件保障"
    assert not box.error_label.isVisible()
    assert window.undo_action.text().endswith("选择偏差原因类型")

    # Choosing the empty entry clears the answer.
    _press(qtbot, box.combos[CHANCE], Qt.Key.Key_Home)
    assert _stored(db_url)[1] is None
    assert _audited(db_url)[-1] == ("monitor_chance", "有可能", None)


def test_a_bad_expected_value_is_refused_with_the_reason(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    _show(window, db_url)
    box = _monitor(window)
    _type_expected(qtbot, box, "lots")
    assert box.error_label.isVisible()
    assert "不是有效的数值" in box.error_label.text() and INDICATOR in box.error_label.text()
    assert window.statusBar().currentMessage() == box.error_label.text()
    assert box.expected_edit.text() == "lots", "the refused text stays, to be corrected"
    _leave(qtbot, window)  # leaving after Enter sends nothing twice
    assert _stored(db_url) == (None, None, None, None) and _audited(db_url) == []

    # A number in a unit that is not the target's is refused too.
    _type_expected(qtbot, box, "95人")
    assert box.error_label.isVisible() and "95人" in box.error_label.text()
    assert _stored(db_url)[0] is None and _audited(db_url) == []
    assert not window.undo_action.isEnabled(), "a refusal is no undo step"

    _type_expected(qtbot, box, "0.95")
    assert not box.error_label.isVisible()
    assert _stored(db_url)[0] == Decimal("0.95")


def test_a_qualitative_indicator_has_no_expected_number(window: MainWindow, db_url: str) -> None:
    _show(window, db_url)
    box = _monitor(window, QUALITATIVE)
    assert not box.expected_edit.isEnabled()
    assert box.combos[CHANCE].isEnabled() and box.combos[CAUSE].isEnabled()
    assert not box.unit_label.isVisible()


def test_undo_restores_the_old_answers(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    _show(window, db_url)
    box = _monitor(window)
    _type_expected(qtbot, box, "95")
    _type_expected(qtbot, box, "90")
    _press(qtbot, box.combos[CAUSE], Qt.Key.Key_Down)  # 经费保障
    assert _stored(db_url)[:3] == (Decimal(90), None, "经费保障")

    window.undo_action.trigger()
    assert _stored(db_url)[2] is None and box.combos[CAUSE].currentIndex() == 0
    box.expected_edit.setFocus()
    qtbot.waitUntil(box.expected_edit.hasFocus)
    window.undo_action.trigger()
    assert _stored(db_url)[0] == Decimal(95)
    assert box.expected_edit.text() == "95", "the box shows the restored value even while it has the focus"
    window.undo_action.trigger()
    assert _stored(db_url)[0] is None and box.expected_edit.text() == ""
    window.redo_action.trigger()
    assert _stored(db_url)[0] == Decimal(95)
    # Undo and redo re-record through the store, so the audit trail shows them.
    assert [(old, new) for field, old, new in _audited(db_url) if field == "monitor_expected"] == [
        (None, "95"),
        ("95", "90"),
        ("90", "95"),
        ("95", None),
        (None, "95"),
    ]


def test_the_corrective_measure_is_shown_again_and_undone_to_the_previous_text(
    qtbot: QtBot, window: MainWindow, db_url: str
) -> None:
    _show(window, db_url)
    _monitor(window)
    edit = window.page.detail.text_edits["monitor_measure"]
    for text in ("加快采购", "加快采购并增派人员"):
        edit.setFocus()
        qtbot.waitUntil(edit.hasFocus)
        edit.selectAll()
        _type_chinese(edit, text)
        _leave(qtbot, window)
    assert _stored(db_url)[3] == "加快采购并增派人员"
    model = window.page.model
    _select_row(window, model.row_data(1).name)
    _select_row(window, INDICATOR)
    assert edit.toPlainText() == "加快采购并增派人员", "the pane shows the stored measure when the indicator comes back"
    window.undo_action.trigger()
    assert _stored(db_url)[3] == "加快采购", "undo goes back to the previous measure, not to nothing"
    assert edit.toPlainText() == "加快采购"


def test_the_box_speaks_english(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    _show(window, db_url)
    box = _monitor(window)
    try:
        window.set_language(language.ENGLISH)
        texts = [box.title(), box.expected_edit.toolTip()]
        texts += [w.text() for w in box.findChildren(QLabel) if w is not box.unit_label]
        texts += [w.placeholderText() for w in box.findChildren(QLineEdit)]
        texts += [c.itemText(i) for c in box.findChildren(QComboBox) for i in range(c.count())]
        assert len(texts) > 10 and [t for t in texts if _CJK.search(t)] == []
        assert box.title() == "Monitoring"
        chance = box.combos[CHANCE]
        assert [chance.itemText(i) for i in range(chance.count())] == ["", "Certain", "Possible", "Impossible"]
        # The stored word stays the form's Chinese, whatever the language on screen.
        _press(qtbot, chance, Qt.Key.Key_End)
        assert _stored(db_url)[1] == "完全不可能"
    finally:
        language.set_language(language.CHINESE, remember=False)
    assert box.title() == "运行监控" and chance.currentText() == "完全不可能"
