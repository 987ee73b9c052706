"""Every output shows the same figures (issue 15): ``score --json``, the workbook read back cell by
cell, the PDF read back as text, the charts' data and the window (the 图表 tab, the table's rows).

One seed project gets every kind of data — quarterly values of a sum, a latest roll-up that
over-achieves, tiers with and without a share, values never reported, a deviation note, a
manual deduction, spending by quarter and the monitoring columns — first as a manager has it in
Q2 (the outputs are the monitoring report, marked 截至2024年二季度末 on every page), then with a
full-year value (the year-end self-evaluation). The expected figures are worked out by hand
below, and every output is held to them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

import perftrack.cli as cli
from perftrack.charts import figures as chart_data
from perftrack.domain import figures
from perftrack.domain.attainment import Status
from perftrack.export.workbook import CHART_SHEET, SUMMARY_SHEET, sheet_names
from perftrack.importers import read_declarations
from perftrack.store.actuals import record_actual
from perftrack.store.database import open_database
from perftrack.store.evaluation import ProjectEvaluation, evaluate_all
from perftrack.store.schema import Project
from perftrack.store.settings import set_budget, set_deduction, set_indicator_field
from perftrack.store.upsert import import_declarations

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"
NAME = "信息化建设项目"
SUM = "数据处理功能和业务应用功能"  # ≥30 个, summed by quarter
YEARLY = "可视化呈现和具体数据处理算法"  # ≥50 个: quarters, then a full-year value
LATEST = "系统数据量（企业主体）"  # ≥130000 个, latest roll-up, over-achieved
SHARE = "数据规范程度"  # 达成 at 90 %
PARTLY = "数据可共享程度"  # 部分达成 (70 %)
MISSING = ("数据安全程度", "提升服务科技企业创新水平")
REVERSE = "功能响应时间"  # ≤2 秒, with a deduction
SATISFACTION = "用户满意度"  # ≥90 %
REASON = "二季度部分功能延后上线"
Q2_MARK = "截至2024年二季度末"

# Q2, as the manager has it: the progress status of every indicator (a sum against half its target).
Q2_STATUS = {
    SUM: Status.ON_TRACK,  # 18 of 30 by Q2: 15 expected
    YEARLY: Status.ON_TRACK,  # 30 of 50: 25 expected
    LATEST: Status.ON_TRACK,
    SHARE: Status.ON_TRACK,
    PARTLY: Status.AT_RISK,
    MISSING[0]: Status.NO_ACTUAL,
    REVERSE: Status.ON_TRACK,
    MISSING[1]: Status.NO_ACTUAL,
    SATISFACTION: Status.ON_TRACK,
}
Q2_PERCENT = {SUM: "60.00", YEARLY: "60.00", LATEST: "138.46", REVERSE: "133.33", SATISFACTION: "102.22"}
# The year end, once 45 个 is recorded for the year: by the year-end rule 18 of 30 is off track.
YEAR_STATUS = {**Q2_STATUS, SUM: Status.OFF_TRACK, YEARLY: Status.AT_RISK}
# Lost points or over-achieved (with a value): SUM (explained), YEARLY (at the year end), LATEST
# (over 30 %), SHARE (90 %), PARTLY (70 %), REVERSE (deducted); the two without a value are 未填报.
Q2_EXPLAIN = (6, 5)  # at Q2 YEARLY has 30 of 50 and loses points too
YEAR_EXPLAIN = (6, 5)


def _setup(url: str) -> None:
    db = open_database(url)
    with db.session() as session:
        import_declarations(session, read_declarations([SEED]).declarations, source_label="seed")
    with db.session() as session:
        project = session.scalars(select(Project).where(Project.name == NAME)).one()
        ind = {i.name: i for i in project.indicators}
        for name, period, value in (
            (SUM, "Q1", "8"),
            (SUM, "Q2", "10"),
            (YEARLY, "Q1", "10"),
            (YEARLY, "Q2", "20"),
            (LATEST, "Q1", "100000"),
            (LATEST, "Q2", "180000"),
            (REVERSE, "Q2", "1.5"),
            (SATISFACTION, "Q1", "88"),
            (SATISFACTION, "Q2", "92"),
        ):
            record_actual(session, ind[name], period, value)
        set_indicator_field(session, ind[LATEST], "rollup", "latest")
        record_actual(session, ind[SHARE], "Q2", "达成", percent="90")
        record_actual(session, ind[PARTLY], "Q2", "部分达成")
        set_indicator_field(session, ind[SUM], "deviation_reason", REASON)
        set_indicator_field(session, ind[SUM], "measures", "三季度集中开发")
        set_deduction(session, ind[REVERSE], "1", "资料不全")
        set_indicator_field(session, ind[PARTLY], "monitor_chance", "有可能")
        set_indicator_field(session, ind[PARTLY], "monitor_cause", "人员保障")
        set_budget(session, project, "400000", period="Q1")
        set_budget(session, project, "500000", period="Q2")
    db.close()


@dataclass
class Outputs:
    """What each output of one stage shows, read back from the files the commands wrote."""

    evaluation: ProjectEvaluation
    score: dict[str, Any]
    workbook: openpyxl.Workbook
    pdf_pages: list[str]  # pdftotext -layout, one string a page
    pdf_text: str  # pdftotext in reading order (a cell's lines together)
    url: str

    @property
    def pdf(self) -> str:
        return "\f".join(self.pdf_pages)


def _outputs(folder: Path, url: str, capsys: pytest.CaptureFixture[str]) -> Outputs:
    def run(*args: object) -> str:
        code = cli.main(["--db", url, *(str(a) for a in args)])
        out, err = capsys.readouterr()
        assert code == 0, err
        return out

    score = json.loads(run("score", NAME, "--json"))["projects"][0]
    run("export", "-o", folder / "book.xlsx", NAME)
    run("report", "-o", folder / "report.pdf", NAME)
    text, plain = (
        subprocess.run(
            ["pdftotext", *flag, str(folder / "report.pdf"), "-"], check=True, capture_output=True, text=True
        ).stdout
        for flag in (["-layout"], [])
    )
    db = open_database(url)
    try:
        with db.reading() as session:
            (evaluation,) = evaluate_all(
                session, [session.scalars(select(Project.id).where(Project.name == NAME)).one()]
            )
    finally:
        db.close()
    return Outputs(evaluation, score, openpyxl.load_workbook(folder / "book.xlsx"), text.split("\f")[:-1], plain, url)


@pytest.fixture
def midyear(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Outputs:
    url = f"sqlite:///{(tmp_path / 'q2.db').as_posix()}"
    _setup(url)
    return _outputs(tmp_path, url, capsys)


@pytest.fixture
def year_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Outputs:
    url = f"sqlite:///{(tmp_path / 'year.db').as_posix()}"
    _setup(url)
    db = open_database(url)
    with db.session() as session:
        project = session.scalars(select(Project).where(Project.name == NAME)).one()
        record_actual(session, next(i for i in project.indicators if i.name == YEARLY), "YEAR", "45")
    db.close()
    return _outputs(tmp_path, url, capsys)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _row_of(ws: Any, col: int, text: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, col).value == text)


def _check_everywhere(o: Outputs, statuses: dict[str, Status], explain: tuple[int, int]) -> None:
    """Hold every output of one stage to the same figures."""
    ev = o.evaluation
    standings = {s.name: s for s in figures.standings(ev)}
    # -- the figures themselves, worked out by hand
    assert {name: s.status for name, s in standings.items()} == statuses
    assert (figures.explanation_counts(ev.score).needed, figures.explanation_counts(ev.score).unexplained) == explain
    progress = figures.progress_counts(ev)
    counted = {s: list(statuses.values()).count(s) for s in Status}
    assert (progress.on_track, progress.at_risk, progress.off_track, progress.not_reported) == (
        counted[Status.ON_TRACK],
        counted[Status.AT_RISK],
        counted[Status.OFF_TRACK],
        counted[Status.NO_ACTUAL],
    )
    year_counts = figures.year_end_counts(ev.score)
    outcome = figures.outcome_text(ev)

    # -- score --json: statuses, completion, the counts, the budget
    s = o.score
    assert s["as_of"] == ev.as_of and s["stage"] == figures.stage(ev)
    assert {i["name"]: Status(i["status"]) for i in s["indicators"]} == statuses
    assert {i["name"]: i["status_label"] for i in s["indicators"]} == {n: st.label for n, st in statuses.items()}
    assert s["counts"] == {
        "indicators": 9,
        "reached": year_counts.reached,
        "not_reached": year_counts.not_reached,
        "not_reported": year_counts.not_reported,
        "on_track": progress.on_track,
        "at_risk": progress.at_risk,
        "off_track": progress.off_track,
        "no_actual": progress.not_reported,
        "needs_explanation": explain[0],
        "unexplained": explain[1],
    }
    assert sum(1 for i in s["indicators"] if i["unexplained"]) == explain[1]
    assert s["total"] == str(ev.score.total) and s["budget"]["rate"] == "46.52"  # 900,000 of 1,934,700

    # -- the charts: completion (status and %), the progress column of as_of, the budget
    completion = {r.name: r for r in chart_data.completion_data(ev)}
    assert {n: r.status for n, r in completion.items()} == statuses
    for name, r in completion.items():
        assert r.ratio_percent == standings[name].percent
    last = chart_data.progress_data(ev)[-1]
    assert last.counts == {st: counted[st] for st in Status}
    budget = chart_data.budget_data(ev)
    assert (budget.executed, budget.rate) == (Decimal("900000.00"), Decimal("46.52"))

    # -- the workbook: summary row, the 自评 sheet's sentence and total, the 监控 sheet's statuses
    wb = o.workbook
    summary = wb[SUMMARY_SHEET]
    row = _row_of(summary, 2, NAME)
    assert [summary.cell(row, c).value for c in range(10, 17)] == [
        9,
        year_counts.reached,
        year_counts.not_reached,
        year_counts.not_reported,
        explain[0],
        explain[1],
        progress.off_track,
    ]
    assert summary.cell(row, 7).value == pytest.approx(0.4652)
    assert Decimal(str(summary.cell(row, 8).value)) == ev.score.total
    evaluation_sheet, monitoring_sheet = sheet_names([ev])[0]
    sheet = wb[evaluation_sheet]
    goal = _row_of(sheet, 1, "年度总体目标")
    assert sheet.cell(goal + 1, 6).value == outcome
    waiting = [r for r in range(1, sheet.max_row + 1) if str(sheet.cell(r, 8).value or "").startswith("待说明")]
    assert len(waiting) == explain[1]
    monitor = wb[monitoring_sheet]
    head = _row_of(monitor, 1, "一级指标")
    shown = {monitor.cell(r, 3).value: monitor.cell(r, 14).value for r in range(head + 2, head + 11)}
    assert shown == {n: st.label for n, st in statuses.items()}
    for name, percent in Q2_PERCENT.items() if not figures.is_year_end(ev.as_of) else ():
        r = _row_of(monitor, 3, name)
        assert Decimal(str(monitor.cell(r, 12).value)) * 100 == Decimal(percent)

    # -- the PDF: the same sentence, and each indicator's status on its row
    assert squeeze(outcome) in squeeze(o.pdf_text)
    lines = o.pdf.splitlines()
    for name, status in statuses.items():
        rows = [ln for ln in lines if name in ln and re.search(rf"\s{status.label}(\s|$)", ln)]
        if len(name) <= 12:  # longer names wrap in the table; the chart's label column still holds them
            assert rows, (name, status.label)


def test_midyear_outputs_agree_and_say_they_are_monitoring(midyear: Outputs) -> None:
    ev = midyear.evaluation
    assert ev.as_of == "Q2" and not figures.is_year_end(ev.as_of)
    _check_everywhere(midyear, Q2_STATUS, Q2_EXPLAIN)
    # The chart: 18 of 30 in Q2 is 正常 everywhere (it said 偏离目标 by the year-end rule).
    assert next(r for r in chart_data.completion_data(ev) if r.name == SUM).status is Status.ON_TRACK
    assert figures.progress_counts(ev).on_track == 6
    # What it is, and when: the title and every page.
    pages = midyear.pdf_pages
    assert squeeze(pages[0]).startswith("项目绩效运行监控表（2024年度·截至2024年二季度末）")
    assert "自评表" not in midyear.pdf and "总分" not in midyear.pdf
    for page in pages:
        assert Q2_MARK in page and "非年终自评" in page
    wb = midyear.workbook
    evaluation_sheet, monitoring_sheet = sheet_names([ev])[0]
    assert wb[evaluation_sheet]["A1"].value == "项目支出绩效自评表（年中试算）"
    assert Q2_MARK in wb[evaluation_sheet]["A2"].value and "非年终自评" in wb[evaluation_sheet]["A2"].value
    assert wb[SUMMARY_SHEET]["A1"].value == f"项目绩效运行监控汇总表（2024年度 · {Q2_MARK}）"
    for name in wb.sheetnames:
        assert Q2_MARK in wb[name].oddHeader.right.text, name  # printed at the top of every page
    assert wb[monitoring_sheet]["A2"].value == f"（{Q2_MARK}）"
    assert midyear.score["as_of_label"] == Q2_MARK and midyear.score["stage"] == "progress"
    assert wb[CHART_SHEET]["A1"].value == "汇总图表（2024年度）"


def test_year_end_outputs_agree_and_are_the_self_evaluation(year_end: Outputs) -> None:
    ev = year_end.evaluation
    assert ev.as_of == "YEAR"
    _check_everywhere(year_end, YEAR_STATUS, YEAR_EXPLAIN)
    counts = figures.year_end_counts(ev.score)
    # Reached: LATEST, SHARE (达成 at 90 %), REVERSE (deducted, but its value reaches ≤2 秒), SATISFACTION.
    assert (counts.reached, counts.not_reached, counts.not_reported) == (4, 3, 2)
    # 7.15 × 18/30 + 7.15 × 45/50 + 7.14 + 7.14 × 0.9 + 7.14 × 0.7 + 0 + (7.14 − 1) + 0 + 10, and 4.65
    assert ev.score.total == Decimal("4.29") + Decimal("6.44") + Decimal("7.14") + Decimal("6.43") + Decimal(
        "5.00"
    ) + Decimal("6.14") + Decimal("10.00") + Decimal("4.65")
    text = year_end.pdf
    assert squeeze(year_end.pdf_pages[0]).startswith("项目支出绩效自评表（2024年度）")
    assert re.search(rf"总分\s+100\s+{ev.score.total}\n", text)
    for page in year_end.pdf_pages:
        assert "2024年度 年终自评" in page and "运行监控" not in page
    wb = year_end.workbook
    assert wb[SUMMARY_SHEET]["A1"].value == "项目支出绩效自评汇总表（2024年度）"
    assert wb[sheet_names([ev])[0][0]]["A1"].value == "项目支出绩效自评表"


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_the_window_shows_the_same(midyear: Outputs, qtbot: Any) -> None:
    from perftrack.store.database import Database
    from perftrack.ui.app import make_application
    from perftrack.ui.dashboard import DashboardWidget
    from perftrack.ui.snapshots import project_view
    from perftrack.ui.workspace import Workspace

    ev = midyear.evaluation
    make_application()
    workspace = Workspace(Database.open(midyear.url))
    try:
        widget = DashboardWidget(workspace)
        qtbot.addWidget(widget)
        widget.resize(1200, 800)
        widget.show()
        qtbot.waitExposed(widget)
        with qtbot.waitSignal(widget.redrawn):
            widget.set_project(ev.project_id)
        assert widget.completion_rows == chart_data.completion_data(ev)
        assert widget.progress_rows == chart_data.progress_data(ev)
        assert widget.charts["completion"].ax.get_title() == "指标完成率（截至二季度末，状态按序时进度）"
        assert widget.stage.text() == "运行监控：截至2024年二季度末（非年终自评）"

        def view(session: Any) -> Any:
            project = session.get(Project, ev.project_id)
            (fresh,) = evaluate_all(session, [ev.project_id])
            return project_view(project, fresh)

        page = workspace.read(view)
        assert {r.name: r.status for r in page.rows} == Q2_STATUS
        # The navigator's counts: off track, 待说明 and 未填报, as score and the workbook count them.
        explained = figures.explanation_counts(ev.score)
        progress = figures.progress_counts(ev)
        assert (page.summary.off_track, page.summary.needs_note, page.summary.no_actual) == (
            progress.off_track,
            explained.unexplained,
            progress.not_reported,
        )
    finally:
        workspace.close()


def test_a_forced_monitoring_report_at_the_year_end(year_end: Outputs, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "monitoring.pdf"
    assert cli.main(["--db", year_end.url, "report", "-o", str(out), NAME, "--monitoring"]) == 0
    assert "已生成项目绩效运行监控表" in capsys.readouterr().out
    text = subprocess.run(["pdftotext", str(out), "-"], check=True, capture_output=True, text=True).stdout
    pages = text.split("\f")[:-1]
    assert squeeze(pages[0]).startswith("项目绩效运行监控表（2024年度·截至2024年末（全年））")
    for page in pages:
        assert "运行监控 截至2024年末（全年）" in page


@pytest.mark.parametrize(
    ("as_of", "title"),
    [
        ("YEAR", "项目支出绩效自评表（2024年度）"),
        ("2025-01-20", "项目支出绩效自评表（2024年度）"),  # a date after the budget year: the year end
        ("2024-05-20", "项目绩效运行监控表（2024年度·截至2024年二季度末）"),
        ("Q1", "项目绩效运行监控表（2024年度·截至2024年一季度末）"),
    ],
)
def test_as_of_picks_the_self_evaluation_or_the_monitoring_report(
    midyear: Outputs, tmp_path: Path, as_of: str, title: str
) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(midyear.url.removeprefix("sqlite:///"), copy)
    out = tmp_path / "out.pdf"
    assert cli.main(["--db", f"sqlite:///{copy.as_posix()}", "report", "-o", str(out), NAME, "--as-of", as_of]) == 0
    text = subprocess.run(["pdftotext", str(out), "-"], check=True, capture_output=True, text=True).stdout
    assert squeeze(text).startswith(title)
    assert ("运行监控" in text) is title.startswith("项目绩效运行监控表")


def test_as_of_that_is_neither_a_period_nor_a_date_is_refused(midyear: Outputs, tmp_path: Path, capsys: Any) -> None:
    code = cli.main(["--db", midyear.url, "report", "-o", str(tmp_path / "x.pdf"), NAME, "--as-of", "2025-13-01"])
    assert code == 2 and "--as-of" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
