"""Every item model of the GUI passes Qt's model tester, on a real database holding the sample."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from perftrack.domain.periods import MONTHS
from perftrack.paths import sample_files
from perftrack.store.database import open_database
from perftrack.store.schema import Indicator, Project
from perftrack.store.settings import set_reporting
from perftrack.ui.app import make_application
from perftrack.ui.budget_table import BudgetTableModel
from perftrack.ui.check_panel import ProblemModel
from perftrack.ui.formatting import score as score_text
from perftrack.ui.indicator_table import IndicatorTableModel
from perftrack.ui.navigator import COL_GRADE, COL_SCORE, COL_STATUS, NavigatorModel, ProjectIdRole
from perftrack.ui.snapshots import BUDGET_PREFIX, EditKey
from perftrack.ui.undo import Editor
from perftrack.ui.workspace import Workspace, split_tier_percent


@pytest.fixture
def workspace(qtbot: QtBot, tmp_path: Path) -> Workspace:
    make_application()  # the saved language (Chinese in a fresh data folder) and its locale
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
    # Nothing recorded yet: "not scored", not a misleading 0.00 / 差.
    assert index.data(Qt.ItemDataRole.DisplayRole) == "未评"
    assert index.siblingAtColumn(COL_GRADE).data() == ""
    assert index.siblingAtColumn(COL_STATUS).data() == "未填报"
    assert index.siblingAtColumn(0).data(ProjectIdRole) == pid
    model.sort(COL_SCORE, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    model.set_filter("满意度", no_actual=True)
    qtmodeltester.check(model)
    assert 0 < model.project_count() <= 13
    model.retranslate()  # the tester watches the layout signals it sends
    qtmodeltester.check(model)


def test_grade_appears_once_anything_is_recorded(qtmodeltester: ModelTester, workspace: Workspace) -> None:
    model = NavigatorModel(workspace)
    qtmodeltester.check(model)
    pid = model.first_project()
    assert pid is not None
    score = model.index_of_project(pid, COL_SCORE)
    assert score.data() == "未评"
    # A budget figure alone is enough: 2,950,000 of 5,900,000 executed → 5.00 of the 10 points.
    assert workspace.apply([(EditKey(pid, None, BUDGET_PREFIX + "YEAR"), "2950000")]) == [None]
    assert score.data() == "5.00"
    assert score.siblingAtColumn(COL_GRADE).data() == "差"
    summary = workspace.cached_summary(pid)
    assert summary is not None and summary.scored and summary.total == Decimal("5.00")
    # Clearing it returns to "not scored".
    assert workspace.apply([(EditKey(pid, None, BUDGET_PREFIX + "YEAR"), "")]) == [None]
    assert score.data() == "未评"


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
    table.retranslate()
    budget.retranslate()
    qtmodeltester.check(table)
    qtmodeltester.check(budget)


def test_models_follow_a_switch_to_monthly_reporting(qtmodeltester: ModelTester, workspace: Workspace) -> None:
    editor = Editor(workspace)
    table, budget = IndicatorTableModel(editor), BudgetTableModel(editor)
    pid = NavigatorModel(workspace).first_project()
    assert pid is not None
    table.set_project(workspace.view(pid))
    budget.set_project(workspace.view(pid))
    qtmodeltester.check(table)
    qtmodeltester.check(budget)
    workspace.run(pid, lambda s: set_reporting(s, s.get(Project, pid), "monthly"))
    headers = [table.headerData(c, Qt.Orientation.Horizontal) for c in range(table.columnCount())]
    assert [table.column_of(m) for m in MONTHS] == list(range(4, 16))
    assert headers[4:16] == [f"{n}月" for n in range(1, 13)]
    assert table.column_of("Q1") == -1
    budget_headers = [budget.headerData(c, Qt.Orientation.Horizontal) for c in range(budget.columnCount())]
    assert "5月执行" in budget_headers and "一季度执行" not in budget_headers
    qtmodeltester.check(table)
    qtmodeltester.check(budget)


def test_problem_model(qtmodeltester: ModelTester, tmp_path: Path) -> None:
    from perftrack.domain.checks import check_declarations
    from perftrack.importers import read_declarations

    problems = check_declarations(read_declarations(sample_files()))
    model = ProblemModel(problems)
    qtmodeltester.check(model)
    assert model.rowCount() == len(problems) > 0


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("部分达成 75%", ("部分达成", Decimal(75))),
        ("达成年度指标（90％）", ("达成年度指标", Decimal(90))),
        ("未达成年度指标且效果较差 12.5%", ("未达成年度指标且效果较差", Decimal("12.5"))),
        ("部分达成", ("部分达成", None)),
        ("75%", ("75%", None)),  # no tier before the number: left for the store to refuse
    ],
)
def test_split_tier_percent(typed: str, expected: tuple[str, Decimal | None]) -> None:
    assert split_tier_percent(typed) == expected


def _indicator_names(workspace: Workspace) -> dict[int, list[tuple[int, str, bool]]]:
    """Each project's indicators as (id, name, retired), read straight from the database."""
    rows = workspace.read(
        lambda s: list(s.execute(select(Indicator.project_id, Indicator.id, Indicator.name, Indicator.retired)))
    )
    names: dict[int, list[tuple[int, str, bool]]] = {}
    for pid, iid, name, retired in rows:
        names.setdefault(pid, []).append((iid, name, retired))
    return names


def test_filter_matches_names_held_in_memory(workspace: Workspace) -> None:
    projects = dict(workspace.read(lambda s: list(s.execute(select(Project.id, Project.name)))))
    names = _indicator_names(workspace)
    # What a LIKE over the active names finds, the in-memory match finds.
    for text in ("满意度", "完成率", "孵化", "后勤保障服务完成率"):
        expected = {
            pid
            for pid in projects
            if text in projects[pid] or any(text in name for _, name, retired in names.get(pid, []) if not retired)
        }
        assert expected and workspace.matching_projects(text) == expected
    assert workspace.matching_projects("没有这样的指标名称") == set()
    assert workspace.matching_projects("%") == set()  # a wildcard for LIKE, a plain character here


def test_filter_ignores_case_and_follows_changes(workspace: Workspace) -> None:
    pid, (iid, _name, _retired) = next((p, rows[0]) for p, rows in _indicator_names(workspace).items())
    assert workspace.matching_projects("Quality Index") == set()

    def rename(session: Session) -> None:
        indicator = session.get(Indicator, iid)
        assert indicator is not None
        indicator.name = "Quality Index of 后勤"

    workspace.run(pid, rename)  # a user action on the project: its names are read again
    assert workspace.matching_projects("quality INDEX") == {pid}

    def retire(session: Session) -> None:
        indicator = session.get(Indicator, iid)
        assert indicator is not None
        indicator.retired = True

    workspace.run(pid, retire)
    assert workspace.matching_projects("quality index") == set()  # retired indicators are not searched
    project_name = workspace.read(lambda s: s.scalar(select(Project.name).where(Project.id == pid)))
    assert pid in workspace.matching_projects(project_name.upper())


def test_filter_sees_imported_projects(workspace: Workspace, tmp_path: Path) -> None:
    assert workspace.matching_projects("新增的测试项目") == set()
    text = sample_files()[0].read_text(encoding="utf-8")
    assert "项目名称\t项目管理费\t" in text
    changed = tmp_path / "renamed.txt"
    changed.write_text(text.replace("项目名称\t项目管理费\t", "项目名称\t新增的测试项目\t"), encoding="utf-8")
    result, summary = workspace.import_files([changed])
    assert not result.errors and summary is not None and summary.created
    found = workspace.matching_projects("新增的测试项目")
    assert len(found) == 1
    assert workspace.view(found.pop()).name == "新增的测试项目"  # type: ignore[union-attr]


def test_navigator_scores_only_what_its_view_shows(workspace: Workspace) -> None:
    model = NavigatorModel(workspace)
    ids = model.all_project_ids()
    shown = ids[3:6]
    model.set_visible_source(lambda: list(shown))
    asked = model.index_of_project(shown[1], COL_SCORE)
    assert asked.data() == "未评"
    assert workspace.unscored(ids) == [i for i in ids if i not in shown]
    # A row outside what the view reports (a tooltip, a test) is still answered.
    outside = model.index_of_project(ids[-1], COL_STATUS)
    assert outside.data() == "未填报"
    assert ids[-1] not in workspace.unscored(ids)


def test_navigator_row_is_fresh_after_an_edit(workspace: Workspace) -> None:
    model = NavigatorModel(workspace)
    ids = model.all_project_ids()
    model.set_visible_source(lambda: ids[:2])
    pid = ids[0]
    score = model.index_of_project(pid, COL_SCORE)
    assert score.data() == "未评"
    changed: list[int] = []
    model.dataChanged.connect(lambda top, _bottom, _roles: changed.append(top.data(ProjectIdRole)))
    assert workspace.apply([(EditKey(pid, None, BUDGET_PREFIX + "YEAR"), "1")]) == [None]
    assert changed == [pid]
    summary = workspace.cached_summary(pid)
    assert summary is not None and summary.scored
    assert score.data() == score_text(summary.total) != "未评"
