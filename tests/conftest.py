"""Shared fixtures: every test gets its own data folder, and store tests a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from perftrack.domain.periods import MONTHS, QUARTERS, YEAR
from perftrack.importers import read_declarations
from perftrack.paths import sample_files
from perftrack.store import Database
from perftrack.store.actuals import assessed_by_tier, record_actual
from perftrack.store.database import open_database
from perftrack.store.schema import Indicator, Project
from perftrack.store.settings import (
    set_budget,
    set_deduction,
    set_full_year_budget,
    set_indicator_field,
    set_reporting,
)
from perftrack.store.upsert import import_declarations


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the user's real data folder and database."""
    monkeypatch.setenv("PERFTRACK_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("PERFTRACK_DB", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test's SQLite database lives (not created until opened)."""
    return tmp_path / "perftrack.db"


@pytest.fixture
def database(db_path: Path) -> Iterator[Database]:
    """An opened, migrated perftrack database in a temporary SQLite file."""
    db = Database.open(f"sqlite:///{db_path}")
    yield db
    db.close()


# -- the seed with every kind of user data: shared by the tests that compare two ways of scoring --


def _numeric(project: Project) -> list[Indicator]:
    return [i for i in project.indicators if not assessed_by_tier(i)]


def _by_tier(project: Project) -> list[Indicator]:
    return [i for i in project.indicators if assessed_by_tier(i)]


def _vary(session: Session, project: Project, k: int) -> None:
    """Give the k-th seed project its own mix of the user's data."""
    numeric, tiers = _numeric(project), _by_tier(project)
    monthly = k % 3 == 1
    if monthly:
        set_reporting(session, project, "monthly")
    periods = MONTHS[:7] if monthly else QUARTERS[:3]
    for n, ind in enumerate(numeric):
        target = ind.target_value or Decimal(1)
        # Under, at and over the target in turn; some indicators also get the year's figure.
        factors = (Decimal("0.4"), Decimal("1"), Decimal("1.3"))
        for p, period in enumerate(periods[: 1 + (n + k) % len(periods)]):
            value = (target * factors[(n + p) % 3] / len(periods)).quantize(Decimal("0.01"))
            record_actual(session, ind, period, str(value))
        if (n + k) % 4 == 0:
            record_actual(session, ind, YEAR, str((target * factors[n % 3]).quantize(Decimal("0.01"))))
    for n, ind in enumerate(tiers):
        if (n + k) % 3 == 0:
            record_actual(session, ind, YEAR, "部分达成", percent="75")
        elif (n + k) % 3 == 1:
            record_actual(session, ind, periods[0], "达成")
    if numeric and k % 2 == 0:
        set_indicator_field(session, numeric[0], "rollup", "latest")
    if len(numeric) > 1 and k % 4 == 1:
        set_indicator_field(session, numeric[1], "rollup", "sum")
    if len(numeric) > 2 and k % 5 == 2:
        set_indicator_field(session, numeric[2], "rollup", "qualitative")
        record_actual(session, numeric[2], YEAR, "未达成")
    if k % 3 == 0:
        # Set points: 90 in all (as the rules ask) on some projects, over 90 on others.
        total = Decimal(90) if k % 2 == 0 else Decimal(96)
        share = (total / len(project.indicators)).quantize(Decimal("0.01"))
        for ind in project.indicators[:-1]:
            set_indicator_field(session, ind, "points", str(share))
        rest = total - share * (len(project.indicators) - 1)
        set_indicator_field(session, project.indicators[-1], "points", str(rest))
    if numeric and k % 4 == 3:
        set_deduction(session, numeric[-1], "1", "资料不全")
        set_indicator_field(session, numeric[-1], "deviation_reason", "进度滞后")
        set_indicator_field(session, numeric[-1], "monitor_chance", "有可能")
        set_indicator_field(session, numeric[-1], "monitor_expected", "80")
    if k % 4 == 2 and len(project.indicators) > 3:
        # A retired indicator keeps its figures; neither load may score it.
        gone = project.indicators[1]
        record_actual(session, gone, YEAR, "达成" if assessed_by_tier(gone) else "1")
        gone.retired = True
    if k % 2 == 1 and project.annual_total:
        set_full_year_budget(session, project, str(project.annual_total * Decimal("0.9")))
    if k % 6 == 5:
        # A later form changed a target's unit under recorded figures: 万元 → 亿元 converts,
        # 次 → 人 cannot (the figure is then left out and the problem named).
        for ind in numeric:
            if ind.actuals and ind.target_unit == "万元":
                ind.target_unit = "亿元"
                break
        for ind in numeric:
            if ind.actuals and ind.target_unit not in ("万元", "亿元", None):
                ind.target_unit = "人" if ind.target_unit != "人" else "次"
                break
    if project.annual_total and k % 5 != 4:
        set_budget(session, project, str(project.annual_total * Decimal("0.3")), period=periods[0])
        if k % 3 == 2:
            set_budget(session, project, str(project.annual_total * Decimal("0.85")), period=YEAR)


@pytest.fixture
def varied(tmp_path: Path) -> Iterator[Database]:
    """The seed in a real SQLite file, every project given its own user data."""
    database = open_database(f"sqlite:///{(tmp_path / 'records.db').as_posix()}")
    result = read_declarations(sample_files())
    assert not result.errors
    with database.session() as session:
        import_declarations(session, result.declarations, source_label="seed")
    with database.session() as session:
        projects = list(session.scalars(select(Project).order_by(Project.id)))
        assert len(projects) == 13
        for k, project in enumerate(projects):
            _vary(session, project, k)
    yield database
    database.close()
