"""The printed report at department scale: ``perftrack report`` of N generated projects, and of one.

    .venv/bin/python benchmarks/report_speed.py [--projects 200] [--seed 2024] [--work DIR] [--runs 3]
                                                [--as-of PERIOD] [--monitoring]

Generates ``--projects`` declaration forms (``generate.py``, about 26 indicators each), imports them
into a SQLite file and records two quarters of actuals and spending (``generate.add_actuals``, then
Q3 and Q4 removed: the mid-year state a department prints its monitoring reports from). The
database is kept in the work folder and reused by later runs with the same size and seed.

Then, each command in a child process of its own (``perftrack.cli.main`` in a small wrapper that
reads the child's own peak memory, ``VmHWM``; a direct child's ``ru_maxrss`` would carry ours):

- ``perftrack report -o all.pdf``: every project; wall time from spawn to exit, peak memory, pages;
- ``perftrack report -o one.pdf P`` minus ``perftrack score P --json`` for a project of typical size
  (median of ``--runs``, after one discarded warm-up): what the report costs beyond start-up,
  loading and scoring;
- the same report on a PC's first run, the font not yet in the cache folder (``report.font_cache``);
- the same two in a program that is already running (both commands called again and again in one
  process, the first call of each discarded): what printing one more project costs once matplotlib,
  ReportLab and the font are loaded, as in the window after its first report.

It prints the machine (platform, CPU model, cores, load average) first. To measure other code
(the figures before a change), put its package first on the path:
``PYTHONPATH=/path/to/old/checkout .venv/bin/python benchmarks/report_speed.py``. A benchmark
prints; it never asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # the generator beside this file

WORK = Path.cwd()  # where the children run (the work folder, once known)


# Both commands again and again in one process: what one more project costs once everything is loaded.
IN_PROCESS = """
import contextlib, io, json, statistics, sys, time
from perftrack.cli import main
runs, report, score = int(sys.argv[1]), sys.argv[2:sys.argv.index("--")], sys.argv[sys.argv.index("--") + 1:]
beyond = []
for n in range(runs + 1):
    with contextlib.redirect_stdout(io.StringIO()):
        started = time.perf_counter()
        assert main(report) == 0
        middle = time.perf_counter()
        assert main(score) == 0
        ended = time.perf_counter()
    if n:
        beyond.append({"report": middle - started, "score": ended - middle})
print("RESULT " + json.dumps({"report": statistics.median(b["report"] for b in beyond),
                              "score": statistics.median(b["score"] for b in beyond)}), flush=True)
"""


def typical_project(db: Path) -> tuple[str, int, int, int]:
    """The name and indicator count of a project of median size; all projects' and indicators' counts."""
    import sqlite3

    with sqlite3.connect(db) as con:
        rows = con.execute(
            "SELECT p.name, count(i.id) FROM project p JOIN indicator i ON i.project_id = p.id "
            "WHERE NOT i.retired GROUP BY p.id ORDER BY count(i.id), p.name"
        ).fetchall()
    name, count = rows[len(rows) // 2]
    return name, count, len(rows), sum(n for _, n in rows)


def run(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """``perftrack ARGS`` in a child process run from the work folder (``generate.run_perftrack``)."""
    return generate.run_perftrack(args, WORK, env)


def pages(pdf: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=200)
    parser.add_argument("--seed", type=int, default=generate.YEAR)
    parser.add_argument("--runs", type=int, default=3, help="runs of the one-project figures (median printed)")
    parser.add_argument("--work", type=Path, help="folder for the forms, the database and the PDFs")
    parser.add_argument("--as-of", help="passed to perftrack report and score (YEAR: the year-end self-evaluation)")
    parser.add_argument("--monitoring", action="store_true", help="passed to perftrack report")
    parser.add_argument("--skip-all", action="store_true", help="measure only the one-project figures")
    parser.add_argument(
        "--workers",
        help="processes drawing the charts of the whole report (PERFTRACK_REPORT_WORKERS; default: the program's "
        "choice, the CPU count on Linux); a comma-separated list measures each",
    )
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="perftrack-bench-report-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {generate.machine()}", flush=True)
    global WORK
    WORK = work
    db = generate.two_quarter_database(work, args.projects, args.seed, "report")
    name, count, projects, indicators = typical_project(db)
    extra = [*(["--as-of", args.as_of] if args.as_of else [])]
    report_extra = [*extra, *(["--monitoring"] if args.monitoring else [])]
    print(f"{projects} projects, {indicators} indicators (two quarters recorded)", flush=True)
    probe = run("--version")
    print(f"perftrack as the commands import it: {probe['package']}", flush=True)

    for workers in [] if args.skip_all else (args.workers or "").split(","):
        out = work / "all.pdf"
        env = dict(os.environ, PERFTRACK_REPORT_WORKERS=workers) if workers else None
        whole = run("report", "-o", str(out), "--db", str(db), *report_extra, env=env)
        size = out.stat().st_size / 1e6
        drawn = f"charts by {workers} worker processes" if workers not in ("", "0") else "charts in the process"
        if not workers:
            drawn = "the program's own choice of chart workers"
        extra_mb = f"; largest worker {whole['worker_mb']:.0f} MB (ru_maxrss)" if whole["worker_mb"] else ""
        cpu = f"CPU {whole['cpu']:.1f} s" + (f" + workers {whole['worker_cpu']:.1f} s" if whole["worker_cpu"] else "")
        print(
            f"perftrack report -o all.pdf ({projects} projects, {drawn}): {whole['seconds']:.1f} s ({cpu}), "
            f"peak {whole['peak_mb']:.0f} MB{extra_mb}, {pages(out)} pages, {size:.1f} MB",
            flush=True,
        )

    one = work / "one.pdf"
    reports: list[float] = []
    scores: list[float] = []
    report_cpu: list[float] = []
    score_cpu: list[float] = []
    peaks: list[float] = []
    for n in range(args.runs + 1):
        r = run("report", "-o", str(one), "--db", str(db), name, *report_extra)
        s = run("score", name, "--json", "--db", str(db), *extra)
        if n:  # the first run fills the file cache and writes bytecode
            reports.append(r["seconds"])
            scores.append(s["seconds"])
            report_cpu.append(r["cpu"])
            score_cpu.append(s["cpu"])
            peaks.append(r["peak_mb"])
    report_s, score_s = statistics.median(reports), statistics.median(scores)
    # CPU seconds too: on a machine others are busy on, wall time says more about them than about us.
    report_c, score_c = statistics.median(report_cpu), statistics.median(score_cpu)
    print(
        f"one project ({count} indicators, {pages(one)} pages): report {report_s:.2f} s − score --json "
        f"{score_s:.2f} s = {report_s - score_s:.2f} s beyond start-up and scoring; CPU {report_c:.2f} − "
        f"{score_c:.2f} = {report_c - score_c:.2f} s (medians of {args.runs}; report runs "
        f"{', '.join(f'{v:.2f}' for v in reports)}; peak {max(peaks):.0f} MB)",
        flush=True,
    )
    # A PC's very first report: no cache folder yet, so ReportLab reads the font (report.font_cache).
    first: list[float] = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as fresh:
            env = dict(os.environ, PERFTRACK_DATA_DIR=fresh)
            first.append(run("report", "-o", str(one), "--db", str(db), name, *report_extra, env=env)["seconds"])
    print(
        f"the same, a PC's first report (no font cache yet): {statistics.median(first):.2f} s, "
        f"{statistics.median(first) - score_s:.2f} s beyond start-up and scoring (median of {args.runs})",
        flush=True,
    )
    command = [sys.executable, "-c", IN_PROCESS, str(args.runs)]
    command += ["report", "-o", str(one), "--db", str(db), name, *report_extra, "--"]
    command += ["score", name, "--json", "--db", str(db), *extra]
    done = subprocess.run(command, capture_output=True, text=True, cwd=WORK, check=True)
    warm = json.loads(
        next(line for line in done.stdout.splitlines() if line.startswith(generate.RESULT))[len(generate.RESULT) :]
    )
    print(
        f"one project in a running program (after its first report): report {warm['report']:.3f} s − "
        f"score --json {warm['score']:.3f} s = {warm['report'] - warm['score']:.3f} s (medians of {args.runs})",
        flush=True,
    )
    print(f"work folder: {work}")


if __name__ == "__main__":
    main()
