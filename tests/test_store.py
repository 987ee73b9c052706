"""The store against a real database (an SQLite file, or PostgreSQL with ``--backend postgresql``):
schema and migrations, import upsert, lookups, audit."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from perftrack import paths
from perftrack.domain import model as dm
from perftrack.store import (
    Actual,
    Ambiguous,
    Audit,
    Base,
    Database,
    Indicator,
    NotFound,
    Project,
    StoreError,
    audit,
    current_user,
    find_indicator,
    find_project,
    history,
    import_declarations,
    list_projects,
    migrate,
    project_to_declaration,
    upsert,
)
from perftrack.store.database import BUSY_TIMEOUT_MS
from tests.support.databases import query

UNIT = "上海市科技创新中心"


def target(raw: str, op: str | None = None, value: str | None = None, unit: str | None = None) -> dm.Target:
    if op is None:
        return dm.Target(raw=raw)
    return dm.Target(raw=raw, op=op, value=Decimal(value or "0"), unit=unit, kind=dm.Kind.QUANTITATIVE)


def indicator(name: str, t: dm.Target, level2: str = "数量指标", line: int = 20) -> dm.Indicator:
    level1 = dm.LEVEL2_PARENT[level2]
    return dm.Indicator(level1, level2, name, t, source=dm.SourceRef("forms.txt", line))


def standard_indicators() -> list[dm.Indicator]:
    return [
        indicator("工作完成率", target("=100.00(%)", "=", "100.00", "%"), "数量指标", 20),
        indicator("质量达标率", target("=100.00(%)", "=", "100.00", "%"), "质量指标", 21),
        indicator("完成及时性", target("=100.00(%)", "=", "100.00", "%"), "时效指标", 22),
        indicator("提升服务能力", target("提升"), "社会效益指标", 23),
        indicator("综合满意度", target("≥90.00(%)", ">=", "90.00", "%"), "服务对象满意度指标", 24),
    ]


def declaration(
    name: str = "项目管理费",
    *,
    year: int | None = 2024,
    unit: str | None = UNIT,
    indicators: list[dm.Indicator] | None = None,
    annual_total: Decimal | None = Decimal("2596000.00"),
    annual_goal: str = "按本年计划完成创新领域项目管理和高企认定项目的支出。",
) -> dm.Declaration:
    return dm.Declaration(
        name=name,
        year=year,
        nature="其他一次性项目",
        category="特定目标类",
        department="上海市科学技术委员会",
        unit=unit,
        start=dt.date(2024, 1, 1),
        end=dt.date(2024, 12, 31),
        funds=dm.Funds(
            annual_total=annual_total,
            annual_appropriation=Decimal("0.00"),
            annual_carryover=Decimal("0.00"),
            annual_other=annual_total,
        ),
        annual_goal=annual_goal,
        indicators=standard_indicators() if indicators is None else indicators,
        source=dm.SourceRef("forms.txt", 10),
    )


def run_import(database: Database, declarations: list[dm.Declaration], **kwargs: Any) -> upsert.ImportSummary:
    with database.session() as session:
        return import_declarations(session, declarations, user="tester", **kwargs)


def count(database: Database, model: type[Base]) -> int:
    with database.reading() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def project_named(database: Database, name: str) -> Project:
    with database.session() as session:
        project = find_project(session, name)
        project.indicators  # noqa: B018 - load while the session is open
        return project


# -- opening, schema and migrations ---------------------------------------------------


def test_migrations_create_the_schema_in_an_empty_database(database: Database) -> None:
    with database.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    expected = {"project", "indicator", "actual", "evidence", "budget_execution", "audit", "setting", "project_summary"}
    expected |= {"evidence_content", "project_summary_stamp", "period_review", "reviewer"}
    assert tables == expected | {"alembic_version"}
    assert [tuple(row) for row in version] == [(migrate.HEAD_REVISION,)]


def test_models_and_migrations_do_not_drift(database: Database) -> None:
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, Base.metadata)
    assert diffs == []


@pytest.mark.sqlite_only
def test_migrated_tables_never_reuse_ids_like_the_models(database: Database, db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        sql = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type='table'").fetchall())
    for table in Base.metadata.sorted_tables:
        wanted = table.dialect_options["sqlite"]["autoincrement"]
        assert ("AUTOINCREMENT" in sql[table.name]) == wanted, table.name
    assert "AUTOINCREMENT" in sql["indicator"]


def test_a_deleted_rows_id_is_never_handed_out_again(database: Database) -> None:
    with database.session() as session:
        session.add(Project(year=2024, unit=UNIT, name="先"))
    with database.session() as session:
        first = find_project(session, "先")
        gone = first.id
        session.delete(first)
    with database.session() as session:
        session.add(Project(year=2024, unit=UNIT, name="后"))
    with database.session() as session:
        assert find_project(session, "后").id > gone


def test_head_revision_constant_matches_the_scripts() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_heads() == [migrate.HEAD_REVISION]


def test_reopening_a_current_database_skips_alembic(
    database: Database, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("upgrade must not run on a current database")

    monkeypatch.setattr(migrate, "upgrade", fail)
    with Database.open(database.url) as again:
        assert again.url == database.url
    if database.engine.dialect.name == "sqlite":  # a file path, as the command line takes it
        with Database.open(str(db_path)) as again:
            assert again.url == f"sqlite:///{db_path}"


@pytest.mark.sqlite_only
def test_sqlite_pragmas_are_set_on_every_connection(database: Database) -> None:
    with database.engine.connect() as conn:
        values = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("foreign_keys", "journal_mode", "busy_timeout", "synchronous")
        }
    assert values == {"foreign_keys": 1, "journal_mode": "wal", "busy_timeout": BUSY_TIMEOUT_MS, "synchronous": 1}


def test_a_text_file_is_refused_with_a_store_error(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("项目名称\t项目管理费\n" * 50, encoding="utf-8")
    before = notes.read_bytes()
    with pytest.raises(StoreError, match="不是 SQLite 数据库") as info:
        Database.open(str(notes))
    assert str(notes) in str(info.value)
    assert notes.read_bytes() == before


def test_another_programs_database_is_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    with pytest.raises(StoreError, match="不是 perftrack 的数据库"):
        Database.open(str(other))
    with sqlite3.connect(other) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"contacts"}


def test_a_newer_schema_is_refused(database: Database, other_program) -> None:
    database.close()
    other_program("UPDATE alembic_version SET version_num = '0999'")
    with pytest.raises(StoreError, match="0999") as info:
        Database.open(database.url)
    assert "更新版本" in str(info.value)
    assert database.label in str(info.value)


def test_session_commits_on_success_and_rolls_back_on_error(database: Database) -> None:
    with database.session() as session:
        session.add(Project(year=2024, unit=UNIT, name="甲"))
    with pytest.raises(RuntimeError), database.session() as session:
        session.add(Project(year=2024, unit=UNIT, name="乙"))
        session.flush()
        raise RuntimeError("user action failed")
    with database.session() as session:
        assert [p.name for p in list_projects(session)] == ["甲"]


def test_decimals_round_trip_exactly(database: Database) -> None:
    amounts = {
        "annual_appropriation": Decimal("0.10"),
        "annual_total": Decimal("5900000.00"),
        "project_total": Decimal("123456789012.34"),
    }
    with database.session() as session:
        session.add(Project(year=2024, unit=UNIT, name="金额", **amounts))
    database.close()
    with Database.open(database.url) as reopened, reopened.session() as session:
        project = find_project(session, "金额")
        for column, value in amounts.items():
            stored = getattr(project, column)
            assert isinstance(stored, Decimal)
            assert str(stored) == str(value)
    (raw,) = query(database.url, "SELECT annual_appropriation, annual_total, project_total FROM project")
    assert raw == ("0.10", "5900000.00", "123456789012.34")


def test_a_float_is_refused_for_money(database: Database) -> None:
    with pytest.raises(Exception, match="needs a Decimal"), database.session() as session:
        session.add(Project(year=2024, unit=UNIT, name="浮点", annual_total=0.1))
        session.flush()
    assert count(database, Project) == 0


def test_timestamps_come_back_in_utc(database: Database) -> None:
    local = dt.datetime(2024, 3, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with database.session() as session:
        session.add(Project(year=2024, unit=UNIT, name="时间", created_at=local, updated_at=local))
    with database.session() as session:
        project = find_project(session, "时间")
        assert project.created_at == local
        assert project.created_at.tzinfo == dt.UTC
        assert project.created_at.hour == 1


# -- import upsert --------------------------------------------------------------------


def test_first_import_creates_projects_and_indicators(database: Database) -> None:
    summary = run_import(database, [declaration("项目管理费"), declaration("国际孵化器活动及工作")])
    assert summary.created == [f"项目管理费（{UNIT}，2024年）", f"国际孵化器活动及工作（{UNIT}，2024年）"]
    assert summary.updated == summary.unchanged == summary.warnings == []
    project = project_named(database, "项目管理费")
    assert [i.name for i in project.indicators] == [i.name for i in standard_indicators()]
    assert [i.position for i in project.indicators] == [1, 2, 3, 4, 5]
    first = project.indicators[0]
    assert (first.level1, first.level2, first.target_op, first.target_value) == (
        "产出指标",
        "数量指标",
        "=",
        100,
    )
    assert first.source == "forms.txt:20"
    assert project.reporting == "quarterly"
    assert project.source == "forms.txt:10"


def test_reimport_updates_in_place_without_duplicates(database: Database) -> None:
    run_import(database, [declaration()])
    before = project_named(database, "项目管理费")
    changed = standard_indicators()
    changed[4] = indicator("综合满意度", target("≥95.00(%)", ">=", "95.00", "%"), "服务对象满意度指标", 24)
    summary = run_import(database, [declaration(indicators=changed, annual_goal="新的年度目标")])
    assert summary.updated == [before.label]
    assert summary.created == []
    after = project_named(database, "项目管理费")
    assert after.id == before.id
    assert [i.id for i in after.indicators] == [i.id for i in before.indicators]
    assert after.annual_goal == "新的年度目标"
    assert after.indicators[4].target_raw == "≥95.00(%)"
    assert after.indicators[4].target_value == Decimal("95.00")
    assert count(database, Project) == 1
    assert count(database, Indicator) == 5


def test_identical_reimport_is_unchanged_and_writes_no_audit(database: Database) -> None:
    run_import(database, [declaration()])
    audits = count(database, Audit)
    summary = run_import(database, [declaration()])
    assert summary.unchanged == [f"项目管理费（{UNIT}，2024年）"]
    assert summary.updated == []
    assert count(database, Audit) == audits


def test_objects_loaded_before_an_import_show_its_changes(database: Database) -> None:
    run_import(database, [declaration()])
    with database.session() as session:
        project = find_project(session, "项目管理费")
        assert len(project.indicators) == 5
        shorter = declaration(indicators=standard_indicators()[:3], annual_goal="新目标")
        import_declarations(session, [shorter], consent=upsert.ALL)
        assert project.annual_goal == "新目标"
        assert [i.name for i in project.indicators] == [i.name for i in standard_indicators()[:3]]


def test_a_new_source_file_alone_is_not_a_change(database: Database) -> None:
    run_import(database, [declaration()])
    before = project_named(database, "项目管理费")
    moved = declaration()
    moved.source = dm.SourceRef("2024/forms-final.txt", 99)
    for row in moved.indicators:
        row.source = dm.SourceRef("2024/forms-final.txt", 100)
    summary = run_import(database, [moved])
    assert summary.unchanged == [before.label]
    after = project_named(database, "项目管理费")
    assert after.source == "2024/forms-final.txt:99"
    assert {i.source for i in after.indicators} == {"2024/forms-final.txt:100"}
    assert after.updated_at == before.updated_at


def test_repeated_indicator_names_map_to_the_same_rows(database: Database) -> None:
    twice = [
        indicator("满意度", target("≥90%", ">=", "90", "%"), "服务对象满意度指标", 30),
        indicator("完成率", target("=100%", "=", "100", "%"), "数量指标", 31),
        indicator("满意度", target("≥85%", ">=", "85", "%"), "服务对象满意度指标", 32),
    ]
    run_import(database, [declaration(indicators=twice)])
    first = project_named(database, "项目管理费")
    summary = run_import(database, [declaration(indicators=twice)])
    assert summary.unchanged
    second = project_named(database, "项目管理费")
    assert [(i.id, i.name, i.target_raw) for i in second.indicators] == [
        (i.id, i.name, i.target_raw) for i in first.indicators
    ]
    assert [i.target_raw for i in second.indicators if i.name == "满意度"] == ["≥90%", "≥85%"]


def test_dropped_indicator_without_records_is_deleted(database: Database) -> None:
    run_import(database, [declaration()])
    summary = run_import(database, [declaration(indicators=standard_indicators()[:4])], consent=upsert.ALL)
    assert summary.retired_indicators == []
    project = project_named(database, "项目管理费")
    assert [i.name for i in project.indicators] == [i.name for i in standard_indicators()[:4]]


def test_dropped_indicator_with_an_actual_is_retired_and_keeps_it(database: Database) -> None:
    run_import(database, [declaration()])
    with database.session() as session:
        project = find_project(session, "项目管理费")
        kept = find_indicator(project, "综合满意度")
        session.add(Actual(indicator_id=kept.id, period="Q1", value=Decimal("92.50"), updated_by="tester"))
        kept_id = kept.id
    summary = run_import(database, [declaration(indicators=standard_indicators()[:4])], consent=upsert.ALL)
    label = f"项目管理费（{UNIT}，2024年）"
    assert summary.retired_indicators == [(label, "综合满意度")]
    assert summary.updated == [label]
    with database.session() as session:
        retired = session.get(Indicator, kept_id)
        assert retired is not None and retired.retired
        assert [(a.period, a.value) for a in retired.actuals] == [("Q1", Decimal("92.50"))]
        project = find_project(session, "项目管理费")
        with pytest.raises(NotFound):
            find_indicator(project, "综合满意度")


def test_a_retired_indicator_returns_when_the_form_lists_it_again(database: Database) -> None:
    run_import(database, [declaration()])
    with database.session() as session:
        kept = find_indicator(find_project(session, "项目管理费"), "综合满意度")
        kept.points = Decimal("10")
        kept_id = kept.id
    run_import(database, [declaration(indicators=standard_indicators()[:4])], consent=upsert.ALL)
    run_import(database, [declaration()])
    with database.session() as session:
        revived = find_indicator(find_project(session, "项目管理费"), "综合满意度")
        assert revived.id == kept_id
        assert not revived.retired
        assert revived.position == 5
        assert count(database, Indicator) == 5


def test_user_fields_survive_a_reimport(database: Database) -> None:
    run_import(database, [declaration()])
    with database.session() as session:
        project = find_project(session, "项目管理费")
        project.reporting = "monthly"
        project.full_year_budget = Decimal("2500000.00")
        first = find_indicator(project, "工作完成率")
        first.points = Decimal("12.50")
        first.deviation_reason = "人员不足"
        first.monitor_chance = "有可能"
    changed = standard_indicators()
    changed[0] = indicator("工作完成率", target("≥98.00(%)", ">=", "98.00", "%"), "数量指标", 20)
    run_import(database, [declaration(indicators=changed, annual_total=Decimal("2600000.00"))], consent=upsert.ALL)
    project = project_named(database, "项目管理费")
    assert (project.reporting, project.full_year_budget) == ("monthly", Decimal("2500000.00"))
    assert project.annual_total == Decimal("2600000.00")
    first = project.indicators[0]
    assert first.target_raw == "≥98.00(%)"
    assert (first.points, first.deviation_reason, first.monitor_chance) == (
        Decimal("12.50"),
        "人员不足",
        "有可能",
    )


def test_a_failing_import_leaves_the_database_unchanged(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    run_import(database, [declaration()])
    audits = count(database, Audit)
    written: list[str | None] = []

    def fail_after_the_data(session: Session, rows: object) -> None:
        # The data statements have run by now, inside the transaction: prove it, then fail.
        written.append(session.scalar(select(Project.annual_goal).where(Project.name == "项目管理费")))
        raise OSError("disk full")

    monkeypatch.setattr(upsert, "_write_audit", fail_after_the_data)
    with pytest.raises(OSError, match="disk full"):
        run_import(database, [declaration(annual_goal="改过的目标"), declaration("新项目")])
    assert written == ["改过的目标"]
    assert [p.name for p in list_projects_of(database)] == ["项目管理费"]
    assert project_named(database, "项目管理费").annual_goal == declaration().annual_goal
    assert count(database, Indicator) == 5
    assert count(database, Audit) == audits


def test_bad_data_midway_rolls_back_the_whole_import(database: Database) -> None:
    run_import(database, [declaration()])
    bad = declaration("坏数据")
    bad.funds.annual_other = 1.5  # type: ignore[assignment]  # a float, as a careless importer might
    with pytest.raises(Exception, match="needs a Decimal"):
        run_import(database, [declaration(annual_goal="改过的目标"), bad])
    assert [p.name for p in list_projects_of(database)] == ["项目管理费"]
    assert project_named(database, "项目管理费").annual_goal == declaration().annual_goal


def list_projects_of(database: Database) -> list[Project]:
    with database.session() as session:
        return list_projects(session)


def test_duplicate_forms_and_forms_without_year_are_reported(database: Database) -> None:
    summary = run_import(
        database,
        [
            declaration(annual_goal="第一份"),
            declaration(annual_goal="第二份"),
            declaration("无年度", year=None),
        ],
    )
    assert len(summary.created) == 1
    assert len(summary.warnings) == 2
    assert "出现多次" in summary.warnings[0]
    assert "无年度" in summary.warnings[1]
    assert project_named(database, "项目管理费").annual_goal == "第二份"


def test_same_name_in_another_unit_or_year_is_another_project(database: Database) -> None:
    run_import(
        database,
        [declaration(), declaration(unit="另一单位"), declaration(year=2025), declaration(unit=None)],
    )
    with database.session() as session:
        keys = [(p.year, p.unit) for p in list_projects(session)]
        assert keys == [(2024, ""), (2024, UNIT), (2024, "另一单位"), (2025, UNIT)]
        assert [p.year for p in list_projects(session, 2025)] == [2025]


def test_project_to_declaration_gives_back_the_imported_form(database: Database) -> None:
    original = declaration()
    run_import(database, [original])
    assert project_to_declaration(project_named(database, "项目管理费")) == original


# -- lookups --------------------------------------------------------------------------


def test_find_project_exact_substring_ambiguous_and_missing(database: Database) -> None:
    names = ["项目管理费", "项目管理费补充", "国际孵化器活动及工作", "孵化基地运营"]
    run_import(database, [declaration(name) for name in names])
    with database.session() as session:
        assert find_project(session, "项目管理费").name == "项目管理费"
        assert find_project(session, "国际").name == "国际孵化器活动及工作"
        assert find_project(session, "  孵化基地 ".strip()).name == "孵化基地运营"
        with pytest.raises(Ambiguous) as info:
            find_project(session, "孵化")
        assert info.value.candidates == [
            f"国际孵化器活动及工作（{UNIT}，2024年）",
            f"孵化基地运营（{UNIT}，2024年）",
        ]
        assert "国际孵化器活动及工作" in str(info.value)
        with pytest.raises(NotFound, match="不存在的项目"):
            find_project(session, "不存在的项目")
        with pytest.raises(NotFound):
            find_project(session, "项目管理费", year=2025)
        with pytest.raises(NotFound):
            find_project(session, "100%_")  # LIKE wildcards are matched literally


def test_ambiguous_lists_at_most_ten_candidates(database: Database) -> None:
    run_import(database, [declaration(f"培训项目{n:02d}") for n in range(12)])
    with database.session() as session, pytest.raises(Ambiguous) as info:
        find_project(session, "培训")
    message = str(info.value)
    assert "培训项目09" in message and "培训项目10" not in message
    assert "另有 2 个" in message


def test_find_indicator_by_name_part_and_position(database: Database) -> None:
    twice = [
        *standard_indicators(),
        indicator("综合满意度", target("≥85%", ">=", "85", "%"), "服务对象满意度指标"),
    ]
    run_import(database, [declaration(indicators=twice)])
    project = project_named(database, "项目管理费")
    assert find_indicator(project, "质量达标率").position == 2
    assert find_indicator(project, "及时").name == "完成及时性"
    assert find_indicator(project, "#6").target_raw == "≥85%"
    with pytest.raises(Ambiguous) as info:
        find_indicator(project, "综合满意度")
    assert info.value.candidates == ["#5 综合满意度", "#6 综合满意度"]
    with pytest.raises(Ambiguous):
        find_indicator(project, "率")
    with pytest.raises(NotFound, match="第 9 个"):
        find_indicator(project, "#9")


# -- audit ----------------------------------------------------------------------------


def test_import_writes_the_audit_trail(database: Database) -> None:
    run_import(database, [declaration()], source_label="forms.txt")
    changed = standard_indicators()[:4]
    changed[0] = indicator("工作完成率", target("≥98.00(%)", ">=", "98.00", "%"), "数量指标", 20)
    changed.append(indicator("新增指标", target("≥3(次)", ">=", "3", "次"), "数量指标", 25))
    run_import(database, [declaration(indicators=changed, annual_total=Decimal("2600000.00"))], consent=upsert.ALL)
    with database.session() as session:
        project = find_project(session, "项目管理费")
        entries = history(session, project.id)
        created = [e for e in entries if e.action == "create"]
        assert len(created) == 1
        assert created[0].entity == "project" and "forms.txt" in created[0].summary
        assert created[0].user == "tester"
        assert entries[-1].action == "create"  # newest first: the creation is the oldest entry
        fields = {(e.entity, e.field): (e.old, e.new) for e in entries if e.action == "import"}
        assert fields[("project", "annual_total")] == ("2596000.00", "2600000.00")
        assert fields[("project", "annual_other")] == ("2596000.00", "2600000.00")
        assert fields[("indicator", "target_raw")] == ("=100.00(%)", "≥98.00(%)")
        assert fields[("indicator", "target_op")] == ("=", ">=")
        new_one = find_indicator(project, "新增指标")
        added = [e for e in entries if e.indicator_id == new_one.id]
        assert len(added) == 1 and added[0].new == "≥3(次)"
        deleted = [e for e in entries if "删除" in e.summary]
        assert len(deleted) == 1 and "综合满意度" in deleted[0].summary
        assert (deleted[0].old, deleted[0].new) == ("≥90.00(%)", None)
        # A new row never takes the deleted one's id, so their histories stay apart.
        assert deleted[0].indicator_id != new_one.id
        first = find_indicator(project, "工作完成率")
        assert {e.field for e in history(session, project.id, first.id)} == {
            "target_raw",
            "target_op",
            "target_value",
        }
        assert all(e.user == "tester" and e.at.tzinfo == dt.UTC for e in entries)


def test_audit_helper_and_history_survive_a_deleted_project(database: Database) -> None:
    with database.session() as session:
        project = Project(year=2024, unit=UNIT, name="临时")
        session.add(project)
        session.flush()
        pid = project.id
        audit(
            session,
            action="update",
            entity="project",
            entity_id=pid,
            project_id=pid,
            field="full_year_budget",
            old=None,
            new=Decimal("100.50"),
            summary="调整全年预算数",
        )
        audit(session, action="delete", entity="project", entity_id=pid, project_id=pid, summary="删除项目")
        session.delete(project)
    with database.session() as session:
        entries = history(session, pid)
        assert [e.action for e in entries] == ["delete", "update"]
        assert entries[1].new == "100.50" and entries[1].old is None
        assert entries[0].user == current_user() != ""
        with pytest.raises(ValueError, match="unknown audit action"):
            audit(session, action="rename", entity="project", entity_id=pid)


# -- paths ----------------------------------------------------------------------------


def test_db_url_comes_from_argument_then_environment_then_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = Path(paths.data_dir())
    assert paths.resolve_db_url(None) == f"sqlite:///{(data / 'perftrack.db').resolve().as_posix()}"
    monkeypatch.setenv("PERFTRACK_DB", str(tmp_path / "env" / "team.db"))
    assert paths.resolve_db_url(None) == f"sqlite:///{(tmp_path / 'env' / 'team.db').as_posix()}"
    assert (tmp_path / "env").is_dir()
    assert paths.resolve_db_url(str(tmp_path / "arg.db")) == f"sqlite:///{(tmp_path / 'arg.db').as_posix()}"
    pg = "postgresql+psycopg://perf@db.example/perftrack"
    assert paths.resolve_db_url(pg) == pg


def test_data_dir_honours_the_environment_and_is_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target_dir = tmp_path / "custom" / "data"
    monkeypatch.setenv("PERFTRACK_DATA_DIR", str(target_dir))
    assert paths.data_dir() == target_dir
    assert target_dir.is_dir()
    assert paths.default_db_path() == target_dir / "perftrack.db"


@pytest.mark.sqlite_only
def test_evidence_dir_sits_beside_the_database(database: Database, db_path: Path) -> None:
    assert database.evidence_dir == db_path.parent / "perftrack-evidence"
    assert paths.evidence_dir("sqlite://") == paths.data_dir() / "evidence"


def test_a_server_databases_evidence_folder_is_this_pcs_copies_named_without_the_password() -> None:
    folder = paths.evidence_dir("postgresql://perf:s3cret@db.example:5433/绩效")
    assert folder == paths.data_dir() / "evidence" / "db.example-5433-绩效"
    local = paths.evidence_dir("postgresql+psycopg:///perftrack")
    assert local == paths.data_dir() / "evidence" / "localhost-perftrack"
