"""Recording what was achieved: actual values, points, deviation notes, budget execution.

Each function works in the session of one user action (the caller commits), refuses what
the user can fix with a ``RecordError`` whose Chinese message names the indicator, period
and value, and writes one audit row per changed field. The GUI and the CLI both call these,
so a value entered either way is checked and recorded the same way. Evidence files are in
``evidence.py``, the CSV/XLSX import in ``actuals_import.py``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from perftrack.domain.attainment import IndicatorInput, Tier, parse_tier, tier_percent
from perftrack.domain.periods import MONTHS, QUARTERS, YEAR, normalize_period, normalize_reporting
from perftrack.domain.points import INDICATOR_POINTS, allocate
from perftrack.domain.scoring import needs_explanation_missing
from perftrack.domain.units import Rollup, UnitError, convert, parse_quantity
from perftrack.store.audit import audit, audit_text, current_user
from perftrack.store.convert import FIELD_LABELS
from perftrack.store.evaluation import GRADE_LABELS_KEY, evaluate_project, grade_labels, target_of
from perftrack.store.schema import (
    REPORTING_MONTHLY,
    REPORTING_QUARTERLY,
    Actual,
    BudgetExecution,
    Indicator,
    Project,
    Setting,
)

MONITOR_CHANCES = ("确定能", "有可能", "完全不可能")
MONITOR_CAUSES = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")
ROLLUP_WORDS = {
    "sum": Rollup.SUM.value,
    "累加": Rollup.SUM.value,
    "latest": Rollup.LATEST.value,
    "取最新": Rollup.LATEST.value,
    "qualitative": Rollup.QUALITATIVE.value,
    "定性": Rollup.QUALITATIVE.value,
}
_DEFAULT_WORDS = ("", "default", "默认", "none", "clear")
_TEXT_FIELDS = ("deviation_reason", "measures", "deduction_reason", "monitor_measure")
_ACTUAL_LABELS = {
    "value_text": "实际完成值",
    "value": "实际完成值（折算）",
    "tier": "评价等级",
    "tier_percent": "得分比例",
    "note": "说明",
}
_QUARTER_WORDS = ("一", "二", "三", "四")


class RecordError(ValueError):
    """A value the user can correct; the Chinese message says which one and why."""


def period_label(code: str) -> str:
    """A period code as a person reads it: "第二季度（Q2）", "5月（M05）", "全年"."""
    if code == YEAR:
        return "全年"
    if code in QUARTERS:
        return f"第{_QUARTER_WORDS[QUARTERS.index(code)]}季度（{code}）"
    return f"{int(code[1:])}月（{code}）"


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


def assessed_by_tier(indicator: Indicator) -> bool:
    """True when the indicator is scored by tier (达成 / 部分达成 / 未达成) rather than by a number."""
    return (
        indicator.target_kind != "quantitative"
        or indicator.target_value is None
        or indicator.rollup == Rollup.QUALITATIVE.value
    )


def _shown(value: object, field: str | None = None) -> str:
    if field == "tier" and isinstance(value, str):
        return Tier(value).label
    text = audit_text(value)
    return "（空）" if text is None or text == "" else text


def _decimal(value: object, where: str, what: str) -> Decimal | None:
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
    return number


def parse_money(value: object, where: str) -> Decimal | None:
    """An amount in 元 from what the user typed ("215,457.60", "21.55万元"); None for blank."""
    if isinstance(value, bool | float):
        raise TypeError(f"money needs a Decimal, int or str, not {type(value).__name__}")
    if value is None or isinstance(value, Decimal | int):
        amount = None if value is None else Decimal(value)
    else:
        text = str(value).strip()
        if not text:
            return None
        try:
            number, unit = parse_quantity(text)
            amount = convert(number, unit, "元")
        except UnitError as exc:
            raise RecordError(f"{where}：金额“{text}”的单位无效，{exc}") from exc
        except ValueError as exc:
            raise RecordError(f"{where}：{exc}") from exc
    if amount is not None and amount < 0:
        raise RecordError(f"{where}：金额不能为负数（填写的是 {value}）")
    return amount


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
    share = _decimal(percent, where, "得分比例")
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
        summary=f"「{project.name}」{what}：{_shown(old, field)} → {_shown(new, field)}{suffix}",
        user=user,
    )


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
    fields = ("value", "value_text", "unit", "tier", "tier_percent")
    wanted: dict[str, object] = {} if keep_value else {f: getattr(entry, f) for f in fields}
    if note is not None:
        wanted["note"] = note.strip() or None
    before = {name: getattr(actual, name, None) for name in wanted}
    changed = [name for name, new in wanted.items() if not _same(before[name], new)]
    if not changed:
        return actual
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
    if not (actual.value_text or actual.tier or actual.note or actual.evidence):
        indicator.actuals.remove(actual)  # delete-orphan: nothing half-cleared stays behind
        session.flush()
        actual, verb = None, "delete"
    audited = [n for n in changed if n in _ACTUAL_LABELS and n != "value"]
    if "value" in changed and "value_text" not in changed:
        audited.append("value")  # same text, new number: the target's unit changed underneath
    where = f"指标「{indicator.name}」{period_label(entry.period)}"
    for name in audited:
        log_change(
            session,
            action=action or verb,
            entity="actual",
            entity_id=entity_id,
            project=indicator.project,
            indicator=indicator,
            period=entry.period,
            what=where + _ACTUAL_LABELS[name],
            field=name,
            old=before[name],
            new=wanted[name],
            suffix=_converted(name, entry) + source,
            user=who,
        )
    return actual


def _converted(name: str, entry: Entry) -> str:
    if name != "value_text" or entry.value is None or entry.value_text is None:
        return ""
    plain = audit_text(entry.value) or ""
    return "" if entry.value_text.startswith(plain) else f"（折合 {plain}{entry.unit or ''}）"


def _same(old: object, new: object) -> bool:
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


# -- indicator fields ---------------------------------------------------------------------


def _indicator_inputs(project: Project) -> list[IndicatorInput]:
    return [
        IndicatorInput(ind.name, ind.level1, ind.level2, target_of(ind), None, ind.points)
        for ind in project.indicators
        if not ind.retired
    ]


def indicator_points(indicator: Indicator) -> Decimal:
    """The indicator's 分值: set by the user, else its share of its group's points."""
    if indicator.points is not None:
        return indicator.points
    active = [i for i in indicator.project.indicators if not i.retired]
    points, _ = allocate(_indicator_inputs(indicator.project))
    return points[active.index(indicator)] if indicator in active else Decimal(0)


def _points(value: object, where: str) -> Decimal | None:
    if isinstance(value, str) and value.strip().lower() in _DEFAULT_WORDS:
        return None
    points = _decimal(value, where, "分值")
    if points is None:
        return None
    if points < 0 or points > INDICATOR_POINTS:
        raise RecordError(f"{where}：分值应在 0–{INDICATOR_POINTS} 之间，填写的是 {points}")
    if points != points.quantize(Decimal("0.01")):
        raise RecordError(f"{where}：分值最多保留两位小数，填写的是 {points}")
    return points


def _rollup(indicator: Indicator, value: object, where: str) -> str | None:
    key = str(value or "").strip().lower()
    if key in _DEFAULT_WORDS:
        return None
    if key not in ROLLUP_WORDS:
        raise RecordError(
            f"{where}：汇总方式“{value}”无效，"
            "应为 sum（累加）、latest（取最新）、qualitative（定性）或 default（按单位默认）"
        )
    rollup = ROLLUP_WORDS[key]
    if rollup != Rollup.QUALITATIVE.value and (
        indicator.target_kind != "quantitative" or indicator.target_value is None
    ):
        raise RecordError(f"{where}：年度指标值“{indicator.target_raw}”没有数值，只能按定性评价")
    return rollup


def _choice(value: object, choices: tuple[str, ...], where: str, what: str) -> str | None:
    text = str(value or "").strip()
    if not text:
        return None
    if text not in choices:
        raise RecordError(f"{where}：{what}“{text}”无效，应为 {' / '.join(choices)}")
    return text


def _expected(indicator: Indicator, value: object, where: str) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    text = str(value).strip()
    if not text:
        return None
    if assessed_by_tier(indicator):
        raise RecordError(f"{where}：定性指标没有数值形式的全年预计完成值（填写的是“{text}”）")
    entry = prepare_actual(indicator, YEAR, text)
    return entry.value


def _set(session: Session, obj: Project | Indicator, field: str, new: object, user: str | None) -> None:
    old = getattr(obj, field)
    if _same(old, new):
        return
    setattr(obj, field, new)
    indicator = obj if isinstance(obj, Indicator) else None
    project = obj.project if isinstance(obj, Indicator) else obj
    log_change(
        session,
        action="update",
        entity="indicator" if indicator else "project",
        entity_id=obj.id,
        project=project,
        indicator=indicator,
        what=(f"指标「{indicator.name}」" if indicator else "") + FIELD_LABELS.get(field, field),
        field=field,
        old=old,
        new=new,
        user=user,
    )


def set_indicator_field(
    session: Session, indicator: Indicator, field: str, value: object, *, user: str | None = None
) -> None:
    """Set one of the user's fields of an indicator (points, rollup, notes, deduction, monitoring)."""
    where = f"指标「{indicator.name}」"
    new: object
    if field == "points":
        new = _points(value, where)
    elif field == "rollup":
        new = _rollup(indicator, value, where)
    elif field in _TEXT_FIELDS:
        new = (str(value).strip() or None) if value is not None else None
        if field == "deduction_reason" and new is None and indicator.deduction is not None:
            raise RecordError(f"{where}：已有人工扣分 {indicator.deduction} 分，扣分理由不能为空；请先取消扣分")
    elif field == "deduction":
        new = _deduction(indicator, value, where)
        if new is not None and not (indicator.deduction_reason or "").strip():
            raise RecordError(f"{where}：人工扣分 {new} 分必须注明理由")
    elif field == "monitor_expected":
        new = _expected(indicator, value, where)
    elif field == "monitor_chance":
        new = _choice(value, MONITOR_CHANCES, where, "完成可能性")
    elif field == "monitor_cause":
        new = _choice(value, MONITOR_CAUSES, where, "偏差原因类型")
    else:
        raise ValueError(f"unknown indicator field {field!r}")
    _set(session, indicator, field, new, user)


def _deduction(indicator: Indicator, value: object, where: str) -> Decimal | None:
    amount = _decimal(value, where, "扣分")
    if amount is None:
        return None
    points = indicator_points(indicator)
    if amount < 0:
        raise RecordError(f"{where}：扣分不能为负数，填写的是 {amount}")
    if amount > points:
        raise RecordError(f"{where}：扣分 {amount} 分超过该指标的分值 {points} 分")
    return amount


def set_deduction(
    session: Session, indicator: Indicator, amount: object, reason: str | None, *, user: str | None = None
) -> None:
    """Deduct points by hand with the reason (a blank amount removes the deduction and its reason)."""
    where = f"指标「{indicator.name}」"
    if _decimal(amount, where, "扣分") is None:
        set_indicator_field(session, indicator, "deduction", None, user=user)
        set_indicator_field(session, indicator, "deduction_reason", None, user=user)
        return
    if not (reason or "").strip():
        raise RecordError(f"{where}：人工扣分 {amount} 分必须注明理由")
    _deduction(indicator, amount, where)  # refuse before the reason is written
    set_indicator_field(session, indicator, "deduction_reason", reason, user=user)
    set_indicator_field(session, indicator, "deduction", amount, user=user)


# -- project fields and budget ------------------------------------------------------------


def set_budget(
    session: Session,
    project: Project,
    amount: Decimal | str | None,
    *,
    period: str = YEAR,
    user: str | None = None,
) -> None:
    """Record money spent (元) in a period, or the full-year 全年执行数 for YEAR; blank clears it."""
    code = check_period(project, period, f"项目「{project.name}」预算执行数")
    where = f"项目「{project.name}」{period_label(code)}预算执行数"
    new = parse_money(amount, where)
    row = next((b for b in project.budget_executions if b.period == code), None)
    old = row.amount if row is not None else None
    if _same(old, new):
        return
    who = user or current_user()
    if row is None:
        row = BudgetExecution(period=code, amount=new, updated_by=who)
        project.budget_executions.append(row)
        verb = "create"
    elif new is None:
        verb = "delete"
    else:
        row.amount, row.updated_by, verb = new, who, "update"
    session.flush()
    entity_id = row.id
    if new is None:
        project.budget_executions.remove(row)
        session.flush()
    log_change(
        session,
        action=verb,
        entity="budget",
        entity_id=entity_id,
        project=project,
        period=code,
        what=f"{period_label(code)}预算执行数（元）",
        field="amount",
        old=old,
        new=new,
        user=who,
    )


def set_full_year_budget(
    session: Session, project: Project, amount: Decimal | str | None, *, user: str | None = None
) -> None:
    """Set the adjusted 全年预算数 in 元; blank returns to the declared 年度资金总额."""
    new = parse_money(amount, f"项目「{project.name}」全年预算数")
    _set(session, project, "full_year_budget", new, user)


def set_reporting(session: Session, project: Project, reporting: str, *, user: str | None = None) -> None:
    """Switch a project between quarterly and monthly reporting."""
    try:
        new = normalize_reporting(reporting)
    except ValueError as exc:
        raise RecordError(f"项目「{project.name}」：{exc}") from exc
    _set(session, project, "reporting", new, user)


def set_grade_labels(session: Session, labels: str) -> None:
    """Choose the grade words: "national" (优/良/中/差) or "shanghai" (优/良/合格/不合格)."""
    if labels not in ("national", "shanghai"):
        raise RecordError(f"等级标签方案“{labels}”无效，应为 national（优/良/中/差）或 shanghai（优/良/合格/不合格）")
    row = session.get(Setting, GRADE_LABELS_KEY)
    if row is None:
        session.add(Setting(key=GRADE_LABELS_KEY, value=labels))
    else:
        row.value = labels


# -- checks ---------------------------------------------------------------------------------


def points_problems(project: Project) -> list[str]:
    """What is wrong with the indicator points: set points not adding up to 90, unknown groups."""
    return allocate(_indicator_inputs(project))[1]


def explanations_missing(session: Session, project: Project) -> list[tuple[str, list[str]]]:
    """(indicator name, reasons) for each indicator that needs a deviation analysis and has none."""
    evaluation = evaluate_project(project, labels=grade_labels(session))
    return [(s.name, list(s.reasons)) for s in needs_explanation_missing(evaluation.score)]


def __getattr__(name: str) -> object:
    # Evidence lives in evidence.py, which imports this module; callers written against
    # perftrack.store.actuals.add_evidence find it here without an import cycle.
    if name in ("add_evidence", "remove_evidence"):
        from perftrack.store import evidence

        return getattr(evidence, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
