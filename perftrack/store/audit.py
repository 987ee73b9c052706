"""The audit trail: who changed what, when, from which value to which."""

from __future__ import annotations

import datetime as dt
import getpass
import os
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from perftrack.store.coltypes import decimal_to_text, utcnow
from perftrack.store.schema import Audit

ACTIONS = ("create", "update", "delete", "import")
ENTITIES = ("project", "indicator", "actual", "evidence", "budget", "review")


def current_user() -> str:
    """The operating-system user name, for the audit trail."""
    try:
        name = getpass.getuser()
    except Exception:
        # getpass raises when no login name is known (a service account, a bare container).
        name = os.environ.get("USERNAME") or os.environ.get("USER") or ""
    return name or "unknown"


def audit_text(value: object) -> str | None:
    """A value as the audit trail stores it: exact decimals, ISO dates, None kept as None."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return decimal_to_text(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def audit(
    session: Session,
    *,
    action: str,
    entity: str,
    entity_id: int,
    project_id: int | None = None,
    indicator_id: int | None = None,
    period: str | None = None,
    field: str | None = None,
    old: object = None,
    new: object = None,
    summary: str = "",
    user: str | None = None,
) -> Audit:
    """Record one change in the audit trail, in the caller's transaction, and return the row."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if entity not in ENTITIES:
        raise ValueError(f"unknown audit entity {entity!r}")
    row = Audit(
        at=utcnow(),
        user=user or current_user(),
        action=action,
        entity=entity,
        entity_id=entity_id,
        project_id=project_id,
        indicator_id=indicator_id,
        period=period,
        field=field,
        old=audit_text(old),
        new=audit_text(new),
        summary=summary,
    )
    session.add(row)
    return row


def history(session: Session, project_id: int, indicator_id: int | None = None) -> list[Audit]:
    """A project's audit entries (or one indicator's), newest first."""
    query = select(Audit).where(Audit.project_id == project_id)
    if indicator_id is not None:
        query = query.where(Audit.indicator_id == indicator_id)
    return list(session.scalars(query.order_by(Audit.at.desc(), Audit.id.desc())))
