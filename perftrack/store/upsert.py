"""Importing declarations: create new projects, update known ones in place, keep what users recorded.

A project is known by (year, unit, name). Its indicators are matched by name, in form
order, so a form that lists one name twice maps onto two rows the same way every time.
Columns the user fills (points, deviation notes, monitoring, reporting, budget
adjustments) are never written here. Everything happens in the caller's transaction.

Speed matters (a province imports ten thousand forms at once), so existing rows are
loaded and changes written in bulk (``bulk.py``) rather than object by object;
afterwards the session's identity map is expired so ORM objects reload.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from perftrack.domain import model as dm
from perftrack.store.audit import audit_text, current_user
from perftrack.store.bulk import (
    Key,
    StoredIndicator,
    StoredProject,
    insert_returning_ids,
    load_stored,
    update_by_id,
)
from perftrack.store.coltypes import utcnow
from perftrack.store.convert import (
    FIELD_LABELS,
    INDICATOR_FORM_FIELDS,
    KEPT_WHEN_BLANK,
    PROJECT_FORM_FIELDS,
    indicator_form_values,
    project_form_values,
    source_text,
)
from perftrack.store.reported import record_reported
from perftrack.store.schema import (
    REPORTING_QUARTERLY,
    Audit,
    Indicator,
    Project,
    project_label,
)

_DELETE_CHUNK = 500  # stays far below SQLite's limit on bound parameters
_SUMMARY_WIDTH = 40


@dataclass(frozen=True, slots=True)
class Consent:
    """What a re-import may do beyond adding and updating: both can drop what users see or recorded.

    ``prune``: delete the indicators a new form no longer lists (retire those with recorded values);
    ``replace``: change the target of an indicator that has recorded values, and clear a project
    field (a fund, a goal, a date…) the new form leaves blank. Without them those changes are held
    back, listed in the summary, and everything else is applied.
    """

    prune: bool = False
    replace: bool = False


ALL = Consent(prune=True, replace=True)

_TARGET_FIELDS = frozenset(f for f in INDICATOR_FORM_FIELDS if f.startswith("target_"))


@dataclass(slots=True)
class ImportSummary:
    """What an import did, by project label ("名称（单位，2024年）")."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    retired_indicators: list[tuple[str, str]] = field(default_factory=list)  # (project, indicator)
    warnings: list[str] = field(default_factory=list)
    # changes held back for want of consent: (what it needs, "prune" or "replace"; the change in words)
    held_back: list[tuple[str, str]] = field(default_factory=list)


def _same(old: Any, new: Any) -> bool:
    # A blank cell read as "" one time and None the next is not a change.
    if old == "":
        old = None
    if new == "":
        new = None
    if isinstance(old, Decimal) and isinstance(new, Decimal):
        return old == new
    return type(old) is type(new) and old == new


def _differences(fields: tuple[str, ...], old: tuple[Any, ...], new: dict[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    """(column, old, new) for each column whose value changed."""
    incoming = tuple(new[name] for name in fields)
    if incoming == old:  # the usual case on a re-import, checked in one comparison
        return
    for name, before, after in zip(fields, old, incoming, strict=True):
        if not _same(before, after):
            yield name, before, after


def _shown(value: Any) -> str:
    text = audit_text(value)
    if text is None or text == "":
        return "（空）"
    return text if len(text) <= _SUMMARY_WIDTH else text[:_SUMMARY_WIDTH] + "…"


class _Importer:
    """One import: the plan built from the declarations, then the bulk writes."""

    def __init__(self, session: Session, user: str, source_label: str, consent: Consent) -> None:
        self.session = session
        self.consent = consent
        self.user = user
        self.now = utcnow()
        self.from_label = f"（来源：{source_label}）" if source_label else ""
        self.summary = ImportSummary()
        self.new_projects: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
        self.project_updates: list[dict[str, Any]] = []
        self.indicator_updates: list[dict[str, Any]] = []
        # New indicators of known projects, with the audit row that waits for their id.
        self.indicator_inserts: list[tuple[dict[str, Any], dict[str, Any]]] = []
        self.indicator_deletes: list[int] = []
        self.audit_rows: list[dict[str, Any]] = []

    # -- reading -----------------------------------------------------------------------

    def select_declarations(self, declarations: Sequence[dm.Declaration]) -> dict[Key, dm.Declaration]:
        wanted: dict[Key, dm.Declaration] = {}
        for decl in declarations:
            where = str(decl.source) if decl.source else "导入"
            if decl.year is None or not decl.name.strip():
                self.summary.warnings.append(f"{where}：表单「{decl.name}」缺少年度或项目名称，未导入。")
                continue
            key = (decl.year, decl.unit or "", decl.name)
            if key in wanted:
                self.summary.warnings.append(
                    f"{where}：项目「{project_label(*key)}」在本次导入中出现多次，以最后一份为准。"
                )
            wanted[key] = decl
        return wanted

    # -- planning ----------------------------------------------------------------------

    def _audit(self, *, project_id: int | None, summary: str, **values: Any) -> dict[str, Any]:
        row = {
            "at": self.now,
            "user": self.user,
            "action": "import",
            "entity": "project",
            "entity_id": project_id,
            "project_id": project_id,
            "indicator_id": None,
            "period": None,
            "field": None,
            "old": None,
            "new": None,
            "summary": summary + self.from_label,
        }
        row.update(values)
        row["old"] = audit_text(row["old"])
        row["new"] = audit_text(row["new"])
        self.audit_rows.append(row)
        return row

    def plan_new(self, key: Key, decl: dm.Declaration) -> None:
        year, unit, name = key
        project = {
            "year": year,
            "unit": unit,
            "name": name,
            "source": source_text(decl.source),
            "reporting": REPORTING_QUARTERLY,
            "full_year_budget": None,
            "goal_achieved": None,
            "created_at": self.now,
            "updated_at": self.now,
            **project_form_values(decl),
        }
        indicators = [self._new_indicator(ind, position) for position, ind in enumerate(decl.indicators, 1)]
        self.new_projects.append((project, indicators))
        self.summary.created.append(project_label(*key))

    def _new_indicator(self, ind: dm.Indicator, position: int, project_id: int | None = None) -> dict[str, Any]:
        return {
            "project_id": project_id,
            "position": position,
            "name": ind.name,
            "source": source_text(ind.source),
            "retired": False,
            # the form's 分值 for a new indicator; points a user set are never overwritten by an import
            "points": ind.points,
            **indicator_form_values(ind),
        }

    def plan_update(self, key: Key, decl: dm.Declaration, stored: StoredProject) -> None:
        label = project_label(*key)
        name = key[2]
        pid = stored.id
        changed = False
        project_row: dict[str, Any] = {}
        for column, old, new in _differences(PROJECT_FORM_FIELDS, stored.values, project_form_values(decl)):
            if column in KEPT_WHEN_BLANK and new is None:
                continue  # a form that names no 项目负责人 leaves the one stored (or set by a user)
            if new in (None, "") and not self.consent.replace:
                # A blank where the stored form had something: a file cut off in its header, a cell
                # left empty by mistake. Cleared only with the user's word.
                self.summary.held_back.append(
                    ("replace", f"「{label}」的{FIELD_LABELS[column]}在新表单中为空，未清除：{_shown(old)}")
                )
                continue
            project_row[column] = new
            self._audit(
                project_id=pid,
                field=column,
                old=old,
                new=new,
                summary=f"导入更新「{name}」{FIELD_LABELS[column]}：{_shown(old)} → {_shown(new)}",
            )
            changed = True

        pool: dict[str, deque[StoredIndicator]] = defaultdict(deque)
        # Current rows first, so a name that returns revives a retired row only when needed.
        for ind in sorted(stored.indicators, key=lambda i: (i.retired, i.position)):
            pool[ind.name].append(ind)
        matched: list[tuple[StoredIndicator, int]] = []
        for position, ind in enumerate(decl.indicators, 1):
            candidates = pool.get(ind.name)
            if not candidates:
                row = self._new_indicator(ind, position, pid)
                audit_row = self._audit(
                    project_id=pid,
                    entity="indicator",
                    new=ind.target.raw,
                    summary=f"导入为「{name}」新增指标「{ind.name}」：{_shown(ind.target.raw)}",
                )
                self.indicator_inserts.append((row, audit_row))
                changed = True
                continue
            old_ind = candidates.popleft()
            matched.append((old_ind, position))
            suspect = ind.name == decl.suspect
            changed |= self._plan_indicator_update(name, pid, old_ind, ind, position, suspect=suspect)

        for leftovers in pool.values():
            for old_ind in leftovers:
                if old_ind.retired:
                    continue
                if not self.consent.prune:
                    what = "已有填报，未停用" if old_ind.has_user_data else "未删除"
                    self.summary.held_back.append(("prune", f"「{label}」的指标「{old_ind.name}」不在新表单中，{what}"))
                    continue
                changed = True
                common = {"project_id": pid, "entity": "indicator", "entity_id": old_ind.id}
                common["indicator_id"] = old_ind.id
                if old_ind.has_user_data:
                    self.indicator_updates.append({"id": old_ind.id, "retired": True})
                    self.summary.retired_indicators.append((label, old_ind.name))
                    self._audit(
                        **common,
                        field="retired",
                        old=False,
                        new=True,
                        summary=f"导入后停用「{name}」的指标「{old_ind.name}」：新表单已无此指标，但已有填报内容，予以保留",
                    )
                else:
                    self.indicator_deletes.append(old_ind.id)
                    self._audit(
                        **common,
                        old=old_ind.values[INDICATOR_FORM_FIELDS.index("target_raw")],
                        summary=f"导入后删除「{name}」的指标「{old_ind.name}」：新表单已无此指标",
                    )

        old_order = [i.name for i, _ in sorted(matched, key=lambda m: (m[0].retired, m[0].position))]
        new_order = [i.name for i, _ in matched]
        if old_order != new_order:
            changed = True
            self._audit(
                project_id=pid,
                field="indicator_order",
                old="、".join(old_order),
                new="、".join(new_order),
                summary=f"导入调整「{name}」的指标顺序",
            )

        new_source = source_text(decl.source)
        if changed:
            project_row["updated_at"] = self.now
        elif new_source != stored.source:
            # Provenance moves to the newest file without counting as a change of content.
            project_row["updated_at"] = stored.updated_at
        if new_source != stored.source:
            project_row["source"] = new_source
        if project_row:
            self.project_updates.append({"id": pid, **project_row})
        (self.summary.updated if changed else self.summary.unchanged).append(label)

    def _plan_indicator_update(
        self,
        project_name: str,
        pid: int,
        old: StoredIndicator,
        new: dm.Indicator,
        position: int,
        *,
        suspect: bool = False,
    ) -> bool:
        """``suspect``: the indicator is at the end of a file that may have been cut off there
        (``Declaration.suspect``); like one with recorded values, its target changes only with consent."""
        row: dict[str, Any] = {}
        changed = False
        differences = list(_differences(INDICATOR_FORM_FIELDS, old.values, indicator_form_values(new)))
        if (
            (old.has_user_data or suspect)
            and not self.consent.replace
            and any(c in _TARGET_FIELDS for c, _, _ in differences)
        ):
            before_raw = old.values[INDICATOR_FORM_FIELDS.index("target_raw")]
            why = "已有填报" if old.has_user_data else "在可能被截断的文件末尾"
            self.summary.held_back.append(
                (
                    "replace",
                    f"「{project_name}」的指标「{new.name}」{why}，指标值未改："
                    f"{_shown(before_raw)} → {_shown(new.target.raw)}",
                )
            )
            differences = [d for d in differences if d[0] not in _TARGET_FIELDS]
        for column, before, value in differences:
            row[column] = value
            changed = True
            self._audit(
                project_id=pid,
                entity="indicator",
                entity_id=old.id,
                indicator_id=old.id,
                field=column,
                old=before,
                new=value,
                summary=(
                    f"导入更新「{project_name}」指标「{new.name}」{FIELD_LABELS[column]}："
                    f"{_shown(before)} → {_shown(value)}"
                ),
            )
        if old.retired:
            row["retired"] = False
            changed = True
            self._audit(
                project_id=pid,
                entity="indicator",
                entity_id=old.id,
                indicator_id=old.id,
                field="retired",
                old=True,
                new=False,
                summary=f"导入恢复「{project_name}」的指标「{new.name}」：新表单重新列出此指标",
            )
        if old.position != position:
            row["position"] = position
        new_source = source_text(new.source)
        if new_source != old.source:
            row["source"] = new_source
        if row:
            self.indicator_updates.append({"id": old.id, **row})
        return changed

    # -- writing -----------------------------------------------------------------------

    def write(self) -> None:
        session = self.session
        indicators = Indicator.__table__
        for start in range(0, len(self.indicator_deletes), _DELETE_CHUNK):
            chunk = self.indicator_deletes[start : start + _DELETE_CHUNK]
            session.execute(delete(indicators).where(indicators.c.id.in_(chunk)))
        update_by_id(session, Project.__table__, self.project_updates)
        update_by_id(session, indicators, self.indicator_updates)
        if self.indicator_inserts:
            rows = [row for row, _ in self.indicator_inserts]
            ids = insert_returning_ids(session, indicators, rows)
            for (_, audit_row), new_id in zip(self.indicator_inserts, ids, strict=True):
                audit_row["entity_id"] = audit_row["indicator_id"] = new_id
        if self.new_projects:
            self._write_new_projects()
        if self.audit_rows:
            _write_audit(session, self.audit_rows)

    def _write_new_projects(self) -> None:
        session = self.session
        project_rows = [project for project, _ in self.new_projects]
        ids = insert_returning_ids(session, Project.__table__, project_rows)
        indicator_rows: list[dict[str, Any]] = []
        for (project, indicators), pid in zip(self.new_projects, ids, strict=True):
            for row in indicators:
                row["project_id"] = pid
            indicator_rows.extend(indicators)
            label = project_label(project["year"], project["unit"], project["name"])
            self._audit(
                project_id=pid,
                action="create",
                new=project["name"],
                summary=f"导入新建项目「{label}」，{len(indicators)} 个指标",
            )
        if indicator_rows:
            session.execute(insert(Indicator.__table__), indicator_rows)


def _write_audit(session: Session, rows: list[dict[str, Any]]) -> None:
    session.execute(insert(Audit.__table__), rows)


def import_declarations(
    session: Session,
    declarations: Sequence[dm.Declaration],
    *,
    user: str | None = None,
    source_label: str = "",
    consent: Consent = Consent(),
) -> ImportSummary:
    """Create or update the projects of these declarations in the caller's transaction.

    The caller commits once: one import is one transaction, and an exception leaves the
    database as it was once the caller rolls back (``Database.session()`` does). Deleting or
    retiring indicators and changing targets that have recorded values need ``consent``; without
    it they are held back and listed in ``summary.held_back``.
    """
    importer = _Importer(session, user or current_user(), source_label, consent)
    wanted = importer.select_declarations(declarations)
    if not wanted:
        return importer.summary
    stored = load_stored(session, {key[0] for key in wanted})
    for key, decl in wanted.items():
        if key in stored:
            importer.plan_update(key, decl, stored[key])
        else:
            importer.plan_new(key, decl)
    importer.write()
    # Bulk statements bypass the identity map: make already-loaded objects reload.
    session.expire_all()
    # a self-evaluation's actual values and spending, as if typed, audited as read from its file
    importer.summary.warnings.extend(record_reported(session, list(wanted.values()), user=importer.user))
    return importer.summary
