"""Finding projects and indicators the way a person names them: exactly, or by a unique part."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from perftrack.store.errors import Ambiguous, NotFound
from perftrack.store.schema import Indicator, Project

MAX_CANDIDATES = 10

# "#3": the third current indicator of the project, for forms that repeat a name.
_POSITION = re.compile(r"^[#＃](\d+)$")


def list_projects(session: Session, year: int | None = None) -> list[Project]:
    """All projects (or one year's), ordered by year, unit and name."""
    query = select(Project).order_by(Project.year, Project.unit, Project.name)
    if year is not None:
        query = query.where(Project.year == year)
    return list(session.scalars(query))


def list_order(session: Session, year: int | None = None) -> list[int]:
    """The ids of all projects (or one year's) in the order lists print them: year, unit, name."""
    query = select(Project.id).order_by(Project.year, Project.unit, Project.name)
    if year is not None:
        query = query.where(Project.year == year)
    return list(session.scalars(query))


def _candidates_message(what: str, text: str, labels: Sequence[str]) -> str:
    shown = "\n".join(f"  {label}" for label in labels[:MAX_CANDIDATES])
    more = f"\n  ……另有 {len(labels) - MAX_CANDIDATES} 个" if len(labels) > MAX_CANDIDATES else ""
    return f"有 {len(labels)} 个{what}与「{text}」相符，请写得更具体：\n{shown}{more}"


def find_project(session: Session, text: str, year: int | None = None) -> Project:
    """The project whose name is ``text``, else the only one whose name contains it.

    Raises NotFound when none matches and Ambiguous when several do.
    """
    needle = text.strip()
    query = select(Project).order_by(Project.year, Project.unit, Project.name)
    if year is not None:
        query = query.where(Project.year == year)
    matches = list(session.scalars(query.where(Project.name == needle))) if needle else []
    if not matches and needle:
        matches = list(session.scalars(query.where(Project.name.contains(needle, autoescape=True))))
    if len(matches) == 1:
        return matches[0]
    if not matches:
        in_year = f"{year}年" if year is not None else ""
        raise NotFound(f"没有找到{in_year}名称为或包含「{text}」的项目。")
    labels = [p.label for p in matches]
    raise Ambiguous(_candidates_message("项目", text, labels), labels)


def find_indicator(project: Project, text: str) -> Indicator:
    """The project's current indicator named ``text``, else the only one whose name contains it.

    "#N" picks the N-th current indicator, for forms that give two rows the same name.
    Raises NotFound or Ambiguous like ``find_project``.
    """
    current = [ind for ind in sorted(project.indicators, key=lambda i: i.position) if not ind.retired]
    needle = text.strip()
    if match := _POSITION.match(needle):
        number = int(match[1])
        if 1 <= number <= len(current):
            return current[number - 1]
        raise NotFound(f"项目「{project.name}」没有第 {number} 个指标（共 {len(current)} 个）。")
    matches = [ind for ind in current if ind.name == needle] if needle else []
    if not matches and needle:
        matches = [ind for ind in current if needle in ind.name]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFound(f"项目「{project.name}」中没有名称为或包含「{text}」的指标。")
    labels = [f"#{current.index(ind) + 1} {ind.name}" for ind in matches]
    raise Ambiguous(_candidates_message("指标", text, labels), labels)
