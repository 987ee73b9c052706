"""The detail pane driven as a person would: notes, evidence files, qualitative tiers, deviation texts, history."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from perftrack.domain.attainment import Tier
from perftrack.store.database import open_database
from perftrack.store.schema import Actual, Evidence, Indicator
from perftrack.ui.history_list import ChangeRole
from perftrack.ui.main_window import MainWindow
from tests import test_gui_window as gui
from tests.support.detail import QUALITATIVE, _leave, _select_row, _type_chinese
from tests.support.window import INDICATOR, PROJECT
from tests.support.window import show_sample as _show
from tests.support.window import type_into as _type_into

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
# The window fixtures of test_gui_window, shared: a real window over a real SQLite file with the sample.
db_url, window = gui.db_url, gui.window


def _actual(url: str, indicator: str, period: str) -> Actual | None:
    with open_database(url) as db, db.session() as s:
        return s.scalar(select(Actual).join(Indicator).where(Indicator.name == indicator, Actual.period == period))


def test_note_is_saved_on_leaving_the_box(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    _show(window, db_url)
    _type_into(qtbot, window, 0, "Q1", "96")
    _select_row(window, INDICATOR)
    detail = window.page.detail
    detail.period_box.setCurrentIndex(detail.period_box.findData("Q1"))
    detail.note_edit.setFocus()
    qtbot.waitUntil(detail.note_edit.hasFocus)
    _type_chinese(detail.note_edit, "季度巡检完成")
    assert _actual(db_url, INDICATOR, "Q1").note is None, "nothing is saved while typing"
    _leave(qtbot, window)
    actual = _actual(db_url, INDICATOR, "Q1")
    assert actual is not None and actual.note == "季度巡检完成"
    assert actual.value_text == "96", "saving the note leaves the value as recorded"
    assert window.statusBar().currentMessage() == "已保存说明"


def test_evidence_file_is_added_and_removed(
    qtbot: QtBot, window: MainWindow, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _show(window, db_url)
    detail = window.page.detail
    _select_row(window, INDICATOR)
    detail.period_box.setCurrentIndex(detail.period_box.findData("Q2"))
    assert not detail.add_button.isEnabled(), "no value for Q2 yet: nothing to attach evidence to"
    _type_into(qtbot, window, 0, "Q2", "100")
    _select_row(window, INDICATOR)
    detail.period_box.setCurrentIndex(detail.period_box.findData("Q2"))
    assert detail.add_button.isEnabled()

    scan = tmp_path / "巡检记录.pdf"
    scan.write_bytes(b"%PDF-1.4 inspection log\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *args, **kwargs: ([str(scan)], ""))
    qtbot.mouseClick(detail.add_button, Qt.MouseButton.LeftButton)
    assert [detail.evidence_list.item(i).text() for i in range(detail.evidence_list.count())] == ["巡检记录.pdf"]
    stored = Path(detail.evidence_list.item(0).toolTip())
    assert stored.read_bytes() == scan.read_bytes() and stored != scan
    with open_database(db_url) as db, db.session() as s:
        assert s.scalars(select(Evidence.original_name)).all() == ["巡检记录.pdf"]

    detail.evidence_list.setCurrentRow(0)
    qtbot.mouseClick(detail.remove_button, Qt.MouseButton.LeftButton)
    assert detail.evidence_list.count() == 0
    with open_database(db_url) as db, db.session() as s:
        assert s.scalars(select(Evidence)).all() == []
        evidence_dir = db.evidence_dir
    assert not stored.exists()
    assert [p.name for p in (evidence_dir / ".removed").rglob("*") if p.is_file()] == [stored.name]
    assert scan.exists(), "the user's own file is never touched"


def test_qualitative_tier_with_a_percent(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    _show(window, db_url)
    row = _select_row(window, QUALITATIVE)
    detail = window.page.detail
    assert detail.tier_box.isEnabled()
    detail.period_box.setCurrentIndex(detail.period_box.findData("YEAR"))
    detail.tier_box.setCurrentIndex(detail.tier_box.findData(Tier.PARTLY.value))
    assert (detail.tier_percent.minimum(), detail.tier_percent.maximum()) == (60, 80)
    assert detail.tier_percent.value() == 70
    detail.tier_percent.setValue(75)
    qtbot.mouseClick(detail.tier_apply, Qt.MouseButton.LeftButton)

    actual = _actual(db_url, QUALITATIVE, "YEAR")
    assert actual is not None and (actual.tier, actual.tier_percent) == ("partly", Decimal(75))
    model = window.page.model
    shown = model.row_data(row)
    assert model.index(row, model.column_of("YEAR")).data() == "部分达成年度指标并具有一定效果 75%"
    assert shown.score == (shown.points * Decimal("0.75")).quantize(Decimal("0.01"))
    # Coming back to the indicator shows the tier and share that were recorded.
    window.page.table.setCurrentIndex(model.index(0, model.column_of("Q1")))
    _select_row(window, QUALITATIVE)
    detail.period_box.setCurrentIndex(detail.period_box.findData("YEAR"))
    assert detail.current_tier() is Tier.PARTLY
    assert detail.tier_percent.value() == 75
    # Undo goes back through the same path, percent and all.
    window.undo_action.trigger()
    assert _actual(db_url, QUALITATIVE, "YEAR") is None
    window.redo_action.trigger()
    assert _actual(db_url, QUALITATIVE, "YEAR").tier_percent == Decimal(75)


def test_quantitative_indicator_has_no_tier(window: MainWindow, db_url: str) -> None:
    _show(window, db_url)
    _select_row(window, INDICATOR)
    assert not window.page.detail.tier_box.isEnabled()
    assert not window.page.detail.tier_apply.isEnabled()


def test_deviation_analysis_is_saved(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    _show(window, db_url)
    _type_into(qtbot, window, 0, "YEAR", "80")  # below =100 %: points lost, an analysis is due
    row = _select_row(window, INDICATOR)
    assert window.page.model.row_data(row).needs_note
    detail = window.page.detail
    detail.setCurrentIndex(1)
    assert detail.reasons.text() not in ("", "该指标得满分，无需偏差说明。")
    edit = detail.text_edits["deviation_reason"]
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    _type_chinese(edit, "设备老化，部分服务中断")
    _leave(qtbot, window)
    with open_database(db_url) as db, db.session() as s:
        stored = s.scalar(select(Indicator.deviation_reason).where(Indicator.name == INDICATOR))
    assert stored == "设备老化，部分服务中断"
    model = window.page.model
    assert model.index(row, model.column_of("deviation_reason")).data() == "设备老化，部分服务中断"
    assert not model.row_data(row).needs_note


def test_history_lists_the_changes_newest_first(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    _show(window, db_url)
    _type_into(qtbot, window, 0, "Q1", "50")
    _type_into(qtbot, window, 0, "Q1", "70")
    _type_into(qtbot, window, 0, "Q3", "90")
    _select_row(window, INDICATOR)
    history = window.page.detail.history_view
    texts = [history.item(i).data(ChangeRole) for i in range(history.count())]
    assert len(texts) == 3
    assert "90" in texts[0] and "第三季度" in texts[0]
    assert "50 → 70" in texts[1]
    assert "→ 50" in texts[2]
    assert not any(PROJECT in t for t in texts), "every entry is about this project: its name is left out"
    assert all(" · " in history.item(i).text().splitlines()[0] for i in range(3)), "every change says when and who"
