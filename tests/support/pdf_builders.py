"""Real PDFs of declaration forms for the PDF reader's tests, printed by LibreOffice.

The forms are the workbooks and Word documents of ``office_builders`` given what a printed form
has and those builders leave out (ruled cells, column widths, A4 pages, labels set
"distributed", a running header, page numbers, a header row repeated on every page), then
converted with ``soffice --headless --convert-to pdf``. Each conversion runs with a fresh
LibreOffice profile of its own: two conversions sharing a profile silently lose a file. Word
documents need LibreOffice Writer, workbooks Calc.

Also a department's whole budget disclosure (cover, contents, budget tables, then forms), an
image-only scan (pdftoppm, then Pillow), a password-protected file, PDFs written by hand (a
2,001-page one, exact clipping paths and ruling lines) and the benchmark's 50-form file.
LibreOffice takes seconds per file: callers build each once per test session.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
import openpyxl
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from perftrack.domain.model import Declaration, Indicator
from perftrack.importers import read_declarations
from tests.support.office_builders import TITLE, write_docx, write_form_workbook

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "sample_data" / "shanghai_2024_declarations.txt"

# Widths of the Word form's six columns (cm): label, name/level 1, level 2, indicator, target, rest.
DOCX_WIDTHS_CM = (2.4, 2.8, 2.8, 3.6, 2.6, 2.0)
XLSX_WIDTHS = {"A": 10, "B": 14, "C": 14, "D": 20, "E": 14, "F": 10}


class ToolMissing(RuntimeError):
    """LibreOffice (Writer, Calc) or poppler-utils is not installed; tests skip on it."""


@functools.cache
def seed_declarations() -> tuple[Declaration, ...]:
    """The 13 seed forms, read once per session by the text importer."""
    decls = tuple(read_declarations([SEED]).declarations)
    assert len(decls) == 13, decls
    return decls


def renamed(decls: Sequence[Declaration], n: int) -> list[Declaration]:
    """n forms cycling through ``decls``, each project name made unique with a number."""
    return [replace(d, name=f"{d.name}（{i + 1:02d}）") for i, d in enumerate(decls[i % len(decls)] for i in range(n))]


def long_declaration(decls: Sequence[Declaration], indicators: int = 70) -> Declaration:
    """A form with so many indicators that its table runs over at least one page break."""
    base = max(decls, key=lambda d: len(d.indicators))
    inds: list[Indicator] = []
    k = 0
    while len(inds) < indicators:
        for ind in base.indicators:
            if len(inds) == indicators:
                break
            k += 1
            inds.append(replace(ind, name=f"{ind.name}{k:02d}"))
    # Keep each level-1 and level-2 group together, as a form lists them.
    order = {levels: n for n, levels in enumerate(dict.fromkeys((i.level1, i.level2) for i in inds))}
    first = {level1: n for n, (level1, _) in reversed(list(enumerate(order)))}
    inds.sort(key=lambda i: (first[i.level1], order[(i.level1, i.level2)]))
    return replace(base, name=f"{base.name}（长表）", indicators=inds)


# -- LibreOffice ---------------------------------------------------------------------------------


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise ToolMissing("LibreOffice (soffice) is not installed")
    return found


def convert_to_pdf(sources: Sequence[Path], out_dir: Path, target: str = "pdf") -> list[Path]:
    """Print files to PDF with LibreOffice in one run with a profile of its own; the PDFs' paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.gettempdir()) / f"lo-profile-{uuid.uuid4().hex}"
    try:
        done = subprocess.run(
            [
                soffice(),
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(out_dir),
                *map(str, sources),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdfs = [out_dir / f"{s.stem}.pdf" for s in sources]
    missing = [p.name for p in pdfs if not p.exists()]
    if missing:
        if "source file could not be loaded" in done.stderr:
            raise ToolMissing(f"LibreOffice could not open {missing} (Writer or Calc missing?): {done.stderr}")
        raise RuntimeError(f"LibreOffice did not write {missing}: {done.stdout} {done.stderr}")
    return pdfs


# -- Word forms, ruled and sized as printed ------------------------------------------------------


def _size_table(table: Table, widths_cm: Sequence[float]) -> None:
    """Column widths on the grid and every cell (a merged cell gets its columns' sum); rows kept whole.

    Word lets a row split over a page break by default, and the PDF then shows its two halves
    as two rows that nothing tells apart from two rows (see the reader's docstring).
    """
    table.autofit = False
    grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
    for col, w in zip(grid, widths_cm, strict=True):
        col.set(qn("w:w"), str(int(Cm(w).twips)))
    for row in table.rows:
        tr = row._tr
        trPr = tr.get_or_add_trPr()
        trPr.append(OxmlElement("w:cantSplit"))
        start = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Cm(sum(widths_cm[start : start + span]))
            start += span


def _style_form_tables(document: docx.document.Document) -> None:
    """Ruled cells, centred vertically; the first column's labels spread over the cell's width
    ("distributed", 分散对齐, as Chinese forms set their labels)."""
    for table in document.tables:
        table.style = document.styles["Table Grid"]
        _size_table(table, DOCX_WIDTHS_CM)
        for row in table.rows:
            for cell in row.cells:
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            for p in row.cells[0].paragraphs:
                p.alignment = WD_ALIGN_PARAGRAPH.DISTRIBUTE
    for p in document.paragraphs:
        if p.text == TITLE:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in p.runs:
                run.font.size = Pt(16)
                run.font.bold = True
        elif p.text.startswith("(") and p.text.endswith("年度)"):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _page_setup(document: docx.document.Document, *, header: str | None = None, page_numbers: bool = True) -> None:
    """A4, 2 cm margins, an optional running header, and "- N -" page numbers in the footer."""
    for section in document.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin = section.bottom_margin = Cm(2.0)
        section.left_margin = section.right_margin = Cm(2.0)
        if header:
            hp = section.header.paragraphs[0]
            hp.text = header
            hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if page_numbers:
            fp = section.footer.paragraphs[0]
            fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fp.add_run("- ")
            field = OxmlElement("w:fldSimple")
            field.set(qn("w:instr"), "PAGE")
            run = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.text = "1"
            run.append(text)
            field.append(run)
            fp._p.append(field)
            fp.add_run(" -")


def write_form_docx(decls: Sequence[Declaration], path: Path, *, header: str | None = None) -> Path:
    """``write_docx``'s forms, ruled, sized for A4, one per page, with page numbers."""
    write_docx(decls, path)
    document = docx.Document(str(path))
    _style_form_tables(document)
    _page_setup(document, header=header)
    document.save(str(path))
    return path


def form_pdf_from_docx(decls: Sequence[Declaration], out_dir: Path, name: str = "forms_docx") -> Path:
    """Forms printed from Word: one form per page (a long one runs on)."""
    source = write_form_docx(decls, _source_dir(out_dir) / f"{name}.docx")
    return convert_to_pdf([source], out_dir)[0]


def long_form_pdf(decls: Sequence[Declaration], out_dir: Path, name: str = "long_form") -> Path:
    """One Word form whose indicator table runs over page breaks, under a running page header."""
    d = long_declaration(decls)
    source = write_form_docx([d], _source_dir(out_dir) / f"{name}.docx", header=f"{d.department}2024年项目支出绩效目标")
    return convert_to_pdf([source], out_dir)[0]


def wrapped_cells_pdf(cells: Sequence[tuple[Sequence[str], float]], out_dir: Path, name: str = "wrapped_cells") -> Path:
    """Two-cell tables printed from Word, one per (paragraphs, width in cm), for wrapping.

    Each table is a row of a form: a label cell ("内容"), then a cell of the given width holding
    the paragraphs as typed (a typed line break is a new paragraph, as in a form). LibreOffice
    wraps what does not fit. (pdfplumber finds no table of a single cell.)
    """
    document = docx.Document()
    for paragraphs, width in cells:
        table = document.add_table(rows=1, cols=2)
        table.style = document.styles["Table Grid"]
        table.cell(0, 0).text = "内容"
        cell = table.cell(0, 1)
        cell.text = paragraphs[0]
        for text in paragraphs[1:]:
            cell.add_paragraph(text)
        _size_table(table, (2.0, width))
        document.add_paragraph()
    _page_setup(document, page_numbers=False)
    path = _source_dir(out_dir) / f"{name}.docx"
    document.save(str(path))
    return convert_to_pdf([path], out_dir)[0]


# -- workbook forms ------------------------------------------------------------------------------

THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def style_form_sheet(ws: Worksheet, *, repeat_indicator_header: bool = False) -> None:
    """Rule the form's cells (not the two title rows), size the columns, fit one page wide."""
    last = ws.max_row
    for row in ws.iter_rows(min_row=3, max_row=last, max_col=6):
        for cell in row:
            cell.border = GRID
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    _fit_row_heights(ws)
    ws["A1"].font = Font(size=16, bold=True)
    ws["A1"].alignment = ws["A2"].alignment = Alignment(horizontal="center")
    for col, width in XLSX_WIDTHS.items():
        ws.column_dimensions[col].width = width
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.oddFooter.center.text = "第 &P 页"
    if repeat_indicator_header:
        ws.print_title_rows = "12:12"


def _fit_row_heights(ws: Worksheet) -> None:
    """Row heights that show every wrapped line (openpyxl writes none; LibreOffice keeps the default)."""
    widths = {ws[col + "1"].column: w for col, w in XLSX_WIDTHS.items()}
    spans = {(r.min_row, r.min_col): r for r in ws.merged_cells.ranges}
    for row in ws.iter_rows(min_row=3, max_col=6):
        lines = 1
        for cell in row:
            if cell.value is None or not hasattr(cell, "column"):
                continue
            rng = spans.get((cell.row, cell.column))
            if rng is not None and rng.max_row > rng.min_row:
                continue  # a cell merged over rows has their height together
            last = rng.max_col if rng is not None else cell.column
            room = sum(widths[c] for c in range(cell.column, last + 1)) - 1
            text = cell.value.isoformat() if hasattr(cell.value, "isoformat") else str(cell.value)
            need = sum(2.1 if ord(ch) > 0x2E80 else 1.1 for ch in text)
            lines = max(lines, -(-int(need) // int(room)))
        ws.row_dimensions[row[0].row].height = 15 * lines + 3


def write_styled_workbook(decls: Sequence[Declaration], path: Path, *, repeat_indicator_header: bool = False) -> Path:
    """``write_form_workbook``'s sheets, ruled and sized to print as paper forms."""
    write_form_workbook(decls, path)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        style_form_sheet(ws, repeat_indicator_header=repeat_indicator_header)
    wb.save(path)
    return path


def form_pdf_from_xlsx(decls: Sequence[Declaration], out_dir: Path, name: str = "forms_xlsx") -> Path:
    """Forms printed from a workbook: one sheet, so one form, per page."""
    source = write_styled_workbook(decls, _source_dir(out_dir) / f"{name}.xlsx")
    return convert_to_pdf([source], out_dir)[0]


def long_form_pdf_from_xlsx(decls: Sequence[Declaration], out_dir: Path, name: str = "long_form_xlsx") -> Path:
    """A long form printed from a workbook, its indicator header row repeated on every page."""
    source = write_styled_workbook(
        [long_declaration(decls)], _source_dir(out_dir) / f"{name}.xlsx", repeat_indicator_header=True
    )
    return convert_to_pdf([source], out_dir)[0]


# -- a department's whole budget disclosure -------------------------------------------------------

BUDGET_TABLES: list[tuple[str, list[str], list[list[str]]]] = [
    (
        "2024年部门财务收支预算总表",
        ["项目", "预算数", "项目", "预算数"],
        [
            ["一、财政拨款收入", "12,345.67", "一、一般公共服务支出", "1,234.56"],
            ["二、事业收入", "2,100.00", "二、教育支出", "5,432.10"],
            ["三、事业单位经营收入", "0.00", "三、科学技术支出", "7,778.01"],
            ["四、其他收入", "567.89", "四、社会保障和就业支出", "568.89"],
            ["收入总计", "15,013.56", "支出总计", "15,013.56"],
        ],
    ),
    (
        "2024年部门收入预算总表",
        ["单位名称", "合计", "财政拨款", "事业收入", "其他收入"],
        [
            ["合计", "15,013.56", "12,345.67", "2,100.00", "567.89"],
            ["本级", "9,876.54", "8,000.00", "1,500.00", "376.54"],
            ["下属单位一", "3,137.02", "2,345.67", "600.00", "191.35"],
            ["下属单位二", "2,000.00", "2,000.00", "0.00", "0.00"],
        ],
    ),
    (
        "2024年部门支出预算总表",
        ["功能分类科目编码", "功能分类科目名称", "合计", "基本支出", "项目支出"],
        [
            ["206", "科学技术支出", "7,778.01", "2,000.00", "5,778.01"],
            ["20601", "科学技术管理事务", "1,200.00", "1,000.00", "200.00"],
            ["2060101", "行政运行", "1,000.00", "1,000.00", "0.00"],
            ["20699", "其他科学技术支出", "6,578.01", "1,000.00", "5,578.01"],
            ["", "合计", "15,013.56", "6,200.00", "8,813.56"],
        ],
    ),
]


def _front_matter(document: docx.document.Document, department: str) -> list[Any]:
    """Cover, contents and budget tables appended to ``document``; their body elements, in order."""
    body = document.element.body
    before = len(body)
    for _ in range(6):
        document.add_paragraph()
    cover = document.add_paragraph(f"{department}\n2024年部门预算")
    cover.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in cover.runs:
        run.font.size = Pt(26)
        run.font.bold = True
    date = document.add_paragraph("二〇二四年二月")
    date.alignment = WD_ALIGN_PARAGRAPH.CENTER
    date.add_run().add_break(WD_BREAK.PAGE)
    heading = document.add_paragraph("目  录")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    entries = [
        "第一部分 部门概况",
        "第二部分 2024年部门预算情况说明",
        "第三部分 2024年部门预算表",
        "第四部分 项目支出绩效目标申报表",
    ]
    for n, entry in enumerate(entries, start=1):
        document.add_paragraph(f"{entry}{'.' * (40 - 2 * len(entry))}{n + 2}")
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for title, header, rows in BUDGET_TABLES:
        p = document.add_paragraph(title)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.runs[0].font.bold = True
        unit = document.add_paragraph("单位：万元")
        unit.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        table = document.add_table(rows=1 + len(rows), cols=len(header))
        table.style = document.styles["Table Grid"]
        for r, values in enumerate([header, *rows]):
            for c, value in enumerate(values):
                table.cell(r, c).text = value
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    return list(body)[before:-1] if body[-1].tag == qn("w:sectPr") else list(body)[before:]


def write_disclosure_docx(decls: Sequence[Declaration], path: Path) -> Path:
    """A budget disclosure: cover, contents, three budget tables, then the forms, in one document."""
    write_docx(decls, path)
    document = docx.Document(str(path))
    _style_form_tables(document)
    department = decls[0].department or "某部门"
    for element in reversed(_front_matter(document, department)):
        document.element.body.remove(element)
        document.element.body.insert(0, element)
    _page_setup(document, header=f"{department}2024年部门预算")
    document.save(str(path))
    return path


def disclosure_pdf(decls: Sequence[Declaration], out_dir: Path, name: str = "disclosure") -> Path:
    """A department's whole budget disclosure as one PDF: cover, contents, budget tables, forms."""
    source = write_disclosure_docx(decls, _source_dir(out_dir) / f"{name}.docx")
    return convert_to_pdf([source], out_dir)[0]


# -- scans, broken files, the benchmark's file ----------------------------------------------------


def scanned_pdf(out_dir: Path, source_pdf: Path | None = None, name: str = "scanned") -> Path:
    """A PDF whose pages are only pictures of a printed form: no text layer at all."""
    from PIL import Image

    if source_pdf is None:
        source_pdf = form_pdf_from_docx(list(seed_declarations()[:2]), out_dir, name=f"{name}_source")
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise ToolMissing("pdftoppm (poppler-utils) is not installed")
    images_dir = _source_dir(out_dir) / f"{name}_png"
    images_dir.mkdir(exist_ok=True)
    subprocess.run(
        [tool, "-png", "-r", "100", str(source_pdf), str(images_dir / "page")], check=True, capture_output=True
    )
    pages = [Image.open(p).convert("RGB") for p in sorted(images_dir.glob("page*.png"))]
    out = out_dir / f"{name}.pdf"
    pages[0].save(out, "PDF", resolution=100.0, save_all=True, append_images=pages[1:])
    return out


def garbage_pdf(out: Path) -> Path:
    """Bytes that start like a PDF and are not one."""
    out.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    return out


def mostly_pictures_pdf(out_dir: Path, scanned: Path, text_pdf: Path, name: str = "mostly_pictures") -> Path:
    """Picture-only pages followed by one page with text, as a scan with a typed cover sheet is."""
    tool = shutil.which("pdfunite")
    if tool is None:
        raise ToolMissing("pdfunite (poppler-utils) is not installed")
    out = out_dir / f"{name}.pdf"
    subprocess.run([tool, str(scanned), str(text_pdf), str(out)], check=True, capture_output=True)
    return out


def encrypted_pdf(
    decls: Sequence[Declaration], out_dir: Path, password: str = "secret", name: str = "encrypted"
) -> Path:
    """A form PDF that needs a password to open."""
    source = write_form_docx(decls, _source_dir(out_dir) / f"{name}.docx")
    options = (
        '{"EncryptFile":{"type":"boolean","value":"true"},'
        f'"DocumentOpenPassword":{{"type":"string","value":"{password}"}}}}'
    )
    return convert_to_pdf([source], out_dir, target=f"pdf:writer_pdf_Export:{options}")[0]


def raw_pdf(out: Path, pages: Sequence[bytes]) -> Path:
    """A valid PDF written by hand: one A4 page per content stream, Helvetica as /F1.

    For what LibreOffice cannot be asked for: thousands of pages in a second, or text drawn
    exactly where a test wants it (inside or outside a clipping path).
    """
    n = len(pages)
    font = 3 + 2 * n
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    for i, content in enumerate(pages):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * i} 0 R"
            f" /Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        objects.append(f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    body = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    out.write_bytes(bytes(body))
    return out


def blank_pages_pdf(out: Path, pages: int) -> Path:
    """A valid PDF of ``pages`` empty A4 pages."""
    return raw_pdf(out, [b""] * pages)


def many_forms_pdf(n: int, out_dir: Path, name: str | None = None) -> Path:
    """n forms (the seed's, renamed) printed from Word, for the benchmark."""
    return form_pdf_from_docx(renamed(seed_declarations(), n), out_dir, name=name or f"forms_{n}")


def _source_dir(out_dir: Path) -> Path:
    folder = out_dir / "sources"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
