"""What ``perftrack score`` prints: the JSON shape scripts read, and the text table people read.

Numbers are decimal strings in the JSON (two places for points, scores and rates), and the
table pads by display width, a Chinese character taking two columns, so columns line up in a
terminal.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from perftrack.domain.serialize import format_decimal

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from perftrack.store.evaluation import ProjectEvaluation

CENT = Decimal("0.01")
# (width, right-aligned) of the table's columns before 状态: name, target, actual, ratio, points, score.
_COLUMNS = ((30, False), (16, False), (22, False), (8, True), (6, True), (6, True))


def money(value: Decimal | None) -> str:
    """An amount with thousands separators and two places, "—" when unknown."""
    return f"{value:,.2f}" if value is not None else "—"


def two(value: Decimal | None) -> str | None:
    """Two decimal places, as text."""
    return None if value is None else format(value.quantize(CENT), "f")


def plain(value: Decimal | None) -> str | None:
    """The value as written, without an exponent."""
    return None if value is None else format(value, "f")


def score_to_dict(ev: ProjectEvaluation) -> dict[str, Any]:
    """One evaluated project in the shape of ``perftrack score --json``."""
    s, decl = ev.score, ev.declaration
    indicators = []
    for score, evaluation in zip(s.indicators, ev.indicators, strict=True):
        actual = score.actual
        if actual is None:
            actual_value = None
        else:
            actual_value = actual.tier.value if actual.tier and actual.value is None else plain(actual.value)
        status = evaluation.attainment.status
        indicators.append(
            {
                "name": score.name,
                "level1": score.level1,
                "level2": score.level2,
                "target": score.target_display,
                "actual": actual_value,
                "actual_display": score.actual_display(),
                "ratio": plain(score.ratio),
                "points": two(score.points),
                "score": two(score.score),
                "deduction": two(score.deduction),
                "status": status.value,
                "status_label": status.label,
                "needs_explanation": score.needs_explanation,
                "reasons": list(score.reasons),
                "deviation_reason": score.deviation_reason,
                "measures": score.measures,
            }
        )
    b = s.budget
    return {
        "name": decl.name,
        "unit": decl.unit,
        "year": decl.year,
        "as_of": ev.as_of,
        "total": two(s.total),
        "grade": s.grade_label,
        "grade_code": s.grade.value,
        "budget": {
            "initial_budget": format_decimal(b.initial_budget),
            "full_year_budget": format_decimal(b.full_year_budget),
            "executed": format_decimal(b.executed),
            "rate": two(b.rate),
            "points": two(b.points),
            "score": two(b.score),
        },
        "indicators": indicators,
        "problems": list(ev.problems),
    }


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(text: str | None, width: int, right: bool = False) -> str:
    text = text or "—"
    if _width(text) > width:
        while _width(text) > width - 1:
            text = text[:-1]
        text += "…"
    pad = " " * (width - _width(text))
    return pad + text if right else text + pad


def _unexplained(indicator: dict[str, Any]) -> bool:
    return indicator["needs_explanation"] and not (indicator["deviation_reason"] or "").strip()


def _row(texts: list[str | None], status: str) -> str:
    cells = [_cell(text, width, right) for text, (width, right) in zip(texts, _COLUMNS, strict=True)]
    return "  " + "  ".join([*cells, status])


def format_score(p: dict[str, Any]) -> str:
    """One project of ``score_to_dict`` as the text table: totals, budget, then one line per indicator."""
    b = p["budget"]
    period = "全年" if p["as_of"] == "YEAR" else p["as_of"]
    rate = f"{b['rate']}%" if b["rate"] is not None else "—"
    amounts = {k: money(Decimal(b[k])) if b[k] is not None else "—" for k in ("full_year_budget", "executed")}
    lines = [
        f"{p['name']}（{p['unit'] or '—'}，{p['year']}年）",
        f"  总分 {p['total']}  等级 {p['grade']}  （进度截至 {period}）",
        f"  预算执行：全年预算数 {amounts['full_year_budget']} 元  全年执行数 {amounts['executed']} 元  "
        f"执行率 {rate}  得分 {b['score']}/{b['points']}",
        _row(["三级指标", "年度指标值", "实际完成值", "完成率", "分值", "得分"], "状态"),
    ]
    for i in p["indicators"]:
        texts = [i["name"], i["target"], i["actual_display"] or None, i["ratio"], i["points"], i["score"]]
        lines.append(_row(texts, i["status_label"] + (" *" if _unexplained(i) else "")))
    missing = [i for i in p["indicators"] if _unexplained(i)]
    if missing:
        lines.append("  需填写偏差原因分析的指标（*）：")
        lines.extend(f"    {i['name']}：{'；'.join(i['reasons'])}" for i in missing)
    if p["problems"]:
        lines.append("  问题：")
        lines.extend(f"    {problem}" for problem in p["problems"])
    return "\n".join(lines)


def summary_rows(session: Session, ids: list[int] | None, year: int | None, as_of: str | None) -> list[dict[str, Any]]:
    """Every chosen project's summary in the shape of ``perftrack score --summary --json``."""
    from sqlalchemy import select

    from perftrack.store.schema import Project
    from perftrack.store.summaries import score_summaries

    summaries = score_summaries(session, ids, year=year, as_of=as_of)
    chosen = [s.project_id for s in summaries]
    names = {
        row[0]: row[1:]
        for row in session.execute(
            select(Project.id, Project.year, Project.unit, Project.name).where(Project.id.in_(chosen))
        )
    }
    return [
        {
            "name": names[s.project_id][2],
            "year": names[s.project_id][0],
            "unit": names[s.project_id][1],
            "scored": s.scored,
            "total": two(s.total),
            "grade": s.grade,
            "status": s.status.value,
            "status_label": s.status.label,
            "off_track": s.off_track,
            "needs_note": s.needs_note,
            "no_actual": s.no_actual,
        }
        for s in summaries
    ]


def format_summaries(rows: list[dict[str, Any]]) -> str:
    """One line a project: year, unit, name, total and grade (未评 before anything is recorded), status, counts."""
    lines = []
    for r in rows:
        score = f"{r['total']:>6}  {r['grade']}" if r["scored"] else "  未评  —"
        counts = f"偏离 {r['off_track']}，待说明 {r['needs_note']}，未填报 {r['no_actual']}"
        lines.append(f"{r['year']}  {r['unit'] or '—'}  {r['name']}  {score}  {r['status_label']}（{counts}）")
    return "\n".join(lines)
