"""``perftrack report``: print the self-evaluation sheets (项目支出绩效自评表) to a PDF."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``report`` sub-command to the parser's sub-commands."""
    p = sub.add_parser(
        "report",
        parents=[common],
        help="生成项目支出绩效自评表（PDF，含图表）",
        description="把项目的年度自评表、偏差分析和图表打印为 A4 PDF；不指定项目时打印全部项目。",
    )
    p.add_argument("projects", nargs="*", metavar="PROJECT", help="项目名称，或只匹配一个项目的部分名称")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf", help="输出的 PDF 文件")
    p.add_argument("--year", type=int, help="只打印该预算年度的项目")
    p.add_argument("--as-of", metavar="PERIOD", help="进度图统计到的期间（如 Q3、9月、全年），默认为已填报的最后一期")
    p.add_argument("--unit-label", metavar="TEXT", help="页脚中的单位名称（默认：项目的实施单位）")
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    """Evaluate the chosen projects and write their sheets to ``args.output``."""
    from perftrack.charts.fonts import FontNotFoundError
    from perftrack.cli import EXIT_OK, UserError
    from perftrack.domain.periods import normalize_period
    from perftrack.paths import resolve_db_url
    from perftrack.report.pdf import write_report
    from perftrack.store.database import open_database
    from perftrack.store.evaluation import evaluate_all
    from perftrack.store.queries import find_project

    output: Path = args.output
    if output.suffix.lower() != ".pdf":
        raise UserError(f"{output}: 输出文件应以 .pdf 结尾")
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
        # Print in the order the projects were named.
        evaluations.sort(key=lambda e: ids.index(e.project_id))
    if not evaluations:
        in_year = f"{args.year}年的" if args.year is not None else ""
        raise UserError(f"数据库中没有{in_year}项目可打印。用 perftrack import 文件 导入申报表。")
    try:
        write_report(evaluations, output, unit_label=args.unit_label)
    except FontNotFoundError as exc:
        raise UserError(str(exc)) from exc
    except OSError as exc:
        raise UserError(f"{output}: 无法写入：{exc.strerror or exc}") from exc
    names = "、".join(e.declaration.name for e in evaluations[:3])
    more = f"等 {len(evaluations)} 个项目" if len(evaluations) > 3 else ""
    print(f"已生成自评表 {output}：{names}{more}")
    return EXIT_OK
