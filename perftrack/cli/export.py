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
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.xlsx", help="输出的工作簿文件")
    p.add_argument("--year", type=int, help="只导出该预算年度的项目")
    p.add_argument("--as-of", metavar="PERIOD", help="监控表统计到的期间（如 Q2、6月、全年），默认为已填报的最后一期")
    p.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    """Evaluate the chosen projects and write the workbook to ``args.output``."""
    from perftrack.cli import EXIT_OK, UserError
    from perftrack.domain.periods import normalize_period
    from perftrack.export.workbook import ExportError, export_workbook
    from perftrack.paths import resolve_db_url
    from perftrack.store.database import open_database
    from perftrack.store.evaluation import evaluate_all
    from perftrack.store.queries import find_project

    output: Path = args.output
    if output.suffix.lower() != ".xlsx":
        raise UserError(f"{output}: 输出文件应以 .xlsx 结尾")
    if not output.parent.is_dir():
        raise UserError(f"{output}: 文件夹 {output.parent} 不存在")
    try:
        as_of = normalize_period(args.as_of) if args.as_of else None
    except ValueError as exc:
        raise UserError(f"--as-of：{exc}") from exc

    db = open_database(resolve_db_url(args.db))
    try:
        with db.session() as session:
            ids: list[int] | None = None
            if args.projects:
                ids = list(dict.fromkeys(find_project(session, t, args.year).id for t in args.projects))
            evaluations = evaluate_all(session, ids, year=args.year, as_of=as_of)
    finally:
        db.close()
    if ids is not None:
        # Sheets in the order the projects were named.
        evaluations.sort(key=lambda e: ids.index(e.project_id))
    if not evaluations:
        in_year = f"{args.year}年的" if args.year is not None else ""
        raise UserError(f"数据库中没有{in_year}项目可导出。用 perftrack import 文件 导入申报表。")
    started = time.perf_counter()
    try:
        export_workbook(evaluations, output)
    except ExportError as exc:
        raise UserError(str(exc)) from exc
    seconds = time.perf_counter() - started
    print(f"已导出 {len(evaluations)} 个项目到 {output}（{seconds:.1f} 秒）")
    return EXIT_OK
