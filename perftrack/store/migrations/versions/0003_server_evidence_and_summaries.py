"""Evidence files kept in a server database, and kept summaries made safe on PostgreSQL.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04

``evidence_content`` holds the bytes of the evidence files of a database on a server, which every
teammate reaches, where a single-user SQLite database keeps them in the folder beside its file.
Rows are named like that folder's files (``<project>/<indicator>/<period>/<name>``).

``project_summary_stamp`` counts, per project, the changes to what its kept summary is computed
from. On PostgreSQL the triggers below keep both in step with every write, whichever program or
user makes it: they drop the project's kept summary (as 0002's do on SQLite) and add one to its
count. A transaction there sees each statement's own snapshot, so a summary computed from
figures another user changed meanwhile cannot be refused by the database as SQLite's snapshot
refuses it; it is kept only when the count is still the one read before the figures were
(perftrack.store.summaries). A new project gets its count row from a trigger, in the same
transaction, so a committed project always has one. SQLite needs neither table nor new trigger.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (trigger name, table, event, the project id of the changed row): the events of 0002's triggers.
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
STAMP_ON_NEW_PROJECT = "project_summary_stamp_on_project_insert"


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    op.create_table(
        "evidence_content",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_evidence_content")),
    )
    op.create_table(
        "project_summary_stamp",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("changes", sa.BigInteger(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
            name=op.f("fk_project_summary_stamp_project_id_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_project_summary_stamp")),
    )
    if not _postgresql():
        return
    op.execute("INSERT INTO project_summary_stamp (project_id, changes) SELECT id, 0 FROM project")
    op.execute(
        f"CREATE FUNCTION {STAMP_ON_NEW_PROJECT}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "INSERT INTO project_summary_stamp (project_id, changes) VALUES (NEW.id, 0); RETURN NULL; END $$"
    )
    op.execute(
        f"CREATE TRIGGER {STAMP_ON_NEW_PROJECT} AFTER INSERT ON project "
        f"FOR EACH ROW EXECUTE FUNCTION {STAMP_ON_NEW_PROJECT}()"
    )
    for name, table, event, project in TRIGGERS:
        # A function per trigger, as SQLite's trigger bodies: each names its own row's project.
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"UPDATE project_summary_stamp SET changes = changes + 1 WHERE project_id = {project}; "
            f"DELETE FROM project_summary WHERE project_id = {project}; "
            "RETURN NULL; END $$"
        )
        op.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()")


def downgrade() -> None:
    if _postgresql():
        for name, table, *_ in [*TRIGGERS, (STAMP_ON_NEW_PROJECT, "project")]:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table("project_summary_stamp")
    op.drop_table("evidence_content")
