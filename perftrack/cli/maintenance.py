"""Keeping the database safe: ``perftrack backup`` and ``perftrack restore``.

A backup is a consistent copy made while others use the database (SQLite's online backup API:
a plain file copy misses what is still in the write-ahead log). Restoring checks the backup, keeps
a copy of what it replaces (in ``<db>-backups`` beside the database) and says where.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from perftrack.cli.common import EXIT_OK, UserError, database_action, open_db


def cmd_backup(args: argparse.Namespace) -> int:
    from perftrack.paths import backup_dir
    from perftrack.store.backup import backup, set_keep_count

    if args.output is None and args.keep is None:
        raise UserError("请用 -o FILE.db 给出备份文件名，或用 --keep N 设定保留的自动备份个数")
    db = open_db(args)
    try:
        if args.keep is not None:
            set_keep_count(db, args.keep)
        written = backup(db, Path(args.output)) if args.output is not None else None
    finally:
        db.close()
    if args.keep is not None:
        folder = backup_dir(db.url)
        print(
            f"自动备份（升级前与每日）保留最新 {args.keep} 个，在 {folder}"
            if args.keep
            else f"已关闭每日自动备份（升级前的备份仍会保留最新 1 个，在 {folder}）"
        )
    if written is not None:
        print(f"已备份数据库 {db.label} 到 {written}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from perftrack.paths import backup_dir, resolve_db_url
    from perftrack.store.backup import check_backup, refuse_server, restore, restore_damaged
    from perftrack.store.errors import DamagedDatabase, NotADatabase

    refuse_server(resolve_db_url(args.db), "恢复")  # said first: a pg_dump file is not a backup here
    source = Path(args.file)
    check_backup(source)
    if not args.yes:
        raise UserError(
            f"恢复会用 {source} 的内容替换当前数据库（替换前的内容会另存一份）；请先关闭其他正在使用该数据库的程序，"
            "确认后加 --yes 再运行"
        )
    url = resolve_db_url(args.db)
    try:
        db = open_db(args)
    except (DamagedDatabase, NotADatabase) as damaged:  # the way back its message points to; --yes given
        kept = restore_damaged(Path(damaged.path), source, backup_dir(url))
        print(f"已从 {source} 恢复数据库 {damaged.path}；损坏的文件原样另存为 {kept}")
        return EXIT_OK
    try:
        kept = restore(db, source, backup_dir(db.url))
    finally:
        db.close()
    print(f"已从 {source} 恢复数据库 {db.label}；恢复前的内容另存为 {kept}")
    return EXIT_OK


def cmd_money_unit(args: argparse.Namespace) -> int:
    from perftrack.store.evaluation import money_unit
    from perftrack.store.settings import set_money_unit

    with database_action(args, write=args.unit is not None) as (_, session):
        unit = money_unit(session) if args.unit is None else set_money_unit(session, args.unit)
    print(f"金额单位：{unit}（窗口、perftrack score、工作簿和 PDF 报告均按{unit}显示；数据库中按元保存）")
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``backup``, ``restore`` and ``money-unit`` sub-commands to the main parser."""
    p = sub.add_parser("backup", parents=[common], help="备份数据库（程序正在使用时也能得到完整的一份）")
    p.add_argument("-o", "--output", metavar="FILE.db", help="备份文件名")
    p.add_argument(
        "--keep",
        type=int,
        metavar="N",
        help="自动备份（升级数据库前、每天第一次使用时，存于数据库旁的“-backups”文件夹）保留最新 N 个；0 关闭每日备份",
    )
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", parents=[common], help="用备份文件恢复数据库（替换前的内容另存一份）")
    p.add_argument("file", metavar="FILE.db")
    p.add_argument("--yes", action="store_true", help="确认替换当前数据库的内容")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser(
        "money-unit",
        parents=[common],
        help="金额按元或万元显示和打印（数据库中仍按元保存）；不给单位时显示当前设置",
        description="设定本数据库的金额单位：窗口、perftrack score、工作簿和 PDF 报告中的金额按元或万元显示。",
    )
    p.add_argument("unit", nargs="?", metavar="UNIT", help="元 或 万元")
    p.set_defaults(func=cmd_money_unit)


__all__ = ["cmd_backup", "cmd_money_unit", "cmd_restore", "register"]
