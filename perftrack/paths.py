"""Where perftrack keeps its files: the data folder, the default database and evidence folders."""

from __future__ import annotations

import os
import re
from pathlib import Path

DATA_DIR_ENV = "PERFTRACK_DATA_DIR"
DB_ENV = "PERFTRACK_DB"
DB_FILENAME = "perftrack.db"


def data_dir() -> Path:
    """The per-user data folder, created on demand; ``$PERFTRACK_DATA_DIR`` overrides it."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        path = Path(override).expanduser()
    else:
        # Imported here: platformdirs is only needed when no override is set.
        from platformdirs import user_data_dir

        path = Path(user_data_dir("perftrack", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """The per-user folder of what perftrack can rebuild (a font as ReportLab read it); not created here.

    Inside the data folder when ``$PERFTRACK_DATA_DIR`` overrides it (a portable install, the tests),
    else the system's cache folder (``%LOCALAPPDATA%\\perftrack\\Cache`` on Windows)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser() / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("perftrack", appauthor=False))


def default_db_path() -> Path:
    """The database used when neither ``--db`` nor ``$PERFTRACK_DB`` names one."""
    return data_dir() / DB_FILENAME


def resolve_db_url(arg: str | None) -> str:
    """The SQLAlchemy URL to open: the ``--db`` argument, else ``$PERFTRACK_DB``, else the default file.

    A value containing ``://`` is already a URL and is used as is; anything else is a file
    path, made absolute, whose folder is created if missing.
    """
    value = arg or os.environ.get(DB_ENV) or None
    if value is not None and "://" in value:
        return value
    path = Path(value).expanduser() if value is not None else default_db_path()
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path.as_posix()}"


def sqlite_file(db_url: str) -> Path | None:
    """The database file behind an SQLite URL, or None for an in-memory or non-SQLite database."""
    from sqlalchemy.engine import make_url

    url = make_url(db_url)
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def evidence_dir(db_url: str) -> Path:
    """The folder for evidence files: ``<dbstem>-evidence`` beside an SQLite file.

    A database on a server keeps its evidence in itself; its folder, in data_dir(), named by the
    server and database (never the password), holds the copies of the files opened on this PC.
    The folder is not created here; whoever stores the first file creates it.
    """
    from sqlalchemy.engine import make_url

    db_file = sqlite_file(db_url)
    if db_file is not None:
        return db_file.parent / f"{db_file.stem}-evidence"
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite":  # in memory
        return data_dir() / "evidence"
    server = "-".join(str(part) for part in (url.host or "localhost", url.port, url.database) if part)
    return data_dir() / "evidence" / re.sub(r"[^\w.-]", "_", server)


def backup_dir(db_url: str) -> Path:
    """Where backups of a database are kept: ``<dbstem>-backups`` beside an SQLite file (not created here)."""
    db_file = sqlite_file(db_url)
    if db_file is None:
        return data_dir() / "backups"
    return db_file.parent / f"{db_file.stem}-backups"


def sample_files() -> list[Path]:
    """The sample declarations shipped with the program: the repository's sample_data/ in a
    checkout, else where an installer or a bundle put them."""
    import sys

    package = Path(__file__).resolve().parent
    frozen = Path(getattr(sys, "_MEIPASS", package))
    for folder in (
        package.parent / "sample_data",
        package / "sample_data",
        frozen / "sample_data",
        Path(sys.prefix) / "sample_data",
    ):
        files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
        if files:
            return files
    return []
