"""Money shown in 元 or 万元: one setting of the database, followed by the window, the command line,
the workbook and the PDF. Amounts stay stored in 元; only what is shown (and typed in the window) changes."""

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
from perftrack.domain.numbers import WAN_YUAN, YUAN, format_money, in_money_unit, money_unit
from perftrack.store.database import open_database
from perftrack.store.schema import BudgetExecution, Project
from perftrack.ui.main_window import MainWindow
from tests.support.window import sample_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sample_data" / "shanghai_2024_declarations.txt"
PROJECT = "项目管理费"  # 年度资金总额 2,596,000.00 元


def test_amounts_in_wan_yuan_are_exact_and_print_half_up() -> None:
    assert format_money(Decimal("215457.60")) == "215,457.60"
    assert format_money(Decimal("215457.60"), WAN_YUAN) == "21.55"
    assert format_money(Decimal("215450.00"), WAN_YUAN) == "21.55"  # 21.545 → 21.55, half up as the forms round
    assert format_money(Decimal("123456789.00"), WAN_YUAN) == "12,345.68"
    assert format_money(None, WAN_YUAN, "—") == "—"
    assert format_money(Decimal("-0.4"), WAN_YUAN) == "0.00"  # no "-0.00"
    assert in_money_unit(Decimal("215457.60"), WAN_YUAN) == Decimal("21.54576")  # the workbook keeps every 元
    assert [money_unit(w) for w in ("元", "万元", " 万 ", "Wan")] == [YUAN, WAN_YUAN, WAN_YUAN, WAN_YUAN]
    with pytest.raises(ValueError, match="千元"):
        money_unit("千元")


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{(tmp_path / 'money.db').as_posix()}"
    assert cli.main(["--db", url, "import", str(SEED)]) == 0
    return url


def _run(url: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["--db", url, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_command_line_shows_the_unit_set_and_keeps_yuan_in_json(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert _run(db, capsys, "money-unit")[1].startswith("金额单位：元")
    assert _run(db, capsys, "budget", PROJECT, "215,457.60", "--period", "Q2")[0] == 0
    code, out, _ = _run(db, capsys, "money-unit", "万元")
    assert code == 0 and out.startswith("金额单位：万元")

    _, out, _ = _run(db, capsys, "score", PROJECT)
    assert "预算执行：全年预算数 259.60 万元  累计执行数 21.55 万元  执行率 8.30%" in out
    _, out, _ = _run(db, capsys, "budget", PROJECT, "1000", "--period", "Q3")  # typed without a unit: 元
    assert out.strip().startswith("「项目管理费」全年预算数 259.60 万元，全年执行数 21.65 万元")
    _, out, _ = _run(db, capsys, "projects")
    assert f"{PROJECT}  5 个指标  年度资金 259.60 万元" in out
    _, out, _ = _run(db, capsys, "show", PROJECT)
    assert "年度资金申请总额：259.60 万元" in out

    _, out, _ = _run(db, capsys, "score", PROJECT, "--json")
    data = json.loads(out)["projects"][0]
    assert data["budget"]["executed"] == "216457.60"  # machine-readable figures stay in 元
    assert data["display_money_unit"] == "万元"

    code, _, err = _run(db, capsys, "money-unit", "千元")
    assert code == 2 and err.strip() == "金额单位“千元”无效，可选：元、万元"
    assert _run(db, capsys, "money-unit")[1].startswith("金额单位：万元")  # unchanged by the refusal


def test_the_workbook_and_the_report_follow_the_setting(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(db, capsys, "budget", PROJECT, "215,457.60", "--period", "Q2")
    _run(db, capsys, "money-unit", "万元")
    book, pdf, year_end = tmp_path / "m.xlsx", tmp_path / "m.pdf", tmp_path / "year.pdf"
    assert _run(db, capsys, "export", PROJECT, "-o", str(book))[0] == 0
    assert _run(db, capsys, "report", PROJECT, "-o", str(pdf))[0] == 0  # at Q2: the monitoring report
    assert _run(db, capsys, "report", PROJECT, "-o", str(year_end), "--as-of", "YEAR")[0] == 0

    wb = openpyxl.load_workbook(book)
    summary = wb.worksheets[0]
    texts = {c.value for row in summary.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）"} <= texts
    assert any("金额单位：万元" in t for t in texts)
    numbers = [c.value for row in summary.iter_rows() for c in row if isinstance(c.value, int | float)]
    assert pytest.approx(259.6) in numbers and pytest.approx(21.54576) in numbers  # exact, shown with 2 places
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not any(isinstance(c.value, str) and "（元）" in c.value for c in cells)
    assert all(c.number_format == "#,##0.00" for c in cells if c.value == pytest.approx(21.54576))

    def pdf_text(path: Path) -> str:
        with pdfplumber.open(path) as doc:
            return "\n".join(page.extract_text() or "" for page in doc.pages)

    text = pdf_text(pdf)
    assert "当期执行数（万元）" in text and "累计执行数（万元）" in text
    assert "259.60" in text and "21.55" in text and "2,596,000.00" not in text and "215,457.60" not in text
    assert "（元）" not in text
    text = pdf_text(year_end)
    assert "年度资金总额 259.60 259.60 21.55" in text  # 年初预算数, 全年预算数, 全年执行数 in 万元
    assert "全年执行数 21.55 万元" in text  # the sentence under 实际完成情况 too
    assert "（元）" not in text and "2,596,000.00" not in text


def test_the_window_shows_and_takes_amounts_in_the_unit_chosen(qtbot: QtBot, tmp_path: Path) -> None:
    url = f"sqlite:///{(tmp_path / 'gui.db').as_posix()}"
    window, pid = sample_window(qtbot, url, PROJECT)
    model = window.page.budget_model
    column = {model.headerData(c, Qt.Orientation.Horizontal): c for c in range(model.columnCount())}
    assert model.index(0, column["年初预算数"]).data() == "2,596,000.00"
    assert model.headerData(0, Qt.Orientation.Vertical) == "金额（元）"

    assert window.commands.money_actions[YUAN].isChecked()
    window.commands.money_actions[WAN_YUAN].trigger()  # 设置 ▸ 金额单位 ▸ 万元
    assert window.commands.money_actions[WAN_YUAN].isChecked()
    model = window.page.budget_model
    assert model.headerData(0, Qt.Orientation.Vertical) == "金额（万元）"
    assert model.index(0, column["年初预算数"]).data() == "259.60"

    # A plain number typed in a 万元 cell is 万元; one naming its unit is taken as written.
    q1 = model.index(0, column["一季度执行"])
    assert model.setData(q1, "21.55")
    assert model.index(0, column["一季度执行"]).data() == "21.55"
    assert model.index(0, column["一季度执行"]).data(Qt.ItemDataRole.EditRole) == "21.55"
    full_year = model.index(0, column["全年预算数"])
    assert model.setData(full_year, "2,500,000元")
    assert model.index(0, column["全年预算数"]).data() == "250.00"
    with open_database(url) as database, database.session() as s:
        spent = s.scalar(select(BudgetExecution.amount).where(BudgetExecution.project_id == pid))
        project = s.get(Project, pid)
        assert spent == Decimal("215500.00") and project is not None
        assert project.full_year_budget == Decimal("2500000")
    # Undo goes back through the audit trail in 元, whatever is shown.
    window.undo_action.trigger()
    assert model.index(0, column["全年预算数"]).data() == "259.60"

    # The setting belongs to the database: a window opened on it later shows 万元 too.
    window.close()
    again = MainWindow(url)
    qtbot.addWidget(again)
    assert again.commands.money_actions[WAN_YUAN].isChecked()
    again.show_project(pid)
    assert again.page.budget_model.index(0, column["一季度执行"]).data() == "21.55"
    again.close()
