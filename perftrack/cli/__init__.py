"""The command line: the same operations as the GUI, for scripts and batch work.

Exit status: 0 on success, 2 on bad input (a one-line message naming the file and line), and
never a traceback for anything a user can cause.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from perftrack import __version__
from perftrack.cli import common
from perftrack.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_OK,
    UserError,
    open_db,
    print_json,
    print_projects,
    problem_line,
)
from perftrack.cli.parsing import Parser

# Scripts and the command modules import these from the package itself.
__all__ = ["EXIT_BAD_INPUT", "EXIT_FAILED", "EXIT_OK", "UserError", "build_parser", "main"]


# -- import ---------------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    from perftrack.domain.serialize import declaration_to_dict
    from perftrack.importers import read_declarations

    result = read_declarations([Path(f) for f in args.files])
    errors = result.errors
    if args.json and (args.dry_run or errors):
        print_json(
            {
                "projects": [declaration_to_dict(d) for d in result.declarations],
                "problems": [p.as_dict() for p in result.problems],
            }
        )
    elif not args.json:
        for p in result.problems:
            if (p.severity.value != "info" or args.verbose) and p not in errors:
                print(problem_line(p), file=sys.stderr)
    if errors:
        # Each error once, the last one saying that nothing was imported.
        for p in errors[:-1] if not args.json else ():
            print(problem_line(p), file=sys.stderr)
        print(problem_line(errors[-1], severity=False) + "（未导入任何内容）", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not result.declarations:
        print(f"{', '.join(args.files)}: 没有读到任何申报表（未导入任何内容）", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.dry_run:
        if not args.json:
            for d in result.declarations:
                print(f"{d.year}  {d.unit or '—'}  {d.name}  （{len(d.indicators)} 个指标）")
            count = sum(len(d.indicators) for d in result.declarations)
            print(f"共 {len(result.declarations)} 个项目，{count} 个指标（试运行，未写入数据库）")
        return EXIT_OK

    from perftrack.store.upsert import Consent, import_declarations

    db = open_db(args)
    consent = Consent(prune=args.prune, replace=args.replace)
    try:
        with db.session() as session:
            summary = import_declarations(
                session, result.declarations, source_label=", ".join(args.files), consent=consent
            )
    finally:
        db.close()
    if args.json:
        print_json(
            {
                "projects": [declaration_to_dict(d) for d in result.declarations],
                "problems": [p.as_dict() for p in result.problems],
                "summary": {
                    "created": summary.created,
                    "updated": summary.updated,
                    "unchanged": summary.unchanged,
                    "retired_indicators": [list(x) for x in summary.retired_indicators],
                    "held_back": [{"needs": needs, "change": text} for needs, text in summary.held_back],
                },
            }
        )
    else:
        print(
            f"已导入 {len(result.declarations)} 个项目：新建 {len(summary.created)}，"
            f"更新 {len(summary.updated)}，"
            f"未变 {len(summary.unchanged)}；数据库 {db.label}"
        )
        for w in summary.warnings:
            print(f"注意：{w}", file=sys.stderr)
        for _, text in summary.held_back:
            print(f"未改：{text}", file=sys.stderr)
        if summary.held_back:
            needs = {n for n, _ in summary.held_back}
            flags = "、".join(
                f
                for n, f in (
                    ("prune", "--prune（删除或停用表中已没有的指标）"),
                    ("replace", "--replace（改已有填报的指标值，清除新表单中为空的项目信息）"),
                )
                if n in needs
            )
            print(
                f"以上 {len(summary.held_back)} 处改动会删去指标、改动已有填报的指标值或清除项目信息，本次未做；"
                f"核对新表单无误后，加 {flags} 再导入一次",
                file=sys.stderr,
            )
    return EXIT_OK


# -- projects / show ------------------------------------------------------------------------


def cmd_projects(args: argparse.Namespace) -> int:
    from perftrack.domain.serialize import format_decimal
    from perftrack.store.evaluation import money_unit
    from perftrack.store.queries import list_projects

    db = open_db(args)
    try:
        with db.reading() as session:
            unit = money_unit(session)
            rows = [
                {
                    "name": p.name,
                    "year": p.year,
                    "unit": p.unit,
                    "department": p.department,
                    "annual_total": format_decimal(p.annual_total),
                    "indicators": sum(1 for i in p.indicators if not i.retired),
                }
                for p in list_projects(session, args.year)
            ]
    finally:
        db.close()
    return print_projects(rows, args.json, lambda rows: _project_lines(rows, unit))


def _project_lines(rows: list[dict[str, Any]], unit: str) -> str:
    from perftrack.domain.numbers import format_money

    lines = []
    for r in rows:
        amount = f"{format_money(Decimal(r['annual_total']), unit)} {unit}" if r["annual_total"] else "—"
        lines.append(f"{r['year']}  {r['unit'] or '—'}  {r['name']}  {r['indicators']} 个指标  年度资金 {amount}")
    return "\n".join(lines)


def cmd_show(args: argparse.Namespace) -> int:
    from perftrack.domain.serialize import declaration_to_dict
    from perftrack.store.convert import project_to_declaration
    from perftrack.store.evaluation import money_unit
    from perftrack.store.queries import find_project

    db = open_db(args)
    try:
        with db.reading() as session:
            unit = money_unit(session)
            project = find_project(session, args.project, args.year)
            decl = project_to_declaration(project)
            achieved = project.goal_achieved
    finally:
        db.close()
    if args.json:
        # the unit's own 实际完成情况 (perftrack goal); null: the sheets print the sentence drawn from the figures
        print_json({**declaration_to_dict(decl), "goal_achieved": achieved})
        return EXIT_OK
    print(_format_declaration(decl, unit))
    if achieved:
        print(f"年度总体目标实际完成情况（单位填写）：{achieved}")
    return EXIT_OK


def _format_declaration(decl: Any, unit: str) -> str:
    from perftrack.domain.numbers import format_money
    from perftrack.domain.serialize import format_decimal

    f = decl.funds
    money = lambda v: format_money(v, unit, "—")  # noqa: E731
    lines = [
        f"财政项目支出绩效目标申报表（{decl.year}年度）",
        f"项目名称：{decl.name}",
        f"项目性质：{decl.nature or '—'}    项目类别：{decl.category or '—'}",
        f"主管部门：{decl.department or '—'}    实施单位：{decl.unit or '—'}    项目负责人：{decl.manager or '—'}",
        f"计划开始日期：{decl.start or '—'}    计划完成日期：{decl.end or '—'}",
        f"年度资金申请总额：{money(f.annual_total)} {unit}（当年财政拨款 {money(f.annual_appropriation)}，"
        f"上年结转资金 {money(f.annual_carryover)}，其他资金 {money(f.annual_other)}）",
        f"项目总目标：{decl.project_goal or '—'}",
        f"年度总体目标：{decl.annual_goal or '—'}",
        "绩效指标：",
    ]
    for i in decl.indicators:
        t = i.target
        parsed = f"{t.op} {format_decimal(t.value)} {t.unit or ''}".strip() if t.is_quantitative else "定性"
        lines.append(f"  {i.level1 or '?'} / {i.level2 or '?'} / {i.name}：{t.raw or '（未填写）'}  [{parsed}]")
    return "\n".join(lines)


# -- GUI --------------------------------------------------------------------------------------


def run_gui(args: argparse.Namespace) -> int:
    from perftrack.paths import resolve_db_url

    url = resolve_db_url(args.db)
    if args.load_sample_if_empty:
        _load_sample_if_empty(url)
    with common.loading():
        import perftrack.ui.main_window  # noqa: F401  (Qt, the store and the charts, loaded before run() opens it)
        from perftrack.ui.app import run

    return run(url, smoke=args.smoke)


def _load_sample_if_empty(url: str) -> None:
    from perftrack.importers import read_declarations
    from perftrack.paths import sample_files
    from perftrack.store.database import open_database
    from perftrack.store.queries import list_projects
    from perftrack.store.upsert import import_declarations

    db = open_database(url)
    try:
        with db.session() as session:
            if list_projects(session):
                return
            result = read_declarations(sample_files())
            if result.declarations and not result.errors:
                import_declarations(session, result.declarations, source_label="sample_data")
    finally:
        db.close()


# -- parser ---------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    common.add_argument(
        "--db",
        metavar="DB",
        default=argparse.SUPPRESS,
        help="数据库文件或 SQLAlchemy URL（默认：环境变量 PERFTRACK_DB，或用户数据文件夹中的 perftrack.db）",
    )
    parser = Parser(
        prog="perftrack",
        description="项目支出绩效目标跟踪与年度自评。不带命令时启动图形界面。",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"perftrack {__version__}", help="显示版本号并退出")
    parser.add_argument("--smoke", action="store_true", help="打开主窗口，等到首次绘制后打印用时并退出")
    parser.add_argument("--load-sample-if-empty", action="store_true", help="数据库为空时先载入示例申报表")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="命令")

    p = sub.add_parser("import", parents=[common], help="导入申报表（PDF、文本、.xlsx、.docx；自评表连同其实际完成值）")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="只解析并显示结果，不写入数据库")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("-v", "--verbose", action="store_true", help="也显示提示信息")
    p.add_argument("--prune", action="store_true", help="删除新表单中已没有的指标（已有填报的改为停用）")
    p.add_argument(
        "--replace",
        action="store_true",
        help="已有填报的指标，也按新表单改其指标值；新表单中为空的项目信息（资金、目标、日期等）也随之清除",
    )
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("projects", parents=[common], help="列出数据库中的项目")
    p.add_argument("--year", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_projects)

    p = sub.add_parser("show", parents=[common], help="显示一个项目的申报内容")
    p.add_argument("project", metavar="PROJECT", help="项目名称，或只匹配一个项目的部分名称")
    p.add_argument("--year", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    for register in EXTRA_COMMANDS:
        register(sub, common)
    return parser


def _command_modules() -> list[Callable[[Any, argparse.ArgumentParser], None]]:
    """The register() of each group of sub-commands kept in its own module of this package."""
    from perftrack.cli import declarations, evidence, export, goal, maintenance, report, review, scoring

    return [
        scoring.register,
        evidence.register,
        export.register,
        report.register,
        declarations.register,
        maintenance.register,
        review.register,
        goal.register,
    ]


EXTRA_COMMANDS: list[Callable[[Any, argparse.ArgumentParser], None]] = _command_modules()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command of ``argv``; without it (the console script, the Windows launcher) perftrack
    is the program, and what the command loads is frozen out of the cycle collector's reach
    (``common.loading``)."""
    from perftrack.logsetup import is_windowed, setup_logging

    setup_logging(windowed=is_windowed())
    _fix_stdio()
    if argv is None:  # perftrack is the program, not a call from tests or another program
        common.freeze_loaded = True
        # The charts do no linear algebra: numpy's OpenBLAS need not start a thread per core on import.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    argv = sys.argv[1:] if argv is None else list(argv)
    garbled = _undecodable(argv)
    if garbled is not None:
        print(
            f"参数“{garbled}”含有无法识别的字节（不是 UTF-8 文字），未执行任何操作；请检查后重新输入", file=sys.stderr
        )
        return EXIT_BAD_INPUT
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "db"):
        args.db = None
    try:
        if args.command is None:
            return run_gui(args)
        return int(args.func(args))
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`perftrack score --json | head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED


def _undecodable(argv: Sequence[str]) -> str | None:
    """The first argument holding bytes the terminal's encoding could not decode (Python keeps them as
    lone surrogates, which no database or file name can take), shown with those bytes escaped."""
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            try:  # bytes kept as lone surrogates: show them as the bytes they were
                return arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            except UnicodeEncodeError:  # any other lone surrogate (a Windows argument): as \udXXX
                return arg.encode("utf-8", "backslashreplace").decode("utf-8")
    return None


def _fix_stdio() -> None:
    """Windowed builds have no console; make print() harmless and make UTF-8 the encoding."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
        elif hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            stream.reconfigure(encoding="utf-8", errors="replace")


if __name__ == "__main__":
    sys.exit(main())
