"""Recording an actuals table (CSV or XLSX, read by :mod:`perftrack.importers.actuals_table`): all rows or none.

Every row is checked first — its project and indicator found as on the command line (the exact
name, or a part only one of them contains), its value checked against the target as a value
typed in the window is (``prepare_actual``), its period open (not approved and locked) — and a
file with any bad row writes nothing; the error lists the rows ("第 5 行：…"). Then everything is
written in the caller's one transaction, with one audit row per changed field as ``write_actual``
writes them.

A department's table holds a whole quarter of every project, hundreds of thousands of rows, so
nothing here goes a row at a time to the database: the projects, their indicators and the values
already recorded are read in a few queries into plain records, each row is planned in memory, and
the new values, the changed ones and the audit rows are written with one executemany each.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from perftrack.domain.actuals_table import ActualsRow, ActualsTable
from perftrack.domain.plausible import value_warning
from perftrack.store.actuals import (
    ACTUAL_FIELDS,
    ACTUAL_LABELS,
    Entry,
    RecordError,
    actual_where,
    audited_fields,
    change_summary,
    check_period,
    check_unlocked,
    converted_note,
    prepare_actual,
    same_value,
    wanted_fields,
)
from perftrack.store.audit import audit_text, current_user
from perftrack.store.coltypes import utcnow
from perftrack.store.errors import StoreError
from perftrack.store.queries import find_indicator, find_project
from perftrack.store.schema import Actual, Audit, Evidence, Indicator, Project

MAX_LISTED_ERRORS = 20
# Project ids per IN (...) list: far below every backend's limit on bound values.
_CHUNK = 500
# Rows per executemany: the driver holds one batch's parameters at a time.
_WRITE_BATCH = 20_000
# The columns of an actual a write sets, besides who and when.
_STATE = (*ACTUAL_FIELDS, "note")


@dataclass(slots=True)
class ImportCount:
    """What an actuals import wrote."""

    rows: int = 0  # data rows read (blank lines not counted)
    recorded: int = 0  # rows written, each with its audit entries
    skipped: int = 0  # rows with neither a value nor a note
    projects: list[str] = field(default_factory=list)
    # Values stored but looking like a slip ("第 5 行：实际值 120% 超过 100%，请核对"), as ``record`` says them.
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class _Project:
    """What finding a row's indicator, checking its period and the messages read of a project."""

    id: int
    name: str
    reporting: str
    indicators: list[_Indicator] = field(default_factory=list)  # every one, retired too, as stored
    by_name: dict[str, list[_Indicator]] = field(default_factory=dict)  # the current ones


@dataclass(slots=True, eq=False)
class _Indicator:
    """What ``prepare_actual`` and ``find_indicator`` read of an indicator."""

    id: int
    project: _Project
    name: str
    position: int
    retired: bool
    target_raw: str
    target_kind: str
    target_value: Decimal | None
    target_unit: str | None
    rollup: str | None


@dataclass(frozen=True, slots=True)
class _Planned:
    number: int  # the row in the file
    indicator: _Indicator
    entry: Entry
    note: str | None
    keep_value: bool


def _one_line(exc: Exception) -> str:
    return re.sub(r"\s*\n\s*", "；", str(exc)).rstrip("；")


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start : start + _CHUNK])


class _Projects:
    """Every project by name, read once; a name that is not one project's exact name is looked up
    as the command line does (``find_project``), so the same text finds the same project and a
    wrong one gets the same message."""

    def __init__(self, session: Session) -> None:
        self.session = session
        p = Project.__table__.c
        self.by_id: dict[int, _Project] = {}
        self.named: dict[str, list[tuple[_Project, int]]] = {}
        for pid, name, year, reporting in session.execute(select(p.id, p.name, p.year, p.reporting)):
            project = self.by_id[pid] = _Project(pid, name, reporting)
            self.named.setdefault(name, []).append((project, year))
        self.found: dict[tuple[str, str], _Project] = {}

    def find(self, name: str, year_text: str) -> _Project:
        key = (name, year_text)
        if key not in self.found:
            year = int(year_text.removesuffix("年")) if year_text else None
            exact = [p for p, y in self.named.get(name.strip(), ()) if year is None or y == year]
            if len(exact) == 1:
                self.found[key] = exact[0]
            else:
                self.found[key] = self.by_id[find_project(self.session, name, year).id]
        return self.found[key]


def _load_indicators(session: Session, projects: Iterable[_Project]) -> None:
    """Each project's indicators, in a query per few hundred projects."""
    i = Indicator.__table__.c
    chosen = {p.id: p for p in projects}
    columns = (
        i.id,
        i.project_id,
        i.name,
        i.position,
        i.retired,
        i.target_raw,
        i.target_kind,
        i.target_value,
        i.target_unit,
        i.rollup,
    )
    for ids in _chunks(sorted(chosen)):
        for iid, pid, *rest in session.execute(select(*columns).where(i.project_id.in_(ids))).all():
            project = chosen[pid]
            ind = _Indicator(iid, project, *rest)
            project.indicators.append(ind)
            if not ind.retired:
                project.by_name.setdefault(ind.name, []).append(ind)


def _recorded(session: Session, project_ids: Sequence[int]) -> dict[tuple[int, str], tuple[Any, ...]]:
    """The values already recorded for these projects: (indicator id, period) → (id, *state)."""
    a, i = Actual.__table__.c, Indicator.__table__.c
    query = select(a.id, a.indicator_id, a.period, *(a[name] for name in _STATE)).join_from(
        Actual.__table__, Indicator.__table__, a.indicator_id == i.id
    )
    recorded: dict[tuple[int, str], tuple[Any, ...]] = {}
    for ids in _chunks(project_ids):
        for aid, iid, period, *state in session.execute(query.where(i.project_id.in_(ids))).all():
            recorded[(iid, period)] = (aid, *state)
    return recorded


def _recorded_ids(session: Session, project_ids: Sequence[int]) -> dict[tuple[int, str], int]:
    """The ids of these projects' recorded values: (indicator id, period) → id."""
    a, i = Actual.__table__.c, Indicator.__table__.c
    query = select(a.id, a.indicator_id, a.period).join_from(
        Actual.__table__, Indicator.__table__, a.indicator_id == i.id
    )
    ids: dict[tuple[int, str], int] = {}
    for chunk in _chunks(project_ids):
        for aid, iid, period in session.execute(query.where(i.project_id.in_(chunk))).all():
            ids[(iid, period)] = aid
    return ids


def _indicator(project: _Project, text: str) -> _Indicator:
    """The row's indicator: its exact name, else as ``find_indicator`` finds it (with its messages)."""
    exact = project.by_name.get(text.strip())
    if exact is not None and len(exact) == 1:
        return exact[0]
    return cast(_Indicator, find_indicator(cast(Project, project), text))


def _plan_row(row: ActualsRow, project: _Project | None, projects: _Projects) -> _Planned | None:
    """One row checked and converted; None for a row with neither a value nor a note."""
    name, year_text = row.project, row.year
    if not name:
        raise RecordError("项目名称为空")
    if not row.indicator:
        raise RecordError("三级指标为空")
    if year_text and not year_text.removesuffix("年").isdigit():
        raise RecordError(f"年度“{year_text}”不是年份")
    indicator = _indicator(project or projects.find(name, year_text), row.indicator)
    period = row.period if row.period is not None else "YEAR"
    if not period:
        raise RecordError(f"指标「{indicator.name}」的期间为空（应填 Q1–Q4、M01–M12 或 全年）")
    ind = cast(Indicator, indicator)  # the checks read the same attributes of the plain record
    if not row.value and not row.percent:
        if not row.note:
            return None
        code = check_period(ind.project, period, f"指标「{indicator.name}」")
        return _Planned(row.number, indicator, Entry(code), row.note, keep_value=True)
    entry = prepare_actual(ind, period, row.value, row.percent or None)
    return _Planned(row.number, indicator, entry, row.note or None, keep_value=False)


def import_actuals(session: Session, table: ActualsTable, *, user: str | None = None) -> ImportCount:
    """Record every row of an actuals table, or none if any row is wrong (RecordError lists them)."""
    path = table.path
    session.flush()  # what this session changed is read below like the rest
    count = ImportCount(rows=len(table.rows))
    projects = _Projects(session)
    errors: list[tuple[int, str]] = []  # (row, what is wrong with it)

    # Each row's project first, so that the indicators of all of them are read at once.
    project_of: list[_Project | None] = []
    for row in table.rows:
        project = None
        if row.project and row.indicator:
            try:
                if not row.year or row.year.removesuffix("年").isdigit():
                    project = projects.find(row.project, row.year)
            except StoreError:
                pass  # named with its row below
        project_of.append(project)
    involved = sorted({p.id for p in project_of if p is not None})
    _load_indicators(session, (projects.by_id[pid] for pid in involved))

    writes = _Writes(session, user or current_user(), f"（导入自 {path.name}）", involved)
    recorded = _recorded(session, involved)
    first_row: dict[tuple[int, str], int] = {}
    names: set[str] = set()
    for row, project in zip(table.rows, project_of, strict=True):
        try:
            plan = _plan_row(row, project, projects)
            if plan is None:
                count.skipped += 1
                continue
            key = (plan.indicator.id, plan.entry.period)
            if key in first_row:
                raise RecordError(f"与第 {first_row[key]} 行是同一指标、同一期间，请只保留一行")
            first_row[key] = row.number
            writes.plan(plan, recorded.get(key))
        except (RecordError, StoreError) as exc:  # a locked period too
            errors.append((row.number, _one_line(exc)))
            continue
        count.recorded += 1
        names.add(plan.indicator.project.name)
        entry, indicator = plan.entry, plan.indicator
        if entry.value is not None and entry.unit == indicator.target_unit:
            warning = value_warning(indicator.name, entry.value, entry.unit, indicator.target_value)
            if warning:
                count.warnings.append(f"第 {row.number} 行：{warning}")
    if errors:
        listed = "\n".join(f"第 {number} 行：{text}" for number, text in errors[:MAX_LISTED_ERRORS])
        more = f"\n……另有 {len(errors) - MAX_LISTED_ERRORS} 行有误" if len(errors) > MAX_LISTED_ERRORS else ""
        raise RecordError(f"{path}：{len(errors)} 行有误，未导入任何内容：\n{listed}{more}")
    del table, project_of, recorded, first_row  # what was read: only what is written is needed now
    writes.run()
    count.projects = sorted(names)
    return count


class _Writes:
    """The planned rows' changes, made with one executemany per kind: new values, changed values,
    emptied rows deleted, and one audit row per changed field, as ``write_actual`` makes them.

    A city's quarter is a quarter of a million values and more audit rows, so rows are kept as
    plain tuples, the audit rows are made batch by batch as they are written, and everything goes
    to the driver's executemany: SQLAlchemy's processing of each row's parameters costs more than
    the database's writing them. Each value still goes through its column type's conversion for
    the database in use, as SQLAlchemy would convert it.
    """

    def __init__(self, session: Session, who: str, source: str, project_ids: Sequence[int]) -> None:
        self.session = session
        self.project_ids = project_ids
        self.who = who
        self.source = source
        self.now = utcnow()
        self.inserts: list[tuple[Any, ...]] = []  # (indicator_id, period, *state)
        self.updates: list[tuple[Any, ...]] = []  # (*state, id)
        self.deletes: list[int] = []
        # (the actual's id, None for a new one; the plan; its changed fields, their values before and after)
        self.changes: list[tuple[int | None, _Planned, list[str], list[Any], list[Any]]] = []

    def plan(self, plan: _Planned, stored: tuple[Any, ...] | None) -> None:
        """The changes one row makes (none when it records what is there); PeriodLocked when its period is locked."""
        indicator, entry = plan.indicator, plan.entry
        wanted = wanted_fields(entry, plan.note, plan.keep_value)
        if stored is None:  # a new value: what is not blank changes
            state = dict.fromkeys(_STATE)
            changed = [name for name, new in wanted.items() if new is not None]
        else:
            state = dict(zip(_STATE, stored[1:], strict=True))
            changed = [name for name, new in wanted.items() if not same_value(state[name], new)]
        if not changed:
            return
        check_unlocked(self.session, cast(Project, indicator.project), entry.period, f"指标「{indicator.name}」")
        before = [state[name] for name in changed]
        state.update(wanted)
        if stored is None:
            self.inserts.append((indicator.id, entry.period, *state.values()))
        elif state["value_text"] or state["tier"] or state["note"] or self._has_evidence(stored[0]):
            self.updates.append((*state.values(), stored[0]))
        else:
            self.deletes.append(stored[0])  # nothing left in it, as drop_if_empty leaves nothing
        self.changes.append(
            (None if stored is None else stored[0], plan, changed, before, [wanted[n] for n in changed])
        )

    def _has_evidence(self, actual_id: int) -> bool:
        e = Evidence.__table__.c
        return self.session.execute(select(e.id).where(e.actual_id == actual_id).limit(1)).first() is not None

    def _audit_rows(self, new_ids: dict[tuple[int, str], int]) -> Iterator[tuple[Any, ...]]:
        """(entity_id, project_id, indicator_id, period, field, old, new, summary) of every changed field."""
        for entity_id, plan, changed, before, after in self.changes:
            indicator, entry = plan.indicator, plan.entry
            project = indicator.project
            if entity_id is None:
                entity_id = new_ids[(indicator.id, entry.period)]
            where = actual_where(indicator.name, entry.period)
            for name in audited_fields(changed):
                n = changed.index(name)
                old, new = before[n], after[n]
                suffix = converted_note(name, entry) + self.source
                summary = change_summary(project.name, where + ACTUAL_LABELS[name], name, old, new, suffix)
                yield (
                    entity_id,
                    project.id,
                    indicator.id,
                    entry.period,
                    name,
                    audit_text(old),
                    audit_text(new),
                    summary,
                )

    def run(self) -> None:
        """Write everything planned, in the caller's transaction."""
        a, au = Actual.__table__, Audit.__table__
        stamp = {"updated_at": self.now, "updated_by": self.who}
        added = bool(self.inserts)
        _executemany(self.session, insert(a).inline(), ("indicator_id", "period", *_STATE), self.inserts, stamp)
        self.inserts.clear()
        if self.updates:
            pairs = [(a.c[k], bindparam(k)) for k in (*stamp, *_STATE)]
            statement = update(a).ordered_values(*pairs).where(a.c.id == bindparam("id_"))
            _executemany(self.session, statement, (*_STATE, "id_"), self.updates, stamp, table=a)
        for ids in _chunks(self.deletes):
            self.session.execute(a.delete().where(a.c.id.in_(ids)))
        new_ids = _recorded_ids(self.session, self.project_ids) if added else {}
        keys = ("entity_id", "project_id", "indicator_id", "period", "field", "old", "new", "summary")
        fixed = {"at": self.now, "user": self.who, "action": "import", "entity": "actual"}
        _executemany(self.session, insert(au).inline(), keys, self._audit_rows(new_ids), fixed)
        self.session.expire_all()  # ORM objects this session holds see the new values when next read


def _executemany(
    session: Session,
    statement: Any,
    keys: Sequence[str],
    rows: Iterable[Sequence[Any]],
    fixed: dict[str, Any],
    table: Any = None,
) -> None:
    """Run ``statement`` once per row through the driver's executemany, a batch at a time.

    ``rows`` hold the values of ``keys`` (a key ending in "_" names its column without it) and
    ``fixed`` the values every row shares; each value is converted for the database as its
    column's type converts it.
    """
    connection = session.connection()
    dialect = connection.dialect
    table = table if table is not None else statement.table
    names = [*keys, *fixed]
    compiled = statement.compile(dialect=dialect, column_keys=names)
    convert = [table.c[key.rstrip("_")].type.dialect_impl(dialect).bind_processor(dialect) for key in names]
    shared = tuple(
        value if f is None else f(value) for value, f in zip(fixed.values(), convert[len(keys) :], strict=True)
    )
    steps = [(n, f) for n, f in enumerate(convert[: len(keys)]) if f is not None]
    # The statement's parameters: the row's then the shared ones, or the shared ones first.
    order = list(compiled.positiontup or names) if compiled.positional else names
    if order == names:
        head: tuple[Any, ...] = ()
        tail = shared
    elif order == [*fixed, *keys]:
        head, tail = shared, ()
    else:
        raise AssertionError(f"unexpected parameter order {order}")
    cursor = connection.connection.cursor()
    try:
        batch: list[Any] = []
        for row in rows:
            if steps:
                values = list(row)
                for n, f in steps:
                    values[n] = f(values[n])
                row = values
            batch.append(
                (*head, *row, *tail) if compiled.positional else dict(zip(order, (*head, *row, *tail), strict=True))
            )
            if len(batch) == _WRITE_BATCH:
                cursor.executemany(compiled.string, batch)
                batch = []
        if batch:
            cursor.executemany(compiled.string, batch)
    finally:
        cursor.close()
