"""The finance bureau's review of declarations before the budget year (申报审核).

Each finding is a :class:`Problem` with a severity, a stable code, the file and line or cell,
and a Chinese message naming the project. Errors make a declaration unfit to approve (a
missing target, funds that do not add up, no outputs or no benefits); warnings need a
reviewer's look (a rate without a number, a unit that does not fit, a repeated row); info
marks what the importer inferred.

The checks work on declarations alone, so a GUI panel can run them on projects read from the
store (``check_declarations(ImportResult(declarations=[...]))``); given an import's result
they also keep the importer's problems, merging a finding both made into one.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from perftrack.domain.levels import level1_group, level2_group, level_label, parent_of
from perftrack.domain.model import (
    LEVEL1_BENEFIT,
    LEVEL1_COST,
    LEVEL1_NAMES,
    LEVEL1_OUTPUT,
    LEVEL1_SATISFACTION,
    LEVEL2_NAMES,
    LEVEL2_PARENT,
    Declaration,
    ImportResult,
    Indicator,
    Problem,
    Severity,
    SourceRef,
)
from perftrack.domain.numbers import format_money

_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}

# What a name ending tells about the number it needs. 质量/指数/分数 end like counts but are not.
_RATE_ENDINGS = ("率", "满意度", "比例", "占比", "比重", "百分比")
_COUNT_ENDINGS = ("数", "数量", "人次", "次数", "场次", "量")
_NOT_COUNT_ENDINGS = ("指数", "分数", "系数", "倍数", "质量", "参数", "能量", "力量")
_RATE_UNITS = frozenset({"%", "‰", "百分点", "分", "倍"})
_PERCENT_UNITS = frozenset({"%", "‰", "百分点"})
_TRAILING_NOTE = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")
_CLAUSE = re.compile(r"[，,；;。]")
_REPEATED_RUN = re.compile(r"(.{4,})\1")
# Level-2 groups may also sit under the newer level-1 成本指标 group.
_COST_CHILDREN = frozenset({"成本指标", "经济成本指标", "社会成本指标", "生态环境成本指标"})


@dataclass(frozen=True, slots=True)
class _Finding:
    problem: Problem
    whole_form: bool  # about the declaration as a whole, located at its start


def _measure(name: str) -> str | None:
    """The part of a name that says what is measured; None for a sentence ("…培训，提高政策知晓率"),
    whose last words state a purpose rather than the measure."""
    if _CLAUSE.search(name):
        return None
    return _TRAILING_NOTE.sub("", name)


def expects_rate(name: str) -> bool:
    """A name that asks for a percentage: 完成率, 满意度, 占比 …"""
    base = _measure(name)
    return base is not None and base.endswith(_RATE_ENDINGS)


def expects_count(name: str) -> bool:
    """A name that asks for a count: 人数, 次数, 数量, 场次 … (not 指数, 质量)."""
    base = _measure(name)
    return (
        base is not None
        and not base.endswith(_RATE_ENDINGS)
        and base.endswith(_COUNT_ENDINGS)
        and not base.endswith(_NOT_COUNT_ENDINGS)
    )


def _where(ref: SourceRef | None) -> str:
    if ref is None:
        return "前面"
    if ref.cell:
        return ref.cell
    return f"第 {ref.line} 行" if ref.line is not None else "前面"


class _Review:
    def __init__(self, decl: Declaration) -> None:
        self.decl = decl
        self.findings: list[_Finding] = []

    def form(self, message: str, severity: Severity, code: str) -> None:
        ref = self.decl.source or SourceRef("")
        problem = Problem(ref.file, ref.line, f"项目“{self.decl.name}”{message}", severity, code, ref.cell)
        self.findings.append(_Finding(problem, whole_form=True))

    def row(self, ind: Indicator, message: str, severity: Severity, code: str) -> None:
        ref = ind.source or self.decl.source or SourceRef("")
        self.findings.append(_Finding(Problem(ref.file, ref.line, message, severity, code, ref.cell), False))

    def run(self) -> list[_Finding]:
        self._header()
        self._funds()
        self._groups()
        self._indicators()
        return self.findings

    def _header(self) -> None:
        d = self.decl
        if d.year is None:
            self.form("没有预算年度", Severity.ERROR, "missing-year")
        if not (d.annual_goal or "").strip():
            self.form("没有填写年度总体目标", Severity.WARNING, "missing-goal")
        for value, label in ((d.start, "计划开始日期"), (d.end, "计划完成日期")):
            if value is None:
                self.form(f"没有填写{label}", Severity.WARNING, "missing-date")
            elif d.year is not None and value.year != d.year:
                self.form(
                    f"的{label} {value.isoformat()} 不在预算年度 {d.year} 年内", Severity.WARNING, "date-outside-year"
                )
        if d.start and d.end and d.end < d.start:
            self.form(
                f"的计划完成日期 {d.end.isoformat()} 早于计划开始日期 {d.start.isoformat()}",
                Severity.ERROR,
                "date-order",
            )

    def _funds(self) -> None:
        f = self.decl.funds
        if f.annual_total is None:
            self.form("没有填写年度资金申请总额", Severity.WARNING, "missing-funds")
        negative = [n for n in f.FIELDS if (v := getattr(f, n)) is not None and v < 0]
        if negative:
            self.form("的资金中有负数，请核对", Severity.ERROR, "negative-amount")
        diff = f.annual_sum_mismatch()
        if diff is not None:
            self.form(
                f"的年度资金申请总额 {format_money(f.annual_total)} 元不等于当年财政拨款、上年结转资金与其他资金之和 "
                f"{format_money(f.annual_parts_sum())} 元（相差 {format_money(diff)} 元）",
                Severity.ERROR,
                "funds-mismatch",
            )
        if (parts := f.project_parts_mismatch()) is not None:
            self.form(
                f"的项目资金总额 {format_money(f.project_total)} 元"
                f"不等于财政资金与其他资金之和 {format_money(parts)} 元",
                Severity.ERROR,
                "funds-mismatch",
            )

    def _groups(self) -> None:
        inds = self.decl.indicators
        if not inds:
            self.form("没有任何绩效指标", Severity.ERROR, "no-indicators")
            return
        # the standard group of each indicator, whatever name the form prints (产出值, 效果指标 …)
        group = {id(i): level1_group(i.level1) or parent_of(i.level2) for i in inds}
        groups = set(group.values())
        if LEVEL1_COST in groups:
            groups.add(LEVEL1_OUTPUT)  # a level-1 cost group scores with the outputs
        for name in (LEVEL1_OUTPUT, LEVEL1_BENEFIT):
            if name not in groups:
                self.form(f"没有{name}（一级指标），绩效目标不完整", Severity.ERROR, "missing-level1")
        if LEVEL1_SATISFACTION not in groups:
            self.form(
                "没有满意度指标；自评时满意度的 10 分将按比例并入产出和效益指标",
                Severity.WARNING,
                "missing-satisfaction",
            )
        elif not any("满意" in i.name for i in inds if group[id(i)] == LEVEL1_SATISFACTION):
            self.form("的满意度指标中没有名为“……满意度”的指标", Severity.WARNING, "missing-satisfaction")

    def _indicators(self) -> None:
        seen: dict[str, Indicator] = {}
        for ind in self.decl.indicators:
            self._levels(ind)
            self._target(ind)
            name, raw = ind.name, ind.target.raw
            if _REPEATED_RUN.search(name):
                self.row(ind, f"单元格中有重复的文字，请核对指标名称：“{name}”", Severity.WARNING, "repeated-text")
            first = seen.get(name)
            if first is None:
                seen[name] = ind
            elif first.target.raw == raw:
                self.row(
                    ind, f"指标行重复：“{name}  {raw}”与 {_where(first.source)} 相同", Severity.WARNING, "repeated-row"
                )
            else:
                self.row(
                    ind,
                    f"项目“{self.decl.name}”中指标“{name}”出现两次（另见 {_where(first.source)}），"
                    f"指标值不同：“{first.target.raw}”与“{raw}”",
                    Severity.WARNING,
                    "duplicate-indicator",
                )

    def _levels(self, ind: Indicator) -> None:
        l1, l2 = ind.level1, ind.level2
        if not l1 or not l2:
            self.row(
                ind,
                f"指标“{ind.name}”找不到所属的" + ("二级指标" if l1 else "一级、二级指标"),
                Severity.WARNING,
                "missing-level",
            )
        g1, g2 = level1_group(l1), level2_group(l2)
        if l1 and level_label(l1) not in LEVEL1_NAMES:
            scored = f"，按{g1}计分" if g1 else ""
            self.row(ind, f"指标“{ind.name}”的一级指标“{l1}”不是规定的名称{scored}", Severity.WARNING, "unknown-level")
        if l2 and level_label(l2) not in LEVEL2_NAMES:
            scored = f"，按{g2}计分" if g2 else ""
            self.row(ind, f"指标“{ind.name}”的二级指标“{l2}”不是规定的名称{scored}", Severity.WARNING, "unknown-level")
        elif g1 and g2 and g1 != LEVEL2_PARENT[g2] and not (g1 == LEVEL1_COST and g2 in _COST_CHILDREN):
            self.row(
                ind,
                f"指标“{ind.name}”的二级指标“{l2}”应属于{LEVEL2_PARENT[g2]}，却列在{l1}下",
                Severity.WARNING,
                "level-mismatch",
            )

    def _target(self, ind: Indicator) -> None:
        t, name = ind.target, ind.name
        if not t.raw.strip():
            self.row(ind, f"指标“{name}”没有填写指标值", Severity.ERROR, "missing-target")
            return
        rate, count = expects_rate(name), expects_count(name)
        if (rate or count) and not t.is_quantitative:
            kind = "比率" if rate else "数量"
            example = "≥90%" if rate else "≥10(次)"
            self.row(
                ind,
                f"指标“{name}”是{kind}类指标，指标值“{t.raw}”却是定性表述，无法据以计分；请写明数值，如 {example}",
                Severity.WARNING,
                "unmeasurable-target",
            )
        if t.is_quantitative and t.unit:
            if rate and t.unit not in _RATE_UNITS:
                self.row(
                    ind,
                    f"指标“{name}”是比率类指标，单位却是“{t.unit}”（{t.raw}）；应以 % 计",
                    Severity.WARNING,
                    "unit-mismatch",
                )
            elif count and t.unit in _PERCENT_UNITS:
                self.row(
                    ind,
                    f"指标“{name}”是计数类指标，单位却是“{t.unit}”（{t.raw}）；应以次、个、人等计",
                    Severity.WARNING,
                    "unit-mismatch",
                )
        if t.inferred:
            self.row(
                ind,
                f"指标“{name}”的指标值“{t.raw}”是文字，已推断为 {t.display()}，请核对",
                Severity.INFO,
                "inferred-target",
            )


def check_declaration(decl: Declaration) -> list[Problem]:
    """The review of one declaration (no importer problems, no cross-project checks)."""
    return [f.problem for f in _Review(decl).run()]


def check_declarations(result: ImportResult) -> list[Problem]:
    """Review every declaration of an import; the importer's problems are kept, a shared finding once."""
    findings: list[tuple[_Finding, Declaration]] = []
    seen: dict[tuple[int | None, str | None, str], Declaration] = {}
    for decl in result.declarations:
        findings += [(f, decl) for f in _Review(decl).run()]
        first = seen.setdefault(decl.key(), decl)
        if first is not decl:
            review = _Review(decl)
            review.form(
                f"（{decl.year} 年，{decl.unit or '未填单位'}）重复申报，另见 {first.source or '前面'}",
                Severity.WARNING,
                "duplicate-project",
            )
            findings += [(f, decl) for f in review.findings]
    return _sorted(_merge(result, findings))


def _sheet(p: Problem | SourceRef) -> str:
    """The worksheet a cell name belongs to ("Sheet1!B7" → "Sheet1"); lines restart on each sheet."""
    return p.cell.rsplit("!", 1)[0] if p.cell and "!" in p.cell else ""


def _merge(result: ImportResult, findings: list[tuple[_Finding, Declaration]]) -> list[Problem]:
    """The importer's problems, then the review's; a finding both made once, at the graver severity.

    Both name an indicator's finding at the same line and cell. A finding about the whole form
    may sit on different lines (the importer reports a missing year on the year's line, the
    review at the form's start), so it matches anywhere inside that form.
    """
    problems: list[Problem] = list(dict.fromkeys(result.problems))
    exact: dict[tuple[str, str, int | None, str | None], list[int]] = defaultdict(list)
    by_code: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, p in enumerate(problems):
        exact[(p.code, p.file, p.line, p.cell)].append(i)
        by_code[(p.code, p.file, _sheet(p))].append(i)
    used: set[int] = set()
    spans = _spans(result.declarations)
    extra: list[Problem] = []
    for finding, decl in findings:
        cp = finding.problem
        match = next((i for i in exact[(cp.code, cp.file, cp.line, cp.cell)] if i not in used), None)
        if match is None and finding.whole_form and id(decl) in spans:
            sheet, start, end = spans[id(decl)]
            match = next(
                (
                    i
                    for i in by_code[(cp.code, cp.file, sheet)]
                    if i not in used and (line := problems[i].line) is not None and start <= line < end
                ),
                None,
            )
        if match is None:
            extra.append(cp)
            continue
        used.add(match)
        if _RANK[cp.severity] > _RANK[problems[match].severity]:
            problems[match] = dataclasses.replace(problems[match], severity=cp.severity)
    return problems + extra


def _spans(decls: list[Declaration]) -> dict[int, tuple[str, int, float]]:
    """Each declaration's (sheet, first line, line where the next form in its file and sheet starts)."""
    places: dict[tuple[str, str], list[tuple[int, Declaration]]] = defaultdict(list)
    for d in decls:
        if d.source is not None and d.source.line is not None:
            places[(d.source.file, _sheet(d.source))].append((d.source.line, d))
    spans: dict[int, tuple[str, int, float]] = {}
    for (_, sheet), forms in places.items():
        forms.sort(key=lambda x: x[0])
        ends: list[float] = [line for line, _ in forms[1:]] + [float("inf")]
        for (line, d), end in zip(forms, ends, strict=True):
            spans[id(d)] = (sheet, line, end)
    return spans


def _sorted(problems: list[Problem]) -> list[Problem]:
    """By file and sheet in the order they were read, then by line; problems without a line first."""
    places: dict[tuple[str, str], int] = {}
    for p in problems:
        places.setdefault((p.file, _sheet(p)), len(places))
    return sorted(problems, key=lambda p: (places[(p.file, _sheet(p))], p.line if p.line is not None else -1))


def summarize(problems: Iterable[Problem]) -> dict[str, int]:
    """Counts by severity: {"errors": …, "warnings": …, "info": …}."""
    counts = {"errors": 0, "warnings": 0, "info": 0}
    names = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info"}
    for p in problems:
        counts[names[p.severity]] += 1
    return counts


__all__ = ["check_declaration", "check_declarations", "expects_count", "expects_rate", "summarize"]
