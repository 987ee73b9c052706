"""The charts get the score's own numbers, and draw them with a Chinese font and no missing glyph."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import matplotlib.colors
import matplotlib.image
import pytest
from matplotlib import rcParams
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from sqlalchemy import select

from perftrack.charts import figures, fonts
from perftrack.charts.texts import ChartTexts
from perftrack.domain.attainment import Status
from perftrack.domain.scoring import round_cents
from perftrack.importers import read_declarations
from perftrack.store.database import Database, open_database
from perftrack.store.evaluation import ProjectEvaluation, evaluate_all
from perftrack.store.schema import Actual, BudgetExecution, Project
from perftrack.store.upsert import import_declarations
from tests.support.fonts import FontTrouble

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"
FINANCE = "开展科技金融工作及服务"
INCUBATOR = "孵化基地运营及创业孵化服务支出"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'charts.db'}")
    with database.session() as session:
        import_declarations(session, read_declarations([SEED]).declarations, source_label="seed")
    yield database
    database.close()


def project(session, name: str) -> Project:
    return session.scalars(select(Project).where(Project.name == name)).one()


def record(db: Database, name: str, values: dict[str, dict[str, object]]) -> None:
    """Actuals by indicator name and period: a number, or a tier for a qualitative indicator."""
    with db.session() as session:
        p = project(session, name)
        by_name = {i.name: i for i in p.indicators}
        for ind_name, periods in values.items():
            ind = by_name[ind_name]
            for period, value in periods.items():
                if isinstance(value, str):
                    session.add(Actual(indicator_id=ind.id, period=period, tier=value))
                else:
                    session.add(
                        Actual(indicator_id=ind.id, period=period, value=Decimal(str(value)), unit=ind.target_unit)
                    )


def evaluate(db: Database, name: str, as_of: str | None = None) -> ProjectEvaluation:
    with db.session() as session:
        (ev,) = evaluate_all(session, [project(session, name).id], as_of=as_of)
    return ev


def test_completion_data_is_the_score_ratio_in_percent(db: Database) -> None:
    record(
        db,
        FINANCE,
        {
            "科技金融产品年贷款额": {"YEAR": 44},  # ≥55 亿元
            "企业风险评价": {"YEAR": 600},  # ≥400 个: over-achieved
            "科技金融服务能力提升": {"YEAR": "partly"},
        },
    )
    ev = evaluate(db, FINANCE)
    rows = figures.completion_data(ev)
    assert [r.name for r in rows] == [s.name for s in ev.score.indicators]
    by_name = {r.name: r for r in rows}
    assert by_name["科技金融产品年贷款额"] == ("科技金融产品年贷款额", Decimal("80.00"), Status.OFF_TRACK, False)
    assert by_name["企业风险评价"].ratio_percent == Decimal("150.00")
    assert by_name["科技金融服务能力提升"] == ("科技金融服务能力提升", Decimal(70), Status.AT_RISK, True)
    unrecorded = by_name["金融专刊出版"]
    assert unrecorded.ratio_percent is None and unrecorded.status is Status.NO_ACTUAL
    for row, s in zip(rows, ev.score.indicators, strict=True):
        if s.ratio is not None:
            assert row.ratio_percent == round_cents(s.ratio * 100)
        assert row.status is s.status


def test_progress_data_counts_statuses_per_period(db: Database) -> None:
    # 后勤保障服务完成率 =100 %: 100 in Q1 (on track), 80 in Q2 (more than 15 % short: off track);
    # 综合满意度 ≥90 %: 88 in Q2 (within 15 %: at risk). Three indicators have nothing.
    record(db, INCUBATOR, {"后勤保障服务完成率": {"Q1": 100, "Q2": 80}, "综合满意度": {"Q2": 88}})
    ev = evaluate(db, INCUBATOR, as_of="Q2")
    rows = figures.progress_data(ev)
    assert [(r.period, r.label) for r in rows] == [("Q1", "一季度"), ("Q2", "二季度")]
    assert rows[0].counts == {Status.ON_TRACK: 1, Status.AT_RISK: 0, Status.OFF_TRACK: 0, Status.NO_ACTUAL: 4}
    assert rows[1].counts == {Status.ON_TRACK: 0, Status.AT_RISK: 1, Status.OFF_TRACK: 1, Status.NO_ACTUAL: 3}


def test_progress_data_at_year_end_agrees_with_the_score(db: Database) -> None:
    record(db, FINANCE, {"科技金融产品年贷款额": {"Q1": 10, "Q2": 12, "YEAR": 44}, "企业风险评价": {"YEAR": 600}})
    ev = evaluate(db, FINANCE, as_of="YEAR")
    rows = figures.progress_data(ev)
    assert [r.period for r in rows] == ["Q1", "Q2", "Q3", "Q4", "YEAR"]
    year = rows[-1].counts
    for status in Status:
        assert year[status] == sum(1 for s in ev.score.indicators if s.status is status)
    # 22 亿元 by Q2 of a ≥55 target expected at half: 22 < 27.5 × 0.85 → off track.
    assert rows[1].counts[Status.OFF_TRACK] == 1 and rows[1].counts[Status.NO_ACTUAL] == len(ev.indicators) - 1


def test_budget_data_adds_the_periods_the_score_adds(db: Database) -> None:
    with db.session() as session:
        p = project(session, FINANCE)
        for period, amount in (("Q1", "500000"), ("Q2", "1000000"), ("M01", "1"), ("Q3", "900000")):
            session.add(BudgetExecution(project_id=p.id, period=period, amount=Decimal(amount)))
    ev = evaluate(db, FINANCE)
    data = figures.budget_data(ev)
    assert [(p.period, p.amount, p.cumulative, p.percent) for p in data.periods] == [
        ("Q1", Decimal("500000"), Decimal("500000"), Decimal("12.85")),
        ("Q2", Decimal("1000000"), Decimal("1500000"), Decimal("38.56")),
        ("Q3", Decimal("900000"), Decimal("2400000"), Decimal("61.70")),
    ]
    b = ev.score.budget
    assert (data.budget, data.executed, data.rate, data.score) == (b.full_year_budget, b.executed, b.rate, b.score)
    assert data.executed == data.periods[-1].cumulative == Decimal("2400000")
    assert data.rate == Decimal("61.70") and data.score == Decimal("6.17")


def test_unit_scores_data_is_each_total_and_grade(db: Database) -> None:
    record(db, FINANCE, {"科技金融产品年贷款额": {"YEAR": 44}})
    with db.session() as session:
        evaluations = evaluate_all(session)
    rows = figures.unit_scores_data(evaluations)
    assert [(r.name, r.total, r.grade_label) for r in rows] == [
        (e.declaration.name, e.score.total, e.score.grade_label) for e in evaluations
    ]
    finance = next(r for r in rows if r.name == FINANCE)
    assert finance.total == Decimal("6.00") and finance.grade_label == "差"


def render(fig: Figure, path: Path) -> tuple[int, int]:
    fig.savefig(path)
    image = matplotlib.image.imread(path)
    return image.shape[1], image.shape[0]


def test_each_chart_renders_to_png_without_a_missing_glyph(db: Database, tmp_path: Path) -> None:
    fonts.setup_cjk_fonts()
    record(db, FINANCE, {"科技金融产品年贷款额": {"Q1": 10, "YEAR": 44}, "科技金融服务能力提升": {"YEAR": "partly"}})
    with db.session() as session:
        p = project(session, FINANCE)
        session.add(BudgetExecution(project_id=p.id, period="Q1", amount=Decimal("500000")))
    ev = evaluate(db, FINANCE)
    with db.session() as session:
        everyone = evaluate_all(session)
    charts = {
        "completion": lambda: figures.completion_chart(ev),
        "progress": lambda: figures.quarterly_progress_chart(ev),
        "budget": lambda: figures.budget_chart(ev),
        "units": lambda: figures.unit_scores_chart(everyone),
    }
    for name, make in charts.items():
        trouble = FontTrouble()
        sizes: list[tuple[int, int]] = []
        trouble.run(lambda make=make, name=name, sizes=sizes: sizes.append(render(make(), tmp_path / f"{name}.png")))
        assert trouble.messages == [], name
        width, height = sizes[0]
        assert width >= 300 and height >= 200, name


def test_the_glyph_check_catches_a_missing_glyph(tmp_path: Path) -> None:
    """The check above can fail: a private-use character no font has is reported."""
    fonts.setup_cjk_fonts()
    fig = Figure()
    fig.text(0.5, 0.5, "\ue000")
    trouble = FontTrouble()
    trouble.run(lambda: fig.savefig(tmp_path / "missing.png"))
    assert any("Glyph" in m for m in trouble.messages)


def test_setup_finds_the_system_font_and_puts_it_first() -> None:
    path = fonts.setup_cjk_fonts(bundled_dirs=[])
    assert path is not None and path.is_file()
    family = fonts.font_manager.FontProperties(fname=str(path)).get_name()
    assert rcParams["font.family"][0] == family
    assert "DejaVu Sans" in rcParams["font.family"]


def test_a_bundled_font_wins_over_the_system_one(tmp_path: Path) -> None:
    system = fonts.setup_cjk_fonts(bundled_dirs=[])
    assert system is not None
    bundled = tmp_path / "fonts" / f"bundled{system.suffix}"
    bundled.parent.mkdir()
    shutil.copyfile(system, bundled)
    assert fonts.setup_cjk_fonts(bundled_dirs=[bundled.parent, tmp_path / "absent"]) == bundled


def test_wrapped_lines_fit_and_keep_every_character() -> None:
    fonts.setup_cjk_fonts()
    text = "以市场化、专业化的方式，为入驻企业提供创业辅导、投融资对接（≥90.00%）等服务，共计1234567.89元。\n第二段"
    lines = fonts.wrap_text(text, 100, 8)
    assert all(fonts.text_width(line, 8) <= 100 for line in lines)
    assert "".join(lines) == text.replace("\n", "")
    assert lines[-1] == "第二段"
    assert not any(line[0] in "，。、）%" for line in lines)
    assert any("≥90.00%）" in line for line in lines)  # a number is not cut in two
    assert fonts.text_width("中中", 10) == pytest.approx(2 * fonts.text_width("中", 10))


def test_progress_rows_carry_the_time_elapsed_they_are_measured_against(db: Database) -> None:
    record(db, INCUBATOR, {"后勤保障服务完成率": {"Q1": 100, "Q2": 80}})
    rows = figures.progress_data(evaluate(db, INCUBATOR, as_of="Q2"))
    assert [r.elapsed for r in rows] == [Decimal("25.00"), Decimal("50.00")]
    year = figures.progress_data(evaluate(db, INCUBATOR, as_of="YEAR"))
    assert [r.elapsed for r in year] == [Decimal("25.00"), Decimal("50.00"), Decimal("75.00"), *[Decimal("100.00")] * 2]


def test_budget_periods_carry_the_time_elapsed_share_of_the_budget(db: Database) -> None:
    with db.session() as session:
        p = project(session, FINANCE)
        for period, amount in (("Q1", "500000"), ("Q2", "1000000"), ("Q3", "900000")):
            session.add(BudgetExecution(project_id=p.id, period=period, amount=Decimal(amount)))
    data = figures.budget_data(evaluate(db, FINANCE))
    assert data.budget == Decimal("3890000")
    assert [p.expected for p in data.periods] == [Decimal("972500.00"), Decimal("1945000.00"), Decimal("2917500.00")]


def _texts(ax: Axes) -> list[str]:
    return [t.get_text() for t in ax.findobj(Text)]


def test_every_bar_names_its_status_in_words(db: Database) -> None:
    record(db, FINANCE, {"科技金融产品年贷款额": {"YEAR": 44}, "企业风险评价": {"YEAR": 400}})
    rows = figures.completion_data(evaluate(db, FINANCE))
    fig = Figure()
    ax = fig.add_subplot()
    figures.draw_completion(ax, rows)
    drawn = _texts(ax)
    for status in Status:
        assert drawn.count(status.label) == sum(1 for r in rows if r.status is status), status
    assert "80.00%" in drawn and "指标值 100%" in drawn
    assert [bar.get_facecolor() for bar in ax.patches] == [
        matplotlib.colors.to_rgba(figures.STATUS_COLORS[r.status]) for r in rows
    ]


def test_each_bar_is_named_left_of_the_axis_where_its_tick_label_stood(db: Database) -> None:
    """The names are plain texts, one per bar, right-aligned a tick's length and pad left of the axis at
    the bar's height: what tick labels showed, without a tick object (five artists) per indicator."""
    fonts.setup_cjk_fonts()
    rows = figures.completion_data(evaluate(db, FINANCE))
    fig = Figure(dpi=72)
    ax = fig.add_subplot()
    figures.draw_completion(ax, rows)
    assert ax.get_yticks().size == 0
    fig.canvas.draw()
    names = [t for t in ax.texts if t.get_text() in {figures.short_label(r.name) for r in rows}]
    assert [t.get_text() for t in names] == [figures.short_label(r.name) for r in rows]
    axis_x = ax.transAxes.transform((0, 0))[0]
    for y, text in enumerate(names):
        box = text.get_window_extent()
        assert box.x1 == pytest.approx(axis_x - (2 + rcParams["ytick.major.pad"]), abs=0.5)  # points at 72 dpi
        assert (box.y0 + box.y1) / 2 == pytest.approx(ax.transData.transform((0, y))[1], abs=1)
        assert text.get_fontsize() == 7


def test_charts_print_the_words_they_are_given(db: Database) -> None:
    with db.session() as session:
        p = project(session, FINANCE)
        session.add(BudgetExecution(project_id=p.id, period="Q1", amount=Decimal("500000")))
    record(db, FINANCE, {"科技金融产品年贷款额": {"Q1": 10}})
    ev = evaluate(db, FINANCE)
    english = ChartTexts(
        completion_title="Completion",
        budget_title="Budget {rate}, {score} of {points}",
        budget_title_progress="Spent {rate} by the end of {period} ({elapsed}% of the year)",
        elapsed_tick="{share}% of the year",
        statuses={Status.OFF_TRACK: "Off track"},
        periods={"Q1": "Q1"},
    )
    axes = Figure().subplots(1, 3)
    figures.draw_completion(axes[0], figures.completion_data(ev), texts=english)
    figures.draw_progress(axes[1], figures.progress_data(ev), texts=english)
    figures.draw_budget(axes[2], figures.budget_data(ev), texts=english)
    assert axes[0].get_title() == "Completion" and "Off track" in _texts(axes[0])
    assert "未填报" in _texts(axes[0])  # a status given no translation keeps its Chinese name
    assert [t.get_text() for t in axes[1].get_xticklabels()] == ["Q1\n25% of the year"]
    # Before the year end the budget chart is progress, not a score.
    assert axes[2].get_title() == "Spent 12.85% by the end of Q1 (25% of the year)"
    assert [t.get_text() for t in axes[2].get_xticklabels()] == ["Q1"]
    year_end = Figure().add_subplot()
    figures.draw_budget(year_end, figures.budget_data(ev)._replace(as_of="YEAR"), texts=english)
    assert year_end.get_title() == "Budget 12.85%, 1.29 of 10"
    # The defaults are the printed report's Chinese.
    ax = Figure().add_subplot()
    figures.draw_progress(ax, figures.progress_data(ev))
    assert ax.get_title() == "各期指标进度（对照序时进度）"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["一季度\n序时25%"]


def test_charts_import_matplotlib_without_its_set_help_and_put_matplotlib_back() -> None:
    """perftrack.charts skips the ``set`` signatures and help tables while matplotlib defines its
    artists (a tenth of a second of every start), then puts matplotlib's method back: a class
    defined later gets its own, and ``set`` still takes every property and alias."""
    import subprocess
    import sys

    probe = (
        "import inspect, perftrack.charts, matplotlib.artist, matplotlib.figure, matplotlib.lines\n"
        "print('agg_filter' in (matplotlib.figure.Figure.set.__doc__ or ''))\n"
        "print('agg_filter' in inspect.signature(matplotlib.lines.Line2D.set).parameters)\n"
        "class Later(matplotlib.lines.Line2D): pass\n"
        "print('agg_filter' in (Later.set.__doc__ or ''))\n"
        "print('agg_filter' in inspect.signature(Later.set).parameters)\n"
        "line = matplotlib.lines.Line2D([0, 1], [0, 1])\n"
        "line.set(lw=3, color='red', label='x')\n"
        "print(line.get_linewidth(), line.get_color(), line.get_label())\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False", "True", "True", "3.0", "red", "x"]
