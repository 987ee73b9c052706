"""Every project's score and standing in brief, for lists: the navigator, its filters, listings.

:func:`score_summaries` rescores from the stored rows each time (nothing is cached in the
database, so a summary can never be stale) and reads them the cheapest way there is: four
queries through the driver's own cursor, no ORM objects and no SQLAlchemy row processing, each
row turned straight into what :func:`perftrack.domain.summary.summarize_project` reads. A
city's 130,000 indicators and half a million actuals are read and scored in about a second,
where :func:`~perftrack.store.evaluation.evaluate_all` builds every per-indicator object a
printed form needs in several.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from perftrack.domain.attainment import Tier
from perftrack.domain.model import Kind, Target
from perftrack.domain.summary import Fact, IndicatorFacts, ProjectSummary, summarize_project
from perftrack.domain.units import Rollup, UnitError, convert
from perftrack.store.evaluation import budget_input, grade_labels, progress_period
from perftrack.store.schema import Actual, BudgetExecution, Indicator, Project

_BATCH = 20_000
_TIERS = {tier.value: tier for tier in Tier}
_KINDS = {kind.value: kind for kind in Kind}
_ROLLUPS = {rollup.value: rollup for rollup in Rollup}


def score_summaries(
    session: Session,
    ids: Iterable[int] | None = None,
    *,
    year: int | None = None,
    as_of: str | None = None,
    today: dt.date | None = None,
) -> list[ProjectSummary]:
    """The summary of every project (or those of ``ids`` / ``year``), ordered by year, unit and name.

    Each equals what the project's full evaluation shows in the navigator (``as_of`` None: each
    project at its own latest period with figures, as there).
    """
    session.flush()  # the queries below see only what is in the database
    labels = grade_labels(session)
    p, i, a, b = (t.__table__ for t in (Project, Indicator, Actual, BudgetExecution))
    chosen: Select[Any] | None = None
    if ids is not None or year is not None:
        chosen = select(p.c.id)
        if ids is not None:
            chosen = chosen.where(p.c.id.in_([int(x) for x in ids]))
        if year is not None:
            chosen = chosen.where(p.c.year == int(year))

    was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of small acyclic objects: collections would free nothing
    try:
        query = select(p.c.id, p.c.year, p.c.reporting, p.c.annual_total, p.c.full_year_budget)
        if chosen is not None:
            query = query.where(p.c.id.in_(chosen))
        projects = list(_fetch(session, query.order_by(p.c.year, p.c.unit, p.c.name)))

        spent: dict[int, list[tuple[str, Decimal]]] = {row[0]: [] for row in projects}
        query = select(b.c.project_id, b.c.period, b.c.amount)
        if chosen is not None:
            query = query.where(b.c.project_id.in_(chosen))
        for project_id, period, amount in _fetch(session, query):
            if project_id in spent:
                spent[project_id].append((period, Decimal(amount)))

        indicators: dict[int, list[IndicatorFacts]] = {row[0]: [] for row in projects}
        facts_of: dict[int, tuple[list[Fact], str | None]] = {}
        query = select(
            i.c.id,
            i.c.project_id,
            i.c.name,
            i.c.level1,
            i.c.level2,
            i.c.target_raw,
            i.c.target_op,
            i.c.target_value,
            i.c.target_unit,
            i.c.target_kind,
            i.c.target_inferred,
            i.c.rollup,
            i.c.points,
            i.c.deduction,
            i.c.deduction_reason,
            i.c.deviation_reason,
        ).where(i.c.retired.is_(False))
        if chosen is not None:
            query = query.where(i.c.project_id.in_(chosen))
        for row in _fetch(session, query.order_by(i.c.project_id, i.c.position, i.c.id)):
            (ind_id, project_id, name, level1, level2, raw, op, value, unit, kind, inferred, rollup) = row[:12]
            points, deduction, deduction_reason, deviation_reason = row[12:]
            facts: list[Fact] = []
            facts_of[ind_id] = (facts, unit)
            target = Target(
                raw=raw or "",
                op=op,
                value=None if value is None else Decimal(value),
                unit=unit,
                kind=_KINDS.get(kind) or Kind(kind),
                inferred=bool(inferred),
            )
            indicators[project_id].append(
                IndicatorFacts(
                    name=name,
                    level1=level1,
                    level2=level2,
                    target=target,
                    rollup=(_ROLLUPS.get(rollup) or Rollup(rollup)) if rollup else None,
                    points=None if points is None else Decimal(points),
                    deduction=None if deduction is None or not deduction_reason else Decimal(deduction),
                    deduction_reason=deduction_reason,
                    deviation_reason=deviation_reason,
                    actuals=facts,
                )
            )

        query = select(a.c.indicator_id, a.c.period, a.c.value, a.c.unit, a.c.tier, a.c.tier_percent)
        if chosen is not None:
            query = query.where(a.c.indicator_id.in_(select(i.c.id).where(i.c.project_id.in_(chosen))))
        for ind_id, period, value, unit, tier, share in _fetch(session, query):
            entry = facts_of.get(ind_id)
            if entry is None:
                continue  # a retired indicator's figures
            if value is not None:
                value = Decimal(value)
                target_unit = entry[1]
                if unit and target_unit and unit != target_unit:
                    # recorded against an earlier form whose unit differed: convert, or leave it out
                    try:
                        value = convert(value, unit, target_unit)
                    except UnitError:
                        value = None
            entry[0].append(
                (
                    period,
                    value,
                    (_TIERS.get(tier) or Tier(tier)) if tier else None,
                    None if share is None else Decimal(share),
                )
            )
        del facts_of

        summaries: list[ProjectSummary] = []
        for project_id, project_year, reporting, annual_total, full_year_budget in projects:
            facts = indicators.pop(project_id)
            money = spent.pop(project_id)
            recorded = {fact[0] for ind in facts for fact in ind.actuals}
            when = as_of or progress_period(recorded | {period for period, _ in money}, project_year, reporting, today)
            budget = budget_input(
                None if annual_total is None else Decimal(annual_total),
                None if full_year_budget is None else Decimal(full_year_budget),
                money,
            )
            summaries.append(
                summarize_project(
                    project_id,
                    facts,
                    budget,
                    reporting=reporting,
                    as_of=when,
                    grade_labels=labels,
                    scored=bool(recorded or money),
                )
            )
        return summaries
    finally:
        if was_enabled:
            gc.enable()


def _fetch(session: Session, query: Select[Any]) -> Iterator[tuple[Any, ...]]:
    """The query's rows as the database driver returns them, fetched in large batches.

    Skipping SQLAlchemy's result rows and type processing halves the time to read half a million
    rows; the few typed columns (decimals as text) are converted by the caller. Bound values
    (project ids, a year: integers) are written into the SQL text.
    """
    connection = session.connection()
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        while batch := cursor.fetchmany(_BATCH):
            yield from batch
    finally:
        cursor.close()
