"""Forms printed to PDF (by LibreOffice, from Word and Excel) read back field by field, as the text was.

The PDFs come from ``tests/support/pdf_builders.py``: the seed's forms as a Word document and as
a workbook, a form whose indicator table runs over page breaks, and a department's whole budget
disclosure (cover, contents, budget tables, then forms). Also what must be refused: a scan, a
damaged file, and a real department PDF that holds no form at all.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from perftrack.domain.serialize import declaration_to_dict
from perftrack.importers import read_declarations
from tests.support import pdf_builders as pdfs
from tests.support.office_builders import assert_same_projects

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent / "data" / "pdf"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    seed = list(pdfs.seed_declarations())
    return {
        "docx": (pdfs.form_pdf_from_docx(seed[:4], out), seed[:4]),
        "xlsx": (pdfs.form_pdf_from_xlsx(seed[:4], out), seed[:4]),
        "long": (pdfs.long_form_pdf(seed, out), [pdfs.long_declaration(seed)]),
        "disclosure": (pdfs.disclosure_pdf(seed[4:9], out), seed[4:9]),
        "out": out,
    }


def as_json(decls) -> list[dict]:
    """The projects' JSON; a target's raw text without spaces, which a PDF cannot keep where a cell wraps
    at one ("=100.00 (%)" printed on two lines comes back "=100.00(%)"). Everything else must be equal."""
    out = [declaration_to_dict(d) for d in decls]
    for project in out:
        for ind in project["indicators"]:
            ind["target"]["raw"] = re.sub(r"\s+", "", ind["target"]["raw"])
    return out


@pytest.mark.parametrize("which", ["docx", "xlsx", "long", "disclosure"])
def test_forms_printed_to_pdf_read_back_as_declared(built, which):
    path, decls = built[which]
    result = read_declarations([path])
    assert not result.errors, [p.message for p in result.errors]
    assert_same_projects(as_json(result.declarations), as_json(decls))


def test_a_pdf_problem_names_the_page_and_the_cell(built):
    # the seed form whose 高转项目管理规范性 has no target, printed from Word
    form = next(d for d in pdfs.seed_declarations() if d.name == "科技成果转化及相关政策服务工作")
    result = read_declarations([pdfs.form_pdf_from_docx([form], built["out"], name="missing_target")])
    (missing,) = [p for p in result.problems if p.code == "missing-target"]
    assert "高转项目管理规范性" in missing.message
    assert missing.cell is not None and re.fullmatch(r"第\d+页 表\d+ 第\d+行第4列", missing.cell)  # the name's column
    sources = [i.source for d in result.declarations for i in d.indicators]
    assert all(s.cell and s.cell.startswith("第") and "页" in s.cell for s in sources)


def test_a_disclosure_yields_every_form_and_skips_its_budget_tables(built):
    path, decls = built["disclosure"]
    result = read_declarations([path])
    assert [d.name for d in result.declarations] == [d.name for d in decls]
    assert not any(p.code in ("missing-name", "no-form") for p in result.problems)


def test_a_scanned_pdf_is_refused_as_a_scan(built):
    scanned = pdfs.scanned_pdf(built["out"])
    result = read_declarations([scanned])
    assert not result.declarations
    (error,) = result.errors
    assert error.code == "scanned" and "扫描" in error.message and str(scanned) in error.message


def test_a_damaged_pdf_is_refused_with_the_file_name(built, tmp_path):
    path, _ = built["docx"]
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(path.read_bytes()[:3000])
    result = read_declarations([cut])
    assert not result.declarations
    (error,) = result.errors
    assert error.code == "bad-pdf" and str(cut) in error.message


def test_a_department_pdf_without_forms_says_no_form_was_found(tmp_path):
    real = tmp_path / "final_accounts.pdf"
    shutil.copy(DATA / "putuo_caizheng_2024_final_accounts.pdf", real)
    result = read_declarations([real])
    assert not result.declarations
    (error,) = result.errors
    assert error.code == "no-form" and "没有找到申报表" in error.message
