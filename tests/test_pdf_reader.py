"""The PDF reader: the seed's forms printed to PDF by LibreOffice, read back into a grid cell by cell.

The forms are printed from Word (ruled table, merged level cells, running header, page numbers)
and from a workbook (merged cells Calc centres over page breaks, a repeated header row); the
reader must give the grid a worksheet of the same form would give: the title as a one-cell
row, 项目名称 and the name in the next column, one row per indicator in fixed columns, a merged
cell's text in its first position. Also a whole budget disclosure, a real department's
final accounts (tests/data/pdf), scans and broken files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import groupby, pairwise
from pathlib import Path
from typing import Any

import pytest

from perftrack.domain.model import Declaration
from perftrack.importers.pdf_reader import PdfGrid, PdfPlace, PdfReadError, read_pdf
from tests.support import pdf_builders as pb
from tests.support.office_builders import truncated

DATA = Path(__file__).parent / "data" / "pdf"
REAL = DATA / "putuo_caizheng_2024_final_accounts.pdf"
TITLE = "财政项目支出绩效目标申报表"
HEADER = ["一级指标", "二级指标", "三级指标", "年度(/项目)指标值"]


def flat(text: str) -> str:
    """A cell's text without the line breaks and spaces the print layout put in it."""
    return re.sub(r"\s+", "", text)


def flats(row: Sequence[str]) -> list[str]:
    return [flat(c) for c in row]


def is_header(row: Sequence[str]) -> bool:
    return flats(row[1:5]) == HEADER


# -- building the PDFs once per session -----------------------------------------------------------


def _build(make: Callable[..., Path], *args: Any) -> Path:
    try:
        return make(*args)
    except pb.ToolMissing as exc:
        pytest.fail(f"{exc} (scripts/bootstrap.sh --test installs it)")


@pytest.fixture(scope="session")
def pdf_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdfs")


@pytest.fixture(scope="session")
def decls() -> tuple[Declaration, ...]:
    return pb.seed_declarations()


@pytest.fixture(scope="session")
def docx_pdf(pdf_dir: Path, decls: tuple[Declaration, ...]) -> Path:
    return _build(pb.form_pdf_from_docx, decls, pdf_dir)


@pytest.fixture(scope="session")
def xlsx_pdf(pdf_dir: Path, decls: tuple[Declaration, ...]) -> Path:
    return _build(pb.form_pdf_from_xlsx, decls, pdf_dir)


@pytest.fixture(scope="session")
def long_docx_pdf(pdf_dir: Path, decls: tuple[Declaration, ...]) -> Path:
    return _build(pb.long_form_pdf, decls, pdf_dir)


@pytest.fixture(scope="session")
def long_xlsx_pdf(pdf_dir: Path, decls: tuple[Declaration, ...]) -> Path:
    return _build(pb.long_form_pdf_from_xlsx, decls, pdf_dir)


@pytest.fixture(scope="session")
def disclosure(pdf_dir: Path, decls: tuple[Declaration, ...]) -> Path:
    return _build(pb.disclosure_pdf, decls[:4], pdf_dir)


@pytest.fixture(scope="session")
def wrapped_pdf(pdf_dir: Path) -> Path:
    return _build(
        pb.wrapped_cells_pdf, [(paragraphs, w) for paragraphs, widths in WRAPPED.values() for w in widths], pdf_dir
    )


@pytest.fixture(scope="session")
def scanned(pdf_dir: Path, decls: tuple[Declaration, ...]) -> Path:
    source = _build(pb.form_pdf_from_docx, decls[:2], pdf_dir, "scan_source")
    return _build(pb.scanned_pdf, pdf_dir, source)


# -- checking a form in the grid ----------------------------------------------------------------


def title_rows(grid: PdfGrid) -> list[int]:
    return [i for i, row in enumerate(grid.rows) if flats(row) == [TITLE]]


def indicator_rows(grid: PdfGrid, header: int, count: int) -> list[int]:
    """The grid rows of a form's ``count`` indicators after its header row, repeated headers left out."""
    out: list[int] = []
    i = header + 1
    while len(out) < count:
        assert grid.places[i].table is not None, f"a line outside the table among the indicators: {grid.rows[i]}"
        if not is_header(grid.rows[i]):
            out.append(i)
        i += 1
    return out


def assert_form(grid: PdfGrid, start: int, d: Declaration) -> None:
    """The form whose title is row ``start``, cell by cell against the declaration it was printed from."""
    rows = grid.rows
    assert flats(rows[start]) == [TITLE]
    assert rows[start + 1] == [f"({d.year}年度)"]
    table = rows[start + 2 :]
    place = grid.places[start + 2]
    assert place.table is not None and place.row == 1
    assert place.cell(1) == f"第{place.page}页 表{place.table} 第1行第2列"
    assert flats(table[0]) == flats(["项目名称", d.name, "项目性质", d.nature or "", "项目类别", d.category or ""])
    # 实施单位's value is merged over three columns: its text in the first, "" in the others.
    assert flats(table[1]) == flats(["主管部门", d.department or "", "实施单位", d.unit or "", "", ""])
    assert flats(table[2]) == ["计划开始日期", d.start.isoformat(), "计划完成日期", d.end.isoformat(), "", ""]
    assert table[3][0] != "" and flat(table[3][1]) == "项目资金总额"
    assert flats(table[3][3:5]) == ["年度资金申请总额", f"{d.funds.annual_total:,.2f}"]
    # 项目资金 is merged over four rows: "" below it.
    assert [r[0] for r in table[4:7]] == ["", "", ""]
    assert flats(table[4][3:5]) == ["其中：当年财政拨款", f"{d.funds.annual_appropriation:,.2f}"]
    assert flats(table[5][3:5]) == ["上年结转资金", f"{d.funds.annual_carryover:,.2f}"]
    assert flats(table[7][1:4]) == ["项目总目标", "", "年度总体目标"]
    assert flat(table[8][3]) == flat(d.annual_goal or "")
    assert is_header(table[9])
    header = start + 2 + 9
    found = indicator_rows(grid, header, len(d.indicators))
    width = len(table[0])
    for n, (i, ind) in enumerate(zip(found, d.indicators, strict=True), start=1):
        row = rows[i]
        assert len(row) == width, (d.name, n, row)
        assert flat(row[3]) == flat(ind.name), (d.name, n, row)
        assert flat(row[4]) == flat(ind.target.raw), (d.name, n, row)
    assert_levels([rows[i] for i in found], d)


def assert_levels(rows: list[list[str]], d: Declaration) -> None:
    """Each level label on the first row it spans and "" on the others, as a worksheet keeps a merged cell.

    Also where the merged cell runs over a page break and Calc printed its label on the later
    page, below the header row it repeats there.
    """
    for col, key in ((1, lambda i: i.level1), (2, lambda i: (i.level1, i.level2))):
        r = 0
        for _, group in groupby(d.indicators, key=key):
            run = list(group)
            label = run[0].level1 if col == 1 else run[0].level2
            cells = [rows[r + k][col] for k in range(len(run))]
            assert flats(cells) == [flat(label or "")] + [""] * (len(run) - 1), (d.name, col, label, cells)
            r += len(run)


# -- forms printed from Word and from a workbook -------------------------------------------------


@pytest.mark.slow
def test_forms_printed_from_word(docx_pdf: Path, decls: tuple[Declaration, ...]) -> None:
    grid = read_pdf(docx_pdf)
    assert len(grid.rows) == len(grid.places)
    starts = title_rows(grid)
    assert len(starts) == len(decls)  # one per form: no two forms' tables joined
    for start, d in zip(starts, decls, strict=True):
        assert_form(grid, start, d)
    # The first column's labels are set "distributed": LibreOffice spreads them glyph by glyph
    # (pdfplumber's own extract_text gives "项 目 名 称"); no spaces come of it. A label the
    # narrow column wrapped ("项目资金" / "（元）", distributed: both lines reach the edge) is
    # joined again, and so are the names and numbers wrapped in the other columns.
    table = grid.rows[starts[0] + 2 :]
    assert [table[0][0], table[1][0], table[3][0], table[9][0]] == [
        "项目名称",
        "主管部门",
        "项目资金（元）",
        "绩效指标",
    ]
    assert table[0][1] == decls[0].name
    assert table[1][1] == decls[0].department
    # The page numbers outside a joined table stay, as one-cell rows.
    assert ["- 1 -"] in grid.rows


@pytest.mark.slow
def test_forms_printed_from_a_workbook(xlsx_pdf: Path, decls: tuple[Declaration, ...]) -> None:
    grid = read_pdf(xlsx_pdf)
    starts = title_rows(grid)
    assert len(starts) == len(decls)
    for start, d in zip(starts, decls, strict=True):
        assert_form(grid, start, d)
    # Calc prints a number as formatted; the value stays in its column.
    first = grid.rows[starts[0] + 2 + 3]
    assert first[4] == f"{decls[0].funds.annual_total:,.2f}"


@pytest.mark.slow
def test_table_over_page_breaks_is_joined_from_word(long_docx_pdf: Path, decls: tuple[Declaration, ...]) -> None:
    d = pb.long_declaration(decls)
    grid = read_pdf(long_docx_pdf)
    # The running header and page number of the first page are kept, before the form.
    assert grid.rows[0] == [f"{d.department}2024年项目支出绩效目标"]
    (start,) = title_rows(grid)
    assert_form(grid, start, d)
    # Every indicator once, in order, over four pages; the header and page numbers between the
    # pages' parts are left out (assert_form found no line among the indicators).
    header = start + 2 + 9
    rows = indicator_rows(grid, header, len(d.indicators))
    assert [flat(grid.rows[i][3]) for i in rows] == [flat(i.name) for i in d.indicators]
    assert rows == list(range(header + 1, header + 1 + len(d.indicators)))  # Word repeats no header
    pages = sorted({grid.places[i].page for i in rows})
    assert pages == [1, 2, 3, 4]
    # Each page's part is numbered from its own first row, so a problem names the printed row.
    first_on_2 = next(i for i in rows if grid.places[i].page == 2)
    assert grid.places[first_on_2] == PdfPlace(2, 1, 1)
    # The last page number, after the table, stays.
    assert grid.rows[-1] == ["- 4 -"]


@pytest.mark.slow
def test_table_over_page_breaks_is_joined_from_a_workbook(long_xlsx_pdf: Path, decls: tuple[Declaration, ...]) -> None:
    d = pb.long_declaration(decls)
    grid = read_pdf(long_xlsx_pdf)
    (start,) = title_rows(grid)
    assert_form(grid, start, d)
    header = start + 2 + 9
    rows = indicator_rows(grid, header, len(d.indicators))
    assert [flat(grid.rows[i][3]) for i in rows] == [flat(i.name) for i in d.indicators]
    # The header row Calc repeats atop each later page is kept, in the same columns, as the
    # first row of that page's part; nothing else lies between the indicators.
    repeated = [i for i in range(header + 1, rows[-1]) if i not in rows]
    assert len(repeated) == len({grid.places[i].page for i in rows}) - 1 >= 2
    for i in repeated:
        assert is_header(grid.rows[i]) and grid.places[i].row == 1
    # 绩效指标 is merged down the first column over every page; Calc printed it on page 2,
    # on the repeated header row. It goes back to its first position, as in the worksheet.
    assert grid.rows[header][0] == "绩效指标"
    assert all(grid.rows[i][0] == "" for i in [*rows, *repeated])
    assert all(len(grid.rows[i]) == 6 for i in range(start + 2, rows[-1] + 1))


@pytest.mark.slow
def test_budget_disclosure_yields_every_form(disclosure: Path, decls: tuple[Declaration, ...]) -> None:
    grid = read_pdf(disclosure)
    texts = [flats(row) for row in grid.rows]
    assert ["2024年部门预算"] in texts and ["目录"] in texts
    # Three budget tables, numbers in their columns, each after its title and unit lines.
    total = texts.index(["收入总计", "15,013.56", "支出总计", "15,013.56"])
    assert ["2024年部门财务收支预算总表"] in texts[:total]
    assert texts.index(["单位：万元"]) < total
    assert ["本级", "9,876.54", "8,000.00", "1,500.00", "376.54"] in texts
    assert ["", "合计", "15,013.56", "6,200.00", "8,813.56"] in texts
    starts = title_rows(grid)
    assert len(starts) == 4
    assert starts[0] > total
    for start, d in zip(starts, decls[:4], strict=True):
        assert_form(grid, start, d)


# -- a real department's PDF --------------------------------------------------------------------


def test_real_final_accounts_read_without_a_form() -> None:
    grid = read_pdf(REAL)
    assert len(grid.rows) > 300
    assert {p.page for p in grid.places} == set(range(1, 27))
    texts = [flats(row) for row in grid.rows]
    assert title_rows(grid) == []
    assert not any("项目名称" in cell for row in texts for cell in row)
    assert ["2024年度部门决算"] in texts
    # A typed space drawn as a gap (no glyph) between CJK characters is kept ...
    assert ["第一部分 上海市普陀区财政局概况"] in grid.rows
    # ... and the tables keep their columns.
    assert ["本年收入合计", "2,946.25", "本年支出合计", "2,940.05"] in texts
    # The income table runs from page 8 to 9 (landscape) with nothing between its parts.
    end8 = max(i for i, p in enumerate(grid.places) if p.page == 8)
    assert grid.places[end8 + 1] == PdfPlace(9, 1, 1)
    assert flats(grid.rows[end8 + 1])[:6] == ["221", "02", "01", "住房公积金", "187.19", "187.19"]
    assert len(grid.rows[end8 + 1]) == len(grid.rows[end8]) == 11


# -- scans and files that are not readable PDFs -------------------------------------------------


@pytest.mark.slow
def test_scan_is_refused_with_advice(scanned: Path) -> None:
    with pytest.raises(PdfReadError) as caught:
        read_pdf(scanned)
    assert caught.value.code == "scanned"
    message = str(caught.value)
    assert "扫描件" in message and "Word" in message and "Excel" in message and "OCR" in message


@pytest.mark.slow
def test_mostly_pictures_with_a_little_text_is_read(pdf_dir: Path, scanned: Path) -> None:
    mixed = _build(pb.mostly_pictures_pdf, pdf_dir, scanned, REAL)
    grid = read_pdf(mixed)
    assert min(p.page for p in grid.places) == 3  # the two scanned pages give nothing
    assert ["2024年度部门决算"] in [flats(r) for r in grid.rows]


def test_blank_pages_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PdfReadError) as caught:
        read_pdf(pb.blank_pages_pdf(tmp_path / "blank.pdf", 3))
    assert caught.value.code == "scanned"
    assert "既没有文字也没有图片" in str(caught.value)


def test_too_many_pages_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PdfReadError) as caught:
        read_pdf(pb.blank_pages_pdf(tmp_path / "big.pdf", 2001))
    assert caught.value.code == "too-large"
    assert "2001" in str(caught.value)


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda out: truncated(REAL, out), id="truncated"),
        pytest.param(pb.garbage_pdf, id="garbage"),
        pytest.param(lambda out: out.write_bytes(b"") and out, id="empty"),
        pytest.param(lambda out: out.write_text("项目名称\t孵化基地", encoding="utf-8") and out, id="text"),
    ],
)
def test_broken_files_are_refused_as_bad_pdf(tmp_path: Path, make: Callable[[Path], object]) -> None:
    path = tmp_path / "broken.pdf"
    make(path)
    with pytest.raises(PdfReadError) as caught:
        read_pdf(path)
    assert caught.value.code == "bad-pdf"
    assert str(path) in str(caught.value) and "无法读取" in str(caught.value)


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_a_path_that_is_no_file_is_bad_pdf(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "x.pdf"
    if kind == "folder":
        path.mkdir()
    with pytest.raises(PdfReadError) as caught:
        read_pdf(path)
    assert caught.value.code == "bad-pdf"


@pytest.mark.slow
def test_password_protected_is_refused(pdf_dir: Path, decls: tuple[Declaration, ...]) -> None:
    path = _build(pb.encrypted_pdf, decls[:1], pdf_dir)
    with pytest.raises(PdfReadError) as caught:
        read_pdf(path)
    assert caught.value.code == "encrypted"
    assert "密码" in str(caught.value)


# -- text as printed ----------------------------------------------------------------------------


def test_clipped_text_is_left_out(tmp_path: Path) -> None:
    """Text hidden by a clipping path (Calc's copies of a merged cell on other pages) is not read."""
    content = (
        b"q 40 600 200 100 re W n BT /F1 12 Tf 50 650 Td (Inside the clip) Tj ET"
        b" BT /F1 12 Tf 50 400 Td (Clipped away) Tj ET Q"
        b" BT /F1 12 Tf 50 300 Td (After the clip) Tj ET"
    )
    grid = read_pdf(pb.raw_pdf(tmp_path / "clip.pdf", [content]))
    assert grid.rows == [["Inside the clip"], ["After the clip"]]
    assert grid.places == [PdfPlace(1, None, 1), PdfPlace(1, None, 2)]


def test_ruled_cells_from_a_hand_written_page(tmp_path: Path) -> None:
    """A 3x2 ruled table with a cell merged over two columns and one over two rows."""
    lines = [
        # outer box and the row lines: rows at 700-680, 680-660, 660-640
        b"50 640 300 60 re S",
        b"50 680 m 350 680 l S",
        b"150 660 m 350 660 l S",  # the first column's lower two cells are merged
        # column lines: 50 | 150 | 250 | 350; the top row's last two cells are merged
        b"150 640 m 150 700 l S",
        b"250 640 m 250 680 l S",
    ]
    texts = [
        (55, 686, "Name"),
        (155, 686, "Merged across"),
        (55, 666, "Merged down"),
        (155, 666, "b2"),
        (255, 666, "c2"),
        (155, 646, "b3"),
        (255, 646, "c3"),
    ]
    content = b"\n".join(lines) + b"\n"
    content += b"\n".join(f"BT /F1 10 Tf {x} {y} Td ({t}) Tj ET".encode() for x, y, t in texts)
    content += b"\nBT /F1 14 Tf 50 750 Td (A title above) Tj ET"
    grid = read_pdf(pb.raw_pdf(tmp_path / "table.pdf", [content]))
    assert grid.rows == [
        ["A title above"],
        ["Name", "Merged across", ""],
        ["Merged down", "b2", "c2"],
        ["", "b3", "c3"],
    ]
    assert [p.cell(2) for p in grid.places] == [
        "第1页 第1行",
        "第1页 表1 第1行第3列",
        "第1页 表1 第2行第3列",
        "第1页 表1 第3行第3列",
    ]


def _line(x0: float, y0: float, x1: float, y1: float) -> bytes:
    return f"{x0} {y0} m {x1} {y1} l S".encode()


def _text(x: float, y: float, text: str, size: int = 10) -> bytes:
    return f"BT /F1 {size} Tf {x} {y} Td ({text}) Tj ET".encode()


def test_cell_merged_over_a_page_break_keeps_its_text_first(tmp_path: Path) -> None:
    """A table over two pages: its first column merged over the break and open there, the label
    printed on the second page; page numbers under and over the break."""
    page1 = [
        _line(50, 800, 350, 800),
        _line(50, 780, 350, 780),
        _line(150, 760, 350, 760),
        _line(150, 60, 350, 60),  # no rule under the first column: the page cut it
        *(_line(x, 800, x, 60) for x in (50, 150, 350)),
        _text(55, 786, "Level"),
        _text(155, 786, "Name"),
        _text(155, 766, "n1"),
        _text(155, 400, "n2"),
        _text(290, 30, "- 1 -"),
    ]
    page2 = [
        _line(150, 800, 350, 800),  # no rule over the first column
        _line(150, 780, 350, 780),
        _line(50, 700, 350, 700),
        *(_line(x, 800, x, 700) for x in (50, 150, 350)),
        _text(55, 750, "Output"),
        _text(155, 786, "n3"),
        _text(155, 740, "n4"),
        _text(290, 30, "- 2 -"),
    ]
    grid = read_pdf(pb.raw_pdf(tmp_path / "two.pdf", [b"\n".join(page1), b"\n".join(page2)]))
    assert grid.rows == [["Level", "Name"], ["Output", "n1"], ["", "n2"], ["", "n3"], ["", "n4"], ["- 2 -"]]
    assert grid.places[3] == PdfPlace(2, 1, 1)


def test_place_names_a_cell() -> None:
    assert PdfPlace(3, 1, 5).cell(1) == "第3页 表1 第5行第2列"
    assert PdfPlace(3, None, 2).cell(0) == "第3页 第2行"


# -- wrapped lines and typed line breaks ---------------------------------------------------------

GOAL = (
    "根据任务书完成科技企业智慧服务子系统建设，探索科创服务管理模式变革。"
    "（1）构建自优化科技企业数据体系（2）打造科技企业资源精准服务能力。"
)
# What Word cells hold (a paragraph each) and the column widths (cm) they are printed in, narrow
# enough to wrap them. The typed paragraphs end on short lines: one whose last line filled the
# column could not be told from a wrap.
WRAPPED: dict[str, tuple[list[str], list[float]]] = {
    "name": (["设施设备维护保养及维修完成率"], [1.6, 2.0, 2.4, 2.8]),
    "target": (["=100.00(%)"], [1.2, 1.4]),
    "number": (["≥130000.00(家)"], [1.2, 1.4, 1.6, 1.8]),
    "goal": ([GOAL], [2.0, 2.4, 2.8, 3.2, 3.6, 4.0, 5.6]),
    "typed": (["1.完成零星修建改造；", "2.完成设施设备维护。"], [2.8, 3.2, 3.6, 6.0, 8.0]),
    "latin": (["Quarterly report on the incubation network members"], [3.0, 3.4, 3.8, 4.2]),
    "mixed": (["学员构成须触达金砖、AABI两大网络"], [2.0, 2.4, 2.8, 3.2]),
}


def printed_lines(path: Path) -> list[list[str]]:
    """Each table's second cell as printed: its lines, read by pdfplumber alone."""
    import pdfplumber

    out: list[list[str]] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in sorted(page.find_tables(), key=lambda t: t.bbox[1]):
                cell = max(table.cells, key=lambda c: c[0])
                out.append(page.crop(cell).extract_text().split("\n"))
    return out


def wrapped_at(lines: list[str], end: str, start: str) -> bool:
    """Whether a printed line ends with ``end`` and the next begins with ``start``."""
    return any(a.endswith(end) and b.startswith(start) for a, b in pairwise(lines))


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(WRAPPED))
def test_wrapped_lines_are_joined_and_typed_breaks_kept(wrapped_pdf: Path, kind: str) -> None:
    """A PDF keeps no line breaks: where the layout wrapped a cell's text it comes back whole,
    where a paragraph ended short of the cell's edge the line break stays."""
    grid = read_pdf(wrapped_pdf)
    printed = printed_lines(wrapped_pdf)
    cases = [(k, w) for k, (_, widths) in WRAPPED.items() for w in widths]
    assert len(grid.rows) == len(printed) == len(cases)
    paragraphs, widths = WRAPPED[kind]
    mine = [i for i, (k, _) in enumerate(cases) if k == kind]
    lines = [printed[i] for i in mine]
    # Every cell was wrapped (the typed one in some widths only) ...
    if kind != "typed":
        assert all(len(ls) > 1 for ls in lines), lines
    # ... and reads back exactly as typed, in every width.
    for i, width in zip(mine, widths, strict=True):
        assert grid.rows[i] == ["内容", "\n".join(paragraphs)], (width, printed[i])
    # Where the layout wrapped what this case is about:
    if kind == "target":  # before ")" and before "%)"
        assert any(wrapped_at(ls, "(%", ")") for ls in lines), lines
        assert any(wrapped_at(ls, "(", "%)") for ls in lines), lines
    elif kind == "number":  # inside the number
        assert any(re.search(r"\d\n\d", "\n".join(ls)) for ls in lines), lines
    elif kind == "goal":  # after "。": "（" may not end a line (kinsoku)
        assert any(wrapped_at(ls, "。", "（") for ls in lines), lines
    elif kind == "typed":  # a typed paragraph that wrapped itself, before its break
        assert any(len(ls) > 2 * len(paragraphs) - 1 for ls in lines), lines
    elif kind == "latin":  # at spaces only, which are not printed at the line's end
        assert all(" ".join(ls) == paragraphs[0] for ls in lines), lines


def _helvetica(text: str, size: float) -> float:
    """The printed width of ``text`` in Helvetica (raw_pdf's font), in points."""
    from pdfminer.fontmetrics import FONT_METRICS

    widths = FONT_METRICS["Helvetica"][1]
    return sum(widths[ch] for ch in text) * size / 1000


def test_wrapped_lines_by_position_from_a_hand_written_page(tmp_path: Path) -> None:
    """Cells set by hand as a narrow column sets them: a line that reached the right edge (the
    room left would not hold what the next line begins with) was wrapped; one that stopped
    short ended a paragraph. The cells' padding (3 points) is measured from their lines."""
    size, pad = 10, 3.0
    cases = [
        # printed lines, the room the widest line leaves, the text expected
        (["Quarterly report on", "the network"], 2.0, "Quarterly report on the network"),
        (["Plan", "implementation"], 1.0, "Plan implementation"),  # the long word did not fit
        (["=130000.0", "0(%)"], 1.0, "=130000.00(%)"),
        (["=100.00(%", ")"], 0.5, "=100.00(%)"),
        (["Done.", "Next steps follow"], 2.0, "Done.\nNext steps follow"),
        (["Short", "lines", "typed"], 50.0, "Short\nlines\ntyped"),
    ]
    content: list[bytes] = []
    top = 800.0
    for lines, room, _ in cases:
        width = max(_helvetica(line, size) for line in lines) + room + 2 * pad
        bottom = top - 4 - 12 * len(lines)
        content += [_line(50, top, 100 + width, top), _line(50, bottom, 100 + width, bottom)]
        content += [_line(x, top, x, bottom) for x in (50, 100, 100 + width)]
        content.append(_text(50 + pad, top - 12, "Item", size))
        for n, line in enumerate(lines):
            escaped = line.replace("(", r"\(").replace(")", r"\)")
            content.append(_text(100 + pad, top - 12 * (n + 1), escaped, size))
        top = bottom - 20
    grid = read_pdf(pb.raw_pdf(tmp_path / "wrapped.pdf", [b"\n".join(content)]))
    assert grid.rows == [["Item", want] for _, _, want in cases]
