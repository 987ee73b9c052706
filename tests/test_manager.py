"""A project's 项目负责人: read from the forms that name one, kept when a form names none, set by hand,
and the quarterly review's list and reminders by manager (issue 18)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from perftrack.cli import main
from perftrack.importers import read_declarations
from perftrack.importers.vocabulary import person_name
from perftrack.paths import sample_files
from perftrack.ui.main_window import MainWindow
from perftrack.ui.review_panel import MANAGER_KEY
from perftrack.ui.settings import settings
from tests.support.window import open_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

REAL = Path(__file__).resolve().parent / "data" / "real_forms"  # copies of ../shared/real_forms
OPS, BUILD = "信息化运维项目", "信息化建设项目"


@pytest.mark.parametrize(
    ("cell", "name"),
    [
        ("张三 13812345678", "张三"),
        ("李四（电话：0731-88881234）", "李四"),
        ("王五/13900001111", "王五"),
        ("Zhang San", "Zhang San"),
        ("", None),
        ("  ", None),
    ],
)
def test_the_manager_cell_gives_the_person_without_the_phone(cell: str, name: str | None) -> None:
    assert person_name(cell) == name


@pytest.mark.parametrize(
    ("form", "manager"),
    [
        ("c04_hunan_xiangtan_2024_decl_cells.txt", "吴华章"),  # a cell each: 项目负责人 | 吴华章 | 联系电话 | …
        ("c07_chongqing_rongchang_2022_decl_cellpipes_attrcols.txt", "胡正君"),
        ("b07_chongqing_fengjie_2023_approval_scored.txt", "徐德迁"),
        ("c19_chongqing_banan_jielong_2021_decl_pipes_headeronly.txt", "吕泽"),
        ("c20_anhui_mengcheng_2024_decl_cellpipes.txt", None),  # names none
    ],
)
def test_a_form_naming_its_manager_is_read_with_it(form: str, manager: str | None) -> None:
    result = read_declarations([REAL / form])
    assert [d.manager for d in result.declarations] == [manager]


def _run(capsys: pytest.CaptureFixture[str], db: str, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*args, "--db", db])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_manager_is_set_kept_over_a_reimport_and_filters_the_review(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "m.db")
    assert _run(capsys, db, "import", *map(str, sample_files()))[0] == 0
    assert _run(capsys, db, "manager", OPS)[1] == f"「{OPS}」项目负责人：（未填）\n"
    assert _run(capsys, db, "manager", OPS, "  张  三 ")[1] == f"「{OPS}」项目负责人：张 三\n"
    assert _run(capsys, db, "manager", BUILD, "李四")[0] == 0
    # The Shanghai forms name no 项目负责人: importing them again keeps the ones set.
    assert _run(capsys, db, "import", *map(str, sample_files()))[0] == 0
    assert _run(capsys, db, "manager", OPS)[1] == f"「{OPS}」项目负责人：张 三\n"
    assert "项目负责人：李四" in _run(capsys, db, "show", BUILD)[1]

    _, out, _ = _run(capsys, db, "review", "--period", "Q2", "--manager", "李四", "--json")
    rows = json.loads(out)["projects"]
    assert [(r["name"], r["manager"]) for r in rows] == [(BUILD, "李四")]
    _, out, _ = _run(capsys, db, "review", "--period", "Q2", "--manager", "李四")
    assert f"{BUILD}（上海市科技创新中心，负责人 李四）" in out

    code, _, err = _run(capsys, db, "manager", OPS, "名" * 51)
    assert code == 2 and err.strip() == f"项目「{OPS}」：项目负责人最多 50 字，填写的有 51 字"
    _, out, _ = _run(capsys, db, "history", OPS)
    assert f"「{OPS}」项目负责人：（空） → 张 三" in out


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    db = str(tmp_path / "review.db")
    assert main(["import", *map(str, sample_files()), "--db", db]) == 0
    assert main(["manager", OPS, "张三", "--db", db]) == 0
    assert main(["manager", BUILD, "李四", "--db", db]) == 0
    win = open_window(qtbot, db)
    yield win
    win.close()


def test_the_review_tab_lists_and_reminds_by_the_manager_chosen(window: MainWindow) -> None:
    # Every quarter of 2024 has ended and none is submitted: all 13 projects are due.
    assert window.review_tab.remind()
    assert window.side.count_label.text() == "共 13 个项目，13 个待提交"
    window.tabs.setCurrentIndex(window.tabs.indexOf(window.review_tab))
    panel = window.review_tab.panel
    assert panel is not None
    names = [panel.manager_box.itemText(i) for i in range(panel.manager_box.count())]
    assert names == ["全部负责人", "张三", "李四"]
    assert len(panel.model.rows) == 13

    panel.manager_box.setCurrentIndex(panel.manager_box.findData("张三"))
    assert [r.name for r in panel.model.rows] == [OPS]
    assert settings().value(MANAGER_KEY) == "张三"  # remembered for the next start
    due = window.review_tab.remind()
    assert {name for name, _ in due} == {OPS}
    assert window.statusBar().currentMessage().startswith("负责人 张三：1 个项目有已结束而未提交的期间")
    assert window.side.count_label.text() == "共 13 个项目，1 个待提交"  # the navigator counts hers only

    panel.manager_box.setCurrentIndex(0)
    assert len(panel.model.rows) == 13
    assert len({name for name, _ in window.review_tab.remind()}) == 13


def test_the_review_list_prints_as_shown(window: MainWindow, tmp_path: Path) -> None:
    import pdfplumber
    from PySide6.QtGui import QPageLayout
    from PySide6.QtPrintSupport import QPrinter

    window.tabs.setCurrentIndex(window.tabs.indexOf(window.review_tab))
    panel = window.review_tab.panel
    assert panel is not None and panel.print_button.isEnabled()
    panel.period_box.setCurrentIndex(panel.period_box.findData("Q2"))
    panel.manager_box.setCurrentIndex(panel.manager_box.findData("张三"))
    assert panel.list_title() == "2024年二季度审核一览（张三）"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    out = tmp_path / "list.pdf"
    printer.setOutputFileName(str(out))
    panel.print_list(printer)  # what the preview's 打印 (or a PDF printer) gets
    with pdfplumber.open(out) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        assert pdf.pages[0].width > pdf.pages[0].height  # landscape
    assert "2024年二季度审核一览（张三）" in text
    assert "共 1 个项目" in text
    assert OPS in text and BUILD not in text
    assert "填报中" in text
