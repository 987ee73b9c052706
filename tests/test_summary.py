"""A project's summary (total, grade, worst status, counts) equals what its full evaluation shows.

``score_summaries`` and ``summarize_project`` rescore lists of projects without the objects
a full evaluation builds; these tests hold them to the full evaluation field by field: on the
seed given every kind of user data in a real SQLite file, and on projects generated at random
(hypothesis) straight against ``score_project`` and ``attainment``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from perftrack.domain.attainment import IndicatorInput, PeriodValue, Status, Tier, attainment, worst
from perftrack.domain.model import Kind, Target
from perftrack.domain.periods import MONTHS, QUARTERS, YEAR
from perftrack.domain.rules import RULE_SETS, RuleSet
from perftrack.domain.scoring import BudgetInput, ProjectInput, score_project
from perftrack.domain.summary import IndicatorFacts, ProjectSummary, summarize_project
from perftrack.domain.units import Rollup
from perftrack.store.database import Database
from perftrack.store.evaluation import evaluate_project, grade_labels
from perftrack.store.records import load_records
from perftrack.store.schema import Project
from perftrack.store.settings import set_grade_labels
from perftrack.store.summaries import score_summaries
from perftrack.ui.snapshots import indicator_rows, summarize
from tests.support.rules import NO_BUDGET_LINE

TODAY = dt.date(2024, 8, 15)


def _full(session, as_of: str | None, today: dt.date = TODAY) -> list[ProjectSummary]:
    labels = grade_labels(session)
    out = []
    for record in load_records(session):
        ev = evaluate_project(record, as_of=as_of, labels=labels, today=today)
        out.append(summarize(ev, indicator_rows(record, ev)))
    return out


@pytest.mark.parametrize("as_of", [None, "Q1", "Q2", "M05", "M11", YEAR])
def test_summaries_equal_the_full_evaluation(varied: Database, as_of: str | None) -> None:
    with varied.session() as session:
        fast = score_summaries(session, as_of=as_of, today=TODAY)
        full = _full(session, as_of)
    assert fast == full
    # The comparison covers something: scores and counts that differ from project to project.
    assert len({s.total for s in fast}) > 5
    assert len({(s.off_track, s.no_actual, s.needs_note) for s in fast}) > 5
    assert any(s.needs_note for s in fast) and any(s.no_actual for s in fast)


def test_the_varied_seed_exercises_every_input(varied: Database) -> None:
    """The data behind the comparison holds what the rules branch on (else it proves little)."""
    with varied.session() as session:
        labels = grade_labels(session)
        evaluations = [evaluate_project(r, labels=labels, today=TODAY) for r in load_records(session)]
    problems = [p for ev in evaluations for p in ev.problems]
    assert any("单位与指标值不一致" in p for p in problems)  # an unconvertible unit
    scores = [s for ev in evaluations for s in ev.score.indicators]
    assert any(s.deduction for s in scores)
    assert any(s.over_achieved for s in scores)
    assert any(s.missing_actual for s in scores)
    assert any(s.actual is not None and s.actual.tier is not None for s in scores)
    assert {ev.reporting for ev in evaluations} == {"quarterly", "monthly"}


def test_summaries_with_shanghai_grades_and_a_day_before_the_year(varied: Database) -> None:
    with varied.session() as session:
        set_grade_labels(session, "shanghai")
    before = dt.date(2023, 3, 1)
    with varied.session() as session:
        fast = score_summaries(session, today=before)
        assert fast == _full(session, None, today=before)
    assert {s.grade for s in fast} <= {"优", "良", "合格", "不合格"}
    assert "不合格" in {s.grade for s in fast}


def test_summaries_of_chosen_projects_in_list_order(varied: Database) -> None:
    with varied.session() as session:
        everything = score_summaries(session, today=TODAY)
        ids = list(session.scalars(select(Project.id).order_by(Project.id.desc()).limit(4)))
        chosen = score_summaries(session, ids, today=TODAY)
        by_year = score_summaries(session, year=2024, today=TODAY)
        none_of_2031 = score_summaries(session, year=2031, today=TODAY)
    assert [s.project_id for s in chosen] == [s.project_id for s in everything if s.project_id in ids]
    assert chosen == [s for s in everything if s.project_id in ids]
    assert by_year == everything  # the seed is all 2024
    assert none_of_2031 == []


def test_a_project_with_nothing_recorded_is_not_scored(database: Database) -> None:
    from perftrack.importers import read_declarations
    from perftrack.paths import sample_files
    from perftrack.store.upsert import import_declarations

    with database.session() as session:
        import_declarations(session, read_declarations(sample_files()).declarations, source_label="seed")
    with database.session() as session:
        fast = score_summaries(session, today=TODAY)
        assert fast == _full(session, None)
    assert len(fast) == 13
    assert not any(s.scored for s in fast)
    assert {s.status for s in fast} == {Status.NO_ACTUAL}


# -- the kernel against the rules, on projects made up at random ---------------------------------

_LEVEL1 = ["产出指标", "效益指标", "满意度指标", "成本指标", "产出 指标", None, "其他"]
_LEVEL2 = ["数量指标", "质量指标", "社会效益指标", "服务对象满意度指标", None]
_UNITS = [None, "%", "次", "万元", "天", "分"]
_PERIODS = [*QUARTERS, *MONTHS, YEAR]
_money = st.decimals(min_value=0, max_value=10_000, places=2)
_value = st.one_of(st.just(Decimal(0)), st.decimals(min_value=0, max_value=500, places=2))
CENT = Decimal("0.01")


@st.composite
def _target(draw: st.DrawFn) -> Target:
    if draw(st.booleans()) and draw(st.booleans()):
        return Target(raw="有效实现", kind=Kind.QUALITATIVE)
    op = draw(st.sampled_from(["=", ">=", "<=", ">", "<", None]))
    value = draw(_value)
    unit = draw(st.sampled_from(_UNITS))
    return Target(raw=f"{op or ''}{value}{unit or ''}", op=op, value=value, unit=unit, kind=Kind.QUANTITATIVE)


# Figures near the target (short of it, on it, beyond it) reach every branch of the rules.
_FACTORS = [Decimal(f) for f in ("0", "0.1", "0.3", "0.5", "0.6", "0.8", "0.9", "1", "1.2", "1.3", "2")]


@st.composite
def _period_value(draw: st.DrawFn, goal: Decimal | None) -> PeriodValue:
    kind = draw(st.sampled_from(["value", "value", "tier", "tier-share", "empty"]))
    if kind == "value":
        if goal is None or draw(st.integers(0, 4)) == 0:
            return PeriodValue(draw(_value))
        return PeriodValue((goal * draw(st.sampled_from(_FACTORS)) / draw(st.sampled_from([1, 3, 4]))).quantize(CENT))
    if kind == "empty":
        return PeriodValue(None)
    tier = draw(st.sampled_from(list(Tier)))
    if kind == "tier":
        return PeriodValue(None, tier)
    low, high = tier.band
    share = draw(st.decimals(min_value=low, max_value=high, places=1))
    return PeriodValue(None, tier, share)


@st.composite
def _indicator(draw: st.DrawFn) -> IndicatorInput:
    target = draw(_target())
    periods = draw(st.lists(st.sampled_from(_PERIODS), unique=True, max_size=6))
    deduction = draw(st.one_of(st.none(), st.decimals(min_value=0, max_value=5, places=2)))
    return IndicatorInput(
        name=draw(st.text(min_size=1, max_size=4)),
        level1=draw(st.sampled_from(_LEVEL1)),
        level2=draw(st.sampled_from(_LEVEL2)),
        target=target,
        rollup=draw(st.one_of(st.none(), st.sampled_from(list(Rollup)))),
        points=draw(st.one_of(st.none(), st.decimals(min_value=0, max_value=40, places=2))),
        actuals={p: draw(_period_value(target.value)) for p in periods},
        deduction=deduction,
        deduction_reason="资料不全" if deduction is not None else None,
        deviation_reason=draw(st.sampled_from([None, "", " \u3000", "进度滞后"])),
    )


def _facts(ind: IndicatorInput) -> IndicatorFacts:
    return IndicatorFacts(
        name=ind.name,
        level1=ind.level1,
        level2=ind.level2,
        target=ind.target,
        rollup=ind.rollup,
        points=ind.points,
        deduction=ind.deduction,
        deduction_reason=ind.deduction_reason,
        deviation_reason=ind.deviation_reason,
        actuals=[(p, pv.value, pv.tier, pv.tier_percent) for p, pv in ind.actuals.items()],
    )


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    indicators=st.lists(_indicator(), max_size=12),
    reporting=st.sampled_from(["quarterly", "monthly"]),
    as_of=st.sampled_from(_PERIODS),
    labels=st.sampled_from([*RULE_SETS.values(), NO_BUDGET_LINE]),  # every registered set, and one unlike them
    budget=st.builds(
        BudgetInput,
        annual_total=st.one_of(st.none(), _money),
        full_year_budget=st.one_of(st.none(), _money),
        executed=st.one_of(st.none(), _money),
        by_period=st.dictionaries(st.sampled_from(_PERIODS[:-1]), _money, max_size=4),
    ),
)
def test_the_kernel_applies_the_rules(
    indicators: list[IndicatorInput], reporting: str, as_of: str, labels: RuleSet, budget: BudgetInput
) -> None:
    score = score_project(ProjectInput("项目", indicators, budget, reporting), grade_labels=labels)
    statuses = [attainment(ind, as_of, reporting, labels.at_risk_margin).status for ind in indicators]
    expected = ProjectSummary(
        project_id=7,
        total=score.total,
        grade=score.grade_label,
        status=worst(statuses) if statuses else Status.NO_ACTUAL,
        off_track=statuses.count(Status.OFF_TRACK),
        needs_note=sum(
            1
            for s in score.indicators
            if s.needs_explanation and not s.missing_actual and not (s.deviation_reason or "").strip()
        ),
        no_actual=statuses.count(Status.NO_ACTUAL),
        scored=False,
    )
    got = summarize_project(
        7, [_facts(i) for i in indicators], budget, reporting=reporting, as_of=as_of, grade_labels=labels, scored=False
    )
    assert got == expected


def test_the_kernel_refuses_what_the_rules_refuse() -> None:
    bad = IndicatorFacts(
        "培训人次",
        "产出指标",
        "数量指标",
        Target("≥5", ">=", Decimal(5), kind=Kind.QUANTITATIVE),
        None,
        Decimal(-1),
        None,
        None,
        None,
        [],
    )
    with pytest.raises(ValueError, match=r"培训人次.*分值不能为负数"):
        summarize_project(1, [bad], BudgetInput(None, None, None), reporting="quarterly", as_of="Q1")
    share_without_tier = bad._replace(points=None, actuals=[("Q1", None, None, Decimal(90))])
    with pytest.raises(ValueError, match="未选择评价等级"):
        summarize_project(1, [share_without_tier], BudgetInput(None, None, None), reporting="quarterly", as_of="Q1")
    with pytest.raises(ValueError, match="评分规则“x”不存在"):
        summarize_project(1, [], BudgetInput(None, None, None), reporting="quarterly", as_of="Q1", grade_labels="x")
