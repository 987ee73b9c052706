"""Kept project summaries, and the triggers that drop one whenever what it was computed from changes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

``project_summary`` holds each project's total, worst status and counts as last
computed (perftrack.store.summaries), so the navigator and its status filters need not rescore
thousands of projects. It is derived data: the triggers below delete a project's row in the
same transaction as any insert, update or delete of its actuals, indicators or spending, or an
update of the project's own scoring fields — whichever program or user writes. A summary is
only written in the transaction that read the figures it was computed from, so SQLite's
snapshot isolation refuses it if anyone changed them meanwhile. On databases other than SQLite
no triggers are made and the program never keeps summaries there.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (trigger name, table, event, the project id of the changed row)
_OF_ACTUAL = "(SELECT project_id FROM indicator WHERE id = {row}.indicator_id)"
TRIGGERS = [
    *(
        (f"project_summary_stale_on_actual_{event.lower()}", "actual", event, _OF_ACTUAL.format(row=row))
        for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))
    ),
    *(
        (f"project_summary_stale_on_{table}_{event.lower()}", table, event, f"{row}.project_id")
        for table in ("indicator", "budget_execution")
        for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD"))
    ),
    # An indicator or a spending row moved to another project leaves the old one stale too.
    *(
        (f"project_summary_stale_on_{table}_move", table, "UPDATE OF project_id", "OLD.project_id")
        for table in ("indicator", "budget_execution")
    ),
    (
        "project_summary_stale_on_project_update",
        "project",
        "UPDATE OF year, reporting, annual_total, full_year_budget",
        "NEW.id",
    ),
]


def upgrade() -> None:
    op.create_table(
        "project_summary",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("rules", sa.String(), nullable=False),
        sa.Column("total", sa.Text(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("off_track", sa.Integer(), nullable=False),
        sa.Column("needs_note", sa.Integer(), nullable=False),
        sa.Column("no_actual", sa.Integer(), nullable=False),
        sa.Column("scored", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_project_summary_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_project_summary")),
    )
    if op.get_bind().dialect.name == "sqlite":
        for name, table, event, project in TRIGGERS:
            op.execute(
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW BEGIN "
                f"DELETE FROM project_summary WHERE project_id = {project}; END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name, *_ in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("project_summary")
