"""The printed report's fonts, as ReportLab embeds them, and text measured exactly as it prints.

The Chinese font is the one the charts use (``charts.fonts``: a font shipped in
``resources/fonts`` first, else the first known CJK family the system has), so table, page and
chart text look alike. ReportLab embeds TrueType outlines only: a CFF-based font (Noto Sans CJK's
``.otf``/``.ttc``) is passed over for the next family, and without any usable font the report is
refused with what to install. A ``.ttc`` collection holds several faces; the face whose family
name is the chosen one is taken (WenQuanYi Micro Hei, not its Mono sister; Microsoft YaHei, not
YaHei UI). A character the CJK font lacks is set in DejaVu Sans (shipped inside matplotlib), as
matplotlib's own per-glyph fallback does, never as an empty box.

``text_width`` adds the same advance widths the PDF uses (no kerning on either side), so a line
``wrap_text`` accepts is a line that fits when printed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from perftrack.charts.fonts import FontNotFoundError, require_cjk_fonts
from perftrack.charts.fonts import wrap_text as _wrap_with

# ReportLab's names for the registered faces.
MAIN, FALLBACK = "perftrack-cjk", "perftrack-latin"


@dataclass(frozen=True)
class ReportFonts:
    """The registered faces: per character, which face draws it and its advance in 1/1000 em."""

    main_file: Path
    main_glyphs: frozenset[int]
    ascent: float  # above the baseline, in em
    descent: float  # below it (positive), in em
    line_gap: float  # between lines, in em


def _families() -> list[tuple[str, Path]]:
    """(family, file) of the CJK fonts matplotlib was given, in order of preference."""
    from matplotlib import font_manager, rcParams

    found: list[tuple[str, Path]] = []
    for family in rcParams["font.family"]:
        if family == "DejaVu Sans":
            break
        try:
            path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
        found.append((family, Path(path)))
    return found


def _face_index(path: Path, family: str) -> int:
    """Which face of a .ttc collection is ``family`` (0 for a plain font or when none says so)."""
    if path.suffix.lower() != ".ttc":
        return 0
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    try:
        for index, face in enumerate(collection.fonts):
            if face["name"].getBestFamilyName() == family:
                return index
    finally:
        collection.close()
    return 0


@functools.cache
def report_fonts() -> ReportFonts:
    """Register the report's faces with ReportLab (once); raises FontNotFoundError without one."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError

    from perftrack.paths import cache_dir
    from perftrack.report.font_cache import Face, load_face

    require_cjk_fonts()
    main: Face | None = None
    passed_over: list[str] = []
    unreadable: list[str] = []
    for family, path in _families():
        try:
            main = load_face(MAIN, path, family, folder=cache_dir(), face_index=_face_index, line_gap=_line_gap)
            break
        except TTFError:  # PostScript (CFF) outlines: ReportLab cannot embed them
            passed_over.append(f"{family}（{path.name}）")
        except OSError as exc:  # gone, locked or not allowed since matplotlib found it
            unreadable.append(f"{path}（{exc.strerror or exc}）")
    if main is None:
        raise FontNotFoundError(
            "找不到可嵌入 PDF 的中文字体（需要 TrueType 轮廓的字体；"
            + ("、".join(passed_over) + " 不能嵌入；" if passed_over else "")
            + ("无法读取 " + "、".join(unreadable) + "；" if unreadable else "")
            + "请安装“文泉驿微米黑”（fonts-wqy-microhei）或微软雅黑，"
            "或把 .ttf/.ttc 字体文件放入 perftrack/resources/fonts 文件夹。"
        )
    face = main.font.face
    pdfmetrics.registerFont(main.font)
    return ReportFonts(
        Path(face.filename),
        frozenset(face.charToGlyph),
        face.ascent / 1000,
        -face.descent / 1000,
        main.line_gap,
    )


def _line_gap(path: Path, index: int) -> float:
    """The face's line gap in em, as matplotlib reads it (OS/2, else hhea)."""
    from fontTools.ttLib import TTFont as ToolsFont

    face = ToolsFont(str(path), fontNumber=index, lazy=True)
    try:
        per_em = face["head"].unitsPerEm
        if "OS/2" in face:
            return face["OS/2"].sTypoLineGap / per_em
        return face["hhea"].lineGap / per_em
    finally:
        face.close()


@functools.cache
def _fallback_glyphs() -> frozenset[int]:
    """Register DejaVu Sans (on the first character the CJK font lacks) and return what it covers."""
    import matplotlib
    from reportlab.pdfbase import pdfmetrics

    from perftrack.paths import cache_dir
    from perftrack.report.font_cache import load_face

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    fallback = load_face(FALLBACK, path, None, folder=cache_dir(), face_index=_face_index).font
    pdfmetrics.registerFont(fallback)
    return frozenset(fallback.face.charToGlyph)


def face_of(ch: str) -> str:
    """The registered face that draws ``ch``."""
    code = ord(ch)
    if code in report_fonts().main_glyphs or code not in _fallback_glyphs():
        return MAIN
    return FALLBACK


@functools.cache
def _advance(ch: str) -> float:
    """Width of ``ch`` at 1 point, as the PDF advances it."""
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.getFont(face_of(ch)).stringWidth(ch, 1.0)


def runs(text: str) -> list[tuple[str, str]]:
    """``text`` cut into (face, piece) runs, each piece drawn by one face."""
    result: list[tuple[str, str]] = []
    for ch in text:
        face = face_of(ch)
        if result and result[-1][0] == face:
            result[-1] = (face, result[-1][1] + ch)
        else:
            result.append((face, ch))
    return result


def text_width(text: str, size: float) -> float:
    """Width in points of ``text`` set at ``size`` points in the report's faces."""
    return sum(_advance(ch) for ch in text) * size


def wrap_text(text: str, width: float, size: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points as printed (the charts' line rules)."""
    return _wrap_with(text, width, size, measure=text_width)
