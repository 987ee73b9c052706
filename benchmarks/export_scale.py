"""The evaluation workbook at department scale: ``perftrack export`` of 200 and 1,000 generated projects.

    .venv/bin/python benchmarks/export_scale.py [--sizes 200,1000] [--seed 2024] [--runs 2] [--work DIR]
                                                [--as-of PERIOD]

For each size, generates the declaration forms (``generate.py``, about 26 indicators a project),
imports them into a SQLite file and records two quarters of actuals and spending
(``generate.add_actuals``, then Q3 and Q4 removed: the mid-year state). The database is kept in
the work folder and reused by later runs with the same size and seed.

Then, each command in a child process of its own (``perftrack.cli.main`` in a small wrapper that
reads the child's own peak memory, ``VmHWM``; a direct child's ``ru_maxrss`` would carry ours),
``--runs`` times each, every run printed:

- ``perftrack export -o all.xlsx``: every project in one workbook; wall time from spawn to exit
  (start-up, loading and scoring included), its CPU seconds (less sensitive to other work on the
  machine than the wall time), peak memory, the file's size;
- ``perftrack export --per-unit DIR``: one workbook per 实施单位; time, peak, files written;
- ``perftrack export --summary-only -o summary.xlsx``: the 汇总 sheet and its chart alone.

Code without ``--per-unit`` or ``--summary-only`` (the figures before they existed) gets
"not supported" on those lines. It prints the machine (platform, CPU model, cores, load average)
first. To measure other code, put its package first on the path:
``PYTHONPATH=/path/to/old/checkout .venv/bin/python benchmarks/export_scale.py``. A benchmark
prints; it never asserts.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # the generator beside this file

# The children start in a folder of their own: ``python -c`` puts the current folder first on the
# path, so started in a checkout it would import that checkout's perftrack whatever PYTHONPATH says.
CHILD_FOLDER = Path(tempfile.gettempdir())


def counts(db: Path) -> tuple[int, int, int]:
    """Projects, current indicators and implementing units in the database."""
    import sqlite3

    with sqlite3.connect(db) as con:
        projects, units = con.execute("SELECT count(*), count(DISTINCT unit) FROM project").fetchone()
        (indicators,) = con.execute("SELECT count(*) FROM indicator WHERE NOT retired").fetchone()
    return projects, indicators, units


def supports(option: str) -> bool:
    """Whether the perftrack measured knows ``export OPTION``."""
    helper = 'import sys; from perftrack.cli import main; sys.exit(main(["export", "--help"]))'
    done = subprocess.run([sys.executable, "-c", helper], capture_output=True, text=True, cwd=CHILD_FOLDER)
    return option in done.stdout


def run(*args: str) -> dict[str, Any]:
    """``perftrack ARGS`` in a child process: wall seconds and peak memory (``generate.run_perftrack``)."""
    return generate.run_perftrack(args, CHILD_FOLDER)


def measure(label: str, runs: int, args: list[str], after: Callable[[], str] | None = None) -> None:
    """Run ``perftrack ARGS`` ``runs`` times and print each run's figures."""
    option = next((a for a in args if a in ("--per-unit", "--summary-only")), None)
    if option is not None and not supports(option):
        print(f"  {label}: not supported by this code", flush=True)
        return
    for n in range(1, runs + 1):
        figures = run(*args)
        if n == 1:
            print(f"  (perftrack in the child: {figures['package']})", flush=True)
        extra = f", {after()}" if after is not None else ""
        print(
            f"  {label} (run {n}): {figures['seconds']:.1f} s (CPU {figures['cpu']:.1f} s), "
            f"peak {figures['peak_mb']:.0f} MB{extra} [load {generate.load_average()}]",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,1000", help="project counts, comma-separated")
    parser.add_argument("--seed", type=int, default=generate.YEAR)
    parser.add_argument("--runs", type=int, default=2, help="runs of each command (every run printed)")
    parser.add_argument("--work", type=Path, help="folder for the forms, the databases and the workbooks")
    parser.add_argument("--as-of", help="passed to perftrack export (YEAR: the year-end self-evaluation)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="perftrack-bench-export-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {generate.machine()}", flush=True)
    import perftrack

    print(f"perftrack from {Path(perftrack.__file__).resolve().parent}", flush=True)
    extra = ["--as-of", args.as_of] if args.as_of else []
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        db = generate.two_quarter_database(work, size, args.seed, "export")
        projects, indicators, units = counts(db)
        print(f"{projects} projects, {indicators} indicators, {units} units (two quarters recorded)", flush=True)
        whole = work / f"all_{size}.xlsx"
        measure(
            "export -o all.xlsx",
            args.runs,
            ["export", "-o", str(whole), "--db", str(db), *extra],
            lambda whole=whole: f"{whole.stat().st_size / 1e6:.1f} MB file",
        )
        folder = work / f"units_{size}"

        def per_unit(folder: Path = folder) -> str:
            files = list(folder.glob("*.xlsx"))
            return f"{len(files)} files, {sum(f.stat().st_size for f in files) / 1e6:.1f} MB"

        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        measure(
            "export --per-unit DIR", args.runs, ["export", "--per-unit", str(folder), "--db", str(db), *extra], per_unit
        )
        summary = work / f"summary_{size}.xlsx"
        measure(
            "export --summary-only",
            args.runs,
            ["export", "--summary-only", "-o", str(summary), "--db", str(db), *extra],
            lambda summary=summary: f"{summary.stat().st_size / 1e6:.2f} MB file",
        )
    print(f"work folder: {work}")


if __name__ == "__main__":
    main()
