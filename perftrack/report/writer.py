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
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from perftrack.report.fonts import MAIN, report_fonts
from perftrack.report.layout import PAGE_H, PAGE_W, Page, draw_footer, draw_page


class PdfWriter:
    """An A4 PDF being written at ``path``: ``add`` pages, then ``finish``."""

    def __init__(self, path: Path) -> None:
        report_fonts()  # FontNotFoundError before anything is written
        # The initial font is ours: ReportLab's default (Helvetica) would be named, not embedded.
        self.canvas = Canvas(str(path), pagesize=(PAGE_W, PAGE_H), pageCompression=1, initialFontName=MAIN)
        self.count = 0

    def add(self, page: Page) -> None:
        """Draw ``page`` as the next page."""
        draw_page(self.canvas, page, self._footer(self.count))
        self.canvas.showPage()
        self.count += 1

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
