"""The GUI's words for the domain's codes: statuses, grades, tiers, periods, reporting.

The domain keeps its Chinese labels (they are the words of the official forms and of the
exports). On screen, statuses, grades, tier choices and period names follow the chosen
language; every source text here is a literal so that ``pyside6-lupdate`` collects it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

from perftrack.domain.attainment import Status, Tier
from perftrack.domain.periods import MONTHS, QUARTERS, YEAR
from perftrack.domain.review import ReviewStatus


def status_label(status: Status) -> str:
    """The status in the user's language (正常 / On track …)."""
    words = {
        Status.ON_TRACK: QCoreApplication.translate("labels", "正常"),
        Status.AT_RISK: QCoreApplication.translate("labels", "有风险"),
        Status.OFF_TRACK: QCoreApplication.translate("labels", "偏离目标"),
        Status.NO_ACTUAL: QCoreApplication.translate("labels", "未填报"),
    }
    return words[status]


def review_status_label(status: ReviewStatus) -> str:
    """Where a period stands in the quarterly review, in the user's language (填报中 / Filling in …)."""
    words = {
        ReviewStatus.DRAFT: QCoreApplication.translate("labels", "填报中"),
        ReviewStatus.SUBMITTED: QCoreApplication.translate("labels", "已提交"),
        ReviewStatus.APPROVED: QCoreApplication.translate("labels", "已审核"),
        ReviewStatus.RETURNED: QCoreApplication.translate("labels", "已退回"),
    }
    return words[status]


def grade_label(label: str) -> str:
    """A grade word of either label set (优/良/中/差, 优/良/合格/不合格) in the user's language."""
    words = {
        "优": QCoreApplication.translate("labels", "优"),
        "良": QCoreApplication.translate("labels", "良"),
        "中": QCoreApplication.translate("labels", "中"),
        "差": QCoreApplication.translate("labels", "差"),
        "合格": QCoreApplication.translate("labels", "合格"),
        "不合格": QCoreApplication.translate("labels", "不合格"),
    }
    return words.get(label, label)


def not_scored() -> str:
    """What the navigator and header show for a project with nothing recorded yet."""
    return QCoreApplication.translate("labels", "未评")


def tier_label(tier: Tier) -> str:
    """A qualitative tier as a choice on screen (the stored text stays the form's Chinese)."""
    words = {
        Tier.ACHIEVED: QCoreApplication.translate("labels", "达成年度指标"),
        Tier.PARTLY: QCoreApplication.translate("labels", "部分达成年度指标并具有一定效果"),
        Tier.NOT_ACHIEVED: QCoreApplication.translate("labels", "未达成年度指标且效果较差"),
    }
    return words[tier]


def _quarter_names() -> tuple[str, ...]:
    return (
        QCoreApplication.translate("labels", "一季度"),
        QCoreApplication.translate("labels", "二季度"),
        QCoreApplication.translate("labels", "三季度"),
        QCoreApplication.translate("labels", "四季度"),
    )


def _quarter_long_names() -> tuple[str, ...]:
    return (
        QCoreApplication.translate("labels", "第一季度（1–3月）"),
        QCoreApplication.translate("labels", "第二季度（4–6月）"),
        QCoreApplication.translate("labels", "第三季度（7–9月）"),
        QCoreApplication.translate("labels", "第四季度（10–12月）"),
    )


def period_name(code: str) -> str:
    """A short period name for a column header: 一季度 / Q1, 3月 / Mar, 全年 / Full year."""
    if code == YEAR:
        return QCoreApplication.translate("labels", "全年")
    if code in QUARTERS:
        return _quarter_names()[QUARTERS.index(code)]
    return QLocale().standaloneMonthName(MONTHS.index(code) + 1, QLocale.FormatType.ShortFormat)


def period_long_name(code: str) -> str:
    """A period as a choice in a list: 第二季度（4–6月） / Q2 (Apr–Jun), 五月 / May."""
    if code == YEAR:
        return QCoreApplication.translate("labels", "全年")
    if code in QUARTERS:
        return _quarter_long_names()[QUARTERS.index(code)]
    return QLocale().standaloneMonthName(MONTHS.index(code) + 1, QLocale.FormatType.LongFormat)


def reporting_label(reporting: str) -> str:
    """How often a project reports: 按月 / Monthly, 按季度 / Quarterly."""
    if reporting == "monthly":
        return QCoreApplication.translate("labels", "按月")
    return QCoreApplication.translate("labels", "按季度")
