"""A Chinese font for matplotlib, and text measured in it: without one every label is boxes.

``setup_cjk_fonts`` prefers a font shipped with the program (``resources/fonts``), so a
frozen build looks the same everywhere, and otherwise takes the first known CJK font the
system has. It registers the file with matplotlib and puts its family first in
``font.family``, with the other CJK families and DejaVu Sans behind it as per-glyph fallbacks.
``text_width`` and ``wrap_text`` measure text in those fonts, for layouts that wrap it themselves
(the printed report's table cells).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from matplotlib import font_manager, rcParams
from matplotlib.backends.backend_agg import RendererAgg

from perftrack.domain.errors import UserError

# In order of preference: free fonts first (they ship on Linux), then the Windows and macOS ones.
CJK_FAMILIES: tuple[str, ...] = (
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "SimHei",
    "SimSun",
    "PingFang SC",
    "Heiti SC",
    "Arial Unicode MS",
)
# Where the usual files live when matplotlib's own font cache predates their installation.
_SYSTEM_FILES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
)
_FONT_SUFFIXES = (".ttf", ".ttc", ".otf")
_LATIN_FALLBACK = "DejaVu Sans"


class FontNotFoundError(UserError, RuntimeError):
    """No Chinese font could be found; the message says what to install."""


def bundled_font_dirs() -> list[Path]:
    """Folders that may hold fonts shipped with perftrack (package, source tree, frozen build)."""
    package = Path(__file__).resolve().parent.parent
    dirs = [package / "resources" / "fonts", package.parent / "resources" / "fonts"]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        dirs.append(Path(frozen) / "resources" / "fonts")
    return dirs


def _bundled_fonts(dirs: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for folder in dirs:
        if folder.is_dir():
            found.extend(sorted(p for p in folder.iterdir() if p.suffix.lower() in _FONT_SUFFIXES))
    return found


def _family_of(path: Path) -> str:
    return font_manager.FontProperties(fname=str(path)).get_name()


def _system_fonts() -> list[tuple[str, Path]]:
    """(family, file) for every known CJK family installed, in order of preference."""
    by_family: dict[str, Path] = {}
    for entry in font_manager.fontManager.ttflist:
        if entry.name in CJK_FAMILIES and entry.name not in by_family:
            by_family[entry.name] = Path(entry.fname)
    for candidate in _SYSTEM_FILES:
        path = Path(candidate)
        if path.is_file():
            family = _family_of(path)
            by_family.setdefault(family, path)
    ranked = sorted(
        by_family.items(),
        key=lambda item: CJK_FAMILIES.index(item[0]) if item[0] in CJK_FAMILIES else len(CJK_FAMILIES),
    )
    return ranked


def setup_cjk_fonts(bundled_dirs: Iterable[Path] | None = None) -> Path | None:
    """Register a CJK font with matplotlib and make it the default family; return its file, or None."""
    chosen: list[tuple[str, Path]] = []
    for path in _bundled_fonts(bundled_font_dirs() if bundled_dirs is None else bundled_dirs):
        font_manager.fontManager.addfont(str(path))
        chosen.append((_family_of(path), path))
    for family, path in _system_fonts():
        if family not in {f for f, _ in chosen}:
            font_manager.fontManager.addfont(str(path))
            chosen.append((family, path))
    if not chosen:
        return None
    families = [family for family, _ in chosen]
    rest = [f for f in rcParams["font.family"] if f not in families and f != _LATIN_FALLBACK]
    rcParams["font.family"] = [*families, _LATIN_FALLBACK, *rest]
    # The CJK fonts draw the ASCII hyphen-minus but not U+2212, matplotlib's default minus sign.
    rcParams["axes.unicode_minus"] = False
    return chosen[0][1]


def require_cjk_fonts() -> Path:
    """Like ``setup_cjk_fonts`` but raise ``FontNotFoundError`` when the system has no CJK font."""
    path = setup_cjk_fonts()
    if path is None:
        raise FontNotFoundError(
            "找不到中文字体：请安装“文泉驿微米黑”（fonts-wqy-microhei）、Noto Sans CJK 或微软雅黑，"
            "或把 .ttf/.ttc 字体文件放入 perftrack/resources/fonts 文件夹。"
        )
    return path


# -- measuring --------------------------------------------------------------------------------

# Measured at 10× the point scale so that hinting's whole-pixel widths cost a tenth of a point.
_MEASURE_DPI = 720
_renderer: RendererAgg | None = None
_widths: dict[tuple[tuple[str, ...], float, str], float] = {}
# A run of Latin letters, digits and their punctuation stays on one line when it fits ("≥90.00(%)").
_TOKEN = re.compile(r"[A-Za-z0-9.,:%()\[\]<>=≥≤+\-/_·]+|\s+|.", re.S)
_NO_LINE_START = set("，。、；：？！）》」』】”’%,.;:)]…")
_NO_LINE_END = set("（《「『【“‘(")


def text_width(text: str, size: float) -> float:
    """Width in points of ``text`` set at ``size`` points in the current ``font.family``."""
    global _renderer
    if _renderer is None:
        _renderer = RendererAgg(1, 1, _MEASURE_DPI)
    family = tuple(rcParams["font.family"])
    total = 0.0
    for ch in text:
        key = (family, size, ch)
        width = _widths.get(key)
        if width is None:
            prop = font_manager.FontProperties(family=list(family), size=size)
            width = _renderer.get_text_width_height_descent(ch, prop, ismath=False)[0] * 72 / _MEASURE_DPI
            _widths[key] = width
        total += width
    return total


def _tokens(paragraph: str) -> list[str]:
    """Pieces a line may break between, with CJK punctuation kept on the right side of a break."""
    tokens: list[str] = []
    glue_next = False
    for tok in _TOKEN.findall(paragraph):
        if tokens and (glue_next or tok[0] in _NO_LINE_START):
            tokens[-1] += tok
        else:
            tokens.append(tok)
        glue_next = tok[-1] in _NO_LINE_END
    return tokens


def wrap_text(
    text: str, width: float, size: float, *, measure: Callable[[str, float], float] = text_width
) -> list[str]:
    """``text`` broken into lines no wider than ``width`` points as ``measure`` sets them; newlines are kept."""
    text_width = measure
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for tok in _tokens(paragraph):
            if text_width(line + tok, size) <= width:
                line += tok
                continue
            if line.strip():
                lines.append(line.rstrip())
            line = tok.lstrip()
            while text_width(line, size) > width and len(line) > 1:
                # A token wider than the line (a long URL or number) is cut where it must be.
                cut = len(line) - 1
                while cut > 1 and text_width(line[:cut], size) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines
