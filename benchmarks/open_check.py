"""What opening a database costs for its soundness check, at city scale.

    .venv/bin/python benchmarks/open_check.py [--projects 5000] [--seed 2024] [--work DIR] [--runs 5]

Every time perftrack opens an SQLite file it runs ``PRAGMA quick_check`` first (a damaged file is
named, with the way back, before anything reads or writes it). This prints, for a database of
``--projects`` generated projects with two quarters recorded (``generate.two_quarter_database``,
made once in ``--work`` and reused): the file's size, the check alone on a fresh connection, and
the whole ``open_database`` (engine, check, migrations looked at, the daily backup already made),
each the median of ``--runs`` after one discarded run, with the machine first. The file is read
from the page cache, as on a PC that opened it a moment ago; a first open after a restart reads it
from disk as well. A benchmark prints; it never asserts.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # the generator beside this file


def _median_ms(action, runs: int) -> float:
    times = []
    for n in range(runs + 1):
        started = time.perf_counter()
        action()
        if n:  # the first run warms the page cache
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=generate.YEAR)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, help="folder for the forms and the database (kept, reused)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="perftrack-bench-open-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {generate.machine()}", flush=True)
    db = generate.two_quarter_database(work, args.projects, args.seed, "open")

    from perftrack.store.database import open_database

    open_database(f"sqlite:///{db.as_posix()}").close()  # the day's automatic backup, out of the way

    def check() -> None:
        with sqlite3.connect(db) as connection:
            assert connection.execute("PRAGMA quick_check").fetchone()[0] == "ok"

    def open_it() -> None:
        open_database(f"sqlite:///{db.as_posix()}").close()

    with sqlite3.connect(db) as connection:
        projects = connection.execute("SELECT count(*) FROM project").fetchone()[0]
        indicators = connection.execute("SELECT count(*) FROM indicator").fetchone()[0]
    size = db.stat().st_size / 1e6
    print(f"{projects} projects, {indicators} indicators, two quarters recorded: {db.name}, {size:.1f} MB")
    print(f"PRAGMA quick_check on a fresh connection: {_median_ms(check, args.runs):.0f} ms (median of {args.runs})")
    print(f"open_database, check included: {_median_ms(open_it, args.runs):.0f} ms (median of {args.runs})")
    print(f"load average: {generate.load_average()}")


if __name__ == "__main__":
    main()
