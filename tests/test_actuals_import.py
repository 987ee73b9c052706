"""Importing actuals from CSV and XLSX files: all rows or none, with the bad rows named."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

import perftrack.cli as cli
from perftrack.importers import read_declarations
from perftrack.importers.actuals_table import ActualsTableError, read_actuals_table
from perftrack.store import Actual, Audit, Database, find_indicator, find_project
from perftrack.store.actuals import RecordError, get_actual, record_actual
from perftrack.store.actuals_import import import_actuals
from perftrack.store.upsert import import_declarations

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"
OPS = "信息化运维项目"
HEADER = "项目名称,三级指标,期间,实际值,说明\n"


@pytest.fixture
def db(database: Database) -> Database:
    with database.session() as session:
        import_declarations(session, read_declarations([SEED]).declarations, user="loader")
    return database


def actuals(db: Database) -> dict[tuple[str, str], tuple[Decimal | None, str | None, str | None]]:
    """(indicator, period) → (value, tier, note) of everything recorded."""
    with db.session() as s:
        rows = s.scalars(select(Actual)).all()
        return {(a.indicator.name, a.period): (a.value, a.tier, a.note) for a in rows}


def run_import(db: Database, path: Path):
    """Read the table as the command does, then record it; a file that cannot be read raises ActualsTableError."""
    table = read_actuals_table(path)
    with db.session() as s:
        return import_actuals(s, table, user="importer")


def test_a_utf8_csv_with_bom_is_recorded_and_audited(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "actuals.csv"
    text = (
        HEADER + f"{OPS},升级接口,Q1,8,\n"
        f"{OPS},升级接口,第二季度,7,含一个临时接口\n"
        "\n"
        f"信息化运维,故障解决时间,全年,90分钟,\n"
        f"{OPS},数据规范程度,YEAR,达成,\n"
        '科技金融,科技金融产品年贷款额,YEAR,"1,200,000,000元",\n'
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    count = run_import(db, path)
    assert (count.rows, count.recorded, count.skipped) == (5, 5, 0)
    assert count.projects == ["信息化运维项目", "开展科技金融工作及服务"]
    assert actuals(db) == {
        ("升级接口", "Q1"): (Decimal(8), None, None),
        ("升级接口", "Q2"): (Decimal(7), None, "含一个临时接口"),
        ("故障解决时间", "YEAR"): (Decimal("1.5"), None, None),
        ("数据规范程度", "YEAR"): (None, "achieved", None),
        ("科技金融产品年贷款额", "YEAR"): (Decimal(12), None, None),
    }
    with db.session() as s:
        entries = s.scalars(select(Audit).where(Audit.user == "importer")).all()
        assert len(entries) == 7  # five values as typed, one tier and one note
        assert {e.action for e in entries} == {"import"}
        assert all(e.summary.endswith("（导入自 actuals.csv）") for e in entries)


def test_a_gbk_csv_with_english_headers(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    text = "Project, Indicator ,PERIOD,Value,Note,Percent\n" + f"{OPS},数据可共享程度,Q2,部分达成,抽查,75\n"
    path.write_bytes(text.encode("gbk"))
    assert run_import(db, path).recorded == 1
    with db.session() as s:
        actual = get_actual(find_indicator(find_project(s, OPS), "数据可共享程度"), "Q2")
        assert actual is not None and (actual.tier, actual.tier_percent, actual.note) == (
            "partly",
            Decimal(75),
            "抽查",
        )


def test_one_bad_row_imports_nothing_and_names_the_row(db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        record_actual(s, find_indicator(find_project(s, OPS), "升级接口"), "Q1", "5")
    path = tmp_path / "actuals.csv"
    path.write_text(
        HEADER + f"{OPS},升级接口,Q1,8,\n"
        f"{OPS},升级接口,Q2,7,\n"
        "开展科技金融工作及服务,贷款额,YEAR,35人,\n"
        f"{OPS},升级接口,M05,3,\n",
        encoding="utf-8",
    )
    with pytest.raises(RecordError) as err:
        run_import(db, path)
    message = str(err.value)
    assert message.startswith(f"{path}：2 行有误，未导入任何内容")
    assert "第 4 行：指标「科技金融产品年贷款额」全年：“35人”无法记录，单位“人”不能换算为“亿元”" in message
    assert "第 5 行：" in message and "按季度填报" in message
    assert "第 2 行" not in message and "第 3 行" not in message
    assert actuals(db) == {("升级接口", "Q1"): (Decimal(5), None, None)}  # the earlier value stands


def test_lookup_errors_duplicates_and_blank_cells_are_row_errors(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "actuals.csv"
    path.write_text(
        HEADER + f"{OPS},升级接口,Q1,8,\n"
        "不存在的项目,升级接口,Q1,8,\n"
        f"{OPS},数据,Q1,达成,\n"
        f"{OPS},升级接口,q1,9,\n"
        f"{OPS},升级接口,,9,\n"
        f",升级接口,Q2,9,\n",
        encoding="utf-8",
    )
    with pytest.raises(RecordError) as err:
        run_import(db, path)
    lines = str(err.value).splitlines()
    assert lines[1].startswith("第 3 行：没有找到") and "不存在的项目" in lines[1]
    assert lines[2].startswith("第 4 行：有 4 个指标与「数据」相符") and "累计整合数据量" in lines[2]
    assert lines[3] == "第 5 行：与第 2 行是同一指标、同一期间，请只保留一行"
    assert lines[4].startswith("第 6 行：指标「升级接口」的期间为空")
    assert lines[5] == "第 7 行：项目名称为空"
    assert actuals(db) == {}


def test_at_most_twenty_errors_are_listed(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text(HEADER + "".join(f"{OPS},升级接口,Q1,x{i},\n" for i in range(25)), encoding="utf-8")
    with pytest.raises(RecordError) as err:
        run_import(db, path)
    lines = str(err.value).splitlines()
    assert len(lines) == 22 and lines[-1] == "……另有 5 行有误"
    assert lines[20].startswith("第 21 行：")


def test_a_note_without_a_value_keeps_the_value_and_blank_rows_are_skipped(db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        record_actual(s, find_indicator(find_project(s, OPS), "升级接口"), "Q1", "8")
    path = tmp_path / "notes.tsv"
    path.write_text(
        "project\tindicator\tperiod\tvalue\tnote\n"
        + f"{OPS}\t升级接口\tQ1\t\t按合同验收\n"
        + f"{OPS}\t功能点\tQ1\t\t\n",
        encoding="utf-8",
    )
    count = run_import(db, path)
    assert (count.recorded, count.skipped) == (1, 1)
    assert actuals(db) == {("升级接口", "Q1"): (Decimal(8), None, "按合同验收")}


def test_without_a_period_column_values_are_the_year_end(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "year.csv"
    path.write_text(f"项目名称,三级指标,实际完成值（全年）\n{OPS},用户满意度,96%\n", encoding="utf-8")
    assert run_import(db, path).recorded == 1
    assert actuals(db) == {("用户满意度", "YEAR"): (Decimal(96), None, None)}


def test_a_file_without_a_header_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "no_header.csv"
    path.write_text(f"{OPS},升级接口,Q1,8\n", encoding="utf-8")
    with pytest.raises(ActualsTableError, match="没有找到表头"):
        run_import(db, path)


def test_an_xlsx_actuals_file(db: Database, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["2024年实际完成值"])  # a title row above the header
    sheet.append(["项目名称", "三级指标", "期间", "实际值", "说明"])
    sheet.append([OPS, "升级接口", "Q1", 8, None])
    sheet.append([OPS, "故障解决时间", "YEAR", 1.5, "平均值"])
    sheet.append([OPS, "用户满意度", "YEAR", 0.955, None])
    sheet["D5"].number_format = "0.0%"  # typed as 95.5 % in Excel
    sheet.append([OPS, "提升服务", "YEAR", "达成", None])
    workbook.create_sheet("其他").append(["项目名称", "三级指标", "期间", "实际值"])
    path = tmp_path / "actuals.xlsx"
    workbook.save(path)
    count = run_import(db, path)
    assert count.recorded == 4
    assert actuals(db) == {
        ("升级接口", "Q1"): (Decimal(8), None, None),
        ("故障解决时间", "YEAR"): (Decimal("1.5"), None, "平均值"),
        ("用户满意度", "YEAR"): (Decimal("95.5"), None, None),
        ("提升服务科技企业创新质量", "YEAR"): (None, "achieved", None),
    }


def test_an_xlsx_with_a_bad_row_names_the_sheet_row(db: Database, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["project", "indicator", "period", "value"])
    sheet.append([OPS, "升级接口", "Q1", 8])
    sheet.append([OPS, "升级接口", "Q2", "八个"])
    path = tmp_path / "bad_row.xlsx"
    workbook.save(path)
    with pytest.raises(RecordError, match=r"第 3 行：指标「升级接口」第二季度（Q2）：“八个”不是有效的数值"):
        run_import(db, path)
    assert actuals(db) == {}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("garbage.xlsx", b"this is not a workbook"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64),
    ],
)
def test_broken_workbooks_are_refused_naming_the_file(db: Database, tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ActualsTableError) as err:
        run_import(db, path)
    assert str(path) in str(err.value)


def test_a_zip_that_is_not_a_workbook_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "notes.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ActualsTableError, match=r"不是有效的 \.xlsx 工作簿"):
        run_import(db, path)
    missing = tmp_path / "missing.csv"
    with pytest.raises(ActualsTableError, match="文件不存在"):
        run_import(db, missing)


def test_the_cli_imports_and_reports_bad_rows_with_exit_2(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_file = db.url.removeprefix("sqlite:///")
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(HEADER + f"{OPS},升级接口,Q1,8,\n{OPS},功能点,Q1,3,\n", encoding="utf-8")
    bad.write_text(HEADER + f"{OPS},升级接口,Q2,八,\n", encoding="utf-8")
    assert cli.main(["actuals", "import", str(bad), "--db", db_file]) == 2
    _, err = capsys.readouterr()
    assert "第 2 行" in err and "未导入任何内容" in err
    assert cli.main(["actuals", "import", str(good), "--db", db_file]) == 0
    out, _ = capsys.readouterr()
    assert out.strip() == f"已从 {good} 导入 2 行实际值（1 个项目）"
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Actual)) == 2


# -- the bulk write: the same rows and audit trail as recording one value at a time ------------------


def _trail(db: Database) -> list[tuple[object, ...]]:
    """Every actual and every audit row but the form import's, without ids and times."""
    with db.session() as s:
        values = sorted(
            (a.indicator.name, a.period, a.value, a.value_text, a.unit, a.tier, a.tier_percent, a.note, a.updated_by)
            for a in s.scalars(select(Actual))
        )
        audits = sorted(
            (e.user, e.action, e.entity, e.project_id, e.indicator_id, e.period, e.field, e.old, e.new, e.summary)
            for e in s.scalars(select(Audit).where(Audit.user != "loader"))
        )
        ids_match = all(
            e.entity_id
            == s.scalar(select(Actual.id).where(Actual.indicator_id == e.indicator_id, Actual.period == e.period))
            for e in s.scalars(select(Audit).where(Audit.user != "loader"))
        )
    return [values, audits, ids_match]


def test_the_bulk_import_writes_what_recording_row_by_row_writes(database: Database, tmp_path: Path) -> None:
    """Each value, note, tier and share as ``write_actual`` stores it, one audit row per changed field
    with the same words, over values already recorded (changed, unchanged, a note kept)."""
    from perftrack.store.actuals import Entry, prepare_actual, write_actual
    from perftrack.store.database import open_database

    rows = [
        (OPS, "升级接口", "Q1", "9", "补录"),  # changes a recorded 8 and adds a note
        (OPS, "升级接口", "Q2", "7", ""),  # new
        (OPS, "功能点", "Q1", "", "按合同验收"),  # a note alone over a recorded value
        (OPS, "故障解决时间", "Q2", "90分钟", ""),  # converted: audited with 折合
        (OPS, "数据规范程度", "YEAR", "部分达成", ""),
        (OPS, "用户满意度", "Q1", "96%", "抽样"),  # the same value as recorded: only the note changes
        ("开展科技金融工作及服务", "科技金融产品年贷款额", "YEAR", "1200000000元", ""),
    ]
    path = tmp_path / "actuals.csv"
    path.write_text(HEADER + "".join(",".join(row) + "\n" for row in rows), encoding="utf-8")
    results = []
    for how in ("bulk", "row by row"):
        url = f"sqlite:///{(tmp_path / f'{how}.db').as_posix()}"
        with open_database(url) as db:
            with db.session() as s:
                import_declarations(s, read_declarations([SEED]).declarations, user="loader")
            with db.session() as s:
                project = find_project(s, OPS)
                record_actual(s, find_indicator(project, "升级接口"), "Q1", "8", user="amy")
                record_actual(s, find_indicator(project, "功能点"), "Q1", "3", user="amy")
                record_actual(s, find_indicator(project, "用户满意度"), "Q1", "96%", user="amy")
            with db.session() as s:
                if how == "bulk":
                    assert import_actuals(s, read_actuals_table(path), user="importer").recorded == len(rows)
                else:
                    for name, indicator_name, period, value, note in rows:
                        indicator = find_indicator(find_project(s, name), indicator_name)
                        entry = prepare_actual(indicator, period, value) if value else Entry(period)
                        write_actual(
                            s,
                            indicator,
                            entry,
                            note=note or None,
                            keep_value=not value,
                            user="importer",
                            action="import",
                            source=f"（导入自 {path.name}）",
                        )
            results.append(_trail(db))
    assert results[0] == results[1]
    _, audits, ids_match = results[0]
    assert ids_match  # each audit row names the actual it changed
    imported = [a for a in audits if a[0] == "importer"]
    assert len(imported) == 9 and {a[1:3] for a in imported} == {("import", "actual")}
    assert any(a[-1].endswith("（折合 1.5小时）（导入自 actuals.csv）") for a in imported)


def test_a_row_in_an_approved_period_is_refused_with_its_row(db: Database, tmp_path: Path) -> None:
    from perftrack.store.schema import PeriodReview

    with db.session() as s:
        project = find_project(s, OPS)
        record_actual(s, find_indicator(project, "升级接口"), "Q1", "8")
        s.add(PeriodReview(project_id=project.id, period="Q1", status="approved", updated_by="boss"))
    path = tmp_path / "locked.csv"
    path.write_text(
        HEADER + f"{OPS},升级接口,Q1,8,\n"  # what is recorded already: no change, no refusal
        f"{OPS},升级接口,Q2,7,\n"
        f"{OPS},功能点,Q1,3,\n",
        encoding="utf-8",
    )
    with pytest.raises(RecordError) as err:
        run_import(db, path)
    lines = str(err.value).splitlines()
    assert lines[0].endswith("1 行有误，未导入任何内容：")
    assert (
        lines[1].startswith("第 4 行：指标「完善和新增功能点」：项目「信息化运维项目」第一季度（Q1）已由 boss")
        and "锁定" in lines[1]
    )
    assert actuals(db) == {("升级接口", "Q1"): (Decimal(8), None, None)}


def test_values_that_look_like_a_slip_are_recorded_with_a_warning(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "slips.csv"
    path.write_text(
        HEADER + f"{OPS},用户满意度,Q1,0.95,\n{OPS},升级接口,Q1,-2,\n{OPS},功能点,Q1,3,\n", encoding="utf-8"
    )
    count = run_import(db, path)
    assert count.recorded == 3
    assert count.warnings == [
        "第 2 行：实际值 0.95% 小于 1%，而指标值为 90%：是否应为 95%？",
        "第 3 行：实际值 -2个 小于零，请核对（数量、金额与比率一般不为负）",
    ]
    db_file = db.url.removeprefix("sqlite:///")
    again = tmp_path / "again.csv"
    again.write_text(HEADER + f"{OPS},升级接口,Q2,-3,\n", encoding="utf-8")
    assert cli.main(["actuals", "import", str(again), "--db", db_file]) == 0
    out, err = capsys.readouterr()
    assert "已从" in out and "注意：第 2 行：实际值 -3个 小于零" in err


def test_a_project_named_by_part_and_rows_for_many_projects(db: Database, tmp_path: Path) -> None:
    """The exact name is found without a query per row; a part of a name as the command line finds it."""
    path = tmp_path / "parts.csv"
    path.write_text(
        HEADER
        + f"信息化运维,升级接口,Q1,8,\n{OPS},升级,Q2,9,\n开展科技金融工作及服务,科技金融产品年贷款额,Q1,1亿元,\n",
        encoding="utf-8",
    )
    count = run_import(db, path)
    assert (count.recorded, count.projects) == (3, ["信息化运维项目", "开展科技金融工作及服务"])
    assert actuals(db) == {
        ("升级接口", "Q1"): (Decimal(8), None, None),
        ("升级接口", "Q2"): (Decimal(9), None, None),
        ("科技金融产品年贷款额", "Q1"): (Decimal(1), None, None),
    }
