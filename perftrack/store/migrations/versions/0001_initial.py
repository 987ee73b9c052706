"""The first schema: projects, indicators, actuals, evidence, budget execution, audit, settings.

Revision ID: 0001
Revises:
Create Date: 2026-11-27

Money, values and scores are TEXT here: the application reads and writes them through its
DecimalText type so they stay exact decimals. Timestamps are naive UTC (UTCDateTime).
A migration spells out plain column types rather than importing the application's, so it
keeps describing this revision after the application moves on. AUTOINCREMENT keeps SQLite
from reusing a deleted row's id, which the audit trail still names.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _money(name: str, nullable: bool = True) -> sa.Column[str]:
    return sa.Column(name, sa.Text(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("nature", sa.String(), nullable=True),
        sa.Column("category", sa.String(), nullable=True),
        sa.Column("department", sa.String(), nullable=True),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("end", sa.Date(), nullable=True),
        _money("project_total"),
        _money("project_fiscal"),
        _money("project_other"),
        _money("annual_total"),
        _money("annual_appropriation"),
        _money("annual_carryover"),
        _money("annual_other"),
        sa.Column("project_goal", sa.Text(), nullable=True),
        sa.Column("annual_goal", sa.Text(), nullable=True),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("reporting", sa.String(), server_default="quarterly", nullable=False),
        _money("full_year_budget"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project")),
        sa.UniqueConstraint("year", "unit", "name", name=op.f("uq_project_year_unit_name")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("level1", sa.String(), nullable=True),
        sa.Column("level2", sa.String(), nullable=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("target_raw", sa.Text(), nullable=False),
        sa.Column("target_op", sa.String(), nullable=True),
        _money("target_value"),
        sa.Column("target_unit", sa.String(), nullable=True),
        sa.Column("target_kind", sa.String(), nullable=False),
        sa.Column("target_inferred", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("source", sa.String(), nullable=True),
        sa.Column("rollup", sa.String(), nullable=True),
        _money("points"),
        sa.Column("deviation_reason", sa.Text(), nullable=True),
        sa.Column("measures", sa.Text(), nullable=True),
        _money("deduction"),
        sa.Column("deduction_reason", sa.Text(), nullable=True),
        _money("monitor_expected"),
        sa.Column("monitor_chance", sa.String(), nullable=True),
        sa.Column("monitor_cause", sa.String(), nullable=True),
        sa.Column("monitor_measure", sa.Text(), nullable=True),
        sa.Column("retired", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_indicator_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_indicator_project_id_name"), "indicator", ["project_id", "name"])
    op.create_table(
        "actual",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(), nullable=False),
        _money("value"),
        sa.Column("value_text", sa.Text(), nullable=True),
        sa.Column("unit", sa.String(), nullable=True),
        sa.Column("tier", sa.String(), nullable=True),
        _money("tier_percent"),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_actual_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actual")),
        sa.UniqueConstraint("indicator_id", "period", name=op.f("uq_actual_indicator_id_period")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actual_id", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(), nullable=False),
        sa.Column("stored_name", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("added_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actual_id"],
            ["actual.id"],
            name=op.f("fk_evidence_actual_id_actual"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_evidence_actual_id"), "evidence", ["actual_id"])
    op.create_table(
        "budget_execution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(), nullable=False),
        _money("amount", nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_budget_execution_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_execution")),
        sa.UniqueConstraint("project_id", "period", name=op.f("uq_budget_execution_project_id_period")),
        sqlite_autoincrement=True,
    )
    # No foreign keys on project_id / indicator_id: the history must outlive deleted rows.
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("indicator_id", sa.Integer(), nullable=True),
        sa.Column("period", sa.String(), nullable=True),
        sa.Column("field", sa.String(), nullable=True),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_audit_project_id_at"), "audit", ["project_id", "at"])
    op.create_table(
        "setting",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )


def downgrade() -> None:
    op.drop_table("setting")
    op.drop_index(op.f("ix_audit_project_id_at"), table_name="audit")
    op.drop_table("audit")
    op.drop_table("budget_execution")
    op.drop_index(op.f("ix_evidence_actual_id"), table_name="evidence")
    op.drop_table("evidence")
    op.drop_table("actual")
    op.drop_index(op.f("ix_indicator_project_id_name"), table_name="indicator")
    op.drop_table("indicator")
    op.drop_table("project")
