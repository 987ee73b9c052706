"""From stored rows to the domain's scoring: one evaluation per project.

Every consumer of a score — the ``score`` command, the GUI, the workbook, the printed report —
goes through :func:`evaluate_project`, so they all show the same numbers.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from perftrack.domain.attainment import IndicatorInput, PeriodValue, attainment
from perftrack.domain.evaluation import (  # results belong to the domain; re-exported for the store's callers
    IndicatorEvaluation,
    ProjectEvaluation,
    budget_input,
    period_on,
    progress_period,
)
from perftrack.domain.model import Target
from perftrack.domain.numbers import MONEY_UNITS, YUAN
from perftrack.domain.periods import YEAR, period_order
from perftrack.domain.rules import RULE_SETS, rule_set
from perftrack.domain.scoring import ProjectInput, score_project
from perftrack.domain.units import Rollup, UnitError, in_target_unit
from perftrack.store.convert import project_to_declaration, stored_tier, target_of
from perftrack.store.records import ActualRecord, IndicatorRecord, ProjectRecord, load_records
from perftrack.store.schema import Actual, Indicator, Project, Setting

GRADE_LABELS_KEY = "grade_labels"
MONEY_UNIT_KEY = "money_unit"
# Projects evaluated per session read when streaming: a few queries per batch, and a caller
# never holds more than this many full evaluations.
EVALUATION_BATCH = 50

T = TypeVar("T")
# Runs a function in a short read-only session and returns its result (``Workspace.read``).
Reader = Callable[[Callable[[Session], T]], T]


def _period_value(actual: Actual | ActualRecord, target: Target, problems: list[str], name: str) -> PeriodValue:
    tier = stored_tier(actual.tier) if actual.tier else None
    try:
        value = in_target_unit(actual.value, actual.unit, target.unit)
    except UnitError as exc:
        problems.append(f"指标“{name}”{actual.period} 的实际值单位与指标值不一致：{exc}")
        value = None
    return PeriodValue(value, tier, actual.tier_percent)


def _as_of(
    project: Project | ProjectRecord, indicators: Iterable[Indicator | IndicatorRecord], today: dt.date | None
) -> str:
    periods = {a.period for ind in indicators for a in ind.actuals}
    periods |= {b.period for b in project.budget_executions}
    return progress_period(periods, project.year, project.reporting, today)


def grade_labels(session: Session) -> str:
    """The key of the scoring rules in use (domain/rules.py: "national" 优/良/中/差, "shanghai"
    优/良/合格/不合格, …); the first registered set when none is chosen or the one chosen is unknown."""
    row = session.get(Setting, GRADE_LABELS_KEY)
    return row.value if row and row.value in RULE_SETS else next(iter(RULE_SETS))


def money_unit(session: Session) -> str:
    """The unit amounts are shown in: "元" (the default) or "万元"."""
    row = session.get(Setting, MONEY_UNIT_KEY)
    return row.value if row and row.value in MONEY_UNITS else YUAN


def evaluate_project(
    project: Project | ProjectRecord,
    *,
    as_of: str | dt.date | None = None,
    labels: str = "national",
    money: str = YUAN,
    today: dt.date | None = None,
) -> ProjectEvaluation:
    """Score a stored project and measure each indicator's progress as of a period (or a date's:
    ``period_on``); by default the latest with figures (``progress_period``)."""
    problems: list[str] = []
    active = [i for i in project.indicators if not i.retired]
    inputs: list[IndicatorInput] = []
    periods_of: list[dict[str, PeriodValue]] = []
    for ind in active:
        target = target_of(ind)
        periods = {a.period: _period_value(a, target, problems, ind.name) for a in ind.actuals}
        periods_of.append(periods)
        inputs.append(
            IndicatorInput(
                name=ind.name,
                level1=ind.level1,
                level2=ind.level2,
                target=target,
                rollup=Rollup(ind.rollup) if ind.rollup else None,
                points=ind.points,
                actuals=periods,
                deduction=ind.deduction if ind.deduction_reason else None,
                deduction_reason=ind.deduction_reason,
                deviation_reason=ind.deviation_reason,
                measures=ind.measures,
                monitor_expected=ind.monitor_expected,
            )
        )
    budget = budget_input(
        project.annual_total, project.full_year_budget, ((b.period, b.amount) for b in project.budget_executions)
    )
    by_period = budget.by_period
    score = score_project(ProjectInput(project.name, inputs, budget, project.reporting), grade_labels=labels)
    if isinstance(as_of, dt.date):
        as_of = period_on(as_of, project.year, project.reporting)
    when = as_of or _as_of(project, active, today)
    year_end = when == YEAR  # each indicator's standing then is the one its score was made from
    margin = rule_set(labels).at_risk_margin
    evaluations = [
        IndicatorEvaluation(
            indicator_id=ind.id,
            target=inp.target,
            periods=periods,
            attainment=s.standing
            if year_end and s.standing is not None
            else attainment(inp, when, project.reporting, margin),
            rollup=inp.effective_rollup(),
            monitor_expected=ind.monitor_expected,
            monitor_chance=ind.monitor_chance,
            monitor_cause=ind.monitor_cause,
            monitor_measure=ind.monitor_measure,
        )
        for ind, inp, periods, s in zip(active, inputs, periods_of, score.indicators, strict=True)
    ]
    targets = {ind.id: inp.target for ind, inp in zip(active, inputs, strict=True)}
    return ProjectEvaluation(
        project_id=project.id,
        declaration=project_to_declaration(project, targets),
        reporting=project.reporting,
        as_of=when,
        score=score,
        indicators=evaluations,
        budget_by_period=dict(sorted(by_period.items(), key=lambda kv: period_order(kv[0]))),
        problems=problems + list(score.problems),
        goal_achieved=project.goal_achieved,
        money_unit=money,
        rules=labels,
        source_spent={
            key: amount
            for key, amount in (
                ("appropriation", project.spent_appropriation),
                ("carryover", project.spent_carryover),
                ("other", project.spent_other),
            )
            if amount is not None
        },
    )


def load_projects(session: Session, ids: Iterable[int] | None = None, year: int | None = None) -> list[Project]:
    """Projects with everything an evaluation reads, in three queries whatever their number."""
    stmt = (
        select(Project)
        .options(
            selectinload(Project.indicators).selectinload(Indicator.actuals),
            selectinload(Project.budget_executions),
        )
        .order_by(Project.year, Project.unit, Project.name)
    )
    if ids is not None:
        stmt = stmt.where(Project.id.in_(list(ids)))
    if year is not None:
        stmt = stmt.where(Project.year == year)
    return list(session.scalars(stmt))


def evaluate_all(
    session: Session,
    ids: Iterable[int] | None = None,
    *,
    year: int | None = None,
    as_of: str | dt.date | None = None,
) -> list[ProjectEvaluation]:
    """Evaluate every project (or those of ``ids`` / ``year``), ordered by year, unit and name."""
    session.flush()  # the lean queries below see only what is in the database
    labels, money = grade_labels(session), money_unit(session)
    with _collector_paused():
        records = load_records(session, ids, year)
        records.reverse()
        evaluations: list[ProjectEvaluation] = []
        while records:  # each record dropped once scored, so a city's rows and scores are never all held at once
            evaluations.append(evaluate_project(records.pop(), as_of=as_of, labels=labels, money=money))
        return evaluations


def chosen_ids(session: Session, ids: Iterable[int] | None = None, *, year: int | None = None) -> list[int]:
    """The ids of the projects ``evaluate_all`` would evaluate, in its order (year, unit, name)."""
    query = select(Project.id).order_by(Project.year, Project.unit, Project.name)
    if ids is not None:
        query = query.where(Project.id.in_(list(ids)))
    if year is not None:
        query = query.where(Project.year == year)
    return list(session.scalars(query))


def unit_order(session: Session, ids: Sequence[int]) -> list[int]:
    """``ids`` with each implementing unit's projects together: units by name, and within a unit
    in the order given (one workbook per unit is then written as the projects stream by)."""
    units: dict[int, str] = dict(session.execute(select(Project.id, Project.unit)).all())
    position = {project_id: n for n, project_id in enumerate(ids)}
    return sorted((i for i in position if i in units), key=lambda i: (units[i], position[i]))


def stream_evaluations(
    read: Reader[list[ProjectEvaluation]],
    ids: Sequence[int],
    *,
    as_of: str | dt.date | None = None,
    batch: int = EVALUATION_BATCH,
) -> Iterator[ProjectEvaluation]:
    """The evaluations of ``ids`` in that order, ``batch`` projects per session read.

    ``read(fn)`` runs ``fn`` in a short read-only session (``Workspace.read``, or
    ``lambda fn: fn(session)`` for one session throughout); the caller holds at most a batch of
    evaluations besides the one it is given. A project deleted meanwhile is left out.
    """
    ids = list(dict.fromkeys(ids))
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        found = {ev.project_id: ev for ev in read(lambda s, chunk=chunk: evaluate_all(s, chunk, as_of=as_of))}
        for project_id in chunk:
            ev = found.pop(project_id, None)
            if ev is not None:
                yield ev


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold back Python's cycle collector while millions of small acyclic objects are made.

    Each collection walks every object alive; scoring a city allocates millions of them and
    would trigger hundreds of ever longer collections (a third of the time) that free nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
