"""Reading large but legal workbooks: time and peak memory of each reader, each in a process of its own.

    .venv/bin/python benchmarks/big_workbook.py [--projects 1000] [--sheets 200] [--rows 100000] [--work DIR]

Builds (once; later runs reuse them) three workbooks from the 13 seed forms, names made unique:
a flat declaration list of ``--projects`` projects (one indicator a row, the project's fields
repeated), a workbook of ``--sheets`` paper-form sheets (merged level cells), and an actuals table of
``--rows`` rows (项目名称, 三级指标, 期间, 实际值, 说明). Then, in a child process each (so each reports
its own peak memory, ``VmHWM``), prints the time and peak memory of ``import_office`` on the two
declaration workbooks (reading and interpreting every form, as ``perftrack import --dry-run``) and of
the actuals import's ``read_table``. Prints figures; it never fails on time.

To measure other code (the readers before a change, say), put its package first on the path:
``PYTHONPATH=/path/to/old/checkout .venv/bin/python benchmarks/big_workbook.py``. The figures in
docs/benchmarks.md are ``--projects 3500 --sheets 1000 --rows 230000`` (some 900,000 cells in the
list and in the table, near the readers' limit of a million), before and after streaming.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # tests.support writes the workbooks; a PYTHONPATH checkout stays first

SEED = ROOT / "sample_data" / "shanghai_2024_declarations.txt"


def _peak_mb() -> float:
    """This process's peak resident memory. Linux's ru_maxrss also holds the parent's size when it
    spawned us (kept across exec), so the high-water mark of our own memory is read where it is kept."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def child(what: str, path: Path) -> None:
    """Read one file as the program does, print what was read, the time and the peak memory as JSON."""
    start = time.perf_counter()
    if what == "actuals":
        from perftrack.importers.actuals_table import read_rows as read_table

        rows = read_table(path)
        read = {"rows": len(rows), "cells": sum(1 for row in rows for text in row if text)}
    else:
        from perftrack.importers.office import import_office

        result = import_office(path)
        read = {
            "projects": len(result.declarations),
            "indicators": sum(len(d.indicators) for d in result.declarations),
            "errors": len(result.errors),
        }
    print(json.dumps({"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(), **read}))


def _declarations(count: int) -> list:
    from perftrack.importers.form_text import import_text

    seed = import_text(SEED).declarations
    return [
        dataclasses.replace(seed[i % len(seed)], name=f"{seed[i % len(seed)].name}（{i:05d}号）") for i in range(count)
    ]


def build(work: Path, projects: int, sheets: int, rows: int) -> dict[str, Path]:
    """The three workbooks, written unless a previous run left them."""
    import openpyxl

    from tests.support import office_builders as builders

    work.mkdir(parents=True, exist_ok=True)
    files = {
        "flat": work / f"flat_{projects}.xlsx",
        "forms": work / f"forms_{sheets}.xlsx",
        "actuals": work / f"actuals_{rows}.xlsx",
    }
    if not files["flat"].exists():
        builders.write_flat_workbook(_declarations(projects), files["flat"])
    if not files["forms"].exists():
        builders.write_form_workbook(_declarations(sheets), files["forms"])
    if not files["actuals"].exists():
        decls = _declarations(max(1, rows // 100))
        names = [(d.name, i.name) for d in decls for i in d.indicators]
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("实际值")
        ws.append(["项目名称", "三级指标", "期间", "实际值", "说明"])
        for n in range(rows):
            project, indicator = names[(n // 4) % len(names)]
            ws.append([project, indicator, f"Q{n % 4 + 1}", n % 97 + 0.5, "按合同验收" if n % 7 == 0 else None])
        wb.save(files["actuals"])
    return files


def _cells(path: Path) -> int:
    """How many cells hold a value, counted from the sheets' XML."""
    import re
    import zipfile

    pattern = re.compile(rb"<c [^>]*?(?<!/)>")
    with zipfile.ZipFile(path) as archive:
        return sum(
            len(pattern.findall(archive.read(name)))
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--projects", type=int, default=1000, help="projects in the flat list")
    parser.add_argument("--sheets", type=int, default=200, help="paper-form sheets in one workbook")
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the actuals table")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "perftrack-bench-xlsx")
    parser.add_argument("--child", nargs=2, metavar=("WHAT", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return

    import perftrack

    print(f"perftrack from {Path(perftrack.__file__).parent}")
    files = build(args.work, args.projects, args.sheets, args.rows)
    print(f"{'workbook':34} {'size':>8} {'cells':>9} {'read':>8} {'peak':>9}  read")
    for what, path in files.items():
        done = subprocess.run(
            [sys.executable, __file__, "--child", what, str(path)],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        if done.returncode != 0:
            print(f"{path.name:34} failed (exit {done.returncode}): {done.stderr.strip().splitlines()[-1:]}")
            continue
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        seconds, peak = figures.pop("seconds"), figures.pop("peak_mb")
        size = f"{path.stat().st_size / 1e6:.1f} MB"
        read = ", ".join(f"{k} {v:,}" for k, v in figures.items())
        print(f"{path.name:34} {size:>8} {_cells(path):>9,} {seconds:>6.1f} s {peak:>6.0f} MB  {read}")


if __name__ == "__main__":
    main()
