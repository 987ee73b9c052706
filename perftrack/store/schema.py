"""The database schema for the whole product: projects, indicators, actuals, evidence, budget, audit.

Money, target values and scores are DecimalText (exact decimal text); timestamps are UTC.
Columns filled by the declaration form are rewritten by each import; the rest are the
user's and an import never touches them (see ``upsert.py``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from perftrack.domain.fields import names as user_field_names
from perftrack.store.coltypes import DecimalText, UTCDateTime, utcnow

# Named constraints: SQLite cannot ALTER a constraint, so later batch migrations must be
# able to find each one by a stable name.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

REPORTING_QUARTERLY = "quarterly"
REPORTING_MONTHLY = "monthly"
PERIOD_YEAR = "YEAR"

# The audit trail names rows by id and outlives them; SQLite would otherwise hand a deleted
# row's id to the next insert, and the history of two indicators would merge.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Project(Base):
    """One project in one budget year, as declared on its form, plus the user's settings for it."""

    __tablename__ = "project"
    __table_args__ = (UniqueConstraint("year", "unit", "name"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    # "" when the form names no unit: NULL would let UNIQUE(year, unit, name) admit duplicates.
    unit: Mapped[str] = mapped_column(String, default="")
    name: Mapped[str] = mapped_column(String)
    nature: Mapped[str | None] = mapped_column(String)
    category: Mapped[str | None] = mapped_column(String)
    department: Mapped[str | None] = mapped_column(String)
    start: Mapped[dt.date | None] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)
    project_total: Mapped[Decimal | None] = mapped_column(DecimalText)
    project_fiscal: Mapped[Decimal | None] = mapped_column(DecimalText)
    project_other: Mapped[Decimal | None] = mapped_column(DecimalText)
    annual_total: Mapped[Decimal | None] = mapped_column(DecimalText)
    annual_appropriation: Mapped[Decimal | None] = mapped_column(DecimalText)
    annual_carryover: Mapped[Decimal | None] = mapped_column(DecimalText)
    annual_other: Mapped[Decimal | None] = mapped_column(DecimalText)
    project_goal: Mapped[str | None] = mapped_column(Text)
    annual_goal: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String)
    # User settings below: an import never overwrites them.
    reporting: Mapped[str] = mapped_column(String, default=REPORTING_QUARTERLY, server_default=REPORTING_QUARTERLY)
    # The adjusted 全年预算数; None means the declared annual_total.
    full_year_budget: Mapped[Decimal | None] = mapped_column(DecimalText)
    # The unit's own 实际完成情况 of the annual goal; None means the sentence drawn from the figures.
    goal_achieved: Mapped[str | None] = mapped_column(Text)
    # The 全年执行数 of each funding source (the form's 其中 rows); None: not recorded.
    spent_appropriation: Mapped[Decimal | None] = mapped_column(DecimalText)
    spent_carryover: Mapped[Decimal | None] = mapped_column(DecimalText)
    spent_other: Mapped[Decimal | None] = mapped_column(DecimalText)
    # 项目负责人: from the form when it names one (an import without one keeps it), or set by a user.
    manager: Mapped[str | None] = mapped_column(String)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="project",
        order_by="Indicator.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    # Ordered by id: the order SQLite happens to give, which a server database does not promise.
    budget_executions: Mapped[list[BudgetExecution]] = relationship(
        back_populates="project", order_by="BudgetExecution.id", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def label(self) -> str:
        """How messages name the project: its name, unit and year."""
        return project_label(self.year, self.unit, self.name)

    @property
    def budget(self) -> Decimal | None:
        """The full-year budget (全年预算数): the adjusted figure if set, else the declared total."""
        return self.full_year_budget if self.full_year_budget is not None else self.annual_total

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.label}>"


def project_label(year: int, unit: str, name: str) -> str:
    """A project named for messages: "名称（单位，2024年）"."""
    return f"{name}（{unit}，{year}年）" if unit else f"{name}（{year}年）"


class Indicator(Base):
    """One row of a project's indicator table (三级指标), with the user's scoring and monitoring notes."""

    __tablename__ = "indicator"
    # Not unique on (project_id, name): real forms repeat a name, so the import matches by
    # name and order instead.
    __table_args__ = (Index(None, "project_id", "name"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    level1: Mapped[str | None] = mapped_column(String)
    level2: Mapped[str | None] = mapped_column(String)
    name: Mapped[str] = mapped_column(String)
    target_raw: Mapped[str] = mapped_column(Text, default="")
    target_op: Mapped[str | None] = mapped_column(String)
    target_value: Mapped[Decimal | None] = mapped_column(DecimalText)
    target_unit: Mapped[str | None] = mapped_column(String)
    target_kind: Mapped[str] = mapped_column(String, default="qualitative")
    target_inferred: Mapped[bool] = mapped_column(default=False, server_default=false())
    source: Mapped[str | None] = mapped_column(String)
    # User fields below: an import never overwrites them.
    rollup: Mapped[str | None] = mapped_column(String)  # None: the default for the target's unit
    points: Mapped[Decimal | None] = mapped_column(DecimalText)  # 分值 set by the user
    deviation_reason: Mapped[str | None] = mapped_column(Text)
    measures: Mapped[str | None] = mapped_column(Text)
    deduction: Mapped[Decimal | None] = mapped_column(DecimalText)
    deduction_reason: Mapped[str | None] = mapped_column(Text)
    monitor_expected: Mapped[Decimal | None] = mapped_column(DecimalText)  # 全年预计完成值
    monitor_chance: Mapped[str | None] = mapped_column(String)  # 确定能 / 有可能 / 完全不可能
    monitor_cause: Mapped[str | None] = mapped_column(String)  # 经费保障 / 制度保障 / … / 其他
    monitor_measure: Mapped[str | None] = mapped_column(Text)
    # Dropped from a later form but kept because something was recorded against it.
    retired: Mapped[bool] = mapped_column(default=False, server_default=false())

    project: Mapped[Project] = relationship(back_populates="indicators")
    actuals: Mapped[list[Actual]] = relationship(
        back_populates="indicator", order_by="Actual.id", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<Indicator {self.id} {self.name!r} of project {self.project_id}>"


# Columns of an indicator the user fills in; an indicator with any of them set, or with an
# actual, is kept (retired) rather than deleted when a new form drops it.
INDICATOR_USER_FIELDS = user_field_names()


class Actual(Base):
    """What was achieved for an indicator in one period ("Q1".."Q4", "M01".."M12", "YEAR")."""

    __tablename__ = "actual"
    __table_args__ = (UniqueConstraint("indicator_id", "period"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String)
    value: Mapped[Decimal | None] = mapped_column(DecimalText)
    value_text: Mapped[str | None] = mapped_column(Text)  # as typed
    unit: Mapped[str | None] = mapped_column(String)
    tier: Mapped[str | None] = mapped_column(String)  # achieved / partly / not_achieved
    tier_percent: Mapped[Decimal | None] = mapped_column(DecimalText)
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String, default="")

    indicator: Mapped[Indicator] = relationship(back_populates="actuals")
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="actual", order_by="Evidence.id", cascade="all, delete-orphan", passive_deletes=True
    )


class Evidence(Base):
    """A file attached to an actual, copied into the evidence folder beside the database."""

    __tablename__ = "evidence"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actual_id: Mapped[int] = mapped_column(ForeignKey("actual.id", ondelete="CASCADE"), index=True)
    original_name: Mapped[str] = mapped_column(String)
    stored_name: Mapped[str] = mapped_column(String)  # relative to the evidence folder
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by: Mapped[str] = mapped_column(String, default="")

    actual: Mapped[Actual] = relationship(back_populates="evidence")


class EvidenceContent(Base):
    """The bytes of an evidence file, on a server database (PostgreSQL) shared by a team.

    Keyed like the evidence folder of a single-user database: ``name`` is the file's path
    relative to that folder (an Evidence's ``stored_name``; ``.removed/…`` once removed, kept
    as a removed file is kept in the folder). No foreign key: like the audit trail, the content
    outlives the evidence row. Not used on SQLite, whose evidence stays in the folder beside it.
    """

    __tablename__ = "evidence_content"

    name: Mapped[str] = mapped_column(String, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    stored_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class BudgetExecution(Base):
    """Money spent on a project up to a period; period "YEAR" is the full-year 全年执行数."""

    __tablename__ = "budget_execution"
    __table_args__ = (UniqueConstraint("project_id", "period"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String)
    amount: Mapped[Decimal] = mapped_column(DecimalText)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String, default="")

    project: Mapped[Project] = relationship(back_populates="budget_executions")


class Audit(Base):
    """One change: who, when, what, old and new.

    project_id and indicator_id carry no foreign key so the history outlives a deleted row.
    """

    __tablename__ = "audit"
    __table_args__ = (Index(None, "project_id", "at"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    user: Mapped[str] = mapped_column(String)
    action: Mapped[str] = mapped_column(String)  # create / update / delete / import
    entity: Mapped[str] = mapped_column(String)  # project / indicator / actual / evidence / budget
    entity_id: Mapped[int] = mapped_column(Integer)
    project_id: Mapped[int | None] = mapped_column(Integer)
    indicator_id: Mapped[int | None] = mapped_column(Integer)
    period: Mapped[str | None] = mapped_column(String)
    field: Mapped[str | None] = mapped_column(String)
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")

    def __repr__(self) -> str:
        return f"<Audit {self.id} {self.action} {self.entity} {self.entity_id} {self.field}>"


class Setting(Base):
    """A program-wide setting, such as the grade label set."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)


class KeptSummary(Base):
    """A project's score and standing in brief, as last computed, kept so lists need not rescore.

    Derived data only: a row is deleted by the database's own triggers (migration 0002) when
    anything it was computed from changes — the project's money or reporting, an indicator,
    an actual, a spending row — whoever writes it, and is ignored when ``rules`` (a fingerprint
    of the scoring code) differs from the running program's. The grade follows from the total
    and is worded when read, so changing the label set needs no rescoring.
    """

    __tablename__ = "project_summary"

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    rules: Mapped[str] = mapped_column(String)
    total: Mapped[Decimal] = mapped_column(DecimalText)
    status: Mapped[str] = mapped_column(String)
    off_track: Mapped[int] = mapped_column(Integer)
    needs_note: Mapped[int] = mapped_column(Integer)
    no_actual: Mapped[int] = mapped_column(Integer)
    scored: Mapped[bool] = mapped_column()


class SummaryStamp(Base):
    """How often what a project's kept summary is computed from has changed (server databases).

    On PostgreSQL the triggers of migration 0003 count every change here as well as dropping the
    kept summary; a summary is kept only when its project's count is still the one read before
    its figures were (perftrack.store.summaries). SQLite needs no count: a transaction there reads
    one snapshot, and SQLite itself refuses a write from a stale one.
    """

    __tablename__ = "project_summary_stamp"

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), primary_key=True)
    changes: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class PeriodReview(Base):
    """Where a project's figures of one period stand in the quarterly review (domain.review).

    No row: 填报中 (never submitted). ``approved`` locks the period's values, notes, evidence and
    spending (actuals.check_unlocked). Every change is also in the audit trail (entity "review").
    """

    __tablename__ = "period_review"
    __table_args__ = (UniqueConstraint("project_id", "period"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String)
    status: Mapped[str] = mapped_column(String)  # draft / submitted / approved / returned
    comment: Mapped[str | None] = mapped_column(Text)  # the reviewer's comment or reason, the latest step's
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String, default="")


class Reviewer(Base):
    """A person allowed to approve, return and reopen periods (an OS login, or the database login
    on a server). No reviewer at all: anyone may, as in a one-person unit; the steps are still audited."""

    __tablename__ = "reviewer"

    name: Mapped[str] = mapped_column(String, primary_key=True)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by: Mapped[str] = mapped_column(String, default="")
