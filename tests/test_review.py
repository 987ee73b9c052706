"""The quarterly review, as a unit runs it: submit, return with a comment, resubmit, approve (locked), reopen.

Real SQLite files in a temp folder and the command line as staff type it; the user is switched
through LOGNAME (what the audit trail and the reviewers' list read on a PC).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from perftrack.cli import main
from perftrack.domain.review import ReviewError, ReviewStatus, Step, next_status
from perftrack.paths import sample_files
from perftrack.store.actuals import RecordError
from perftrack.store.audit import history
from perftrack.store.database import open_database
from perftrack.store.schema import Actual, Indicator, Project
from perftrack.ui.snapshots import BUDGET_PREFIX, EditKey
from perftrack.ui.workspace import Workspace

PROJECT = "项目管理费"
WORK = "工作完成率"  # =100.00(%): the project's first indicator


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("LOGNAME", "wang")  # the project manager
    path = str(tmp_path / "review.db")
    assert main(["import", *map(str, sample_files()), "--db", path]) == 0
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def as_user(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv("LOGNAME", name)


def _review(capsys, db: str, *more: str) -> dict:
    code, out, _ = run(capsys, "review", "--period", "Q2", "--json", "--db", db, *more)
    assert code == 0
    return json.loads(out)


def _row(data: dict, name: str = PROJECT) -> dict:
    return next(p for p in data["projects"] if p["name"] == name)


def test_the_steps_follow_the_rules() -> None:
    assert next_status(ReviewStatus.DRAFT, Step.SUBMIT) is ReviewStatus.SUBMITTED
    assert next_status(ReviewStatus.SUBMITTED, Step.RETURN) is ReviewStatus.RETURNED
    assert next_status(ReviewStatus.RETURNED, Step.SUBMIT) is ReviewStatus.SUBMITTED
    assert next_status(ReviewStatus.SUBMITTED, Step.APPROVE) is ReviewStatus.APPROVED
    assert next_status(ReviewStatus.APPROVED, Step.REOPEN) is ReviewStatus.RETURNED
    for current, step in (
        (ReviewStatus.DRAFT, Step.APPROVE),
        (ReviewStatus.APPROVED, Step.SUBMIT),
        (ReviewStatus.SUBMITTED, Step.REOPEN),
        (ReviewStatus.RETURNED, Step.RETURN),
    ):
        with pytest.raises(ReviewError, match="不能"):
            next_status(current, step)


def test_a_quarter_from_submission_to_lock_and_back(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: str
) -> None:
    assert run(capsys, "reviewers", "add", "li", "--db", db)[0] == 0  # the unit names its reviewer
    assert run(capsys, "record", PROJECT, WORK, "40%", "--period", "Q2", "--db", db)[0] == 0
    assert _row(_review(capsys, db))["status"] == "draft"

    # Submitting says what is missing, and goes ahead.
    code, out, _ = run(capsys, "submit", PROJECT, "--period", "Q2", "--db", db)
    assert code == 0 and "填报中 → 已提交" in out
    assert "4 个指标未填报本期完成值" in out and "偏离目标而未写偏差原因：工作完成率" in out and "预算执行数" in out
    # Only a reviewer approves or returns.
    code, _, err = run(capsys, "approve", PROJECT, "--period", "Q2", "--db", db)
    assert code == 2 and "wang 不在审核人名单中" in err and "li" in err

    as_user(monkeypatch, "li")
    assert _row(_review(capsys, db, "--mine"))["status"] == "submitted"  # the reviewer's "needs my action"
    code, _, err = run(capsys, "return", PROJECT, "--period", "Q2", "--comment", "", "--db", db)
    assert code == 2 and "须写明退回意见" in err
    code, out, _ = run(capsys, "return", PROJECT, "--period", "Q2", "--comment", "请补充偏差原因", "--db", db)
    assert code == 0 and "已提交 → 已退回" in out
    row = _row(_review(capsys, db))
    assert (row["status"], row["comment"], row["by"]) == ("returned", "请补充偏差原因", "li")
    assert row["missing"]["unexplained"] == [WORK]

    as_user(monkeypatch, "wang")
    assert PROJECT in [p["name"] for p in _review(capsys, db, "--mine")["projects"]]  # back on the manager's list
    assert run(capsys, "explain", PROJECT, WORK, "--reason", "进度滞后，三季度补齐", "--db", db)[0] == 0
    assert run(capsys, "budget", PROJECT, "500000", "--period", "Q2", "--db", db)[0] == 0
    assert run(capsys, "submit", PROJECT, "--period", "Q2", "--db", db)[0] == 0

    as_user(monkeypatch, "li")
    code, out, _ = run(capsys, "approve", PROJECT, "--period", "Q2", "--db", db)
    assert code == 0 and "已提交 → 已审核" in out
    assert _row(_review(capsys, db))["missing"]["unexplained"] == []

    # Locked: values, spending and notes of Q2 refuse every writer, the other quarters do not.
    as_user(monkeypatch, "wang")
    for args in (
        ("record", PROJECT, WORK, "60%", "--period", "Q2"),
        ("record", PROJECT, WORK, "", "--period", "Q2"),
        ("budget", PROJECT, "1", "--period", "Q2"),
        ("record", PROJECT, WORK, "40%", "--period", "Q2", "--note", "补充说明"),
    ):
        code, _, err = run(capsys, *args, "--db", db)
        assert code == 2 and "已由 li" in err and "锁定" in err and "perftrack reopen" in err, (args, err)
    assert run(capsys, "record", PROJECT, WORK, "70%", "--period", "Q3", "--db", db)[0] == 0

    # Reopened with a reason, the manager may change Q2 again.
    as_user(monkeypatch, "li")
    code, _, err = run(capsys, "reopen", PROJECT, "--period", "Q2", "--reason", " ", "--db", db)
    assert code == 2 and "理由" in err
    assert run(capsys, "reopen", PROJECT, "--period", "Q2", "--reason", "财务数据更正", "--db", db)[0] == 0
    as_user(monkeypatch, "wang")
    assert run(capsys, "record", PROJECT, WORK, "45%", "--period", "Q2", "--db", db)[0] == 0

    # Every step is in the audit trail: who, from which state to which, the comment.
    with open_database(db) as database, database.reading() as s:
        pid = s.scalar(select(Project.id).where(Project.name == PROJECT))
        steps = [(a.user, a.old, a.new) for a in reversed(history(s, pid)) if a.entity == "review"]
        summaries = [a.summary for a in history(s, pid) if a.entity == "review"]
    assert steps == [
        ("wang", "draft", "submitted"),
        ("li", "submitted", "returned"),
        ("wang", "returned", "submitted"),
        ("li", "submitted", "approved"),
        ("li", "approved", "returned"),
    ]
    assert any("请补充偏差原因" in s for s in summaries) and any("财务数据更正" in s for s in summaries)


def test_the_window_is_refused_a_locked_period_with_the_reason(
    qtbot: QtBot, capsys: pytest.CaptureFixture[str], db: str
) -> None:
    assert run(capsys, "submit", PROJECT, "--period", "Q2", "--db", db)[0] == 0
    assert run(capsys, "approve", PROJECT, "--period", "Q2", "--db", db)[0] == 0  # no list: anyone may
    workspace = Workspace(open_database(db))
    try:
        with workspace.database.reading() as s:
            ind = s.scalar(select(Indicator).join(Project).where(Project.name == PROJECT, Indicator.name == WORK))
            pid, iid = ind.project_id, ind.id
        errors = workspace.apply([(EditKey(pid, iid, "Q2"), "50%"), (EditKey(pid, None, BUDGET_PREFIX + "Q2"), "9")])
        assert all(e is not None and "锁定" in str(e) for e in errors)
        assert workspace.apply([(EditKey(pid, iid, "Q1"), "50%")]) == [None]
        with workspace.database.reading() as s:
            assert s.scalars(select(Actual.period).where(Actual.indicator_id == iid)).all() == ["Q1"]
    finally:
        workspace.close()


def test_a_step_that_does_not_apply_says_why(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, _, err = run(capsys, "approve", PROJECT, "--period", "Q2", "--db", db)
    assert code == 2 and "当前状态为“填报中”，不能审核通过" in err
    code, _, err = run(capsys, "submit", PROJECT, "--period", "M05", "--db", db)
    assert code == 2 and "按季度填报" in err


def test_evidence_of_a_locked_period_can_be_neither_added_nor_removed(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    proof = tmp_path / "会议纪要.txt"
    proof.write_text("纪要", encoding="utf-8")
    args = ("record", PROJECT, WORK, "40%", "--period", "Q2", "--db", db)
    assert run(capsys, *args, "--evidence", str(proof))[0] == 0
    assert run(capsys, "submit", PROJECT, "--period", "Q2", "--db", db)[0] == 0
    assert run(capsys, "approve", PROJECT, "--period", "Q2", "--db", db)[0] == 0
    code, _, err = run(capsys, *args, "--evidence", str(proof))
    assert code == 2 and "证明材料" in err and "锁定" in err

    from perftrack.store.evidence import remove_evidence
    from perftrack.store.schema import Evidence

    with open_database(db) as database:
        with pytest.raises(RecordError, match="锁定"), database.session() as s:
            remove_evidence(s, s.scalars(select(Evidence)).one(), database.evidence_dir)
        with database.reading() as s:
            assert len(s.scalars(select(Evidence)).all()) == 1
