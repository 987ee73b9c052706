"""Workbooks whose few compressed bytes inflate to millions of cells are refused, quickly and in little
memory; real workbooks read as before (streamed, merged ranges as openpyxl's full reader applies them).

Both paths that read .xlsx files are covered: declarations (``perftrack import``) and actual values
(``perftrack actuals import``). The limits are perftrack.ooxml's constants; the bombs are built here
with zipfile, a part at a time, so building them costs no memory either.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

import openpyxl
import pytest

from perftrack import ooxml
from perftrack.domain.serialize import declaration_to_dict
from perftrack.importers.actuals_table import ActualsTableError
from perftrack.importers.actuals_table import read_rows as read_table
from perftrack.importers.form_text import import_text
from perftrack.importers.office import import_office
from perftrack.importers.xlsx_form import cell_text
from tests.support import office_builders as build

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
END = b"</sheetData></worksheet>"
CELL = b"<c><v>1</v></c>"  # no address: openpyxl counts the cells along the row, as Excel allows
PEAK_MB = 300
MIB = 1024 * 1024
TYPES = "[Content_Types].xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def with_parts(
    out: Path, parts: dict[str, Iterable[bytes]], *, sheets: int = 1, strings: Iterable[bytes] | None = None
) -> Path:
    """A workbook of ``sheets`` sheets ("A", "B" …, each holding 项目名称 in A1) with some parts
    replaced by the chunks given, and with ``strings`` a shared-string part; written a chunk at a time."""
    wb = openpyxl.Workbook()
    for n in range(sheets):
        ws = wb.active if n == 0 else wb.create_sheet()
        ws.title = "AB"[n]
        ws["A1"] = "项目名称"
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        assert set(parts) <= set(src.namelist()), f"no part {set(parts) - set(src.namelist())}"
        contents: dict[str, Iterable[bytes]] = {name: [src.read(name)] for name in src.namelist()}
        contents.update(parts)
        if strings is not None:  # openpyxl writes none; Excel lists it in the content types, where openpyxl looks
            override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{STRINGS_TYPE}"/></Types>'
            contents[TYPES] = [src.read(TYPES).replace(b"</Types>", override.encode())]
            contents["xl/sharedStrings.xml"] = strings
        for name, chunks in contents.items():
            with dst.open(name, "w", force_zip64=True) as fh:
                for chunk in chunks:
                    fh.write(chunk)
    return out


def sheet_xml(rows: int, cells_a_row: int, dimension: str = "A1:XFD1048576") -> Iterable[bytes]:
    """A sheet of ``rows`` rows of ``cells_a_row`` tiny cells, under a dimension that may lie."""
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><dimension ref="{dimension}"/><sheetData>'.encode()
    row = b"<row>" + CELL * cells_a_row + b"</row>"
    batch = max(1, MIB // len(row))
    for start in range(0, rows, batch):
        yield row * min(batch, rows - start)
    yield END


def many_cells(out: Path, cells: int, *, one_row: bool = False) -> Path:
    rows, width = (1, cells) if one_row else (-(-cells // 50), 50)
    return with_parts(out, {"xl/worksheets/sheet1.xml": sheet_xml(rows, width)})


def cells_message(path: Path, sheet: str = "A") -> str:
    return f"{path}: 工作表“{sheet}”的单元格超过上限 {ooxml.MAX_CELLS:,} 个"


def only_too_large(path: Path) -> str:
    result = import_office(path)
    assert result.declarations == []
    assert [(p.code, p.file) for p in result.errors] == [("too-large", str(path))], result.problems
    return result.errors[0].message


# -- cells past the limit ---------------------------------------------------------------------


def test_a_small_file_inflating_to_more_cells_than_the_limit_is_refused(tmp_path: Path) -> None:
    path = many_cells(tmp_path / "cells.xlsx", ooxml.MAX_CELLS + 1)
    assert path.stat().st_size < MIB  # some 50 KB on disk, 15 MB of sheet XML inflated
    assert only_too_large(path).startswith(cells_message(path))
    with pytest.raises(ActualsTableError) as refused:
        read_table(path)
    message = f"工作表“A”的单元格超过上限 {ooxml.MAX_CELLS:,} 个，不像申报表或实际值表，拒绝读取"
    assert str(refused.value) == f"{path}：{message}"


def test_a_row_openpyxl_would_build_whole_is_refused(tmp_path: Path) -> None:
    """Excel's rows have 16,384 cells at most; openpyxl builds a row's elements before reading it."""
    path = many_cells(tmp_path / "one_row.xlsx", ooxml.MAX_CELLS, one_row=True)
    limit = f"{ooxml.MAX_RECORD_ELEMENTS:,}"
    assert only_too_large(path) == f"{path}: 工作表“A”的一行有超过 {limit} 个 XML 元素，不像申报表或实际值表，拒绝读取"


# Linux keeps the parent's memory high-water mark in a child's ru_maxrss across exec (and a vfork'd
# child's "old" memory is the parent's own), so a child of this long-running pytest process would report
# pytest's size. The command is therefore started by a small Python process that reports its peak.
_MEASURE = """
import os, subprocess, sys, time
deadline = time.monotonic() + float(sys.argv[1])
with open(sys.argv[2], "wb") as err:
    child = subprocess.Popen(sys.argv[3:], stdout=subprocess.DEVNULL, stderr=err)
    while not (reaped := os.wait4(child.pid, os.WNOHANG))[0]:
        if time.monotonic() > deadline:
            child.kill()
            os.wait4(child.pid, 0)
            sys.exit(99)
        time.sleep(0.05)
    child.returncode = 0  # reaped above; Popen must not wait again
kilobytes = reaped[2].ru_maxrss // (1024 if sys.platform == "darwin" else 1)
print(os.waitstatus_to_exitcode(reaped[1]), kilobytes // 1024)
"""


def _run_cli(args: list[str], tmp_path: Path, timeout: float = 120) -> tuple[int, str, int]:
    """Exit status, stderr and peak memory in MB of the ``perftrack`` command run on its own."""
    perftrack = str(Path(sys.executable).with_name("perftrack"))
    err = tmp_path / "err"
    measured = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(timeout), str(err), perftrack, *args],
        capture_output=True,
        text=True,
        timeout=timeout + 30,  # a guard against hanging, not a measure
    )
    if measured.returncode == 99:
        pytest.fail(f"perftrack {' '.join(args)} still running after {timeout} s")
    assert measured.returncode == 0, measured.stderr
    code, megabytes = (int(word) for word in measured.stdout.split())
    return code, err.read_text(encoding="utf-8"), megabytes


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="peak memory of a child process is read with os.wait4")
@pytest.mark.parametrize("command", ["import", "actuals import"])
def test_the_commands_refuse_it_in_one_line_without_much_memory(tmp_path: Path, command: str) -> None:
    """Before streaming, `perftrack import` took 3.9 GB and 67 s on a 12 MB file of 6 million cells."""
    path = many_cells(tmp_path / "cells.xlsx", 3 * ooxml.MAX_CELLS)  # 186 KB inflating to 45 MB of XML
    db = tmp_path / "perftrack.db"
    code, stderr, peak = _run_cli([*command.split(), str(path), "--db", str(db)], tmp_path)
    assert code == 2, stderr
    assert "Traceback" not in stderr
    message = f"工作表“A”的单元格超过上限 {ooxml.MAX_CELLS:,} 个，不像申报表或实际值表，拒绝读取"
    if command == "import":
        # the problem, then the import's summary line saying nothing was imported
        assert stderr.splitlines()[-1] == f"{path}: {message}（未导入任何内容）"  # the file named once
        assert not db.exists()
    else:
        assert stderr.splitlines() == [f"{path}：{message}"]
    assert peak < PEAK_MB, f"peak memory {peak} MB"


def test_check_names_the_file_once_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from perftrack.cli import main

    monkeypatch.setattr(ooxml, "MAX_CELLS", 100)
    path = with_parts(tmp_path / "cells.xlsx", {"xl/worksheets/sheet1.xml": sheet_xml(11, 10)})
    assert main(["check", str(path)]) == 2
    first = capsys.readouterr().out.splitlines()[0]
    assert first == f"{path}: 错误：工作表“A”的单元格超过上限 100 个，不像申报表或实际值表，拒绝读取"


def test_the_limit_is_on_the_cells_of_all_sheets_together(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ooxml, "MAX_CELLS", 100)
    parts = {"xl/worksheets/sheet1.xml": sheet_xml(6, 10), "xl/worksheets/sheet2.xml": sheet_xml(5, 10)}
    path = with_parts(tmp_path / "two.xlsx", parts, sheets=2)
    assert only_too_large(path).startswith(f"{path}: 工作簿（读到工作表“B”时）的单元格超过上限 100 个")
    exactly = with_parts(tmp_path / "exactly.xlsx", {"xl/worksheets/sheet1.xml": sheet_xml(10, 10)})
    assert read_table(exactly) == [["1"] * 10] * 10


def test_rows_without_cells_count_too(tmp_path: Path) -> None:
    """openpyxl keeps every row element it has read: 3.9 million empty rows in 39 KB took 440 MB."""
    rows = [b"<row/>" * 100_000] * (ooxml.EXCEL_ROWS // 100_000) + [b"<row/>" * (ooxml.EXCEL_ROWS % 100_000 + 1)]
    path = with_parts(tmp_path / "rows.xlsx", {"xl/worksheets/sheet1.xml": [*sheet_xml(0, 0)][:1] + rows + [END]})
    message = f"工作表“A”有超过 {ooxml.EXCEL_ROWS:,} 行（Excel 的上限），不像申报表或实际值表，拒绝读取"
    assert only_too_large(path) == f"{path}: {message}"


def test_merged_ranges_and_links_past_the_limit_are_refused(tmp_path: Path) -> None:
    """openpyxl keeps what lies outside the rows as objects, a few hundred bytes each."""
    start, row, _ = sheet_xml(1, 1)
    merges = b'<mergeCell ref="A1:B2"/>' * ooxml.MAX_TREE_ELEMENTS
    chunks = [start, row, b"</sheetData><mergeCells>", merges, b"</mergeCells></worksheet>"]
    path = with_parts(tmp_path / "merges.xlsx", {"xl/worksheets/sheet1.xml": chunks})
    limit = f"{ooxml.MAX_TREE_ELEMENTS:,} 个 XML 元素（合并区域、超链接、格式规则等）"
    assert only_too_large(path) == f"{path}: 工作表“A”在单元格之外有超过 {limit}，不像申报表或实际值表，拒绝读取"


def test_a_sheet_inflating_past_the_archive_limit_is_refused_by_its_declared_size(tmp_path: Path) -> None:
    """The declared size is what zipfile will inflate at most; the actuals import now checks it too."""
    padding = b" " * MIB  # whitespace between rows: well-formed, and no cells to count
    megabytes = ooxml.MAX_UNCOMPRESSED // MIB + 1
    chunks = [*sheet_xml(1, 1)][:-1] + [padding] * megabytes + [END]
    path = with_parts(tmp_path / "big.xlsx", {"xl/worksheets/sheet1.xml": chunks})
    assert "可能是压缩炸弹，拒绝读取" in only_too_large(path)
    with pytest.raises(ActualsTableError, match=f"^{path}：解压后将有 {megabytes} MB（上限 200 MB），可能是压缩炸弹"):
        read_table(path)


def test_texts_spread_far_out_or_far_down_are_refused(tmp_path: Path) -> None:
    """A few cells make millions of places once laid out as rows, which is how the readers want them."""
    far_out = "".join(f'<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>' for r in range(1, 200))
    past = -(-ooxml.MAX_GRID // 16_385)  # the row where the places pass the limit: 16,384 cells and the row
    far_down = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    for name, rows, message in [
        ("out", far_out, f"的内容散布太广（到第 {past} 行、第 16,384 列），排成表格超过上限 {ooxml.MAX_GRID:,} 格"),
        ("down", far_down, f"的内容到第 1,048,576 行，超过上限 {ooxml.MAX_ROWS:,} 行"),
    ]:
        xml = f"<worksheet {NS}><sheetData>{rows}</sheetData></worksheet>"
        path = with_parts(tmp_path / f"{name}.xlsx", {"xl/worksheets/sheet1.xml": [xml.encode()]})
        assert only_too_large(path) == f"{path}: 工作表“A”{message}，不像申报表或实际值表，拒绝读取"
        with pytest.raises(ActualsTableError, match=f"工作表“A”{message}"):
            read_table(path)


def test_shared_strings_and_styles_past_their_limits_are_refused(tmp_path: Path) -> None:
    strings = [
        f'<?xml version="1.0" encoding="UTF-8"?><sst {NS}>'.encode(),
        *[b"<si><t>a</t></si>" * 100_000] * (ooxml.MAX_CELLS // 100_000),
        b"<si><t>a</t></si></sst>",
    ]
    path = with_parts(tmp_path / "strings.xlsx", {}, strings=strings)
    assert "共享字符串表（xl/sharedStrings.xml）有超过 1,000,000 个字符串，" in only_too_large(path)
    # a million cell formats took openpyxl 20 s and 1.9 GB; Excel allows 64,000
    styles = [
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {NS}><cellXfs>'.encode(),
        b'<xf numFmtId="0"/>' * ooxml.MAX_TREE_ELEMENTS,
        b"</cellXfs></styleSheet>",
    ]
    path = with_parts(tmp_path / "styles.xlsx", {"xl/styles.xml": styles})
    assert only_too_large(path) == (
        f"{path}: 部件 xl/styles.xml 有超过 {ooxml.MAX_TREE_ELEMENTS:,} 个 XML 元素，不像正常的工作簿，拒绝读取"
    )


def test_a_text_longer_than_excel_allows_is_refused(tmp_path: Path) -> None:
    """One cell of 150 MB took the importer 66 s and 1.2 GB, and its message printed the text whole."""
    for length in (ooxml.MAX_TEXT, ooxml.MAX_TEXT + 1):
        text = "项" * length
        xml = (
            f'<worksheet {NS}><sheetData><row><c t="inlineStr"><is><t>{text}</t></is></c></row></sheetData></worksheet>'
        )
        path = with_parts(tmp_path / f"{length}.xlsx", {"xl/worksheets/sheet1.xml": [xml.encode()]})
        if length == ooxml.MAX_TEXT:
            assert read_table(path) == [[text]]
            continue
        limit = f"{ooxml.MAX_TEXT:,} 个字符（Excel 一个单元格的上限）"
        message = f"工作表“A”有一段文字超过 {limit}，不像申报表或实际值表，拒绝读取"
        assert only_too_large(path) == f"{path}: {message}"
        with pytest.raises(ActualsTableError, match=message):
            read_table(path)
    strings = [f"<sst {NS}><si><t>{'x' * (ooxml.MAX_TEXT + 1)}</t></si></sst>".encode()]
    path = with_parts(tmp_path / "string.xlsx", {}, strings=strings)
    assert "共享字符串表（xl/sharedStrings.xml）有一段文字超过 32,767 个字符" in only_too_large(path)


def test_cells_are_counted_however_the_sheet_is_encoded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The count is expat's, as openpyxl's parser sees the sheet: UTF-16 and namespace prefixes too."""
    monkeypatch.setattr(ooxml, "MAX_CELLS", 100)
    xml = (
        '<?xml version="1.0" encoding="UTF-16"?>'
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        + '<x:row><x:c t="inlineStr"><x:is><x:t>项目名称</x:t></x:is></x:c></x:row>' * 101
        + "</x:sheetData></x:worksheet>"
    )
    path = with_parts(tmp_path / "utf16.xlsx", {"xl/worksheets/sheet1.xml": [xml.encode("utf-16")]})
    assert only_too_large(path).startswith(f"{path}: 工作表“A”的单元格超过上限 100 个")


# -- real workbooks read as before ------------------------------------------------------------


@pytest.fixture(scope="module")
def seed():
    return import_text(SEED).declarations


def test_a_form_whose_dimension_lies_reads_as_one_that_does_not(tmp_path: Path, seed) -> None:
    """A sheet claiming A1:XFD1048576 (one stray formatted cell far away) is read by its cells."""
    honest = build.write_form_workbook(seed[:2], tmp_path / "honest.xlsx")
    with zipfile.ZipFile(honest) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    start = sheet.index("<dimension ref=")
    end = sheet.index("/>", start) + 2
    lying = sheet[:start] + '<dimension ref="A1:XFD1048576"/>' + sheet[end:]
    lying = lying.replace("</sheetData>", '<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>')
    path = build.rewritten(honest, tmp_path / "lying.xlsx", replace={"xl/worksheets/sheet1.xml": lying.encode()})
    got, want = import_office(path), import_office(honest)
    assert [declaration_to_dict(d) for d in got.declarations] == [declaration_to_dict(d) for d in want.declarations]
    assert len(got.declarations) == 2 and not got.errors


def test_actuals_rows_do_not_follow_a_lying_dimension(tmp_path: Path) -> None:
    rows = [["项目名称", "三级指标", "期间", "实际值"], ["运维", "升级接口", "Q1", "8"]]
    cells = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{"ABCD"[c]}{r}" t="inlineStr"><is><t>{text}</t></is></c>' for c, text in enumerate(row))
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    xml = f'<worksheet {NS}><dimension ref="A1:XFD1048576"/><sheetData>{cells}</sheetData></worksheet>'
    path = with_parts(tmp_path / "actuals.xlsx", {"xl/worksheets/sheet1.xml": [xml.encode()]})
    assert read_table(path) == rows  # openpyxl's iter_rows would make each row 16,384 cells wide


MERGED = f"""<worksheet {NS}><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>项目名称</t></is></c><c r="B1" t="inlineStr"><is><t>a</t></is></c>
<c r="C1" t="inlineStr"><is><t>left under A1:C1</t></is></c><c r="E1" t="inlineStr"><is><t>e</t></is></c></row>
<row r="2"><c r="B2" t="inlineStr"><is><t>corner</t></is></c><c r="C2" t="inlineStr"><is><t>corner too</t></is></c>
<c r="D2" t="inlineStr"><is><t>under C2:D2</t></is></c></row>
<row r="3"><c r="B3" t="inlineStr"><is><t>under B2:C3</t></is></c><c r="F3" t="inlineStr"><is><t>f</t></is></c></row>
<row r="4"><c r="A4" t="inlineStr"><is><t>kept</t></is></c></row>
</sheetData><mergeCells count="3"><mergeCell ref="A1:C1"/><mergeCell ref="C2:D2"/><mergeCell ref="B2:C3"/>
</mergeCells></worksheet>"""


def streamed(path: Path) -> list[list[str]]:
    ooxml.inspect(path)
    with ooxml.open_workbook(path) as book:
        return book.rows(book.worksheets[0], cell_text)


def test_text_under_a_merged_range_is_left_out_as_openpyxl_leaves_it(tmp_path: Path) -> None:
    """Some exporters leave stale values under a merged cell; only the range's top-left cell counts.

    C2 is the top-left of C2:D2 but lies under B2:C3, so it is hidden too, as in Excel.
    """
    path = with_parts(tmp_path / "merged.xlsx", {"xl/worksheets/sheet1.xml": [MERGED.encode()]})
    want = [["项目名称", "", "", "", "e"], ["", "corner"], ["", "", "", "", "", "f"], ["kept"]]
    assert streamed(path) == want
    full = openpyxl.load_workbook(path).active  # the reader before streaming
    assert [[cell_text(c) for c in row] for row in full.iter_rows(max_col=6)] == [r + [""] * (6 - len(r)) for r in want]


def test_a_merged_range_over_the_whole_sheet_costs_nothing(tmp_path: Path) -> None:
    """openpyxl's full reader made a cell for each of its 17 billion positions."""
    whole = MERGED.replace('<mergeCell ref="A1:C1"/>', '<mergeCell ref="A1:C1"/><mergeCell ref="E1:XFD1048576"/>')
    path = with_parts(tmp_path / "whole.xlsx", {"xl/worksheets/sheet1.xml": [whole.encode()]})
    assert streamed(path) == [["项目名称", "", "", "", "e"], ["", "corner"], [], ["kept"]]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="open files are listed in /proc")
def test_the_workbook_is_closed_after_reading(tmp_path: Path, seed) -> None:
    path = build.write_form_workbook(seed[:1], tmp_path / "one.xlsx")

    def open_files() -> set[str]:
        return {os.path.realpath(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")}

    assert len(import_office(path).declarations) == 1
    assert read_table(path)[2][:2] == ["项目名称", seed[0].name]
    assert str(path.resolve()) not in open_files()
