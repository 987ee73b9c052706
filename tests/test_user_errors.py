"""User errors apart from bugs: one base (perftrack.domain.errors.UserError) caught where the user acts;
anything else is a bug, which reaches the crash dialog and the log instead of passing for a refusal."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

import perftrack.cli as cli
from perftrack.charts.fonts import FontNotFoundError
from perftrack.domain.errors import UserError
from perftrack.domain.review import ReviewError
from perftrack.domain.units import UnitError
from perftrack.export.workbook import ExportError
from perftrack.importers.actuals_table import ActualsTableError
from perftrack.importers.fill_in import FillInError
from perftrack.importers.pdf_reader import PdfReadError
from perftrack.importers.text_decode import DecodeError
from perftrack.ooxml import OfficeFileError
from perftrack.paths import sample_files
from perftrack.store import settings
from perftrack.store.actuals import PeriodLocked, RecordError
from perftrack.store.conflicts import Conflict
from perftrack.store.database import open_database
from perftrack.store.errors import NotFound, StoreError
from perftrack.store.schema import Project
from perftrack.ui.app import install_excepthook, make_application
from perftrack.ui.snapshots import BUDGET_PREFIX, EditKey
from perftrack.ui.workspace import EditError, Workspace

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"


@pytest.mark.parametrize(
    "kind",
    [
        RecordError,
        PeriodLocked,
        Conflict,
        ReviewError,
        UnitError,
        FillInError,
        DecodeError,
        StoreError,
        NotFound,
        ExportError,
        PdfReadError,
        OfficeFileError,
        FontNotFoundError,
        EditError,
        ActualsTableError,
    ],
)
def test_every_user_error_has_the_one_base(kind: type[Exception]) -> None:
    assert issubclass(kind, UserError)
    assert cli.UserError is UserError  # what the command line prints as one line


def test_the_command_line_prints_any_user_error_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "u.db")
    assert cli.main(["--db", db, "import", str(SEED)]) == 0

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise ReviewError("本期已审核，不能再提交")  # a domain error no command catches by name

    monkeypatch.setattr("perftrack.store.settings.set_grade_labels", refuse)
    capsys.readouterr()
    assert cli.main(["--db", db, "grades", "shanghai"]) == 2
    _, err = capsys.readouterr()
    assert err == "本期已审核，不能再提交\n"


def test_a_bug_is_not_taken_for_a_refusal_beside_the_cell(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_application()
    workspace = Workspace(open_database(f"sqlite:///{(tmp_path / 'w.db').as_posix()}"))
    _, summary = workspace.import_files(sample_files())
    assert summary is not None
    with workspace.database.reading() as s:
        pid = s.scalar(select(Project.id).where(Project.name == "项目管理费"))
    key = EditKey(pid, None, BUDGET_PREFIX + "Q1")
    # What the user can fix comes back as the message shown beside the cell, nothing written.
    [refused] = workspace.apply([(key, "十二万")], [""])
    assert (
        refused
        == "项目「项目管理费」第一季度（Q1）预算执行数：“十二万”不是有效的数值，请输入如 85、85%、1,600、1.2亿元"
    )

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ValueError("a programming error, not the user's")

    monkeypatch.setattr(settings, "set_budget", broken)
    with pytest.raises(ValueError, match="programming error"):
        workspace.apply([(key, "1000")], [""])
    workspace.close()


@pytest.fixture
def hook(qtbot: QtBot) -> Iterator[None]:
    """Puts back the hook the test replaces (pytest-qt installs its own while a test runs, so the
    program's is installed inside the test)."""
    make_application()
    saved = sys.excepthook
    yield
    sys.excepthook = saved


def _crash_box(qtbot: QtBot) -> QMessageBox:
    def shown() -> list[QMessageBox]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]

    qtbot.waitUntil(lambda: bool(shown()))
    return shown()[-1]


def test_the_crash_dialog_says_a_user_error_and_logs_a_bug_in_full(
    hook: None, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    install_excepthook(None)
    with caplog.at_level(logging.ERROR, logger="perftrack.ui"):
        try:
            raise ValueError("list.index(x): x not in list")
        except ValueError:
            sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    box = _crash_box(qtbot)
    # A bug's own words mean nothing to the user: the box says the operation failed, the details
    # and the log carry the traceback.
    assert box.text() == "操作未能完成。"
    assert "x not in list" in box.detailedText()
    assert "x not in list" in caplog.text
    box.done(0)

    try:
        raise RecordError("项目「项目管理费」：指标“运营服务满意度”不存在")
    except RecordError:
        sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
    box = _crash_box(qtbot)
    assert box.text() == "操作未能完成。\n项目「项目管理费」：指标“运营服务满意度”不存在"
    box.done(0)
