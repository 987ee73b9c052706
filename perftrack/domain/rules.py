"""The scoring rules as data: one frozen ``RuleSet`` per set of rules a province uses.

A rule set says how many of the 100 points the budget execution earns (the indicators share the
rest), how the indicators' points are shared between the output, benefit and satisfaction groups,
from which share beyond the target an indicator counts as over-achieved (its target may be set too
low), and the grade bands with their words. Scoring (``domain/scoring.py``) and the summary kernel
(``domain/summary.py``) read nothing else, so a province whose rules differ is one entry in
``RULE_SETS`` plus a test. Declared per-indicator weights (the form's 分值 column) are kept by the
importer and used as the indicators' points under every set.

The database names the set in use by its key (setting ``grade_labels``: the first two sets differed
only in their words); ``perftrack grades`` and the window's 设置 ▸ 评分规则 list the sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from perftrack.domain.errors import UserError
from perftrack.domain.points import Group

HUNDRED = Decimal(100)


class Grade(StrEnum):
    EXCELLENT = "excellent"
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"


class UnknownRuleSet(UserError, ValueError):
    """A rule set that is not registered."""


@dataclass(frozen=True, slots=True)
class RuleSet:
    """One province's scoring rules (domain.md §4 gives the national ones)."""

    key: str
    title: str  # what a person picks it by, in Chinese
    grade_words: tuple[tuple[Grade, str], ...]  # best first
    budget_points: Decimal = Decimal(10)
    # The indicators' points shared between the groups in these proportions (of the groups present).
    group_weights: tuple[tuple[Group, Decimal], ...] = (
        (Group.OUTPUT, Decimal(50)),
        (Group.BENEFIT, Decimal(30)),
        (Group.SATISFACTION, Decimal(10)),
    )
    # The lowest total of each grade, best first; below the last is POOR.
    grade_floors: tuple[tuple[Decimal, Grade], ...] = (
        (Decimal(90), Grade.EXCELLENT),
        (Decimal(80), Grade.GOOD),
        (Decimal(60), Grade.FAIR),
    )
    # An actual at this share of the target or beyond (at 2 − this share or below when less is
    # better) is over-achieved and needs an explanation.
    over_achievement: Decimal = Decimal("1.3")
    # Mid-year monitoring: this far below what time elapsed expects is still 'at risk', not off track.
    at_risk_margin: Decimal = Decimal("0.15")

    @property
    def indicator_points(self) -> Decimal:
        """What the indicators share: 100 less the budget's points."""
        return HUNDRED - self.budget_points

    def grade_for(self, total: Decimal) -> Grade:
        """The grade of a total: the first band whose floor it reaches."""
        for floor, grade in self.grade_floors:
            if total >= floor:
                return grade
        return Grade.POOR

    def scoring_signature(self) -> str:
        """What of the set decides totals and counts (not the grades, worked out from a total when shown)."""
        weights = ",".join(f"{g.value}={w}" for g, w in self.group_weights)
        return f"budget={self.budget_points};{weights};over={self.over_achievement};risk={self.at_risk_margin}"

    def grade_word(self, grade: Grade) -> str:
        return dict(self.grade_words)[grade]

    def words(self) -> str:
        """The grade words, best first: 优 / 良 / 中 / 差."""
        return " / ".join(word for _, word in self.grade_words)


NATIONAL = RuleSet(
    key="national",
    title="全国通用（2020年办法）：预算执行10分，产出/效益/满意度 50:30:10，优/良/中/差",
    grade_words=((Grade.EXCELLENT, "优"), (Grade.GOOD, "良"), (Grade.FAIR, "中"), (Grade.POOR, "差")),
)
SHANGHAI = RuleSet(
    key="shanghai",
    title="上海：同全国通用，等级为 优/良/合格/不合格",
    grade_words=((Grade.EXCELLENT, "优"), (Grade.GOOD, "良"), (Grade.FAIR, "合格"), (Grade.POOR, "不合格")),
)

# Every registered set by its key; the first is the default.
RULE_SETS: dict[str, RuleSet] = {r.key: r for r in (NATIONAL, SHANGHAI)}


def rule_set(key: str | RuleSet) -> RuleSet:
    """The registered set of ``key`` (a RuleSet is returned as it is); UnknownRuleSet otherwise."""
    if isinstance(key, RuleSet):
        return key
    found = RULE_SETS.get(key)
    if found is None:
        raise UnknownRuleSet(f"评分规则“{key}”不存在，可选：{'、'.join(RULE_SETS)}")
    return found
