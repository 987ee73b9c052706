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

Automatic backups go to ``<db>-backups`` beside the file: one before every schema migration (a
newer program changing an older file) and one a day while the program is used; the newest
``auto_backup_keep`` of them are kept (a setting in the database, 10 unless changed with
``perftrack backup --keep N``; 0 turns the daily ones off). A failing automatic backup (a full
disk, a read-only folder) never stops the program: it is logged and tried again next time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import shutil
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select

from perftrack import paths
from perftrack.files import AtomicFile
from perftrack.store.errors import StoreError
from perftrack.store.schema import Project, Setting

if TYPE_CHECKING:
    from perftrack.store.database import Database

log = logging.getLogger(__name__)

# The setting (in the database) that says how many automatic backups are kept.
KEEP_KEY = "auto_backup_keep"
DEFAULT_KEEP = 10
AUTO_PREFIX = "自动-"
_STAMP = "%Y%m%d-%H%M%S"
DAILY = dt.timedelta(hours=24)


def _sqlite_only(db: Database, what: str) -> None:
    if db.engine.dialect.name != "sqlite":
        raise _for_the_server(db.label, what)


def refuse_server(url: str, what: str) -> None:
    """Before anything else: a database on a server is backed up and restored by its administrator."""
    from sqlalchemy.engine import make_url

    from perftrack.store.database import database_label  # imports this module

    if make_url(url).get_backend_name() != "sqlite":
        raise _for_the_server(database_label(url), what)


def _for_the_server(label: str, what: str) -> StoreError:
    return StoreError(
        f"{what}只用于单机数据库文件；团队数据库（{label}）请由服务器管理员用 pg_dump 备份、pg_restore 恢复"
    )


def backup(db: Database, target: Path) -> Path:
    """A consistent copy of the open database at ``target`` (made beside it, then renamed into place)."""
    _sqlite_only(db, "备份")
    target = Path(target)
    if target.is_dir():
        raise StoreError(f"{target}: 这是文件夹，请给出备份文件名")
    if not target.parent.is_dir():
        raise StoreError(f"{target.parent}: 文件夹不存在")
    return _copy(db.engine, target)


def _copy(engine: Engine, target: Path) -> Path:
    try:
        with AtomicFile(target, ".db") as out:
            raw = engine.raw_connection()
            try:
                with contextlib.closing(sqlite3.connect(out.temp)) as dest:
                    raw.driver_connection.backup(dest)
            finally:
                raw.close()
            out.commit()
    except OSError as exc:
        raise StoreError(f"{target}: 无法写入备份（{exc.strerror or exc}）") from exc
    return target


def check_backup(source: Path) -> None:
    """Refuse a file that is not a sound perftrack database (named in the message)."""
    source = Path(source)
    if not source.is_file():
        raise StoreError(f"{source}: 文件不存在")
    try:
        with contextlib.closing(sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)) as con:
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
        with contextlib.closing(sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)) as src:
            src.backup(raw.driver_connection)
    finally:
        raw.close()
    db.engine.dispose()  # every pooled connection starts again on the restored content
    return kept


def restore_damaged(path: Path, source: Path, keep_dir: Path) -> Path:
    """Put a backup in place of a damaged database file no connection can be trusted to read.

    The damaged file and its write-ahead log are first copied as they are, byte for byte. Then it is
    refused while another connection has the file open (its writes would go on into the replaced
    file and be lost; the caller says to close the other programs). Else the backup is copied to a
    file beside the target and renamed into place, the old log and shared-memory files removed
    first (SQLite would otherwise replay the damaged file's log onto the restored one). Returns
    where the damaged file was kept."""
    check_backup(source)
    if Path(source).resolve() == Path(path).resolve():
        raise StoreError(f"{source}: 这就是要恢复的数据库本身，请选一个备份文件")
    keep_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    kept = keep_dir / f"恢复前-{stamp}-已损坏.db"
    logs = [path.with_name(path.name + end) for end in ("-wal", "-shm")]
    kept_wal = kept.with_name(kept.name + "-wal")
    try:
        shutil.copyfile(path, kept)
        if logs[0].exists():
            shutil.copyfile(logs[0], kept_wal)
    except OSError as exc:
        raise StoreError(f"{path}: 无法另存损坏的文件（{exc.strerror or exc}），未恢复") from exc
    try:
        _refuse_if_in_use(path)
    except StoreError:
        for copy in (kept, kept_wal):
            copy.unlink(missing_ok=True)
        raise
    try:
        with AtomicFile(path, ".db") as out:
            with (
                contextlib.closing(sqlite3.connect(f"{Path(source).resolve().as_uri()}?mode=ro", uri=True)) as src,
                contextlib.closing(sqlite3.connect(out.temp)) as dest,
            ):
                src.backup(dest)
            for stale in logs:
                stale.unlink(missing_ok=True)
            out.commit()
    except OSError as exc:
        raise StoreError(
            f"{path}: 无法恢复（{exc.strerror or exc}），数据库未被替换；损坏时的原样副本在 {kept}"
        ) from exc
    return kept


def _refuse_if_in_use(path: Path) -> None:
    """StoreError when another connection (another window, a command running) has the file open."""
    try:
        connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    except sqlite3.Error:
        return  # not even openable: nobody can be using it through SQLite
    try:
        connection.execute("PRAGMA locking_mode=EXCLUSIVE")
        connection.execute("BEGIN EXCLUSIVE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreError(
                f"{path}: 另一个窗口或程序正在使用这个数据库，恢复会使其随后写入的内容丢失；"
                "请先关闭其他正在使用它的 perftrack 窗口和命令，再恢复"
            ) from exc
    except sqlite3.DatabaseError:
        pass  # too damaged for SQLite to lock: nothing can be writing to it through SQLite
    finally:
        with contextlib.suppress(sqlite3.Error):
            connection.close()


def automatic(engine: Engine, url: str, reason: str) -> Path | None:
    """An automatic backup named for its time and reason, the oldest beyond the kept number removed.

    None when it could not be written (the reason is logged; the program goes on)."""
    folder = paths.backup_dir(url)
    target = folder / f"{AUTO_PREFIX}{dt.datetime.now().strftime(_STAMP)}-{reason}.db"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _copy(engine, target)
    except (OSError, StoreError, sqlite3.Error) as exc:
        log.warning("automatic backup (%s) to %s failed: %s", reason, folder, exc)
        return None
    prune(folder, keep_count(engine))
    return target


def automatic_backups(folder: Path) -> list[Path]:
    """The automatic backups in a folder, oldest first (by the time in their names)."""
    return sorted(folder.glob(f"{AUTO_PREFIX}*.db")) if folder.is_dir() else []


def prune(folder: Path, keep: int) -> None:
    """Remove the oldest automatic backups beyond ``keep`` (at least one, the newest, stays)."""
    found = automatic_backups(folder)
    for old in found[: max(len(found) - max(keep, 1), 0)]:
        with contextlib.suppress(OSError):
            old.unlink()


def keep_count(engine: Engine) -> int:
    """How many automatic backups are kept (the database's setting, else 10)."""
    with engine.connect() as connection:
        value = connection.scalar(select(Setting.value).where(Setting.key == KEEP_KEY))
    try:
        return int(value) if value is not None else DEFAULT_KEEP
    except ValueError:
        return DEFAULT_KEEP


def set_keep_count(db: Database, keep: int) -> None:
    """Keep the newest ``keep`` automatic backups (0: no daily ones; one before a migration stays)."""
    _sqlite_only(db, "自动备份")
    if keep < 0:
        raise StoreError(f"保留的自动备份个数不能为负数（填写的是 {keep}）")
    with db.session() as session:
        row = session.get(Setting, KEEP_KEY)
        if row is None:
            session.add(Setting(key=KEEP_KEY, value=str(keep)))
        else:
            row.value = str(keep)
    prune(paths.backup_dir(db.url), keep)


def daily(db: Database, now: dt.datetime | None = None) -> Path | None:
    """A backup when the newest automatic one is a day old or more (and the database holds work)."""
    if db.engine.dialect.name != "sqlite" or paths.sqlite_file(db.url) is None:
        return None
    if keep_count(db.engine) == 0:
        return None
    now = now or dt.datetime.now()
    newest = automatic_backups(paths.backup_dir(db.url))
    if newest:
        try:
            made = dt.datetime.strptime(newest[-1].name[len(AUTO_PREFIX) :][:15], _STAMP)
        except ValueError:
            made = dt.datetime.fromtimestamp(newest[-1].stat().st_mtime)
        if now - made < DAILY:
            return None
    with db.engine.connect() as connection:
        if connection.scalar(select(Project.id).limit(1)) is None:
            return None  # nothing to lose yet
    return automatic(db.engine, db.url, "每日")


__all__ = ["automatic", "backup", "check_backup", "daily", "restore", "set_keep_count"]
