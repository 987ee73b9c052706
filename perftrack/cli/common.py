"""What the command modules share: exit statuses, the one-line user error, JSON output, the
database named by ``--db``, and the projects a file-writing command (export, report) covers.

Imports of the store stay inside the functions, so ``perftrack --version`` answers without
loading SQLAlchemy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perftrack.domain.errors import UserError as _UserError

if TYPE_CHECKING:
    from perftrack.store.database import Database
    from perftrack.store.evaluation import ProjectEvaluation

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
NO_PROJECTS_HINT = "用 perftrack import 文件 导入申报表。"
SEVERITY_LABELS = {"error": "错误：", "warning": "警告：", "info": "提示："}


def problem_line(problem: Any, *, severity: bool = True) -> str:
    """A problem as one line, its place first; the file is named once even when the message names it."""
    message = problem.message
    if problem.file:
        for sep in (": ", "：", ":"):
            message = message.removeprefix(f"{problem.file}{sep}")
    word = SEVERITY_LABELS.get(problem.severity.value, "") if severity else ""
    return f"{problem.location()}: {word}{message}"


# Something the user can fix: printed as one line, exit status 2. The one base of every user error
# (perftrack.domain.errors), so a RecordError or StoreError that reaches main() prints the same way.
UserError = _UserError


# Whether what ``loading`` imports is frozen out of the cycle collector's reach (``main`` sets it when
# perftrack runs as its own program).
freeze_loaded = False


@contextmanager
def loading() -> Iterator[None]:
    """Import what a command runs on (SQLAlchemy, matplotlib, openpyxl) with the cycle collector paused.

    Modules build hundreds of thousands of objects that live as long as the program: classes,
    functions, matplotlib's tables, SQLAlchemy's mappers. A cycle collection over them finds
    nothing, yet at CPython's default of one pass per 700 new objects, loading what one project's
    report needs ran 414 passes, three of them over everything: 0.15 s of 1.0 s. When perftrack runs
    as its own program (``freeze_loaded``), what is loaded is then frozen out of the collector's
    reach for good (``gc.freeze``, as the window does after start-up), so later passes walk only the
    command's own objects (a 200-project report in one process spent 4.9 s of 25.9 s collecting,
    3.1 s once frozen; forked workers inherit the frozen objects and leave them alone too).
    Once set, ``freeze_loaded`` stays for the process. Called from tests or another program
    nothing is frozen (their garbage would never be freed); only the pause applies. A pause
    already in force (a nested ``loading``) is left to its owner.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            if freeze_loaded:
                gc.freeze()
            gc.enable()


def print_json(data: Any) -> None:
    """Write ``data`` to stdout as indented JSON, Chinese left readable."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def open_db(args: argparse.Namespace) -> Database:
    """The database of ``--db`` (else PERFTRACK_DB, else the user's data folder), migrated."""
    from perftrack.paths import resolve_db_url

    with loading():
        from perftrack.store.database import open_database  # the whole store (SQLAlchemy, the schema) with it

    return open_database(resolve_db_url(args.db))


@contextmanager
def database_action(args: argparse.Namespace, *, write: bool = True) -> Iterator[tuple[Database, Any]]:
    """The database and one session: committed at the end, nothing written on a refusal (a
    ``UserError``, which ``main`` prints in one line). A writing action waits its turn behind other
    writers; a reading one (``write=False``) never waits."""
    db = open_db(args)
    try:
        with db.session() if write else db.reading() as session:
            yield db, session
    finally:
        db.close()


def print_projects(rows: list[dict[str, Any]], as_json: bool, as_text: Callable[[list[dict[str, Any]]], str]) -> int:
    """Print ``{"projects": rows}`` as JSON or ``as_text(rows)``; with no rows, say how to import some."""
    if as_json:
        print_json({"projects": rows})
    elif not rows:
        print(f"数据库中还没有项目。{NO_PROJECTS_HINT}")
    else:
        print(as_text(rows))
    return EXIT_OK


def stream_projects(rows: Iterable[dict[str, Any]], as_json: bool, as_text: Callable[[dict[str, Any]], str]) -> int:
    """Print rows as they come, as ``print_projects`` would print them all at once.

    A city's full scores do not fit in memory together (5,000 projects: 0.6 GB); written one
    by one, the JSON is byte for byte what ``print_json({"projects": rows})`` writes.
    """
    out = sys.stdout
    count = 0
    if as_json:
        out.write('{\n  "projects": [')
    for row in rows:
        if as_json:
            text = json.dumps(row, ensure_ascii=False, indent=2).replace("\n", "\n    ")
            out.write(("," if count else "") + "\n    " + text)
        else:
            out.write(("\n" if count else "") + as_text(row) + "\n")
        count += 1
    if as_json:
        out.write("\n  ]\n}\n" if count else "]\n}\n")
    elif not count:
        print(f"数据库中还没有项目。{NO_PROJECTS_HINT}")
    return EXIT_OK


def check_output(output: Path, suffix: str) -> None:
    """Refuse an output file without ``suffix`` (".xlsx", ".pdf") or in a folder that does not exist."""
    if output.suffix.lower() != suffix:
        raise UserError(f"{output}: 输出文件应以 {suffix} 结尾")
    if not output.parent.is_dir():
        raise UserError(f"{output}: 文件夹 {output.parent} 不存在")


def as_of_argument(text: str | None) -> str | dt.date | None:
    """``--as-of``: a period (Q2, 6月, YEAR) or a date (2025-01-20: the year end once the budget year
    is over, else the period that contains it)."""
    from perftrack.domain.periods import normalize_period

    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        pass
    try:
        return normalize_period(text)
    except ValueError as exc:
        raise UserError(f"--as-of：{exc}；或写日期，如 2025-01-20") from exc


def chosen_evaluations(args: argparse.Namespace, verb: str) -> list[ProjectEvaluation]:
    """The projects of ``args.projects`` in the order named (else all of ``args.year``), evaluated.

    ``args.as_of`` is the progress period (``as_of_argument``); ``verb`` ("导出", "打印") ends the
    message when there are none.
    """
    from perftrack.store.evaluation import evaluate_all
    from perftrack.store.queries import find_project

    as_of = as_of_argument(args.as_of)
    db = open_db(args)
    try:
        with db.reading() as session:
            ids: list[int] | None = None
            if args.projects:
                ids = list(dict.fromkeys(find_project(session, t, args.year).id for t in args.projects))
            evaluations = evaluate_all(session, ids, year=args.year, as_of=as_of)
    finally:
        db.close()
    if ids is not None:
        evaluations.sort(key=lambda e: ids.index(e.project_id))
    if not evaluations:
        in_year = f"{args.year}年的" if args.year is not None else ""
        raise UserError(f"数据库中没有{in_year}项目可{verb}。{NO_PROJECTS_HINT}")
    return evaluations


class ChosenProjects:
    """The chosen projects, counted up front and evaluated a batch at a time as they are iterated.

    Each pass evaluates afresh (``EVALUATION_BATCH`` projects per short read), so a caller that
    writes each project and lets it go never holds more than a batch of evaluations.
    """

    def __init__(self, database: Database, ids: list[int], as_of: str | dt.date | None) -> None:
        self.database = database
        self.ids = ids
        self.as_of = as_of

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[ProjectEvaluation]:
        from perftrack.store.evaluation import stream_evaluations

        return stream_evaluations(self._read, self.ids, as_of=self.as_of)

    def _read(self, fn: Callable[[Any], Any]) -> Any:
        with self.database.reading() as session:
            return fn(session)


@contextmanager
def chosen_projects(args: argparse.Namespace, verb: str, *, by_unit: bool = False) -> Iterator[ChosenProjects]:
    """``chosen_evaluations`` streamed: the same projects, order, ``--as-of`` and messages, with the
    database open while the caller iterates (and closed after); ``by_unit`` puts each implementing
    unit's projects together (``unit_order``)."""
    from perftrack.store.evaluation import chosen_ids, unit_order
    from perftrack.store.queries import find_project

    as_of = as_of_argument(args.as_of)
    db = open_db(args)
    try:
        with db.reading() as session:
            if args.projects:
                ids = list(dict.fromkeys(find_project(session, t, args.year).id for t in args.projects))
            else:
                ids = chosen_ids(session, year=args.year)
            if by_unit:
                ids = unit_order(session, ids)
        if not ids:
            in_year = f"{args.year}年的" if args.year is not None else ""
            raise UserError(f"数据库中没有{in_year}项目可{verb}。{NO_PROJECTS_HINT}")
        yield ChosenProjects(db, ids, as_of)
    finally:
        db.close()


# Control characters, and the bidirectional controls that make a terminal show text in another
# order than it is stored (U+202E turns "fdp.exe" around).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(text: str) -> str:
    """Text users typed, safe for a terminal: control characters (an ESC sequence in a note would
    clear the screen or recolour it) are written as \\xNN, bidirectional controls as \\uNNNN,
    visibly and harmlessly."""
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )
