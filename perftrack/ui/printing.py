"""Printing from the GUI: the printed report's own pages as a PDF, in a print preview, or on paper.

The pages come from ``report.pdf.build_report``, the layout the PDF is written from; for the
preview and the printer each page is drawn by matplotlib's Agg renderer at the printer's
resolution (capped) and painted full-page, so paper, preview and PDF show the same sheet without
a PDF viewer (QtPdf is not part of PySide6-Essentials) or poppler being installed. Dialogs open
window-modal and never block the event loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from perftrack.charts.fonts import FontNotFoundError
from perftrack.report.pdf import REPORT_RC, Report, build_report, write_report
from perftrack.store.evaluation import ProjectEvaluation, evaluate_all
from perftrack.ui.formatting import arg
from perftrack.ui.workspace import Workspace

# Dots per inch a page is rendered at: the preview is looked at on screen, paper is read closely.
PREVIEW_DPI = 110
PRINT_DPI = 300


def _error(parent: QWidget | None, title: str, text: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def evaluations_for(workspace: Workspace, project_ids: Sequence[int]) -> list[ProjectEvaluation]:
    """The projects' evaluations from what is committed now (by year, unit and name)."""
    ids = list(project_ids)
    return workspace.read(lambda session: evaluate_all(session, ids)) if ids else []


class _Busy:
    """A wait cursor while a report is laid out or drawn (a unit's report takes seconds)."""

    def __enter__(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def __exit__(self, *exc: object) -> None:
        QGuiApplication.restoreOverrideCursor()


def export_pdf(
    parent: QWidget | None,
    workspace: Workspace,
    project_ids: Sequence[int],
    path: Path,
    *,
    monitoring: bool = False,
) -> bool:
    """Write the projects' report to ``path``: the self-evaluation of a project at its year end, else
    (or with ``monitoring``) its monitoring report; a refusal is shown to the user."""
    title = QCoreApplication.translate("printing", "导出 PDF")
    try:
        with _Busy():
            write_report(evaluations_for(workspace, project_ids), Path(path), monitoring=monitoring)
    except (ValueError, FontNotFoundError) as exc:
        _error(parent, title, str(exc))
        return False
    except OSError as exc:
        _error(parent, title, arg(QCoreApplication.translate("printing", "无法写入 %1：%2"), path, exc.strerror or exc))
        return False
    return True


def build(parent: QWidget | None, workspace: Workspace, project_ids: Sequence[int]) -> Report | None:
    """The report laid out for printing, or None after telling the user why not."""
    try:
        with _Busy():
            return build_report(evaluations_for(workspace, project_ids))
    except (ValueError, FontNotFoundError) as exc:
        _error(parent, QCoreApplication.translate("printing", "打印"), str(exc))
        return None


def page_image(report: Report, index: int, dpi: float) -> QImage:
    """Page ``index`` of the report rendered at ``dpi``."""
    with matplotlib.rc_context(REPORT_RC):
        fig = report.figure(index)
        fig.set_dpi(dpi)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        width, height = canvas.get_width_height()
        # Converting copies the pixels out of the canvas's buffer, which dies with the canvas.
        rgba = QImage(canvas.buffer_rgba(), width, height, QImage.Format.Format_RGBA8888)
        return rgba.convertToFormat(QImage.Format.Format_RGB888)


def paint_report(printer: QPrinter, report: Report, dpi: float = PRINT_DPI) -> int:
    """Paint every page of the report onto the printer, one sheet each; returns the page count."""
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(QCoreApplication.translate("printing", "打印机无法开始打印"))
    try:
        for index in range(len(report)):
            if index:
                printer.newPage()
            image = page_image(report, index, min(dpi, printer.resolution()))
            painter.drawImage(_fit(QRectF(painter.viewport()), image.width() / image.height()), image)
    finally:
        painter.end()
    return len(report)


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
    dialog.setWindowTitle(QCoreApplication.translate("printing", "打印预览"))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def paint(target: QPrinter) -> None:
        with _Busy():
            paint_report(target, report, PREVIEW_DPI)

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
            with _Busy():
                paint_report(printer, report)
        except OSError as exc:
            _error(parent, QCoreApplication.translate("printing", "打印"), str(exc))

    dialog.accepted.connect(accepted)
    QDialog.open(dialog)  # QPrintDialog.open in PySide6 wants a receiver and a slot name
    return dialog


# The actions live in their own light module; kept importable from here.
from perftrack.ui.report_actions import ReportActions  # noqa: E402

__all__ = ["ReportActions", "export_pdf", "print_preview", "print_report"]
