"""Where perftrack's log goes: a rotating file in the data folder for a windowed build, else stderr.

A windowed build (PyInstaller ``console=False``) has no console: ``sys.stdout`` and
``sys.stderr`` are None there, so a warning or a crash would vanish without a trace. Its log
therefore goes to ``data_dir()/perftrack.log``, which the About dialog names and a user can send
to whoever maintains the program. There, uncaught exceptions, in the main thread and in others,
are logged before the previous hook runs; with a console Python prints them already.
"""

from __future__ import annotations

import logging
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import TextIO

LOG_FILENAME = "perftrack.log"
# A year of warnings fits; a runaway loop cannot fill the disk.
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
FILE_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s"
CONSOLE_FORMAT = "%(levelname)s %(name)s: %(message)s"
# Marks the handlers this module installed, so a second call replaces rather than duplicates them.
_OWNED = "_perftrack_logsetup"

log = logging.getLogger("perftrack")
# Whether the exception hooks should log: only while the log goes to a file nobody else writes to.
_state = {"to_file": False}


class _CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a record arrives, as ``logging.lastResort`` does.

    ``perftrack.cli`` and test runners replace sys.stderr after start-up; a handler that kept the
    first stream would write into a closed one.
    """

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self) -> TextIO | None:  # type: ignore[override]
        return sys.stderr


def is_windowed() -> bool:
    """True when the program runs without a console (a windowed frozen build, pythonw)."""
    return sys.stdout is None or sys.stderr is None


def log_file() -> Path:
    """The log file of a windowed build: ``perftrack.log`` in the data folder."""
    from perftrack.paths import data_dir

    return data_dir() / LOG_FILENAME


def setup_logging(windowed: bool) -> Path | None:
    """Send the log to ``data_dir()/perftrack.log`` (windowed) or stderr; return the file, if any.

    Windowed, uncaught exceptions are logged too. Safe to call more than once.
    """
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _OWNED, False)]:
        root.removeHandler(handler)
        handler.close()
    path: Path | None = None
    handler: logging.Handler
    if windowed:
        path = log_file()
        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
        handler.setFormatter(logging.Formatter(FILE_FORMAT))
        # Nobody watches the file as it is written; a little more context helps the one who reads it.
        root.setLevel(logging.INFO)
    else:
        handler = _CurrentStderr()
        handler.setFormatter(logging.Formatter(CONSOLE_FORMAT))
        root.setLevel(logging.WARNING)
    setattr(handler, _OWNED, True)
    root.addHandler(handler)
    _state["to_file"] = windowed
    _install_exception_hooks()
    if path is not None:
        from perftrack import __version__

        log.info("perftrack %s started (Python %s, frozen=%s)", __version__, sys.version.split()[0], _frozen())
    return path


def _frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def _install_exception_hooks() -> None:
    """Log uncaught exceptions, then hand them on to whatever hook was there before."""
    if getattr(sys.excepthook, _OWNED, False):
        return
    previous = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if _state["to_file"] and not issubclass(kind, KeyboardInterrupt):
            log.critical("uncaught exception", exc_info=(kind, exc, tb))
        previous(kind, exc, tb)

    setattr(hook, _OWNED, True)
    sys.excepthook = hook

    previous_thread = threading.excepthook

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if _state["to_file"] and args.exc_type is not SystemExit:
            name = args.thread.name if args.thread is not None else "?"
            log.critical(
                "uncaught exception in thread %s", name, exc_info=(args.exc_type, args.exc_value, args.exc_traceback)
            )
        previous_thread(args)

    threading.excepthook = thread_hook
