"""Bring a database's schema to the version this program knows, with Alembic run in-process.

Opening a database that is already current must be quick (the GUI and every CLI call do it),
so the version is read with one query and Alembic is imported only when there is work.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from perftrack.store.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# The newest revision in migrations/versions; a test checks it against Alembic's own view.
HEAD_REVISION = "0007"

VERSION_TABLE = "alembic_version"


def current_revisions(connection: Connection, label: str) -> tuple[str, ...] | None:
    """The schema revisions recorded in the database; None for an empty database.

    Raises StoreError for a database that holds tables but none of Alembic's: another
    program's data, which an upgrade must not touch.
    """
    tables = inspect(connection).get_table_names()
    if VERSION_TABLE not in tables:
        if tables:
            raise StoreError(f"数据库 {label} 不是 perftrack 的数据库（其中已有其他程序的数据表），未作任何改动。")
        return None
    rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return tuple(sorted(rows))


def is_current(revisions: tuple[str, ...] | None) -> bool:
    """True when the recorded revisions are exactly this program's head."""
    return revisions == (HEAD_REVISION,)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for the bundled migrations, optionally bound to a connection."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection, label: str) -> None:
    """Upgrade the schema to head on an open connection, inside the caller's transaction.

    Raises StoreError when the database was written by a newer perftrack, whose schema
    revision this program does not know.
    """
    from alembic import command
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    config = alembic_config(connection)
    script = ScriptDirectory.from_config(config)
    for revision in current_revisions(connection, label) or ():
        try:
            script.get_revision(revision)
        except CommandError as exc:
            raise StoreError(
                f"数据库 {label} 由更新版本的 perftrack 创建（架构版本 {revision}，"
                f"本程序最高支持 {HEAD_REVISION}），请升级 perftrack 后再打开。"
            ) from exc
    command.upgrade(config, "head")
