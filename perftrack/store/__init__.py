"""The store: projects, indicators, actuals and their history in SQLite (or any SQLAlchemy database).

Open a database with ``Database.open(url)`` and do each user action in ``db.session()``.
"""

from perftrack.store.audit import audit, current_user, history
from perftrack.store.convert import FIELD_LABELS, project_to_declaration
from perftrack.store.database import Database, open_database
from perftrack.store.errors import Ambiguous, NotFound, StoreError
from perftrack.store.queries import find_indicator, find_project, list_projects
from perftrack.store.schema import (
    Actual,
    Audit,
    Base,
    BudgetExecution,
    Evidence,
    Indicator,
    Project,
    Setting,
)
from perftrack.store.upsert import ImportSummary, import_declarations

__all__ = [
    "FIELD_LABELS",
    "Actual",
    "Ambiguous",
    "Audit",
    "Base",
    "BudgetExecution",
    "Database",
    "Evidence",
    "ImportSummary",
    "Indicator",
    "NotFound",
    "Project",
    "Setting",
    "StoreError",
    "audit",
    "current_user",
    "find_indicator",
    "find_project",
    "history",
    "import_declarations",
    "list_projects",
    "open_database",
    "project_to_declaration",
]
