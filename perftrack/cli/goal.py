"""``perftrack goal``: the unit's own 实际完成情况 of the annual goal (年度总体目标).

The self-evaluation sheet (workbook and PDF) prints this text under 实际完成情况; without it,
the sentence drawn from the figures. An empty ``--achieved ""`` returns to that sentence.
"""

from __future__ import annotations

import argparse
from typing import Any

from perftrack.cli.common import EXIT_OK, UserError, open_db, print_json


def cmd_goal(args: argparse.Namespace) -> int:
    from perftrack.domain.figures import outcome_text
    from perftrack.store.actuals import RecordError
    from perftrack.store.evaluation import evaluate_project, grade_labels, money_unit
    from perftrack.store.queries import find_project
    from perftrack.store.settings import set_goal_achieved

    writing = args.achieved is not None
    db = open_db(args)
    try:
        with db.session() if writing else db.reading() as session:
            project = find_project(session, args.project, args.year)
            if writing:
                set_goal_achieved(session, project, args.achieved)
            evaluation = evaluate_project(project, labels=grade_labels(session), money=money_unit(session))
            own = project.goal_achieved
            name, goal = project.name, project.annual_goal
    except RecordError as exc:
        raise UserError(str(exc)) from exc
    finally:
        db.close()
    generated = outcome_text(evaluation)
    if args.json:
        shown = own or generated
        print_json({"project": name, "annual_goal": goal, "goal_achieved": own, "generated": generated, "shown": shown})
        return EXIT_OK
    if writing:
        print(f"「{name}」的年度总体目标实际完成情况已{'填写' if own else '清除，自评表改用按数据生成的文字'}")
    print(f"年度总体目标：{goal or '—'}")
    print(f"实际完成情况（{'单位填写' if own else '按数据生成'}）：{own or generated}")
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``goal`` sub-command to the main parser."""
    p = sub.add_parser(
        "goal",
        parents=[common],
        help="查看或填写年度总体目标的实际完成情况（不填时自评表用按数据生成的文字）",
    )
    p.add_argument("project", metavar="PROJECT", help="项目名称，或只匹配一个项目的部分名称")
    p.add_argument("--year", type=int, help="项目的预算年度（名称在多个年度重复时）")
    p.add_argument(
        "--achieved",
        metavar="TEXT",
        help="单位填写的实际完成情况（最多 2000 字）；空字符串清除，恢复按数据生成的文字",
    )
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_goal)


__all__ = ["cmd_goal", "register"]
