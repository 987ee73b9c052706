"""Bulk reads and writes for the import: stored rows as plain tuples, changes as executemany.

A province imports ten thousand forms at once; objects and per-row statements would take
minutes, so the import reads what it compares with one query per table and writes with
one statement per shape of change.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from perftrack.store.convert import INDICATOR_FORM_FIELDS, PROJECT_FORM_FIELDS
from perftrack.store.schema import INDICATOR_USER_FIELDS, Actual, Indicator, Project

Key = tuple[int, str, str]  # (year, unit, name): what identifies a project


@dataclass(slots=True)
class StoredIndicator:
    """An indicator row as the import compares it."""

    id: int
    position: int
    name: str
    values: tuple[Any, ...]  # INDICATOR_FORM_FIELDS, in order
    source: str | None
    retired: bool
    has_user_data: bool


@dataclass(slots=True)
class StoredProject:
    """A project row and its indicators as the import compares them."""

    id: int
    values: tuple[Any, ...]  # PROJECT_FORM_FIELDS, in order
    source: str | None
    updated_at: Any
    indicators: list[StoredIndicator] = field(default_factory=list)


def load_stored(session: Session, years: set[int]) -> dict[Key, StoredProject]:
    """Every stored project of the given years with its indicators: three queries in all."""
    # Core tables, not ORM entities: nothing here needs objects, and rows are much faster.
    indicators = Indicator.__table__
    p, i, a = Project.__table__.c, indicators.c, Actual.__table__.c
    rows = session.execute(
        select(p.id, p.year, p.unit, p.name, p.source, p.updated_at)
        .add_columns(*(p[name] for name in PROJECT_FORM_FIELDS))
        .where(p.year.in_(years))
    )
    stored: dict[Key, StoredProject] = {}
    by_id: dict[int, StoredProject] = {}
    for pid, year, unit, name, source, updated_at, *values in rows:
        project = StoredProject(pid, tuple(values), source, updated_at)
        stored[(year, unit, name)] = project
        by_id[pid] = project
    if not by_id:
        return stored

    in_years = i.project_id.in_(select(p.id).where(p.year.in_(years)))
    recorded = set(
        session.scalars(select(a.indicator_id).distinct().join(indicators, a.indicator_id == i.id).where(in_years))
    )
    user_cols = [i[name] for name in INDICATOR_USER_FIELDS]
    rows = session.execute(
        select(i.id, i.project_id, i.position, i.name, i.source, i.retired)
        .add_columns(*(i[name] for name in INDICATOR_FORM_FIELDS))
        .add_columns(*user_cols)
        .where(in_years)
        .order_by(i.project_id, i.position, i.id)
    )
    n_form = len(INDICATOR_FORM_FIELDS)
    for iid, pid, position, name, source, retired, *rest in rows:
        user_data = iid in recorded or any(v is not None and v != "" for v in rest[n_form:])
        by_id[pid].indicators.append(
            StoredIndicator(iid, position, name, tuple(rest[:n_form]), source, retired, user_data)
        )
    return stored


# Core statements below, not ORM ones: ORM bulk writes drop None values from each row and
# so split a batch into thousands of statements; these run one executemany per shape.


def insert_returning_ids(session: Session, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    """INSERT the rows in one executemany; their new ids, in the rows' order."""
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.scalars(statement, rows))


def update_by_id(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """UPDATE rows by their "id", one executemany for each set of changed columns."""
    shapes: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        shapes[tuple(sorted(key for key in row if key != "id"))].append(row)
    for columns, group in shapes.items():
        # Bind names must differ from column names in an UPDATE's SET clause.
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values({name: bindparam(f"b_{name}", type_=table.c[name].type) for name in columns})
        )
        session.execute(statement, [{f"b_{key}": value for key, value in row.items()} for row in group])
