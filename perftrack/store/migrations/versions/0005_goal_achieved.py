"""The unit's own 实际完成情况 of the annual goal (年度总体目标), in place of the generated sentence.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-12
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE on both SQLite and PostgreSQL: a batch copy of the table would drop the
# kept-summary trigger on project (0002/0003), which this column does not concern.


def upgrade() -> None:
    op.add_column("project", sa.Column("goal_achieved", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("project", "goal_achieved")
