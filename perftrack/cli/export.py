"""``perftrack export``: the evaluation workbook (.xlsx) with the self-evaluation and monitoring sheets,
one per implementing unit (``--per-unit DIR``), or the summary alone (``--summary-only``)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from perftrack.domain.evaluation import ProjectEvaluation


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``export`` sub-command to the parser's sub-commands."""
    p = sub.add_parser(
        "export",
        parents=[common],
        help="导出自评工作簿（.xlsx：汇总表、自评表、运行监控表、图表）",
        description="把项目的年度自评表、分季度运行监控表和汇总表导出为一个 Excel 工作簿；不指定项目时导出全部项目。",
    )
    p.add_argument("projects", nargs="*", metavar="PROJECT", help="项目名称，或只匹配一个项目的部分名称")
    p.add_argument("-o", "--output", type=Path, metavar="FILE.xlsx", help="输出的工作簿文件（--fill-in 时为文件夹）")
    p.add_argument(
        "--per-unit",
        type=Path,
        metavar="DIR",
        help="按实施单位分别导出：每个实施单位一个工作簿，以单位名称命名，写入该文件夹（代替 -o）",
    )
    p.add_argument("--summary-only", action="store_true", help="只导出汇总表及汇总图表，不含各项目的自评表和运行监控表")
    p.add_argument(
        "--fill-in",
        metavar="PERIOD",
        help=(
            "为每个项目导出该期间（如 Q2）的填报工作簿到 -o 指定的文件夹，"
            "由项目负责人填写后用 perftrack actuals import 交回"
        ),
    )
    p.add_argument("--year", type=int, help="只导出该预算年度的项目")
    p.add_argument(
        "--as-of",
        metavar="PERIOD",
        help=(
            "数据截至的期间（如 Q2、6月、YEAR）或日期（如 2025-01-20，预算年度结束后即全年）：全年为年终自评，"
            "其他期间为运行监控（自评表为试算）；"
            "默认为已填报的最后一期"
        ),
    )
    p.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    """Evaluate the chosen projects a batch at a time and write the workbook(s) as they stream by."""
    from perftrack.cli.common import EXIT_OK, UserError, check_output, chosen_projects, loading

    with loading():
        from perftrack.export.workbook import ExportError, export_per_unit, export_workbook

    output: Path | None = args.output
    if args.fill_in:
        if output is None:
            raise UserError("--fill-in 需要用 -o 指定输出文件夹")
        from perftrack.cli.review import write_fill_ins

        return write_fill_ins(args)
    if (output is None) == (args.per_unit is None):
        raise UserError("请用 -o FILE.xlsx 指定输出的工作簿，或用 --per-unit DIR 按实施单位导出到文件夹（二者选一）")
    if output is not None:
        check_output(output, ".xlsx")
    elif not args.per_unit.is_dir():
        raise UserError(f"{args.per_unit}: 文件夹不存在")
    with chosen_projects(args, "导出", by_unit=args.per_unit is not None) as chosen:
        stages = _Stages()
        started = time.perf_counter()
        try:
            if output is not None:
                export_workbook(stages.watch(chosen), output, summary_only=args.summary_only, count=len(chosen))
            else:
                result = export_per_unit(
                    stages.watch(chosen), args.per_unit, summary_only=args.summary_only, count=len(chosen)
                )
        except ExportError as exc:
            raise UserError(str(exc)) from exc
        seconds = time.perf_counter() - started
    what = "的汇总表" if args.summary_only else ""
    if output is not None:
        print(f"已导出 {len(chosen)} 个项目{what}到 {output}（{seconds:.1f} 秒）")
    else:
        print(
            f"已按实施单位导出 {len(result.written)} 个工作簿（{result.projects} 个项目{what}）"
            f"到 {args.per_unit}（{seconds:.1f} 秒）"
        )
    stages.explain()
    return EXIT_OK


class _Stages:
    """Notes, as the projects stream by, which stand mid-year, to say so once all are written."""

    def __init__(self) -> None:
        self.midyear = 0
        self.dates: set[str] = set()

    def watch(self, evaluations: Iterable[ProjectEvaluation]) -> Iterator[ProjectEvaluation]:
        from perftrack.domain.figures import as_of_label, is_year_end

        for ev in evaluations:
            if not is_year_end(ev.as_of):
                self.midyear += 1
                self.dates.add(as_of_label(ev.as_of, ev.declaration.year))
            yield ev

    def explain(self) -> None:
        if self.midyear:
            dates = "、".join(sorted(self.dates))
            print(
                f"其中 {self.midyear} 个项目数据{dates}：为运行监控，自评表为试算（非年终自评）；"
                "年终自评请加 --as-of YEAR"
            )
