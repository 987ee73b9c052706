"""Kept summaries (``project_summary``): used while valid, dropped by any change, never stale.

Each test works on a real database: an SQLite file, or with ``--backend postgresql`` a database
on a PostgreSQL server, whose triggers (migration 0003) drop and count instead of SQLite's
(0002). "Fresh" is ``score_summaries(keep=False)``, which reads and writes no kept row; a kept
list must always equal it.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from perftrack.importers import read_declarations
from perftrack.paths import sample_files
from perftrack.store import migrate, summaries
from perftrack.store.actuals import assessed_by_tier, clear_actual, record_actual
from perftrack.store.database import BUSY_TIMEOUT_MS, Database, open_database, store_url
from perftrack.store.schema import Indicator, KeptSummary, Project
from perftrack.store.settings import (
    set_budget,
    set_deduction,
    set_full_year_budget,
    set_grade_labels,
    set_indicator_field,
    set_reporting,
)
from perftrack.store.summaries import score_summaries
from perftrack.store.upsert import import_declarations
from tests.support.databases import first_schema_file

TODAY = dt.date(2024, 8, 15)


def _kept_ids(session: Session) -> set[int]:
    return set(session.scalars(select(KeptSummary.project_id)))


def _no_computing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a kept summary should have been used")

    monkeypatch.setattr(summaries, "_compute", refuse)


def test_summaries_are_kept_and_read_back(varied: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    with varied.session() as session:
        first = score_summaries(session, today=TODAY)
        assert _kept_ids(session) == {s.project_id for s in first}
    _no_computing(monkeypatch)
    with varied.session() as session:
        assert score_summaries(session, today=TODAY) == first
        ids = [first[3].project_id, first[0].project_id]
        assert score_summaries(session, ids, today=TODAY) == [first[0], first[3]]
    monkeypatch.undo()
    with varied.session() as session:
        assert score_summaries(session, keep=False, today=TODAY) == first


def _first_numeric(session: Session) -> Indicator:
    project = session.scalars(select(Project).order_by(Project.id)).first()
    assert project is not None
    return next(i for i in project.indicators if not assessed_by_tier(i) and not i.retired)


# Every way the store changes what a score is computed from; each must drop the kept summary.
CHANGES: dict[str, Callable[[Session, Indicator], None]] = {
    "record an actual": lambda s, i: record_actual(s, i, "Q4", "1"),
    "clear an actual": lambda s, i: clear_actual(s, i, next(a.period for a in i.actuals)),
    "set points": lambda s, i: set_indicator_field(s, i, "points", "1"),
    "set the roll-up": lambda s, i: set_indicator_field(s, i, "rollup", "qualitative"),
    "write a deviation analysis": lambda s, i: set_indicator_field(s, i, "deviation_reason", "天气原因"),
    "deduct": lambda s, i: set_deduction(s, i, "2", "资料不全"),
    "record spending": lambda s, i: set_budget(s, i.project, "12345", period="Q4"),
    "adjust the full-year budget": lambda s, i: set_full_year_budget(s, i.project, "1"),
    "report monthly": lambda s, i: set_reporting(s, i.project, "monthly"),
    "retire the indicator": lambda s, i: setattr(i, "retired", True),
    "change the target": lambda s, i: setattr(i, "target_value", Decimal("0.5")),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_any_change_drops_the_kept_summary(varied: Database, change: str) -> None:
    with varied.session() as session:
        before = score_summaries(session, today=TODAY)
    with varied.session() as session:
        indicator = _first_numeric(session)
        project_id = indicator.project_id
        if change == "clear an actual" and not indicator.actuals:
            record_actual(session, indicator, "Q1", "1")
            session.flush()
        CHANGES[change](session, indicator)
    with varied.session() as session:
        kept = _kept_ids(session)
        assert project_id not in kept
        assert kept == {s.project_id for s in before} - {project_id}  # the other projects keep theirs
        after = score_summaries(session, today=TODAY)
        assert after == score_summaries(session, keep=False, today=TODAY)


def test_a_change_written_by_another_program_drops_it_too(varied: Database, other_program) -> None:
    with varied.session() as session:
        score_summaries(session, today=TODAY)
        indicator = _first_numeric(session)
        indicator_id, project_id = indicator.id, indicator.project_id
    other_program("UPDATE actual SET value = '0' WHERE indicator_id = :i", i=indicator_id)
    other_program("UPDATE project SET annual_total = '1' WHERE id = (SELECT MAX(id) FROM project)")
    with varied.session() as session:
        kept = _kept_ids(session)
        last = session.scalar(select(func.max(Project.id)))
        assert project_id not in kept and last not in kept
        assert score_summaries(session, today=TODAY) == score_summaries(session, keep=False, today=TODAY)


def test_a_deleted_project_takes_its_summary_with_it(varied: Database) -> None:
    with varied.session() as session:
        score_summaries(session, today=TODAY)
        project = session.scalars(select(Project).order_by(Project.id)).first()
        assert project is not None
        gone = project.id
        session.delete(project)
    with varied.session() as session:
        assert gone not in _kept_ids(session)
        assert gone not in {s.project_id for s in score_summaries(session, today=TODAY)}


def test_changing_the_grade_words_needs_no_rescoring(varied: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    with varied.session() as session:
        national = score_summaries(session, today=TODAY)
        set_grade_labels(session, "shanghai")
    _no_computing(monkeypatch)
    with varied.session() as session:
        shanghai = score_summaries(session, today=TODAY)
    monkeypatch.undo()
    with varied.session() as session:
        assert shanghai == score_summaries(session, keep=False, today=TODAY)
    assert [s.total for s in shanghai] == [s.total for s in national]
    assert "不合格" in {s.grade for s in shanghai} and "差" in {s.grade for s in national}


def test_summaries_kept_by_other_scoring_code_are_not_used(varied: Database) -> None:
    with varied.session() as session:
        fresh = score_summaries(session, today=TODAY)
        # As if an older program had kept them: same rows, another fingerprint, wrong totals.
        session.execute(KeptSummary.__table__.update().values(rules="older", total="1.00"))
    with varied.session() as session:
        assert score_summaries(session, today=TODAY) == fresh


def test_a_summary_read_before_another_users_change_is_not_kept(
    varied: Database, other_program, monkeypatch: pytest.MonkeyPatch
) -> None:
    with varied.session() as session:
        indicator = _first_numeric(session)
        indicator_id, project_id = indicator.id, indicator.project_id
    compute = summaries._compute

    def another_user_writes_first(*args, **kwargs):
        # Between the listing's first reads and its reading of the figures, another user records.
        other_program("UPDATE actual SET value = '0' WHERE indicator_id = :i", i=indicator_id)
        monkeypatch.setattr(summaries, "_compute", compute)
        return compute(*args, **kwargs)

    monkeypatch.setattr(summaries, "_compute", another_user_writes_first)
    with varied.reading() as session:  # a listing reads: it holds no lock another user waits for
        session.scalar(select(func.count(Project.id)))  # this transaction's first read
        listed = score_summaries(session, today=TODAY)
        # SQLite refuses the write from its old snapshot; PostgreSQL's count of the project moved on
        assert project_id not in _kept_ids(session)
    with varied.session() as session:
        now = score_summaries(session, today=TODAY)
        assert now == score_summaries(session, keep=False, today=TODAY)
        assert project_id in _kept_ids(session)
    assert {s.project_id for s in listed} == {s.project_id for s in now}


@pytest.mark.sqlite_only
def test_a_busy_database_gets_no_summaries_kept_and_no_wait(varied: Database, db_path: Path) -> None:
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another user holds the write lock
    try:
        with varied.reading() as session:
            listed = score_summaries(session, today=TODAY)
            assert len(listed) == 13 and _kept_ids(session) == set()
            raw = session.connection().connection.driver_connection
            assert raw.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS  # restored
    finally:
        other.execute("ROLLBACK")
        other.close()


@pytest.mark.postgres_only
def test_a_writer_in_progress_gets_no_summaries_kept_and_no_wait(varied: Database, db_url: str) -> None:
    import time

    import psycopg

    from perftrack.store.database import store_url

    with varied.session() as session:
        indicator_id = _first_numeric(session).id
    dsn = make_url(store_url(db_url)).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as other:  # another user has written, not yet committed
        other.execute("UPDATE actual SET value = '0' WHERE indicator_id = %s", (indicator_id,))
        started = time.monotonic()
        with varied.reading() as session:
            listed = score_summaries(session, today=TODAY)
            assert len(listed) == 13 and _kept_ids(session) == set()
            # the wait for the lock is the program's again
            assert session.scalar(text("SELECT current_setting('lock_timeout')")) == "0"
        assert time.monotonic() - started < 5
        other.rollback()
    with varied.session() as session:
        score_summaries(session, today=TODAY)
        assert len(_kept_ids(session)) == 13
        assert session.scalar(text("SELECT current_setting('lock_timeout')")) == f"{BUSY_TIMEOUT_MS // 1000}s"


def test_a_project_without_figures_is_summarized_the_same_any_day(database: Database) -> None:
    """Kept summaries ignore the date: true because a project with no figures has none to place."""
    with database.session() as session:
        import_declarations(session, read_declarations(sample_files()).declarations, source_label="seed")
    with database.session() as session:
        before_the_year = score_summaries(session, today=dt.date(2023, 1, 5))
    with database.session() as session:
        later = [score_summaries(session, keep=False, today=dt.date(y, m, 1)) for y, m in ((2024, 5), (2026, 1))]
    assert later == [before_the_year, before_the_year]


@pytest.mark.sqlite_only
def test_a_database_of_the_first_schema_is_upgraded_with_its_data(tmp_path: Path) -> None:
    path = first_schema_file(tmp_path / "old.db")
    database = open_database(f"sqlite:///{path.as_posix()}")
    try:
        with database.session() as session:
            (summary,) = score_summaries(session, today=TODAY)
            assert _kept_ids(session) == {summary.project_id}
        with sqlite3.connect(path) as conn:
            triggers = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert len(triggers) == 12
        assert "project_summary_stale_on_actual_insert" in triggers
    finally:
        database.close()


@pytest.mark.postgres_only
def test_a_server_database_an_earlier_version_made_is_upgraded_and_keeps_summaries(postgres_server) -> None:
    """Version 0002 made no triggers on PostgreSQL and kept nothing there; 0003 adds them."""
    name = postgres_server.create_database(migrated=False)
    try:
        url = postgres_server.url(name)
        engine = create_engine(store_url(url))
        with engine.begin() as connection:
            command.upgrade(migrate.alembic_config(connection), "0002")
            connection.exec_driver_sql(
                "INSERT INTO project (year, unit, name, reporting, created_at, updated_at)"
                " VALUES (2024, '某单位', '旧项目', 'quarterly', '2024-01-01 00:00:00', '2024-01-01 00:00:00')"
            )
        engine.dispose()
        with open_database(url) as database:
            with database.session() as session:
                (summary,) = score_summaries(session, today=TODAY)
                assert _kept_ids(session) == {summary.project_id}
                triggers = set(session.scalars(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")))
                assert len(triggers) == 13
                assert "project_summary_stale_on_actual_insert" in triggers
            with database.session() as session:  # a project made after the upgrade is counted from the start
                session.add(Project(year=2024, unit="某单位", name="新项目"))
            with database.session() as session:
                assert len(score_summaries(session, today=TODAY)) == 2 and len(_kept_ids(session)) == 2
                session.scalars(select(Project).where(Project.name == "旧项目")).one().reporting = "monthly"
            with database.session() as session:
                assert len(_kept_ids(session)) == 1
    finally:
        postgres_server.drop_database(name)


def test_the_rules_fingerprint_follows_the_scoring_code(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert summaries.rules_fingerprint() == summaries.rules_fingerprint()
    # A stand-in rule module whose code changes between two versions of the program.
    probe = tmp_path / "perftrack_rules_probe.py"
    probe.write_text("def met(actual, goal):\n    return actual >= goal\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(summaries, "rule_modules", lambda: ("perftrack_rules_probe",))
    summaries.code_fingerprint.cache_clear()
    try:
        before = summaries.rules_fingerprint()
        probe.write_text("def met(actual, goal):\n    return actual > goal\n", encoding="utf-8")
        importlib.invalidate_caches()
        summaries.code_fingerprint.cache_clear()
        assert summaries.rules_fingerprint() != before
    finally:
        summaries.code_fingerprint.cache_clear()


@pytest.mark.postgres_only
def test_scores_on_postgresql_equal_sqlites(varied: Database, tmp_path: Path, capsys) -> None:
    """The same user data in a file and on the server: the same scores, in full and in brief."""
    from perftrack import cli
    from tests.conftest import seed_varied

    on_file = seed_varied(f"sqlite:///{(tmp_path / 'same.db').as_posix()}")
    try:
        with varied.session() as server, on_file.session() as file:
            assert score_summaries(server, today=TODAY) == score_summaries(file, today=TODAY)
            assert score_summaries(server, today=TODAY) == score_summaries(file, keep=False, today=TODAY)  # kept
    finally:
        on_file.close()
    for args in (["score", "--json"], ["score", "--summary", "--json"], ["score", "--as-of", "Q2"]):
        printed = []
        for url in (varied.url, on_file.url):
            assert cli.main([*args, "--db", url]) == 0
            printed.append(capsys.readouterr().out)
        assert printed[0] == printed[1], args
    totals = {p["total"] for p in json.loads(printed_json(varied.url, capsys))["projects"]}
    assert len(totals) > 5  # real and different scores, not 13 empty ones


def printed_json(url: str, capsys) -> str:
    from perftrack import cli

    assert cli.main(["score", "--summary", "--json", "--db", url]) == 0
    return capsys.readouterr().out


def test_the_fingerprint_covers_every_module_the_scorers_import() -> None:
    """Kept scores go stale when any code that computes them changes: the modules are found from the
    scorers' own imports, so a module added to the scoring path is covered without being listed."""
    from perftrack.store.summaries import rule_modules

    covered = set(rule_modules())
    # Missed by the hand-written list this replaced: they turn stored text into the scorer's figures.
    assert {"perftrack.store.convert", "perftrack.store.coltypes", "perftrack.store.records"} <= covered
    assert {f"perftrack.domain.{m}" for m in ("attainment", "scoring", "summary", "units", "points")} <= covered
    assert not any(m.startswith(("perftrack.ui", "perftrack.export", "perftrack.report")) for m in covered)
    assert "perftrack.paths" not in covered
