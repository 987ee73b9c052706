"""Printing from the GUI: the printed report as a PDF, in a print preview, or on paper.

Preview and printer get the pages of the PDF itself: the report is written (``report.pdf``, with
a progress dialog and Cancel for a long one) to a temporary file, and each page is rendered by
PDFium (``pypdfium2``, already installed for the PDF importer) at the printer's resolution, up to
``PRINT_DPI``, and painted full-page, so paper, preview and PDF never differ and no PDF viewer or
poppler is needed (QtPdf is not part of PySide6-Essentials). Dialogs open window-modal and never
block the event loop.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pypdfium2
from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPaintEngine, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from perftrack.charts.fonts import FontNotFoundError
from perftrack.report.pdf import Report
from perftrack.ui.formatting import arg
from perftrack.ui.long_work import report_with_progress
from perftrack.ui.workspace import Workspace

# Dots per inch a page is rendered at: the preview is looked at on screen, paper is read closely.
PREVIEW_DPI = 110
PRINT_DPI = 300
# The preview holds every page as an image (3 bytes a pixel): a long report is previewed at a lower
# resolution so all of it stays within this much memory (625 pages at 110 dpi would be 2.2 GB);
# paper is always printed at PRINT_DPI.
PREVIEW_BUDGET_BYTES = 400 * 1024 * 1024
MIN_PREVIEW_DPI = 40
_A4_BYTES_AT_1_DPI = 8.27 * 11.69 * 3


def preview_dpi(pages: int) -> float:
    """The preview's resolution for a report of ``pages`` pages: PREVIEW_DPI while it fits the budget."""
    fitting = (PREVIEW_BUDGET_BYTES / (max(pages, 1) * _A4_BYTES_AT_1_DPI)) ** 0.5
    return max(float(MIN_PREVIEW_DPI), min(float(PREVIEW_DPI), fitting))


def _error(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


class PrintedPdf:
    """A written report held in memory, its pages rendered by PDFium on demand."""

    def __init__(self, data: bytes) -> None:
        self._data = data  # PDFium reads from this buffer for as long as the document is open
        self._document = pypdfium2.PdfDocument(data)

    @classmethod
    def of(cls, report: Report | PrintedPdf) -> PrintedPdf:
        """``report`` as a PDF: a laid-out Report is written first."""
        if isinstance(report, PrintedPdf):
            return report
        handle, name = tempfile.mkstemp(suffix=".pdf")
        os.close(handle)
        path = Path(name)
        try:
            report.write(path)
            return cls(path.read_bytes())
        finally:
            path.unlink(missing_ok=True)

    def __len__(self) -> int:
        return len(self._document)

    def image(self, index: int, dpi: float) -> QImage:
        """Page ``index`` (from 0) rendered at ``dpi``."""
        page = self._document[index]
        try:
            # PDFium rounds a page's size in pixels up; scaled a hair less, A4 at 72 dpi is 595 wide, not 596.
            width = page.get_width()
            scale = min(dpi / 72, (round(width * dpi / 72) - 1e-6) / width)
            bitmap = page.render(scale=scale, rev_byteorder=True)  # RGB, 3 bytes a pixel
            try:
                image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGB888)
                return image.copy()  # the bitmap's memory dies with it
            finally:
                bitmap.close()
        finally:
            page.close()


def written_report(
    parent: QWidget | None, workspace: Workspace, project_ids: Sequence[int], *, monitoring: bool = False
) -> PrintedPdf | None:
    """The projects' report written to a temporary PDF and read back; None when cancelled.

    Raises ValueError without projects, FontNotFoundError without a Chinese font, OSError.
    """
    handle, name = tempfile.mkstemp(prefix="perftrack-", suffix=".pdf")
    os.close(handle)
    path = Path(name)
    try:
        if not report_with_progress(parent, workspace, list(project_ids), path, monitoring=monitoring):
            return None
        return PrintedPdf(path.read_bytes())
    finally:
        path.unlink(missing_ok=True)


def export_pdf(
    parent: QWidget | None,
    workspace: Workspace,
    project_ids: Sequence[int],
    path: Path,
    *,
    monitoring: bool = False,
) -> bool:
    """Write the projects' report to ``path``: the self-evaluation of a project at its year end, else
    (or with ``monitoring``) its monitoring report; a refusal is shown to the user. False when it was
    refused or cancelled (then nothing is written)."""
    title = QCoreApplication.translate("printing", "导出 PDF")
    try:
        return report_with_progress(parent, workspace, list(project_ids), Path(path), monitoring=monitoring)
    except (ValueError, FontNotFoundError) as exc:
        _error(parent, title, str(exc))
        return False
    except OSError as exc:
        _error(parent, title, arg(QCoreApplication.translate("printing", "无法写入 %1：%2"), path, exc.strerror or exc))
        return False


def build(parent: QWidget | None, workspace: Workspace, project_ids: Sequence[int]) -> PrintedPdf | None:
    """The report written for printing, or None when cancelled or after telling the user why not."""
    title = QCoreApplication.translate("printing", "打印")
    try:
        return written_report(parent, workspace, project_ids)
    except (ValueError, FontNotFoundError) as exc:
        _error(parent, title, str(exc))
    except OSError as exc:
        _error(parent, title, str(exc.strerror or exc))
    return None


def page_image(report: Report | PrintedPdf, index: int, dpi: float) -> QImage:
    """Page ``index`` of the report rendered at ``dpi``."""
    return PrintedPdf.of(report).image(index, dpi)


class _Busy:
    """A wait cursor while pages are rendered for the printer."""

    def __enter__(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def __exit__(self, *exc: object) -> None:
        QGuiApplication.restoreOverrideCursor()


def paint_report(printer: QPrinter, report: Report | PrintedPdf, dpi: float = PRINT_DPI) -> int:
    """Paint every page of the report onto the printer, one sheet each; returns the page count."""
    printed = PrintedPdf.of(report)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(QCoreApplication.translate("printing", "打印机无法开始打印"))
    try:
        with _Busy():
            for index in range(len(printed)):
                if index:
                    printer.newPage()
                image = printed.image(index, min(dpi, printer.resolution()))
                painter.drawImage(_fit(QRectF(painter.viewport()), image.width() / image.height()), image)
    finally:
        painter.end()
    return len(printed)


def _fit(area: QRectF, ratio: float) -> QRectF:
    """The largest rectangle of width/height ``ratio`` centred in ``area`` (A4 on Letter paper)."""
    width = min(area.width(), area.height() * ratio)
    height = width / ratio
    return QRectF(area.x() + (area.width() - width) / 2, area.y() + (area.height() - height) / 2, width, height)


def new_printer() -> QPrinter:
    """A printer set to A4 portrait with the whole sheet paintable: the report has its own margins."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)
    printer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
    )
    return printer


def print_preview(
    parent: QWidget | None, workspace: Workspace, project_ids: Sequence[int], printer: QPrinter | None = None
) -> QPrintPreviewDialog | None:
    """Open a print preview of the projects' report (None when there is nothing to print)."""
    report = build(parent, workspace, project_ids)
    if report is None:
        return None
    printer = printer if printer is not None else new_printer()
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.printer_ = printer  # type: ignore[attr-defined]  # the dialog only borrows it: keep it alive
    dialog.report_ = report  # type: ignore[attr-defined]  # the pages live as long as the dialog
    dialog.setWindowTitle(QCoreApplication.translate("printing", "打印预览"))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def paint(target: QPrinter) -> None:
        # The preview records the pages as pictures; its Print button paints for the printer itself,
        # at print resolution.
        previewing = target.paintEngine().type() == QPaintEngine.Type.Picture
        try:
            paint_report(target, report, preview_dpi(len(report)) if previewing else PRINT_DPI)
        except OSError as exc:
            _error(parent, QCoreApplication.translate("printing", "打印"), str(exc))

    dialog.paintRequested.connect(paint)
    dialog.open()
    return dialog


def print_report(
    parent: QWidget | None, workspace: Workspace, project_ids: Sequence[int], printer: QPrinter | None = None
) -> QPrintDialog | None:
    """Ask which printer, then print the projects' report (None when there is nothing to print)."""
    report = build(parent, workspace, project_ids)
    if report is None:
        return None
    printer = printer if printer is not None else new_printer()
    dialog = QPrintDialog(printer, parent)
    dialog.printer_ = printer  # type: ignore[attr-defined]  # the dialog only borrows it: keep it alive
    dialog.setWindowTitle(QCoreApplication.translate("printing", "打印"))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def accepted() -> None:
        try:
            paint_report(printer, report)
        except OSError as exc:
            _error(parent, QCoreApplication.translate("printing", "打印"), str(exc))

    dialog.accepted.connect(accepted)
    QDialog.open(dialog)  # QPrintDialog.open in PySide6 wants a receiver and a slot name
    return dialog


# The actions live in their own light module; kept importable from here.
from perftrack.ui.report_actions import ReportActions  # noqa: E402

__all__ = ["ReportActions", "export_pdf", "print_preview", "print_report"]
