"""Projects as plain read-only records for scoring, read with four lean queries and no ORM objects.

Scoring a whole city at once (5,000 projects, 130,000 indicators, half a million actuals) as
ORM objects takes tens of seconds and gigabytes: identity map, instance state and lazy-load
machinery for every row. Scoring only reads, so :func:`load_records` selects the columns it
needs into named tuples that carry the ORM classes' attribute names; ``evaluate_project``
and ``project_to_declaration`` work on either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Row, Select, Table, select
from sqlalchemy.orm import Session

from perftrack.store.schema import Actual, BudgetExecution, Indicator, Project

_BATCH = 10_000


class ActualRecord(NamedTuple):
    """What scoring (and a table showing the value as typed) reads of an :class:`~perftrack.store.schema.Actual`."""

    indicator_id: int
    period: str
    value: Decimal | None
    value_text: str | None
    unit: str | None
    tier: str | None
    tier_percent: Decimal | None


class BudgetRecord(NamedTuple):
    """A :class:`~perftrack.store.schema.BudgetExecution`: money spent up to a period."""

    project_id: int
    period: str
    amount: Decimal


class IndicatorRecord(NamedTuple):
    """What scoring and the declaration read of an :class:`~perftrack.store.schema.Indicator`."""

    id: int
    project_id: int
    position: int
    level1: str | None
    level2: str | None
    name: str
    target_raw: str
    target_op: str | None
    target_value: Decimal | None
    target_unit: str | None
    target_kind: str
    target_inferred: bool
    source: str | None
    rollup: str | None
    points: Decimal | None
    deviation_reason: str | None
    measures: str | None
    deduction: Decimal | None
    deduction_reason: str | None
    monitor_expected: Decimal | None
    monitor_chance: str | None
    monitor_cause: str | None
    monitor_measure: str | None
    retired: bool
    actuals: list[ActualRecord]


class ProjectRecord(NamedTuple):
    """What scoring and the declaration read of a :class:`~perftrack.store.schema.Project`."""

    id: int
    year: int
    unit: str
    name: str
    nature: str | None
    category: str | None
    department: str | None
    start: dt.date | None
    end: dt.date | None
    project_total: Decimal | None
    project_fiscal: Decimal | None
    project_other: Decimal | None
    annual_total: Decimal | None
    annual_appropriation: Decimal | None
    annual_carryover: Decimal | None
    annual_other: Decimal | None
    project_goal: str | None
    annual_goal: str | None
    source: str | None
    reporting: str
    full_year_budget: Decimal | None
    goal_achieved: str | None
    spent_appropriation: Decimal | None
    spent_carryover: Decimal | None
    spent_other: Decimal | None
    manager: str | None
    indicators: list[IndicatorRecord]
    budget_executions: list[BudgetRecord]


def _columns(table: Table, record: type[tuple[Any, ...]], *, skip: int = 0) -> list[ColumnElement[Any]]:
    """The table's columns named like the record's fields (less the last ``skip``), in order."""
    names: tuple[str, ...] = record._fields  # type: ignore[attr-defined]
    return [table.c[name] for name in names[: len(names) - skip]]


def _rows(session: Session, query: Select[Any]) -> Iterator[Row[Any]]:
    """The query's rows fetched in large batches: iterating a result row by row costs a call
    into the driver per row, and fetching all at once would hold every row twice."""
    for batch in session.execute(query).partitions(_BATCH):
        yield from batch


def load_records(session: Session, ids: Iterable[int] | None = None, year: int | None = None) -> list[ProjectRecord]:
    """Projects with their indicators, actuals and spending, ordered by year, unit and name."""
    p, i, a, b = (t.__table__ for t in (Project, Indicator, Actual, BudgetExecution))
    chosen: Select[Any] = select(p.c.id)
    if ids is not None:
        chosen = chosen.where(p.c.id.in_(list(ids)))
    if year is not None:
        chosen = chosen.where(p.c.year == year)

    projects: dict[int, ProjectRecord] = {}
    query = select(*_columns(p, ProjectRecord, skip=2)).where(p.c.id.in_(chosen))
    for row in session.execute(query.order_by(p.c.year, p.c.unit, p.c.name)).all():
        projects[row[0]] = ProjectRecord(*row, [], [])

    indicators: dict[int, IndicatorRecord] = {}
    query = select(*_columns(i, IndicatorRecord, skip=1)).where(i.c.project_id.in_(chosen))
    for row in _rows(session, query.order_by(i.c.project_id, i.c.position, i.c.id)):
        ind = indicators[row[0]] = IndicatorRecord(*row, [])
        projects[ind.project_id].indicators.append(ind)

    of_chosen = a.c.indicator_id.in_(select(i.c.id).where(i.c.project_id.in_(chosen)))
    query = select(*_columns(a, ActualRecord)).where(of_chosen).order_by(a.c.indicator_id, a.c.period)
    for row in _rows(session, query):
        indicators[row[0]].actuals.append(ActualRecord._make(row))

    query = select(*_columns(b, BudgetRecord)).where(b.c.project_id.in_(chosen))
    for row in session.execute(query.order_by(b.c.project_id, b.c.period)).all():
        projects[row[0]].budget_executions.append(BudgetRecord._make(row))
    return list(projects.values())
