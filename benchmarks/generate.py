"""Synthetic declaration forms at city scale, shaped like the 13 seed forms, for the benchmarks.

    .venv/bin/python benchmarks/generate.py --projects 5000 --out DIR [--seed 2024] [--check]

Writes form text files that the real importer reads: the seed's units, target spellings (≥/=/≤,
LaTeX, full-width brackets, bare numbers, numbers inside prose, qualitative words and sentences),
level-1/level-2 labels on the first row of their span or further down as PDF merged cells leave
them, broken labels, page breaks, and a share of forms with one cell per line. Projects have
5–40 indicators, about 26 on average, so 5,000 projects come to about 130,000 indicators.
The same seed gives the same files. ``--check`` reads them back and compares every indicator.
``add_actuals`` fills a database with quarterly actuals and spending so that scoring has work.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from perftrack.domain.model import Kind, Target
from perftrack.domain.periods import QUARTERS
from perftrack.domain.units import Rollup, default_rollup
from perftrack.store.database import Database
from perftrack.store.schema import Actual, BudgetExecution, Indicator, Project

SIZES = (13, 1000, 5000)
FORMS_PER_FILE = 500
INSERT_BATCH = 20_000  # rows per executemany: SQLAlchemy copies each batch's parameters
ONE_CELL_SHARE = 0.1  # forms written one cell per line, as other PDF tools emit them
YEAR = 2024

DEPARTMENTS = tuple(
    "科学技术委员会 教育委员会 卫生健康委员会 文化和旅游局 交通委员会 水务局 绿化和市容管理局 民政局 "
    "人力资源和社会保障局 生态环境局 商务委员会 体育局".split()
)
UNIT_KINDS = tuple("信息中心 事务中心 服务中心 研究所 监测站 指导中心 发展中心 评估中心".split())
DISTRICTS = tuple(
    "黄浦区 徐汇区 长宁区 静安区 普陀区 虹口区 杨浦区 闵行区 "
    "宝山区 嘉定区 浦东新区 金山区 松江区 青浦区 奉贤区 崇明区".split()
)
TOPICS = tuple(
    "科技创新 创业孵化 智慧城市 公共卫生 社区养老 职业培训 文化惠民 河道治理 "
    "绿地养护 交通安全 数据治理 人才引进 知识产权 科普宣传 应急保障 营商环境 "
    "乡村振兴 体育健身".split()
)
OBJECTS = tuple(
    "信息化运维 基地运行保障 服务体系建设 能力建设 宣传推广 专项调查 设备购置 平台建设 "
    "监测评估 公共服务 人员培训 课题研究 政策服务 综合管理".split()
)
SUFFIXES = ("项目", "经费", "专项", "工作经费", "", "补助")
NATURES = tuple("其他一次性项目 其他经常性项目 阶段性项目".split())
CATEGORIES = tuple("特定目标类 其他运转类".split())

# What the 数量指标 rows count, in the seed's units, and the range their targets take.
COUNTS = (
    ("组织{t}培训场次", "场", 2, 60),
    ("{t}宣传报道", "篇", 5, 400),
    ("服务{t}企业数", "家", 5, 500),
    ("{t}活动参加人次", "人次", 50, 5000),
    ("{t}专报", "份", 1, 12),
    ("{t}调研次数", "次", 2, 40),
    ("{t}课程", "门", 2, 20),
    ("{t}培训课时", "课时", 10, 200),
    ("{t}专刊出版", "期", 4, 12),
    ("{t}研究课题", "项", 1, 20),
    ("{t}案例素材", "篇", 5, 60),
    ("{t}参培人员", "人", 20, 2000),
    ("{t}接口升级", "个", 5, 300),
    ("{t}走访企业", "家", 10, 800),
    ("{t}设施巡查", "次", 4, 365),
    ("{t}管网改造长度", "米", 100, 5000),
    ("{t}宣传轮次", "轮", 1, 6),
)
RATES = tuple("{t}完成率 {t}验收合格率 {t}达标率 {t}覆盖率 {t}到课率 {t}知晓率".split())
TIMES = (
    ("{t}故障解决时间", "小时", "2"),
    ("{t}功能响应时间", "秒", "3"),
    ("{t}数据更新周期", "个月", "1"),
    ("{t}办结时限", "天", "15"),
)
QUALITY_WORDS = tuple("高 良好 准确 规范 达标 完善".split())
BENEFIT_WORDS = tuple("提升 提高 有效实现 有一定提升 明显提升 有所上升 健全 有效".split())
SENTENCES = (
    "通过项目实施进一步提升{t}服务水平，落实全流程服务",
    "报告数据及结论能实际应用",
    "推动{t}工作纵深开展，扩大服务辐射面",
    "建立常态化联动工作机制，保障{t}工作持续发挥影响",
    "引导社会资源加大对{t}的支持力度",
    "高于全国平均数",
    "达到主管部门提出的目标",
)
PROSE = (
    ("{t}合作基地", "不少于{n}家紧密合作基地", "家"),
    ("{t}活动全勤率", "不低于{n}%的全勤率", "%"),
    ("{t}宣传成效", "宣发{t}亮点不少于{n}轮（次）并收集有效反馈", "轮"),
    ("{t}成果数量", "平均每个项目不少于{n}件", "件"),
    ("{t}培训覆盖", "不少于{n}场次培训", "场次"),
)
WHO = tuple("服务对象 企业 参训人员 入驻人员 实施单位 社区居民 用户".split())
ONLY_NUMBER_UNITS = ("米",)  # written bare ("985米"): a number that reads as "at least"


@dataclass(slots=True)
class GenIndicator:
    """One generated row of the indicator table and the target it should be read as."""

    level1: str
    level2: str
    name: str
    raw: str
    op: str | None
    value: Decimal | None
    unit: str | None


@dataclass(slots=True)
class GenForm:
    """One generated declaration form."""

    name: str
    unit: str
    department: str
    nature: str
    category: str
    start: str
    end: str
    total: Decimal
    parts: tuple[Decimal, Decimal, Decimal]  # appropriation, carry-over, other
    goal: str
    layout: str  # "first-row", "late-labels", "one-cell"
    indicators: list[GenIndicator] = field(default_factory=list)


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _number(rng: random.Random, low: int, high: int, decimals: bool) -> Decimal:
    value = Decimal(rng.randint(low, high))
    return value.quantize(Decimal("0.01")) if decimals else value


def _written(rng: random.Random, op: str, value: Decimal, unit: str) -> str:
    """A quantitative target spelled as the forms spell it."""
    sign = {">=": "≥", "<=": "≤", "=": "="}[op]
    style = rng.random()
    if unit == "%" and style < 0.08:
        latex = {">=": "\\geq", "<=": "\\leq", "=": "="}[op]
        return f"${latex} {value}\\%$" if style < 0.04 else f"${latex} {value}$ (%)"
    if style < 0.15:
        return f"{sign}{value}（{unit}）"  # full-width brackets
    if style < 0.25:
        return f"{sign}{value} ({unit})"
    if unit == "%" and style < 0.3:
        return f"{'>=' if op == '>=' else sign}{value}%"
    return f"{sign}{value}({unit})"


def _quantitative(rng: random.Random, l1: str, l2: str, name: str, op: str, value: Decimal, unit: str) -> GenIndicator:
    if unit in ONLY_NUMBER_UNITS and op == ">=" and rng.random() < 0.5:
        return GenIndicator(l1, l2, name, f"{value}{unit}", ">=", value, unit)
    return GenIndicator(l1, l2, name, _written(rng, op, value, unit), op, value, unit)


def _qualitative(l1: str, l2: str, name: str, raw: str) -> GenIndicator:
    return GenIndicator(l1, l2, name, raw, None, None, None)


def _indicator(rng: random.Random, l1: str, l2: str, topic: str) -> GenIndicator:
    """One indicator of a level-2 group, with a target of the kind that group uses."""
    t = topic
    if l2 == "数量指标":
        stem, unit, low, high = rng.choice(COUNTS)
        op = "=" if rng.random() < 0.3 else ">="
        return _quantitative(rng, l1, l2, stem.format(t=t), op, _number(rng, low, high, rng.random() < 0.6), unit)
    if l2 == "质量指标":
        if rng.random() < 0.3:
            return _qualitative(
                l1, l2, f"{t}{rng.choice(('数据规范程度', '报告质量', '服务规范性'))}", rng.choice(QUALITY_WORDS)
            )
        value = Decimal(100) if rng.random() < 0.5 else _number(rng, 80, 98, True)
        return _quantitative(rng, l1, l2, rng.choice(RATES).format(t=t), "=" if value == 100 else ">=", value, "%")
    if l2 == "时效指标":
        if rng.random() < 0.5:
            return _quantitative(rng, l1, l2, f"{t}完成及时性", "=", Decimal("100.00"), "%")
        stem, unit, limit = rng.choice(TIMES)
        return _quantitative(rng, l1, l2, stem.format(t=t), "<=", Decimal(limit + ".00"), unit)
    if l2 in ("成本指标", "经济成本指标"):
        unit = rng.choice(("万元", "元"))
        value = _number(rng, 5, 900, True) if unit == "万元" else _number(rng, 1000, 90000, True)
        return _quantitative(rng, l1, l2, f"{t}{rng.choice(('成本控制', '单位成本', '预算控制数'))}", "<=", value, unit)
    if l2 in ("社会成本指标", "生态环境成本指标"):
        return _qualitative(
            l1, l2, f"{t}{rng.choice(('负面影响', '能源消耗', '环境影响'))}", rng.choice(("降低", "减少", "可控"))
        )
    if l2 == "经济效益指标":
        if rng.random() < 0.5:
            return _quantitative(rng, l1, l2, f"{t}带动投资额", ">=", _number(rng, 1, 80, True), "亿元")
        return _qualitative(l1, l2, f"{t}报告应用性", rng.choice(SENTENCES).format(t=t))
    if l2 == "服务对象满意度指标":
        value = _number(rng, 80, 95, rng.random() < 0.7)
        return _quantitative(rng, l1, l2, f"{rng.choice(WHO)}满意度", ">=", value, "%")
    # 社会效益, 生态效益, 可持续影响: words, sentences, and numbers inside prose
    roll = rng.random()
    if roll < 0.2:
        stem, prose, unit = rng.choice(PROSE)
        n = rng.randint(60, 95) if unit == "%" else rng.randint(2, 30)
        return GenIndicator(l1, l2, stem.format(t=t), prose.format(t=t, n=n), ">=", Decimal(n), unit)
    if roll < 0.45:
        return _qualitative(
            l1, l2, f"提升{t}{rng.choice(('服务能力', '影响力', '社会知晓度'))}", rng.choice(SENTENCES).format(t=t)
        )
    if roll < 0.6 and l2 != "可持续影响指标":
        name = f"{t}能耗降低率" if l2 == "生态效益指标" else f"{t}社会知晓度提升"
        return _quantitative(rng, l1, l2, name, ">=", _number(rng, 5, 30, True), "%")
    name = {"生态效益指标": f"{t}节能标准", "可持续影响指标": f"{t}长效机制"}.get(l2, f"{t}社会效益")
    return _qualitative(l1, l2, name, rng.choice(BENEFIT_WORDS))


def _groups(rng: random.Random, count: int) -> list[tuple[str, str, int]]:
    """(level 1, level 2, how many) in form order, adding up to ``count``."""
    satisfaction = 0 if rng.random() < 0.1 else min(rng.choice((1, 1, 2, 3, 4)), count - 3)
    cost = rng.randint(1, 2) if rng.random() < 0.15 and count >= 10 else 0
    benefit = max(1, round((count - satisfaction - cost) * rng.uniform(0.2, 0.35)))
    output = count - satisfaction - cost - benefit
    plan: list[tuple[str, str, int]] = []
    quality, timely = max(1, output // 4), max(1, output // 8)
    spent = rng.randint(0, 1) if output >= 8 else 0
    plan += [("产出指标", "数量指标", output - quality - timely - spent), ("产出指标", "质量指标", quality)]
    plan += [("产出指标", "时效指标", timely), ("产出指标", "成本指标", spent)]
    if cost:
        plan.append(("成本指标", rng.choice(("经济成本指标", "社会成本指标", "生态环境成本指标")), cost))
    social = max(1, benefit - rng.randint(0, 2))
    rest = benefit - social
    plan += [
        ("效益指标", "社会效益指标", social),
        ("效益指标", rng.choice(("经济效益指标", "可持续影响指标", "生态效益指标")), rest),
    ]
    plan.append(("满意度指标", "服务对象满意度指标", satisfaction))
    return [g for g in plan if g[2] > 0]


def generate_forms(count: int, seed: int = YEAR) -> list[GenForm]:
    """``count`` forms; the same seed gives the same forms."""
    rng = random.Random(seed)
    units = [
        (f"上海市{d.removesuffix('委员会').removesuffix('局')}{k}", f"上海市{d}")
        for d in DEPARTMENTS
        for k in UNIT_KINDS
    ]
    units += [
        (f"{z}{d.removesuffix('委员会').removesuffix('局')}事务中心", f"上海市{d}")
        for z in DISTRICTS
        for d in DEPARTMENTS
    ]
    taken: set[tuple[str, str]] = set()
    forms: list[GenForm] = []
    for _ in range(count):
        unit, department = rng.choice(units)
        topic = rng.choice(TOPICS)
        name = f"{topic}{rng.choice(OBJECTS)}{rng.choice(SUFFIXES)}"
        number = 2
        while (unit, name) in taken:
            name = f"{topic}{rng.choice(OBJECTS)}（{number}期）"
            number += 1
        taken.add((unit, name))
        total = Decimal(int(10 ** rng.uniform(2.7, 5.7)) * 100).quantize(Decimal("0.01"))
        split = rng.random()
        zero = Decimal("0.00")
        if split < 0.7:
            parts = (total, zero, zero)
        elif split < 0.85:
            parts = (zero, zero, total)
        elif split < 0.95:
            parts = (zero, total, zero)
        else:
            first = (total * Decimal("0.6")).quantize(Decimal("0.01"))
            parts = (first, zero, total - first)
        multi_year = rng.random() < 0.1
        size = max(5, min(40, round(rng.triangular(5, 40, 33))))
        goal = f"通过项目实施，完成{topic}{rng.choice(OBJECTS)}任务，{rng.choice(SENTENCES).format(t=topic)}。"
        if rng.random() < 0.3:
            goal = f"<p>{goal}</p> <p>年度总体目标：{rng.choice(SENTENCES).format(t=topic)}。</p>"
        layout = "one-cell" if rng.random() < ONE_CELL_SHARE else rng.choice(("first-row", "late-labels"))
        form = GenForm(
            name,
            unit,
            department,
            rng.choice(NATURES),
            rng.choice(CATEGORIES),
            "2023-07-01" if multi_year else f"{YEAR}-01-01",
            "2025-06-30" if multi_year else f"{YEAR}-12-31",
            total,
            parts,
            goal,
            layout,
        )
        seen: set[str] = set()
        for l1, l2, n in _groups(rng, size):
            for _ in range(n):
                ind = _indicator(rng, l1, l2, rng.choice(TOPICS) if rng.random() < 0.4 else topic)
                while ind.name in seen:
                    ind.name = ind.name + rng.choice(("（市级）", "（区级）", "（年度）", "（新增）", "（续）"))
                seen.add(ind.name)
                form.indicators.append(ind)
        forms.append(form)
    return forms


def _label(text: str, rng: random.Random) -> str:
    """A label as a PDF extractor may break it ("服务对象满意度 指标")."""
    return f"{text[:-2]} 指标" if len(text) > 4 and rng.random() < 0.25 else text


def _table_rows(form: GenForm, rng: random.Random) -> list[list[str]]:
    """The indicator table as rows of cells (绩效指标, level 1, level 2, name, target)."""
    rows = [["", cell.level1, cell.level2, cell.name, cell.raw] for cell in form.indicators]
    late = form.layout != "first-row"
    starts: dict[tuple[str, str], int] = {}
    for i, ind in enumerate(form.indicators):
        starts.setdefault((ind.level1, ind.level2), i)
    spans = list(starts.items())
    for n, ((l1, _l2), start) in enumerate(spans):
        end = spans[n + 1][1] if n + 1 < len(spans) else len(rows)
        # A merged cell's text sits mid-span in the PDF; the reader can place that only in the
        # table's first span, and a level-1 label only on a row that also names its level 2.
        row = start + (end - start) // 2 if late and n == 0 else start
        for i in range(start, end):
            rows[i][1] = rows[i][1] if i == row and (n == 0 or l1 != spans[n - 1][0][0]) else ""
            rows[i][2] = rows[i][2] if i == row else ""
    middle = len(rows) // 2 if late else 0
    rows[middle][0] = "绩效 指标"
    for r in rows:
        r[1], r[2] = _label(r[1], rng) if r[1] else "", _label(r[2], rng) if r[2] else ""
    return rows


def form_text(form: GenForm, rng: random.Random) -> str:
    """The form as text copied out of a PDF, tab-separated."""
    app, carry, other = (_money(p) for p in form.parts)
    lines = [
        "# 财政项目支出绩效目标申报表",
        "",
        f"({YEAR}年度)",
        "",
        f"项目名称\t{form.name}\t项目性质\t{form.nature}\t项目类别\t{form.category}",
        f"主管部门\t{form.department}\t实施单位\t{form.unit}\t\t",
        f"计划开始日期\t{form.start}\t计划完成日期\t{form.end}\t\t",
        f"项目资金 (元)\t项目资金总额\t\t年度资金申请总额\t{_money(form.total)}\t",
        f"\t其中：财政资金\t\t其中：当年财政拨款\t{app}\t",
        f"\t\t\t上年结转资金\t{carry}",
        f"\t其他资金\t\t其他资金\t{other}\t",
        "项目 绩效 目标\t项目总目标\t\t年度总体目标\t\t",
        f"\t\t\t{form.goal}\t\t",
        "\t一级指标\t二级指标\t三级指标\t年度(/项目)指标值\t",
    ]
    rows = _table_rows(form, rng)
    for i, row in enumerate(rows):
        if form.layout == "late-labels" and i == len(rows) // 2 and i > 0:
            lines.append("")  # a page break inside the table
        lines.append("\t".join(row))
    return "\n".join(lines) + "\n"


def one_cell_per_line(text: str) -> str:
    """The same form as tools that put every non-empty cell on a line of its own (without wrapping it)."""
    out: list[str] = []
    for line in text.split("\n"):
        cells = [c.strip() for c in line.split("\t") if c.strip()]
        out.extend(cells if "\t" in line else [line])
    return "\n".join(out)


def write_forms(forms: list[GenForm], folder: Path, seed: int = YEAR) -> list[Path]:
    """Write the forms as text files of at most ``FORMS_PER_FILE`` forms (one-cell forms apart)."""
    rng = random.Random(seed + 1)
    folder.mkdir(parents=True, exist_ok=True)
    tabbed = [form_text(f, rng) for f in forms if f.layout != "one-cell"]
    single = [one_cell_per_line(form_text(f, rng)) for f in forms if f.layout == "one-cell"]
    paths: list[Path] = []
    for kind, texts in (("forms", tabbed), ("forms-one-cell", single)):
        for start in range(0, len(texts), FORMS_PER_FILE):
            path = folder / f"{kind}-{start // FORMS_PER_FILE + 1:03d}.txt"
            path.write_text(f"## {YEAR}年度项目绩效目标汇总表\n\n" + "\n".join(texts[start : start + FORMS_PER_FILE]))
            paths.append(path)
    return paths


def check(forms: list[GenForm], paths: list[Path]) -> list[str]:
    """Read the files back with the real importer; what differs from what was generated."""
    from perftrack.importers import read_declarations

    result = read_declarations(paths)
    read = {(d.unit, d.name): d for d in result.declarations}
    issues = [f"{p.location()}: {p.message}" for p in result.errors]
    for form in forms:
        decl = read.get((form.unit, form.name))
        if decl is None:
            issues.append(f"not read: {form.unit} {form.name}")
            continue
        if decl.funds.annual_total != form.total or len(decl.indicators) != len(form.indicators):
            issues.append(f"{form.name}: total {decl.funds.annual_total}, {len(decl.indicators)} indicators")
            continue
        for got, want in zip(decl.indicators, form.indicators, strict=True):
            t = got.target
            if (got.level1, got.level2, got.name) != (want.level1, want.level2, want.name) or (
                t.op,
                t.value,
                t.unit,
                t.kind is Kind.QUANTITATIVE,
            ) != (want.op, want.value, want.unit, want.op is not None):
                issues.append(
                    f"{form.name} [{form.layout}]: read {got.level1}/{got.level2}/{got.name} {t}, wrote {want}"
                )
    return issues


# -- actuals ------------------------------------------------------------------------------


def _quarter_values(
    rng: random.Random, value: Decimal, op: str | None, unit: str | None, rollup: Rollup
) -> Iterator[Decimal]:
    """Four quarters around the target: some ahead, some behind, a few far off."""
    pace = Decimal(rng.choice((rng.randint(60, 100), rng.randint(90, 110), rng.randint(100, 150)))) / 100
    # Counts are whole numbers; money and rates have cents.
    places = Decimal("0.01") if unit in ("元", "万元", "亿元", "%") or rollup is not Rollup.SUM else Decimal(1)
    for q in range(4):
        if rollup is Rollup.SUM:
            wobble = Decimal(rng.randint(70, 130)) / 100
            yield (value * pace / 4 * wobble).quantize(places, rounding=ROUND_HALF_UP)
        elif op in ("<=", "<"):
            yield (value / pace).quantize(places, rounding=ROUND_HALF_UP)
        else:
            reached = value * pace * (Decimal("0.85") + Decimal("0.05") * q)
            yield (min(reached, Decimal(100)) if unit == "%" else reached).quantize(places, rounding=ROUND_HALF_UP)


def _actual_row(
    indicator_id: int, period: str, *, value: Decimal | None = None, unit: str | None = None, tier: str | None = None
) -> dict[str, object]:
    """An actual as ``record_actual`` stores one, every column named so one executemany writes them all."""
    text = None if value is None else str(value)
    return {
        "indicator_id": indicator_id,
        "period": period,
        "value": value,
        "value_text": text,
        "unit": unit,
        "tier": tier,
        "tier_percent": None,
        "note": None,
        "updated_by": "benchmark",
    }


def add_actuals(db: Database, seed: int = YEAR, *, missing: float = 0.08) -> int:
    """Record Q1–Q4 actuals for every indicator (a tier for qualitative ones) and spending; rows written."""
    rng = random.Random(seed + 2)
    tiers = ("achieved", "achieved", "partly", "not_achieved")
    rows: list[dict[str, object]] = []
    spending: list[dict[str, object]] = []
    with db.session() as session:
        i = Indicator.__table__.c
        query = select(i.id, i.target_kind, i.target_op, i.target_value, i.target_unit).where(i.retired.is_(False))
        query = query.order_by(i.id)  # the same figures on every backend (PostgreSQL has no row order)
        for iid, kind, op, value, unit in session.execute(query):
            if rng.random() < missing:
                continue
            if kind != "quantitative" or value is None:
                for period in ("Q2", "Q4"):
                    rows.append(_actual_row(iid, period, tier=rng.choice(tiers)))
                continue
            rollup = default_rollup(Target("", op, value, unit, Kind.QUANTITATIVE))
            for period, v in zip(QUARTERS, _quarter_values(rng, value, op, unit, rollup), strict=True):
                rows.append(_actual_row(iid, period, value=v, unit=unit))
        p = Project.__table__.c
        for pid, total in session.execute(select(p.id, p.annual_total).order_by(p.id)):
            share = Decimal(rng.randint(150, 270)) / 1000
            for period in QUARTERS:
                amount = ((total or Decimal(0)) * share).quantize(Decimal("0.01"))
                spending.append({"project_id": pid, "period": period, "amount": amount, "updated_by": "benchmark"})
        for start in range(0, len(rows), INSERT_BATCH):
            session.execute(insert(Actual.__table__), rows[start : start + INSERT_BATCH])
        session.execute(insert(BudgetExecution.__table__), spending)
    return len(rows)


# -- what the benchmarks share ----------------------------------------------------------------


def machine() -> str:
    """Platform, CPU model, cores, memory, Python and SQLite: what the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            kb = next(int(line.split()[1]) for line in info if line.startswith("MemTotal:"))
        memory = f", {kb / 1024 / 1024:.1f} GB"
    except (OSError, StopIteration):
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = ", load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{platform.platform()}; {cpu}, {os.cpu_count()} cores{memory}{load}; "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def load_average() -> str:
    """The load average now ("?" where it is not known): the figures say how busy the machine was."""
    return ", ".join(f"{v:.2f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "?"


RESULT = "RESULT "
# Runs ``perftrack ARGS`` in the child itself, then prints its figures on a RESULT line: exit code,
# peak memory (VmHWM; a direct child's ru_maxrss would carry the parent's), CPU seconds, the
# largest worker process's memory and the workers' CPU (chart or scoring workers, if any), and
# which perftrack package it imported.
WRAPPER = """
import json, sys
from perftrack.cli import main
try:
    code = main()  # as the console script calls it: perftrack is the program
except SystemExit as exit:  # --version
    code = exit.code or 0
with open("/proc/self/status", encoding="ascii") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
import resource
children = resource.getrusage(resource.RUSAGE_CHILDREN)
worker = children.ru_maxrss / 1024  # the largest worker, if any
own = resource.getrusage(resource.RUSAGE_SELF)
sys.stdout.flush()
import perftrack
figures = {"code": code, "peak_mb": peak, "worker_mb": worker, "package": perftrack.__path__[0],
           "cpu": own.ru_utime + own.ru_stime, "worker_cpu": children.ru_utime + children.ru_stime}
print("RESULT " + json.dumps(figures), flush=True)
"""


def run_perftrack(args: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """``perftrack ARGS`` in a child process run from ``cwd`` (not the repository root: ``python -c``
    puts the current folder first on the path, which would shadow a PYTHONPATH checkout): its
    figures (``WRAPPER``) with the wall seconds from spawn to exit; SystemExit when it fails."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", WRAPPER, *args], capture_output=True, text=True, env=env, cwd=cwd)
    wall = time.perf_counter() - started
    for line in done.stdout.splitlines():
        if line.startswith(RESULT):
            figures = json.loads(line[len(RESULT) :])
            if figures["code"] == 0:
                return {"seconds": wall, **figures}
    raise SystemExit(f"perftrack {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")


def two_quarter_database(work: Path, projects: int, seed: int, name: str) -> Path:
    """A database ``<name>_<projects>_<seed>.db`` in ``work`` of generated projects with Q1 and Q2
    recorded: the mid-year state (made once, then reused)."""
    from sqlalchemy import delete

    from perftrack.importers import read_declarations
    from perftrack.store.database import open_database
    from perftrack.store.schema import Actual, BudgetExecution
    from perftrack.store.upsert import import_declarations

    db = work / f"{name}_{projects}_{seed}.db"
    if db.exists():
        return db
    started = time.perf_counter()
    forms = write_forms(generate_forms(projects, seed), work / f"forms_{projects}_{seed}", seed)
    partial = db.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    with open_database(f"sqlite:///{partial.as_posix()}") as database:
        with database.session() as session:
            import_declarations(session, read_declarations(forms).declarations, source_label="benchmark")
        add_actuals(database, seed)
        with database.session() as session:  # two quarters: the year's first half
            session.execute(delete(Actual).where(Actual.period.in_(("Q3", "Q4"))))
            session.execute(delete(BudgetExecution).where(BudgetExecution.period.in_(("Q3", "Q4"))))
    partial.rename(db)
    print(f"generated {db.name} in {time.perf_counter() - started:.1f} s", flush=True)
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=SIZES[-1])
    parser.add_argument("--seed", type=int, default=YEAR)
    parser.add_argument("--out", type=Path, required=True, help="folder for the form text files")
    parser.add_argument("--check", action="store_true", help="read the files back and compare every indicator")
    args = parser.parse_args()
    started = time.perf_counter()
    forms = generate_forms(args.projects, args.seed)
    paths = write_forms(forms, args.out, args.seed)
    indicators = sum(len(f.indicators) for f in forms)
    size = sum(p.stat().st_size for p in paths) / 1e6
    print(
        f"{len(forms)} forms, {indicators} indicators, {len(paths)} files, {size:.1f} MB "
        f"in {args.out} ({time.perf_counter() - started:.1f} s)"
    )
    if args.check:
        issues = check(forms, paths)
        for issue in issues[:20]:
            print(issue)
        print(f"read back: {len(issues)} differences")
        sys.exit(1 if issues else 0)


if __name__ == "__main__":
    main()
