"""Plain domain objects: a declaration form, its funds and its indicators.

These are what every importer produces and what the store persists. They hold no
behaviour beyond small derived facts, so that importers, the store and the scoring
rules can share them without depending on each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from perftrack.domain.numbers import format_decimal


class Kind(StrEnum):
    QUANTITATIVE = "quantitative"
    QUALITATIVE = "qualitative"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


# Level-1 groups of the indicator table, in the order the form lists them.
LEVEL1_OUTPUT = "产出指标"
LEVEL1_COST = "成本指标"
LEVEL1_BENEFIT = "效益指标"
LEVEL1_SATISFACTION = "满意度指标"
LEVEL1_NAMES = (LEVEL1_OUTPUT, LEVEL1_COST, LEVEL1_BENEFIT, LEVEL1_SATISFACTION)

# Level-2 groups and the level-1 group each belongs to. 成本指标 is both a level-2 group
# under outputs (older forms) and a level-1 group (newer forms); the level-2 map gives
# the older reading, importers keep a level-1 成本指标 when the form says so.
LEVEL2_PARENT: dict[str, str] = {
    "数量指标": LEVEL1_OUTPUT,
    "质量指标": LEVEL1_OUTPUT,
    "时效指标": LEVEL1_OUTPUT,
    "成本指标": LEVEL1_OUTPUT,
    "经济效益指标": LEVEL1_BENEFIT,
    "社会效益指标": LEVEL1_BENEFIT,
    "生态效益指标": LEVEL1_BENEFIT,
    "可持续影响指标": LEVEL1_BENEFIT,
    "服务对象满意度指标": LEVEL1_SATISFACTION,
    "经济成本指标": LEVEL1_COST,
    "社会成本指标": LEVEL1_COST,
    "生态环境成本指标": LEVEL1_COST,
}
LEVEL2_NAMES = tuple(LEVEL2_PARENT)


@dataclass(frozen=True, slots=True)
class Target:
    """A declared target value (年度指标值), parsed; ``raw`` is always the text as written."""

    raw: str
    op: str | None = None  # "=", ">=", "<=", ">", "<"; None for a qualitative target
    value: Decimal | None = None
    unit: str | None = None  # as written in Chinese: "%", "人次", "亿元"
    kind: Kind = Kind.QUALITATIVE
    inferred: bool = False  # the number was found inside prose ("不少于10家…")

    @property
    def is_quantitative(self) -> bool:
        return self.kind is Kind.QUANTITATIVE

    @property
    def is_reverse(self) -> bool:
        """Less is better (≤, <): a 'reverse' indicator."""
        return self.op in ("<=", "<")

    def display(self) -> str:
        """The target as a person would write it on the form."""
        if self.kind is not Kind.QUANTITATIVE or self.value is None:
            return self.raw
        sign = _SIGNS[self.op or ">="]
        unit = f"({self.unit})" if self.unit else ""
        return f"{sign}{_as_written(self.value)}{unit}"


_SIGNS = {"=": "=", ">=": "≥", "<=": "≤", ">": ">", "<": "<"}


def _as_written(value: Decimal) -> str:
    """A target's figure as the form writes it: "10" stays "10", "10.00" stays "10.00", and zeros a
    conversion or a database's scale added beyond two places go ("20.3500" → "20.35")."""
    text = format(value, "f")
    dot = text.find(".")
    if dot < 0 or len(text) - dot <= 3:  # at most two places: as written (most targets)
        return text
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        trimmed = value.normalize()
        trimmed_exponent = trimmed.as_tuple().exponent
        if isinstance(trimmed_exponent, int) and trimmed_exponent > -2:
            return format_decimal(trimmed) or ""
        return format(trimmed, "f")
    return format(value, "f")


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where something was read: a file and a 1-based line (or a sheet cell)."""

    file: str
    line: int | None = None
    cell: str | None = None  # "Sheet1!B7" for workbooks

    def __str__(self) -> str:
        where = self.file
        if self.cell:
            where += f" {self.cell}"
        elif self.line is not None:
            where += f":{self.line}"
        return where


@dataclass(frozen=True, slots=True)
class Problem:
    """Something an importer or a check found that a person should look at."""

    file: str
    line: int | None
    message: str
    severity: Severity = Severity.WARNING
    code: str = ""  # stable identifier for tests and filters, e.g. "missing-target"
    cell: str | None = None

    def location(self) -> str:
        return str(SourceRef(self.file, self.line, self.cell))

    def as_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"file": self.file, "line": self.line, "message": self.message}
        d["severity"] = str(self.severity)
        d["code"] = self.code
        if self.cell:
            d["cell"] = self.cell
        return d


@dataclass(slots=True)
class Indicator:
    """One row of the indicator table (三级指标)."""

    level1: str | None
    level2: str | None
    name: str
    target: Target
    source: SourceRef | None = None
    points: Decimal | None = None  # 分值 / 权重 the form declares for this indicator


@dataclass(frozen=True, slots=True)
class ReportedActual:
    """An actual value a self-evaluation or a monitoring sheet reports for one of its indicators."""

    indicator: str  # the indicator's name, as imported
    period: str  # "YEAR", "Q2", "M05"
    raw: str  # as written: "37.24", "100%", "完成"
    source: SourceRef | None = None


@dataclass(slots=True)
class Funds:
    """The funds block of the form, in 元. ``None`` where the form leaves a cell blank."""

    project_total: Decimal | None = None
    project_fiscal: Decimal | None = None
    project_other: Decimal | None = None
    annual_total: Decimal | None = None
    annual_appropriation: Decimal | None = None
    annual_carryover: Decimal | None = None
    annual_other: Decimal | None = None

    FIELDS = (
        "project_total",
        "project_fiscal",
        "project_other",
        "annual_total",
        "annual_appropriation",
        "annual_carryover",
        "annual_other",
    )

    def annual_parts_sum(self) -> Decimal | None:
        parts = (self.annual_appropriation, self.annual_carryover, self.annual_other)
        if all(p is None for p in parts):
            return None
        return sum((p or Decimal(0) for p in parts), Decimal(0))

    def annual_sum_mismatch(self) -> Decimal | None:
        """Difference total − (appropriation + carry-over + other), or None when it adds up."""
        parts = self.annual_parts_sum()
        if parts is None or self.annual_total is None or parts == self.annual_total:
            return None
        return self.annual_total - parts

    def project_parts_mismatch(self) -> Decimal | None:
        """The sum of the project's fiscal and other funds when it differs from its total, else None."""
        if self.project_total is None or (self.project_fiscal is None and self.project_other is None):
            return None
        parts = (self.project_fiscal or Decimal(0)) + (self.project_other or Decimal(0))
        return None if parts == self.project_total else parts


@dataclass(slots=True)
class Declaration:
    """One declaration form (财政项目支出绩效目标申报表) for one project and budget year."""

    name: str
    year: int | None = None
    nature: str | None = None
    category: str | None = None
    department: str | None = None
    unit: str | None = None
    manager: str | None = None  # 项目负责人, when the form names one
    start: dt.date | None = None
    end: dt.date | None = None
    funds: Funds = field(default_factory=Funds)
    project_goal: str | None = None
    annual_goal: str | None = None
    indicators: list[Indicator] = field(default_factory=list)
    source: SourceRef | None = None
    # what the sheet was: "declaration", "self_evaluation" (its actuals are in ``reported``) or "monitoring"
    sheet_kind: str = "declaration"
    reported: list[ReportedActual] = field(default_factory=list)
    reported_spending: Decimal | None = None  # a self-evaluation's 全年执行数, in 元
    # the indicator at a possible cut: the file ends in its row with no line break after it (or with
    # fewer tab fields): read, but a re-import does not change its stored target without --replace
    suspect: str | None = None

    def key(self) -> tuple[int | None, str | None, str]:
        """Identity of a project: the same year, unit and name is the same project."""
        return (self.year, self.unit, self.name)


@dataclass(slots=True)
class ImportResult:
    """What an importer read from one or more files."""

    declarations: list[Declaration] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def extend(self, other: ImportResult) -> None:
        self.declarations.extend(other.declarations)
        self.problems.extend(other.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]
