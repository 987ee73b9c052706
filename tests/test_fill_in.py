"""The fill-in workbook round trip: export a quarter's workbooks, fill them as a manager, import them back.

Real files: the workbook perftrack writes is opened and filled with openpyxl (as a manager's
Excel would), and once saved again by LibreOffice (the stand-in for Excel and WPS); the database
is a real SQLite file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from perftrack.cli import main
from perftrack.domain.fill_in import FILL_SHEET, KEY_SHEET
from perftrack.paths import sample_files
from perftrack.store.database import open_database
from perftrack.store.schema import Actual, Audit, BudgetExecution, Indicator, Project

PROJECT = "项目管理费"  # 5 indicators: 工作完成率 =100%, …, 提升服务能力 (qualitative), 综合满意度 ≥90%


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "unit.db")
    assert main(["import", *map(str, sample_files()), "--db", path]) == 0
    assert main(["record", PROJECT, "工作完成率", "40%", "--period", "Q1", "--db", path]) == 0
    return path


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _export(capsys, db: str, folder: Path) -> Path:
    code, out, _ = run(capsys, "export", "--fill-in", "Q2", "-o", folder, PROJECT, "--db", db)
    assert code == 0 and "1 份填报工作簿" in out
    [book] = folder.glob("*.xlsx")
    assert book.name == f"{PROJECT}-2024-Q2-填报.xlsx"
    return book


def _rows(path: Path) -> dict[str, int]:
    sheet = load_workbook(path)[FILL_SHEET]
    return {
        sheet.cell(row=r, column=4).value: r for r in range(5, sheet.max_row + 1) if sheet.cell(row=r, column=4).value
    }


def _fill(path: Path, values: dict[str, tuple[str | None, ...]], spending: str | None = None) -> None:
    """Type into the open cells as a manager would: name → (value, note, cause, analysis)."""
    book = load_workbook(path)
    sheet = book[FILL_SHEET]
    rows = _rows(path)
    value_col = int(dict(book[KEY_SHEET].iter_rows(values_only=True, max_col=2))["value_column"])
    for name, typed in values.items():
        for offset, text in enumerate(typed):
            if text is not None:
                sheet.cell(row=rows[name], column=value_col + offset).value = text
    if spending is not None:
        spend = dict(book[KEY_SHEET].iter_rows(values_only=True, max_col=2))["spending_cell"]
        sheet[spend].value = float(spending)
    book.save(path)


def _actuals(db: str, period: str = "Q2") -> dict[str, tuple[str | None, str | None]]:
    with open_database(db) as database, database.reading() as s:
        rows = s.execute(
            select(Indicator.name, Actual.value_text, Actual.note)
            .join(Actual.indicator)
            .join(Project)
            .where(Project.name == PROJECT, Actual.period == period)
        )
        return {name: (text, note) for name, text, note in rows}


def test_the_workbook_opens_only_the_cells_to_fill(capsys, db: str, tmp_path: Path) -> None:
    book_path = _export(capsys, db, tmp_path / "out")
    book = load_workbook(book_path)
    sheet, key = book[FILL_SHEET], book[KEY_SHEET]
    assert sheet.protection.sheet and not sheet.protection.password  # protected, without a password
    assert key.sheet_state == "hidden"
    rows = _rows(book_path)
    first = rows["工作完成率"]
    assert sheet.cell(row=first, column=5).value == "=100.00(%)"  # a target, kept as text, not a formula
    assert sheet.cell(row=first, column=5).data_type == "s"
    assert sheet.cell(row=first, column=6).value == "40%"  # Q1 shown for reference
    locked = [sheet.cell(row=first, column=c).protection.locked for c in range(1, 11)]
    assert locked == [True] * 6 + [False] * 4
    validations = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    tier_row = rows["提升服务能力"]
    assert any(f"G{tier_row}" in ref and "部分达成" in f for ref, f in validations.items())
    assert any(f"I{first}" in ref and "经费保障" in f for ref, f in validations.items())


def test_a_filled_workbook_comes_back_all_at_once(capsys, db: str, tmp_path: Path) -> None:
    book = _export(capsys, db, tmp_path / "out")
    _fill(
        book,
        {
            "工作完成率": ("60%", "上半年完成过半", "人员保障", "人手不足，已增派"),
            "提升服务能力": ("部分达成", None, None, None),
            "综合满意度": ("92%", None, None, None),
        },
        spending="1200000",
    )
    code, out, err = run(capsys, "actuals", "import", book, "--db", db)
    assert code == 0, err
    assert "3 个完成值" in out and "预算执行数" in out
    assert _actuals(db) == {
        "工作完成率": ("60%", "上半年完成过半"),
        "提升服务能力": ("部分达成", None),
        "综合满意度": ("92%", None),
    }
    with open_database(db) as database, database.reading() as s:
        assert s.scalar(select(BudgetExecution.amount).where(BudgetExecution.period == "Q2")) == 1200000
        ind = s.scalar(
            select(Indicator).where(Indicator.name == "工作完成率").join(Project).where(Project.name == PROJECT)
        )
        assert (ind.monitor_cause, ind.deviation_reason) == ("人员保障", "人手不足，已增派")
        sources = s.scalars(select(Audit.summary).where(Audit.period == "Q2")).all()
    assert sources and all(book.name in text for text in sources)


def test_every_problem_names_its_cell_and_nothing_is_written(capsys, db: str, tmp_path: Path) -> None:
    book = _export(capsys, db, tmp_path / "out")
    rows = _rows(book)
    _fill(book, {"工作完成率": ("六成", None, "天气原因", None), "综合满意度": ("92%", None, None, None)})
    code, _, err = run(capsys, "actuals", "import", book, "--db", db)
    assert code == 2 and "2 处问题" in err and "未导入任何内容" in err
    assert f"{FILL_SHEET}!G{rows['工作完成率']}" in err and f"{FILL_SHEET}!I{rows['工作完成率']}" in err
    assert "Traceback" not in err
    assert _actuals(db) == {}


def test_values_that_differ_from_the_recorded_ones_need_consent(capsys, db: str, tmp_path: Path) -> None:
    book = _export(capsys, db, tmp_path / "out")
    assert run(capsys, "record", PROJECT, "综合满意度", "95%", "--period", "Q2", "--db", db)[0] == 0
    _fill(book, {"综合满意度": ("92%", None, None, None), "工作完成率": ("60%", None, None, None)})
    code, _, err = run(capsys, "actuals", "import", book, "--db", db)
    assert code == 2 and "已记录 95%，填报表为 92%" in err and "--replace" in err
    assert _actuals(db) == {"综合满意度": ("95%", None)}
    code, out, _ = run(capsys, "actuals", "import", book, "--replace", "--db", db)
    assert code == 0 and "覆盖了 1 处" in out
    assert _actuals(db) == {"综合满意度": ("92%", None), "工作完成率": ("60%", None)}


def test_a_workbook_of_another_database_or_of_an_approved_period_is_refused(capsys, db: str, tmp_path: Path) -> None:
    book = _export(capsys, db, tmp_path / "out")
    _fill(book, {"工作完成率": ("60%", None, None, None)})
    other = str(tmp_path / "other.db")
    assert main(["import", *map(str, sample_files()), "--db", other]) == 0
    code, _, err = run(capsys, "actuals", "import", book, "--db", other)
    assert code == 2 and "另一个 perftrack 数据库" in err

    assert run(capsys, "submit", PROJECT, "--period", "Q2", "--db", db)[0] == 0
    assert run(capsys, "approve", PROJECT, "--period", "Q2", "--db", db)[0] == 0
    code, _, err = run(capsys, "actuals", "import", book, "--db", db)
    assert code == 2 and "锁定" in err
    assert _actuals(db) == {}


@pytest.mark.slow
def test_a_workbook_saved_by_libreoffice_comes_back_too(capsys, db: str, tmp_path: Path) -> None:
    """Excel and WPS must open and save these files: LibreOffice stands in for them here."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed (make test installs it)"
    book = _export(capsys, db, tmp_path / "out")
    _fill(book, {"工作完成率": ("60%", "已过半", None, None)}, spending="800000")
    saved = tmp_path / "saved"
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    try:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(saved),
                str(book),
            ],
            check=True,
            capture_output=True,
            timeout=180,
            env={**os.environ, "HOME": str(profile)},
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    [resaved] = saved.glob("*.xlsx")
    sheet = load_workbook(resaved)[FILL_SHEET]
    assert sheet.protection.sheet  # still protected after LibreOffice saved it
    code, _, err = run(capsys, "actuals", "import", resaved, "--db", db)
    assert code == 0, err
    assert _actuals(db) == {"工作完成率": ("60%", "已过半")}
