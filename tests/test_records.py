"""Scoring plain records gives what scoring ORM objects gives: the GUI reads records, the rest both.

The seed's 13 projects are given every kind of user data the store keeps, in a real SQLite
file; then each project is evaluated from ``load_projects`` (ORM objects) and from
``load_records`` (named tuples) and the evaluations and page snapshots compared whole.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from perftrack.domain.periods import YEAR
from perftrack.store.database import Database
from perftrack.store.evaluation import evaluate_project, grade_labels, load_projects
from perftrack.store.records import ProjectRecord, load_records
from perftrack.store.schema import Project
from perftrack.store.settings import (
    set_grade_labels,
)
from perftrack.ui.snapshots import project_view

TODAY = dt.date(2024, 8, 15)


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
