"""The printed self-evaluation: a real PDF from a real SQLite file, read back with poppler's tools."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from perftrack import cli
from perftrack.cli import report as report_cli
from perftrack.report import layout, pdf
from perftrack.store.evaluation import ProjectEvaluation
from tests.support.reports import FINANCE, MEASURE, PRINTED, REASON, evaluations_of, pdf_text, seeded, squeeze

ROOT = Path(__file__).resolve().parent.parent


class Written:
    def __init__(self, path: Path, evaluations: list[ProjectEvaluation], caught: list[str]) -> None:
        self.path = path
        self.evaluations = evaluations
        self.caught = caught
        self.text = pdf_text(path)
        self.layout = pdf_text(path, layout=True)
        self.pages = self.text.split("\f")[:-1]  # pdftotext ends every page with a form feed
        self.layout_pages = self.layout.split("\f")[:-1]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Written]:
    """The whole seed printed once, recording every warning and font-manager log line."""
    folder = tmp_path_factory.mktemp("report")
    db = seeded(folder / "seed.db")
    try:
        evaluations = evaluations_of(db)
    finally:
        db.close()
    out = folder / "自评表.pdf"
    caught: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: caught.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("matplotlib.font_manager")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as records:
            warnings.simplefilter("always")
            pdf.write_report(evaluations, out, unit_label="上海市科技创新中心", date=PRINTED)
    finally:
        logger.removeHandler(handler)
    caught += [str(r.message) for r in records]
    yield Written(out, evaluations, caught)


def sections(w: Written, *, layout: bool = False) -> dict[str, str]:
    """Each project's pages, from the page its title opens to the next title, by project name."""
    pages = w.layout_pages if layout else w.pages
    starts = [i for i, page in enumerate(pages) if page.lstrip().startswith("项目支出绩效自评表")]
    assert len(starts) == len(w.evaluations)
    result: dict[str, str] = {}
    for n, (start, ev) in enumerate(zip(starts, w.evaluations, strict=True)):
        end = starts[n + 1] if n + 1 < len(starts) else len(pages)
        assert ev.declaration.name in pages[start]
        result[ev.declaration.name] = "\f".join(pages[start:end])
    return result


def test_no_glyph_is_missing_and_no_font_is_substituted(written: Written) -> None:
    assert not [m for m in written.caught if "Glyph" in m or "findfont" in m or "missing" in m]


def test_every_project_starts_a_page_with_its_name_indicators_and_total(written: Written) -> None:
    parts, rows = sections(written), sections(written, layout=True)
    assert set(parts) == {e.declaration.name for e in written.evaluations}
    assert len(written.evaluations) == 13
    for ev in written.evaluations:
        body = squeeze(parts[ev.declaration.name])
        assert "项目支出绩效自评表（2024年度）" in body
        for ind in ev.score.indicators:
            assert squeeze(ind.name) in body, (ev.declaration.name, ind.name)
        assert re.search(rf"总分\s+100\s+{ev.score.total}\n", rows[ev.declaration.name])
        assert re.search(rf"自评等级\s+{ev.score.grade_label}\n", rows[ev.declaration.name])


def test_total_and_funds_rows_read_across_as_on_the_sheet(written: Written) -> None:
    finance = next(e for e in written.evaluations if e.declaration.name == FINANCE)
    # 3,400,000 of 3,890,000 → 87.40 % → 8.74; the indicators: loan 44 of ≥55 亿元 → 80 % of its points.
    assert finance.score.budget.rate == Decimal("87.40") and finance.score.budget.score == Decimal("8.74")
    lines = [re.sub(r"\s+", " ", line).strip() for line in written.layout.splitlines()]
    assert "年度资金总额 3,890,000.00 3,890,000.00 3,400,000.00 10 87.40% 8.74" in lines
    assert f"总分 100 {finance.score.total}" in lines
    loan = next(s for s in finance.score.indicators if s.name == "科技金融产品年贷款额")
    assert (loan.points, loan.score) == (Decimal("7.50"), Decimal("6.00"))
    assert any(re.search(r"科技金融产品年贷款额 +≥55\.00\(亿元\) +44\(亿元\) +7\.50 +6\.00", ln) for ln in lines)


def test_deviation_analysis_and_measures_are_printed(written: Written) -> None:
    body = squeeze(sections(written)[FINANCE])
    assert "偏差原因分析及改进措施" in body
    assert squeeze(f"偏差原因分析：{REASON}") in body
    assert squeeze(f"改进措施：{MEASURE}") in body
    assert "图表" in body and "指标完成率" in body and "预算执行率87.40%" in body


def test_fonts_are_embedded(written: Written) -> None:
    out = subprocess.run(["pdffonts", str(written.path)], check=True, capture_output=True, text=True).stdout
    rows = out.splitlines()[2:]
    assert rows, out
    for line in rows:
        # name, type (may hold spaces), encoding, then emb sub uni
        assert re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line), line
        assert line.split()[-5] == "yes", line


def test_footer_numbers_pages_and_names_unit_and_date(written: Written) -> None:
    count = len(written.pages)
    info = subprocess.run(["pdfinfo", str(written.path)], check=True, capture_output=True, text=True).stdout
    assert re.search(rf"^Pages:\s+{count}$", info, re.M)
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info, re.M)
    for number, page in enumerate(written.pages, start=1):
        assert f"第 {number} 页 / 共 {count} 页" in page
        assert "上海市科技创新中心" in page and "打印日期：2025-01-20" in page


def test_summary_page_lists_every_total(written: Written) -> None:
    first = written.layout.split("\f")[0]
    assert squeeze(first).startswith("项目支出绩效自评汇总")
    for ev in written.evaluations:
        b, total, grade = ev.score.budget, ev.score.total, ev.score.grade_label
        executed = f"{b.executed:,.2f}" if b.executed is not None else ""
        rate = f"{b.rate}%" if b.rate is not None else "—"
        pattern = (
            rf"{re.escape(ev.declaration.name)}\s+{b.full_year_budget:,.2f}\s+{executed}\s*{rate}\s+{total}\s+{grade}"
        )
        assert re.search(pattern, first), ev.declaration.name


def _placed_rows(pages: list[layout.Page]) -> list[tuple[int, layout.Row]]:
    return [(n, item) for n, p in enumerate(pages) for item, _ in p.placed if isinstance(item, layout.Row)]


def test_no_row_crosses_the_page_bottom_and_headers_repeat(written: Written) -> None:
    for ev in written.evaluations:
        items = pdf.project_items(ev)
        pages = layout.paginate([(ev.declaration.name, items)])
        for page in pages:
            for item, y in page.placed:
                assert y >= layout.TOP and y + item.height <= layout.BOTTOM + 1e-6
        body = [r for r in items if isinstance(r, layout.Row) and not r.is_header]
        placed = [r for _, r in _placed_rows(pages) if not r.is_header]
        assert [id(r) for r in placed] == [id(r) for r in body]  # every row once, in order
        for page in pages[1:]:
            first = page.placed[0][0]
            if isinstance(first, layout.Row):
                assert first.is_header


def test_a_goal_longer_than_a_page_is_cut_between_lines_only(written: Written) -> None:
    finance = next(e for e in written.evaluations if e.declaration.name == FINANCE)
    goal = "推动科技金融服务网络纵深建设，提升服务能力。" * 160
    ev = replace(finance, declaration=replace(finance.declaration, annual_goal=goal))
    pages = layout.paginate([(ev.declaration.name, pdf.project_items(ev))])
    for page in pages:
        for item, y in page.placed:
            assert y + item.height <= layout.BOTTOM + 1e-6
    goal_pieces = [r for _, r in _placed_rows(pages) if r.cells[0].vkey == "goal" and not r.is_header]
    assert len(goal_pieces) >= 2
    printed = "".join("".join(r.cells[1].lines) for r in goal_pieces)
    assert printed == goal


def test_merged_level_cells_cover_their_rows(written: Written) -> None:
    ev = next(e for e in written.evaluations if e.declaration.name == FINANCE)
    rows = [r for r in pdf.project_items(ev) if isinstance(r, layout.Row) and r.table.cols == pdf.INDICATOR_COLS]
    body = rows[1:-2]
    assert len(body) == len(ev.score.indicators)
    runs = [k for i, k in enumerate(r.cells[0].vkey for r in body) if i == 0 or k != body[i - 1].cells[0].vkey]
    assert [k[1] for k in runs] == ["产出指标", "效益指标", "满意度指标"]  # type: ignore[index]
    for r in body:
        need = len(r.cells[2].lines) * r.cells[2].size * layout.LEADING
        assert r.height >= need


def test_empty_selection_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "none.pdf"
    with pytest.raises(ValueError, match="没有可打印的项目"):
        pdf.write_report([], out)
    assert not out.exists() and list(tmp_path.iterdir()) == []


# -- the command ------------------------------------------------------------------------------


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.setattr(cli, "EXTRA_COMMANDS", [report_cli.register])

    def run(*args: object) -> tuple[int, str, str]:
        code = cli.main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_report_command_prints_the_named_project(tmp_path: Path, run_cli) -> None:
    seeded(tmp_path / "t.db").close()
    out = tmp_path / "finance.pdf"
    code, stdout, stderr = run_cli("report", "-o", out, "科技金融", "--year", 2024, "--db", tmp_path / "t.db")
    assert code == 0, stderr
    assert str(out) in stdout
    text = squeeze(pdf_text(out))
    assert FINANCE in text and "项目管理费" not in text and "自评汇总" not in text
    assert "第1页/共" in text


def test_report_command_refuses_what_the_user_can_fix(tmp_path: Path, run_cli) -> None:
    seeded(tmp_path / "t.db").close()
    db = tmp_path / "t.db"
    code, _, err = run_cli("report", "-o", tmp_path / "x.pdf", "没有这个项目", "--db", db)
    assert code == 2 and "没有这个项目" in err
    code, _, err = run_cli("report", "-o", tmp_path / "missing" / "x.pdf", "--db", db)
    assert code == 2 and "不存在" in err
    code, _, err = run_cli("report", "-o", tmp_path / "x.txt", "--db", db)
    assert code == 2 and ".pdf" in err
    code, _, err = run_cli("report", "-o", tmp_path / "x.pdf", "--as-of", "第五季度", "--db", db)
    assert code == 2 and "--as-of" in err
    code, _, err = run_cli("report", "-o", tmp_path / "x.pdf", "--year", 1999, "--db", db)
    assert code == 2 and "1999" in err
    assert not list(tmp_path.glob("*.pdf"))


def test_the_laid_out_report_is_the_written_one(written: Written, tmp_path: Path) -> None:
    """``build_report``'s pages, drawn all at once, are the pages ``write_report`` streams, footers and all."""
    report = pdf.build_report(written.evaluations, unit_label="上海市科技创新中心", date=PRINTED)
    assert len(report) == len(written.pages)
    out = tmp_path / "laid-out.pdf"
    report.write(out)
    pages = pdf_text(out).split("\f")[:-1]
    assert pages == written.pages
    assert f"第 {len(report)} 页 / 共 {len(report)} 页" in pages[-1]
    assert "上海市科技创新中心" in pages[-1] and "打印日期：2025-01-20" in pages[-1]
    info = subprocess.run(["pdfinfo", str(out)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", info, re.M)


def test_draw_page_draws_each_item_where_it_was_placed(tmp_path: Path) -> None:
    """A row placed at y is drawn at y: the layout's coordinates run down the page from the top."""
    import pdfplumber

    from perftrack.report.writer import PdfWriter

    table = layout.Table((100.0, 100.0))
    item = layout.row(table, [layout.Cell("甲"), layout.Cell("乙")])
    page = layout.Page("标题", continued=True, placed=[(item, 200.0)])
    out = tmp_path / "page.pdf"
    writer = PdfWriter(out)
    for drawn in (layout.Page("前", continued=False), page, layout.Page("后", continued=False)):
        writer.add(drawn)
    writer.finish("单位", PRINTED, title="自评表")
    with pdfplumber.open(out) as document:
        second = document.pages[1]
        words = {w["text"]: w for w in second.extract_words(keep_blank_chars=True)}
        assert (second.width, second.height) == pytest.approx((layout.PAGE_W, layout.PAGE_H))
    assert {"甲", "乙", "标题（续）", "第 2 页 / 共 3 页", "单位"} <= set(words)
    # 甲 sits just under y = 200 pt from the top, in the first column.
    assert layout.MARGIN_X < words["甲"]["x0"] < layout.MARGIN_X + 100
    assert 200 < words["甲"]["top"] < words["甲"]["bottom"] < 200 + item.height


def test_charts_drawn_by_worker_processes_print_the_same_pages(written: Written, tmp_path: Path) -> None:
    """With forked workers drawing the charts the PDF reads the same, page for page (run in a child
    process of its own: forking pytest, which may hold Qt's threads, is not what the command does)."""
    if sys.platform != "linux":
        pytest.skip("chart workers are forked on Linux only")
    out = tmp_path / "workers.pdf"
    script = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
        "from tests.support.reports import seeded, evaluations_of, PRINTED; from perftrack.report import pdf;"
        "evs = evaluations_of(seeded(Path(sys.argv[2]) / 'w.db'));"
        "pdf.write_report(evs, Path(sys.argv[3]), unit_label='上海市科技创新中心', date=PRINTED, workers=2)"
    )
    subprocess.run([sys.executable, "-c", script, str(ROOT), str(tmp_path), str(out)], check=True)
    assert pdf_text(out).split("\f")[:-1] == written.pages
    assert pdf_text(out, layout=True) == written.layout
