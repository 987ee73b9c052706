"""Every item model of the GUI passes Qt's model tester, on a real database holding the sample."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from perftrack.paths import sample_files
from perftrack.store.database import open_database
from perftrack.ui.budget_table import BudgetTableModel
from perftrack.ui.indicator_table import IndicatorTableModel
from perftrack.ui.navigator import COL_SCORE, NavigatorModel, ProjectIdRole
from perftrack.ui.undo import Editor
from perftrack.ui.workspace import Workspace


@pytest.fixture
def workspace(qtbot: QtBot, tmp_path: Path) -> Workspace:
    ws = Workspace(open_database(f"sqlite:///{(tmp_path / 'm.db').as_posix()}"))
    _, summary = ws.import_files(sample_files())
    assert summary is not None and len(summary.created) == 13
    return ws


def test_navigator_model(qtmodeltester: ModelTester, workspace: Workspace) -> None:
    model = NavigatorModel(workspace)
    qtmodeltester.check(model)
    year = model.index(0, 0)
    assert model.data(year) == "2024年"
    pid = model.first_project()
    assert pid is not None
    index = model.index_of_project(pid, COL_SCORE)
    assert index.data(Qt.ItemDataRole.DisplayRole) == "0.00"  # nothing recorded yet
    assert index.siblingAtColumn(0).data(ProjectIdRole) == pid
    model.sort(COL_SCORE, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    model.set_filter("满意度", no_actual=True)
    qtmodeltester.check(model)
    assert 0 < model.project_count() <= 13


def test_indicator_and_budget_models(qtmodeltester: ModelTester, workspace: Workspace) -> None:
    editor = Editor(workspace)
    table, budget = IndicatorTableModel(editor), BudgetTableModel(editor)
    pid = NavigatorModel(workspace).first_project()
    assert pid is not None
    view = workspace.view(pid)
    table.set_project(view)
    budget.set_project(view)
    qtmodeltester.check(table)
    qtmodeltester.check(budget)
    # An edit through the model goes to the store and comes back re-evaluated.
    index = table.index(0, table.column_of("Q1"))
    assert table.setData(index, "1")
    assert index.data() == "1"
    assert not table.setData(index, "x1")
    assert table.error_at(index)
    qtmodeltester.check(table)
    table.sort(table.column_of("status"), Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(table)
    assert table.row_data(0).name == view.rows[0].name  # the only row with a status worse than none
