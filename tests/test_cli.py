"""The command line as scripts use it: real files, a real database (an SQLite file in a temp folder,
or a PostgreSQL database with ``--backend postgresql``)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from perftrack.cli import main
from tests.support.databases import count_rows, untouched

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sample_data" / "shanghai_2024_declarations.txt"


@pytest.fixture
def db(tmp_path, monkeypatch, db_url):
    monkeypatch.setenv("PERFTRACK_DATA_DIR", str(tmp_path / "data"))
    return db_url


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_dry_run_json_prints_and_touches_nothing(capsys, db):
    code, out, _ = run(capsys, "import", SEED, "--dry-run", "--json", "--db", db)
    assert code == 0
    data = json.loads(out)
    assert len(data["projects"]) == 13
    assert sum(len(p["indicators"]) for p in data["projects"]) == 195
    p = next(p for p in data["projects"] if p["name"] == "开展科技金融工作及服务")
    assert p["funds"]["annual_total"] == "3890000.00" and p["funds"]["project_total"] is None
    assert p["start"] == "2024-01-01" and p["year"] == 2024
    loan = next(i for i in p["indicators"] if i["name"] == "科技金融产品年贷款额")
    assert loan == {
        "level1": "效益指标",
        "level2": "经济效益指标",
        "name": "科技金融产品年贷款额",
        "target": {
            "raw": "≥55.00 (亿元)",
            "op": ">=",
            "value": "55.00",
            "unit": "亿元",
            "kind": "quantitative",
            "inferred": False,
        },
        "points": None,  # a weight (分值) the form declares; the seed's forms declare none
    }
    assert {"file", "line", "message"} <= set(data["problems"][0])
    assert untouched(db)


def test_import_then_show_gives_the_same_json(capsys, db):
    assert run(capsys, "import", SEED, "--db", db)[0] == 0
    _, out, _ = run(capsys, "import", SEED, "--dry-run", "--json")
    parsed = {p["name"]: p for p in json.loads(out)["projects"]}
    code, out, _ = run(capsys, "show", "信息化运维", "--json", "--db", db)
    assert code == 0
    shown = json.loads(out)
    # beside the declaration, the unit's own 实际完成情况 (perftrack goal), none written yet
    assert shown.pop("goal_achieved") is None
    assert shown == parsed["信息化运维项目"]


def test_reimport_updates_in_place(capsys, db):
    run(capsys, "import", SEED, "--db", db)
    before = (count_rows(db, "project"), count_rows(db, "indicator"))
    code, out, _ = run(capsys, "import", SEED, "--db", db)
    assert code == 0 and "未变 13" in out
    assert (count_rows(db, "project"), count_rows(db, "indicator")) == before == (13, 195)


def test_projects_json(capsys, db):
    run(capsys, "import", SEED, "--db", db)
    code, out, _ = run(capsys, "projects", "--json", "--db", db)
    rows = json.loads(out)["projects"]
    assert code == 0 and len(rows) == 13
    assert {"name": "信息化运维项目", "indicators": 9, "annual_total": "903080.00"}.items() <= next(
        r for r in rows if r["name"] == "信息化运维项目"
    ).items()


def test_db_from_environment(capsys, tmp_path, monkeypatch, db_url, backend):
    target = tmp_path / "env.db"
    monkeypatch.setenv("PERFTRACK_DB", str(target) if backend == "sqlite" else db_url)
    assert run(capsys, "import", SEED)[0] == 0
    assert count_rows(f"sqlite:///{target}" if backend == "sqlite" else db_url, "project") == 13


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "空的"), (b"\x00\x01\x02binary", "二进制"), ("没有表格".encode(), "没有找到申报表")],
)
def test_bad_input_exits_2_with_one_line_naming_the_file_and_writes_nothing(capsys, db, tmp_path, content, words):
    run(capsys, "import", SEED, "--db", db)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    code, _, err = run(capsys, "import", SEED, bad, "--db", db)
    assert code == 2
    last = err.strip().splitlines()[-1]
    assert str(bad) in last and words in last and "Traceback" not in err
    assert count_rows(db, "project") == 13


def test_missing_file(capsys, db):
    code, _, err = run(capsys, "import", "/nonexistent/forms.txt", "--db", db)
    assert code == 2 and "/nonexistent/forms.txt" in err and "不存在" in err


def test_form_without_indicator_table_keeps_its_header_and_says_so(capsys, db, tmp_path):
    # a sheet cut off before its table (a web excerpt) still names the project: read, with a warning
    cut = tmp_path / "cut.txt"
    cut.write_text("\n".join(SEED.read_text(encoding="utf-8").split("\n")[:17]), encoding="utf-8")
    code, _, err = run(capsys, "import", cut, "--db", db)
    assert code == 0 and f"{cut}:5: 警告" in err and "没有绩效指标表" in err
    code, out, _ = run(capsys, "projects", "--db", db)
    assert code == 0 and "孵化基地运营及创业孵化服务支出" in out


def test_show_unknown_and_ambiguous(capsys, db):
    run(capsys, "import", SEED, "--db", db)
    code, _, err = run(capsys, "show", "不存在的项目", "--db", db)
    assert code == 2 and "不存在的项目" in err
    code, _, err = run(capsys, "show", "信息化", "--db", db)
    assert code == 2 and "信息化建设项目" in err and "信息化运维项目" in err


def test_db_that_is_not_a_database(capsys, tmp_path):
    fake = tmp_path / "fake.db"
    fake.write_text("hello, not sqlite")
    code, _, err = run(capsys, "projects", "--db", fake)
    assert code == 2 and str(fake) in err and "Traceback" not in err


def test_console_script_runs(tmp_path):
    exe = shutil.which("perftrack", path=str(Path(sys.executable).parent))
    assert exe, "the perftrack console script is installed with the package"
    proc = subprocess.run(
        [exe, "import", str(SEED), "--dry-run"], capture_output=True, text=True, encoding="utf-8", timeout=120
    )
    assert proc.returncode == 0 and "共 13 个项目，195 个指标" in proc.stdout


def test_layer_contracts_hold():
    exe = Path(sys.executable).parent / "lint-imports"
    proc = subprocess.run([str(exe)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_reader_that_goes_away_gets_no_traceback():
    exe = shutil.which("perftrack", path=str(Path(sys.executable).parent))
    # `perftrack import … --dry-run --json | head -1`: the reader closes the pipe after one line,
    # long before the ~0.4 MB of JSON is written (a pipe holds 64 KB)
    command = [exe, "import", *[str(SEED)] * 4, "--dry-run", "--json"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.readline()
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 1
    assert b"Traceback" not in err
