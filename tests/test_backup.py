"""Backups whole while the program is in use, restoring one, and a damaged file noticed before it is used."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import event, select

from perftrack.cli import main
from perftrack.paths import sample_files
from perftrack.store import backup as backup_module
from perftrack.store.actuals import record_actual
from perftrack.store.backup import automatic_backups
from perftrack.store.database import open_database
from perftrack.store.errors import StoreError
from perftrack.store.queries import find_indicator, find_project
from perftrack.store.schema import Actual
from tests.support.databases import first_schema_file

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


def _left_in_the_log(db_file: Path, sql: str) -> None:
    """A program that wrote and then died: its commit stays in the write-ahead log (no checkpoint)."""
    code = f"import os, sqlite3; c = sqlite3.connect({str(db_file)!r}); c.execute({sql!r}); c.commit(); os._exit(0)"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_the_way_back_from_a_damaged_file_works_and_keeps_it(db_file: Path, capsys, tmp_path) -> None:
    """What the damaged file's message says to do, done: restore replaces it and keeps it as it was,
    its log too; never while another program still has it open (its later writes would be lost)."""
    run(capsys, "record", PROJECT, INDICATOR, "5", "--period", "Q1", "--db", db_file)
    run(capsys, "backup", "-o", tmp_path / "good.db", "--db", db_file)
    _left_in_the_log(db_file, "UPDATE actual SET value_text = '7'")
    data = bytearray(db_file.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xde\xad\xbe\xef" * 1024
    db_file.write_bytes(bytes(data))
    damaged, log = db_file.read_bytes(), db_file.with_name("work.db-wal").read_bytes()
    holder = subprocess.Popen(  # another window still has it open
        [
            sys.executable,
            "-c",
            f"import sqlite3, sys, time; c = sqlite3.connect({str(db_file)!r}); "
            "c.execute('PRAGMA user_version').fetchone(); print('open', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        code, _, err = run(capsys, "restore", tmp_path / "good.db", "--yes", "--db", db_file)
        assert code == 2 and "正在使用" in err and len(err.strip().splitlines()) == 1
        assert db_file.read_bytes() == damaged and not list(tmp_path.glob("work-backups/恢复前-*"))
    finally:
        holder.kill()  # gone without closing: the file and its log stay as they are
        holder.wait()
    code, out, err = run(capsys, "restore", tmp_path / "good.db", "--yes", "--db", db_file)
    assert code == 0, err
    assert _values(db_file) == ["5"]  # the backup's content, not the damaged file's log replayed onto it
    kept = next((db_file.parent / "work-backups").glob("恢复前-*-已损坏.db"))
    assert kept.read_bytes() == damaged and kept.with_name(kept.name + "-wal").read_bytes() == log
    assert str(kept) in out
    code, out, _ = run(capsys, "projects", "--db", db_file)  # sound again: opened without a word
    assert code == 0 and PROJECT in out


def test_a_file_whose_first_page_is_damaged_can_be_restored_too(db_file: Path, capsys, tmp_path) -> None:
    run(capsys, "record", PROJECT, INDICATOR, "5", "--period", "Q1", "--db", db_file)
    run(capsys, "backup", "-o", tmp_path / "good.db", "--db", db_file)
    data = bytearray(db_file.read_bytes())
    data[:100] = bytes(100)  # the header: SQLite no longer knows it for a database
    db_file.write_bytes(bytes(data))
    code, _, err = run(capsys, "projects", "--db", db_file)
    assert code == 2 and "不是 SQLite 数据库" in err
    code, out, err = run(capsys, "restore", tmp_path / "good.db", "--yes", "--db", db_file)
    assert code == 0, err
    assert _values(db_file) == ["5"]
    [kept] = (db_file.parent / "work-backups").glob("恢复前-*-已损坏.db")
    assert kept.read_bytes() == bytes(data) and str(kept) in out


def test_restoring_onto_a_damaged_file_still_refuses_a_bad_backup(db_file: Path, capsys, tmp_path) -> None:
    data = bytearray(db_file.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xde\xad\xbe\xef" * 1024
    db_file.write_bytes(bytes(data))
    damaged = db_file.read_bytes()
    notes = tmp_path / "notes.db"
    notes.write_text("not a database " * 100, encoding="utf-8")
    code, _, err = run(capsys, "restore", notes, "--yes", "--db", db_file)
    assert code == 2 and "不是 SQLite 数据库" in err and db_file.read_bytes() == damaged
    assert not list(tmp_path.glob("work-backups/恢复前-*"))


# -- automatic backups ----------------------------------------------------------------------


def test_a_migration_is_preceded_by_a_backup_of_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    first_schema_file(path)
    with open_database(str(path)):
        pass
    [before] = (tmp_path / "old-backups").glob("自动-*-升级前.db")
    with sqlite3.connect(before) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
        assert con.execute("SELECT name FROM project").fetchall() == [("旧项目",)]
    # Opened again the same day: no second backup of either kind.
    with open_database(str(path)):
        pass
    assert len(list((tmp_path / "old-backups").glob("自动-*.db"))) == 1


def test_a_daily_backup_is_made_while_the_program_is_used_and_the_newest_n_kept(db_file: Path, capsys) -> None:
    folder = db_file.parent / "work-backups"
    with open_database(str(db_file)) as db:
        [first] = automatic_backups(folder)  # the first use with projects in it
        assert first.name.endswith("-每日.db") and _values(first) == []
        assert backup_module.daily(db) is None  # not again the same day
        # Older ones, as if left by earlier days; a day later the next one is made.
        for day in range(1, 13):
            old = folder / f"自动-202601{day:02d}-090000-每日.db"
            shutil.copy(first, old)
        tomorrow = dt.datetime.now() + dt.timedelta(days=1, minutes=1)
        with db.session() as session:
            record_actual(session, find_indicator(find_project(session, PROJECT), INDICATOR), "Q1", "3")
        made = backup_module.daily(db, now=tomorrow)
    assert made is not None and _values(made) == ["3"]
    kept = automatic_backups(folder)
    assert len(kept) == 10 and made in kept and first in kept  # the 10 newest by the time in their names

    code, out, _ = run(capsys, "backup", "--keep", "3", "--db", db_file)
    assert code == 0 and "3" in out and str(folder) in out
    assert automatic_backups(folder)[-3:] == automatic_backups(folder) and len(automatic_backups(folder)) == 3
    code, _, _ = run(capsys, "backup", "--keep", "0", "--db", db_file)
    with open_database(str(db_file)) as db:
        assert backup_module.daily(db, now=tomorrow + dt.timedelta(days=3)) is None  # turned off


def test_a_failing_automatic_backup_never_stops_the_program(db_file: Path, capsys) -> None:
    (db_file.parent / "work-backups").write_text("a file where the backup folder should be", encoding="utf-8")
    code, out, _ = run(capsys, "record", PROJECT, INDICATOR, "4", "--period", "Q1", "--db", db_file)
    assert code == 0 and "已记录" in out
    assert _values(db_file) == ["4"]


# -- read-only and full ---------------------------------------------------------------------


def _without_write_permission(args: list[str]) -> subprocess.CompletedProcess[str]:
    """Run the CLI bound by file modes: root ignores them, so it runs without the capabilities that
    let it (setpriv drops them from the bounding set)."""
    prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"] if os.geteuid() == 0 else []
    perftrack = str(Path(sys.executable).with_name("perftrack"))
    command_line = [*prefix, perftrack, *args]
    return subprocess.run(command_line, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("read_only", ["file", "folder"])
def test_a_read_only_file_or_folder_gets_one_line_and_nothing_changes(tmp_path: Path, capsys, read_only: str) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "team.db"
    assert run(capsys, "import", *sample_files(), "--db", path)[0] == 0
    assert run(capsys, "record", PROJECT, INDICATOR, "9", "--period", "Q1", "--db", path)[0] == 0
    path.chmod(0o444) if read_only == "file" else folder.chmod(0o555)  # no -wal/-shm files there
    before = path.read_bytes()
    try:
        result = _without_write_permission(["record", PROJECT, INDICATOR, "5", "--period", "Q1", "--db", str(path)])
    finally:
        folder.chmod(0o755)
        path.chmod(0o644)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert str(path) in lines[0] and ("只读" in lines[0] or "不可访问" in lines[0]), lines[0]
    assert path.read_bytes() == before and _values(path) == ["9"]


def test_a_full_disk_gets_one_line_and_nothing_half_written(db_file: Path) -> None:
    with open_database(str(db_file)) as db:
        with db.reading() as session:
            pages = session.connection().exec_driver_sql("PRAGMA page_count").scalar()

        @event.listens_for(db.engine, "connect")
        def _full(dbapi_connection, _record) -> None:  # SQLite's own "disk full" at this size
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        db.engine.dispose()
        with pytest.raises(StoreError, match="磁盘已满") as refused, db.session() as session:
            indicator = find_indicator(find_project(session, PROJECT), INDICATOR)
            record_actual(session, indicator, "Q1", "8", note="很长的说明" * 100_000)
    assert str(db_file) in str(refused.value)
    assert _values(db_file) == []
