"""Native Excel charts (openpyxl.chart) over cells the sheets have already written.

Charts reference ranges of the sheet, so a reader who changes a figure sees the chart follow,
and LibreOffice and Excel both draw them without pictures. Axes are set explicitly (minimum 0,
shown, with a number format) because both programs otherwise guess differently.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.axis import ChartLines, NumericAxis, TextAxis
from openpyxl.chart.data_source import AxDataSource, NumData, NumDataSource, NumRef, StrData, StrRef
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.legend import Legend
from openpyxl.chart.series import Series, SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.drawing.text import Font as DrawingFont
from openpyxl.xml.functions import SubElement, tostring

if TYPE_CHECKING:
    from perftrack.export.streamed import StreamedSheet
from perftrack.export.styles import FONT_NAME

BLUE = "4472C4"
DARK = "404040"
ORANGE = "C55A11"
GREY = "7F7F7F"


# Text properties are the same objects in every chart: building them anew took a tenth of a chart.
@cache
def _chars(size: int, *, bold: bool = False) -> CharacterProperties:
    face = DrawingFont(typeface=FONT_NAME)
    return CharacterProperties(sz=size, b=bold, latin=face, ea=face)


@cache
def _rich(size: int, *, bold: bool = False) -> RichText:
    props = _chars(size, bold=bold)
    para = Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)
    para.r = []  # openpyxl adds an empty text run by default
    return RichText(p=[para])


def _title(text: str, size: int = 1100) -> Title:
    props = _chars(size, bold=True)
    para = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=text)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def _style_axes(category: TextAxis, value: NumericAxis, number_format: str) -> None:
    category.delete = False
    value.delete = False
    value.scaling.min = 0
    value.number_format = number_format
    value.majorGridlines = ChartLines()
    category.txPr = _rich(900)
    value.txPr = _rich(900)


def _labels(number_format: str) -> DataLabelList:
    labels = DataLabelList(numFmt=number_format, showVal=True)
    labels.showSerName = labels.showCatName = labels.showLegendKey = labels.showPercent = False
    labels.txPr = _rich(800)
    return labels


def _fill(series: Series, colour: str) -> None:
    series.graphicalProperties.solidFill = colour
    series.graphicalProperties.line.solidFill = colour


def _legend() -> Legend:
    legend = Legend()
    legend.position = "b"
    legend.txPr = _rich(900)
    return legend


@dataclass(frozen=True, slots=True)
class Rows:
    """Where a chart's data lies: the header row naming each series and the data rows under it."""

    ws: StreamedSheet
    header: int
    first: int
    last: int

    @classmethod
    def below(cls, ws: StreamedSheet, header: int, last: int) -> Rows:
        """The rows directly under a header row."""
        return cls(ws, header, header + 1, last)

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    def cells(self, col: int) -> list[object]:
        return [self.ws.value(r, col) for r in range(self.first, self.last + 1)]

    def ref(self, col: int) -> Reference:
        return Reference(self.ws, min_col=col, min_row=self.first, max_row=self.last)


# A series' source in its chart's XML: strRef or numRef, the formula, the count, the cached points.
Ref = tuple[str, str, int, list[tuple[int, str]]]


def _series_refs(rows: Rows, value_col: int, cat_col: int) -> list[Ref]:
    """A series' name, categories and values (in the order of its XML), with their cached points."""
    name = str(rows.ws.value(rows.header, value_col) or "")
    values = rows.cells(value_col)
    labels = rows.cells(cat_col)
    return [
        ("strRef", str(Reference(rows.ws, min_col=value_col, min_row=rows.header)), 1, [(0, name)]),
        ("strRef", str(rows.ref(cat_col)), len(labels), [(i, str(v)) for i, v in enumerate(labels) if v is not None]),
        (
            "numRef",
            str(rows.ref(value_col)),
            len(values),
            [(i, _number(v)) for i, v in enumerate(values) if isinstance(v, int | Decimal)],
        ),
    ]


def _add_series(chart: BarChart | LineChart, rows: Rows, value_col: int, cat_col: int) -> Series:
    """Add one column as a series, named by its header cell, with text categories.

    Values, name and categories are also cached in the chart, as Excel writes them, so a
    reader that draws charts without recalculating the sheet still shows them (the points are
    put into the chart's XML by ``chart_xml``: as openpyxl objects they were half of its time).
    """
    refs = _series_refs(rows, value_col, cat_col)
    (_, name_ref, _, _), (_, label_ref, labels, _), (_, value_ref, values, _) = refs
    series = Series(
        tx=SeriesLabel(strRef=StrRef(f=name_ref, strCache=StrData(ptCount=1))),
        val=NumDataSource(numRef=NumRef(f=value_ref, numCache=NumData(formatCode="General", ptCount=values))),
        cat=AxDataSource(strRef=StrRef(f=label_ref, strCache=StrData(ptCount=labels))),
    )
    series.perftrack_refs = refs
    series.idx = series.order = len(chart.series)
    chart.series.append(series)
    return series


def _from_template(key: tuple[object, ...], refs: list[Ref], width: float, height: float) -> BarChart | None:
    """A chart of a kind already written: only what its drawing and ``chart_xml`` need is made."""
    if key not in _TEMPLATES:
        return None
    chart = BarChart()
    chart.perftrack_key = key
    chart.perftrack_refs = refs
    chart.width = width
    chart.height = height
    return chart


def _number(value: int | Decimal) -> str:
    return f"{float(value):.16g}"  # as openpyxl writes a chart's numbers


# A chart's XML without its references and points, by what else it shows (kind, titles, axes):
# a workbook's per-project charts differ in little else, and openpyxl's serialising was most of
# a chart's cost. Bounded: the keys are few (titles and axis limits take a handful of values).
_TEMPLATES: dict[tuple[object, ...], Any] = {}
MAX_TEMPLATES = 200


def chart_xml(chart: BarChart | LineChart) -> bytes:
    """The chart part, with the references and the cached points of every series in place."""
    refs: list[Ref] | None = getattr(chart, "perftrack_refs", None)
    if refs is None:
        refs = [ref for part in chart._charts for series in part.series for ref in series.perftrack_refs]
    key = getattr(chart, "perftrack_key", None)
    template = _TEMPLATES.get(key) if key is not None else None
    if template is None:
        tree = chart._write()
        if key is not None and len(_TEMPLATES) < MAX_TEMPLATES:
            _TEMPLATES[key] = deepcopy(tree)
    else:
        tree = deepcopy(template)
    found = list(tree.iter("numRef", "strRef"))
    if len(found) != len(refs):
        raise AssertionError("a chart's series do not match its template")
    for element, (tag, formula, count, points) in zip(found, refs, strict=True):
        if element.tag != tag:
            raise AssertionError("a chart's series do not match its template")
        element.find("f").text = formula
        cache = element.find("numCache" if tag == "numRef" else "strCache")
        cache.find("ptCount").set("val", str(count))
        for old in cache.findall("pt"):
            cache.remove(old)
        for index, text in points:
            point = SubElement(cache, "pt", idx=str(index))
            SubElement(point, "v").text = text
    return tostring(tree)


def _horizontal_bars(rows: Rows, cat_col: int, value_col: int) -> BarChart:
    """Horizontal bars, first category at the top, values axis along the bottom."""
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    _add_series(chart, rows, value_col, cat_col)
    # Top-to-bottom in table order; the value axis then sits at the "maximum" category (the bottom).
    chart.x_axis.scaling.orientation = "maxMin"
    chart.y_axis.crosses = "max"
    return chart


def completion_chart(
    rows: Rows,
    *,
    cat_col: int,
    value_col: int,
    target_col: int,
    title: str,
    largest: Decimal,
    max_height: float,
) -> BarChart:
    """Each quantitative indicator's completion ratio as a bar inside a dashed 100 % outline."""
    # Far outliers (a mistyped actual) would squeeze every other bar; their labels still show the value.
    top = float(min(max(Decimal("1.2"), _round_up_tenth(largest)), Decimal(2)))
    height = min(max_height, max(6.0, 2.0 + 0.7 * rows.count))
    key = ("completion", title, top)
    refs = [*_series_refs(rows, value_col, cat_col), *_series_refs(rows, target_col, cat_col)]
    known = _from_template(key, refs, 16.0, height)
    if known is not None:
        return known
    chart = _horizontal_bars(rows, cat_col, value_col)
    target = _add_series(chart, rows, target_col, cat_col)
    _fill(chart.series[0], BLUE)
    chart.series[0].dLbls = _labels("0%")
    # Drawn after the bars and unfilled, the target shows as an outline ending at 100 %.
    target.graphicalProperties = GraphicalProperties(noFill=True)
    target.graphicalProperties.line.solidFill = DARK
    target.graphicalProperties.line.prstDash = "dash"
    target.graphicalProperties.line.width = 12700
    chart.overlap = 100
    chart.gapWidth = 50
    chart.title = _title(title)
    _style_axes(chart.x_axis, chart.y_axis, "0%")
    chart.y_axis.scaling.max = top
    chart.y_axis.majorUnit = 0.2
    chart.legend = _legend()
    chart.width = 16.0
    chart.height = height
    chart.perftrack_key = key
    return chart


def score_chart(rows: Rows, *, cat_col: int, value_col: int, title: str) -> BarChart:
    """Each project's total score out of 100."""
    height = max(5.0, 2.0 + 0.5 * rows.count)
    known = _from_template(("score", title), _series_refs(rows, value_col, cat_col), 25.0, height)
    if known is not None:
        return known
    chart = _horizontal_bars(rows, cat_col, value_col)
    _fill(chart.series[0], BLUE)
    chart.series[0].dLbls = _labels("0.00")
    chart.gapWidth = 60
    chart.title = _title(title)
    _style_axes(chart.x_axis, chart.y_axis, "0")
    chart.y_axis.scaling.max = 100
    chart.y_axis.majorUnit = 10
    chart.legend = None
    chart.width = 25.0
    chart.height = height
    chart.perftrack_key = ("score", title)
    return chart


def budget_chart(
    rows: Rows,
    *,
    period_col: int,
    amount_col: int,
    rate_col: int,
    elapsed_col: int,
    title: str,
    money_unit: str = "元",
) -> BarChart:
    """Money executed in each quarter (bars, in ``money_unit``) with the cumulative rate against time elapsed."""
    # Up to 120 %, or further when more than the budget was spent, so the line stays in view.
    rates = [v for v in rows.cells(rate_col) if isinstance(v, Decimal)]
    top = max(Decimal("1.2"), max(rates, default=Decimal(0)))
    step = Decimal("0.2") if top <= 2 else (top / 6 / Decimal("0.5")).to_integral_value(ROUND_CEILING) / 2
    rate_axis = (float(step), float((top / step).to_integral_value(ROUND_CEILING) * step))
    key = ("budget", title, money_unit, *rate_axis)
    refs = [
        *_series_refs(rows, amount_col, period_col),
        *_series_refs(rows, rate_col, period_col),
        *_series_refs(rows, elapsed_col, period_col),
    ]
    known = _from_template(key, refs, 16.0, 7.5)
    if known is not None:
        return known
    bars = BarChart()
    bars.type = "col"
    _fill(_add_series(bars, rows, amount_col, period_col), BLUE)
    bars.gapWidth = 80
    _style_axes(bars.x_axis, bars.y_axis, "#,##0")
    bars.y_axis.title = _title(f"当期执行数（{money_unit}）", 900)

    lines = LineChart()
    for col, colour, dash in ((rate_col, ORANGE, "solid"), (elapsed_col, GREY, "dash")):
        series = _add_series(lines, rows, col, period_col)
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.prstDash = dash
        series.graphicalProperties.line.width = 22225
        series.marker.symbol = "circle"
        series.marker.graphicalProperties = None
        series.smooth = False
    lines.y_axis.axId = 200
    lines.y_axis.crosses = "max"
    lines.y_axis.scaling.min = 0
    lines.y_axis.majorUnit, lines.y_axis.scaling.max = rate_axis
    lines.y_axis.number_format = "0%"
    lines.y_axis.delete = False
    lines.y_axis.majorGridlines = None
    lines.y_axis.txPr = _rich(900)
    lines.y_axis.title = _title("累计执行率 / 时间进度", 900)
    bars += lines

    bars.title = _title(title)
    bars.legend = _legend()
    bars.width = 16.0
    bars.height = 7.5
    bars.perftrack_key = key
    return bars


def _round_up_tenth(value: Decimal) -> Decimal:
    tenths = (value * 10).to_integral_value(rounding=ROUND_CEILING)
    return tenths / 10
