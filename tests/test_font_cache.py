"""The report's font is read by ReportLab once and then from the cache, to the same effect."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from perftrack.report import font_cache, fonts
from perftrack.report.font_cache import cache_file, load_face
from tests.support.reports import FINANCE, seeded

# The program as its console script runs it.
PERFTRACK = "import sys; from perftrack.cli import main; sys.exit(main())"
# Characters of both scripts, as a report prints them.
SAMPLE = [ord(ch) for ch in "项目支出绩效自评表 得分≥90.00(%) ABC"]


@pytest.fixture(scope="module")
def cjk_font() -> tuple[str, Path]:
    """(family, file) of the CJK font the report uses on this machine."""
    fonts.require_cjk_fonts()
    return fonts._families()[0]


def _no_lookup(path: Path, family: str) -> int:
    raise AssertionError("the face was looked up although the cache holds it")


def test_read_once_then_from_the_cache_to_the_same_font(cjk_font: tuple[str, Path], tmp_path: Path) -> None:
    family, path = cjk_font
    first = load_face(
        "cache-test", path, family, folder=tmp_path, face_index=fonts._face_index, line_gap=fonts._line_gap
    )
    assert cache_file(tmp_path, path, family).is_file()

    again = load_face("cache-test", path, family, folder=tmp_path, face_index=_no_lookup, line_gap=fonts._line_gap)
    fresh = TTFont("cache-test", str(path), subfontIndex=first.index)
    assert (again.index, again.line_gap) == (first.index, first.line_gap)
    # The font object is what ReportLab builds itself, attribute for attribute (the face aside).
    assert set(vars(again.font)) == set(vars(fresh))
    assert {k: v for k, v in vars(again.font).items() if k not in ("face", "state", "encoding")} == {
        k: v for k, v in vars(fresh).items() if k not in ("face", "state", "encoding")
    }
    # The face answers as the freshly read one: widths, glyphs, metrics, and the subset embedded.
    for name in ("charToGlyph", "charWidths", "hmetrics", "glyphPos", "ascent", "descent", "bbox", "name", "flags"):
        assert getattr(again.font.face, name) == getattr(fresh.face, name), name
    assert again.font.stringWidth("绩效目标 ≥90.00(%)", 10) == fresh.stringWidth("绩效目标 ≥90.00(%)", 10)
    assert again.font.face.makeSubset(SAMPLE) == fresh.face.makeSubset(SAMPLE)


def test_a_changed_font_file_is_read_again(cjk_font: tuple[str, Path], tmp_path: Path) -> None:
    family, original = cjk_font
    path = tmp_path / original.name
    shutil.copyfile(original, path)
    load_face("cache-test", path, family, folder=tmp_path / "cache", face_index=fonts._face_index)
    stale = cache_file(tmp_path / "cache", path, family)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    assert cache_file(tmp_path / "cache", path, family) != stale
    looked_up: list[str] = []

    def lookup(p: Path, f: str) -> int:
        looked_up.append(f)
        return fonts._face_index(p, f)

    load_face("cache-test", path, family, folder=tmp_path / "cache", face_index=lookup)
    assert looked_up == [family]
    # What was kept of the older file is gone; only the current one is there.
    assert list((tmp_path / "cache").iterdir()) == [cache_file(tmp_path / "cache", path, family)]


class _Boom:
    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("echo owned > owned.txt",))


@pytest.mark.parametrize(
    "content",
    [b"", b"not a pickle", pickle.dumps({"format": 999}), pickle.dumps({"format": font_cache.FORMAT, "x": _Boom()})],
    ids=["empty", "garbage", "other-format", "foreign-object"],
)
def test_a_damaged_or_foreign_cache_is_ignored_and_written_again(
    cjk_font: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    family, path = cjk_font
    monkeypatch.chdir(tmp_path)
    file = cache_file(tmp_path, path, family)
    file.write_bytes(content)
    face = load_face("cache-test", path, family, folder=tmp_path, face_index=fonts._face_index)
    assert not (tmp_path / "owned.txt").exists()  # nothing in the file was run
    assert face.font.face.charWidths
    again = load_face("cache-test", path, family, folder=tmp_path, face_index=_no_lookup)
    assert again.font.face.charToGlyph == face.font.face.charToGlyph


def test_a_cache_that_cannot_be_written_costs_time_only(cjk_font: tuple[str, Path], tmp_path: Path) -> None:
    family, path = cjk_font
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    face = load_face("cache-test", path, family, folder=blocked / "cache", face_index=fonts._face_index)
    assert face.font.stringWidth("绩效", 10) > 0
    assert list(tmp_path.iterdir()) == [blocked]


def test_a_font_reportlab_cannot_embed_is_refused_every_time(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"OTTO" + bytes(200))  # not TrueType outlines
    with pytest.raises(TTFError):
        load_face("cache-test", broken, None, folder=tmp_path, face_index=fonts._face_index)
    with pytest.raises(TTFError):
        load_face("cache-test", broken, None, folder=tmp_path, face_index=fonts._face_index)


def test_a_report_printed_from_the_cache_is_the_same_file(tmp_path: Path) -> None:
    """``perftrack report`` twice, the font read afresh and then from the cache: the same file, byte
    for byte (ReportLab's invariant mode leaves out the time and the file's random id)."""
    db = seeded(tmp_path / "p.db")
    db.close()
    env = {**os.environ, "PERFTRACK_DATA_DIR": str(tmp_path / "data"), "RL_invariant": "1"}
    written = []
    for name in ("fresh", "cached"):
        out = tmp_path / f"{name}.pdf"
        subprocess.run(
            [sys.executable, "-c", PERFTRACK, "--db", str(tmp_path / "p.db"), "report", "-o", str(out), FINANCE],
            env=env,
            check=True,
            capture_output=True,
        )
        written.append(out.read_bytes())
        (cache,) = (tmp_path / "data" / "cache").glob("font-*.pickle")
        if name == "fresh":
            kept = cache.stat()
    assert (cache.stat().st_ino, cache.stat().st_mtime_ns) == (kept.st_ino, kept.st_mtime_ns)  # read, not rewritten
    assert written[0] == written[1]
