"""Units of target values: their canonical spelling, conversion, and how period values roll up.

The forms write units in brackets, full-width or half-width, sometimes spelled out
("百分比"). Everything here works on the canonical spelling :func:`normalize_unit` returns.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation, localcontext
from enum import StrEnum

from perftrack.domain.errors import UserError
from perftrack.domain.model import Target

# fmt: off
KNOWN_UNITS: frozenset[str] = frozenset({
    # rates and scores
    "%", "‰", "百分点", "分", "级", "倍",
    # counts
    "次", "人", "人次", "个", "家", "家次", "篇", "场", "场次", "份", "门", "期", "项", "件", "轮",
    "条", "户", "台", "套", "批", "本", "册", "所", "辆", "名", "位", "部", "张", "处", "座", "间",
    "节", "课时", "学时", "首", "幅", "支", "株", "棵", "亩", "吨",
    # durations and calendar
    "秒", "分钟", "小时", "天", "工作日", "周", "个月", "月", "年",
    # money, lengths, areas
    "元", "千元", "万元", "亿元", "米", "公里", "平方米",
})
# fmt: on

# Other spellings seen in forms, mapped to the canonical unit.
_ALIASES: dict[str, str] = {
    "百分比": "%",
    "百分率": "%",
    "个百分点": "百分点",
    "人/次": "人次",
    "人·次": "人次",
    "场/次": "场次",
    "家/次": "家次",
    "个工作日": "工作日",
    "平米": "平方米",
    "m2": "平方米",  # NFKC turns ㎡ and m² into m2
    "千米": "公里",
    "km": "公里",
}

# Magnitude prefixes written in front of any unit: 万人次, 亿元, 万平方米.
_PREFIXES: dict[str, int] = {"万": 4, "亿": 8}

# Units that convert within a dimension: unit -> (base unit, factor to the base).
_FACTORS: dict[str, tuple[str, Decimal]] = {
    "元": ("元", Decimal(1)),
    "千元": ("元", Decimal(1000)),
    "秒": ("秒", Decimal(1)),
    "分钟": ("秒", Decimal(60)),
    "小时": ("秒", Decimal(3600)),
    "米": ("米", Decimal(1)),
    "公里": ("米", Decimal(1000)),
}

_BRACKETS = "()[]{}<>【】〔〕〈〉《》「」"
_MATCHABLE = sorted(KNOWN_UNITS | set(_ALIASES), key=len, reverse=True)


class UnitError(UserError, ValueError):
    """Two units that cannot be converted into each other; the message says why, in Chinese."""


class Rollup(StrEnum):
    SUM = "sum"
    LATEST = "latest"
    QUALITATIVE = "qualitative"


# Pure functions of a short text, asked about the same few units for every indicator scored.
@functools.lru_cache(maxsize=4096)
def normalize_unit(text: str | None) -> str | None:
    """The canonical spelling of a unit ("（次）" -> "次", "百分比" -> "%"); None when empty."""
    if text is None:
        return None
    s = unicodedata.normalize("NFKC", text).replace("\\%", "%")
    s = re.sub(r"\s+", "", s).strip(_BRACKETS)
    if not s:
        return None
    if s in _ALIASES:
        return _ALIASES[s]
    if s[0] in _PREFIXES and s[1:] in _ALIASES:
        return s[0] + _ALIASES[s[1:]]
    return s


def match_unit(text: str) -> tuple[str, int] | None:
    """The longest known unit (optionally after 万/亿) at the start of ``text``: (unit, length)."""
    prefix = text[0] if text and text[0] in _PREFIXES else ""
    rest = text[len(prefix) :]
    for candidate in _MATCHABLE:
        if rest.startswith(candidate):
            return normalize_unit(prefix + candidate) or candidate, len(prefix) + len(candidate)
    if prefix:
        return prefix, 1
    return None


def _base(unit: str) -> tuple[str, int, Decimal]:
    """(base unit, power of ten, factor): 亿元 -> ("元", 8, 1), 小时 -> ("秒", 0, 3600)."""
    power = 0
    while unit not in _FACTORS and len(unit) > 1 and unit[0] in _PREFIXES:
        power += _PREFIXES[unit[0]]
        unit = unit[1:]
    if unit in _PREFIXES:  # a bare 万 or 亿: a plain number written in ten-thousands
        return "", power + _PREFIXES[unit], Decimal(1)
    base, factor = _FACTORS.get(unit, (unit, Decimal(1)))
    return base, power, factor


def _plain(value: Decimal) -> Decimal:
    """Drop a positive exponent so 1.2E+4 reads 12000; the number is unchanged."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        with localcontext() as ctx:
            ctx.prec = len(value.as_tuple().digits) + exponent + 1
            return value.quantize(Decimal(1))
    return value


def in_target_unit(value: Decimal | None, unit: str | None, target_unit: str | None) -> Decimal | None:
    """A recorded value in its target's unit: as stored when the units agree (or either is
    missing), else converted (a figure recorded against an earlier form whose unit differed);
    raises :class:`UnitError` when it cannot be."""
    if value is None or not unit or not target_unit or unit == target_unit:
        return value
    return convert(value, unit, target_unit)


def convert(value: Decimal, from_unit: str | None, to_unit: str | None) -> Decimal:
    """``value`` in ``from_unit`` expressed in ``to_unit``; raises :class:`UnitError` when impossible.

    A missing ``from_unit`` means the value was entered in the target's own unit. Money
    (元, 千元, 万元, 亿元), durations (秒, 分钟, 小时) and lengths (米, 公里) convert, and
    so does any unit written with a 万/亿 prefix (6 万人次 = 60,000 人次). 天 does not convert
    to 小时: on these forms a 天 is usually a training or working day, not 24 hours, and a
    silent ×24 would turn "12 天 of classes" into 288 hours. Results are exact for powers of
    ten; seconds to minutes or hours keep 28 significant digits.
    """
    src = normalize_unit(from_unit)
    if src is None:
        return value
    dst = normalize_unit(to_unit)
    if src == dst:
        return value
    src_base, src_power, src_factor = _base(src)
    dst_base, dst_power, dst_factor = _base(dst or "")
    if src_base != dst_base:
        reason = ""
        if {src_base, dst_base} == {"天", "秒"}:
            reason = "：表中的“天”多指培训天数或工作日，不按24小时换算"
        target = f"“{dst}”" if dst else "无单位的数值"
        raise UnitError(f"单位“{src}”不能换算为{target}{reason}")
    with localcontext() as ctx:
        ctx.prec = max(28, len(value.as_tuple().digits) + 20)
        scaled = (value * src_factor).scaleb(src_power - dst_power)
    if dst_factor != 1:
        scaled = scaled / dst_factor
    return _plain(scaled)


_QUANTITY = re.compile(r"([+-]?)((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+)(.*)", re.S)


# No real figure has this many digits (a thousand trillion 元); beyond it exact decimal arithmetic
# would run out of its 28 digits once a value is converted (亿元 → 元) and scored to four places.
MAX_MAGNITUDE = Decimal(10) ** 15


def bounded(value: Decimal, text: str) -> Decimal:
    """The value, or ValueError (in Chinese, naming the text) when it is too large for any real figure."""
    if not value.is_finite() or abs(value) >= MAX_MAGNITUDE:
        raise ValueError(
            f"“{text.strip()}”数值过大或位数过多（整数部分最多 15 位，有效数字最多 28 位），不是一个实际的数值，请核对"
        )
    return value


def parse_quantity(text: str) -> tuple[Decimal, str | None]:
    """A value as a user types it ("85%", "1,600", "1.2亿元", "6万人次") as (number, unit).

    A 万/亿 in front of 元 belongs to the money unit ("3500万元" stays 3500 万元); in front of
    any other unit it multiplies ("6万人次" is 60000 人次). Raises ValueError, in Chinese, for
    anything that is not a number with an optional unit.
    """
    s = unicodedata.normalize("NFKC", text or "").replace("−", "-").strip()
    if not s:
        raise ValueError("请输入数值：内容为空")
    m = _QUANTITY.fullmatch(s)
    rest = m.group(3).strip() if m else ""
    if m is None or re.search(r"[0-9.,]", rest[:1]) or re.search(r"[0-9]", rest):
        raise ValueError(f"“{text.strip()}”不是有效的数值，请输入如 85、85%、1,600、1.2亿元")
    try:
        value = Decimal(m.group(1) + m.group(2).replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"“{text.strip()}”不是有效的数值") from exc
    unit = normalize_unit(rest)
    if unit and unit[0] in _PREFIXES and normalize_unit(unit[1:]) not in ("元", None):
        value = _plain(value.scaleb(_PREFIXES[unit[0]]))
        unit = normalize_unit(unit[1:])
    elif unit in _PREFIXES:
        value = _plain(value.scaleb(_PREFIXES[unit]))
        unit = None
    return bounded(value, text), unit


# Units whose year value is the most recent reading, not a sum: rates, scores, durations.
_LATEST_UNITS = frozenset({"%", "‰", "百分点", "分", "级", "倍", "秒", "分钟", "小时", "周", "个月", "月", "年"})


def default_rollup(target: Target) -> Rollup:
    """How period values make the year's actual, judged from the target's unit.

    - qualitative target: QUALITATIVE, the latest assessment stands;
    - rates, percentages, scores and durations (%, ‰, 百分点, 分, 秒, 分钟, 小时, 周, 个月, 月,
      年), and ratios ("元/人", "次/年", anything with 率): LATEST, a quarter's 95 % is not
      added to the next quarter's;
    - counts, money and everything else, including no unit and units we do not know: SUM.
      天 and 工作日 sum too, as training days and days of service are counted up; a response
      time in 天 is rare enough that the user changes it by hand. The operator does not
      matter: "≤90万元" spending accumulates just as "≥10场" activities do.
    """
    if not target.is_quantitative:
        return Rollup.QUALITATIVE
    return _unit_rollup(target.unit)


@functools.lru_cache(maxsize=4096)
def _unit_rollup(written: str | None) -> Rollup:
    unit = normalize_unit(written)
    if unit is None:
        return Rollup.SUM
    base = unit
    while len(base) > 1 and base[0] in _PREFIXES:
        base = base[1:]
    if base in _LATEST_UNITS or any(mark in base for mark in ("%", "‰", "百分", "率", "/", "每")):
        return Rollup.LATEST
    return Rollup.SUM
