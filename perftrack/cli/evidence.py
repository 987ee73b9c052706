"""``perftrack evidence``: the evidence files of an indicator's value, listed or copied out.

On a team database (PostgreSQL) the files are inside the database, where no file manager reaches
them: this is how a script gets them back, as the window's 打开 does for a person.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from typing import Any

from perftrack.cli.common import EXIT_OK, UserError, open_db, print_json, shown


def cmd_evidence(args: argparse.Namespace) -> int:
    from perftrack.domain.periods import normalize_period
    from perftrack.store.actuals import RecordError, get_actual, period_label
    from perftrack.store.evidence import open_evidence, where_kept
    from perftrack.store.queries import find_indicator, find_project

    try:
        period = normalize_period(args.period)
    except ValueError as exc:
        raise UserError(f"--period：{exc}") from exc
    out_dir = Path(args.output) if args.output else None
    if out_dir is not None and not out_dir.is_dir():
        raise UserError(f"{out_dir}: 文件夹不存在")
    db = open_db(args)
    rows: list[dict[str, Any]] = []
    try:
        with db.reading() as session:
            indicator = find_indicator(find_project(session, args.project, args.year), args.indicator)
            actual = get_actual(indicator, period)
            for evidence in actual.evidence if actual is not None else []:
                row = {
                    "name": evidence.original_name,
                    "size": evidence.size,
                    "sha256": evidence.sha256,
                    "added_by": evidence.added_by,
                    "added_at": evidence.added_at.isoformat(),
                    "kept": where_kept(db, evidence.stored_name),
                }
                if out_dir is not None:
                    local = open_evidence(session, evidence, db.evidence_dir)
                    target = out_dir / local.name
                    shutil.copyfile(local, target)
                    row["saved"] = str(target)
                rows.append(row)
            where = f"指标「{indicator.name}」{period_label(period)}"
    except RecordError as exc:
        raise UserError(str(exc)) from exc
    except OSError as exc:
        raise UserError(f"无法把证明材料写到 {out_dir}（{exc.strerror or exc}）") from exc
    finally:
        db.close()
    if args.json:
        print_json({"evidence": rows})
    elif not rows:
        print(f"{where}没有证明材料")
    else:
        for row in rows:
            line = f"{shown(row['name'])}  {row['size']} 字节  {shown(row['added_by'])}  {row['kept']}"
            print(line + (f"  → {row['saved']}" if "saved" in row else ""))
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``evidence`` sub-command to the main parser."""
    p = sub.add_parser("evidence", parents=[common], help="列出某指标某期间的证明材料，或用 -o 复制到文件夹")
    p.add_argument("project", metavar="PROJECT", help="项目名称，或只匹配一个项目的部分名称")
    p.add_argument("indicator", metavar="INDICATOR", help="三级指标名称、部分名称或 #序号")
    p.add_argument("--year", type=int, help="项目的预算年度（名称在多个年度重复时）")
    p.add_argument("--period", default="YEAR", help="填报期间：Q1–Q4、M01–M12 或 YEAR（全年，默认）")
    p.add_argument("-o", "--output", metavar="DIR", help="把这些文件复制到该文件夹（同名文件会被覆盖）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_evidence)


__all__ = ["cmd_evidence", "register"]
