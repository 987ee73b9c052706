"""A rule set unlike every registered one, for tests that show the scoring follows the set it is given."""

from __future__ import annotations

from decimal import Decimal

from perftrack.domain.points import Group
from perftrack.domain.rules import Grade, RuleSet

# A province whose rules differ in every respect a rule set holds: no budget line (the indicators
# share all 100 points), other group weights, grade bands and words, over-achievement from +50 %,
# 'at risk' down to 25 % below what time elapsed expects.
NO_BUDGET_LINE = RuleSet(
    key="no_budget",
    title="测试：无预算执行分值，产出/效益/满意度 60:25:15",
    grade_words=((Grade.EXCELLENT, "优秀"), (Grade.GOOD, "良好"), (Grade.FAIR, "合格"), (Grade.POOR, "不合格")),
    budget_points=Decimal(0),
    group_weights=((Group.OUTPUT, Decimal(60)), (Group.BENEFIT, Decimal(25)), (Group.SATISFACTION, Decimal(15))),
    grade_floors=((Decimal(85), Grade.EXCELLENT), (Decimal(75), Grade.GOOD), (Decimal(60), Grade.FAIR)),
    over_achievement=Decimal("1.5"),
    at_risk_margin=Decimal("0.25"),
)
