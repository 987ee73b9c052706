"""The 全年执行数 of each funding source: the 其中 rows (当年财政拨款, 上年结转资金, 其他资金) of the
self-evaluation's funds table.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("spent_appropriation", "spent_carryover", "spent_other")

# Plain ALTER TABLE on both SQLite and PostgreSQL (as 0005): a batch copy of the table would drop
# the kept-summary trigger on project. Money is kept as exact decimal text, like every amount (0001).


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column("project", sa.Column(name, sa.Text(), nullable=True))


def downgrade() -> None:
    for name in reversed(COLUMNS):
        op.drop_column("project", name)
