"""The fill-in workbook of a quarter, as plain data: what is sent to a manager and what comes back.

Units without a shared database collect each quarter's figures by sending every project's
manager a workbook (perftrack.export.fill_in writes it) and reading the returned one back
(perftrack.importers.fill_in reads it; the store applies it all or nothing). The workbook carries
a hidden key naming the database, the project, the period and each row's indicator, so a
returned file is matched to what it was made from, never to names that may have changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from perftrack.domain.fields import MONITOR_CAUSES

# The workbook's sheets: the one to fill in, and the hidden key.
FILL_SHEET = "本期填报"
KEY_SHEET = "perftrack_key"
# The key's format; a workbook of another format is refused.
KEY_VERSION = "1"
# What a manager may choose as the deviation cause type (the monitoring form's list).
CAUSE_CHOICES = MONITOR_CAUSES  # the deviation cause types (domain/fields.py)
TIER_CHOICES = ("达成", "部分达成", "未达成")


@dataclass(frozen=True, slots=True)
class FillRow:
    """One indicator on the fill-in sheet."""

    indicator_id: int
    level1: str
    level2: str
    name: str
    target: str
    by_tier: bool  # the value is chosen from TIER_CHOICES
    earlier: tuple[str, ...]  # the earlier periods' values, for reference (as typed)
    value: str  # this period's value so far
    note: str
    cause: str
    reason: str  # the deviation analysis (偏差原因分析)


@dataclass(frozen=True, slots=True)
class FillForm:
    """What one project's fill-in workbook holds."""

    database_id: str
    project_id: int
    project: str
    unit: str
    year: int
    period: str  # Q1..Q4 / M01..M12 / YEAR
    period_name: str  # 第二季度（Q2）
    earlier_periods: tuple[str, ...]  # their names, the columns before this period's
    rows: tuple[FillRow, ...]
    spending: str  # this period's spending so far (元, as text)


@dataclass(frozen=True, slots=True)
class FilledValue:
    """One cell a manager filled in, with where it is (for messages)."""

    cell: str  # "本期填报!H6"
    text: str


@dataclass(frozen=True, slots=True)
class FilledRow:
    indicator_id: int
    name: str
    value: FilledValue
    note: FilledValue
    cause: FilledValue
    reason: FilledValue


@dataclass(frozen=True, slots=True)
class FilledForm:
    """A returned workbook as read: the key and what was typed, nothing checked against the database yet."""

    path: str
    database_id: str
    project_id: int
    project: str
    period: str
    rows: tuple[FilledRow, ...]
    spending: FilledValue
