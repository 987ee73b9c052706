"""A project's 项目负责人 (manager): read from forms that name one, or set by a user; the quarterly
review's reminders and filters go by it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Plain ALTER TABLE on both SQLite and PostgreSQL (as 0005): a batch copy of the table would drop
# the kept-summary trigger on project.


def upgrade() -> None:
    op.add_column("project", sa.Column("manager", sa.String(), nullable=True))


def downgrade() -> None:
    op.drop_column("project", "manager")
