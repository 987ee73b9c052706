"""The PostgreSQL test server itself: asked for and unable to start, the run fails and says why."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_server_that_cannot_start_fails_the_run_with_the_reason(tmp_path: Path) -> None:
    env = {**os.environ, "PERFTRACK_PG_BINDIR": str(tmp_path / "no-postgresql-here"), "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--backend",
            "postgresql",
            "-k",
            "decimals",
            "tests/test_store.py",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "the test server could not start" in output and "initdb" in output and "no-postgresql-here" in output
    assert " skipped" not in output and " passed" not in output
