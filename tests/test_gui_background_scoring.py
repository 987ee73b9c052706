"""Projects whose scores are not kept are scored in the background, a few at a time, and kept.

The thresholds are lowered so the 13 seed projects stand for a city's thousands.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import delete, func, select

from perftrack.importers import read_declarations
from perftrack.paths import sample_files
from perftrack.store.database import open_database
from perftrack.store.schema import KeptSummary
from perftrack.store.summaries import score_summaries
from perftrack.store.upsert import import_declarations
from perftrack.ui import background_scoring
from perftrack.ui.long_work import LongWork
from perftrack.ui.main_window import MainWindow
from perftrack.ui.workspace import Workspace
from tests.support.window import open_window as _open

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

YEARS = range(2018, 2025)  # the seed's 13 forms filed seven years running: 91 projects


@pytest.fixture
def url(tmp_path: Path) -> str:
    """Seven years of the seed forms, imported by another program: nothing kept yet."""
    url = f"sqlite:///{(tmp_path / 'city.db').as_posix()}"
    forms = read_declarations(sample_files()).declarations
    with open_database(url) as db, db.session() as session:
        for year in YEARS:
            import_declarations(session, [replace(d, year=year) for d in forms], source_label=f"other {year}")
        session.execute(delete(KeptSummary))
    return url


@pytest.fixture
def small_steps(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """Background scoring worth doing from 5 projects on, 4 at a time; records each step's projects."""
    monkeypatch.setattr(background_scoring, "WORTH_IT", 5)
    monkeypatch.setattr(background_scoring, "STEP", 4)
    monkeypatch.setattr(background_scoring, "START_DELAY_MS", 10)
    monkeypatch.setattr(background_scoring, "GAP_MS", 1)
    steps: list[list[int]] = []
    summaries = Workspace.summaries

    def recording(self: Workspace, ids: object, **kwargs: object) -> object:
        ids = list(ids)  # type: ignore[call-overload]
        steps.append(ids)
        return summaries(self, ids, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Workspace, "summaries", recording)
    return steps


def _kept(url: str) -> int:
    with open_database(url) as db, db.session() as session:
        return session.scalar(select(func.count()).select_from(KeptSummary)) or 0


@pytest.fixture
def window(qtbot: QtBot, url: str) -> Iterator[MainWindow]:
    win = _open(qtbot, url)
    yield win
    win.close()


def test_unscored_projects_are_scored_in_small_steps_and_kept(
    qtbot: QtBot, url: str, small_steps: list[list[int]]
) -> None:
    window = _open(qtbot, url)
    assert window.workspace is not None
    with qtbot.waitSignal(window.background_scoring.finished, timeout=10_000):
        pass
    # The window scores the rows it shows (a window of up to 40 around them); the background
    # the rest, four at a time, each step between two user events.
    small = [step for step in small_steps if len(step) <= 4]
    assert len(small) >= (91 - 40) // 4, small_steps
    assert {pid for step in small_steps for pid in step} == set(window.navigator_model.all_project_ids())
    assert _kept(url) == 91
    with open_database(url) as db, db.session() as session:
        assert score_summaries(session) == score_summaries(session, keep=False)
    ids = window.navigator_model.all_project_ids()
    assert window.workspace.unscored(ids) == []
    window.close()


def test_a_small_database_is_left_to_score_when_asked(window: MainWindow, qtbot: QtBot, url: str) -> None:
    # 91 projects are below the real threshold: nothing runs in the background.
    assert len(window.navigator_model.all_project_ids()) < background_scoring.WORTH_IT
    with qtbot.waitSignal(window.background_scoring.finished, timeout=10_000):
        pass
    assert not window.background_scoring.running
    assert _kept(url) < 91  # only what the window showed was scored


def test_it_waits_while_a_progress_dialog_works(
    qtbot: QtBot, url: str, small_steps: list[list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog_open = [True]
    monkeypatch.setattr(LongWork, "busy", classmethod(lambda cls: dialog_open[0]))
    monkeypatch.setattr(background_scoring, "PAUSE_MS", 5)
    window = _open(qtbot, url)
    qtbot.wait(200)
    assert window.background_scoring.running and not [s for s in small_steps if len(s) <= 4]
    # Once the dialog is gone it takes up the work where it waited, and finishes it.
    dialog_open[0] = False
    with qtbot.waitSignal(window.background_scoring.finished, timeout=10_000):
        pass
    assert not window.background_scoring.running
    assert [s for s in small_steps if len(s) <= 4]
    assert window.workspace is not None and not window.workspace.unscored(window.workspace.workbook_order())
    window.close()


def test_opening_another_database_stops_it(
    qtbot: QtBot, url: str, tmp_path: Path, small_steps: list[list[int]]
) -> None:
    window = _open(qtbot, url)
    first = window.background_scoring
    window.open_url(f"sqlite:///{(tmp_path / 'empty.db').as_posix()}")
    assert not first.running
    with qtbot.waitSignal(window.background_scoring.finished, timeout=10_000):
        pass
    window.close()
