"""What a self-evaluation or a monitoring sheet reports, recorded once its declaration is imported.

A 项目支出绩效自评表 is its declaration plus the year's actual values (实际完成值) and the year's
spending (全年执行数); a monitoring sheet reports the values of its period. After the import has
created or updated the projects, each reported value is recorded as if typed, in the same
transaction, audited as read from that file. A value that cannot be recorded (a word where a
number is due, a unit that does not convert) is left for the user with a warning; it does not
stop the import of the targets.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from perftrack.domain import model as dm
from perftrack.domain.periods import MONTHS, QUARTERS, YEAR
from perftrack.domain.units import Rollup, default_rollup
from perftrack.store.actuals import RecordError, prepare_actual, write_actual
from perftrack.store.convert import target_of
from perftrack.store.schema import Indicator, Project
from perftrack.store.settings import set_budget

_KIND_WORDS = {"self_evaluation": "自评表", "monitoring": "监控表"}


def record_reported(session: Session, declarations: Sequence[dm.Declaration], *, user: str | None = None) -> list[str]:
    """Record every reported actual and spending of these (imported) declarations; warnings for what was left."""
    warnings: list[str] = []
    wanted = [d for d in declarations if d.reported or d.reported_spending is not None]
    if not wanted:
        return warnings
    keys = {(d.year, d.unit or "", d.name) for d in wanted}
    projects = {
        (p.year, p.unit, p.name): p
        for p in session.scalars(
            select(Project)
            .where(Project.name.in_({k[2] for k in keys}))
            .options(
                selectinload(Project.indicators).selectinload(Indicator.actuals),
                selectinload(Project.budget_executions),
            )
        )
    }
    for decl in wanted:
        project = projects.get((decl.year, decl.unit or "", decl.name))
        if project is None:
            continue  # not imported (no year): the import said why
        where = str(decl.source.file) if decl.source else ""
        source = f"（读自{_KIND_WORDS.get(decl.sheet_kind, '表格')} {where}）"
        by_name = {i.name: i for i in project.indicators if not i.retired}
        for reported in decl.reported:
            indicator = by_name.get(reported.indicator)
            if indicator is None:
                continue
            if (earlier := _earlier_values(indicator, reported.period)) is not None:
                # "1-6月执行情况" is the total so far: beside Q1's own value it would count Q1 twice
                warnings.append(
                    f"{reported.source or decl.name}：指标「{indicator.name}」的“{reported.raw}”是截至该期的累计数，"
                    f"而此前各期已填了 {earlier}；按期累加的指标不能直接记入，未记录，请在程序中填写该期的数"
                )
                continue
            try:
                entry = prepare_actual(indicator, reported.period, reported.raw)
            except RecordError as exc:
                place = f"{reported.source}：" if reported.source else ""
                warnings.append(f"{place}{exc}；这个实际值未记录，请在程序中填写")
                continue
            write_actual(session, indicator, entry, user=user, action="import", source=source)
        if decl.reported_spending is not None:
            set_budget(session, project, decl.reported_spending, user=user, action="import", source=source)
    return warnings


def _earlier_values(indicator: Indicator, period: str) -> str | None:
    """For an indicator whose periods add up, the values already recorded before ``period`` (a monitoring
    sheet's cumulative figure cannot go beside them); None when there are none or nothing adds up."""
    if period == YEAR or period not in QUARTERS + MONTHS:
        return None
    if indicator.rollup is not None and indicator.rollup != Rollup.SUM:
        return None
    if indicator.rollup is None and default_rollup(target_of(indicator)) is not Rollup.SUM:
        return None
    order = QUARTERS if period in QUARTERS else MONTHS
    before = [a for a in indicator.actuals if a.period in order[: order.index(period)] and a.value_text]
    return "、".join(f"{a.period} {a.value_text}" for a in before) or None


__all__ = ["record_reported"]
