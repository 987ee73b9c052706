"""The report's font is read by ReportLab once and then from the cache, to the same effect."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfbase import ttfonts
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
    kept = ("charToGlyph", "glyphToChar", "charWidths", "hmetrics", "glyphPos", "ascent", "descent", "bbox", "name")
    for name in (*kept, "flags", "tables"):
        assert getattr(again.font.face, name) == getattr(fresh.face, name), name
    assert again.font.pdfScale(1000) == fresh.pdfScale(1000)  # ReportLab's scale function, made again
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


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The fonts ReportLab reads itself from now on (``font_cache.TTFont``), by file."""
    read: list[str] = []

    def counted(name: str, filename: str, **kw: object) -> TTFont:
        read.append(filename)
        return TTFont(name, filename, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(font_cache, "TTFont", counted)
    return read


def test_a_font_reportlab_cannot_embed_is_refused_every_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"OTTO" + bytes(200))  # not TrueType outlines
    read = _counting_reads(monkeypatch)
    with pytest.raises(TTFError):
        load_face("cache-test", broken, None, folder=tmp_path / "cache", face_index=fonts._face_index)
    assert cache_file(tmp_path / "cache", broken, None).is_file()
    with pytest.raises(TTFError):
        load_face("cache-test", broken, None, folder=tmp_path / "cache", face_index=fonts._face_index)
    assert read == [str(broken)]  # the second refusal came from the cache


def test_a_font_that_cannot_be_read_for_now_is_not_remembered(
    cjk_font: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file locked or not allowed at the moment (Windows: another program, a virus scanner) is an
    OSError for this report; ReportLab's own "Can't open file" is not remembered as a refusal."""
    family, path = cjk_font
    opened = Path.open

    def locked(self: Path, *args: object, **kw: object) -> object:
        if self == path:
            raise PermissionError(13, "Permission denied", str(path))
        return opened(self, *args, **kw)  # type: ignore[arg-type]

    with monkeypatch.context() as patch:
        patch.setattr(Path, "open", locked)
        with pytest.raises(PermissionError):
            load_face("cache-test", path, family, folder=tmp_path, face_index=fonts._face_index)
    with monkeypatch.context() as patch:
        patch.setattr(ttfonts, "TTFOpenFile", lambda fn: (_ for _ in ()).throw(TTFError(f"Can't open file {fn!r}")))
        with pytest.raises(TTFError):
            load_face("cache-test", path, family, folder=tmp_path, face_index=fonts._face_index)
    assert not list(tmp_path.glob("font-*"))
    face = load_face("cache-test", path, family, folder=tmp_path, face_index=fonts._face_index)
    assert face.font.stringWidth("绩效", 10) > 0


@pytest.mark.parametrize(
    "record",
    [
        {"format": font_cache.FORMAT},
        {"format": font_cache.FORMAT, "index": 0, "line_gap": 0.0, "state": {"name": b"x"}},
        {"format": font_cache.FORMAT, "index": "0", "line_gap": 0.0, "state": {}},
    ],
    ids=["no-face", "partial-face", "wrong-types"],
)
def test_a_record_without_what_reportlab_reads_is_read_again(
    cjk_font: tuple[str, Path], tmp_path: Path, record: dict[str, object]
) -> None:
    family, path = cjk_font
    cache_file(tmp_path, path, family).write_bytes(pickle.dumps(record))
    face = load_face("cache-test", path, family, folder=tmp_path, face_index=fonts._face_index)
    assert face.font.face.makeSubset(SAMPLE)
    again = load_face("cache-test", path, family, folder=tmp_path, face_index=_no_lookup)
    assert again.font.face.charWidths == face.font.face.charWidths


def test_a_face_that_cannot_be_pickled_costs_time_only(
    cjk_font: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As if a later ReportLab kept another function on the face: the report goes on, nothing is left."""
    family, path = cjk_font
    monkeypatch.setattr(font_cache, "_NOT_KEPT", frozenset({"_ttf_data"}))  # _pdfScale, a lambda, kept
    face = load_face("cache-test", path, family, folder=tmp_path, face_index=fonts._face_index)
    assert face.font.stringWidth("绩效", 10) > 0
    assert list(tmp_path.iterdir()) == []


def _table_directory(data: bytes, index: int) -> int:
    """Where the table directory of face ``index`` starts in a .ttf or .ttc file's bytes."""
    if data[:4] == b"ttcf":
        return int.from_bytes(data[12 + 4 * index : 16 + 4 * index], "big") + 12
    return 12


def test_another_font_of_the_same_size_and_time_is_read_again(cjk_font: tuple[str, Path], tmp_path: Path) -> None:
    """A font replaced by another with the same size and time (a restore, ``cp -p``) keeps the cache
    file's name; its table directory differs, and that is what the kept reading is checked against."""
    family, original = cjk_font
    path = tmp_path / original.name
    shutil.copyfile(original, path)
    first = load_face("cache-test", path, family, folder=tmp_path / "cache", face_index=fonts._face_index)
    times = (path.stat().st_atime_ns, path.stat().st_mtime_ns)
    name = cache_file(tmp_path / "cache", path, family)
    data = bytearray(path.read_bytes())
    checksum = _table_directory(bytes(data), first.index) + 4  # the first table's checksum
    data[checksum : checksum + 4] = bytes(255 - b for b in data[checksum : checksum + 4])
    path.write_bytes(bytes(data))
    os.utime(path, ns=times)
    assert cache_file(tmp_path / "cache", path, family) == name
    looked_up: list[str] = []

    def lookup(p: Path, f: str) -> int:
        looked_up.append(f)
        return fonts._face_index(p, f)

    again = load_face("cache-test", path, family, folder=tmp_path / "cache", face_index=lookup)
    assert looked_up == [family]  # read afresh, not from the cache
    assert again.font.face.tables != first.font.face.tables
    kept = load_face("cache-test", path, family, folder=tmp_path / "cache", face_index=_no_lookup)
    assert kept.font.face.tables == again.font.face.tables  # and kept again as it is now


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


def test_a_font_gone_since_it_was_found_is_named_in_the_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tmp_path / "gone.ttc"
    monkeypatch.setattr(fonts, "_families", lambda: [("WenQuanYi Micro Hei", gone)])
    fonts.report_fonts.cache_clear()
    try:
        with pytest.raises(fonts.FontNotFoundError, match=r"无法读取 .*gone\.ttc"):
            fonts.report_fonts()
    finally:
        fonts.report_fonts.cache_clear()
