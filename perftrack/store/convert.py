"""Between domain declarations and database rows: which columns a form fills, and back again.

``project_to_declaration`` gives the domain object back, so ``show --json`` and
``import --dry-run`` print through one serializer.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from perftrack.domain import fields
from perftrack.domain import model as dm
from perftrack.domain.attainment import Tier
from perftrack.store.records import IndicatorRecord, ProjectRecord
from perftrack.store.schema import Indicator, Project

# Project columns the declaration form fills; an import rewrites these and nothing else.
PROJECT_FORM_FIELDS = (
    "nature",
    "category",
    "department",
    "manager",
    "start",
    "end",
    *dm.Funds.FIELDS,
    "project_goal",
    "annual_goal",
)

# Form fields a form may leave out: an import that has none keeps what is stored.
KEPT_WHEN_BLANK = ("manager",)

# Indicator columns the form fills (its position and source are bookkeeping, not content).
INDICATOR_FORM_FIELDS = (
    "level1",
    "level2",
    "target_raw",
    "target_op",
    "target_value",
    "target_unit",
    "target_kind",
    "target_inferred",
)

# Labels for history views and audit summaries, in the form's own words.
FIELD_LABELS: dict[str, str] = {
    "nature": "项目性质",
    "category": "项目类别",
    "department": "主管部门",
    "manager": "项目负责人",
    "start": "计划开始日期",
    "end": "计划完成日期",
    "project_total": "项目资金总额",
    "project_fiscal": "项目资金·财政资金",
    "project_other": "项目资金·其他资金",
    "annual_total": "年度资金申请总额",
    "annual_appropriation": "当年财政拨款",
    "annual_carryover": "上年结转资金",
    "annual_other": "年度资金·其他资金",
    "project_goal": "项目总目标",
    "annual_goal": "年度总体目标",
    "level1": "一级指标",
    "level2": "二级指标",
    "target_raw": "年度指标值",
    "target_op": "指标值比较方式",
    "target_value": "指标值数值",
    "target_unit": "指标值单位",
    "target_kind": "指标类型",
    "target_inferred": "指标值为推断",
    "indicator_order": "指标顺序",
    "reporting": "填报周期",
    "full_year_budget": "全年预算数",
    "goal_achieved": "年度总体目标实际完成情况",
    "spent_appropriation": "当年财政拨款全年执行数",
    "spent_carryover": "上年结转资金全年执行数",
    "spent_other": "其他资金全年执行数",
    **{f.name: f.label for f in fields.INDICATOR_FIELDS},
}

# Enum lookups by value go through Enum's machinery; a city's rows ask hundreds of thousands
# of times, and a dict answers the same much faster (the Enum call still raises for a text that
# is no member).
_KINDS = {kind.value: kind for kind in dm.Kind}
_TIERS = {tier.value: tier for tier in Tier}
_LINE_SUFFIX = re.compile(r"^(?P<file>.+):(?P<line>\d+)$")
_CELL_SUFFIX = re.compile(r"^(?P<file>.+) (?P<cell>[^ !]+![A-Z]+\d+)$")


def source_text(ref: dm.SourceRef | None) -> str | None:
    """A source reference as stored: "file:line" (or "file Sheet!B7")."""
    return str(ref) if ref is not None else None


def parse_source(text: str | None) -> dm.SourceRef | None:
    """The SourceRef back from its stored text."""
    if not text:
        return None
    # One copy of each file name however many rows name it: a city's 130,000 indicators come
    # from a handful of files.
    file, colon, line = text.rpartition(":")
    if colon and file and line.isdecimal() and "\n" not in text:  # "file:line", as _LINE_SUFFIX reads it
        return dm.SourceRef(sys.intern(file), int(line))
    if match := _LINE_SUFFIX.match(text):
        return dm.SourceRef(sys.intern(match["file"]), int(match["line"]))
    if match := _CELL_SUFFIX.match(text):
        return dm.SourceRef(sys.intern(match["file"]), cell=match["cell"])
    return dm.SourceRef(text)


def project_form_values(declaration: dm.Declaration) -> dict[str, Any]:
    """The project columns a declaration fills, by column name."""
    values: dict[str, Any] = {
        "nature": declaration.nature,
        "category": declaration.category,
        "department": declaration.department,
        "manager": declaration.manager,
        "start": declaration.start,
        "end": declaration.end,
        "project_goal": declaration.project_goal,
        "annual_goal": declaration.annual_goal,
    }
    for name in dm.Funds.FIELDS:
        values[name] = getattr(declaration.funds, name)
    return values


def indicator_form_values(indicator: dm.Indicator) -> dict[str, Any]:
    """The indicator columns one row of the form fills, by column name."""
    target = indicator.target
    return {
        "level1": indicator.level1,
        "level2": indicator.level2,
        "target_raw": target.raw,
        "target_op": target.op,
        "target_value": target.value,
        "target_unit": target.unit,
        "target_kind": str(target.kind),
        "target_inferred": target.inferred,
    }


def stored_tier(text: str) -> Tier:
    """The Tier of its stored code ("achieved", "partly", "not_achieved")."""
    return _TIERS.get(text) or Tier(text)


def stored_target(
    raw: str | None, op: str | None, value: Decimal | None, unit: str | None, kind: str, inferred: bool
) -> dm.Target:
    """A declared target from the indicator's target columns."""
    return dm.Target(
        raw=raw or "",
        op=op,
        value=value,
        unit=unit,
        kind=_KINDS.get(kind) or dm.Kind(kind),
        inferred=bool(inferred),
    )


def target_of(ind: Indicator | IndicatorRecord) -> dm.Target:
    """The declared target of a stored indicator."""
    return stored_target(
        ind.target_raw, ind.target_op, ind.target_value, ind.target_unit, ind.target_kind, ind.target_inferred
    )


def indicator_to_domain(indicator: Indicator | IndicatorRecord, target: dm.Target | None = None) -> dm.Indicator:
    """A stored indicator as the domain's Indicator (its declared part only).

    ``target``, when given, is this indicator's target already made (by the evaluation) and is shared.
    """
    if target is None or target.raw != indicator.target_raw:
        target = target_of(indicator)
    return dm.Indicator(
        level1=indicator.level1,
        level2=indicator.level2,
        name=indicator.name,
        target=target,
        source=parse_source(indicator.source),
        points=getattr(indicator, "points", None),  # lean records carry no points: they are not scored from here
    )


def _position(indicator: Indicator | IndicatorRecord) -> int:
    return indicator.position


def project_to_declaration(
    project: Project | ProjectRecord, targets: Mapping[int, dm.Target] | None = None
) -> dm.Declaration:
    """The declaration form a stored project came from (retired indicators left out).

    ``targets`` (indicator id → its Target, as the evaluation made them) are shared, not made again.
    """
    funds = dm.Funds(**{name: getattr(project, name) for name in dm.Funds.FIELDS})
    made = targets or {}
    indicators = []
    for ind in sorted(project.indicators, key=_position):
        if ind.retired:
            continue
        target = made.get(ind.id)
        if target is None or target.raw != ind.target_raw:
            target = target_of(ind)
        # what indicator_to_domain makes, without a call per indicator (a city has 130,000)
        indicators.append(
            dm.Indicator(
                ind.level1, ind.level2, ind.name, target, parse_source(ind.source), getattr(ind, "points", None)
            )
        )
    return dm.Declaration(
        name=project.name,
        year=project.year,
        nature=project.nature,
        category=project.category,
        department=project.department,
        unit=project.unit or None,
        manager=project.manager,
        start=project.start,
        end=project.end,
        funds=funds,
        project_goal=project.project_goal,
        annual_goal=project.annual_goal,
        indicators=indicators,
        source=parse_source(project.source),
    )
