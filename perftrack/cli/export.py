"""``perftrack export``: the evaluation workbook (.xlsx) with the self-evaluation and monitoring sheets."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``export`` sub-command to the parser's sub-commands."""
    p = sub.add_parser(
        "export",
        parents=[common],
        help="导出自评工作簿（.xlsx：汇总表、自评表、运行监控表、图表）",
        description="把项目的年度自评表、分季度运行监控表和汇总表导出为一个 Excel 工作簿；不指定项目时导出全部项目。",
    )
    p.add_argument("projects", nargs="*", metavar="PROJECT", help="项目名称，或只匹配一个项目的部分名称")
    p.add_argument(
        "-o", "--output", required=True, type=Path, metavar="FILE.xlsx", help="输出的工作簿文件（--fill-in 时为文件夹）"
    )
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
    """Evaluate the chosen projects and write the workbook to ``args.output``."""
    from perftrack.cli.common import EXIT_OK, UserError, check_output, chosen_evaluations
    from perftrack.domain.figures import as_of_label, is_year_end
    from perftrack.export.workbook import ExportError, export_workbook

    output: Path = args.output
    if args.fill_in:
        from perftrack.cli.review import write_fill_ins

        return write_fill_ins(args)
    check_output(output, ".xlsx")
    evaluations = chosen_evaluations(args, "导出")
    started = time.perf_counter()
    try:
        export_workbook(evaluations, output)
    except ExportError as exc:
        raise UserError(str(exc)) from exc
    seconds = time.perf_counter() - started
    print(f"已导出 {len(evaluations)} 个项目到 {output}（{seconds:.1f} 秒）")
    midyear = [e for e in evaluations if not is_year_end(e.as_of)]
    if midyear:
        dates = "、".join(sorted({as_of_label(e.as_of, e.declaration.year) for e in midyear}))
        print(
            f"其中 {len(midyear)} 个项目数据{dates}：为运行监控，自评表为试算（非年终自评）；年终自评请加 --as-of YEAR"
        )
    return EXIT_OK
