"""A team database's password is never printed or logged, whatever the command and however it ends.

The URL carries the password (``--db postgresql://user:secret@host/db``, or ``PERFTRACK_DB``);
every message names the database without it. The test server trusts local connections, so any
password connects, and this one can be looked for in everything the program wrote.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from perftrack import cli, logsetup
from perftrack.paths import data_dir
from tests.support.postgres import SUPERUSER, PostgresServer

pytestmark = pytest.mark.postgres_only

PASSWORD = "S3cret-pa55word"
SEED = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"
OPS = "信息化运维项目"


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """A windowed run sends the log to a file: put the process's logging back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.fixture
def url(db_url: str, postgres_server: PostgresServer) -> str:
    """The test's database, reached with a password in its URL."""
    return postgres_server.url(db_url.rsplit("/", 1)[1], user=SUPERUSER, password=PASSWORD)


def _everything_written(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> str:
    out, err = capsys.readouterr()
    files = [p for root in (data_dir(), tmp_path) for p in root.rglob("*") if p.is_file()]
    texts = [p.read_bytes().decode("utf-8", errors="replace") for p in files if p.suffix not in (".xlsx", ".pdf")]
    return "\n".join([out, err, *texts, *(p.name for p in files)])


def test_no_command_prints_or_logs_the_password(
    url: str, postgres_server: PostgresServer, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The log goes to a file, at INFO, as in the windowed build where nobody sees a console.
    monkeypatch.setattr(logsetup, "is_windowed", lambda: True)
    proof = tmp_path / "验收单.pdf"
    proof.write_bytes(b"%PDF")
    backup = tmp_path / "copy.db"
    broken = url.replace(f":{postgres_server.port}/", ":1/")  # nothing listens there
    commands = [
        ("import", SEED),
        ("projects",),
        ("show", OPS),
        ("record", OPS, "升级接口", "8", "--period", "Q1", "--evidence", proof),
        ("evidence", OPS, "升级接口", "--period", "Q1", "-o", tmp_path),
        ("score", OPS),
        ("score", "--summary"),
        ("history", OPS),
        ("export", "-o", tmp_path / "out.xlsx"),
        ("backup", "-o", backup),
        ("restore", backup, "--yes"),
        ("record", OPS, "不存在的指标", "1"),
    ]
    codes = [cli.main([*map(str, command), "--db", url]) for command in commands]
    assert codes[:9] == [0] * 9 and codes[9:] == [2, 2, 2]
    # The server unreachable, a database or a user that does not exist, the URL from the environment.
    codes = [cli.main(["projects", "--db", broken])]
    codes.append(cli.main(["projects", "--db", url.rsplit("/", 1)[0] + "/no_such_database"]))
    codes.append(cli.main(["projects", "--db", url.replace(f"{SUPERUSER}:", "nobody:")]))
    monkeypatch.setenv("PERFTRACK_DB", url)
    codes.append(cli.main(["projects"]))
    assert codes == [2, 2, 2, 0]

    written = _everything_written(capsys, tmp_path)
    assert (data_dir() / "perftrack.log").is_file()
    assert f"127.0.0.1:{postgres_server.port}" in written  # the database is named…
    assert "pg_dump" in written and "pg_restore" in written
    assert PASSWORD not in written  # …never with its password
    assert "***" in written or f"{SUPERUSER}@127.0.0.1" in written


def test_the_console_script_on_a_server_that_refuses(url: str, postgres_server: PostgresServer) -> None:
    """A real process: whatever reaches its console, a traceback included, holds no password."""
    exe = Path(sys.executable).parent / "perftrack"
    broken = url.replace(f":{postgres_server.port}/", ":1/")
    for db in (url, broken):
        proc = subprocess.run(
            [str(exe), "score", "--summary", "--db", db], capture_output=True, text=True, encoding="utf-8", timeout=120
        )
        assert PASSWORD not in proc.stdout + proc.stderr
        assert "Traceback" not in proc.stderr
    assert proc.returncode == 2 and ":1/" in proc.stderr
