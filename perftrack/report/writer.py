"""Laid-out pages into a PDF file with ReportLab, one page at a time.

Why ReportLab: the report is tables of text, rules and fills, and ReportLab's canvas writes them
as PDF operators directly, with the CJK font embedded as a subset of the glyphs used, in
milliseconds a page (matplotlib, which drew the pages before, laid out every cell's text as an
artist: 1.3 s beyond start-up for one project, 2 minutes for 200). It is a pure-Python wheel,
needs no display and has been maintained since 2000. Qt's QPdfWriter was the other candidate:
as fast, but it needs a QGuiApplication (the command line would start Qt's platform plugin),
and its text layout is Qt's, not the one the layout engine measures with. Our own layout engine
(``layout``) keeps deciding page breaks, repeated headers and keep-together; ReportLab only draws.

Pages are drawn as they are laid out and not kept, so a report of any length holds one project's
items at a time (ReportLab keeps each finished page as its compressed content stream, a few KB).
What is known only at the end is filled in at the end: each page's footer (unit, 第 n 页 / 共 N 页,
date) is a form XObject the page refers to, defined once the count is known, and a summary drawn
last (it lists every project) is moved in front of the projects' pages.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from types import TracebackType

from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import PDFStream, PDFZCompress
from reportlab.pdfgen.canvas import Canvas

from perftrack.report.fonts import MAIN, report_fonts
from perftrack.report.layout import PAGE_H, PAGE_W, Chart, Page, chart_ops, draw_footer, draw_page, page_charts
from perftrack.report.vector import Ops

# Streams stay binary (zlib only): ASCII85 on top makes the file a quarter larger and costs time.
rl_config.useA85 = 0


class _Deflated:
    """A stream filter whose work is done already: it only names the encoding."""

    pdfname = "FlateDecode"

    def encode(self, content: bytes) -> bytes:
        return content


_DEFLATED = _Deflated()


class PdfWriter:
    """An A4 PDF being written at ``path``: ``add`` pages, then ``finish``."""

    def __init__(self, path: Path) -> None:
        report_fonts()  # FontNotFoundError before anything is written
        # The initial font is ours: ReportLab's default (Helvetica) would be named, not embedded.
        self.canvas = Canvas(str(path), pagesize=(PAGE_W, PAGE_H), pageCompression=1, initialFontName=MAIN)
        self.count = 0

    def add(self, page: Page, drawn_charts: Ops | None = None) -> None:
        """Draw ``page`` as the next page (its charts played from ``drawn_charts`` when given)."""
        draw_page(self.canvas, page, self._footer(self.count), drawn_charts)
        self.canvas.showPage()
        self._compress_last_page()
        self.count += 1

    def _compress_last_page(self) -> None:
        """Compress the finished page's operators now: ReportLab would keep them as text until the
        file is saved, 30 KB a page, so memory would grow with the report's length (5 KB compressed)."""
        finished = self.canvas._doc.Pages.pages[-1]
        if finished.stream and finished.compression:
            finished.Contents = PDFStream(content=PDFZCompress.encode(finished.stream), filters=[_DEFLATED])
            finished.Contents.__Comment__ = "page stream"
            finished.stream = None

    @staticmethod
    def _footer(index: int) -> str:
        return f"footer{index}"

    def finish(self, footer: str, date: dt.date, *, title: str, front: int = 0) -> None:
        """Number the pages, move the last ``front`` pages to the front, and save the file."""
        c = self.canvas
        pages = c._doc.Pages.pages  # ReportLab's page list, in drawing order
        if front:
            moved = pages[-front:]
            del pages[-front:]
            pages[0:0] = moved
        for drawn in range(self.count):
            # The page drawn as number ``drawn`` prints at this position in the file.
            number = drawn - (self.count - front) + 1 if drawn >= self.count - front else drawn + front + 1
            draw_footer(c, self._footer(drawn), footer, number, self.count, date)
        c.setTitle(title)
        c.setAuthor(footer)
        c.setCreator("perftrack")
        c.save()


# -- charts drawn by worker processes ---------------------------------------------------------


# Fewer projects than this are drawn in one process: starting workers would cost more than it saves.
PARALLEL_PROJECTS = 20


def chart_workers_available(projects: int) -> int:
    """How many worker processes should draw the charts of ``projects`` projects: one a core.

    Only where processes can be forked (Linux): a forked worker starts in milliseconds with
    matplotlib and the fonts already loaded; elsewhere it would start a fresh interpreter (and a
    frozen Windows program would start itself again). Sending the charts over and playing them back
    costs a quarter more CPU in all, which pays while the cores are otherwise idle, as on a desk
    (200 projects on 2 cores: 20.5 s against 29.5 s) and loses when other work keeps them busy
    (45.8 s against 32.7 s; benchmarks/report_speed.py). ``PERFTRACK_REPORT_WORKERS`` sets the
    count (0: none)."""
    if projects < PARALLEL_PROJECTS or sys.platform != "linux" or getattr(sys, "frozen", False):
        return 0
    chosen = os.environ.get("PERFTRACK_REPORT_WORKERS", "").strip()
    return int(chosen) if chosen.isdigit() else os.cpu_count() or 1


def _draw_in_worker(charts: list[tuple[Chart, float]], rc: dict[str, object]) -> Ops:
    import matplotlib

    with matplotlib.rc_context(rc):
        return chart_ops(charts)


class ChartDrawer:
    """Where a page's charts are drawn: in ``workers`` forked processes while this one lays out and
    draws the tables (matplotlib takes four fifths of a page's time), or here with ``workers`` 0.

    ``submit`` hands a page's charts over and returns a Future of their recorded drawing (None: draw
    them in this process); ``lookahead`` is how many laid-out projects may wait for their charts.
    """

    def __init__(self, workers: int, rc: dict[str, object]) -> None:
        self.rc = rc
        self.pool: ProcessPoolExecutor | None = None
        self.lookahead = 0
        if workers > 0:
            self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
            self.lookahead = 2 * workers

    def submit(self, page: Page) -> Future[Ops] | None:
        charts = page_charts(page)
        if self.pool is None or not charts:
            return None
        return self.pool.submit(_draw_in_worker, charts, self.rc)

    def __enter__(self) -> ChartDrawer:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
