"""The log of a windowed build: a rotating file in the data folder, with uncaught exceptions in it."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import pytest

from perftrack import logsetup
from perftrack.paths import data_dir

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """setup_logging changes process-wide state: put it back for the next test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    hooks = sys.excepthook, threading.excepthook
    yield
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks


@pytest.fixture
def previous_hook(monkeypatch: pytest.MonkeyPatch) -> list[ExcInfo]:
    """Stands in for Python's own excepthook and records what reaches it."""
    seen: list[ExcInfo] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, exc, tb: seen.append((kind, exc, tb)))
    return seen


def _raised(exc: BaseException) -> ExcInfo:
    try:
        raise exc
    except BaseException as caught:
        return type(caught), caught, caught.__traceback__


def _flush() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_windowed_logs_to_the_data_folder() -> None:
    path = logsetup.setup_logging(windowed=True)
    assert path == data_dir() / "perftrack.log"
    logging.getLogger("perftrack.store").warning("数据库 %s 已锁定", "a.db")
    _flush()
    text = path.read_text(encoding="utf-8")
    assert "perftrack" in text.splitlines()[0] and "started" in text.splitlines()[0]
    assert "WARNING perftrack.store" in text
    assert "数据库 a.db 已锁定" in text


def test_console_logs_to_stderr_and_writes_no_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert logsetup.setup_logging(windowed=False) is None
    logging.getLogger("perftrack.cli").warning("小心")
    assert "WARNING perftrack.cli: 小心" in capsys.readouterr().err
    assert not (data_dir() / "perftrack.log").exists()


def test_a_second_call_does_not_double_the_lines() -> None:
    logsetup.setup_logging(windowed=True)
    path = logsetup.setup_logging(windowed=True)
    assert path is not None
    logging.getLogger("perftrack").error("只写一次")
    _flush()
    assert path.read_text(encoding="utf-8").count("只写一次") == 1


def test_the_file_rotates(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logsetup, "MAX_BYTES", 2_000)
    path = logsetup.setup_logging(windowed=True)
    assert path is not None
    for i in range(200):
        logging.getLogger("perftrack").warning("第 %d 行：一条足够长的日志消息，使文件很快写满", i)
    _flush()
    backups = sorted(path.parent.glob("perftrack.log.*"))
    assert [p.name for p in backups] == [f"perftrack.log.{n}" for n in range(1, logsetup.BACKUP_COUNT + 1)]
    assert path.stat().st_size <= 2_000
    assert "第 199 行" in path.read_text(encoding="utf-8")


def test_windowed_logs_an_uncaught_exception_and_passes_it_on(previous_hook: list[ExcInfo]) -> None:
    path = logsetup.setup_logging(windowed=True)
    assert path is not None
    info = _raised(ValueError("指标值不是数字"))
    sys.excepthook(*info)
    _flush()
    text = path.read_text(encoding="utf-8")
    assert "CRITICAL perftrack [" in text and "]: uncaught exception" in text
    assert "ValueError: 指标值不是数字" in text
    assert "Traceback" in text
    assert previous_hook == [info]


def test_windowed_logs_an_exception_in_a_thread() -> None:
    previous: list[str] = []
    # Python's own thread hook prints to stderr; a recorder stands in for it.
    threading.excepthook = lambda args: previous.append(str(args.exc_value))
    path = logsetup.setup_logging(windowed=True)
    assert path is not None

    def fail() -> None:
        raise RuntimeError("后台导入失败")

    worker = threading.Thread(target=fail, name="importer")
    worker.start()
    worker.join()
    _flush()
    text = path.read_text(encoding="utf-8")
    assert "uncaught exception in thread importer" in text
    assert "RuntimeError: 后台导入失败" in text
    assert previous == ["后台导入失败"]


def test_with_a_console_python_prints_the_exception_and_the_log_stays_quiet(
    previous_hook: list[ExcInfo], capsys: pytest.CaptureFixture[str]
) -> None:
    logsetup.setup_logging(windowed=False)
    info = _raised(KeyError("x"))
    sys.excepthook(*info)
    assert previous_hook == [info]
    assert "uncaught" not in capsys.readouterr().err


def test_a_windowed_process_leaves_its_crash_in_the_log(tmp_path: Path) -> None:
    data = tmp_path / "data"
    # A windowed build has no stdout or stderr at all; so does this child once it drops them.
    script = (
        "import sys\n"
        "sys.stdout = sys.stderr = None\n"
        "from perftrack.logsetup import is_windowed, setup_logging\n"
        "setup_logging(windowed=is_windowed())\n"
        "raise RuntimeError('崩溃于启动')\n"
    )
    env = {**os.environ, "PERFTRACK_DATA_DIR": str(data)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=60)
    assert done.returncode == 1
    text = (data / "perftrack.log").read_text(encoding="utf-8")
    assert "RuntimeError: 崩溃于启动" in text


def test_is_windowed_follows_stdout(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not logsetup.is_windowed()
    monkeypatch.setattr(sys, "stdout", None)
    assert logsetup.is_windowed()


def test_console_log_follows_a_replaced_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    # perftrack.cli swaps sys.stderr for a UTF-8 one after the log is set up.
    logsetup.setup_logging(windowed=False)
    replaced = io.StringIO()
    monkeypatch.setattr(sys, "stderr", replaced)
    logging.getLogger("perftrack").error("写到新的 stderr")
    assert "ERROR perftrack: 写到新的 stderr" in replaced.getvalue()
