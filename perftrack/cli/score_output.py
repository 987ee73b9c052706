"""What ``perftrack score`` prints: the JSON shape scripts read, and the text table people read.

Numbers are decimal strings in the JSON (two places for points, scores and rates), and the
table pads by display width, a Chinese character taking two columns, so columns line up in a
terminal.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from perftrack.cli.json_text import json_text
from perftrack.domain import figures
from perftrack.domain.numbers import YUAN, format_money
from perftrack.domain.scoring import IndicatorScore
from perftrack.domain.serialize import format_decimal

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from perftrack.domain.evaluation import ProjectEvaluation

CENT = Decimal("0.01")
# json's own escaping of a text (its C function where there is one), as json.dumps(ensure_ascii=False) does it
_encode_text = json.encoder.encode_basestring
# (width, right-aligned) of the table's columns before 状态: name, target, actual, ratio, points, score.
_COLUMNS = ((30, False), (16, False), (22, False), (9, True), (6, True), (6, True))


def money(value: Decimal | None, unit: str = YUAN) -> str:
    """An amount (in 元) shown in ``unit`` with thousands separators and two places, "—" when unknown."""
    return format_money(value, unit, "—")


def two(value: Decimal | None) -> str | None:
    """Two decimal places, as text."""
    return None if value is None else format(value.quantize(CENT), "f")


def plain(value: Decimal | None) -> str | None:
    """The value as written, without an exponent."""
    return None if value is None else format(value, "f")


def _actual_value(score: IndicatorScore) -> str | None:
    actual = score.actual
    if actual is None:
        return None
    return actual.tier.value if actual.tier and actual.value is None else plain(actual.value)


def indicator_to_dict(score: IndicatorScore, standing: figures.Standing) -> dict[str, Any]:
    """One indicator of ``score_to_dict`` (``indicator_json`` writes the same as JSON text)."""
    status = standing.status
    return {
        "name": score.name,
        "level1": score.level1,
        "level2": score.level2,
        "target": score.target_display,
        "actual": _actual_value(score),
        "actual_display": score.actual_display(),
        "ratio": plain(score.ratio),
        "points": two(score.points),
        "score": two(score.score),
        "deduction": two(score.deduction),
        "status": status.value,
        "status_label": status.label,
        "needs_explanation": score.needs_explanation,
        "unexplained": figures.unexplained(score),
        "reasons": list(score.reasons),
        "deviation_reason": score.deviation_reason,
        "measures": score.measures,
    }


def score_to_dict(ev: ProjectEvaluation, indicators: Any = None) -> dict[str, Any]:
    """One evaluated project in the shape of ``perftrack score --json``.

    ``indicators`` stands in for the list of ``indicator_to_dict`` (``score_json`` puts its text there).
    """
    s, decl = ev.score, ev.declaration
    if indicators is None:
        standings = figures.standings(ev)
        indicators = [
            indicator_to_dict(score, standing) for score, standing in zip(s.indicators, standings, strict=True)
        ]
    b = s.budget
    year_end = figures.year_end_counts(s)
    progress = figures.progress_counts(ev)
    explained = figures.explanation_counts(s)
    return {
        "name": decl.name,
        "unit": decl.unit,
        "year": decl.year,
        "as_of": ev.as_of,
        "as_of_label": figures.as_of_label(ev.as_of, decl.year),
        # year_end: the year's self-evaluation; progress: figures so far, the total only a trial
        "stage": figures.stage(ev),
        "goal_achieved": ev.goal_achieved,  # the unit's own 实际完成情况; null: none written
        "outcome": figures.achieved_text(ev),  # what the sheets print under 实际完成情况
        "counts": {
            "indicators": year_end.total,
            "reached": year_end.reached,
            "not_reached": year_end.not_reached,
            "not_reported": year_end.not_reported,
            "on_track": progress.on_track,
            "at_risk": progress.at_risk,
            "off_track": progress.off_track,
            "no_actual": progress.not_reported,
            "needs_explanation": explained.needed,
            "unexplained": explained.unexplained,
        },
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
        # the 其中 rows of the funds table: each source's declared, full-year (while unadjusted) and spent amounts
        "funding_sources": [
            {
                "source": r.key,
                "label": r.label,
                "initial_budget": format_decimal(r.initial),
                "full_year_budget": format_decimal(r.full_year),
                "executed": format_decimal(r.executed),
                "rate": two(r.rate),
            }
            for r in figures.source_rows(ev)
        ],
        # the amounts above are in 元 always; the text, the window and the sheets show them in this unit
        "display_money_unit": ev.money_unit,
        "indicators": indicators,
        "problems": list(ev.problems),
    }


# -- the JSON text, fast ---------------------------------------------------------------------------
#
# ``score --json`` of a city writes 130,000 indicators (90 MB). The standard library's indented
# encoder is pure Python and took longer than scoring them; the indicators are written here with
# an f-string, each text escaped by the json module's own C function, and the few dozen values of
# the project around them by json_text. tests/test_score_json.py holds the text equal to
# json.dumps(score_to_dict(ev), ensure_ascii=False, indent=2) on varied projects.

# Stands in for the indicators while the project around them is encoded: lone surrogates, which no
# text read from the database (nor anything written out as UTF-8) can hold.
_INDICATORS_MARK = "\udfffperftrack-indicators\udfff"


def _text(value: object) -> str:
    """A JSON value as json.dumps writes it (ensure_ascii=False), a text or null by the quick way."""
    if value is None:
        return "null"
    if value.__class__ is str:
        return _encode_text(value)  # type: ignore[no-any-return]
    if value is True:
        return "true"
    if value is False:
        return "false"
    return json.dumps(value, ensure_ascii=False)


def indicator_json(score: IndicatorScore, standing: figures.Standing, pad: str) -> str:
    """``indicator_to_dict`` as ``json.dumps(..., ensure_ascii=False, indent=2)`` writes it, each line after
    the first indented by ``pad``."""
    enc = _encode_text
    status = standing.status
    i = pad + "  "
    reasons = score.reasons
    if reasons:
        j = i + "  "
        listed = f"[\n{j}" + f",\n{j}".join([_text(r) for r in reasons]) + f"\n{i}]"
    else:
        listed = "[]"
    # Texts escaped by the C function straight away, anything else (None, a bool) through _text.
    name, level1, level2, target = score.name, score.level1, score.level2, score.target_display
    actual, shown = _actual_value(score), score.actual_display()
    ratio, deduction, reason, measures = (
        plain(score.ratio),
        two(score.deduction),
        score.deviation_reason,
        score.measures,
    )
    value, label, needs, open_ = status.value, status.label, score.needs_explanation, figures.unexplained(score)
    return (
        f'{{\n{i}"name": {enc(name) if name.__class__ is str else _text(name)},\n'
        f'{i}"level1": {enc(level1) if level1.__class__ is str else _text(level1)},\n'
        f'{i}"level2": {enc(level2) if level2.__class__ is str else _text(level2)},\n'
        f'{i}"target": {enc(target) if target.__class__ is str else _text(target)},\n'
        f'{i}"actual": {enc(actual) if actual.__class__ is str else _text(actual)},\n'
        f'{i}"actual_display": {enc(shown) if shown.__class__ is str else _text(shown)},\n'
        f'{i}"ratio": {enc(ratio) if ratio.__class__ is str else _text(ratio)},\n'
        f'{i}"points": {_text(two(score.points))},\n{i}"score": {_text(two(score.score))},\n'
        f'{i}"deduction": {enc(deduction) if deduction.__class__ is str else _text(deduction)},\n'
        f'{i}"status": {enc(value) if value.__class__ is str else _text(value)},\n'
        f'{i}"status_label": {enc(label) if label.__class__ is str else _text(label)},\n'
        f'{i}"needs_explanation": {"true" if needs is True else _text(needs)},\n'
        f'{i}"unexplained": {"false" if open_ is False else _text(open_)},\n{i}"reasons": {listed},\n'
        f'{i}"deviation_reason": {enc(reason) if reason.__class__ is str else _text(reason)},\n'
        f'{i}"measures": {enc(measures) if measures.__class__ is str else _text(measures)}\n{pad}}}'
    )


def score_json(ev: ProjectEvaluation, pad: str = "") -> str:
    """``json.dumps(score_to_dict(ev), ensure_ascii=False, indent=2)``, each line after the first indented
    by ``pad``, written several times faster."""
    s = ev.score
    text = json_text(score_to_dict(ev, _INDICATORS_MARK), pad)
    if s.indicators:
        i = pad + "    "
        items = [
            indicator_json(score, standing, i)
            for score, standing in zip(s.indicators, figures.standings(ev), strict=True)
        ]
        listed = f"[\n{i}" + f",\n{i}".join(items) + f"\n{pad}  ]"
    else:
        listed = "[]"
    return text.replace(_text(_INDICATORS_MARK), listed, 1)


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


def _row(texts: list[str | None], status: str) -> str:
    cells = [_cell(text, width, right) for text, (width, right) in zip(texts, _COLUMNS, strict=True)]
    return "  " + "  ".join([*cells, status])


def _percent(ratio: str | None) -> str | None:
    """A completion ratio as the percent the column means: 1.4403 → 144.03%."""
    return None if ratio is None else f"{(Decimal(ratio) * 100).quantize(CENT)}%"


def _source_lines(p: dict[str, Any], unit: str) -> list[str]:
    """The 其中 line under the budget, once some source's spending is recorded."""
    spent = [r for r in p["funding_sources"] if r["executed"] is not None]
    if not spent:
        return []
    parts = [
        f"{r['label']} {money(Decimal(r['executed']), unit)} {unit}（执行率 {r['rate'] + '%' if r['rate'] else '—'}）"
        for r in spent
    ]
    return ["  其中：" + "；".join(parts)]


def format_score(p: dict[str, Any]) -> str:
    """One project of ``score_to_dict`` as the text table: totals, budget, then one line per indicator."""
    b, c = p["budget"], p["counts"]
    year_end = p["stage"] == figures.YEAR_END
    rate = f"{b['rate']}%" if b["rate"] is not None else "—"
    unit = p["display_money_unit"]
    amounts = {k: money(None if b[k] is None else Decimal(b[k]), unit) for k in ("full_year_budget", "executed")}
    if year_end:
        head = f"  总分 {p['total']}  等级 {p['grade']}  （{p['year']}年度 年终自评）"
        counted = f"达到年度指标值 {c['reached']}，未达到 {c['not_reached']}，未填报 {c['not_reported']}"
    else:
        head = f"  运行监控（{p['as_of_label']}，非年终自评）  按已填报数值试算：总分 {p['total']}  等级 {p['grade']}"
        counted = f"进度正常 {c['on_track']}，有风险 {c['at_risk']}，偏离目标 {c['off_track']}，未填报 {c['no_actual']}"
    status = figures.STATUS_HEADING_YEAR if year_end else figures.STATUS_HEADING_PROGRESS
    lines = [
        f"{p['name']}（{p['unit'] or '—'}，{p['year']}年）",
        head,
        f"  预算执行：全年预算数 {amounts['full_year_budget']} {unit}  {'全年' if year_end else '累计'}执行数 "
        f"{amounts['executed']} {unit}  执行率 {rate}  得分 {b['score']}/{b['points']}",
        *_source_lines(p, unit),
        f"  指标 {c['indicators']} 项：{counted}；需说明偏差 {c['needs_explanation']}（其中待说明 {c['unexplained']}）",
        _row(["三级指标", "年度指标值", "实际完成值", "完成率", "分值", "得分"], status),
    ]
    for i in p["indicators"]:
        texts = [i["name"], i["target"], i["actual_display"] or None, _percent(i["ratio"]), i["points"], i["score"]]
        lines.append(_row(texts, i["status_label"] + (" *" if i["unexplained"] else "")))
    waiting = [i for i in p["indicators"] if i["unexplained"]]
    if waiting:
        lines.append("  需填写偏差原因分析的指标（*）：")
        lines.extend(f"    {i['name']}：{'；'.join(i['reasons'])}" for i in waiting)
    if p["problems"]:
        lines.append("  问题：")
        lines.extend(f"    {problem}" for problem in p["problems"])
    return "\n".join(lines)


def summary_rows(session: Session, ids: list[int] | None, year: int | None, as_of: str | None) -> list[dict[str, Any]]:
    """Every chosen project's summary in the shape of ``perftrack score --summary --json``."""
    from sqlalchemy import select

    from perftrack.domain.periods import YEAR
    from perftrack.store.schema import Actual, BudgetExecution, Indicator, Project
    from perftrack.store.summaries import score_summaries

    summaries = score_summaries(session, ids, year=year, as_of=as_of)
    chosen = [s.project_id for s in summaries]
    names = {
        row[0]: row[1:]
        for row in session.execute(
            select(Project.id, Project.year, Project.unit, Project.name).where(Project.id.in_(chosen))
        )
    }
    # A total is the year-end self-evaluation once the year's figures are in (a YEAR value or
    # spending), the budget year is over, or --as-of YEAR asked for it; before that it is a trial
    # (试算), as the workbook and the report say.
    with_year = set(
        session.scalars(
            select(Indicator.project_id).join(Actual).where(Actual.period == YEAR, Indicator.project_id.in_(chosen))
        )
    ) | set(
        session.scalars(
            select(BudgetExecution.project_id).where(
                BudgetExecution.period == YEAR, BudgetExecution.project_id.in_(chosen)
            )
        )
    )
    today = dt.date.today()

    def year_end(pid: int) -> bool:
        return as_of == YEAR or pid in with_year or today.year > names[pid][0]

    return [
        {
            "name": names[s.project_id][2],
            "year": names[s.project_id][0],
            "unit": names[s.project_id][1],
            "scored": s.scored,
            "total": two(s.total),
            "grade": s.grade,
            "stage": "year_end" if year_end(s.project_id) else "monitoring",
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
        trial = "（试算）" if r.get("stage") == "monitoring" else ""
        score = f"{r['total']:>6}  {r['grade']}{trial}" if r["scored"] else "  未评  —"
        counts = f"偏离 {r['off_track']}，待说明 {r['needs_note']}，未填报 {r['no_actual']}"
        lines.append(f"{r['year']}  {r['unit'] or '—'}  {r['name']}  {score}  {r['status_label']}（{counts}）")
    return "\n".join(lines)
