"""Opening a perftrack database: the engine, SQLite settings, migrations and the session per user action."""

from __future__ import annotations

import contextlib
import logging
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from perftrack import paths
from perftrack.store import migrate
from perftrack.store.errors import DamagedDatabase, NotADatabase, StoreError

log = logging.getLogger(__name__)

# How long a writer waits for another one to finish before the user is told the database is busy.
BUSY_TIMEOUT_MS = 10_000
# The execution option that marks a session's transactions as writing (BEGIN IMMEDIATE on SQLite).
WRITE_OPTION = "perftrack_write"

SQLITE_PRAGMAS = (
    "PRAGMA foreign_keys=ON",
    # WAL lets the GUI read while a CLI import writes; NORMAL is safe with WAL and much faster.
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
)


def _on_sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # The sqlite3 module's own transaction handling skips BEGIN before SELECT and DDL, which
    # breaks repeatable reads and transactional migrations; SQLAlchemy emits BEGIN instead
    # (the recipe in SQLAlchemy's SQLite dialect documentation).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    # A writing action takes the write lock when it begins (BEGIN IMMEDIATE), so writers queue for
    # up to busy_timeout. A deferred transaction that reads and then writes would instead fail at
    # once in WAL mode ("database is locked": busy_timeout never applies to that upgrade).
    write = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _on_postgresql_begin(connection: Connection) -> None:
    # Writers queue on PostgreSQL too: a writing action first takes one transaction-scoped advisory
    # lock, so its reads (the value it is about to replace, the value it compares against) and its
    # writes form one step no other writer interleaves with. Under READ COMMITTED alone two writers
    # both read the old value, and the second one's audit row named a value that was never stored.
    # A team's writes are short; one lock for the database costs nothing measurable there.
    if connection.get_execution_options().get(WRITE_OPTION, False):
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = {BUSY_TIMEOUT_MS}")
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")


# The advisory lock key of perftrack's writers on PostgreSQL ("PERF" in ASCII).
PG_WRITE_LOCK = 0x50455246
# The driver a postgresql:// URL without one gets (psycopg 3, the extra perftrack[postgres]).
PG_DRIVER = "postgresql+psycopg"


def store_url(url: str) -> str:
    """The URL with the PostgreSQL driver perftrack ships with when the user named none.

    Raises StoreError (naming the URL without its password) when it cannot be read as a URL."""
    try:
        parsed = make_url(url)
    except (ValueError, ArgumentError) as exc:  # a port that is no number, a scheme missing
        raise StoreError(
            f"数据库地址 {database_label(url)} 无效（{_plain_reason(exc)}），请检查 --db 或 PERFTRACK_DB"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername=PG_DRIVER).render_as_string(hide_password=False)
    return url


def create_store_engine(url: str) -> Engine:
    """An engine for the URL, with perftrack's connection settings for SQLite and PostgreSQL.

    Raises StoreError naming what to install when the URL's database driver is missing.
    """
    url = store_url(url)
    try:
        # A server restarts and networks drop: a pooled connection is checked before each action
        # (one round trip) instead of failing that action with a traceback.
        engine = create_engine(url, pool_pre_ping=make_url(url).get_backend_name() != "sqlite")
    except (ImportError, NoSuchModuleError) as exc:
        label = database_label(url)
        hint = (
            '请安装 PostgreSQL 驱动：pip install "perftrack[postgres]"（即 psycopg[binary]）'
            if make_url(url).get_backend_name() == "postgresql"
            else "请安装该数据库的 SQLAlchemy 驱动"
        )
        raise StoreError(f"无法连接数据库 {label}：缺少数据库驱动（{exc}）；{hint}") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "begin", _on_postgresql_begin)
    return engine


def database_label(url: str) -> str:
    """How messages name a database: the file path for SQLite, else the URL without its password
    (whether in its user part or as a ?password= parameter, libpq's other way of giving it)."""
    try:
        db_file = paths.sqlite_file(url)
        parsed = make_url(url)
    except Exception:  # an unparsable URL is still worth naming; its password is what must not show
        return _QUERY_PASSWORD.sub(r"\1***", _without_user_part(url))
    if db_file is not None:
        return str(db_file)
    if parsed.host and "@" in parsed.host:  # an @ of the password not written as %40: "u:p@ss@host"
        return _QUERY_PASSWORD.sub(r"\1***", _without_user_part(url))
    return _QUERY_PASSWORD.sub(r"\1***", parsed.render_as_string(hide_password=True))


def _without_user_part(url: str) -> str:
    """The URL with everything before the host hidden: up to the last @ of its authority, or, with
    none, whatever follows a colon there (it may be "user:password" read as "host:port")."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    authority, slash, tail = rest.partition("/")
    if "@" in authority:
        authority = "***@" + authority.rsplit("@", 1)[1]
    elif ":" in authority:
        authority = authority.split(":", 1)[0] + ":***"
    return f"{scheme}{sep}{authority}{slash}{tail}"


# A query parameter holding a password (password=, sslpassword=…), its value up to the next one.
_QUERY_PASSWORD = re.compile(r"([?&][^=&]*password=)[^&]*", re.IGNORECASE)


def _plain_reason(exc: Exception) -> str:
    """Why a URL was refused, without the URL itself (it may hold a password)."""
    if isinstance(exc, ValueError) and "int()" in str(exc):
        return "端口应为数字"
    return "格式不对，应如 postgresql://用户@服务器:5432/数据库"


def _reason(exc: DBAPIError) -> str:
    return str(exc.orig) if exc.orig is not None else str(exc)


def _explain(exc: DBAPIError, url: str, label: str) -> StoreError:
    """The one line a user reads when a database cannot be opened."""
    reason = _reason(exc)
    if "file is not a database" in reason or "file is encrypted" in reason:
        return _not_a_database(url, label)
    if "malformed" in reason:
        return _damaged(url, label, reason)
    return _unwritable(reason, label) or StoreError(f"无法打开数据库 {label}：{reason}")


def _not_a_database(url: str, label: str) -> NotADatabase:
    return NotADatabase(
        f"文件 {label} 不是 SQLite 数据库，无法作为 perftrack 数据库打开。", str(paths.sqlite_file(url) or label)
    )


def _unwritable(reason: str, label: str) -> StoreError | None:
    """Read-only files and folders and full disks, said as such (nothing was written)."""
    if "readonly database" in reason or "read-only" in reason:
        return StoreError(
            f"数据库 {label} 只读（文件或所在文件夹不可写），本次操作未写入任何内容；"
            "请检查文件权限，或把数据库复制到可写的文件夹后用 --db 指向它"
        )
    if "disk is full" in reason or "No space left" in reason:
        return StoreError(f"磁盘已满，数据库 {label} 无法写入，本次操作未写入任何内容；请腾出磁盘空间后再试")
    if "unable to open database file" in reason:
        return StoreError(
            f"无法打开数据库 {label}：文件或所在文件夹不存在或不可访问"
            "（SQLite 还需在同一文件夹写入 -wal 与 -shm 文件）；请检查路径与权限"
        )
    return None


_UNREACHABLE = (
    "connection failed",
    "server closed the connection",
    "could not connect",
    "Connection refused",
    "timeout expired",
)


def _unreachable(reason: str) -> bool:
    """The server cannot be reached (as opposed to refusing what was asked)."""
    return any(words in reason for words in _UNREACHABLE)


def _first_line(reason: str) -> str:
    return reason.strip().splitlines()[0][:120] if reason.strip() else "连接中断"


def _damaged(url: str, label: str, verdict: str) -> DamagedDatabase:
    from perftrack.store.backup import automatic_backups  # imports this module

    newest = automatic_backups(paths.backup_dir(url))
    way_back = f"最近的自动备份是 {newest[-1]}" if newest else f"备份通常在 {paths.backup_dir(url)}"
    what = (
        f"数据库文件 {label} 已损坏（SQLite 检查结果：{' '.join(verdict.split())[:80]}），为免损坏扩大，程序不再写入它"
    )
    return DamagedDatabase(
        f"{what}；请用 perftrack restore 从备份恢复（{way_back}）", str(paths.sqlite_file(url) or label), what
    )


def _checked_apart(url: str, label: str) -> bool:
    """``_check_sound`` on a read-only connection of its own, before any other opens the file: True
    once the file is found sound, False when it cannot be checked that way (the caller checks it on
    its own connection). A read-only connection never writes the write-ahead log into the file
    when it closes (the last read-write one does), so a damaged file and its log stay exactly as
    they were for the restore that keeps them."""
    path = paths.sqlite_file(url)
    if path is None or not path.is_file() or path.stat().st_size == 0:
        return False
    try:
        with contextlib.closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as checking:
            verdict = checking.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        reason = str(exc)
        if "file is not a database" in reason or "file is encrypted" in reason:
            raise _not_a_database(url, label) from exc
        if "malformed" in reason or "corrupt" in reason:
            raise _damaged(url, label, reason) from exc
        return False  # unable to open read-only (a log that cannot be mapped): check the usual way
    if verdict != "ok":
        raise _damaged(url, label, str(verdict))
    return True


def _check_sound(connection: Connection, url: str, label: str) -> None:
    """A damaged SQLite file is named, with the way back, before anything reads or writes it.

    PRAGMA quick_check reads every page once (0.13 s for 5,000 projects with two quarters recorded,
    a 70 MB file; benchmarks/open_check.py): a file with garbage in its middle was otherwise used
    without a word, and each later write made it worse.
    """
    try:
        verdict = connection.exec_driver_sql("PRAGMA quick_check").scalar()
    except DBAPIError as exc:
        raise _damaged(url, label, _reason(exc)) from exc
    if verdict != "ok":
        raise _damaged(url, label, str(verdict))


class Database:
    """An open perftrack database. Use ``session()`` for each user action."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine
        self.label = database_label(url)
        # Objects stay readable after the action's commit: the GUI shows what it just saved.
        self._sessions = sessionmaker(engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False)
        self._readers = sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str) -> Database:
        """Open (creating and migrating as needed) the database at a URL or SQLite file path.

        Raises StoreError for a file that is not an SQLite database, another program's
        database, or a schema newer than this program.
        """
        if "://" not in url:
            url = paths.resolve_db_url(url)
        engine = create_store_engine(url)
        label = database_label(url)
        try:
            checked = engine.dialect.name != "sqlite" or _checked_apart(url, label)
            with engine.connect() as connection:
                if not checked:
                    _check_sound(connection, url, label)
                revisions = migrate.current_revisions(connection, label)
            if not migrate.is_current(revisions):
                if revisions and engine.dialect.name == "sqlite" and paths.sqlite_file(url) is not None:
                    from perftrack.store import backup  # imports this module

                    # The file as the older program left it, in case the newer one is not wanted.
                    backup.automatic(engine, url, "升级前")
                with engine.begin() as connection:
                    migrate.upgrade(connection, label)
        except DBAPIError as exc:
            engine.dispose()
            raise _explain(exc, url, label) from exc
        except BaseException:
            engine.dispose()
            raise
        db = cls(url, engine)
        db.daily_backup()
        return db

    @classmethod
    def reopen(cls, url: str) -> Database:
        """Another connection pool to a database this program has just opened (``open``, in this
        process or the one it was forked from): not checked, migrated or backed up again."""
        return cls(url, create_store_engine(url))

    def daily_backup(self) -> None:
        """Once a day, a backup beside the file; a failure is logged and never stops the program."""
        from perftrack.store import backup  # imports this module

        try:
            backup.daily(self)
        except (OSError, DBAPIError, StoreError) as exc:
            log.warning("daily backup of %s skipped: %s", self.label, exc)

    @property
    def evidence_dir(self) -> Path:
        """The folder for this database's evidence files (not created until needed)."""
        return paths.evidence_dir(self.url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session for a user action that writes, inside one transaction: committed when the block
        ends, rolled back on an exception. On SQLite it waits its turn behind other writers."""
        with self._busy(), self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for an action that only reads (a listing, a report): it never waits for writers.

        It may still keep computed scores (a cache): that write is tried once and skipped when busy.
        """
        with self._busy(), self._readers() as session, session.begin():
            yield session

    @contextmanager
    def _busy(self) -> Iterator[None]:
        """The errors of a write the user can act on, as one line each (nothing was written):
        another writer held the database past the wait, a read-only file or folder, a full disk."""
        try:
            yield
        except OperationalError as exc:
            reason = _reason(exc)
            busy = ("database is locked", "database is busy", "lock timeout")
            if any(word in reason for word in busy):
                raise StoreError(
                    f"数据库 {self.label} 正被其他用户或程序写入，等了 {BUSY_TIMEOUT_MS / 1000:g} 秒仍未轮到，"
                    "本次操作未写入任何内容；请稍后再试"
                ) from exc
            explained = _unwritable(reason, self.label)
            if explained is None and (exc.connection_invalidated or _unreachable(reason)):
                explained = StoreError(
                    f"无法连接数据库 {self.label}（{_first_line(reason)}），本次操作未写入任何内容；"
                    "请检查网络与数据库服务器"
                )
            if explained is None:
                raise
            raise explained from exc

    def close(self) -> None:
        """Release every connection; the Database is unusable afterwards."""
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Database {self.label}>"


def open_database(url: str) -> Database:
    """Open a perftrack database; see ``Database.open``."""
    return Database.open(url)
