"""The fill-in workbook round trip in the database: what a form holds, and applying a returned one.

A returned workbook is applied all or nothing, in the caller's transaction: every problem names
its cell; a workbook made from another database, for a project no longer there or for a period
a reviewer approved is refused with the reason; values that differ from what is recorded are
listed and written only with the user's word (``replace``), as a re-import's are.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from perftrack.domain.attainment import Tier
from perftrack.domain.fill_in import FilledForm, FilledValue, FillForm, FillRow
from perftrack.domain.periods import YEAR, periods_for
from perftrack.store.actuals import (
    Entry,
    RecordError,
    assessed_by_tier,
    check_period,
    check_unlocked,
    get_actual,
    period_label,
    prepare_typed,
    same_value,
    write_actual,
)
from perftrack.store.schema import Actual, Indicator, Project, Setting
from perftrack.store.settings import parse_money, set_budget, set_indicator_field

DATABASE_ID_KEY = "database_id"


class FillInConflict(RecordError):
    """Values of a returned workbook differ from what is recorded; nothing was written."""

    def __init__(self, message: str, conflicts: list[str]) -> None:
        super().__init__(message)
        self.conflicts = conflicts


def database_id(session: Session) -> str:
    """This database's own name for itself (made once), carried by its fill-in workbooks."""
    row = session.get(Setting, DATABASE_ID_KEY)
    if row is None:
        row = Setting(key=DATABASE_ID_KEY, value=uuid.uuid4().hex)
        session.add(row)
        session.flush()
    return row.value


def _shown(actual: Actual | None) -> str:
    if actual is None:
        return ""
    if actual.tier:
        return actual.value_text or Tier(actual.tier).label
    return actual.value_text or ""


def fill_in_form(session: Session, project: Project, period: str) -> FillForm:
    """What the project's workbook for ``period`` shows (writes the database's id once)."""
    code = check_period(project, period, f"项目「{project.name}」")
    earlier = [p for p in periods_for(project.reporting) if code == YEAR or p < code]
    indicators = sorted((i for i in project.indicators if not i.retired), key=lambda i: (i.position, i.id))
    rows = tuple(_fill_row(ind, code, earlier) for ind in indicators)
    spent = next((b.amount for b in project.budget_executions if b.period == code), None)
    return FillForm(
        database_id=database_id(session),
        project_id=project.id,
        project=project.name,
        unit=project.unit or "",
        year=project.year,
        period=code,
        period_name=period_label(code),
        earlier_periods=tuple(period_label(p) for p in earlier),
        rows=rows,
        spending=format(spent, "f") if spent is not None else "",
    )


def _fill_row(ind: Indicator, code: str, earlier: list[str]) -> FillRow:
    current = get_actual(ind, code)
    return FillRow(
        indicator_id=ind.id,
        level1=ind.level1 or "",
        level2=ind.level2 or "",
        name=ind.name,
        target=ind.target_raw or "",
        by_tier=assessed_by_tier(ind),
        earlier=tuple(_shown(get_actual(ind, p)) for p in earlier),
        value=_shown(current),
        note=(current.note or "") if current is not None else "",
        cause=ind.monitor_cause or "",
        reason=ind.deviation_reason or "",
    )


@dataclass
class FillInSummary:
    """What applying a returned workbook changed, or would change."""

    project: str
    period: str
    values: int = 0
    notes: int = 0
    fields: int = 0
    spending: bool = False
    conflicts: list[str] = field(default_factory=list)  # recorded values the workbook would replace


def apply_fill_in(
    session: Session, filled: FilledForm, *, replace: bool = False, user: str | None = None
) -> FillInSummary:
    """Apply a returned workbook; RecordError (nothing written) with every problem, or with the
    conflicting values when ``replace`` was not given."""
    name = Path(filled.path).name
    if filled.database_id != database_id(session):
        raise RecordError(
            f"{name}：这份填报工作簿来自另一个 perftrack 数据库（项目「{filled.project}」），不能导入本数据库"
        )
    project = session.get(Project, filled.project_id)
    if project is None:
        raise RecordError(f"{name}：项目「{filled.project}」已不在数据库中，不能导入")
    code = check_period(project, filled.period, f"{name}")
    check_unlocked(session, project, code, name)
    source = f"（读自填报表 {name}）"
    summary = FillInSummary(project.name, code)
    problems: list[str] = []
    plans = []
    for row in filled.rows:
        indicator = session.get(Indicator, row.indicator_id)
        if indicator is None or indicator.project_id != project.id or indicator.retired:
            problems.append(f"{row.value.cell}：指标“{row.name}”已不在项目中（表中的行与数据库不再对应）")
            continue
        plans.append((indicator, row))
        _plan_value(indicator, code, row.value, problems, summary)
        _check_field(indicator, "monitor_cause", row.cause, problems)
    spending = None
    if filled.spending.text:
        try:
            spending = parse_money(filled.spending.text, f"{filled.spending.cell}")
        except RecordError as exc:
            problems.append(str(exc))
        else:
            old = next((b.amount for b in project.budget_executions if b.period == code), None)
            if old is not None and spending is not None and not same_value(old, spending):
                summary.conflicts.append(f"{filled.spending.cell} 预算执行数：已记录 {old}，填报表为 {spending}")
    if problems:
        raise RecordError(f"{name}：有 {len(problems)} 处问题，未导入任何内容：\n" + "\n".join(problems))
    if summary.conflicts and not replace:
        raise FillInConflict(
            f"{name}：有 {len(summary.conflicts)} 处与已记录的值不同，未导入任何内容；"
            "确认以填报表为准请加 --replace：\n" + "\n".join(summary.conflicts),
            summary.conflicts,
        )
    for indicator, row in plans:
        existing = get_actual(indicator, code)
        if row.value.text:
            entry = prepare_typed(indicator, code, row.value.text)
            note = row.note.text if row.note.text != ((existing.note or "") if existing else "") else None
            before = _shown(existing)
            write_actual(session, indicator, entry, note=note, user=user, action="import", source=source)
            summary.values += before != row.value.text
            summary.notes += note is not None
        elif row.note.text and existing is not None and row.note.text != (existing.note or ""):
            write_actual(session, indicator, Entry(code), note=row.note.text, keep_value=True, user=user, source=source)
            summary.notes += 1
        for field_name, cell in (("monitor_cause", row.cause), ("deviation_reason", row.reason)):
            if cell.text and cell.text != (getattr(indicator, field_name) or ""):
                set_indicator_field(session, indicator, field_name, cell.text, user=user)
                summary.fields += 1
    if spending is not None:
        set_budget(session, project, spending, period=code, user=user, action="import", source=source)
        summary.spending = True
    return summary


def _plan_value(
    indicator: Indicator, code: str, cell: FilledValue, problems: list[str], summary: FillInSummary
) -> None:
    if not cell.text:
        return
    try:
        entry = prepare_typed(indicator, code, cell.text)
    except RecordError as exc:
        problems.append(f"{cell.cell}：{exc}")
        return
    existing = get_actual(indicator, code)
    if existing is None or (existing.value is None and existing.tier is None):
        return
    same = (
        existing.tier == entry.tier and same_value(existing.tier_percent, entry.tier_percent)
        if entry.tier
        else existing.value is not None and entry.value is not None and existing.value == entry.value
    )
    if not same:
        summary.conflicts.append(
            f"{cell.cell} 指标「{indicator.name}」：已记录 {_shown(existing)}，填报表为 {cell.text}"
        )


def _check_field(indicator: Indicator, field_name: str, cell: FilledValue, problems: list[str]) -> None:
    from perftrack.domain.fields import MONITOR_CAUSES

    if cell.text and cell.text not in MONITOR_CAUSES:
        problems.append(f"{cell.cell}：偏差原因类型“{cell.text}”不在可选范围（{'、'.join(MONITOR_CAUSES)}）")
