"""The JSON shape scripts rely on (``perftrack import --dry-run --json``, ``show --json``).

Amounts and values are decimal strings, null where blank; dates ISO; ``op`` is one of "=",
">=", "<=", ">", "<" or null for a qualitative target.
"""

from __future__ import annotations

from typing import Any

from perftrack.domain.model import Declaration, Funds, Indicator, Target
from perftrack.domain.numbers import format_decimal


def target_to_dict(t: Target) -> dict[str, Any]:
    return {
        "raw": t.raw,
        "op": t.op,
        "value": format_decimal(t.value),
        "unit": t.unit,
        "kind": str(t.kind),
        "inferred": t.inferred,
    }


def indicator_to_dict(ind: Indicator) -> dict[str, Any]:
    return {
        "level1": ind.level1,
        "level2": ind.level2,
        "name": ind.name,
        "target": target_to_dict(ind.target),
        "points": format_decimal(ind.points),
    }


def funds_to_dict(f: Funds) -> dict[str, str | None]:
    return {name: format_decimal(getattr(f, name)) for name in Funds.FIELDS}


def declaration_to_dict(d: Declaration) -> dict[str, Any]:
    return {
        "name": d.name,
        "nature": d.nature,
        "category": d.category,
        "department": d.department,
        "unit": d.unit,
        "manager": d.manager,
        "year": d.year,
        "start": d.start.isoformat() if d.start else None,
        "end": d.end.isoformat() if d.end else None,
        "funds": funds_to_dict(d.funds),
        "project_goal": d.project_goal,
        "annual_goal": d.annual_goal,
        "indicators": [indicator_to_dict(i) for i in d.indicators],
        "sheet_kind": d.sheet_kind,
        "actuals": [{"indicator": a.indicator, "period": a.period, "raw": a.raw} for a in d.reported],
        "spending": format_decimal(d.reported_spending),
    }
