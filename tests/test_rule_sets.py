"""Scoring rules as data (domain/rules.py): a province whose rules differ is one RuleSet entry, and the
scorer, the summary kernel, the kept scores, the command line and the window all follow the set chosen."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import perftrack.cli as cli
from perftrack.domain.attainment import IndicatorInput, PeriodValue
from perftrack.domain.model import Kind, Target
from perftrack.domain.rules import NATIONAL, RULE_SETS, SHANGHAI, Grade
from perftrack.domain.scoring import BudgetInput, ProjectInput, score_project
from perftrack.store import summaries
from perftrack.store.database import open_database
from perftrack.store.summaries import score_summaries
from perftrack.ui.app import make_application
from perftrack.ui.main_window import MainWindow
from tests.support.rules import NO_BUDGET_LINE

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"


def _indicator(name: str, level1: str, level2: str, target: str, value: str) -> IndicatorInput:
    t = Target(target, ">=", Decimal(target.lstrip("≥")), kind=Kind.QUANTITATIVE)
    return IndicatorInput(name, level1, level2, t, None, None, actuals={"YEAR": PeriodValue(Decimal(value))})


PROJECT = ProjectInput(
    "项目",
    [
        _indicator("培训人次", "产出指标", "数量指标", "≥100", "140"),  # reached, 40 % beyond
        _indicator("带动就业", "效益指标", "社会效益指标", "≥10", "5"),  # half
        _indicator("满意度", "满意度指标", "服务对象满意度指标", "≥90", "90"),
    ],
    BudgetInput(annual_total=Decimal(1000), full_year_budget=None, executed=None),  # nothing spent recorded
)


def test_a_rule_set_decides_every_part_of_the_score() -> None:
    national = score_project(PROJECT, NATIONAL)
    # 10 budget points lost; 50 + 15 of 30 + 10 → 75.00, 中; 40 % beyond the target needs a word.
    assert (national.total, national.grade, national.grade_label) == (Decimal("75.00"), Grade.FAIR, "中")
    assert [s.points for s in national.indicators] == [Decimal(50), Decimal(30), Decimal(10)]
    assert national.indicators[0].over_achieved and "超额完成年度指标30%以上" in national.indicators[0].reasons[-1]
    assert score_project(PROJECT, "shanghai").grade_label == "合格"

    other = score_project(PROJECT, NO_BUDGET_LINE)
    # No budget line: 100 shared 60 : 25 : 15; 60 + 12.5 + 15 = 87.50, 优秀 from 85; +40 % is below +50 %.
    assert [s.points for s in other.indicators] == [Decimal(60), Decimal(25), Decimal(15)]
    assert other.budget.points == 0 and other.budget.score == 0
    assert (other.total, other.grade_label) == (Decimal("87.50"), "优秀")
    assert not other.indicators[0].over_achieved


def test_every_registered_set_is_listed_and_named_the_same_way() -> None:
    assert list(RULE_SETS) == ["national", "shanghai"]
    for key, rules in RULE_SETS.items():
        assert rules.key == key and rules.budget_points + rules.indicator_points == 100
        assert [g for g, _ in rules.grade_words] == list(Grade)
    assert SHANGHAI.words() == "优 / 良 / 合格 / 不合格"


def test_a_registered_province_is_chosen_scored_and_kept_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(RULE_SETS, NO_BUDGET_LINE.key, NO_BUDGET_LINE)  # what one more entry in RULE_SETS does
    db = str(tmp_path / "r.db")

    def run(*args: str) -> str:
        capsys.readouterr()
        assert cli.main(["--db", db, *args]) == 0
        return capsys.readouterr().out

    run("import", str(SEED))
    run("budget", "项目管理费", "1,298,000")  # half the year's money
    run("record", "项目管理费", "#1", "100%", "--period", "YEAR")
    listed = run("grades")
    assert listed.splitlines()[0].startswith("* national") and "  no_budget  " in listed
    national = json.loads(run("score", "项目管理费", "--json"))["projects"][0]
    summary = json.loads(run("score", "--summary", "--json"))  # kept in the database from here on
    assert run("grades", "no_budget").startswith("评分规则：no_budget")
    other = json.loads(run("score", "项目管理费", "--json"))["projects"][0]
    assert national["budget"]["score"] == "5.00" and other["budget"]["score"] == "0.00"
    assert Decimal(other["total"]) != Decimal(national["total"])
    assert other["grade"] in {"优秀", "良好", "合格", "不合格"}
    # The scores kept under the national rules are not taken for this set's.
    again = json.loads(run("score", "--summary", "--json"))
    mine = next(p for p in again["projects"] if p["name"] == "项目管理费")
    before = next(p for p in summary["projects"] if p["name"] == "项目管理费")
    assert mine["total"] == other["total"] != before["total"]
    with open_database(db) as database, database.reading() as session:
        assert {s.total for s in score_summaries(session)} >= {Decimal(other["total"])}
    assert summaries.rules_fingerprint("no_budget") != summaries.rules_fingerprint("national")
    # only the grade words differ: the kept figures serve both
    assert summaries.rules_fingerprint("shanghai") == summaries.rules_fingerprint("national")


def test_the_window_lists_the_sets_and_rescoring_follows_the_choice(qtbot: QtBot, tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    assert cli.main(["--db", db, "import", str(SEED)]) == 0
    assert cli.main(["--db", db, "record", "项目管理费", "#1", "10%", "--period", "YEAR"]) == 0
    make_application()
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    actions = window.commands.rules_actions
    assert list(actions) == list(RULE_SETS) and actions["national"].isChecked()
    assert actions["shanghai"].text() == SHANGHAI.title
    with open_database(db) as database, database.reading() as session:
        from sqlalchemy import select

        from perftrack.store.schema import Project

        pid = session.scalar(select(Project.id).where(Project.name == "项目管理费"))
    window.show_project(pid)
    assert window.page.view_data is not None and window.page.view_data.summary.grade == "差"
    actions["shanghai"].trigger()  # 设置 ▸ 评分规则 ▸ 上海
    assert actions["shanghai"].isChecked()
    assert window.page.view_data is not None and window.page.view_data.summary.grade == "不合格"
    assert window.statusBar().currentMessage().startswith("评分规则改为：上海")
    window.close()


def test_the_monitoring_band_is_the_sets_too() -> None:
    """80 of an expected 100 by mid-year: off track by the national 15 %, at risk by a 25 % band."""
    ind = IndicatorInput(
        "培训人次",
        "产出指标",
        "数量指标",
        Target("≥200", ">=", Decimal(200), kind=Kind.QUANTITATIVE),
        None,
        None,
        actuals={"Q1": PeriodValue(Decimal(40)), "Q2": PeriodValue(Decimal(40))},
    )
    from perftrack.domain.attainment import Status, attainment

    assert attainment(ind, "Q2", "quarterly", NATIONAL.at_risk_margin).status is Status.OFF_TRACK
    assert attainment(ind, "Q2", "quarterly", NO_BUDGET_LINE.at_risk_margin).status is Status.AT_RISK
    assert NATIONAL.scoring_signature() != NO_BUDGET_LINE.scoring_signature()
