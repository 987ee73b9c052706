"""The recording and scoring commands as a user runs them, on a real database with the seed forms."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import perftrack.cli as cli
from perftrack import paths
from perftrack.store import Database, find_project
from tests.support.databases import kept_evidence

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sample_data" / "shanghai_2024_declarations.txt"
OPS = "信息化运维项目"

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(db_url: str, capsys: pytest.CaptureFixture[str]) -> Run:
    """main() with the scoring commands registered, on a database holding the seed forms."""
    db = db_url

    def run(*args: object) -> tuple[int, str, str]:
        code = cli.main(["--db", db, *(str(a) for a in args)])
        out, err = capsys.readouterr()
        return code, out, err

    assert run("import", SEED)[0] == 0
    return run


def score_json(run: Run, *args: str) -> dict[str, Any]:
    code, out, err = run("score", *args, "--json")
    assert code == 0, err
    projects = json.loads(out)["projects"]
    assert len(projects) == 1
    return projects[0]


def test_the_published_budget_example(run: Run) -> None:
    code, out, _ = run("budget", "项目管理费", "215,457.60", "--full-year-budget", "250,000.00")
    assert code == 0
    assert out.strip() == (
        "「项目管理费」全年预算数 250,000.00 元，全年执行数 215,457.60 元，执行率 86.18%，得分 8.62/10"
    )
    budget = score_json(run, "项目管理费")["budget"]
    # 215,457.60 / 250,000.00 = 86.18304 % → 86.18 (half up); 86.18 % × 10 = 8.618 → 8.62
    assert budget == {
        "initial_budget": "2596000.00",
        "full_year_budget": "250000.00",
        "executed": "215457.60",
        "rate": "86.18",
        "points": "10.00",
        "score": "8.62",
    }


def record_the_year(run: Run) -> None:
    """A year of 信息化运维项目, entered as staff would."""
    for period, value in (("Q1", 8), ("Q2", 7), ("Q3", 9), ("Q4", 8)):
        assert run("record", "信息化运维", "升级接口", value, "--period", period)[0] == 0
    steps: list[tuple[object, ...]] = [
        ("record", OPS, "功能点", "9", "--period", "YEAR"),
        ("rollup", OPS, "累计整合数据量", "latest"),  # staff enter the running total
        ("record", OPS, "累计整合数据量", "30000", "--period", "Q2"),
        ("record", OPS, "累计整合数据量", "62000", "--period", "Q4"),
        ("record", OPS, "数据规范程度", "达成", "--period", "YEAR"),
        ("record", OPS, "数据可共享程度", "部分达成", "--percent", "75", "--period", "YEAR"),
        ("record", OPS, "数据安全程度", "未达成", "--period", "YEAR"),
        ("record", OPS, "故障解决时间", "90分钟", "--note", "全年平均", "--period", "YEAR"),
        ("record", OPS, "提升服务", "达成", "--percent", "90", "--period", "YEAR"),
        ("record", OPS, "用户满意度", "95%", "--period", "YEAR"),
        ("budget", OPS, "200,000", "--period", "Q1"),
        ("budget", OPS, "210000", "--period", "Q2"),
        ("budget", OPS, "22万元", "--period", "Q3"),
        ("budget", OPS, "228000", "--period", "Q4"),
    ]
    for step in steps:
        code, _, err = run(*step)
        assert code == 0, (step, err)


def test_a_seed_project_scored_end_to_end(run: Run) -> None:
    record_the_year(run)
    p = score_json(run, OPS)
    # Outputs have 7 indicators sharing 50 points: 5000 cents / 7 = 714 r 2, so the first two get
    # 7.15 and the other five 7.14; benefits (1 indicator) 30; satisfaction (1) 10.
    rows = {
        i["name"]: (i["actual"], i["ratio"], i["points"], i["score"], i["needs_explanation"]) for i in p["indicators"]
    }
    assert rows == {
        # 8 + 7 + 9 + 8 = 32 ≥ 30: full; ratio 32/30
        "升级接口": ("32", "1.0667", "7.15", "7.15", False),
        # 9 of ≥12: 7.15 × 9/12 = 5.3625 → 5.36
        "完善和新增功能点": ("9", "0.7500", "7.15", "5.36", True),
        # roll-up "latest": Q4's 62000 (not 92000) ≥ 60000
        "累计整合数据量": ("62000", "1.0333", "7.14", "7.14", False),
        # achieved, default 100 %
        "数据规范程度": ("achieved", None, "7.14", "7.14", False),
        # partly achieved at 75 %: 7.14 × 0.75 = 5.355 → 5.36 (half up)
        "数据可共享程度": ("partly", None, "7.14", "5.36", True),
        # not achieved, default 30 %: 7.14 × 0.3 = 2.142 → 2.14
        "数据安全程度": ("not_achieved", None, "7.14", "2.14", True),
        # 90 分钟 = 1.5 小时 ≤ 2: full; reverse ratio 2 / 1.5
        "故障解决时间": ("1.5", "1.3333", "7.14", "7.14", False),
        # achieved at 90 %: 30 × 0.9 = 27
        "提升服务科技企业创新质量": ("achieved", None, "30.00", "27.00", True),
        # 95 % ≥ 90 %: full
        "用户满意度": ("95", "1.0556", "10.00", "10.00", False),
    }
    # Q1–Q4 spending 858,000 of the declared 903,080.00: 95.0082 % → 95.01 % → 9.501 → 9.50
    assert p["budget"]["executed"] == "858000.00" and p["budget"]["rate"] == "95.01"
    assert p["budget"]["score"] == "9.50"
    # 7.15 + 5.36 + 7.14 + 7.14 + 5.36 + 2.14 + 7.14 + 27.00 + 10.00 = 78.43; + 9.50 = 87.93
    assert (p["total"], p["grade"], p["grade_code"]) == ("87.93", "良", "good")
    assert p["as_of"] == "YEAR" and p["problems"] == []
    by_name = {i["name"]: i for i in p["indicators"]}
    assert by_name["数据安全程度"]["actual_display"] == "未达成年度指标且效果较差（30%）"
    assert by_name["数据可共享程度"]["status"] == "at_risk"
    assert by_name["升级接口"]["target"] == "≥30.00(个)" and by_name["升级接口"]["level2"] == "数量指标"
    expected_keys = {"name", "level1", "level2", "target", "actual", "ratio", "points", "score", "status"}
    assert expected_keys | {"needs_explanation"} <= set(by_name["升级接口"])

    code, out, _ = run("score", OPS)
    assert code == 0
    assert "总分 87.93  等级 良" in out and "执行率 95.01%  得分 9.50/10.00" in out
    listed = out.split("需填写偏差原因分析的指标（*）：")[1]
    for name in ("完善和新增功能点", "数据可共享程度", "数据安全程度", "提升服务科技企业创新质量"):
        assert f"    {name}：" in listed
    assert "升级接口" not in listed

    # The explanation takes an indicator off the list; a deduction lowers the total and the grade.
    assert run("explain", OPS, "功能点", "--reason", "供应商延期", "--measures", "约定里程碑")[0] == 0
    assert run("deduct", OPS, "提升服务", "10", "--reason", "目标设置偏低")[0] == 0
    assert run("grades", "shanghai")[0] == 0
    p = score_json(run, OPS)
    service = next(i for i in p["indicators"] if i["name"] == "提升服务科技企业创新质量")
    assert (service["score"], service["deduction"]) == ("17.00", "10.00")  # 27.00 − 10.00
    assert (p["total"], p["grade"]) == ("77.93", "合格")  # 87.93 − 10; 60 ≤ 77.93 < 80
    function_points = next(i for i in p["indicators"] if i["name"] == "完善和新增功能点")
    assert (function_points["deviation_reason"], function_points["measures"]) == ("供应商延期", "约定里程碑")
    assert run("grades", "national")[0] == 0
    assert score_json(run, OPS)["grade"] == "中"


def test_as_of_sets_the_progress_period_not_the_score(run: Run) -> None:
    for period, value in (("Q1", 8), ("Q2", 5)):
        run("record", OPS, "升级接口", value, "--period", period)
    q1 = score_json(run, OPS, "--as-of", "Q1")
    q2 = score_json(run, OPS, "--as-of", "二季度")
    assert score_json(run, OPS)["as_of"] == "Q2"  # by default the latest period recorded
    first = {p["as_of"]: next(i for i in p["indicators"] if i["name"] == "升级接口") for p in (q1, q2)}
    # by Q1 30 × 3/12 = 7.5 was expected and 8 done: on track;
    # by Q2 15 was expected and 13 done, within 15 % (12.75): at risk
    assert (first["Q1"]["status"], first["Q2"]["status"]) == ("on_track", "at_risk")
    # the score is the year's: 13 of 30 → 7.15 × 13/30 = 3.0983 → 3.10, whatever the as-of period
    assert first["Q1"]["score"] == first["Q2"]["score"] == "3.10"
    code, _, err = run("score", OPS, "--as-of", "13月")
    assert code == 2 and "无法识别的填报期间" in err


def test_points_that_do_not_add_up_are_reported(run: Run) -> None:
    code, out, err = run("points", OPS, "升级接口", "20")
    assert code == 0 and out.strip() == "已设置「升级接口」分值：20"
    # only one set: the other six outputs share 50 − 20 = 30, so the total stays 90
    assert err == ""
    for name in ("功能点", "累计整合", "数据规范", "数据可共享", "数据安全", "故障", "提升服务", "用户满意度"):
        assert run("points", OPS, name, "10")[0] == 0
    code, _, err = run("points", OPS, "用户满意度", "5")
    assert code == 0
    # 20 + 7 × 10 + 5 = 95
    assert err.strip() == "注意：各指标分值合计为 95.00，应为 90"
    assert run("points", OPS, "用户满意度", "abc")[0] == 2


def test_a_deduction_without_a_reason_is_refused(run: Run, tmp_path: Path) -> None:
    code, _, err = run("deduct", OPS, "用户满意度", "2")
    assert code == 2 and err.strip() == "指标「用户满意度」：人工扣分 2 分必须注明理由"
    code, out, _ = run("deduct", OPS, "用户满意度", "2", "--reason", "样本偏少")
    assert code == 0 and "样本偏少" in out
    assert next(i for i in score_json(run, OPS)["indicators"] if i["name"] == "用户满意度")["deduction"] == "2.00"
    assert run("deduct", OPS, "用户满意度", "clear")[0] == 0
    assert next(i for i in score_json(run, OPS)["indicators"] if i["name"] == "用户满意度")["deduction"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("record", OPS, "升级接口", "5", "--period", "M05"), "按季度填报，不能填报5月（M05）"),
        (("record", OPS, "升级接口", "五个"), "不是有效的数值"),
        (("record", "没有这个项目", "升级接口", "5"), "没有找到"),
        (("record", OPS, "数据", "达成"), "有 4 个指标与「数据」相符"),
        (("record", OPS, "数据安全", "达成", "--percent", "50"), "80%–100%"),
        (("budget", OPS, "很多"), "不是有效的数值"),
        (("budget", OPS), "请填写执行金额"),
        (("reporting", OPS, "yearly"), "无法识别的填报周期"),
        (("rollup", OPS, "数据安全", "sum"), "只能按定性评价"),
    ],
)
def test_user_errors_exit_2_with_a_chinese_message(run: Run, args: tuple[str, ...], message: str) -> None:
    code, out, err = run(*args)
    assert code == 2 and out == ""
    assert message in err


def test_evidence_is_attached_and_a_missing_file_writes_nothing(run: Run, tmp_path: Path, db_url: str) -> None:
    proof = tmp_path / "验收单.pdf"
    proof.write_bytes(b"%PDF-1.4")
    code, out, _ = run("record", OPS, "升级接口", "8", "--period", "Q1", "--evidence", proof, "--evidence", proof)
    assert code == 0
    saved = [line.split("：", 1)[1] for line in out.splitlines() if line.startswith("证明材料已保存")]
    assert [Path(p).name for p in saved] == ["验收单.pdf", "验收单 (2).pdf"]
    kept = kept_evidence(db_url, paths.evidence_dir(db_url))
    assert sorted(Path(name).name for name in kept) == ["验收单 (2).pdf", "验收单.pdf"]
    assert set(kept.values()) == {b"%PDF-1.4"}
    code, _, err = run("record", OPS, "功能点", "3", "--evidence", proof, "--evidence", tmp_path / "nope.pdf")
    assert code == 2 and "nope.pdf" in err
    rows = {i["name"]: i["actual"] for i in score_json(run, OPS)["indicators"]}
    assert rows["升级接口"] == "8" and rows["完善和新增功能点"] is None  # the refused action left nothing
    assert kept_evidence(db_url, paths.evidence_dir(db_url)) == kept  # not even a copy of the first file


def test_reporting_switch_and_monthly_values(run: Run, db_url: str) -> None:
    assert run("reporting", OPS, "monthly")[0] == 0
    assert run("record", OPS, "升级接口", "3", "--period", "M05")[0] == 0
    assert run("budget", OPS, "1000", "--period", "5月")[0] == 0
    code, _, err = run("record", OPS, "升级接口", "3", "--period", "Q2")
    assert code == 2 and "按月填报" in err
    db = Database.open(db_url)
    try:
        with db.session() as s:
            project = find_project(s, OPS)
            assert project.reporting == "monthly"
            assert [(b.period, b.amount) for b in project.budget_executions] == [("M05", 1000)]
    finally:
        db.close()


def test_score_of_every_project_and_an_empty_database(run: Run, tmp_path: Path) -> None:
    code, out, _ = run("score", "--json")
    assert code == 0
    projects = json.loads(out)["projects"]
    assert len(projects) == 13
    # nothing recorded yet: every indicator 0, the budget 0 (no executed figure), grade 差
    assert {p["total"] for p in projects} == {"0.00"}
    assert {p["grade"] for p in projects} == {"差"}
    assert "缺少全年执行数，预算执行率按0分计" in projects[0]["problems"]
    code, out, _ = run("score", "--db", tmp_path / "empty.db")
    assert code == 0 and out == "数据库中还没有项目。用 perftrack import 文件 导入申报表。\n"


def test_monitoring_columns_through_the_cli(run: Run, db_url: str) -> None:
    code, out, _ = run(
        "monitor",
        OPS,
        "功能点",
        "--expected",
        "11",
        "--chance",
        "有可能",
        "--cause",
        "人员保障",
        "--measure",
        "增加开发人员",
    )
    assert code == 0 and "运行监控" in out
    code, _, err = run("monitor", OPS, "功能点", "--chance", "也许")
    assert code == 2 and "确定能 / 有可能 / 完全不可能" in err
    assert run("monitor", OPS, "功能点")[0] == 2  # nothing to set is a mistake, not a no-op
    db = Database.open(db_url)
    try:
        from perftrack.store.evaluation import evaluate_project

        with db.session() as session:
            evaluation = evaluate_project(find_project(session, OPS))
    finally:
        db.close()
    ie = next(
        ie for ie, s in zip(evaluation.indicators, evaluation.score.indicators, strict=True) if "功能点" in s.name
    )
    assert (ie.monitor_expected, ie.monitor_chance, ie.monitor_cause, ie.monitor_measure) == (
        Decimal("11"),
        "有可能",
        "人员保障",
        "增加开发人员",
    )
    _, history, _ = run("history", OPS, "功能点")
    assert "完成可能性：（空） → 有可能" in history


def test_score_summary_lists_every_project_on_a_line(run: Run) -> None:
    record_the_year(run)
    code, out, _ = run("score", "--summary")
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 13
    (ops,) = [line for line in lines if OPS in line]
    assert "87.93  良" in ops
    assert sum("未评" in line for line in lines) == 12  # nothing recorded for the others yet

    code, out, _ = run("score", "--summary", "--json")
    rows = json.loads(out)["projects"]
    full = json.loads(run("score", "--json")[1])["projects"]
    assert [(r["name"], r["total"], r["grade"]) for r in rows] == [(p["name"], p["total"], p["grade"]) for p in full]
    (ops_row,) = [r for r in rows if r["name"] == OPS]
    assert ops_row["scored"] and ops_row["status_label"]
    # Counted as the full evaluation counts them, at the same progress period.
    (ops_full,) = [p for p in full if p["name"] == OPS]
    statuses = [i["status"] for i in ops_full["indicators"]]
    assert ops_row["off_track"] == statuses.count("off_track")
    assert ops_row["no_actual"] == statuses.count("no_actual")

    code, out, _ = run("score", OPS, "--summary", "--as-of", "Q1")
    assert code == 0 and len(out.strip().splitlines()) == 1 and "87.93" in out


def test_score_of_every_project_is_printed_in_batches_as_one_document(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scored and printed a few projects at a time, the output is the same as all at once."""
    from perftrack.cli import scoring

    record_the_year(run)
    whole = {flag: run("score", *flag)[1] for flag in ((), ("--json",))}
    monkeypatch.setattr(scoring, "SCORE_BATCH", 2)  # 13 projects: seven batches
    for flag in ((), ("--json",)):
        code, out, _ = run("score", *flag)
        assert code == 0 and out == whole[flag]
    data = json.loads(whole[("--json",)])
    assert len(data["projects"]) == 13
    # Byte for byte what json.dump of the whole document writes.
    assert whole[("--json",)] == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    blocks = whole[()].rstrip("\n").split("\n\n")
    assert len(blocks) >= 13 and OPS in whole[()]


def test_a_mid_year_summary_is_marked_a_trial(tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Before the year's figures are in, `score --summary` says its totals are trials (试算), as the outputs do."""
    import datetime as dt

    this_year = str(dt.date.today().year)
    source = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"
    forms = tmp_path / "this_year.txt"
    forms.write_text(source.read_text(encoding="utf-8").replace("2024", this_year), encoding="utf-8")
    db = db_url
    assert cli.main(["import", str(forms), "--db", db]) == 0
    assert cli.main(["record", "项目管理费", "工作完成率", "40%", "--period", "Q1", "--db", db]) == 0
    capsys.readouterr()
    assert cli.main(["score", "--summary", "--json", "--db", db]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)["projects"]}
    assert rows["项目管理费"]["stage"] == "monitoring"
    assert cli.main(["score", "--summary", "--db", db]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if "项目管理费" in line)
    assert "（试算）" in line
    assert cli.main(["score", "--summary", "--as-of", "YEAR", "--json", "--db", db]) == 0
    assert {r["name"]: r for r in json.loads(capsys.readouterr().out)["projects"]}["项目管理费"]["stage"] == "year_end"
