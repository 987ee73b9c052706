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
    from perftrack.cli.common import EXIT_OK, UserError, check_output, chosen_evaluations
    from perftrack.report.pdf import write_report

    output: Path = args.output
    check_output(output, ".pdf")
    evaluations = chosen_evaluations(args, "打印")
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
