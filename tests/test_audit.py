"""The audit trail of recording: an entry for every change, with old and new, newest first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

import perftrack.cli as cli
from perftrack.importers import read_declarations
from perftrack.store import Audit, Database, find_indicator, find_project, history
from perftrack.store.actuals import record_actual
from perftrack.store.evidence import add_evidence, remove_evidence
from perftrack.store.settings import (
    set_budget,
    set_deduction,
    set_full_year_budget,
    set_indicator_field,
    set_reporting,
)
from perftrack.store.upsert import import_declarations

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"
OPS = "信息化运维项目"


@pytest.fixture
def db(database: Database) -> Database:
    with database.session() as session:
        import_declarations(session, read_declarations([SEED]).declarations, user="loader")
    return database


def recorded(db: Database) -> list[tuple[str, str, str | None, str | None, str | None, str | None]]:
    """(action, entity, field, period, old, new) of every entry not written by the form import, oldest first."""
    with db.session() as s:
        rows = s.scalars(select(Audit).where(Audit.user != "loader").order_by(Audit.id)).all()
        return [(r.action, r.entity, r.field, r.period, r.old, r.new) for r in rows]


def test_every_change_to_an_actual_is_audited_with_old_and_new(db: Database) -> None:
    with db.session() as s:
        ind = find_indicator(find_project(s, OPS), "升级接口")
        record_actual(s, ind, "Q1", "8", user="amy")
        record_actual(s, ind, "Q1", "8", user="amy")  # unchanged: no entry
        record_actual(s, ind, "Q1", "9", note="补录", user="bob")
        record_actual(s, ind, "Q1", "", note="", user="bob")
        quality = find_indicator(ind.project, "数据可共享程度")
        record_actual(s, quality, "YEAR", "部分达成", percent="75", user="amy")
    assert recorded(db) == [
        ("create", "actual", "value_text", "Q1", None, "8"),
        ("update", "actual", "value_text", "Q1", "8", "9"),
        ("update", "actual", "note", "Q1", None, "补录"),
        ("delete", "actual", "value_text", "Q1", "9", None),
        ("delete", "actual", "note", "Q1", "补录", None),
        ("create", "actual", "value_text", "YEAR", None, "部分达成"),
        ("create", "actual", "tier", "YEAR", None, "partly"),
        ("create", "actual", "tier_percent", "YEAR", None, "75"),
    ]
    with db.session() as s:
        project = find_project(s, OPS)
        entries = history(s, project.id, find_indicator(project, "升级接口").id)
        assert [e.user for e in entries] == ["bob", "bob", "bob", "bob", "amy"]
        assert entries[-1].summary == "「信息化运维项目」指标「升级接口」第一季度（Q1）实际完成值：（空） → 8"
        tier = next(e for e in history(s, project.id) if e.field == "tier")
        assert tier.summary.endswith("评价等级：（空） → 部分达成年度指标并具有一定效果")


def test_conversions_are_shown_in_the_summary(db: Database) -> None:
    with db.session() as s:
        loan = find_indicator(find_project(s, "科技金融"), "贷款额")
        record_actual(s, loan, "YEAR", "3500万元")
        entry = history(s, loan.project_id, loan.id)[0]
        assert (entry.old, entry.new) == (None, "3500万元")
        assert entry.summary.endswith("实际完成值：（空） → 3500万元（折合 0.3500亿元）")


def test_indicator_project_budget_and_evidence_changes_are_audited(db: Database, tmp_path: Path) -> None:
    proof = tmp_path / "proof.pdf"
    proof.write_bytes(b"%PDF")
    with db.session() as s:
        project = find_project(s, OPS)
        ind = find_indicator(project, "用户满意度")
        set_indicator_field(s, ind, "points", "12")
        set_indicator_field(s, ind, "points", "12.00")  # the same number: no entry
        set_indicator_field(s, ind, "rollup", "latest")
        set_indicator_field(s, ind, "deviation_reason", "问卷回收率低")
        set_deduction(s, ind, "1.5", "样本偏少")
        set_indicator_field(s, ind, "monitor_chance", "确定能")
        set_budget(s, project, "100", period="Q1")
        set_budget(s, project, "120", period="Q1")
        set_budget(s, project, "", period="Q1")
        set_full_year_budget(s, project, "90万元")
        set_reporting(s, project, "按月")
        actual = record_actual(s, ind, "YEAR", "95%")
        assert actual is not None
        evidence = add_evidence(s, actual, proof, db.evidence_dir)
        stored = evidence.stored_name
        remove_evidence(s, evidence, db.evidence_dir)
    assert recorded(db) == [
        ("update", "indicator", "points", None, None, "12"),
        ("update", "indicator", "rollup", None, None, "latest"),
        ("update", "indicator", "deviation_reason", None, None, "问卷回收率低"),
        ("update", "indicator", "deduction_reason", None, None, "样本偏少"),
        ("update", "indicator", "deduction", None, None, "1.5"),
        ("update", "indicator", "monitor_chance", None, None, "确定能"),
        ("create", "budget", "amount", "Q1", None, "100"),
        ("update", "budget", "amount", "Q1", "100", "120"),
        ("delete", "budget", "amount", "Q1", "120", None),
        ("update", "project", "full_year_budget", None, None, "900000"),
        ("update", "project", "reporting", None, "quarterly", "monthly"),
        ("create", "actual", "value_text", "YEAR", None, "95%"),
        ("create", "evidence", "evidence", "YEAR", None, stored),
        ("delete", "evidence", "evidence", "YEAR", stored, f".removed/{stored}"),
    ]


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], db: Database):

    def run(*args: str) -> tuple[int, str, str]:
        code = cli.main([*args, "--db", db.url])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_history_command_lists_newest_first_in_local_time(run) -> None:
    assert run("record", OPS, "升级接口", "8", "--period", "Q1")[0] == 0
    assert run("record", OPS, "升级接口", "9", "--period", "Q1")[0] == 0
    assert run("explain", OPS, "功能点", "--reason", "延期")[0] == 0
    code, out, _ = run("history", OPS, "升级接口")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("指标「升级接口」第一季度（Q1）实际完成值：8 → 9")
    assert lines[1].endswith("实际完成值：（空） → 8")
    stamp = lines[0].split("  ")[0]
    assert len(stamp) == 19 and stamp[4] == "-" and stamp[13] == ":"
    code, out, _ = run("history", OPS, "--json")
    entries = json.loads(out)["history"]
    assert [e["field"] for e in entries[:3]] == ["deviation_reason", "value_text", "value_text"]
    assert entries[0]["new"] == "延期" and entries[1]["old"] == "8"
    assert entries[-1]["action"] == "create" and entries[-1]["user"] == "loader"  # the import, oldest
    assert entries[0]["at"] >= entries[1]["at"] >= entries[-1]["at"]
