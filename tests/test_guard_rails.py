"""Guard-rails where a manager types: the period a value is for, negative figures, slips of the hand.

One set of rules (perftrack.domain.plausible), said the same way by the command line and beside
the cell in the window; the command line's own errors are in the interface's language.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from perftrack.cli import main
from perftrack.domain.periods import entry_period
from perftrack.domain.plausible import amount_warning, value_warning
from perftrack.paths import sample_files
from perftrack.store.database import open_database
from perftrack.store.schema import Actual, BudgetExecution, Indicator, Project
from perftrack.ui.app import make_application
from perftrack.ui.formatting import WARNING_TINT
from perftrack.ui.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

D = Decimal
PROJECT = "信息化建设项目"
COUNT = "数据处理功能和业务应用功能"  # ≥30.00(个)
SATISFACTION = "用户满意度"  # ≥90.00(%)


@pytest.mark.parametrize(
    ("name", "value", "unit", "target", "expected"),
    [
        (COUNT, D(-3), "个", D(30), "小于零"),
        (SATISFACTION, D(-5), "%", D(90), "小于零"),
        (SATISFACTION, D(150), "%", D(90), "超过 100%"),
        (SATISFACTION, D("0.95"), "%", D(90), "是否应为 95%"),
        (SATISFACTION, D(95), "%", D(90), None),
        (SATISFACTION, D(100), "%", D(90), None),
        ("营业收入增长率", D(150), "%", D(20), None),  # growth may pass 100 %
        ("费用节约率", D("0.5"), "%", D("0.8"), None),  # a target under 1 % takes values under 1 %
        (COUNT, D(0), "个", D(30), None),
        (COUNT, None, "个", D(30), None),
    ],
)
def test_one_set_of_rules_for_values_that_look_like_a_slip(name, value, unit, target, expected) -> None:
    warning = value_warning(name, value, unit, target)
    assert (warning is None) if expected is None else (expected in warning)


def test_a_negative_amount_is_stored_with_a_warning_and_never_scores_below_zero() -> None:
    assert "小于零" in amount_warning(D(-1000))
    assert amount_warning(D(0)) is None and amount_warning(None) is None


@pytest.mark.parametrize(
    ("today", "reporting", "expected"),
    [
        (dt.date(2024, 5, 20), "quarterly", "Q2"),
        (dt.date(2024, 5, 20), "monthly", "M05"),
        (dt.date(2026, 1, 3), "quarterly", "Q4"),  # after the budget year: its last period
        (dt.date(2026, 1, 3), "monthly", "M12"),
        (dt.date(2023, 11, 1), "quarterly", "Q1"),  # before it begins: its first
    ],
)
def test_the_period_of_a_value_typed_without_one(today, reporting, expected) -> None:
    assert entry_period(2024, reporting, today) == expected


# -- the command line -----------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "guard.db")
    assert main(["import", *map(str, sample_files()), "--db", path]) == 0
    return path


def _actuals(db: str, name: str) -> dict[str, str]:
    with open_database(db) as database, database.reading() as s:
        rows = s.execute(
            select(Actual.period, Actual.value_text)
            .join(Indicator)
            .join(Project)
            .where(Project.name == PROJECT, Indicator.name == name)
        )
        return dict(rows.all())


def test_record_without_a_period_goes_to_the_current_period_and_says_which(capsys, db: str) -> None:
    assert main(["record", PROJECT, COUNT, "12", "--db", db]) == 0
    out = capsys.readouterr().out
    expected = entry_period(2024, "quarterly", dt.date.today())  # the sample's year is over: Q4
    assert _actuals(db, COUNT) == {expected: "12"}
    assert f"（{expected}）" in out and "未指定 --period" in out


def test_a_year_value_over_quarterly_values_needs_full_year(capsys, db: str) -> None:
    for period, value in (("Q1", "8"), ("Q2", "10")):
        assert main(["record", PROJECT, COUNT, value, "--period", period, "--db", db]) == 0
    capsys.readouterr()

    assert main(["record", PROJECT, COUNT, "10", "--period", "YEAR", "--db", db]) == 2
    err = capsys.readouterr().err
    assert "第一季度（Q1） 8" in err and "第二季度（Q2） 10" in err and "--full-year" in err
    assert _actuals(db, COUNT) == {"Q1": "8", "Q2": "10"}

    assert main(["record", PROJECT, COUNT, "30", "--period", "YEAR", "--full-year", "--db", db]) == 0
    assert _actuals(db, COUNT) == {"Q1": "8", "Q2": "10", "YEAR": "30"}


def test_negative_values_are_values_and_are_warned_about(capsys, db: str) -> None:
    assert main(["record", PROJECT, SATISFACTION, "-5%", "--period", "Q2", "--db", db]) == 0
    out, err = capsys.readouterr()
    assert "已记录" in out and "注意：" in err and "小于零" in err
    assert _actuals(db, SATISFACTION) == {"Q2": "-5%"}

    assert main(["record", PROJECT, SATISFACTION, "0.95", "--period", "Q3", "--db", db]) == 0
    assert "是否应为 95%" in capsys.readouterr().err

    assert main(["budget", PROJECT, "-1000", "--period", "Q1", "--db", db]) == 0
    out, err = capsys.readouterr()
    assert "得分 0.00/10" in out and "小于零" in err
    assert main(["budget", PROJECT, "--period", "Q2", "--db", db, "--", "-2000"]) == 0  # the classic way too
    with open_database(db) as database, database.reading() as s:
        spent = s.execute(select(BudgetExecution.period, BudgetExecution.amount)).all()
        assert sorted(spent) == [("Q1", D(-1000)), ("Q2", D(-2000))]


def test_command_line_errors_are_in_the_interfaces_language(capsys, db: str) -> None:
    for args, words in (
        (["record", PROJECT], "缺少参数：INDICATOR, VALUE"),
        (["recrod"], "没有 'recrod' 这一项"),
        (["projects", "--year", "x"], "不是有效的值（需要整数）"),
        (["record", PROJECT, COUNT, "1", "--bogus"], "无法识别的参数：--bogus"),
    ):
        with pytest.raises(SystemExit) as stopped:
            main([*args, "--db", db])
        err = capsys.readouterr().err
        assert stopped.value.code == 2 and words in err, err
        assert "usage:" not in err and "error:" not in err and "用法：" in err


# -- the window -----------------------------------------------------------------------------


def test_the_window_stores_a_slip_and_says_so_beside_the_cell(qtbot: QtBot, db: str) -> None:
    make_application()
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    with open_database(db) as database, database.reading() as s:
        pid = s.scalar(select(Project.id).where(Project.name == PROJECT))
    window.show_project(pid)
    model = window.page.model
    row = next(r for r in range(model.rowCount()) if model.row_data(r).name == COUNT)
    index = model.index(row, model.column_of("Q2"))

    assert model.setData(index, "-3")

    assert _actuals(db, COUNT) == {"Q2": "-3"}
    index = model.index(row, model.column_of("Q2"))
    assert "小于零" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert index.data(Qt.ItemDataRole.BackgroundRole).color().name() == WARNING_TINT
    assert window.page.inline.isVisible() and "⚠" in window.page.inline.text()
    window.close()


def test_the_history_shows_money_as_amounts(capsys, db: str) -> None:
    assert main(["budget", PROJECT, "2500000", "--period", "Q1", "--db", db]) == 0
    assert main(["budget", PROJECT, "--full-year-budget", "2000000", "--db", db]) == 0
    capsys.readouterr()
    assert main(["history", PROJECT, "--db", db]) == 0
    out = capsys.readouterr().out
    assert "（空） → 2,500,000.00" in out and "→ 2,000,000.00" in out
