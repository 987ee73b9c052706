"""The dashboard: a project's charts, or the scores of every project of a unit, drawn live.

The charts are the printed report's own (``charts.figures``: same data functions, same drawing)
on a Qt canvas, so screen and paper never disagree. They follow the data (``projectChanged``,
``projectsReset``), the language (``self.tr``, redrawn on ``LanguageChange``) and the window
(constrained layout re-fits each draw). A hidden dashboard only notes it is stale until shown.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

# matplotlib takes the Qt binding already imported, else the one QT_API names (else PyQt6 first):
# this program is PySide6, whatever order the imports happen to run in.
os.environ["QT_API"] = "pyside6"

from matplotlib.axes import Axes
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure

from perftrack.charts import figures
from perftrack.charts.fonts import setup_cjk_fonts
from perftrack.charts.texts import ChartTexts
from perftrack.domain.attainment import Status
from perftrack.domain.figures import is_year_end
from perftrack.domain.periods import MONTHS, YEAR
from perftrack.store.evaluation import ProjectEvaluation, evaluate_all
from perftrack.ui.formatting import arg, status_label
from perftrack.ui.workspace import Workspace

# Screen charts use the report's point sizes; at this dpi 7 pt text is readable on a monitor.
SCREEN_DPI, SAVE_DPI = 120, 200
# Pixels a bar needs at least and may take at most (more turns a few bars into slabs), and the
# room a chart needs around its bars.
BAR_PX, MAX_BAR_PX, CHART_FRAME_PX, SMALL_CHART_PX = 20, 44, 110, 240
# Narrower than this, the three project charts stack instead of standing side by side.
WIDE_PX = 960
IMAGE_FILTERS = {"png": "PNG (*.png)", "svg": "SVG (*.svg)"}


class ChartCanvas(FigureCanvasQTAgg):
    """One chart on a Qt canvas; right-click to save it as PNG or SVG, or to copy it."""

    def __init__(self, key: str, dashboard: DashboardWidget) -> None:
        super().__init__(Figure(dpi=SCREEN_DPI, layout="constrained"))
        self.key = key
        self.dashboard = dashboard
        self.ax: Axes = self.figure.add_subplot()
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)

    def redraw(self, draw: Callable[[Axes], None]) -> None:
        """Clear the figure and draw one chart into a fresh axes."""
        self.figure.clear()
        self.ax = self.figure.add_subplot()
        draw(self.ax)
        self.draw_idle()

    def _menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(self.dashboard.tr("保存为 PNG 图片…"), lambda: self.dashboard.ask_save(self.key, "png"))
        menu.addAction(self.dashboard.tr("保存为 SVG 矢量图…"), lambda: self.dashboard.ask_save(self.key, "svg"))
        menu.addAction(self.dashboard.tr("复制图表"), self.copy)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.mapToGlobal(pos))

    def copy(self) -> None:
        """Put the chart on the clipboard as an image (for a Word or WPS document)."""
        QApplication.clipboard().setImage(self.grab().toImage())


class DashboardWidget(QWidget):
    """Charts of the shown project (``set_project``) or of a unit's projects (``set_unit``)."""

    redrawn = Signal()  # the charts were drawn from fresh data

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._connected: Workspace | None = None
        self.project_id: int | None = None
        self.unit: tuple[int, str] | None = None  # (year, unit) in unit mode
        self._project_unit: tuple[int, str] | None = None  # the shown project's, for the unit button
        self._unit_ids: list[int] = []
        self._stale = False
        self.font_file = setup_cjk_fonts()
        # What the charts were given, kept so a test (or a person) can check it against the score.
        self.evaluation: ProjectEvaluation | None = None
        self.completion_rows: list[figures.CompletionRow] = []
        self.progress_rows: list[figures.ProgressRow] = []
        self.budget: figures.BudgetData | None = None
        self.unit_rows: list[figures.UnitScoreRow] = []

        self.charts = {key: ChartCanvas(key, self) for key in ("completion", "progress", "budget", "units")}
        # Zero delay: the signals of one paste or import coalesce into one draw.
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.refresh)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(self._build_bar())
        self.stack = QStackedWidget()
        self.stack.addWidget(self._scrolling(self._build_project_page()))
        self.stack.addWidget(self._scrolling(self.charts["units"]))
        layout.addWidget(self.stack, 1)

        self.set_workspace(workspace)
        self._retranslate()
        self.refresh()

    # -- building ----------------------------------------------------------------------------

    def _build_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 14px; font-weight: bold;")
        # What the charts stand for: the year-end self-evaluation, or progress at a period.
        self.stage = QLabel()
        self.project_button, self.unit_button = QToolButton(), QToolButton()
        group = QButtonGroup(self)
        for button in (self.project_button, self.unit_button):
            button.setCheckable(True)
            group.addButton(button)
        self.project_button.clicked.connect(lambda: self.set_project(self.project_id))
        self.unit_button.clicked.connect(self._show_unit_mode)
        self.save_button = QToolButton()
        self.save_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.save_button.setMenu(QMenu(self.save_button))
        self.save_button.menu().aboutToShow.connect(self._fill_save_menu)
        bar.addWidget(self.title)
        bar.addWidget(self.stage, 1)
        for widget in (self.project_button, self.unit_button, self.save_button):
            bar.addWidget(widget)
        return bar

    def _build_project_page(self) -> QWidget:
        page = QWidget()
        self.grid = QGridLayout(page)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self._wide: bool | None = None
        for key in ("progress", "budget"):
            self.charts[key].setMinimumSize(320, SMALL_CHART_PX)
        self.charts["completion"].setMinimumWidth(420)
        self._arrange(wide=True)
        return page

    def _arrange(self, *, wide: bool) -> None:
        """Completion beside the two small charts on a wide window, all three stacked on a narrow one."""
        if wide == self._wide:
            return
        self._wide = wide
        for chart in (self.charts["completion"], self.charts["progress"], self.charts["budget"]):
            self.grid.removeWidget(chart)
        if wide:
            self.grid.addWidget(self.charts["completion"], 0, 0, 2, 1, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(self.charts["progress"], 0, 1)
            self.grid.addWidget(self.charts["budget"], 1, 1)
            self.grid.setColumnStretch(1, 2)
        else:
            for row, key in enumerate(("completion", "progress", "budget")):
                self.grid.addWidget(self.charts[key], row, 0, Qt.AlignmentFlag.AlignTop)
            self.grid.setColumnStretch(1, 0)
        self.grid.setColumnStretch(0, 3)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange(wide=event.size().width() >= WIDE_PX)
        super().resizeEvent(event)

    @staticmethod
    def _scrolling(widget: QWidget) -> QScrollArea:
        # A project with 40 indicators needs more height than a laptop has: scroll, never squash.
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setAlignment(Qt.AlignmentFlag.AlignTop)  # a chart held to its maximum height stays on top
        area.setWidget(widget)
        return area

    def _retranslate(self) -> None:
        self.project_button.setText(self.tr("本项目"))
        self.project_button.setToolTip(self.tr("当前项目的指标完成率、各期进度与预算执行"))
        self.unit_button.setText(self.tr("本单位全部项目"))
        self.unit_button.setToolTip(self.tr("同一年度、同一实施单位各项目的自评得分与等级"))
        self.save_button.setText(self.tr("保存图表"))

    def chart_texts(self) -> ChartTexts:
        """The charts' words in the user's language."""
        quarters = (self.tr("一季度"), self.tr("二季度"), self.tr("三季度"), self.tr("四季度"))
        periods = {f"Q{n}": label for n, label in enumerate(quarters, start=1)} | {YEAR: self.tr("全年")}
        periods |= {code: arg(self.tr("%1月"), n) for n, code in enumerate(MONTHS, start=1)}
        return ChartTexts(
            completion_title=self.tr("指标完成率"),
            completion_title_progress=self.tr("指标完成率（截至{period}末，状态按序时进度）"),
            completion_axis=self.tr("完成率（%）"),
            target_line=self.tr("指标值 100%"),
            qualitative=self.tr("（定性）"),
            progress_title=self.tr("各期指标进度（对照序时进度）"),
            progress_axis=self.tr("指标个数"),
            elapsed_tick=self.tr("序时{share}%"),
            budget_title=self.tr("预算执行率 {rate}（得分 {score}/{points}）"),
            budget_title_progress=self.tr("累计执行率 {rate}（截至{period}末，序时进度 {elapsed}%）"),
            budget_axis=self.tr("万元"),
            budget_executed=self.tr("累计执行数"),
            budget_line=self.tr("全年预算数"),
            budget_elapsed=self.tr("序时进度"),
            budget_empty=self.tr("尚未填报执行数"),
            units_title=self.tr("各项目自评得分"),
            units_axis=self.tr("总分"),
            statuses={s: status_label(s) for s in Status},
            periods=periods,
        )

    # -- what is shown -----------------------------------------------------------------------

    def set_workspace(self, workspace: Workspace) -> None:
        """Follow another database (File ▸ Open): its signals, and no project until one is shown."""
        old, self.workspace = self._connected, workspace
        if old is not None and old is not workspace:
            with contextlib.suppress(RuntimeError):  # already deleted: its connections went with it
                old.projectChanged.disconnect(self._project_changed)
                old.projectsReset.disconnect(self._schedule)
        if old is not workspace:
            workspace.projectChanged.connect(self._project_changed)
            workspace.projectsReset.connect(self._schedule)
        self._connected, self.project_id, self.unit = workspace, None, None
        self._schedule()

    def set_project(self, project_id: int | None) -> None:
        """Show one project's charts (None: nothing)."""
        self.project_id = project_id
        self.unit = None
        self._schedule()

    def set_unit(self, year: int, unit: str) -> None:
        """Show the score and grade of every project of ``unit`` in ``year``."""
        self.unit = (year, unit)
        self._schedule()

    def shown_project_ids(self) -> list[int]:
        """The projects on screen: the one project, or every project of the unit."""
        if self.unit is not None:
            return self._ids_of_unit(*self.unit)
        return [self.project_id] if self.project_id is not None else []

    def _ids_of_unit(self, year: int, unit: str) -> list[int]:
        return [pid for pid, y, u, _name in self.workspace.project_index() if y == year and (u or "") == unit]

    def _show_unit_mode(self) -> None:
        if self._project_unit is not None:
            self.set_unit(*self._project_unit)

    def _project_changed(self, project_id: int) -> None:
        if project_id == self.project_id or (self.unit is not None and project_id in self._unit_ids):
            self._schedule()

    def _schedule(self) -> None:
        if self.isVisible():
            self._timer.start()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._timer.start()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self._schedule()
        super().changeEvent(event)

    # -- drawing -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the shown data afresh and draw it."""
        self._timer.stop()
        self._stale = False
        texts = self.chart_texts()
        if self.unit is not None:
            self._draw_unit(texts)
        else:
            self._draw_project(texts)
        self.redrawn.emit()

    def _evaluate(self, ids: list[int]) -> list[ProjectEvaluation]:
        return self.workspace.read(lambda session: evaluate_all(session, ids)) if ids else []

    def _draw_project(self, texts: ChartTexts) -> None:
        self.stack.setCurrentIndex(0)
        self.project_button.setChecked(True)
        ids = [self.project_id] if self.project_id is not None else []
        self.evaluation = ev = next(iter(self._evaluate(ids)), None)
        if ev is None:
            self._project_unit = None
            self.completion_rows, self.progress_rows, self.budget = [], [], None
            self.title.setText(self.tr("在左侧选择一个项目"))
            self.stage.clear()
            for key in ("completion", "progress", "budget"):
                self.charts[key].redraw(lambda ax: ax.set_axis_off())
            self._enable()
            return
        d = ev.declaration
        self._project_unit = (d.year, d.unit or "") if d.year is not None else None
        self.completion_rows = figures.completion_data(ev)
        self.progress_rows = figures.progress_data(ev)
        self.budget = figures.budget_data(ev)
        self.title.setText(d.name)
        self.stage.setText(self.stage_text(ev, texts))
        chart = self.charts["completion"]
        chart.setMinimumHeight(CHART_FRAME_PX + BAR_PX * len(self.completion_rows))
        chart.setMaximumHeight(CHART_FRAME_PX + MAX_BAR_PX * max(len(self.completion_rows), 10))
        title = figures.completion_title(ev, texts)
        chart.redraw(lambda ax: figures.draw_completion(ax, self.completion_rows, title, texts=texts))
        self.charts["progress"].redraw(lambda ax: figures.draw_progress(ax, self.progress_rows, texts=texts))
        budget = self.budget
        self.charts["budget"].redraw(lambda ax: figures.draw_budget(ax, budget, texts=texts))
        self._enable()

    def stage_text(self, ev: ProjectEvaluation, texts: ChartTexts) -> str:
        """What the charts stand for, as every printed page says it (``figures.stage_mark``)."""
        year = ev.declaration.year if ev.declaration.year is not None else ""
        if is_year_end(ev.as_of):
            return arg(self.tr("%1年度 年终自评"), year)
        return arg(self.tr("运行监控：截至%1年%2末（非年终自评）"), year, texts.period(ev.as_of))

    def _draw_unit(self, texts: ChartTexts) -> None:
        self.stack.setCurrentIndex(1)
        self.stage.clear()
        self.unit_button.setChecked(True)
        assert self.unit is not None
        year, unit = self.unit
        self._unit_ids = self._ids_of_unit(year, unit)
        evaluations = self._evaluate(self._unit_ids)
        self.unit_rows = figures.unit_scores_data(evaluations)
        self.title.setText(
            arg(self.tr("%1年 · %2（%3 个项目）"), year, unit or self.tr("未填单位"), len(self.unit_rows))
        )
        chart = self.charts["units"]
        chart.setMinimumHeight(CHART_FRAME_PX + BAR_PX * len(self.unit_rows))
        chart.setMaximumHeight(CHART_FRAME_PX + MAX_BAR_PX * max(len(self.unit_rows), 4))
        # Before a project's year end its total is a trial (试算), as the workbook and `score` say.
        trial = any(not is_year_end(ev.as_of) for ev in evaluations)
        title = self.tr("各项目得分（年中为试算）") if trial else None
        chart.redraw(lambda ax: figures.draw_unit_scores(ax, self.unit_rows, texts=texts, title=title))
        self._enable()

    def _enable(self) -> None:
        self.unit_button.setEnabled(self._project_unit is not None or self.unit is not None)
        self.project_button.setEnabled(self.project_id is not None)
        self.save_button.setEnabled(bool(self.visible_charts()))

    # -- saving ------------------------------------------------------------------------------

    def visible_charts(self) -> list[str]:
        """Keys of the charts on screen that hold data."""
        if self.unit is not None:
            return ["units"] if self.unit_rows else []
        return ["completion", "progress", "budget"] if self.evaluation is not None else []

    def _fill_save_menu(self) -> None:
        menu = self.save_button.menu()
        menu.clear()
        for key in self.visible_charts():
            title = self.charts[key].ax.get_title()
            menu.addAction(arg(self.tr("%1（PNG）…"), title), lambda k=key: self.ask_save(k, "png"))
            menu.addAction(arg(self.tr("%1（SVG）…"), title), lambda k=key: self.ask_save(k, "svg"))

    def ask_save(self, key: str, kind: str = "png") -> Path | None:
        """Ask where to save a chart, then save it; returns the file written, or None."""
        # The offered name must be a valid file name on Windows too.
        title = f"{self.title.text()} {self.charts[key].ax.get_title()}"
        name = "".join("_" if ch in '\\/:*?"<>|\n' else ch for ch in title).strip()[:80] or "chart"
        filters = [IMAGE_FILTERS[kind], *(f for k, f in IMAGE_FILTERS.items() if k != kind)]
        chosen, selected = QFileDialog.getSaveFileName(self, self.tr("保存图表"), f"{name}.{kind}", ";;".join(filters))
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() not in (".png", ".svg"):
            path = path.with_name(path.name + (".svg" if selected == IMAGE_FILTERS["svg"] else ".png"))
        try:
            return self.save_chart(key, path)
        except OSError as exc:
            text = arg(self.tr("无法写入 %1：%2"), path, exc.strerror or exc)
            box = QMessageBox(QMessageBox.Icon.Warning, self.tr("保存图表"), text, parent=self)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()
            return None

    def save_chart(self, key: str, path: Path) -> Path:
        """Write one chart to ``path``, PNG or SVG by its suffix, at the size it has on screen."""
        kind = path.suffix.lower().lstrip(".")
        if kind not in IMAGE_FILTERS:
            raise ValueError(f"图表只能保存为 .png 或 .svg：{path.name}")
        self.charts[key].figure.savefig(path, format=kind, dpi=SAVE_DPI, facecolor="white")
        return path
