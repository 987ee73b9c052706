"""The quarterly review from the command line: submit, approve, return, reopen, the reviewer's list.

    perftrack submit PROJECT --period Q2
    perftrack approve PROJECT --period Q2
    perftrack return PROJECT --period Q2 --comment TEXT
    perftrack reopen PROJECT --period Q2 --reason TEXT
    perftrack review [--period Q2] [--year Y] [--unit U] [--mine] [--json]
    perftrack reviewers [add NAME | remove NAME]

Each step is one audited action; one that does not apply (approving what was not submitted, a
user not on the reviewers' list, a write into an approved period) ends with exit status 2 and
the reason.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from perftrack.cli.common import EXIT_OK, UserError, database_action, open_db, print_json

_STEPS = {"submit": "提交", "approve": "审核通过", "return": "退回", "reopen": "重新打开"}


def _period(args: argparse.Namespace, project: Any) -> str:
    from perftrack.domain.periods import entry_period

    return args.period or entry_period(project.year, project.reporting, dt.date.today())


def cmd_step(args: argparse.Namespace) -> int:
    from perftrack.domain.review import Step
    from perftrack.store.actuals import RecordError, period_label
    from perftrack.store.queries import find_project
    from perftrack.store.review import take_step

    step = Step(args.command)
    db = open_db(args)
    try:
        with db.session() as session:
            project = find_project(session, args.project, args.year)
            result = take_step(session, project, _period(args, project), step, args.text)
    except RecordError as exc:
        raise UserError(str(exc)) from exc
    finally:
        db.close()
    print(
        f"「{result.project}」{period_label(result.period)}已{step.label}：{result.before.label} → {result.after.label}"
    )
    if step.value == "submit":
        for line in result.missing.lines():
            print(f"注意：{line}")
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from perftrack.domain.periods import normalize_period
    from perftrack.store.actuals import period_label
    from perftrack.store.review import acting_user, review_rows, reviewers

    db = open_db(args)
    try:
        with db.reading() as session:
            period = normalize_period(args.period) if args.period else _default_period(session, args)
            rows = review_rows(session, period, year=args.year, unit=args.unit, manager=args.manager)
            user, listed = acting_user(session), reviewers(session)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    finally:
        db.close()
    is_reviewer = not listed or user in listed
    if args.mine:
        rows = [r for r in rows if (r.needs_reviewer if is_reviewer else r.needs_manager)]
    if args.json:
        print_json({"period": period, "user": user, "reviewer": is_reviewer, "projects": [_as_dict(r) for r in rows]})
        return EXIT_OK
    print(f"{period_label(period)}审核情况（共 {len(rows)} 个项目）")
    for r in rows:
        score = f"{r.score:.2f}" if r.scored else "未评"
        who = f"，负责人 {r.manager}" if r.manager else ""
        figures = f"{score:>6}  偏离 {r.off_track}  待说明 {r.unexplained}"
        print(f"  {r.status.label:<4}  {figures}  {r.name}（{r.unit}{who}）")
        for gap in r.missing.lines():
            print(f"          缺：{gap}")
        if r.comment:
            print(f"          意见：{r.comment}（{r.by}）")
    return EXIT_OK


def _default_period(session: Any, args: argparse.Namespace) -> str:
    from sqlalchemy import func, select

    from perftrack.domain.periods import entry_period
    from perftrack.store.schema import Project

    year = args.year or session.scalar(select(func.max(Project.year)))
    if year is None:
        raise UserError("数据库中还没有项目")
    return entry_period(year, "quarterly", dt.date.today())


def _as_dict(r: Any) -> dict[str, Any]:
    return {
        "project_id": r.project_id,
        "year": r.year,
        "unit": r.unit,
        "name": r.name,
        "manager": r.manager,
        "period": r.period,
        "status": r.status.value,
        "status_label": r.status.label,
        "by": r.by,
        "at": r.at.isoformat() if r.at is not None else None,
        "comment": r.comment,
        "score": str(r.score) if r.scored else None,
        "off_track": r.off_track,
        "unexplained": r.unexplained,
        "missing": {
            "no_value": list(r.missing.no_value),
            "unexplained": list(r.missing.unexplained),
            "no_spending": r.missing.no_spending,
        },
    }


def cmd_manager(args: argparse.Namespace) -> int:
    from perftrack.store.queries import find_project
    from perftrack.store.settings import set_manager

    with database_action(args, write=args.name is not None) as (_, session):
        project = find_project(session, args.project, args.year)
        if args.name is not None:
            set_manager(session, project, args.name)
        name, manager = project.name, project.manager
    print(f"「{name}」项目负责人：{manager or '（未填）'}")
    return EXIT_OK


def cmd_reviewers(args: argparse.Namespace) -> int:
    from perftrack.store.actuals import RecordError
    from perftrack.store.review import add_reviewer, remove_reviewer, reviewers

    db = open_db(args)
    try:
        with db.session() as session:
            if args.action == "add":
                done = add_reviewer(session, args.name)
                message = f"已把 {args.name} 加入审核人名单" if done else f"{args.name} 已在审核人名单中"
            elif args.action == "remove":
                done = remove_reviewer(session, args.name)
                message = f"已把 {args.name} 移出审核人名单" if done else f"{args.name} 不在审核人名单中"
            else:
                message = None
            names = reviewers(session)
    except RecordError as exc:
        raise UserError(str(exc)) from exc
    finally:
        db.close()
    if message:
        print(message)
    print("审核人：" + ("、".join(names) if names else "（未设定：任何人都可以审核，每一步仍记入修改记录）"))
    return EXIT_OK


def write_fill_ins(args: argparse.Namespace) -> int:
    """``export --fill-in PERIOD -o DIR [PROJECT...]``: one fill-in workbook per project."""
    from pathlib import Path

    from perftrack.export.fill_in import file_name, write_fill_in
    from perftrack.store.actuals import RecordError
    from perftrack.store.fill_in import fill_in_form
    from perftrack.store.queries import find_project, list_order
    from perftrack.store.schema import Project

    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder}：--fill-in 需要一个文件夹（每个项目一个工作簿），这是一个文件")
    db = open_db(args)
    written: list[Path] = []
    try:
        with db.session() as session:  # the database's own id is written once, with the first forms
            if args.projects:
                projects = [find_project(session, name, args.year) for name in args.projects]
            else:
                projects = [session.get(Project, pid) for pid in list_order(session, args.year)]
            forms = [fill_in_form(session, project, args.fill_in) for project in projects]
    except RecordError as exc:
        raise UserError(str(exc)) from exc
    finally:
        db.close()
    folder.mkdir(parents=True, exist_ok=True)
    for form in forms:
        written.append(write_fill_in(form, folder / file_name(form)))
    print(
        f"已导出 {len(written)} 份填报工作簿到 {folder}："
        "请把每份交给项目负责人填写，交回后用 perftrack actuals import 导入"
    )
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add submit, approve, return, reopen, review and reviewers to the main parser."""
    periods = "Q1–Q4、M01–M12 或 YEAR；不填为当前期间"
    for name, help_text in (
        ("submit", "提交项目本期的填报，等待审核"),
        ("approve", "审核通过项目本期的填报（锁定本期的值、说明、证明材料与预算执行数）"),
        ("return", "退回项目本期的填报并写明意见"),
        ("reopen", "重新打开已审核的期间并写明理由"),
    ):
        p = sub.add_parser(name, parents=[common], help=help_text)
        p.add_argument("project", metavar="PROJECT", help="项目名称，或只匹配一个项目的部分名称")
        p.add_argument("--year", type=int, help="项目的预算年度（名称在多个年度重复时）")
        p.add_argument("--period", help=f"期间：{periods}")
        if name == "return":
            p.add_argument("--comment", dest="text", required=True, help="退回意见")
        elif name == "reopen":
            p.add_argument("--reason", dest="text", required=True, help="重新打开的理由")
        else:
            p.set_defaults(text=None)
        p.set_defaults(func=cmd_step)

    p = sub.add_parser("review", parents=[common], help="审核一览：各项目本期的状态、得分、偏离与缺漏")
    p.add_argument("--period", help=f"期间：{periods}")
    p.add_argument("--year", type=int, help="预算年度（默认：最近的年度）")
    p.add_argument("--unit", help="只列出该实施单位的项目")
    p.add_argument("--manager", metavar="NAME", help="只列出该项目负责人的项目")
    p.add_argument(
        "--mine", action="store_true", help="只列出需要我处理的项目（审核人：待审核；填报人：待填报或已退回）"
    )
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_review)

    p = sub.add_parser("manager", parents=[common], help="查看或填写项目负责人（申报表中的项目负责人导入时自动读入）")
    p.add_argument("project", metavar="PROJECT", help="项目名称，或只匹配一个项目的部分名称")
    p.add_argument("name", metavar="NAME", nargs="?", help="项目负责人姓名；空字符串清除")
    p.add_argument("--year", type=int, help="项目的预算年度（同名项目有多个年度时）")
    p.set_defaults(func=cmd_manager)

    p = sub.add_parser("reviewers", parents=[common], help="查看或修改审核人名单")
    p.add_argument("action", nargs="?", choices=("add", "remove"), help="add 加入，remove 移出")
    p.add_argument("name", nargs="?", metavar="NAME", help="审核人的登录名（团队数据库上为数据库登录名）")
    p.set_defaults(func=cmd_reviewers)


__all__ = ["register"]
