"""matplotlib figures drawn straight onto a ReportLab page: the report's charts as vectors.

The charts stay the ones the window shows (``charts.figures`` draws them into matplotlib Axes);
only the last step differs. Instead of rasterising them or saving each as a PDF of its own (which
would embed the font again per chart), ``draw_figure`` hands the Figure a matplotlib renderer
whose primitives are ReportLab canvas calls: paths with their fills, strokes, dashes, hatches and
clips, and text as real text in the report's own faces (``report.fonts``), so it can be searched
and copied and the file holds one font subset. With the Figure at 72 dpi, matplotlib's display
coordinates are PDF points from the page's bottom-left corner, as ReportLab's are.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.backend_bases import GraphicsContextBase, RendererBase
from matplotlib.figure import Figure
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Affine2D, Transform
from reportlab.pdfgen.canvas import Canvas

from perftrack.report import fonts

_CAPS = {"butt": 0, "round": 1, "projecting": 2}
_JOINS = {"miter": 0, "round": 1, "bevel": 2}
# matplotlib's PDF backend tiles hatches in cells of this many points (its default density in each).
_HATCH_CELL = 72.0


class CanvasRenderer(RendererBase):
    """A matplotlib renderer drawing onto a ReportLab canvas (points, origin bottom-left)."""

    def __init__(self, canvas: Canvas, width: float, height: float) -> None:
        super().__init__()
        self.canvas = canvas
        self.width, self.height = width, height

    # -- what matplotlib asks of a renderer --

    def flipy(self) -> bool:
        return False

    def points_to_pixels(self, points: Any) -> Any:
        return points  # 72 dpi: a pixel is a point

    def get_canvas_width_height(self) -> tuple[float, float]:
        return self.width, self.height

    def option_image_nocomposite(self) -> bool:
        return True

    def get_text_width_height_descent(self, s: str, prop: Any, ismath: Any) -> tuple[float, float, float]:
        size = prop.get_size_in_points()
        face = fonts.report_fonts()
        descent = face.descent * size
        return fonts.text_width(s, size), face.ascent * size + descent, descent

    def _get_font_height_metrics(self, prop: Any) -> tuple[float, float, float]:
        # matplotlib asks this (when a renderer has it) instead of opening its own font file
        # for every text's line height: the answer is the same face's OS/2 metrics.
        size = prop.get_size_in_points()
        face = fonts.report_fonts()
        return face.ascent * size, face.descent * size, face.line_gap * size

    # -- drawing --

    def _clip(self, gc: GraphicsContextBase) -> None:
        c = self.canvas
        box = gc.get_clip_rectangle()
        if box is not None:
            p = c.beginPath()
            p.rect(box.x0, box.y0, box.width, box.height)
            c.clipPath(p, stroke=0, fill=0)
        path, transform = gc.get_clip_path()
        if path is not None:
            c.clipPath(self._path(path, transform), stroke=0, fill=0)

    def _path(self, path: MplPath, transform: Transform) -> Any:
        p = self.canvas.beginPath()
        last = (0.0, 0.0)
        for vertices, code in path.iter_segments(transform, remove_nans=True, simplify=False, curves=True):
            if code == MplPath.MOVETO:
                p.moveTo(*vertices)
            elif code == MplPath.LINETO:
                p.lineTo(*vertices)
            elif code == MplPath.CURVE3:
                (cx, cy), (x, y) = vertices[:2], vertices[2:]
                x0, y0 = last
                p.curveTo(
                    x0 + 2 / 3 * (cx - x0), y0 + 2 / 3 * (cy - y0), x + 2 / 3 * (cx - x), y + 2 / 3 * (cy - y), x, y
                )
            elif code == MplPath.CURVE4:
                p.curveTo(*vertices)
            elif code == MplPath.CLOSEPOLY:
                p.close()
                continue
            last = (vertices[-2], vertices[-1])
        return p

    def _stroke_style(self, gc: GraphicsContextBase) -> bool:
        """Set the stroke of ``gc`` on the canvas; False when nothing is to be stroked."""
        r, g, b, a = gc.get_rgb()
        width = gc.get_linewidth()
        if width <= 0 or a == 0:
            return False
        c = self.canvas
        c.setStrokeColorRGB(r, g, b, alpha=a if a < 1 else None)
        c.setLineWidth(width)
        c.setLineCap(_CAPS.get(gc.get_capstyle(), 0))
        c.setLineJoin(_JOINS.get(gc.get_joinstyle(), 0))
        offset, dashes = gc.get_dashes()
        if dashes is not None and len(dashes):
            c.setDash([float(d) for d in dashes], float(offset or 0))
        return True

    def draw_path(self, gc: GraphicsContextBase, path: MplPath, transform: Transform, rgbFace: Any = None) -> None:
        c = self.canvas
        c.saveState()
        try:
            self._clip(gc)
            fill = rgbFace is not None and (len(rgbFace) < 4 or rgbFace[3] > 0)
            if fill:
                alpha = rgbFace[3] if len(rgbFace) > 3 else 1.0
                if gc.get_forced_alpha():
                    alpha = gc.get_alpha()
                c.setFillColorRGB(*rgbFace[:3], alpha=alpha if alpha < 1 else None)
            stroke = self._stroke_style(gc)
            if fill or stroke:
                c.drawPath(self._path(path, transform), stroke=int(stroke), fill=int(fill), fillMode=0)
            hatch = gc.get_hatch()
            if hatch:
                self._hatch(gc, path, transform, hatch)
        finally:
            c.restoreState()

    def _hatch(self, gc: GraphicsContextBase, path: MplPath, transform: Transform, hatch: str) -> None:
        """Hatch lines over the path, tiled as matplotlib's PDF backend tiles them."""
        c = self.canvas
        c.clipPath(self._path(path, transform), stroke=0, fill=0)
        extents = path.get_extents(transform)
        cell = MplPath.hatch(hatch)
        if cell is None:
            return
        r, g, b, *_ = gc.get_hatch_color()
        c.setStrokeColorRGB(r, g, b)
        c.setLineWidth(gc.get_hatch_linewidth())
        c.setDash([])
        # Tiles start at the figure's top-left corner, as matplotlib's own PDF patterns do.
        x0 = np.floor(extents.x0 / _HATCH_CELL) * _HATCH_CELL
        y0 = self.height + np.floor((extents.y0 - self.height) / _HATCH_CELL) * _HATCH_CELL
        x = x0
        while x < extents.x1:
            y = y0
            while y < extents.y1:
                tile = Affine2D().scale(_HATCH_CELL).translate(x, y)
                c.drawPath(self._path(cell, tile), stroke=1, fill=0)
                y += _HATCH_CELL
            x += _HATCH_CELL

    def draw_text(
        self,
        gc: GraphicsContextBase,
        x: float,
        y: float,
        s: str,
        prop: Any,
        angle: float,
        ismath: Any = False,
        mtext: Any = None,
    ) -> None:
        if not s:
            return
        if ismath:
            s = s.replace("$", "")
        c = self.canvas
        c.saveState()
        try:
            self._clip(gc)
            r, g, b, a = gc.get_rgb()
            c.setFillColorRGB(r, g, b, alpha=a if a < 1 else None)
            c.translate(x, y)
            if angle:
                c.rotate(angle)
            draw_runs(c, 0.0, 0.0, s, prop.get_size_in_points())
        finally:
            c.restoreState()


def draw_runs(canvas: Canvas, x: float, y: float, text: str, size: float) -> float:
    """``text`` from its baseline's left end at (x, y), each piece in the face that has its glyphs; its width."""
    start = x
    for face, piece in fonts.runs(text):
        canvas.setFont(face, size)
        canvas.drawString(x, y, piece)
        x += fonts.text_width(piece, size)
    return x - start


def draw_figure(canvas: Canvas, figure: Figure) -> None:
    """Draw ``figure`` (72 dpi, the size of the page) onto the canvas's current page."""
    width, height = figure.get_size_inches() * 72
    figure.draw(CanvasRenderer(canvas, width, height))


# -- drawing in another process ---------------------------------------------------------------


class _RecordedPath:
    """A path's operators, kept to be built again on the real canvas."""

    def __init__(self) -> None:
        self.ops: list[tuple[str, tuple[float, ...]]] = []

    def __getattr__(self, name: str) -> Any:
        return lambda *args: self.ops.append((name, tuple(float(a) for a in args)))


# Recorded canvas calls: (method, positional arguments, keyword arguments), paths as ("path", operators).
Ops = list[tuple[str, tuple[Any, ...], dict[str, Any]]]


class RecordingCanvas:
    """Stands in for a ReportLab canvas and keeps the calls made to it (plain, picklable values),
    so a figure drawn in a worker process is played onto the page by ``replay``."""

    def __init__(self) -> None:
        self.ops: Ops = []

    def beginPath(self) -> _RecordedPath:
        return _RecordedPath()

    def __getattr__(self, name: str) -> Any:
        def record(*args: Any, **kwargs: Any) -> None:
            plain = tuple(("path", a.ops) if isinstance(a, _RecordedPath) else a for a in args)
            self.ops.append((name, plain, kwargs))

        return record


def replay(canvas: Canvas, ops: Ops) -> None:
    """Make the recorded calls on ``canvas``."""
    for name, args, kwargs in ops:
        real = []
        for arg in args:
            if isinstance(arg, tuple) and len(arg) == 2 and arg[0] == "path":
                path = canvas.beginPath()
                for op, values in arg[1]:
                    getattr(path, op)(*values)
                arg = path
            real.append(arg)
        getattr(canvas, name)(*real, **kwargs)
