"""perftrack at city scale: the sample, then 1,000 and 5,000 generated projects; prints the figures.

    .venv/bin/python benchmarks/city_scale.py [--sizes sample,13,1000,5000] [--seed 2024] [--work DIR]
                                              [--runs 3] [--json OUT.json] [--db OTHER.db]

For each size: import (parse + store into a fresh SQLite file), full rescoring three ways
(every project's total, grade and status from the figures; the same kept in the database, first
listing and later ones; every per-indicator object with evaluate_all), start to first paint
(``perftrack --smoke`` in a subprocess, median of ``--runs``), the GUI in one offscreen process
(opening a project, each keystroke in the navigator filter once its debounce has fired,
entering a value until the score is updated, the first status filter), once with every score
kept and once on a database never listed, the evaluation workbook and the PDF report of one
project. ``--db`` measures the same steps after the set-up on another perftrack database (a
copy of it), such as one generated independently; ``--sizes ''`` then measures only that one.
Every measured step runs in a child process of its own and reports its peak memory
(ru_maxrss). Also measured once: a bare PySide6 QMainWindow, started and painted the same way.
A benchmark prints; it never asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # the generator beside this file

RESULT = "RESULT "
SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"
# A full-HD screen for the offscreen platform, so the window and its visible rows are as on a desk.
SCREEN = {"screens": [{"name": "bench", "x": 0, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96}]}
BARE_QT = """
import time
started = time.perf_counter()
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QLabel("perftrack"))
class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not hasattr(self, "fired"):
            self.fired = True
            QTimer.singleShot(0, done)
        return False
def done():
    print(f"first paint after {time.perf_counter() - started:.3f} s", flush=True)
    app.quit()
watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
app.exec()
"""


def peak_mb() -> float:
    """This process's peak resident memory in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(**figures: Any) -> None:
    """Hand a child step's figures to the parent."""
    print(RESULT + json.dumps({**figures, "peak_mb": round(peak_mb(), 1)}), flush=True)


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def url_of(db: Path) -> str:
    return f"sqlite:///{db.as_posix()}"


# -- child steps ----------------------------------------------------------------------------


def step_import(db: Path, forms: list[Path]) -> None:
    from perftrack.importers import read_declarations
    from perftrack.store.database import open_database
    from perftrack.store.upsert import import_declarations

    started = time.perf_counter()
    result = read_declarations(forms)
    parsed = time.perf_counter()
    with open_database(url_of(db)) as database, database.session() as session:
        import_declarations(session, result.declarations, source_label="benchmark")
    stored = time.perf_counter()
    indicators = sum(len(d.indicators) for d in result.declarations)
    errors = len(result.errors)
    report(
        parse=parsed - started,
        store=stored - parsed,
        projects=len(result.declarations),
        indicators=indicators,
        errors=errors,
    )


def step_actuals(db: Path, seed: int) -> None:
    from perftrack.store.database import open_database

    with open_database(url_of(db)) as database:
        started = time.perf_counter()
        rows = generate.add_actuals(database, seed)
        report(seconds=time.perf_counter() - started, rows=rows)


def step_rescore(db: Path, runs: int) -> None:
    """Every project's summary from its figures, then kept and read back; leaves every summary kept."""
    from sqlalchemy import delete, func, select

    from perftrack.store.database import open_database
    from perftrack.store.schema import Actual, Indicator, KeptSummary, Project
    from perftrack.store.summaries import score_summaries

    def clock(fn: Callable[[Any], object]) -> float:
        with database.session() as session:
            started = time.perf_counter()
            fn(session)
            return time.perf_counter() - started

    with open_database(url_of(db)) as database:
        with database.session() as session:
            session.execute(delete(KeptSummary))
        # Totals, grades and statuses from the figures, nothing read from or written to project_summary.
        fresh = [clock(lambda s: score_summaries(s, keep=False)) for _ in range(runs)]
        # The first listing on a database never listed before: scored, then kept.
        first = clock(score_summaries)
        kept = [clock(score_summaries) for _ in range(runs)]  # later listings read what was kept
        with database.session() as session:
            actuals = session.scalar(select(func.count()).select_from(Actual))
            projects = session.scalar(select(func.count()).select_from(Project))
            indicators = session.scalar(select(func.count()).select_from(Indicator).where(Indicator.retired.is_(False)))
    report(fresh=fresh, first=first, kept=kept, indicators=indicators, projects=projects, actuals=actuals)


def step_evaluate(db: Path, runs: int) -> None:
    """Every per-indicator object of every project, as the workbook and the report need them."""
    from perftrack.store.database import open_database
    from perftrack.store.evaluation import evaluate_all

    full: list[float] = []
    with open_database(url_of(db)) as database:
        for _ in range(runs):
            with database.session() as session:
                started = time.perf_counter()
                evaluations = evaluate_all(session)
                full.append(time.perf_counter() - started)
            del evaluations
    report(times=full)


def step_forget(db: Path) -> None:
    """Drop every kept summary: the database as one never listed before."""
    from sqlalchemy import delete

    from perftrack.store.database import open_database
    from perftrack.store.schema import KeptSummary

    with open_database(url_of(db)) as database, database.session() as session:
        session.execute(delete(KeptSummary))
    report()


def _settle(app: Any) -> None:
    # Twice: a paint can post further events (deferred layout, summaries fetched for new rows).
    app.processEvents()
    app.processEvents()


def step_gui(db: Path, idle: bool = False) -> None:
    """The GUI actions; ``idle``: first leave the window alone until background scoring is done."""
    from PySide6.QtCore import QEventLoop

    from perftrack.ui.app import make_application
    from perftrack.ui.main_window import MainWindow

    app = make_application()
    first = time.perf_counter()
    window = MainWindow(url_of(db))
    window.show()
    _settle(app)
    shown = time.perf_counter()
    first = shown - first
    scoring = window.background_scoring
    idle_done = None
    if idle:
        loop = QEventLoop()
        scoring.finished.connect(loop.quit)
        loop.exec()
        idle_done = time.perf_counter() - shown
    workspace, model = window.workspace, window.navigator_model
    if workspace is None:
        raise SystemExit("the window opened no database")
    ids = model.all_project_ids()
    picks = [ids[(k * len(ids)) // 7 + len(ids) // 14] for k in range(7)]
    opens = [timed(lambda pid=pid: (window.show_project(pid), _settle(app))) for pid in picks]

    names = {pid: name for pid, _year, _unit, name in workspace.project_index()}
    keystrokes: list[float] = []
    typed = [names[picks[3]][:6], "满意度"]
    for query in typed:
        for ch in query:
            window.filter_box.insert(ch)  # starts the debounce timer; apply_filter is what it fires
            keystrokes.append(timed(lambda: (window.apply_filter(), _settle(app))))
        window.filter_box.clear()
        window.apply_filter()
        _settle(app)

    window.show_project(picks[1])
    _settle(app)
    page = window.page
    view = page.view_data
    if view is None:
        raise SystemExit("the project page shows no project")
    # A rate: its last period is the year's figure, so every value typed moves the score.
    numeric = [r for r in range(page.model.rowCount()) if not page.model.row_data(r).qualitative]
    row = next((r for r in numeric if page.model.row_data(r).unit == "%"), numeric[0])
    column = page.model.column_of(view.periods[-1])
    entries: list[float] = []
    scores = [str(view.summary.total)]
    for value in ("1", "7", "30", "2", "12"):
        index = page.model.index(row, column)
        entries.append(timed(lambda index=index, value=value: (page.model.setData(index, value), _settle(app))))
        scores.append(str(page.view_data.summary.total) if page.view_data else "?")

    status_first = timed(lambda: (window.off_track_check.setChecked(True), _settle(app)))
    status_again = timed(lambda: (window.off_track_check.setChecked(False), _settle(app)))
    # Projects whose scores were not kept are scored in the background from shortly after the
    # start: how long after the window showed every score was in (None: nothing to do).
    if scoring.running:
        loop = QEventLoop()
        scoring.finished.connect(loop.quit)
        loop.exec()
    background_done = time.perf_counter() - shown if scoring.steps else None
    window.close()
    report(
        first_paint=first,
        open=opens,
        keystrokes=keystrokes,
        typed=typed,
        entry=entries,
        scores=scores,
        status_first=status_first,
        status_again=status_again,
        background_done=background_done,
        idle_done=idle_done,
        background_steps=scoring.steps,
        projects=len(ids),
    )


def step_export(db: Path, subset: str, out: Path) -> None:
    from sqlalchemy import select

    from perftrack.export.workbook import export_workbook
    from perftrack.store.database import open_database
    from perftrack.store.evaluation import evaluate_all
    from perftrack.store.schema import Project

    with open_database(url_of(db)) as database, database.session() as session:
        ids = list(session.scalars(select(Project.id).order_by(Project.year, Project.unit, Project.name)))
        if subset.isdigit():
            step = max(1, len(ids) // int(subset))
            ids = ids[: int(subset)] if subset == "13" else ids[::step][: int(subset)]
        started = time.perf_counter()
        evaluations = evaluate_all(session, ids)
        evaluated = time.perf_counter() - started
    started = time.perf_counter()
    export_workbook(evaluations, out)
    report(
        evaluate=evaluated,
        export=time.perf_counter() - started,
        projects=len(evaluations),
        megabytes=out.stat().st_size / 1e6,
    )


def step_report(db: Path, out: Path) -> None:
    from sqlalchemy import select

    from perftrack.report.pdf import write_report
    from perftrack.store.database import open_database
    from perftrack.store.evaluation import evaluate_all
    from perftrack.store.schema import Project

    with open_database(url_of(db)) as database, database.session() as session:
        first = session.scalars(select(Project.id).order_by(Project.year, Project.unit, Project.name)).first()
        evaluations = evaluate_all(session, [first] if first is not None else [])
    started = time.perf_counter()
    write_report(evaluations, out)
    report(seconds=time.perf_counter() - started, indicators=len(evaluations[0].indicators))


# -- the parent -----------------------------------------------------------------------------


def child_env(work: Path) -> dict[str, str]:
    work.mkdir(parents=True, exist_ok=True)
    screen = work / "screen.json"
    screen.write_text(json.dumps(SCREEN))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={screen}")
    # Installed programs start from compiled bytecode; let the first (discarded) run write it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["XDG_CONFIG_HOME"] = str(work / "config")  # the GUI's settings stay inside the work folder
    return env


def run_step(env: dict[str, str], *args: str) -> dict[str, Any]:
    """Run ``city_scale.py --step ...`` in a child process; its figures, or the error it printed."""
    done = subprocess.run([sys.executable, __file__, "--step", *args], env=env, capture_output=True, text=True)
    for line in done.stdout.splitlines():
        if line.startswith(RESULT):
            return json.loads(line[len(RESULT) :])
    tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
    return {"error": f"exit {done.returncode}: {tail[0]}"}


def first_paint(env: dict[str, str], command: list[str], runs: int) -> dict[str, Any]:
    """Spawn to the "first paint after" line, median of ``runs`` after one discarded warm-up."""
    walls: list[float] = []
    selfs: list[float] = []
    peaks: list[float] = []
    for run in range(runs + 1):
        started = time.perf_counter()
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        output = proc.stdout or []
        line = ""
        for line in output:
            if line.startswith("first paint after"):
                break
        wall = time.perf_counter() - started
        if proc.stdout is not None:
            proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if not line.startswith("first paint after"):
            return {"error": f"no first paint (exit {proc.returncode})"}
        if run:  # the first run compiles bytecode and fills the file cache
            walls.append(wall)
            selfs.append(float(line.split()[3]))
            peaks.append(usage.ru_maxrss / 1024)
    return {"wall": statistics.median(walls), "walls": walls, "self": statistics.median(selfs), "peak_mb": max(peaks)}


def machine() -> dict[str, str]:
    import PySide6
    import sqlalchemy
    from PySide6 import QtCore

    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor(),
    )
    ram = next(int(ln.split()[1]) for ln in Path("/proc/meminfo").read_text().splitlines() if ln.startswith("MemTotal"))
    return {
        "cpus": str(os.cpu_count()),
        "cpu": cpu,
        "ram": f"{ram / 1024 / 1024:.1f} GB",
        "python": platform.python_version(),
        "pyside6": PySide6.__version__,
        "qt": QtCore.qVersion(),
        "sqlalchemy": sqlalchemy.__version__,
        "sqlite": sqlite3.sqlite_version,
        "os": platform.platform(),
    }


def _s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _spread(values: list[float]) -> str:
    return f"median {_s(statistics.median(values))}, max {_s(max(values))} (n={len(values)})"


def _row(label: str, figure: dict[str, Any], text: Callable[[dict[str, Any]], str], target: str = "") -> list[str]:
    if "error" in figure:
        return [label, "failed: " + figure["error"], "", target]
    peak = figure.get("peak_mb")
    return [label, text(figure), f"{peak:.0f} MB" if peak else "", target]


def measure_size(size: str, args: argparse.Namespace, env: dict[str, str]) -> tuple[str, list[list[str]]]:
    """Every step at one size; the table's title and rows."""
    folder = args.work / size
    folder.mkdir(parents=True, exist_ok=True)
    if size == "sample":
        forms = [SAMPLE]
    else:
        forms = generate.write_forms(generate.generate_forms(int(size), args.seed), folder / "forms", args.seed)
    db = folder / "bench.db"
    for leftover in folder.glob("bench.db*"):
        leftover.unlink()
    paths = [str(p) for p in forms]
    imported = run_step(env, "import", str(db), *paths)
    actuals = run_step(env, "actuals", str(db), str(args.seed))
    return measure_database(db, size, args, env, imported, actuals)


def measure_database(
    db: Path,
    size: str,
    args: argparse.Namespace,
    env: dict[str, str],
    imported: dict[str, Any] | None = None,
    actuals: dict[str, Any] | None = None,
) -> tuple[str, list[list[str]]]:
    """Every step after the set-up, on one database; the table's title and rows."""
    folder = db.parent
    imported = imported or {}
    actuals = actuals or {}
    rescore = run_step(env, "rescore", str(db), str(args.runs))
    evaluate = run_step(env, "evaluate", str(db), str(args.runs))
    smoke = first_paint(env, [str(Path(sys.executable).parent / "perftrack"), "--smoke", "--db", str(db)], args.runs)
    gui = run_step(env, "gui", str(db))  # every summary kept, as after the first listing
    run_step(env, "forget", str(db))
    gui_cold = run_step(env, "gui", str(db))  # nothing kept: as on the very first start
    run_step(env, "forget", str(db))
    gui_idle = run_step(env, "gui", str(db), "idle")  # nothing kept, the window left alone first
    n = rescore.get("projects") or imported.get("projects", 0)
    subsets = ["all"] if n <= 13 else ["13", "100"] + (["all"] if n <= 1000 else [])
    exports = {s: run_step(env, "export", str(db), s, str(folder / f"export-{s}.xlsx")) for s in subsets}
    pdf = run_step(env, "report", str(db), str(folder / "report.pdf"))

    title = (
        f"{size}: {n:,} projects, {rescore.get('indicators', 0):,} indicators, "
        f"{rescore.get('actuals', actuals.get('rows', 0)):,} actuals"
    )
    small = n <= 13
    rows = []
    if imported:
        rows += [
            _row(
                "import (parse + store)",
                imported,
                lambda f: (
                    f"{_s(f['parse'] + f['store'])} (parse {_s(f['parse'])}, store {_s(f['store'])}; "
                    f"{f['errors']} errors)"
                ),
                "≤ 0.5 s" if small else "",
            ),
            _row("  add Q1–Q4 actuals (setup)", actuals, lambda f: _s(f["seconds"])),
        ]
    rows += [
        _row(
            "full rescoring: totals, grades, statuses",
            rescore,
            lambda f: f"{_spread(f['fresh'])} from the figures",
            "≤ 1 s at 130k",
        ),
        _row(
            "  the same, kept in the database",
            rescore,
            lambda f: f"first listing {_s(f['first'])} (scored and kept); then {_spread(f['kept'])}",
        ),
        _row("  every per-indicator object (evaluate_all)", evaluate, lambda f: _spread(f["times"])),
        _row(
            "start to first paint (--smoke)",
            smoke,
            lambda f: (
                f"median {_s(f['wall'])} wall "
                f"(self-reported {_s(f['self'])}); runs {', '.join(_s(w) for w in f['walls'])}"
            ),
            "≤ 1.5 s",
        ),
        _row("GUI: window built and painted", gui, lambda f: _s(f["first_paint"])),
        _row("GUI: open a project", gui, lambda f: _spread(f["open"]), "≤ 100 ms"),
        _row(
            "GUI: filter, per keystroke",
            gui,
            lambda f: f"{_spread(f['keystrokes'])} typing {' / '.join(f['typed'])}",
            "≤ 100 ms",
        ),
        _row(
            "GUI: enter a value → score",
            gui,
            lambda f: f"{_spread(f['entry'])}; score {' → '.join(f['scores'])}",
            "≤ 100 ms",
        ),
        _row(
            "GUI: first status filter",
            gui,
            lambda f: f"{_s(f['status_first'])} (every score kept); again {_s(f['status_again'])}",
            "≤ 100 ms",
        ),
        _row(
            "  on a database never listed",
            gui_cold,
            lambda f: (
                f"right after the start {_s(f['status_first'])} (scores the projects the background has not, "
                "progress dialog); "
                f"again {_s(f['status_again'])}; "
                + (f"every score in {_s(f['background_done'])} after the start; " if f["background_done"] else "")
                + f"meanwhile open a project {_spread(f['open'])}, keystroke {_spread(f['keystrokes'])}, "
                f"value {_spread(f['entry'])}"
            ),
        ),
        _row(
            "  the same, the window left alone first",
            gui_idle,
            lambda f: (
                (
                    f"every score in {_s(f['idle_done'])} in the background"
                    if f["background_steps"]
                    else "no background scoring (under 200 unscored projects: scored when asked)"
                )
                + f"; then first status filter {_s(f['status_first'])}"
            ),
        ),
    ]
    for subset, figure in exports.items():
        label = f"workbook, {'all' if subset == 'all' else 'first ' + subset if subset == '13' else subset} projects"
        rows.append(
            _row(
                label,
                figure,
                lambda f: (
                    f"export {_s(f['export'])} + evaluate {_s(f['evaluate'])}; "
                    f"{f['projects']} projects, {f['megabytes']:.1f} MB"
                ),
                "≤ 2 s" if subset == "13" else "",
            )
        )
    rows.append(_row("PDF report of one project", pdf, lambda f: f"{_s(f['seconds'])} ({f['indicators']} indicators)"))
    results = {
        "imported": imported,
        "actuals": actuals,
        "rescore": rescore,
        "evaluate": evaluate,
        "smoke": smoke,
        "gui": gui,
        "gui_cold": gui_cold,
        "gui_idle": gui_idle,
        "exports": exports,
        "report": pdf,
    }
    args.results[size] = results
    return title, rows


def print_table(title: str, rows: list[list[str]]) -> None:
    widths = [max(len(r[c]) for r in rows) for c in (0, 2)]
    print(f"\n== {title} ==", flush=True)
    for label, figure, peak, target in rows:
        print(f"{label:<{widths[0]}}  {peak:>{widths[1]}}  {figure}{'   [target ' + target + ']' if target else ''}")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="sample,13,1000,5000", help="comma-separated: sample and/or project counts")
    parser.add_argument("--seed", type=int, default=generate.YEAR)
    parser.add_argument("--runs", type=int, default=3, help="runs of the repeated measurements (median reported)")
    parser.add_argument("--work", type=Path, help="folder for forms, databases and outputs (default: a temporary one)")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument(
        "--db",
        type=Path,
        help="also measure this perftrack SQLite database (a copy of it; with --sizes '' only this one)",
    )
    parser.add_argument("--step", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        name, *rest = args.step
        steps: dict[str, Callable[[], None]] = {
            "import": lambda: step_import(Path(rest[0]), [Path(p) for p in rest[1:]]),
            "actuals": lambda: step_actuals(Path(rest[0]), int(rest[1])),
            "rescore": lambda: step_rescore(Path(rest[0]), int(rest[1])),
            "evaluate": lambda: step_evaluate(Path(rest[0]), int(rest[1])),
            "forget": lambda: step_forget(Path(rest[0])),
            "gui": lambda: step_gui(Path(rest[0]), idle=rest[1:] == ["idle"]),
            "export": lambda: step_export(Path(rest[0]), rest[1], Path(rest[2])),
            "report": lambda: step_report(Path(rest[0]), Path(rest[1])),
        }
        steps[name]()
        return
    args.work = args.work or Path(tempfile.mkdtemp(prefix="perftrack-bench-"))
    args.results = {}
    env = child_env(args.work)
    info = machine()
    print("machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    bare = first_paint(env, [sys.executable, "-c", BARE_QT], args.runs)
    print(
        f"bare PySide6 QMainWindow, start to first paint: median {_s(bare['wall'])} wall "
        f"(self-reported {_s(bare['self'])}), peak {bare['peak_mb']:.0f} MB"
    )
    if args.db:
        # Another database (generated independently, say): measured on a copy, the original untouched.
        copy = args.work / args.db.stem / "bench.db"
        copy.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(args.db) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        print_table(*measure_database(copy, args.db.name, args, env))
    for size in filter(None, (s.strip() for s in args.sizes.split(","))):
        print_table(*measure_size(size, args, env))
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "bare_qt": bare, "sizes": args.results}, indent=1))
    print(f"\nwork folder: {args.work}")


if __name__ == "__main__":
    main()
