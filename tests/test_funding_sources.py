"""Spending by funding source: the 其中 rows (当年财政拨款, 上年结转资金, 其他资金) of the funds table,
recorded from the command line and the window, audited, undone, and printed on the workbook and the PDF."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

import perftrack.cli as cli
from perftrack.store.database import open_database
from perftrack.store.schema import Audit, Project
from tests.support.window import sample_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sample_data" / "shanghai_2024_declarations.txt"
PROJECT = "信息化建设项目"  # 1,934,700.00 元, all of it 当年财政拨款


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{(tmp_path / 'sources.db').as_posix()}"
    assert cli.main(["--db", url, "import", str(SEED)]) == 0
    return url


def _run(url: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(["--db", url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_records_a_source_and_says_when_the_parts_disagree(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(db, capsys, "budget", PROJECT, "1,800,000", "--period", "YEAR")[0] == 0
    code, out, err = _run(db, capsys, "budget", PROJECT, "1,700,000", "--source", "当年财政拨款")
    assert code == 0
    assert "  其中当年财政拨款：全年执行数 1,700,000.00 元，执行率 87.87%" in out  # 1,700,000 / 1,934,700
    assert err.strip() == "注意：各资金来源的全年执行数合计 1,700,000.00 元，与全年执行数 1,800,000.00 元 不一致"
    code, out, err = _run(db, capsys, "budget", PROJECT, "1,800,000", "--source", "财政拨款")
    assert code == 0 and err == ""  # the parts now add up

    _, out, _ = _run(db, capsys, "score", PROJECT, "--json")
    sources = {s["source"]: s for s in json.loads(out)["projects"][0]["funding_sources"]}
    assert sources["appropriation"] == {
        "source": "appropriation",
        "label": "当年财政拨款",
        "initial_budget": "1934700.00",
        "full_year_budget": "1934700.00",
        "executed": "1800000.00",
        "rate": "93.04",
    }
    assert sources["carryover"]["executed"] is None and sources["other"]["executed"] is None
    _, out, _ = _run(db, capsys, "score", PROJECT)
    assert "  其中：当年财政拨款 1,800,000.00 元（执行率 93.04%）" in out

    with open_database(db) as database, database.reading() as s:
        rows = s.scalars(select(Audit).where(Audit.field == "spent_appropriation").order_by(Audit.id)).all()
        assert [(a.old, a.new) for a in rows] == [(None, "1700000"), ("1700000", "1800000")]

    # Blank clears it; a source that is not one, or a quarter, is refused in one line with nothing written.
    assert _run(db, capsys, "budget", PROJECT, "", "--source", "当年财政拨款")[0] == 0
    code, _, err = _run(db, capsys, "budget", PROJECT, "5", "--source", "专项债")
    assert code == 2 and err.strip() == "资金来源“专项债”无效，应为 当年财政拨款、上年结转资金 或 其他资金"
    code, _, err = _run(db, capsys, "budget", PROJECT, "5", "--source", "其他", "--period", "Q2")
    assert code == 2 and "不能指定 --period" in err
    with open_database(db) as database, database.reading() as s:
        project = s.scalar(select(Project).where(Project.name == PROJECT))
        assert project is not None
        assert (project.spent_appropriation, project.spent_other) == (None, None)


def test_the_sheets_print_what_each_source_spent(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(db, capsys, "budget", PROJECT, "1,800,000", "--period", "YEAR")
    _run(db, capsys, "budget", PROJECT, "1,800,000", "--source", "当年财政拨款")
    book, pdf = tmp_path / "s.xlsx", tmp_path / "s.pdf"
    assert _run(db, capsys, "export", PROJECT, "-o", str(book))[0] == 0
    assert _run(db, capsys, "report", PROJECT, "-o", str(pdf), "--as-of", "YEAR")[0] == 0

    wb = openpyxl.load_workbook(book)
    label = "其中：当年财政拨款"
    sheet = next(ws for ws in wb.worksheets if any(c.value == label for row in ws.iter_rows() for c in row))
    row = next(r for r in sheet.iter_rows() if any(c.value == label for c in r))
    values = [c.value for c in row if c.value is not None]
    assert values[1:] == [1934700, 1934700, 1800000, "—", pytest.approx(0.9304), "—"]

    with pdfplumber.open(pdf) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
    assert "其中：当年财政拨款 1,934,700.00 1,934,700.00 1,800,000.00 — 93.04% —" in text
    assert "上年结转资金 0.00 0.00 — — —" in text  # declared nothing, spent nothing recorded


def test_the_window_shows_a_row_for_each_declared_source_and_takes_its_spending(qtbot: QtBot, tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'gui.db').as_posix()}"
    window, pid = sample_window(qtbot, url, PROJECT)
    model = window.page.budget_model
    # Only 当年财政拨款 is declared (the other two are 0.00): one 其中 row under the totals.
    assert model.rowCount() == 2
    assert model.headerData(1, Qt.Orientation.Vertical) == "其中：当年财政拨款"
    column = {model.headerData(c, Qt.Orientation.Horizontal): c for c in range(model.columnCount())}
    spent = model.index(1, column["全年执行数"])
    assert model.index(1, column["年初预算数"]).data() == "1,934,700.00"
    assert model.flags(spent) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(1, column["一季度执行"])) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(1, column["全年预算数"])) & Qt.ItemFlag.ItemIsEditable

    assert model.setData(model.index(0, column["全年执行数"]), "1,800,000")
    assert model.setData(spent, "1,700,000")
    assert model.index(1, column["全年执行数"]).data() == "1,700,000.00"
    assert model.index(1, column["执行率"]).data() == "87.87%"
    # The parts do not add up to the total: the cell says so.
    assert "不一致" in model.index(1, column["全年执行数"]).data(Qt.ItemDataRole.ToolTipRole)
    with open_database(url) as database, database.reading() as s:
        project = s.get(Project, pid)
        assert project is not None and project.spent_appropriation == Decimal("1700000")

    window.undo_action.trigger()
    assert model.index(1, column["全年执行数"]).data() == ""
    with open_database(url) as database, database.reading() as s:
        project = s.get(Project, pid)
        assert project is not None and project.spent_appropriation is None
    window.close()
