"""Dates, periods and goal texts as forms write them."""

from __future__ import annotations

import datetime as dt
import re

from perftrack.importers.labels import compact

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_MONTH = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))$")
_PERIOD_SPLIT = re.compile(r"\s*(?:[-~–—至到]+|－)\s*")
_PARAGRAPH = re.compile(r"</p>\s*<p[^>]*>|<br\s*/?>|</?p[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]{1,40}>")


def parse_date(text: str) -> dt.date | None:
    """A date written 2024-03-01, 2024/3/1, 2024.3.1 or 2024年3月1日; None for anything else."""
    m = _DATE.search(text)
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None
    except ValueError:  # 2024-02-30
        return None


def parse_month(text: str, *, end: bool = False) -> dt.date | None:
    """A month written 2021.1, 2021-01, 202101 or 2021年1月: its first day (its last with ``end``)."""
    m = _MONTH.match(compact(text).removesuffix("年"))
    if m is None:
        year_only = re.fullmatch(r"(\d{4})年?度?", compact(text))
        if year_only is None:
            return None
        year = int(year_only.group(1))
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    year, month = int(m.group(1)), int(m.group(2) or m.group(3))
    if not 1 <= month <= 12:
        return None
    if not end:
        return dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def parse_period(text: str) -> tuple[dt.date | None, dt.date | None]:
    """Start and end of 项目起止时间: "202001-202012", "2023.07-2024.01", "2023年4月-2024年2月", "2025年"."""
    parts = [p for p in _PERIOD_SPLIT.split(compact(text)) if p]
    if len(parts) == 1:
        return parse_date(parts[0]) or parse_month(parts[0]), parse_date(parts[0]) or parse_month(parts[0], end=True)
    if len(parts) != 2:
        return None, None
    first, second = parts
    if re.fullmatch(r"\d{1,2}月?", second) and (m := re.match(r"(\d{4})", first)):
        second = f"{m.group(1)}年{second.removesuffix('月')}月"  # 2021年1月-12月
    return parse_date(first) or parse_month(first), parse_date(second) or parse_month(second, end=True)


def clean_goal(text: str) -> str:
    """Goal text without conversion markup; paragraphs on their own lines."""
    text = _PARAGRAPH.sub("\n", text)
    text = _TAG.sub("", text)
    paragraphs = [re.sub(r"[ \t\u3000]+", " ", p).strip() for p in text.split("\n")]
    return "\n".join(p for p in paragraphs if p)


# Numbers of more than 15 integer digits are no real figure (perftrack.domain.units.MAX_MAGNITUDE):
# a target holding one is left unread, and the user must be told rather than find "[定性]".
_LONG_NUMBER = re.compile(r"(?<![\d.,])\d[\d,]*")
MAX_INTEGER_DIGITS = 15


def overlong_number(text: str) -> str | None:
    """The first number in ``text`` whose integer part has more than 15 digits, as written; else None."""
    for m in _LONG_NUMBER.finditer(text):
        if sum(ch.isdigit() for ch in m.group(0)) > MAX_INTEGER_DIGITS:
            return m.group(0).rstrip(",")
    return None


def overlong_message(name: str, raw: str, number: str) -> str:
    return (
        f"指标“{name}”的指标值“{raw}”中的数字“{number}”位数过多（整数部分超过 15 位），"
        "不是一个实际的数值，未读作数值，请核对"
    )


__all__ = ["clean_goal", "overlong_message", "overlong_number", "parse_date", "parse_month", "parse_period"]
