"""The level-1 and level-2 groups of the indicator table under every name provinces print.

The national template says 产出指标 / 数量指标; Shandong's says 产出值 / 数量值, Sichuan's
项目完成指标, Dongguan's 预期产出指标 / 效果指标 / 预算(或投资规模)控制指标, and many add a score
or a hint (``产出指标(50分)``, ``成本指标(0-20)分``, ``(必填)``). Indicators keep the label as the form
prints it (the printed self-evaluation shows the unit's own words); scoring and checks ask this
module which standard group a label stands for. A province's other wording is one entry here.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from perftrack.domain.model import (
    LEVEL1_BENEFIT,
    LEVEL1_COST,
    LEVEL1_OUTPUT,
    LEVEL1_SATISFACTION,
    LEVEL2_PARENT,
)

# Other names of the level-1 groups, compared without spaces after NFKC.
LEVEL1_SYNONYMS: dict[str, str] = {
    "产出指标": LEVEL1_OUTPUT,
    "产出": LEVEL1_OUTPUT,
    "产出值": LEVEL1_OUTPUT,
    "产出目标": LEVEL1_OUTPUT,
    "项目产出指标": LEVEL1_OUTPUT,
    "预期产出指标": LEVEL1_OUTPUT,
    "项目完成指标": LEVEL1_OUTPUT,
    "完成指标": LEVEL1_OUTPUT,
    "成本指标": LEVEL1_COST,
    "成本": LEVEL1_COST,
    "成本值": LEVEL1_COST,
    "效益指标": LEVEL1_BENEFIT,
    "效益": LEVEL1_BENEFIT,
    "效益值": LEVEL1_BENEFIT,
    "效益目标": LEVEL1_BENEFIT,
    "项目效益指标": LEVEL1_BENEFIT,
    "预期效益指标": LEVEL1_BENEFIT,
    "效果指标": LEVEL1_BENEFIT,
    "预期效果指标": LEVEL1_BENEFIT,
    "满意度指标": LEVEL1_SATISFACTION,
    "满意度": LEVEL1_SATISFACTION,
    "满意度值": LEVEL1_SATISFACTION,
    "满意度目标": LEVEL1_SATISFACTION,
}

# Other names of the level-2 groups → the standard level-2 name (whose parent LEVEL2_PARENT gives).
LEVEL2_SYNONYMS: dict[str, str] = {
    **{name: name for name in LEVEL2_PARENT},
    "数量": "数量指标",
    "数量值": "数量指标",
    "质量": "质量指标",
    "质量值": "质量指标",
    "时效": "时效指标",
    "时效值": "时效指标",
    "进度指标": "时效指标",
    "成本值": "成本指标",
    "预算控制指标": "成本指标",
    "预算(或投资规模)控制指标": "成本指标",
    "投资规模控制指标": "成本指标",
    "成本控制指标": "成本指标",
    "经济效益": "经济效益指标",
    "经济效益值": "经济效益指标",
    "社会效益": "社会效益指标",
    "社会效益值": "社会效益指标",
    "社会、经济、生态效益指标": "社会效益指标",
    "生态效益": "生态效益指标",
    "生态效益值": "生态效益指标",
    "可持续影响": "可持续影响指标",
    "可持续影响值": "可持续影响指标",
    "可持续发展指标": "可持续影响指标",
    "服务对象满意度": "服务对象满意度指标",
    "服务对象满意度值": "服务对象满意度指标",
    "社会公众或服务对象满意度指标": "服务对象满意度指标",
    "社会公众或服务对象满意度": "服务对象满意度指标",
    "社会公众满意度指标": "服务对象满意度指标",
    "群众满意度指标": "服务对象满意度指标",
    "满意度指标": "服务对象满意度指标",  # Sichuan prints 满意度指标 in both columns
    "生态成本指标": "生态环境成本指标",
}

# A score or a hint after the label: 产出指标(50分), 成本指标(0-20)分, 数量指标(必填), (权重30%).
_HINT = re.compile(r"[(\[]\s*(?:[\d.\-~～%％]+\s*分?|必填|选填|权重[^()]*|[\d.]+%)\s*[)\]]\s*分?$|\d+分$")
# Numbering before a label: 一、产出指标, (二)效益指标, 1.数量指标.
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]{1,2}[、.]|[(][一二三四五六七八九十\d]{1,2}[)]|\d{1,2}[、.](?!\d))")
# A remark in brackets after a standard level-2 name: 数量指标(或建筑规模指标), 时效指标(工期指标).
_REMARK = re.compile(r"[(][^()]*[)]$")


@functools.lru_cache(maxsize=8192)
def level_label(text: str) -> str:
    """The label as printed, for keeping: no spaces, numbering or score ("一、产出指标(50分)" → "产出指标")."""
    s = _ORDINAL.sub("", re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))
    for _ in range(2):
        s = _HINT.sub("", s)
    return s


@functools.lru_cache(maxsize=8192)
def level1_group(label: str | None) -> str | None:
    """The standard level-1 name a printed level-1 label stands for, or None."""
    if not label:
        return None
    return LEVEL1_SYNONYMS.get(level_label(label))


@functools.lru_cache(maxsize=8192)
def level2_group(label: str | None) -> str | None:
    """The standard level-2 name a printed level-2 label stands for, or None."""
    if not label:
        return None
    s = level_label(label)
    if s in LEVEL2_SYNONYMS:
        return LEVEL2_SYNONYMS[s]
    bare = _REMARK.sub("", s)
    if bare != s and bare in LEVEL2_SYNONYMS:
        return LEVEL2_SYNONYMS[bare]
    return None


def parent_of(level2: str | None) -> str | None:
    """The standard level-1 group a level-2 label belongs to (数量值 → 产出指标)."""
    standard = level2_group(level2)
    return LEVEL2_PARENT.get(standard) if standard else None


__all__ = ["LEVEL1_SYNONYMS", "LEVEL2_SYNONYMS", "level1_group", "level2_group", "level_label", "parent_of"]
