"""Draw perftrack's icon: resources/icons/perftrack.svg, perftrack.png (256 px) and perftrack.ico.

One geometry, in a 256-unit square, feeds both the SVG text and the Pillow drawing, so the three
files show the same picture. Run from the repository root: ``.venv/bin/python installer/make_icons.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 256
# The square, with room for Windows' drop shadow at small sizes.
MARGIN = 8
RADIUS = 52
TOP_BLUE = (0x3D, 0x82, 0xC9)
BOTTOM_BLUE = (0x23, 0x5A, 0x9A)
BAR = (0xFF, 0xFF, 0xFF)
BAR_ALPHA = 235
CHECK = (0x9E, 0xE6, 0xB8)
# Three rising bars standing on one baseline: (left, top) with a shared width and bottom.
BAR_WIDTH = 34
BASELINE = 200
BARS = ((50, 156), (100, 126), (150, 96))
BAR_RADIUS = 7
# The check mark above the right-hand bars, drawn as a thick polyline with round ends.
CHECK_POINTS = ((116, 60), (142, 84), (200, 28))
CHECK_WIDTH = 20
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)
SCALE = 4  # drawn at 4x and reduced, for smooth edges without an anti-aliasing renderer


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def svg_text() -> str:
    """The icon as SVG source."""
    r = BAR_RADIUS
    # Rounded at the top only; a path, since not every SVG renderer (Qt's) honours clip paths.
    bars = "\n".join(
        f'    <path d="M{x},{BASELINE} V{top + r} A{r},{r} 0 0 1 {x + r},{top} H{x + BAR_WIDTH - r} '
        f'A{r},{r} 0 0 1 {x + BAR_WIDTH},{top + r} V{BASELINE} Z"/>'
        for x, top in BARS
    )
    points = " ".join(f"{x},{y}" for x, y in CHECK_POINTS)
    inner = SIZE - 2 * MARGIN
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}">
  <title>perftrack</title>
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="{_hex(TOP_BLUE)}"/>
      <stop offset="1" stop-color="{_hex(BOTTOM_BLUE)}"/>
    </linearGradient>
  </defs>
  <rect x="{MARGIN}" y="{MARGIN}" width="{inner}" height="{inner}" rx="{RADIUS}" fill="url(#bg)"/>
  <g fill="{_hex(BAR)}" fill-opacity="{BAR_ALPHA / 255:.2f}">
{bars}
  </g>
  <polyline points="{points}" fill="none" stroke="{_hex(CHECK)}" stroke-width="{CHECK_WIDTH}"
            stroke-linecap="round" stroke-linejoin="round"/>
</svg>
"""


def _gradient(size: int) -> Image.Image:
    column = Image.new("RGB", (1, size))
    for y in range(size):
        t = y / (size - 1)
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(TOP_BLUE, BOTTOM_BLUE, strict=True)))
    return column.resize((size, size))


def render(size: int = SIZE) -> Image.Image:
    """The icon as an RGBA image of ``size`` pixels."""
    big = SIZE * SCALE

    def s(v: float) -> int:
        return round(v * SCALE)

    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    mask = Image.new("L", (big, big), 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        (s(MARGIN), s(MARGIN), s(SIZE - MARGIN) - 1, s(SIZE - MARGIN) - 1), radius=s(RADIUS), fill=255
    )
    image.paste(_gradient(big), (0, 0), mask)

    bars = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(bars)
    for x, top in BARS:
        # Rounded at the top only: the rounded bottom is drawn below the baseline and cut off.
        draw.rounded_rectangle(
            (s(x), s(top), s(x + BAR_WIDTH) - 1, s(BASELINE + BAR_RADIUS)), radius=s(BAR_RADIUS), fill=(*BAR, BAR_ALPHA)
        )
    draw.rectangle((0, s(BASELINE), big, big), fill=(0, 0, 0, 0))
    image.alpha_composite(bars)

    draw = ImageDraw.Draw(image)
    points = [(s(x), s(y)) for x, y in CHECK_POINTS]
    draw.line(points, fill=CHECK, width=s(CHECK_WIDTH), joint="curve")
    radius = s(CHECK_WIDTH) / 2
    for x, y in (points[0], points[-1]):
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=CHECK)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main(out_dir: Path) -> None:
    """Write the three icon files into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "perftrack.svg").write_text(svg_text(), encoding="utf-8")
    full = render(SIZE)
    full.save(out_dir / "perftrack.png", optimize=True)
    # Each size drawn on its own rather than left to Pillow's reduction of the 256 px image.
    images = [render(n) for n in ICO_SIZES]
    images[-1].save(out_dir / "perftrack.ico", sizes=[(n, n) for n in ICO_SIZES], append_images=images[:-1])


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "resources" / "icons")
