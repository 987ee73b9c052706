"""Importing in the window as a person does: a PDF dropped on it, a self-evaluation, a damaged file."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from perftrack.store.database import open_database
from perftrack.store.schema import Actual, Indicator, Project
from perftrack.ui.main_window import MainWindow
from tests.support.window import open_window as _open

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

DATA = Path(__file__).parent / "data"
FORMS_PDF = DATA / "pdf" / "two_seed_forms.pdf"
SELF_EVALUATION = DATA / "real_forms" / "b09_hebei_langfang_2019_selfeval_cells.txt"


@pytest.fixture
def empty_window(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[MainWindow, str]]:
    url = f"sqlite:///{(tmp_path / 'gui.db').as_posix()}"
    win = _open(qtbot, url)
    yield win, url
    win.close()


def _drop(window: MainWindow, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.dropEvent(event)


def _boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def test_a_pdf_dropped_on_the_window_is_imported(empty_window, tmp_path: Path) -> None:
    window, url = empty_window
    pdf = tmp_path / "申报表.pdf"
    shutil.copy(FORMS_PDF, pdf)
    _drop(window, [pdf])
    assert window.navigator_model.project_count() == 2
    with open_database(url) as db, db.session() as s:
        names = set(s.scalars(select(Project.name)))
    assert names == {"孵化基地运营及创业孵化服务支出", "“创·在上海”国际创新创业大赛"}
    assert "*.pdf" in window._declaration_filter()


def test_a_self_evaluation_says_what_it_was_and_records_its_actuals(empty_window, tmp_path: Path) -> None:
    window, url = empty_window
    text = SELF_EVALUATION.read_text(encoding="utf-8").split("-----\n", 1)[1]
    path = tmp_path / "自评表.txt"
    path.write_text(text, encoding="utf-8")
    assert window.import_files([path])
    notes = window.import_notes
    assert notes.isVisible() and "自评表" in notes.first and notes.note.toolTip() == notes.first
    box = notes.show_details()
    assert str(path) in box.detailedText() and "全年实际值" in box.detailedText()
    box.close()
    with open_database(url) as db, db.session() as s:
        recorded = s.scalar(
            select(Actual.value_text).join(Indicator).where(Indicator.name == "工程资金金额", Actual.period == "YEAR")
        )
    assert recorded == "37.24"


def test_a_damaged_pdf_is_refused_in_a_dialog_and_nothing_is_written(empty_window, tmp_path: Path) -> None:
    window, _ = empty_window
    bad = tmp_path / "坏的.pdf"
    bad.write_bytes(FORMS_PDF.read_bytes()[:2000])
    assert not window.import_files([bad])
    (box,) = _boxes()
    assert "未写入任何内容" in box.text() and str(bad) in box.text()
    assert window.navigator_model.project_count() == 0
    assert not window.import_notes.isVisible()
    box.close()
