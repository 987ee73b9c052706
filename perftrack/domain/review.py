"""The quarterly review of a project's figures: 填报中 → 已提交 → 已审核 (locked), or 已退回.

Each quarter (or month, or the year end) a project's manager fills in the figures and submits
them; a reviewer approves them, which locks that period's values, notes, evidence and spending,
or returns them with a comment, which opens them again for the manager. An approved period is
changed only after a reviewer reopens it with a reason. Pure rules: the store keeps the states
and the audit trail, the command line and the window ask these.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from perftrack.domain.errors import UserError


class ReviewStatus(Enum):
    """Where a project's figures of one period stand."""

    DRAFT = "draft"  # 填报中: the manager is filling in (also: never submitted)
    SUBMITTED = "submitted"  # 已提交: waiting for a reviewer
    APPROVED = "approved"  # 已审核: locked
    RETURNED = "returned"  # 已退回: back with the reviewer's comment, open for the manager

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def locked(self) -> bool:
        """True when the period's figures may not change."""
        return self is ReviewStatus.APPROVED

    @property
    def open_for_entry(self) -> bool:
        """True while the manager may still change the figures."""
        return self in (ReviewStatus.DRAFT, ReviewStatus.RETURNED)


_LABELS = {
    ReviewStatus.DRAFT: "填报中",
    ReviewStatus.SUBMITTED: "已提交",
    ReviewStatus.APPROVED: "已审核",
    ReviewStatus.RETURNED: "已退回",
}


class Step(Enum):
    """What a person does to a period's figures."""

    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"

    @property
    def label(self) -> str:
        return _STEP_LABELS[self]

    @property
    def by_reviewer(self) -> bool:
        return self is not Step.SUBMIT

    @property
    def needs_text(self) -> bool:
        """Returning needs a comment, reopening a reason."""
        return self in (Step.RETURN, Step.REOPEN)


_STEP_LABELS = {Step.SUBMIT: "提交", Step.APPROVE: "审核通过", Step.RETURN: "退回", Step.REOPEN: "重新打开"}

# step → (the states it starts from, the state it leads to)
TRANSITIONS: dict[Step, tuple[tuple[ReviewStatus, ...], ReviewStatus]] = {
    Step.SUBMIT: ((ReviewStatus.DRAFT, ReviewStatus.RETURNED), ReviewStatus.SUBMITTED),
    Step.APPROVE: ((ReviewStatus.SUBMITTED,), ReviewStatus.APPROVED),
    Step.RETURN: ((ReviewStatus.SUBMITTED,), ReviewStatus.RETURNED),
    Step.REOPEN: ((ReviewStatus.APPROVED,), ReviewStatus.RETURNED),
}


class ReviewError(UserError, ValueError):
    """A step that cannot be taken from where the period stands; the message says why."""


def next_status(current: ReviewStatus, step: Step) -> ReviewStatus:
    """The state after ``step``; ReviewError when the step does not apply to ``current``."""
    starts, result = TRANSITIONS[step]
    if current not in starts:
        allowed = "、".join(s.label for s in starts)
        raise ReviewError(f"当前状态为“{current.label}”，不能{step.label}（只有“{allowed}”的期间可以{step.label}）")
    return result


@dataclass(frozen=True, slots=True)
class Missing:
    """What a period still lacks, found before it is submitted and shown in the reviewer's list."""

    no_value: tuple[str, ...] = ()  # indicators without a figure for the period
    unexplained: tuple[str, ...] = ()  # indicators off track (or over) without a deviation analysis
    no_spending: bool = False  # no budget execution recorded for the period

    @property
    def empty(self) -> bool:
        return not (self.no_value or self.unexplained or self.no_spending)

    def lines(self) -> list[str]:
        """One line per kind of gap, in Chinese."""
        lines = []
        if self.no_value:
            lines.append(f"{len(self.no_value)} 个指标未填报本期完成值：{_names(self.no_value)}")
        if self.unexplained:
            lines.append(f"{len(self.unexplained)} 个指标偏离目标而未写偏差原因：{_names(self.unexplained)}")
        if self.no_spending:
            lines.append("未填报本期预算执行数")
        return lines


def _names(names: tuple[str, ...], shown: int = 5) -> str:
    text = "、".join(names[:shown])
    return text + (f" 等 {len(names)} 个" if len(names) > shown else "")
