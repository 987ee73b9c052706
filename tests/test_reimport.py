"""A re-import never drops what users see or recorded without their word.

Importing a form again that no longer lists some indicators, or changes the target of one that
has recorded values, holds those changes back and says what it held back; ``--prune`` and
``--replace`` (a confirmation in the window) apply them. A file cut off inside its indicator table
(``head -c 9000`` of the sample) is said to be cut off, and its re-import changes no score.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import select

from perftrack.cli import main
from perftrack.paths import sample_files
from perftrack.store.database import open_database
from perftrack.store.schema import Indicator, Project
from tests.support.window import open_window as _open

# The offscreen test display cannot pass size hints on: a limit of the display, not of the program.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

SEED = sample_files()[0]
PROJECT = "信息化建设项目"
LABEL = f"{PROJECT}（上海市科技创新中心，2024年）"
ROW = "\t时效指标\t功能响应时间\t≤2.00(秒)\n"  # the form's last 产出 row


def _without_the_row(tmp_path: Path) -> Path:
    text = SEED.read_text(encoding="utf-8")
    assert text.count(ROW) == 1
    shorter = tmp_path / "shorter.txt"
    shorter.write_text(text.replace(ROW, ""), encoding="utf-8")
    return shorter


def run(capsys, *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _indicators(db: str, project: str = PROJECT) -> list[tuple[str, bool, str]]:
    with open_database(db) as database, database.reading() as session:
        query = select(Indicator.name, Indicator.retired, Indicator.target_raw).join(Project)
        return [tuple(r) for r in session.execute(query.where(Project.name == project).order_by(Indicator.position))]


def _score(capsys, db: str) -> str:
    code, out, _ = run(capsys, "score", PROJECT, "--json", "--db", db)
    assert code == 0
    return json.loads(out)["projects"][0]["total"]


def test_a_truncated_file_is_said_to_be_cut_off_and_holds_its_deletions_back(capsys, tmp_path: Path, db_url) -> None:
    db = db_url
    assert run(capsys, "import", SEED, "--db", db)[0] == 0
    assert run(capsys, "record", PROJECT, "功能响应时间", "1.5", "--period", "Q1", "--db", db)[0] == 0
    before, score = _indicators(db), _score(capsys, db)
    cut = tmp_path / "cut.txt"
    cut.write_bytes(SEED.read_bytes()[:9000])
    code, _, err = run(capsys, "import", cut, "--db", db)
    assert code == 0
    assert "文件可能被截断" in err and "“数量”处中断" in err
    assert "未改：" in err and "--prune" in err
    assert _indicators(db) == before  # nothing deleted, nothing retired, nothing added (no bogus "数量")
    assert _score(capsys, db) == score


def test_prune_deletes_and_retires_what_the_new_form_no_longer_lists(capsys, tmp_path: Path, db_url) -> None:
    db = db_url
    run(capsys, "import", SEED, "--db", db)
    run(capsys, "record", PROJECT, "功能响应时间", "1.5", "--period", "Q1", "--db", db)
    shorter = _without_the_row(tmp_path)
    code, out, _ = run(capsys, "import", shorter, "--db", db, "--json")
    held = json.loads(out)["summary"]["held_back"]
    assert code == 0 and held == [
        {
            "needs": "prune",
            "change": f"「{LABEL}」的指标「功能响应时间」不在新表单中，已有填报，未停用",
        }
    ]
    assert ("功能响应时间", False, "≤2.00(秒)") in _indicators(db)
    assert run(capsys, "import", shorter, "--db", db, "--prune")[0] == 0
    assert ("功能响应时间", True, "≤2.00(秒)") in _indicators(db)  # retired: its Q1 value is kept


def test_replace_changes_a_target_that_has_recorded_values(capsys, tmp_path: Path, db_url) -> None:
    db = db_url
    run(capsys, "import", SEED, "--db", db)
    run(capsys, "record", PROJECT, "功能响应时间", "1.5", "--period", "Q1", "--db", db)
    changed = tmp_path / "changed.txt"
    changed.write_text(SEED.read_text(encoding="utf-8").replace("≤2.00(秒)", "≤1.00(秒)"), encoding="utf-8")
    code, _, err = run(capsys, "import", changed, "--db", db)
    assert code == 0 and "已有填报，指标值未改：≤2.00(秒) → ≤1.00(秒)" in err and "--replace" in err
    assert ("功能响应时间", False, "≤2.00(秒)") in _indicators(db)
    run(capsys, "import", changed, "--db", db, "--replace")
    assert ("功能响应时间", False, "≤1.00(秒)") in _indicators(db)


def test_the_window_asks_before_applying_what_was_held_back(qtbot, tmp_path: Path, db_url) -> None:
    url = db_url
    window = _open(qtbot, url)
    try:
        assert window.import_files(sample_files())
        assert window.import_files([_without_the_row(tmp_path)])
        notes = window.import_notes
        assert notes.isVisible() and notes.apply_button.isVisible() and "功能响应时间" in notes.first
        assert "功能响应时间" in [n for n, *_ in _indicators(url)]
        box = notes.confirm_held_back()
        assert "功能响应时间" in box.detailedText()
        box.button(QMessageBox.StandardButton.Yes).click()
        qtbot.waitUntil(lambda: not notes.apply_button.isVisible())
        assert "功能响应时间" not in [n for n, *_ in _indicators(url)]
        assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    finally:
        window.close()
