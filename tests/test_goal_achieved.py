"""The unit's own 实际完成情况 of the annual goal: set from the command line and the window, printed
in the workbook and the PDF in place of the generated sentence, kept by a re-import, audited."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from perftrack import cli
from perftrack.domain import figures
from perftrack.importers import read_declarations
from perftrack.store.database import open_database
from perftrack.store.evaluation import evaluate_project
from perftrack.store.schema import Audit, Project
from perftrack.store.settings import GOAL_ACHIEVED_MAX
from perftrack.store.upsert import import_declarations
from perftrack.ui.main_window import MainWindow
from tests import test_gui_window as gui
from tests.support.reports import FINANCE, SEED, pdf_text, seeded, squeeze
from tests.support.window import PROJECT
from tests.support.window import project_id as _project_id

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")
db_url, window = gui.db_url, gui.window

OWN = "全年发放科技金融产品贷款44亿元，服务科技型中小企业逾千家；\n因合作银行放款节奏放缓，贷款额略低于目标。"


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    db_file = tmp_path / "goal.db"
    seeded(db_file).close()

    def run(*args: object) -> tuple[int, str, str]:
        code = cli.main([str(a) for a in (*args, "--db", db_file)])
        out, err = capsys.readouterr()
        return code, out, err

    run.db_file = db_file  # type: ignore[attr-defined]
    return run


def _stored(db_file: Path) -> str | None:
    with open_database(f"sqlite:///{db_file}") as db, db.reading() as s:
        return s.scalar(select(Project.goal_achieved).where(Project.name == FINANCE))


def _generated(db_file: Path) -> str:
    with open_database(f"sqlite:///{db_file}") as db, db.reading() as s:
        project = s.scalars(select(Project).where(Project.name == FINANCE)).one()
        return figures.outcome_text(evaluate_project(project, as_of="YEAR"))


def _sheet_cell(run, tmp_path: Path, name: str) -> str:
    out = tmp_path / f"{name}.xlsx"
    code, _, err = run("export", "-o", out, FINANCE, "--as-of", "YEAR")
    assert code == 0, err
    ws = openpyxl.load_workbook(out)[f"{FINANCE}-自评"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "年度总体目标")
    assert ws.cell(row, 6).value == "实际完成情况"
    return ws.cell(row + 1, 6).value


def _pdf(run, tmp_path: Path, name: str) -> str:
    out = tmp_path / f"{name}.pdf"
    code, _, err = run("report", "-o", out, FINANCE, "--as-of", "YEAR")
    assert code == 0, err
    return squeeze(pdf_text(out))


def test_set_from_the_cli_printed_everywhere_then_cleared(run, tmp_path: Path) -> None:
    generated = _generated(run.db_file)
    assert _sheet_cell(run, tmp_path, "before") == generated, "without the unit's text: the generated sentence"

    code, out, err = run("goal", FINANCE, "--achieved", OWN)
    assert code == 0, err
    assert "已填写" in out and "单位填写" in out
    assert _stored(run.db_file) == OWN

    assert _sheet_cell(run, tmp_path, "own") == OWN
    text = _pdf(run, tmp_path, "own")
    assert squeeze(OWN) in text
    assert squeeze(generated) not in text

    code, out, _ = run("show", FINANCE, "--json")
    assert code == 0 and json.loads(out)["goal_achieved"] == OWN
    code, out, _ = run("goal", FINANCE, "--json")
    shown = json.loads(out)
    assert (shown["goal_achieved"], shown["shown"], shown["generated"]) == (OWN, OWN, generated)

    code, out, err = run("history", FINANCE)
    assert code == 0, err
    assert "年度总体目标实际完成情况：（空） → 全年发放科技金融产品贷款44亿元" in out

    code, out, err = run("goal", FINANCE, "--achieved", "")
    assert code == 0, err
    assert "已清除" in out and _stored(run.db_file) is None
    assert _sheet_cell(run, tmp_path, "cleared") == generated
    assert squeeze(generated) in _pdf(run, tmp_path, "cleared")
    code, out, _ = run("show", FINANCE, "--json")
    assert json.loads(out)["goal_achieved"] is None


def test_too_long_a_text_is_refused_and_nothing_is_written(run) -> None:
    code, _, err = run("goal", FINANCE, "--achieved", "字" * (GOAL_ACHIEVED_MAX + 1))
    assert code == 2
    assert f"最多 {GOAL_ACHIEVED_MAX} 字，填写的有 {GOAL_ACHIEVED_MAX + 1} 字" in err
    assert _stored(run.db_file) is None
    code, _, err = run("goal", FINANCE, "--achieved", "字" * GOAL_ACHIEVED_MAX)
    assert code == 0, err


def test_a_reimport_of_the_same_form_keeps_it(run) -> None:
    assert run("goal", FINANCE, "--achieved", OWN)[0] == 0
    code, _, err = run("import", SEED)
    assert code == 0, err
    with open_database(f"sqlite:///{run.db_file}") as db, db.session() as session:
        import_declarations(session, read_declarations([SEED]).declarations, source_label="again")
    assert _stored(run.db_file) == OWN


def test_the_window_edits_it_through_the_dialog(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    project_id = _project_id(db_url, PROJECT)
    window.show_project(project_id)
    page = window.page
    button = page.achieved_button
    assert button.isVisible() and button.text() == "实际完成情况…"
    assert page.view_data is not None and page.view_data.outcome in button.toolTip()
    seen: dict[str, str] = {}

    def fill() -> None:
        dialog = page.goal_dialog
        assert dialog is not None
        seen["placeholder"] = dialog.edit.placeholderText()
        dialog.edit.setPlainText("  基地全年运营平稳，孵化服务按计划完成。  ")
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()

    QTimer.singleShot(0, fill)
    button.click()
    assert seen["placeholder"] == page.view_data.outcome
    with open_database(db_url) as db, db.reading() as s:
        assert s.get(Project, project_id).goal_achieved == "基地全年运营平稳，孵化服务按计划完成。"
        audit = s.scalars(select(Audit).where(Audit.project_id == project_id, Audit.field == "goal_achieved")).all()
    assert [a.new for a in audit] == ["基地全年运营平稳，孵化服务按计划完成。"]
    assert window.statusBar().currentMessage() == "已保存实际完成情况"
    assert button.text() == "实际完成情况 ✓…"
    assert page.view_data.goal_achieved == "基地全年运营平稳，孵化服务按计划完成。"


def test_the_window_keeps_a_colleagues_text_unless_saved_again(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    project_id = _project_id(db_url, PROJECT)
    window.show_project(project_id)
    page = window.page
    steps: list[str] = []

    def fill() -> None:
        dialog = page.goal_dialog
        assert dialog is not None
        with open_database(db_url) as db, db.session() as s:  # a colleague writes meanwhile
            s.get(Project, project_id).goal_achieved = "同事写的"
        dialog.edit.setPlainText("我写的")
        save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
        save.click()
        steps.append(dialog.error.text() if dialog.isVisible() else "closed")
        save.click()
        steps.append("closed" if not dialog.isVisible() else dialog.error.text())

    QTimer.singleShot(0, fill)
    page.achieved_button.click()
    assert "他人已将实际完成情况改为：同事写的" in steps[0]
    assert steps[1] == "closed"
    with open_database(db_url) as db, db.reading() as s:
        assert s.get(Project, project_id).goal_achieved == "我写的"


def test_the_dialog_refuses_more_than_the_limit(qtbot: QtBot, window: MainWindow, db_url: str) -> None:
    window.show_project(_project_id(db_url, PROJECT))
    page = window.page
    states: list[bool] = []

    def fill() -> None:
        dialog = page.goal_dialog
        assert dialog is not None
        dialog.edit.setPlainText("字" * (GOAL_ACHIEVED_MAX + 1))
        states.append(dialog.save_button.isEnabled())
        dialog.edit.setPlainText("字" * GOAL_ACHIEVED_MAX)
        states.append(dialog.save_button.isEnabled())
        dialog.reject()

    QTimer.singleShot(0, fill)
    page.achieved_button.click()
    assert states == [False, True]


def test_score_json_carries_the_units_text_and_what_the_sheets_print(capsys, tmp_path) -> None:
    from perftrack.cli import main
    from perftrack.paths import sample_files

    db = str(tmp_path / "g.db")
    assert main(["import", *map(str, sample_files()), "--db", db]) == 0
    capsys.readouterr()
    assert main(["score", "项目管理费", "--json", "--db", db]) == 0
    before = json.loads(capsys.readouterr().out)
    project = before["projects"][0] if "projects" in before else before
    assert project["goal_achieved"] is None and project["outcome"]  # the generated sentence
    assert main(["goal", "项目管理费", "--achieved", "全年完成管理任务", "--db", db]) == 0
    capsys.readouterr()
    assert main(["score", "项目管理费", "--json", "--db", db]) == 0
    after = json.loads(capsys.readouterr().out)
    project = after["projects"][0] if "projects" in after else after
    assert project["goal_achieved"] == "全年完成管理任务" == project["outcome"]
