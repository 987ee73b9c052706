"""``perftrack export`` as a user runs it, on a real database with the seed forms."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from perftrack import cli
from perftrack.export.workbook import CHART_SHEET, SUMMARY_SHEET
from tests.support.exports import BASE, FINANCE, seed


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    db_file = tmp_path / "cli.db"
    seed(db_file).close()

    def run(*args: object, db: Path = db_file) -> tuple[int, str, str]:
        code = cli.main([str(a) for a in (*args, "--db", db)])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_cli_exports_named_projects_in_the_order_given(run, tmp_path: Path) -> None:
    out_file = tmp_path / "two.xlsx"
    code, out, err = run("export", "-o", out_file, "科技金融", "孵化基地运营", "--as-of", "一季度")
    assert code == 0, err
    assert f"已导出 2 个项目到 {out_file}" in out
    book = openpyxl.load_workbook(out_file)
    assert book.sheetnames == [
        SUMMARY_SHEET,
        CHART_SHEET,
        f"{FINANCE}-自评",
        f"{FINANCE}-监控",
        f"{BASE}-自评",
        f"{BASE}-监控",
    ]
    assert book[f"{BASE}-监控"]["A2"].value == "（截至2024年一季度末）"


def test_cli_exports_everything_by_default(run, tmp_path: Path) -> None:
    out_file = tmp_path / "all.xlsx"
    code, _, err = run("export", "-o", out_file, "--year", "2024")
    assert code == 0, err
    assert len(openpyxl.load_workbook(out_file).sheetnames) == 2 + 2 * 13


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-o", "x.csv"), "应以 .xlsx 结尾"),
        (("-o", "{tmp}/nowhere/x.xlsx"), "不存在"),
        (("-o", "{tmp}/x.xlsx", "--as-of", "13月"), "--as-of"),
        (("-o", "{tmp}/x.xlsx", "不存在的项目"), "没有找到"),
        (("-o", "{tmp}/x.xlsx", "孵化"), "请写得更具体"),
        (("-o", "{tmp}/x.xlsx", "--year", "2030"), "没有2030年的项目"),
    ],
)
def test_cli_user_errors_exit_2(run, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    code, _, err = run("export", *(a.format(tmp=tmp_path) for a in args))
    assert code == 2
    assert message in err
    assert not (tmp_path / "x.xlsx").exists()
