"""What the views show of a project, read inside one session and kept as plain frozen data.

The views answer ``data()`` from these snapshots; after every committed change the workspace
builds a fresh one, so a view never holds a second, diverging copy of the truth.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from perftrack.domain import fields
from perftrack.domain.attainment import Status, Tier, tier_percent, worst
from perftrack.domain.evaluation import ProjectEvaluation
from perftrack.domain.fields import FieldKind
from perftrack.domain.figures import SourceRow, outcome_text, source_rows, sources_disagree
from perftrack.domain.numbers import YUAN
from perftrack.domain.periods import YEAR, periods_for
from perftrack.domain.plausible import amount_warning, value_warning
from perftrack.domain.summary import ProjectSummary
from perftrack.domain.units import Rollup
from perftrack.store.records import ActualRecord, IndicatorRecord, ProjectRecord
from perftrack.store.schema import Actual, Indicator, Project
from perftrack.ui.formatting import number

# The indicator columns a user edits besides the period values.
TEXT_FIELDS = fields.names(FieldKind.TEXT, FieldKind.CHOICE)
DECIMAL_FIELDS = fields.names(FieldKind.DECIMAL)
BUDGET_PREFIX = "budget:"
FULL_YEAR_BUDGET = "full_year_budget"
SOURCE_PREFIX = "spent:"  # + a funding source's key: that source's 全年执行数 (a 其中 row)


@dataclass(frozen=True, slots=True)
class EditKey:
    """One editable cell: a period value, an indicator field or a budget figure of a project."""

    project_id: int
    indicator_id: int | None
    field: str  # "Q1".."M12"/"YEAR", an indicator field, "budget:Q1".., "full_year_budget", "spent:other"


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    """One indicator as the table shows it."""

    indicator_id: int
    level1: str
    level2: str
    name: str
    target: str
    texts: dict[str, str]  # period → the text as typed
    fields: dict[str, str]  # user field → its text
    ytd: Decimal | None
    ratio: Decimal | None
    status: Status
    points: Decimal
    score: Decimal
    needs_explanation: bool
    missing_actual: bool
    over_achieved: bool
    reasons: tuple[str, ...]
    qualitative: bool
    unit: str | None
    tier: Tier | None
    # period → why its value looks like a slip (below zero, over 100 %, 0.95 for 95 %): stored, but said
    warnings: dict[str, str] = field(default_factory=dict)

    @property
    def needs_note(self) -> bool:
        """Lost points or over-achieved, and no deviation analysis written yet."""
        return (
            self.needs_explanation and not self.missing_actual and not self.fields.get("deviation_reason", "").strip()
        )

    def text(self, key: str) -> str:
        """The current text of a period or a user field."""
        return self.texts.get(key) if key in self.texts else self.fields.get(key, "")


@dataclass(frozen=True, slots=True)
class ProjectView:
    """Everything the project page shows."""

    project_id: int
    year: int
    unit: str
    name: str
    department: str
    start: dt.date | None
    end: dt.date | None
    annual_goal: str
    nature: str
    reporting: str
    periods: tuple[str, ...]
    annual_total: Decimal | None
    full_year_budget: Decimal | None
    budget_texts: dict[str, str]  # period (and YEAR) → amount executed
    executed: Decimal | None
    rate: Decimal | None
    budget_score: Decimal
    as_of: str
    rows: list[IndicatorRow]
    summary: ProjectSummary
    problems: list[str] = field(default_factory=list)
    budget_warnings: dict[str, str] = field(default_factory=dict)  # period → why the amount looks wrong
    goal_achieved: str = ""  # the unit's own 实际完成情况 of the annual goal ("": none written)
    outcome: str = ""  # the sentence the sheets print under 实际完成情况 when the unit wrote none
    money_unit: str = YUAN  # amounts are shown (and typed) in 元 or 万元: the database's setting
    # The funds table's 其中 rows shown: the sources the form declares money for, or that spent some.
    sources: tuple[SourceRow, ...] = ()
    manager: str = ""  # 项目负责人 ("": none named)

    def row(self, indicator_id: int) -> IndicatorRow | None:
        return next((r for r in self.rows if r.indicator_id == indicator_id), None)

    def text(self, key: EditKey) -> str:
        """The current text behind an editable cell (for undo)."""
        if key.field == FULL_YEAR_BUDGET:
            return number(self.full_year_budget)
        if key.field.startswith(BUDGET_PREFIX):
            return self.budget_texts.get(key.field.removeprefix(BUDGET_PREFIX), "")
        if key.field.startswith(SOURCE_PREFIX):
            source = key.field.removeprefix(SOURCE_PREFIX)
            return next((number(s.executed) for s in self.sources if s.key == source), "")
        row = self.row(key.indicator_id) if key.indicator_id is not None else None
        return row.text(key.field) if row is not None else ""


def actual_text(actual: Actual | ActualRecord) -> str:
    """What a cell shows for a recorded actual: the text as typed (a tier with its share when not the default)."""
    if actual.tier:
        tier = Tier(actual.tier)
        base = actual.value_text or tier.label
        if actual.tier_percent is not None and actual.tier_percent != tier.default_percent:
            return f"{base} {number(tier_percent(tier, actual.tier_percent))}%"
        return base
    if actual.value_text:
        return actual.value_text
    return number(actual.value)


def stored_text(project: Project, indicator: Indicator | None, key: EditKey) -> str | None:
    """What the page would show in a cell, read from the stored rows (None: the cell has no stored
    text to compare, as the 汇总方式 choice). Compared with what the page showed before a write."""
    if key.field == FULL_YEAR_BUDGET:
        return number(project.full_year_budget)
    if key.field.startswith(BUDGET_PREFIX):
        period = key.field.removeprefix(BUDGET_PREFIX)
        spent = next((b for b in project.budget_executions if b.period == period), None)
        return number(spent.amount) if spent is not None else ""
    if key.field.startswith(SOURCE_PREFIX):
        return number(getattr(project, "spent_" + key.field.removeprefix(SOURCE_PREFIX)))
    if indicator is None:
        return None
    if key.field in TEXT_FIELDS or key.field in DECIMAL_FIELDS:
        return _field_text(getattr(indicator, key.field))
    if key.field in ALL_PERIOD_KEYS:
        actual = next((a for a in indicator.actuals if a.period == key.field), None)
        return actual_text(actual) if actual is not None else ""
    return None


def _field_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return number(value)
    return str(value)


def summarize(evaluation: ProjectEvaluation, rows: list[IndicatorRow]) -> ProjectSummary:
    """The navigator's line for an evaluated project."""
    return ProjectSummary(
        project_id=evaluation.project_id,
        total=evaluation.score.total,
        grade=evaluation.score.grade_label,
        status=worst([r.status for r in rows]) if rows else Status.NO_ACTUAL,
        off_track=sum(1 for r in rows if r.status is Status.OFF_TRACK),
        needs_note=sum(1 for r in rows if r.needs_note),
        no_actual=sum(1 for r in rows if r.status is Status.NO_ACTUAL),
        scored=any(r.texts for r in rows)
        or bool(evaluation.budget_by_period)
        or evaluation.score.budget.executed is not None,
    )


def indicator_rows(project: Project | ProjectRecord, evaluation: ProjectEvaluation) -> list[IndicatorRow]:
    """The table rows of an evaluated project (ORM rows still loaded, or the store's plain records)."""
    active = {ind.id: ind for ind in project.indicators if not ind.retired}
    rows: list[IndicatorRow] = []
    for ev, sc in zip(evaluation.indicators, evaluation.score.indicators, strict=True):
        ind = active[ev.indicator_id]
        fields = {name: _field_text(getattr(ind, name)) for name in (*TEXT_FIELDS, *DECIMAL_FIELDS)}
        qualitative = not ev.target.is_quantitative or ev.target.value is None or ev.rollup is Rollup.QUALITATIVE
        rows.append(
            IndicatorRow(
                indicator_id=ind.id,
                level1=ind.level1 or "",
                level2=ind.level2 or "",
                name=ind.name,
                target=ind.target_raw or "",
                texts={a.period: actual_text(a) for a in ind.actuals},
                fields=fields,
                ytd=ev.attainment.ytd,
                ratio=ev.attainment.ratio,
                status=ev.attainment.status,
                points=sc.points,
                score=sc.score,
                needs_explanation=sc.needs_explanation,
                missing_actual=sc.missing_actual,
                over_achieved=sc.over_achieved,
                reasons=tuple(sc.reasons),
                qualitative=qualitative,
                unit=ev.target.unit,
                tier=ev.attainment.tier,
                warnings=_warnings(ind),
            )
        )
    return rows


def _warnings(indicator: Indicator | IndicatorRecord) -> dict[str, str]:
    found = {}
    for actual in indicator.actuals:
        if actual.unit == indicator.target_unit:
            warning = value_warning(indicator.name, actual.value, actual.unit, indicator.target_value)
            if warning:
                found[actual.period] = warning
    return found


def project_view(project: Project | ProjectRecord, evaluation: ProjectEvaluation) -> ProjectView:
    """The page's snapshot of an evaluated project."""
    rows = indicator_rows(project, evaluation)
    budget = evaluation.score.budget
    sources = tuple(s for s in source_rows(evaluation) if s.initial or s.executed is not None)
    warnings = {
        b.period: warning for b in project.budget_executions if (warning := amount_warning(b.amount)) is not None
    }
    disagree = sources_disagree(evaluation)
    for s in sources:
        warning = amount_warning(s.executed) or (disagree if s.executed is not None else None)
        if warning:
            warnings[SOURCE_PREFIX + s.key] = warning
    return ProjectView(
        project_id=project.id,
        year=project.year,
        unit=project.unit,
        name=project.name,
        department=project.department or "",
        start=project.start,
        end=project.end,
        annual_goal=project.annual_goal or "",
        nature=project.nature or "",
        reporting=project.reporting,
        periods=periods_for(project.reporting),
        annual_total=project.annual_total,
        full_year_budget=project.full_year_budget,
        budget_texts={b.period: number(b.amount) for b in project.budget_executions},
        executed=budget.executed,
        rate=budget.rate,
        budget_score=budget.score,
        as_of=evaluation.as_of,
        rows=rows,
        summary=summarize(evaluation, rows),
        problems=list(evaluation.problems),
        budget_warnings=warnings,
        goal_achieved=project.goal_achieved or "",
        outcome=outcome_text(evaluation),
        money_unit=evaluation.money_unit,
        sources=sources,
        manager=project.manager or "",
    )


ALL_PERIOD_KEYS = (*periods_for("quarterly"), *periods_for("monthly"), YEAR)
