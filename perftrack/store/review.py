"""The quarterly review in the database: each project's period state, the reviewers, every step audited.

The rules are in ``perftrack.domain.review``; here they meet the rows. A step runs in the caller's
writing transaction (writers queue, so two reviewers cannot approve and return one period at
once) and writes one audit row: who, when, from which state to which, with the comment or
reason. Approving locks the period: ``actuals.check_unlocked`` refuses every write of its
values, notes, evidence and spending until a reviewer reopens it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from perftrack.domain.attainment import Status
from perftrack.domain.periods import YEAR, normalize_period, periods_for
from perftrack.domain.review import Missing, ReviewError, ReviewStatus, Step, next_status
from perftrack.store.actuals import RecordError, check_period, forget_locks, period_label
from perftrack.store.audit import audit, current_user
from perftrack.store.coltypes import utcnow
from perftrack.store.evaluation import ProjectEvaluation, evaluate_all
from perftrack.store.schema import PeriodReview, Project, Reviewer


class NotAReviewer(RecordError):
    """The user is not on the database's list of reviewers."""


@dataclass(frozen=True, slots=True)
class StepResult:
    project: str
    period: str
    before: ReviewStatus
    after: ReviewStatus
    missing: Missing  # what the period lacked when the step was taken


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One project in the reviewer's list for a period."""

    project_id: int
    year: int
    unit: str
    name: str
    period: str
    status: ReviewStatus
    by: str | None
    at: dt.datetime | None
    comment: str | None
    score: Decimal
    scored: bool
    off_track: int
    unexplained: int
    missing: Missing
    manager: str | None = None  # 项目负责人

    @property
    def needs_reviewer(self) -> bool:
        return self.status is ReviewStatus.SUBMITTED

    @property
    def needs_manager(self) -> bool:
        return self.status.open_for_entry


# -- who acts ---------------------------------------------------------------------------------


def acting_user(session: Session) -> str:
    """Who takes a step: the database login on a server (each teammate has one), else the OS user."""
    if session.get_bind().dialect.name == "postgresql":
        return str(session.scalar(select(func.current_user())))
    return current_user()


def reviewers(session: Session) -> list[str]:
    """The names allowed to approve, return and reopen; empty: anyone may (a one-person unit)."""
    return list(session.scalars(select(Reviewer.name).order_by(Reviewer.name)))


def add_reviewer(session: Session, name: str) -> bool:
    """Put a name on the list; False when it was there already."""
    name = name.strip()
    if not name:
        raise RecordError("审核人姓名（登录名）不能为空")
    _check_may_change_list(session)
    if session.get(Reviewer, name) is not None:
        return False
    session.add(Reviewer(name=name, added_by=acting_user(session)))
    return True


def remove_reviewer(session: Session, name: str) -> bool:
    """Take a name off the list; False when it was not on it."""
    _check_may_change_list(session)
    row = session.get(Reviewer, name.strip())
    if row is None:
        return False
    session.delete(row)
    return True


def _check_may_change_list(session: Session) -> None:
    """Once there are reviewers, only they change the list."""
    allowed, user = reviewers(session), acting_user(session)
    if allowed and user not in allowed:
        raise NotAReviewer(f"{user} 不在审核人名单中，不能修改名单（审核人：{'、'.join(allowed)}）")


def _check_reviewer(session: Session, user: str, step: Step) -> None:
    allowed = reviewers(session)
    if allowed and user not in allowed:
        raise NotAReviewer(
            f"{user} 不在审核人名单中，不能{step.label}（审核人：{'、'.join(allowed)}）；"
            "请审核人操作，或由审核人用 perftrack reviewers add 把您加入名单"
        )


# -- states -----------------------------------------------------------------------------------


def status_of(session: Session, project_id: int, period: str) -> tuple[ReviewStatus, PeriodReview | None]:
    row = session.scalar(
        select(PeriodReview).where(PeriodReview.project_id == project_id, PeriodReview.period == period)
    )
    return (ReviewStatus(row.status) if row is not None else ReviewStatus.DRAFT), row


def missing_of(evaluation: ProjectEvaluation, period: str, has_spending: bool) -> Missing:
    """What a project's figures of ``period`` still lack (evaluated as of that period): indicators
    without a figure for it, indicators off track (at the year end: losing points or over-achieved)
    without a deviation analysis, and the period's spending."""
    no_value, unexplained = [], []
    for ev, sc in zip(evaluation.indicators, evaluation.score.indicators, strict=True):
        if period not in ev.periods:
            no_value.append(sc.name)
            continue
        off = sc.needs_explanation if period == YEAR else ev.attainment.status is Status.OFF_TRACK
        if off and not (sc.deviation_reason or "").strip():
            unexplained.append(sc.name)
    return Missing(tuple(no_value), tuple(unexplained), not has_spending)


def _evaluation(session: Session, project: Project, period: str) -> ProjectEvaluation:
    [evaluation] = evaluate_all(session, [project.id], as_of=period)
    return evaluation


def take_step(session: Session, project: Project, period: str, step: Step, text: str | None = None) -> StepResult:
    """Submit, approve, return or reopen a project's period; audited, in the caller's transaction."""
    code = check_period(project, period, f"项目「{project.name}」")
    where = f"项目「{project.name}」{period_label(code)}"
    note = (text or "").strip() or None
    if step.needs_text and note is None:
        what = "退回意见（--comment）" if step is Step.RETURN else "重新打开的理由（--reason）"
        raise RecordError(f"{where}：{step.label}须写明{what}")
    user = acting_user(session)
    if step.by_reviewer:
        _check_reviewer(session, user, step)
    before, row = status_of(session, project.id, code)
    try:
        after = next_status(before, step)
    except ReviewError as exc:
        raise RecordError(f"{where}：{exc}") from exc
    session.flush()
    gaps = missing_of(
        _evaluation(session, project, code), code, any(b.period == code for b in project.budget_executions)
    )
    if row is None:
        row = PeriodReview(project_id=project.id, period=code)
        session.add(row)
    row.status, row.comment, row.updated_by, row.updated_at = after.value, note, user, utcnow()
    session.flush()
    forget_locks(session)
    audit(
        session,
        action="update",
        entity="review",
        entity_id=row.id,
        project_id=project.id,
        period=code,
        field="status",
        old=before.value,
        new=after.value,
        summary=f"「{project.name}」{period_label(code)}{step.label}：{before.label} → {after.label}"
        + (f"（{note}）" if note else ""),
        user=user,
    )
    return StepResult(project.name, code, before, after, gaps)


def review_rows(
    session: Session,
    period: str,
    *,
    year: int | None = None,
    unit: str | None = None,
    manager: str | None = None,
) -> list[ReviewRow]:
    """Every project (of a year, unit and 项目负责人) with where its figures of ``period`` stand."""
    code = normalize_period(period)
    query = select(Project.id)
    if year is not None:
        query = query.where(Project.year == year)
    if unit is not None:
        query = query.where(Project.unit == unit)
    if manager is not None:
        query = query.where(Project.manager == manager)
    ids = list(session.scalars(query))
    states = {
        r.project_id: r
        for r in session.scalars(
            select(PeriodReview).where(PeriodReview.period == code, PeriodReview.project_id.in_(ids))
        )
    }
    rows = []
    for ev in evaluate_all(session, ids, as_of=code):
        if code not in (*periods_for(ev.reporting), YEAR):
            continue  # a monthly project has no quarter to review, and the other way round
        decl = ev.declaration
        state = states.get(ev.project_id)
        gaps = missing_of(ev, code, code in ev.budget_by_period)
        rows.append(
            ReviewRow(
                project_id=ev.project_id,
                year=decl.year,
                unit=decl.unit or "",
                name=decl.name,
                period=code,
                status=ReviewStatus(state.status) if state is not None else ReviewStatus.DRAFT,
                by=state.updated_by if state is not None else None,
                at=state.updated_at if state is not None else None,
                comment=state.comment if state is not None else None,
                score=ev.score.total,
                scored=any(ind.periods for ind in ev.indicators) or bool(ev.budget_by_period),
                off_track=sum(1 for ind in ev.indicators if ind.attainment.status is Status.OFF_TRACK),
                unexplained=len(gaps.unexplained),
                missing=gaps,
                manager=decl.manager,
            )
        )
    return rows


def managers(session: Session) -> list[str]:
    """Every 项目负责人 named on a project, in order."""
    return sorted(m for m in session.scalars(select(Project.manager).distinct()) if m)


def due(
    session: Session, today: dt.date, project_ids: Iterable[int] | None = None, *, manager: str | None = None
) -> list[tuple[str, str]]:
    """(project name, period) of every quarter (month) that has ended and is not yet submitted (of
    one 项目负责人's projects when named), in two queries whatever the number of projects."""
    query = select(Project.id, Project.name, Project.year, Project.reporting)
    if project_ids is not None:
        query = query.where(Project.id.in_(list(project_ids)))
    if manager is not None:
        query = query.where(Project.manager == manager)
    done = set(
        session.execute(
            select(PeriodReview.project_id, PeriodReview.period).where(
                PeriodReview.status.in_((ReviewStatus.SUBMITTED.value, ReviewStatus.APPROVED.value))
            )
        ).all()
    )
    found = []
    for pid, name, year, reporting in session.execute(query.order_by(Project.year, Project.name)):
        for code in periods_for(reporting):
            if _ended(year, code, today) and (pid, code) not in done:
                found.append((name, code))
    return found


def _ended(year: int, code: str, today: dt.date) -> bool:
    from perftrack.domain.periods import elapsed_months

    last_month = elapsed_months(code)
    end = dt.date(year + (last_month // 12), last_month % 12 + 1, 1)  # the first day after the period
    return today >= end
