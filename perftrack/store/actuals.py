"""Recording what was achieved: an indicator's actual value for a period, as typed.

Each function works in the session of one user action (the caller commits), refuses what
the user can fix with a ``RecordError`` whose Chinese message names the indicator, period
and value, and writes one audit row per changed field. The GUI and the CLI both call these,
so a value entered either way is checked and recorded the same way. Points, notes, deductions
and budget execution are in ``settings.py``, evidence files in ``evidence.py``, the CSV/XLSX
import in ``actuals_import.py``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from perftrack.domain.attainment import Tier, parse_tier, tier_percent
from perftrack.domain.errors import UserError
from perftrack.domain.numbers import format_money
from perftrack.domain.periods import MONTHS, QUARTERS, normalize_period, period_with_code
from perftrack.domain.units import Rollup, UnitError, bounded, convert, parse_quantity
from perftrack.store.audit import audit, audit_text, current_user
from perftrack.store.schema import (
    REPORTING_MONTHLY,
    REPORTING_QUARTERLY,
    Actual,
    Indicator,
    PeriodReview,
    Project,
)

ACTUAL_LABELS = {
    "value_text": "实际完成值",
    "value": "实际完成值（折算）",
    "tier": "评价等级",
    "tier_percent": "得分比例",
    "note": "说明",
}


class RecordError(UserError, ValueError):
    """A value the user can correct; the Chinese message says which one and why."""


# A period as messages name it (第二季度（Q2）): kept with the other period words.
period_label = period_with_code


def check_period(project: Project, period: str, where: str) -> str:
    """The period code, refused when it is not one of the project's reporting periods."""
    try:
        code = normalize_period(period)
    except ValueError as exc:
        raise RecordError(f"{where}：{exc}") from exc
    if project.reporting == REPORTING_QUARTERLY and code in MONTHS:
        raise RecordError(
            f"{where}：项目「{project.name}」按季度填报，不能填报{period_label(code)}；"
            "请填写 Q1–Q4 或全年（YEAR），或先把项目的填报周期改为按月"
        )
    if project.reporting == REPORTING_MONTHLY and code in QUARTERS:
        raise RecordError(
            f"{where}：项目「{project.name}」按月填报，不能填报{period_label(code)}；"
            "请填写 M01–M12 或全年（YEAR），或先把项目的填报周期改为按季度"
        )
    return code


# The session's cache of approved (locked) periods: (project id, period) → who approved and when.
_LOCKS_KEY = "perftrack_locked_periods"


def _locked(session: Session) -> dict[tuple[int, str], tuple[str, dt.datetime | None]]:
    cached = session.info.get(_LOCKS_KEY)
    if cached is None:
        r = PeriodReview
        rows = session.execute(select(r.project_id, r.period, r.updated_by, r.updated_at).where(r.status == "approved"))
        cached = session.info[_LOCKS_KEY] = {(pid, period): (by, at) for pid, period, by, at in rows}
    return cached


def forget_locks(session: Session) -> None:
    """The locked periods changed in this session (a review step): read them again when next asked."""
    session.info.pop(_LOCKS_KEY, None)


def check_unlocked(session: Session, project: Project, period: str, what: str) -> None:
    """Refuse a write into a period a reviewer approved (its figures are locked until reopened)."""
    lock = _locked(session).get((project.id, period))
    if lock is None:
        return
    by, at = lock
    when = f" {at.astimezone().strftime('%Y-%m-%d %H:%M')}" if at is not None else ""
    raise PeriodLocked(
        f"{what}：项目「{project.name}」{period_label(period)}已由 {by or '审核人'}{when} 审核通过并锁定，"
        f"不能修改；如需修改，请审核人先重新打开（perftrack reopen {project.name} --period {period} --reason 理由）"
    )


class PeriodLocked(RecordError):
    """A write into an approved period; the message says who approved it and how to reopen."""


def assessed_by_tier(indicator: Indicator) -> bool:
    """True when the indicator is scored by tier (达成 / 部分达成 / 未达成) rather than by a number."""
    return (
        indicator.target_kind != "quantitative"
        or indicator.target_value is None
        or indicator.rollup == Rollup.QUALITATIVE.value
    )


# Fields holding money (元): shown in the history as an amount is printed, 2,500,000.00.
_MONEY_FIELDS = ("amount", "full_year_budget", "spent_appropriation", "spent_carryover", "spent_other")


def _shown(value: object, field: str | None = None) -> str:
    if field == "tier" and isinstance(value, str):
        return Tier(value).label
    if field in _MONEY_FIELDS and isinstance(value, Decimal):
        return format_money(value)
    text = audit_text(value)
    return "（空）" if text is None or text == "" else text


def parse_number(value: object, where: str, what: str) -> Decimal | None:
    """A number the user typed ("12.5", "12.5分", "85%"); None for blank."""
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool | float):
        raise TypeError(f"{what} needs a Decimal, int or str, not {type(value).__name__}")
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text.rstrip("%分").strip())
    except InvalidOperation:
        raise RecordError(f"{where}：{what}“{value}”不是有效的数字") from None
    if not number.is_finite():
        raise RecordError(f"{where}：{what}“{value}”不是有效的数字")
    try:
        return bounded(number, str(value))
    except ValueError as exc:
        raise RecordError(f"{where}：{what}{exc}") from exc


# -- actual values ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """A checked actual for one period, not yet written: a number in the target's unit or a tier."""

    period: str
    value: Decimal | None = None
    value_text: str | None = None
    unit: str | None = None
    tier: str | None = None
    tier_percent: Decimal | None = None


def get_actual(indicator: Indicator, period: str) -> Actual | None:
    """The indicator's recorded actual for a period, if any."""
    code = normalize_period(period)
    return next((a for a in indicator.actuals if a.period == code), None)


def prepare_actual(indicator: Indicator, period: str, text: str, percent: Decimal | str | None = None) -> Entry:
    """Check a value as typed for one period and convert it to the target's unit, writing nothing."""
    code = check_period(indicator.project, period, f"指标「{indicator.name}」")
    where = f"指标「{indicator.name}」{period_label(code)}"
    typed = (text or "").strip()
    share = parse_number(percent, where, "得分比例")
    if not typed:
        if share is not None:
            raise RecordError(f"{where}：没有选择评价等级，不能只填写得分比例 {share}%")
        return Entry(code)
    if assessed_by_tier(indicator):
        try:
            tier = parse_tier(typed)
            tier_percent(tier, share)
        except ValueError as exc:
            raise RecordError(f"{where}：{exc}") from exc
        return Entry(code, value_text=typed, tier=tier.value, tier_percent=share)
    if share is not None:
        raise RecordError(f"{where}：定量指标按数值评分，不填写得分比例（填写的是 {share}%）")
    try:
        number, unit = parse_quantity(typed)
    except ValueError as exc:
        raise RecordError(f"{where}：{exc}") from exc
    try:
        value = convert(number, unit, indicator.target_unit)
    except UnitError as exc:
        raise RecordError(f"{where}：“{typed}”无法记录，{exc}（年度指标值为“{indicator.target_raw}”）") from exc
    return Entry(code, value=value, value_text=typed, unit=indicator.target_unit)


# The tier ends in a word, never a digit: "75%" alone is not a tier with a share.
_TIER_PERCENT = re.compile(r"^(?P<tier>.*?[^\d.\s])\s*[（(]?\s*(?P<share>\d+(?:\.\d+)?)\s*[%％]\s*[)）]?\s*$")


def split_tier_percent(text: str) -> tuple[str, Decimal | None]:
    """A tier typed with its share of the points ("部分达成 75%", "达成（90%）") as (tier, 75)."""
    match = _TIER_PERCENT.match(text.strip())
    if match is None:
        return text, None
    return match["tier"], Decimal(match["share"])


def prepare_typed(indicator: Indicator, period: str, text: str) -> Entry:
    """A value as typed in a cell: a tier may carry its share ("部分达成 75%"), a number its unit."""
    if assessed_by_tier(indicator):
        tier_text, share = split_tier_percent(text)
        return prepare_actual(indicator, period, tier_text, share)
    return prepare_actual(indicator, period, text)


def log_change(
    session: Session,
    *,
    action: str,
    entity: str,
    entity_id: int,
    project: Project,
    what: str,
    field: str,
    old: object,
    new: object,
    user: str | None,
    indicator: Indicator | None = None,
    period: str | None = None,
    suffix: str = "",
) -> None:
    """One audit row, its summary "「项目」what：old → new" written the same way everywhere."""
    audit(
        session,
        action=action,
        entity=entity,
        entity_id=entity_id,
        project_id=project.id,
        indicator_id=indicator.id if indicator is not None else None,
        period=period,
        field=field,
        old=old,
        new=new,
        summary=change_summary(project.name, what, field, old, new, suffix),
        user=user,
    )


def change_summary(project_name: str, what: str, field: str, old: object, new: object, suffix: str = "") -> str:
    """An audit row's summary, "「项目」what：old → new", written the same way everywhere."""
    return f"「{project_name}」{what}：{_shown(old, field)} → {_shown(new, field)}{suffix}"


ACTUAL_FIELDS = ("value", "value_text", "unit", "tier", "tier_percent")


def wanted_fields(entry: Entry, note: str | None, keep_value: bool) -> dict[str, object]:
    """What writing an entry sets: its fields (none with ``keep_value``) and the note (unless None)."""
    wanted: dict[str, object] = {} if keep_value else {f: getattr(entry, f) for f in ACTUAL_FIELDS}
    if note is not None:
        wanted["note"] = note.strip() or None
    return wanted


def audited_fields(changed: list[str]) -> list[str]:
    """The changed fields an actual's audit rows name: the value as typed, not its conversion, unless
    only the conversion changed (same text, new number: the target's unit changed underneath)."""
    audited = [n for n in changed if n in ACTUAL_LABELS and n != "value"]
    if "value" in changed and "value_text" not in changed:
        audited.append("value")
    return audited


def actual_where(indicator_name: str, period: str) -> str:
    """How an audit summary or a message names an indicator's period: 指标「X」第一季度（Q1）."""
    return f"指标「{indicator_name}」{period_label(period)}"


def write_actual(
    session: Session,
    indicator: Indicator,
    entry: Entry,
    *,
    note: str | None = None,
    keep_value: bool = False,
    user: str | None = None,
    action: str | None = None,
    source: str = "",
) -> Actual | None:
    """Write a prepared entry (with ``keep_value`` only the note); None when nothing is left."""
    who = user or current_user()
    actual = get_actual(indicator, entry.period)
    wanted = wanted_fields(entry, note, keep_value)
    before = {name: getattr(actual, name, None) for name in wanted}
    changed = [name for name, new in wanted.items() if not same_value(before[name], new)]
    if not changed:
        return actual
    check_unlocked(session, indicator.project, entry.period, f"指标「{indicator.name}」")
    if actual is None:
        actual = Actual(period=entry.period, updated_by=who, **wanted)
        indicator.actuals.append(actual)
        verb = "create"
    else:
        for name in changed:
            setattr(actual, name, wanted[name])
        actual.updated_by, verb = who, "update"
    session.flush()
    entity_id = actual.id
    if drop_if_empty(session, actual):
        actual, verb = None, "delete"
    where = actual_where(indicator.name, entry.period)
    for name in audited_fields(changed):
        log_change(
            session,
            action=action or verb,
            entity="actual",
            entity_id=entity_id,
            project=indicator.project,
            indicator=indicator,
            period=entry.period,
            what=where + ACTUAL_LABELS[name],
            field=name,
            old=before[name],
            new=wanted[name],
            suffix=converted_note(name, entry) + source,
            user=who,
        )
    return actual


def converted_note(name: str, entry: Entry) -> str:
    """What the audit adds to a value typed in another unit: "（折合 12万元）"."""
    if name != "value_text" or entry.value is None or entry.value_text is None:
        return ""
    plain = audit_text(entry.value) or ""
    return "" if entry.value_text.startswith(plain) else f"（折合 {plain}{entry.unit or ''}）"


def drop_if_empty(session: Session, actual: Actual) -> bool:
    """Delete a period's row once it holds no value, tier, note or evidence; True when it went."""
    if actual.value_text or actual.tier or actual.note or actual.evidence:
        return False
    actual.indicator.actuals.remove(actual)  # delete-orphan: nothing half-cleared stays behind
    session.flush()
    return True


def same_value(old: object, new: object) -> bool:
    """Equal and of one type, except that Decimals compare by value (1.0 is 1.00)."""
    if isinstance(old, Decimal) and isinstance(new, Decimal):
        return old == new
    return old == new and type(old) is type(new)


def record_actual(
    session: Session,
    indicator: Indicator,
    period: str,
    text: str,
    *,
    percent: Decimal | str | None = None,
    note: str | None = None,
    user: str | None = None,
) -> Actual | None:
    """Record the value achieved in a period as typed ("35", "3500万元", "部分达成"); "" clears it.

    Returns the row, or None when clearing left nothing (no value, tier, note or evidence).
    """
    return write_actual(session, indicator, prepare_actual(indicator, period, text, percent), note=note, user=user)


def clear_actual(session: Session, indicator: Indicator, period: str, *, user: str | None = None) -> None:
    """Clear a period's value and note; the row stays only while evidence is attached to it."""
    code = check_period(indicator.project, period, f"指标「{indicator.name}」")
    write_actual(session, indicator, Entry(code), note="", user=user)
