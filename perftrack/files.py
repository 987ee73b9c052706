"""Writing a file whole or not at all: the one way every file perftrack writes reaches the disk.

A report, a workbook, a backup, a fill-in form or an evidence copy is written to a temporary file
beside its target and moved into place only when it is complete (``os.replace`` is atomic on one
volume): a crash, a full disk or a cancel leaves the old file (or none), never half a file. The
new file gets the user's usual permissions, not the private 0600 of a temporary file, so a
colleague on a shared drive can open it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from types import TracebackType

_UMASK: int | None = None


def _umask() -> int:
    """The process's umask (read once: reading it means setting it)."""
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0o022)
        os.umask(_UMASK)
    return _UMASK


class AtomicFile:
    """Write ``temp``, then ``commit()``; leaving the block without committing leaves the target as it was.

    with AtomicFile(path, ".pdf") as out:
        write_pdf(out.temp)
        out.commit()
    """

    def __init__(self, path: Path, suffix: str = "") -> None:
        self.path = Path(path)
        handle, name = tempfile.mkstemp(prefix=f".{self.path.stem}-", suffix=f"{suffix}.part", dir=self.path.parent)
        os.close(handle)
        self.temp = Path(name)
        os.chmod(self.temp, 0o666 & ~_umask())
        self.committed = False

    def commit(self) -> Path:
        """Move the written file into place (replacing the old one) and return its path."""
        os.replace(self.temp, self.path)
        self.committed = True
        return self.path

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if not self.committed:
            with contextlib.suppress(FileNotFoundError):
                self.temp.unlink()


def write_bytes(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all."""
    with AtomicFile(path) as out:
        out.temp.write_bytes(data)
        return out.commit()
