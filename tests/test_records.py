"""Scoring plain records gives what scoring ORM objects gives: the GUI reads records, the rest both.

The seed's 13 projects are given every kind of user data the store keeps, in a real SQLite
file; then each project is evaluated from ``load_projects`` (ORM objects) and from
``load_records`` (named tuples) and the evaluations and page snapshots compared whole.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from perftrack.domain.periods import MONTHS, QUARTERS, YEAR
from perftrack.importers import read_declarations
from perftrack.paths import sample_files
from perftrack.store.actuals import assessed_by_tier, record_actual
from perftrack.store.database import Database, open_database
from perftrack.store.evaluation import evaluate_project, grade_labels, load_projects
from perftrack.store.records import ProjectRecord, load_records
from perftrack.store.schema import Indicator, Project
from perftrack.store.settings import (
    set_budget,
    set_deduction,
    set_full_year_budget,
    set_grade_labels,
    set_indicator_field,
    set_reporting,
)
from perftrack.store.upsert import import_declarations
from perftrack.ui.snapshots import project_view

TODAY = dt.date(2024, 8, 15)


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
    if project.annual_total and k % 5 != 4:
        set_budget(session, project, str(project.annual_total * Decimal("0.3")), period=periods[0])
        if k % 3 == 2:
            set_budget(session, project, str(project.annual_total * Decimal("0.85")), period=YEAR)


@pytest.fixture
def varied(tmp_path: Path) -> Database:
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
    return database


def _evaluations_agree(session: Session, as_of: str | None, labels: str) -> list[ProjectRecord]:
    orm = load_projects(session)
    records = load_records(session)
    assert [p.id for p in orm] == [r.id for r in records]
    for project, record in zip(orm, records, strict=True):
        from_orm = evaluate_project(project, as_of=as_of, labels=labels, today=TODAY)
        from_records = evaluate_project(record, as_of=as_of, labels=labels, today=TODAY)
        assert from_records == from_orm
        assert repr(from_records) == repr(from_orm)
        assert project_view(record, from_records) == project_view(project, from_orm)
    return records


@pytest.mark.parametrize("as_of", [None, "Q2", "M05", YEAR])
def test_records_score_as_orm_objects_do(varied: Database, as_of: str | None) -> None:
    with varied.session() as session:
        records = _evaluations_agree(session, as_of, grade_labels(session))
    # The variations reached the records: otherwise the comparison would prove little.
    indicators = [i for r in records for i in r.indicators]
    assert any(i.retired and i.actuals for i in indicators)
    assert any(a.tier_percent == Decimal(75) for i in indicators for a in i.actuals)
    assert any(a.period == YEAR for i in indicators for a in i.actuals)
    assert {i.rollup for i in indicators} >= {"latest", "sum", "qualitative"}
    assert any(i.points is not None for i in indicators)
    assert any(i.deduction is not None for i in indicators)
    assert {r.reporting for r in records} == {"quarterly", "monthly"}
    assert any(r.full_year_budget is not None for r in records)
    assert any(b.period == YEAR for r in records for b in r.budget_executions)


def test_records_score_as_orm_objects_do_with_shanghai_grades(varied: Database) -> None:
    with varied.session() as session:
        set_grade_labels(session, "shanghai")
    with varied.session() as session:
        labels = grade_labels(session)
        assert labels == "shanghai"
        _evaluations_agree(session, None, labels)


def test_records_of_chosen_projects_only(varied: Database) -> None:
    with varied.session() as session:
        ids = list(session.scalars(select(Project.id).order_by(Project.id.desc()).limit(3)))
        records = load_records(session, ids)
        assert sorted(r.id for r in records) == sorted(ids)
        orm = {p.id: p for p in load_projects(session, ids)}
        for record in records:
            assert evaluate_project(record, today=TODAY) == evaluate_project(orm[record.id], today=TODAY)
