"""The workbook streamed, one per unit (``--per-unit``) and the summary alone (``--summary-only``).

Read back with openpyxl from real files written from the seed database of ``test_export``.
"""

from __future__ import annotations

import gc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from perftrack import cli
from perftrack.export.workbook import (
    CHART_SHEET,
    MAX_FILE_STEM,
    NO_UNIT,
    SUMMARY_SHEET,
    UniqueNames,
    clean_file_stem,
    export_per_unit,
    export_workbook,
)
from perftrack.store.evaluation import ProjectEvaluation, chosen_ids, unit_order
from tests.support.exports import seed

CREATIVE = "上海市科技创业中心"
INNOVATION = "上海市科技创新中心"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("shapes")
    seed(folder / "perftrack.db").close()
    return folder / "perftrack.db"


@pytest.fixture(scope="module")
def everyone(seeded: Path) -> list[ProjectEvaluation]:
    from perftrack.store.database import open_database
    from perftrack.store.evaluation import evaluate_all

    with open_database(f"sqlite:///{seeded}") as db, db.reading() as session:
        return evaluate_all(session)


@pytest.fixture
def run(seeded: Path, capsys: pytest.CaptureFixture[str]):
    def run(*args: object) -> tuple[int, str, str]:
        code = cli.main([str(a) for a in (*args, "--db", seeded)])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def cells(ws, first: int, last: int, columns: int) -> list[list[object]]:
    return [[ws.cell(r, c).value for c in range(1, columns + 1)] for r in range(first, last + 1)]


# -- streaming ----------------------------------------------------------------------------------


def test_a_stream_gives_the_same_workbook_and_is_not_kept(everyone, seeded: Path, tmp_path: Path) -> None:
    """Evaluations are let go once their sheets are written: besides the one being written, at
    most the one before it (still the writer's loop variable) is alive."""
    from perftrack.store.database import open_database
    from perftrack.store.evaluation import evaluate_all

    listed_ids = {id(ev) for ev in everyone}
    alive: list[int] = []

    def stream() -> Iterator[ProjectEvaluation]:
        with open_database(f"sqlite:///{seeded}") as db, db.reading() as session:
            for project_id in chosen_ids(session):
                gc.collect()
                alive.append(
                    sum(1 for o in gc.get_objects() if isinstance(o, ProjectEvaluation) and id(o) not in listed_ids)
                )
                (ev,) = evaluate_all(session, [project_id])
                yield ev
                del ev

    streamed, listed = tmp_path / "streamed.xlsx", tmp_path / "listed.xlsx"
    assert export_workbook(stream(), streamed, count=len(everyone))
    assert export_workbook(everyone, listed)
    assert len(alive) == 13 and max(alive) <= 1, alive
    a, b = openpyxl.load_workbook(streamed), openpyxl.load_workbook(listed)
    assert a.sheetnames == b.sheetnames
    for name in a.sheetnames:
        assert cells(a[name], 1, a[name].max_row, 18) == cells(b[name], 1, b[name].max_row, 18), name
        assert sorted(map(str, a[name].merged_cells.ranges)) == sorted(map(str, b[name].merged_cells.ranges))


def test_sheets_are_well_formed_with_merges_in_their_place(everyone, tmp_path: Path) -> None:
    path = tmp_path / "all.xlsx"
    export_workbook(everyone, path)
    order = ("sheetData", "autoFilter", "mergeCells", "hyperlinks", "printOptions", "pageMargins", "pageSetup")
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        summary = archive.read("xl/worksheets/sheet1.xml").decode()
        places = [summary.find(f"<{tag}") for tag in order]
        assert all(p > 0 for p in places) and places == sorted(places)
        form = archive.read("xl/worksheets/sheet3.xml").decode()
        assert form.index("</sheetData>") < form.index("<mergeCells") < form.index("<pageMargins")


# -- one workbook per unit ----------------------------------------------------------------------


def test_per_unit_writes_one_workbook_per_unit(run, everyone, tmp_path: Path) -> None:
    folder = tmp_path / "units"
    folder.mkdir()
    code, out, err = run("export", "--per-unit", folder)
    assert code == 0, err
    assert f"已按实施单位导出 2 个工作簿（13 个项目）到 {folder}" in out
    assert sorted(p.name for p in folder.iterdir()) == [f"{CREATIVE}.xlsx", f"{INNOVATION}.xlsx"]
    by_unit: dict[str, list[str]] = {}
    for ev in everyone:
        by_unit.setdefault(ev.declaration.unit or "", []).append(ev.declaration.name)
    for unit, names in by_unit.items():
        book = openpyxl.load_workbook(folder / f"{unit}.xlsx")
        ws = book[SUMMARY_SHEET]
        assert ws["A2"].value.startswith(f"共 {len(names)} 个项目")
        assert [ws.cell(r, 2).value for r in range(4, 4 + len(names))] == names
        assert {ws.cell(r, 3).value for r in range(4, 4 + len(names))} == {unit}
        assert len(book.sheetnames) == 2 + 2 * len(names)


def test_per_unit_names_are_safe_and_unique() -> None:
    assert clean_file_stem('a/b\\c:d*e?f"g<h>i|j') == "a_b_c_d_e_f_g_h_i_j"
    assert clean_file_stem("  多个   空格 ") == "多个 空格"
    assert clean_file_stem(" .. ") == NO_UNIT
    assert clean_file_stem("CON") == "_CON"
    assert clean_file_stem("lpt1.备份") == "_lpt1.备份"
    assert clean_file_stem("单位。") == "单位。"
    name = UniqueNames(MAX_FILE_STEM, clean_file_stem)
    long = "上海市" * 40
    stems = [name(n) for n in ("单位A", "单位a", "a/b", "a_b", long, long, "")]
    assert stems[:4] == ["单位A", "单位a~2", "a_b", "a_b~2"]
    assert len(stems[4]) == MAX_FILE_STEM and stems[5] == long[: MAX_FILE_STEM - 2] + "~2"
    assert stems[6] == NO_UNIT
    assert len({s.casefold() for s in stems}) == len(stems)


def test_per_unit_cancel_keeps_the_complete_workbooks_and_says_so(everyone, seeded: Path, tmp_path: Path) -> None:
    from perftrack.store.database import open_database

    with open_database(f"sqlite:///{seeded}") as db, db.reading() as session:
        ordered = {ev.project_id: ev for ev in everyone}
        evaluations = [ordered[i] for i in unit_order(session, chosen_ids(session))]
    first_unit = sum(1 for ev in evaluations if ev.declaration.unit == evaluations[0].declaration.unit)
    seen: list[int] = []

    def cancel_in_second_unit(done: int, total: int) -> bool:
        seen.append(done)
        return done < first_unit + 2

    result = export_per_unit(evaluations, tmp_path, progress=cancel_in_second_unit)
    assert result.cancelled
    assert [(unit, path.name, n) for unit, path, n in result.written] == [(CREATIVE, f"{CREATIVE}.xlsx", first_unit)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{CREATIVE}.xlsx"], "no part of the second"
    assert openpyxl.load_workbook(tmp_path / f"{CREATIVE}.xlsx").sheetnames[0] == SUMMARY_SHEET

    result = export_per_unit(evaluations, tmp_path)
    assert not result.cancelled and result.projects == 13 and len(result.written) == 2


def test_cli_needs_one_destination(run, tmp_path: Path) -> None:
    for args, message in (
        ((), "二者选一"),
        (("-o", tmp_path / "x.xlsx", "--per-unit", tmp_path), "二者选一"),
        (("--per-unit", tmp_path / "nowhere"), "文件夹不存在"),
    ):
        code, _, err = run("export", *args)
        assert code == 2 and message in err
    assert list(tmp_path.iterdir()) == []


# -- the summary alone --------------------------------------------------------------------------


def test_summary_only_is_the_summary_and_its_chart(run, everyone, tmp_path: Path) -> None:
    full, alone = tmp_path / "full.xlsx", tmp_path / "summary.xlsx"
    assert run("export", "-o", full)[0] == 0
    code, out, err = run("export", "--summary-only", "-o", alone)
    assert code == 0, err
    assert f"已导出 13 个项目的汇总表到 {alone}" in out
    book, whole = openpyxl.load_workbook(alone), openpyxl.load_workbook(full)
    assert book.sheetnames == [SUMMARY_SHEET, CHART_SHEET]
    ws, reference = book[SUMMARY_SHEET], whole[SUMMARY_SHEET]
    last = 4 + len(everyone) + 1  # the projects, the totals and the note under them
    # The same figures, without the links and without the 监控表 column.
    assert cells(ws, 1, last, 17) == cells(reference, 1, last, 17)
    assert all(ws.cell(r, 18).value is None for r in range(1, last + 1))
    assert not any(ws.cell(r, 2).hyperlink for r in range(4, 4 + len(everyone)))
    assert ws.print_area == "'汇总'!$A$1:$Q$18" and ws.auto_filter.ref == "A3:Q16"
    assert len(book[CHART_SHEET]._charts) == len(whole[CHART_SHEET]._charts) == 2


def test_summary_only_per_unit(run, tmp_path: Path) -> None:
    code, out, _ = run("export", "--summary-only", "--per-unit", tmp_path)
    assert code == 0 and "已按实施单位导出 2 个工作簿（13 个项目的汇总表）" in out
    for path in tmp_path.iterdir():
        assert openpyxl.load_workbook(path).sheetnames == [SUMMARY_SHEET, CHART_SHEET]


def test_charts_from_templates_equal_charts_written_whole(
    everyone, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from perftrack.export import charts

    def parts(path: Path) -> dict[str, bytes]:
        with zipfile.ZipFile(path) as archive:
            return {n: archive.read(n) for n in archive.namelist() if n.startswith("xl/charts/")}

    whole, templated = tmp_path / "whole.xlsx", tmp_path / "templated.xlsx"
    with monkeypatch.context() as patch:
        patch.setattr(charts, "_TEMPLATES", {})
        patch.setattr(charts, "MAX_TEMPLATES", 0)
        export_workbook(everyone, whole)
    export_workbook(everyone, templated)  # the first of each kind makes its template, the rest use it
    export_workbook(everyone, templated)
    assert len(charts._TEMPLATES) >= 3
    expected, got = parts(whole), parts(templated)
    assert len(expected) == 28 and got == expected
