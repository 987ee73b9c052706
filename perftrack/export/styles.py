"""The look of the exported workbook: fonts, borders, fills, number formats and page setup.

Every cell style is built here once, so the sheets only name what a cell is (a title, a label,
a money amount) and the printed forms stay consistent. Fills are light enough to print as pale
grey on a black-and-white printer; a status is always also written as its label, never shown
by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from perftrack.domain.attainment import Status

# A font every Chinese Windows has; LibreOffice substitutes a CJK font where it is missing.
FONT_NAME = "SimSun"
GB2312_CHARSET = 134
BODY_SIZE = 10
TITLE_SIZE = 16

MONEY_FORMAT = "#,##0.00"
RATE_FORMAT = "0.00%"
SCORE_FORMAT = "0.00"
COUNT_FORMAT = "0"

_THIN = Side(style="thin", color="000000")
GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
NO_BORDER = Border()

HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
LABEL_FILL = PatternFill("solid", fgColor="F2F2F2")
TOTAL_FILL = PatternFill("solid", fgColor="EDEDED")
NO_FILL = PatternFill(fill_type=None)

# Pale enough to print as light grey behind black text; the label carries the meaning.
STATUS_FILLS: dict[Status, PatternFill] = {
    Status.ON_TRACK: PatternFill("solid", fgColor="E2EFDA"),
    Status.AT_RISK: PatternFill("solid", fgColor="FFF2CC"),
    Status.OFF_TRACK: PatternFill("solid", fgColor="F8CBAD"),
    Status.NO_ACTUAL: PatternFill("solid", fgColor="EDEDED"),
}


def font(size: int = BODY_SIZE, *, bold: bool = False, italic: bool = False, color: str = "000000") -> Font:
    """The house font at a size, with the Chinese character set so Excel picks CJK glyphs."""
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic, color=color, charset=GB2312_CHARSET)


@dataclass(frozen=True, slots=True)
class CellStyle:
    """What a kind of cell looks like; applied whole so no cell is half-styled."""

    font: Font
    alignment: Alignment
    border: Border = GRID
    fill: PatternFill = NO_FILL


def _align(horizontal: str, *, wrap: bool = True, vertical: str = "center") -> Alignment:
    return Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap)


TITLE = CellStyle(font(TITLE_SIZE, bold=True), _align("center", wrap=False), NO_BORDER)
SUBTITLE = CellStyle(font(BODY_SIZE + 1), _align("center", wrap=False), NO_BORDER)
NOTE = CellStyle(font(BODY_SIZE - 1, italic=True, color="404040"), _align("left"), NO_BORDER)
SECTION = CellStyle(font(BODY_SIZE + 1, bold=True), _align("left", wrap=False), NO_BORDER)
HEADER = CellStyle(font(bold=True), _align("center"), GRID, HEADER_FILL)
LABEL = CellStyle(font(bold=True), _align("center"), GRID, LABEL_FILL)
LABEL_LEFT = CellStyle(font(bold=True), _align("left"), GRID, LABEL_FILL)
TEXT = CellStyle(font(), _align("left"))
TEXT_TOP = CellStyle(font(), _align("left", vertical="top"))
CENTER = CellStyle(font(), _align("center"))
NUMBER = CellStyle(font(), _align("right", wrap=False))
PENDING = CellStyle(font(italic=True, color="595959"), _align("left"))
TOTAL_LABEL = CellStyle(font(bold=True), _align("center"), GRID, TOTAL_FILL)
TOTAL_NUMBER = CellStyle(font(bold=True), _align("right", wrap=False), GRID, TOTAL_FILL)
TOTAL_TEXT = CellStyle(font(bold=True), _align("center"), GRID, TOTAL_FILL)
LINK = CellStyle(font(color="1F4E79"), _align("left"))


@cache
def status_style(status: Status) -> CellStyle:
    """A status cell: its pale fill, bold when the indicator is off track."""
    return CellStyle(font(bold=status is Status.OFF_TRACK), _align("center"), GRID, STATUS_FILLS[status])


def quoted(text: str) -> str:
    """Text made safe inside a number format's literal part."""
    return '"' + text.replace('"', "").replace("\\", "") + '"'


def value_format(places: int, unit: str | None = None) -> str:
    """A number format with thousands separators, ``places`` decimals and the unit as a suffix."""
    base = "#,##0" + ("." + "0" * places if places > 0 else "")
    return base + (quoted(f"({unit})") if unit else "")


# Characters of a project name the page footer shows.
FOOTER_NAME = 40
# A4 in the xlsx paper-size code list, and its size in centimetres.
PAPER_A4 = 9
A4_CM = (21.0, 29.7)
SIDE_MARGIN_IN = 0.5
TOP_MARGIN_IN = 0.6
BOTTOM_MARGIN_IN = 0.7
CM_PER_INCH = 2.54


def printable_cm(*, landscape: bool) -> tuple[float, float]:
    """Width and height (cm) inside the margins ``setup_page`` sets, less a line for the footer."""
    width, height = (A4_CM[1], A4_CM[0]) if landscape else A4_CM
    return (
        width - 2 * SIDE_MARGIN_IN * CM_PER_INCH,
        height - (TOP_MARGIN_IN + BOTTOM_MARGIN_IN) * CM_PER_INCH - 0.5,
    )


def sheet_width_cm(widths: list[float]) -> float:
    """Width of columns (in Excel's character units: 7 px each plus 5 px padding at 96 dpi)."""
    return sum(w * 7 + 5 for w in widths) / 96 * CM_PER_INCH


def page_height_in_sheet_cm(widths: list[float], *, landscape: bool) -> float:
    """How much sheet height fits on one page once the sheet is shrunk to the page width."""
    page_width, page_height = printable_cm(landscape=landscape)
    scale = min(1.0, page_width / sheet_width_cm(widths))
    return page_height / scale


def setup_page(
    ws: Worksheet,
    *,
    landscape: bool,
    title_rows: tuple[int, int] | None = None,
    print_area: str | None = None,
    footer: str = "",
    mark: str = "",
) -> None:
    """A4, fitted to the page width (as many pages tall as needed), header rows on every page.

    ``mark`` goes in every page's header: what the sheet is and the date its figures stand at.
    """
    ws.page_setup.paperSize = PAPER_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN_IN
    ws.page_margins.top = TOP_MARGIN_IN
    ws.page_margins.bottom = BOTTOM_MARGIN_IN
    ws.page_margins.header = 0.3
    ws.page_margins.footer = 0.3
    if title_rows is not None:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    if print_area is not None:
        ws.print_area = print_area
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.font = FONT_NAME
    ws.oddFooter.center.size = 9
    if footer:
        # Excel refuses a header or footer longer than 255 characters, codes included.
        name = footer if len(footer) <= FOOTER_NAME else footer[: FOOTER_NAME - 1] + "…"
        ws.oddFooter.left.text = name.replace("&", "&&")
        ws.oddFooter.left.font = FONT_NAME
        ws.oddFooter.left.size = 9
    if mark:
        ws.oddHeader.right.text = mark.replace("&", "&&")
        ws.oddHeader.right.font = FONT_NAME
        ws.oddHeader.right.size = 9
    ws.sheet_view.showGridLines = False
