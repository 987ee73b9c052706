"""Commands for declarations before the year: ``perftrack check`` (the finance bureau's review)
and ``perftrack template`` (a blank declaration workbook).

``check`` exits 1 when it finds errors, 0 when the declarations are clean or have only warnings
and notes, and 2 when a file cannot be read at all.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from perftrack.cli.common import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, UserError, print_json, problem_line


def cmd_check(args: argparse.Namespace) -> int:
    """Read the files as `import` does, review every declaration, report; no database is touched."""
    from perftrack.domain.checks import check_declarations, summarize
    from perftrack.domain.model import Severity
    from perftrack.importers import read_declarations
    from perftrack.importers.office import READ_FAILURE_CODES

    result = read_declarations([Path(f) for f in args.files])
    problems = check_declarations(result)
    unreadable = [p for p in problems if p.severity is Severity.ERROR and p.code in READ_FAILURE_CODES]
    counts = summarize(problems)
    summary: dict[str, Any] = {
        "files": len(args.files),
        "unreadable_files": len({p.file for p in unreadable}),
        "projects": len(result.declarations),
        "indicators": sum(len(d.indicators) for d in result.declarations),
        **counts,
    }
    if args.json:
        print_json({"problems": [p.as_dict() for p in problems], "summary": summary})
    else:
        for p in problems:
            print(problem_line(p))
        if problems:
            print(
                f"共 {summary['files']} 个文件、{summary['projects']} 个项目、{summary['indicators']} 个指标："
                f"错误 {counts['errors']} 个，警告 {counts['warnings']} 个，提示 {counts['info']} 个"
            )
        else:
            print(f"共 {summary['projects']} 个项目、{summary['indicators']} 个指标，未发现问题")
    if unreadable:
        return EXIT_BAD_INPUT
    return EXIT_FAILED if counts["errors"] else EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    """Write the blank declaration workbook; an existing file is kept unless --force."""
    from perftrack.export.template import write_template

    path = Path(args.output)
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"{path}: 模板须保存为 .xlsx 文件")
    if path.is_dir():
        raise UserError(f"{path}: 这是文件夹，请给出文件名")
    if path.exists() and not args.force:
        raise UserError(f"{path}: 文件已存在；要覆盖请加 --force")
    if not path.parent.is_dir():
        raise UserError(f"{path.parent}: 文件夹不存在")
    if args.year is not None and not 2000 <= args.year <= 2099:
        raise UserError(f"预算年度 {args.year} 不合理，应在 2000 到 2099 之间")
    try:
        write_template(path, args.year)
    except OSError as exc:
        raise UserError(f"{path}: 无法写入（{exc.strerror or exc}）") from exc
    print(f"已生成空白申报表模板：{path}")
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``check`` and ``template`` sub-commands to the main parser.

    Neither touches the database, so they do not take ``common``'s --db option.
    """
    p = sub.add_parser(
        "check",
        help="审核申报表（PDF、文本、.xlsx、.docx）：指标值缺失或无法计量、资金不平衡、日期、单位等",
        description="像财政部门审核一样检查申报表。发现错误时退出码为 1，只有警告或提示时为 0，文件无法读取时为 2。",
    )
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help='以 JSON 输出：{"problems": [...], "summary": {...}}')
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("template", help="生成空白申报表模板（.xlsx，带下拉选项）")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="模板文件名")
    p.add_argument("--year", type=int, help="预算年度（默认：明年）")
    p.add_argument("--force", action="store_true", help="文件已存在时覆盖")
    p.set_defaults(func=cmd_template)


__all__ = ["cmd_check", "cmd_template", "register"]
