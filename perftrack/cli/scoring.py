"""Commands for the year's work: record actuals and money, set points and notes, score, history.

Registered into the main parser through ``perftrack.cli.EXTRA_COMMANDS``. Every command is one
user action in one transaction; a value the user can correct ends it with exit status 2 and a
Chinese message, and nothing of it is written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from perftrack.cli.common import (
    EXIT_OK,
    UserError,
    database_action,
    loading,
    print_json,
    print_projects,
    shown,
    stream_projects,
)
from perftrack.cli.score_output import (
    format_score,
    format_summaries,
    money,
    plain,
    score_json,
    score_to_dict,
    summary_rows,
)

_CLEAR_WORDS = ("clear", "none", "default", "取消", "清除")
# Projects evaluated at a time by ``score`` (a few tens of MB), printed before the next batch.
SCORE_BATCH = 200


_action = database_action


def _target(session: Any, args: argparse.Namespace, with_indicator: bool = True) -> tuple[Any, Any]:
    from perftrack.store.queries import find_indicator, find_project

    project = find_project(session, args.project, args.year)
    indicator = find_indicator(project, args.indicator) if with_indicator else None
    return project, indicator


# -- recording ------------------------------------------------------------------------------


def cmd_record(args: argparse.Namespace) -> int:
    import datetime as dt

    from perftrack.domain.periods import YEAR, entry_period, normalize_period
    from perftrack.domain.plausible import value_warning
    from perftrack.store.actuals import period_label, record_actual
    from perftrack.store.conflicts import expect_actual
    from perftrack.store.evidence import add_evidence, where_kept

    with _action(args) as (db, session):
        project, indicator = _target(session, args)
        period = args.period
        if period is None:
            period = entry_period(project.year, project.reporting, dt.date.today())
        elif normalize_period(period) == YEAR and not args.full_year:
            _refuse_year_over_periods(indicator, args.value)
        if args.expect is not None:
            expect_actual(session, indicator, period, args.expect, args.value)
        actual = record_actual(session, indicator, period, args.value, percent=args.percent, note=args.note)
        if args.evidence and actual is None:
            raise UserError(f"指标「{indicator.name}」没有实际值，无法附加证明材料")
        stored = [add_evidence(session, actual, Path(f), db.evidence_dir).stored_name for f in args.evidence]
        if actual is None:
            message = f"已清除「{indicator.name}」{period_label(normalize_period(period))}的实际完成值"
        else:
            message = f"已记录「{indicator.name}」{period_label(actual.period)}：{_actual_text(actual)}"
        if args.period is None:
            message += "（未指定 --period，按当前期间记入）"
        warning = (
            value_warning(indicator.name, actual.value, actual.unit, indicator.target_value)
            if actual is not None and indicator.target_unit == actual.unit
            else None
        )
    print(message)
    if warning:
        print(f"注意：{warning}", file=sys.stderr)
    for name in stored:
        print(f"证明材料已保存：{where_kept(db, name)}")
    return EXIT_OK


def _refuse_year_over_periods(indicator: Any, value: str) -> None:
    """A full-year value takes the place of the quarters' (months') values in scoring: refused over
    recorded ones unless the user says it is the year's figure (--full-year)."""
    from perftrack.store.actuals import period_label

    recorded = [a for a in indicator.actuals if a.period != "YEAR" and (a.value is not None or a.tier)]
    if not recorded or not value.strip():
        return
    listed = "、".join(f"{period_label(a.period)} {a.value_text or a.tier}" for a in recorded)
    raise UserError(
        f"指标「{indicator.name}」已有 {listed}；全年值“{value}”将取代这些期间的值计分。"
        "如确是全年实际完成值，请加 --full-year；否则请用 --period 指定期间（如 --period Q4）"
    )


def _actual_text(actual: Any) -> str:
    from perftrack.domain.attainment import Tier, tier_percent

    if actual.tier:
        tier = Tier(actual.tier)
        return f"{tier.label}（{tier_percent(tier, actual.tier_percent)}%）"
    if actual.value is None:
        return f"（无数值）说明：{actual.note or ''}"
    shown = f"{plain(actual.value)}{actual.unit or ''}"
    return shown if actual.value_text.startswith(plain(actual.value) or "") else f"{actual.value_text}（{shown}）"


def cmd_budget(args: argparse.Namespace) -> int:
    from perftrack.domain import figures
    from perftrack.domain.periods import normalize_period
    from perftrack.domain.plausible import amount_warning
    from perftrack.store.actuals import RecordError
    from perftrack.store.evaluation import evaluate_project, money_unit
    from perftrack.store.settings import funding_source, set_budget, set_full_year_budget, set_source_spent

    if args.amount is None and args.full_year_budget is None:
        raise UserError("请填写执行金额 AMOUNT，或用 --full-year-budget 填写调整后的全年预算数")
    source = None
    if args.source is not None:
        if args.amount is None or args.full_year_budget is not None:
            raise UserError("--source 记录该资金来源的全年执行数：请填写 AMOUNT，不与 --full-year-budget 同用")
        if normalize_period(args.period) != "YEAR":
            raise UserError("各资金来源只记录全年执行数（自评表“其中”行），不能指定 --period")
        try:
            source = funding_source(args.source)
        except RecordError as exc:
            raise UserError(str(exc)) from exc
    with _action(args) as (_, session):
        project, _ = _target(session, args, with_indicator=False)
        if args.full_year_budget is not None:
            set_full_year_budget(session, project, args.full_year_budget)
        warning = None
        if source is not None:
            set_source_spent(session, project, source, args.amount)
            warning = amount_warning(getattr(project, f"spent_{source}"))
        elif args.amount is not None:
            set_budget(session, project, args.amount, period=args.period)
            code = normalize_period(args.period)
            warning = amount_warning(next((b.amount for b in project.budget_executions if b.period == code), None))
        unit = money_unit(session)
        evaluation = evaluate_project(project, money=unit)
    budget = evaluation.score.budget
    rate = f"{budget.rate}%" if budget.rate is not None else "—"
    print(
        f"「{project.name}」全年预算数 {money(budget.full_year_budget, unit)} {unit}，"
        f"全年执行数 {money(budget.executed, unit)} {unit}，执行率 {rate}，得分 {budget.score}/{budget.points}"
    )
    if source is not None:
        row = next(r for r in figures.source_rows(evaluation) if r.key == source)
        shown = f"{row.rate}%" if row.rate is not None else "—"
        print(f"  其中{row.label}：全年执行数 {money(row.executed, unit)} {unit}，执行率 {shown}")
    for note in (warning, figures.sources_disagree(evaluation)):
        if note:
            print(f"注意：{note}", file=sys.stderr)
    return EXIT_OK


def cmd_points(args: argparse.Namespace) -> int:
    from perftrack.store.settings import points_problems, set_indicator_field

    with _action(args) as (_, session):
        project, indicator = _target(session, args)
        set_indicator_field(session, indicator, "points", args.points)
        problems = points_problems(project)
    shown = indicator.points if indicator.points is not None else "按组平均分配"
    print(f"已设置「{indicator.name}」分值：{shown}")
    for problem in problems:
        print(f"注意：{problem}", file=sys.stderr)
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from perftrack.store.settings import set_indicator_field

    with _action(args) as (_, session):
        _, indicator = _target(session, args)
        set_indicator_field(session, indicator, "deviation_reason", args.reason)
        if args.measures is not None:
            set_indicator_field(session, indicator, "measures", args.measures)
    print(f"已填写「{indicator.name}」的偏差原因分析{'及改进措施' if args.measures else ''}")
    return EXIT_OK


def cmd_monitor(args: argparse.Namespace) -> int:
    """The mid-year monitoring columns of an indicator (绩效运行监控, domain.md §3)."""
    from perftrack.store.settings import set_indicator_field

    given = {
        "monitor_expected": args.expected,
        "monitor_chance": args.chance,
        "monitor_cause": args.cause,
        "monitor_measure": args.measure,
    }
    if all(v is None for v in given.values()):
        raise UserError("请至少填写 --expected、--chance、--cause、--measure 中的一项")
    with _action(args) as (_, session):
        _, indicator = _target(session, args)
        for field, value in given.items():
            if value is not None:
                set_indicator_field(session, indicator, field, None if value == "" else value)
    print(f"已更新「{indicator.name}」的运行监控信息")
    return EXIT_OK


def cmd_deduct(args: argparse.Namespace) -> int:
    from perftrack.store.settings import set_deduction

    clear = args.points.strip().lower() in _CLEAR_WORDS
    with _action(args) as (_, session):
        _, indicator = _target(session, args)
        set_deduction(session, indicator, None if clear else args.points, args.reason)
    if clear:
        print(f"已取消「{indicator.name}」的人工扣分")
    else:
        print(f"已对「{indicator.name}」人工扣分 {indicator.deduction} 分：{indicator.deduction_reason}")
    return EXIT_OK


def cmd_rollup(args: argparse.Namespace) -> int:
    from perftrack.store.settings import set_indicator_field

    with _action(args) as (_, session):
        _, indicator = _target(session, args)
        set_indicator_field(session, indicator, "rollup", args.rollup)
    print(f"「{indicator.name}」的汇总方式：{indicator.rollup or '按单位默认'}")
    return EXIT_OK


def cmd_reporting(args: argparse.Namespace) -> int:
    from perftrack.store.settings import set_reporting

    with _action(args) as (_, session):
        project, _ = _target(session, args, with_indicator=False)
        set_reporting(session, project, args.reporting)
    word = "按季度" if project.reporting == "quarterly" else "按月"
    print(f"「{project.name}」为{word}填报")
    return EXIT_OK


def cmd_grades(args: argparse.Namespace) -> int:
    """Choose the scoring rules; without a set named, list the registered sets, the one in use marked."""
    from perftrack.domain.rules import RULE_SETS
    from perftrack.store.evaluation import grade_labels
    from perftrack.store.settings import set_grade_labels

    with _action(args, write=args.labels is not None) as (_, session):
        if args.labels is not None:
            set_grade_labels(session, args.labels)
        chosen = grade_labels(session)
    if args.labels is None:
        for rules in RULE_SETS.values():
            mark = "*" if rules.key == chosen else " "
            print(f"{mark} {rules.key:<10} {rules.title}")
        return EXIT_OK
    rules = RULE_SETS[chosen]
    print(f"评分规则：{rules.key}（{rules.title}）；等级标签：{rules.words()}")
    return EXIT_OK


def cmd_actuals_import(args: argparse.Namespace) -> int:
    with loading():
        from perftrack.importers.actuals_table import ActualsTableError, read_actuals_table
        from perftrack.importers.fill_in import FillInError, is_fill_in, read_fill_in
        from perftrack.store.actuals_import import MAX_LISTED_ERRORS, import_actuals

    if is_fill_in(Path(args.file)):
        from perftrack.store.fill_in import apply_fill_in

        try:
            filled = read_fill_in(Path(args.file))
        except FillInError as exc:
            raise UserError(str(exc)) from exc
        with _action(args) as (_, session):
            done = apply_fill_in(session, filled, replace=args.replace)
        print(
            f"已从 {args.file} 导入「{done.project}」{done.period} 的填报：{done.values} 个完成值、"
            f"{done.notes} 条说明、{done.fields} 项偏差分析"
            + ("、预算执行数" if done.spending else "")
            + (f"（覆盖了 {len(done.conflicts)} 处已记录的值）" if done.conflicts else "")
        )
        return EXIT_OK
    try:
        table = read_actuals_table(Path(args.file))
    except ActualsTableError as exc:
        raise UserError(str(exc)) from exc
    with _action(args) as (_, session):
        count = import_actuals(session, table)
    skipped = f"，跳过 {count.skipped} 个空行" if count.skipped else ""
    print(f"已从 {args.file} 导入 {count.recorded} 行实际值（{len(count.projects)} 个项目）{skipped}")
    for warning in count.warnings[:MAX_LISTED_ERRORS]:
        print(f"注意：{warning}", file=sys.stderr)
    if len(count.warnings) > MAX_LISTED_ERRORS:
        print(f"注意：……另有 {len(count.warnings) - MAX_LISTED_ERRORS} 行的数值请核对", file=sys.stderr)
    return EXIT_OK


# -- score ----------------------------------------------------------------------------------


def cmd_score(args: argparse.Namespace) -> int:
    from perftrack.domain.periods import normalize_period
    from perftrack.store.evaluation import evaluate_all
    from perftrack.store.queries import list_order

    try:
        as_of = normalize_period(args.as_of) if args.as_of else None
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    with _action(args, write=False) as (_, session):
        ids = None
        if args.project:
            ids = [_target(session, args, with_indicator=False)[0].id]
        if args.summary:
            data = summary_rows(session, ids, args.year, as_of)
            return print_projects(data, args.json, format_summaries)
        if ids is None:
            ids = list_order(session, args.year)
        # A few hundred projects at a time, printed as they are scored: all of a city's full
        # evaluations at once would take more memory than a PC should give one command.
        if args.json and (workers := _json_workers(len(ids))) > 1:
            # Scoring is pure Python on one core: a city's JSON is made by a process per core,
            # a batch each in turn, and written here in order (the same bytes).
            return _stream_json(_texts_in_workers(args, ids, as_of, workers))
        batches = (ids[start : start + SCORE_BATCH] for start in range(0, len(ids), SCORE_BATCH))
        evaluations = (ev for batch in batches for ev in evaluate_all(session, batch, as_of=as_of))
        if args.json:
            return _stream_json(score_json(ev, "    ") for ev in evaluations)
        return stream_projects((score_to_dict(ev) for ev in evaluations), False, format_score)


# From this many projects on, ``score --json`` uses a process per core where processes fork (Linux);
# PERFTRACK_SCORE_WORKERS sets the number (0 or 1: none).
PARALLEL_FROM = 400
WORKER_BATCH = 100
_worker_db: Any = None


def _json_workers(projects: int) -> int:
    import multiprocessing
    import os

    chosen = os.environ.get("PERFTRACK_SCORE_WORKERS")
    if chosen is not None:
        return int(chosen) if chosen.strip().isdigit() else 0
    if projects < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return min(os.cpu_count() or 1, 4)


def _open_worker_db(url: str) -> None:
    """A worker's own connection (a forked copy of the parent's must not be used)."""
    import gc

    from perftrack.store.database import Database

    global _worker_db
    gc.disable()  # as _stream_json: millions of small objects, none in a cycle
    _worker_db = Database.reopen(url)  # the parent checked and migrated it a moment ago


def _worker_texts(task: tuple[list[int], str | None]) -> bytes:
    """A batch's projects as ``_stream_json`` would write them one by one, joined and encoded: the
    parent writes the bytes as they come, without decoding and encoding 90 MB again."""
    from perftrack.store.evaluation import evaluate_all

    ids, as_of = task
    with _worker_db.reading() as session:
        found = {ev.project_id: ev for ev in evaluate_all(session, ids, as_of=as_of)}
        text = ",\n    ".join(score_json(found[pid], "    ") for pid in ids if pid in found)
    return text.encode("utf-8")


def _texts_in_workers(args: argparse.Namespace, ids: list[int], as_of: str | None, workers: int) -> Iterator[bytes]:
    import multiprocessing

    from perftrack.paths import resolve_db_url

    # Batches small enough to keep every worker busy to the end (a few per worker at least).
    size = max(1, min(WORKER_BATCH, -(-len(ids) // (4 * workers))))
    tasks = [(ids[start : start + size], as_of) for start in range(0, len(ids), size)]
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_open_worker_db, initargs=(resolve_db_url(args.db),)) as pool:
        for texts in pool.imap(_worker_texts, tasks):
            if texts:  # a batch whose projects were all deleted meanwhile writes nothing
                yield texts


def _stream_json(texts: Iterator[str] | Iterator[bytes]) -> int:
    """``{"projects": [...]}`` as ``stream_projects`` writes it, from each project's text (``score_json``),
    or from batches of them already encoded as UTF-8 (the worker processes'), written as bytes where
    standard output has a byte stream whose line ends are the program's own (not Windows').

    The cycle collector is held back meanwhile: scoring makes millions of small objects, none in a
    cycle, and each collection would walk all that is alive for nothing.
    """
    import gc
    import os

    out = sys.stdout
    # A StringIO (a program calling main() with its output redirected) has neither encoding nor buffer.
    utf8 = (getattr(out, "encoding", None) or "").lower().replace("-", "") == "utf8"
    raw = getattr(out, "buffer", None) if os.linesep == "\n" and utf8 else None
    count = 0
    out.write('{\n  "projects": [')
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for text in texts:
            lead = ("," if count else "") + "\n    "
            if isinstance(text, bytes):
                if raw is None:
                    out.write(lead + text.decode("utf-8"))
                else:
                    out.flush()
                    raw.write(lead.encode("ascii") + text)
            else:
                out.write(lead + text)
            count += 1
    finally:
        if was_enabled:
            gc.enable()
    out.write("\n  ]\n}\n" if count else "]\n}\n")
    return EXIT_OK


# -- history --------------------------------------------------------------------------------


def cmd_history(args: argparse.Namespace) -> int:
    from perftrack.store.audit import history

    with _action(args, write=False) as (_, session):
        project, indicator = _target(session, args, with_indicator=bool(args.indicator))
        entries = history(session, project.id, indicator.id if indicator is not None else None)
        rows = [
            {
                "at": entry.at.astimezone().isoformat(timespec="seconds"),
                "user": entry.user,
                "action": entry.action,
                "entity": entry.entity,
                "field": entry.field,
                "period": entry.period,
                "old": entry.old,
                "new": entry.new,
                "summary": entry.summary,
                "local": entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            }
            for entry in entries
        ]
        what = f"「{project.name}」" + (f"指标「{indicator.name}」" if indicator is not None else "")
    if args.json:
        print_json({"history": [{k: v for k, v in row.items() if k != "local"} for row in rows]})
        return EXIT_OK
    if not rows:
        print(f"{what}还没有修改记录")
    for row in rows:
        change = ""
        if row["field"] and "→" not in row["summary"]:
            change = f"：{row['old'] or '（空）'} → {row['new'] or '（空）'}"
        print(shown(f"{row['local']}  {row['user']}  {row['summary']}{change}"))
    return EXIT_OK


# -- parser ---------------------------------------------------------------------------------


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add record, budget, points, explain, deduct, rollup, reporting, grades, actuals, score, history."""
    periods = "Q1–Q4、M01–M12 或 YEAR（全年，默认）"

    def parser(name: str, help_text: str, *, indicator: bool = True, project: bool = True) -> Any:
        p = sub.add_parser(name, parents=[common], help=help_text)
        if project:
            p.add_argument("project", metavar="PROJECT", help="项目名称，或只匹配一个项目的部分名称")
            p.add_argument("--year", type=int, help="项目的预算年度（名称在多个年度重复时）")
        if indicator:
            p.add_argument("indicator", metavar="INDICATOR", help="三级指标名称、部分名称或 #序号")
        return p

    p = parser("record", "记录指标的实际完成值")
    p.add_argument("value", metavar="VALUE", help="实际值，如 35、95%%、3500万元、达成、部分达成；空字符串清除")
    p.add_argument(
        "--period", help="填报期间：Q1–Q4、M01–M12 或 YEAR（全年）；不填为当前季度（月），预算年度结束后为最后一期"
    )
    p.add_argument(
        "--full-year", action="store_true", help="已有季度（月度）值时，确认写入全年值（全年值取代各期间的值计分）"
    )
    p.add_argument("--percent", help="定性指标在等级区间内的得分比例（%%）")
    p.add_argument("--note", help="说明")
    p.add_argument("--evidence", action="append", default=[], metavar="FILE", help="证明材料文件，可重复")
    p.add_argument(
        "--expect",
        metavar="OLD",
        help="只在该期间的现有值仍为 OLD 时写入（空字符串表示尚无数值），否则不写入并说明谁何时改成了什么",
    )
    p.set_defaults(func=cmd_record)

    p = parser("budget", "记录预算执行数（元）或调整全年预算数", indicator=False)
    p.add_argument("amount", metavar="AMOUNT", nargs="?", help="执行金额，如 215,457.60 或 21.55万元")
    p.add_argument("--period", default="YEAR", help=f"执行期间：{periods}；不填为全年执行数")
    p.add_argument("--full-year-budget", metavar="AMOUNT", help="调整后的全年预算数；空字符串恢复为年度资金总额")
    p.add_argument(
        "--source",
        metavar="SOURCE",
        help="记录某一资金来源的全年执行数（自评表“其中”行）：当年财政拨款、上年结转资金 或 其他资金；空 AMOUNT 清除",
    )
    p.set_defaults(func=cmd_budget)

    p = parser("points", "设置指标分值（各指标分值合计应为90）")
    p.add_argument("points", metavar="POINTS", help="分值，或 default 恢复平均分配")
    p.set_defaults(func=cmd_points)

    p = parser("explain", "填写偏差原因分析及改进措施")
    p.add_argument("--reason", required=True, help="偏差原因分析")
    p.add_argument("--measures", help="改进措施")
    p.set_defaults(func=cmd_explain)

    p = parser("monitor", "填写运行监控信息：全年预计完成值、完成可能性、偏差原因类型、纠偏措施")
    p.add_argument("--expected", help="全年预计完成值（指标值的单位）；空字符串清除")
    p.add_argument("--chance", help="完成可能性：确定能 / 有可能 / 完全不可能")
    p.add_argument("--cause", help="偏差原因类型：经费保障 / 制度保障 / 人员保障 / 硬件条件保障 / 其他")
    p.add_argument("--measure", help="纠偏措施")
    p.set_defaults(func=cmd_monitor)

    p = parser("deduct", "人工扣分（必须注明理由）")
    p.add_argument("points", metavar="POINTS", help="扣分，或 clear 取消扣分")
    p.add_argument("--reason", help="扣分理由")
    p.set_defaults(func=cmd_deduct)

    p = parser("rollup", "设置期间数值汇总为全年实际值的方式")
    p.add_argument("rollup", choices=("sum", "latest", "qualitative", "default"))
    p.set_defaults(func=cmd_rollup)

    p = parser("reporting", "设置项目按季度或按月填报", indicator=False)
    p.add_argument("reporting", metavar="quarterly|monthly")
    p.set_defaults(func=cmd_reporting)

    p = parser(
        "grades",
        "查看或选择评分规则（预算执行分值、各组权重、等级及其名称）：national（优良中差）、shanghai（优良合格不合格）……",
        indicator=False,
        project=False,
    )
    p.add_argument("labels", nargs="?", metavar="SET", help="评分规则名称；不填则列出所有评分规则，* 为当前所用")
    p.set_defaults(func=cmd_grades)

    p = sub.add_parser("actuals", parents=[common], help="实际完成值的批量操作")
    actions = p.add_subparsers(dest="actuals_command", metavar="ACTION", required=True)
    q = actions.add_parser("import", parents=[common], help="从 CSV 或 XLSX 导入实际完成值（全部成功或全部不导入）")
    q.add_argument("file", metavar="FILE")
    q.add_argument(
        "--replace", action="store_true", help="填报工作簿与已记录的值不同时以填报表为准（默认列出不同处、不导入）"
    )
    q.set_defaults(func=cmd_actuals_import)

    p = sub.add_parser("score", parents=[common], help="计算项目支出绩效自评得分")
    p.add_argument("project", metavar="PROJECT", nargs="?", help="项目名称或部分名称；不填为全部项目")
    p.add_argument("--year", type=int)
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--as-of", metavar="PERIOD", help="进度状态的截止期间（得分始终按全年计算）")
    p.add_argument(
        "--summary", action="store_true", help="每个项目一行：总分、等级、状态及偏离、待说明、未填报的指标数"
    )
    p.set_defaults(func=cmd_score)

    p = parser("history", "查看修改记录（最新的在前）", indicator=False)
    p.add_argument("indicator", metavar="INDICATOR", nargs="?", help="只看一个指标")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_history)
