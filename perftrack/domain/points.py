"""How the 90 indicator points (分值) are shared among a project's indicators (domain.md §4).

Outputs (产出, with a level-1 成本 group) weigh 50, benefits (效益) 30, satisfaction (满意度) 10.
A group without indicators hands its weight to the others in proportion, so a project without a
satisfaction indicator has 56.25 for outputs and 33.75 for benefits. Inside a group the points
are shared equally to the cent, the first indicators taking the odd cents; points the user set
are kept and the others share what their group has left.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Protocol

from perftrack.domain.levels import level1_group, parent_of
from perftrack.domain.model import (
    LEVEL1_BENEFIT,
    LEVEL1_COST,
    LEVEL1_OUTPUT,
    LEVEL1_SATISFACTION,
)

INDICATOR_POINTS = Decimal(90)
CENT = Decimal("0.01")


class Pointed(Protocol):
    """What sharing the points reads of an indicator (an ``IndicatorInput`` or a summary's facts)."""

    @property
    def name(self) -> str: ...
    @property
    def level1(self) -> str | None: ...
    @property
    def level2(self) -> str | None: ...
    @property
    def points(self) -> Decimal | None: ...


class Group(StrEnum):
    """The three scoring groups of the indicator table."""

    OUTPUT = "output"
    BENEFIT = "benefit"
    SATISFACTION = "satisfaction"

    @property
    def weight(self) -> Decimal:
        """Points of the group when every group has indicators (50 / 30 / 10)."""
        return GROUP_WEIGHTS[self]


GROUP_WEIGHTS: dict[Group, Decimal] = {
    Group.OUTPUT: Decimal(50),
    Group.BENEFIT: Decimal(30),
    Group.SATISFACTION: Decimal(10),
}
# The national weights as a rule set holds them (domain/rules.py): hashable, in group order.
Weights = tuple[tuple[Group, Decimal], ...]
NATIONAL_WEIGHTS: Weights = tuple(GROUP_WEIGHTS.items())
_LEVEL1_GROUP: dict[str, Group] = {
    LEVEL1_OUTPUT: Group.OUTPUT,
    LEVEL1_COST: Group.OUTPUT,
    LEVEL1_BENEFIT: Group.BENEFIT,
    LEVEL1_SATISFACTION: Group.SATISFACTION,
}


@functools.lru_cache(maxsize=4096)  # a pure function of two labels, asked once per indicator scored
def group_of(level1: str | None, level2: str | None) -> Group | None:
    """The scoring group of an indicator from its level-1 label, else its level-2 label.

    Labels are read under every name provinces print (产出值, 效果指标, 产出指标(50分)): see domain/levels.
    """
    first = level1_group(level1)
    if first is not None:
        return _LEVEL1_GROUP[first]
    # A level-2 label that landed in the level-1 column (a PDF merged cell) still tells the group.
    for label in (level2, level1):
        parent = parent_of(label)
        if parent is not None:
            return _LEVEL1_GROUP[parent]
    return None


def group_totals(
    present: set[Group], total: Decimal = INDICATOR_POINTS, weights: Weights = NATIONAL_WEIGHTS
) -> dict[Group, Decimal]:
    """Points of each group that has indicators: the 90 shared in proportion to 50 : 30 : 10."""
    return dict(_group_totals(frozenset(present), total, weights))


# Scoring a city shares points for thousands of projects, all with one of seven group sets and
# a few dozen group sizes: the shares are worked out once each (both are pure functions).
@functools.lru_cache(maxsize=64)
def _group_totals(present: frozenset[Group], total: Decimal, weights: Weights) -> tuple[tuple[Group, Decimal], ...]:
    of = dict(weights)
    weight = sum((of.get(g, Decimal(0)) for g in present), Decimal(0))
    if not weight:
        return ()
    # Every combination of 50/30/10 divides 90 into whole cents (56.25, 33.75, 67.5, 22.5, …).
    return tuple((g, total * of.get(g, Decimal(0)) / weight) for g in Group if g in present)


def split_equally(total: Decimal, count: int) -> list[Decimal]:
    """``total`` in ``count`` cent amounts adding up to it exactly; the first ones get the odd cents."""
    return list(_split(total, count))


@functools.lru_cache(maxsize=1024)
def _split(total: Decimal, count: int) -> tuple[Decimal, ...]:
    if count <= 0:
        return ()
    cents = int((total / CENT).to_integral_value(rounding=ROUND_HALF_UP))
    base, extra = divmod(cents, count)
    return tuple((Decimal(base + (1 if i < extra else 0)) * CENT).quantize(CENT) for i in range(count))


def allocate(
    indicators: Sequence[Pointed], total_points: Decimal = INDICATOR_POINTS, weights: Weights = NATIONAL_WEIGHTS
) -> tuple[list[Decimal], list[str]]:
    """Points for each indicator, in order, and the problems found with them (in Chinese): the
    indicators' ``total_points`` shared between the groups by ``weights``, then equally within each."""
    problems: list[str] = []
    if not indicators:
        return [], [f"项目没有绩效指标，指标部分（{total_points.normalize():f}分）无法评分"]
    groups = [group_of(ind.level1, ind.level2) for ind in indicators]
    for ind, group in zip(indicators, groups, strict=True):
        if group is None:
            problems.append(
                f"指标“{ind.name}”的一级指标“{ind.level1 or ''}”/二级指标“{ind.level2 or ''}”无法识别，未分配分值"
            )

    points: list[Decimal | None] = [ind.points for ind in indicators]
    if all(p is not None for p in points):
        result = [p for p in points if p is not None]
    else:
        for group, total in _group_totals(frozenset(g for g in groups if g is not None), total_points, weights):
            members = [i for i, g in enumerate(groups) if g is group]
            set_sum = sum((points[i] or Decimal(0) for i in members), Decimal(0))
            unset = [i for i in members if points[i] is None]
            if not unset:
                continue
            left = total - set_sum
            if left < 0:
                problems.append(f"{_GROUP_NAMES[group]}已设分值合计 {set_sum:.2f}，超过该组的 {total:.2f} 分")
                left = Decimal(0)
            for i, share in zip(unset, _split(left, len(unset)), strict=True):
                points[i] = share
        result = [p if p is not None else Decimal(0) for p in points]

    added = sum(result, Decimal(0))
    if added != total_points:
        problems.append(f"各指标分值合计为 {added:.2f}，应为 {total_points.normalize():f}")
    return result, problems


_GROUP_NAMES: dict[Group, str] = {
    Group.OUTPUT: "产出指标（含成本指标）",
    Group.BENEFIT: "效益指标",
    Group.SATISFACTION: "满意度指标",
}


def allocate_points(indicators: Sequence[Pointed]) -> list[Decimal]:
    """Points for each indicator, in order (see ``allocate`` for the problems found)."""
    return allocate(indicators)[0]
