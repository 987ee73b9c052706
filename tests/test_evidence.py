"""Evidence files: in the folder beside an SQLite database, inside a database on a server; names
that are plain file names of at most 255 bytes; nothing left behind by an action that is refused.

Every test runs on the backend chosen (``--backend``) unless marked.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from perftrack import cli, paths
from perftrack.importers import read_declarations
from perftrack.store import Database, Evidence, find_indicator, find_project
from perftrack.store import evidence as evidence_module
from perftrack.store.actuals import RecordError, record_actual
from perftrack.store.evidence import REMOVED_FOLDER, add_evidence, open_evidence, remove_evidence
from perftrack.store.evidence_names import MAX_NAME_BYTES, safe_name
from perftrack.store.upsert import import_declarations
from tests.support.databases import kept_evidence

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "shanghai_2024_declarations.txt"
OPS = "信息化运维项目"


@pytest.fixture
def db(database: Database) -> Database:
    with database.session() as s:
        import_declarations(s, read_declarations([SEED]).declarations, user="loader")
    return database


def _file(folder: Path, name: str, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path


def _kept(db: Database) -> dict[str, bytes]:
    return kept_evidence(db.url, db.evidence_dir)


# -- where the bytes live ----------------------------------------------------------------------


@pytest.mark.postgres_only
def test_a_server_database_keeps_the_bytes_and_every_pc_opens_them(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    proof = _file(tmp_path / "mine", "验收报告.pdf", b"%PDF the report")
    with db.session() as s:
        actual = record_actual(s, find_indicator(find_project(s, OPS), "升级接口"), "Q1", "8")
        stored = add_evidence(s, actual, proof, db.evidence_dir).stored_name
    assert not db.evidence_dir.exists(), "nothing is kept on this PC"
    assert _kept(db) == {stored: b"%PDF the report"}

    # Another teammate's PC: its own data folder, the same database.
    monkeypatch.setenv("PERFTRACK_DATA_DIR", str(tmp_path / "colleague"))
    with Database.open(db.url) as theirs, theirs.reading() as s:
        evidence = s.scalars(select(Evidence)).one()
        opened = open_evidence(s, evidence, theirs.evidence_dir)
        assert opened.read_bytes() == b"%PDF the report" and opened.name == "验收报告.pdf"
        assert opened.is_relative_to(tmp_path / "colleague")
        opened.write_bytes(b"edited by hand")  # a copy: opening again gives the database's bytes
        assert open_evidence(s, evidence, theirs.evidence_dir).read_bytes() == b"%PDF the report"

    with db.session() as s:
        remove_evidence(s, s.scalars(select(Evidence)).one(), db.evidence_dir)
    assert _kept(db) == {f"{REMOVED_FOLDER}/{stored}": b"%PDF the report"}, "moved aside, never deleted"


@pytest.mark.postgres_only
def test_a_file_over_the_server_cap_is_refused_with_its_size(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert evidence_module.MAX_SERVER_BYTES == 50 * 1024 * 1024
    monkeypatch.setattr(evidence_module, "MAX_SERVER_BYTES", 1024 * 1024)
    big = _file(tmp_path, "扫描件.tif", b"\0" * (1024 * 1024 + 1))
    with pytest.raises(RecordError) as refused, db.session() as s:
        actual = record_actual(s, find_indicator(find_project(s, OPS), "升级接口"), "Q1", "8")
        add_evidence(s, actual, big, db.evidence_dir)
    message = str(refused.value)
    assert "扫描件.tif" in message and "1.0 MB" in message and "1 MB 的上限" in message
    assert _kept(db) == {}


@pytest.mark.sqlite_only
def test_a_file_gone_from_the_folder_is_named_when_opened(db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        actual = record_actual(s, find_indicator(find_project(s, OPS), "升级接口"), "Q1", "8")
        evidence = add_evidence(s, actual, _file(tmp_path, "a.pdf", b"a"), db.evidence_dir)
        path = open_evidence(s, evidence, db.evidence_dir)
        path.unlink()
        with pytest.raises(RecordError, match="已不在证明材料文件夹中") as gone:
            open_evidence(s, evidence, db.evidence_dir)
    assert str(path) in str(gone.value)


# -- nothing left behind ----------------------------------------------------------------------


def test_a_refused_action_leaves_no_copy_behind(db: Database, tmp_path: Path) -> None:
    good = _file(tmp_path, "验收单.pdf", b"good")
    with pytest.raises(RecordError, match="文件不存在"), db.session() as s:
        actual = record_actual(s, find_indicator(find_project(s, OPS), "升级接口"), "Q1", "8")
        add_evidence(s, actual, good, db.evidence_dir)
        assert len(_kept(db)) == 1 or db.engine.dialect.name != "sqlite"  # copied, not yet committed
        add_evidence(s, actual, tmp_path / "missing.pdf", db.evidence_dir)
    assert _kept(db) == {}
    with db.reading() as s:
        assert s.scalars(select(Evidence)).all() == []


def test_a_removal_rolled_back_puts_the_file_back(db: Database, tmp_path: Path) -> None:
    with db.session() as s:
        actual = record_actual(s, find_indicator(find_project(s, OPS), "升级接口"), "Q1", "8")
        stored = add_evidence(s, actual, _file(tmp_path, "a.pdf", b"a"), db.evidence_dir).stored_name
    with pytest.raises(RuntimeError), db.session() as s:
        remove_evidence(s, s.scalars(select(Evidence)).one(), db.evidence_dir)
        raise RuntimeError("the action failed after the removal")
    assert _kept(db) == {stored: b"a"}
    with db.reading() as s:
        assert [e.stored_name for e in s.scalars(select(Evidence))] == [stored]


def test_a_refused_record_command_leaves_no_copy_behind(db: Database, tmp_path: Path, capsys) -> None:
    good = _file(tmp_path, "验收单.pdf", b"good")
    code = cli.main(["record", OPS, "升级接口", "8", "--evidence", str(good), "--evidence", "nope.pdf", "--db", db.url])
    assert code == 2 and "nope.pdf" in capsys.readouterr().err
    assert _kept(db) == {}


# -- names ---------------------------------------------------------------------------------------


def test_a_253_byte_name_still_fits_with_its_number(db: Database, tmp_path: Path) -> None:
    name = "报" * 83 + ".pdf"  # 249 + 4 bytes: legal, and 4 bytes short of the limit
    assert len(name.encode()) == 253
    with db.session() as s:
        actual = record_actual(s, find_indicator(find_project(s, OPS), "升级接口"), "Q1", "8")
        first = add_evidence(s, actual, _file(tmp_path / "a", name, b"one"), db.evidence_dir)
        second = add_evidence(s, actual, _file(tmp_path / "b", name, b"two"), db.evidence_dir)
    first_name, second_name = (Path(e.stored_name).name for e in (first, second))
    assert first_name == name
    assert second_name.endswith(" (2).pdf") and second_name.startswith("报" * 80)
    assert len(second_name.encode()) <= MAX_NAME_BYTES
    assert sorted(_kept(db).values()) == [b"one", b"two"]


@pytest.mark.parametrize(
    "name",
    ["..\\..\\..\\Windows\\evil.txt", "C:evil.txt", "a\x1b[2Jb.txt", "..\\", "CON.txt", " .hidden. "],
)
def test_a_name_that_is_a_path_is_kept_as_a_plain_name(db: Database, tmp_path: Path, name: str) -> None:
    source = _file(tmp_path / "in", name, b"x")  # all legal file names on Linux
    with db.session() as s:
        ind = find_indicator(find_project(s, OPS), "升级接口")
        actual = record_actual(s, ind, "Q1", "8")
        evidence = add_evidence(s, actual, source, db.evidence_dir)
        folder = f"{ind.project_id}/{ind.id}/Q1"
    plain = evidence.stored_name.removeprefix(folder + "/")
    assert evidence.stored_name == f"{folder}/{plain}" and plain == evidence.original_name == safe_name(name)
    assert not any(c in plain for c in '\\/:*?"<>|') and plain.isprintable()
    assert not plain.startswith(".") and plain.upper() != "CON.TXT"
    assert list(_kept(db)) == [evidence.stored_name]
    if db.engine.dialect.name == "sqlite":
        (kept,) = (p for p in db.evidence_dir.rglob("*") if p.is_file())
        assert kept.parent == db.evidence_dir / folder


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ("验收报告.pdf", "验收报告.pdf"),
        ("..\\..\\evil.txt", "_.._evil.txt"),
        ("../x", "_x"),
        ("C:\\Windows\\x.dll", "C__Windows_x.dll"),
        ("a\x1b[2Jb\n.txt", "a_[2Jb_.txt"),
        ("nul", "_nul"),
        ("LPT1.log", "_LPT1.log"),
        ("..", "证明材料"),
        ("\x00\x01.pdf", "证明材料.pdf"),
        ("report. ", "report"),
        ("图" * 90 + ".xlsx", "图" * 83 + ".xlsx"),  # 270 + 5 bytes: the stem gives way
    ],
)
def test_safe_names(name: str, plain: str) -> None:
    assert safe_name(name) == plain
    assert len(safe_name(name).encode()) <= MAX_NAME_BYTES


# -- the command line ---------------------------------------------------------------------------


def test_the_evidence_command_lists_and_copies_out(db: Database, tmp_path: Path, capsys) -> None:
    proof = _file(tmp_path, "验收单.pdf", b"%PDF")
    code = cli.main(["record", OPS, "升级接口", "8", "--period", "Q2", "--evidence", str(proof), "--db", db.url])
    assert code == 0
    capsys.readouterr()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code = cli.main(["evidence", OPS, "升级接口", "--period", "Q2", "-o", str(out_dir), "--json", "--db", db.url])
    (row,) = json.loads(capsys.readouterr().out)["evidence"]
    assert code == 0 and row["name"] == "验收单.pdf" and row["size"] == 4
    assert (out_dir / "验收单.pdf").read_bytes() == b"%PDF"
    if db.engine.dialect.name != "sqlite":
        assert row["kept"].startswith(db.label) and "secret" not in row["kept"]
    assert cli.main(["evidence", OPS, "升级接口", "--db", db.url]) == 0
    assert "没有证明材料" in capsys.readouterr().out
    assert paths.evidence_dir(db.url) == db.evidence_dir
