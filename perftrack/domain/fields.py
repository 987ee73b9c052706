"""The fields a user fills in on an indicator, as data: one table every part reads.

The store's columns (``store/schema.py``) and a migration are the only other places a new field
needs: the import keeps an indicator that has any of them set (``store/schema.INDICATOR_USER_FIELDS``),
the history names it by its label (``store/convert.FIELD_LABELS``), ``store/settings`` checks and
writes it by its kind, and the window edits it (``ui/workspace.INDICATOR_FIELDS``) and shows its
text (``ui/snapshots``). ``tests/test_fields.py`` holds them all to this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FieldKind(StrEnum):
    TEXT = "text"  # free text, blank clears it
    DECIMAL = "decimal"  # a number checked by the field's own rule (points, deduction, expected value)
    CHOICE = "choice"  # one of ``choices``
    ROLLUP = "rollup"  # how the periods add up (sum / latest / qualitative)


@dataclass(frozen=True, slots=True)
class UserField:
    """One field of an indicator a user fills in."""

    name: str  # the store's column
    label: str  # how the history and messages name it
    kind: FieldKind
    choices: tuple[str, ...] = ()
    # The mid-year monitoring form's columns (domain.md §3), shown in the monitoring box.
    monitoring: bool = False


MONITOR_CHANCES = ("确定能", "有可能", "完全不可能")
MONITOR_CAUSES = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")

INDICATOR_FIELDS: tuple[UserField, ...] = (
    UserField("rollup", "汇总方式", FieldKind.ROLLUP),
    UserField("points", "分值", FieldKind.DECIMAL),
    UserField("deviation_reason", "偏差原因分析", FieldKind.TEXT),
    UserField("measures", "改进措施", FieldKind.TEXT),
    UserField("deduction", "扣分", FieldKind.DECIMAL),
    UserField("deduction_reason", "扣分理由", FieldKind.TEXT),
    UserField("monitor_expected", "全年预计完成值", FieldKind.DECIMAL, monitoring=True),
    UserField("monitor_chance", "完成可能性", FieldKind.CHOICE, MONITOR_CHANCES, monitoring=True),
    UserField("monitor_cause", "偏差原因类型", FieldKind.CHOICE, MONITOR_CAUSES, monitoring=True),
    UserField("monitor_measure", "纠偏措施", FieldKind.TEXT, monitoring=True),
)
BY_NAME = {f.name: f for f in INDICATOR_FIELDS}


def names(*kinds: FieldKind) -> tuple[str, ...]:
    """The fields' names, of the given kinds (all without one), in the table's order."""
    return tuple(f.name for f in INDICATOR_FIELDS if not kinds or f.kind in kinds)
