"""Compare-and-set: a value is written over only when it is still the value the writer saw.

Two people may have one project open. The window writes from what its page showed, so a value
someone else recorded in between would be overwritten without a word; an undo would erase it.
Every write from the window therefore names the text the cell showed, and a script can name the
value it expects (``perftrack record --expect OLD``): when the stored value is no longer that,
nothing is written and a :class:`Conflict` says who changed it to what, and when (from the audit
trail). The check and the write happen in one writing transaction, which on SQLite (BEGIN
IMMEDIATE) and on PostgreSQL (one advisory lock) no other writer interleaves with.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from perftrack.store.actuals import (
    RecordError,
    assessed_by_tier,
    check_period,
    get_actual,
    period_label,
    prepare_actual,
    prepare_typed,
)
from perftrack.store.schema import Audit, Indicator

# What a person types for "there is no value yet" when naming the value they expect.
EMPTY_WORDS = ("", "（空）", "(空)", "空", "无", "none", "empty")
# Audit fields of an actual that change the value itself (a note alone is not the value).
_VALUE_FIELDS = ("value_text", "value", "tier", "tier_percent")


class Conflict(RecordError):
    """The value changed since the writer saw it; nothing was written.

    ``seen`` is what the writer saw, ``now`` what is stored, ``by`` and ``at`` the last change
    (None when the audit trail does not name it)."""

    def __init__(self, where: str, *, seen: str, now: str, wanted: str, by: str | None, at: dt.datetime | None) -> None:
        self.where, self.seen, self.now, self.wanted, self.by, self.at = where, seen, now, wanted, by, at
        super().__init__(
            f"{where}现为“{shown(now)}”（{changed_by(by, at)}），不是您看到的“{shown(seen)}”；“{shown(wanted)}”未写入"
        )


def shown(text: str) -> str:
    """A value in a message: the empty value as （空）."""
    return text.strip() or "（空）"


def local_time(at: dt.datetime) -> str:
    """A stored (UTC) time as the user's wall clock reads it."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
    return aware.astimezone().strftime("%Y-%m-%d %H:%M")


def who_when(by: str | None, at: dt.datetime | None) -> str:
    """ "张三（2026-12-05 14:02）", or as much of it as the audit trail knows."""
    if by and at:
        return f"{by}（{local_time(at)}）"
    return by or "他人"


def changed_by(by: str | None, at: dt.datetime | None) -> str:
    """ "张三 于 2026-12-05 14:02 修改", or as much of it as is known."""
    if by and at:
        return f"{by} 于 {local_time(at)} 修改"
    if by:
        return f"{by} 修改"
    return "已被他人修改"


def last_change(
    session: Session,
    *,
    project_id: int,
    indicator_id: int | None = None,
    period: str | None = None,
    entity: str,
    fields: tuple[str, ...] = (),
) -> Audit | None:
    """The newest audit row of one value (an actual's period, a budget period, a field)."""
    query = select(Audit).where(Audit.project_id == project_id, Audit.entity == entity)
    if indicator_id is not None:
        query = query.where(Audit.indicator_id == indicator_id)
    if period is not None:
        query = query.where(Audit.period == period)
    if fields:
        query = query.where(Audit.field.in_(fields))
    return session.scalars(query.order_by(Audit.at.desc(), Audit.id.desc()).limit(1)).first()


def actual_change(session: Session, indicator: Indicator, period: str) -> Audit | None:
    """The newest change of an indicator's value in a period."""
    return last_change(
        session,
        project_id=indicator.project_id,
        indicator_id=indicator.id,
        period=period,
        entity="actual",
        fields=_VALUE_FIELDS,
    )


def expect_actual(session: Session, indicator: Indicator, period: str, expected: str, wanted: str) -> None:
    """Refuse (Conflict) unless the period's recorded value is still ``expected``.

    ``expected`` is compared by meaning in the target's unit: "10", "10.0" and "1万" match the same
    stored value; a tier matches its tier (and its share when one is named); an empty or "（空）"
    expectation matches only a period with no value.
    """
    code = check_period(indicator.project, period, f"指标「{indicator.name}」")
    actual = get_actual(indicator, code)
    has_value = actual is not None and (actual.value is not None or actual.tier is not None)
    text = (expected or "").strip()
    if text.lower() in EMPTY_WORDS:
        matches = not has_value
    elif not has_value:
        matches = False
    else:
        assert actual is not None
        matches = _same(indicator, code, actual.value, actual.tier, actual.tier_percent, text)
    if matches:
        return
    now = ""
    if actual is not None and has_value:
        now = actual.value_text or (str(actual.value) if actual.value is not None else "")
    change = actual_change(session, indicator, code)
    raise Conflict(
        f"指标「{indicator.name}」{period_label(code)}",
        seen=text,
        now=now,
        wanted=wanted,
        by=change.user if change is not None else (actual.updated_by if actual is not None else None),
        at=change.at if change is not None else None,
    )


def _same(
    indicator: Indicator,
    period: str,
    value: Decimal | None,
    tier: str | None,
    share: Decimal | None,
    expected: str,
) -> bool:
    if assessed_by_tier(indicator):
        try:
            entry = prepare_typed(indicator, period, expected)
        except RecordError:
            return False
        return tier == entry.tier and (entry.tier_percent is None or share == entry.tier_percent)
    try:
        entry = prepare_actual(indicator, period, expected)
    except RecordError as exc:
        raise RecordError(f"--expect：{exc}") from exc
    return value is not None and entry.value is not None and value == entry.value
