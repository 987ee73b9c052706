"""The grammar of target values (年度指标值): from the text on a form to a :class:`Target`.

A target is written as an operator, a number and a unit ("≥90.00(%)", "$= 100.00$ (%)",
"985米"), or as a sentence. Sentences sometimes hold one number with an operator
("不少于10家紧密合作基地"); that number is extracted and the target marked inferred, so a
person can confirm it. When a sentence holds more than one quantity, or a range, nothing is
extracted: inventing one number from several would score the project against a target
nobody set.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from perftrack.domain.model import Kind, Target
from perftrack.domain.units import MAX_MAGNITUDE, match_unit, normalize_unit

# Qualitative targets the forms use most; offered as suggestions when typing a target.
QUALITATIVE_WORDS: tuple[str, ...] = (
    "有效实现",
    "有效",
    "提升",
    "提高",
    "有一定提升",
    "有所提升",
    "有所上升",
    "明显提升",
    "高",
    "较高",
    "准确",
    "良好",
    "安全",
    "及时",
    "合理",
    "可控",
    "健全",
    "完善",
    "规范",
    "达标",
    "降低",
    "减少",
)

_NUM = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"

# Operators a cell may open with, as symbols or their word-for-word Chinese readings.
_SYMBOL_OPS: dict[str, str] = {
    ">=": ">=",
    "<=": "<=",
    ">": ">",
    "<": "<",
    "=": "=",
    "大于或等于": ">=",
    "大于等于": ">=",
    "不小于": ">=",
    "小于或等于": "<=",
    "小于等于": "<=",
    "不大于": "<=",
    "大于": ">",
    "小于": "<",
    "等于": "=",
}
# Words of prose. A weak word gives way to a suffix: "控制在90%以上" means at least.
_PROSE_OPS: dict[str, str] = {
    "不少于": ">=",
    "不低于": ">=",
    "不得少于": ">=",
    "不得低于": ">=",
    "不应少于": ">=",
    "不应低于": ">=",
    "至少": ">=",
    "最少": ">=",
    "不超过": "<=",
    "不高于": "<=",
    "不多于": "<=",
    "不得超过": "<=",
    "不得高于": "<=",
    "不应超过": "<=",
    "最多": "<=",
    "至多": "<=",
    "超过": ">",
    "高于": ">",
    "多于": ">",
    "低于": "<",
    "少于": "<",
    "不足": "<",
}
_WEAK_OPS: dict[str, str] = {"达到": ">=", "达": ">=", "控制在": "<=", "控制到": "<="}
_SUFFIX_OPS: dict[str, str] = {
    "及以上": ">=",
    "以上": ">=",
    "及以下": "<=",
    "以下": "<=",
    "以内": "<=",
    "之内": "<=",
}


def _alternation(words: dict[str, str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_ALL_PREFIX_OPS = {**_WEAK_OPS, **_PROSE_OPS, **_SYMBOL_OPS}
_STRUCTURED = re.compile(
    rf"(?P<op>{_alternation(_SYMBOL_OPS)})?\s*(?P<num>-?{_NUM})\s*"
    r"(?P<unit>\([^()]{1,12}\)|[^()0-9]{1,12})?"
)
_NUMBER = re.compile(_NUM)
_PREFIX = re.compile(rf"(?:{_alternation(_ALL_PREFIX_OPS)})\s*$")
_SUFFIX = re.compile(rf"\s*(?:{_alternation(_SUFFIX_OPS)})")
_BRACKET = re.compile(r"\s*\(([^()0-9]{1,8})\)")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
_RANGE_GAP = re.compile(r"\s*[-~–—至到]\s*")
_LATEX_OP = re.compile(r"\\(geqslant|leqslant|geq|leq|neq|ge|le|gt|lt|ne)(?![A-Za-z])")
_LATEX_OPS = {"geq": ">=", "ge": ">=", "leq": "<=", "le": "<=", "gt": ">", "lt": "<", "neq": "≠", "ne": "≠"}
_LATEX_OPS |= {"geqslant": ">=", "leqslant": "<="}
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
# Circled and parenthesised numerals are list markers; NFKC would turn ① into a digit 1.
_ENCLOSED = re.compile("[\u2460-\u24ff\u2776-\u2793]")
_POISON = ("≠", "±")  # operators we cannot represent: never read these as a plain target
# "±3%以内": a deviation of at most 3 % either way, which a rate indicator records as its size; read as
# ≤ 3 % and marked inferred. A bare "±5%" (a band around what?) stays unread.
_PLUS_MINUS = re.compile(rf"±\s*(?P<num>{_NUM})\s*(?P<unit>\([^()0-9]{{1,8}}\)|[^()0-9]{{0,8}}?)\s*(?:以内|之内)")
# The rest of a compound unit after a known one: 元/生/年, 万元/人, 次/年.
_COMPOUND_UNIT = re.compile(r"(?:/[^/\d\s()]{1,4}){1,2}")


def _clean(text: str) -> str:
    """The text with markup, full-width forms and operator spellings reduced to one form."""
    s = _ENCLOSED.sub(" ", html.unescape(text))
    s = unicodedata.normalize("NFKC", s).replace("−", "-")
    s = "".join(ch if ch.isprintable() else " " for ch in s)
    s = _HTML_TAG.sub(" ", s)
    s = _LATEX_OP.sub(lambda m: _LATEX_OPS[m.group(1)], s)
    s = re.sub(r"\\(?:text|mathrm|textrm|mbox|rm)\s*\{([^{}]*)\}", r"\1", s)
    s = re.sub(r"\\%", "%", s)
    s = re.sub(r"\\[A-Za-z]+|\\.?", " ", s)
    s = re.sub(r"[${}|`]|\*\*|__|~~", " ", s)
    s = re.sub(r"^\s*#+\s", " ", s)
    s = re.sub(r"≥|≧|⩾|≮|=>", ">=", s)
    s = re.sub(r"≤|≦|⩽|≯|=<", "<=", s)
    return re.sub(r"\s+", " ", s).strip()


def _unrepeat(s: str) -> str:
    """One copy of a cell the extractor repeated ("提高提高" -> "提高"); digits alone are kept."""
    period = (s + s).find(s, 1)
    if 0 < period < len(s) and re.search(r"[^0-9.,\s-]", s[:period]):
        return s[:period]
    return s


def _unit_of(text: str, *, known_only: bool) -> str | bool | None:
    """The unit a structured cell ends with: a unit, None for none, False when it is prose."""
    compact = re.sub(r"\s+", "", text)
    if not compact:
        return None
    if compact.startswith("("):
        inner = compact[1:-1]
        return False if re.search(r"[0-9]", inner) else normalize_unit(inner)
    found = match_unit(compact)
    if found is not None:
        if found[1] == len(compact):
            return found[0]
        if _COMPOUND_UNIT.fullmatch(compact, found[1]):
            return normalize_unit(compact)  # 元/生/年, 万元/人: a rate, kept as written
        return False  # "%以上" is prose, not a unit
    if known_only or _SUFFIX.match(compact) or len(compact) > 4:
        return False
    return normalize_unit(compact) if all(ch.isalpha() or ch in "%‰" for ch in compact) else False


def _structured(s: str) -> Target | None:
    m = _STRUCTURED.fullmatch(s)
    if m is None:
        return None
    unit = _unit_of(m.group("unit") or "", known_only=False)
    if unit is False:
        return None
    num = m.group("num")
    if not m.group("op") and unit == "年" and _YEAR.fullmatch(num):
        return None  # "2024年" is a date
    op = _SYMBOL_OPS[m.group("op")] if m.group("op") else ">="
    value = Decimal(num.replace(",", ""))
    if abs(value) >= MAX_MAGNITUDE:
        return None  # no real target has so many digits: left unread, as prose is
    return Target(raw="", op=op, value=value, unit=unit or None, kind=Kind.QUANTITATIVE)


@dataclass(slots=True)
class _Quantity:
    op: str | None
    value: Decimal
    unit: str | None
    end: int  # where the number and its unit end in the text
    date_part: bool = False  # a year, month or day: not a quantity
    conflict: bool = False  # a range, or a prefix and a suffix that disagree


def _read_quantity(s: str, m: re.Match[str], prev: _Quantity | None) -> _Quantity | None:
    """The number at ``m`` with what surrounds it, or None when it is a label or a code."""
    start, end = m.span()
    before, after = s[start - 1 : start], s[end : end + 1]
    if (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha()):
        return None  # part of a name: 5G, AABI2, V2
    if before in (".", "第") or (after == "." and s[end + 1 : end + 2].isdigit()):
        return None
    prefix = _PREFIX.search(s, max(0, start - 8), start)
    word = prefix.group(0).strip() if prefix else None
    if after in (")", "]", "、") or (after == "." and word is None):
        return None  # list markers: 1) (1) 1、 1.
    value = Decimal(m.group(0).replace(",", ""))
    pos, unit = end, None
    bracket = _BRACKET.match(s, pos)
    if bracket and (found := _unit_of(bracket.group(1), known_only=True)):
        unit, pos = str(found), bracket.end()
    elif (found_unit := match_unit(s[pos : pos + 8].lstrip())) is not None:
        pos += len(s[pos : pos + 8]) - len(s[pos : pos + 8].lstrip()) + found_unit[1]
        unit = found_unit[0]
        if (trailing := _BRACKET.match(s, pos)) is not None:
            pos = trailing.end()  # "3轮（次）": the bracket restates the unit
    q = _Quantity(op=None, value=value, unit=unit, end=pos)
    if prev is not None and _RANGE_GAP.fullmatch(s, prev.end, start):
        if prev.date_part:
            q.date_part = True  # 2024-01-01
            return q
        q.conflict = True  # 90-95%, 10至20家
    digits = m.group(0)
    if word is None and (
        (_YEAR.fullmatch(digits) and unit in (None, "年")) or unit == "月" or s[end : end + 1] in ("日", "号")
    ):
        q.date_part = True
        return q
    suffix = _SUFFIX.match(s, pos)
    suffix_op = _SUFFIX_OPS[suffix.group(0).strip()] if suffix else None
    if word in _WEAK_OPS:
        q.op = suffix_op or _WEAK_OPS[word]
    elif word is not None:
        q.op = _ALL_PREFIX_OPS[word]
        q.conflict = q.conflict or (suffix_op is not None and suffix_op != q.op)
    else:
        q.op = suffix_op
    return q


def _from_prose(s: str) -> Target | None:
    """The single quantity a sentence states, or None when it states none or several."""
    found: list[_Quantity] = []
    prev: _Quantity | None = None
    for m in _NUMBER.finditer(s):
        q = _read_quantity(s, m, prev)
        if q is None:
            continue
        prev = q
        if q.conflict:
            return None
        if not q.date_part and (q.op is not None or q.unit is not None):
            found.append(q)
            if len(found) > 1:
                return None
    if len(found) != 1 or abs(found[0].value) >= MAX_MAGNITUDE:
        return None
    q = found[0]
    return Target(raw="", op=q.op or ">=", value=q.value, unit=q.unit, kind=Kind.QUANTITATIVE, inferred=True)


def parse_target(raw: str) -> Target:
    """Read a target as written on a form; never raises, and keeps ``raw`` (stripped) as given."""
    raw = raw.strip() if isinstance(raw, str) else ("" if raw is None else str(raw).strip())
    return _parse_target(raw)


@functools.lru_cache(maxsize=65536)  # a pure function of the text; a city's forms repeat their targets
def _parse_target(raw: str) -> Target:
    s = _unrepeat(_clean(raw))
    pm = _PLUS_MINUS.fullmatch(s)
    if pm is not None and (unit := _unit_of(pm.group("unit"), known_only=True)) is not False:
        value = Decimal(pm.group("num").replace(",", ""))
        if abs(value) >= MAX_MAGNITUDE:
            return Target(raw=raw)
        return Target(raw=raw, op="<=", value=value, unit=unit or None, kind=Kind.QUANTITATIVE, inferred=True)
    if not s or any(p in s for p in _POISON):
        return Target(raw=raw)
    parsed = _structured(s) or _from_prose(s)
    if parsed is None:
        return Target(raw=raw)
    return Target(
        raw=raw,
        op=parsed.op,
        value=parsed.value,
        unit=parsed.unit,
        kind=Kind.QUANTITATIVE,
        inferred=parsed.inferred,
    )
