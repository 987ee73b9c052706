"""A private PostgreSQL server for the test session: a throwaway cluster in a temporary folder.

Debian's ``postgresql`` package installs ``initdb`` and ``pg_ctl`` under
``/usr/lib/postgresql/<version>/bin``, off PATH, and both refuse to run as root: as root the
cluster belongs to the ``postgres`` OS user (``runuser``), otherwise to whoever runs the tests.
It listens on 127.0.0.1 only, at a free port, with its sockets in its own folder, and trusts
every local connection (a test server: nothing else can reach it, and it is deleted at the end).

Each test gets its own database, cloned from a template that is already migrated to the newest
schema (``CREATE DATABASE … TEMPLATE``: a few milliseconds, where migrating takes a second), and
dropped when the test ends (or with the cluster, when something still uses it).
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg
from psycopg import sql

# The server's superuser; every test connects as it.
SUPERUSER = "perftrack_test"
TEMPLATE = "perftrack_template"
# Overrides where the server programs are looked for (a folder holding initdb and pg_ctl).
BINDIR_ENV = "PERFTRACK_PG_BINDIR"
# Durability is worth nothing in a cluster deleted at the end of the run; speed is.
SERVER_SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "64MB",
    "log_min_messages": "warning",
}


class ServerError(RuntimeError):
    """The test server could not be set up; the message says why and what to install."""


def find_bindir() -> Path:
    """The folder of the newest installed PostgreSQL's initdb and pg_ctl."""
    override = os.environ.get(BINDIR_ENV)
    if override:
        candidates = [Path(override)]
    else:
        candidates = sorted(
            (Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")),
            key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
            reverse=True,
        )
        found = shutil.which("initdb")
        if found:
            candidates.append(Path(found).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    where = f"{BINDIR_ENV}={override}" if override else "/usr/lib/postgresql/*/bin or on PATH"
    raise ServerError(
        f"no PostgreSQL server programs (initdb, pg_ctl) found in {where}; "
        f"install Debian's postgresql package (apt-get install postgresql) or set {BINDIR_ENV}"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """A running private cluster; ``url(name)`` names one of its databases."""

    def __init__(self, bindir: Path | None = None) -> None:
        self.bindir = bindir or find_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="perftrack-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = 0
        self._as_postgres = os.geteuid() == 0
        self._numbers = itertools.count(1)

    # -- the server ------------------------------------------------------------------------

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(a) for a in args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.root)
        if result.returncode != 0:
            raise ServerError(
                f"{' '.join(command)} failed ({result.returncode}): {(result.stderr or result.stdout).strip()[-2000:]}"
                + self._log_tail()
            )
        return result

    def _log_tail(self) -> str:
        try:
            return "\nserver log:\n" + self.log.read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def start(self) -> PostgresServer:
        """Create the cluster and start the server; raises ServerError with the reason."""
        if self._as_postgres:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise ServerError("running as root but there is no 'postgres' OS user to own the cluster") from exc
            # The postgres user must reach its folder: tempfile made it private to root.
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self.root.chmod(0o700)
        self._run(
            self.bindir / "initdb",
            "-D",
            self.data,
            "--username",
            SUPERUSER,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",
        )
        options = " ".join(f"-c {key}={value}" for key, value in SERVER_SETTINGS.items())
        last: ServerError | None = None
        for _ in range(5):  # another program may take the free port between the probe and the start
            self.port = _free_port()
            try:
                self._run(
                    self.bindir / "pg_ctl",
                    "-D",
                    self.data,
                    "-l",
                    self.log,
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    f"{options} -c unix_socket_directories='{self.root}' -p {self.port}",
                    "start",
                )
                break
            except ServerError as exc:
                last = exc
        else:
            raise last or ServerError("the server did not start")
        self._make_template()
        return self

    def stop(self) -> None:
        """Stop the server and delete the cluster."""
        if self.data.is_dir() and (self.data / "postmaster.pid").exists():
            with contextlib.suppress(ServerError, subprocess.TimeoutExpired):
                self._run(self.bindir / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    # -- databases -------------------------------------------------------------------------

    def url(self, database: str, *, user: str = SUPERUSER, password: str | None = None) -> str:
        """The SQLAlchemy URL of a database of this server."""
        login = user if password is None else f"{user}:{password}"
        return f"postgresql://{login}@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        """A plain psycopg connection in autocommit mode (another program, or the administrator)."""
        return psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, dbname=database, autocommit=True)

    def _make_template(self) -> None:
        """The newest schema, made once: every test's database is a copy of it."""
        from perftrack.store.database import open_database

        with self.connect() as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(TEMPLATE)))
        open_database(self.url(TEMPLATE)).close()
        self.make_template(TEMPLATE)

    def make_template(self, name: str) -> None:
        """Let ``name`` (which nobody uses any more) be copied by ``create_database(template=name)``."""
        with self.connect() as admin:
            admin.execute(sql.SQL("ALTER DATABASE {} WITH IS_TEMPLATE true").format(sql.Identifier(name)))

    def create_database(self, *, migrated: bool = True, template: str | None = None) -> str:
        """A new database: a copy of ``template``, else of the migrated template, else (``migrated``
        False) empty; returns its name."""
        name = f"t{os.getpid()}_{next(self._numbers)}"
        source = template or (TEMPLATE if migrated else "template0")
        with self.connect() as admin:
            admin.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(source))
            )
        return name

    def drop_database(self, name: str) -> bool:
        """Drop a test's database unless something still holds a connection to it; True when dropped.

        A window a test closed is only deleted later, and its timers may still read its database
        meanwhile: a database still in use is left for the end of the session, when the whole
        cluster goes (dropping it under the window would fail that later read, in another test).
        """
        with self.connect() as admin:
            try:
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            except psycopg.errors.ObjectInUse:
                return False
        return True


__all__ = ["SUPERUSER", "PostgresServer", "ServerError", "find_bindir"]
