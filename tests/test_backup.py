"""Backups whole while the program is in use, restoring one, and a damaged file noticed before it is used."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from perftrack.cli import main
from perftrack.paths import sample_files
from perftrack.store.actuals import record_actual
from perftrack.store.database import open_database
from perftrack.store.errors import StoreError
from perftrack.store.queries import find_indicator, find_project
from perftrack.store.schema import Actual

PROJECT, INDICATOR = "国际孵化器活动及工作", "外事交流出访"


def run(capsys, *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _values(path: Path) -> list[str]:
    with sqlite3.connect(path) as con:
        return [r[0] for r in con.execute("SELECT value_text FROM actual ORDER BY period")]


@pytest.fixture
def db_file(tmp_path: Path, capsys) -> Path:
    path = tmp_path / "work.db"
    assert run(capsys, "import", *sample_files(), "--db", path)[0] == 0
    return path


def test_a_backup_made_while_the_program_is_open_holds_the_latest_values(db_file: Path, capsys, tmp_path) -> None:
    with open_database(str(db_file)) as gui:  # the window keeps its database open
        for period, value in (("Q1", "1"), ("Q2", "2"), ("Q3", "3"), ("Q4", "4")):
            with gui.session() as session:
                record_actual(session, find_indicator(find_project(session, PROJECT), INDICATOR), period, value)
        plain_copy = tmp_path / "copy.db"
        shutil.copy(db_file, plain_copy)  # what a person would do: the values are still in the WAL
        assert _values(plain_copy) == []
        code, out, _ = run(capsys, "backup", "-o", tmp_path / "backup.db", "--db", db_file)
        assert code == 0 and "已备份" in out
    assert _values(tmp_path / "backup.db") == ["1", "2", "3", "4"]


def test_restore_puts_a_backup_back_and_keeps_what_it_replaced(db_file: Path, capsys, tmp_path) -> None:
    run(capsys, "record", PROJECT, INDICATOR, "5", "--period", "Q1", "--db", db_file)
    run(capsys, "backup", "-o", tmp_path / "good.db", "--db", db_file)
    run(capsys, "record", PROJECT, INDICATOR, "9", "--period", "Q1", "--db", db_file)  # a mistake after it
    code, _, err = run(capsys, "restore", tmp_path / "good.db", "--db", db_file)
    assert code == 2 and "--yes" in err and _values(db_file) == ["9"]  # asked first, nothing done
    code, out, _ = run(capsys, "restore", tmp_path / "good.db", "--yes", "--db", db_file)
    assert code == 0
    assert _values(db_file) == ["5"]
    kept = next((db_file.parent / "work-backups").glob("恢复前-*.db"))
    assert _values(kept) == ["9"] and str(kept) in out
    with open_database(str(db_file)) as db, db.reading() as session:
        assert session.scalar(select(Actual.value_text)) == "5"


def test_restore_refuses_what_is_not_a_sound_perftrack_database(db_file: Path, capsys, tmp_path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("not a database at all " * 100, encoding="utf-8")
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    for bad, why in ((notes, "不是 SQLite 数据库"), (other, "不是 perftrack 数据库"), (tmp_path / "none.db", "不存在")):
        code, _, err = run(capsys, "restore", bad, "--yes", "--db", db_file)
        assert code == 2 and why in err and str(bad) in err


def test_a_damaged_file_is_named_with_the_way_back_and_not_written(db_file: Path, capsys) -> None:
    data = bytearray(db_file.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 4096] = b"\xde\xad\xbe\xef" * 1024  # garbage over a page in the middle
    db_file.write_bytes(bytes(data))
    before = db_file.read_bytes()
    with pytest.raises(StoreError, match=r"已损坏.*perftrack restore"):
        open_database(str(db_file))
    code, _, err = run(capsys, "record", PROJECT, INDICATOR, "1", "--period", "Q1", "--db", db_file)
    assert code == 2 and "已损坏" in err and len(err.strip().splitlines()) == 1
    assert db_file.read_bytes() == before
