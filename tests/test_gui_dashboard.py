"""The dashboard and printing from the GUI, on a real SQLite file, offscreen.

The charts must show the score's own numbers, follow edits, the language and the window, save
real PNG and SVG files and never miss a glyph; printing must give the report's own pages.
"""

from __future__ import annotations

import gc
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import pytest
from matplotlib.text import Text
from PySide6.QtCore import QCoreApplication, QSize, QTranslator
from PySide6.QtGui import QImage, QPageLayout
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from perftrack.charts import figures
from perftrack.domain.attainment import Status
from perftrack.domain.scoring import round_cents
from perftrack.importers import read_declarations
from perftrack.report.pdf import build_report
from perftrack.store.actuals import assessed_by_tier, record_actual
from perftrack.store.database import open_database
from perftrack.store.evaluation import ProjectEvaluation, evaluate_all
from perftrack.store.schema import BudgetExecution, Indicator, Project
from perftrack.store.upsert import import_declarations
from perftrack.ui import printing
from perftrack.ui.app import make_application
from perftrack.ui.dashboard import WIDE_PX, DashboardWidget
from perftrack.ui.workspace import Workspace
from tests.support.fonts import FontTrouble
from tests.support.reports import pdf_text

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"
FINANCE = "开展科技金融工作及服务"
LOAN = "科技金融产品年贷款额"  # ≥55.00(亿元)
INCUBATOR = "孵化基地运营及创业孵化服务支出"


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """The 13 seed projects; the finance project with its loans at 44 亿元 and 3,400,000 元 spent."""
    database = open_database(f"sqlite:///{(tmp_path / 'dash.db').as_posix()}")
    with database.session() as session:
        import_declarations(session, read_declarations([SEED]).declarations, source_label="seed")
    with database.session() as session:
        project = session.scalars(select(Project).where(Project.name == FINANCE)).one()
        for period, amount in (("Q1", "500000"), ("Q2", "1000000"), ("Q3", "900000"), ("Q4", "1000000")):
            session.add(BudgetExecution(project_id=project.id, period=period, amount=Decimal(amount)))
        loan = next(i for i in project.indicators if i.name == LOAN)
        record_actual(session, loan, "YEAR", "44")
    ws = Workspace(database)
    yield ws
    ws.close()


def project_id(ws: Workspace, name: str) -> int:
    return ws.read(lambda s: s.scalar(select(Project.id).where(Project.name == name)))


def evaluation(ws: Workspace, name: str) -> ProjectEvaluation:
    (ev,) = ws.read(lambda s: evaluate_all(s, [project_id(ws, name)]))
    return ev


@pytest.fixture
def dashboard(qtbot: QtBot, workspace: Workspace) -> DashboardWidget:
    make_application()
    widget = DashboardWidget(workspace)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    with qtbot.waitSignal(widget.redrawn):
        widget.set_project(project_id(workspace, FINANCE))
    return widget


def texts_of(canvas_ax) -> list[str]:
    return [t.get_text() for t in canvas_ax.findobj(Text)]


def edit(ws: Workspace, name: str, indicator: str, period: str, text: str) -> None:
    """Record a value as the GUI does: one action, committed, then projectChanged."""

    def action(session) -> None:
        ind = session.scalars(
            select(Indicator).join(Project).where(Project.name == name, Indicator.name == indicator)
        ).one()
        record_actual(session, ind, period, text)

    ws.run(project_id(ws, name), action)


# -- the project's charts ---------------------------------------------------------------------


def test_charts_are_given_the_scores_numbers(dashboard: DashboardWidget, workspace: Workspace) -> None:
    ev = evaluation(workspace, FINANCE)
    rows = dashboard.completion_rows
    assert [r.name for r in rows] == [s.name for s in ev.score.indicators]
    for row, s in zip(rows, ev.score.indicators, strict=True):
        assert row.status is s.status
        assert row.ratio_percent == (round_cents(s.ratio * 100) if s.ratio is not None else None)
    loan = next(r for r in rows if r.name == LOAN)
    assert loan.ratio_percent == Decimal("80.00") and loan.status is Status.OFF_TRACK
    # What is drawn is what was given: one bar per indicator, as long as its completion.
    ax = dashboard.charts["completion"].ax
    widths = [bar.get_width() for bar in ax.patches]
    assert widths == [float(min(r.ratio_percent, 150)) if r.ratio_percent is not None else 0 for r in rows]
    drawn = texts_of(ax)
    assert "80.00%" in drawn and "偏离目标" in drawn  # the status in words beside its colour
    assert drawn.count("正常") == sum(1 for s in ev.score.indicators if s.status is Status.ON_TRACK)

    b = ev.score.budget
    assert dashboard.budget is not None
    assert (dashboard.budget.budget, dashboard.budget.executed, dashboard.budget.rate, dashboard.budget.score) == (
        b.full_year_budget,
        b.executed,
        b.rate,
        b.score,
    )
    assert b.rate == Decimal("87.40") and b.score == Decimal("8.74")
    assert dashboard.charts["budget"].ax.get_title() == "预算执行率 87.40%（得分 8.74/10）"
    # The year's column of the progress chart counts the score's statuses.
    year = dashboard.progress_rows[-1]
    assert year.period == "YEAR"
    for status in Status:
        assert year.counts[status] == sum(1 for s in ev.score.indicators if s.status is status)
    assert dashboard.progress_rows == figures.progress_data(ev)
    assert dashboard.title.text() == FINANCE


def test_an_edit_through_the_workspace_redraws_the_shown_project(
    qtbot: QtBot, dashboard: DashboardWidget, workspace: Workspace
) -> None:
    with qtbot.waitSignal(dashboard.redrawn, timeout=5000):
        edit(workspace, FINANCE, LOAN, "YEAR", "55")
    loan = next(r for r in dashboard.completion_rows if r.name == LOAN)
    assert loan.ratio_percent == Decimal("100.00") and loan.status is Status.ON_TRACK
    index = [r.name for r in dashboard.completion_rows].index(LOAN)
    assert dashboard.charts["completion"].ax.patches[index].get_width() == 100.0
    assert "偏离目标" not in texts_of(dashboard.charts["completion"].ax)


def test_an_edit_to_another_project_leaves_the_charts_alone(
    qtbot: QtBot, dashboard: DashboardWidget, workspace: Workspace
) -> None:
    shown = list(dashboard.completion_rows)
    with qtbot.assertNotEmitted(dashboard.redrawn, wait=200):
        edit(workspace, INCUBATOR, "综合满意度", "Q1", "95")
    assert dashboard.completion_rows == shown
    # It was listening all along: an edit to the project it shows is drawn.
    with qtbot.waitSignal(dashboard.redrawn, timeout=5_000):
        edit(workspace, FINANCE, LOAN, "YEAR", "55")
    assert next(r for r in dashboard.completion_rows if r.name == LOAN).status is Status.ON_TRACK


def test_a_hidden_dashboard_redraws_when_shown_again(
    qtbot: QtBot, dashboard: DashboardWidget, workspace: Workspace
) -> None:
    dashboard.hide()
    with qtbot.assertNotEmitted(dashboard.redrawn, wait=200):
        edit(workspace, FINANCE, LOAN, "YEAR", "55")
    with qtbot.waitSignal(dashboard.redrawn):
        dashboard.show()
    assert next(r for r in dashboard.completion_rows if r.name == LOAN).status is Status.ON_TRACK


def test_an_import_resets_and_redraws(qtbot: QtBot, dashboard: DashboardWidget, workspace: Workspace) -> None:
    with qtbot.waitSignal(dashboard.redrawn):
        workspace.reset()
    assert dashboard.completion_rows and dashboard.title.text() == FINANCE


def test_no_project_shows_an_empty_page(qtbot: QtBot, dashboard: DashboardWidget) -> None:
    with qtbot.waitSignal(dashboard.redrawn):
        dashboard.set_project(None)
    assert dashboard.completion_rows == [] and dashboard.visible_charts() == []
    assert not dashboard.save_button.isEnabled() and dashboard.shown_project_ids() == []


def test_another_database_replaces_the_shown_one(
    qtbot: QtBot, dashboard: DashboardWidget, workspace: Workspace, tmp_path: Path
) -> None:
    other = Workspace(open_database(f"sqlite:///{(tmp_path / 'other.db').as_posix()}"))
    try:
        with qtbot.waitSignal(dashboard.redrawn):
            dashboard.set_workspace(other)
        assert dashboard.evaluation is None and dashboard.title.text() == "在左侧选择一个项目"
        with qtbot.waitSignal(dashboard.redrawn):
            dashboard.set_project(project_id(workspace, FINANCE))  # an id the other database lacks
        assert dashboard.evaluation is None
        with qtbot.assertNotEmitted(dashboard.redrawn, wait=200):
            edit(workspace, FINANCE, LOAN, "YEAR", "55")  # the old database no longer moves the charts
    finally:
        other.close()


# -- the unit's scores ------------------------------------------------------------------------


def test_unit_mode_shows_every_projects_score_and_grade(
    qtbot: QtBot, dashboard: DashboardWidget, workspace: Workspace
) -> None:
    finance = evaluation(workspace, FINANCE)
    unit = finance.declaration.unit
    with qtbot.waitSignal(dashboard.redrawn):
        dashboard.unit_button.click()
    everyone = workspace.read(lambda s: evaluate_all(s, year=2024))
    mine = [e for e in everyone if e.declaration.unit == unit]
    assert 1 < len(mine) < len(everyone)  # the seed's other unit is left out
    assert [(r.name, r.total, r.grade_label) for r in dashboard.unit_rows] == [
        (e.declaration.name, e.score.total, e.score.grade_label) for e in mine
    ]
    ax = dashboard.charts["units"].ax
    assert [bar.get_width() for bar in ax.patches] == [float(e.score.total) for e in mine]
    # The seed's projects without figures stand at the year end (2024 is over): self-evaluation totals.
    assert all(e.as_of == "YEAR" for e in mine) and ax.get_title() == "各项目自评得分"
    assert f"{finance.score.total}（{finance.score.grade_label}）" in texts_of(ax)
    assert sorted(dashboard.shown_project_ids()) == sorted(e.project_id for e in mine)
    with qtbot.waitSignal(dashboard.redrawn, timeout=5000):
        edit(workspace, FINANCE, LOAN, "YEAR", "60")
    changed = next(r for r in dashboard.unit_rows if r.name == FINANCE)
    assert changed.total == evaluation(workspace, FINANCE).score.total > finance.score.total
    # A project whose figures stop at a quarter is a trial: the chart says so.
    other = next(e for e in mine if e.declaration.name != FINANCE)

    def second_quarter(session: Session) -> None:
        indicator = session.scalars(select(Indicator).where(Indicator.project_id == other.project_id)).first()
        record_actual(session, indicator, "Q2", "达成" if assessed_by_tier(indicator) else "1")

    with qtbot.waitSignal(dashboard.redrawn, timeout=5000):
        workspace.run(other.project_id, second_quarter)
    assert dashboard.charts["units"].ax.get_title() == "各项目得分（年中为试算）"
    with qtbot.waitSignal(dashboard.redrawn):
        dashboard.project_button.click()
    assert dashboard.shown_project_ids() == [finance.project_id]


# -- language, window size, fonts -------------------------------------------------------------


class English(QTranslator):
    """A few words in English, enough to see the charts follow the language."""

    WORDS: ClassVar[dict[str, str]] = {
        "指标完成率": "Indicator completion",
        "预算执行率 {rate}（得分 {score}/{points}）": "Budget executed {rate} (score {score}/{points})",
        "一季度": "Q1",
        "偏离目标": "Off track",  # a status: whatever context the GUI keeps its status words in
        "打印预览…": "Print preview…",
    }

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        return self.WORDS.get(source)

    def isEmpty(self) -> bool:
        return False


def test_charts_follow_the_language(qtbot: QtBot, dashboard: DashboardWidget) -> None:
    translator = English()
    with qtbot.waitSignal(dashboard.redrawn):
        QCoreApplication.installTranslator(translator)
    try:
        assert dashboard.charts["completion"].ax.get_title() == "Indicator completion"
        assert "Off track" in texts_of(dashboard.charts["completion"].ax)
        assert dashboard.charts["budget"].ax.get_title() == "Budget executed 87.40% (score 8.74/10)"
        labels = [t.get_text() for t in dashboard.charts["budget"].ax.get_xticklabels()]
        assert labels[0] == "Q1"
    finally:
        with qtbot.waitSignal(dashboard.redrawn):
            QCoreApplication.removeTranslator(translator)
    assert dashboard.charts["completion"].ax.get_title() == "指标完成率"


def test_print_actions_follow_the_language(qtbot: QtBot, workspace: Workspace) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    actions = printing.ReportActions(window, lambda: workspace, list)
    translator = English()
    QCoreApplication.installTranslator(translator)
    try:
        qtbot.waitUntil(lambda: actions.preview_action.text() == "Print preview…")
    finally:
        QCoreApplication.removeTranslator(translator)
    qtbot.waitUntil(lambda: actions.preview_action.text() == "打印预览…")


def _inside(canvas) -> bool:
    """Every axes' labels, ticks and titles lie within the figure after a draw."""
    canvas.draw()
    renderer = canvas.get_renderer()
    width, height = canvas.get_width_height(physical=True)
    box = canvas.figure.axes[0].get_tightbbox(renderer)
    return box.x0 >= -1 and box.y0 >= -1 and box.x1 <= width + 1 and box.y1 <= height + 1


def test_charts_refit_when_the_window_is_resized(qtbot: QtBot, dashboard: DashboardWidget) -> None:
    charts = [dashboard.charts[key] for key in ("completion", "progress", "budget")]
    completion, budget = charts[0], charts[2]
    wide = budget.ax.get_position().width
    assert all(_inside(c) for c in charts)
    # Just wide enough for side by side: the small charts are at their narrowest but one.
    dashboard.resize(QSize(WIDE_PX, 600))
    qtbot.waitUntil(lambda: budget.width() < 0.45 * WIDE_PX)
    assert dashboard.grid.getItemPosition(dashboard.grid.indexOf(budget))[:2] == (1, 1)
    assert all(_inside(c) for c in charts)
    dashboard.resize(QSize(WIDE_PX - 200, 600))
    qtbot.waitUntil(lambda: budget.width() == completion.width())  # stacked, one column
    assert dashboard.grid.getItemPosition(dashboard.grid.indexOf(budget))[:2] == (2, 0)
    qtbot.waitUntil(lambda: abs(budget.figure.get_size_inches()[0] * budget.figure.dpi - budget.width()) < 2)
    assert all(_inside(c) for c in charts)
    assert budget.ax.get_position().width != wide  # the layout was worked out again for the new size


def test_drawing_and_saving_miss_no_glyph(dashboard: DashboardWidget, tmp_path: Path) -> None:
    trouble = FontTrouble()

    def everything() -> None:
        dashboard.refresh()
        for key in ("completion", "progress", "budget"):
            dashboard.charts[key].draw()
            dashboard.save_chart(key, tmp_path / f"{key}.svg")
        dashboard.set_unit(2024, evaluation(dashboard.workspace, FINANCE).declaration.unit or "")
        dashboard.refresh()
        dashboard.charts["units"].draw()

    trouble.run(everything)
    assert dashboard.font_file is not None
    assert trouble.messages == []


# -- saving -----------------------------------------------------------------------------------


def test_save_as_png_and_svg_through_the_dialog(
    dashboard: DashboardWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([(str(tmp_path / "完成率.png"), "PNG (*.png)"), (str(tmp_path / "预算"), "SVG (*.svg)")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: next(answers))
    png = dashboard.ask_save("completion", "png")
    svg = dashboard.ask_save("budget", "svg")
    assert png == tmp_path / "完成率.png" and svg == tmp_path / "预算.svg"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(png))
    canvas = dashboard.charts["completion"]
    assert image.width() == pytest.approx(canvas.figure.get_size_inches()[0] * 200, abs=2)
    assert image.pixelColor(image.width() // 2, 2).name() == "#ffffff"  # a white page, not transparent
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "<svg" in text and "</svg>" in text
    assert "87.40" in text  # matplotlib keeps each text's string as a comment beside its glyph paths


def test_save_refuses_other_formats_and_reports_unwritable_folders(
    qtbot: QtBot, dashboard: DashboardWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ValueError, match=r"\.png 或 \.svg"):
        dashboard.save_chart("completion", tmp_path / "chart.jpg")
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "missing" / "c.png"), "PNG (*.png)")
    )
    assert dashboard.ask_save("completion") is None
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert boxes and "missing" in boxes[0].text()
    assert not list(tmp_path.rglob("*.png"))


def test_the_save_menu_lists_the_charts_on_screen(dashboard: DashboardWidget) -> None:
    menu = dashboard.save_button.menu()
    menu.aboutToShow.emit()
    titles = [a.text() for a in menu.actions()]
    assert "指标完成率（PNG）…" in titles and "预算执行率 87.40%（得分 8.74/10）（SVG）…" in titles
    assert len(titles) == 6


# -- printing ---------------------------------------------------------------------------------


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_export_pdf_writes_the_projects_report(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "自评表.pdf"
    ids = [project_id(workspace, FINANCE), project_id(workspace, INCUBATOR)]
    assert printing.export_pdf(None, workspace, ids, out)
    text = "".join(pdf_text(out).split())
    assert FINANCE in text and INCUBATOR in text and "项目支出绩效自评汇总" in text
    assert "预算执行率87.40%" in text


def test_export_pdf_of_nothing_says_so_and_writes_nothing(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    assert not printing.export_pdf(parent, workspace, [], tmp_path / "none.pdf")
    box = parent.findChild(QMessageBox)
    assert box is not None and "没有可打印的项目" in box.text()
    assert not (tmp_path / "none.pdf").exists()


def pdf_printer(path: Path) -> QPrinter:
    printer = printing.new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_paint_report_puts_each_page_on_its_own_sheet(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> None:
    make_application()
    report = build_report([evaluation(workspace, FINANCE)])
    out = tmp_path / "printed.pdf"
    assert printing.paint_report(pdf_printer(out), report, dpi=60) == len(report) >= 2
    assert pdf_pages(out) == len(report)
    # The sheet is a picture of the page: its first page is mostly white with dark text on it.
    subprocess.run(["pdftoppm", "-r", "30", "-f", "1", "-l", "1", "-png", str(out), str(tmp_path / "p")], check=True)
    image = QImage(str(next(tmp_path.glob("p*.png"))))
    dark = sum(
        1
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
        if image.pixelColor(x, y).lightness() < 128
    )
    assert 0.002 < dark / ((image.width() // 2) * (image.height() // 2)) < 0.3


def test_page_image_is_the_page_at_the_asked_resolution(workspace: Workspace) -> None:
    report = build_report([evaluation(workspace, FINANCE)])
    image = printing.page_image(report, 0, 72)
    assert image.width() == 595 and abs(image.height() - 842) <= 1  # A4 is 595.28 × 841.89 points


def test_print_preview_renders_every_page(qtbot: QtBot, workspace: Workspace) -> None:
    make_application()
    dialog = printing.print_preview(None, workspace, [project_id(workspace, FINANCE)])
    assert dialog is not None
    qtbot.addWidget(dialog)
    preview = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() > 0)
    assert preview.pageCount() == len(build_report([evaluation(workspace, FINANCE)]))
    # The dialog only borrows its printer: painting again after a collection must not crash.
    gc.collect()
    preview.setOrientation(QPageLayout.Orientation.Landscape)
    preview.updatePreview()
    assert preview.pageCount() == len(build_report([evaluation(workspace, FINANCE)]))
    dialog.close()


def test_print_prints_once_the_dialog_is_accepted(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> None:
    make_application()
    out = tmp_path / "paper.pdf"
    dialog = printing.print_report(None, workspace, [project_id(workspace, FINANCE)], printer=pdf_printer(out))
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert not out.exists()
    dialog.accept()  # the Print button
    assert pdf_pages(out) == len(build_report([evaluation(workspace, FINANCE)]))


def test_report_actions_export_what_they_are_given(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    ids: list[int] = []
    actions = printing.ReportActions(parent, lambda: workspace, lambda: ids)
    assert [a.text() for a in actions.actions()] == ["打印预览…", "打印…", "导出 PDF…", "导出监控报告 PDF…"]
    assert actions.export() is None  # nothing chosen: a message, no file dialog
    assert "请先在左侧选择一个项目" in parent.findChild(QMessageBox).text()
    ids.append(project_id(workspace, FINANCE))
    offered: list[str] = []

    def save_as(_parent: object, _title: str, name: str, *_a: object, **_k: object) -> tuple[str, str]:
        offered.append(name)
        return str(tmp_path / "finance"), "PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    with qtbot.waitSignal(actions.message) as said:
        actions.export_pdf_action.trigger()
    assert offered == ["自评表.pdf"]  # the finance project stands at the year end: its self-evaluation
    assert (tmp_path / "finance.pdf").is_file() and "finance.pdf" in said.args[0]
    assert FINANCE in "".join(pdf_text(tmp_path / "finance.pdf").split())
    other = next(pid for pid, *_ in workspace.project_index() if pid != ids[0])

    def first_quarter_only(session: Session) -> None:  # figures that stop at Q1: a monitoring report
        indicator = session.scalars(select(Indicator).where(Indicator.project_id == other)).first()
        record_actual(session, indicator, "Q1", "达成" if assessed_by_tier(indicator) else "1")

    workspace.run(other, first_quarter_only)
    assert workspace.view(other).as_of == "Q1"
    ids[:] = [other]
    offered.clear()
    with qtbot.waitSignal(actions.message):
        actions.export_pdf_action.trigger()
    assert offered == ["运行监控表.pdf"]  # named for what it will be


def test_the_monitoring_report_action_prints_the_monitoring_form(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    actions = printing.ReportActions(parent, lambda: workspace, lambda: [project_id(workspace, FINANCE)])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "watch"), "PDF (*.pdf)"))
    with qtbot.waitSignal(actions.message):
        actions.monitoring_action.trigger()
    text = pdf_text(tmp_path / "watch.pdf")
    # The finance project stands at the year end, yet asked for, its monitoring form is printed.
    assert "".join(text.split()).startswith("项目绩效运行监控表（2024年度·截至2024年末（全年））")
    assert "自评表" not in text
