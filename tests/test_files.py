"""Every file perftrack writes arrives whole or not at all, readable by colleagues (perftrack.files)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from perftrack.files import AtomicFile, write_bytes


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_file_is_whole_and_has_the_users_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "报告.pdf"
    umask = os.umask(0o022)
    try:
        write_bytes(target, b"new")
    finally:
        os.umask(umask)
    assert target.read_bytes() == b"new"
    assert _mode(target) == 0o666 & ~0o022 or _mode(target) == 0o666 & ~umask  # not mkstemp's private 0600
    assert list(tmp_path.iterdir()) == [target]


def test_a_failed_or_cancelled_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "汇总.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), AtomicFile(target, ".xlsx") as out:
        out.temp.write_bytes(b"half")
        raise RuntimeError("disk full")
    with AtomicFile(target, ".xlsx") as out:
        out.temp.write_bytes(b"cancelled")  # never committed: the user pressed Cancel
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]
