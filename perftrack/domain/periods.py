"""Reporting periods of a budget year: quarters, months and the year-end figure.

A period is stored and compared as a short code: ``Q1``–``Q4``, ``M01``–``M12`` or ``YEAR``.
Staff type periods in many ways ("一季度", "第1季度", "3月", "q2", "全年"); ``normalize_period``
turns all of them into the code and refuses anything else with a message saying what it accepts.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

QUARTERS: tuple[str, ...] = ("Q1", "Q2", "Q3", "Q4")
MONTHS: tuple[str, ...] = tuple(f"M{m:02d}" for m in range(1, 13))
YEAR = "YEAR"

QUARTERLY = "quarterly"
MONTHLY = "monthly"

SHARE_PLACES = Decimal("0.0001")

_CHINESE_NUMERALS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}
_YEAR_WORDS = {"YEAR", "全年", "年度", "年末", "年终", "全年度", "年度合计"}
_REPORTING_WORDS = {
    QUARTERLY: QUARTERLY,
    "quarter": QUARTERLY,
    "季度": QUARTERLY,
    "按季": QUARTERLY,
    "按季度": QUARTERLY,
    MONTHLY: MONTHLY,
    "month": MONTHLY,
    "月度": MONTHLY,
    "按月": MONTHLY,
}

ACCEPTED_HELP = (
    "可接受的写法：季度 Q1–Q4、1季度、一季度、第一季度；"
    "月份 M1/M01–M12、1月–12月、一月、01–12（两位数）；全年 YEAR、全年、年度、年末"
)

_NUMBER = r"(\d{1,2}|十[一二]?|[一二三四五六七八九])"
_QUARTER_PATTERNS = (
    re.compile(r"Q(\d)"),
    re.compile(rf"第?{_NUMBER}季度?"),
)
_MONTH_PATTERNS = (
    re.compile(r"M(\d{1,2})"),
    re.compile(rf"{_NUMBER}月份?"),
    re.compile(r"(\d{2})"),
)


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _CHINESE_NUMERALS[text]


# Scoring asks for the same few codes hundreds of thousands of times; the answers never change.
@functools.lru_cache(maxsize=4096)
def normalize_period(text: str) -> str:
    """Return the period code (``Q1``, ``M03``, ``YEAR``) for a period as a person wrote it."""
    # NFKC folds full-width digits and letters ("Ｑ１", "１季度") into their ASCII forms.
    cleaned = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()
    if cleaned in _YEAR_WORDS:
        return YEAR
    for pattern in _QUARTER_PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match and 1 <= _number(match.group(1)) <= 4:
            return QUARTERS[_number(match.group(1)) - 1]
    for pattern in _MONTH_PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match and 1 <= _number(match.group(1)) <= 12:
            return MONTHS[_number(match.group(1)) - 1]
    raise ValueError(f"无法识别的填报期间“{text}”。{ACCEPTED_HELP}")


@functools.lru_cache(maxsize=256)
def normalize_reporting(reporting: str) -> str:
    """Return ``"quarterly"`` or ``"monthly"`` for a reporting frequency (English or Chinese)."""
    key = reporting.strip().lower()
    if key not in _REPORTING_WORDS:
        raise ValueError(f"无法识别的填报周期“{reporting}”，应为 quarterly（按季度）或 monthly（按月）")
    return _REPORTING_WORDS[key]


def periods_for(reporting: str) -> tuple[str, ...]:
    """The in-year periods of a reporting frequency, in order; ``YEAR`` is not among them."""
    return QUARTERS if normalize_reporting(reporting) == QUARTERLY else MONTHS


@functools.lru_cache(maxsize=4096)
def elapsed_months(period: str) -> int:
    """Months of the year that have passed at the end of ``period`` (Q2 → 6, M07 → 7, YEAR → 12)."""
    code = normalize_period(period)
    if code == YEAR:
        return 12
    if code in QUARTERS:
        return 3 * (QUARTERS.index(code) + 1)
    return MONTHS.index(code) + 1


def elapsed_share(period: str) -> Decimal:
    """Share of the year elapsed at the end of ``period``, to four places (M07 → 0.5833)."""
    return (Decimal(elapsed_months(period)) / 12).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


@functools.lru_cache(maxsize=4096)
def period_order(period: str) -> int:
    """Sort key: by the month the period ends; a month, then its quarter, then the year."""
    code = normalize_period(period)
    # Q1 and M03 end together; ranking the month first lets a quarter's figure, and then the
    # year-end figure, count as the later (more complete) statement.
    granularity = 2 if code == YEAR else 1 if code in QUARTERS else 0
    return elapsed_months(code) * 10 + granularity


def is_in_year(period: str) -> bool:
    """True for a quarter or a month, False for the year-end figure."""
    return normalize_period(period) != YEAR


def current_period(date: dt.date, reporting: str) -> str:
    """The period of ``reporting`` that contains ``date`` (2024-05-20, quarterly → Q2)."""
    if normalize_reporting(reporting) == QUARTERLY:
        return QUARTERS[(date.month - 1) // 3]
    return MONTHS[date.month - 1]


def entry_period(year: int, reporting: str, today: dt.date) -> str:
    """The period a value typed today without a period is for: today's quarter (or month) of the
    budget year, its last one once the year is over, its first one before it begins."""
    periods = periods_for(reporting)
    if today.year > year:
        return periods[-1]
    if today.year < year:
        return periods[0]
    return current_period(today, reporting)


# -- periods in words: the one place ------------------------------------------------------------

_QUARTER_WORDS = ("一", "二", "三", "四")


def period_words(code: str) -> str:
    """A period as the forms and sheets write it: 一季度, 7月, 全年."""
    code = normalize_period(code)
    if code == YEAR:
        return "全年"
    if code in QUARTERS:
        return f"{_QUARTER_WORDS[QUARTERS.index(code)]}季度"
    return f"{MONTHS.index(code) + 1}月"


def period_with_code(code: str) -> str:
    """A period as messages name it, with the code a command takes: 第二季度（Q2）, 5月（M05）, 全年."""
    if code == YEAR:
        return "全年"
    if code in QUARTERS:
        return f"第{_QUARTER_WORDS[QUARTERS.index(code)]}季度（{code}）"
    return f"{int(code[1:])}月（{code}）"
