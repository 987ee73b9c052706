"""Shared fixtures: every test gets its own data folder, and store tests a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from perftrack.store import Database


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
def database(db_path: Path) -> Iterator[Database]:
    """An opened, migrated perftrack database in a temporary SQLite file."""
    db = Database.open(f"sqlite:///{db_path}")
    yield db
    db.close()
