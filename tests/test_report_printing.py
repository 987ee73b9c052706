"""The report from the window: a progress dialog with Cancel, and paper and preview showing the PDF's own pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import pytest
from PIL import ImageFilter
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintPreviewWidget
from PySide6.QtWidgets import QProgressDialog, QWidget
from pytestqt.qtbot import QtBot

from perftrack.ui import printing
from perftrack.ui.app import make_application
from perftrack.ui.workspace import Workspace
from tests.support.reports import FINANCE, pdf_printer, pdf_text, seeded

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """The 13 seed projects, the finance project with its year-end figures."""
    ws = Workspace(seeded(tmp_path / "seed.db"))
    yield ws
    ws.close()


def project_id(ws: Workspace, name: str) -> int:
    return next(pid for pid, _year, _unit, project in ws.project_index() if project == name)


def all_ids(ws: Workspace) -> list[int]:
    return [pid for pid, *_ in ws.project_index()]


def pdf_leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if ".pdf" in p.name]


def test_export_shows_progress_project_by_project(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    ids = all_ids(workspace)
    seen: list[tuple[int, int, str]] = []

    def watch() -> None:
        dialog = parent.findChild(QProgressDialog, "long-work")
        if dialog is not None:
            seen.append((dialog.value(), dialog.maximum(), dialog.labelText()))
        timer.start()

    timer = QTimer()
    timer.setInterval(0)
    timer.setSingleShot(True)
    timer.timeout.connect(watch)
    timer.start()
    out = tmp_path / "all.pdf"
    assert printing.export_pdf(parent, workspace, ids, out)
    timer.stop()
    assert seen and {maximum for _, maximum, _ in seen} == {len(ids) + 1}
    assert any(f"（1 / {len(ids)}）" in label for *_, label in seen)
    values = [value for value, *_ in seen]
    assert values == sorted(values)  # it only goes forward
    text = "".join(pdf_text(out).split())
    assert "项目支出绩效自评汇总" in text and FINANCE in text


def test_cancel_stops_the_report_and_leaves_no_file(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    out = tmp_path / "all.pdf"
    out.write_bytes(b"%PDF an older report")
    pressed: list[int] = []

    def press_cancel() -> None:
        dialog = parent.findChild(QProgressDialog, "long-work")
        assert dialog is not None
        pressed.append(dialog.value())
        dialog.cancel()  # what the Cancel button does

    QTimer.singleShot(0, press_cancel)
    assert not printing.export_pdf(parent, workspace, all_ids(workspace), out)
    assert pressed and pressed[0] < len(all_ids(workspace))
    # The file that was there is untouched and nothing half-written is left beside it.
    assert out.read_bytes() == b"%PDF an older report"
    assert pdf_leftovers(tmp_path) == [out]
    assert parent.findChild(QProgressDialog, "long-work") is None  # the dialog is gone


def test_preview_and_paper_are_the_pdfs_pages(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> None:
    make_application()
    ids = [project_id(workspace, FINANCE), all_ids(workspace)[0]]
    exported = tmp_path / "exported.pdf"
    assert printing.export_pdf(None, workspace, ids, exported)
    original = pypdfium2.PdfDocument(str(exported))
    dialog = printing.print_preview(None, workspace, ids)
    assert dialog is not None
    qtbot.addWidget(dialog)
    preview = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() > 0)
    assert preview.pageCount() == len(original) >= 3
    dialog.close()
    # Paper: each sheet is the PDF's page, pixel for pixel at the printed resolution (here 100 dpi).
    paper = tmp_path / "paper.pdf"
    assert printing.paint_report(pdf_printer(paper), printing.build(None, workspace, ids), dpi=100) == len(original)
    printed = pypdfium2.PdfDocument(str(paper))
    assert len(printed) == len(original)
    for index in range(len(original)):
        # (PDFium's own grayscale mode mangles small CJK glyphs: render in colour, then compare the grey,
        # softened so that a rule resampled half a pixel over is not a difference.)
        want = original[index].render(scale=50 / 72).to_pil().convert("L")
        got = printed[index].render(scale=50 / 72).to_pil().convert("L").resize(want.size)
        ink = sum(1 for v in want.get_flattened_data() if v < 128)
        soft = [im.filter(ImageFilter.GaussianBlur(1.5)).get_flattened_data() for im in (want, got)]
        differ = sum(1 for a, b in zip(*soft, strict=True) if abs(a - b) > 48)
        assert ink > 500 and differ < 0.02 * want.width * want.height, index
    original.close()
    printed.close()


def test_a_long_report_is_previewed_within_the_memory_budget() -> None:
    """The preview keeps every page as an image: 625 pages at 110 dpi would take 2.2 GB."""
    from perftrack.ui import printing

    assert printing.preview_dpi(40) == printing.PREVIEW_DPI  # a department's usual selection: full clarity
    for pages in (300, 625):
        dpi = printing.preview_dpi(pages)
        held = pages * printing._A4_BYTES_AT_1_DPI * dpi * dpi
        assert printing.MIN_PREVIEW_DPI <= dpi < printing.PREVIEW_DPI
        assert held <= printing.PREVIEW_BUDGET_BYTES * 1.001
    assert printing.preview_dpi(100_000) == printing.MIN_PREVIEW_DPI  # legible still, at least
