"""Shared fixtures: every test gets its own data folder, and store tests a real database.

The database is an SQLite file in the test's temporary folder, or, with ``--backend postgresql``
(or ``PERFTRACK_TEST_BACKEND=postgresql``), a fresh database on a private PostgreSQL server
started for the test session (tests/support/postgres.py). Tests marked ``sqlite_only`` (a backup
of the file, its pragmas, damage to it) are deselected on PostgreSQL and those marked
``postgres_only`` on SQLite, and each run says how many it left out. When PostgreSQL was asked
for and its server cannot start, every test that needs it fails with the reason: none is skipped.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from perftrack.domain.periods import MONTHS, QUARTERS, YEAR
from perftrack.importers import read_declarations
from perftrack.paths import sample_files
from perftrack.store import Database
from perftrack.store.actuals import assessed_by_tier, record_actual
from perftrack.store.database import open_database, store_url
from perftrack.store.schema import Indicator, Project
from perftrack.store.settings import (
    set_budget,
    set_deduction,
    set_full_year_budget,
    set_indicator_field,
    set_reporting,
)
from perftrack.store.upsert import import_declarations
from tests.support.postgres import PostgresServer, ServerError

BACKENDS = ("sqlite", "postgresql")
BACKEND_ENV = "PERFTRACK_TEST_BACKEND"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=BACKENDS,
        default=os.environ.get(BACKEND_ENV) or "sqlite",
        help=f"the database the store tests use (default: ${BACKEND_ENV}, else sqlite)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: a test of the SQLite file itself; not run on PostgreSQL")
    config.addinivalue_line("markers", "postgres_only: a test of the server database; run with --backend postgresql")


def pytest_report_header(config: pytest.Config) -> str:
    return f"database backend: {config.getoption('--backend')}"


# The fixtures through which a test reaches the backend's database.
_DATABASE_FIXTURES = ("db_url", "postgres_server")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On PostgreSQL, run only the tests that use its database (the rest would repeat the SQLite
    run exactly) and none marked sqlite_only; on SQLite, none marked postgres_only."""
    on_server = config.getoption("--backend") == "postgresql"
    reasons: dict[str, int] = {}
    kept: list[pytest.Item] = []
    left_out: list[pytest.Item] = []
    for item in items:
        reason = None
        if on_server and item.get_closest_marker("sqlite_only"):
            reason = "marked sqlite_only"
        elif on_server and not any(name in getattr(item, "fixturenames", ()) for name in _DATABASE_FIXTURES):
            reason = "use no database"
        elif not on_server and item.get_closest_marker("postgres_only"):
            reason = "marked postgres_only (run with --backend postgresql)"
        if reason is None:
            kept.append(item)
        else:
            left_out.append(item)
            reasons[reason] = reasons.get(reason, 0) + 1
    if left_out:
        items[:] = kept
        config.hook.pytest_deselected(items=left_out)
    config.stash[_LEFT_OUT] = reasons


_LEFT_OUT = pytest.StashKey[dict[str, int]]()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    reasons = config.stash.get(_LEFT_OUT, {})
    if reasons:
        backend = config.getoption("--backend")
        said = "; ".join(f"{count} {reason}" for reason, count in reasons.items())
        terminalreporter.write_line(f"database backend {backend}: left out {said}")


@pytest.fixture(scope="session")
def backend(pytestconfig: pytest.Config) -> str:
    """The database the store tests run on: "sqlite" or "postgresql"."""
    return str(pytestconfig.getoption("--backend"))


@pytest.fixture(scope="session")
def postgres_server(backend: str) -> Iterator[PostgresServer]:
    """The session's private PostgreSQL server (only started when the backend is postgresql)."""
    if backend != "postgresql":
        pytest.fail("this test needs the PostgreSQL server: run it with --backend postgresql")
    server: PostgresServer | None = None
    try:
        server = PostgresServer()
        server.start()
    except (ServerError, OSError, subprocess.SubprocessError) as exc:
        if server is not None:
            server.stop()
        pytest.fail(f"--backend postgresql was asked for, but the test server could not start: {exc}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def db_url(backend: str, db_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of the test's own database: an SQLite file (not yet created), or a fresh PostgreSQL
    database already migrated to the newest schema, dropped after the test. For a test that uses
    ``varied``, a copy of the varied seed (made once a session: seeding takes a second or two)."""
    seeded = request.getfixturevalue("_varied_source") if "varied" in request.fixturenames else None
    if backend != "postgresql":
        if seeded is not None:
            with (
                contextlib.closing(sqlite3.connect(seeded)) as source,
                contextlib.closing(sqlite3.connect(db_path)) as copy,
            ):
                source.backup(copy)
        yield f"sqlite:///{db_path.as_posix()}"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database(template=seeded)
    yield server.url(name)
    _delete_closed_windows()
    server.drop_database(name)


def _delete_closed_windows() -> None:
    """Delete now the windows the test closed (pytest-qt only asks for it): their timers would
    otherwise go on reading the test's database, and fail in a later test once it is dropped."""
    qtcore = sys.modules.get("PySide6.QtCore")
    if qtcore is not None and qtcore.QCoreApplication.instance() is not None:
        qtcore.QCoreApplication.sendPostedEvents(None, qtcore.QEvent.Type.DeferredDelete)


@pytest.fixture
def other_program(db_url: str) -> Iterator[Callable[..., None]]:
    """Run SQL as another program would on the test's database: its own connection, none of
    perftrack's settings, committed at once. ``other_program(sql, **params)``."""
    engine = create_engine(store_url(db_url))

    def run(statement: str, **params: object) -> None:
        with engine.begin() as connection:
            connection.execute(text(statement), params)

    yield run
    engine.dispose()


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the user's real data folder and database."""
    monkeypatch.setenv("PERFTRACK_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("PERFTRACK_DB", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the test's SQLite database lives (not created until opened)."""
    return tmp_path / "perftrack.db"


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    """An opened, migrated perftrack database: the test's own (see ``db_url``)."""
    db = Database.open(db_url)
    yield db
    db.close()


# -- the seed with every kind of user data: shared by the tests that compare two ways of scoring --


def _numeric(project: Project) -> list[Indicator]:
    return [i for i in project.indicators if not assessed_by_tier(i)]


def _by_tier(project: Project) -> list[Indicator]:
    return [i for i in project.indicators if assessed_by_tier(i)]


def _vary(session: Session, project: Project, k: int) -> None:
    """Give the k-th seed project its own mix of the user's data."""
    numeric, tiers = _numeric(project), _by_tier(project)
    monthly = k % 3 == 1
    if monthly:
        set_reporting(session, project, "monthly")
    periods = MONTHS[:7] if monthly else QUARTERS[:3]
    for n, ind in enumerate(numeric):
        target = ind.target_value or Decimal(1)
        # Under, at and over the target in turn; some indicators also get the year's figure.
        factors = (Decimal("0.4"), Decimal("1"), Decimal("1.3"))
        for p, period in enumerate(periods[: 1 + (n + k) % len(periods)]):
            value = (target * factors[(n + p) % 3] / len(periods)).quantize(Decimal("0.01"))
            record_actual(session, ind, period, str(value))
        if (n + k) % 4 == 0:
            record_actual(session, ind, YEAR, str((target * factors[n % 3]).quantize(Decimal("0.01"))))
    for n, ind in enumerate(tiers):
        if (n + k) % 3 == 0:
            record_actual(session, ind, YEAR, "部分达成", percent="75")
        elif (n + k) % 3 == 1:
            record_actual(session, ind, periods[0], "达成")
    if numeric and k % 2 == 0:
        set_indicator_field(session, numeric[0], "rollup", "latest")
    if len(numeric) > 1 and k % 4 == 1:
        set_indicator_field(session, numeric[1], "rollup", "sum")
    if len(numeric) > 2 and k % 5 == 2:
        set_indicator_field(session, numeric[2], "rollup", "qualitative")
        record_actual(session, numeric[2], YEAR, "未达成")
    if k % 3 == 0:
        # Set points: 90 in all (as the rules ask) on some projects, over 90 on others.
        total = Decimal(90) if k % 2 == 0 else Decimal(96)
        share = (total / len(project.indicators)).quantize(Decimal("0.01"))
        for ind in project.indicators[:-1]:
            set_indicator_field(session, ind, "points", str(share))
        rest = total - share * (len(project.indicators) - 1)
        set_indicator_field(session, project.indicators[-1], "points", str(rest))
    if numeric and k % 4 == 3:
        set_deduction(session, numeric[-1], "1", "资料不全")
        set_indicator_field(session, numeric[-1], "deviation_reason", "进度滞后")
        set_indicator_field(session, numeric[-1], "monitor_chance", "有可能")
        set_indicator_field(session, numeric[-1], "monitor_expected", "80")
    if k % 4 == 2 and len(project.indicators) > 3:
        # A retired indicator keeps its figures; neither load may score it.
        gone = project.indicators[1]
        record_actual(session, gone, YEAR, "达成" if assessed_by_tier(gone) else "1")
        gone.retired = True
    if k % 2 == 1 and project.annual_total:
        set_full_year_budget(session, project, str(project.annual_total * Decimal("0.9")))
    if k % 6 == 5:
        # A later form changed a target's unit under recorded figures: 万元 → 亿元 converts,
        # 次 → 人 cannot (the figure is then left out and the problem named).
        for ind in numeric:
            if ind.actuals and ind.target_unit == "万元":
                ind.target_unit = "亿元"
                break
        for ind in numeric:
            if ind.actuals and ind.target_unit not in ("万元", "亿元", None):
                ind.target_unit = "人" if ind.target_unit != "人" else "次"
                break
    if project.annual_total and k % 5 != 4:
        set_budget(session, project, str(project.annual_total * Decimal("0.3")), period=periods[0])
        if k % 3 == 2:
            set_budget(session, project, str(project.annual_total * Decimal("0.85")), period=YEAR)


def seed_varied(url: str) -> Database:
    """Open the database at ``url`` and give it the seed, every project with its own user data."""
    database = open_database(url)
    result = read_declarations(sample_files())
    assert not result.errors
    with database.session() as session:
        import_declarations(session, result.declarations, source_label="seed")
    with database.session() as session:
        projects = list(session.scalars(select(Project).order_by(Project.id)))
        assert len(projects) == 13
        for k, project in enumerate(projects):
            _vary(session, project, k)
    return database


@pytest.fixture(scope="session")
def _varied_source(backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> str:
    """The varied seed, made once: an SQLite file's path, or a PostgreSQL template's name."""
    if backend != "postgresql":
        path = tmp_path_factory.mktemp("varied") / "varied.db"
        seed_varied(f"sqlite:///{path.as_posix()}").close()
        return str(path)
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = server.create_database()
    seed_varied(server.url(name)).close()
    server.make_template(name)
    return name


@pytest.fixture
def varied(db_url: str) -> Iterator[Database]:
    """The seed in the test's own database, every project given its own user data."""
    database = open_database(db_url)
    yield database
    database.close()
