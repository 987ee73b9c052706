"""Every project's score and standing in brief, for lists: the navigator, its filters, listings.

:func:`score_summaries` reads the figures the cheapest way there is — four queries through the
driver's own cursor, no ORM objects, no SQLAlchemy row processing, each row turned straight into
what :func:`perftrack.domain.summary.summarize_project` reads — and scores a city's 130,000
indicators in about two seconds, where :func:`~perftrack.store.evaluation.evaluate_all` builds
every per-indicator object a printed form needs in several.

What it computes it keeps in ``project_summary``, so the next list of the same projects reads
5,000 short rows instead. A kept summary cannot go stale: the database's own triggers delete it
in the same transaction as any change to what it was computed from (migrations 0002 and 0003),
a summary is only kept when nobody changed its figures since they were read, and one made by
other scoring code (another version of the program) is never used. On SQLite the transaction
that read the figures writes it, and SQLite refuses that write when its snapshot is stale. On
PostgreSQL each statement reads its own snapshot, so the triggers also count each project's
changes (``project_summary_stamp``): the counts are read before the figures, and a summary is
kept only while its project's count is unchanged, checked under a share lock on the count row
that a writer still in progress holds against it.
"""

from __future__ import annotations

import datetime as dt
import dis
import functools
import gc
import hashlib
import importlib.metadata
import importlib.util
import logging
import marshal
import types
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from perftrack.domain.attainment import Status
from perftrack.domain.rules import rule_set
from perftrack.domain.summary import Fact, IndicatorFacts, ProjectSummary, summarize_project
from perftrack.domain.units import Rollup, UnitError, in_target_unit
from perftrack.store.coltypes import decimal_to_text
from perftrack.store.convert import stored_target, stored_tier
from perftrack.store.evaluation import budget_input, grade_labels, progress_period
from perftrack.store.schema import Actual, BudgetExecution, Indicator, KeptSummary, Project, SummaryStamp

_BATCH = 20_000
# How long keeping a summary on PostgreSQL may wait for another keeper of the same project.
_KEEP_WAIT_MS = 200
_ROLLUPS = {rollup.value: rollup for rollup in Rollup}
_STATUSES = {status.value: status for status in Status}
# Where scoring starts: the summary kernel and the full evaluation. Every perftrack module they
# import, directly or not, is part of the rules (rule_modules): a change to any makes every kept
# summary stale.
_SCORERS = ("perftrack.store.summaries", "perftrack.store.evaluation")
# Imported by the scorers but not part of any rule: where files live, logging.
_NOT_RULES = ("perftrack.paths", "perftrack.logsetup")
log = logging.getLogger(__name__)


def score_summaries(
    session: Session,
    ids: Iterable[int] | None = None,
    *,
    year: int | None = None,
    as_of: str | None = None,
    today: dt.date | None = None,
    keep: bool = True,
) -> list[ProjectSummary]:
    """The summary of every project (or those of ``ids`` / ``year``), ordered by year, unit and name.

    Each equals what the project's full evaluation shows in the navigator. With ``as_of`` None
    (each project at its own latest period with figures, as there) the summaries kept in the
    database are used where still valid, and the ones computed are kept (``keep`` False: all
    are computed afresh, nothing is read or written). ``as_of`` given: all computed, none kept.
    """
    session.flush()  # the queries below see only what is in the database
    labels = grade_labels(session)
    p = Project.__table__
    chosen: Select[Any] | None = None
    if ids is not None or year is not None:
        chosen = select(p.c.id)
        if ids is not None:
            chosen = chosen.where(p.c.id.in_([int(x) for x in ids]))
        if year is not None:
            chosen = chosen.where(p.c.year == int(year))
    if as_of is not None or not keep or not can_keep(session):
        return _compute(session, chosen, labels, as_of, today)

    # Read before the figures: a count that has moved on by the time they are kept means a change.
    stamps = summary_stamps(session, chosen)
    kept = _read_kept(session, chosen, labels)
    order = list(_fetch(session, _projects_query(chosen).with_only_columns(p.c.id)))
    missing = [row[0] for row in order if row[0] not in kept]
    if not missing:
        return [kept[row[0]] for row in order]
    if len(missing) < len(order):
        chosen = select(p.c.id).where(p.c.id.in_(missing))
    computed = {s.project_id: s for s in _compute(session, chosen, labels, None, today)}
    keep_summaries(session, computed.values(), stamps)
    return [kept.get(row[0]) or computed[row[0]] for row in order]


def kept_summaries(session: Session, ids: Iterable[int]) -> dict[int, ProjectSummary]:
    """The still valid kept summaries of these projects, computing none (project id → summary)."""
    if not can_keep(session):
        return {}
    p = Project.__table__
    return _read_kept(session, select(p.c.id).where(p.c.id.in_([int(x) for x in ids])), grade_labels(session))


def can_keep(session: Session) -> bool:
    """Whether summaries are kept in this database: SQLite and PostgreSQL, whose triggers drop stale ones."""
    return _dialect(session) in ("sqlite", "postgresql")


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def summary_stamps(session: Session, chosen: Iterable[int] | Select[Any] | None = None) -> dict[int, int] | None:
    """Each project's count of changes, read before its figures are (PostgreSQL; None elsewhere).

    ``keep_summaries`` keeps a summary on PostgreSQL only with the count read before the figures
    it was computed from; on SQLite the transaction's snapshot does that job and this is None.
    """
    if _dialect(session) != "postgresql":
        return None
    s = SummaryStamp.__table__
    query = select(s.c.project_id, s.c.changes)
    if isinstance(chosen, Select):
        query = query.where(s.c.project_id.in_(chosen))
    elif chosen is not None:
        query = query.where(s.c.project_id.in_([int(x) for x in chosen]))
    return {project_id: changes for project_id, changes in _fetch(session, query)}


def _projects_query(chosen: Select[Any] | None) -> Select[Any]:
    p = Project.__table__
    query = select(p.c.id, p.c.year, p.c.reporting, p.c.annual_total, p.c.full_year_budget)
    if chosen is not None:
        query = query.where(p.c.id.in_(chosen))
    return query.order_by(p.c.year, p.c.unit, p.c.name)


def _read_kept(session: Session, chosen: Select[Any] | None, labels: str) -> dict[int, ProjectSummary]:
    k = KeptSummary.__table__
    query = select(k.c.project_id, k.c.total, k.c.status, k.c.off_track, k.c.needs_note, k.c.no_actual, k.c.scored)
    query = query.where(k.c.rules == rules_fingerprint(labels))
    if chosen is not None:
        query = query.where(k.c.project_id.in_(chosen))
    kept: dict[int, ProjectSummary] = {}
    for project_id, total, status, off_track, needs_note, no_actual, scored in _fetch(session, query):
        amount = Decimal(total)
        kept[project_id] = ProjectSummary(
            project_id=project_id,
            total=amount,
            grade=rule_set(labels).grade_word(rule_set(labels).grade_for(amount)),
            status=_STATUSES.get(status) or Status(status),
            off_track=off_track,
            needs_note=needs_note,
            no_actual=no_actual,
            scored=bool(scored),
        )
    return kept


def keep_summaries(
    session: Session, summaries: Iterable[ProjectSummary], stamps: Mapping[int, int] | None = None
) -> None:
    """Keep these summaries, computed in this transaction, unless the database is busy.

    Written in the transaction that read their figures: if another user changed any since,
    SQLite refuses the write (the snapshot is stale) and nothing is kept. Keeping is never
    worth waiting for a writer, so the lock is tried once. On PostgreSQL ``stamps`` are the
    counts of changes ``summary_stamps`` read before the figures; a summary is kept only while
    its project's count is the same, and none without them.
    """
    fingerprint = rules_fingerprint(grade_labels(session))
    rows = [
        {
            "project_id": s.project_id,
            "rules": fingerprint,
            "total": decimal_to_text(s.total),
            "status": s.status.value,
            "off_track": s.off_track,
            "needs_note": s.needs_note,
            "no_actual": s.no_actual,
            "scored": s.scored,
        }
        for s in summaries
    ]
    if not rows or not can_keep(session):
        return
    if _dialect(session) == "postgresql":
        _keep_on_postgresql(session, rows, stamps or {})
        return
    connection = session.connection()
    raw = connection.connection.driver_connection
    waited = raw.execute("PRAGMA busy_timeout").fetchone()[0]
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        with session.begin_nested():
            session.execute(insert(KeptSummary).prefix_with("OR REPLACE"), rows)
    except (OperationalError, IntegrityError) as exc:
        log.info("summaries not kept: %s", exc.orig)
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(waited)}")


def _keep_on_postgresql(session: Session, rows: list[dict[str, Any]], stamps: Mapping[int, int]) -> None:
    """Keep the rows whose project's count of changes is still the one read before the figures.

    The count rows are share-locked without waiting: a writer that has changed a project's
    figures but not yet committed holds its count row, and then nothing is kept. Once locked, no
    writer can change those projects until this transaction ends, and its trigger will then drop
    the summary kept here.
    """
    rows = [row for row in rows if row["project_id"] in stamps]
    if not rows:
        return
    s = SummaryStamp.__table__
    try:
        with session.begin_nested():
            waited = session.scalar(text("SELECT current_setting('lock_timeout')"))
            # Transaction-local, and undone with the savepoint when it rolls back; restored below otherwise.
            session.execute(text("SELECT set_config('lock_timeout', :wait, true)"), {"wait": f"{_KEEP_WAIT_MS}ms"})
            now = dict(
                session.execute(
                    select(s.c.project_id, s.c.changes)
                    .where(s.c.project_id.in_([row["project_id"] for row in rows]))
                    .with_for_update(read=True, nowait=True)
                ).all()
            )
            fresh = [row for row in rows if now.get(row["project_id"]) == stamps[row["project_id"]]]
            if fresh:
                upsert = pg_insert(KeptSummary)
                columns = {c: upsert.excluded[c] for c in rows[0] if c != "project_id"}
                session.execute(upsert.on_conflict_do_update(index_elements=["project_id"], set_=columns), fresh)
            session.execute(text("SELECT set_config('lock_timeout', :wait, true)"), {"wait": waited})
    except (OperationalError, IntegrityError) as exc:
        log.info("summaries not kept: %s", exc.orig)


@functools.cache
def rule_modules() -> tuple[str, ...]:
    """Every perftrack module the scorers import, directly or through others (function-level
    imports included), sorted: what the fingerprint covers. Read from the modules' compiled code,
    which a source checkout and the frozen Windows bundle (no .py files) both have."""
    found: set[str] = set()
    waiting = list(_SCORERS)
    while waiting:
        name = waiting.pop()
        if name in found or name in _NOT_RULES:
            continue
        code = _code(name)
        if code is None:
            continue
        found.add(name)
        waiting += [m for m in _imported(code) if m.startswith("perftrack.") and _is_module(m)]
    return tuple(sorted(found))


def _code(name: str) -> types.CodeType | None:
    spec = importlib.util.find_spec(name)
    get_code = getattr(spec.loader, "get_code", None) if spec is not None else None
    return get_code(name) if get_code is not None else None


def _imported(code: types.CodeType) -> set[str]:
    """The modules a code object imports ("from a.b import c" gives a.b and a.b.c), nested code too."""
    names: set[str] = set()
    base = ""
    for instruction in dis.get_instructions(code):
        if instruction.opname == "IMPORT_NAME":
            base = str(instruction.argval)
            names.add(base)
        elif instruction.opname == "IMPORT_FROM" and base:
            names.add(f"{base}.{instruction.argval}")
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _imported(const)
    return names


def _is_module(name: str) -> bool:
    """True for a module's name, False for a name imported from one ("perftrack.domain.units.Rollup")."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # its parent is a module, not a package
        return False


@functools.cache
def code_fingerprint() -> bytes:
    """A digest of the scoring code: the compiled code of every module the rules live in, read once
    a process (a summary kept by an older or newer program, or a development build with a changed
    rule, is computed afresh)."""
    digest = hashlib.sha256(_version().encode())
    for name in rule_modules():
        spec = importlib.util.find_spec(name)
        loader = spec.loader if spec is not None else None
        get_code = getattr(loader, "get_code", None)
        code = get_code(name) if get_code is not None else None
        digest.update(marshal.dumps(code) if code is not None else name.encode())
    return digest.digest()


def rules_fingerprint(rule_set_key: str = "national") -> str:
    """A fingerprint of the scoring code and the rule set in use: kept summaries made by other
    rules are not used.

    The code's digest with what of the set decides the kept figures (its points, weights and
    over-achievement share), so a summary kept under a set that scores otherwise is computed
    afresh. Sets that differ only in their grade words share kept figures: the grade is worked out
    when they are read.
    """
    digest = hashlib.sha256(code_fingerprint())
    digest.update(rule_set(rule_set_key).scoring_signature().encode())
    return digest.hexdigest()[:32]


def _version() -> str:
    try:
        return importlib.metadata.version("perftrack")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _compute(
    session: Session, chosen: Select[Any] | None, labels: str, as_of: str | None, today: dt.date | None
) -> list[ProjectSummary]:
    """Read the figures of the chosen projects (all when None) and summarize each."""
    i, a, b = (t.__table__ for t in (Indicator, Actual, BudgetExecution))
    was_enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of small acyclic objects: collections would free nothing
    try:
        projects = list(_fetch(session, _projects_query(chosen)))

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
            target = stored_target(raw, op, None if value is None else Decimal(value), unit, kind, inferred)
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
                try:
                    value = in_target_unit(Decimal(value), unit, entry[1])
                except UnitError:
                    value = None  # the full evaluation names the problem; a list leaves the figure out
            entry[0].append(
                (period, value, stored_tier(tier) if tier else None, None if share is None else Decimal(share))
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
