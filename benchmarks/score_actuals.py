"""A department's year at city scale: ``score --json`` of every project and a two-quarter actuals import.

    .venv/bin/python benchmarks/score_actuals.py [--projects 5000] [--seed 2024] [--runs 2] [--work DIR]
                                                 [--only score,csv,xlsx]

Builds once (later runs reuse it, in ``--work``): the generated declaration forms of
``generate.py`` imported into a SQLite file with nothing recorded, each project named with its
unit (the generator gives projects of different units the same names, and an actuals table names
a project by its name), and the actuals table a department would fill in for Q1 and Q2: every
quantitative indicator's two quarters (a number, sometimes with its unit, "85%", "12.5万元"), a
qualitative one's tier in Q2 (达成 / 部分达成 / 未达成) and a note in Q1, with ``--left-out`` of the
indicators not reported (36.5 %: at 5,000 projects about 165,000 rows, the size issue 17 measured,
825,000 cells, within the 1,000,000 a workbook may hold), as CSV (UTF-8) and as .xlsx.

Then, each in a child process of its own (so each reports its own peak memory, ``VmHWM``), each
``--runs`` times: ``perftrack score --json`` of every project on the database with nothing
recorded, its output written to a file; ``perftrack actuals import`` of the CSV and of the .xlsx,
each into a fresh copy of that database (time, rows a second). Prints the machine first. A
benchmark prints figures; it never asserts.

To measure other code (the figures before a change, say), put its package first on the path:
``PYTHONPATH=/path/to/old/checkout .venv/bin/python benchmarks/score_actuals.py``; the children
then import that package.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # the generator beside this file

RESULT = "RESULT "
CHILD_FROM: set[str] = set()  # the perftrack the children imported
HEADER = ["项目名称", "三级指标", "期间", "实际值", "说明"]
TIERS = ("达成", "达成", "部分达成", "未达成")
NOTES = ("按合同验收", "已完成阶段性任务", "数据来源：年度统计报表", "")
IMPORT = "import sys; from perftrack.cli import main; sys.exit(main())"
# Run by the child: the command in this process, then its peak memory, read where Linux keeps
# it (a direct child's ru_maxrss would also hold the parent's size when it spawned the child).
# The command runs as the console script runs it (``main()``, the arguments in sys.argv).
CHILD = """
import json, sys
from perftrack.cli import main
out = sys.argv[1]
sys.argv = ["perftrack", *sys.argv[2:]]
with open(out, "w", encoding="utf-8") as sink:
    sys.stdout = sink
    try:
        code = main()
    except SystemExit as exc:
        code = exc.code
    sys.stdout = sys.__stdout__
with open("/proc/self/status", encoding="ascii") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
import perftrack
figures = {"code": code, "peak_mb": peak, "from": perftrack.__file__}
print("RESULT " + json.dumps(figures), flush=True)
"""


def build_database(work: Path, projects: int, seed: int) -> Path:
    """The generated forms imported with nothing recorded, each project named with its unit."""
    db = work / f"city_{projects}_{seed}.db"
    if db.exists():
        return db
    forms = generate.write_forms(generate.generate_forms(projects, seed), work / "forms", seed)
    partial = db.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    url = f"sqlite:///{partial.as_posix()}"
    done = subprocess.run(
        [sys.executable, "-c", IMPORT, "--db", url, "import", *map(str, forms)],
        capture_output=True,
        text=True,
        cwd=work,  # python -c puts the current folder first on the path: never the checkout
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"import of the generated forms failed: {done.stderr.strip().splitlines()[-1:]}")
    connection = sqlite3.connect(partial)
    with connection:
        # Names are unique within a unit and year; an actuals table names projects by name alone.
        connection.execute("UPDATE project SET name = name || '（' || unit || '）'")
        connection.execute("DELETE FROM project_summary")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("PRAGMA journal_mode = DELETE")  # one file, copied whole for each import
    connection.close()
    partial.rename(db)
    return db


def _typed(value: Decimal, unit: str | None, rng: random.Random) -> str:
    """A value as a person types it: the number, now and then with the target's unit."""
    text = format(value, "f")
    if unit in ("%", "万元", "元", "人次", "个") and rng.random() < 0.3:
        return text + unit
    return text


def table_rows(db: Path, seed: int, left_out: float) -> list[list[str]]:
    """Q1 and Q2 of every indicator (``left_out`` of them not reported), in the form's order."""
    from perftrack.domain.model import Kind, Target
    from perftrack.domain.units import default_rollup

    rng = random.Random(seed + 3)
    rows: list[list[str]] = []
    with sqlite3.connect(db) as connection:
        query = (
            "SELECT p.name, i.name, i.target_kind, i.target_op, i.target_value, i.target_unit "
            "FROM indicator i JOIN project p ON p.id = i.project_id WHERE NOT i.retired "
            "ORDER BY p.year, p.unit, p.name, i.position"
        )
        for project, name, kind, op, value, unit in connection.execute(query):
            if rng.random() < left_out:
                continue
            if kind != "quantitative" or value is None:
                rows.append([project, name, "Q1", "", rng.choice(NOTES[:3])])
                rows.append([project, name, "Q2", rng.choice(TIERS), rng.choice(NOTES)])
                continue
            target = Decimal(value)
            rollup = default_rollup(Target("", op, target, unit, Kind.QUANTITATIVE))
            quarters = generate._quarter_values(rng, target, op, unit, rollup)
            for period, amount in zip(("Q1", "Q2"), quarters, strict=False):
                rows.append([project, name, period, _typed(amount, unit, rng), rng.choice(NOTES)])
    return rows


def build_tables(work: Path, db: Path, seed: int, left_out: float) -> dict[str, Path]:
    """The actuals table as CSV and as .xlsx, written unless a previous run left them."""
    stem = f"{db.stem}_actuals_{round(left_out * 1000):03d}"
    files = {"csv": work / f"{stem}.csv", "xlsx": work / f"{stem}.xlsx"}
    if all(path.exists() for path in files.values()):
        return files
    import openpyxl

    rows = table_rows(db, seed, left_out)
    with open(files["csv"], "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("实际值")
    sheet.append(HEADER)
    for project, indicator, period, value, note in rows:
        # A number typed into a spreadsheet is a number cell; a value with its unit stays text.
        cell: object = value
        with contextlib.suppress(ValueError):
            cell = float(value) if value and "." in value else int(value)
        sheet.append([project, indicator, period, cell, note or None])
    partial = files["xlsx"].with_suffix(".partial.xlsx")
    book.save(partial)
    partial.rename(files["xlsx"])
    return files


def run(args: list[str], output: Path) -> dict[str, float]:
    """``perftrack ARGS`` in a child process, its stdout to ``output``; its wall time from spawn to
    exit and its peak memory."""
    # Started in the output's folder: python -c puts the current folder first on the path, and a
    # checkout there would be measured instead of the perftrack of PYTHONPATH.
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(output), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=output.parent,
    )
    seconds = time.perf_counter() - started
    for line in done.stdout.splitlines():
        if line.startswith(RESULT):
            figures = json.loads(line[len(RESULT) :])
            CHILD_FROM.add(str(Path(figures.pop("from")).parent))
            if figures["code"] not in (0, None):
                tail = done.stderr.strip().splitlines()[-3:]
                raise SystemExit(f"perftrack {' '.join(args[:3])} failed (exit {figures['code']}): {tail}")
            return {"seconds": seconds, **figures}
    raise SystemExit(f"perftrack {' '.join(args[:3])} failed: {done.stderr.strip().splitlines()[-3:]}")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=generate.YEAR)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--left-out", type=float, default=0.365, help="share of indicators without values")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "perftrack-bench-score")
    parser.add_argument("--only", default="score,csv,xlsx", help="what to measure: score, csv, xlsx")
    args = parser.parse_args()
    chosen = {part.strip() for part in args.only.split(",") if part.strip()}

    import perftrack

    print(f"machine: {generate.machine()}")
    print(f"perftrack from {Path(perftrack.__file__).parent}")
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    db = build_database(args.work, args.projects, args.seed)
    files = build_tables(args.work, db, args.seed, args.left_out)
    with sqlite3.connect(db) as connection:
        projects = connection.execute("SELECT count(*) FROM project").fetchone()[0]
        indicators = connection.execute("SELECT count(*) FROM indicator WHERE NOT retired").fetchone()[0]
    with open(files["csv"], encoding="utf-8") as table:
        rows = sum(1 for _ in table) - 1
    print(
        f"data: {projects:,} projects, {indicators:,} indicators; actuals table {rows:,} rows "
        f"(set up in {time.perf_counter() - started:.1f} s, {args.work})"
    )

    if "score" in chosen:
        output = args.work / "score.json"
        figures = [run(["--db", str(db), "score", "--json"], output) for _ in range(args.runs)]
        seconds = [f["seconds"] for f in figures]
        print(
            f"score --json, every project, nothing recorded: median {statistics.median(seconds):.2f} s "
            f"({', '.join(f'{s:.2f}' for s in seconds)}), peak {max(f['peak_mb'] for f in figures):.0f} MB, "
            f"output {output.stat().st_size / 1e6:.1f} MB sha256 {_digest(output)}"
        )
    for kind in ("csv", "xlsx"):
        if kind not in chosen:
            continue
        figures = []
        for _ in range(args.runs):
            copy = args.work / f"import-{kind}.db"
            shutil.copyfile(db, copy)
            figures.append(run(["--db", str(copy), "actuals", "import", str(files[kind])], args.work / "import.txt"))
        seconds = [f["seconds"] for f in figures]
        median = statistics.median(seconds)
        said = (args.work / "import.txt").read_text(encoding="utf-8").strip()
        each = ", ".join(f"{s:.1f}" for s in seconds)
        print(
            f"actuals import ({kind}, {rows:,} rows): median {median:.1f} s ({each}), {rows / median:,.0f} rows/s, "
            f"peak {max(f['peak_mb'] for f in figures):.0f} MB; said: {said}"
        )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; children ran {CHILD_FROM}")


if __name__ == "__main__":
    main()
