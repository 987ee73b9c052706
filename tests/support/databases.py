"""Looking into a test's database from outside perftrack, whichever backend it is on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from perftrack.paths import sqlite_file
from perftrack.store.database import store_url


def query(url: str, statement: str, **params: Any) -> list[tuple[Any, ...]]:
    """The rows of one statement, read on a connection of its own."""
    engine = create_engine(store_url(url))
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(statement), params)]
    finally:
        engine.dispose()


def count_rows(url: str, table: str) -> int:
    """How many rows a table holds."""
    return int(query(url, f"SELECT count(*) FROM {table}")[0][0])


def untouched(url: str) -> bool:
    """True when nothing was written: no SQLite file made, or no project in the server database."""
    db_file = sqlite_file(url)
    if db_file is not None:
        return not db_file.exists()
    return count_rows(url, "project") == 0 and count_rows(url, "audit") == 0


def kept_evidence(url: str, evidence_dir: Path) -> dict[str, bytes]:
    """Every evidence file kept for a database, by its name there: in the folder beside an SQLite
    file, in the ``evidence_content`` table of a server database."""
    if sqlite_file(url) is None:
        return {name: bytes(data) for name, data in query(url, "SELECT name, data FROM evidence_content")}
    if not evidence_dir.is_dir():
        return {}
    return {p.relative_to(evidence_dir).as_posix(): p.read_bytes() for p in evidence_dir.rglob("*") if p.is_file()}


def first_schema_file(path: Path) -> Path:
    """An SQLite file as the first perftrack left it (schema 0001), holding one project, 旧项目."""
    from alembic import command

    from perftrack.store import migrate

    engine = create_engine(f"sqlite:///{path.as_posix()}")
    with engine.begin() as connection:
        command.upgrade(migrate.alembic_config(connection), "0001")
        connection.exec_driver_sql(
            "INSERT INTO project (year, unit, name, reporting, created_at, updated_at)"
            " VALUES (2024, '某单位', '旧项目', 'quarterly', '2024-01-01 00:00:00', '2024-01-01 00:00:00')"
        )
    engine.dispose()
    return path
