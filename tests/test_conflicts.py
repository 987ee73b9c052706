"""Two users, one database: a value someone else wrote is never overwritten or undone without a word.

User B works through a second, independent connection to the same database (as another PC or the
CLI would) and is named in the audit trail as "lisi"; the window's user is the OS user. The
database is the test's own (``db_url``): an SQLite file, or with ``--backend postgresql`` a
database on the private test server.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from perftrack.cli import main
from perftrack.paths import backup_dir, sample_files
from perftrack.store.actuals import record_actual
from perftrack.store.audit import history
from perftrack.store.database import Database, open_database
from perftrack.store.schema import Actual, Indicator, Project
from perftrack.store.settings import set_budget, set_indicator_field
from perftrack.ui.app import make_application
from perftrack.ui.main_window import MainWindow
from perftrack.ui.snapshots import BUDGET_PREFIX, EditKey
from perftrack.ui.undo import Editor
from perftrack.ui.workspace import Workspace

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

PROJECT = "孵化基地运营及创业孵化服务支出"
INDICATOR = "后勤保障服务完成率"  # =100.00(%), the project's first row
SEED = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"


@pytest.fixture
def workspace(qtbot: QtBot, db_url: str) -> Iterator[Workspace]:
    make_application()
    ws = Workspace(open_database(db_url))
    _, summary = ws.import_files(sample_files())
    assert summary is not None
    yield ws
    ws.close()


@pytest.fixture
def other(db_url: str, workspace: Workspace) -> Iterator[Database]:
    """User B's own connection to the shared database."""
    db = open_database(db_url)
    yield db
    db.close()


def _ids(db: Database) -> tuple[int, int]:
    with db.reading() as s:
        ind = s.scalar(select(Indicator).join(Project).where(Project.name == PROJECT, Indicator.name == INDICATOR))
        return ind.project_id, ind.id


def _b_records(db: Database, text: str, period: str = "Q2") -> None:
    with db.session() as s:
        _, ind_id = _ids(db)
        record_actual(s, s.get(Indicator, ind_id), period, text, user="lisi")


def _stored(db: Database, period: str = "Q2") -> str | None:
    _, ind_id = _ids(db)
    with db.reading() as s:
        actual = s.scalar(select(Actual).where(Actual.indicator_id == ind_id, Actual.period == period))
        return actual.value_text if actual is not None else None


# -- the window -----------------------------------------------------------------------------


def test_typing_over_a_value_another_user_recorded_meanwhile_is_refused_and_named(
    workspace: Workspace, other: Database
) -> None:
    pid, ind_id = _ids(other)
    editor = Editor(workspace)
    key = EditKey(pid, ind_id, "Q2")
    assert workspace.view(pid).text(key) == ""  # the page shows an empty cell
    _b_records(other, "90%")
    rejected: list[str] = []
    editor.rejected.connect(lambda _k, message: rejected.append(message))

    [error] = editor.edit([(key, "80%")])

    assert _stored(other) == "90%"  # B's value stands
    assert error is not None and "lisi" in error and "90%" in error and "（空）" in error and "80%" in error
    assert rejected == [error]
    assert workspace.view(pid).text(key) == "90%"  # the page now shows B's value
    assert editor.stack.count() == 0  # nothing to undo: nothing was written


def test_choosing_to_overwrite_writes_and_undo_puts_the_other_users_value_back(
    workspace: Workspace, other: Database
) -> None:
    pid, ind_id = _ids(other)
    editor = Editor(workspace)
    asked: list[list[str]] = []
    editor.resolve = lambda conflicts: asked.append([c.now for c in conflicts]) or True
    key = EditKey(pid, ind_id, "Q2")
    workspace.view(pid)
    _b_records(other, "90%")

    assert editor.edit([(key, "80%")]) == [None]
    assert asked == [["90%"]]
    assert _stored(other) == "80%"
    editor.stack.undo()
    assert _stored(other) == "90%"  # B's value, not the empty cell the page first showed
    with other.reading() as s:
        newest = history(s, pid, ind_id)[0]
    assert (newest.old, newest.new) == ("80%", "90%")


def test_undo_never_erases_a_value_another_user_wrote_after_the_edit(workspace: Workspace, other: Database) -> None:
    pid, ind_id = _ids(other)
    editor = Editor(workspace)
    key = EditKey(pid, ind_id, "Q2")
    assert editor.edit([(key, "80%")]) == [None]
    _b_records(other, "95%")
    rejected: list[str] = []
    editor.rejected.connect(lambda _k, message: rejected.append(message))

    editor.stack.undo()

    assert _stored(other) == "95%"
    assert len(rejected) == 1 and "lisi" in rejected[0] and "95%" in rejected[0]
    assert workspace.view(pid).text(key) == "95%"


def test_budget_and_note_fields_are_compared_too(workspace: Workspace, other: Database) -> None:
    pid, ind_id = _ids(other)
    editor = Editor(workspace)
    workspace.view(pid)
    with other.session() as s:
        set_budget(s, s.get(Project, pid), "1000", period="Q1", user="lisi")
        set_indicator_field(s, s.get(Indicator, ind_id), "deviation_reason", "B 写的原因", user="lisi")
    budget, reason = EditKey(pid, None, BUDGET_PREFIX + "Q1"), EditKey(pid, ind_id, "deviation_reason")

    errors = editor.edit([(budget, "2000"), (reason, "A 写的原因")])

    assert all(e is not None and "lisi" in e for e in errors)
    assert "预算执行数" in errors[0] and "B 写的原因" in errors[1]
    view = workspace.view(pid)
    assert view.text(budget) == "1,000" and view.text(reason) == "B 写的原因"


def test_the_workspace_picks_up_other_users_changes(qtbot: QtBot, workspace: Workspace, other: Database) -> None:
    pid, ind_id = _ids(other)
    key = EditKey(pid, ind_id, "Q2")
    assert workspace.view(pid).text(key) == ""
    assert workspace.poll() == set()  # nothing new: nothing re-read
    _b_records(other, "90%")
    with qtbot.waitSignal(workspace.projectChanged) as changed:
        assert workspace.poll() == {pid}
    assert changed.args == [pid]
    assert workspace.view(pid).text(key) == "90%"
    # The window's own writes are not taken for someone else's.
    Editor(workspace).edit([(key, "91%")])
    assert workspace.poll() == set()


def test_an_import_by_another_user_reloads_the_project_list(
    qtbot: QtBot, workspace: Workspace, db_url: str, tmp_path: Path
) -> None:
    before = len(workspace.project_index())
    text = SEED.read_text(encoding="utf-8").replace("孵化基地运营及创业孵化服务支出", "另一个新项目")
    extra = tmp_path / "extra.txt"
    extra.write_text(text, encoding="utf-8")
    assert main(["import", str(extra), "--db", db_url]) == 0
    with qtbot.waitSignal(workspace.projectsReset):
        workspace.poll()
    assert len(workspace.project_index()) == before + 1


# -- the main window: the question; others' values while idle, on coming back, on opening ---


@pytest.fixture
def window(qtbot: QtBot, db_url: str, workspace: Workspace) -> Iterator[MainWindow]:
    win = MainWindow(db_url)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def _answer(qtbot: QtBot, button: str, seen: list[str]) -> None:
    """Click ``button`` in the conflict box as soon as it is shown, noting its text."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(box.text() + "\n" + box.informativeText())
        next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(0, click)


@pytest.mark.parametrize(("button", "stored"), [("保留对方的值", "90%"), ("用我的值覆盖", "80%")])
def test_the_window_asks_who_changed_what_and_does_what_the_user_chose(
    qtbot: QtBot, window: MainWindow, other: Database, button: str, stored: str
) -> None:
    pid, _ = _ids(other)
    window.team_refresh.timer.stop()  # the clash must reach the write, not be refreshed away first
    window.show_project(pid)
    model = window.page.model
    index = model.index(0, model.column_of("Q2"))
    assert index.data() in ("", None)
    _b_records(other, "90%")
    seen: list[str] = []
    _answer(qtbot, button, seen)

    model.setData(index, "80%")

    assert _stored(other) == stored
    assert len(seen) == 1 and "lisi" in seen[0] and "“90%”" in seen[0] and "“80%”" in seen[0]
    assert model.index(0, model.column_of("Q2")).data() == stored


def test_an_idle_window_shows_other_users_values_within_seconds(
    qtbot: QtBot, window: MainWindow, other: Database
) -> None:
    pid, _ = _ids(other)
    window.show_project(pid)
    window.team_refresh.timer.setInterval(50)
    model = window.page.model
    _b_records(other, "90%")
    qtbot.waitUntil(lambda: model.index(0, model.column_of("Q2")).data() == "90%", timeout=5000)
    assert "其他用户修改了项目" in window.statusBar().currentMessage()


def _stop_idle_poll(window: MainWindow) -> None:
    """Stop the idle poll (and flush what it queued), so that only the trigger under test can
    bring another user's value in."""
    window.team_refresh.timer.stop()
    QCoreApplication.processEvents()


def _cell(window: MainWindow, key: str = "Q2") -> object:
    model = window.page.model
    return model.index(0, model.column_of(key)).data()


def test_a_window_coming_back_to_the_front_shows_other_users_values_at_once(
    qtbot: QtBot, window: MainWindow, other: Database
) -> None:
    pid, _ = _ids(other)
    _stop_idle_poll(window)
    window.show_project(pid)
    _b_records(other, "90%")
    # Windows closed by earlier tests are deleted now, so that only this one answers the signal below.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app = QApplication.instance()
    assert isinstance(app, QApplication)

    # The user switches to another program (Qt's offscreen platform never leaves the active state
    # by itself, so the test emits the change Qt emits when the user goes away and comes back).
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
    qtbot.wait(100)
    assert _cell(window) in ("", None)  # not yet: nothing has looked at the database since
    assert "其他用户修改了项目" not in window.statusBar().currentMessage()

    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)  # ... and back

    assert _cell(window) == "90%"  # at once: no idle poll ran
    assert "其他用户修改了项目" in window.statusBar().currentMessage()
    assert not window.team_refresh.timer.isActive()


def test_coming_back_in_the_middle_of_typing_leaves_the_cell_being_typed_in(
    qtbot: QtBot, window: MainWindow, other: Database
) -> None:
    """The user left with a cell open; coming back must not re-read the page under the editor: the
    value is taken in once the typing is done (the idle poll; here, by hand)."""
    pid, _ = _ids(other)
    _stop_idle_poll(window)
    window.show_project(pid)
    table, model = window.page.table, window.page.model
    table.setFocus()
    table.setCurrentIndex(model.index(0, model.column_of("Q3")))
    qtbot.keyClicks(table, "7")
    editor = QApplication.focusWidget()
    assert table.state() == table.State.EditingState and editor is not table
    _b_records(other, "90%")
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
    app.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    qtbot.wait(100)
    assert table.state() == table.State.EditingState and editor.text() == "7"  # still typing, as left
    assert _cell(window) in ("", None)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState)
    window.team_refresh.poll_when_idle()  # what the idle poll does next
    assert _cell(window) == "90%"


def _cli_records(db_url: str, text: str) -> None:
    """Another user records a value with the command line: a process of its own."""
    exe = shutil.which("perftrack", path=str(Path(sys.executable).parent))
    assert exe, "the perftrack console script is installed with the package"
    command = [exe, "record", PROJECT, INDICATOR, text, "--period", "Q2", "--db", db_url]
    proc = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_opening_a_project_shows_the_values_another_user_recorded_meanwhile(
    qtbot: QtBot, window: MainWindow, other: Database, db_url: str
) -> None:
    pid, ind_id = _ids(other)
    _stop_idle_poll(window)
    workspace = window.workspace
    assert workspace is not None
    window.show_project(pid)
    assert _cell(window) in ("", None)
    elsewhere = next(row[0] for row in workspace.project_index() if row[0] != pid)
    window.show_project(elsewhere)  # the user looks at another project meanwhile
    assert window.page.view_data is not None and window.page.view_data.project_id == elsewhere

    _cli_records(db_url, "90%")
    qtbot.wait(100)
    # Control: the window has not taken the change in yet; opening the project from what it holds
    # would show the empty cell.
    assert workspace.view(pid).text(EditKey(pid, ind_id, "Q2")) == ""

    window.side.select_project(pid)  # the user picks the project in the navigator

    assert window.page.view_data is not None and window.page.view_data.project_id == pid
    assert _cell(window) == "90%"
    assert not window.team_refresh.timer.isActive()


# -- the command line -----------------------------------------------------------------------


def test_record_expect_refuses_when_the_value_is_no_longer_the_expected_one(
    capsys: pytest.CaptureFixture[str], workspace: Workspace, other: Database, db_url: str
) -> None:
    _b_records(other, "90%")
    args = ["record", PROJECT, INDICATOR, "80%", "--period", "Q2", "--db", db_url]

    assert main([*args, "--expect", ""]) == 2
    err = capsys.readouterr().err
    assert "lisi" in err and "“90%”" in err and "（空）" in err and "未写入" in err
    assert "Traceback" not in err
    assert main([*args, "--expect", "85"]) == 2
    assert _stored(other) == "90%"

    assert main([*args, "--expect", "90.0%"]) == 0  # the same value, written another way
    assert _stored(other) == "80%"
    # Without --expect, record writes over what it finds, and the audit names what it replaced.
    assert main(["record", PROJECT, INDICATOR, "70%", "--period", "Q2", "--db", db_url]) == 0
    pid, ind_id = _ids(other)
    with other.reading() as s:
        newest = history(s, pid, ind_id)[0]
    assert (newest.old, newest.new) == ("80%", "70%")


@pytest.mark.sqlite_only  # the automatic backups are copies of the SQLite file
def test_a_window_left_open_for_days_still_gets_its_daily_backup(window: MainWindow, db_url: str) -> None:
    folder = backup_dir(db_url)
    made = sorted(folder.glob("自动-*-每日.db"))
    assert len(made) == 1  # the window's first opening
    made[0].rename(folder / "自动-20200101-090000-每日.db")  # as if made long ago
    window.team_refresh.daily_backup()
    assert len(sorted(folder.glob("自动-*-每日.db"))) == 2
