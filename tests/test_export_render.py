"""The workbook as LibreOffice sees it: converted headless to PDF and to CSV (every sheet), then read.

LibreOffice is a second, independent reader: it recomputes nothing we wrote as a value, shows
each number through its format, and writes "Err:" or "#NAME?" wherever a cell did not survive.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from perftrack.export.workbook import sheet_names
from perftrack.store.evaluation import ProjectEvaluation
from tests.support.exports import BASE, FORMULA_NAME, REASON, export_seed

pytestmark = pytest.mark.slow

ERROR_MARKS = ("Err:", "#VALUE", "#REF", "#NAME", "#DIV/0", "#N/A", "#NUM", "#NULL")
# Every sheet, formatted as displayed, UTF-8, comma separated (LibreOffice 7.2+).
CSV_FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1"


def _libreoffice() -> str:
    found = shutil.which("libreoffice") or shutil.which("soffice")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, capture_output=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "libreoffice-calc"],
            check=False,
            env=env,
            capture_output=True,
        )
        found = shutil.which("libreoffice") or shutil.which("soffice")
    if not found:  # scripts/bootstrap.sh --test installs it: a machine without it must not pass silently
        pytest.fail("LibreOffice is not installed and could not be installed (Debian: libreoffice-calc)")
    return found


def convert(source: Path, target: str, outdir: Path) -> None:
    """Convert with a private LibreOffice profile, so parallel runs do not share one."""
    profile = Path("/tmp") / f"lo-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            [
                _libreoffice(),
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(outdir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[ProjectEvaluation]]]:
    folder = tmp_path_factory.mktemp("render")
    exported, evaluations = export_seed(folder)
    exported.rename(folder / "book.xlsx")  # LibreOffice names what it writes after it: book.pdf, book-汇总.csv…
    convert(folder / "book.xlsx", "pdf", folder)
    convert(folder / "book.xlsx", CSV_FILTER, folder)
    yield folder, evaluations


def sheet_rows(folder: Path, sheet: str) -> list[list[str]]:
    with (folder / f"book-{sheet}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_every_sheet_converts_without_error_values(rendered) -> None:
    folder, evaluations = rendered
    names = ["汇总", "汇总图表", *(name for pair in sheet_names(evaluations) for name in pair)]
    files = sorted(folder.glob("book-*.csv"))
    assert len(files) == len(names) == 2 + 2 * 13
    for name in names:
        text = (folder / f"book-{name}.csv").read_text(encoding="utf-8")
        for mark in ERROR_MARKS:
            assert mark not in text, f"{mark} in sheet {name}"


def test_summary_as_displayed(rendered) -> None:
    folder, evaluations = rendered
    rows = sheet_rows(folder, "汇总")
    assert rows[0][0] == "项目支出绩效自评汇总表（2024年度）"
    listed = [r[1] for r in rows[3 : 3 + len(evaluations)]]
    assert listed == [ev.declaration.name for ev in evaluations]
    assert FORMULA_NAME in listed
    base = next(r for r in rows if r[1] == BASE)
    assert base[3:7] == ["5,900,000.00", "5,900,000.00", "2,950,000.00", "50.00%"]
    total = rows[3 + len(evaluations)]
    assert total[0] == "合计（得分为平均分）"
    assert total[3] == "46,771,540.00"
    average = sum((ev.score.total for ev in evaluations), Decimal(0)) / len(evaluations)
    assert total[7] == f"{average:.2f}"
    assert total[9] == "195"


def test_forms_keep_their_text(rendered) -> None:
    folder, evaluations = rendered
    evaluation_sheet, monitoring_sheet = sheet_names(evaluations)[[e.declaration.name for e in evaluations].index(BASE)]
    form = sheet_rows(folder, evaluation_sheet)
    cells = [c for row in form for c in row]
    # The base project's figures stand at Q2: its form is a trial, and says so at its head.
    assert "项目支出绩效自评表（年中试算）" in cells
    assert "（2024年度 · 截至2024年二季度末，按已填报数值试算，非年终自评）" in cells
    assert "=100.00(%)" in cells and "≥90.00(%)" in cells
    assert "95.00(%)" in cells  # a number shown through its format with the unit
    assert f"偏差原因：{REASON}" in cells
    assert "总分" in cells
    monitoring = [c for row in sheet_rows(folder, monitoring_sheet) for c in row]
    for word in ("项目绩效运行监控表", "一季度", "四季度", "有风险", "偏离目标", "未填报", "达成"):
        assert word in monitoring


def test_the_pdf_has_every_form_on_its_pages(rendered) -> None:
    folder, evaluations = rendered
    pdf = (folder / "book.pdf").read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    # At least the summary, the chart sheet, and per project a form and two monitoring pages.
    assert pages >= 2 + 3 * len(evaluations)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(folder / "book.pdf"), "-"], check=True, capture_output=True, text=True
        ).stdout
        assert text.count("项目支出绩效自评表") >= len(evaluations)
        for mark in ERROR_MARKS:
            assert mark not in text
