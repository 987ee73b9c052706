"""How long a write takes while other writers are at it: N processes recording values at once.

    .venv/bin/python benchmarks/contention.py [--writers 4] [--records 195] [--work DIR] [--postgresql]

Imports the 13 sample forms into a fresh SQLite file, then starts N processes that each record a
value for every indicator (195) in a period of its own, one transaction per value as a person
typing or ``perftrack record`` does. Prints the machine, the failures (there should be none: writers
queue behind BEGIN IMMEDIATE) and the time per write: median, 95th percentile and worst, alone and
under contention. With --postgresql the same runs on a private PostgreSQL server started for the
purpose (the tests' one: Debian's postgresql package), where writers queue on an advisory lock.
Prints figures; it never fails on time.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from perftrack.domain.periods import QUARTERS  # noqa: E402
from perftrack.importers import read_declarations  # noqa: E402
from perftrack.paths import sample_files  # noqa: E402
from perftrack.store.actuals import assessed_by_tier, record_actual  # noqa: E402
from perftrack.store.database import open_database  # noqa: E402
from perftrack.store.errors import StoreError  # noqa: E402
from perftrack.store.schema import Indicator  # noqa: E402
from perftrack.store.upsert import import_declarations  # noqa: E402


def writer(url: str, period: str, records: int, start: float, queue: multiprocessing.Queue) -> None:
    from sqlalchemy import select

    times: list[float] = []
    failures = 0
    with open_database(url) as db:
        with db.reading() as session:
            ids = list(session.scalars(select(Indicator.id).order_by(Indicator.id)))[:records]
        while time.time() < start:  # all writers begin together
            time.sleep(0.001)
        for n, ind_id in enumerate(ids):
            t0 = time.perf_counter()
            try:
                with db.session() as session:
                    ind = session.get(Indicator, ind_id)
                    record_actual(session, ind, period, "达成" if assessed_by_tier(ind) else str(n + 1))
            except StoreError:
                failures += 1
            times.append(time.perf_counter() - t0)
    queue.put((times, failures))


def run(url: str, writers: int, records: int) -> tuple[list[float], int, float]:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    start = time.time() + 3  # time for the processes to import and open the database
    procs = [ctx.Process(target=writer, args=(url, QUARTERS[k % 4], records, start, queue)) for k in range(writers)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    wall = max(0.0, time.time() - start)
    return [t for times, _ in results for t in times], sum(f for _, f in results), wall


def describe(label: str, times: list[float], failures: int, wall: float) -> None:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(
        f"{label}: {len(ms)} writes, {failures} failed, in {wall:.1f} s; per write median "
        f"{statistics.median(ms):.1f} ms, 95th {p95:.1f} ms, worst {ms[-1]:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--records", type=int, default=195)
    parser.add_argument("--work", type=Path, default=Path(tempfile.mkdtemp(prefix="perftrack-contention-")))
    parser.add_argument("--postgresql", action="store_true", help="on a private PostgreSQL server, not SQLite")
    args = parser.parse_args()
    server = None
    if args.postgresql:
        from tests.support.postgres import PostgresServer

        server = PostgresServer().start()
    print(
        f"machine: {platform.system()} {platform.release()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(f"database: {'PostgreSQL (private server)' if server else 'SQLite file'}")
    args.work.mkdir(parents=True, exist_ok=True)
    try:
        for writers, label in ((1, "one writer"), (args.writers, f"{args.writers} writers at once")):
            if server is not None:
                url = server.url(server.create_database(migrated=False))
            else:
                db_file = args.work / f"contention-{writers}.db"
                db_file.unlink(missing_ok=True)
                url = f"sqlite:///{db_file}"
            with open_database(url) as db, db.session() as session:
                import_declarations(session, read_declarations(sample_files()).declarations)
            describe(label, *run(url, writers, args.records))
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
