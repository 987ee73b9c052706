"""Every word the charts print, in one place, so the GUI can hand over its translations.

The charts module has no Qt and so no ``tr``: the printed report uses the Chinese defaults
below, and the dashboard builds a ``ChartTexts`` from ``self.tr`` so titles, axis labels,
statuses and periods follow the user's language. Templates use ``str.format`` fields
(``{rate}``); a translation keeps the fields and moves the words around them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from perftrack.domain.attainment import STATUS_LABELS, Status
from perftrack.domain.figures import period_label


@dataclass(frozen=True, slots=True)
class ChartTexts:
    """Titles, axis labels, legend entries, status and period names of the charts."""

    completion_title: str = "指标完成率"
    # Before the year end the bars are the figures so far and the status the progress one.
    completion_title_progress: str = "指标完成率（截至{period}末，状态按序时进度）"
    completion_axis: str = "完成率（%）"
    target_line: str = "指标值 100%"
    qualitative: str = "（定性）"
    progress_title: str = "各期指标进度（对照序时进度）"
    progress_axis: str = "指标个数"
    elapsed_tick: str = "序时{share}%"
    budget_title: str = "预算执行率 {rate}（得分 {score}/{points}）"
    budget_title_progress: str = "累计执行率 {rate}（截至{period}末，序时进度 {elapsed}%）"
    budget_axis: str = "万元"
    budget_executed: str = "累计执行数"
    budget_line: str = "全年预算数"
    budget_elapsed: str = "序时进度"
    budget_empty: str = "尚未填报执行数"
    units_title: str = "各项目自评得分"
    units_axis: str = "总分"
    statuses: Mapping[Status, str] = field(default_factory=lambda: dict(STATUS_LABELS))
    periods: Mapping[str, str] = field(default_factory=dict)  # codes whose label is not period_label's

    def status(self, status: Status) -> str:
        """The status's name in these texts' language."""
        return self.statuses.get(status, status.label)

    def period(self, code: str) -> str:
        """The period's name in these texts' language."""
        return self.periods.get(code) or period_label(code)


CHINESE = ChartTexts()
