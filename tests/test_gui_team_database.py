"""The window on the test's own database: on PostgreSQL (``--backend postgresql``), a team's database.

A smoke test of the whole program over the backend: the sample imported, the navigator's scores
(kept in the database), a value typed and stored, the filter's names, an evidence file attached
and opened (from a server database: through a copy on this PC).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from perftrack.paths import sample_files
from perftrack.store.schema import KeptSummary
from tests.support.databases import kept_evidence
from tests.support.detail import _select_row
from tests.support.window import INDICATOR
from tests.support.window import open_window as _open
from tests.support.window import show_sample as _show
from tests.support.window import stored as _stored
from tests.support.window import type_into as _type_into

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_the_window_on_the_database_edits_scores_and_opens_evidence(
    qtbot: QtBot, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _open(qtbot, db_url)
    try:
        assert window.import_files(sample_files())
        window.activateWindow()
        qtbot.waitActive(window)
        assert window.navigator_model.project_count() == 13
        with window.workspace.database.reading() as session:  # the listing's scores were kept
            assert len(session.scalars(select(KeptSummary.project_id)).all()) == 13

        _show(window, db_url)
        _type_into(qtbot, window, 0, "Q1", "98")
        assert _stored(db_url, INDICATOR, "Q1") == "98"
        assert window.page.model.row_data(0).texts["Q1"] == "98"

        window.filter_box.setText(INDICATOR)  # an indicator's name: joined by the database (aggregate_strings)
        window.apply_filter()
        assert 0 < window.navigator_model.project_count() < 13
        window.filter_box.clear()
        window.apply_filter()

        scan = tmp_path / "巡检记录.pdf"
        scan.write_bytes(b"%PDF-1.4 inspection log\n")
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *args, **kwargs: ([str(scan)], ""))
        opened: list[str] = []
        monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
        _show(window, db_url)
        _select_row(window, INDICATOR)
        detail = window.page.detail
        detail.period_box.setCurrentIndex(detail.period_box.findData("Q1"))
        qtbot.mouseClick(detail.add_button, Qt.MouseButton.LeftButton)
        assert detail.evidence_list.count() == 1
        (stored,) = kept_evidence(db_url, window.workspace.database.evidence_dir)
        assert stored.endswith("/Q1/巡检记录.pdf") and stored in detail.evidence_list.item(0).toolTip()
        detail.evidence_list.setCurrentRow(0)
        detail.evidence_list.itemDoubleClicked.emit(detail.evidence_list.item(0))
        assert len(opened) == 1 and Path(opened[0]).read_bytes() == scan.read_bytes()
        assert Path(opened[0]) != scan
    finally:
        window.close()
