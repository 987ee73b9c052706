"""Several writers at once on one SQLite file: they queue and all succeed; a reader never blocks them.

Each writing action begins its transaction with BEGIN IMMEDIATE (store/database.py), so writers
wait for each other up to the busy timeout. Before, a deferred transaction that read and then wrote
failed at once with "database is locked" whenever another writer was active (59 of 732 records from
four CLI processes were lost that way).
"""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from perftrack.domain.periods import QUARTERS
from perftrack.importers import read_declarations
from perftrack.paths import sample_files
from perftrack.store.actuals import assessed_by_tier, record_actual
from perftrack.store.database import open_database
from perftrack.store.errors import StoreError
from perftrack.store.schema import Actual, Audit, Indicator
from perftrack.store.upsert import import_declarations

WORKERS = 4


def _sample(url: str) -> None:
    with open_database(url) as db, db.session() as session:
        import_declarations(session, read_declarations(sample_files()).declarations)


def _worker(url: str, period: str, queue: multiprocessing.Queue) -> None:
    """Record a value for every indicator in one period, each in its own transaction, as users do."""
    failures = []
    with open_database(url) as db:
        with db.reading() as session:
            ids = list(session.scalars(select(Indicator.id).order_by(Indicator.id)))
        for n, ind_id in enumerate(ids):
            try:
                with db.session() as session:
                    ind = session.get(Indicator, ind_id)
                    text = "达成" if assessed_by_tier(ind) else str(n + 1)
                    record_actual(session, ind, period, text, user=f"writer-{period}")
            except StoreError as exc:
                failures.append(str(exc))
    queue.put((period, len(ids), failures))


def test_four_processes_writing_at_once_all_succeed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    _sample(url)
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(url, period, queue)) for period in QUARTERS[:WORKERS]]
    for p in procs:
        p.start()
    results = [queue.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert all(not failures for _, _, failures in results), results
    written = sum(count for _, count, _ in results)
    assert written == WORKERS * 195
    with open_database(url) as db, db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Actual)) == written
        # every value's audit row, and the old value it names is the one really replaced (none here)
        audited = session.scalar(select(func.count()).select_from(Audit).where(Audit.user.like("writer-%")))
        assert audited >= written


def test_a_writer_held_up_too_long_gets_one_message_and_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    from perftrack.store import database

    url = f"sqlite:///{tmp_path / 'held.db'}"
    _sample(url)
    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(tmp_path / "held.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock and does not let go
    try:
        with open_database(url) as db:
            db.engine.dispose()  # new connections get the short timeout set above
            with pytest.raises(StoreError) as caught, db.session() as session:
                ind = session.scalars(select(Indicator).limit(1)).one()
                record_actual(session, ind, "Q1", "1")
            assert "正被其他用户或程序写入" in str(caught.value) and "未写入任何内容" in str(caught.value)
            with db.reading() as session:  # a reader is not held up by the writer
                assert session.scalar(select(func.count()).select_from(Actual)) == 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_the_window_and_three_writing_processes_all_get_their_values_in(qtbot, tmp_path: Path) -> None:
    """The GUI's own store path (Workspace.apply, one transaction per paste) while three processes write."""
    from perftrack.ui.snapshots import EditKey
    from perftrack.ui.workspace import Workspace

    url = f"sqlite:///{tmp_path / 'team.db'}"
    _sample(url)
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(url, period, queue)) for period in QUARTERS[:3]]
    for p in procs:
        p.start()
    with open_database(url) as db:
        workspace = Workspace(db)
        with db.reading() as session:
            rows = [(i.project_id, i.id, assessed_by_tier(i)) for i in session.scalars(select(Indicator))]
        refused = []
        for project_id, ind_id, by_tier in rows:  # the user types a Q4 value into every row
            refused += workspace.apply([(EditKey(project_id, ind_id, "Q4"), "部分达成" if by_tier else "7")])
        results = [queue.get(timeout=300) for _ in procs]
        for p in procs:
            p.join(timeout=60)
        assert refused == [None] * len(rows)
        assert all(not failures for _, _, failures in results), results
        with db.reading() as session:
            per_period = dict(session.execute(select(Actual.period, func.count()).group_by(Actual.period)).all())
        workspace.deleteLater()
    assert per_period == {"Q1": 195, "Q2": 195, "Q3": 195, "Q4": 195}
