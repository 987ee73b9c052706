"""Backups of an SQLite database that are whole while the program is in use, and putting one back.

A plain copy of the file misses what is still in its write-ahead log (four of four fresh values
were lost that way in a test): SQLite's online backup API copies the database as one consistent
snapshot, committed pages from the log included, while others go on reading and writing. It is
written to a temporary file beside the target and renamed into place, so a backup is whole or
absent, never half-written.

Restoring copies a backup into the live database through the same API (other connections see a
new database, not a torn one), after checking that the backup is a sound perftrack database and
after keeping a backup of what it replaces. A team database on a server is backed up by its
administrator (pg_dump); perftrack says so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import tempfile
from pathlib import Path

from perftrack.store.database import Database
from perftrack.store.errors import StoreError


def _sqlite_only(db: Database, what: str) -> None:
    if db.engine.dialect.name != "sqlite":
        raise StoreError(f"{what}只用于单机数据库文件；团队数据库（{db.label}）请由服务器管理员用 pg_dump 备份与恢复")


def backup(db: Database, target: Path) -> Path:
    """A consistent copy of the open database at ``target`` (made beside it, then renamed into place)."""
    _sqlite_only(db, "备份")
    target = Path(target)
    if target.is_dir():
        raise StoreError(f"{target}: 这是文件夹，请给出备份文件名")
    if not target.parent.is_dir():
        raise StoreError(f"{target.parent}: 文件夹不存在")
    handle, temp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".db", dir=target.parent)
    os.close(handle)
    try:
        raw = db.engine.raw_connection()
        try:
            with contextlib.closing(sqlite3.connect(temp)) as dest:
                raw.driver_connection.backup(dest)
        finally:
            raw.close()
        os.replace(temp, target)
    except OSError as exc:
        raise StoreError(f"{target}: 无法写入备份（{exc.strerror or exc}）") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
    return target


def check_backup(source: Path) -> None:
    """Refuse a file that is not a sound perftrack database (named in the message)."""
    source = Path(source)
    if not source.is_file():
        raise StoreError(f"{source}: 文件不存在")
    try:
        with contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as con:
            verdict = con.execute("PRAGMA quick_check").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{source}: 不是 SQLite 数据库，不能用来恢复（{exc}）") from exc
    if verdict != "ok":
        raise StoreError(f"{source}: 备份文件本身已损坏（{verdict}），不能用来恢复")
    if not {"project", "indicator", "alembic_version"} <= tables:
        raise StoreError(f"{source}: 不是 perftrack 数据库，不能用来恢复")


def restore(db: Database, source: Path, keep_dir: Path) -> Path:
    """Put a backup in place of the open database's content; returns where the replaced content was kept."""
    _sqlite_only(db, "恢复")
    check_backup(source)
    keep_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = backup(db, keep_dir / f"恢复前-{stamp}.db")
    raw = db.engine.raw_connection()
    try:
        with contextlib.closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src:
            src.backup(raw.driver_connection)
    finally:
        raw.close()
    db.engine.dispose()  # every pooled connection starts again on the restored content
    return kept


__all__ = ["backup", "check_backup", "restore"]
