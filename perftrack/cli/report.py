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
        help="生成项目支出绩效自评表或运行监控表（PDF，含图表）",
        description=(
            "把项目打印为 A4 PDF；不指定项目时打印全部项目。"
            "数据截至全年（有全年值，或 --as-of YEAR）的项目打印年终自评表（得分、偏差分析、图表）；"
            "年度执行中的项目打印运行监控表（截至所在期间的进度、序时进度、图表），每页注明。"
        ),
    )
    p.add_argument("projects", nargs="*", metavar="PROJECT", help="项目名称，或只匹配一个项目的部分名称")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf", help="输出的 PDF 文件")
    p.add_argument("--year", type=int, help="只打印该预算年度的项目")
    p.add_argument(
        "--as-of",
        metavar="PERIOD",
        help=(
            "数据截至的期间（如 Q2、9月、YEAR）或日期（如 2025-01-20，预算年度结束后即全年）：全年打印年终自评表，"
            "其他期间打印运行监控表；默认为已填报的最后一期"
        ),
    )
    p.add_argument("--monitoring", action="store_true", help="全部打印为运行监控表（含图表），即使已到年终")
    p.add_argument("--unit-label", metavar="TEXT", help="页脚中的单位名称（默认：项目的实施单位）")
    p.set_defaults(func=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    """Evaluate the chosen projects a batch at a time and write their sheets to ``args.output``."""
    from perftrack.cli.common import EXIT_OK, UserError, check_output, chosen_projects, loading
    from perftrack.domain.figures import as_of_label

    with loading():
        from perftrack.charts.fonts import FontNotFoundError
        from perftrack.report.pdf import is_monitoring, write_report
        from perftrack.report.writer import chart_workers_available

    output: Path = args.output
    check_output(output, ".pdf")
    with chosen_projects(args, "打印") as projects:
        try:
            workers = chart_workers_available(len(projects))
            written = write_report(
                projects, output, unit_label=args.unit_label, monitoring=args.monitoring, workers=workers
            )
        except FontNotFoundError as exc:
            raise UserError(str(exc)) from exc
        except OSError as exc:
            raise UserError(f"{output}: 无法写入：{exc.strerror or exc}") from exc
    assert written is not None  # only a progress callback stops it early
    printed = written.projects
    names = "、".join(e.declaration.name for e in printed[:3])
    more = f"等 {len(printed)} 个项目" if len(printed) > 3 else ""
    print(f"已生成{written.title} {output}：{names}{more}")
    watched = [e for e in printed if is_monitoring(e, args.monitoring)]
    if watched and not args.monitoring:
        dates = "、".join(sorted({as_of_label(e.as_of, e.declaration.year) for e in watched}))
        print(f"其中 {len(watched)} 个项目数据{dates}，为运行监控表（非年终自评）；年终自评请加 --as-of YEAR")
    return EXIT_OK
