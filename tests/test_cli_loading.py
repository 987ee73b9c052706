"""The command line loads its modules with the cycle collector paused, and freezes them only when
perftrack is the program (never inside tests or another program, whose garbage must stay collectable)."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

from perftrack.cli import common, main
from tests.support.reports import seeded


def test_loading_pauses_the_collector_and_a_nested_load_leaves_it_paused() -> None:
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    with common.loading():
        assert not gc.isenabled()
        with common.loading():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer load is still going on
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen  # called from tests: nothing frozen


def test_loading_puts_the_collector_back_when_an_import_fails() -> None:
    try:
        with common.loading():
            import perftrack_no_such_module  # type: ignore[import-not-found]  # noqa: F401
    except ModuleNotFoundError:
        pass
    assert gc.isenabled()


def test_main_called_with_arguments_freezes_nothing(tmp_path: Path, capsys) -> None:
    seeded(tmp_path / "p.db").close()
    frozen = gc.get_freeze_count()
    assert main(["--db", str(tmp_path / "p.db"), "score", "--summary"]) == 0
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    assert common.freeze_loaded is False


def test_the_program_freezes_what_it_loaded(tmp_path: Path) -> None:
    """As the console script runs it (``main()``): the store and the report's modules are frozen
    once loaded, the collector runs again afterwards, and the command does its work."""
    seeded(tmp_path / "p.db").close()
    probe = (
        "import gc, json, sys\n"
        "from perftrack.cli import main\n"
        "code = main()\n"
        "print(json.dumps({'code': code, 'enabled': gc.isenabled(), 'frozen': gc.get_freeze_count()}))\n"
    )
    out = tmp_path / "r.pdf"
    done = subprocess.run(
        [sys.executable, "-c", probe, "--db", str(tmp_path / "p.db"), "report", "-o", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(done.stdout.splitlines()[-1])
    assert figures["code"] == 0 and figures["enabled"] is True
    assert figures["frozen"] > 100_000  # SQLAlchemy, matplotlib and ReportLab's objects
    assert out.read_bytes().startswith(b"%PDF")
