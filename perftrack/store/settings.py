"""What the user sets beside the actuals: indicator points, roll-up, notes, deductions and
monitoring answers; a project's budget execution, full-year budget and reporting cycle; the
grade labels. Also the two checks of what was set (points adding up, explanations missing).

Like ``actuals.py``: one user action per session (the caller commits), a ``RecordError`` in
Chinese for what the user can fix, and one audit row per changed field.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.orm import Session, object_session

from perftrack.domain import fields
from perftrack.domain.attainment import IndicatorInput
from perftrack.domain.fields import FieldKind
from perftrack.domain.numbers import money_unit as money_unit_named
from perftrack.domain.periods import YEAR, normalize_reporting
from perftrack.domain.points import INDICATOR_POINTS, allocate
from perftrack.domain.rules import NATIONAL, RULE_SETS, rule_set
from perftrack.domain.scoring import needs_explanation_missing
from perftrack.domain.units import Rollup, UnitError, bounded, convert, parse_quantity
from perftrack.store.actuals import (
    RecordError,
    assessed_by_tier,
    check_period,
    check_unlocked,
    log_change,
    parse_number,
    period_label,
    prepare_actual,
    same_value,
)
from perftrack.store.audit import current_user
from perftrack.store.convert import FIELD_LABELS, target_of
from perftrack.store.evaluation import GRADE_LABELS_KEY, MONEY_UNIT_KEY, evaluate_project, grade_labels
from perftrack.store.schema import BudgetExecution, Indicator, Project, Setting

ROLLUP_WORDS = {
    "sum": Rollup.SUM.value,
    "累加": Rollup.SUM.value,
    "latest": Rollup.LATEST.value,
    "取最新": Rollup.LATEST.value,
    "qualitative": Rollup.QUALITATIVE.value,
    "定性": Rollup.QUALITATIVE.value,
}
_DEFAULT_WORDS = ("", "default", "默认", "none", "clear")
_TEXT_FIELDS = fields.names(FieldKind.TEXT)


def parse_money(value: object, where: str) -> Decimal | None:
    """An amount in 元 from what the user typed ("215,457.60", "21.55万元"); None for blank."""
    if isinstance(value, bool | float):
        raise TypeError(f"money needs a Decimal, int or str, not {type(value).__name__}")
    if value is None or isinstance(value, Decimal | int):
        try:
            amount = None if value is None else bounded(Decimal(value), str(value))
        except ValueError as exc:
            raise RecordError(f"{where}：{exc}") from exc
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
    # Below zero is stored and warned about (domain/plausible.py), like every other figure.
    return amount


def _set(session: Session, obj: Project | Indicator, field: str, new: object, user: str | None) -> None:
    old = getattr(obj, field)
    if same_value(old, new):
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
    points, _ = _allocate(indicator.project)
    return points[active.index(indicator)] if indicator in active else Decimal(0)


def _points(value: object, where: str) -> Decimal | None:
    if isinstance(value, str) and value.strip().lower() in _DEFAULT_WORDS:
        return None
    points = parse_number(value, where, "分值")
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
    return prepare_actual(indicator, YEAR, text).value


def _deduction(indicator: Indicator, value: object, where: str) -> Decimal | None:
    amount = parse_number(value, where, "扣分")
    if amount is None:
        return None
    points = indicator_points(indicator)
    if amount < 0:
        raise RecordError(f"{where}：扣分不能为负数，填写的是 {amount}")
    if amount > points:
        raise RecordError(f"{where}：扣分 {amount} 分超过该指标的分值 {points} 分")
    return amount


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
    elif field in fields.names(FieldKind.CHOICE):
        kind = fields.BY_NAME[field]
        new = _choice(value, kind.choices, where, kind.label)
    else:
        raise ValueError(f"unknown indicator field {field!r}")
    _set(session, indicator, field, new, user)


def set_deduction(
    session: Session, indicator: Indicator, amount: object, reason: str | None, *, user: str | None = None
) -> None:
    """Deduct points by hand with the reason (a blank amount removes the deduction and its reason)."""
    where = f"指标「{indicator.name}」"
    if parse_number(amount, where, "扣分") is None:
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
    action: str | None = None,
    source: str = "",
) -> None:
    """Record money spent (元) in a period, or the full-year 全年执行数 for YEAR; blank clears it.

    ``action`` and ``source`` mark the audit row of a value read from a file ("import", "（读自…）")."""
    code = check_period(project, period, f"项目「{project.name}」预算执行数")
    where = f"项目「{project.name}」{period_label(code)}预算执行数"
    new = parse_money(amount, where)
    row = next((b for b in project.budget_executions if b.period == code), None)
    old = row.amount if row is not None else None
    if same_value(old, new):
        return
    check_unlocked(session, project, code, "预算执行数")
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
        action=action or verb,
        entity="budget",
        entity_id=entity_id,
        project=project,
        period=code,
        what=f"{period_label(code)}预算执行数（元）",
        field="amount",
        old=old,
        new=new,
        user=who,
        suffix=source,
    )


def set_full_year_budget(
    session: Session, project: Project, amount: Decimal | str | None, *, user: str | None = None
) -> None:
    """Set the adjusted 全年预算数 in 元; blank returns to the declared 年度资金总额."""
    new = parse_money(amount, f"项目「{project.name}」全年预算数")
    _set(session, project, "full_year_budget", new, user)


# The funding sources of the form's 其中 rows, by what a user may call them.
SOURCE_NAMES = {
    "appropriation": "appropriation",
    "当年财政拨款": "appropriation",
    "财政拨款": "appropriation",
    "财政": "appropriation",
    "carryover": "carryover",
    "上年结转资金": "carryover",
    "上年结转": "carryover",
    "结转": "carryover",
    "other": "other",
    "其他资金": "other",
    "其他": "other",
}


def funding_source(name: str) -> str:
    """The key of a funding source named as the form does ("当年财政拨款", "结转", "other")."""
    key = SOURCE_NAMES.get(name.strip().lower().removeprefix("其中：").removeprefix("其中:"))
    if key is None:
        raise RecordError(f"资金来源“{name}”无效，应为 当年财政拨款、上年结转资金 或 其他资金")
    return key


def set_source_spent(
    session: Session, project: Project, source: str, amount: Decimal | str | None, *, user: str | None = None
) -> None:
    """Record the 全年执行数 of one funding source (a 其中 row); blank clears it. A year figure:
    refused while the year-end review has approved the year."""
    key = funding_source(source)
    field = f"spent_{key}"
    new = parse_money(amount, f"项目「{project.name}」{FIELD_LABELS[field]}")
    if same_value(getattr(project, field), new):
        return
    check_unlocked(session, project, YEAR, FIELD_LABELS[field])
    _set(session, project, field, new, user)


MANAGER_MAX = 50


def set_manager(session: Session, project: Project, name: str | None, *, user: str | None = None) -> None:
    """Name the project's 项目负责人 (one person, as forms write it); blank clears it."""
    new = " ".join((name or "").split()) or None
    if new is not None and len(new) > MANAGER_MAX:
        raise RecordError(f"项目「{project.name}」：项目负责人最多 {MANAGER_MAX} 字，填写的有 {len(new)} 字")
    _set(session, project, "manager", new, user)


GOAL_ACHIEVED_MAX = 2000


def set_goal_achieved(session: Session, project: Project, text: str | None, *, user: str | None = None) -> None:
    """Set the unit's own 实际完成情况 of the annual goal; blank returns to the sentence drawn from the figures."""
    new = (text or "").strip() or None
    if new is not None and len(new) > GOAL_ACHIEVED_MAX:
        raise RecordError(
            f"项目「{project.name}」：年度总体目标实际完成情况最多 {GOAL_ACHIEVED_MAX} 字，填写的有 {len(new)} 字"
        )
    _set(session, project, "goal_achieved", new, user)


def set_reporting(session: Session, project: Project, reporting: str, *, user: str | None = None) -> None:
    """Switch a project between quarterly and monthly reporting."""
    try:
        new = normalize_reporting(reporting)
    except ValueError as exc:
        raise RecordError(f"项目「{project.name}」：{exc}") from exc
    _set(session, project, "reporting", new, user)


def set_grade_labels(session: Session, labels: str) -> None:
    """Choose the scoring rules (domain/rules.py's RULE_SETS: "national" 优/良/中/差, "shanghai" …)."""
    if labels not in RULE_SETS:
        choices = "；".join(f"{r.key}（{r.words()}）" for r in RULE_SETS.values())
        raise RecordError(f"评分规则“{labels}”不存在，可选：{choices}")
    row = session.get(Setting, GRADE_LABELS_KEY)
    if row is None:
        session.add(Setting(key=GRADE_LABELS_KEY, value=labels))
    else:
        row.value = labels


def set_money_unit(session: Session, unit: str) -> str:
    """Choose how amounts are shown and printed: 元 or 万元 (they stay stored in 元); the unit set."""
    try:
        chosen = money_unit_named(unit)
    except ValueError as exc:
        raise RecordError(str(exc)) from exc
    row = session.get(Setting, MONEY_UNIT_KEY)
    if row is None:
        session.add(Setting(key=MONEY_UNIT_KEY, value=chosen))
    else:
        row.value = chosen
    return chosen


# -- checks ---------------------------------------------------------------------------------


def points_problems(project: Project) -> list[str]:
    """What is wrong with the indicator points: set points not adding up to 90, unknown groups."""
    return _allocate(project)[1]


def _allocate(project: Project) -> tuple[list[Decimal], list[str]]:
    """The indicators' points by the rule set in use (its indicator total and group weights)."""
    session = object_session(project)
    rules = rule_set(grade_labels(session)) if session is not None else NATIONAL
    return allocate(_indicator_inputs(project), rules.indicator_points, rules.group_weights)


def explanations_missing(session: Session, project: Project) -> list[tuple[str, list[str]]]:
    """(indicator name, reasons) for each indicator that needs a deviation analysis and has none."""
    evaluation = evaluate_project(project, labels=grade_labels(session))
    return [(s.name, list(s.reasons)) for s in needs_explanation_missing(evaluation.score)]
