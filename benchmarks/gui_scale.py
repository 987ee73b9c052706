"""How the GUI copes with a province's worth of projects: prints timings for a generated database.

Usage: QT_QPA_PLATFORM=offscreen python benchmarks/gui_scale.py [--projects 5000] [--db PATH] [--export]
A benchmark prints figures; nothing here fails on time.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from perftrack.domain.model import Declaration, Funds, Indicator, Kind, Target
from perftrack.store.database import open_database
from perftrack.store.upsert import import_declarations

T = TypeVar("T")


def declarations(count: int, year: int = 2024) -> list[Declaration]:
    """Generated forms: 50 units, six indicators each, money in 元."""
    result = []
    for n in range(count):
        indicators = [
            Indicator(
                "产出指标",
                "数量指标",
                f"培训场次{n}",
                Target("≥12(场)", ">=", Decimal(12), "场", Kind.QUANTITATIVE),
            ),
            Indicator(
                "产出指标",
                "质量指标",
                "合格率",
                Target("≥95.00(%)", ">=", Decimal(95), "%", Kind.QUANTITATIVE),
            ),
            Indicator(
                "产出指标",
                "时效指标",
                "完成及时性",
                Target("=100.00(%)", "=", Decimal(100), "%", Kind.QUANTITATIVE),
            ),
            Indicator("效益指标", "社会效益指标", "服务能力提升", Target("有效提升")),
            Indicator("效益指标", "可持续影响指标", "长效机制", Target("健全")),
            Indicator(
                "满意度指标",
                "服务对象满意度指标",
                "综合满意度",
                Target("≥90.00(%)", ">=", Decimal(90), "%", Kind.QUANTITATIVE),
            ),
        ]
        result.append(
            Declaration(
                name=f"项目{n:05d}",
                year=year,
                unit=f"单位{n % 50:02d}",
                department="某某局",
                funds=Funds(annual_total=Decimal(100000 + n)),
                annual_goal="完成年度任务。",
                indicators=indicators,
            )
        )
    return result


def timed(label: str, fn: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = fn()
    print(f"{label:<44} {time.perf_counter() - started:8.3f} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--db", type=Path)
    parser.add_argument(
        "--export", action="store_true", help="also time the workbook export (slow: two sheets a project)"
    )
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    path = args.db or Path(tempfile.mkdtemp()) / "scale.db"
    url = f"sqlite:///{path.as_posix()}"
    with open_database(url) as db:
        if (
            timed(
                "count existing projects",
                lambda: db.engine.connect().exec_driver_sql("select count(*) from project").scalar(),
            )
            == 0
        ):
            decls = declarations(args.projects)

            def load() -> None:
                with db.session() as session:
                    import_declarations(session, decls, source_label="benchmark")

            timed(f"generate and import {args.projects} projects", load)

    from PySide6.QtWidgets import QApplication

    from perftrack.ui.app import make_application
    from perftrack.ui.main_window import MainWindow

    app = make_application()
    window = timed("open main window (project list + first project)", lambda: MainWindow(url))
    window.show()
    timed("first paint", lambda: QApplication.processEvents())
    model = window.navigator_model
    print(f"projects in navigator: {model.project_count()}")
    workspace = window.workspace
    assert workspace is not None
    ids = model.all_project_ids()
    workspace.reset()
    timed("scores of 100 visible projects", lambda: workspace.summaries(ids[:100]))
    timed(f"scores of all {len(ids)} projects (batched)", lambda: workspace.summaries(ids))
    timed("filter by indicator name (培训场次12)", lambda: model.set_filter("培训场次12"))
    timed("filter: projects with no actual yet", lambda: model.set_filter(no_actual=True))
    timed("clear filter", lambda: model.set_filter())
    workspace.reset()
    # The first status filter on an unscored database scores everything under a progress dialog.
    timed("first status filter (scoring with progress)", lambda: window.off_track_check.setChecked(True))
    timed("status filter again (scores cached)", lambda: window.off_track_check.setChecked(False))
    timed("switch language to English", lambda: window.set_language("en"))
    timed("switch language back to Chinese", lambda: window.set_language("zh_CN"))
    timed("sort navigator by score", lambda: model.sort(1))
    pid = ids[len(ids) // 2]
    timed("open a project page", lambda: window.show_project(pid))
    index = window.page.model.index(0, window.page.model.column_of("Q1"))
    timed("edit a cell (store, commit, re-evaluate, notify)", lambda: window.page.model.setData(index, "3"))
    if args.export:
        target = path.parent / "scale-export.xlsx"
        timed(f"export workbook of {len(ids)} projects (with progress)", lambda: window.export_to(target))
    window.close()
    app.quit()


if __name__ == "__main__":
    main()
